//! Messages of the `check` area: `pgrex check`, the PostgreSQL reading of the views, the
//! brief and Prometheus renderings.

catalog!(check {
    PG_NO_ANSWER = "CHECK_0001": "no answer within {ms} ms";
    /// No server socket here: no PostgreSQL runs on this node.
    PG_NO_SOCKET = "CHECK_0003": "no PostgreSQL socket on this node (looked for {paths})";
    /// The status text's line when the local server did not answer.
    PG_UNREAD_LINE = "CHECK_0004": "PostgreSQL on this node: {why}";
    PG_PORT_BAD = "CHECK_0005": "PGREX_PG_PORT must be a port number (1-65535), found `{value}`";
    /// Label of a node's timeline in the status view.
    L_TIMELINE = "CHECK_0006": "timeline";
    /// Label of a node's replication lag in the status view.
    L_LAG = "CHECK_0007": "replication lag";
    /// The cluster line of `status --brief`.
    BRIEF_CLUSTER = "CHECK_0008": "Cluster {name}  DC {dc}  quorum {quorum}  profile {profile}";
    /// The last line of `status --brief` when there are deviations.
    BRIEF_MORE = "CHECK_0009": "{count} deviation(s) from the PG-REX normal state: `pgrex status` lists them";
    PROMETHEUS_STATUS_ONLY = "CHECK_0010": "--output-format prometheus is only for `pgrex status`";
    PROMETHEUS_NO_WATCH = "CHECK_0011": "--watch cannot be used with --output-format prometheus: run `pgrex status --output-format prometheus` once per scrape (e.g. from cron into the textfile collector's directory)";
});

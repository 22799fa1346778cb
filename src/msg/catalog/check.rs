//! Messages of the `check` area: `pgrex check`, the PostgreSQL reading of the views, the
//! brief and Prometheus renderings.

catalog!(check {
    PG_NO_ANSWER = "CHECK_0001": "no answer within {ms} ms";
    /// The PostgreSQL source was not wanted (an input file, or a command that does not read it).
    PG_NOT_READ = "CHECK_0002": "PostgreSQL was not read";
    /// No server socket here: no PostgreSQL runs on this node.
    PG_NO_SOCKET = "CHECK_0003": "no PostgreSQL socket on this node (looked for {paths})";
    /// The status text's line when the local server did not answer.
    PG_UNREAD_LINE = "CHECK_0004": "PostgreSQL on this node: {why}";
    PG_PORT_BAD = "CHECK_0005": "PGREX_PG_PORT must be a port number (1-65535), found `{value}`";
    /// Label of a node's timeline in the status view.
    L_TIMELINE = "CHECK_0006": "timeline";
    /// Label of a node's replication lag in the status view.
    L_LAG = "CHECK_0007": "replication lag";
});

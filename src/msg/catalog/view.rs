//! Messages of the `view` area.

catalog!(view {
    NEXT = "VIEW_0001": "next:";
    YES = "VIEW_0002": "yes";
    NO = "VIEW_0003": "no";
    ENABLED = "VIEW_0004": "enabled";
    DISABLED = "VIEW_0005": "disabled";
    ON = "VIEW_0006": "on";
    OFF = "VIEW_0007": "off";
    CLUSTER_LINE = "VIEW_0008": "Cluster {name}   DC {dc}   quorum {quorum}   STONITH {stonith}   maintenance-mode {maintenance}   Pacemaker {version}   profile {profile} ({source})";
    H_NODES = "VIEW_0009": "Nodes and replication";
    H_RESOURCES = "VIEW_0010": "Resources";
    H_FAIL_COUNTS = "VIEW_0011": "Fail-counts";
    H_FAILED_ACTIONS = "VIEW_0012": "Failed actions";
    H_FENCING = "VIEW_0013": "Fencing history";
    NONE = "VIEW_0014": "none";
    NOT_AVAILABLE = "VIEW_0015": "not available from this source";
    NO_DEVIATIONS = "VIEW_0016": "No deviation from the PG-REX normal state.";
    H_DEVIATIONS = "VIEW_0017": "Deviations from the PG-REX normal state ({count})";
    FROM_CIB = "VIEW_0018": " (persistent value from the CIB)";
    UNKNOWN_VERDICT = "VIEW_0019": "the cluster cannot be observed from here: {why}";
    NO_PACEMAKER_HINT = "VIEW_0021": "run pgrex on a cluster node, or analyse a saved file: pgrex status --input crm_mon.xml";
    PERSISTED_HEADER = "VIEW_0022": "Last persisted pgsql-data-status per node (from {path}):";
    H_LINKS = "VIEW_0023": "Interconnect (corosync-cfgtool -s on this node)";
    H_BOOT = "VIEW_0024": "Start at boot:";
});

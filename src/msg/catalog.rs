//! The English catalogue, one `catalog!` block per area (one file each where an area grows).
//! Ids: `AREA_NNNN`. Add at the end of an area; never renumber or reuse an id.

use super::Msg;

catalog!(gen {
    ERROR = "GEN_0001": "error";
    HINT = "GEN_0002": "hint";
    CAUSED_BY = "GEN_0003": "caused by";
    WARNING = "GEN_0004": "warning";
});

catalog!(pcmk {
    XML_EMPTY = "PCMK_0001": "the input is empty";
    XML_MALFORMED = "PCMK_0002": "not well-formed XML (at byte {pos}): {error}";
    XML_TRUNCATED = "PCMK_0003": "the XML ends before {element} is closed (truncated output?)";
    NOT_CRM_MON = "PCMK_0004": "not crm_mon XML: the root element is <{root}>, expected <pacemaker-result> (Pacemaker 2.x) or <crm_mon> (1.1)";
    NOT_CIB = "PCMK_0005": "not a CIB: the root element is <{root}>, expected <cib>";
    MISSING_ATTR = "PCMK_0006": "<{element}> has no `{attribute}` attribute";
    BAD_VALUE = "PCMK_0007": "<{element}> has `{attribute}=\"{value}\"`, expected {expected}";
    CRM_MON_FAILED = "PCMK_0008": "crm_mon reported error {code} ({message}){errors}";
    HINT_CRM_MON_XML = "PCMK_0009": "save the output of `crm_mon --output-as=xml -1 --inactive` (Pacemaker 2.x) or `crm_mon -1 --as-xml` (1.1), or a cib.xml, and pass that file";
    NOT_PACEMAKER_INPUT = "PCMK_0010": "not a Pacemaker document: the root element is <{root}>, expected <pacemaker-result>, <crm_mon> or <cib> (or a pgrex JSON snapshot)";
    NOT_RUNNING = "PCMK_0011": "Pacemaker is not running on this node ({detail})";
    HINT_NOT_RUNNING = "PCMK_0012": "start it with `systemctl start pacemaker`, run pgrex on the other node, or read a saved file with `--input FILE`";
    CANNOT_OBSERVE = "PCMK_0013": "crm_mon cannot observe the cluster from here: {detail}";
    CRM_MON_TIMEOUT = "PCMK_0014": "crm_mon did not answer within {timeout}";
    HINT_CRM_MON_MISSING = "PCMK_0015": "install Pacemaker's command-line tools (`apt-get install pacemaker-cli-utils`), set PGREX_CRM_MON, or read a saved crm_mon XML with `--input FILE`";
    HINT_CIB_NEEDS_CRM_MON = "PCMK_0016": "a cib.xml is turned into the cluster view by `CIB_file=FILE crm_mon`: install pacemaker-cli-utils, or pass a saved crm_mon XML (`crm_mon --output-as=xml -1 --inactive`) instead";
    CIB_RENDER_FAILED = "PCMK_0017": "crm_mon could not read this CIB: {detail}";
    UNREADABLE = "PCMK_0018": "cannot read the file: {error}";
    NOT_UTF8 = "PCMK_0019": "the file is not UTF-8 text";
    CIBADMIN_FAILED = "PCMK_0020": "cibadmin cannot read the CIB from here: {detail}";
    HINT_CIBADMIN_MISSING = "PCMK_0021": "install Pacemaker's command-line tools (`apt-get install pacemaker-cli-utils`) or set PGREX_CIBADMIN";
    EMPTY_OUTPUT = "PCMK_0022": "exit code {code}{stderr}";
    SNAPSHOT_UNSUPPORTED = "PCMK_0023": "this is a pgrex JSON snapshot, which this version cannot load yet";
    IO_NOT_FOUND = "PCMK_0024": "no such file";
    IO_DENIED = "PCMK_0025": "permission denied";
    CIB_READER_PANICKED = "PCMK_0026": "the CIB reader stopped unexpectedly";
});

catalog!(status {
    PGSQL_STATUS_PRI = "STATUS_0001": "primary: PostgreSQL runs as the primary";
    PGSQL_STATUS_HS_SYNC = "STATUS_0002": "standby, synchronous replication, may be promoted";
    PGSQL_STATUS_HS_ASYNC = "STATUS_0003": "standby, asynchronous replication: may lag, must not be promoted";
    PGSQL_STATUS_HS_POTENTIAL = "STATUS_0004": "standby waiting to become synchronous (sync_state potential): must not be promoted yet";
    PGSQL_STATUS_HS_CONNECTED = "STATUS_0005": "standby connected but not yet streaming (catch-up or startup): must not be promoted yet";
    PGSQL_STATUS_HS_ALONE = "STATUS_0006": "standby without a primary to replicate from (replication lost): must not be promoted";
    PGSQL_STATUS_STOP = "STATUS_0007": "PostgreSQL is stopped under Pacemaker";
    PGSQL_STATUS_UNKNOWN = "STATUS_0008": "a stop or demote failed: the real state of PostgreSQL is unknown";
    VALUE_UNRECOGNISED = "STATUS_0009": "value not known to pgrex";
    DATA_STATUS_LATEST = "STATUS_0010": "this node is or was the primary and holds the newest data";
    DATA_STATUS_STREAMING_SYNC = "STATUS_0011": "streaming synchronously: data is up to date";
    DATA_STATUS_STREAMING_ASYNC = "STATUS_0012": "streaming asynchronously: data may be behind";
    DATA_STATUS_STREAMING_POTENTIAL = "STATUS_0013": "streaming, waiting to become synchronous: data may be behind";
    DATA_STATUS_DISCONNECT = "STATUS_0014": "replication lost: data may be old, must not be promoted";
    DATA_STATUS_CATCHING_UP = "STATUS_0015": "catching up with the primary: data is behind";
    SCORE_1000 = "STATUS_0016": "promoted (or to be promoted)";
    SCORE_100 = "STATUS_0017": "may be promoted if the primary fails";
    SCORE_MINUS_INF = "STATUS_0018": "must not be promoted";
    REASON_HEALTHY = "STATUS_0019": "PG-REX normal state: {primary} is primary, {standby} is a synchronous standby";
    REASON_MORE = "STATUS_0020": "{first} (and {more} more)";
    DEV_STONITH_DISABLED = "STATUS_0021": "STONITH is disabled (stonith-enabled=false): a failed node cannot be fenced";
    DEV_NO_QUORUM = "STATUS_0022": "the partition has no quorum";
    DEV_NODE_COUNT = "STATUS_0023": "PG-REX has exactly 2 nodes; this cluster has {count}";
    DEV_NODE_UNCLEAN = "STATUS_0024": "{node} is UNCLEAN: it must be fenced before the cluster can act";
    DEV_NODE_FENCED = "STATUS_0025": "{node} is OFFLINE after being fenced";
    DEV_NODE_OFFLINE = "STATUS_0026": "{node} is OFFLINE (Pacemaker is not running there)";
    DEV_NODE_STANDBY = "STATUS_0027": "{node} is in Pacemaker standby mode: it cannot run resources";
    DEV_NODE_MAINTENANCE = "STATUS_0028": "{node} is in maintenance mode: its resources are not monitored";
    DEV_NODE_PENDING = "STATUS_0029": "{node} is still joining the cluster (pending)";
    DEV_PGSQL_MISSING = "STATUS_0030": "the PostgreSQL resource {id} (profile {profile}) is not in the cluster; resources present: {ids}";
    DEV_NO_PRIMARY = "STATUS_0031": "no node is primary ({id} is not promoted anywhere): the database service is down";
    DEV_TWO_PRIMARIES = "STATUS_0032": "more than one primary: {nodes}";
    DEV_STANDBY_NOT_RUNNING = "STATUS_0033": "no standby: PostgreSQL is not running on {node}, the primary runs alone";
    DEV_RESOURCE_FAILED = "STATUS_0034": "{id} is marked failed on {nodes}";
    DEV_RESOURCE_ABSENT = "STATUS_0035": "resource {id} is configured for pgrex but not present in the cluster";
    DEV_VIP_NOT_ON_PRIMARY = "STATUS_0036": "{id} should run on the primary {primary} but runs on {nodes}";
    DEV_VIP_STANDBY_MISPLACED = "STATUS_0037": "{id} should run on {want} but runs on {nodes}";
    DEV_NO_STONITH = "STATUS_0038": "no STONITH resource is configured";
    DEV_STONITH_STOPPED = "STATUS_0039": "STONITH resource {id} is not running";
    DEV_CLONE_NOT_ON_NODE = "STATUS_0040": "{id} is not running on {node}";
    DEV_PING_LOST = "STATUS_0041": "{node}: network monitor reports connectivity lost ({attr} = {value})";
    DEV_DISK_FAILED = "STATUS_0042": "{node}: disk monitor reports a failure ({attr} = {value})";
    DEV_ATTR_UNEXPECTED = "STATUS_0043": "{node}: {attr} is {value}, expected {want}";
    DEV_REPLICATION_LOST = "STATUS_0044": "{node}: replication lost (pgsql-status {status}, data-status {data}): the standby must not be promoted";
    DEV_XLOG_LOC_LEFT = "STATUS_0045": "{node}: {attr} is set, which happens only while no primary exists";
    DEV_FAIL_COUNT = "STATUS_0046": "fail-count of {id} on {node} is {count}: the node is not eligible for failover until it is cleared";
    DEV_FAILED_ACTION = "STATUS_0047": "failed action {op} on {node}: {status}";
    DEV_FENCE_DONE = "STATUS_0048": "fencing history: {action} of {target} by {by} succeeded; the PG-REX normal state has an empty history";
    DEV_FENCE_PENDING = "STATUS_0049": "fencing of {target} ({action}) is still pending";
    DEV_FENCE_FAILED = "STATUS_0050": "fencing of {target} ({action}) by {by} FAILED";
    DEV_MAINTENANCE_MODE = "STATUS_0051": "the cluster is in maintenance mode: nothing is monitored or failed over";
    DEV_UNMANAGED = "STATUS_0052": "{id} is unmanaged: Pacemaker neither monitors nor recovers it";
});

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
    NO_PACEMAKER = "VIEW_0020": "Pacemaker is not installed on this machine (crm_mon not found)";
    NO_PACEMAKER_HINT = "VIEW_0021": "run pgrex on a cluster node, or analyse a saved file: pgrex status --input crm_mon.xml";
});

/// Every message of every area.
pub fn all() -> Vec<Msg> {
    [gen::ALL, pcmk::ALL, status::ALL, view::ALL].concat()
}

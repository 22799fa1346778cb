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
    EMPTY_OUTPUT = "PCMK_0022": "it printed nothing (exit code {code}){stderr}";
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

// The configuration file (spec §1). Doc comments name the Perl message each text replaces
// (`lib/PGRex/Po/en.pm`), for operators who know the old tools.
catalog!(config {
    /// Perl COMMON_MS0024.
    UNREADABLE = "CONFIG_0001": "cannot read the configuration file: {reason}";
    UNREADABLE_HINT = "CONFIG_0002": "give another file with `--config FILE` or `PGREX_CONFIG=FILE`, or create {path} from the PG-REX template";
    /// Perl COMMON_MS0004.
    MISSING_KEY = "CONFIG_0003": "required key {key} is not set";
    MISSING_KEY_HINT = "CONFIG_0004": "add a line `{key} = {example}`";
    MISSING_KEY_EMPTY_HINT = "CONFIG_0005": "line {line} leaves {key} empty, and an empty value counts as unset: write `{key} = {example}`";
    MISSING_KEY_CASE_HINT = "CONFIG_0006": "line {line} sets `{found}`, which is not a known key (keys are case-sensitive): write `{key} = {example}`";
    /// Perl COMMON_MS0005.
    NOT_ABSOLUTE = "CONFIG_0007": "{key} must be an absolute path (starting with `/`), found `{value}`";
    NOT_ABSOLUTE_HINT = "CONFIG_0008": "write the full path, e.g. `{key} = {example}`";
    /// Perl COMMON_MS0006.
    STONITH_NOT_ENABLE = "CONFIG_0009": "STONITH must be `enable`, found `{value}`: PG-REX requires fencing";
    STONITH_NOT_ENABLE_HINT = "CONFIG_0010": "write `STONITH = enable`, or remove the line (enable is the default)";
    /// Perl COMMON_MS0021.
    IPADDR_STANDBY_BAD = "CONFIG_0011": "IPADDR_STANDBY must be `enable` or `disable`, found `{value}`";
    IPADDR_STANDBY_BAD_HINT = "CONFIG_0012": "write `IPADDR_STANDBY = enable` (a standby read VIP exists) or `IPADDR_STANDBY = disable`";
    /// Perl COMMON_MS0034.
    PASS_MODE_BAD = "CONFIG_0013": "{key} must be `manual`, `passfile` or `nopass`, found `{value}`";
    PASS_MODE_BAD_HINT = "CONFIG_0014": "write `{key} = manual` (ask for the ssh password), `passfile` (read it from {file_key}) or `nopass` (key-based ssh)";
    /// Perl COMMON_MS0004 (for the pass file).
    PASSFILE_UNSET = "CONFIG_0015": "{mode_key} is `passfile`, but {key} is not set";
    PASSFILE_UNSET_HINT = "CONFIG_0016": "add `{key} = /root/.pgrex_{who}_pass` naming a file that holds only the password (mode 0600), or choose another {mode_key}";
    /// Perl COMMON_MS0058 (the Perl tool reports a missing file as a bad mode).
    PASSFILE_NOT_FOUND = "CONFIG_0017": "{key}: the file {path} does not exist";
    PASSFILE_NOT_FOUND_HINT = "CONFIG_0018": "create it with the password on its first line, then run `chmod 600 {path}`";
    /// Perl COMMON_MS0058.
    PASSFILE_MODE = "CONFIG_0019": "{key}: the file {path} has mode {mode}; it must be exactly 0600";
    PASSFILE_MODE_HINT = "CONFIG_0020": "run `chmod 600 {path}`";
    PASSFILE_UNREADABLE = "CONFIG_0021": "{key}: cannot read {path}: {reason}";
    PASSFILE_UNREADABLE_HINT = "CONFIG_0022": "{path} must be a regular file readable by the user running pgrex (normally root)";
    PASSFILE_EMPTY = "CONFIG_0023": "{key}: the first line of {path} is empty; it must hold the password";
    PASSFILE_EMPTY_HINT = "CONFIG_0024": "write the password on the first line of {path}";
    /// Perl COMMON_MS0022.
    STONITH_IDS_COUNT = "CONFIG_0025": "STONITH_ResourceID must list exactly 2 fencing resource ids, found {count}";
    STONITH_IDS_COUNT_HINT = "CONFIG_0026": "write `STONITH_ResourceID = fence1-ipmilan , fence2-ipmilan` (one per node), or remove the line to skip the fencing check";
    /// Perl COMMON_MS0007 (D-LAN).
    DLAN_COUNT = "CONFIG_0027": "D_LAN_IPAddress must list exactly 2 addresses, found {count}";
    DLAN_COUNT_HINT = "CONFIG_0028": "write both nodes' D-LAN addresses: `D_LAN_IPAddress = 192.168.2.1 , 192.168.2.2`";
    /// Perl COMMON_MS0057 (IC-LAN).
    IC_FORMAT = "CONFIG_0029": "IC_LAN_IPAddress must be one or two parenthesised address pairs, found `{value}`";
    IC_FORMAT_HINT = "CONFIG_0030": "write `IC_LAN_IPAddress = (192.168.1.1, 192.168.1.2)` for one ring or `IC_LAN_IPAddress = (192.168.1.1, 192.168.1.2) , (192.168.3.1, 192.168.3.2)` for two (at most 2 rings)";
    /// Perl COMMON_MS0007 (IC-LAN).
    IC_COUNT = "CONFIG_0031": "IC_LAN_IPAddress ring {ring} `({pair})` must hold exactly 2 addresses, found {count}";
    IC_COUNT_HINT = "CONFIG_0032": "write each ring as `(this node's address, the peer's address)`, e.g. `(192.168.1.1, 192.168.1.2)`";
    ADDR_INVALID = "CONFIG_0033": "{key}: `{value}` is not an IP address";
    ADDR_INVALID_HINT = "CONFIG_0034": "write numeric addresses such as `192.168.2.1` (host names are not accepted)";
    /// Perl COMMON_MS0008.
    NO_LOCAL_ADDRS = "CONFIG_0035": "no IP address found on this host's network interfaces";
    NO_LOCAL_ADDRS_HINT = "CONFIG_0036": "check the network configuration with `ip -brief address`";
    /// Perl COMMON_MS0009.
    NONE_LOCAL = "CONFIG_0037": "{key}: none of `{value}` is an address of this host";
    NONE_LOCAL_HINT = "CONFIG_0038": "run pgrex on one of the two cluster nodes, or correct {key} (this host has {local})";
    /// Perl COMMON_MS0010.
    BOTH_LOCAL = "CONFIG_0039": "{key}: every address of `{value}` is on this host, so none is the peer's";
    BOTH_LOCAL_HINT = "CONFIG_0040": "list this node's address and the peer node's address, e.g. `{example}`";
    /// Perl COMMON_MS0057 (cluster name).
    CLUSTER_NAME_BAD = "CONFIG_0041": "HACLUSTER_NAME `{value}` is invalid: only letters, digits, `_` and `-` are allowed, and it must not start with `-`";
    CLUSTER_NAME_BAD_HINT = "CONFIG_0042": "write e.g. `HACLUSTER_NAME = pgrex_cluster`";
    PROFILE_BAD = "CONFIG_0043": "NAMING_PROFILE must be `seed`, `pgrex17` or `auto`, found `{value}`";
    PROFILE_BAD_HINT = "CONFIG_0044": "write `NAMING_PROFILE = pgrex17` (PG-REX 17 names), `seed` (msPostgresql, vip-master, ...) or `auto` (detect from the cluster)";
    DURATION_BAD = "CONFIG_0045": "{key} must be a number of seconds, found `{value}`";
    DURATION_ZERO = "CONFIG_0046": "{key} must be greater than 0";
    DURATION_HINT = "CONFIG_0047": "write e.g. `{key} = {default}` (seconds; a unit such as `5min` is accepted too)";
    LIST_EMPTY_ENTRY = "CONFIG_0048": "{key} has an empty entry in `{value}`";
    LIST_EMPTY_ENTRY_HINT = "CONFIG_0049": "separate the ids with single commas: `{key} = {example}`";
    /// Warning.
    UNKNOWN_KEY = "CONFIG_0050": "unknown key {key} is ignored";
    /// Warning.
    UNKNOWN_KEY_SUGGEST = "CONFIG_0051": "unknown key {key} is ignored; did you mean {suggestion}?";
    /// Warning.
    NOT_A_SETTING = "CONFIG_0052": "line is not `KEY = value` and is ignored: `{text}`";
    /// Warning.
    DUPLICATE = "CONFIG_0053": "{key} is set again; this line overrides line {previous}";
    /// The prefix of a rendered warning.
    WARNING_AT = "CONFIG_0054": "{file}:{line}: warning: {message}";
    /// The prefix of a rendered warning not tied to a line.
    WARNING_FILE = "CONFIG_0055": "{file}: warning: {message}";
    LOCAL_ADDRS_FAILED = "CONFIG_0056": "cannot list this host's network addresses: {reason}";
    DURATION_TOO_LONG = "CONFIG_0057": "{key} is longer than {max}, found `{value}`";
    /// Stands for the key in errors about a pass file read without its configuration.
    PASSWORD_FILE = "CONFIG_0058": "ssh password file";
});

/// Every message of every area.
pub fn all() -> Vec<Msg> {
    [gen::ALL, pcmk::ALL, status::ALL, view::ALL, config::ALL].concat()
}

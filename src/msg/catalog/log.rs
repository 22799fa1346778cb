//! Messages of the `log` area: `pgrex log`. The converted lines (`LOG_01xx`) are
//! pm_logconv-cs's own English texts (`doc/conv-msg.md`), word for word where Pacemaker 2.1
//! still logs the event, so an operator who knows `pm_logconv.out` reads the same lines.

catalog!(log {
    CONV_COROSYNC_START = "LOG_0101": "Starting Corosync {version}.";
    CONV_PACEMAKER_START = "LOG_0102": "Starting Pacemaker {version}.";
    CONV_COROSYNC_STOPPING = "LOG_0103": "Corosync is shutting down.";
    CONV_COROSYNC_STOPPED = "LOG_0104": "Corosync shutdown complete.";
    CONV_PACEMAKER_STOPPING = "LOG_0105": "Pacemaker is shutting down.";
    CONV_PACEMAKER_STOPPED = "LOG_0106": "Pacemaker shutdown complete.";
    CONV_NODE_SHUTTING_DOWN = "LOG_0107": "Pacemaker on {node} is shutting down.";
    CONV_PROCESS_START = "LOG_0108": "Start \"{process}\" process. (pid={pid})";
    CONV_PROCESS_EXIT = "LOG_0109": "Managed \"{process}\" process exited. (pid={pid}, rc={rc})";
    CONV_PROCESS_SIGNAL = "LOG_0110": "Managed \"{process}\" process terminated with signal {signal}. (pid={pid})";
    CONV_PROCESS_STOP = "LOG_0111": "Stop \"{process}\" process normally. (pid={pid})";
    CONV_RESPAWN_EXCEEDED = "LOG_0112": "Respawn count exceeded by \"{process}\".";
    CONV_NODE_LOST = "LOG_0113": "Node {node} is lost";
    CONV_NODE_MEMBER = "LOG_0114": "Node {node} is member";
    CONV_DC_SET = "LOG_0115": "Set DC node to {node}.";
    CONV_DC_UNSET = "LOG_0116": "Unset DC node {node}.";
    CONV_RESOURCE_TRY = "LOG_0117": "Resource {resource} tries to {op}.";
    CONV_RESOURCE_OK = "LOG_0118": "Resource {resource} {done}. (rc=0) ok";
    CONV_RESOURCE_FAILED = "LOG_0119": "Resource {resource} failed to {op}. (rc={rc}) {result}";
    CONV_RESOURCE_TIMEOUT = "LOG_0120": "Resource {resource} failed to {op}. (Timed Out)";
    CONV_RESOURCE_NOT_RUNNING = "LOG_0121": "Resource {resource} does not work. (rc=7) not running";
    CONV_LINK_FAULTY = "LOG_0122": "Link number {link} to node {node} is FAULTY.";
    CONV_LINK_RECOVERED = "LOG_0123": "Link number {link} to node {node} is recovered.";
    CONV_NETWORK_UNREACHABLE = "LOG_0124": "Network to {target} is unreachable.";
    CONV_DISK_ERROR = "LOG_0125": "Disk connection to {target} is ERROR. (attr_name={attribute})";
    CONV_ATTRIBUTE_UPDATED = "LOG_0126": "Attribute \"{attribute}\" is updated to \"{value}\" at \"{node}\".";
    CONV_ATTRIBUTE_DELETED = "LOG_0127": "Attribute \"{attribute}\" is deleted at \"{node}\".";
    CONV_STONITH_TRY = "LOG_0128": "Try to STONITH ({action}) {target}.";
    CONV_STONITH_OK = "LOG_0129": "Succeeded to STONITH ({action}) {target} by {by}.";
    CONV_STONITH_FAILED = "LOG_0130": "Failed to STONITH ({action}) {target} by {by}.";
    CONV_STONITH_GAVE_UP = "LOG_0131": "Too many failures to STONITH {target}.";
    CONV_STONITH_DEVICE_TRY = "LOG_0132": "Try to execute STONITH device {device} on {by} for {action} {target}.";
    CONV_STONITH_DEVICE_OK = "LOG_0133": "Succeeded to execute STONITH device {device} for {target}.";
    CONV_STONITH_DEVICE_FAILED = "LOG_0134": "Failed to execute STONITH device {device} for {target}.";
    CONV_FAILOVER_START = "LOG_0135": "Start to fail-over.";
    CONV_FAILOVER_MOVE = "LOG_0136": "Resource {resource} : Move {from} -> {to}";
    CONV_FAILOVER_STARTED_ON = "LOG_0137": "Resource {resource} : Started on {node}";
    CONV_FAILOVER_STOPPED = "LOG_0138": "Resource {resource} : Stopped";
    CONV_FAILOVER_OK = "LOG_0139": "fail-over succeeded.";
    CONV_FAILOVER_FAILED = "LOG_0140": "fail-over failed.";
    BAD_TIME = "LOG_0001": "cannot read the time \"{value}\"";
    BAD_TIME_HINT = "LOG_0002": "give an RFC 3339 time (2026-12-01T08:30:00Z, 2026-12-01 08:30:00 in local time) or a duration back from now (30m, 2h, 1d)";
    INPUT_UNREADABLE = "LOG_0003": "cannot read the log file {file}";
    INPUT_HINT = "LOG_0004": "give a saved Pacemaker or Corosync log (pacemaker.log, ha-log, corosync.log, /var/log/messages, or `journalctl -o short-iso` output)";
    NO_LOGS = "LOG_0005": "found no Pacemaker or Corosync log on {node} (tried {tried}, and the systemd journal)";
    NO_LOGS_HINT = "LOG_0006": "set PCMK_logfile in /etc/sysconfig/pacemaker or /etc/default/pacemaker, or read a saved file with --input";
    PEER_UNREADABLE = "LOG_0007": "the other node's log was not read: {why}";
    READING = "LOG_0008": "reading {what} on {node}";
    WINDOW_EPISODE = "LOG_0009": "since {since}: the current fault episode (the first failure the cluster still shows); --since to change";
    WINDOW_HOUR = "LOG_0010": "since {since}: the last hour (the cluster shows no fault); --since to change";
    NOTHING = "LOG_0012": "no cluster event between {since} and {until}";
    /// Where a log was found (LOG_0008's `{what}`): Pacemaker's own detail log.
    PLACE_DETAIL = "LOG_0013": "Pacemaker's detail log";
    PLACE_COROSYNC_CONF = "LOG_0014": "corosync.conf logfile";
    PLACE_COROSYNC = "LOG_0015": "Corosync's logfile";
    PLACE_SYSLOG_COROSYNC = "LOG_0016": "syslog (Corosync)";
});

//! Messages of the `config` area.

// The configuration file (spec §1). Doc comments name the Perl message each text replaces
// (`lib/PGRex/Po/en.pm`), for operators who know the old tools.
catalog!(config {
    /// Perl COMMON_MS0024.
    UNREADABLE = "CONFIG_0001": "cannot read the configuration file";
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
    PASSFILE_UNREADABLE = "CONFIG_0021": "{key}: cannot read {path}";
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
    LOCAL_ADDRS_FAILED = "CONFIG_0056": "cannot list this host's network addresses";
    DURATION_TOO_LONG = "CONFIG_0057": "{key} is longer than {max}, found `{value}`";
    /// Stands for the key in errors about a pass file read without its configuration.
    PASSWORD_FILE = "CONFIG_0058": "ssh password file";
    KEEP_BAD = "CONFIG_0059": "{key} must be a whole number (0 = no limit), found `{value}`";
    KEEP_HINT = "CONFIG_0060": "write e.g. `{key} = {default}`; unfinished journals are kept whatever it says";
    BYTES_BAD = "CONFIG_0061": "{key} must be a number of bytes, found `{value}`";
    BYTES_HINT = "CONFIG_0062": "write e.g. `{key} = 0` (bytes of replay lag allowed; 0 = fully caught up)";
    REWIND_VIA_BAD = "CONFIG_0063": "REWIND_VIA_SSH_TUNNEL must be `auto`, `always` or `never`, found `{value}`";
    REWIND_VIA_HINT = "CONFIG_0064": "write `REWIND_VIA_SSH_TUNNEL = auto` (direct, else through an SSH tunnel when the primary refuses the direct connection), `always` (as the Perl tools) or `never`";
    PASSFILE_SYMLINK = "CONFIG_0065": "{key}: {path} is a symbolic link; it must name the password file itself";
    PASSFILE_SYMLINK_HINT = "CONFIG_0066": "set {key} to the real file (not the link), owned by root with mode 0600";
    PASSFILE_OWNER = "CONFIG_0067": "{key}: the file {path} is owned by uid {uid}; it must be owned by root (the user running pgrex)";
    PASSFILE_OWNER_HINT = "CONFIG_0068": "run `chown root:root {path}`, then check its mode is 0600";
});

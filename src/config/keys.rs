//! The key table: every key `/etc/pg-rex_tools.conf` may hold, with its default and an
//! example value for hints (spec §1.2, plus pgrex's new optional keys).
//!
//! Keys are case-sensitive. A key not in this table is ignored with a warning naming the
//! closest known key (the Perl tools ignored it silently).

/// One known key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Key {
    pub name: &'static str,
    /// The built-in default, when the key has one.
    pub default: Option<&'static str>,
    /// Must be present (spec §1.3 lists these six, in this order).
    pub required: bool,
    /// A value to show in hints.
    pub example: &'static str,
    /// New in pgrex (the Perl tools ignore it).
    pub new: bool,
}

const fn key(name: &'static str, example: &'static str) -> Key {
    Key {
        name,
        default: None,
        required: false,
        example,
        new: false,
    }
}
const fn required(name: &'static str, example: &'static str) -> Key {
    Key {
        name,
        default: None,
        required: true,
        example,
        new: false,
    }
}
const fn defaulted(name: &'static str, default: &'static str) -> Key {
    Key {
        name,
        default: Some(default),
        required: false,
        example: default,
        new: false,
    }
}
const fn new(name: &'static str, default: &'static str) -> Key {
    Key {
        name,
        default: Some(default),
        required: false,
        example: default,
        new: true,
    }
}

pub const ARCHIVE_DIR: &str = "Archive_dir";
pub const D_LAN: &str = "D_LAN_IPAddress";
pub const IC_LAN: &str = "IC_LAN_IPAddress";
pub const PRIMARY_ID: &str = "PG_REX_Primary_ResourceID";
pub const PRIMITIVE_ID: &str = "PG_REX_Primitive_ResourceID";
pub const HACLUSTER_NAME: &str = "HACLUSTER_NAME";
pub const STONITH: &str = "STONITH";
pub const IPADDR_STANDBY: &str = "IPADDR_STANDBY";
pub const PGPATH: &str = "PGPATH";
pub const PEER_MODE: &str = "PEER_NODE_SSH_PASS_MODE";
pub const PEER_FILE: &str = "PEER_NODE_SSH_PASS_FILE";
pub const BACKUP_MODE: &str = "BACKUP_NODE_SSH_PASS_MODE";
pub const BACKUP_FILE: &str = "BACKUP_NODE_SSH_PASS_FILE";
pub const VIP_PRIMARY_ID: &str = "IPADDR_PRIMARY_ResourceID";
pub const VIP_REPLICATION_ID: &str = "IPADDR_REPLICATION_ResourceID";
pub const VIP_STANDBY_ID: &str = "IPADDR_STANDBY_ResourceID";
pub const PING_ID: &str = "PING_ResourceID";
pub const STORAGE_MON_ID: &str = "STORAGE_MON_ResourceID";
pub const STONITH_ID: &str = "STONITH_ResourceID";
pub const NAMING_PROFILE: &str = "NAMING_PROFILE";
pub const START_TIMEOUT: &str = "START_TIMEOUT";
pub const STOP_TIMEOUT: &str = "STOP_TIMEOUT";
pub const SWITCHOVER_TIMEOUT: &str = "SWITCHOVER_TIMEOUT";
pub const MONITOR_INTERVAL: &str = "MONITOR_INTERVAL";
pub const MONITOR_DELAY: &str = "MONITOR_DELAY";
pub const JOURNAL_KEEP_DAYS: &str = "JOURNAL_KEEP_DAYS";
pub const JOURNAL_KEEP_COUNT: &str = "JOURNAL_KEEP_COUNT";
pub const SWITCHOVER_MAX_LAG: &str = "SWITCHOVER_MAX_LAG";
pub const REWIND_VIA_SSH_TUNNEL: &str = "REWIND_VIA_SSH_TUNNEL";
pub const SSH_COMMAND_TIMEOUT: &str = "SSH_COMMAND_TIMEOUT";
pub const RECOVER_WAIT_TIMEOUT: &str = "RECOVER_WAIT_TIMEOUT";

/// Every known key, required ones first in the order they are checked (spec §1.3).
pub const KEYS: &[Key] = &[
    required(ARCHIVE_DIR, "/var/lib/pgsql/archive"),
    required(D_LAN, "192.168.2.1 , 192.168.2.2"),
    required(PRIMARY_ID, "pgsql-clone"),
    required(PRIMITIVE_ID, "pgsql"),
    required(IC_LAN, "(192.168.1.1, 192.168.1.2)"),
    required(HACLUSTER_NAME, "pgrex_cluster"),
    defaulted(STONITH, "enable"),
    defaulted(IPADDR_STANDBY, "enable"),
    key(PGPATH, "/usr/pgsql-17/bin"),
    defaulted(PEER_MODE, "manual"),
    key(PEER_FILE, "/root/.pgrex_peer_pass"),
    defaulted(BACKUP_MODE, "manual"),
    key(BACKUP_FILE, "/root/.pgrex_backup_pass"),
    key(VIP_PRIMARY_ID, "ipaddr-primary"),
    key(VIP_REPLICATION_ID, "ipaddr-replication"),
    key(VIP_STANDBY_ID, "ipaddr-standby"),
    key(PING_ID, "ping-clone"),
    key(STORAGE_MON_ID, "storage-mon-clone"),
    key(STONITH_ID, "fence1-ipmilan , fence2-ipmilan"),
    new(NAMING_PROFILE, "auto"),
    new(START_TIMEOUT, "300"),
    new(STOP_TIMEOUT, "300"),
    new(SWITCHOVER_TIMEOUT, "300"),
    new(MONITOR_INTERVAL, "2"),
    new(MONITOR_DELAY, "10"),
    new(JOURNAL_KEEP_DAYS, "90"),
    new(JOURNAL_KEEP_COUNT, "100"),
    new(SWITCHOVER_MAX_LAG, "0"),
    new(REWIND_VIA_SSH_TUNNEL, "auto"),
    new(SSH_COMMAND_TIMEOUT, "600"),
    new(RECOVER_WAIT_TIMEOUT, "600"),
];

/// The table entry of a known key.
pub fn lookup(name: &str) -> Option<&'static Key> {
    KEYS.iter().find(|k| k.name == name)
}

/// The example value shown in hints for `name`.
pub fn example(name: &str) -> &'static str {
    lookup(name).map_or("...", |k| k.example)
}

/// The closest known key to an unknown `name`, if one is close enough to be a typo.
pub fn suggest(name: &str) -> Option<&'static str> {
    let lower = name.to_ascii_lowercase();
    KEYS.iter()
        .map(|k| {
            (
                k.name,
                strsim::normalized_damerau_levenshtein(&lower, &k.name.to_ascii_lowercase()),
            )
        })
        .filter(|(_, score)| *score >= 0.7)
        .max_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(n, _)| n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_keys_in_perl_order() {
        let req: Vec<_> = KEYS.iter().filter(|k| k.required).map(|k| k.name).collect();
        assert_eq!(
            req,
            [
                ARCHIVE_DIR,
                D_LAN,
                PRIMARY_ID,
                PRIMITIVE_ID,
                IC_LAN,
                HACLUSTER_NAME
            ]
        );
    }

    #[test]
    fn names_are_unique() {
        let mut names: Vec<_> = KEYS.iter().map(|k| k.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), KEYS.len());
    }

    #[test]
    fn manual_typo_gets_the_right_suggestion() {
        assert_eq!(suggest("STORAGE_MON_ResouceID"), Some(STORAGE_MON_ID));
        assert_eq!(suggest("archive_dir"), Some(ARCHIVE_DIR));
        assert_eq!(suggest("D_LAN_IPADDRESS"), Some(D_LAN));
        assert_eq!(suggest("IC_LAN_IPAdress"), Some(IC_LAN));
        assert_eq!(suggest("START_TIMOUT"), Some(START_TIMEOUT));
        assert_eq!(suggest("PEER_NODE_SSH_PASS_FIEL"), Some(PEER_FILE));
    }

    #[test]
    fn unrelated_keys_get_no_suggestion() {
        assert_eq!(suggest("FOO"), None);
        assert_eq!(suggest("LISTEN_ADDRESSES"), None);
    }

    #[test]
    fn defaults_match_the_spec() {
        let d = |n| lookup(n).unwrap().default;
        assert_eq!(d(STONITH), Some("enable"));
        assert_eq!(d(IPADDR_STANDBY), Some("enable"));
        assert_eq!(d(PEER_MODE), Some("manual"));
        assert_eq!(d(BACKUP_MODE), Some("manual"));
        assert_eq!(d(PGPATH), None);
        assert_eq!(d(START_TIMEOUT), Some("300"));
        assert_eq!(d(MONITOR_INTERVAL), Some("2"));
        assert_eq!(d(MONITOR_DELAY), Some("10"));
    }
}

//! Whole-file tests of [`super::parse`] and [`super::load`]: the rules of spec §1 end to end,
//! the validation order of §1.3, and the shipped fixtures under `tests/fixtures/config/`.
//! The pieces (lexer, addresses, pass files, timeouts) have their own tests beside them.

mod checks;
mod fixtures;
mod lines;
mod order;
mod robustness;

use super::*;
use crate::profile::Profile;
use pretty_assertions::assert_eq;
use std::os::unix::fs::PermissionsExt;

pub(super) fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

/// pm01 of the lab: its D-LAN and both IC-LAN addresses.
pub(super) fn pm01() -> Vec<IpAddr> {
    [
        "127.0.0.1",
        "198.51.100.11",
        "203.0.113.11",
        "203.0.113.139",
    ]
    .map(ip)
    .to_vec()
}

pub(super) const GOOD: &str = "\
D_LAN_IPAddress = 198.51.100.11 , 198.51.100.12
IC_LAN_IPAddress = (203.0.113.11, 203.0.113.12) , (203.0.113.139, 203.0.113.140)
Archive_dir = /var/lib/pgsql/archive
PG_REX_Primary_ResourceID = pgsql-clone
PG_REX_Primitive_ResourceID = pgsql
HACLUSTER_NAME = pgrex_cluster
";

pub(super) fn path() -> &'static Path {
    Path::new("/etc/pg-rex_tools.conf")
}

pub(super) fn ok(text: &str) -> Config {
    parse(text, path(), &pm01()).unwrap_or_else(|e| panic!("{e} ({:?})", e.hint()))
}

/// (line, key, message, hint) of a config error.
pub(super) fn err(text: &str) -> (usize, Option<String>, String, String) {
    err_with(text, &pm01())
}

pub(super) fn err_with(text: &str, local: &[IpAddr]) -> (usize, Option<String>, String, String) {
    match parse(text, path(), local) {
        Ok(_) => panic!("expected an error for:\n{text}"),
        Err(Error::Config {
            file,
            line,
            key,
            message,
            hint,
            ..
        }) => {
            assert_eq!(file, path());
            (
                line,
                key,
                message,
                hint.expect("every config error has a hint"),
            )
        }
        Err(e) => panic!("not a config error: {e:?}"),
    }
}

#[test]
fn minimal_file_and_defaults() {
    let c = ok(GOOD);
    assert_eq!(c.path, path());
    assert_eq!(c.archive_dir, PathBuf::from("/var/lib/pgsql/archive"));
    assert_eq!(
        c.d_lan,
        DLan {
            mine: ip("198.51.100.11"),
            peer: ip("198.51.100.12")
        }
    );
    assert_eq!(
        c.ic_lan,
        vec![
            IcPair {
                mine: ip("203.0.113.11"),
                peer: ip("203.0.113.12")
            },
            IcPair {
                mine: ip("203.0.113.139"),
                peer: ip("203.0.113.140")
            },
        ]
    );
    assert!(c.ipaddr_standby);
    assert_eq!(c.pgpath, None);
    assert_eq!(c.peer_ssh, SshPassMode::Manual);
    assert_eq!(c.backup_ssh, SshPassMode::Manual);
    assert_eq!(c.hacluster_name, "pgrex_cluster");
    assert_eq!(
        c.explicit_ids,
        ExplicitIds {
            promotable: Some("pgsql-clone".into()),
            primitive: Some("pgsql".into()),
            ..Default::default()
        }
    );
    assert_eq!(c.naming_profile, None);
    assert_eq!(c.timeouts, Timeouts::default());
    assert_eq!(c.warnings, vec![]);
}

#[test]
fn the_peer_side_sees_it_the_other_way() {
    let pm02 = ["198.51.100.12", "203.0.113.12", "203.0.113.140"].map(ip);
    let c = parse(GOOD, path(), &pm02).unwrap();
    assert_eq!(
        c.d_lan,
        DLan {
            mine: ip("198.51.100.12"),
            peer: ip("198.51.100.11")
        }
    );
    assert_eq!(
        c.ic_lan[1],
        IcPair {
            mine: ip("203.0.113.140"),
            peer: ip("203.0.113.139")
        }
    );
}

#[test]
fn one_ring() {
    let text = GOOD.replace(
        "(203.0.113.11, 203.0.113.12) , (203.0.113.139, 203.0.113.140)",
        "( 203.0.113.12 ,203.0.113.11 )",
    );
    let c = ok(&text);
    assert_eq!(
        c.ic_lan,
        vec![IcPair {
            mine: ip("203.0.113.11"),
            peer: ip("203.0.113.12")
        }]
    );
}

#[test]
fn every_optional_key() {
    let dir = tempfile::tempdir().unwrap();
    let pass = dir.path().join("peer_pass");
    std::fs::write(&pass, "pw\n").unwrap();
    std::fs::set_permissions(&pass, std::fs::Permissions::from_mode(0o600)).unwrap();
    let text = format!(
        "{GOOD}STONITH = enable\nIPADDR_STANDBY = enable\nPGPATH = /usr/pgsql-17/bin\n\
         PEER_NODE_SSH_PASS_MODE = passfile\nPEER_NODE_SSH_PASS_FILE = {}\n\
         BACKUP_NODE_SSH_PASS_MODE = nopass\nBACKUP_NODE_SSH_PASS_FILE = relative/ignored\n\
         IPADDR_PRIMARY_ResourceID = ipaddr-primary\nIPADDR_REPLICATION_ResourceID = ipaddr-replication\n\
         IPADDR_STANDBY_ResourceID = ipaddr-standby\nPING_ResourceID = ping-clone , ping2-clone\n\
         STORAGE_MON_ResourceID = storage-mon-clone\nSTONITH_ResourceID = fence1-ipmilan , fence2-ipmilan\n\
         NAMING_PROFILE = seed\nSTART_TIMEOUT = 600\nSTOP_TIMEOUT = 2min\nSWITCHOVER_TIMEOUT = 400\n\
         MONITOR_INTERVAL = 3\nMONITOR_DELAY = 12\n\
         JOURNAL_KEEP_DAYS = 7\nJOURNAL_KEEP_COUNT = 0\n",
        pass.display()
    );
    let c = ok(&text);
    assert_eq!(c.pgpath, Some(PathBuf::from("/usr/pgsql-17/bin")));
    assert_eq!(c.peer_ssh, SshPassMode::Passfile(pass.clone()));
    // A pass file is ignored unless its mode is `passfile`, as in Perl.
    assert_eq!(c.backup_ssh, SshPassMode::Nopass);
    let s = |v: &str| Some(v.to_string());
    assert_eq!(
        c.explicit_ids,
        ExplicitIds {
            promotable: s("pgsql-clone"),
            primitive: s("pgsql"),
            vip_primary: s("ipaddr-primary"),
            vip_replication: s("ipaddr-replication"),
            vip_standby: Some(s("ipaddr-standby")),
            ping: Some(vec!["ping-clone".into(), "ping2-clone".into()]),
            disk: Some(vec!["storage-mon-clone".into()]),
            stonith: Some(vec!["fence1-ipmilan".into(), "fence2-ipmilan".into()]),
        }
    );
    assert_eq!(c.naming_profile, Some(ProfileChoice::Fixed(Profile::Seed)));
    assert_eq!(c.timeouts.start.as_secs(), 600);
    assert_eq!(c.timeouts.stop.as_secs(), 120);
    assert_eq!(c.timeouts.switchover.as_secs(), 400);
    assert_eq!(c.timeouts.monitor_interval.as_secs(), 3);
    assert_eq!(c.timeouts.monitor_delay.as_secs(), 12);
    assert_eq!(c.journal_keep, JournalKeep { days: 7, count: 0 });
    assert_eq!(ok(GOOD).journal_keep, JournalKeep::default());
    assert!(!format!("{c:?}").contains("pw\n"));
}

#[test]
fn ipaddr_standby_disable_forces_the_standby_vip_off() {
    let c = ok(&format!(
        "{GOOD}IPADDR_STANDBY = disable\nIPADDR_STANDBY_ResourceID = ipaddr-standby\n"
    ));
    assert!(!c.ipaddr_standby);
    assert_eq!(c.explicit_ids.vip_standby, Some(None));
    assert_eq!(c.names([]).vip_standby, None);
}

#[test]
fn names_resolution_order() {
    // Explicit ids win; the profile fills the rest; detection only when nothing is fixed.
    let c = ok(GOOD);
    let n = c.names(["msPostgresql", "vip-master"]);
    assert_eq!((n.profile, n.profile_source), (Profile::Seed, "detected"));
    assert_eq!(n.promotable, "pgsql-clone");
    assert_eq!(n.vip_primary.as_deref(), Some("vip-master"));

    let c = ok(&format!("{GOOD}NAMING_PROFILE = pgrex17\n"));
    let n = c.names(["msPostgresql", "vip-master"]);
    assert_eq!((n.profile, n.profile_source), (Profile::Pgrex17, "config"));
    assert_eq!(n.vip_primary.as_deref(), Some("ipaddr-primary"));

    let n = c.names_with(Some(ProfileChoice::Fixed(Profile::Seed)), []);
    assert_eq!((n.profile, n.profile_source), (Profile::Seed, "flag"));
    assert_eq!(n.ping_attr, "default_ping_set");

    let c = ok(&format!(
        "{GOOD}NAMING_PROFILE = auto\nIPADDR_PRIMARY_ResourceID = my-vip\n"
    ));
    assert_eq!(c.naming_profile, Some(ProfileChoice::Auto));
    let n = c.names(["pgsql-clone"]);
    assert_eq!(
        (n.profile, n.profile_source),
        (Profile::Pgrex17, "detected")
    );
    assert_eq!(n.vip_primary.as_deref(), Some("my-vip"));
}

//! Whole-file tests of [`super::parse`] and [`super::load`]: the rules of spec §1 end to end,
//! the validation order of §1.3, and the shipped fixtures under `tests/fixtures/config/`.

use super::*;
use crate::profile::Profile;
use pretty_assertions::assert_eq;
use std::os::unix::fs::PermissionsExt;

fn ip(s: &str) -> IpAddr {
    s.parse().unwrap()
}

/// pm01 of the lab: its D-LAN and both IC-LAN addresses.
fn pm01() -> Vec<IpAddr> {
    [
        "127.0.0.1",
        "198.51.100.11",
        "203.0.113.11",
        "203.0.113.139",
    ]
    .map(ip)
    .to_vec()
}

const GOOD: &str = "\
D_LAN_IPAddress = 198.51.100.11 , 198.51.100.12
IC_LAN_IPAddress = (203.0.113.11, 203.0.113.12) , (203.0.113.139, 203.0.113.140)
Archive_dir = /var/lib/pgsql/archive
PG_REX_Primary_ResourceID = pgsql-clone
PG_REX_Primitive_ResourceID = pgsql
HACLUSTER_NAME = pgrex_cluster
";

fn path() -> &'static Path {
    Path::new("/etc/pg-rex_tools.conf")
}

fn ok(text: &str) -> Config {
    parse(text, path(), &pm01()).unwrap_or_else(|e| panic!("{e} ({:?})", e.hint()))
}

/// (line, key, message, hint) of a config error.
fn err(text: &str) -> (usize, Option<String>, String, String) {
    err_with(text, &pm01())
}

fn err_with(text: &str, local: &[IpAddr]) -> (usize, Option<String>, String, String) {
    match parse(text, path(), local) {
        Ok(_) => panic!("expected an error for:\n{text}"),
        Err(Error::Config {
            file,
            line,
            key,
            message,
            hint,
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
    assert_eq!(c.peer_ssh, SshAuth::Manual);
    assert_eq!(c.backup_ssh, SshAuth::Manual);
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
         MONITOR_INTERVAL = 3\nMONITOR_DELAY = 12\n",
        pass.display()
    );
    let c = ok(&text);
    assert_eq!(c.pgpath, Some(PathBuf::from("/usr/pgsql-17/bin")));
    assert_eq!(c.peer_ssh, SshAuth::Passfile(pass.clone()));
    // A pass file is ignored unless its mode is `passfile`, as in Perl.
    assert_eq!(c.backup_ssh, SshAuth::Nopass);
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

// ---- line rules, end to end ----

#[test]
fn full_width_spaces_and_trailing_u3000() {
    let text = GOOD
        .replace(
            "Archive_dir = /var/lib/pgsql/archive",
            "\u{3000}Archive_dir\u{3000}=\u{3000}/var/lib/pgsql/archive\u{3000}",
        )
        .replace(
            "198.51.100.11 , 198.51.100.12",
            "198.51.100.11\u{3000},\u{3000}198.51.100.12\u{3000}",
        );
    let c = ok(&text);
    // Perl would have kept a trailing space: "/var/lib/pgsql/archive ".
    assert_eq!(c.archive_dir, PathBuf::from("/var/lib/pgsql/archive"));
    assert_eq!(c.d_lan.peer, ip("198.51.100.12"));
}

#[test]
fn split_at_the_first_equals_sign() {
    // Perl's greedy key would read key `HACLUSTER_NAME=pg`, value `rex`.
    let (line, key, msg, _) =
        err(&GOOD.replace("HACLUSTER_NAME = pgrex_cluster", "HACLUSTER_NAME=pg=rex"));
    assert_eq!((line, key.as_deref()), (6, Some("HACLUSTER_NAME")));
    assert!(
        msg.starts_with("HACLUSTER_NAME `pg=rex` is invalid"),
        "{msg}"
    );
}

#[test]
fn comments_and_blank_lines() {
    let text = format!(
        "# header\n\n   # indented comment\n{}",
        GOOD.replace("pgsql-clone", "pgsql-clone # the clone")
    );
    assert_eq!(
        ok(&text).explicit_ids.promotable.as_deref(),
        Some("pgsql-clone")
    );
}

#[test]
fn later_occurrence_overrides_with_a_warning() {
    let c = ok(&format!("{GOOD}HACLUSTER_NAME = second\n"));
    assert_eq!(c.hacluster_name, "second");
    assert_eq!(c.warnings.len(), 1);
    assert_eq!(c.warnings[0].line, 7);
    assert_eq!(
        c.warnings[0].message,
        "HACLUSTER_NAME is set again; this line overrides line 6"
    );
}

#[test]
fn empty_value_is_absent_and_does_not_clear() {
    // An empty later line leaves the earlier value in place (Perl's regex needs `.+`).
    let c = ok(&format!("{GOOD}HACLUSTER_NAME =\nPGPATH =   # unset\n"));
    assert_eq!(c.hacluster_name, "pgrex_cluster");
    assert_eq!(c.pgpath, None);
    // An empty required key is missing, and the hint points at its line.
    let (line, key, msg, hint) = err(&GOOD.replace(
        "Archive_dir = /var/lib/pgsql/archive",
        "Archive_dir =    # TODO",
    ));
    assert_eq!((line, key.as_deref()), (0, Some("Archive_dir")));
    assert_eq!(msg, "required key Archive_dir is not set");
    assert_eq!(
        hint,
        "line 3 leaves Archive_dir empty, and an empty value counts as unset: write `Archive_dir = /var/lib/pgsql/archive`"
    );
}

#[test]
fn case_sensitive_keys() {
    let text = GOOD.replace("Archive_dir", "ARCHIVE_DIR");
    let (_, key, msg, hint) = err(&text);
    assert_eq!(key.as_deref(), Some("Archive_dir"));
    assert_eq!(msg, "required key Archive_dir is not set");
    assert_eq!(
        hint,
        "line 3 sets `ARCHIVE_DIR`, which is not a known key (keys are case-sensitive): write `Archive_dir = /var/lib/pgsql/archive`"
    );
}

#[test]
fn unknown_keys_warn_with_the_closest_key() {
    let c = ok(&format!(
        "{GOOD}STORAGE_MON_ResouceID = storage-mon-clone\nLISTEN = *\nSTART_TIMOUT =\n"
    ));
    let got: Vec<_> = c
        .warnings
        .iter()
        .map(|w| (w.line, w.key.as_deref(), w.suggestion, w.message.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                7,
                Some("STORAGE_MON_ResouceID"),
                Some("STORAGE_MON_ResourceID"),
                "unknown key STORAGE_MON_ResouceID is ignored; did you mean STORAGE_MON_ResourceID?"
            ),
            (8, Some("LISTEN"), None, "unknown key LISTEN is ignored"),
            (9, Some("START_TIMOUT"), Some("START_TIMEOUT"), "unknown key START_TIMOUT is ignored; did you mean START_TIMEOUT?"),
        ]
    );
    // The misspelt key is ignored, as by the Perl tools.
    assert_eq!(c.explicit_ids.disk, None);
    assert_eq!(
        c.warnings[0].to_string(),
        "/etc/pg-rex_tools.conf:7: warning: unknown key STORAGE_MON_ResouceID is ignored; did you mean STORAGE_MON_ResourceID?"
    );
}

#[test]
fn stray_lines_warn() {
    let c = ok(&format!("PGREX\n{GOOD}"));
    assert_eq!(c.warnings.len(), 1);
    assert_eq!(
        (c.warnings[0].line, c.warnings[0].message.as_str()),
        (1, "line is not `KEY = value` and is ignored: `PGREX`")
    );
}

// ---- each check ----

#[test]
fn archive_dir_must_be_absolute() {
    let (line, key, msg, hint) =
        err(&GOOD.replace("= /var/lib/pgsql/archive", "= var/lib/pgsql/archive"));
    assert_eq!((line, key.as_deref()), (3, Some("Archive_dir")));
    assert_eq!(
        msg,
        "Archive_dir must be an absolute path (starting with `/`), found `var/lib/pgsql/archive`"
    );
    assert_eq!(
        hint,
        "write the full path, e.g. `Archive_dir = /var/lib/pgsql/archive`"
    );
}

#[test]
fn stonith_must_be_enable() {
    let (line, key, msg, _) = err(&format!("{GOOD}STONITH = disable\n"));
    assert_eq!((line, key.as_deref()), (7, Some("STONITH")));
    assert_eq!(
        msg,
        "STONITH must be `enable`, found `disable`: PG-REX requires fencing"
    );
}

#[test]
fn ipaddr_standby_values() {
    let (_, key, msg, _) = err(&format!("{GOOD}IPADDR_STANDBY = Enable\n"));
    assert_eq!(key.as_deref(), Some("IPADDR_STANDBY"));
    assert_eq!(
        msg,
        "IPADDR_STANDBY must be `enable` or `disable`, found `Enable`"
    );
}

#[test]
fn pass_modes() {
    for key in ["PEER_NODE_SSH_PASS_MODE", "BACKUP_NODE_SSH_PASS_MODE"] {
        let (line, k, msg, hint) = err(&format!("{GOOD}{key} = password\n"));
        assert_eq!((line, k.as_deref()), (7, Some(key)));
        assert_eq!(
            msg,
            format!("{key} must be `manual`, `passfile` or `nopass`, found `password`")
        );
        assert!(hint.contains(&key.replace("MODE", "FILE")), "{hint}");
    }
}

#[test]
fn passfile_checks_through_the_config() {
    let dir = tempfile::tempdir().unwrap();
    let pass = dir.path().join("backup_pass");
    std::fs::write(&pass, "pw\n").unwrap();
    let base = format!("{GOOD}BACKUP_NODE_SSH_PASS_MODE = passfile\n");
    let (line, key, msg, _) = err(&base);
    assert_eq!(
        (line, key.as_deref()),
        (0, Some("BACKUP_NODE_SSH_PASS_FILE"))
    );
    assert_eq!(
        msg,
        "BACKUP_NODE_SSH_PASS_MODE is `passfile`, but BACKUP_NODE_SSH_PASS_FILE is not set"
    );

    let with_file = format!("{base}BACKUP_NODE_SSH_PASS_FILE = {}\n", pass.display());
    std::fs::set_permissions(&pass, std::fs::Permissions::from_mode(0o644)).unwrap();
    let (line, _, msg, hint) = err(&with_file);
    assert_eq!(line, 8);
    assert!(
        msg.ends_with("has mode 0644; it must be exactly 0600"),
        "{msg}"
    );
    assert_eq!(hint, format!("run `chmod 600 {}`", pass.display()));

    std::fs::set_permissions(&pass, std::fs::Permissions::from_mode(0o600)).unwrap();
    let c = ok(&with_file);
    assert_eq!(c.backup_ssh, SshAuth::Passfile(pass.clone()));
    use secrecy::ExposeSecret;
    assert_eq!(c.backup_password().unwrap().unwrap().expose_secret(), "pw");
    assert!(c.peer_password().unwrap().is_none());

    // Emptied after the load: the error names the config file and the key.
    std::fs::write(&pass, "\n").unwrap();
    let e = c.backup_password().unwrap_err();
    let Error::Config { file, key, .. } = &e else {
        panic!("{e:?}")
    };
    assert_eq!(
        (file.as_path(), key.as_deref()),
        (path(), Some("BACKUP_NODE_SSH_PASS_FILE"))
    );
}

#[test]
fn stonith_ids_must_be_two() {
    for (value, count) in [("fence1", 1), ("a , b , c", 3)] {
        let (line, key, msg, _) = err(&format!("{GOOD}STONITH_ResourceID = {value}\n"));
        assert_eq!((line, key.as_deref()), (7, Some("STONITH_ResourceID")));
        assert_eq!(
            msg,
            format!("STONITH_ResourceID must list exactly 2 fencing resource ids, found {count}")
        );
    }
    let (_, _, msg, _) = err(&format!("{GOOD}STONITH_ResourceID = , b\n"));
    assert_eq!(msg, "STONITH_ResourceID has an empty entry in `, b`");
    // Absent: nothing to check, every fencing resource is considered.
    assert_eq!(ok(GOOD).explicit_ids.stonith, None);
}

#[test]
fn lists_with_empty_entries() {
    let (line, key, msg, hint) = err(&format!("{GOOD}PING_ResourceID = ping-clone , , ping2\n"));
    assert_eq!((line, key.as_deref()), (7, Some("PING_ResourceID")));
    assert_eq!(
        msg,
        "PING_ResourceID has an empty entry in `ping-clone , , ping2`"
    );
    assert_eq!(
        hint,
        "separate the ids with single commas: `PING_ResourceID = ping-clone`"
    );
    // A trailing comma is dropped, as Perl's split does.
    assert_eq!(
        ok(&format!("{GOOD}STORAGE_MON_ResourceID = a,b,\n"))
            .explicit_ids
            .disk,
        Some(vec!["a".into(), "b".into()])
    );
}

#[test]
fn dlan_errors_name_line_and_fix() {
    let (line, key, msg, hint) = err(&GOOD.replace(
        "198.51.100.11 , 198.51.100.12",
        "198.51.100.11 , 198.51.100.12 , 198.51.100.13",
    ));
    assert_eq!((line, key.as_deref()), (1, Some("D_LAN_IPAddress")));
    assert_eq!(
        msg,
        "D_LAN_IPAddress must list exactly 2 addresses, found 3"
    );
    assert_eq!(
        hint,
        "write both nodes' D-LAN addresses: `D_LAN_IPAddress = 192.168.2.1 , 192.168.2.2`"
    );
}

#[test]
fn dlan_none_local_and_both_local() {
    let (line, _, msg, hint) = err_with(
        GOOD,
        &[ip("127.0.0.1"), ip("203.0.113.11"), ip("203.0.113.139")],
    );
    assert_eq!(line, 1);
    assert_eq!(
        msg,
        "D_LAN_IPAddress: none of `198.51.100.11 , 198.51.100.12` is an address of this host"
    );
    assert!(
        hint.ends_with("(this host has 203.0.113.11, 203.0.113.139)"),
        "{hint}"
    );
    let mut both = pm01();
    both.push(ip("198.51.100.12"));
    let (_, _, msg, _) = err_with(GOOD, &both);
    assert_eq!(msg, "D_LAN_IPAddress: every address of `198.51.100.11 , 198.51.100.12` is on this host, so none is the peer's");
}

#[test]
fn ic_rings_local_checks() {
    let (line, key, msg, _) = err_with(GOOD, &["198.51.100.11", "203.0.113.139"].map(ip));
    assert_eq!((line, key.as_deref()), (2, Some("IC_LAN_IPAddress")));
    assert_eq!(
        msg,
        "IC_LAN_IPAddress: none of `(203.0.113.11, 203.0.113.12)` is an address of this host"
    );
    let (_, _, msg, _) = err_with(
        GOOD,
        &[
            "198.51.100.11",
            "203.0.113.11",
            "203.0.113.139",
            "203.0.113.140",
        ]
        .map(ip),
    );
    assert_eq!(msg, "IC_LAN_IPAddress: every address of `(203.0.113.139, 203.0.113.140)` is on this host, so none is the peer's");
}

#[test]
fn ic_malformed_through_the_config() {
    let (line, key, msg, _) = err(&GOOD.replace(
        "(203.0.113.11, 203.0.113.12) , (203.0.113.139, 203.0.113.140)",
        "203.0.113.11, 203.0.113.12",
    ));
    assert_eq!((line, key.as_deref()), (2, Some("IC_LAN_IPAddress")));
    assert_eq!(msg, "IC_LAN_IPAddress must be one or two parenthesised address pairs, found `203.0.113.11, 203.0.113.12`");
    let (_, _, msg, _) = err(&GOOD.replace("(203.0.113.139, 203.0.113.140)", "(203.0.113.139)"));
    assert_eq!(
        msg,
        "IC_LAN_IPAddress ring 2 `(203.0.113.139)` must hold exactly 2 addresses, found 1"
    );
}

#[test]
fn hacluster_name_regex() {
    for good in ["pgrex_cluster", "_x", "a-b", "1abc", "A", "a--", "x_-_y"] {
        let c = ok(&GOOD.replace("= pgrex_cluster", &format!("= {good}")));
        assert_eq!(c.hacluster_name, good);
    }
    for bad in ["-a", "a b", "a.b", "クラスタ", "a!", "a/b"] {
        let (line, key, msg, hint) = err(&GOOD.replace("= pgrex_cluster", &format!("= {bad}")));
        assert_eq!((line, key.as_deref()), (6, Some("HACLUSTER_NAME")), "{bad}");
        assert!(
            msg.starts_with(&format!("HACLUSTER_NAME `{bad}` is invalid")),
            "{msg}"
        );
        assert_eq!(hint, "write e.g. `HACLUSTER_NAME = pgrex_cluster`");
    }
}

#[test]
fn naming_profile_values() {
    for (v, want) in [
        ("seed", ProfileChoice::Fixed(Profile::Seed)),
        ("pgrex17", ProfileChoice::Fixed(Profile::Pgrex17)),
        ("auto", ProfileChoice::Auto),
    ] {
        assert_eq!(
            ok(&format!("{GOOD}NAMING_PROFILE = {v}\n")).naming_profile,
            Some(want)
        );
    }
    let (line, key, msg, _) = err(&format!("{GOOD}NAMING_PROFILE = pcmk2\n"));
    assert_eq!((line, key.as_deref()), (7, Some("NAMING_PROFILE")));
    assert_eq!(
        msg,
        "NAMING_PROFILE must be `seed`, `pgrex17` or `auto`, found `pcmk2`"
    );
}

// ---- the order of §1.3 ----

/// A settings list that can be broken one way at a time.
struct Draft {
    lines: Vec<(String, String)>,
    local: Vec<IpAddr>,
}

impl Draft {
    fn good() -> Draft {
        let lines = GOOD
            .lines()
            .map(|l| {
                let (k, v) = l.split_once(" = ").unwrap();
                (k.to_string(), v.to_string())
            })
            .collect();
        Draft {
            lines,
            local: pm01(),
        }
    }
    fn set(&mut self, k: &str, v: &str) {
        self.lines.retain(|(key, _)| key != k);
        self.lines.push((k.into(), v.into()));
    }
    fn remove(&mut self, k: &str) {
        self.lines.retain(|(key, _)| key != k);
    }
    fn text(&self) -> String {
        self.lines
            .iter()
            .map(|(k, v)| format!("{k} = {v}\n"))
            .collect()
    }
}

type Fault = (&'static str, &'static str, fn(&mut Draft));

/// Spec §1.3, in order, then pgrex's own checks: (key the error names, start of message,
/// how to cause it).
const FAULTS: &[Fault] = &[
    ("Archive_dir", "required key Archive_dir", |d| {
        d.remove("Archive_dir")
    }),
    ("D_LAN_IPAddress", "required key D_LAN_IPAddress", |d| {
        d.remove("D_LAN_IPAddress")
    }),
    (
        "PG_REX_Primary_ResourceID",
        "required key PG_REX_Primary",
        |d| d.remove("PG_REX_Primary_ResourceID"),
    ),
    (
        "PG_REX_Primitive_ResourceID",
        "required key PG_REX_Primitive",
        |d| d.remove("PG_REX_Primitive_ResourceID"),
    ),
    ("IC_LAN_IPAddress", "required key IC_LAN_IPAddress", |d| {
        d.remove("IC_LAN_IPAddress")
    }),
    ("HACLUSTER_NAME", "required key HACLUSTER_NAME", |d| {
        d.remove("HACLUSTER_NAME")
    }),
    ("Archive_dir", "Archive_dir must be an absolute path", |d| {
        d.set("Archive_dir", "archive")
    }),
    ("STONITH", "STONITH must be `enable`", |d| {
        d.set("STONITH", "disable")
    }),
    ("IPADDR_STANDBY", "IPADDR_STANDBY must be", |d| {
        d.set("IPADDR_STANDBY", "on")
    }),
    (
        "PEER_NODE_SSH_PASS_MODE",
        "PEER_NODE_SSH_PASS_MODE must be",
        |d| d.set("PEER_NODE_SSH_PASS_MODE", "x"),
    ),
    (
        "BACKUP_NODE_SSH_PASS_MODE",
        "BACKUP_NODE_SSH_PASS_MODE must be",
        |d| d.set("BACKUP_NODE_SSH_PASS_MODE", "x"),
    ),
    (
        "PEER_NODE_SSH_PASS_FILE",
        "PEER_NODE_SSH_PASS_MODE is `passfile`",
        |d| d.set("PEER_NODE_SSH_PASS_MODE", "passfile"),
    ),
    (
        "BACKUP_NODE_SSH_PASS_FILE",
        "BACKUP_NODE_SSH_PASS_FILE must be an absolute",
        |d| {
            d.set("BACKUP_NODE_SSH_PASS_MODE", "passfile");
            d.set("BACKUP_NODE_SSH_PASS_FILE", "pass");
        },
    ),
    (
        "STONITH_ResourceID",
        "STONITH_ResourceID must list exactly 2",
        |d| d.set("STONITH_ResourceID", "a, b, c"),
    ),
    (
        "D_LAN_IPAddress",
        "D_LAN_IPAddress must list exactly 2",
        |d| d.set("D_LAN_IPAddress", "198.51.100.11"),
    ),
    (
        "IC_LAN_IPAddress",
        "IC_LAN_IPAddress must be one or two",
        |d| d.set("IC_LAN_IPAddress", "(a, b), (c, d), (e, f)"),
    ),
    ("IC_LAN_IPAddress", "IC_LAN_IPAddress ring 1", |d| {
        d.set(
            "IC_LAN_IPAddress",
            "(203.0.113.11, 203.0.113.12, 203.0.113.13) , (203.0.113.139, 203.0.113.140)",
        )
    }),
    ("", "no IP address found", |d| d.local.clear()),
    ("D_LAN_IPAddress", "D_LAN_IPAddress: none of", |d| {
        d.set("D_LAN_IPAddress", "198.51.100.21, 198.51.100.22")
    }),
    (
        "IC_LAN_IPAddress",
        "IC_LAN_IPAddress: none of `(203.0.113.21",
        |d| {
            d.set(
                "IC_LAN_IPAddress",
                "(203.0.113.21, 203.0.113.22) , (203.0.113.139, 203.0.113.140)",
            )
        },
    ),
    (
        "IC_LAN_IPAddress",
        "IC_LAN_IPAddress: every address of `(203.0.113.139",
        |d| d.local.push(ip("203.0.113.140")),
    ),
    ("HACLUSTER_NAME", "HACLUSTER_NAME `-x` is invalid", |d| {
        d.set("HACLUSTER_NAME", "-x")
    }),
    (
        "PING_ResourceID",
        "PING_ResourceID has an empty entry",
        |d| d.set("PING_ResourceID", ", ping"),
    ),
    ("NAMING_PROFILE", "NAMING_PROFILE must be", |d| {
        d.set("NAMING_PROFILE", "x")
    }),
    ("START_TIMEOUT", "START_TIMEOUT must be", |d| {
        d.set("START_TIMEOUT", "x")
    }),
];

#[test]
fn validation_order_first_failure_stops() {
    // With faults i.. all present, the error is fault i. Faults are applied last-first so
    // that an earlier fault on the same key (a removal) wins over a later one.
    for i in 0..FAULTS.len() {
        let mut d = Draft::good();
        for (_, _, apply) in FAULTS[i..].iter().rev() {
            apply(&mut d);
        }
        let (_, key, msg, _) = err_with(&d.text(), &d.local);
        let (want_key, want_msg, _) = FAULTS[i];
        assert!(
            msg.starts_with(want_msg),
            "fault {i}: expected `{want_msg}…`, got `{msg}`"
        );
        assert_eq!(key.as_deref().unwrap_or(""), want_key, "fault {i}");
    }
    let d = Draft::good();
    parse(&d.text(), path(), &d.local).unwrap();
}

// ---- load ----

#[test]
fn unreadable_file() {
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("pg-rex_tools.conf");
    let e = load(&missing, &pm01()).unwrap_err();
    let Error::Config {
        file,
        line,
        key,
        message,
        hint,
    } = &e
    else {
        panic!("{e:?}")
    };
    assert_eq!((file, *line, key), (&missing, 0, &None));
    assert!(
        message.starts_with("cannot read the configuration file: "),
        "{message}"
    );
    assert_eq!(
        hint.as_deref(),
        Some("give another file with `--config FILE` or `PGREX_CONFIG=FILE`, or create /etc/pg-rex_tools.conf from the PG-REX template")
    );
    assert_eq!(e.exit_code(), crate::ExitCode::Usage);
}

#[test]
fn load_tolerates_non_utf8_comments() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path().join("c.conf");
    let mut bytes = b"# caf\xe9\n".to_vec();
    bytes.extend_from_slice(GOOD.as_bytes());
    std::fs::write(&p, bytes).unwrap();
    assert_eq!(load(&p, &pm01()).unwrap().path, p);
}

// ---- the shipped fixtures ----

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/config")
        .join(name)
}

#[test]
fn fixture_pgrex17() {
    let c = load(&fixture("pgrex17.conf"), &pm01()).unwrap();
    assert_eq!(c.warnings, vec![]);
    assert_eq!(c.d_lan.peer, ip("198.51.100.12"));
    assert_eq!(c.ic_lan.len(), 2);
    assert_eq!(c.pgpath, Some(PathBuf::from("/usr/pgsql-17/bin")));
    let n = c.names([]);
    assert_eq!(n.promotable, "pgsql-clone");
    assert_eq!(n.stonith, ["fence1-ipmilan", "fence2-ipmilan"]);
    assert_eq!(n.disk, ["storage-mon-clone"]);
}

#[test]
fn fixture_seed() {
    let c = load(&fixture("seed.conf"), &pm01()).unwrap();
    assert_eq!(c.warnings, vec![]);
    assert_eq!(c.ic_lan.len(), 1);
    let n = c.names([]);
    assert_eq!((n.profile, n.profile_source), (Profile::Seed, "config"));
    assert_eq!(n.promotable, "msPostgresql");
    assert_eq!(n.vip_standby, None);
    assert_eq!(n.ping, ["clnPing"]);
    assert_eq!(n.stonith, ["grpStonith1", "grpStonith2"]);
    assert_eq!(c.timeouts.start.as_secs(), 600);
    // U+3000 around the comma and after the value.
    assert_eq!(c.d_lan.peer, ip("198.51.100.12"));
    assert_eq!(c.archive_dir, PathBuf::from("/var/lib/pgsql/9.6/archive"));
    assert_eq!(c.peer_ssh, SshAuth::Nopass);
}

#[test]
fn fixture_manual_typo_loads_with_a_warning() {
    let c = load(&fixture("manual-typo.conf"), &pm01()).unwrap();
    assert_eq!(c.warnings.len(), 1);
    assert_eq!(c.warnings[0].suggestion, Some("STORAGE_MON_ResourceID"));
    assert_eq!(c.warnings[0].line, 43);
    assert_eq!(c.explicit_ids.disk, None);
}

#[test]
fn fixture_broken_ones() {
    for (name, line, want) in [
        ("template.conf", 0, "required key Archive_dir is not set"),
        (
            "broken-dlan-three.conf",
            1,
            "D_LAN_IPAddress must list exactly 2 addresses, found 3",
        ),
        (
            "broken-ic-three-rings.conf",
            2,
            "IC_LAN_IPAddress must be one or two parenthesised address pairs",
        ),
        (
            "broken-stonith-disable.conf",
            5,
            "STONITH must be `enable`, found `disable`",
        ),
        (
            "broken-cluster-name.conf",
            7,
            "HACLUSTER_NAME `-pgrex` is invalid",
        ),
    ] {
        let e = load(&fixture(name), &pm01()).unwrap_err();
        let Error::Config {
            line: l, message, ..
        } = &e
        else {
            panic!("{e:?}")
        };
        assert!(message.starts_with(want), "{name}: {message}");
        assert_eq!(*l, line, "{name}");
    }
    let e = load(&fixture("template.conf"), &pm01()).unwrap_err();
    assert_eq!(
        e.hint(),
        Some("line 9 leaves Archive_dir empty, and an empty value counts as unset: write `Archive_dir = /var/lib/pgsql/archive`")
    );
}

#[test]
fn docs_describe_every_key() {
    let doc = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/config.md"))
        .unwrap();
    for k in keys::KEYS {
        assert!(
            doc.contains(&format!("| `{}` |", k.name)),
            "docs/config.md has no table row for {}",
            k.name
        );
        if let Some(default) = k.default {
            assert!(
                doc.contains(&format!("| `{default}` |")),
                "docs/config.md does not show {}'s default {default}",
                k.name
            );
        }
    }
}

// ---- robustness ----

/// Random lines from config-like pieces (a cheap stand-in for a fuzzer): parsing never
/// panics, and every failure is a config error with a message and a hint.
#[test]
fn arbitrary_input_never_panics() {
    const PIECES: &[&str] = &[
        "D_LAN_IPAddress",
        "IC_LAN_IPAddress",
        "Archive_dir",
        "HACLUSTER_NAME",
        "STONITH",
        "PG_REX_Primary_ResourceID",
        "PG_REX_Primitive_ResourceID",
        "START_TIMEOUT",
        "PEER_NODE_SSH_PASS_MODE",
        "STONITH_ResourceID",
        "NAMING_PROFILE",
        "=",
        "==",
        " ",
        "\u{3000}",
        "#",
        ",",
        "(",
        ")",
        "198.51.100.11",
        "198.51.100.12",
        "203.0.113.11",
        "::1",
        "/x",
        "é",
        "passfile",
        "enable",
        "\t",
        "\r",
        "-",
        "9999999999999999999999",
        "5min",
    ];
    let mut seed: u64 = 0x5eed;
    let mut next = |n: usize| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize % n
    };
    for _ in 0..3000 {
        let mut text = String::from(GOOD);
        for _ in 0..next(6) {
            for _ in 0..next(8) {
                text.push_str(PIECES[next(PIECES.len())]);
            }
            text.push('\n');
        }
        match parse(&text, path(), &pm01()) {
            Ok(_) => {}
            Err(Error::Config { message, hint, .. }) => {
                assert!(
                    !message.is_empty() && hint.is_some_and(|h| !h.is_empty()),
                    "{text:?}"
                );
            }
            Err(e) => panic!("{e:?} for {text:?}"),
        }
    }
}

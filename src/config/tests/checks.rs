//! Each check of spec §1.3 on its own: its key, line, message and hint.

use super::*;
use crate::profile::Profile;
use pretty_assertions::assert_eq;
use std::os::unix::fs::PermissionsExt;

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
    assert_eq!(c.backup_ssh, SshPassMode::Passfile(pass.clone()));
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

#[test]
fn rewind_via_ssh_tunnel_values() {
    use crate::config::RewindVia;
    assert_eq!(ok(GOOD).rewind_via, RewindVia::Auto, "the default");
    for (v, want) in [
        ("auto", RewindVia::Auto),
        ("always", RewindVia::Always),
        ("Never", RewindVia::Never),
    ] {
        assert_eq!(
            ok(&format!("{GOOD}REWIND_VIA_SSH_TUNNEL = {v}\n")).rewind_via,
            want
        );
    }
    let (line, key, msg, hint) = err(&format!("{GOOD}REWIND_VIA_SSH_TUNNEL = yes\n"));
    assert_eq!((line, key.as_deref()), (7, Some("REWIND_VIA_SSH_TUNNEL")));
    assert_eq!(
        msg,
        "REWIND_VIA_SSH_TUNNEL must be `auto`, `always` or `never`, found `yes`"
    );
    assert!(hint.contains("`always` (as the Perl tools)"), "{hint}");
}

//! Loading files: unreadable ones, odd bytes, and the fixtures under `tests/fixtures/config/`.

use super::*;
use crate::profile::Profile;
use pretty_assertions::assert_eq;

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
        ..
    } = &e
    else {
        panic!("{e:?}")
    };
    assert_eq!((file, *line, key), (&missing, 0, &None));
    assert!(message == "cannot read the configuration file", "{message}");
    assert!(
        std::error::Error::source(&e).is_some_and(|c| c.to_string().contains("No such file")),
        "the I/O error is the cause: {e:?}"
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
    assert_eq!(c.peer_ssh, SshPassMode::Nopass);
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

/// The default file the packages install as /etc/pg-rex_tools.conf (packaging/): as shipped
/// every line is a comment, so it sets nothing; with every `#KEY = value` line uncommented it
/// is a valid configuration without a single warning (no misspelt or unknown key).
#[test]
fn packaged_default_file() {
    let shipped = include_str!("../../../packaging/pg-rex_tools.conf");
    assert!(
        lexer::lex(shipped).get("D_LAN_IPAddress").is_none(),
        "the shipped file must set nothing"
    );
    let uncommented: String = shipped
        .lines()
        .map(|l| match l.strip_prefix('#') {
            Some(rest) if rest.starts_with(|c: char| c.is_ascii_alphabetic()) => rest,
            _ => l,
        })
        .map(|l| format!("{l}\n"))
        .collect();
    let c = parse(&uncommented, path(), &pm01()).unwrap_or_else(|e| panic!("{e}"));
    assert!(c.warnings.is_empty(), "{:?}", c.warnings);
}

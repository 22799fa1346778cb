//! Usage errors, version, help: exit codes per CONTRACTS.md.

use crate::pgrex;

#[test]
fn version_and_help_succeed() {
    let out = pgrex().arg("--version").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("pgrex "));
    let out = pgrex().arg("--help").output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("Exit codes"));
}

#[test]
fn unknown_flag_is_a_usage_error() {
    let out = pgrex().args(["status", "--bogus"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--bogus"));
    assert!(out.stdout.is_empty());
}

#[test]
fn missing_subcommand_is_a_usage_error() {
    let out = pgrex().output().unwrap();
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn bad_profile_value_is_a_usage_error() {
    let out = pgrex()
        .args(["status", "--profile", "pcmk9"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("pgrex17"));
}

#[test]
fn archive_delete_needs_exactly_one_mode_and_a_proper_backup_path() {
    for args in [
        &["archive-delete"][..],
        &["archive-delete", "-m", "-r"],
        &["archive-delete", "-r", "-d"], // the Perl tool's -d (--dbcluster) is -D here
        &["archive-delete", "-r", "relative/backup"],
        &["archive-delete", "-r", "a@b:/backup"],
    ] {
        let out = pgrex().args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
    }
    let out = pgrex()
        .args(["archive-delete", "-r", "pm03:backup"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&out.stderr).contains("is not [HOST:]/PATH"));
}

#[test]
fn every_environment_variable_is_documented() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/environment.md"))
        .unwrap();
    let src =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/cli/env.rs")).unwrap();
    let re = regex::Regex::new(r#"\(\s*"((?:PGREX_|NO_COLOR|CLICOLOR_FORCE)[A-Z_]*)","#).unwrap();
    let mut n = 0;
    for c in re.captures_iter(&src) {
        n += 1;
        assert!(
            doc.contains(&format!("`{}`", &c[1])),
            "docs/environment.md does not document {}",
            &c[1]
        );
    }
    assert!(n >= 15, "found only {n} variables in src/cli/env.rs");
}

#[test]
fn every_catalogue_message_is_used() {
    // A message nobody refers to is dead text a translator would still translate.
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut code = String::new();
    fn read_rs(dir: &std::path::Path, skip: &std::path::Path, out: &mut String) {
        for e in std::fs::read_dir(dir).unwrap() {
            let p = e.unwrap().path();
            if p.starts_with(skip) {
                continue;
            }
            if p.is_dir() {
                read_rs(&p, skip, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push_str(&std::fs::read_to_string(&p).unwrap());
            }
        }
    }
    let catalogue = root.join("src/msg/catalog");
    read_rs(&root.join("src"), &catalogue, &mut code);
    let name = regex::Regex::new(r#"(?m)^\s+([A-Z][A-Z0-9_]+) = ""#).unwrap();
    let mut unused = Vec::new();
    for e in std::fs::read_dir(&catalogue).unwrap() {
        let text = std::fs::read_to_string(e.unwrap().path()).unwrap();
        for c in name.captures_iter(&text) {
            let word = regex::Regex::new(&format!(r"\b{}\b", &c[1])).unwrap();
            if !word.is_match(&code) {
                unused.push(c[1].to_string());
            }
        }
    }
    assert!(unused.is_empty(), "messages never used: {unused:?}");
}

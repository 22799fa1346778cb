use super::*;
use std::os::unix::fs::PermissionsExt;

fn bin(dir: &Path, name: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, "#!/bin/sh\n").unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o755)).unwrap();
    p
}

#[test]
fn makes_the_seven_links_and_is_idempotent() {
    let d = tempfile::tempdir().unwrap();
    let target = bin(d.path(), "pgrex");
    let links = d.path().join("sbin");
    std::fs::create_dir(&links).unwrap();
    let first = make(&links, &target).unwrap();
    assert_eq!(first.len(), 7);
    assert!(first.iter().all(|l| l.made == Made::Created));
    for n in crate::perl::TOOL_NAMES {
        assert_eq!(std::fs::read_link(links.join(n)).unwrap(), target);
    }
    let again = make(&links, &target).unwrap();
    assert!(again.iter().all(|l| l.made == Made::Present), "{again:?}");
    // No temporary file is left behind.
    assert_eq!(std::fs::read_dir(&links).unwrap().count(), 7);
}

#[test]
fn a_link_elsewhere_is_replaced() {
    let d = tempfile::tempdir().unwrap();
    let target = bin(d.path(), "pgrex");
    std::os::unix::fs::symlink("/old/pgrex", d.path().join("pg-rex_stop")).unwrap();
    let made = make(d.path(), &target).unwrap();
    let stop = made
        .iter()
        .find(|l| l.path.ends_with("pg-rex_stop"))
        .unwrap();
    assert_eq!(
        stop.made,
        Made::Replaced {
            old: "/old/pgrex".into()
        }
    );
    assert_eq!(
        std::fs::read_link(d.path().join("pg-rex_stop")).unwrap(),
        target
    );
}

#[test]
fn a_file_that_is_not_a_link_refuses_and_nothing_is_made() {
    let d = tempfile::tempdir().unwrap();
    let target = bin(d.path(), "pgrex");
    let perl = bin(d.path(), "pg-rex_switchover");
    let e = make(d.path(), &target).unwrap_err();
    assert_eq!(e.exit_code(), crate::ExitCode::Refused);
    assert!(e.to_string().contains(&perl.display().to_string()), "{e}");
    assert_eq!(std::fs::read_to_string(&perl).unwrap(), "#!/bin/sh\n");
    // all or none: not one link was made
    assert!(std::fs::symlink_metadata(d.path().join("pg-rex_stop")).is_err());
}

#[test]
fn a_missing_directory_is_a_usage_error() {
    let d = tempfile::tempdir().unwrap();
    let e = make(&d.path().join("nope"), Path::new("/usr/bin/pgrex")).unwrap_err();
    assert_eq!(e.exit_code(), crate::ExitCode::Usage);
}

#[test]
fn a_perl_tool_earlier_on_path_shadows_the_link() {
    let d = tempfile::tempdir().unwrap();
    let early = d.path().join("local");
    let links = d.path().join("sbin");
    std::fs::create_dir_all(&early).unwrap();
    std::fs::create_dir_all(&links).unwrap();
    let target = bin(d.path(), "pgrex");
    make(&links, &target).unwrap();
    let perl = bin(&early, "pg-rex_stop");
    // A link to pgrex itself earlier on PATH is no shadow.
    std::os::unix::fs::symlink(&target, early.join("pg-rex_switchover")).unwrap();
    let path = std::env::join_paths([&early, &links]).unwrap();
    let (found, on_path) = shadows(&links, &path, &target);
    assert!(on_path);
    assert_eq!(
        found,
        vec![Shadow {
            name: "pg-rex_stop",
            found: perl
        }]
    );
    // After the links' directory, a Perl tool shadows nothing.
    let path = std::env::join_paths([&links, &early]).unwrap();
    assert_eq!(shadows(&links, &path, &target), (vec![], true));
    let path = std::env::join_paths([&early]).unwrap();
    assert!(!shadows(&links, &path, &target).1);
}

#[test]
fn the_packages_ship_exactly_these_names() {
    let listed = include_str!("../../packaging/links");
    let names: Vec<&str> = listed
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect();
    assert_eq!(
        names,
        crate::perl::TOOL_NAMES,
        "packaging/links and perl::TOOL_NAMES differ"
    );
}

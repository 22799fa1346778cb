use super::*;
use std::ffi::OsStr;

fn args(a: &[&str]) -> Vec<String> {
    a.iter().map(|s| s.to_string()).collect()
}

fn run(tool: Tool, a: &[&str]) -> Vec<String> {
    match meaning(tool, &args(a)) {
        Ok(Meaning::Run(v)) => v,
        other => panic!("{a:?}: {other:?}"),
    }
}

#[test]
fn every_name_is_a_tool_and_only_the_file_name_counts() {
    for n in pgrex::perl::TOOL_NAMES {
        assert!(Tool::from_argv0(OsStr::new(n)).is_some(), "{n}");
        let full = format!("/usr/local/sbin/{n}");
        assert!(Tool::from_argv0(OsStr::new(&full)).is_some(), "{full}");
    }
    assert_eq!(
        Tool::from_argv0(OsStr::new("pg-rex_slave_start")),
        Some(Tool::StandbyStart)
    );
    assert_eq!(
        Tool::from_argv0(OsStr::new("pg-rex_master_start")),
        Some(Tool::PrimaryStart)
    );
    assert_eq!(Tool::from_argv0(OsStr::new("/usr/bin/pgrex")), None);
    assert_eq!(Tool::from_argv0(OsStr::new("pg-rex_stop.pl")), None);
}

#[test]
fn the_runbook_lines_become_the_same_pgrex_operation() {
    assert_eq!(run(Tool::Stop, &[]), ["stop"]);
    assert_eq!(run(Tool::Stop, &["-f"]), ["stop", "--fast"]);
    assert_eq!(run(Tool::Stop, &["--FAST"]), ["stop", "--fast"]);
    assert_eq!(
        run(Tool::StandbyStart, &["-n"]),
        ["standby-start", "--normal"]
    );
    assert_eq!(
        run(Tool::StandbyStart, &["-r"]),
        ["standby-start", "--rewind"]
    );
    assert_eq!(
        run(Tool::StandbyStart, &["--basebackup"]),
        ["standby-start", "--basebackup"]
    );
    // -d is --dry-run here (unique among standby_start's names), -s the shared archive.
    assert_eq!(
        run(Tool::StandbyStart, &["-c", "-d", "-s"]),
        [
            "standby-start",
            "--check-only",
            "--dry-run",
            "--shared-archive-directory"
        ]
    );
    assert_eq!(run(Tool::PrimaryStart, &[]), ["primary-start"]);
    assert_eq!(
        run(Tool::PrimaryStart, &["/root/pm_pcsgen_env.xml"]),
        ["primary-start", "--", "/root/pm_pcsgen_env.xml"]
    );
    assert_eq!(run(Tool::Switchover, &[]), ["switchover"]);
}

#[test]
fn additional_information_is_debug_output_and_v_is_the_version() {
    assert_eq!(run(Tool::Stop, &["-a"]), ["-v", "stop"]);
    assert_eq!(
        run(Tool::Switchover, &["--additional_information"]),
        ["-v", "switchover"]
    );
    for t in [
        Tool::Stop,
        Tool::StandbyStart,
        Tool::PrimaryStart,
        Tool::Switchover,
    ] {
        assert_eq!(meaning(t, &args(&["-v"])), Ok(Meaning::Version), "{t:?}");
        assert_eq!(
            meaning(t, &args(&["--vers"])),
            Ok(Meaning::Version),
            "{t:?}"
        );
    }
}

#[test]
fn help_wins_and_a_lone_dash_asks_for_it() {
    for a in [
        &["-h"][..],
        &["--help"][..],
        &["-"][..],
        &["--"][..],
        &["-v", "-h"][..],
    ] {
        assert_eq!(meaning(Tool::Stop, &args(a)), Ok(Meaning::Help), "{a:?}");
    }
    // help and `--` come before any other complaint, as in the Perl tools.
    assert_eq!(
        meaning(Tool::Stop, &args(&["--bogus", "--"])),
        Ok(Meaning::Help)
    );
}

#[test]
fn switchover_alone_matches_case() {
    assert_eq!(
        meaning(Tool::Switchover, &args(&["-H"])),
        Err(LineError::Getopt(GetoptError::Unknown("H".into())))
    );
    assert_eq!(meaning(Tool::Stop, &args(&["-H"])), Ok(Meaning::Help));
    assert_eq!(
        meaning(Tool::StandbyStart, &args(&["-N"])),
        Ok(Meaning::Run(args(&["standby-start", "--normal"])))
    );
}

#[test]
fn bundled_letters_and_extra_operands_are_refused() {
    assert_eq!(
        meaning(Tool::StandbyStart, &args(&["-nr"])),
        Err(LineError::Getopt(GetoptError::Unknown("nr".into())))
    );
    assert_eq!(
        meaning(Tool::Stop, &args(&["now"])),
        Err(LineError::Getopt(GetoptError::ExtraOperand("now".into())))
    );
    assert_eq!(
        meaning(Tool::PrimaryStart, &args(&["a.xml", "b.xml"])),
        Err(LineError::Getopt(GetoptError::ExtraOperand("b.xml".into())))
    );
    // pgrex's own flags are not part of the Perl command line.
    assert_eq!(
        meaning(Tool::Stop, &args(&["--yes"])),
        Err(LineError::Getopt(GetoptError::Unknown("yes".into())))
    );
}

fn archive(a: &[&str]) -> Result<ArchiveDeleteLine, LineError> {
    match meaning(Tool::ArchivefileDelete, &args(a))? {
        Meaning::ArchiveDelete(l) => Ok(l),
        other => panic!("{a:?}: {other:?}"),
    }
}

#[test]
fn archivefile_delete_d_is_dbcluster_in_either_case() {
    for a in [
        &["-r", "-d", "/pg"][..],
        &["-r", "-D", "/pg"][..],
        &["-r", "--dbcluster=/pg"][..],
        &["-r", "--DB", "/pg"][..],
        &["-r", "-D=/pg"][..],
    ] {
        assert_eq!(
            archive(a).unwrap().dbcluster.as_deref(),
            Some("/pg"),
            "{a:?}"
        );
    }
    let l = archive(&["-r", "-f"]).unwrap();
    assert_eq!(
        l,
        ArchiveDeleteLine {
            mode: ArchiveMode::Remove,
            force: true,
            dbcluster: None,
            backup: None,
            debug: false,
            confirmed: false,
        }
    );
}

#[test]
fn archivefile_delete_needs_exactly_one_mode() {
    assert_eq!(archive(&["-m"]).unwrap().mode, ArchiveMode::Move);
    assert!(matches!(archive(&[]), Err(LineError::Invalid(_))));
    assert!(matches!(archive(&["-f"]), Err(LineError::Invalid(_))));
    let both = archive(&["-m", "-r"]).unwrap_err();
    assert!(both.to_string().contains("-m"), "{both}");
    assert_eq!(
        meaning(Tool::ArchivefileDelete, &args(&["-v"])),
        Ok(Meaning::Version)
    );
    assert_eq!(
        meaning(Tool::ArchivefileDelete, &args(&["-h", "-m"])),
        Ok(Meaning::Help)
    );
}

#[test]
fn archivefile_delete_backup_location() {
    let b = |a: &str| archive(&["-m", a]).map(|l| l.backup.unwrap());
    assert_eq!(
        b("pm01:/backup/base/").unwrap(),
        (Some("pm01".into()), "/backup/base".into())
    );
    assert_eq!(b("/backup/base").unwrap(), (None, "/backup/base".into()));
    // A colon after the first slash belongs to the path.
    assert_eq!(b("/b:c").unwrap(), (None, "/b:c".into()));
    for bad in [
        "relative/path",
        "user@pm01:/b",
        "pm01:rel",
        ":/b",
        "/",
        "a:b:/c",
    ] {
        assert!(matches!(b(bad), Err(LineError::Invalid(_))), "{bad}");
    }
}

//! The binary under the Perl tools' names, through real symlinks (`pgrex links`): help and
//! version as the Perl tools print them, command-line errors as exit 2, the "already stopped"
//! path of `pg-rex_stop` in the Perl layout, `pg-rex_archivefile_delete`
//! reaching archive-delete (and refusing its questions without a terminal), the hidden `master_start` / `slave_start` spellings, and `pgrex links` itself.

use crate::ops::{config, is_root, systemctl_inactive};
use crate::{pgrex, run, run_cmd};

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// A directory with the seven links made by `pgrex links`.
fn linked() -> (tempfile::TempDir, PathBuf) {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().join("sbin");
    std::fs::create_dir(&dir).unwrap();
    let (code, out, err) = run(&["links", dir.to_str().unwrap()]);
    assert_eq!(code, 0, "{out}{err}");
    (d, dir)
}

/// The binary under `name` (a link in `dir`), in the clean environment of [`pgrex`].
fn perl(dir: &Path, name: &str, args: &[&str]) -> assert_cmd::Command {
    let mut bin = assert_cmd::Command::new(dir.join(name));
    for (k, _) in std::env::vars() {
        if k.starts_with("PGREX_")
            || k.starts_with("LC_")
            || ["NO_COLOR", "CLICOLOR_FORCE", "LANG", "COLUMNS"].contains(&k.as_str())
        {
            bin.env_remove(k);
        }
    }
    bin.args(args);
    bin
}

#[test]
fn links_makes_seven_links_and_running_it_again_changes_nothing() {
    let (_d, dir) = linked();
    let target = std::fs::read_link(dir.join("pg-rex_stop")).unwrap();
    for n in pgrex::perl::TOOL_NAMES {
        assert_eq!(std::fs::read_link(dir.join(n)).unwrap(), target, "{n}");
    }
    let (code, out, _) = run(&["links", dir.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert_eq!(out.matches("(already there)").count(), 7, "{out}");
}

#[test]
fn links_refuses_to_overwrite_a_perl_script_and_names_it() {
    let d = tempfile::tempdir().unwrap();
    let script = d.path().join("pg-rex_standby_start");
    std::fs::write(&script, "#!/usr/bin/perl\n").unwrap();
    let (code, out, err) = run(&["links", d.path().to_str().unwrap()]);
    assert_eq!(code, 3, "{out}{err}");
    assert!(err.contains(&script.display().to_string()), "{err}");
    assert_eq!(
        std::fs::read_dir(d.path()).unwrap().count(),
        1,
        "nothing was made"
    );
}

#[test]
fn links_warns_of_a_perl_tool_earlier_on_path() {
    let d = tempfile::tempdir().unwrap();
    let (early, dir) = (d.path().join("local"), d.path().join("sbin"));
    std::fs::create_dir_all(&early).unwrap();
    std::fs::create_dir_all(&dir).unwrap();
    let perl_stop = early.join("pg-rex_stop");
    std::fs::write(&perl_stop, "#!/usr/bin/perl\n").unwrap();
    std::fs::set_permissions(&perl_stop, std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut c = pgrex();
    c.args(["links", dir.to_str().unwrap()])
        .env("PATH", std::env::join_paths([&early, &dir]).unwrap());
    let (code, _, err) = run_cmd(c);
    assert_eq!(code, 0);
    assert!(
        err.contains("warning:") && err.contains(&perl_stop.display().to_string()),
        "{err}"
    );
    assert_eq!(err.matches("warning:").count(), 1, "{err}");
}

#[test]
fn help_and_version_as_the_perl_tools_print_them() {
    let (_d, dir) = linked();
    for name in pgrex::perl::TOOL_NAMES {
        for args in [&["--help"][..], &["-"][..], &["-H"][..]] {
            if name == "pg-rex_switchover" && args == ["-H"] {
                continue;
            }
            let (code, out, err) = run_cmd(perl(&dir, name, args));
            assert_eq!(code, 0, "{name} {args:?}: {err}");
            assert!(
                out.starts_with(&format!("{name} (pgrex ")) && out.contains("Usage:\n"),
                "{name} {args:?}: {out}"
            );
        }
        let (code, out, _) = run_cmd(perl(&dir, name, &["-v"]));
        assert_eq!(code, 0);
        assert_eq!(out.lines().count(), 1, "{out}");
        assert!(out.contains("pg-rex_operation_tools 17.0"), "{out}");
    }
}

#[test]
fn a_command_line_the_perl_tool_would_not_take_is_exit_2() {
    let (_d, dir) = linked();
    for (name, args, says) in [
        ("pg-rex_standby_start", &["-nr"][..], "unknown option: nr"),
        ("pg-rex_switchover", &["-H"][..], "unknown option: H"),
        ("pg-rex_stop", &["--yes"][..], "unknown option: yes"),
        ("pg-rex_stop", &["now"][..], "unexpected argument: now"),
        ("pg-rex_archivefile_delete", &["-f"][..], "-m"),
        ("pg-rex_archivefile_delete", &["-m", "-r"][..], "exclude"),
    ] {
        let (code, out, err) = run_cmd(perl(&dir, name, args));
        assert_eq!(code, 2, "{name} {args:?}: {out}{err}");
        assert!(out.is_empty(), "{out}");
        assert!(
            err.contains(says) && err.contains("hint:"),
            "{name} {args:?}: {err}"
        );
    }
}

#[test]
fn archivefile_delete_runs_archive_delete_with_the_perl_meaning_of_its_options() {
    let (_d, dir) = linked();
    // -d is --dbcluster under the Perl name: the line is taken and the operation itself
    // runs, reaching its configuration (missing here: exit 2, nothing read or changed);
    // `pgrex archive-delete -d` is a usage error (--dry-run is long only).
    let mut c = perl(&dir, "pg-rex_archivefile_delete", &["-r", "-f", "-d", "/x"]);
    c.env("PGREX_CONFIG", "/nonexistent/pg-rex_tools.conf");
    let (code, out, err) = run_cmd(c);
    assert_eq!(code, 2, "{out}{err}");
    assert!(
        err.contains("/nonexistent/pg-rex_tools.conf") && err.contains("configuration"),
        "{err}"
    );
    let (code, _, err) = run(&["archive-delete", "-r", "-d", "/x"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn archivefile_delete_without_a_backup_or_f_asks_and_without_a_terminal_refuses() {
    let (_d, dir) = linked();
    // No backup on the command line, no -f: the Perl tool's questions, which need a
    // terminal (a test has none): exit 3 before the configuration is even read, naming
    // the two ways to answer on the command line; the first banner was printed.
    for (lang, banner, mode) in [
        ("C", "**** 1. Ready to run ****", "Running remove mode."),
        (
            "ja_JP.UTF-8",
            "**** 1. 実行準備 ****",
            "削除モードで実行します",
        ),
    ] {
        let mut c = perl(&dir, "pg-rex_archivefile_delete", &["-r"]);
        c.env("PGREX_CONFIG", "/nonexistent/pg-rex_tools.conf")
            .env("LANG", lang);
        let (code, out, err) = run_cmd(c);
        assert_eq!(code, 3, "{out}{err}");
        assert_eq!(out, format!("\n{banner}\n{mode}\n"));
        assert!(
            err.contains("-f") && err.contains("pg-rex_archivefile_delete -r ["),
            "{err}"
        );
        assert!(!err.contains("/nonexistent"), "{err}");
    }
    let mut c = perl(&dir, "pg-rex_archivefile_delete", &["-m"]);
    c.env("PGREX_CONFIG", "/nonexistent/pg-rex_tools.conf");
    let (code, out, err) = run_cmd(c);
    assert_eq!(code, 3, "{out}{err}");
    assert!(
        out.contains("Running move mode.") && err.contains("-m ["),
        "{out}{err}"
    );
}

#[test]
fn pg_rex_stop_on_a_stopped_node_reads_as_the_perl_tool() {
    if !is_root() {
        eprintln!("skipped: operations refuse to run as non-root");
        return;
    }
    let (d, dir) = linked();
    let mut c = perl(&dir, "pg-rex_stop", &[]);
    c.env("PGREX_CONFIG", config(d.path()))
        .env("PGREX_SYSTEMCTL", systemctl_inactive(d.path()))
        .env("PGREX_LOCK_FILE", d.path().join("lock.pid"))
        .env("PGREX_JOURNAL_DIR", d.path().join("journal"))
        .env("PGREX_COLOR", "never");
    let (code, out, err) = run_cmd(c);
    assert_eq!(code, 0, "{out}{err}");
    // pgrex's "1. Checking Pacemaker and Corosync are running" is a check the Perl tool
    // made silently: only its closing line is printed.
    assert_eq!(out, "Pacemaker and Corosync has already stopped.\n");
}

#[test]
fn master_start_and_slave_start_are_hidden_spellings() {
    for (alias, flag) in [
        ("slave_start", "--basebackup"),
        ("master_start", "--remove-lock"),
    ] {
        let (code, out, _) = run(&[alias, "--help"]);
        assert_eq!(code, 0, "{alias}");
        assert!(out.contains(flag), "{alias}");
    }
    let (_, top, _) = run(&["--help"]);
    assert!(
        !top.contains("slave_start") && !top.contains("master_start"),
        "{top}"
    );
}

#[test]
fn links_in_json_names_each_link_and_what_was_done() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path().to_str().unwrap();
    let (code, out, err) = run(&["--output-format", "json", "links", dir]);
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["schema_version"], 1);
    let links = v["links"].as_array().unwrap();
    assert_eq!(links.len(), 7);
    assert!(links.iter().all(|l| l["made"] == "created"), "{out}");
    let (_, again, _) = run(&["--output-format", "json", "links", dir]);
    let v: serde_json::Value = serde_json::from_str(&again).unwrap();
    assert!(v["links"]
        .as_array()
        .unwrap()
        .iter()
        .all(|l| l["made"] == "present"));
}

#[test]
fn under_a_japanese_locale_the_perl_names_speak_japanese_from_the_first_line() {
    let (_d, dir) = linked();
    let out = perl(&dir, "pg-rex_stop", &["--help"])
        .env("LANG", "ja_JP.UTF-8")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0));
    assert!(text.contains("停止したいノードで実行します"), "{text}");
    let out = perl(&dir, "pg-rex_stop", &["--bogus"])
        .env("LANG", "ja_JP.UTF-8")
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(err.contains("コマンドラインを表示します"), "{err}");
    let out = perl(&dir, "pg-rex_stop", &["--help"]).output().unwrap();
    assert!(String::from_utf8_lossy(&out.stdout).contains("Run it on the node to stop."));
}

#[test]
fn an_error_the_perl_tool_also_reported_reads_in_its_words_on_stderr_with_pgrex_exit_code() {
    if !is_root() {
        eprintln!("skipped: operations refuse to run as non-root before reading the configuration");
        return;
    }
    let (d, dir) = linked();
    // A configuration with one D-LAN address: COMMON_MS0007 in the Perl tools.
    let conf = config(d.path());
    let text = std::fs::read_to_string(&conf).unwrap();
    let one = regex::Regex::new(r"(?m)^D_LAN_IPAddress\s*=\s*([^,\s]+)\s*,.*$").unwrap();
    assert!(one.is_match(&text), "{text}");
    std::fs::write(&conf, one.replace(&text, "D_LAN_IPAddress = $1").as_ref()).unwrap();
    for (lang, words, pgrex_words) in [
        (
            "C",
            "error: Should specify D_LAN_IPAddress which is setting two IPAddress separated by a comma in pg-rex_tools.conf.\n",
            "D_LAN_IPAddress must list exactly 2 addresses",
        ),
        (
            "ja_JP.UTF-8",
            "エラー: 環境設定ファイル (pg-rex_tools.conf) の D_LAN_IPAddress の設定は2つの IP アドレスをカンマ区切りで指定してください\n",
            "D_LAN_IPAddress",
        ),
    ] {
        let mut c = perl(&dir, "pg-rex_stop", &[]);
        c.env("PGREX_CONFIG", &conf)
            .env("LANG", lang)
            .env("PGREX_LOCK_FILE", d.path().join("lock.pid"))
            .env("PGREX_COLOR", "never");
        let (code, out, err) = run_cmd(c);
        // The exit code is pgrex's (2: a configuration error), not the Perl tool's 1.
        assert_eq!(code, 2, "{out}{err}");
        assert!(err.starts_with(words), "{lang}: {err}");
        assert!(!out.contains("error"), "{out}");
        // The hint is still pgrex's.
        assert!(err.contains("192.168.2.1"), "{err}");
        // pgrex's own name keeps pgrex's wording.
        let mut c = crate::pgrex();
        c.args(["stop"])
            .env("PGREX_CONFIG", &conf)
            .env("LANG", lang)
            .env("PGREX_LOCK_FILE", d.path().join("lock.pid"))
            .env("PGREX_COLOR", "never");
        let (code, _, err) = run_cmd(c);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains(pgrex_words) && !err.contains("Should specify"), "{err}");
    }
}

//! Japanese through the binary: `status` and `diagnose` snapshots under `LANG=ja_JP.UTF-8`
//! over recorded fixtures of both profiles (healthy, degraded, unknown, and a fault of each
//! reaction class: restart, failover, fence-failover, none), an operation and an error in
//! Japanese, the precedence `--lang` > `PGREX_LANG` > `LC_ALL` > `LC_MESSAGES` > `LANG`, bad
//! values (exit 2), JSON staying English, display-width alignment and wrapping at `COLUMNS`.

use crate::{fixture, pgrex, run_cmd};
use unicode_width::UnicodeWidthStr;

/// `pgrex ARGS` with `LANG=ja_JP.UTF-8` (and `envs`): (exit code, stdout, stderr).
fn ja(args: &[&str], envs: &[(&str, &str)]) -> (i32, String, String) {
    let mut c = pgrex();
    c.env("LANG", "ja_JP.UTF-8").env("TZ", "UTC").args(args);
    for (k, v) in envs {
        c.env(k, v);
    }
    run_cmd(c)
}

fn view(cmd: &str, rel: &str) -> String {
    let path = fixture(rel);
    let (code, out, err) = ja(
        &[cmd, "--color", "never", "--input", path.to_str().unwrap()],
        &[],
    );
    let root = fixture("");
    let out = out.replace(root.to_str().unwrap(), "<fixtures>/");
    format!("exit: {code}\n--- stdout\n{out}--- stderr\n{err}")
}

/// A line of English a Japanese view must not contain (a heading left untranslated).
const ENGLISH_HEADINGS: &[&str] = &[
    "Nodes and replication",
    "Resources\n",
    "Fencing history",
    "Deviations from",
    "Findings (",
    "evidence:",
    "reaction:",
    "No deviation",
];

fn assert_japanese(text: &str) {
    for h in ENGLISH_HEADINGS {
        assert!(!text.contains(h), "English `{h}` in:\n{text}");
    }
    assert!(
        text.chars().any(|c| ('\u{3040}'..='\u{30ff}').contains(&c)),
        "no kana in:\n{text}"
    );
}

macro_rules! ja_views {
    ($($name:ident: $rel:literal, $verdict:literal;)*) => {
        $(
            #[test]
            fn $name() {
                let s = view("status", $rel);
                assert!(s.contains(concat!("--- stdout\n", $verdict, "  ")), "{s}");
                assert_japanese(&s);
                insta::assert_snapshot!(concat!(stringify!($name), "_status"), s);
                let d = view("diagnose", $rel);
                assert!(d.contains(concat!("--- stdout\n", $verdict, "  ")), "{d}");
                assert_japanese(&d);
                insta::assert_snapshot!(concat!(stringify!($name), "_diagnose"), d);
            }
        )*
    };
}

ja_views! {
    healthy_pgrex17: "status/pgrex17/healthy.xml", "HEALTHY";
    healthy_seed: "status/seed/healthy.xml", "HEALTHY";
    degraded_no_standby_pgrex17: "status/pgrex17/no-standby.xml", "DEGRADED";
    // Reaction ①: restarted in place.
    restart_vip_rep_failure_pgrex17: "lab/pgrex17/vip-rep-failure/crm_mon.xml", "FAULT";
    // Reaction ②: failover.
    failover_pgsql_failure_seed: "lab/seed/pgsql-failure/crm_mon.xml", "FAULT";
    // Reaction ③: fencing, then failover.
    fence_node_failure_pgrex17: "lab/pgrex17/node-failure/crm_mon.xml", "FAULT";
    // No reaction: two primaries.
    none_promoted_both_seed: "status/seed/promoted-both.xml", "FAULT";
}

#[test]
fn unknown_when_pacemaker_does_not_run() {
    let d = tempfile::tempdir().unwrap();
    let crm_mon = crate::inputs::replaying_crm_mon(&d, "status/errors/not-running.xml", 102);
    // A live view reads /etc/pg-rex_tools.conf when it exists: give one that fits this host.
    let conf = crate::ops::config(d.path());
    let (code, out, err) = ja(
        &["status", "--color", "never"],
        &[
            ("PGREX_CRM_MON", &crm_mon),
            ("PGREX_CONFIG", conf.to_str().unwrap()),
        ],
    );
    assert_eq!(code, 1, "{out}{err}");
    assert!(
        out.starts_with("UNKNOWN  ここからはクラスタの状態を取得できません"),
        "{out}"
    );
    assert!(
        out.contains("このノードで Pacemaker が稼働していません"),
        "{out}"
    );
    insta::assert_snapshot!(format!("exit: {code}\n--- stdout\n{out}--- stderr\n{err}"));
}

#[test]
fn an_error_is_printed_in_japanese() {
    let (code, out, err) = ja(&["status", "--input", "/nonexistent/crm_mon.xml"], &[]);
    assert_eq!(code, 2);
    assert_eq!(out, "");
    assert!(err.starts_with("エラー: /nonexistent/crm_mon.xml"), "{err}");
    assert!(err.contains("ファイルを読み込めません"), "{err}");
}

#[test]
fn an_operation_prints_its_steps_in_japanese() {
    let dir = tempfile::tempdir().unwrap();
    let (code, out, err) = ja(
        &[
            "--color",
            "never",
            "--config",
            crate::ops::config(dir.path()).to_str().unwrap(),
            "stop",
        ],
        &[
            (
                "PGREX_SYSTEMCTL",
                crate::ops::systemctl_inactive(dir.path()).to_str().unwrap(),
            ),
            (
                "PGREX_LOCK_FILE",
                dir.path().join("lock.pid").to_str().unwrap(),
            ),
            (
                "PGREX_JOURNAL_DIR",
                dir.path().join("journal").to_str().unwrap(),
            ),
        ],
    );
    if !crate::ops::is_root() {
        // Refused before any step: the refusal itself is Japanese.
        assert_eq!(code, 3, "{out}{err}");
        assert!(err.contains("root ユーザで実行する必要があります"), "{err}");
        return;
    }
    assert_eq!(code, 0, "{out}{err}");
    assert!(
        out.starts_with("1. Pacemaker および Corosync が稼働していることを確認\n...[OK]\n"),
        "{out}"
    );
    assert!(
        out.contains("は停止しているため停止処理を終了します"),
        "{out}"
    );
    assert_eq!(err, "");
}

#[test]
fn lang_flag_wins_over_the_environment_and_the_locale_order_is_posix() {
    let rel = fixture("status/pgrex17/healthy.xml");
    let input = rel.to_str().unwrap();
    let first = |envs: &[(&str, &str)], extra: &[&str]| {
        let mut args = vec!["status", "--input", input];
        args.extend_from_slice(extra);
        let mut c = pgrex();
        c.args(&args);
        for (k, v) in envs {
            c.env(k, v);
        }
        let (code, out, err) = run_cmd(c);
        assert_eq!(code, 0, "{err}");
        out.lines().next().unwrap().to_string()
    };
    let en = "HEALTHY  PG-REX normal state: pm01 is primary, pm02 is a synchronous standby";
    let ja = "HEALTHY  PG-REX の正常状態: pm01 が Primary、pm02 が同期 Standby";
    assert_eq!(first(&[("LANG", "ja_JP.UTF-8")], &["--lang", "en"]), en);
    assert_eq!(first(&[("LANG", "ja_JP.UTF-8")], &[]), ja);
    assert_eq!(
        first(&[("PGREX_LANG", "en"), ("LANG", "ja_JP.UTF-8")], &[]),
        en
    );
    assert_eq!(first(&[("PGREX_LANG", "ja")], &[]), ja);
    assert_eq!(first(&[("PGREX_LANG", "en")], &["--lang", "ja"]), ja);
    // LC_ALL overrides LC_MESSAGES overrides LANG; C is English.
    assert_eq!(first(&[("LC_ALL", "C"), ("LANG", "ja_JP.UTF-8")], &[]), en);
    assert_eq!(
        first(&[("LC_MESSAGES", "ja_JP.UTF-8"), ("LANG", "C")], &[]),
        ja
    );
    assert_eq!(
        first(&[("LC_ALL", "ja_JP.eucJP"), ("LC_MESSAGES", "C")], &[]),
        ja
    );
    assert_eq!(first(&[], &[]), en);
}

#[test]
fn a_bad_language_is_a_usage_error() {
    let (code, out, err) = crate::run(&["--lang", "fr", "status", "--input", "x"]);
    assert_eq!(code, 2);
    assert_eq!(out, "");
    assert!(
        err.contains("'fr'") && err.contains("en") && err.contains("ja"),
        "{err}"
    );
    let mut c = pgrex();
    c.env("PGREX_LANG", "japanese")
        .args(["status", "--input", "x"]);
    let (code, _, err) = run_cmd(c);
    assert_eq!(code, 2);
    assert!(err.contains("japanese") && err.contains("--lang"), "{err}");
    // An empty value counts as unset (docs/environment.md): the locale decides.
    let mut c = pgrex();
    c.env("PGREX_LANG", "").env("LANG", "ja_JP.UTF-8");
    c.args(["status", "--input", "/nonexistent/x.xml"]);
    let (code, _, err) = run_cmd(c);
    assert_eq!(code, 2);
    assert!(err.starts_with("エラー: "), "{err}");
}

#[test]
fn json_keeps_ids_and_english() {
    let path = fixture("lab/seed/pgsql-failure/crm_mon.xml");
    let p = path.to_str().unwrap();
    for cmd in ["status", "diagnose"] {
        let (_, ja_out, _) = ja(&[cmd, "--output-format", "json", "--input", p], &[]);
        let (_, en_out, _) = crate::run(&[cmd, "--output-format", "json", "--input", p]);
        assert_eq!(
            ja_out, en_out,
            "{cmd}: JSON does not depend on the language"
        );
        assert!(!ja_out
            .chars()
            .any(|c| ('\u{3040}'..='\u{30ff}').contains(&c)));
    }
}

#[test]
fn log_prints_pm_logconvs_japanese_meanings() {
    let dir = fixture("log/vip-rep-failure");
    let mut args = vec!["log".to_string()];
    for f in ["pm01.pacemaker.log", "pm02.pacemaker.log"] {
        args.push("--input".into());
        args.push(dir.join(f).display().to_string());
    }
    let a: Vec<&str> = args.iter().map(String::as_str).collect();
    let (code, out, err) = ja(&a, &[]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("の監視(monitor)でリソースが停止していることを検知しました。"),
        "{out}"
    );
    assert!(!out.contains("does not work."), "{out}");
    let mut json = a.clone();
    json.extend(["--output-format", "json"]);
    let (_, out, _) = ja(&json, &[]);
    let first: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert!(first["message"].as_str().unwrap().is_ascii(), "{first}");
    assert!(!first["meaning_ja"].as_str().unwrap().is_ascii(), "{first}");
}

/// The display column where the value after a padded label starts.
fn value_column(line: &str, label: &str) -> usize {
    let rest = line.split_once(label).unwrap().1;
    let lead = rest.len() - rest.trim_start().len();
    UnicodeWidthStr::width(&line[..line.len() - rest.len() + lead])
}

#[test]
fn columns_align_by_display_width() {
    let s = view("status", "status/pgrex17/healthy.xml");
    let line = |label: &str| s.lines().find(|l| l.contains(label)).unwrap().to_string();
    let cols: Vec<usize> = [
        "pgsql-status",
        "昇格スコア",
        "ネットワーク監視",
        "ディスク監視",
    ]
    .iter()
    .map(|l| value_column(&line(l), l))
    .collect();
    assert!(cols.iter().all(|c| *c == cols[0]), "{cols:?}\n{s}");
    let res: Vec<usize> = [
        "PostgreSQL",
        "サービス VIP",
        "レプリケーション VIP",
        "ディスク監視",
    ]
    .iter()
    .map(|l| {
        let l2 = s
            .lines()
            .skip_while(|x| !x.starts_with("リソース"))
            .find(|x| x.contains(l))
            .unwrap();
        value_column(l2, l)
    })
    .collect();
    assert!(res.iter().all(|c| *c == res[0]), "{res:?}\n{s}");
}

#[test]
fn text_wraps_at_columns() {
    for lang in ["ja", "en"] {
        for rel in [
            "lab/pgrex17/node-failure/crm_mon.xml",
            "status/seed/promoted-both.xml",
        ] {
            for cmd in ["status", "diagnose"] {
                let p = fixture(rel);
                let args = [
                    cmd,
                    "--lang",
                    lang,
                    "--color",
                    "never",
                    "--input",
                    p.to_str().unwrap(),
                ];
                let (_, wide, _) = ja(&args, &[]);
                let (_, out, _) = ja(&args, &[("COLUMNS", "80")]);
                assert!(
                    wide.lines().any(|l| UnicodeWidthStr::width(l) > 80),
                    "{cmd} {rel} {lang}: nothing to wrap without COLUMNS"
                );
                for l in out.lines() {
                    assert!(
                        UnicodeWidthStr::width(l) <= 80,
                        "{cmd} {rel} {lang}: {} columns: {l}",
                        UnicodeWidthStr::width(l)
                    );
                }
                let words = |t: &str| t.split_whitespace().collect::<String>();
                assert_eq!(words(&out), words(&wide), "wrapping adds or loses nothing");
            }
        }
    }
}

/// The y/N prompt on a real terminal (a pty from util-linux `script`): the question and the
/// echoed answer are Japanese, and "n" declines (exit 4) without running crm_resource.
#[test]
fn the_prompt_and_its_answer_are_japanese_on_a_terminal() {
    if !crate::ops::is_root() || !std::path::Path::new("/usr/bin/script").exists() {
        eprintln!("skipped: needs root (operations) and util-linux script (a pty)");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    // Writes the replaying crm_mon / cibadmin / crm_resource scripts into `d`.
    let _ = crate::cleanup::replay(d, "pgrex17", 0);
    let bin = assert_cmd::cargo::cargo_bin("pgrex");
    let line = format!(
        "env -u PGREX_LANG -u LC_ALL -u LC_MESSAGES LANG=ja_JP.UTF-8 \
         PGREX_CRM_MON={d}/crm_mon PGREX_CIBADMIN={d}/cibadmin PGREX_CRM_RESOURCE={d}/crm_resource \
         PGREX_LOCK_FILE={d}/lock PGREX_JOURNAL_DIR={d}/journal PGREX_PG_SOCKET_DIR=/nonexistent \
         {} cleanup --color never; echo \"exit=$?\"",
        bin.display(),
        d = d.display()
    );
    let out = std::process::Command::new("/usr/bin/script")
        .args(["-qec", &line, "/dev/null"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            use std::io::Write;
            c.stdin.take().unwrap().write_all(b"n\n")?;
            c.wait_with_output()
        })
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("これらの fail-count と failed action をクリアしても宜しいでしょうか？"),
        "{text}"
    );
    assert!(
        text.contains("いいえ"),
        "the answer is echoed in Japanese: {text}"
    );
    assert!(!text.contains(" no\r"), "{text}");
    assert!(text.contains("exit=4"), "declined: {text}");
    assert_eq!(crate::cleanup::calls(d), "", "nothing may be run");
}

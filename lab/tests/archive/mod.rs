//! Lab tests of `pgrex archive-delete` on a real archive, and of `pg-rex_archivefile_delete`
//! through the link (the Perl manual's runbook lines), each in its own lab instance
//! (`archivetest`, or `PGREX_LAB_ARCHIVE_INSTANCE`).
//!
//! Gated by `PGREX_LAB=1` and `PGREX_LAB_FULL=1` (it needs a lab of its own: about two
//! minutes). The primary archives real WAL (`pg_switch_wal` a few times); the test then
//! checks a dry run (the boundary is the older of both nodes' `Latest checkpoint's REDO WAL
//! file`, nothing changes), the refusal while a base backup is being taken, `-r -f` naming a
//! base backup (its `START WAL LOCATION` is the boundary) and `-m --both -f` — each time that
//! exactly the files the Perl tool's string rule keeps remain, computed here from `ls`.

use super::support::{enabled, Lab, ONE_AT_A_TIME};
use std::collections::BTreeSet;
use std::sync::LazyLock;

static LAB: LazyLock<Lab> =
    LazyLock::new(|| Lab::from_env("PGREX_LAB_ARCHIVE_INSTANCE", "archivetest"));

const ARCH: &str = "/var/lib/pgsql/archive";

fn sh_ok(node: &str, script: &str) -> String {
    let (code, out) = LAB.sh(node, script);
    assert_eq!(code, 0, "{script} on {node}:\n{out}");
    out
}

fn psql(node: &str, sql: &str) -> String {
    sh_ok(
        node,
        &format!("runuser -u postgres -- psql -XAtqc \"{sql}\""),
    )
    .trim()
    .to_string()
}

fn listing(node: &str) -> BTreeSet<String> {
    sh_ok(node, &format!("ls -A {ARCH}"))
        .lines()
        .map(str::to_string)
        .collect()
}

fn redo_file(node: &str) -> String {
    sh_ok(
        node,
        "LANG=C runuser -u postgres -- /usr/lib/postgresql/15/bin/pg_controldata /var/lib/pgsql/data | sed -n \"s/^Latest checkpoint's REDO WAL file: *//p\"",
    )
    .trim()
    .to_string()
}

/// Archive a few segments and move both nodes' checkpoints on.
fn generate_wal(segments: usize) {
    let mut last = String::new();
    for _ in 0..segments {
        psql(
            "pm01",
            "CREATE TABLE IF NOT EXISTS t(i int); INSERT INTO t SELECT generate_series(1, 1000)",
        );
        last = psql("pm01", "SELECT pg_walfile_name(pg_switch_wal())");
    }
    LAB.eventually(&format!("{last} archived"), 60, || {
        listing("pm01").contains(&last)
    });
    psql("pm01", "CHECKPOINT");
    // The standby's restartpoint follows the primary's checkpoint once it has replayed it.
    LAB.eventually("pm02 replayed", 60, || {
        psql("pm02", "CHECKPOINT");
        redo_file("pm02") == redo_file("pm01")
    });
}

/// The Perl tool's rule, as plain string comparisons (spec §3.5 step 13), with a
/// compression suffix stripped first: what stays of `before` under `boundary`.
fn kept(before: &BTreeSet<String>, boundary: &str) -> BTreeSet<String> {
    let hex = |s: &str, n: usize| {
        s.len() == n
            && s.bytes()
                .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b))
    };
    before
        .iter()
        .filter(|f| {
            let base = [".gz", ".bz2", ".zst", ".lz4", ".xz"]
                .iter()
                .find_map(|s| f.strip_suffix(s))
                .unwrap_or(f);
            let seg = base.get(..24).filter(|s| hex(s, 24));
            let rest = base.get(24..).unwrap_or_default();
            let backup = rest
                .strip_prefix('.')
                .and_then(|r| r.strip_suffix(".backup"));
            if base.len() == 16 && hex(&base[..8], 8) && &base[8..] == ".history" {
                base[..8] >= boundary[..8]
            } else if seg.is_some()
                && (rest.is_empty() || rest == ".partial" || backup.is_some_and(|o| hex(o, 8)))
            {
                base >= boundary
            } else {
                true
            }
        })
        .cloned()
        .collect()
}

fn pgrex_json(node: &str, args: &str) -> (i32, serde_json::Value, String) {
    let (code, out) = LAB.sh(
        node,
        &format!("/usr/local/sbin/pgrex --output-format json archive-delete {args}"),
    );
    let result = out
        .lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .find(|v| v["event"] == "result")
        .unwrap_or_else(|| panic!("no result line:\n{out}"));
    (code, result, out)
}

/// Takes the lab down however the test ends (also after a failed `up`).
struct Down;

impl Drop for Down {
    fn drop(&mut self) {
        let _ = LAB.run(&["down"]);
    }
}

#[test]
fn archive_delete_on_a_real_archive() {
    if !enabled("PGREX_LAB") || !enabled("PGREX_LAB_FULL") {
        eprintln!(
            "skipped: set PGREX_LAB=1 PGREX_LAB_FULL=1 to run archive-delete on a lab of its own"
        );
        return;
    }
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let _down = Down;
    LAB.ok(&["up"]);
    generate_wal(4);
    // Names a real archive may also hold: a compressed segment, something else.
    sh_ok("pm01", &format!("cd {ARCH} && f=$(ls | grep -E '^[0-9A-F]{{24}}$' | head -1) && gzip \"$f\" && touch README.txt"));

    // A dry run: the boundary from both checkpoints, the order, nothing changed.
    let before = listing("pm01");
    let (code, r, out) = pgrex_json("pm01", "-r --dry-run");
    assert_eq!(code, 0, "{out}");
    let boundary = r["boundary"]["wal"].as_str().unwrap().to_string();
    assert_eq!(boundary, redo_file("pm01").min(redo_file("pm02")));
    let go: Vec<String> = serde_json::from_value(r["directories"][0]["go"].clone()).unwrap();
    let want: Vec<String> = before
        .difference(&kept(&before, &boundary))
        .cloned()
        .collect();
    assert_eq!(go, want);
    assert!(
        !go.is_empty() && go.iter().any(|f| f.ends_with(".gz")),
        "{go:?}"
    );
    assert!(out.contains("README.txt"), "listed as not touched:\n{out}");
    assert_eq!(listing("pm01"), before);

    // A base backup being taken (rate-limited to stay under way): refused, nothing touched.
    let pid = sh_ok("pm01", "nohup runuser -u postgres -- pg_basebackup -h 127.0.0.1 -U repuser -D /var/lib/pgsql/slow -X none -r 32k -c fast >/dev/null 2>&1 & echo $!");
    LAB.eventually("the base backup under way", 30, || {
        psql(
            "pm01",
            "SELECT count(*) FROM pg_stat_activity WHERE query ILIKE 'BASE_BACKUP%'",
        ) == "1"
    });
    let (code, r, out) = pgrex_json("pm01", "-r -f");
    assert_eq!(code, 3, "{out}");
    assert!(
        r["message"].as_str().unwrap().contains("base backup"),
        "{r}"
    );
    // Nothing removed (the backup's own checkpoint may have archived one more segment).
    let after = listing("pm01");
    assert!(before.is_subset(&after), "{before:?}\n{after:?}");
    // The pg_basebackup under runuser, then runuser itself: by their PIDs.
    let p = pid.trim();
    sh_ok(
        "pm01",
        &format!("kill $(pgrep -P {p}) {p}; sleep 1; rm -rf /var/lib/pgsql/slow"),
    );

    // A finished base backup, then more WAL: -r keeps what the backup needs.
    sh_ok("pm01", "runuser -u postgres -- pg_basebackup -h 127.0.0.1 -U repuser -D /var/lib/pgsql/backup1 -X none -c fast");
    let start = sh_ok("pm01", "sed -n 's/^START WAL LOCATION: .*(file \\(.*\\))$/\\1/p' /var/lib/pgsql/backup1/backup_label");
    generate_wal(3);
    let before = listing("pm01");
    let (code, r, out) = pgrex_json("pm01", "-r -f /var/lib/pgsql/backup1");
    assert_eq!(code, 0, "{out}");
    assert_eq!(r["boundary"]["wal"], start.trim(), "{r}");
    assert_eq!(r["boundary"]["from"][0]["source"], "backup", "{r}");
    assert_eq!(listing("pm01"), kept(&before, start.trim()));

    // -m on both nodes: moved into a new 0700 directory owned like the archive.
    generate_wal(2);
    let before = listing("pm01");
    let peer_before = listing("pm02");
    let (code, r, out) = pgrex_json("pm02", "-m --both -f");
    assert_eq!(code, 0, "{out}");
    let boundary = r["boundary"]["wal"].as_str().unwrap().to_string();
    let dir = r["directories"][1]["moved_to"]
        .as_str()
        .unwrap()
        .to_string();
    let sub = dir.rsplit('/').next().unwrap().to_string();
    let mut want = kept(&before, &boundary);
    want.insert(sub.clone());
    assert_eq!(listing("pm01"), want);
    let moved: BTreeSet<String> = sh_ok("pm01", &format!("ls -A {dir}"))
        .lines()
        .map(str::to_string)
        .collect();
    assert_eq!(
        moved,
        before
            .difference(&kept(&before, &boundary))
            .cloned()
            .collect()
    );
    assert_eq!(
        sh_ok("pm01", &format!("stat -c '%a %U:%G' {dir}")).trim(),
        "700 postgres:postgres"
    );
    let mut peer_want = kept(&peer_before, &boundary);
    if peer_want != peer_before {
        peer_want.insert(sub.clone());
    }
    assert_eq!(listing("pm02"), peer_want);
}

/// The lines `pg-rex_archivefile_delete` prints on stdout around its run, in order (its
/// four banners, the mode line, the closing line): each must appear, after the one before.
fn assert_perl_layout(out: &str, lines: &[&str]) {
    let mut at = 0;
    for l in lines {
        match out[at..].find(l) {
            Some(i) => at += i + l.len(),
            None => panic!("{l:?} missing (or out of order) in:\n{out}"),
        }
    }
    // Its lines are not numbered: only the banners carry numbers.
    assert!(
        !out.lines()
            .any(|l| l.starts_with("1. ") || l.starts_with("2. ")),
        "{out}"
    );
}

/// The Perl manual's runbook lines through the link (issue 11 item 3): `-r -f` (no backup,
/// no question), `-m HOST:/backup` (a real base backup named: no question either, as with
/// the Perl tool), and without a terminal the questions are refused — each leaving exactly
/// what the string rule keeps, with the Perl tool's banners on stdout.
#[test]
fn archivefile_delete_through_the_link_on_a_real_archive() {
    if !enabled("PGREX_LAB") || !enabled("PGREX_LAB_FULL") {
        eprintln!("skipped: set PGREX_LAB=1 PGREX_LAB_FULL=1 to run pg-rex_archivefile_delete on a lab of its own");
        return;
    }
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let _down = Down;
    LAB.ok(&["up"]);
    let d = super::perl::make_links(&LAB);
    let perl = |cmd: &str| super::perl::line(&LAB, "pm01", &d, "", cmd);
    generate_wal(4);
    sh_ok("pm01", &format!("cd {ARCH} && f=$(ls | grep -E '^[0-9A-F]{{24}}$' | head -1) && gzip \"$f\" && touch README.txt"));

    // No backup, no -f, no terminal: refused before anything is read, nothing touched.
    let before = listing("pm01");
    let (code, out) = perl("pg-rex_archivefile_delete -r");
    assert_eq!(code, 3, "{out}");
    assert_eq!(out, "\n**** 1. Ready to run ****\nRunning remove mode.\n");
    let (_, err) = LAB.sh("pm01", "cat /tmp/perl-stderr");
    assert!(err.contains("-f"), "{err}");
    assert_eq!(listing("pm01"), before);

    // -r -f: the boundary from both checkpoints, no question.
    let boundary = redo_file("pm01").min(redo_file("pm02"));
    let (code, out) = perl("pg-rex_archivefile_delete -r -f");
    let (_, err) = LAB.sh("pm01", "cat /tmp/perl-stderr");
    assert_eq!(code, 0, "{out}\nstderr:\n{err}");
    assert_perl_layout(
        &out,
        &[
            "**** 1. Ready to run ****\nRunning remove mode.\n",
            "Reading cib.xml.\n...[OK]",
            "**** 2. Get wal file names ****\n",
            "Getting first wal file name that needs to recovery from the backup specified.\n...[SKIP]",
            &format!("on this node.\n...[OK] ({})", redo_file("pm01")),
            &format!("on another node.\n...[OK] ({})", redo_file("pm02")),
            "**** 3. Calculate the deletion target ****\n",
            "**** 4. Remove the archive log ****\n",
            "\nSucceeded removing the archive log.\n",
        ],
    );
    let after = listing("pm01");
    assert_eq!(after, kept(&before, &boundary));
    assert!(
        after.contains("README.txt") && after.len() < before.len(),
        "{after:?}"
    );

    // A real base backup, more WAL, then -m naming it as HOST:/PATH, read over SSH (`pm01`
    // is the lab's interconnect name, without sshd: its D-LAN name; root's key, as
    // BACKUP_NODE_SSH_PASS_MODE = nopass says).
    sh_ok("pm01", "sed -i 's/^BACKUP_NODE_SSH_PASS_MODE.*/BACKUP_NODE_SSH_PASS_MODE = nopass/' /etc/pg-rex_tools.conf");
    sh_ok("pm01", "runuser -u postgres -- pg_basebackup -h 127.0.0.1 -U repuser -D /var/lib/pgsql/backup1 -X none -c fast");
    let start = sh_ok("pm01", "sed -n 's/^START WAL LOCATION: .*(file \\(.*\\))$/\\1/p' /var/lib/pgsql/backup1/backup_label");
    let start = start.trim().to_string();
    generate_wal(3);
    let before = listing("pm01");
    let (code, out) = perl("pg-rex_archivefile_delete -m pm01-rep:/var/lib/pgsql/backup1/");
    let (_, err) = LAB.sh("pm01", "cat /tmp/perl-stderr");
    assert_eq!(code, 0, "{out}\nstderr:\n{err}");
    assert_perl_layout(
        &out,
        &[
            "**** 1. Ready to run ****\nRunning move mode.\n",
            "**** 2. Get wal file names ****\n",
            &format!("from the backup specified.\n...[OK] ({start})"),
            "**** 3. Calculate the deletion target ****\n",
            "**** 4. Move the archive log ****\n",
            "\nSucceeded moving the archive log.\nThese are in the directory (\"",
        ],
    );
    let sub = out
        .split("These are in the directory (\"")
        .nth(1)
        .and_then(|r| r.split('"').next())
        .unwrap()
        .to_string();
    let mut want = kept(&before, &start);
    want.insert(sub.clone());
    assert_eq!(listing("pm01"), want);
    let moved: BTreeSet<String> = sh_ok("pm01", &format!("ls -A {ARCH}/{sub}"))
        .lines()
        .map(str::to_string)
        .collect();
    let gone: BTreeSet<String> = before.difference(&kept(&before, &start)).cloned().collect();
    assert!(!gone.is_empty());
    assert_eq!(moved, gone);
    assert_eq!(
        sh_ok("pm01", &format!("stat -c '%a %U:%G' {ARCH}/{sub}")).trim(),
        "700 postgres:postgres"
    );

    // Again, under a Japanese locale: nothing older than the backup is left to go.
    let (code, out) = super::perl::line(
        &LAB,
        "pm01",
        &d,
        "LANG=ja_JP.UTF-8",
        "pg-rex_archivefile_delete -r pm01-rep:/var/lib/pgsql/backup1",
    );
    assert_eq!(code, 0, "{out}");
    assert_perl_layout(
        &out,
        &[
            "**** 1. 実行準備 ****\n削除モードで実行します\n",
            "**** 2. WAL ファイル名の取得 ****\n",
            "**** 3. 削除基準の算出 ****\n",
            "削除対象のリストが空のためスクリプトを終了します\n",
        ],
    );
}

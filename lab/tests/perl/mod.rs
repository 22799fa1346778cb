//! Lab test of the Perl tools' names (issue 11 items 1–3): the Perl manual's runbook lines,
//! unchanged, through the links `pgrex links` makes beside the lab's copy of pgrex — each
//! with its record on stdout in the Perl layout. In its own instance (`perltest`, or
//! `PGREX_LAB_PERL_INSTANCE`); gated by `PGREX_LAB=1` and `PGREX_LAB_FULL=1` (the smoke set
//! has one cheap representative in `lab.rs`).
//!
//! pg-rex_stop (standby) → pg-rex_standby_start --normal → pg-rex_stop → -r (as it is:
//! -r implies -n) → pg-rex_stop → --basebackup → pg-rex_switchover → pg-rex_stop on both
//! (standby first) → pg-rex_primary_start → pg-rex_slave_start -n (the seed era's name) →
//! healthy; and a command line the Perl tool would not take is exit 2, changing nothing.

use super::support::{enabled, Lab, ONE_AT_A_TIME};
use std::sync::LazyLock;

static LAB: LazyLock<Lab> = LazyLock::new(|| Lab::from_env("PGREX_LAB_PERL_INSTANCE", "perltest"));

/// Where the links are: beside the copy of pgrex the nodes run (`up` puts it there; the
/// directory is the host's, seen by both nodes).
pub fn bin_dir(lab: &Lab) -> String {
    let (ok, out) = lab.on("pm01", "readlink -f /usr/local/sbin/pgrex");
    assert!(ok, "{out}");
    std::path::Path::new(out.trim())
        .parent()
        .unwrap()
        .display()
        .to_string()
}

/// `pgrex links` there, once: seven links, the second run changes nothing.
pub fn make_links(lab: &Lab) -> String {
    let dir = bin_dir(lab);
    let (ok, out) = lab.on("pm01", &format!("/usr/local/sbin/pgrex links {dir}"));
    assert!(ok, "pgrex links: {out}");
    let (ok, again) = lab.on("pm01", &format!("/usr/local/sbin/pgrex links {dir}"));
    assert!(
        ok && again.matches("(already there)").count() == 7,
        "{again}"
    );
    dir
}

/// A runbook line on `node` (env `env` before it): its exit code and stdout alone.
pub fn line(lab: &Lab, node: &str, dir: &str, env: &str, cmd: &str) -> (i32, String) {
    let o = lab.run(&[
        "exec",
        node,
        "--",
        "/bin/sh",
        "-c",
        &format!("{env} {dir}/{cmd} 2>/tmp/perl-stderr"),
    ]);
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
    )
}

#[track_caller]
fn ok_line(node: &str, dir: &str, env: &str, cmd: &str) -> String {
    let (code, out) = line(&LAB, node, dir, env, cmd);
    let (_, err) = LAB.sh(node, "cat /tmp/perl-stderr");
    assert_eq!(code, 0, "{cmd} on {node}:\n{out}\nstderr:\n{err}");
    out
}

/// The Perl layout of pg-rex_stop: the role line, two steps, the closing line.
pub fn assert_stop_layout(out: &str, role: &str, node: &str) {
    let want = format!(
        "Stopping {}.\n1. Stopping Pacemaker\n...[OK]\n2. Checking Pacemaker has stopped\n...[OK]\n{role} has stopped on the node ({node}).\n",
        role.to_lowercase()
    );
    assert_eq!(out, want);
}

/// Steps 1–4 of pg-rex_standby_start, then the method's banner and the closing line.
pub fn assert_standby_layout(out: &str, banner: &str, node: &str) {
    for l in [
        "1. Checking Pacemaker and Corosync has stopped\n...[OK]",
        "2. Checking primary has started on another node\n...[OK]",
        "3. Checking PGSQL lock file\n...[OK]",
        "4. Checking the status of database cluster\n",
        "5. Checking connecting to another node with IC-LAN\n...[OK]",
        banner,
        "Checking standby has started\n...[OK]",
    ] {
        assert!(out.contains(l), "missing {l:?} in:\n{out}");
    }
    assert!(
        out.ends_with(&format!("Standby has started on the node ({node}).\n")),
        "{out}"
    );
    assert!(!out.contains("Connecting to the peer"), "{out}");
}

/// pg-rex_standby_start's sub-steps 4.1–4.3 right after step 4, each ending `...[OK]`,
/// `...[NG]` (its reasons above) or `...[SKIP]`, and no `...[OK]` of step 4 itself.
pub fn assert_sub_steps(out: &str) {
    let after = out
        .split("4. Checking the status of database cluster\n")
        .nth(1)
        .unwrap_or_else(|| panic!("no step 4 in:\n{out}"));
    let mut lines = after.lines();
    for title in [
        "4.1 Checking if this node can start without change",
        "4.2 Checking if this node can start after running pg_rewind",
        "4.3 Checking if it is ready to run pg_basebackup",
    ] {
        assert_eq!(lines.next(), Some(title), "{out}");
        let end = lines
            .by_ref()
            .find(|l| l.starts_with("..."))
            .unwrap_or_default();
        assert!(
            ["...[OK]", "...[NG]", "...[SKIP]"].contains(&end),
            "{title}: {end:?} in:\n{out}"
        );
    }
    assert!(lines.next().is_some_and(|l| !l.starts_with("...")), "{out}");
}

fn sync(primary: &str, standby: &str) {
    LAB.eventually(&format!("{standby} HS:sync"), 180, || {
        LAB.attr(primary, standby, "pgsql-status").as_deref() == Some("HS:sync")
    });
}

#[test]
fn perl_runbook_lines_through_the_links() {
    if !enabled("PGREX_LAB") || !enabled("PGREX_LAB_FULL") {
        eprintln!(
            "skipped: set PGREX_LAB=1 PGREX_LAB_FULL=1 to run the Perl runbook lines on a lab"
        );
        return;
    }
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    LAB.ok(&["up"]);
    sync("pm01", "pm02");
    let d = make_links(&LAB);
    let d = d.as_str();

    // A command line the Perl tool would not take: exit 2, nothing done, nothing on stdout.
    let (code, out) = line(&LAB, "pm02", d, "", "pg-rex_standby_start -nr");
    assert_eq!((code, out.as_str()), (2, ""));
    assert!(LAB.sh("pm02", "systemctl is-active pacemaker").0 == 0);

    let out = ok_line("pm02", d, "", "pg-rex_stop");
    assert_stop_layout(&out, "Standby", "pm02");
    let out = ok_line("pm02", d, "", "pg-rex_standby_start --normal");
    assert_standby_layout(&out, "Starting the database as it is.\n", "pm02");
    assert_sub_steps(&out);
    sync("pm01", "pm02");

    ok_line("pm02", d, "", "pg-rex_stop -f");
    let out = ok_line("pm02", d, "", "pg-rex_standby_start -r");
    assert_standby_layout(&out, "Starting the database as it is.\n", "pm02");
    sync("pm01", "pm02");

    ok_line("pm02", d, "", "pg-rex_stop");
    // pgrex confirms a base backup (it replaces the data directory); off a terminal
    // PGREX_YES answers, as the Perl command line has no --yes.
    let out = ok_line(
        "pm02",
        d,
        "PGREX_YES=1",
        "pg-rex_standby_start --basebackup",
    );
    assert_standby_layout(
        &out,
        "Starting from a new base backup.\n6. Taking a base backup from primary\n",
        "pm02",
    );
    sync("pm01", "pm02");

    let out = ok_line("pm01", d, "PGREX_YES=1", "pg-rex_switchover");
    for l in [
        "**** Ready to run ****\n1. Reading pg-rex_tools.conf and get both node names.\n...[OK]",
        "2. Checking the HA cluster status of current and after switchover.\n...[OK]",
        "**** Execute to switchover ****\n3. Executing CHECKPOINT.\n...[OK]",
        "Checking that pm02 becomes the new primary.\n...[OK]\n**** Primary has started on the node (pm02) ****\n",
        "Starting standby on the node (pm01).\n...[OK]",
        "...[OK]\n**** Standby has started on the node (pm01) ****\n",
        "**** Switchover has been completed ****\n",
    ] {
        assert!(out.contains(l), "missing {l:?} in:\n{out}");
    }
    assert!(
        out.ends_with("[ Current HA cluster status ]\n Primary : pm02\n Standby : pm01\n"),
        "{out}"
    );
    sync("pm02", "pm01");

    // The whole cluster down the manual's way: standby first, then the primary (no standby
    // left: the service stops, which pgrex asks about — PGREX_YES answers).
    let out = ok_line("pm01", d, "", "pg-rex_stop");
    assert_stop_layout(&out, "Standby", "pm01");
    let out = ok_line("pm02", d, "PGREX_YES=1", "pg-rex_stop");
    assert_stop_layout(&out, "Primary", "pm02");

    let out = ok_line("pm02", d, "", "pg-rex_primary_start");
    for l in [
        "1. Checking Pacemaker and Corosync has stopped\n...[OK]",
        "2. Checking primary has not started on another node\n...[OK]",
        "3. Checking to be able to start up as a primary\n...[OK]",
        "4. Checking PGSQL lock file\n...[OK]",
        "5. Starting Pacemaker\n...[OK]",
        "Checking primary has started\n...[OK]",
    ] {
        assert!(out.contains(l), "missing {l:?} in:\n{out}");
    }
    assert!(
        out.ends_with("Primary has started on the node (pm02).\n"),
        "{out}"
    );
    let out = ok_line("pm01", d, "", "pg-rex_slave_start -n");
    assert_standby_layout(&out, "Starting the database as it is.\n", "pm01");
    sync("pm02", "pm01");
    LAB.ok(&["down"]);
}

//! Interrupted operations leave a recoverable node (issue 13, item 4), on the real cluster in
//! its own lab instance (`inttest`, or `PGREX_LAB_INTERRUPT_INSTANCE`), behind
//! `PGREX_LAB_FULL=1` (about 8 minutes): `kill -9` of `standby-start -b` and everything it
//! started (as an OOM kill or a power loss would), at 30 % and 60 % of the copy — leaving
//! `PG_VERSION` without `global/pg_control` — and right after the copy; each time the next
//! `standby-start -b --yes` names the interrupted step and makes the node `HS:sync` again.
//! Then `primary-start` killed after it started Pacemaker, before the promotion: the next
//! `primary-start` goes on from the wait.

use super::support::{enabled, Lab, ONE_AT_A_TIME};
use std::sync::LazyLock;

static LAB: LazyLock<Lab> =
    LazyLock::new(|| Lab::from_env("PGREX_LAB_INTERRUPT_INSTANCE", "inttest"));

/// `/root/killat.sh WHEN ARGS…` on a node: `pgrex --output-format json ARGS` in a session of
/// its own, killed with every descendant (pg_basebackup runs in its own process group) by
/// SIGKILL once WHEN holds — a number: a progress event at that percentage or more; else an
/// extended regex its NDJSON output matches. Prints `killed` and the last event.
const KILLAT: &str = r#"cat > /root/killat.sh <<'SCRIPT'
#!/bin/sh
when=$1; shift
out=/root/killat.json
setsid /usr/local/sbin/pgrex --output-format json "$@" > $out 2>/root/killat.err < /dev/null &
pid=$!
desc() { for c in $(pgrep -P "$1"); do echo "$c"; desc "$c"; done; }
reached() {
  case $when in
    *[!0-9]*) grep -Eq "$when" $out ;;
    *) p=$(grep '"event":"progress"' $out | tail -1 | sed -E 's/.*"done":([0-9]+).*"total":([0-9]+).*/\1 \2/' | awk '$2 > 0 { print int($1 * 100 / $2) }')
       [ -n "$p" ] && [ "$p" -ge "$when" ] ;;
  esac
}
i=0
until reached; do
  i=$((i + 1))
  if [ $i -gt 6000 ] || ! kill -0 $pid 2>/dev/null; then echo "never reached: $when"; cat $out /root/killat.err; exit 1; fi
  sleep 0.02
done
kill -9 $pid $(desc $pid)
sleep 0.5
echo "killed; last event: $(tail -1 $out)"
SCRIPT
chmod +x /root/killat.sh"#;

fn pgrex(node: &str, args: &str) -> (i32, String) {
    LAB.sh(node, &format!("/usr/local/sbin/pgrex {args}"))
}

fn killed(node: &str, when: &str, args: &str) -> String {
    let (code, out) = LAB.sh(node, &format!("/root/killat.sh '{when}' {args}"));
    assert!(
        code == 0 && out.contains("killed;"),
        "{args} on {node}: {out}"
    );
    out
}

/// The journals of `node` (newest first) as `pgrex journal --output-format json` lists them.
fn journals(node: &str) -> Vec<serde_json::Value> {
    let (_, out) = LAB.on(node, "/usr/local/sbin/pgrex journal --output-format json");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_else(|e| panic!("{e}: {out}"));
    v["journals"].as_array().cloned().unwrap_or_default()
}

fn newest_is_unfinished(node: &str, operation: &str) {
    let j = journals(node);
    let newest = j
        .iter()
        .find(|r| r["operation"] == operation)
        .unwrap_or_else(|| panic!("no {operation} journal: {j:#?}"));
    assert_eq!(newest["state"], "running", "killed: {newest:#}");
    assert_eq!(newest["unfinished"], true, "{newest:#}");
}

fn none_unfinished(node: &str) {
    let j = journals(node);
    assert!(
        j.iter().all(|r| r["unfinished"] == false),
        "the killed run is closed once the next completed: {j:#?}"
    );
}

/// One kill of `standby-start -b` on pm02 at `when`, then the recovery by `-b` again.
fn standby_killed_and_restarted(when: &str, half_filled: bool) {
    let out = killed("pm02", when, "standby-start -b --yes");
    let (_, files) = LAB.on(
        "pm02",
        "cd /var/lib/pgsql/data && for f in PG_VERSION global/pg_control; do test -e $f && echo $f; done",
    );
    if half_filled {
        assert_eq!(files, "PG_VERSION\n", "killed at {when} ({out})");
    }
    newest_is_unfinished("pm02", "standby-start");
    let (code, out) = pgrex("pm02", "standby-start -b --yes");
    assert_eq!(code, 0, "after the kill at {when}:\n{out}");
    assert!(
        out.contains("the previous standby-start on this node did not finish")
            && out.contains("it was interrupted during step"),
        "{out}"
    );
    assert!(out.contains("Standby has started on pm02"), "{out}");
    assert_eq!(
        LAB.attr("pm01", "pm02", "pgsql-status").as_deref(),
        Some("HS:sync")
    );
    none_unfinished("pm02");
}

#[test]
fn full_interrupted_operations_leave_a_recoverable_node() {
    if !enabled("PGREX_LAB") || !enabled("PGREX_LAB_FULL") {
        eprintln!("skipped: set PGREX_LAB=1 PGREX_LAB_FULL=1 to kill standby-start and primary-start part-way (~8 min)");
        return;
    }
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    LAB.ok(&["up"]);
    LAB.eventually("pm02 HS:sync", 120, || {
        LAB.attr("pm01", "pm02", "pgsql-status").as_deref() == Some("HS:sync")
    });
    // Enough data (about 450 MB) that the copy takes seconds, so 30 % and 60 % can be hit.
    let (code, out) = LAB.sh(
        "pm01",
        &format!(
            "runuser -u postgres -- {}/pgbench -q -i -s 30 postgres && runuser -u postgres -- psql -XAtc checkpoint",
            LAB.pg_bin()
        ),
    );
    assert_eq!(code, 0, "{out}");
    for n in ["pm01", "pm02"] {
        assert!(LAB.on(n, KILLAT).0, "killat.sh on {n}");
    }
    let (code, out) = pgrex("pm02", "stop");
    assert_eq!(code, 0, "{out}");
    standby_killed_and_restarted("30", true);
    assert_eq!(pgrex("pm02", "stop").0, 0);
    standby_killed_and_restarted("60", true);
    assert_eq!(pgrex("pm02", "stop").0, 0);
    // Right after the copy: the archive sync is the next step.
    standby_killed_and_restarted(r#""event":"step_started".*"title":"Synchronizing"#, false);

    // primary-start on a stopped cluster, killed once it waits for the promotion.
    assert_eq!(pgrex("pm02", "stop").0, 0);
    let (code, out) = pgrex("pm01", "stop --yes");
    assert_eq!(code, 0, "{out}");
    killed(
        "pm01",
        r#""event":"step_started".*"title":"Checking primary has started"#,
        "primary-start",
    );
    newest_is_unfinished("pm01", "primary-start");
    let (code, out) = pgrex("pm01", "primary-start");
    assert_eq!(code, 0, "{out}");
    assert!(
        out.contains("the previous primary-start on this node did not finish")
            && out.contains("the interrupted primary-start started it"),
        "{out}"
    );
    assert!(
        out.contains("Primary has started on the node (pm01)"),
        "{out}"
    );
    none_unfinished("pm01");
    // Starting alone, pm01 may have fenced the absent pm02.
    if !LAB.powered_on("pm02") {
        LAB.ok(&["power-on", "pm02"]);
    }
    let (code, out) = pgrex("pm02", "standby-start -n");
    assert_eq!(code, 0, "{out}");
    LAB.ok(&["down"]);
}

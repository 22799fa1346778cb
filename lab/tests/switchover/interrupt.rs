//! `PGREX_LAB_FULL=1` lab tests of a switchover stopped part-way (issue 9): SIGINT at every
//! step boundary (sent when the NDJSON stream reports that step finished — no test hook in
//! the product), each followed by `pgrex resume`, and again by `pgrex abort`, each ending
//! HEALTHY with the write probe at 0 lost writes; the old primary rewound on the REMOTE node
//! (the switchover run on the standby); the other node unreachable over SSH (exit 3, nothing
//! changed); and the other node powered off mid-switchover.
//!
//! Each boundary asserts what the run reported it did, and that it could happen there:
//! stopped clean before the first change (130, nothing moved, the other node's lock
//! released), stopped part-way after step n or n+1 (or n+2 when n+1 takes no time) (6,
//! resumed or aborted), or — from the boundary before the last step — completed with the
//! signal noted (`late_interrupt`). The last boundary has no window: nothing follows the
//! last step, so the signal lands while pgrex prints its result (noted) or after it exited
//! (a plain exit 0).

use super::{assert_healthy, assert_nothing_left, both, pgrex, result_of, status, LAB};

/// The primary and the standby as `pgrex status` on pm01 sees them.
pub fn roles() -> (String, String) {
    let s = status("pm01");
    let name = |k: &str| s[k].as_str().unwrap_or_default().to_string();
    (name("primary"), name("standby"))
}

/// Run `pgrex switchover` on `from` in the background, writing /tmp/so.ndjson and, when it
/// ends, its exit code to /tmp/so.rc.
fn start_switchover(from: &str) {
    LAB.sh(
        from,
        "rm -f /tmp/so.ndjson /tmp/so.rc; setsid sh -c '/usr/local/sbin/pgrex switchover --yes --output-format json > /tmp/so.ndjson 2>/tmp/so.err; echo $? > /tmp/so.rc' </dev/null >/dev/null 2>&1 &",
    );
}

/// A switchover on `from`, interrupted (SIGINT) once the stream reports step `n` finished:
/// (its exit code, the stream).
fn interrupted_at(from: &str, n: usize) -> (i32, String) {
    LAB.interrupted_at(from, "switchover --yes", &format!("\"step\":{n}[,}}]"))
}

fn probe_clean() {
    let probe = LAB.ok(&["probe", "stop"]);
    assert!(
        probe.contains("acknowledged rows are on the current primary"),
        "{probe}"
    );
}

fn healthy_again() {
    LAB.eventually("HEALTHY on both nodes", 120, || {
        ["pm01", "pm02"]
            .iter()
            .all(|n| status(n)["verdict"] == "HEALTHY")
    });
}

/// The titles of the steps an uninterrupted switchover reports (the boundaries to
/// interrupt at).
fn step_titles() -> Vec<String> {
    let (old, _) = roles();
    let (code, out) = pgrex(&old, "switchover --yes --output-format json");
    assert_eq!(code, 0, "{out}");
    healthy_again();
    out.lines()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v["event"] == "step_finished")
        .map(|v| v["title"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// What the interrupted run reported it did.
#[derive(Debug, PartialEq)]
enum Outcome {
    /// Exit 130: stopped before any change.
    Clean,
    /// Exit 6: stopped after step N, a change had begun.
    Partial(usize),
    /// Exit 0 with `late_interrupt`: the signal came during the last step or after it.
    CompletedLate,
    /// Exit 0 without it: the signal came after pgrex had finished.
    Completed,
}

fn outcome(rc: i32, stream: &str) -> Outcome {
    let r = super::result_of(stream);
    let msg = r["message"].as_str().unwrap_or_default();
    match rc {
        130 => {
            assert!(msg.contains("interrupted before any change"), "{r}");
            Outcome::Clean
        }
        6 => {
            let step = msg
                .split("interrupted after step ")
                .nth(1)
                .and_then(|t| t.split(' ').next())
                .and_then(|n| n.parse().ok())
                .unwrap_or_else(|| panic!("exit 6 names the step it stopped after: {r}"));
            Outcome::Partial(step)
        }
        0 if r["late_interrupt"] == true => Outcome::CompletedLate,
        0 => Outcome::Completed,
        _ => panic!("exit {rc}, expected 6, 130 or 0:\n{stream}"),
    }
}

/// Which outcomes a SIGINT sent when step `n` (of `last`) reports finished may have: it
/// lands between steps n and n+1 or during step n+1 (a wait stops at once, any other step
/// runs to its end), or during n+2 when n+1 took no time. `first_change` is the first step
/// that changes a node: before it the run stops clean (130). During the last step, or after
/// it, nothing is left to stop before: the run completes and says so. The last boundary has
/// no window at all: the signal lands while pgrex prints its result, or after it has exited.
fn expected(o: &Outcome, n: usize, last: usize, first_change: usize) -> bool {
    match o {
        Outcome::Clean => n < first_change,
        // n + 2 too: the watcher polls the stream (every 20 ms, two forks), so a step
        // n + 1 that takes no time (removing PGSQL.lock on this node) can end before the
        // signal lands, which then lands during n + 2 (seed lab run, boundary 13: after 15).
        Outcome::Partial(m) => n + 1 >= first_change && (n..=n + 2).contains(m) && *m < last,
        Outcome::CompletedLate => n + 1 >= last,
        Outcome::Completed => n == last,
    }
}

/// Interrupted after step `n`, then `mode` (`resume` / `abort`): HEALTHY, nothing left, 0
/// lost writes; `resume` always ends with the roles swapped.
fn one_boundary(n: usize, titles: &[String], mode: &str) {
    let last = titles.len();
    let first_change = 1 + titles
        .iter()
        .position(|t| t.starts_with("Stopping PostgreSQL") || t.starts_with("Moving the primary"))
        .expect("a changing step");
    let (old, new) = roles();
    LAB.ok(&["probe", "start"]);
    let (rc, stream) = interrupted_at(&old, n);
    let o = outcome(rc, &stream);
    eprintln!(
        "step {n} ({}), {mode}: switchover exit {rc}: {o:?}",
        titles[n - 1]
    );
    assert!(
        expected(&o, n, last, first_change),
        "step {n} of {last}: {o:?} cannot follow a SIGINT there:\n{stream}"
    );
    let (_, list) = pgrex(&old, "journal");
    match o {
        // Stopped part-way: the journal is unfinished; the ban is gone already.
        Outcome::Partial(_) => {
            assert!(list.contains("(unfinished)"), "{list}");
            let (_, c) = LAB.sh(&old, "cibadmin -Q -o constraints");
            assert!(
                !c.contains("cli-ban"),
                "step {n}: the ban must be gone: {c}"
            );
            let (code, out) = pgrex(&old, &format!("{mode} --yes"));
            assert_eq!(
                code, 0,
                "step {n} {mode}:\n{out}\nthe interrupted run:\n{stream}"
            );
        }
        // Before any change, or it completed: nothing to take up.
        Outcome::Clean | Outcome::CompletedLate | Outcome::Completed => {
            assert!(!list.contains("(unfinished)"), "{list}");
            // Completed late: said as a warning — by the run (naming the last step), or,
            // when the signal landed after the run had ended but before the result was
            // printed (the last boundary), by the closing.
            if o == Outcome::CompletedLate {
                assert!(
                    stream.contains(&format!(
                        "interrupted during or after the last step ({last}. "
                    )) || (n == last
                        && stream.contains("interrupted after the operation had completed")),
                    "{stream}"
                );
            }
            let (code, out) = pgrex(&old, &format!("{mode} --yes"));
            assert_eq!(code, 0, "{out}");
            assert!(out.contains(&format!("nothing to {mode}")), "{out}");
        }
    }
    healthy_again();
    let (primary, standby) = roles();
    if mode == "resume" && o != Outcome::Clean {
        assert_eq!(
            (primary.as_str(), standby.as_str()),
            (new.as_str(), old.as_str())
        );
    }
    if o == Outcome::Clean {
        // Nothing moved, and the other node's lock (taken in step 5) was released.
        assert_eq!(
            (primary.as_str(), standby.as_str()),
            (old.as_str(), new.as_str())
        );
        let (_, held) = LAB.sh(&new, "cat /var/run/pg-rex_tools.pid 2>/dev/null");
        assert!(held.trim().is_empty(), "the lock on {new} is left: {held}");
    }
    assert_healthy(&primary, &standby);
    assert_nothing_left(&old);
    probe_clean();
}

/// Every step boundary, with resume and with abort.
pub fn every_boundary() {
    let titles = step_titles();
    let steps = titles.len();
    eprintln!("a switchover reports {steps} steps");
    assert!(steps >= 10, "{steps}");
    // `PGREX_LAB_SWITCHOVER_FROM_STEP=N` starts at boundary N (a rerun of a shard).
    let from = std::env::var("PGREX_LAB_SWITCHOVER_FROM_STEP")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1);
    for n in from..=steps {
        for mode in ["resume", "abort"] {
            one_boundary(n, &titles, mode);
        }
    }
}

/// The switchover run on the standby, stopped after the move; the old primary (the REMOTE
/// node) then diverges (started by hand, one write): `resume` finds no proof and rewinds it
/// over SSH.
pub fn remote_rewind() {
    let (old, new) = roles();
    LAB.ok(&["probe", "start"]);
    let script = "rm -f /tmp/so.ndjson; /usr/local/sbin/pgrex switchover --yes --output-format json > /tmp/so.ndjson 2>/tmp/so.err & pid=$!; \
        i=0; until grep -q '\"event\":\"step_finished\".*Removing the ban' /tmp/so.ndjson; do \
        sleep 0.02; i=$((i+1)); [ $i -gt 15000 ] && break; done; kill -INT $pid; wait $pid; echo rc=$?";
    let (_, out) = LAB.sh(&new, script);
    assert!(
        out.contains("rc=6"),
        "{out}\n{}",
        LAB.sh(&new, "cat /tmp/so.ndjson").1
    );
    let bin = "/usr/lib/postgresql/15/bin";
    let diverge = format!(
        "rm -f /var/lib/pgsql/data/standby.signal /var/lib/pgsql/data/recovery.signal && \
         runuser -u postgres -- {bin}/pg_ctl -D /var/lib/pgsql/data -w -t 60 -o \"-p 5499 -c listen_addresses='' -c unix_socket_directories=/tmp -c synchronous_standby_names='' -c archive_mode=off\" start >/dev/null && \
         runuser -u postgres -- {bin}/psql -X -h /tmp -p 5499 -d postgres -c 'CREATE TABLE diverged AS SELECT 1 AS i' && \
         runuser -u postgres -- {bin}/pg_ctl -D /var/lib/pgsql/data -w -m fast stop"
    );
    let (code, out) = LAB.sh(&old, &diverge);
    assert_eq!(code, 0, "diverging the old primary {old}:\n{out}");
    let (code, out) = pgrex(&new, "resume --yes --output-format json");
    assert_eq!(code, 0, "resume on {new}:\n{out}");
    let r = result_of(&out);
    assert_eq!(r["proof"]["proven"], false, "{r}");
    assert_eq!(r["rejoin"], "rewind", "{r}");
    healthy_again();
    assert_healthy(&new, &old);
    assert_nothing_left(&new);
    probe_clean();
}

/// The other node not answering over SSH: exit 3, nothing changed on either node.
pub fn ssh_unreachable() {
    let (old, new) = roles();
    LAB.sh(
        &new,
        "nft add table inet sshblock && nft add chain inet sshblock input '{ type filter hook input priority 0; }' && nft add rule inet sshblock input tcp dport 22 reject",
    );
    let before = both();
    let (code, out) = pgrex(&old, "switchover --yes");
    LAB.sh(&new, "nft delete table inet sshblock");
    assert_eq!(code, 3, "exit 3 expected:\n{out}");
    assert!(out.contains("does not answer over SSH"), "{out}");
    assert_eq!(both(), before, "the refusal changed something");
    let (_, j) = pgrex(&old, "journal");
    assert!(!j.contains("(unfinished)"), "{j}");
}

/// The other node powered off while the switchover moves the role: pgrex stops saying
/// where and what to run next, the ban is gone, and `abort` leaves a safe state (this node
/// the primary); the other node is then brought back by `pgrex standby-start`.
pub fn peer_powered_off() {
    let (old, new) = roles();
    start_switchover(&old);
    LAB.eventually("the ban step", 60, || {
        LAB.sh(&old, "cat /tmp/so.ndjson")
            .1
            .contains("Moving the primary role")
    });
    LAB.ok(&["power-off", &new]);
    LAB.eventually("the switchover to stop", 400, || {
        LAB.on(&old, "test -s /tmp/so.rc").0
    });
    let rc = LAB.sh(&old, "cat /tmp/so.rc").1.trim().to_string();
    let stream = LAB.sh(&old, "cat /tmp/so.ndjson").1;
    eprintln!("powered off mid-switchover: exit {rc}\n{stream}");
    assert!(
        rc == "6" || rc == "5",
        "exit 6 (or 5) expected, got {rc}:\n{stream}"
    );
    let r = result_of(&stream);
    let hint = r["hint"].as_str().unwrap_or_default();
    assert!(hint.contains("pgrex abort"), "{r}");
    let (_, c) = LAB.sh(&old, "cibadmin -Q -o constraints");
    assert!(!c.contains("cli-ban"), "the ban must be gone: {c}");
    let (code, out) = pgrex(&old, "abort --yes");
    eprintln!("pgrex abort:\n{out}");
    assert_eq!(code, 0, "abort:\n{out}");
    let s = status(&old);
    assert_eq!(s["primary"], old.as_str(), "{s}");
    // Back to normal: power on, start it as the standby.
    if !LAB.powered_on(&new) {
        LAB.ok(&["power-on", &new]);
    }
    LAB.eventually("sshd on the node powered on again", 60, || {
        LAB.on(&new, "true").0
    });
    // The lost node's data decides the method (its standby-start's own judgement).
    let mut tried = String::new();
    for method in ["-n", "-r", "-b"] {
        let (code, out) = pgrex(&new, &format!("standby-start {method} --yes"));
        tried.push_str(&out);
        if code == 0 {
            break;
        }
        assert!(method != "-b", "{tried}");
    }
    // Its fencing is history the normal state does not keep.
    LAB.sh(&old, &format!("stonith_admin --cleanup --history {new}"));
    healthy_again();
    assert_healthy(&old, &new);
}

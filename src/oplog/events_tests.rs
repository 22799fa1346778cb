//! The event kinds no lab fault produces (a monitor timeout, a subdaemon that keeps dying,
//! Pacemaker and Corosync stopped, a fencing confirmed by hand, fencing given up), each
//! from the real line Pacemaker 2.1.5 / Corosync 3.1.7 wrote in the lab
//! (tests/fixtures/log/events/, recorded by the `record.sh` beside them).

use super::tests::{one, options};
use super::*;
use crate::diagnose::FaultId;
use std::path::Path;

fn dir(step: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/log/events")
        .join(step)
}

/// The four logs of one step, as `pgrex log --input` reads them.
fn texts(step: &str) -> Vec<Text> {
    [
        "pm01.pacemaker.log",
        "pm01.corosync.log",
        "pm02.pacemaker.log",
        "pm02.corosync.log",
    ]
    .iter()
    .map(|f| Text {
        node: f[..4].to_string(),
        file: f.to_string(),
        text: std::fs::read_to_string(dir(step).join(f))
            .unwrap_or_else(|e| panic!("{step}/{f}: {e} (record.sh records it)")),
    })
    .collect()
}

/// The first recorded line of `file` in `step` that contains `needle`: the line is real.
fn line(step: &str, file: &str, needle: &str) -> String {
    let text = std::fs::read_to_string(dir(step).join(file)).unwrap();
    text.lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{step}/{file}: no line with {needle:?}"))
        .to_string()
}

/// The event of `kind` in the conversion of the whole step (both nodes merged).
fn found(step: &str, kind: Kind) -> Vec<Event> {
    convert(&texts(step), &options())
        .into_iter()
        .filter(|e| e.event == kind)
        .collect()
}

/// conv-msg.md 3-3: the standby's postmaster stopped (SIGSTOP) past the pgsql monitor's 60 s
/// timeout. Pacemaker 2.1 adds how long it waited and why (`Timed Out after 60s (Resource
/// agent did not complete within 60s)`); the message keeps pm_logconv's "(Timed Out)".
#[test]
fn a_monitor_timeout() {
    let l = line(
        "monitor-timeout",
        "pm02.pacemaker.log",
        "operation for pgsql on pm02: Timed Out",
    );
    let e = one(&l);
    assert_eq!(
        (e.event, e.priority, e.message.as_str()),
        (
            Kind::ResourceTimeout,
            Priority::Error,
            "Resource pgsql failed to monitor. (Timed Out)"
        )
    );
    assert_eq!(e.node, "pm02");
    assert_eq!(e.fault, Some(FaultId::PgsqlFailure));
    // Then Pacemaker stops the timed-out instance (on-fail=restart; the RA keeps it stopped).
    let stops = found("monitor-timeout", Kind::ResourceOk);
    assert!(
        stops
            .iter()
            .any(|e| e.node == "pm02" && e.message == "Resource pgsql stopped. (rc=0) ok"),
        "{stops:#?}"
    );
}

/// conv-msg.md 10-7: pacemaker-schedulerd on the standby killed (SIGKILL) each time pacemakerd
/// had respawned it. Pacemaker 2.1.5 gives up after its 101st exit (`MAX_RESPAWN` is 100), with
/// 1.1's wording, and does not respawn it again.
#[test]
fn a_subdaemon_that_keeps_dying_is_given_up() {
    let l = line(
        "respawn-exceeded",
        "pm02.pacemaker.log",
        "respawn count exceeded",
    );
    let e = one(&l);
    assert_eq!(
        (e.event, e.priority, e.message.as_str()),
        (
            Kind::RespawnExceeded,
            Priority::Error,
            "Respawn count exceeded by \"pacemaker-schedulerd\"."
        )
    );
    let killed = found("respawn-exceeded", Kind::ProcessSignal);
    assert_eq!(killed.len(), 101, "one line per kill");
    assert!(killed.iter().all(|e| e
        .message
        .starts_with("Managed \"pacemaker-schedulerd\" process terminated with signal 9. (pid=")));
    // 100 respawns, none after the count was exceeded.
    let started = found("respawn-exceeded", Kind::ProcessStart);
    assert_eq!(started.len(), 100, "{:#?}", started.last());
    let given_up = found("respawn-exceeded", Kind::RespawnExceeded);
    assert_eq!(given_up.len(), 1);
    assert!(started.iter().all(|s| s.time <= given_up[0].time));
}

/// conv-msg.md 14-1 … 14-5: `systemctl stop pacemaker`, then `systemctl stop corosync`, on the
/// standby. The DC (pm01) writes the shutdown request (14-5: only the DC, as pm_logconv
/// says); pacemakerd 2.1 writes "Shutting down Pacemaker" again each time its shutdown
/// resumes, shown once.
#[test]
fn pacemaker_and_corosync_stopped() {
    let s = "shutdown";
    let e = one(&line(
        s,
        "pm01.pacemaker.log",
        "Creating shutdown request for pm02",
    ));
    assert_eq!(
        (e.event, e.message.as_str()),
        (
            Kind::NodeShuttingDown,
            "Pacemaker on pm02 is shutting down."
        )
    );
    let e = one(&line(s, "pm02.pacemaker.log", "Shutting down Pacemaker"));
    assert_eq!(
        (e.event, e.message.as_str()),
        (Kind::PacemakerStopping, "Pacemaker is shutting down.")
    );
    let e = one(&line(s, "pm02.pacemaker.log", "Shutdown complete"));
    assert_eq!(
        (e.event, e.message.as_str()),
        (Kind::PacemakerStopped, "Pacemaker shutdown complete.")
    );
    let e = one(&line(
        s,
        "pm02.corosync.log",
        "Unloading all Corosync service engines",
    ));
    assert_eq!(
        (e.event, e.message.as_str()),
        (Kind::CorosyncStopping, "Corosync is shutting down.")
    );
    let e = one(&line(
        s,
        "pm02.corosync.log",
        "Corosync Cluster Engine exiting normally",
    ));
    assert_eq!(
        (e.event, e.message.as_str()),
        (Kind::CorosyncStopped, "Corosync shutdown complete.")
    );
    let raw = std::fs::read_to_string(dir(s).join("pm02.pacemaker.log")).unwrap();
    assert_eq!(
        raw.matches("Shutting down Pacemaker").count(),
        2,
        "2.1 writes it twice"
    );
    assert_eq!(found(s, Kind::PacemakerStopping).len(), 1);
    // Each subdaemon's clean exit, and the node leaving as the DC sees it.
    assert_eq!(found(s, Kind::ProcessStop).len(), 5);
    let lost = found(s, Kind::NodeLost);
    assert_eq!((lost.len(), lost[0].node.as_str()), (1, "pm01"));
}

/// conv-msg.md 21-8: the stopped node's fencing confirmed by hand (`stonith_admin --confirm
/// pm02` on pm01): Pacemaker 2.1 confirms it as an `off`.
#[test]
fn a_fencing_confirmed_by_hand() {
    let e = one(&line(
        "manual-confirm",
        "pm01.pacemaker.log",
        "was terminated (off) by a human",
    ));
    assert_eq!(
        (e.event, e.priority, e.message.as_str()),
        (
            Kind::StonithOk,
            Priority::Info,
            "Succeeded to STONITH (off) pm02 by a human."
        )
    );
}

/// conv-msg.md 21-4: the primary frozen while its BMC refuses (`pgrex-lab inject
/// fencing-failure && pgrex-lab inject node-failure`): the survivor's controller tries ten
/// times (`stonith-max-attempts`), then gives up.
#[test]
fn fencing_given_up_after_ten_failures() {
    let s = "stonith-gave-up";
    let e = one(&line(s, "pm02.pacemaker.log", "Too many failures"));
    assert_eq!(
        (e.event, e.priority, e.message.as_str()),
        (
            Kind::StonithGaveUp,
            Priority::Error,
            "Too many failures to STONITH pm01."
        )
    );
    assert_eq!(e.fault, Some(FaultId::FencingFailure));
    let failed = found(s, Kind::StonithFailed);
    assert_eq!(failed.len(), 10, "{failed:#?}");
    let gave_up = found(s, Kind::StonithGaveUp);
    assert!(gave_up[0].time >= failed[9].time);
}

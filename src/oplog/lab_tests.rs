//! The conversion over every fault the lab injects, in both profiles (the shared reading; the
//! checks against the deck are lab_slides.rs and lab_nodes.rs): each recording under
//! `tests/fixtures/lab/<profile>/<fault>/` holds both nodes' Pacemaker and Corosync logs of the
//! fault's window (the lab tests' recorder, `PGREX_LAB_RECORD=1`), converted as
//! `pgrex log --input` converts the four files (both nodes merged in time order, as `--both`
//! shows them) and compared with the reviewed snapshot `log.txt` beside them. Each fault's
//! test then names the lines the seed deck's slide for that pattern quotes, with the
//! profile's names, in the slide's order; where Pacemaker 2.1 writes something else the test
//! says so, as commands/log.md does. `PGREX_BLESS=1` rewrites the snapshots (review the diff).

use super::tests::{options, rendered};
use super::*;
use crate::diagnose::FaultId;
use std::path::{Path, PathBuf};

const FILES: [&str; 4] = [
    "pm01.pacemaker.log",
    "pm01.corosync.log",
    "pm02.pacemaker.log",
    "pm02.corosync.log",
];

/// The profiles the lab records, with the names their resources have.
pub(super) struct P {
    pub(super) name: &'static str,
    pub(super) vip_primary: &'static str,
    pub(super) vip_rep: &'static str,
    pub(super) ping_attr: &'static str,
    /// The fencing devices that fence pm01 and pm02.
    pub(super) fence1: &'static str,
    pub(super) fence2: &'static str,
}

const PGREX17: P = P {
    name: "pgrex17",
    vip_primary: "ipaddr-primary",
    vip_rep: "ipaddr-replication",
    ping_attr: "ping-status",
    fence1: "fence1-lab",
    fence2: "fence2-lab",
};

const SEED: P = P {
    name: "seed",
    vip_primary: "vip-master",
    vip_rep: "vip-rep",
    ping_attr: "default_ping_set",
    fence1: "prmStonith1",
    fence2: "prmStonith2",
};

pub(super) const PROFILES: [&P; 2] = [&PGREX17, &SEED];

pub(super) fn dir(p: &P, fault: FaultId) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/lab")
        .join(p.name)
        .join(fault.as_str())
}

/// The four logs of one recording (a node's file named by its first part, as `--input` does).
pub(super) fn texts(p: &P, fault: FaultId) -> Vec<Text> {
    let d = dir(p, fault);
    FILES
        .iter()
        .map(|f| Text {
            node: f[..4].to_string(),
            file: f.to_string(),
            text: std::fs::read_to_string(d.join(f))
                .unwrap_or_else(|e| panic!("{}: {e}", d.join(f).display())),
        })
        .collect()
}

/// The conversion of one recording, checked against its reviewed snapshot `log.txt`.
pub(super) fn snapshot(p: &P, fault: FaultId) -> Vec<Event> {
    let events = convert(&texts(p, fault), &options());
    let got = rendered(&events);
    let file = dir(p, fault).join("log.txt");
    if std::env::var("PGREX_BLESS").is_ok_and(|v| v == "1") {
        std::fs::write(&file, &got).unwrap();
    }
    let want = std::fs::read_to_string(&file)
        .unwrap_or_else(|e| panic!("{}: {e} (PGREX_BLESS=1 writes it)", file.display()));
    pretty_assertions::assert_eq!(got, want, "{}/{fault}", p.name);
    events
}

/// `want` (`NODE message`) appear in this order, other lines between them allowed.
#[track_caller]
pub(super) fn in_order(p: &P, fault: FaultId, events: &[Event], want: &[String]) {
    let got: Vec<String> = events
        .iter()
        .map(|e| format!("{} {}", e.node, e.message))
        .collect();
    let mut at = 0;
    for w in want {
        match got[at..].iter().position(|g| g == w) {
            Some(i) => at += i + 1,
            None => panic!(
                "{}/{fault}: {w:?} not found after line {at} in {got:#?}",
                p.name
            ),
        }
    }
}

/// No event of these kinds.
#[track_caller]
pub(super) fn none_of(p: &P, fault: FaultId, events: &[Event], kinds: &[Kind]) {
    let bad: Vec<&Event> = events.iter().filter(|e| kinds.contains(&e.event)).collect();
    assert!(bad.is_empty(), "{}/{fault}: {bad:#?}", p.name);
}

pub(super) fn s(v: &[&str]) -> Vec<String> {
    v.iter().map(|x| x.to_string()).collect()
}

/// The profile has this fault (the seed profile has no standby VIP).
pub(super) fn has(p: &P, f: FaultId) -> bool {
    !(f == FaultId::VipStandbyFailure && p.name == "seed")
}

/// Each profile's recording of `fault`, checked against its snapshot, then by `check`.
pub(super) fn each(fault: FaultId, mut check: impl FnMut(&P, &[Event])) {
    for p in PROFILES.into_iter().filter(|p| has(p, fault)) {
        let e = snapshot(p, fault);
        check(p, &e);
    }
}

#[test]
fn every_injected_fault_is_recorded_with_both_nodes_logs_and_a_snapshot() {
    let mut missing = vec![];
    for p in PROFILES {
        for f in FaultId::faults().filter(|f| has(p, *f)) {
            let d = dir(p, f);
            let have = FILES
                .iter()
                .chain(&["log.txt"])
                .all(|file| d.join(file).exists());
            if !have {
                missing.push((p.name, f));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "recordings without logs or log.txt (record them: commands/lab.md, Tests): {missing:?}"
    );
}

/// One node's files alone (`pgrex log --input` of that node) give that node's events of the
/// merged view, except the failover summary, which is the DC's and may need the other
/// node's lines (a DC fenced in the middle).
#[test]
fn one_nodes_files_alone_give_its_events_of_the_merged_view() {
    let summary = |k: Kind| {
        matches!(
            k,
            Kind::FailoverStart
                | Kind::FailoverMove
                | Kind::FailoverStartedOn
                | Kind::FailoverStopped
                | Kind::FailoverOk
                | Kind::FailoverFailed
        )
    };
    for p in PROFILES {
        for f in FaultId::faults().filter(|f| has(p, *f)) {
            let all = texts(p, f);
            let merged = convert(&all, &options());
            for node in ["pm01", "pm02"] {
                let mine: Vec<Text> = all.iter().filter(|t| t.node == node).cloned().collect();
                let keep = |e: &&Event| e.node == node && !summary(e.event);
                let alone: Vec<String> = convert(&mine, &options())
                    .iter()
                    .filter(keep)
                    .map(|e| format!("{} {}", e.line, e.message))
                    .collect();
                let from_merged: Vec<String> = merged
                    .iter()
                    .filter(keep)
                    .map(|e| format!("{} {}", e.line, e.message))
                    .collect();
                assert_eq!(alone, from_merged, "{}/{f} {node}", p.name);
            }
        }
    }
}

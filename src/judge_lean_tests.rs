//! Live, diagnose reads more sources than status (the peer, logs, the CIB, the lock files)
//! and may only add findings: over every recorded snapshot and cluster state, the judgement
//! of what status reads is never more severe than the full one, and each of its findings is
//! in the full one (as sure or surer) — or is a `likely` sibling of a node loss that the full
//! judgement's deciding check replaced by a `certain` sibling on the same node (FAULTS.md
//! "likely ... siblings ... the deciding check"; docs/json.md).

use super::*;
use crate::diagnose::{Certainty, NODE_LOSS_SIBLINGS};
use crate::profile::Profile;
use crate::snapshot::Source;
use std::path::{Path, PathBuf};

/// The snapshot with only the sources status reads.
fn lean(s: &Snapshot) -> Snapshot {
    let mut l = s.clone();
    let why = "not read by status";
    l.peer = Source::unknown(why);
    l.logs = Source::unknown(why);
    l.cib = Source::unknown(why);
    l.locks.clear();
    l
}

/// Every recorded snapshot (JSON) and every recorded crm_mon XML with its CIB, and the
/// profile it was recorded in.
fn recordings() -> Vec<(PathBuf, Profile, Snapshot)> {
    let root = crate::node::fake::fixture_path("");
    let mut files = Vec::new();
    walk(&root, &mut files);
    files.sort();
    let mut out = Vec::new();
    for f in files {
        let name = f.to_string_lossy().to_string();
        let p = if name.contains("/seed/") {
            Profile::Seed
        } else {
            Profile::Pgrex17
        };
        let text = std::fs::read_to_string(&f).unwrap();
        if name.ends_with(".json") && text.contains(crate::snapshot::KIND) {
            out.push((f.clone(), p, Snapshot::from_json(&text, &name).unwrap()));
            continue;
        }
        // crm_mon XML beside its CIB: `<state>.xml` + `<state>.cib.xml`, or a lab fault's
        // `crm_mon.xml` + `cib.xml`.
        let cib = if name.ends_with("/crm_mon.xml") {
            f.with_file_name("cib.xml")
        } else if name.ends_with(".xml") && !name.ends_with(".cib.xml") {
            f.with_extension("cib.xml")
        } else {
            continue;
        };
        let Ok(state) = crate::pacemaker::parse::crm_mon(&text, &name) else {
            continue;
        };
        let cib = std::fs::read_to_string(&cib)
            .ok()
            .and_then(|c| crate::pacemaker::parse::cib(&c, &name).ok());
        out.push((
            f.clone(),
            p,
            Snapshot::from_state(state, cib, "not recorded"),
        ));
    }
    out
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            walk(&p, out);
        } else if p.extension().is_some_and(|x| x == "json" || x == "xml") {
            out.push(p);
        }
    }
}

/// How severe a verdict is, for "never milder" (UNKNOWN judges nothing).
fn rank(v: Verdict) -> u8 {
    match v {
        Verdict::Healthy => 0,
        Verdict::Degraded => 1,
        Verdict::Fault => 2,
        Verdict::Unknown => 3,
    }
}

#[test]
fn a_fuller_diagnosis_only_adds_findings() {
    let all = recordings();
    let snapshots = all
        .iter()
        .filter(|(f, ..)| f.extension().unwrap() == "json");
    assert!(snapshots.count() >= 5, "the lab snapshots are found");
    assert!(
        all.len() >= 40,
        "the recorded states are found: {}",
        all.len()
    );
    for (file, p, full_snap) in &all {
        let names = Names::defaults(*p);
        let full = judge(full_snap, &names);
        let lean = judge(&lean(full_snap), &names);
        let f = file.display();
        if lean.verdict == Verdict::Unknown {
            continue;
        }
        assert!(
            rank(full.verdict) >= rank(lean.verdict),
            "{f}: full {:?} milder than lean {:?}",
            full.verdict,
            lean.verdict
        );
        for l in &lean.findings {
            let kept = full
                .findings
                .iter()
                .find(|x| x.id == l.id && x.node == l.node);
            if let Some(k) = kept {
                assert!(k.certainty <= l.certainty, "{f}: {} less sure", l.id);
                continue;
            }
            let replaced = l.certainty == Certainty::Likely
                && NODE_LOSS_SIBLINGS.contains(&l.id)
                && full.findings.iter().any(|x| {
                    x.certainty == Certainty::Certain
                        && x.node == l.node
                        && NODE_LOSS_SIBLINGS.contains(&x.id)
                });
            assert!(
                replaced,
                "{f}: lean finding {} {:?} on {:?} is gone from the full diagnosis: {:?}",
                l.id,
                l.certainty,
                l.node,
                full.findings
                    .iter()
                    .map(|x| (x.id, x.certainty, x.node.clone()))
                    .collect::<Vec<_>>()
            );
        }
    }
}

/// The case that showed it: pgsql-stop-failure's snapshot. Status alone sees a lost node and
/// names every sibling `likely`; the logs decide it, and the full diagnosis has the one.
#[test]
fn the_deciding_check_replaces_the_likely_siblings() {
    let path = crate::node::fake::fixture_path("diagnose/lab/pgrex17/pgsql-stop-failure.json");
    let text = std::fs::read_to_string(&path).unwrap();
    let s = Snapshot::from_json(&text, "f").unwrap();
    let names = Names::defaults(Profile::Pgrex17);
    let lean = judge(&lean(&s), &names);
    let full = judge(&s, &names);
    let top = |j: &Judgement| j.top().map(|f| (f.id.to_string(), f.certainty));
    assert_eq!(
        top(&lean),
        Some(("node-failure".to_string(), Certainty::Likely))
    );
    assert_eq!(
        top(&full),
        Some(("pgsql-stop-failure".to_string(), Certainty::Certain))
    );
    assert!(lean.top().unwrap().decide_with.is_some());
}

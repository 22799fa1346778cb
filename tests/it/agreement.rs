//! The verdicts agree by construction: `pgrex status` and `pgrex diagnose` judge every
//! recorded fixture (tests/fixtures/**: crm_mon XML of both eras, cib.xml, saved snapshots)
//! with the same verdict word, and an input one of them refuses the other refuses with the
//! same exit code.

use crate::{fixture, run};
use serde_json::Value;
use std::path::{Path, PathBuf};

/// Every file under `dir` that `--input` may be given: `.xml` and `.json`.
fn inputs(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().collect();
    entries.sort_by_key(|e| e.path());
    for e in entries {
        let p = e.path();
        if p.is_dir() {
            inputs(&p, out);
        } else if matches!(
            p.extension().and_then(|x| x.to_str()),
            Some("xml") | Some("json")
        ) {
            out.push(p);
        }
    }
}

/// `(exit code, verdict)` of one view over one file (verdict None: the input was refused).
fn judged(command: &str, file: &Path) -> (i32, Option<String>) {
    let f = file.to_str().unwrap();
    let (code, out, err) = run(&[command, "--output-format", "json", "--input", f]);
    let verdict = serde_json::from_str::<Value>(&out)
        .ok()
        .and_then(|v| v["verdict"].as_str().map(str::to_string));
    assert!(
        verdict.is_some() || code == 2,
        "{command} {f}: exit {code} without a verdict: {err}"
    );
    (code, verdict)
}

#[test]
fn status_and_diagnose_give_the_same_verdict_on_every_fixture() {
    let mut files = Vec::new();
    inputs(&fixture(""), &mut files);
    assert!(files.len() > 100, "only {} fixtures found", files.len());
    // Two cores on CI: a few files at a time.
    let results: Vec<String> = std::thread::scope(|s| {
        let chunks: Vec<_> = files.chunks(files.len().div_ceil(4)).collect();
        let handles: Vec<_> = chunks
            .into_iter()
            .map(|chunk| {
                s.spawn(move || {
                    let mut bad = Vec::new();
                    for f in chunk {
                        let st = judged("status", f);
                        let dg = judged("diagnose", f);
                        if st != dg {
                            bad.push(format!("{}: status {st:?}, diagnose {dg:?}", f.display()));
                        }
                    }
                    bad
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    assert!(
        results.is_empty(),
        "verdicts differ:\n{}",
        results.join("\n")
    );
}

/// The five states where the service is down, unreachable or doubled are FAULT in both views; a primary
/// without any standby is DEGRADED in both.
#[test]
fn service_down_or_doubled_is_a_fault_in_both_views() {
    for profile in ["pgrex17", "seed"] {
        for (state, want) in [
            ("no-primary", "FAULT"),
            ("both-offline", "FAULT"),
            ("promoted-both", "FAULT"),
            ("vip-nowhere", "FAULT"),
            ("no-standby", "DEGRADED"),
        ] {
            for ext in ["xml", "cib.xml"] {
                let f = fixture(&format!("status/{profile}/{state}.{ext}"));
                for command in ["status", "diagnose"] {
                    let (code, v) = judged(command, &f);
                    assert_eq!(v.as_deref(), Some(want), "{command} {}", f.display());
                    assert_eq!(code, 1, "{command} {}", f.display());
                }
            }
        }
    }
}

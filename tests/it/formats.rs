//! `pgrex status --output-format prometheus` and `pgrex status --brief` over every recorded
//! fixture: the metrics parse with a real parser (the `prometheus-parse` crate) and agree
//! with the JSON view; the brief view fits 80 columns (snapshots of three states).

use crate::{fixture, run};
use prometheus_parse::{Scrape, Value};
use serde_json::Value as Json;

/// Every crm_mon fixture of both profiles (not the CIBs).
fn fixtures() -> Vec<String> {
    let mut v = Vec::new();
    for profile in ["pgrex17", "seed"] {
        let dir = fixture(&format!("status/{profile}"));
        for e in std::fs::read_dir(dir).unwrap() {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            if name.ends_with(".xml") && !name.ends_with(".cib.xml") {
                v.push(format!("status/{profile}/{name}"));
            }
        }
    }
    v.sort();
    assert!(v.len() >= 20, "{v:?}");
    v
}

fn status(rel: &str, extra: &[&str]) -> (i32, String) {
    let path = fixture(rel);
    let mut args = vec!["status", "--color", "never"];
    args.extend_from_slice(extra);
    args.extend(["--input", path.to_str().unwrap()]);
    let (code, out, err) = run(&args);
    assert!(err.is_empty(), "{rel}: {err}");
    (code, out)
}

fn gauge(v: &Value) -> f64 {
    match v {
        Value::Gauge(g) => *g,
        other => panic!("not a gauge: {other:?}"),
    }
}

#[test]
fn prometheus_output_parses_and_agrees_with_status() {
    for rel in fixtures() {
        let (code, text) = status(&rel, &["--output-format", "prometheus"]);
        let (json_code, json) = status(&rel, &["--output-format", "json"]);
        assert_eq!(code, json_code, "{rel}: the exit code is status's");
        let doc: Json = serde_json::from_str(&json).unwrap();
        let scrape = Scrape::parse(text.lines().map(|l| Ok(l.to_string()))).unwrap();
        // The parser skips what it does not understand: every sample line must be one.
        let lines = text.lines().filter(|l| !l.starts_with('#')).count();
        assert_eq!(
            scrape.samples.len(),
            lines,
            "{rel}: unparsed lines in\n{text}"
        );
        for name in [
            "pgrex_verdict",
            "pgrex_node_online",
            "pgrex_node_role",
            "pgrex_failcount",
        ] {
            assert!(scrape.docs.contains_key(name), "{rel}: no HELP for {name}");
        }
        let on: Vec<_> = scrape
            .samples
            .iter()
            .filter(|s| s.metric == "pgrex_verdict" && gauge(&s.value) == 1.0)
            .collect();
        assert_eq!(on.len(), 1, "{rel}: one verdict is 1");
        assert_eq!(
            on[0].labels.get("verdict"),
            doc["verdict"].as_str(),
            "{rel}"
        );
        for n in doc["nodes"].as_array().unwrap() {
            let name = n["name"].as_str().unwrap();
            let role = scrape
                .samples
                .iter()
                .find(|s| {
                    s.metric == "pgrex_node_role"
                        && s.labels.get("node") == Some(name)
                        && gauge(&s.value) == 1.0
                })
                .unwrap_or_else(|| panic!("{rel}: no role for {name}"));
            assert_eq!(role.labels.get("role"), n["role"].as_str(), "{rel}");
        }
        let fails = scrape
            .samples
            .iter()
            .filter(|s| s.metric == "pgrex_failcount")
            .count();
        assert_eq!(fails, doc["fail_counts"].as_array().unwrap().len(), "{rel}");
    }
}

#[test]
fn an_unobservable_cluster_has_only_the_verdict() {
    let d = tempfile::tempdir().unwrap();
    let crm_mon = crate::inputs::replaying_crm_mon(&d, "status/errors/not-running.xml", 102);
    let mut c = crate::pgrex();
    c.args(["status", "--output-format", "prometheus"])
        .env("PGREX_CRM_MON", &crm_mon);
    let (code, text, _) = crate::run_cmd(c);
    assert_eq!(code, 1);
    let scrape = Scrape::parse(text.lines().map(|l| Ok(l.to_string()))).unwrap();
    assert_eq!(scrape.samples.len(), 4, "{text}");
    let unknown = scrape
        .samples
        .iter()
        .find(|s| s.labels.get("verdict") == Some("UNKNOWN"))
        .unwrap();
    assert_eq!(gauge(&unknown.value), 1.0);
}

#[test]
fn prometheus_is_refused_by_other_commands() {
    let (c, o, e) = run(&["--output-format", "prometheus", "diagnose", "--no-peer"]);
    assert_eq!(c, 2, "{o}{e}");
    assert!(e.contains("only for `pgrex status`"), "{e}");
    let (c, _, e) = run(&["status", "--output-format", "prometheus", "--watch", "1"]);
    assert_eq!(c, 2, "{e}");
    assert!(e.contains("--watch cannot be used"), "{e}");
    let (c, o, _) = run(&["--output-format", "prometheus", "check"]);
    assert_eq!(c, 3, "{o}");
    assert!(o.starts_with("PGREX UNKNOWN - "), "{o}");
}

#[test]
fn brief_fits_80_columns_on_every_fixture() {
    for rel in fixtures() {
        let (code, out) = status(&rel, &["--brief"]);
        let (full_code, _) = status(&rel, &[]);
        assert_eq!(code, full_code, "{rel}");
        for line in out.lines() {
            assert!(
                line.chars().count() <= 80,
                "{rel}: {} columns: {line}",
                line.chars().count()
            );
        }
        assert!(
            out.lines().count() <= 24,
            "{rel}: more than a screen:\n{out}"
        );
    }
}

fn brief(rel: &str) -> String {
    let (code, out) = status(rel, &["--brief"]);
    format!("exit: {code}\n{out}")
}

#[test]
fn brief_snapshots() {
    insta::assert_snapshot!("brief_healthy", brief("status/pgrex17/healthy.xml"));
    insta::assert_snapshot!("brief_no_standby", brief("status/seed/no-standby.xml"));
    insta::assert_snapshot!("brief_failed_over", brief("status/pgrex17/failed-over.xml"));
    // Recorded on the lab's primary: the timeline and the standby's lag from PostgreSQL.
    insta::assert_snapshot!("brief_live_pm01", brief("live/snapshot.healthy.pm01.json"));
    insta::assert_snapshot!("brief_live_pm02", brief("live/snapshot.healthy.pm02.json"));
}

#[test]
fn prometheus_carries_the_lag_and_timeline_postgres_reported() {
    let (_, text) = status(
        "live/snapshot.healthy.pm01.json",
        &["--output-format", "prometheus"],
    );
    let scrape = Scrape::parse(text.lines().map(|l| Ok(l.to_string()))).unwrap();
    let find = |metric: &str| {
        scrape
            .samples
            .iter()
            .find(|s| s.metric == metric)
            .unwrap_or_else(|| panic!("no {metric} in\n{text}"))
    };
    let lag = find("pgrex_replication_lag_bytes");
    assert_eq!(lag.labels.get("node"), Some("pm02"));
    assert_eq!(gauge(&lag.value), 0.0);
    assert_eq!(gauge(&find("pgrex_timeline").value), 2.0);
}

/// The full view shows what PostgreSQL reported under each node.
#[test]
fn the_full_view_shows_timeline_and_lag() {
    let (code, out) = status("live/snapshot.healthy.pm01.json", &[]);
    assert_eq!(code, 0, "{out}");
    let pm02 = out.split("  pm02 ").nth(1).expect("pm02's block");
    let block: String = pm02.lines().take_while(|l| !l.is_empty()).collect();
    assert!(block.contains("timeline             2"), "{out}");
    assert!(block.contains("replication lag      0 B"), "{out}");
    // A crm_mon XML has no PostgreSQL reading: no such line, no complaint.
    let (_, out) = status("status/pgrex17/healthy.xml", &[]);
    assert!(
        !out.contains("timeline") && !out.contains("PostgreSQL on this node"),
        "{out}"
    );
}

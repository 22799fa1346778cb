//! `pgrex status`: observe (live or `--input`), build the report, render it.

use crate::cli::args::{GlobalArgs, StatusArgs};
use crate::cli::printer::Printer;
use crate::cli::settings::{self, ConfigNeed};
use crate::cli::status_text;
use pgrex::config::Config;
use pgrex::msg::view as m;
use pgrex::pacemaker::source::{self, Observation};
use pgrex::snapshot::{collect, corosync, CorosyncStatus, Snapshot, Source};
use pgrex::status::{self, StatusReport, Verdict};
use pgrex::t;
use pgrex::ExitCode;
use std::time::Duration;

pub fn run(g: &GlobalArgs, a: &StatusArgs, p: &Printer) -> anyhow::Result<ExitCode> {
    match a.watch {
        None => once(g, a, p, false),
        Some(secs) => loop {
            let code = once(g, a, p, true)?;
            if p.out_closed() {
                return Ok(code);
            }
            std::thread::sleep(Duration::from_secs(secs.max(1)));
        },
    }
}

fn once(g: &GlobalArgs, a: &StatusArgs, p: &Printer, redraw: bool) -> anyhow::Result<ExitCode> {
    let tools = settings::tools();
    let cfg = settings::config(g, ConfigNeed::for_view(a.input.is_some()), p)?;
    let (obs, live) = match &a.input {
        Some(path) => (source::observe_file(path, &tools)?, Live::default()),
        None => {
            // Every live source at once: the status costs about one crm_mon call.
            // The other sources run beside crm_mon, which carries the full fencing history;
            // the CIB is read only when the view needs it (see observe_live_lean).
            let (obs, live) = std::thread::scope(|s| {
                let links = s.spawn(|| collect::corosync_links(&tools));
                let units = s.spawn(|| collect::unit_enablement(&tools, &cluster_units()));
                let obs = source::observe_live_lean(&tools, |st| {
                    let names = settings::names(g, cfg.as_ref(), st.resource_ids());
                    status::needs_cib_for_disk(st, &names)
                });
                let live = Live {
                    cluster_name: std::fs::read_to_string(corosync::COROSYNC_CONF)
                        .ok()
                        .and_then(|c| corosync::cluster_name(&c)),
                    links: links.join().ok(),
                    units: units.join().ok(),
                };
                (obs, live)
            });
            match obs {
                Ok(o) => (o, live),
                Err(pgrex::Error::MissingProgram { program, .. }) if program == "crm_mon" => {
                    return Err(pgrex::Error::MissingProgram {
                        program,
                        hint: Some(m::NO_PACEMAKER_HINT.text().to_string()),
                    }
                    .into())
                }
                Err(pgrex::Error::Unobservable { message, hint }) => {
                    let persisted = persisted_data_status(g, cfg.as_ref());
                    return unknown(p, &message, hint.as_deref(), &persisted, redraw);
                }
                Err(e) => return Err(e.into()),
            }
        }
    };
    let report = report(g, cfg.as_ref(), &obs, live);
    show(p, &report, redraw);
    Ok(report.verdict.exit_code())
}

/// What only the live cluster tells, beyond crm_mon and the CIB.
#[derive(Default)]
pub struct Live {
    /// From corosync.conf (read, not run): crm_mon's XML does not carry it.
    pub cluster_name: Option<String>,
    pub links: Option<Source<CorosyncStatus>>,
    pub units: Option<Source<Vec<(String, String)>>>,
}

/// pacemaker and corosync; pcsd too where pcs is installed.
fn cluster_units() -> Vec<&'static str> {
    let mut u = vec!["pacemaker", "corosync"];
    if which::which("pcs").is_ok() {
        u.push("pcsd");
    }
    u
}

/// Build the report for an observation (names resolved from flag, config and the XML), with
/// the top finding of the diagnosis rules on the same state.
pub fn report(g: &GlobalArgs, cfg: Option<&Config>, obs: &Observation, live: Live) -> StatusReport {
    let names = settings::names(g, cfg, obs.state.resource_ids());
    let state = obs.state.clone();
    let extras = status::Extras {
        cluster_name: live.cluster_name.as_deref(),
        links: live.links.as_ref().and_then(Source::known),
        units: live
            .units
            .as_ref()
            .and_then(Source::known)
            .map(Vec::as_slice),
    };
    let mut r = status::build_with(&state, &names, obs.cib.as_ref(), extras);
    let mut snap = Snapshot::from_state(state, obs.cib.clone(), "not read by pgrex status");
    if let Some(l) = live.links {
        snap.corosync = l;
    }
    r.diagnosis = pgrex::diagnose::diagnose(&snap, &names)
        .into_iter()
        .find(|f| f.severity != status::Severity::Info)
        .map(|f| status::TopFinding {
            id: f.id.to_string(),
            node: f.node.clone(),
            certainty: f.certainty.as_str().to_string(),
            headline: pgrex::diagnose::headline(&f),
        });
    r
}

fn show(p: &Printer, r: &StatusReport, redraw: bool) {
    if p.json() {
        p.out(&(serde_json::to_string_pretty(r).expect("report serializes") + "\n"));
        return;
    }
    let text = status_text::render(r, p);
    if redraw && p.out_tty {
        // Home the cursor and clear the screen, then draw: one frame, no flicker of old lines.
        p.out(&format!("\x1b[H\x1b[2J{text}"));
    } else {
        p.out(&text);
    }
}

/// With Pacemaker down here, the on-disk CIB still tells each node's last persisted
/// `pgsql-data-status` — what an operator needs to decide which node may start as primary.
fn persisted_data_status(g: &GlobalArgs, cfg: Option<&Config>) -> Vec<(String, String)> {
    let path = pgrex::pacemaker::cib::DEFAULT_CIB_PATH;
    let Ok(text) = std::fs::read_to_string(path) else {
        return Vec::new();
    };
    let Ok(cib) = pgrex::pacemaker::parse::cib(&text, path) else {
        return Vec::new();
    };
    let ids: Vec<&str> = cib.primitive_params.keys().map(String::as_str).collect();
    let attr = settings::names(g, cfg, ids).data_status_attr();
    cib.nodes
        .iter()
        .filter_map(|n| {
            n.attributes
                .get(&attr)
                .map(|v| (n.uname.clone(), v.clone()))
        })
        .collect()
}

fn unknown(
    p: &Printer,
    why: &str,
    hint: Option<&str>,
    persisted: &[(String, String)],
    redraw: bool,
) -> anyhow::Result<ExitCode> {
    let reason = t!(m::UNKNOWN_VERDICT, why = why);
    if p.json() {
        let persisted: serde_json::Map<String, serde_json::Value> = persisted
            .iter()
            .map(|(n, v)| (n.clone(), serde_json::Value::from(v.as_str())))
            .collect();
        let doc = serde_json::json!({
            "schema_version": status::SCHEMA_VERSION,
            "verdict": Verdict::Unknown,
            "reason": reason,
            "next": hint,
            "persisted_data_status": persisted,
        });
        p.out(&(serde_json::to_string_pretty(&doc)? + "\n"));
    } else {
        let mut s = String::new();
        if redraw && p.out_tty {
            s.push_str("\x1b[H\x1b[2J");
        }
        s.push_str(&format!("UNKNOWN  {reason}\n"));
        if let Some(h) = hint {
            s.push_str(&format!("{} {h}\n", m::NEXT.text()));
        }
        if !persisted.is_empty() {
            s.push_str(&format!(
                "\n{}\n",
                t!(
                    m::PERSISTED_HEADER,
                    path = pgrex::pacemaker::cib::DEFAULT_CIB_PATH
                )
            ));
            for (node, v) in persisted {
                let meaning = pgrex::status::meaning::data_status(v);
                s.push_str(&format!("  {node:<10} {v:<16} {meaning}\n"));
            }
        }
        p.out(&s);
    }
    Ok(ExitCode::Failed)
}

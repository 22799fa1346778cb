//! `pgrex diagnose`: collect a snapshot (live, or load `--input`), run the rules, render the
//! findings as text or the JSON document of `docs/json.md`; `--save` writes the snapshot.

use crate::cli::args::{DiagnoseArgs, GlobalArgs};
use crate::cli::diagnose_text;
use crate::cli::printer::Printer;
use crate::cli::settings::{self, ConfigNeed};
use pgrex::diagnose;
use pgrex::msg::{diag as m, view};
use pgrex::pacemaker::source;
use pgrex::snapshot::{collect, logs, Snapshot, Source};
use pgrex::status::Verdict;
use pgrex::t;
use std::path::{Path, PathBuf};

pub fn run(g: &GlobalArgs, a: &DiagnoseArgs, p: &Printer) -> anyhow::Result<u8> {
    let tools = settings::tools();
    let need = if a.input.is_some() {
        ConfigNeed::IfExplicit
    } else {
        ConfigNeed::IfPresent
    };
    let cfg = settings::config(g, need, p)?;
    let snap = match &a.input {
        Some(path) => {
            let mut s = load(path, &tools)?;
            add_logs(&mut s, &a.logs)?;
            s
        }
        None => {
            let set = collect::CollectSettings {
                tools: tools.clone(),
                log_files: a.logs.clone(),
            };
            let names_for = |st: &pgrex::pacemaker::ClusterState| {
                settings::names(g, cfg.as_ref(), st.resource_ids())
            };
            collect::collect(&set, names_for).map_err(|e| match e {
                pgrex::Error::MissingProgram { program, .. } if program == "crm_mon" => {
                    pgrex::Error::MissingProgram {
                        program,
                        hint: Some(view::NO_PACEMAKER_HINT.text().replace("status", "diagnose")),
                    }
                }
                e => e,
            })?
        }
    };
    if let Some(file) = &a.save {
        let json = serde_json::to_string_pretty(&snap)? + "\n";
        fs_err::write(file, json)?;
        p.err(&(t!(m::SAVED, file = file.display()) + "\n"));
    }
    let ids: Vec<&str> = snap
        .cluster
        .known()
        .map(|s| s.resource_ids())
        .unwrap_or_default();
    let names = settings::names(g, cfg.as_ref(), ids);
    let report = diagnose::report(&snap, &names);
    if p.json() {
        p.out(&(serde_json::to_string_pretty(&report)? + "\n"));
    } else {
        p.out(&diagnose_text::render(&report, p));
    }
    Ok(if report.verdict == Verdict::Healthy {
        0
    } else {
        1
    })
}

/// A saved snapshot (JSON), or a crm_mon XML / cib.xml read through the status source.
pub fn load(path: &Path, tools: &pgrex::exec::Tools) -> pgrex::Result<Snapshot> {
    let what = path.display().to_string();
    let text =
        fs_err::read_to_string(path).map_err(|e| pgrex::Error::input(&what, e.to_string()))?;
    if Snapshot::looks_like_json(&text) {
        return Snapshot::from_json(&text, &what);
    }
    let obs = source::observe_file(path, tools)?;
    let why = format!("not in the input file {what}");
    Ok(Snapshot::from_state(obs.state, obs.cib, &why))
}

/// Lines of the `--log` files join whatever logs the snapshot has.
fn add_logs(s: &mut Snapshot, files: &[PathBuf]) -> anyhow::Result<()> {
    if files.is_empty() {
        return Ok(());
    }
    let mut lines = s.logs.known().cloned().unwrap_or_default();
    for f in files {
        let what = f.display().to_string();
        let text = fs_err::read(f).map_err(|e| pgrex::Error::input(&what, e.to_string()))?;
        lines.extend(logs::scan(&String::from_utf8_lossy(&text), &what, None));
    }
    s.logs = Source::Known(lines);
    Ok(())
}

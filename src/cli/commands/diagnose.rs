//! `pgrex diagnose`: collect a snapshot (live, or load `--input`), run the rules, render the
//! findings as text or the JSON document of `docs/json.md`; `--save` writes the snapshot.

use crate::cli::args::{DiagnoseArgs, GlobalArgs};
use crate::cli::diagnose_text;
use crate::cli::ops::Prompt;
use crate::cli::printer::Printer;
use crate::cli::settings::{self, ConfigNeed};
use pgrex::config::{Config, SshAuth as ConfAuth};
use pgrex::diagnose;
use pgrex::msg::{diag as m, view};
use pgrex::node::{Node, SshAuth, SshConfig, SshNode};
use pgrex::pacemaker::source;
use pgrex::snapshot::{collect, logs, Snapshot, Source};
use pgrex::t;
use pgrex::ExitCode;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;

pub fn run(g: &GlobalArgs, a: &DiagnoseArgs, p: &Printer) -> anyhow::Result<ExitCode> {
    let tools = settings::tools();
    let cfg = settings::config(g, ConfigNeed::for_view(a.input.is_some()), p)?;
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
            let session = peer_session(a, cfg.as_ref(), p);
            let peer: Result<&dyn Node, String> = match &session {
                Ok(n) => Ok(n),
                Err(why) => Err(why.clone()),
            };
            collect::collect(&set, names_for, peer).map_err(|e| match e {
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
    Ok(report.verdict.exit_code())
}

/// One SSH session to the other node (its D-LAN address from the configuration), or why
/// there is none. Read-only use: a `manual` password is asked only on a terminal.
fn peer_session(a: &DiagnoseArgs, cfg: Option<&Config>, p: &Printer) -> Result<SshNode, String> {
    if a.no_peer {
        return Err(t!(m::WHY_PEER_SKIPPED));
    }
    let Some(cfg) = cfg else {
        return Err(t!(m::WHY_PEER_NO_CONFIG));
    };
    let auth = match &cfg.peer_ssh {
        ConfAuth::Manual => {
            let tty = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
            if !tty || p.json() {
                return Err(t!(m::WHY_PEER_MANUAL));
            }
            SshAuth::Manual(Arc::new(Prompt))
        }
        ConfAuth::Passfile(f) => SshAuth::Passfile(f.clone()),
        ConfAuth::Nopass => SshConfig::nopass_root_keys(true),
    };
    let mut sc = SshConfig::root(cfg.d_lan.peer.to_string(), auth);
    // A powered-off peer should not hold the diagnosis up for long.
    sc.connect_timeout = std::time::Duration::from_secs(5);
    SshNode::connect(&sc).map_err(|e| t!(m::WHY_PEER_CONNECT, error = pgrex::error::chain_text(&e)))
}

/// A saved snapshot (JSON), or a crm_mon XML / cib.xml read through the status source.
pub fn load(path: &Path, tools: &pgrex::exec::Tools) -> pgrex::Result<Snapshot> {
    let what = path.display().to_string();
    let text = fs_err::read_to_string(path)
        .map_err(|e| pgrex::Error::input(&what, t!(pgrex::msg::gen::READ_FAILED)).with_source(e))?;
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
        let text = fs_err::read(f).map_err(|e| {
            pgrex::Error::input(&what, t!(pgrex::msg::gen::READ_FAILED)).with_source(e)
        })?;
        lines.extend(logs::scan(&String::from_utf8_lossy(&text), &what, None));
    }
    s.logs = Source::Known(lines);
    Ok(())
}

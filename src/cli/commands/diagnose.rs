//! `pgrex diagnose`: settings → one snapshot (every source, the peer's view through one SSH
//! session, or `--input`) → the judged diagnosis → render; `--save` writes the snapshot.

use crate::cli::args::{DiagnoseArgs, GlobalArgs};
use crate::cli::diagnose_text;
use crate::cli::ops::peer_session;
use crate::cli::printer::{Printer, Stream};
use crate::cli::settings::{self, ConfigNeed};
use pgrex::msg::diag as m;
use pgrex::snapshot::collect::{self, Sources};
use pgrex::t;
use pgrex::ExitCode;

pub fn run(g: &GlobalArgs, a: &DiagnoseArgs, p: &Printer) -> anyhow::Result<ExitCode> {
    let cfg = settings::config(g, ConfigNeed::for_view(a.input.is_some()), p)?;
    let set = settings::collect(Sources::DIAGNOSE, &a.logs)?;
    let names = |ids: &[&str]| settings::names(g, cfg.as_ref(), ids.iter().copied());
    let peer = || {
        if a.no_peer {
            return Err(t!(m::WHY_PEER_SKIPPED));
        }
        peer_session(cfg.as_ref(), p)
    };
    let snap = collect::observe(a.input.as_deref(), &set, &names, peer, "diagnose")?;
    if let Some(file) = &a.save {
        fs_err::write(file, serde_json::to_string_pretty(&snap)? + "\n")?;
        p.err(&(t!(m::SAVED, file = file.display()) + "\n"));
    }
    let report = pgrex::judge::diagnosis(&snap, &names(&snap.resource_ids()));
    if p.json() {
        p.out(&(serde_json::to_string_pretty(&report)? + "\n"));
    } else {
        p.out(&p.wrap(Stream::Out, &diagnose_text::render(&report, p)));
    }
    Ok(report.verdict.exit_code())
}

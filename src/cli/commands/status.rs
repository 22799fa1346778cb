//! `pgrex status`: settings → one snapshot (lean sources, or `--input`) → the judged view
//! → render (the full view, `--brief`, JSON or Prometheus metrics); `--watch N` repeats it,
//! one redrawn frame at a time.

use crate::cli::args::{GlobalArgs, OutputFormat, StatusArgs};
use crate::cli::printer::{Printer, Stream};
use crate::cli::settings::{self, ConfigNeed};
use crate::cli::{status_brief, status_prom, status_text};
use pgrex::snapshot::collect::{self, Sources};
use pgrex::ExitCode;
use std::time::Duration;

pub fn run(g: &GlobalArgs, a: &StatusArgs, p: &Printer) -> anyhow::Result<ExitCode> {
    if a.watch.is_some() && p.format == OutputFormat::Prometheus {
        let msg = pgrex::t!(pgrex::msg::check::PROMETHEUS_NO_WATCH);
        return Err(crate::cli::error::UsageError(msg).into());
    }
    let cfg = settings::view_config(g, ConfigNeed::for_view(a.input.is_some()), p)?;
    let set = settings::collect(Sources::STATUS, &[])?;
    let names = |ids: &[&str]| settings::names(g, cfg.as_ref(), ids.iter().copied());
    loop {
        let no_peer = || Err(String::new());
        let snap = collect::observe(a.input.as_deref(), &set, &names, no_peer, "status")?;
        let doc = pgrex::judge::status(&snap, &names(&snap.resource_ids()));
        match p.format {
            OutputFormat::Json => p.out(&(serde_json::to_string_pretty(&doc)? + "\n")),
            OutputFormat::Prometheus => p.out(&status_prom::render(&doc)),
            OutputFormat::Text if a.brief => {
                p.out_frame(&status_brief::render(&doc, p), a.watch.is_some())
            }
            OutputFormat::Text => p.out_frame(
                &p.wrap(Stream::Out, &status_text::render_doc(&doc, p)),
                a.watch.is_some(),
            ),
        }
        // A watch ends when its reader does (`pgrex status --watch 2 | head`).
        match a.watch {
            Some(secs) if !p.out_closed() => std::thread::sleep(Duration::from_secs(secs.max(1))),
            _ => return Ok(doc.verdict().exit_code()),
        }
    }
}

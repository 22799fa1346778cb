//! `pgrex log`: settings (the window asked, `--node`/`--both`, the names) → the plan
//! (`oplog::run::live_plan` from one look at the cluster, or `oplog::plan::saved` for
//! `--input`) → the peer's session when the plan wants it → `oplog::run::Log` reads →
//! `log_text` renders; `--follow` renders each further read until stdout closes.

use crate::cli::args::{GlobalArgs, LogArgs};
use crate::cli::log_text;
use crate::cli::ops::peer_session;
use crate::cli::printer::Printer;
use crate::cli::settings::{self, ConfigNeed};
use pgrex::node::LocalNode;
use pgrex::oplog::plan::{self, Ask};
use pgrex::oplog::run::{self, Log, Logs};
use pgrex::oplog::{window, Clock};
use pgrex::snapshot::collect::Sources;
use pgrex::ExitCode;

pub fn run(g: &GlobalArgs, a: &LogArgs, p: &Printer) -> anyhow::Result<ExitCode> {
    let clock = Clock::system();
    let cfg = settings::config(g, ConfigNeed::for_view(!a.input.is_empty()), p)?;
    let names = |ids: &[&str]| settings::names(g, cfg.as_ref(), ids.iter().copied());
    let ask = Ask {
        since: window::parse_arg(a.since.as_deref(), &clock)?,
        until: window::parse_arg(a.until.as_deref(), &clock)?,
        node: a.node.clone(),
        both: a.both,
    };
    let (plan, from);
    if a.input.is_empty() {
        let (tools, set) = (
            settings::tools(),
            settings::collect(Sources::STATUS, &[]).ok(),
        );
        plan = run::live_plan(ask, &tools, set.as_ref(), &names, &clock);
        log_text::window(p, &plan, &clock);
        let peer = plan.peer.then(|| peer_session(cfg.as_ref(), p));
        let peer = peer.and_then(|r| {
            r.map_err(|why| log_text::note(p, &run::peer_unreadable(&why)))
                .ok()
        });
        let journalctl = tools.path("journalctl").display().to_string();
        from = Logs::live(&plan, &LocalNode, journalctl, peer);
    } else {
        plan = plan::saved(ask, &names(&[]));
        from = Logs::Saved(&a.input);
    }
    let log = Log::new(&plan, from, &clock);
    let first = log.read()?;
    log_text::batch(p, &first, &plan, a.raw, !a.follow, &clock)?;
    if a.follow {
        let mut more = log.follow(&first.events);
        loop {
            log_text::batch(p, &more.next_batch()?, &plan, a.raw, false, &clock)?;
            if p.out_closed() {
                break;
            }
        }
    }
    Ok(ExitCode::Ok)
}

//! `pgrex cleanup [RESOURCE] [--node NODE]`: settings → `ops::cleanup::cleanup` → result.
//! Needs neither root nor the configuration (names come from the cluster when there is none);
//! `--input` plans against a saved file, takes no lock and implies `--dry-run`. `pgrex
//! resume` / `pgrex abort` of a cleanup use the same settings ([`resume`]).

use crate::cli::args::{CleanupArgs, GlobalArgs};
use crate::cli::ops::{self, Session};
use crate::cli::printer::Printer;
use crate::cli::settings::{self, ConfigNeed};
use pgrex::ops::cleanup::resume::CleanupArguments;
use pgrex::ops::cleanup::{self, CleanupOptions, Report};
use pgrex::ops::resume::Mode;
use pgrex::ExitCode;

pub fn run(g: &GlobalArgs, a: &CleanupArgs, p: &Printer) -> anyhow::Result<ExitCode> {
    let need = if a.input.is_some() {
        ConfigNeed::IfExplicit
    } else {
        ConfigNeed::IfPresent
    };
    let cfg = settings::config(g, need, p)?;
    let live = a.input.is_none();
    let session = Session::start(p, a.op.yes, a.op.dry_run || !live, live)?;
    let tools = settings::tools();
    let observe = || pgrex::snapshot::observe_cluster(a.input.as_deref(), &tools);
    let names = |ids: &[&str]| settings::names(g, cfg.as_ref(), ids.iter().copied());
    let o = CleanupOptions {
        resource: a.resource.as_deref(),
        node: a.node.as_deref(),
        force: a.force,
        observe: &observe,
        names: &names,
    };
    let ctx = session.ctx();
    let mut report = Report::default();
    let r = cleanup::cleanup(&ctx, &o, &mut report);
    session.finish(r, serde_json::to_value(&report)?)
}

/// `pgrex resume` / `pgrex abort` of a cleanup with the journal's arguments (on the live
/// cluster).
pub fn resume(
    g: &GlobalArgs,
    env: &ops::OpEnv,
    a: CleanupArguments,
    mode: Mode,
) -> anyhow::Result<ExitCode> {
    let tools = settings::tools();
    let observe = || pgrex::snapshot::observe_cluster(None, &tools);
    let names = |ids: &[&str]| settings::names(g, Some(&env.cfg), ids.iter().copied());
    let o = CleanupOptions {
        resource: a.resource.as_deref(),
        node: a.node.as_deref(),
        force: a.force,
        observe: &observe,
        names: &names,
    };
    let mut report = Report::default();
    let r = cleanup::resume::continue_cleanup(&env.ctx(), &o, mode, &mut report);
    env.finish(r, serde_json::to_value(&report)?)
}

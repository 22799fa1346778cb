//! `pgrex switchover [--yes] [--dry-run]`: settings → `ops::switchover::switchover` →
//! result (the roles, the LSN proof and the write-outage window in the JSON result). The
//! same settings serve `pgrex resume` / `pgrex abort` of a switchover ([`resume`]).

use crate::cli::args::{GlobalArgs, SwitchoverArgs};
use crate::cli::printer::Printer;
use crate::cli::{env, ops, settings};
use pgrex::node::Node;
use pgrex::ops::resume::Mode;
use pgrex::ops::switchover::plan::Roles;
use pgrex::ops::switchover::resume;
use pgrex::ops::switchover::{self, SwitchoverOptions, SwitchoverResult};
use pgrex::snapshot::collect::{self, Sources};
use pgrex::ExitCode;
use std::path::PathBuf;

pub fn run(g: &GlobalArgs, a: &SwitchoverArgs, p: &Printer) -> anyhow::Result<ExitCode> {
    let env = ops::setup(g, &a.op, p, "switchover")?;
    run_with(g, &env, None)
}

/// `pgrex resume` / `pgrex abort` of the switchover that set out to swap `roles`.
pub fn resume(
    g: &GlobalArgs,
    env: &ops::OpEnv,
    roles: Roles,
    mode: Mode,
) -> anyhow::Result<ExitCode> {
    run_with(g, env, Some((roles, mode)))
}

/// A fresh switchover (`None`), or the continuation of the one `roles` describes.
pub fn run_with(
    g: &GlobalArgs,
    env: &ops::OpEnv,
    resume: Option<(Roles, Mode)>,
) -> anyhow::Result<ExitCode> {
    let names = env.names(g);
    let connect = || -> pgrex::Result<Box<dyn Node>> { Ok(Box::new(env.connect_peer()?)) };
    let set = settings::collect(Sources::STATUS, &[])?;
    let snap_names = |ids: &[&str]| settings::names(g, Some(&env.cfg), ids.iter().copied());
    let observe = || collect::observe(None, &set, &snap_names, || Err(String::new()), "switchover");
    let o = SwitchoverOptions {
        timeouts: env.cfg.timeouts,
        max_lag: env.cfg.switchover_max_lag,
        rewind_via: env.cfg.rewind_via,
        pgpath: env.cfg.pgpath.clone(),
        archive_dir: env.cfg.archive_dir.clone(),
        standby_vip: env.cfg.ipaddr_standby,
        peer_addr: env.cfg.d_lan.peer.to_string(),
        local_addr: env.cfg.d_lan.mine.to_string(),
        lock_path: env::var("PGREX_LOCK_FILE")
            .map(PathBuf::from)
            .unwrap_or_else(|| pgrex::ops::lock::DEFAULT_PATH.into()),
        names: &names,
        observe: &observe,
        connect: &connect,
    };
    let ctx = env.ctx();
    let mut out = SwitchoverResult::default();
    let r = match &resume {
        None => switchover::switchover(&ctx, &o, &mut out),
        Some((roles, mode)) => resume::continue_switchover(&ctx, &o, roles, *mode, &mut out),
    };
    env.finish(r, serde_json::to_value(&out)?)
}

//! `pgrex standby-start [-n|-r|-b] [-c] [-d] [-s] [--yes]`: settings →
//! `ops::standby::standby_start` → result. The same settings serve `pgrex resume` /
//! `pgrex abort` of a standby start ([`resume`]).

use crate::cli::args::{GlobalArgs, StandbyStartArgs};
use crate::cli::ops;
use crate::cli::printer::Printer;
use pgrex::node::Node;
use pgrex::ops::resume::Mode;
use pgrex::ops::standby::resume::StandbyArguments;
use pgrex::ops::standby::{self, decide::Request, StandbyOptions, StandbyResult};
use pgrex::profile::Names;
use pgrex::ExitCode;

type Connect<'a> = dyn Fn() -> pgrex::Result<Box<dyn Node>> + 'a;

pub fn run(g: &GlobalArgs, a: &StandbyStartArgs, p: &Printer) -> anyhow::Result<ExitCode> {
    let env = ops::setup(g, &a.op, p, "standby-start")?;
    let names = env.names(g);
    let connect = || -> pgrex::Result<Box<dyn Node>> { Ok(Box::new(env.connect_peer()?)) };
    let request = Request {
        normal: a.normal,
        rewind: a.rewind,
        basebackup: a.basebackup,
        check_all: false,
        shared_archive: a.shared_archive_directory,
    };
    let mut o = options(&env, &names, &connect, request);
    o.check_only = a.check_only;
    if a.check_only && (a.normal || a.rewind || a.basebackup) {
        env.reporter_warn_check_only();
    }
    let ctx = env.ctx();
    let r = standby::standby_start(&ctx, &o);
    finish(&env, r.map(|(m, out)| (m, Some(out))))
}

/// `pgrex resume` / `pgrex abort` of a standby start with the journal's method.
pub fn resume(
    g: &GlobalArgs,
    env: &ops::OpEnv,
    a: StandbyArguments,
    mode: Mode,
) -> anyhow::Result<ExitCode> {
    let names = env.names(g);
    let connect = || -> pgrex::Result<Box<dyn Node>> { Ok(Box::new(env.connect_peer()?)) };
    let o = options(env, &names, &connect, a.request());
    let r = standby::resume::continue_standby(&env.ctx(), &o, mode);
    finish(env, r)
}

fn finish(
    env: &ops::OpEnv,
    r: pgrex::Result<(String, Option<StandbyResult>)>,
) -> anyhow::Result<ExitCode> {
    let extra = match &r {
        Ok((_, Some(out))) => {
            serde_json::json!({ "method": out.method, "lock_removed": out.lock_removed, "decision": out.decision })
        }
        _ => serde_json::json!({}),
    };
    env.finish(r.map(|(m, _)| m), extra)
}

fn options<'a>(
    env: &ops::OpEnv,
    names: &'a dyn Fn(&[&str]) -> Names,
    connect: &'a Connect<'a>,
    request: Request,
) -> StandbyOptions<'a> {
    StandbyOptions {
        request,
        check_only: false,
        timeouts: env.cfg.timeouts,
        pgpath: env.cfg.pgpath.clone(),
        archive_dir: env.cfg.archive_dir.clone(),
        peer_addr: env.cfg.d_lan.peer.to_string(),
        rewind_via: env.cfg.rewind_via,
        peer_ic: env.cfg.ic_lan.iter().map(|i| i.peer).collect(),
        standby_vip: env.cfg.ipaddr_standby,
        names,
        connect,
    }
}

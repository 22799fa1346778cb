//! `pgrex primary-start [XMLFILE]`: settings → `ops::primary_start` → result. The same
//! settings serve `pgrex resume` / `pgrex abort` of a primary start ([`resume`]).

use crate::cli::args::{GlobalArgs, PrimaryStartArgs};
use crate::cli::ops;
use crate::cli::printer::Printer;
use pgrex::node::Node;
use pgrex::ops::primary_start::resume::PrimaryArguments;
use pgrex::ops::primary_start::{self, PrimaryOptions};
use pgrex::ops::resume::Mode;
use pgrex::profile::Names;
use pgrex::ExitCode;

type Connect<'a> = dyn Fn() -> pgrex::Result<Box<dyn Node>> + 'a;

pub fn run(g: &GlobalArgs, a: &PrimaryStartArgs, p: &Printer) -> anyhow::Result<ExitCode> {
    let env = ops::setup(g, &a.op, p, "primary-start")?;
    let names = env.names(g);
    let connect = || -> pgrex::Result<Box<dyn Node>> { Ok(Box::new(env.connect_peer()?)) };
    let args = PrimaryArguments {
        xmlfile: a.xmlfile.clone(),
        remove_lock: a.remove_lock,
        clear_fence_history: a.clear_fence_history,
    };
    let o = options(&env, &names, &connect, args);
    let ctx = env.ctx();
    let r = primary_start::primary_start(&ctx, &o);
    env.finish(r, serde_json::json!({}))
}

/// `pgrex resume` / `pgrex abort` of a primary start with the journal's arguments.
pub fn resume(
    g: &GlobalArgs,
    env: &ops::OpEnv,
    a: PrimaryArguments,
    mode: Mode,
) -> anyhow::Result<ExitCode> {
    let names = env.names(g);
    let connect = || -> pgrex::Result<Box<dyn Node>> { Ok(Box::new(env.connect_peer()?)) };
    let o = options(env, &names, &connect, a);
    let r = primary_start::resume::continue_primary(&env.ctx(), &o, mode);
    env.finish(r, serde_json::json!({ "operation": "primary-start" }))
}

fn options<'a>(
    env: &ops::OpEnv,
    names: &'a dyn Fn(&[&str]) -> Names,
    connect: &'a Connect<'a>,
    a: PrimaryArguments,
) -> PrimaryOptions<'a> {
    PrimaryOptions {
        xmlfile: a.xmlfile,
        remove_lock: a.remove_lock,
        clear_fence_history: a.clear_fence_history,
        timeouts: env.cfg.timeouts,
        pgpath: env.cfg.pgpath.clone(),
        peer_addr: env.cfg.d_lan.peer.to_string(),
        cluster_name: env.cfg.hacluster_name.clone(),
        ic: env.cfg.ic_lan.clone(),
        newest_by_wal: false,
        names,
        connect,
    }
}

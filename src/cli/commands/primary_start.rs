//! `pgrex primary-start [XMLFILE]`: settings → `ops::primary_start` → result.

use crate::cli::args::{GlobalArgs, PrimaryStartArgs};
use crate::cli::ops;
use crate::cli::printer::Printer;
use pgrex::node::Node;
use pgrex::ops::primary_start::{self, PrimaryOptions};
use pgrex::ExitCode;

pub fn run(g: &GlobalArgs, a: &PrimaryStartArgs, p: &Printer) -> anyhow::Result<ExitCode> {
    let env = ops::setup(g, &a.op, p, "primary-start")?;
    let names = env.names(g);
    let connect = || -> pgrex::Result<Box<dyn Node>> { Ok(Box::new(env.connect_peer()?)) };
    let o = PrimaryOptions {
        xmlfile: a.xmlfile.clone(),
        remove_lock: a.remove_lock,
        clear_fence_history: a.clear_fence_history,
        timeouts: env.cfg.timeouts,
        pgpath: env.cfg.pgpath.clone(),
        peer_addr: env.cfg.d_lan.peer.to_string(),
        cluster_name: env.cfg.hacluster_name.clone(),
        ic: env.cfg.ic_lan.clone(),
        names: &names,
        connect: &connect,
    };
    let ctx = env.ctx();
    let r = primary_start::primary_start(&ctx, &o);
    env.finish(r, serde_json::json!({}))
}

//! `pgrex standby-start [-n|-r|-b] [-c] [-d] [-s] [--yes]`: settings →
//! `ops::standby::standby_start` → result.

use crate::cli::args::{GlobalArgs, StandbyStartArgs};
use crate::cli::ops;
use crate::cli::printer::Printer;
use pgrex::node::Node;
use pgrex::ops::standby::{self, decide::Request, StandbyOptions};
use pgrex::ExitCode;

pub fn run(g: &GlobalArgs, a: &StandbyStartArgs, p: &Printer) -> anyhow::Result<ExitCode> {
    let env = ops::setup(g, &a.op, p, "standby-start")?;
    let names = env.names(g);
    let connect = || -> pgrex::Result<Box<dyn Node>> { Ok(Box::new(env.connect_peer()?)) };
    let o = StandbyOptions {
        request: Request {
            normal: a.normal,
            rewind: a.rewind,
            basebackup: a.basebackup,
            check_all: false,
            shared_archive: a.shared_archive_directory,
        },
        check_only: a.check_only,
        timeouts: env.cfg.timeouts,
        pgpath: env.cfg.pgpath.clone(),
        archive_dir: env.cfg.archive_dir.clone(),
        peer_addr: env.cfg.d_lan.peer.to_string(),
        rewind_via: env.cfg.rewind_via,
        peer_ic: env.cfg.ic_lan.iter().map(|i| i.peer).collect(),
        standby_vip: env.cfg.ipaddr_standby,
        names: &names,
        connect: &connect,
    };
    if a.check_only && (a.normal || a.rewind || a.basebackup) {
        env.reporter_warn_check_only();
    }
    let ctx = env.ctx();
    let r = standby::standby_start(&ctx, &o);
    let extra = match &r {
        Ok((_, out)) => {
            serde_json::json!({ "method": out.method, "lock_removed": out.lock_removed, "decision": out.decision })
        }
        Err(_) => serde_json::json!({}),
    };
    env.finish(r.map(|(m, _)| m), extra)
}

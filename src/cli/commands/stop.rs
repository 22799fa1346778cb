//! `pgrex stop [-f]`: settings → `ops::stop::stop` → result.

use crate::cli::args::{GlobalArgs, StopArgs};
use crate::cli::ops;
use crate::cli::printer::Printer;
use pgrex::ops::stop::{self, StopOptions};
use pgrex::ExitCode;

pub fn run(g: &GlobalArgs, a: &StopArgs, p: &Printer) -> anyhow::Result<ExitCode> {
    let env = ops::setup(g, &a.op, p, "stop")?;
    let names = env.names(g);
    let o = StopOptions {
        fast: a.fast,
        timeouts: env.cfg.timeouts,
        pgpath: env.cfg.pgpath.clone(),
        names: &names,
    };
    let ctx = env.ctx();
    let r = stop::stop(&ctx, &o);
    let extra = match &r {
        Ok((what, _)) => serde_json::json!({ "stopped": what }),
        Err(_) => serde_json::json!({}),
    };
    env.finish(r.map(|(_, m)| m), extra)
}

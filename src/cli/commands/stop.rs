//! `pgrex stop [-f]`: settings → `ops::stop::stop` → result. The same settings serve
//! `pgrex resume` / `pgrex abort` of a stop ([`resume`]).

use crate::cli::args::{GlobalArgs, StopArgs};
use crate::cli::ops;
use crate::cli::printer::Printer;
use pgrex::ops::resume::Mode;
use pgrex::ops::stop::{self, StopArguments, StopOptions};
use pgrex::profile::Names;
use pgrex::ExitCode;

pub fn run(g: &GlobalArgs, a: &StopArgs, p: &Printer) -> anyhow::Result<ExitCode> {
    let env = ops::setup(g, &a.op, p, "stop")?;
    let names = env.names(g);
    let o = options(&env, &names, StopArguments { fast: a.fast });
    let ctx = env.ctx();
    let r = stop::stop(&ctx, &o);
    let extra = match &r {
        Ok((what, _)) => serde_json::json!({ "stopped": what }),
        Err(_) => serde_json::json!({}),
    };
    env.finish(r.map(|(_, m)| m), extra)
}

/// `pgrex resume` / `pgrex abort` of a stop with the journal's arguments.
pub fn resume(
    g: &GlobalArgs,
    env: &ops::OpEnv,
    a: StopArguments,
    mode: Mode,
) -> anyhow::Result<ExitCode> {
    let names = env.names(g);
    let o = options(env, &names, a);
    let r = stop::resume::continue_stop(&env.ctx(), &o, mode);
    env.finish(r, serde_json::json!({ "operation": "stop" }))
}

fn options<'a>(
    env: &ops::OpEnv,
    names: &'a dyn Fn(&[&str]) -> Names,
    a: StopArguments,
) -> StopOptions<'a> {
    StopOptions {
        fast: a.fast,
        timeouts: env.cfg.timeouts,
        pgpath: env.cfg.pgpath.clone(),
        names,
    }
}

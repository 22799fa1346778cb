//! `pgrex resume` / `pgrex abort`: the newest journal of this node that stopped part-way
//! (a change had begun), continued from where the cluster stands or brought to its safe
//! state. Only a switchover can be resumed so far; another operation is refused (exit 3)
//! with what its journal says to run next. The old journal is closed, naming the run that
//! took it over (which writes its own journal, carrying the same arguments).

use crate::cli::args::{GlobalArgs, ResumeArgs};
use crate::cli::commands::switchover;
use crate::cli::ops;
use crate::cli::printer::Printer;
use pgrex::msg::ops as m;
use pgrex::ops::journal::{self, State};
use pgrex::ops::switchover::plan::Roles;
pub use pgrex::ops::switchover::resume::Mode;
use pgrex::report::{Level, Reporter};
use pgrex::{t, Error, ExitCode};

pub fn run(g: &GlobalArgs, a: &ResumeArgs, p: &Printer, mode: Mode) -> anyhow::Result<ExitCode> {
    let command = match mode {
        Mode::Resume => "resume",
        Mode::Abort => "abort",
    };
    let env = ops::setup(g, &a.op, p, command)?;
    let me = env.ctx().me;
    let found = journal::list(&crate::cli::settings::journal_dir())?
        .into_iter()
        .find(|(_, r)| r.unfinished() && r.node == me);
    let Some((path, rec)) = found else {
        let msg = t!(m::NOTHING_TO_RESUME, command = command);
        return env.finish(Ok(msg), serde_json::json!({}));
    };
    if !rec.operation.starts_with("switchover") {
        return Err(Error::refused(
            t!(
                m::RESUME_UNSUPPORTED,
                operation = rec.operation,
                journal = path.display()
            ),
            rec.next.clone(),
        )
        .into());
    }
    let roles = (|| {
        Some(Roles {
            old: rec.arguments.get("old")?.as_str()?.to_string(),
            new: rec.arguments.get("new")?.as_str()?.to_string(),
        })
    })()
    .ok_or_else(|| {
        Error::refused(
            t!(m::RESUME_NO_ARGUMENTS, journal = path.display()),
            rec.next.clone(),
        )
    })?;
    env.session.reporter.message(
        Level::Info,
        &t!(m::RESUMING, command = command, journal = path.display()),
    );
    if !a.op.dry_run {
        journal::close(&path, State::Done, t!(m::TAKEN_OVER, command = command))?;
    }
    switchover::run_with(g, &env, Some((roles, mode)))
}

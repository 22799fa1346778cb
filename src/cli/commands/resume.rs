//! `pgrex resume` / `pgrex abort`: the newest journal of this node that stopped part-way
//! (a change had begun), continued from where the cluster stands or brought to its safe
//! state. Only a switchover can be resumed so far; another operation is refused (exit 3)
//! with what its journal says to run next. The old journal is closed, naming the run that
//! took it over (which writes its own journal, carrying the same arguments).

use crate::cli::args::{GlobalArgs, ResumeArgs};
use crate::cli::commands::{recover, switchover};
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
    if rec.operation == "recover" {
        return recover_arm(g, a, p, &env, &path, &rec, mode);
    }
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

/// A recover's journal: judge again and continue its playbooks (or stop where it is), with
/// the run's recorded `--switchback` and the node that was primary before the fault.
fn recover_arm(
    g: &GlobalArgs,
    a: &ResumeArgs,
    p: &Printer,
    env: &ops::OpEnv,
    path: &std::path::Path,
    rec: &journal::Record,
    mode: Mode,
) -> anyhow::Result<ExitCode> {
    use pgrex::ops::recover::resume::{Mode as RMode, Recorded};
    let command = match mode {
        Mode::Resume => "resume",
        Mode::Abort => "abort",
    };
    env.session.reporter.message(
        Level::Info,
        &t!(m::RESUMING, command = command, journal = path.display()),
    );
    if !a.op.dry_run {
        journal::close(path, State::Done, t!(m::TAKEN_OVER, command = command))?;
    }
    let args = crate::cli::args::RecoverArgs {
        fault: None,
        node: None,
        switchback: false,
        allow_base_backup: false,
        confirm_fenced: None,
        op: crate::cli::args::OpArgs {
            yes: a.op.yes,
            dry_run: a.op.dry_run,
        },
    };
    let mode = match mode {
        Mode::Resume => RMode::Resume,
        Mode::Abort => RMode::Abort,
    };
    let recorded = Recorded::from_arguments(&rec.arguments);
    recover::run_with(g, &args, env, p, recorded, Some(mode))
}

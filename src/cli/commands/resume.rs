//! `pgrex resume` / `pgrex abort`: the newest journal of this node that stopped part-way
//! (a change had begun), taken up by the operation it belongs to. [`TABLE`]-like dispatch
//! over [`Kind`] is the one place that knows which command continues which operation; each
//! arm builds that command's settings from the journal's arguments and calls its core
//! `resume` entry (`ops::<op>::resume`), which re-reads the cluster and continues or brings
//! it to its safe state. The old journal is closed, naming the run that took it over (which
//! writes its own journal, carrying the same arguments).

use crate::cli::args::{GlobalArgs, ResumeArgs};
use crate::cli::commands::{cleanup, primary_start, recover, standby_start, stop, switchover};
use crate::cli::ops;
use crate::cli::printer::Printer;
use pgrex::msg::ops as m;
use pgrex::ops::journal::{self, Record, State};
pub use pgrex::ops::resume::Mode;
use pgrex::ops::resume::{self as common, Kind};
use pgrex::report::{Level, Reporter};
use pgrex::{t, Error, ExitCode};
use std::path::Path;

pub fn run(g: &GlobalArgs, a: &ResumeArgs, p: &Printer, mode: Mode) -> anyhow::Result<ExitCode> {
    let command = mode.command();
    let env = ops::setup(g, &a.op, p, command)?;
    let me = env.ctx().me;
    let found = journal::list(&crate::cli::settings::journal_dir())?
        .into_iter()
        .find(|(_, r)| r.unfinished() && r.node == me);
    let Some((path, rec)) = found else {
        let msg = t!(m::NOTHING_TO_RESUME, command = command);
        return env.finish(Ok(msg), serde_json::json!({}));
    };
    let Some(kind) = Kind::of(&rec.operation) else {
        let e = Error::refused(
            t!(
                m::RESUME_UNSUPPORTED,
                operation = rec.operation,
                journal = path.display()
            ),
            rec.next.clone(),
        );
        return env.finish(Err(e), serde_json::json!({}));
    };
    let operation = kind.operation();
    env.session.reporter.message(
        Level::Info,
        &t!(
            m::RESUMING,
            command = command,
            operation = operation,
            journal = path.display()
        ),
    );
    let dry = a.op.dry_run;
    let take = Take {
        env: &env,
        path: &path,
        rec: &rec,
        command,
        dry,
    };
    // The one table: which command takes up which operation.
    match kind {
        Kind::Switchover => take.then(|a| switchover::resume(g, &env, a, mode)),
        Kind::Stop => take.then(|a| stop::resume(g, &env, a, mode)),
        Kind::StandbyStart => take.then(|a| standby_start::resume(g, &env, a, mode)),
        Kind::PrimaryStart => take.then(|a| primary_start::resume(g, &env, a, mode)),
        Kind::Cleanup => take.then(|a| cleanup::resume(g, &env, a, mode)),
        Kind::Recover => take.then(|v: serde_json::Value| recover_arm(g, a, p, &env, &v, mode)),
    }
}

/// A recover is taken up by `pgrex recover` itself, with the journal's `--switchback`,
/// `--allow-base-backup` and the primary from before the fault; it judges the cluster again
/// and goes on with the playbook of what it finds (abort: leaves it where it stopped).
fn recover_arm(
    g: &GlobalArgs,
    a: &ResumeArgs,
    p: &Printer,
    env: &ops::OpEnv,
    arguments: &serde_json::Value,
    mode: Mode,
) -> anyhow::Result<ExitCode> {
    use pgrex::ops::recover::resume::Recorded;
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
    recover::run_with(
        g,
        &args,
        env,
        p,
        Recorded::from_arguments(arguments),
        Some(mode),
    )
}

/// The unfinished journal being taken up.
struct Take<'a> {
    env: &'a ops::OpEnv,
    path: &'a Path,
    rec: &'a Record,
    command: &'static str,
    dry: bool,
}

impl Take<'_> {
    /// Read the journal's arguments as the operation's type, close the journal (not in a
    /// dry run), then run `f`. Arguments missing (a journal of an older pgrex): refused,
    /// the journal left unfinished.
    fn then<T: serde::de::DeserializeOwned>(
        &self,
        f: impl FnOnce(T) -> anyhow::Result<ExitCode>,
    ) -> anyhow::Result<ExitCode> {
        let Some(args) = common::arguments::<T>(&self.rec.arguments) else {
            let e = Error::refused(
                t!(
                    m::RESUME_NO_ARGUMENTS,
                    journal = self.path.display(),
                    operation = self.rec.operation
                ),
                self.rec.next.clone(),
            );
            return self.env.finish(Err(e), serde_json::json!({}));
        };
        if !self.dry {
            journal::close(
                self.path,
                State::Done,
                t!(m::TAKEN_OVER, command = self.command),
            )?;
        }
        f(args)
    }
}

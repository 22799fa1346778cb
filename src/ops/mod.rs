//! Operations that change the cluster or a node: `stop`, `standby-start`, `primary-start`,
//! `switchover`, `archive-delete`, and `cleanup` (a pure plan of what would be cleared and what blocks it, then its steps).
//!
//! Each operation is a sequence of numbered steps run through a [`Run`] (see [`run`]): the
//! Run reports every step to the [`Reporter`], records it in the [`journal::Journal`], checks
//! for an interruption between steps, turns a failure after a change began into exit 6, and
//! under `--dry-run` describes a changing step instead of running it — so no operation has a
//! dry-run branch of its own. Each operation splits into facts (read through the nodes),
//! a pure plan (unit-tested) and the steps that act, through the [`Node`]s of its
//! [`OpContext`] (this machine as `&dyn Node`, so tests run operations on a recorded fake).

pub mod archive_delete;
pub mod cleanup;
pub mod cluster;
pub mod in_use;
pub mod journal;
pub mod lock;
pub mod pg;
pub mod pg_values;
pub mod primary_start;
pub mod recover;
pub mod resume;
pub mod retention;
pub mod run;
pub mod standby;
pub mod stop;
pub mod switchover;
pub mod wait;

#[cfg(test)]
pub(crate) mod testing;

use crate::exec::Tools;
use crate::msg::ops as m;
use crate::node::Node;
use crate::report::{Answer, Level, Reporter};
use crate::{t, Error, Result};
use in_use::Processes;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

pub use run::{Done, Effect, Run, StepCx};

/// What every operation gets from the binary: where to report, which programs, this
/// machine, and how the run is to be recorded and stopped.
pub struct OpContext<'a> {
    pub reporter: &'a dyn Reporter,
    pub tools: Tools,
    /// This machine ([`crate::node::LocalNode`]; a recorded fake in tests).
    pub local: &'a dyn Node,
    /// Who uses a data directory on this machine (`/proc`; recorded in tests).
    pub processes: &'a dyn Processes,
    /// This node's name in the cluster (`pacemaker::source::node_name`: `crm_node -n`, else
    /// the short host name).
    pub me: String,
    /// Set by the binary's signal handler (SIGINT, SIGTERM, SIGHUP).
    pub interrupted: Arc<AtomicBool>,
    /// Set once [`Run`] has said that an interruption came too late to stop at a step (the
    /// binary's closing says it otherwise: a signal after the operation completed).
    pub late_said: Arc<AtomicBool>,
    /// Where to write the journal; `None` writes none (tests).
    pub journal_dir: Option<PathBuf>,
    /// How many finished journals [`retention::prune`] keeps when a new one is created.
    pub journal_keep: crate::config::JournalKeep,
    /// Run every check, change nothing: [`Run`] describes the changing steps instead.
    pub dry_run: bool,
}

impl OpContext<'_> {
    pub fn is_interrupted(&self) -> bool {
        self.interrupted.load(Ordering::SeqCst)
    }

    /// Ask before a change. `No` → [`Error::Declined`] (exit 4); no way to ask → refused
    /// (exit 3) with the `--yes` hint.
    pub fn confirm(&self, question: &str) -> Result<()> {
        if self.dry_run {
            self.reporter.message(
                Level::Info,
                &t!(m::DRY_RUN_NO_QUESTION, question = question),
            );
            return Ok(());
        }
        match self.reporter.confirm(question) {
            Answer::Yes => Ok(()),
            Answer::No => Err(Error::Declined {
                message: t!(m::DECLINED),
            }),
            Answer::Refused => Err(Error::refused(
                t!(m::NEEDS_CONFIRMATION, question = question),
                Some(t!(m::YES_HINT)),
            )),
        }
    }
}

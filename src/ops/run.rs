//! The executor every operation runs its steps through. One [`Run`] numbers the steps,
//! reports them, writes the journal, stops cleanly between steps when interrupted, and turns
//! a failure after a change began into exit 6 naming where it stopped and what to run next.
//!
//! A step says what it does to the nodes ([`Effect`]), and that alone decides what a dry run
//! does with it: a check runs, a changing step is described ("would …") and its action is
//! never called. Operations therefore carry no `dry_run` branch of their own.

use super::journal::{Journal, State};
use super::OpContext;
use crate::msg::ops as m;
use crate::report::{Outcome, Reporter};
use crate::{t, Error, Result};
use std::path::PathBuf;

/// What a step does to the nodes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Effect {
    /// Only reads: runs in a dry run too.
    Reads,
    /// Changes a node: from here a failure stops part-way (exit 6). A dry run describes it.
    Changes,
    /// Acts without changing a node's state (a CHECKPOINT, a connectivity probe, waiting for
    /// what a change brings about): a failure is not part-way, and a dry run describes it.
    Acts,
}

/// A step's result: its value and how to report it.
pub struct Done<T> {
    pub value: T,
    pub outcome: Outcome,
    pub detail: Option<String>,
}

impl<T> Done<T> {
    pub fn ok(value: T) -> Self {
        Done {
            value,
            outcome: Outcome::Ok,
            detail: None,
        }
    }
    pub fn skip(value: T, why: impl Into<String>) -> Self {
        Done {
            value,
            outcome: Outcome::Skip,
            detail: Some(why.into()),
        }
    }
    /// OK with a note (`...[OK] (note)`).
    pub fn noted(value: T, note: impl Into<String>) -> Self {
        Done {
            value,
            outcome: Outcome::Ok,
            detail: Some(note.into()),
        }
    }
}

/// What a step closure sees.
pub struct StepCx<'a> {
    pub ctx: &'a OpContext<'a>,
    pub step: usize,
}

impl StepCx<'_> {
    pub fn rep(&self) -> &dyn Reporter {
        self.ctx.reporter
    }
}

/// A command that timed out in step `n` before any change: a timeout (exit 5) whose
/// message names the step, so the operator knows which wait it was.
fn step_timeout(e: Error, n: usize, title: &str) -> Error {
    let timed_out = matches!(&e, Error::Exec(crate::exec::ExecError::Timeout { .. }));
    if !timed_out {
        return e;
    }
    Error::Timeout {
        message: t!(m::STEP_TIMED_OUT, step = n, title = title, error = e),
        hint: Some(t!(m::STEP_TIMED_OUT_HINT)),
        source: Some(Box::new(e)),
    }
}

/// One running operation.
pub struct Run<'a> {
    pub ctx: &'a OpContext<'a>,
    step: usize,
    journal: Option<Journal>,
    operation: String,
    /// An earlier run of this operation that stopped part-way, closed when this one completes.
    supersedes: Option<PathBuf>,
    change_begun: bool,
    last_done: Option<(usize, String)>,
    /// What to run after a failure part-way (set by the operation as it progresses).
    pub next: String,
}

impl<'a> Run<'a> {
    pub fn new(ctx: &'a OpContext<'a>, operation: &str) -> Result<Run<'a>> {
        let journal = match (&ctx.journal_dir, ctx.dry_run) {
            (Some(dir), false) => {
                let j = Journal::create(dir, operation, &ctx.me)?;
                let now = std::time::SystemTime::now();
                super::retention::prune(dir, &ctx.journal_keep, now, Some(j.path()));
                Some(j)
            }
            _ => None,
        };
        Ok(Run {
            ctx,
            step: 0,
            journal,
            operation: operation.to_string(),
            supersedes: None,
            change_begun: false,
            last_done: None,
            next: t!(m::NEXT_STATUS),
        })
    }

    /// Record the operation's arguments in the journal (what `pgrex resume` rebuilds it from).
    pub fn set_arguments(&mut self, v: serde_json::Value) {
        if let Some(j) = &mut self.journal {
            j.set_arguments(v);
        }
    }

    pub fn journal_path(&self) -> Option<PathBuf> {
        self.journal.as_ref().map(|j| j.path().to_path_buf())
    }

    /// From here on the run is one that `pgrex resume` continues, although no step changed
    /// a node yet: recover's operator-action step (a human acts, pgrex waits; its timeout
    /// says to resume). Nothing under a dry run.
    pub fn begin_change(&mut self) {
        if self.ctx.dry_run {
            return;
        }
        self.change_begun = true;
        if let Some(j) = &mut self.journal {
            j.begin_change();
        }
    }

    /// A step that only reads (it runs in a dry run too).
    pub fn check<T>(
        &mut self,
        title: impl Into<String>,
        f: impl FnOnce(&StepCx) -> Result<Done<T>>,
    ) -> Result<T> {
        let v = self.step(title.into(), Effect::Reads, String::new(), f)?;
        Ok(v.expect("a check always runs"))
    }

    /// A step that changes a node. `would` says what it does ("start Pacemaker"): a dry run
    /// shows that instead of running `f`, and returns `None`.
    pub fn change<T>(
        &mut self,
        title: impl Into<String>,
        would: impl Into<String>,
        f: impl FnOnce(&StepCx) -> Result<Done<T>>,
    ) -> Result<Option<T>> {
        self.step(title.into(), Effect::Changes, would.into(), f)
    }

    /// A step that acts without changing a node's state (see [`Effect::Acts`]).
    pub fn act<T>(
        &mut self,
        title: impl Into<String>,
        would: impl Into<String>,
        f: impl FnOnce(&StepCx) -> Result<Done<T>>,
    ) -> Result<Option<T>> {
        self.step(title.into(), Effect::Acts, would.into(), f)
    }

    /// A changing step that runs on every path, also after a failure or an interruption:
    /// the removal of what an earlier step put in place (switchover's ban), so the
    /// operation stops at a safe point. A dry run describes it.
    pub fn change_always<T>(
        &mut self,
        title: impl Into<String>,
        would: impl Into<String>,
        f: impl FnOnce(&StepCx) -> Result<Done<T>>,
    ) -> Result<Option<T>> {
        self.run_step(title.into(), Effect::Changes, would.into(), f)
    }

    /// Run one numbered step; `None` when a dry run only described it.
    pub fn step<T>(
        &mut self,
        title: String,
        effect: Effect,
        would: String,
        f: impl FnOnce(&StepCx) -> Result<Done<T>>,
    ) -> Result<Option<T>> {
        self.check_interrupt()?;
        self.run_step(title, effect, would, f)
    }

    fn run_step<T>(
        &mut self,
        title: String,
        effect: Effect,
        would: String,
        f: impl FnOnce(&StepCx) -> Result<Done<T>>,
    ) -> Result<Option<T>> {
        self.step += 1;
        let n = self.step;
        self.ctx.reporter.step_started(n, &title);
        if self.ctx.dry_run && effect != Effect::Reads {
            self.ctx.reporter.step_described(n, &title, &would);
            self.last_done = Some((n, title));
            return Ok(None);
        }
        let changes = effect == Effect::Changes;
        if changes {
            self.change_begun = true;
        }
        if let Some(j) = &mut self.journal {
            j.start_step(n, &title, changes);
        }
        let cx = StepCx {
            ctx: self.ctx,
            step: n,
        };
        match f(&cx) {
            Ok(done) => {
                self.ctx
                    .reporter
                    .step_finished(n, &title, done.outcome, done.detail.as_deref());
                if let Some(j) = &mut self.journal {
                    j.step(n, &title, done.outcome, changes);
                }
                self.last_done = Some((n, title));
                Ok(Some(done.value))
            }
            Err(e) => {
                self.ctx
                    .reporter
                    .step_finished(n, &title, Outcome::Ng, None);
                if let Some(j) = &mut self.journal {
                    j.step(n, &title, Outcome::Ng, changes);
                }
                // A step cut short by Ctrl-C / SIGTERM (a wait on the peer stops at once)
                // ends the run as an interruption, not as that step's failure.
                if self.ctx.is_interrupted() {
                    return Err(self.interrupted_stop());
                }
                Err(self.fail(e, n, &title))
            }
        }
    }

    /// Between steps: stop cleanly when interrupted.
    pub fn check_interrupt(&mut self) -> Result<()> {
        if !self.ctx.is_interrupted() {
            return Ok(());
        }
        Err(self.interrupted_stop())
    }

    /// The interruption as the run's end (exit 6 after a change began, else 130), journaled.
    fn interrupted_stop(&mut self) -> Error {
        let err = if self.change_begun {
            let (n, title) = self.last_done.clone().unwrap_or((0, "-".into()));
            Error::Partial {
                message: t!(m::INTERRUPTED_PARTIAL, step = n, title = title),
                hint: Some(self.next_hint()),
                source: None,
            }
        } else {
            Error::Interrupted {
                message: t!(m::INTERRUPTED_CLEAN),
            }
        };
        if let Some(j) = &mut self.journal {
            j.finish(
                State::Interrupted,
                Some(err.chain_text()),
                Some(self.next.clone()),
            );
        }
        err
    }

    fn next_hint(&self) -> String {
        match &self.journal {
            Some(j) => t!(
                m::NEXT_WITH_JOURNAL,
                next = self.next,
                journal = j.path().display()
            ),
            None => self.next.clone(),
        }
    }

    /// An error in step `n`: after a change began, a timeout stays a timeout (exit 5) and
    /// anything else becomes Partial (exit 6); before, it is returned as it is.
    fn fail(&mut self, e: Error, n: usize, title: &str) -> Error {
        let out = if !self.change_begun {
            step_timeout(e, n, title)
        } else {
            match e {
                Error::Timeout {
                    message,
                    hint,
                    source,
                } => Error::Timeout {
                    message,
                    hint: Some(match hint {
                        Some(h) => format!("{h}\n{}", self.next_hint()),
                        None => self.next_hint(),
                    }),
                    source,
                },
                Error::Partial { .. } => e,
                other => {
                    let mut hint = other.hint().map(str::to_string).unwrap_or_default();
                    if !hint.is_empty() {
                        hint.push('\n');
                    }
                    hint.push_str(&self.next_hint());
                    // The message carries the step's chain on one line (the journal, JSON);
                    // the error itself stays underneath for `Error::source()`.
                    Error::Partial {
                        message: t!(
                            m::FAILED_PARTIAL,
                            step = n,
                            title = title,
                            error = other.chain_text()
                        ),
                        hint: Some(hint),
                        source: Some(Box::new(other)),
                    }
                }
            }
        };
        if let Some(j) = &mut self.journal {
            j.finish(
                State::Failed,
                Some(out.chain_text()),
                Some(self.next.clone()),
            );
        }
        out
    }

    /// The operation completed (and with it the earlier run it took over). A SIGINT/SIGTERM
    /// that came during the last step (which runs to its end, CONTRACTS "Exit codes") or
    /// after it found nothing left to stop at: the run is complete, and says so (a warning,
    /// the journal's message) rather than pretending it was interrupted.
    pub fn completed(mut self) {
        let late = self.late_interrupt();
        if let Some(j) = &mut self.journal {
            j.finish(State::Done, late, None);
            if let Some(old) = &self.supersedes {
                let msg = t!(m::SUPERSEDED, journal = j.path().display());
                if let Err(e) = super::journal::close(old, State::Done, msg) {
                    tracing::warn!(journal = %old.display(), error = %e.chain_text(), "could not close the superseded journal");
                }
            }
        }
    }

    /// The newest earlier run of this operation on this node that stopped part-way (killed,
    /// failed or interrupted after a change began): said as a warning — which step it was in
    /// or had last completed —, and closed as superseded once this run completes. For the
    /// operations that start over from their checks (`standby-start`, `primary-start`):
    /// each step's precondition is read again, nothing is replayed. A dry run says so too
    /// and closes nothing.
    pub fn take_over_unfinished(&mut self) -> Option<super::journal::Record> {
        let dir = self.ctx.journal_dir.as_ref()?;
        let own = self.journal.as_ref().map(|j| j.path().to_path_buf());
        let (path, rec) = super::journal::list(dir).ok()?.into_iter().find(|(p, r)| {
            Some(p) != own.as_ref()
                && r.unfinished()
                && r.node == self.ctx.me
                && r.operation == self.operation
        })?;
        let file = path.file_name().unwrap_or_default().to_string_lossy();
        let what = match &rec.in_progress {
            Some(s) => t!(
                m::PREVIOUS_IN_STEP,
                step = s.step,
                title = s.title,
                since = s.since
            ),
            None => t!(
                m::PREVIOUS_AFTER_STEP,
                step = rec.last_completed_step.unwrap_or(0)
            ),
        };
        let state = serde_json::to_value(rec.state)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default();
        self.ctx.reporter.message(
            crate::report::Level::Warn,
            &t!(
                m::PREVIOUS_UNFINISHED,
                operation = rec.operation,
                journal = file,
                started = rec.started,
                state = state,
                what = what
            ),
        );
        self.supersedes = Some(path);
        Some(rec)
    }

    /// The operation completed: its closing message (a dry run says nothing was changed).
    pub fn done(self, message: String) -> String {
        let dry_run = self.ctx.dry_run;
        self.completed();
        if dry_run {
            t!(m::DRY_RUN_DONE, what = message)
        } else {
            message
        }
    }

    /// The operation ended early without an error (nothing to do).
    pub fn ended(mut self, why: &str) {
        let why = match self.late_interrupt() {
            Some(late) => format!("{why}; {late}"),
            None => why.to_string(),
        };
        if let Some(j) = &mut self.journal {
            j.finish(State::Done, Some(why), None);
        }
    }

    /// An interruption that arrived when no step was left to stop before: said as a
    /// warning naming the last step run, and returned for the journal. `None` when not
    /// interrupted (or in a dry run, which changes nothing anyway).
    fn late_interrupt(&self) -> Option<String> {
        if !self.ctx.is_interrupted() || self.ctx.dry_run {
            return None;
        }
        let (step, title) = self.last_done.clone().unwrap_or((0, "-".into()));
        let text = t!(m::INTERRUPTED_AFTER_LAST, step = step, title = title);
        self.ctx.reporter.message(crate::report::Level::Warn, &text);
        self.ctx
            .late_said
            .store(true, std::sync::atomic::Ordering::SeqCst);
        Some(text)
    }

    /// An error outside a step (a refusal after the checks): recorded as it is.
    pub fn abort(&mut self, e: Error) -> Error {
        if let Some(j) = &mut self.journal {
            j.finish(State::Failed, Some(e.chain_text()), None);
        }
        e
    }
}

#[cfg(test)]
#[path = "run_tests.rs"]
mod tests;

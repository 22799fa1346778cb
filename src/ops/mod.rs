//! Operations that change the cluster or a node: `stop`, `standby-start`, `primary-start`,
//! and `cleanup` (a pure plan of what would be cleared and what blocks it, then its steps).
//!
//! Each operation is a sequence of numbered steps run through a [`Run`]: the Run reports
//! every step to the [`Reporter`], records it in the [`journal::Journal`], checks for an
//! interruption between steps (Ctrl-C finishes the current step, then stops), and turns a
//! failure after a change began into [`Error::Partial`] (exit 6) naming where it stopped and
//! what to run next. Decisions are pure functions (see `standby::decide`); only the steps
//! act, through [`crate::node::Node`]s.

pub mod cleanup;
pub mod cluster;
pub mod in_use;
pub mod journal;
pub mod lock;
pub mod pg;
pub mod primary_start;
pub mod standby;

pub mod stop;
pub mod wait;

use crate::exec::Tools;
use crate::msg::ops as m;
use crate::report::{Answer, Level, Outcome, Reporter};
use crate::{t, Error, Result};
use journal::{Journal, State};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

/// What every operation gets from the binary.
pub struct Ctx<'a> {
    pub reporter: &'a dyn Reporter,
    pub tools: Tools,
    /// Set by the binary's signal handler (SIGINT, SIGTERM, SIGHUP).
    pub interrupted: Arc<AtomicBool>,
    /// Where to write the journal; `None` writes none (tests).
    pub journal_dir: Option<PathBuf>,
    /// Run every check, change nothing.
    pub dry_run: bool,
}

impl Ctx<'_> {
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
}

/// What a step closure sees.
pub struct StepCx<'a> {
    pub ctx: &'a Ctx<'a>,
    pub step: usize,
}

impl StepCx<'_> {
    pub fn rep(&self) -> &dyn Reporter {
        self.ctx.reporter
    }
}

/// One running operation.
pub struct Run<'a> {
    pub ctx: &'a Ctx<'a>,
    step: usize,
    journal: Option<Journal>,
    change_begun: bool,
    last_done: Option<(usize, String)>,
    /// What to run after a failure part-way (set by the operation as it progresses).
    pub next: String,
}

impl<'a> Run<'a> {
    pub fn new(ctx: &'a Ctx<'a>, operation: &str, node: &str) -> Result<Run<'a>> {
        let journal = match (&ctx.journal_dir, ctx.dry_run) {
            (Some(dir), false) => Some(Journal::create(dir, operation, node)?),
            _ => None,
        };
        Ok(Run {
            ctx,
            step: 0,
            journal,
            change_begun: false,
            last_done: None,
            next: t!(m::NEXT_STATUS),
        })
    }

    pub fn journal_path(&self) -> Option<PathBuf> {
        self.journal.as_ref().map(|j| j.path().to_path_buf())
    }

    /// Run one numbered step. `changes`: the step changes a node (not in a dry run).
    pub fn step<T>(
        &mut self,
        title: impl Into<String>,
        changes: bool,
        f: impl FnOnce(&StepCx) -> Result<Done<T>>,
    ) -> Result<T> {
        let title = title.into();
        self.check_interrupt()?;
        self.step += 1;
        let n = self.step;
        self.ctx.reporter.step_started(n, &title);
        let changes = changes && !self.ctx.dry_run;
        if changes {
            self.change_begun = true;
            if let Some(j) = &mut self.journal {
                j.begin_change();
            }
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
                Ok(done.value)
            }
            Err(e) => {
                self.ctx
                    .reporter
                    .step_finished(n, &title, Outcome::Ng, None);
                if let Some(j) = &mut self.journal {
                    j.step(n, &title, Outcome::Ng, changes);
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
        let err = if self.change_begun {
            let (n, title) = self.last_done.clone().unwrap_or((0, "-".into()));
            Error::Partial {
                message: t!(m::INTERRUPTED_PARTIAL, step = n, title = title),
                hint: Some(self.next_hint()),
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
        Err(err)
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
            e
        } else {
            match e {
                Error::Timeout { message, hint } => Error::Timeout {
                    message,
                    hint: Some(match hint {
                        Some(h) => format!("{h}\n{}", self.next_hint()),
                        None => self.next_hint(),
                    }),
                },
                Error::Partial { .. } => e,
                other => {
                    let mut hint = other.hint().map(str::to_string).unwrap_or_default();
                    if !hint.is_empty() {
                        hint.push('\n');
                    }
                    hint.push_str(&self.next_hint());
                    Error::Partial {
                        message: t!(
                            m::FAILED_PARTIAL,
                            step = n,
                            title = title,
                            error = other.chain_text()
                        ),
                        hint: Some(hint),
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

    /// The operation completed.
    pub fn done(mut self) {
        if let Some(j) = &mut self.journal {
            j.finish(State::Done, None, None);
        }
    }

    /// The operation ended early without an error (nothing to do).
    pub fn ended(mut self, why: &str) {
        if let Some(j) = &mut self.journal {
            j.finish(State::Done, Some(why.into()), None);
        }
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
mod tests {
    use super::*;
    use crate::report::Silent;

    fn ctx<'a>(rep: &'a Silent, dir: &std::path::Path, flag: Arc<AtomicBool>) -> Ctx<'a> {
        Ctx {
            reporter: rep,
            tools: Tools::new(),
            interrupted: flag,
            journal_dir: Some(dir.to_path_buf()),
            dry_run: false,
        }
    }

    fn journal(dir: &std::path::Path) -> serde_json::Value {
        let f = std::fs::read_dir(dir)
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path();
        serde_json::from_str(&std::fs::read_to_string(f).unwrap()).unwrap()
    }

    #[test]
    fn a_failure_before_any_change_keeps_its_own_exit_code() {
        let dir = tempfile::tempdir().unwrap();
        let rep = Silent;
        let c = ctx(&rep, dir.path(), Arc::default());
        let mut run = Run::new(&c, "test", "pm01").unwrap();
        run.step("check", false, |_| Ok(Done::ok(()))).unwrap();
        let e = run
            .step("refuse", false, |_| -> Result<Done<()>> {
                Err(Error::refused("no", None))
            })
            .unwrap_err();
        assert_eq!(e.exit_code(), crate::ExitCode::Refused);
        let j = journal(dir.path());
        assert_eq!(j["state"], "failed");
        assert_eq!(j["last_completed_step"], 1);
        assert_eq!(j["change_begun"], false);
    }

    #[test]
    fn a_failure_after_a_change_is_partial_and_names_the_step() {
        let dir = tempfile::tempdir().unwrap();
        let rep = Silent;
        let c = ctx(&rep, dir.path(), Arc::default());
        let mut run = Run::new(&c, "test", "pm01").unwrap();
        run.next = "pgrex standby-start -b".into();
        run.step("change", true, |_| Ok(Done::ok(()))).unwrap();
        let e = run
            .step("break", false, |_| -> Result<Done<()>> {
                Err(Error::other("boom", None))
            })
            .unwrap_err();
        assert_eq!(e.exit_code(), crate::ExitCode::Partial);
        assert!(e.to_string().contains("step 2 (break)"), "{e}");
        assert!(e.hint().unwrap().contains("pgrex standby-start -b"));
        assert!(e.hint().unwrap().contains(dir.path().to_str().unwrap()));
        // A timeout after a change stays a timeout (exit 5).
        let mut run = Run::new(&c, "test", "pm01").unwrap();
        run.step("change", true, |_| Ok(Done::ok(()))).unwrap();
        let e = run
            .step("wait", false, |_| -> Result<Done<()>> {
                Err(Error::Timeout {
                    message: "late".into(),
                    hint: None,
                })
            })
            .unwrap_err();
        assert_eq!(e.exit_code(), crate::ExitCode::Timeout);
    }

    #[test]
    fn an_interruption_stops_between_steps() {
        let dir = tempfile::tempdir().unwrap();
        let rep = Silent;
        let flag = Arc::new(AtomicBool::new(false));
        let c = ctx(&rep, dir.path(), flag.clone());
        let mut run = Run::new(&c, "test", "pm01").unwrap();
        run.step("check", false, |_| {
            flag.store(true, Ordering::SeqCst);
            Ok(Done::ok(()))
        })
        .unwrap();
        let e = run.step("never", true, |_| Ok(Done::ok(()))).unwrap_err();
        assert_eq!(e.exit_code(), crate::ExitCode::Interrupted);

        flag.store(false, Ordering::SeqCst);
        let mut run = Run::new(&c, "test", "pm01").unwrap();
        run.step("change", true, |_| {
            // Ctrl-C during a critical step: the step still completes.
            flag.store(true, Ordering::SeqCst);
            Ok(Done::ok(()))
        })
        .unwrap();
        let e = run.step("never", false, |_| Ok(Done::ok(()))).unwrap_err();
        assert_eq!(e.exit_code(), crate::ExitCode::Partial);
        assert!(e.to_string().contains("after step 1 (change)"), "{e}");
    }

    #[test]
    fn a_dry_run_writes_no_journal_and_records_no_change() {
        let dir = tempfile::tempdir().unwrap();
        let rep = Silent;
        let mut c = ctx(&rep, dir.path(), Arc::default());
        c.dry_run = true;
        let mut run = Run::new(&c, "test", "pm01").unwrap();
        run.step("change", true, |_| Ok(Done::ok(()))).unwrap();
        let e = run
            .step("break", false, |_| -> Result<Done<()>> {
                Err(Error::other("boom", None))
            })
            .unwrap_err();
        assert_eq!(e.exit_code(), crate::ExitCode::Failed);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}

//! The Reporter seam: how an operation tells the operator what it is doing, and how it asks.
//!
//! The core reports events (step started / progress / finished OK, NG or SKIP / waiting /
//! message) and asks questions through this trait; the binary renders them (numbered steps
//! ending `[OK]`, `[NG]`, `[SKIP]` on stdout, progress bars on a terminal's stderr, NDJSON
//! on stdout with `--output-format json`) and decides whether a question may be asked at all
//! (a terminal, `--yes`). Nothing here prints.

use std::time::Duration;

/// How a step ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum Outcome {
    Ok,
    Ng,
    Skip,
}

impl Outcome {
    /// `OK`, `NG`, `SKIP`: the Perl tools' words, kept for operators' habits.
    pub fn word(self) -> &'static str {
        match self {
            Outcome::Ok => "OK",
            Outcome::Ng => "NG",
            Outcome::Skip => "SKIP",
        }
    }
}

/// The weight of a free-standing message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Facts and evidence the operator should read (the plan, why a lock file is safe).
    Info,
    /// Something that changes what will happen (a failover follows, the service stops).
    Warn,
}

/// One choice of a menu: the key the operator types and what it does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub key: char,
    pub text: String,
}

/// What a question got.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Yes,
    No,
    /// No answer is possible here (no terminal and no `--yes`, or JSON mode).
    Refused,
}

/// The core's only way to talk to the operator.
pub trait Reporter: Send + Sync {
    /// Step `step` (numbered from 1 within the operation) begins.
    fn step_started(&self, step: usize, title: &str);
    /// Measurable progress of the current step (`done` of `total` units, e.g. bytes).
    fn progress(&self, step: usize, done: u64, total: Option<u64>, unit: &str);
    /// A line of output from a program the step runs (pg_rewind, pg_basebackup).
    fn detail(&self, step: usize, line: &str);
    /// The step ended; `detail` says why it was NG or skipped.
    fn step_finished(&self, step: usize, title: &str, outcome: Outcome, detail: Option<&str>);
    /// A dry run did not run the step; it `would` do this ("start Pacemaker"). The step
    /// ends here (shown as skipped).
    fn step_described(&self, step: usize, title: &str, would: &str);
    /// Still waiting for `pending` (`elapsed` of at most `timeout`).
    fn waiting(&self, step: usize, pending: &str, elapsed: Duration, timeout: Duration);
    /// A message outside the step lines.
    fn message(&self, level: Level, text: &str);
    /// Ask a yes/no question after the plan was shown. `--yes` answers Yes; off a terminal
    /// without it, Refused.
    fn confirm(&self, question: &str) -> Answer;
    /// Let the operator pick one of `choices` (a menu). `None`: no menu is possible here
    /// (no terminal, JSON mode); `Some('q')`: the operator quit.
    fn choose(&self, question: &str, choices: &[Choice]) -> Option<char>;
}

/// A Reporter that shows nothing and answers no (for tests and library callers).
#[derive(Debug, Default)]
pub struct Silent;

impl Reporter for Silent {
    fn step_started(&self, _: usize, _: &str) {}
    fn progress(&self, _: usize, _: u64, _: Option<u64>, _: &str) {}
    fn detail(&self, _: usize, _: &str) {}
    fn step_finished(&self, _: usize, _: &str, _: Outcome, _: Option<&str>) {}
    fn step_described(&self, _: usize, _: &str, _: &str) {}
    fn waiting(&self, _: usize, _: &str, _: Duration, _: Duration) {}
    fn message(&self, _: Level, _: &str) {}
    fn confirm(&self, _: &str) -> Answer {
        Answer::Refused
    }
    fn choose(&self, _: &str, _: &[Choice]) -> Option<char> {
        None
    }
}

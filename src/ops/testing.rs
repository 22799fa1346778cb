//! Test helpers of the operations: an [`OpContext`] over recorded fake nodes and a Reporter
//! that records every line, so a test reads what the operator would have seen.

use super::OpContext;
use crate::exec::Tools;
use crate::node::fake::FakeNode;
use crate::report::{Answer, Choice, Level, Outcome, Reporter};
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// Records the events as text lines; answers questions with `answer`.
pub struct Rec {
    pub answer: Answer,
    pub lines: Mutex<Vec<String>>,
}

impl Rec {
    pub fn new(answer: Answer) -> Rec {
        Rec {
            answer,
            lines: Mutex::new(Vec::new()),
        }
    }

    pub fn text(&self) -> String {
        self.lines.lock().unwrap().join("\n")
    }

    fn push(&self, s: String) {
        self.lines.lock().unwrap().push(s);
    }
}

impl Reporter for Rec {
    fn step_started(&self, step: usize, title: &str) {
        self.push(format!("{step}. {title}"));
    }
    fn progress(&self, _: usize, _: u64, _: Option<u64>, _: &str) {}
    fn detail(&self, _: usize, line: &str) {
        self.push(format!("   {line}"));
    }
    fn step_finished(&self, _: usize, _: &str, outcome: Outcome, detail: Option<&str>) {
        let d = detail.map(|d| format!(" ({d})")).unwrap_or_default();
        self.push(format!("...[{}]{d}", outcome.word()));
    }
    fn step_described(&self, _: usize, _: &str, would: &str) {
        self.push(format!("...[SKIP] (dry run) would {would}"));
    }
    fn waiting(&self, _: usize, pending: &str, _: Duration, _: Duration) {
        self.push(format!("   waiting for {pending}"));
    }
    fn message(&self, level: Level, text: &str) {
        self.push(match level {
            Level::Info => format!("   {text}"),
            Level::Warn => format!("warning: {text}"),
        });
    }
    fn confirm(&self, question: &str) -> Answer {
        self.push(format!("? {question}"));
        self.answer
    }
    fn choose(&self, question: &str, _: &[Choice]) -> Option<char> {
        self.push(format!("? {question}"));
        None
    }
}

/// A context on `local` (named `pm01`) that writes no journal.
pub fn ctx<'a>(rep: &'a Rec, local: &'a FakeNode, dry_run: bool) -> OpContext<'a> {
    OpContext {
        reporter: rep,
        tools: Tools::new(),
        local,
        processes: local,
        me: "pm01".into(),
        interrupted: Arc::new(AtomicBool::new(false)),
        late_said: Default::default(),
        journal_dir: None,
        journal_keep: Default::default(),
        dry_run,
    }
}

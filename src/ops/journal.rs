//! The journal of one operation: a JSON file under `/var/lib/pgrex/` rewritten (atomically)
//! after every step, so an interruption or a failure leaves a record of the last completed
//! step, whether a change had begun, and what to run next (ARCHITECTURE.md, safety rules).

use crate::report::Outcome;
use crate::{Error, Result};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::SystemTime;

/// Where journals live on a node.
pub const DEFAULT_DIR: &str = "/var/lib/pgrex";

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum State {
    Running,
    Done,
    Failed,
    Interrupted,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StepRecord {
    pub step: usize,
    pub title: String,
    pub outcome: Outcome,
    pub at: String,
    /// Whether this step changed the node (a stop, a rewind, a file removed).
    pub changed: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Record {
    pub schema_version: u32,
    pub operation: String,
    pub node: String,
    pub pid: u32,
    pub started: String,
    pub state: State,
    /// Whether a change had begun on any node.
    pub change_begun: bool,
    pub steps: Vec<StepRecord>,
    pub last_completed_step: Option<usize>,
    pub message: Option<String>,
    pub next: Option<String>,
    /// What the operation was asked to do, so `pgrex resume` can rebuild it (switchover:
    /// `{"old", "new"}`, the roles it set out to swap). Added within schema 1.
    #[serde(default)]
    pub arguments: serde_json::Value,
    /// The step running when the journal was last written: a run killed in it (`kill -9`,
    /// a power loss) leaves it here, so the next run can say what was interrupted. Added
    /// within schema 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub in_progress: Option<InProgress>,
}

/// A step that had started and not finished.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct InProgress {
    pub step: usize,
    pub title: String,
    pub since: String,
    /// Whether the step changes the node.
    pub changes: bool,
}

impl Record {
    /// Stopped part-way: a change had begun and the run did not complete, so a later
    /// `pgrex resume` or `pgrex abort` has work to do (a refusal changed nothing).
    pub fn unfinished(&self) -> bool {
        self.change_begun && self.state != State::Done
    }
}

/// Every journal in `dir` (a missing directory has none), newest first.
pub fn list(dir: &Path) -> Result<Vec<(PathBuf, Record)>> {
    let rd = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(io(dir, e)),
    };
    let mut out = Vec::new();
    for e in rd.flatten() {
        let p = e.path();
        if p.extension().is_some_and(|x| x == "json") {
            if let Ok(r) = load(&p) {
                out.push((p, r));
            }
        }
    }
    out.sort_by(|a, b| (&b.1.started, &b.0).cmp(&(&a.1.started, &a.0)));
    Ok(out)
}

/// One journal file.
pub fn load(path: &Path) -> Result<Record> {
    let text = std::fs::read_to_string(path).map_err(|e| io(path, e))?;
    serde_json::from_str(&text).map_err(|e| {
        Error::input(
            path.display().to_string(),
            crate::t!(crate::msg::ops::JOURNAL_BAD, path = path.display()),
        )
        .with_source(e)
    })
}

/// Close an unfinished journal: a later run took it over (`resume`/`abort`).
pub fn close(path: &Path, state: State, message: String) -> Result<()> {
    let mut j = Journal {
        path: path.to_path_buf(),
        record: load(path)?,
    };
    j.record.state = state;
    j.record.message = Some(message);
    j.record.next = None;
    j.save()
}

/// The journal of the running operation.
#[derive(Debug)]
pub struct Journal {
    path: PathBuf,
    pub record: Record,
}

pub fn now() -> String {
    humantime::format_rfc3339_seconds(SystemTime::now()).to_string()
}

impl Journal {
    /// Start a journal in `dir` (created when missing).
    pub fn create(dir: &Path, operation: &str, node: &str) -> Result<Journal> {
        std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
        let started = now();
        let stamp: String = started
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        let path = dir.join(format!("{operation}-{stamp}-{}.json", std::process::id()));
        let j = Journal {
            path,
            record: Record {
                schema_version: SCHEMA_VERSION,
                operation: operation.into(),
                node: node.into(),
                pid: std::process::id(),
                started,
                state: State::Running,
                change_begun: false,
                steps: Vec::new(),
                last_completed_step: None,
                message: None,
                next: None,
                arguments: serde_json::Value::Null,
                in_progress: None,
            },
        };
        j.save()?;
        Ok(j)
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A step begins: recorded before it runs, cleared by [`Journal::step`].
    pub fn start_step(&mut self, step: usize, title: &str, changes: bool) {
        self.record.in_progress = Some(InProgress {
            step,
            title: title.into(),
            since: now(),
            changes,
        });
        self.record.change_begun |= changes;
        let _ = self.save();
    }

    pub fn step(&mut self, step: usize, title: &str, outcome: Outcome, changed: bool) {
        self.record.in_progress = None;
        self.record.steps.push(StepRecord {
            step,
            title: title.into(),
            outcome,
            at: now(),
            changed,
        });
        if outcome != Outcome::Ng {
            self.record.last_completed_step = Some(step);
        }
        self.record.change_begun |= changed;
        let _ = self.save();
    }

    pub fn set_arguments(&mut self, v: serde_json::Value) {
        self.record.arguments = v;
        let _ = self.save();
    }

    pub fn begin_change(&mut self) {
        if !self.record.change_begun {
            self.record.change_begun = true;
            let _ = self.save();
        }
    }

    pub fn finish(&mut self, state: State, message: Option<String>, next: Option<String>) {
        self.record.state = state;
        self.record.message = message;
        self.record.next = next;
        let _ = self.save();
    }

    fn save(&self) -> Result<()> {
        let text = serde_json::to_string_pretty(&self.record).expect("journal serializes");
        let tmp = self.path.with_extension("json.tmp");
        std::fs::write(&tmp, text + "\n").map_err(|e| io(&tmp, e))?;
        std::fs::rename(&tmp, &self.path).map_err(|e| io(&self.path, e))
    }
}

fn io(p: &Path, e: std::io::Error) -> Error {
    Error::other(
        crate::t!(crate::msg::ops::JOURNAL_IO, path = p.display()),
        None,
    )
    .with_source(e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_file_records_the_last_completed_step() {
        let dir = tempfile::tempdir().unwrap();
        let mut j = Journal::create(dir.path(), "stop", "pm01").unwrap();
        j.step(1, "Checking", Outcome::Ok, false);
        j.step(2, "Stopping Pacemaker", Outcome::Ok, true);
        j.step(3, "Waiting", Outcome::Ng, false);
        j.finish(
            State::Failed,
            Some("timeout".into()),
            Some("pgrex stop".into()),
        );
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(j.path()).unwrap()).unwrap();
        assert_eq!(v["last_completed_step"], 2);
        assert_eq!(v["change_begun"], true);
        assert_eq!(v["state"], "failed");
        assert_eq!(v["next"], "pgrex stop");
    }

    #[test]
    fn the_newest_run_that_stopped_part_way_is_unfinished_until_taken_over() {
        let dir = tempfile::tempdir().unwrap();
        // A refusal (nothing changed) is not unfinished.
        let mut refused = Journal::create(dir.path(), "stop", "pm01").unwrap();
        refused.step(1, "Checking", Outcome::Ng, false);
        refused.finish(State::Failed, Some("refused".into()), None);
        let mut j = Journal::create(dir.path(), "switchover", "pm01").unwrap();
        j.set_arguments(serde_json::json!({"old": "pm01", "new": "pm02"}));
        j.step(1, "Moving", Outcome::Ok, true);
        j.finish(
            State::Interrupted,
            Some("interrupted".into()),
            Some("pgrex resume".into()),
        );
        let all = list(dir.path()).unwrap();
        assert_eq!(all.len(), 2);
        let unfinished: Vec<_> = all.iter().filter(|(_, r)| r.unfinished()).collect();
        assert_eq!(unfinished.len(), 1);
        assert_eq!(unfinished[0].1.arguments["new"], "pm02");
        close(&unfinished[0].0, State::Done, "taken over".into()).unwrap();
        assert!(list(dir.path())
            .unwrap()
            .iter()
            .all(|(_, r)| !r.unfinished()));
        assert!(list(&dir.path().join("missing")).unwrap().is_empty());
    }
}

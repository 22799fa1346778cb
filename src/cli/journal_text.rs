//! `pgrex journal`'s views: the list of this node's journals (one line each, newest first)
//! and one journal step by step, as text or as the JSON documents of docs/json.md.

use pgrex::msg::ops as m;
use pgrex::ops::journal::Record;
use pgrex::t;
use std::fmt::Write;
use std::path::{Path, PathBuf};

fn name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn state(r: &Record) -> String {
    serde_json::to_value(r.state)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_else(|| "?".into())
}

fn unfinished(r: &Record) -> &'static str {
    if r.unfinished() {
        m::J_UNFINISHED.text()
    } else {
        ""
    }
}

fn last_step(r: &Record) -> String {
    r.steps
        .iter()
        .rev()
        .find(|s| Some(s.step) == r.last_completed_step)
        .map(|s| format!("{}. {}", s.step, s.title))
        .unwrap_or_else(|| "-".into())
}

/// The list as JSON: `{schema_version, journals: [...]}`.
pub fn list_json(all: &[(PathBuf, Record)]) -> serde_json::Value {
    let list: Vec<_> = all
        .iter()
        .map(|(path, r)| {
            serde_json::json!({
                "journal": name(path), "operation": r.operation, "node": r.node,
                "started": r.started, "state": r.state, "change_begun": r.change_begun,
                "unfinished": r.unfinished(), "last_completed_step": r.last_completed_step,
                "message": r.message, "next": r.next,
            })
        })
        .collect();
    serde_json::json!({ "schema_version": 1, "journals": list })
}

/// The list as text: one line per journal, or that there is none in `dir`.
pub fn list(all: &[(PathBuf, Record)], dir: &Path) -> String {
    if all.is_empty() {
        return t!(m::JOURNAL_NONE, dir = dir.display()) + "\n";
    }
    let mut s = String::new();
    for (path, r) in all {
        let line = t!(
            m::J_LIST_LINE,
            journal = name(path),
            operation = r.operation,
            started = r.started,
            state = state(r),
            unfinished = unfinished(r),
            last = last_step(r)
        );
        let _ = writeln!(s, "{line}");
    }
    s
}

/// One journal, step by step.
pub fn one(path: &Path, r: &Record) -> String {
    let mut s = t!(
        m::J_HEADER,
        journal = name(path),
        operation = r.operation,
        node = r.node,
        started = r.started,
        state = state(r),
        unfinished = unfinished(r)
    ) + "\n";
    if !r.arguments.is_null() {
        let _ = writeln!(s, "{}", t!(m::J_ARGUMENTS, arguments = r.arguments));
    }
    for st in &r.steps {
        let changed = if st.changed { m::J_CHANGED.text() } else { "" };
        let _ = writeln!(
            s,
            "{:>3}. {}  [{}]  {}{changed}",
            st.step,
            st.title,
            st.outcome.word(),
            st.at
        );
    }
    if let Some(msg) = &r.message {
        let _ = writeln!(s, "{}", t!(m::J_MESSAGE, message = msg));
    }
    if let Some(n) = &r.next {
        let _ = writeln!(s, "{}", t!(m::J_NEXT, next = n));
    }
    s
}

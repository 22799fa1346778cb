//! `pgrex journal [JOURNAL]`: this node's operation journals (`/var/lib/pgrex`,
//! `PGREX_JOURNAL_DIR`), newest first — or one of them, step by step. Read-only; JSON with
//! `--output-format json` (the list, or the journal record itself).

use crate::cli::args::JournalArgs;
use crate::cli::env;
use crate::cli::printer::Printer;
use pgrex::msg::ops as m;
use pgrex::ops::journal::{self, Record};
use pgrex::{t, Error, ExitCode};
use std::path::{Path, PathBuf};

pub fn dir() -> PathBuf {
    env::var("PGREX_JOURNAL_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| journal::DEFAULT_DIR.into())
}

fn name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn last_step(r: &Record) -> String {
    r.steps
        .iter()
        .rev()
        .find(|s| Some(s.step) == r.last_completed_step)
        .map(|s| format!("{}. {}", s.step, s.title))
        .unwrap_or_else(|| "-".into())
}

pub fn run(a: &JournalArgs, p: &Printer) -> anyhow::Result<ExitCode> {
    let dir = dir();
    let Some(which) = &a.journal else {
        let all = journal::list(&dir)?;
        if p.json() {
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
            let doc = serde_json::json!({ "schema_version": 1, "journals": list });
            p.out(&(serde_json::to_string_pretty(&doc)? + "\n"));
            return Ok(ExitCode::Ok);
        }
        if all.is_empty() {
            p.out(&(t!(m::JOURNAL_NONE, dir = dir.display()) + "\n"));
        }
        for (path, r) in &all {
            let flag = if r.unfinished() { " (unfinished)" } else { "" };
            let state = serde_json::to_value(r.state)?;
            p.out(&format!(
                "{}  {}  {}  {}{flag}  last: {}\n",
                name(path),
                r.operation,
                r.started,
                state.as_str().unwrap_or("?"),
                last_step(r)
            ));
        }
        return Ok(ExitCode::Ok);
    };
    let path = if which.contains('/') {
        PathBuf::from(which)
    } else {
        dir.join(which)
    };
    if !path.exists() {
        return Err(Error::input(
            "JOURNAL",
            t!(
                m::JOURNAL_MISSING,
                path = path.display(),
                dir = dir.display()
            ),
        )
        .into());
    }
    let r = journal::load(&path)?;
    if p.json() {
        p.out(&(serde_json::to_string_pretty(&r)? + "\n"));
        return Ok(ExitCode::Ok);
    }
    let state = serde_json::to_value(r.state)?;
    let mut s = format!(
        "{}: {} on {}, started {}, {}{}\n",
        name(&path),
        r.operation,
        r.node,
        r.started,
        state.as_str().unwrap_or("?"),
        if r.unfinished() { " (unfinished)" } else { "" }
    );
    if !r.arguments.is_null() {
        s.push_str(&format!("arguments: {}\n", r.arguments));
    }
    for st in &r.steps {
        let changed = if st.changed { "  (changed)" } else { "" };
        s.push_str(&format!(
            "{:>3}. {}  [{}]  {}{changed}\n",
            st.step,
            st.title,
            st.outcome.word(),
            st.at
        ));
    }
    if let Some(msg) = &r.message {
        s.push_str(&format!("message: {msg}\n"));
    }
    if let Some(n) = &r.next {
        s.push_str(&format!("next: {n}\n"));
    }
    p.out(&s);
    Ok(ExitCode::Ok)
}

//! Journal housekeeping: the journals under `/var/lib/pgrex` are pruned by pgrex itself,
//! each time an operation creates its own, so the directory never grows forever
//! (`JOURNAL_KEEP_DAYS`, `JOURNAL_KEEP_COUNT`, docs/config.md).
//!
//! Only *finished* journals are ever removed. Unfinished ones — still `running` (or left so
//! by a killed process), or `failed` / `interrupted` after a change had begun (the exit-6
//! stops that `pgrex resume` / `pgrex abort` continue) — are kept whatever their age, and so
//! are files this module cannot read as a journal: they are not its to judge. It reads only
//! the two fields it needs, so the journal format stays the journal module's.

use crate::config::JournalKeep;
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// The fields pruning reads from a journal file.
#[derive(Debug, Deserialize)]
struct Head {
    state: String,
    #[serde(default)]
    change_begun: bool,
}

/// Whether a journal with this state may be pruned.
fn finished(h: &Head) -> bool {
    match h.state.as_str() {
        "done" => true,
        "failed" | "interrupted" => !h.change_begun,
        _ => false,
    }
}

/// What one pruning pass did.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Pruned {
    pub removed: Vec<PathBuf>,
    /// Files that should have gone but could not be removed (`path: error`).
    pub errors: Vec<String>,
}

/// Remove the finished journals of `dir` that `keep` no longer keeps, as of `now`: those
/// last written more than `keep.days` days ago, then all but the newest `keep.count`.
/// `except` (the journal just created) is never touched. Never fails: a directory that
/// cannot be listed prunes nothing.
pub fn prune(dir: &Path, keep: &JournalKeep, now: SystemTime, except: Option<&Path>) -> Pruned {
    let mut done: Vec<(SystemTime, PathBuf)> = journals(dir)
        .into_iter()
        .filter(|(_, p)| Some(p.as_path()) != except)
        .filter(|(_, p)| read_head(p).as_ref().is_some_and(finished))
        .collect();
    // Newest first.
    done.sort_by(|a, b| b.0.cmp(&a.0).then_with(|| b.1.cmp(&a.1)));
    let max_age = Duration::from_secs(u64::from(keep.days) * 86_400);
    let mut out = Pruned::default();
    for (i, (mtime, path)) in done.into_iter().enumerate() {
        let too_old = keep.days > 0 && now.duration_since(mtime).unwrap_or_default() > max_age;
        let too_many = keep.count > 0 && i >= keep.count as usize;
        if !(too_old || too_many) {
            continue;
        }
        match std::fs::remove_file(&path) {
            Ok(()) => out.removed.push(path),
            Err(e) => out.errors.push(format!("{}: {e}", path.display())),
        }
    }
    for p in &out.removed {
        tracing::debug!(path = %p.display(), "journal pruned");
    }
    for e in &out.errors {
        tracing::warn!(error = %e, "journal not pruned");
    }
    out
}

/// Every `*.json` regular file of `dir` with its modification time (not the `.json.tmp` of a
/// save in progress).
fn journals(dir: &Path) -> Vec<(SystemTime, PathBuf)> {
    let Ok(rd) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    rd.flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
        .filter_map(|e| {
            let m = e.metadata().ok()?;
            m.is_file().then_some((m.modified().ok()?, e.path()))
        })
        .collect()
}

/// The state fields of a journal file, or None when it is not one (too big, unreadable,
/// not JSON, no `state`).
fn read_head(p: &Path) -> Option<Head> {
    const MAX: u64 = 16 << 20;
    if std::fs::metadata(p).ok()?.len() > MAX {
        return None;
    }
    serde_json::from_str(&std::fs::read_to_string(p).ok()?).ok()
}

#[cfg(test)]
mod tests;

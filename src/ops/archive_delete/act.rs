//! The changing half of `archive-delete`: remove the selected files, or move them into a new
//! `YYYYMMDD_HHMMSS/` directory (mode 0700, the archive directory's owner, never an existing
//! one, `mv -n` so nothing is overwritten), then list the directory again to prove it.
//!
//! Removing on this machine is in-process (`unlinkat` on the archive directory's descriptor,
//! no process at all); on the peer, and moving anywhere, one command per node does the whole
//! batch (the names go on its stdin, NUL-separated, to `xargs -0`), so 100 000 files cost one
//! process start and not 100 000; the proof afterwards is one listing.

use crate::msg::archive as m;
use crate::node::{nul_batch, Node, RunAs};
use crate::{t, Error, Result};
use std::collections::HashSet;
use std::path::Path;

/// Remove every name in `dir` ([`Node::remove_in_dir`]: in-process on this machine, one
/// batch command on the peer).
pub fn remove(node: &dyn Node, dir: &Path, names: &[String]) -> Result<()> {
    node.remove_in_dir(dir, names)?;
    verify(node, dir, None, names)
}

/// Move every name in `dir` into the new directory `dir/sub`, owned by `owner`.
pub fn move_into(
    node: &dyn Node,
    dir: &Path,
    sub: &str,
    owner: (u32, u32),
    names: &[String],
) -> Result<()> {
    let d = dir.to_string_lossy();
    let own = format!("{}:{}", owner.0, owner.1);
    let cmd = nul_batch(
        r#"cd -- "$1" && mkdir -m 0700 -- "$2" && chown -- "$3" "$2" && xargs -0 -r mv -n -t "$2" --"#,
        &[&d, sub, &own],
        names,
    );
    node.run(&cmd, &RunAs::Root)?;
    verify(node, dir, Some(sub), names)
}

/// None of `names` is left in `dir`; with a move, every one is in `dir/sub`.
fn verify(node: &dyn Node, dir: &Path, sub: Option<&str>, names: &[String]) -> Result<()> {
    let wanted: HashSet<&str> = names.iter().map(String::as_str).collect();
    let left: Vec<String> = node
        .list_dir(dir)?
        .into_iter()
        .filter(|e| wanted.contains(e.name.as_str()))
        .map(|e| e.name)
        .collect();
    if !left.is_empty() {
        return Err(Error::other(
            t!(
                m::LEFT_BEHIND,
                count = left.len(),
                dir = dir.display(),
                first = left[0]
            ),
            None,
        ));
    }
    if let Some(sub) = sub {
        let there: HashSet<String> = node
            .list_dir(&dir.join(sub))?
            .into_iter()
            .map(|e| e.name)
            .collect();
        let missing: Vec<&str> = names
            .iter()
            .map(String::as_str)
            .filter(|n| !there.contains(*n))
            .collect();
        if !missing.is_empty() {
            return Err(Error::other(
                t!(
                    m::MOVE_LOST,
                    count = missing.len(),
                    dir = dir.join(sub).display(),
                    first = missing[0]
                ),
                None,
            ));
        }
    }
    Ok(())
}

//! `pgrex links DIR`: one symbolic link per Perl tool name ([`super::TOOL_NAMES`]) in DIR,
//! pointing to the pgrex binary, for an install without the packages (which ship the same
//! links). Idempotent: a link already pointing there is left alone, a link pointing
//! elsewhere is replaced; a file that is not a link (the Perl tool itself) is never
//! overwritten — then nothing at all is made (exit 3). [`shadows`] tells which names an
//! earlier directory on PATH (e.g. the Perl tools in /usr/local/bin) would still answer.

use crate::msg::perl as m;
use crate::{t, Error, Result};
use std::path::{Path, PathBuf};

/// What happened to one link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Made {
    Created,
    /// Already pointing to the target.
    Present,
    /// It pointed to `old`; now to the target.
    Replaced {
        old: PathBuf,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    pub path: PathBuf,
    pub made: Made,
}

/// Make the links in `dir` to `target`, all or none.
pub fn make(dir: &Path, target: &Path) -> Result<Vec<Link>> {
    if !dir.is_dir() {
        return Err(Error::Input {
            what: dir.display().to_string(),
            message: t!(m::LINK_NO_DIR, dir = dir.display()),
            hint: Some(t!(m::LINK_NO_DIR_HINT, dir = dir.display())),
            source: None,
        });
    }
    // First every check, so that a refusal changes nothing.
    let mut plan = Vec::new();
    for name in super::TOOL_NAMES {
        let path = dir.join(name);
        let made = match std::fs::symlink_metadata(&path) {
            Err(_) => Made::Created,
            Ok(md) if !md.file_type().is_symlink() => {
                return Err(Error::refused(
                    t!(m::LINK_NOT_A_LINK, path = path.display()),
                    Some(t!(m::LINK_NOT_A_LINK_HINT, path = path.display())),
                ));
            }
            Ok(_) => match std::fs::read_link(&path) {
                Ok(old) if old == target => Made::Present,
                Ok(old) => Made::Replaced { old },
                Err(_) => Made::Replaced {
                    old: PathBuf::from("?"),
                },
            },
        };
        plan.push(Link { path, made });
    }
    for l in &plan {
        if l.made != Made::Present {
            link(target, &l.path)?;
        }
    }
    Ok(plan)
}

/// `path` → `target`, replacing a link already there in one rename.
fn link(target: &Path, path: &Path) -> Result<()> {
    let io = |e: std::io::Error| {
        Error::other(t!(m::LINK_IO, path = path.display()), None).with_source(e)
    };
    let name = path.file_name().unwrap_or_default().to_string_lossy();
    let tmp = path.with_file_name(format!(".{name}.pgrex-{}", std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    std::os::unix::fs::symlink(target, &tmp).map_err(io)?;
    std::fs::rename(&tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        io(e)
    })
}

/// A name that an earlier directory on PATH answers instead of the link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Shadow {
    pub name: &'static str,
    /// What PATH finds first.
    pub found: PathBuf,
}

/// Which names `path_var` (the PATH) would resolve to something other than pgrex before
/// reaching `dir`, and whether `dir` is on it at all.
pub fn shadows(dir: &Path, path_var: &std::ffi::OsStr, target: &Path) -> (Vec<Shadow>, bool) {
    let canon = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let dir_c = canon(dir);
    let target_c = canon(target);
    let entries: Vec<PathBuf> = std::env::split_paths(path_var).collect();
    let on_path = entries.iter().any(|e| canon(e) == dir_c);
    let mut out = Vec::new();
    for name in super::TOOL_NAMES {
        for e in &entries {
            if canon(e) == dir_c {
                break;
            }
            let cand = e.join(name);
            if cand.is_file() {
                if canon(&cand) != target_c {
                    out.push(Shadow { name, found: cand });
                }
                break;
            }
        }
    }
    (out, on_path)
}

#[cfg(test)]
#[path = "links_tests.rs"]
mod tests;

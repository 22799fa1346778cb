//! File operations on the peer, as small shell commands on the session (no SFTP: the peer's
//! sshd need not run the sftp subsystem). Paths must be absolute and are quoted; listings
//! are NUL-separated so any file name survives.

use std::path::Path;

use super::conn::Conn;
use super::exec::{exec, ExecResult, Limits};
use crate::node::error::NodeError;
use crate::node::seam::{DirEntry, FileKind, FileMode, FileStat};

/// Exit code the scripts use for "does not exist".
const ABSENT: i32 = 3;

fn q(node: &Conn, op: &'static str, path: &Path) -> Result<String, NodeError> {
    let p = path.to_string_lossy();
    if !path.is_absolute() {
        return Err(NodeError::RemoteFs {
            node: node.describe(),
            op,
            path: path.to_path_buf(),
            message: crate::msg::node::PATH_NOT_ABSOLUTE.text().into(),
            source: None,
        });
    }
    shlex::try_quote(&p)
        .map(|s| s.into_owned())
        .map_err(|_| NodeError::RemoteFs {
            node: node.describe(),
            op,
            path: path.to_path_buf(),
            message: crate::msg::node::PATH_NUL.text().into(),
            source: None,
        })
}

fn run(
    node: &Conn,
    op: &'static str,
    path: &Path,
    script: &str,
    stdin: Option<&[u8]>,
    out: &mut dyn std::io::Write,
) -> Result<ExecResult, NodeError> {
    let shown = format!("{}: {script}", node.describe());
    exec(
        node,
        script,
        stdin,
        out,
        &Limits::total(Some(node.io_timeout())),
        &shown,
    )
    .map_err(|e| match e {
        NodeError::Exec(x) => NodeError::RemoteFs {
            node: node.describe(),
            op,
            path: path.to_path_buf(),
            message: crate::t!(crate::msg::node::REMOTE_COMMAND_FAILED),
            source: Some(x.into()),
        },
        other => other,
    })
}

fn failed(node: &Conn, op: &'static str, path: &Path, r: &ExecResult) -> NodeError {
    let detail = r.stderr.trim();
    NodeError::RemoteFs {
        node: node.describe(),
        op,
        path: path.to_path_buf(),
        message: if detail.is_empty() {
            format!("{:?}", r.status)
        } else {
            crate::exec::tail(detail)
        },
        source: None,
    }
}

pub(crate) fn stat(node: &Conn, path: &Path) -> Result<Option<FileStat>, NodeError> {
    let p = q(node, "stat", path)?;
    let script = format!(
        "if test -e {p} || test -L {p}; then exec stat -c '%f %s %u %g %Y' -- {p}; else exit {ABSENT}; fi"
    );
    let mut out = Vec::new();
    let r = run(node, "stat", path, &script, None, &mut out)?;
    if r.status.code() == Some(ABSENT) {
        return Ok(None);
    }
    if !r.status.success() {
        return Err(failed(node, "stat", path, &r));
    }
    let text = String::from_utf8_lossy(&out);
    parse_stat(text.trim())
        .map(Some)
        .ok_or_else(|| NodeError::RemoteFs {
            node: node.describe(),
            op: "stat",
            path: path.to_path_buf(),
            message: crate::t!(crate::msg::node::UNEXPECTED_OUTPUT, output = text.trim()),
            source: None,
        })
}

/// `%f %s %u %g %Y` (raw mode in hex, size, uid, gid, mtime).
fn parse_stat(s: &str) -> Option<FileStat> {
    let w: Vec<&str> = s.split(' ').collect();
    if w.len() != 5 {
        return None;
    }
    let raw = u32::from_str_radix(w[0], 16).ok()?;
    Some(FileStat {
        kind: FileKind::from_mode(raw),
        size: w[1].parse().ok()?,
        mode: raw & 0o7777,
        uid: w[2].parse().ok()?,
        gid: w[3].parse().ok()?,
        mtime: w[4].parse().ok()?,
    })
}

pub(crate) fn read_to(
    node: &Conn,
    path: &Path,
    sink: &mut dyn std::io::Write,
) -> Result<u64, NodeError> {
    let p = q(node, "read", path)?;
    let mut counter = Counting { inner: sink, n: 0 };
    // A large file may take long in total: limit only the time without any byte.
    let shown = format!("{}: cat -- {p}", node.describe());
    let r = exec(
        node,
        &format!("exec cat -- {p}"),
        None,
        &mut counter,
        &Limits::idle(node.io_timeout()),
        &shown,
    )?;
    if !r.status.success() {
        return Err(failed(node, "read", path, &r));
    }
    Ok(counter.n)
}

pub(crate) fn write_file(
    node: &Conn,
    path: &Path,
    data: &[u8],
    mode: FileMode,
) -> Result<(), NodeError> {
    let p = q(node, "write", path)?;
    let tmp = q(node, "write", &crate::node::local::temp_beside(path))?;
    let chown = match mode.owner {
        Some((u, g)) => format!("chown {u}:{g} -- {tmp} && "),
        None => String::new(),
    };
    let script = format!(
        "umask 077 && cat > {tmp} && chmod {:o} -- {tmp} && {chown}sync -- {tmp} && mv -f -- {tmp} {p} || {{ rm -f -- {tmp}; exit 1; }}",
        mode.mode
    );
    let r = run(
        node,
        "write",
        path,
        &script,
        Some(data),
        &mut std::io::sink(),
    )?;
    if !r.status.success() {
        return Err(failed(node, "write", path, &r));
    }
    Ok(())
}

pub(crate) fn remove_file(node: &Conn, path: &Path) -> Result<bool, NodeError> {
    let p = q(node, "remove", path)?;
    let script =
        format!("if test -e {p} || test -L {p}; then exec rm -f -- {p}; else exit {ABSENT}; fi");
    let r = run(node, "remove", path, &script, None, &mut std::io::sink())?;
    match r.status.code() {
        Some(0) => Ok(true),
        Some(ABSENT) => Ok(false),
        _ => Err(failed(node, "remove", path, &r)),
    }
}

pub(crate) fn list_dir(node: &Conn, path: &Path) -> Result<Vec<DirEntry>, NodeError> {
    let p = q(node, "list", path)?;
    // `-ignore_readdir_race`: an archive file removed while we list is not an error.
    let script = format!(
        "test -d {p} || {{ echo 'not a directory' >&2; exit 1; }}; exec find {p} -mindepth 1 -maxdepth 1 -ignore_readdir_race -printf '%m %s %U %G %T@ %y %f\\0'"
    );
    let mut out = Vec::new();
    let r = run(node, "list", path, &script, None, &mut out)?;
    if !r.status.success() {
        return Err(failed(node, "list", path, &r));
    }
    let mut entries = parse_listing(&out).ok_or_else(|| NodeError::RemoteFs {
        node: node.describe(),
        op: "list",
        path: path.to_path_buf(),
        message: crate::msg::node::UNEXPECTED_FIND_OUTPUT.text().into(),
        source: None,
    })?;
    entries.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(entries)
}

/// `%m %s %U %G %T@ %y %f\0` records.
fn parse_listing(out: &[u8]) -> Option<Vec<DirEntry>> {
    let mut v = Vec::new();
    for rec in out.split(|b| *b == 0).filter(|r| !r.is_empty()) {
        let s = String::from_utf8_lossy(rec);
        let w: Vec<&str> = s.splitn(7, ' ').collect();
        if w.len() != 7 {
            return None;
        }
        let kind = match w[5] {
            "f" => FileKind::File,
            "d" => FileKind::Dir,
            "l" => FileKind::Symlink,
            _ => FileKind::Other,
        };
        let mtime = w[4].split('.').next()?.parse().ok()?;
        v.push(DirEntry {
            name: w[6].to_string(),
            stat: FileStat {
                kind,
                size: w[1].parse().ok()?,
                mode: u32::from_str_radix(w[0], 8).ok()?,
                uid: w[2].parse().ok()?,
                gid: w[3].parse().ok()?,
                mtime,
            },
        });
    }
    Some(v)
}

struct Counting<'a> {
    inner: &'a mut dyn std::io::Write,
    n: u64,
}

impl std::io::Write for Counting<'_> {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(b)?;
        self.n += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exec::Cmd;
    use crate::node::Node;

    #[test]
    fn stat_output() {
        let s = parse_stat("81a4 16777216 101 104 1732488000").unwrap();
        assert_eq!(
            (s.kind, s.size, s.mode, s.uid, s.gid),
            (FileKind::File, 16777216, 0o644, 101, 104)
        );
        assert_eq!(parse_stat("41ed 4096 0 0 1").unwrap().kind, FileKind::Dir);
        assert_eq!(parse_stat("a1ff 7 0 0 1").unwrap().kind, FileKind::Symlink);
        assert!(parse_stat("81a4 1 2").is_none());
    }

    /// The same find command, run locally on names a shell would choke on.
    #[test]
    fn listing_survives_hostile_names() {
        let d = tempfile::tempdir().unwrap();
        let names = [
            "000000010000000000000002",
            "a b",
            "new\nline",
            "$(x)",
            "q'uote",
        ];
        for n in names {
            std::fs::write(d.path().join(n), n).unwrap();
        }
        std::fs::create_dir(d.path().join("archive_status")).unwrap();
        let out = Cmd::new("find")
            .arg(d.path())
            .args([
                "-mindepth",
                "1",
                "-maxdepth",
                "1",
                "-ignore_readdir_race",
                "-printf",
                "%m %s %U %G %T@ %y %f\\0",
            ])
            .run()
            .unwrap();
        let mut got = parse_listing(out.stdout.as_bytes()).unwrap();
        got.sort_by(|a, b| a.name.cmp(&b.name));
        let local = crate::node::LocalNode::new().list_dir(d.path()).unwrap();
        assert_eq!(got, local);
        assert_eq!(got.len(), names.len() + 1);
    }
}

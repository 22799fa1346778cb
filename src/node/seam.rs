//! The seam itself: the [`Node`] trait, whom a command runs as ([`RunAs`]), the file facts a
//! node reports, and how a command on a node is named in messages. A leaf: the two
//! implementations (`local`, `ssh`) and the helpers build on it, never the other way round.

use std::io::Write;
use std::path::Path;

use super::error::NodeError;
use crate::exec::{Cmd, Output};

/// Whom a command runs as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunAs {
    Root,
    /// A local system user, normally the PostgreSQL owner (`postgres`). Commands run through
    /// `runuser -u <user> --`, in `/` unless the command names a directory.
    User(String),
}

impl RunAs {
    pub fn postgres() -> RunAs {
        RunAs::User("postgres".into())
    }
}

/// What kind of directory entry a path is (symlinks are not followed).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    File,
    Dir,
    Symlink,
    Other,
}

impl FileKind {
    /// From the `st_mode` file-type bits.
    pub fn from_mode(mode: u32) -> FileKind {
        match mode & 0o170000 {
            0o100000 => FileKind::File,
            0o040000 => FileKind::Dir,
            0o120000 => FileKind::Symlink,
            _ => FileKind::Other,
        }
    }
}

/// The facts of one path (from `lstat`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FileStat {
    pub kind: FileKind,
    pub size: u64,
    /// Permission bits only (`0o600`).
    pub mode: u32,
    pub uid: u32,
    pub gid: u32,
    /// Modification time, seconds since the epoch.
    pub mtime: i64,
}

/// One entry of a directory listing.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DirEntry {
    pub name: String,
    pub stat: FileStat,
}

/// Owner and permissions to give a written file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileMode {
    pub mode: u32,
    /// `None` keeps the writer's (root's) ownership.
    pub owner: Option<(u32, u32)>,
}

/// A machine operations act on.
pub trait Node: Send + Sync {
    /// How to name this node in messages: `local` or `root@192.0.2.2`.
    fn describe(&self) -> String;

    fn is_local(&self) -> bool;

    /// Run a command and return whatever it exited with. Errors only when it could not be
    /// run at all, timed out (the command's own timeout), or the connection failed.
    fn output(&self, cmd: &Cmd, as_user: &RunAs) -> Result<Output, NodeError>;

    /// Run a command and require exit code 0.
    fn run(&self, cmd: &Cmd, as_user: &RunAs) -> Result<Output, NodeError> {
        let out = self.output(cmd, as_user)?;
        if out.status.success() {
            Ok(out)
        } else {
            Err(NodeError::Exec(crate::exec::ExecError::Failed {
                cmd: shown(self, cmd, as_user),
                status: out.status,
                stdout: out.stdout,
                stderr_tail: crate::exec::tail(&out.stderr),
            }))
        }
    }

    /// The facts of `path`, `None` when it does not exist.
    fn stat(&self, path: &Path) -> Result<Option<FileStat>, NodeError>;

    /// Stream the content of a file into `sink`; returns the number of bytes.
    fn read_to(&self, path: &Path, sink: &mut dyn Write) -> Result<u64, NodeError>;

    /// The whole content of a (small) file.
    fn read_file(&self, path: &Path) -> Result<Vec<u8>, NodeError> {
        let mut buf = Vec::new();
        self.read_to(path, &mut buf)?;
        Ok(buf)
    }

    /// Write a file atomically: a temporary file beside it, then a rename.
    fn write_file(&self, path: &Path, data: &[u8], mode: FileMode) -> Result<(), NodeError>;

    /// Remove a file (not a directory). `Ok(false)` when it did not exist.
    fn remove_file(&self, path: &Path) -> Result<bool, NodeError>;

    /// Remove the files `names` (plain names, no `/`) of the directory `dir`, never
    /// following a symlink (a symlink named is removed itself); a name already gone is not
    /// an error. The default is one batch command as root (`xargs -0 rm -f`, the names on
    /// its stdin: one process start for any number of files, over SSH as well);
    /// [`LocalNode`](super::LocalNode) unlinks in-process on the directory's descriptor.
    fn remove_in_dir(&self, dir: &Path, names: &[String]) -> Result<(), NodeError> {
        let d = dir.to_string_lossy();
        let cmd = nul_batch(r#"cd -- "$1" && xargs -0 -r rm -f --"#, &[&d], names);
        self.run(&cmd, &RunAs::Root).map(drop)
    }

    /// The entries of a directory (not `.`/`..`), sorted by name. Names that are not UTF-8
    /// are returned lossily; WAL and archive names are always ASCII.
    fn list_dir(&self, path: &Path) -> Result<Vec<DirEntry>, NodeError>;

    /// Run `f` with a port on this machine's `127.0.0.1` forwarded to `host:port` as this
    /// node sees it (an SSH `direct-tcpip` tunnel); `f` gets the local port. Only a node
    /// reached over SSH can do it.
    fn forward(&self, host: &str, port: u16, f: &mut dyn FnMut(u16)) -> Result<(), NodeError> {
        let _ = (host, port, f);
        Err(NodeError::Unsupported {
            node: self.describe(),
            message: crate::msg::node::NO_FORWARD.text().into(),
        })
    }
}

/// How long one batch over a directory may take (removing 100 000 files takes well under a
/// second; generous for a loaded node or a slow disk).
pub const BATCH_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(600);

/// `sh -c SCRIPT sh ARGS…` with `names` NUL-separated on its stdin (for `xargs -0`).
pub fn nul_batch(script: &str, args: &[&str], names: &[String]) -> Cmd {
    let mut input = Vec::with_capacity(names.len() * 26);
    for n in names {
        input.extend_from_slice(n.as_bytes());
        input.push(0);
    }
    Cmd::new("sh")
        .args(["-c", script, "sh"])
        .args(args.iter().copied())
        .stdin(input)
        .timeout(BATCH_TIMEOUT)
}

/// How a command is shown in messages: `<node>: <command line>` (secrets masked).
pub fn shown(node: &(impl Node + ?Sized), cmd: &Cmd, as_user: &RunAs) -> String {
    let c = match as_user {
        RunAs::Root => cmd.clone(),
        RunAs::User(u) => cmd.wrapped(["runuser", "-u", u.as_str(), "--"]),
    };
    if node.is_local() {
        c.to_string()
    } else {
        format!("{}: {c}", node.describe())
    }
}

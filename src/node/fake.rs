//! A recorded [`Node`] for unit tests of operations: it answers commands and file reads from
//! outputs recorded on real nodes (tests/fixtures), and keeps a log of everything asked of
//! it, so a test can prove that a refusal ran no changing command and touched no file.
//!
//! Commands are answered by the most specific recorded key contained in the command line
//! (`basename(program) args…`, e.g. `systemctl is-active pacemaker` or `pg_controldata`); a
//! command nothing answers exits 127, as an uninstalled program would. Files live in memory;
//! directories exist where files are below them (or where one was added). It also stands in
//! for this machine's process table ([`Processes`]), which only `/proc` knows otherwise.

use super::{DirEntry, FileKind, FileMode, FileStat, Node, NodeError};
use crate::exec::{Cmd, Output, Status};
use crate::node::processes::{Holder, Processes};
use crate::node::RunAs;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

/// One thing asked of the node, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Call {
    /// A command line (`basename(program) args…`).
    Run(String),
    Write(PathBuf),
    Remove(PathBuf),
}

/// The local port a fake node's [`Node::forward`] hands out.
pub const FORWARDED_PORT: u16 = 54321;

/// The modification time every fake file has (2023-11-14T22:13:20Z).
pub const MTIME: i64 = 1_700_000_000;

#[derive(Default)]
pub struct FakeNode {
    name: String,
    local: bool,
    answers: Vec<(String, i32, String)>,
    files: Mutex<BTreeMap<PathBuf, Vec<u8>>>,
    dirs: Vec<PathBuf>,
    holders: Vec<Holder>,
    calls: Mutex<Vec<Call>>,
}

impl FakeNode {
    /// This machine (`local`) or the peer (`root@<addr>`).
    pub fn local() -> Self {
        FakeNode {
            name: "local".into(),
            local: true,
            ..Default::default()
        }
    }

    pub fn peer(addr: &str) -> Self {
        FakeNode {
            name: format!("root@{addr}"),
            ..Default::default()
        }
    }

    /// Answer commands containing `key` with `stdout` and exit code `code`.
    pub fn answer(mut self, key: &str, code: i32, stdout: impl Into<String>) -> Self {
        self.answers.push((key.to_string(), code, stdout.into()));
        self
    }

    /// Answer with the content of a recorded file under tests/fixtures.
    pub fn answer_fixture(self, key: &str, code: i32, fixture: &str) -> Self {
        let text = std::fs::read_to_string(fixture_path(fixture))
            .unwrap_or_else(|e| panic!("fixture {fixture}: {e}"));
        self.answer(key, code, text)
    }

    pub fn file(self, path: impl AsRef<Path>, content: impl Into<Vec<u8>>) -> Self {
        self.files
            .lock()
            .unwrap()
            .insert(path.as_ref().to_path_buf(), content.into());
        self
    }

    pub fn dir(mut self, path: impl AsRef<Path>) -> Self {
        self.dirs.push(path.as_ref().to_path_buf());
        self
    }

    /// A process of this machine using a data directory.
    pub fn holder(mut self, pid: i32, command: &str) -> Self {
        self.holders.push(Holder {
            pid,
            command: command.into(),
            uid: 26,
            user: "postgres".into(),
        });
        self
    }

    /// Everything asked of this node so far.
    pub fn calls(&self) -> Vec<Call> {
        self.calls.lock().unwrap().clone()
    }

    /// The command lines run so far.
    pub fn commands(&self) -> Vec<String> {
        self.calls()
            .into_iter()
            .filter_map(|c| match c {
                Call::Run(s) => Some(s),
                _ => None,
            })
            .collect()
    }

    /// The writes and removals so far (a refusal must have none).
    pub fn changes(&self) -> Vec<Call> {
        self.calls()
            .into_iter()
            .filter(|c| !matches!(c, Call::Run(_)))
            .collect()
    }

    pub fn has_file(&self, path: impl AsRef<Path>) -> bool {
        self.files.lock().unwrap().contains_key(path.as_ref())
    }

    fn is_dir(&self, path: &Path) -> bool {
        self.dirs.iter().any(|d| d.starts_with(path))
            || self
                .files
                .lock()
                .unwrap()
                .keys()
                .any(|f| f != path && f.starts_with(path))
    }

    fn missing(&self, op: &'static str, path: &Path) -> NodeError {
        NodeError::Io {
            node: self.name.clone(),
            op,
            path: path.to_path_buf(),
            source: std::io::ErrorKind::NotFound.into(),
        }
    }
}

/// `tests/fixtures/<rel>`.
pub fn fixture_path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

/// The text of a file under tests/fixtures (the one copy every unit test uses).
pub fn fixture(rel: &str) -> String {
    let path = fixture_path(rel);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn stat(kind: FileKind, size: u64) -> FileStat {
    FileStat {
        kind,
        size,
        mode: if kind == FileKind::Dir { 0o700 } else { 0o600 },
        uid: 26,
        gid: 26,
        mtime: MTIME,
    }
}

/// `basename(program) args…`: what answers are keyed on.
pub fn command_line(cmd: &Cmd) -> String {
    let argv = cmd.argv();
    let prog = Path::new(&argv[0])
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    std::iter::once(prog)
        .chain(argv[1..].iter().cloned())
        .collect::<Vec<_>>()
        .join(" ")
}

impl Node for FakeNode {
    fn describe(&self) -> String {
        self.name.clone()
    }

    fn is_local(&self) -> bool {
        self.local
    }

    fn output(&self, cmd: &Cmd, _: &RunAs) -> Result<Output, NodeError> {
        let line = command_line(cmd);
        self.calls.lock().unwrap().push(Call::Run(line.clone()));
        let answer = self
            .answers
            .iter()
            .filter(|(k, _, _)| line.contains(k.as_str()))
            .max_by_key(|(k, _, _)| k.len());
        let (status, stdout, stderr) = match answer {
            Some((_, code, out)) => (*code, out.clone(), String::new()),
            None => (127, String::new(), format!("fake: not recorded: {line}")),
        };
        Ok(Output {
            status: Status::Exited(status),
            stdout,
            stderr,
            elapsed: Duration::ZERO,
        })
    }

    fn stat(&self, path: &Path) -> Result<Option<FileStat>, NodeError> {
        if let Some(c) = self.files.lock().unwrap().get(path) {
            return Ok(Some(stat(FileKind::File, c.len() as u64)));
        }
        Ok(self.is_dir(path).then(|| stat(FileKind::Dir, 4096)))
    }

    fn read_to(&self, path: &Path, sink: &mut dyn Write) -> Result<u64, NodeError> {
        let content = self.files.lock().unwrap().get(path).cloned();
        let c = content.ok_or_else(|| self.missing("read", path))?;
        sink.write_all(&c).map_err(|e| NodeError::Io {
            node: self.name.clone(),
            op: "read",
            path: path.to_path_buf(),
            source: e,
        })?;
        Ok(c.len() as u64)
    }

    fn write_file(&self, path: &Path, data: &[u8], _: FileMode) -> Result<(), NodeError> {
        self.calls
            .lock()
            .unwrap()
            .push(Call::Write(path.to_path_buf()));
        self.files
            .lock()
            .unwrap()
            .insert(path.to_path_buf(), data.to_vec());
        Ok(())
    }

    fn remove_file(&self, path: &Path) -> Result<bool, NodeError> {
        self.calls
            .lock()
            .unwrap()
            .push(Call::Remove(path.to_path_buf()));
        Ok(self.files.lock().unwrap().remove(path).is_some())
    }

    fn list_dir(&self, path: &Path) -> Result<Vec<DirEntry>, NodeError> {
        if !self.is_dir(path) {
            return Err(self.missing("list", path));
        }
        let mut out: BTreeMap<String, DirEntry> = BTreeMap::new();
        let below = |p: &Path| -> Option<String> {
            let rest = p.strip_prefix(path).ok()?;
            let first = rest.components().next()?;
            Some(first.as_os_str().to_string_lossy().into_owned())
        };
        for (f, c) in self.files.lock().unwrap().iter() {
            if let Some(name) = below(f) {
                let kind = if path.join(&name) == *f {
                    stat(FileKind::File, c.len() as u64)
                } else {
                    stat(FileKind::Dir, 4096)
                };
                out.insert(name.clone(), DirEntry { name, stat: kind });
            }
        }
        for d in &self.dirs {
            if let Some(name) = below(d) {
                out.entry(name.clone()).or_insert(DirEntry {
                    name,
                    stat: stat(FileKind::Dir, 4096),
                });
            }
        }
        Ok(out.into_values().collect())
    }

    /// Recorded as the command `forward HOST:PORT`; `f` gets [`FORWARDED_PORT`].
    fn forward(&self, host: &str, port: u16, f: &mut dyn FnMut(u16)) -> Result<(), NodeError> {
        self.calls
            .lock()
            .unwrap()
            .push(Call::Run(format!("forward {host}:{port}")));
        f(FORWARDED_PORT);
        Ok(())
    }
}

impl Processes for FakeNode {
    fn holders(&self, _: &Path) -> Vec<Holder> {
        self.holders.clone()
    }
}

/// A shared fake, so a test keeps a handle on the node it hands to an operation as a
/// `Box<dyn Node>` (the peer's session).
impl Node for std::sync::Arc<FakeNode> {
    fn describe(&self) -> String {
        self.as_ref().describe()
    }
    fn is_local(&self) -> bool {
        self.as_ref().is_local()
    }
    fn output(&self, cmd: &Cmd, as_user: &RunAs) -> Result<Output, NodeError> {
        self.as_ref().output(cmd, as_user)
    }
    fn stat(&self, path: &Path) -> Result<Option<FileStat>, NodeError> {
        self.as_ref().stat(path)
    }
    fn read_to(&self, path: &Path, sink: &mut dyn Write) -> Result<u64, NodeError> {
        self.as_ref().read_to(path, sink)
    }
    fn write_file(&self, path: &Path, data: &[u8], mode: FileMode) -> Result<(), NodeError> {
        self.as_ref().write_file(path, data, mode)
    }
    fn remove_file(&self, path: &Path) -> Result<bool, NodeError> {
        self.as_ref().remove_file(path)
    }
    fn list_dir(&self, path: &Path) -> Result<Vec<DirEntry>, NodeError> {
        self.as_ref().list_dir(path)
    }
    fn forward(&self, host: &str, port: u16, f: &mut dyn FnMut(u16)) -> Result<(), NodeError> {
        self.as_ref().forward(host, port, f)
    }
}

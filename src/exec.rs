//! The one place that spawns a process.
//!
//! A [`Cmd`] is a program, its arguments, environment, optional stdin and a timeout. Its
//! `Display` is the shell-quoted command line, so what an operator sees in an error can be
//! pasted into a shell. Failures keep the exit code or signal and the tail of stderr.
//! Nothing else in the crate calls `std::process::Command`.

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::fmt;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Start children in their own process group (set by the binary for operations).
static ISOLATE_CHILDREN: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Start every child in its own process group from now on, so a Ctrl-C at the terminal
/// reaches only pgrex (which then stops at a safe point).
pub fn isolate_children(on: bool) {
    ISOLATE_CHILDREN.store(on, std::sync::atomic::Ordering::Relaxed);
}

/// How many bytes of stderr an error keeps.
const STDERR_TAIL: usize = 2000;

/// A command to run. Build it, then call [`Cmd::run`] (non-zero exit is an error) or
/// [`Cmd::output`] (any exit is returned).
#[derive(Debug, Clone)]
pub struct Cmd {
    program: OsString,
    args: Vec<OsString>,
    env: BTreeMap<OsString, Option<OsString>>,
    env_clear: bool,
    stdin: Option<Vec<u8>>,
    timeout: Option<Duration>,
    cwd: Option<PathBuf>,
    /// Arguments that must not be shown (passwords); Display prints `***`.
    secret_args: Vec<usize>,
}

/// What a finished process left.
#[derive(Debug, Clone)]
pub struct Output {
    pub status: Status,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Exited(i32),
    Signaled(i32),
}

impl Status {
    pub fn success(self) -> bool {
        self == Status::Exited(0)
    }
    pub fn code(self) -> Option<i32> {
        match self {
            Status::Exited(c) => Some(c),
            Status::Signaled(_) => None,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ExecError {
    #[error("`{cmd}` could not be started: {source}")]
    Spawn {
        cmd: String,
        #[source]
        source: std::io::Error,
    },
    #[error("`{cmd}` did not finish within {}", humantime::format_duration(*.timeout))]
    Timeout {
        cmd: String,
        timeout: Duration,
        stderr_tail: String,
    },
    #[error("`{cmd}` failed ({}){}", describe(.status), tail_suffix(.stderr_tail))]
    Failed {
        cmd: String,
        status: Status,
        stdout: String,
        stderr_tail: String,
    },
}

fn describe(s: &Status) -> String {
    match s {
        Status::Exited(c) => format!("exit code {c}"),
        Status::Signaled(sig) => format!("killed by signal {sig}"),
    }
}

fn tail_suffix(t: &str) -> String {
    let t = t.trim();
    if t.is_empty() {
        String::new()
    } else {
        format!(": {t}")
    }
}

impl ExecError {
    pub fn hint(&self) -> Option<&str> {
        match self {
            ExecError::Spawn { source, .. } if source.kind() == std::io::ErrorKind::NotFound => {
                Some("install the program or set its path (see `pgrex help environment`)")
            }
            _ => None,
        }
    }

    /// True when the program itself is missing.
    pub fn is_not_found(&self) -> bool {
        matches!(self, ExecError::Spawn { source, .. } if source.kind() == std::io::ErrorKind::NotFound)
    }

    pub fn status(&self) -> Option<Status> {
        match self {
            ExecError::Failed { status, .. } => Some(*status),
            _ => None,
        }
    }

    pub fn stderr_tail(&self) -> &str {
        match self {
            ExecError::Failed { stderr_tail, .. } | ExecError::Timeout { stderr_tail, .. } => {
                stderr_tail
            }
            ExecError::Spawn { .. } => "",
        }
    }
}

impl Cmd {
    pub fn new(program: impl Into<OsString>) -> Self {
        Cmd {
            program: program.into(),
            args: Vec::new(),
            env: BTreeMap::new(),
            env_clear: false,
            stdin: None,
            timeout: None,
            cwd: None,
            secret_args: Vec::new(),
        }
    }

    pub fn arg(mut self, a: impl Into<OsString>) -> Self {
        self.args.push(a.into());
        self
    }

    pub fn args<I, S>(mut self, it: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<OsString>,
    {
        self.args.extend(it.into_iter().map(Into::into));
        self
    }

    /// An argument that is never displayed (shown as `***`).
    pub fn secret_arg(mut self, a: impl Into<OsString>) -> Self {
        self.secret_args.push(self.args.len());
        self.args.push(a.into());
        self
    }

    pub fn env(mut self, k: impl Into<OsString>, v: impl Into<OsString>) -> Self {
        self.env.insert(k.into(), Some(v.into()));
        self
    }

    pub fn env_remove(mut self, k: impl Into<OsString>) -> Self {
        self.env.insert(k.into(), None);
        self
    }

    /// Start from an empty environment (then add what the child needs with `env`).
    pub fn env_clear(mut self) -> Self {
        self.env_clear = true;
        self
    }

    pub fn stdin(mut self, data: impl Into<Vec<u8>>) -> Self {
        self.stdin = Some(data.into());
        self
    }

    pub fn timeout(mut self, t: Duration) -> Self {
        self.timeout = Some(t);
        self
    }

    pub fn current_dir(mut self, d: impl Into<PathBuf>) -> Self {
        self.cwd = Some(d.into());
        self
    }

    pub fn program(&self) -> &std::ffi::OsStr {
        &self.program
    }

    pub fn arguments(&self) -> impl Iterator<Item = &std::ffi::OsStr> {
        self.args.iter().map(|a| a.as_os_str())
    }

    /// The environment changes this command asks for (`None` = remove).
    pub fn env_changes(
        &self,
    ) -> impl Iterator<Item = (&std::ffi::OsStr, Option<&std::ffi::OsStr>)> {
        self.env.iter().map(|(k, v)| (k.as_os_str(), v.as_deref()))
    }

    pub fn stdin_data(&self) -> Option<&[u8]> {
        self.stdin.as_deref()
    }

    pub fn get_timeout(&self) -> Option<Duration> {
        self.timeout
    }

    /// The working directory the command asks for.
    pub fn working_dir(&self) -> Option<&Path> {
        self.cwd.as_deref()
    }

    /// Whether the command starts from an empty environment.
    pub fn clears_env(&self) -> bool {
        self.env_clear
    }

    /// Whether some argument is secret (must not be shown, nor put on a remote command line).
    pub fn has_secret_args(&self) -> bool {
        !self.secret_args.is_empty()
    }

    /// The same command run through a wrapper (`runuser -u postgres --`): `prefix` becomes
    /// the program and first arguments; environment, stdin, timeout, working directory and
    /// secret arguments are kept.
    pub fn wrapped<I, S>(&self, prefix: I) -> Cmd
    where
        I: IntoIterator<Item = S>,
        S: Into<OsString>,
    {
        let mut words: Vec<OsString> = prefix.into_iter().map(Into::into).collect();
        assert!(!words.is_empty(), "a wrapper needs a program");
        let program = words.remove(0);
        let shift = words.len() + 1;
        let mut args = words;
        args.push(self.program.clone());
        args.extend(self.args.iter().cloned());
        Cmd {
            program,
            args,
            secret_args: self.secret_args.iter().map(|i| i + shift).collect(),
            ..self.clone()
        }
    }

    /// Argument vector as strings (lossy), for building remote command lines.
    pub fn argv(&self) -> Vec<String> {
        std::iter::once(&self.program)
            .chain(self.args.iter())
            .map(|a| a.to_string_lossy().into_owned())
            .collect()
    }

    /// Run and require exit code 0.
    pub fn run(&self) -> Result<Output, ExecError> {
        let out = self.output()?;
        if out.status.success() {
            Ok(out)
        } else {
            Err(ExecError::Failed {
                cmd: self.to_string(),
                status: out.status,
                stdout: out.stdout,
                stderr_tail: tail(&out.stderr),
            })
        }
    }

    /// Run and return whatever the process exited with. Errors only when it could not be
    /// started or did not finish within the timeout (it is then killed).
    pub fn output(&self) -> Result<Output, ExecError> {
        self.output_impl(None)
    }

    /// As [`Cmd::output`], calling `on_line` with every line the program writes to stderr
    /// as it writes it (lines end at `\n` or `\r`: progress meters such as
    /// `pg_basebackup -P` redraw with `\r`).
    pub fn output_lines(&self, on_line: &mut dyn FnMut(&str)) -> Result<Output, ExecError> {
        let (tx, rx) = std::sync::mpsc::channel::<String>();
        std::thread::scope(|s| {
            let h = s.spawn(move || self.output_impl(Some(tx)));
            for line in rx {
                on_line(&line);
            }
            h.join().expect("command runner panicked")
        })
    }

    fn output_impl(
        &self,
        lines: Option<std::sync::mpsc::Sender<String>>,
    ) -> Result<Output, ExecError> {
        let started = Instant::now();
        let mut c = Command::new(&self.program);
        c.args(&self.args);
        if ISOLATE_CHILDREN.load(std::sync::atomic::Ordering::Relaxed) {
            // Ctrl-C at the terminal must reach pgrex only (which finishes the step and
            // stops), not pg_basebackup or systemctl half-way (spec §2.5, Q21).
            use std::os::unix::process::CommandExt;
            c.process_group(0);
        }
        if self.env_clear {
            c.env_clear();
        }
        for (k, v) in &self.env {
            match v {
                Some(v) => c.env(k, v),
                None => c.env_remove(k),
            };
        }
        if let Some(d) = &self.cwd {
            c.current_dir(d);
        }
        c.stdin(if self.stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        });
        c.stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = c.spawn().map_err(|source| ExecError::Spawn {
            cmd: self.to_string(),
            source,
        })?;

        let stdin_writer = match (self.stdin.clone(), child.stdin.take()) {
            (Some(data), Some(mut pipe)) => Some(std::thread::spawn(move || {
                let _ = pipe.write_all(&data);
            })),
            _ => None,
        };
        let out_reader = reader(child.stdout.take());
        let err_reader = match lines {
            None => reader(child.stderr.take()),
            Some(tx) => line_reader(child.stderr.take(), tx),
        };

        let status = match self.timeout {
            None => child.wait().map_err(|source| ExecError::Spawn {
                cmd: self.to_string(),
                source,
            })?,
            Some(limit) => loop {
                match child.try_wait() {
                    Ok(Some(st)) => break st,
                    Ok(None) if started.elapsed() >= limit => {
                        let _ = child.kill();
                        let _ = child.wait();
                        let stderr = err_reader.join().unwrap_or_default();
                        return Err(ExecError::Timeout {
                            cmd: self.to_string(),
                            timeout: limit,
                            stderr_tail: tail(&stderr),
                        });
                    }
                    Ok(None) => std::thread::sleep(Duration::from_millis(5)),
                    Err(source) => {
                        return Err(ExecError::Spawn {
                            cmd: self.to_string(),
                            source,
                        })
                    }
                }
            },
        };
        if let Some(w) = stdin_writer {
            let _ = w.join();
        }
        let stdout = out_reader.join().unwrap_or_default();
        let stderr = err_reader.join().unwrap_or_default();
        use std::os::unix::process::ExitStatusExt;
        let status = match (status.code(), status.signal()) {
            (Some(c), _) => Status::Exited(c),
            (None, Some(s)) => Status::Signaled(s),
            (None, None) => Status::Exited(-1),
        };
        Ok(Output {
            status,
            stdout,
            stderr,
            elapsed: started.elapsed(),
        })
    }
}

fn reader<R: Read + Send + 'static>(r: Option<R>) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(mut r) = r {
            let _ = r.read_to_end(&mut buf);
        }
        String::from_utf8_lossy(&buf).into_owned()
    })
}

fn line_reader<R: Read + Send + 'static>(
    r: Option<R>,
    tx: std::sync::mpsc::Sender<String>,
) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut all = Vec::new();
        let mut line = Vec::new();
        let mut buf = [0u8; 4096];
        if let Some(mut r) = r {
            while let Ok(n) = r.read(&mut buf) {
                if n == 0 {
                    break;
                }
                all.extend_from_slice(&buf[..n]);
                for &b in &buf[..n] {
                    if b == b'\n' || b == b'\r' {
                        if !line.is_empty() {
                            let _ = tx.send(String::from_utf8_lossy(&line).into_owned());
                            line.clear();
                        }
                    } else {
                        line.push(b);
                    }
                }
            }
        }
        if !line.is_empty() {
            let _ = tx.send(String::from_utf8_lossy(&line).into_owned());
        }
        String::from_utf8_lossy(&all).into_owned()
    })
}

/// The last part of a text, cut at a character boundary.
pub fn tail(s: &str) -> String {
    let s = s.trim_end();
    if s.len() <= STDERR_TAIL {
        return s.to_string();
    }
    let mut start = s.len() - STDERR_TAIL;
    while !s.is_char_boundary(start) {
        start += 1;
    }
    format!("…{}", &s[start..])
}

impl fmt::Display for Cmd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts: Vec<String> = Vec::new();
        for (k, v) in &self.env {
            if let Some(v) = v {
                parts.push(quote(&format!(
                    "{}={}",
                    k.to_string_lossy(),
                    v.to_string_lossy()
                )));
            }
        }
        parts.push(quote(&self.program.to_string_lossy()));
        for (i, a) in self.args.iter().enumerate() {
            if self.secret_args.contains(&i) {
                parts.push("'***'".into());
            } else {
                parts.push(quote(&a.to_string_lossy()));
            }
        }
        f.write_str(&parts.join(" "))
    }
}

/// Quote one word for a POSIX shell (only when needed).
pub fn quote(s: &str) -> String {
    shlex::try_quote(s)
        .map(|c| c.into_owned())
        .unwrap_or_else(|_| {
            // NUL bytes cannot be passed to a shell at all; show them escaped.
            format!("'{}'", s.replace('\0', "\\0").replace('\'', "'\\''"))
        })
}

/// Where external programs are found. The binary fills the overrides (flags and
/// `PGREX_<PROGRAM>` variables); everything else is looked up on `PATH` at spawn time.
#[derive(Debug, Clone, Default)]
pub struct Tools {
    overrides: BTreeMap<String, PathBuf>,
}

impl Tools {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn set(&mut self, program: &str, path: impl Into<PathBuf>) {
        self.overrides.insert(program.to_string(), path.into());
    }

    /// The path to run for `program` (the override, else the bare name for a PATH lookup).
    pub fn path(&self, program: &str) -> PathBuf {
        self.overrides
            .get(program)
            .cloned()
            .unwrap_or_else(|| PathBuf::from(program))
    }

    pub fn cmd(&self, program: &str) -> Cmd {
        Cmd::new(self.path(program))
    }

    /// Whether `program` can be found (override exists, or found on PATH).
    pub fn available(&self, program: &str) -> bool {
        match self.overrides.get(program) {
            Some(p) => Path::new(p).exists() || which::which(p).is_ok(),
            None => which::which(program).is_ok(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_quotes_and_hides_secrets() {
        let c = Cmd::new("crm_resource")
            .args(["--cleanup", "-r", "vip rep"])
            .secret_arg("hunter2")
            .env("CIB_file", "/tmp/a b.xml");
        assert_eq!(
            c.to_string(),
            "'CIB_file=/tmp/a b.xml' crm_resource --cleanup -r 'vip rep' '***'"
        );
    }

    #[test]
    fn failure_keeps_code_and_stderr() {
        let err = Cmd::new("sh")
            .args(["-c", "echo boom >&2; exit 3"])
            .run()
            .unwrap_err();
        assert_eq!(err.status(), Some(Status::Exited(3)));
        assert_eq!(err.stderr_tail(), "boom");
        assert!(err.to_string().contains("(exit code 3): boom"), "{err}");
    }

    #[test]
    fn signal_is_reported() {
        let err = Cmd::new("sh").args(["-c", "kill -9 $$"]).run().unwrap_err();
        assert_eq!(err.status(), Some(Status::Signaled(9)));
        assert!(err.to_string().contains("killed by signal 9"));
    }

    #[test]
    fn timeout_kills() {
        let err = Cmd::new("sleep")
            .arg("5")
            .timeout(Duration::from_millis(100))
            .run()
            .unwrap_err();
        assert!(matches!(err, ExecError::Timeout { .. }), "{err}");
    }

    #[test]
    fn stdin_is_fed() {
        let out = Cmd::new("cat").stdin("hello").run().unwrap();
        assert_eq!(out.stdout, "hello");
    }

    #[test]
    fn missing_program_is_not_found() {
        let err = Cmd::new("/nonexistent/pgrex-test").run().unwrap_err();
        assert!(err.is_not_found());
        assert!(err.hint().is_some());
    }

    #[test]
    fn wrapped_keeps_everything() {
        let c = Cmd::new("psql")
            .arg("-c")
            .secret_arg("pw")
            .env("LANG", "C")
            .timeout(Duration::from_secs(3));
        let w = c.wrapped(["runuser", "-u", "postgres", "--"]);
        assert_eq!(
            w.argv(),
            ["runuser", "-u", "postgres", "--", "psql", "-c", "pw"]
        );
        assert_eq!(
            w.to_string(),
            "'LANG=C' runuser -u postgres -- psql -c '***'"
        );
        assert_eq!(w.get_timeout(), Some(Duration::from_secs(3)));
        assert!(w.has_secret_args());
    }

    #[test]
    fn tail_cuts_long_text() {
        let long = "é".repeat(3000);
        let t = tail(&long);
        assert!(t.starts_with('…'));
        assert!(t.len() <= STDERR_TAIL + 4);
    }
}

//! The command itself: program, arguments, environment (secret values marked), stdin,
//! timeout and working directory, and its `Display` as a shell-quoted, secret-masked command
//! line. A leaf: running it is `spawn`'s job.

use std::collections::{BTreeMap, BTreeSet};
use std::ffi::OsString;
use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

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
    /// Environment variables whose value must not be shown (besides [`is_secret_env`]).
    secret_env: BTreeSet<OsString>,
    /// Runs to its end (its timeout) after an interruption too: see [`Cmd::through_interrupt`].
    through_interrupt: bool,
}

/// Environment variables whose value is a secret by its name alone (`PGPASSWORD`,
/// `…PASSWORD…`, `…SECRET…`, `…TOKEN…`): never shown, whoever set them.
pub fn is_secret_env(name: &std::ffi::OsStr) -> bool {
    let n = name.to_string_lossy().to_ascii_uppercase();
    ["PASSWORD", "PASSWD", "SECRET", "TOKEN"]
        .iter()
        .any(|w| n.contains(w))
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
            secret_env: BTreeSet::new(),
            through_interrupt: false,
        }
    }

    /// A command that undoes what the run put in place (the lock a switchover holds on the
    /// other node): on the peer it runs to its end, bounded by its timeout, even after
    /// SIGINT/SIGTERM — which otherwise cut a command waiting on the peer short at once, and
    /// would leave the thing it undoes in place.
    pub fn through_interrupt(mut self) -> Self {
        self.through_interrupt = true;
        self
    }

    pub fn runs_through_interrupt(&self) -> bool {
        self.through_interrupt
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

    /// An environment variable whose value is never displayed (shown as `NAME=***`).
    pub fn secret_env(mut self, k: impl Into<OsString>, v: impl Into<OsString>) -> Self {
        let k = k.into();
        self.secret_env.insert(k.clone());
        self.env.insert(k, Some(v.into()));
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

    /// Whether some argument or environment value is secret (must not be shown, nor put on
    /// a remote command line).
    pub fn has_secret_args(&self) -> bool {
        !self.secret_args.is_empty() || self.env.keys().any(|k| self.env_is_secret(k))
    }

    fn env_is_secret(&self, k: &std::ffi::OsStr) -> bool {
        self.secret_env.contains(k) || is_secret_env(k)
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
}

impl fmt::Display for Cmd {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut parts: Vec<String> = Vec::new();
        for (k, v) in &self.env {
            match v {
                Some(_) if self.env_is_secret(k) => {
                    parts.push(quote(&format!("{}=***", k.to_string_lossy())))
                }
                Some(v) => parts.push(quote(&format!(
                    "{}={}",
                    k.to_string_lossy(),
                    v.to_string_lossy()
                ))),
                None => {}
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
    fn secret_environment_values_are_hidden() {
        let c = Cmd::new("psql")
            .env("PGPASSWORD", "hunter2")
            .secret_env("PGREX_X", "s3cret")
            .env("LANG", "C");
        let shown = c.to_string();
        assert_eq!(shown, "'LANG=C' 'PGPASSWORD=***' 'PGREX_X=***' psql");
        assert!(
            c.has_secret_args(),
            "a secret never goes onto a remote line"
        );
        assert!(!Cmd::new("psql").env("LANG", "C").has_secret_args());
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
}

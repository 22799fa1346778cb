//! What a finished (or failed) process leaves: its [`Status`], its [`Output`], and the
//! [`ExecError`] that keeps the command line, the exit code or signal and the tail of stderr.

use std::time::Duration;

/// How many bytes of stderr an error keeps.
pub(super) const STDERR_TAIL: usize = 2000;

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

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&describe(self))
    }
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
    /// The operator interrupted (SIGINT/SIGTERM) while pgrex waited on the command.
    #[error("{}", crate::t!(crate::msg::gen::INTERRUPTED, cmd = .cmd))]
    Interrupted { cmd: String },
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
        Status::Exited(c) => crate::t!(crate::msg::gen::EXIT_CODE, code = c),
        Status::Signaled(sig) => crate::t!(crate::msg::gen::KILLED_BY_SIGNAL, signal = sig),
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
                Some(crate::msg::gen::HINT_PROGRAM_MISSING.text())
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
            ExecError::Spawn { .. } | ExecError::Interrupted { .. } => "",
        }
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tail_cuts_long_text() {
        let long = "é".repeat(3000);
        let t = tail(&long);
        assert!(t.starts_with('…'));
        assert!(t.len() <= STDERR_TAIL + 4);
    }
}

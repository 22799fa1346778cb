//! The core's error type and the documented exit codes (CONTRACTS.md, "Exit codes").
//!
//! Every error knows which exit code it maps to, so the binary never guesses.

use std::path::PathBuf;

/// The exit codes of every pgrex command. The numbers are a public contract.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[repr(u8)]
pub enum ExitCode {
    /// Success; `status`/`diagnose`: nothing of severity fault or warning.
    Ok = 0,
    /// An operation failed; `status`/`diagnose`: a fault or warning, or UNKNOWN.
    Failed = 1,
    /// Usage error, bad configuration, unreadable or malformed input, missing program.
    Usage = 2,
    /// Refused: a precondition is not met, nothing was changed.
    Refused = 3,
    /// The operator answered no at a prompt; nothing was changed.
    Declined = 4,
    /// Timed out waiting for the cluster.
    Timeout = 5,
    /// Stopped part-way after a change began.
    Partial = 6,
    /// Interrupted before any change began.
    Interrupted = 130,
}

impl ExitCode {
    pub fn code(self) -> u8 {
        self as u8
    }
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Errors of the core. Each carries enough context to tell the operator what is wrong and
/// how to fix it; `hint()` gives the fix.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{}: {message}", location(.file, *.line))]
    Config {
        file: PathBuf,
        /// 0 when the problem is not tied to one line (a missing key, an unreadable file).
        line: usize,
        key: Option<String>,
        message: String,
        hint: Option<String>,
    },
    #[error("{what}: {message}")]
    Input {
        what: String,
        message: String,
        hint: Option<String>,
    },
    #[error("{program} is not installed or not on PATH")]
    MissingProgram {
        program: String,
        hint: Option<String>,
    },
    #[error(transparent)]
    Exec(#[from] crate::exec::ExecError),
    #[error("{message}")]
    Unobservable {
        message: String,
        hint: Option<String>,
    },
    #[error("{message}")]
    Refused {
        message: String,
        hint: Option<String>,
    },
    #[error("{message}")]
    Other {
        message: String,
        hint: Option<String>,
    },
    /// The operator answered no (or `q`); nothing was changed.
    #[error("{message}")]
    Declined { message: String },
    /// Waiting for the cluster took longer than the configured timeout.
    #[error("{message}")]
    Timeout {
        message: String,
        hint: Option<String>,
    },
    /// Stopped part-way after a change began; the message says where, the hint what next.
    #[error("{message}")]
    Partial {
        message: String,
        hint: Option<String>,
    },
    /// Interrupted (Ctrl-C, SIGTERM) before any change began.
    #[error("{message}")]
    Interrupted { message: String },
}

fn location(file: &std::path::Path, line: usize) -> String {
    if line == 0 {
        file.display().to_string()
    } else {
        format!("{}:{line}", file.display())
    }
}

impl Error {
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Error::Config { .. } | Error::Input { .. } | Error::MissingProgram { .. } => {
                ExitCode::Usage
            }
            Error::Exec(_) | Error::Other { .. } | Error::Unobservable { .. } => ExitCode::Failed,
            Error::Refused { .. } => ExitCode::Refused,
            Error::Declined { .. } => ExitCode::Declined,
            Error::Timeout { .. } => ExitCode::Timeout,
            Error::Partial { .. } => ExitCode::Partial,
            Error::Interrupted { .. } => ExitCode::Interrupted,
        }
    }

    pub fn hint(&self) -> Option<&str> {
        match self {
            Error::Config { hint, .. }
            | Error::Input { hint, .. }
            | Error::MissingProgram { hint, .. }
            | Error::Unobservable { hint, .. }
            | Error::Refused { hint, .. }
            | Error::Other { hint, .. }
            | Error::Timeout { hint, .. }
            | Error::Partial { hint, .. } => hint.as_deref(),
            Error::Exec(e) => e.hint(),
            Error::Declined { .. } | Error::Interrupted { .. } => None,
        }
    }

    pub fn input(what: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Input {
            what: what.into(),
            message: message.into(),
            hint: None,
        }
    }

    pub fn refused(message: impl Into<String>, hint: Option<String>) -> Self {
        Error::Refused {
            message: message.into(),
            hint,
        }
    }

    pub fn other(message: impl Into<String>, hint: Option<String>) -> Self {
        Error::Other {
            message: message.into(),
            hint,
        }
    }

    pub fn with_hint(mut self, h: impl Into<String>) -> Self {
        let h = Some(h.into());
        match &mut self {
            Error::Config { hint, .. }
            | Error::Input { hint, .. }
            | Error::MissingProgram { hint, .. }
            | Error::Unobservable { hint, .. }
            | Error::Refused { hint, .. }
            | Error::Other { hint, .. }
            | Error::Timeout { hint, .. }
            | Error::Partial { hint, .. } => *hint = h,
            Error::Exec(_) | Error::Declined { .. } | Error::Interrupted { .. } => {}
        }
        self
    }
}

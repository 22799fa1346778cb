//! The core's error type and the documented exit codes (CONTRACTS.md, "Exit codes").
//!
//! Every error knows which exit code it maps to, so the binary never guesses.

use std::path::PathBuf;

/// A cause kept under an error, so the binary can print it as a `caused by:` line.
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

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
    /// Every code, in order (the man pages' EXIT STATUS is rendered from this).
    pub const ALL: [ExitCode; 8] = [
        ExitCode::Ok,
        ExitCode::Failed,
        ExitCode::Usage,
        ExitCode::Refused,
        ExitCode::Declined,
        ExitCode::Timeout,
        ExitCode::Partial,
        ExitCode::Interrupted,
    ];

    pub fn code(self) -> u8 {
        self as u8
    }

    /// When a command exits with this code (CONTRACTS.md "Exit codes").
    pub fn meaning(self) -> &'static str {
        match self {
            ExitCode::Ok => "success; status and diagnose: no fault or warning found",
            ExitCode::Failed => "an operation failed; status and diagnose: a fault or warning was found, or the cluster cannot be observed from here (UNKNOWN)",
            ExitCode::Usage => "usage error, bad configuration, unreadable or malformed input, a required program not installed",
            ExitCode::Refused => "refused: a precondition is not met, nothing was changed",
            ExitCode::Declined => "the operator answered no (or q) at a prompt; nothing was changed",
            ExitCode::Timeout => "timed out waiting for the cluster",
            ExitCode::Partial => "stopped part-way after a change began: the message and the journal say where, and what to run next (pgrex resume / pgrex abort)",
            ExitCode::Interrupted => "interrupted before any change began",
        }
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
        /// Why the file could not be used (an I/O error), when there is such a cause.
        #[source]
        source: Option<BoxError>,
    },
    #[error("{what}: {message}")]
    Input {
        what: String,
        message: String,
        hint: Option<String>,
        /// What went wrong underneath (an I/O error, a failed command), printed by the
        /// binary as `caused by:`; never also written into `message`.
        #[source]
        source: Option<BoxError>,
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
        /// Why it could not be observed (a failed command), when there is such a cause; an
        /// unknown source's one-line why joins it with [`chain_text`].
        #[source]
        source: Option<BoxError>,
    },
    #[error("{message}")]
    Refused {
        message: String,
        hint: Option<String>,
        /// The typed error the refusal was made from (an unknown host key), when there is one.
        #[source]
        source: Option<BoxError>,
    },
    #[error("{message}")]
    Other {
        message: String,
        hint: Option<String>,
        #[source]
        source: Option<BoxError>,
    },
    /// The operator answered no (or `q`); nothing was changed.
    #[error("{message}")]
    Declined { message: String },
    /// Waiting for the cluster took longer than the configured timeout.
    #[error("{message}")]
    Timeout {
        message: String,
        hint: Option<String>,
        /// The step's own error, when a step timed out with one.
        #[source]
        source: Option<BoxError>,
    },
    /// Stopped part-way after a change began; the message says where, the hint what next.
    #[error("{message}")]
    Partial {
        message: String,
        hint: Option<String>,
        /// The error of the step that stopped the operation, when one did.
        #[source]
        source: Option<BoxError>,
    },
    /// Interrupted (Ctrl-C, SIGTERM) before any change began.
    #[error("{message}")]
    Interrupted { message: String },
}

/// The causes of `e` below it, outermost first, leaving out any whose text is already shown
/// above it (an error that writes its cause into its own message, as `std::io` and fs-err
/// do, or a `Partial` that carries its step's whole chain in one line, would otherwise
/// print it twice).
pub fn causes<'a>(
    e: &'a (dyn std::error::Error + 'static),
) -> impl Iterator<Item = &'a (dyn std::error::Error + 'static)> {
    let mut shown = e.to_string();
    std::iter::successors(e.source(), |c| c.source()).filter(move |c| {
        let text = c.to_string();
        let new = !text.is_empty() && !shown.contains(&text);
        if new {
            shown.push('\n');
            shown.push_str(&text);
        }
        new
    })
}

/// `e` and its causes on one line (`a: b: c`), for where a line must stand alone: the
/// journal, a JSON result, a source that is unknown-with-why.
pub fn chain_text(e: &(dyn std::error::Error + 'static)) -> String {
    let mut s = e.to_string();
    for c in causes(e) {
        s.push_str(": ");
        s.push_str(&c.to_string());
    }
    s
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

    /// This error and its causes on one line (see [`chain_text`]).
    pub fn chain_text(&self) -> String {
        chain_text(self)
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
            source: None,
        }
    }

    pub fn refused(message: impl Into<String>, hint: Option<String>) -> Self {
        Error::Refused {
            message: message.into(),
            hint,
            source: None,
        }
    }

    pub fn other(message: impl Into<String>, hint: Option<String>) -> Self {
        Error::Other {
            message: message.into(),
            hint,
            source: None,
        }
    }

    /// Keep `cause` under this error (shown as `caused by:`). The message must say what
    /// failed without repeating the cause. `Config`, `Input`, `Other`, `Unobservable`,
    /// `Refused`, `Timeout` and `Partial` carry a cause; `Exec` is its own,
    /// `MissingProgram`, `Declined` and `Interrupted` have none.
    pub fn with_source(mut self, cause: impl Into<BoxError>) -> Self {
        debug_assert!(
            matches!(
                self,
                Error::Config { .. }
                    | Error::Input { .. }
                    | Error::Other { .. }
                    | Error::Unobservable { .. }
                    | Error::Refused { .. }
                    | Error::Timeout { .. }
                    | Error::Partial { .. }
            ),
            "with_source on {self:?}"
        );
        if let Error::Config { source, .. }
        | Error::Input { source, .. }
        | Error::Other { source, .. }
        | Error::Unobservable { source, .. }
        | Error::Refused { source, .. }
        | Error::Timeout { source, .. }
        | Error::Partial { source, .. } = &mut self
        {
            *source = Some(cause.into());
        }
        self
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cause_is_kept_and_shown_once() {
        let io = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "access denied");
        let e = Error::input("/x.xml", "cannot read the file").with_source(io);
        assert_eq!(e.to_string(), "/x.xml: cannot read the file");
        assert_eq!(
            e.exit_code(),
            ExitCode::Usage,
            "a cause does not change the code"
        );
        let below: Vec<String> = causes(&e).map(|c| c.to_string()).collect();
        assert_eq!(below, ["access denied"]);
        assert_eq!(
            e.chain_text(),
            "/x.xml: cannot read the file: access denied"
        );

        // A message that already carries its cause's text does not print it again.
        let io = std::io::Error::other("disk full");
        let e = Error::other("write failed: disk full", None).with_source(io);
        assert_eq!(causes(&e).count(), 0);
        assert_eq!(e.chain_text(), "write failed: disk full");
        assert_eq!(e.exit_code(), ExitCode::Failed);
    }

    /// `ExitCode::ALL` (what the man pages list) holds every code once, in order: a new
    /// variant does not compile here until it has a place, and then fails until ALL has it.
    #[test]
    fn all_lists_every_exit_code_once_in_order() {
        fn place(c: ExitCode) -> usize {
            match c {
                ExitCode::Ok => 0,
                ExitCode::Failed => 1,
                ExitCode::Usage => 2,
                ExitCode::Refused => 3,
                ExitCode::Declined => 4,
                ExitCode::Timeout => 5,
                ExitCode::Partial => 6,
                ExitCode::Interrupted => 7,
            }
        }
        // The number of arms above.
        assert_eq!(ExitCode::ALL.len(), 8, "ExitCode::ALL lacks a code");
        for (i, c) in ExitCode::ALL.into_iter().enumerate() {
            assert_eq!(place(c), i, "{c:?}");
            assert!(!c.meaning().is_empty());
        }
        assert!(ExitCode::ALL.windows(2).all(|w| w[0].code() < w[1].code()));
    }
}

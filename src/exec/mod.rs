//! The one place that spawns a process.
//!
//! A [`Cmd`] is a program, its arguments, environment, optional stdin and a timeout. Its
//! `Display` is the shell-quoted command line, so what an operator sees in an error can be
//! pasted into a shell; secret arguments and secret environment values show as `***`.
//! Failures keep the exit code or signal and the tail of stderr (`error`); every run is
//! one tracing event with its duration and result (`spawn`). Nothing else in the crate
//! calls `std::process::Command`.

mod cmd;
mod error;
mod spawn;
#[cfg(test)]
pub(crate) mod test_log;
mod tools;

pub use cmd::{is_secret_env, quote, Cmd};
pub use error::{tail, ExecError, Output, Status};
pub use spawn::isolate_children;
pub use tools::Tools;

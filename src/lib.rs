//! The pgrex core: everything that knows PG-REX.
//!
//! The core never prints, never prompts and never reads the environment: the binary
//! (`src/cli/`) resolves settings, hands them in, and renders what comes back. Keep this
//! boundary as strict as if the core were a separate crate.
//!
//! The map — the floors (cli → observe → judge → plan → execute → node/exec), the three
//! seams (`exec::Cmd`, `node::Node`, `report::Reporter`) and every way out of the process
//! (child processes, the peer over SSH, files, `/proc`, PostgreSQL sockets) — is
//! `docs/architecture.md`.

pub mod bounded;
pub mod check;
pub mod config;
pub mod diagnose;
pub mod error;
pub mod exec;
pub mod judge;
pub mod msg;
pub mod node;
pub mod oplog;
pub mod ops;
pub mod pacemaker;
pub mod perl;
pub mod postgres;
pub mod profile;
pub mod report;
pub mod snapshot;
pub mod status;
#[cfg(test)]
pub(crate) mod testkit;

pub use error::{Error, ExitCode, Result};

//! The `Node` seam: run a command or touch a file "on a node", whether that node is this
//! machine ([`LocalNode`]) or the peer reached over one SSH session ([`SshNode`]).
//!
//! Operation code holds a `&dyn Node` and never cares which one it has. Everything a
//! standby-start needs from the primary goes through here: commands as root or as the
//! PostgreSQL owner (`pg_controldata`, `psql`, `crm_attribute`), small files (`cib.xml`,
//! history files), directory listings (archive and `pg_wal`), and streamed reads of large
//! files (archive sync, see [`transfer`]). Nothing here prints, prompts or reads the
//! environment: passwords come from a [`PasswordSource`] the binary implements.
//!
//! The trait and its types live in the leaf `seam` (re-exported here); `local`, `ssh`,
//! `command_line` and `transfer` import it, never this file, so no module here imports
//! one that imports it back.

pub mod command_line;
pub mod error;
#[cfg(test)]
pub mod fake;
pub mod local;
pub mod processes;
mod seam;
pub mod ssh;
pub mod transfer;

pub use error::NodeError;
pub use local::LocalNode;
pub use seam::{
    nul_batch, shown, DirEntry, FileKind, FileMode, FileStat, Node, RunAs, BATCH_TIMEOUT,
};
pub use ssh::{PasswordSource, SshAuth, SshConfig, SshNode};

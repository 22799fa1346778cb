//! PostgreSQL facts: LSNs and WAL names, `pg_controldata`, `pg_waldump`, timeline history files,
//! `backup_label`, and the live facts a running server reports (role, timeline, LSNs,
//! replication rows, settings).
//!
//! Parsers are pure functions over text so they are tested on recorded output
//! (`tests/fixtures/postgres/`). [`read`] runs the programs (`pg_controldata`, `psql`,
//! `gzip -dc`) through a [`crate::node::Node`], so the same call works here and on the peer;
//! [`query`] talks to a server directly with tokio-postgres.

pub mod backup_label;
pub mod controldata;
pub mod history;
pub mod lsn;
pub mod query;
pub mod read;
pub mod wal;
pub mod waldump;

pub use backup_label::BackupLabel;
pub use controldata::{ControlData, DbState};
pub use history::{History, HistoryEntry};
pub use lsn::{Lsn, SegNo, WalEnd, WalSegSize};
pub use query::{PgFacts, ReplicationRow};
pub use wal::{Compression, SegmentId, WalName};

use crate::msg::pg as m;
use crate::t;

/// What went wrong reading PostgreSQL facts. `origin` names the source (a command and node,
/// a file) so the operator knows where to look.
#[derive(Debug, thiserror::Error)]
pub enum PgError {
    #[error("{}", t!(m::MISSING_FIELD, origin = .origin, field = .field))]
    MissingField { origin: String, field: &'static str },
    #[error("{}", t!(m::BAD_FIELD, origin = .origin, field = .field, value = .value))]
    BadField {
        origin: String,
        field: String,
        value: String,
    },
    #[error("{}", t!(m::SYNTAX, origin = .origin, line = .line, message = .message))]
    Syntax {
        origin: String,
        line: usize,
        message: String,
    },
    /// The driver's error (and under it the server's or the socket's) is the cause.
    #[error("{}", t!(m::CONNECT, target = .target))]
    Connect {
        target: String,
        #[source]
        source: crate::error::BoxError,
    },
    #[error("{}", t!(m::QUERY, target = .target))]
    Query {
        target: String,
        #[source]
        source: crate::error::BoxError,
    },
}

impl PgError {
    pub fn hint(&self) -> Option<String> {
        match self {
            PgError::MissingField { .. } => Some(t!(m::HINT_LANG_C)),
            PgError::Connect { .. } => Some(t!(m::HINT_CONNECT)),
            _ => None,
        }
    }
}

/// Facts that cannot be read make the operation fail (exit 1): the input came from a program
/// we ran, not from the operator.
impl From<PgError> for crate::Error {
    fn from(e: PgError) -> Self {
        // The PostgreSQL error stays the cause (its type, for whoever inspects the chain).
        crate::Error::Other {
            hint: e.hint(),
            message: e.to_string(),
            source: Some(Box::new(e)),
        }
    }
}

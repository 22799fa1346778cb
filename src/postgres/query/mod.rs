//! What a running server reports: role, timeline, LSNs, replication rows and the settings
//! that decide whether pg_rewind can work.
//!
//! One SQL statement returns everything as text in a single row, so the two ways of asking
//! give the same [`PgFacts`]:
//! - [`query_facts`]: tokio-postgres on a current-thread runtime, over a unix socket or TCP;
//! - [`psql_facts_cmd`] + [`parse_psql_facts`]: `psql` run through a `Node` as the
//!   PostgreSQL owner (the way to reach the peer's server over SSH, and the local one when
//!   root cannot log in as `postgres` over the socket).
//!
//! The statement and the facts it yields are in `facts`; `client` asks over tokio-postgres,
//! `psql` builds and parses the `psql` run. Each is a leaf under the statement.

mod client;
mod facts;
mod psql;

pub use client::{query_facts, PgConnect, PgTarget};
pub use facts::{PgFacts, ReplicationRow, FACTS_SQL};
pub use psql::{parse_psql_facts, psql_facts_cmd};

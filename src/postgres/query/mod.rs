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
//! `psql` builds and parses the `psql` run. Each is a leaf under the statement. `sync` is
//! the second statement, which `pgrex status` asks in the same connection: whether commits
//! can complete (the standbys' last reply, sessions waiting for the synchronous standby).

mod client;
mod facts;
mod psql;
mod sync;

pub use client::{query_facts, query_facts_and_sync, PgConnect, PgTarget};
pub use facts::{PgFacts, ReplicationRow, FACTS_SQL};
pub use psql::{parse_psql_facts, psql_columns, psql_facts_cmd};
pub use sync::{StandbyReply, SyncHealth, SYNC_SQL};

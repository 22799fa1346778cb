//! This node's PostgreSQL as its own server reports it: the timeline, and the replication
//! lag — on the primary per standby from `pg_stat_replication`, on a standby its own
//! received-but-not-replayed bytes —, and on the primary whether commits can complete (the
//! standbys' last reply, the sessions waiting for the synchronous standby:
//! [`SyncHealth`], judged by `diagnose`'s commit rule). Read over the local unix socket with tokio-postgres
//! (`crate::postgres::query`), concurrently with crm_mon and bounded by a short deadline, so
//! a hung server never holds a view: it becomes an unknown source with why.
//!
//! Pure model and one reader; which socket, port and user comes from the binary
//! ([`PgReadSettings`]).

use crate::postgres::query::{query_facts_and_sync, PgConnect, PgTarget, SyncHealth};
use crate::postgres::PgFacts;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::time::Duration;

/// How to reach the server on this node.
#[derive(Debug, Clone)]
pub struct PgReadSettings {
    /// Socket directories tried in order; the first holding `.s.PGSQL.<port>` is used.
    pub socket_dirs: Vec<PathBuf>,
    pub port: u16,
    pub user: String,
    /// Connect, query and close within this.
    pub deadline: Duration,
}

impl Default for PgReadSettings {
    fn default() -> Self {
        PgReadSettings {
            socket_dirs: ["/var/run/postgresql", "/run/postgresql", "/tmp"]
                .map(PathBuf::from)
                .to_vec(),
            port: 5432,
            user: "postgres".into(),
            deadline: Duration::from_secs(2),
        }
    }
}

/// One standby as the primary's `pg_stat_replication` shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StandbyLag {
    /// `application_name`: the pgsql resource agent sets it to the node name.
    pub name: String,
    pub state: String,
    pub sync_state: String,
    /// `pg_current_wal_lsn() - replay_lsn` (None: not reported yet).
    pub lag_bytes: Option<u64>,
    /// `replay_lsn - sent_lsn` when the standby reports WAL replayed beyond what this
    /// walsender sent it (None: not ahead, or not reported). With `state` back at `startup`
    /// the walsender stopped at the end of an old timeline that the standby replayed past:
    /// its data diverged from this primary (seen in the lab after a failover without a fence:
    /// the old primary, restarted as a standby by its agent, had written its shutdown
    /// checkpoint after the fork). Added within schema 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replayed_beyond_sent: Option<u64>,
}

impl StandbyLag {
    /// The bytes this standby replayed past the end of the WAL the primary can send it,
    /// when that is what it shows: its data diverged, it can never stream again as it is.
    pub fn diverged_bytes(&self) -> Option<u64> {
        self.replayed_beyond_sent
            .filter(|b| *b > 0 && self.state == "startup")
    }
}

/// What this node's server said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PgServer {
    /// The cluster node the server runs on (this node), when its name is known.
    pub node: Option<String>,
    pub in_recovery: bool,
    pub timeline: u32,
    pub server_version_num: u32,
    /// The primary's standbys (empty on a standby).
    pub standbys: Vec<StandbyLag>,
    /// On a standby: received but not yet replayed bytes.
    pub replay_lag_bytes: Option<u64>,
    /// Whether commits can complete: the standbys' last replies and the sessions waiting
    /// for the synchronous standby (`None`: not read, e.g. a snapshot saved before it was).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sync: Option<SyncHealth>,
}

impl PgServer {
    pub fn from_facts(f: &PgFacts, node: Option<String>) -> PgServer {
        let standbys = f
            .replication
            .iter()
            .map(|r| StandbyLag {
                name: r.application_name.clone(),
                state: r.state.clone(),
                sync_state: r.sync_state.clone(),
                lag_bytes: match (f.current_lsn, r.replay_lsn) {
                    (Some(c), Some(r)) => Some(c.0.saturating_sub(r.0)),
                    _ => None,
                },
                replayed_beyond_sent: match (r.sent_lsn, r.replay_lsn) {
                    (Some(sent), Some(rep)) if rep.0 > sent.0 => Some(rep.0 - sent.0),
                    _ => None,
                },
            })
            .collect();
        let replay_lag_bytes = match (f.in_recovery, f.receive_lsn, f.replay_lsn) {
            (true, Some(rcv), Some(rep)) => Some(rcv.0.saturating_sub(rep.0)),
            _ => None,
        };
        PgServer {
            node,
            in_recovery: f.in_recovery,
            timeline: f.timeline,
            server_version_num: f.server_version_num,
            standbys,
            replay_lag_bytes,
            sync: None,
        }
    }

    /// [`PgServer::from_facts`] with the reading of whether commits can complete.
    pub fn with_sync(mut self, sync: SyncHealth) -> PgServer {
        self.sync = Some(sync);
        self
    }

    /// The timeline of `node`: this server's when it is that node's, and the same for a
    /// standby streaming from this primary (a streaming standby follows the primary's
    /// timeline).
    pub fn timeline_of(&self, node: &str) -> Option<u32> {
        let streams_from_us = !self.in_recovery
            && self
                .standbys
                .iter()
                .any(|s| s.name == node && s.state == "streaming");
        (self.node.as_deref() == Some(node) || streams_from_us).then_some(self.timeline)
    }

    /// The replication lag of `node` in bytes: a standby of this primary, or this standby.
    pub fn lag_of(&self, node: &str) -> Option<u64> {
        if self.in_recovery {
            return self
                .replay_lag_bytes
                .filter(|_| self.timeline_of(node).is_some());
        }
        self.standbys
            .iter()
            .find(|s| s.name == node)
            .and_then(|s| s.lag_bytes)
    }

    /// The largest lag known: the primary's worst standby, or this standby's own.
    pub fn max_lag(&self) -> Option<u64> {
        if self.in_recovery {
            return self.replay_lag_bytes;
        }
        self.standbys.iter().filter_map(|s| s.lag_bytes).max()
    }
}

/// Why nothing was read: no socket means no server runs here, which a view need not show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PgUnread {
    NoServer(String),
    Failed(String),
    /// The server is there but takes no work: it did not answer within the deadline, or it
    /// refused the connection for want of room (`too many clients`, SQLSTATE 53300) or because
    /// it is shutting down or starting (57P03). On the primary no commit can complete then.
    Stalled(String),
}

/// The connection refusals that mean a server takes no work now.
fn refuses_work(e: &crate::postgres::PgError) -> bool {
    use tokio_postgres::error::SqlState;
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(c) = cause {
        if let Some(pe) = c.downcast_ref::<tokio_postgres::Error>() {
            return matches!(
                pe.code(),
                Some(&SqlState::TOO_MANY_CONNECTIONS) | Some(&SqlState::CANNOT_CONNECT_NOW)
            );
        }
        cause = c.source();
    }
    false
}

/// Ask this node's server. `node` is this node's cluster name, when known.
pub fn read(set: &PgReadSettings, node: Option<String>) -> Result<PgServer, PgUnread> {
    let sock = format!(".s.PGSQL.{}", set.port);
    let Some(dir) = set
        .socket_dirs
        .iter()
        .find(|d| d.join(&sock).exists())
        .cloned()
    else {
        let paths: Vec<String> = set
            .socket_dirs
            .iter()
            .map(|d| d.join(&sock).display().to_string())
            .collect();
        return Err(PgUnread::NoServer(crate::t!(
            crate::msg::check::PG_NO_SOCKET,
            paths = paths.join(", ")
        )));
    };
    let mut c = PgConnect::new(PgTarget::Socket {
        dir,
        port: set.port,
    });
    c.user = set.user.clone();
    c.connect_timeout = set.deadline;
    c.deadline = Some(set.deadline);
    let started = std::time::Instant::now();
    match query_facts_and_sync(&c) {
        Ok((f, sync)) => Ok(PgServer::from_facts(&f, node).with_sync(sync)),
        Err(e) if started.elapsed() >= set.deadline || refuses_work(&e) => {
            Err(PgUnread::Stalled(crate::error::chain_text(&e)))
        }
        Err(e) => Err(PgUnread::Failed(crate::error::chain_text(&e))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_primary_knows_each_standbys_lag_and_a_standby_its_own() {
        let f = PgFacts {
            in_recovery: false,
            current_lsn: Some(crate::postgres::Lsn(0x3000100)),
            timeline: 3,
            checkpoint_timeline: 3,
            receive_lsn: None,
            replay_lsn: None,
            full_page_writes: true,
            wal_log_hints: true,
            data_checksums: false,
            port: 5432,
            server_version_num: 150004,
            wal_segment_size: 16 << 20,
            replication: vec![crate::postgres::ReplicationRow {
                application_name: "pm02".into(),
                client_addr: Some("198.51.100.2".into()),
                state: "streaming".into(),
                sync_state: "sync".into(),
                sent_lsn: Some(crate::postgres::Lsn(0x3000100)),
                write_lsn: Some(crate::postgres::Lsn(0x3000100)),
                flush_lsn: Some(crate::postgres::Lsn(0x3000100)),
                replay_lsn: Some(crate::postgres::Lsn(0x3000000)),
            }],
        };
        let p = PgServer::from_facts(&f, Some("pm01".into()));
        assert_eq!(p.timeline_of("pm01"), Some(3));
        assert_eq!(p.timeline_of("pm02"), Some(3), "it streams from pm01");
        assert_eq!(p.timeline_of("pm03"), None);
        assert_eq!(p.lag_of("pm02"), Some(0x100));
        assert_eq!(p.lag_of("pm01"), None);
        assert_eq!(p.max_lag(), Some(0x100));
        assert_eq!(p.standbys[0].replayed_beyond_sent, None);
        assert_eq!(p.standbys[0].diverged_bytes(), None);
    }

    /// The lab's seed cib-failure --switchback (16:24 UTC): the old primary, restarted as a
    /// standby on timeline 6 with its shutdown checkpoint at 0/4038F90, and the new primary's
    /// walsender back at `startup` after sending timeline 6 up to its end, 0/4037970.
    #[test]
    fn a_standby_that_replayed_past_what_the_primary_sent_has_diverged() {
        let row = |state: &str, sent: u64, replay: u64| crate::postgres::ReplicationRow {
            application_name: "pm01".into(),
            client_addr: Some("198.51.100.11".into()),
            state: state.into(),
            sync_state: "async".into(),
            sent_lsn: Some(crate::postgres::Lsn(sent)),
            write_lsn: Some(crate::postgres::Lsn(sent)),
            flush_lsn: Some(crate::postgres::Lsn(sent)),
            replay_lsn: Some(crate::postgres::Lsn(replay)),
        };
        let facts = |r| PgFacts {
            in_recovery: false,
            current_lsn: Some(crate::postgres::Lsn(0x4039000)),
            timeline: 7,
            checkpoint_timeline: 6,
            receive_lsn: None,
            replay_lsn: None,
            full_page_writes: true,
            wal_log_hints: true,
            data_checksums: false,
            port: 5432,
            server_version_num: 150004,
            wal_segment_size: 16 << 20,
            replication: vec![r],
        };
        let p = PgServer::from_facts(&facts(row("startup", 0x4037970, 0x4038F90)), None);
        assert_eq!(p.standbys[0].replayed_beyond_sent, Some(0x1620));
        assert_eq!(p.standbys[0].diverged_bytes(), Some(0x1620));
        // Streaming again (a reconnect's first replies): ahead for a moment, not diverged.
        let p = PgServer::from_facts(&facts(row("catchup", 0x4000000, 0x4038F90)), None);
        assert_eq!(p.standbys[0].diverged_bytes(), None);
        let p = PgServer::from_facts(&facts(row("startup", 0x4038F90, 0x4038F90)), None);
        assert_eq!(p.standbys[0].diverged_bytes(), None);
    }

    #[test]
    fn no_socket_is_no_server_not_a_failure() {
        let d = tempfile::tempdir().unwrap();
        let set = PgReadSettings {
            socket_dirs: vec![d.path().to_path_buf()],
            ..Default::default()
        };
        match read(&set, None) {
            Err(PgUnread::NoServer(why)) => assert!(why.contains(".s.PGSQL.5432"), "{why}"),
            other => panic!("{other:?}"),
        }
    }

    /// A socket that accepts and never answers is abandoned at the deadline.
    #[test]
    fn a_silent_server_is_given_up_at_the_deadline() {
        let d = tempfile::tempdir().unwrap();
        let path = d.path().join(".s.PGSQL.5432");
        let _listener = std::os::unix::net::UnixListener::bind(&path).unwrap();
        let set = PgReadSettings {
            socket_dirs: vec![d.path().to_path_buf()],
            deadline: Duration::from_millis(300),
            ..Default::default()
        };
        match read(&set, None) {
            Err(PgUnread::Stalled(why)) => assert!(why.contains("within 300 ms"), "{why}"),
            other => panic!("{other:?}"),
        }
    }
}

//! A [`Snapshot`]: everything pgrex observed about the cluster at one moment, from every
//! source diagnosis uses. Each source is either [`Source::Known`] or [`Source::Unknown`] with
//! the reason it could not be read: nothing is ever guessed or filled with a default.
//!
//! This module owns the pure model and its (de)serialization (`--save`, `--input`); the
//! collection from a live cluster lives in [`collect`], the text parsers of `corosync-cfgtool
//! -s`, logs and fencing history in their own files.

pub mod collect;
pub mod corosync;
pub mod fencing;
mod load;
pub use load::observe_cluster;
pub mod log_files;
pub mod logs;
pub mod peer;
pub mod pg;
pub mod units;

use crate::pacemaker::cib::CibFacts;
use crate::pacemaker::{ClusterState, FenceEvent};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub use corosync::{CorosyncStatus, Link, LinkPeer, LinkState};
pub use logs::{LogKind, LogLine};

/// `schema_version` of a saved snapshot. Fields are only ever added within a version.
pub const SCHEMA_VERSION: u32 = 1;

/// The marker that tells a saved snapshot from other JSON.
pub const KIND: &str = "pgrex-snapshot";

/// One source of facts: read, or not readable (and why).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source<T> {
    Known(T),
    Unknown { why: String },
}

impl<T> Source<T> {
    pub fn unknown(why: impl Into<String>) -> Self {
        Source::Unknown { why: why.into() }
    }
    pub fn known(&self) -> Option<&T> {
        match self {
            Source::Known(v) => Some(v),
            Source::Unknown { .. } => None,
        }
    }
    pub fn why(&self) -> Option<&str> {
        match self {
            Source::Known(_) => None,
            Source::Unknown { why } => Some(why),
        }
    }
}

/// Whether `PGSQL.lock` exists on a node, and where it was looked for.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LockFact {
    pub path: String,
    pub present: bool,
}

/// What the other node sees (collected over SSH when it is reachable).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PeerView {
    pub node: String,
    pub cluster: Source<ClusterState>,
    pub corosync: Source<CorosyncStatus>,
    pub logs: Source<Vec<LogLine>>,
}

/// Everything observed at one moment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Snapshot {
    pub kind: String,
    pub schema_version: u32,
    /// RFC 3339 time of collection, when known.
    pub taken_at: Option<String>,
    /// The Pacemaker node name of the machine that collected it (None: an input file).
    pub local_node: Option<String>,
    /// `crm_mon` XML as this node sees the cluster.
    pub cluster: Source<ClusterState>,
    /// The CIB: persistent attributes, transient ones including `#health-storage-mon`.
    pub cib: Source<CibFacts>,
    /// The other node's own view.
    pub peer: Source<PeerView>,
    /// `corosync-cfgtool -s` on this node.
    pub corosync: Source<CorosyncStatus>,
    /// The fencing history (every event, successes included).
    pub fencing: Source<Vec<FenceEvent>>,
    /// `PGSQL.lock` per node name.
    pub locks: BTreeMap<String, Source<LockFact>>,
    /// The relevant lines of Pacemaker's and PostgreSQL's logs readable from here.
    pub logs: Source<Vec<LogLine>>,
    /// `(unit, state)` of the cluster units as `systemctl is-enabled` would say (read from
    /// systemd's files). Added within schema 1: older snapshots load it as unknown.
    #[serde(default = "not_recorded")]
    pub units: Source<Vec<(String, String)>>,
    /// The cluster name from corosync.conf (crm_mon's XML does not carry it).
    #[serde(default)]
    pub cluster_name: Option<String>,
    /// The CIB Pacemaker last saved on this node, read when the cluster could not be
    /// observed (it still tells each node's persisted data-status).
    #[serde(default = "not_recorded")]
    pub saved_cib: Source<CibFacts>,
    /// The file this snapshot was loaded from (None: collected now). Not saved: it is where
    /// the reader found it, so advice can fit a saved file instead of a live node.
    #[serde(skip)]
    pub loaded_from: Option<String>,
    /// Where each node's WAL ends (`pg_controldata` and the last WAL record), read only
    /// while the database service is down on both nodes: which of them holds the newest
    /// data when neither data-status proves it (`ops::recover::newest`). Added within
    /// schema 1; absent when not read.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub wal_ends: BTreeMap<String, Source<crate::postgres::WalEnd>>,
    /// This node's PostgreSQL as it reports itself (timeline, replication lag), read over
    /// the local socket. `Known(None)`: no server socket on this node. Added within schema 1.
    #[serde(default = "not_recorded")]
    pub postgres: Source<Option<pg::PgServer>>,
    /// This node's server is there but took no work when asked (no answer within the
    /// deadline, or no room for a connection): this node's host name (`postgres` says why).
    /// Added within schema 1.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postgres_stalled_on: Option<String>,
}

fn not_recorded<T>() -> Source<T> {
    Source::unknown(crate::msg::view::WHY_NOT_RECORDED.text())
}

impl Snapshot {
    /// A snapshot of nothing: every source unknown for the same reason.
    pub fn empty(why: &str) -> Snapshot {
        Snapshot {
            kind: KIND.into(),
            schema_version: SCHEMA_VERSION,
            taken_at: None,
            local_node: None,
            cluster: Source::unknown(why),
            cib: Source::unknown(why),
            peer: Source::unknown(why),
            corosync: Source::unknown(why),
            fencing: Source::unknown(why),
            locks: BTreeMap::new(),
            logs: Source::unknown(why),
            units: Source::unknown(why),
            cluster_name: None,
            saved_cib: Source::unknown(why),
            loaded_from: None,
            wal_ends: BTreeMap::new(),
            postgres: Source::unknown(why),
            postgres_stalled_on: None,
        }
    }

    /// The resource ids of the cluster as seen (names are resolved from them), else of the
    /// saved CIB's primitives.
    pub fn resource_ids(&self) -> Vec<&str> {
        match self.view() {
            Some(st) => st.resource_ids(),
            None => self
                .saved_cib
                .known()
                .map(|c| c.primitive_params.keys().map(String::as_str).collect())
                .unwrap_or_default(),
        }
    }

    /// A snapshot of crm_mon's view alone (a saved XML, or what `pgrex status` read), with
    /// the CIB when there was one; every other source is unknown for `why`.
    pub fn from_state(state: ClusterState, cib: Option<CibFacts>, why: &str) -> Snapshot {
        let mut s = Snapshot::empty(why);
        s.fencing = match &state.fence_history {
            Some(h) => Source::Known(h.clone()),
            None => Source::unknown(crate::t!(
                crate::msg::view::WHY_NO_FENCING_SECTION,
                why = why
            )),
        };
        s.cib = match cib {
            Some(c) => Source::Known(c),
            None => Source::unknown(why),
        };
        s.cluster = Source::Known(state);
        s
    }

    /// Parse a saved snapshot (`what` names the file in errors).
    pub fn from_json(text: &str, what: &str) -> crate::Result<Snapshot> {
        let s: Snapshot = serde_json::from_str(text).map_err(|e| {
            crate::Error::input(what, crate::msg::view::NOT_A_SNAPSHOT.text())
                .with_source(e)
                .with_hint(crate::msg::view::NOT_A_SNAPSHOT_HINT.text())
        })?;
        if s.kind != KIND {
            return Err(crate::Error::input(
                what,
                crate::t!(
                    crate::msg::view::SNAPSHOT_KIND,
                    found = format!("{:?}", s.kind),
                    expected = format!("{KIND:?}")
                ),
            ));
        }
        if s.schema_version > SCHEMA_VERSION {
            return Err(crate::Error::input(
                what,
                crate::t!(
                    crate::msg::view::SNAPSHOT_TOO_NEW,
                    found = s.schema_version,
                    known = SCHEMA_VERSION
                ),
            )
            .with_hint(crate::msg::view::SNAPSHOT_TOO_NEW_HINT.text()));
        }
        Ok(s)
    }

    /// The cluster as seen from here, or, when this node's Pacemaker is down (the failed
    /// node, once it is up again), as the other node sees it.
    pub fn view(&self) -> Option<&ClusterState> {
        self.cluster
            .known()
            .or_else(|| self.peer.known().and_then(|p| p.cluster.known()))
    }

    /// Every log line from every node's logs that were read.
    pub fn all_logs(&self) -> Vec<&LogLine> {
        let mut v: Vec<&LogLine> = self.logs.known().into_iter().flatten().collect();
        if let Some(p) = self.peer.known() {
            v.extend(p.logs.known().into_iter().flatten());
        }
        v
    }

    /// Every source that could not be read: `(source, why)`.
    pub fn unknowns(&self) -> Vec<(String, String)> {
        let mut v = Vec::new();
        let mut add = |name: &str, why: Option<&str>| {
            if let Some(w) = why {
                v.push((name.to_string(), w.to_string()));
            }
        };
        add("crm_mon", self.cluster.why());
        add("cib", self.cib.why());
        add("peer", self.peer.why());
        add("corosync", self.corosync.why());
        add("units", self.units.why());
        add("fencing", self.fencing.why());
        add("logs", self.logs.why());
        if let Some(p) = self.peer.known() {
            add(&format!("peer {} crm_mon", p.node), p.cluster.why());
            add(&format!("peer {} corosync", p.node), p.corosync.why());
            add(&format!("peer {} logs", p.node), p.logs.why());
        }
        for (node, l) in &self.locks {
            add(
                &crate::t!(crate::msg::view::SOURCE_LOCK, node = node),
                l.why(),
            );
        }
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_snapshot_round_trips_through_json() {
        let s = Snapshot::empty("test");
        let j = serde_json::to_string(&s).unwrap();
        assert!(j.contains(r#""unknown":{"why":"test"}"#), "{j}");
        assert_eq!(Snapshot::from_json(&j, "x").unwrap(), s);
    }

    #[test]
    fn foreign_json_is_rejected_with_a_hint() {
        let e = Snapshot::from_json(r#"{"schema_version":1}"#, "f.json").unwrap_err();
        assert!(
            e.to_string().starts_with("f.json: not a pgrex snapshot"),
            "{e}"
        );
        assert!(e.hint().unwrap().contains("--save"));
        let mut s = Snapshot::empty("x");
        s.kind = "other".into();
        let e = Snapshot::from_json(&serde_json::to_string(&s).unwrap(), "f").unwrap_err();
        assert!(e.to_string().contains("expected \"pgrex-snapshot\""), "{e}");
    }

    #[test]
    fn unknowns_are_listed_with_why() {
        let mut s = Snapshot::empty("nope");
        s.corosync = Source::Known(CorosyncStatus::default());
        let u = s.unknowns();
        assert!(u.iter().any(|(n, w)| n == "logs" && w == "nope"));
        assert!(!u.iter().any(|(n, _)| n == "corosync"));
        // Unit enablement is a source like the others: unknown, it is listed with why.
        assert!(u.iter().any(|(n, w)| n == "units" && w == "nope"), "{u:?}");
        s.units = Source::Known(vec![("pacemaker.service".into(), "disabled".into())]);
        assert!(!s.unknowns().iter().any(|(n, _)| n == "units"));
    }
}

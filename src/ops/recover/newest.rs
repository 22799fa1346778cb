//! Where each node's WAL ends, read for recover's judgement while the database service is
//! down on both nodes ([`crate::diagnose::down_on_both`]): the facts the playbook's choice
//! of the newest data shows beside the data-status, and decides by when no data-status
//! proves it (`diagnose::playbook::newest`). PostgreSQL is stopped on both then; each
//! node's `pg_controldata` and last WAL record are read here and on the other node over a
//! new SSH session. A node whose WAL cannot be read is unknown with why, and then nothing
//! is chosen by the WAL. Read nowhere else: a running server's WAL end moves.

use crate::node::Node;
use crate::ops::pg::PgParams;
use crate::ops::standby::facts;
use crate::profile::Names;
use crate::snapshot::{Snapshot, Source};
use crate::Result;
use std::path::Path;

/// Fill `snap.wal_ends` for both nodes when the snapshot shows the service down on both.
pub fn read_if_down_on_both(
    snap: &mut Snapshot,
    names: &Names,
    local: &dyn Node,
    connect: &dyn Fn() -> Result<Box<dyn Node>>,
    pgpath: Option<&Path>,
) {
    let Some(st) = snap.view() else { return };
    if !crate::diagnose::down_on_both(st, names) {
        return;
    }
    let Some(me) = snap.local_node.clone() else {
        return;
    };
    let other = st.nodes.iter().map(|n| n.name.clone()).find(|n| *n != me);
    let Some(cib) = snap.cib.known().or(snap.saved_cib.known()) else {
        return;
    };
    let params = PgParams::from_cib(cib, &names.primitive, pgpath);
    let mut ends = std::collections::BTreeMap::new();
    ends.insert(me, end_of(local, &params));
    if let Some(other) = other {
        let there = match connect() {
            Ok(node) => end_of(node.as_ref(), &params),
            Err(e) => Source::unknown(e.chain_text()),
        };
        ends.insert(other, there);
    }
    snap.wal_ends = ends;
}

fn end_of(node: &dyn Node, p: &PgParams) -> Source<crate::postgres::WalEnd> {
    let read = || -> Result<std::result::Result<crate::postgres::WalEnd, String>> {
        let ctl = facts::controldata(node, p)?;
        facts::wal_end(node, p, &ctl)
    };
    match read() {
        Ok(Ok(w)) => Source::Known(w),
        Ok(Err(why)) => Source::unknown(why),
        Err(e) => Source::unknown(e.chain_text()),
    }
}

#[cfg(test)]
mod tests {
    //! On the lab's router-failure recorded right after the repair (pm01's view), with
    //! recorded pg_controldata output and a pg_waldump tail line on fake nodes.
    use super::*;
    use crate::node::fake::{fixture_path, FakeNode};
    use crate::profile::Profile;

    const PG_WAL: &str = "/var/lib/pgsql/data/pg_wal";

    fn snap(name: &str) -> Snapshot {
        let path = fixture_path(&format!("diagnose/lab/pgrex17/{name}.json"));
        Snapshot::from_json(&std::fs::read_to_string(path).unwrap(), name).unwrap()
    }

    fn node(n: FakeNode, controldata: &str, last: &str) -> FakeNode {
        n.dir(PG_WAL)
            .file(format!("{PG_WAL}/000000020000000000000005"), "")
            .answer_fixture("pg_controldata", 0, controldata)
            .answer("pg_waldump", 0, format!("{last}\n"))
    }

    fn record(lsn: &str) -> String {
        format!("rmgr: XLOG len (rec/tot): 114/114, tx: 0, lsn: {lsn}, prev 0/5000060, desc: CHECKPOINT_SHUTDOWN")
    }

    #[test]
    fn down_on_both_reads_both_nodes_wal_ends_here_and_over_the_session() {
        let names = Names::defaults(Profile::Pgrex17);
        let local = node(
            FakeNode::local(),
            "postgres/controldata_pg15_promoted_tli2.txt",
            &record("0/5000100"),
        );
        let peer = std::sync::Arc::new(node(
            FakeNode::peer("192.0.2.2"),
            "postgres/controldata_pg15_shut_down_in_recovery.txt",
            &record("0/5000028"),
        ));
        let connect = || -> Result<Box<dyn Node>> { Ok(Box::new(peer.clone())) };
        let mut s = snap("router-failure.healed.pm01");
        read_if_down_on_both(&mut s, &names, &local, &connect, None);
        let got = |n: &str| match &s.wal_ends[n] {
            Source::Known(w) => w.to_string(),
            Source::Unknown { why } => panic!("{n}: {why}"),
        };
        assert_eq!(got("pm01"), "timeline 2, 0/5000100");
        assert_eq!(got("pm02"), "timeline 1, 0/5000028");
    }

    #[test]
    fn the_other_node_unreachable_is_unknown_with_why_and_a_running_service_reads_nothing() {
        let names = Names::defaults(Profile::Pgrex17);
        let local = node(
            FakeNode::local(),
            "postgres/controldata_pg15_promoted_tli2.txt",
            &record("0/5000100"),
        );
        let connect =
            || -> Result<Box<dyn Node>> { Err(crate::Error::other("connection refused", None)) };
        let mut s = snap("router-failure.healed.pm01");
        read_if_down_on_both(&mut s, &names, &local, &connect, None);
        assert!(
            matches!(&s.wal_ends["pm02"], Source::Unknown { why } if why.contains("connection refused")),
            "{:?}",
            s.wal_ends
        );
        // Pacemaker promoted a node on its own: not down on both, nothing read.
        let untouched = FakeNode::local();
        let mut s = snap("router-failure.self-recovered.pm01");
        read_if_down_on_both(&mut s, &names, &untouched, &connect, None);
        assert!(s.wal_ends.is_empty());
        assert_eq!(untouched.commands(), Vec::<String>::new());
    }
}

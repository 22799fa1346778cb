//! Commits that cannot complete (issue 13, item 11): on the primary, sessions waiting for
//! the synchronous standby longer than a commit ever takes, or a synchronous standby
//! silent for longer than it may be. Pacemaker's attributes still read `HS:sync` then (the
//! pgsql agent notices at its next monitor, the walsender at `wal_sender_timeout`), so this
//! is the earliest sign of a replication LAN failure: a `warning`, `likely`
//! `replication-lan-failure` on the standby, which R11 (`replication.rs`) later confirms
//! from the attributes and the log.
//!
//! Read from this node's server only (`Snapshot::postgres`): a live collection on the
//! primary; an input file or a standby says nothing here. A primary whose server takes no
//! work at all (no answer within the reading's deadline, no room for a connection) is itself
//! a warning: likely `pgsql-failure` on it, before the agent's monitor fails.

use super::catalogue::finding;
use super::evidence as ev;
use super::facts::RuleInput;
use super::FaultId as F;
use super::{Certainty, Finding};
use crate::msg::diag as m;
use crate::postgres::query::StandbyReply;
use crate::status::Severity;
use crate::t;

/// A commit waiting for the synchronous standby this long is stuck, not slow: a healthy
/// pair confirms within a network round trip and a flush (milliseconds).
pub const COMMIT_WAIT_LIMIT_MS: u64 = 1000;

pub(super) fn rules(f: &RuleInput, out: &mut Vec<Finding>) {
    let Some(primary) = f.st.primary else { return };
    if let Some(host) = &f.snap.postgres_stalled_on {
        stalled_primary(f, primary, host, out);
        return;
    }
    let Some(pg) = f.snap.postgres.known().and_then(Option::as_ref) else {
        return;
    };
    // Only a primary's commits wait; a server in recovery is the standby's.
    let Some(h) = pg.sync.as_ref().filter(|_| !pg.in_recovery) else {
        return;
    };
    if h.sync_names.is_empty() {
        return;
    }
    let sync_row = h.standbys.iter().find(|r| r.sync_state == "sync");
    let standby = sync_row
        .map(|r| r.name.as_str())
        .filter(|n| f.state.node(n).is_some())
        .or_else(|| f.other(primary));
    let Some(standby) = standby else { return };
    let waiting = h
        .oldest_wait_ms
        .filter(|ms| h.waiting > 0 && *ms >= COMMIT_WAIT_LIMIT_MS);
    let silent = sync_row.and_then(|r| {
        let limit = h.silence_limit_ms()?;
        r.reply_age_ms
            .filter(|age| *age > limit)
            .map(|a| (a, limit))
    });
    let title = match (waiting, silent) {
        (Some(ms), _) => t!(
            m::T_COMMITS_WAITING,
            node = standby,
            since = h.waiting_since.as_deref().unwrap_or("?"),
            secs = ms / 1000,
            count = h.waiting
        ),
        (None, Some((age, limit))) => t!(
            m::T_STANDBY_SILENT,
            node = standby,
            secs = age / 1000,
            limit = limit / 1000
        ),
        (None, None) => return,
    };
    let mut e = Vec::new();
    if let Some(ms) = waiting {
        e.push(ev::text(
            "postgres",
            t!(
                m::EV_SYNC_WAIT,
                count = h.waiting,
                since = h.waiting_since.as_deref().unwrap_or("?"),
                ms = ms
            ),
        ));
    }
    match sync_row {
        Some(r) => e.push(ev::text("postgres", reply(r))),
        None => e.push(ev::text(
            "postgres",
            t!(m::EV_NO_REPLICATION_ROW, names = h.sync_names),
        )),
    }
    let mut fd = finding(
        F::ReplicationLanFailure,
        Certainty::Likely,
        Some(standby),
        e,
    )
    .titled(title)
    .decide(t!(m::DECIDE_WALSENDER, primary = primary));
    fd.severity = Severity::Warning;
    out.push(fd);
}

/// The primary's own server took no work when asked (a hung primary, or one out of
/// connections because its commits wait): a warning — the agent's monitor will fail next, and
/// until then no commit completes. `host` is this node's host name (an FQDN names its node
/// by its first label).
fn stalled_primary(f: &RuleInput, primary: &str, host: &str, out: &mut Vec<Finding>) {
    if host.split('.').next() != Some(primary) {
        return;
    }
    let why = f.snap.postgres.why().unwrap_or("?");
    let e = vec![ev::text("postgres", why.to_string())];
    let mut fd = finding(F::PgsqlFailure, Certainty::Likely, Some(primary), e)
        .titled(t!(m::T_PRIMARY_STALLED, node = primary))
        .reaction(super::Reaction::None)
        .decide(t!(m::DECIDE_PRIMARY_STALLED, node = primary));
    fd.severity = Severity::Warning;
    out.push(fd);
}

fn reply(r: &StandbyReply) -> String {
    let ms = |v: Option<u64>| v.map_or_else(|| "-".to_string(), |v| format!("{v} ms"));
    t!(
        m::EV_REPLY_AGE,
        node = r.name,
        state = r.state,
        sync_state = r.sync_state,
        age = ms(r.reply_age_ms),
        write = ms(r.write_lag_ms),
        flush = ms(r.flush_lag_ms),
        replay = ms(r.replay_lag_ms)
    )
}

#[cfg(test)]
mod tests {
    use crate::diagnose::FaultId as F;
    use crate::judge::{self, StatusDoc};
    use crate::node::fake::fixture;
    use crate::postgres::query::{parse_psql_facts, psql_columns, SyncHealth};
    use crate::profile::Profile;
    use crate::snapshot::pg::PgServer;
    use crate::snapshot::{Snapshot, Source};
    use crate::status::{Severity, Verdict};
    use crate::testkit::Cluster;

    /// pm01's server as `pgrex status` reads it there: the recorded facts of a primary with
    /// pm02 its synchronous standby, and the recorded sync reading `sync`.
    fn primary_reading(sync: &str) -> PgServer {
        let facts = parse_psql_facts(&fixture("postgres/facts_primary_sync_pg15.txt"), "t")
            .expect("recorded facts parse");
        let sync = SyncHealth::from_columns(&psql_columns(&fixture(sync)), "t")
            .expect("recorded sync reading parses");
        PgServer::from_facts(&facts, Some("pm01".into())).with_sync(sync)
    }

    fn on_pm01(c: &Cluster, sync: &str) -> Snapshot {
        let mut s = c.snapshot();
        s.local_node = Some("pm01".into());
        s.postgres = Source::Known(Some(primary_reading(sync)));
        s
    }

    fn judged(s: &Snapshot, c: &Cluster) -> (Verdict, String, Vec<crate::diagnose::Finding>) {
        let StatusDoc::Observed(st) = judge::status(s, &c.names) else {
            panic!("observed")
        };
        let d = judge::diagnosis(s, &c.names);
        assert_eq!(st.verdict, d.verdict, "status and diagnose agree");
        let line = st.diagnosis.map(|t| t.headline).unwrap_or_default();
        (d.verdict, line, d.findings)
    }

    #[test]
    fn a_healthy_pair_lets_commits_through() {
        for p in [Profile::Pgrex17, Profile::Seed] {
            let c = Cluster::healthy(p);
            let s = on_pm01(&c, "postgres/sync_healthy_pg15.txt");
            let (v, _, findings) = judged(&s, &c);
            assert_eq!(v, Verdict::Healthy, "{findings:#?}");
        }
    }

    /// The standby frozen 13 s (its connection stays, as in a D-LAN that drops packets),
    /// no commit yet: Pacemaker still says HS:sync, the silence is the warning.
    #[test]
    fn a_silent_sync_standby_is_a_warning_while_pacemaker_still_says_hs_sync() {
        let c = Cluster::healthy(Profile::Pgrex17);
        let s = on_pm01(&c, "postgres/sync_standby_silent_pg15.txt");
        let (v, line, findings) = judged(&s, &c);
        assert_eq!(v, Verdict::Degraded);
        let f = &findings[0];
        assert_eq!(f.id, F::ReplicationLanFailure);
        assert_eq!(f.node.as_deref(), Some("pm02"));
        assert_eq!(f.severity, Severity::Warning);
        assert!(f.decide_with.is_some(), "likely, with the deciding check");
        assert!(
            line.contains("the synchronous standby pm02 has not replied for 14 s"),
            "{line}"
        );
        assert!(
            f.evidence
                .iter()
                .any(|e| e.source == "postgres" && e.detail.contains("last reply 14185 ms ago")),
            "{:#?}",
            f.evidence
        );
    }

    #[test]
    fn a_commit_waiting_for_the_standby_is_a_warning_naming_since_when() {
        let c = Cluster::healthy(Profile::Seed);
        let s = on_pm01(&c, "postgres/sync_commit_waiting_pg15.txt");
        let (v, line, findings) = judged(&s, &c);
        assert_eq!(v, Verdict::Degraded);
        assert_eq!(findings[0].id, F::ReplicationLanFailure);
        assert!(
            line.starts_with("replication-lan-failure on pm02 (likely): commits are waiting for the synchronous standby pm02 since 2026-12-01 10:40:30 UTC"),
            "{line}"
        );
    }

    /// A wait shorter than a stuck commit's (a busy but healthy pair) is no finding; nor is
    /// anything read on a standby, or where commits never wait for one.
    #[test]
    fn short_waits_standbys_and_asynchronous_pairs_are_no_finding() {
        let c = Cluster::healthy(Profile::Pgrex17);
        let mut s = on_pm01(&c, "postgres/sync_commit_waiting_pg15.txt");
        fn pg(s: &mut Snapshot) -> &mut PgServer {
            match &mut s.postgres {
                Source::Known(Some(p)) => p,
                _ => unreachable!(),
            }
        }
        let mut h = pg(&mut s).sync.clone().unwrap();
        h.oldest_wait_ms = Some(super::COMMIT_WAIT_LIMIT_MS - 1);
        h.standbys[0].reply_age_ms = Some(200);
        pg(&mut s).sync = Some(h.clone());
        assert_eq!(judged(&s, &c).0, Verdict::Healthy);
        h.oldest_wait_ms = Some(super::COMMIT_WAIT_LIMIT_MS);
        pg(&mut s).sync = Some(h.clone());
        assert_eq!(judged(&s, &c).0, Verdict::Degraded, "at the limit");
        pg(&mut s).in_recovery = true;
        assert_eq!(judged(&s, &c).0, Verdict::Healthy, "a standby's reading");
        pg(&mut s).in_recovery = false;
        h.sync_names.clear();
        pg(&mut s).sync = Some(h);
        assert_eq!(judged(&s, &c).0, Verdict::Healthy, "no synchronous standby");
    }

    /// The standby's connection gone (no row) while commits wait: the cluster's standby is
    /// named, and the evidence says no row was there.
    #[test]
    fn commits_waiting_with_no_standby_connected_name_the_clusters_standby() {
        let c = Cluster::healthy(Profile::Pgrex17);
        let mut s = on_pm01(&c, "postgres/sync_commit_waiting_pg15.txt");
        if let Source::Known(Some(p)) = &mut s.postgres {
            p.sync.as_mut().unwrap().standbys.clear();
        }
        let (v, _, findings) = judged(&s, &c);
        assert_eq!(v, Verdict::Degraded);
        assert_eq!(findings[0].node.as_deref(), Some("pm02"));
        assert!(findings[0]
            .evidence
            .iter()
            .any(|e| e.detail.contains("no row for the synchronous standby")));
    }

    /// Once the agent notices too (the recorded HS:alone/DISCONNECT state), the attribute
    /// rule and this one are one finding, a fault: the earlier warning never hides it.
    #[test]
    fn with_the_agents_verdict_too_it_is_one_finding_and_a_fault() {
        let c = Cluster::lab(Profile::Pgrex17, "replication-lan-failure");
        let s = on_pm01(&c, "postgres/sync_commit_waiting_pg15.txt");
        let d = judge::diagnosis(&s, &c.names);
        let ours: Vec<_> = d
            .findings
            .iter()
            .filter(|f| f.id == F::ReplicationLanFailure)
            .collect();
        assert_eq!(ours.len(), 1, "{:#?}", d.findings);
        assert_eq!(ours[0].severity, Severity::Fault);
        assert_eq!(d.verdict, Verdict::Fault);
        assert!(ours[0].evidence.iter().any(|e| e.source == "postgres"));
    }

    /// The primary's server there but taking no work (the reading ran out of its deadline,
    /// or found no room for a connection because commits hold them all): a warning on the
    /// primary, even though Pacemaker still shows it healthy; the same on the standby's host
    /// says nothing about commits.
    #[test]
    fn a_primary_that_takes_no_work_is_a_warning() {
        let c = Cluster::healthy(Profile::Pgrex17);
        let mut s = c.snapshot();
        s.postgres = Source::unknown(
            "query on PostgreSQL at /var/run/postgresql/.s.PGSQL.5432 failed: no answer within 2000 ms",
        );
        s.postgres_stalled_on = Some("pm01.example.com".into());
        let (v, line, findings) = judged(&s, &c);
        assert_eq!(v, Verdict::Degraded);
        let f = &findings[0];
        assert_eq!((f.id, f.node.as_deref()), (F::PgsqlFailure, Some("pm01")));
        assert_eq!(f.severity, Severity::Warning);
        assert!(
            line.contains("PostgreSQL on the primary pm01 takes no work"),
            "{line}"
        );
        assert!(f.evidence[0].detail.contains("no answer within 2000 ms"));
        s.postgres_stalled_on = Some("pm02".into());
        assert_eq!(judged(&s, &c).0, Verdict::Healthy, "the standby's server");
        s.postgres_stalled_on = None;
        assert_eq!(
            judged(&s, &c).0,
            Verdict::Healthy,
            "an unread server alone says nothing"
        );
    }

    /// The record script asks exactly the statements pgrex asks.
    #[test]
    fn the_record_script_asks_pgrexs_statements() {
        let script = fixture("postgres/record_sync.sh");
        for sql in [
            crate::postgres::query::FACTS_SQL,
            crate::postgres::query::SYNC_SQL,
        ] {
            assert!(script.contains(sql), "record_sync.sh lacks:\n{sql}");
        }
    }
}

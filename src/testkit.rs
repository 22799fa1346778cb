//! Test-only cluster states in both naming profiles. The named states are the recordings of
//! `tests/fixtures/status/` (crm_mon and the CIB: the PG-REX normal state with pm01 primary and
//! pm02 synchronous standby, the failover, the fenced node); the builders (`place`, `pgsql`,
//! `attr`, `offline`, `unclean`, `fence`, `fail`, `log`) write on top of one, the way crm_mon
//! reports it, the change a fault leaves where that fault has no recording of its own, or a
//! test's own detail on top of a recording (a second failure after the failover). The rule
//! tests of a standby gone use the recorded `primary-alone`; the failed-fencing ones still
//! build `unclean` + `fence` by hand: the recorded `fence-failed` carries its own fencing
//! history, which `recording` replaces by an empty one.

use crate::pacemaker::cib::CibFacts;
use crate::pacemaker::*;
use crate::profile::{Names, Profile};
use crate::snapshot::{
    CorosyncStatus, Link, LinkPeer, LinkState, LockFact, LogLine, Snapshot, Source,
};

pub struct Cluster {
    pub state: ClusterState,
    pub names: Names,
    pub cib: CibFacts,
    pub snap: Snapshot,
}

impl Cluster {
    /// The PG-REX normal state: the recorded `tests/fixtures/status/<profile>/healthy.xml`
    /// and its CIB. A CIB file has no fencer, so its crm_mon shows no fencing history; a live
    /// one with nothing fenced shows it empty, which is what the rules expect of the normal
    /// state.
    pub fn healthy(p: Profile) -> Cluster {
        Cluster::recording(p, "status", "healthy")
    }

    /// A recorded state, `tests/fixtures/<dir>/<profile>/<state>.xml` and its `.cib.xml`
    /// (`dir`: `status` or `diagnose`), seen as [`Cluster::healthy`] sees its own: from pm02,
    /// links up, no log line, an empty fencing history, `PGSQL.lock` on pm01.
    pub fn recording(p: Profile, dir: &str, state: &str) -> Cluster {
        let names = Names::defaults(p);
        let (mut state, cib) = recorded_in(dir, p, state);
        state.fence_history = Some(vec![]);
        let mut snap = Snapshot::empty("not in this test");
        snap.local_node = Some("pm02".into());
        snap.corosync = Source::Known(links(&[true, true]));
        snap.logs = Source::Known(vec![]);
        snap.fencing = Source::Known(vec![]);
        for n in ["pm01", "pm02"] {
            snap.locks.insert(
                n.into(),
                Source::Known(LockFact {
                    path: "/var/lib/pgsql/tmp/PGSQL.lock".into(),
                    present: n == "pm01",
                }),
            );
        }
        Cluster {
            state,
            names,
            cib,
            snap,
        }
    }

    /// A state recorded in the lab with a fault injected, `tests/fixtures/lab/<profile>/
    /// <fault>/crm_mon.xml` and its `cib.xml`, seen from pm02 like [`Cluster::recording`]
    /// but with the fencing history the live crm_mon recorded.
    pub fn lab(p: Profile, fault: &str) -> Cluster {
        let dir = format!("lab/{p}/{fault}");
        let xml = crate::node::fake::fixture(&format!("{dir}/crm_mon.xml"));
        let cib = crate::node::fake::fixture(&format!("{dir}/cib.xml"));
        let mut c = Cluster::healthy(p);
        c.state = crate::pacemaker::parse::crm_mon(&xml, &dir).expect("recorded crm_mon parses");
        c.cib = crate::pacemaker::parse::cib(&cib, &dir).expect("recorded CIB parses");
        let history = c.state.fence_history.clone().unwrap_or_default();
        c.snap.fencing = Source::Known(history);
        c
    }

    /// The snapshot of the current state.
    pub fn snapshot(&self) -> Snapshot {
        let mut s = self.snap.clone();
        s.cluster = Source::Known(self.state.clone());
        s.cib = Source::Known(self.cib.clone());
        s
    }

    pub fn vip_primary(&self) -> String {
        self.names.vip_primary.clone().unwrap()
    }
    pub fn vip_rep(&self) -> String {
        self.names.vip_replication.clone().unwrap()
    }
    pub fn vip_standby(&self) -> String {
        self.names.vip_standby.clone().unwrap()
    }

    fn prims_mut(&mut self) -> Vec<&mut Primitive> {
        let mut out = Vec::new();
        for r in self.state.resources.iter_mut() {
            match r {
                Resource::Primitive(p) => out.push(p),
                Resource::Group(g) => out.extend(g.resources.iter_mut()),
                Resource::Clone(c) => {
                    for i in c.instances.iter_mut() {
                        if let Resource::Primitive(p) = i {
                            out.push(p)
                        }
                    }
                }
                Resource::Other { .. } => {}
            }
        }
        out
    }

    /// Put a primitive (every instance with the id) on these nodes (empty: stopped).
    pub fn place(&mut self, id: &str, on: &[&str]) -> &mut Self {
        for p in self.prims_mut().into_iter().filter(|p| p.id == id) {
            p.nodes = on.iter().map(|s| s.to_string()).collect();
            p.role = if on.is_empty() {
                Role::Stopped
            } else {
                Role::Started
            };
            p.active = !on.is_empty();
        }
        self
    }

    pub fn attr(&mut self, node: &str, name: &str, value: &str) -> &mut Self {
        let v = self.state.node_attributes.entry(node.into()).or_default();
        v.retain(|a| a.name != name);
        v.push(Attribute {
            name: name.into(),
            value: value.into(),
            expected: None,
        });
        if name == "pgsql-data-status" {
            if let Some(n) = self.cib.nodes.iter_mut().find(|n| n.uname == node) {
                n.attributes.insert(name.into(), value.into());
            }
        }
        self
    }

    /// pm02 restarted as a standby that does not stream (`HS:connected`, `STARTUP|ASYNC`,
    /// `-INFINITY`), seen from the primary pm01 whose `pg_stat_replication` shows its
    /// walsender in `state`, `beyond` bytes replayed past what was sent (`Some`: the
    /// standby diverged). Hand-built from the lab's seed `cib-failure --switchback`
    /// (2026-12-01), whose state no recording holds.
    pub fn standby_restarted(&mut self, state: &str, beyond: Option<u64>) -> &mut Self {
        use crate::snapshot::pg::{PgServer, StandbyLag};
        self.attr("pm02", "pgsql-status", "HS:connected")
            .attr("pm02", "pgsql-data-status", "STARTUP|ASYNC")
            .attr("pm02", "master-pgsql", "-INFINITY");
        self.snap.local_node = Some("pm01".into());
        self.snap.postgres = Source::Known(Some(PgServer {
            node: Some("pm01".into()),
            in_recovery: false,
            timeline: 7,
            server_version_num: 150004,
            standbys: vec![StandbyLag {
                name: "pm02".into(),
                state: state.into(),
                sync_state: "async".into(),
                lag_bytes: Some(0),
                replayed_beyond_sent: beyond,
            }],
            replay_lag_bytes: None,
            sync: None,
        }));
        self
    }

    pub fn transient(&mut self, node: &str, name: &str, value: &str) -> &mut Self {
        self.cib
            .transient
            .entry(node.into())
            .or_default()
            .insert(name.into(), value.into());
        self
    }

    /// `node` cleanly OFFLINE, everything else as it was. Hand-built: no recording shows a
    /// node gone while its failed actions stay listed (cleanup's blocker tests need that).
    pub fn offline(&mut self, node: &str) -> &mut Self {
        let n = self
            .state
            .nodes
            .iter_mut()
            .find(|n| n.name == node)
            .unwrap();
        n.online = false;
        self
    }

    /// One more fence event of `target` by the other node. Hand-built: the recordings show
    /// a failed-then-pending attempt (lab `fencing-failure`) and a success of pm01
    /// (`fenced`), not an attempt pending alone, a fence of pm02 or a long run of retries.
    pub fn fence(&mut self, target: &str, status: &str) -> &mut Self {
        let by = if target == "pm01" { "pm02" } else { "pm01" };
        let e = FenceEvent {
            action: "reboot".into(),
            target: target.into(),
            client: Some("pacemaker-controld.1".into()),
            origin: Some(by.into()),
            delegate: Some(by.into()),
            status: status.into(),
            exit_reason: None,
            completed: Some("2026-11-24 10:00:05Z".into()),
        };
        if let Some(h) = self.state.fence_history.as_mut() {
            h.push(e.clone());
        }
        if let Source::Known(v) = &mut self.snap.fencing {
            v.push(e);
        }
        self
    }

    /// A failed action and (for non-ignored failures) a fail-count of 1.
    pub fn fail(
        &mut self,
        rsc: &str,
        task: &str,
        interval: u64,
        node: &str,
        threshold: Option<u32>,
    ) -> &mut Self {
        let (status, rc) = if task == "monitor" {
            ("not running", 7)
        } else {
            ("error", 1)
        };
        self.state.failures.push(FailedAction {
            op_key: format!("{rsc}_{task}_{interval}"),
            node: node.into(),
            resource: rsc.into(),
            task: task.into(),
            interval_ms: interval,
            exitstatus: status.into(),
            exitcode: Some(rc),
            exitreason: None,
            call: Some(42),
            status: Some("complete".into()),
            last_rc_change: None,
        });
        self.state.node_history.push(ResourceHistory {
            node: node.into(),
            resource: rsc.into(),
            fail_count: 1,
            migration_threshold: threshold,
            last_failure: None,
            orphan: false,
        });
        self
    }

    /// The recorded `failed-over` state: pgsql's monitor failed on the primary pm01 (rc 7,
    /// fail-count 1 = migration-threshold), Pacemaker stopped it there and promoted pm02, the
    /// VIPs moved; pm01 `STOP`/`DISCONNECT`/`-INFINITY`, pm02 `PRI`/`LATEST`/`1000`. Its
    /// failed action and fail-count are part of it; a test adds its own failure on top.
    pub fn failed_over(&mut self) -> &mut Self {
        let (mut state, cib) = recorded(self.names.profile, "failed-over");
        // As in `healthy`: a live crm_mon with nothing fenced shows the history empty.
        state.fence_history = Some(vec![]);
        self.state = state;
        self.cib = cib;
        self
    }

    /// pm01 lost and fenced: pm02 promoted, pm01's transient attributes gone — the recorded
    /// `fenced` state (its fencing history as a live crm_mon shows it), seen from pm02 with
    /// every link to pm01 down.
    pub fn pm01_fenced(&mut self) -> &mut Self {
        let (state, cib) = recorded(self.names.profile, "fenced");
        self.snap.fencing = Source::Known(state.fence_history.clone().unwrap_or_default());
        self.state = state;
        self.cib = cib;
        self.lines_mut().clear();
        self.snap.corosync = Source::Known(links(&[false, false]));
        self
    }

    pub fn lines_mut(&mut self) -> &mut Vec<LogLine> {
        if !matches!(self.snap.logs, Source::Known(_)) {
            self.snap.logs = Source::Known(vec![]);
        }
        match &mut self.snap.logs {
            Source::Known(v) => v,
            Source::Unknown { .. } => unreachable!(),
        }
    }

    /// Add a log line as the scanner would classify it (panics if it is not relevant).
    pub fn log(&mut self, line: &str) -> &mut Self {
        let v = crate::snapshot::logs::scan(line, "/var/log/messages", Some("pm02"));
        assert_eq!(v.len(), 1, "not a relevant log line: {line}");
        self.lines_mut().extend(v);
        self
    }
}

/// A recorded state of `tests/fixtures/status/<profile>/`: crm_mon's view and the CIB's facts.
pub fn recorded(p: Profile, state: &str) -> (ClusterState, CibFacts) {
    recorded_in("status", p, state)
}

/// A recorded state of `tests/fixtures/<dir>/<profile>/`.
pub fn recorded_in(dir: &str, p: Profile, state: &str) -> (ClusterState, CibFacts) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(dir)
        .join(p.to_string());
    let read = |f: String| std::fs::read_to_string(dir.join(&f)).expect(&f);
    let xml = read(format!("{state}.xml"));
    let cib = read(format!("{state}.cib.xml"));
    (
        crate::pacemaker::parse::crm_mon(&xml, state).expect("recorded crm_mon parses"),
        crate::pacemaker::parse::cib(&cib, state).expect("recorded CIB parses"),
    )
}

/// `corosync-cfgtool -s` on pm02 (node 2) with one link per entry: peer connected or not.
pub fn links(up: &[bool]) -> CorosyncStatus {
    CorosyncStatus {
        local_nodeid: Some(2),
        transport: Some("knet".into()),
        links: up
            .iter()
            .enumerate()
            .map(|(i, u)| Link {
                id: i as u32,
                addr: Some(format!("192.0.2.{}", 10 + i)),
                peers: vec![
                    LinkPeer {
                        nodeid: 1,
                        state: if *u {
                            LinkState::Connected
                        } else {
                            LinkState::Disconnected
                        },
                    },
                    LinkPeer {
                        nodeid: 2,
                        state: LinkState::Localhost,
                    },
                ],
                faulty: None,
            })
            .collect(),
    }
}

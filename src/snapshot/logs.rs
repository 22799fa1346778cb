//! The log lines diagnosis cares about, found in Pacemaker's log (syslog, the journal or the
//! Pacemaker detail log) and in the PostgreSQL server log. Only the lines that tell sibling
//! faults apart are kept, each classified and with the host that wrote it when the line says.
//!
//! The patterns are Pacemaker 2.1's own format strings (`Result of %s operation for %s on %s`,
//! `Node %s state is now %s`, `Unexpected result (%s) was recorded for %s of %s on %s`,
//! `Peer %s was not terminated`, `%s[%d] terminated with signal %d`, `Lost connection to
//! cluster layer`), 1.1's wording where it differs, systemd's unit messages, and
//! PostgreSQL's `terminating walsender process due to replication timeout`.

use regex::Regex;
use serde::{Deserialize, Serialize};
use std::sync::OnceLock;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogLine {
    /// The node that wrote the line (from the syslog host field, else the node whose log it is).
    pub host: Option<String>,
    /// The file or command it was read from.
    pub file: String,
    pub kind: LogKind,
    /// The line as written (trimmed).
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LogKind {
    /// A stop or demote operation of `resource` on `node` failed (error, Timed Out, …).
    OpFailed {
        op: String,
        resource: String,
        node: String,
        result: String,
    },
    /// `resource` was promoted on `node` (`Result of promote operation for pgsql on pm02: ok`).
    Promoted { resource: String, node: String },
    /// Membership lost `node` (`Node pm02 state is now lost`).
    NodeLost { node: String },
    /// `node` is a member again (`Node pm02 state is now member`): a loss before it is an
    /// incident that ended.
    NodeMember { node: String },
    /// This host's scheduler decided to fence `node` (`Cluster node pm01 will be fenced: peer
    /// is no longer part of the cluster`): it lost `node` without a clean leave.
    FenceScheduled { node: String },
    /// Fencing of `node` did not happen (`Peer pm01 was not terminated …`).
    FenceNotDone { node: String },
    /// Pacemaker started on the host (`Starting Pacemaker 2.1.5`): lines before it belong to
    /// an earlier session.
    PacemakerStarted,
    /// pacemakerd died and was started again by systemd.
    PacemakerdRespawn,
    /// The CIB daemon (`pacemaker-based`, 1.1 `cib`) was killed.
    CibDied,
    /// Pacemaker lost Corosync (corosync killed or hung).
    CorosyncLost,
    /// PostgreSQL: the primary dropped a standby for replication timeout (D-LAN).
    WalsenderTimeout,
}

struct Patterns {
    host: Regex,
    op_result: Regex,
    op_unexpected: Regex,
    op_transition: Regex,
    op_failcount: Regex,
    promoted: Regex,
    started: Regex,
    fence_scheduled: Regex,
    node_lost: Regex,
    node_member: Regex,
    not_terminated: Regex,
    pacemakerd: Regex,
    cib_died: Regex,
    corosync_lost: Regex,
    walsender: Regex,
}

fn patterns() -> &'static Patterns {
    static P: OnceLock<Patterns> = OnceLock::new();
    P.get_or_init(|| {
        let r = |s: &str| Regex::new(s).expect("log pattern compiles");
        Patterns {
            // `Nov 24 22:00:00 pm01 daemon[1]:` or `2026-11-24T22:00:00.1+00:00 pm01 daemon[1]:`
            host: r(r"^(?:[A-Z][a-z]{2} +\d+ \d\d:\d\d:\d\d(?:\.\d+)?|\d{4}-\d\d-\d\dT\S+) (\S+) "),
            op_result: r(r"Result of (stop|demote) operation for (\S+) on (\S+): (.+?)\s*(?:\||$)"),
            op_unexpected: r(r"Unexpected result \(([^)]*)\) was recorded for (stop|demote) of (\S+) on (\S+)"),
            op_transition: r(r"action \d+ \(([^\s()]+)_(stop|demote)_0 on (\S+)\): expected '[^']*' but got '([^']*)'"),
            // pacemaker-attrd on every node: `Setting fail-count-pgsql#stop_0[pm01]: (unset) -> INFINITY`.
            op_failcount: r(r"Setting fail-count-([^#\s]+)#(stop|demote)_0\[([^\]]+)\]: \S+ -> (\S+)"),
            fence_scheduled: r(r"(?:^|[^t] )(?:Cluster node|Node) (\S+) will be fenced|Scheduling [Nn]ode (\S+) for (?:STONITH|fencing)"),
            started: r(r"Starting Pacemaker \d"),
            promoted: r(r"Result of promote operation for (\S+) on (\S+): (?:ok|0 \(ok\))"),
            node_lost: r(r"Node ([^\s\[]+)(?:\[\d+\])?(?: -)? state is now lost|Node ([^\s\[]+) is lost"),
            node_member: r(r"Node ([^\s\[]+)(?:\[\d+\])?(?: -)? state is now member"),
            not_terminated: r(r"Peer (\S+) was not terminated"),
            // systemd's view, or the new pacemakerd adopting the running controller.
            pacemakerd: r(r"pacemaker\.service: (?:Main process exited, code=(?:killed|dumped)|Failed with result)|pacemaker\.service failed|Tracking existing (?:pacemaker-controld|crmd) process"),
            cib_died: r(r"\b(?:pacemaker-based|cib)\[\d+\] terminated with signal"),
            corosync_lost: r(r"Lost connection to cluster layer|corosync\.service: Main process exited, code=(?:killed|dumped)"),
            walsender: r(r"terminating walsender process due to replication timeout"),
        }
    })
}

/// The result words that mean an operation succeeded.
fn is_ok_result(r: &str) -> bool {
    let r = r.trim().to_ascii_lowercase();
    r == "ok" || r.starts_with("ok ") || r.starts_with("0 (ok") || r == "0"
}

/// Strip a clone instance suffix: `pgsql:0` → `pgsql`.
fn base_id(s: &str) -> String {
    s.split(':').next().unwrap_or(s).to_string()
}

/// Classify one line (None: not relevant).
pub fn classify(line: &str) -> Option<LogKind> {
    let p = patterns();
    if let Some(c) = p.op_result.captures(line) {
        let result = c[4].to_string();
        return (!is_ok_result(&result)).then(|| LogKind::OpFailed {
            op: c[1].to_string(),
            resource: base_id(&c[2]),
            node: c[3].to_string(),
            result,
        });
    }
    if let Some(c) = p.op_unexpected.captures(line) {
        return Some(LogKind::OpFailed {
            op: c[2].to_string(),
            resource: base_id(&c[3]),
            node: c[4].to_string(),
            result: c[1].to_string(),
        });
    }
    if let Some(c) = p.op_transition.captures(line) {
        let result = c[4].to_string();
        return (!is_ok_result(&result)).then(|| LogKind::OpFailed {
            op: c[2].to_string(),
            resource: base_id(&c[1]),
            node: c[3].to_string(),
            result,
        });
    }
    if let Some(c) = p.op_failcount.captures(line) {
        let v = &c[4];
        return (v != "(unset)" && v != "0").then(|| LogKind::OpFailed {
            op: c[2].to_string(),
            resource: base_id(&c[1]),
            node: c[3].to_string(),
            result: format!("fail-count {v}"),
        });
    }
    if let Some(c) = p.promoted.captures(line) {
        return Some(LogKind::Promoted {
            resource: base_id(&c[1]),
            node: c[2].to_string(),
        });
    }
    if let Some(c) = p.node_lost.captures(line) {
        // A peer that was never a member (a node starting alone) was not lost.
        if (line.contains("previous=") && !line.contains("previous=member"))
            || (line.contains("(was ") && !line.contains("(was member)"))
        {
            return None;
        }
        let node = c.get(1).or_else(|| c.get(2))?.as_str().to_string();
        return Some(LogKind::NodeLost { node });
    }
    if let Some(c) = p.node_member.captures(line) {
        return Some(LogKind::NodeMember {
            node: c[1].to_string(),
        });
    }
    if let Some(c) = p.fence_scheduled.captures(line) {
        let node = c.get(1).or_else(|| c.get(2))?.as_str().to_string();
        return Some(LogKind::FenceScheduled { node });
    }
    if let Some(c) = p.not_terminated.captures(line) {
        return Some(LogKind::FenceNotDone {
            node: c[1].to_string(),
        });
    }
    if p.started.is_match(line) {
        return Some(LogKind::PacemakerStarted);
    }
    if p.pacemakerd.is_match(line) {
        return Some(LogKind::PacemakerdRespawn);
    }
    if p.cib_died.is_match(line) {
        return Some(LogKind::CibDied);
    }
    if p.corosync_lost.is_match(line) {
        return Some(LogKind::CorosyncLost);
    }
    if p.walsender.is_match(line) {
        return Some(LogKind::WalsenderTimeout);
    }
    None
}

/// The host field of a syslog-style line.
pub fn host_of(line: &str) -> Option<String> {
    patterns().host.captures(line).map(|c| c[1].to_string())
}

/// Every relevant line of a log text. `default_host` is the node whose log this is, used
/// when a line has no host field (PostgreSQL's own log, the journal's `-o cat`).
pub fn scan(text: &str, file: &str, default_host: Option<&str>) -> Vec<LogLine> {
    text.lines()
        .filter_map(|l| {
            let kind = classify(l)?;
            Some(LogLine {
                host: host_of(l).or_else(|| default_host.map(str::to_string)),
                file: file.to_string(),
                kind,
                text: l.trim().to_string(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_member_again_but_not_the_expected_state() {
        let l = "Dec 01 13:26:55.096 pm01 pacemaker-based     [3734] (update_peer_state_iter) \tnotice: Node pm02 state is now member | nodeid=2 previous=unknown source=crm_update_peer_proc";
        assert_eq!(
            classify(l),
            Some(LogKind::NodeMember {
                node: "pm02".into()
            })
        );
        let expected = "Dec 01 12:15:14.448 pm02 pacemaker-controld  [53] (pcmk__update_peer_expected) \tinfo: update_dc: Node pm02[2] - expected state is now member (was (null))";
        assert_eq!(classify(expected), None);
    }

    #[test]
    fn stop_and_demote_failures() {
        let l = "Nov 24 10:00:01 pgrex01 pacemaker-controld[1841]:  error: Result of stop operation for pgsql on pgrex01: Timed Out";
        assert_eq!(
            classify(l),
            Some(LogKind::OpFailed {
                op: "stop".into(),
                resource: "pgsql".into(),
                node: "pgrex01".into(),
                result: "Timed Out".into()
            })
        );
        assert_eq!(host_of(l).as_deref(), Some("pgrex01"));
        let ok = "Nov 24 10:00:01 pm01 pacemaker-controld[1841]:  notice: Result of stop operation for vip-rep on pm01: ok";
        assert_eq!(classify(ok), None);
        let one = "Result of stop operation for pgsql on pm01: 1 (unknown error)";
        assert!(matches!(classify(one), Some(LogKind::OpFailed { .. })));
        let sched = "2026-11-24T10:00:01.5+00:00 pm02 pacemaker-schedulerd[9]:  warning: Unexpected result (error: Simulated) was recorded for demote of pgsql:0 on pm01 at Nov 24 10:00:00 2026";
        assert_eq!(
            classify(sched),
            Some(LogKind::OpFailed {
                op: "demote".into(),
                resource: "pgsql".into(),
                node: "pm01".into(),
                result: "error: Simulated".into()
            })
        );
        assert_eq!(host_of(sched).as_deref(), Some("pm02"));
        let tr = "pacemaker-controld[5]:  warning: Transition 4 action 12 (vip-master_stop_0 on pm01): expected 'ok' but got 'error'";
        assert!(
            matches!(classify(tr), Some(LogKind::OpFailed { ref resource, .. }) if resource == "vip-master")
        );
    }

    #[test]
    fn the_replicated_fail_count_of_a_stop_failure() {
        // Recorded in the lab on the survivor pm02 (not the DC) during pgsql-stop-failure.
        let l = "Nov 24 22:36:06.153 pm02 pacemaker-attrd     [50] (update_attr_on_host) \tnotice: Setting fail-count-pgsql#stop_0[pm01]: (unset) -> INFINITY | from pm01 with no write delay";
        assert_eq!(
            classify(l),
            Some(LogKind::OpFailed {
                op: "stop".into(),
                resource: "pgsql".into(),
                node: "pm01".into(),
                result: "fail-count INFINITY".into()
            })
        );
        let mon = "Nov 24 22:36:04.321 pm02 pacemaker-attrd     [50] (update_attr_on_host) \tnotice: Setting fail-count-pgsql#monitor_9000[pm01]: (unset) -> 1 | from pm01 with no write delay";
        assert_eq!(classify(mon), None);
        let cleared = "pacemaker-attrd[50]: notice: Setting fail-count-pgsql#stop_0[pm01]: INFINITY -> (unset)";
        assert_eq!(classify(cleared), None);
    }

    #[test]
    fn a_node_lost_at_startup_was_never_a_member() {
        // Recorded in the lab: pm01 starting before pm02 joined.
        let l = "Nov 24 22:41:51.009 pm01 pacemaker-controld  [116] (update_peer_state_iter) \tnotice: Node pm02 state is now lost | nodeid=2 previous=unknown source=crmd_peer_down";
        assert_eq!(classify(l), None);
        let l = "Nov 24 22:40:11.925 pm02 pacemaker-based     [48] (update_peer_state_iter) \tnotice: Node pm01 state is now lost | nodeid=1 previous=member source=crm_update_peer_proc";
        assert_eq!(
            classify(l),
            Some(LogKind::NodeLost {
                node: "pm01".into()
            })
        );
        // A return after a loss (`previous=lost`) is a member line like any other: what was
        // logged of the loss before it is over.
        let l = "Dec 01 16:53:40.101 pm02 pacemaker-controld  [53] (update_peer_state_iter) \tnotice: Node pm01 state is now member | nodeid=1 previous=lost source=crm_update_peer_proc";
        assert_eq!(
            classify(l),
            Some(LogKind::NodeMember {
                node: "pm01".into()
            })
        );
        let l = "Nov 24 22:32:37.705 pm01 pacemakerd          [6414] (main) \tnotice: Starting Pacemaker 2.1.5 | build=a3f44794f94 features:agent-manpages";
        assert_eq!(classify(l), Some(LogKind::PacemakerStarted));
    }

    #[test]
    fn the_scheduler_decides_to_fence() {
        // Recorded in the lab on pm02 when the interconnect failed.
        let l = "Nov 24 22:40:12.053 pm02 pacemaker-schedulerd[52] (pe_fence_node) \twarning: Cluster node pm01 will be fenced: peer is no longer part of the cluster";
        assert_eq!(
            classify(l),
            Some(LogKind::FenceScheduled {
                node: "pm01".into()
            })
        );
        let old = "pengine[9]: warning: Scheduling Node pm02 for STONITH";
        assert_eq!(
            classify(old),
            Some(LogKind::FenceScheduled {
                node: "pm02".into()
            })
        );
        let guest = "pacemaker-schedulerd[52]: warning: Guest node vm1 will be fenced (by recovering its guest resource r): x";
        assert_eq!(classify(guest), None);
    }

    #[test]
    fn promotion() {
        let l = "Nov 24 22:39:44.169 pm01 pacemaker-controld  [116] (log_executor_event) \tnotice: Result of promote operation for pgsql on pm01: ok | CIB update 76, graph action confirmed; call=48 key=pgsql_promote_0 rc=0";
        assert_eq!(
            classify(l),
            Some(LogKind::Promoted {
                resource: "pgsql".into(),
                node: "pm01".into()
            })
        );
    }

    #[test]
    fn membership_fencing_and_daemons() {
        assert_eq!(
            classify("pacemaker-controld[1]:  notice: Node pgrex02 state is now lost"),
            Some(LogKind::NodeLost {
                node: "pgrex02".into()
            })
        );
        assert_eq!(
            classify("crmd[1]: notice: crm_update_peer_state_iter: Node pm02[2] - state is now lost (was member)"),
            Some(LogKind::NodeLost { node: "pm02".into() })
        );
        assert_eq!(
            classify("pacemaker-controld[1]:  notice: Peer pm01 was not terminated (reboot) by pm02 on behalf of pacemaker-controld.1: Timer expired"),
            Some(LogKind::FenceNotDone { node: "pm01".into() })
        );
        assert_eq!(
            classify(
                "systemd[1]: pacemaker.service: Main process exited, code=killed, status=9/KILL"
            ),
            Some(LogKind::PacemakerdRespawn)
        );
        assert_eq!(
            classify(
                "pacemakerd[77]:  error: pacemaker-based[80] terminated with signal 9 (Killed)"
            ),
            Some(LogKind::CibDied)
        );
        assert_eq!(
            classify(
                "pacemaker-controld[9]:  crit: Lost connection to cluster layer, shutting down"
            ),
            Some(LogKind::CorosyncLost)
        );
        assert_eq!(
            classify("systemd[1]: Started Pacemaker High Availability Cluster Manager."),
            None
        );
    }

    #[test]
    fn postgres_walsender_timeout_takes_the_default_host() {
        let t = "2026-11-24 10:00:00.000 UTC [123] LOG:  terminating walsender process due to replication timeout\nunrelated\n";
        let v = scan(t, "postgresql.log", Some("pm01"));
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].kind, LogKind::WalsenderTimeout);
        assert_eq!(v[0].host.as_deref(), Some("pm01"));
        assert_eq!(v[0].file, "postgresql.log");
    }
}

//! Replication (R11, R15): a standby cut off from the primary (`HS:alone` and/or `DISCONNECT`:
//! the D-LAN failed, confirmed by the primary's "terminating walsender … replication
//! timeout"), or a standby that streams but not synchronously (or cannot stream at all: its
//! data diverged from the primary's timeline).

use super::catalogue::finding;
use super::evidence as ev;
use super::facts::RuleInput;
use super::FaultId as F;
use super::{Certainty, Finding};
use crate::msg::diag as m;
use crate::snapshot::LogKind;
use crate::t;

pub(super) fn rules(f: &RuleInput, out: &mut Vec<Finding>) {
    let Some(primary) = f.st.primary else { return };
    let n = f.names;
    let status_attr = n.status_attr();
    for s in f.state.nodes.iter().map(|x| x.name.as_str()) {
        if s == primary || !f.online(s) || !f.online(primary) {
            continue;
        }
        let status = f.attr(s, &status_attr);
        let data = f.data_status(s);
        let score = f.attr(s, &n.promotion_attr());
        let pgsql_failed = !f.failures(s, &n.primitive, "monitor").is_empty()
            || f.fail_count(s, &n.primitive).is_some();
        // R11: both online, the standby alone or disconnected, no resource failure. The
        // primary's agent marks the standby DISCONNECT first; the standby's own monitor says
        // HS:alone a little later (seen in the lab): either is the D-LAN pattern.
        let running = f.st.pgsql_role(s).is_some_and(|r| r.is_active());
        let alone = status == Some("HS:alone");
        let disconnected = data.is_some_and(|d| d.0 == "DISCONNECT");
        if (alone || (disconnected && running)) && !pgsql_failed {
            let mut e = Vec::new();
            if let Some(v) = status {
                e.push(ev::attr("crm_mon", s, &status_attr, v));
            }
            if let Some((v, src)) = data {
                e.push(ev::attr(src, s, &n.data_status_attr(), v));
            }
            if let Some(v) = score {
                e.push(ev::attr("crm_mon", s, &n.promotion_attr(), v));
            }
            if let Some(v) = f.attr(primary, &status_attr) {
                e.push(ev::attr("crm_mon", primary, &status_attr, v));
            }
            let wal = f.logs_where(None, |k| *k == LogKind::WalsenderTimeout);
            let wal: Vec<_> = wal
                .into_iter()
                .filter(|l| l.host.as_deref().is_none_or(|h| h == primary))
                .collect();
            let fd = if wal.is_empty() {
                finding(F::ReplicationLanFailure, Certainty::Likely, Some(s), e)
                    .decide(t!(m::DECIDE_WALSENDER, primary = primary))
            } else {
                e.extend(wal.iter().map(|l| ev::log(l)));
                finding(F::ReplicationLanFailure, Certainty::Certain, Some(s), e)
            };
            out.push(fd);
            continue;
        }
        // R15: streaming, but not synchronously.
        if !running {
            continue;
        }
        let mut e = Vec::new();
        if let Some(v) =
            status.filter(|v| matches!(*v, "HS:async" | "HS:potential" | "HS:connected"))
        {
            e.push(ev::attr("crm_mon", s, &status_attr, v));
        }
        if let Some((v, src)) =
            data.filter(|d| d.0 != "STREAMING|SYNC" && d.0 != "DISCONNECT" && d.0 != "LATEST")
        {
            e.push(ev::attr(src, s, &n.data_status_attr(), v));
        }
        // Its data diverged (it replayed past the end of what the primary can send it):
        // waiting never helps; its playbook rejoins it with a rewind.
        if let Some(bytes) = f.standby_diverged(s) {
            e.push(ev::diverged(primary, s, bytes));
            let mut fd = finding(F::StandbyNotSync, Certainty::Certain, Some(s), e);
            fd.title = t!(m::T_STANDBY_DIVERGED, node = s);
            out.push(fd);
            continue;
        }
        if !e.is_empty() {
            out.push(finding(F::StandbyNotSync, Certainty::Certain, Some(s), e));
        }
    }
}

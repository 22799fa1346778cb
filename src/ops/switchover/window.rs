//! The write-unavailability window of a switchover as Pacemaker's own operation history
//! records it (the CIB's `status` section, `lrm_rsc_op`): from the start of the old
//! primary's demote (PostgreSQL stops taking writes) to the end of the primary VIP's start
//! on the new primary (clients reach it again), with the operations in between, so it is
//! visible where the time goes. Pure: parses a `cibadmin -Q -o status` document.
//! Pacemaker records times in whole seconds (`last-run`) and durations in milliseconds
//! (`exec-time`), so the window is as exact as one second allows.

use crate::pacemaker::xml::{self, Element};
use crate::profile::Names;
use crate::Result;
use serde::Serialize;

/// One operation of the history.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct OpRecord {
    pub node: String,
    pub resource: String,
    pub operation: String,
    /// When it ran (seconds since the epoch).
    pub started: i64,
    pub exec_ms: u64,
    pub rc: i32,
}

/// The window and the operations it spans.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Window {
    /// From the demote's start to the primary VIP's start's end (milliseconds).
    pub write_outage_ms: u64,
    /// The demote, promote and VIP starts, in the order they ran.
    pub operations: Vec<OpRecord>,
}

fn ops(root: &Element) -> Vec<OpRecord> {
    let mut out = Vec::new();
    for ns in all(root, "node_state") {
        let node = ns.attr("uname").unwrap_or_default().to_string();
        for r in all(ns, "lrm_resource") {
            let rsc = r.attr("id").unwrap_or_default().to_string();
            for op in r.children_named("lrm_rsc_op") {
                let num = |k: &str| op.attr(k).and_then(|v| v.parse::<i64>().ok());
                let Some(started) = num("last-run").or_else(|| num("last-rc-change")) else {
                    continue;
                };
                out.push(OpRecord {
                    node: node.clone(),
                    resource: rsc.clone(),
                    operation: op.attr("operation").unwrap_or_default().to_string(),
                    started,
                    exec_ms: num("exec-time").unwrap_or(0).max(0) as u64,
                    rc: num("rc-code").unwrap_or(-1) as i32,
                });
            }
        }
    }
    out
}

fn all<'a>(el: &'a Element, name: &str) -> Vec<&'a Element> {
    let mut v = Vec::new();
    fn walk<'a>(el: &'a Element, name: &str, v: &mut Vec<&'a Element>) {
        if el.name == name {
            v.push(el);
        }
        for c in &el.children {
            walk(c, name, v);
        }
    }
    walk(el, name, &mut v);
    v
}

/// The window of the switchover from `old` to `new`, `None` when the history no longer
/// holds the demote (Pacemaker keeps only each resource's last operation).
/// `stopped_ms` is when pgrex began stopping the old primary itself (epoch milliseconds),
/// when it did (the resource's `stop_escalate=0`): the window then starts there, and the
/// demote (which found PostgreSQL stopped) need not be in the history any more.
pub fn window(
    status_xml: &str,
    names: &Names,
    old: &str,
    new: &str,
    stopped_ms: Option<i64>,
) -> Result<Option<Window>> {
    let root = xml::parse(status_xml, "cibadmin -Q -o status")?;
    let all = ops(&root);
    let find = |node: &str, rsc: &str, op: &str| {
        all.iter()
            .filter(|o| o.node == node && o.resource == rsc && o.operation == op && o.rc == 0)
            .max_by_key(|o| o.started)
            .cloned()
    };
    let demote = find(old, &names.primitive, "demote");
    let start = match (stopped_ms, &demote) {
        (Some(s), Some(d)) => s.min(d.started * 1000),
        (Some(s), None) => s,
        (None, Some(d)) => d.started * 1000,
        (None, None) => return Ok(None),
    };
    let mut chosen: Vec<OpRecord> = demote.into_iter().collect();
    chosen.extend(find(new, &names.primitive, "promote"));
    let mut end = chosen.last().map(|o| o.started * 1000 + o.exec_ms as i64);
    for vip in [&names.vip_primary, &names.vip_replication]
        .into_iter()
        .flatten()
    {
        if let Some(s) = find(new, vip, "start") {
            if Some(vip) == names.vip_primary.as_ref() {
                end = Some(s.started * 1000 + s.exec_ms as i64);
            }
            chosen.push(s);
        }
    }
    chosen.sort_by_key(|o| o.started);
    Ok(end.map(|e| Window {
        write_outage_ms: (e - start).max(0) as u64,
        operations: chosen,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::Profile;

    const STATUS: &str = r#"<status>
  <node_state uname="pm01"><lrm><lrm_resources>
    <lrm_resource id="pgsql"><lrm_rsc_op id="pgsql_last_0" operation="demote" rc-code="0" last-run="1700000010" last-rc-change="1700000010" exec-time="640"/></lrm_resource>
  </lrm_resources></lrm></node_state>
  <node_state uname="pm02"><lrm><lrm_resources>
    <lrm_resource id="pgsql"><lrm_rsc_op id="pgsql_last_0" operation="promote" rc-code="0" last-run="1700000011" exec-time="420"/></lrm_resource>
    <lrm_resource id="ipaddr-primary"><lrm_rsc_op id="ipaddr-primary_last_0" operation="start" rc-code="0" last-run="1700000012" exec-time="95"/></lrm_resource>
    <lrm_resource id="ipaddr-replication"><lrm_rsc_op id="ipaddr-replication_last_0" operation="start" rc-code="0" last-run="1700000012" exec-time="80"/></lrm_resource>
  </lrm_resources></lrm></node_state>
</status>"#;

    #[test]
    fn the_window_runs_from_the_demote_to_the_primary_vip() {
        let names = Names::defaults(Profile::Pgrex17);
        let w = window(STATUS, &names, "pm01", "pm02", None)
            .unwrap()
            .unwrap();
        assert_eq!(w.write_outage_ms, 2095);
        let ops: Vec<_> = w
            .operations
            .iter()
            .map(|o| (o.node.as_str(), o.operation.as_str()))
            .collect();
        assert_eq!(ops[0], ("pm01", "demote"));
        assert_eq!(ops[1], ("pm02", "promote"));
        assert_eq!(w.operations.len(), 4);
    }

    #[test]
    fn without_the_demote_there_is_no_window() {
        let names = Names::defaults(Profile::Pgrex17);
        let s = STATUS.replace("operation=\"demote\"", "operation=\"stop\"");
        assert_eq!(window(&s, &names, "pm01", "pm02", None).unwrap(), None);
        // pgrex stopped PostgreSQL itself 300 ms before the demote's second began.
        let w = window(&s, &names, "pm01", "pm02", Some(1_700_000_009_700))
            .unwrap()
            .unwrap();
        assert_eq!(w.write_outage_ms, 2395);
        assert_eq!(w.operations[0].operation, "promote");
    }
}

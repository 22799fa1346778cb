//! What happened, as crm_mon reports it: each node's resource history (fail counts), the
//! failed actions with their operation keys (`pgsql_monitor_9000`), and fencing events.
//! A leaf under the document parser in `mod.rs`.

use super::super::super::model::*;
use super::super::super::xml::{Attrs, Element};
use crate::Result;

pub(super) fn node_history(nh: &Element, what: &str) -> Result<Vec<ResourceHistory>> {
    let mut out = Vec::new();
    for n in nh.children_named("node") {
        let node = Attrs::new(n, what).req("name")?;
        for rh in n.children_named("resource_history") {
            let a = Attrs::new(rh, what);
            out.push(ResourceHistory {
                node: node.to_string(),
                resource: strip_instance(a.req("id")?).to_string(),
                fail_count: a.opt_score("fail-count")?.unwrap_or(0),
                migration_threshold: a.opt_score("migration-threshold")?,
                last_failure: a.non_empty("last-failure"),
                orphan: a.bool_or("orphan", false)?,
            });
        }
    }
    Ok(out)
}

pub(super) fn failure(f: &Element, what: &str) -> Result<FailedAction> {
    let a = Attrs::new(f, what);
    // The schema allows `id` in place of `op_key`.
    let op_key = match a.opt("op_key").or_else(|| a.opt("id")) {
        Some(k) => k.to_string(),
        None => a.req("op_key")?.to_string(),
    };
    let parsed = split_op_key(&op_key);
    let task = match a.non_empty("task") {
        Some(t) => t,
        None => parsed
            .as_ref()
            .map(|p| p.task.clone())
            .ok_or_else(|| a.bad("op_key", &op_key, "<resource>_<task>_<interval>"))?,
    };
    let interval_ms = match a.opt_ms("interval")? {
        Some(i) => i,
        None => parsed.as_ref().map(|p| p.interval_ms).unwrap_or(0),
    };
    let resource = match a.non_empty("resource") {
        Some(r) => r,
        None => resource_of(&op_key, &task, parsed.as_ref())
            .ok_or_else(|| a.bad("op_key", &op_key, "<resource>_<task>_<interval>"))?,
    };
    Ok(FailedAction {
        op_key,
        node: a.req("node")?.to_string(),
        resource: strip_instance(&resource).to_string(),
        task,
        interval_ms,
        exitstatus: a.opt("exitstatus").unwrap_or_default().to_string(),
        exitcode: a.opt_i64("exitcode")?.and_then(|c| i32::try_from(c).ok()),
        exitreason: a.non_empty("exitreason"),
        call: a.opt_i64("call")?,
        status: a.non_empty("status"),
        last_rc_change: a.non_empty("last-rc-change"),
    })
}

/// The parts of an operation key `<rsc>_<task>_<interval-ms>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpKey {
    pub resource: String,
    pub task: String,
    pub interval_ms: u64,
}

/// Split `pgsql_monitor_9000` → (`pgsql`, `monitor`, 9000). Resource ids may contain `_`;
/// the task is the last word, except the two-word `migrate_to` / `migrate_from` and
/// notify keys (`pgsql_post_notify_start_0` → task `notify`).
pub fn split_op_key(key: &str) -> Option<OpKey> {
    let (head, interval) = key.rsplit_once('_')?;
    let interval_ms: u64 = interval.parse().ok()?;
    for two in ["migrate_to", "migrate_from"] {
        if let Some(rsc) = head.strip_suffix(two).and_then(|r| r.strip_suffix('_')) {
            if !rsc.is_empty() {
                return Some(OpKey {
                    resource: rsc.to_string(),
                    task: two.to_string(),
                    interval_ms,
                });
            }
        }
    }
    for notify in ["_pre_notify_", "_post_notify_"] {
        if let Some(pos) = head.find(notify) {
            if pos > 0 {
                return Some(OpKey {
                    resource: head[..pos].to_string(),
                    task: "notify".into(),
                    interval_ms,
                });
            }
        }
    }
    let (rsc, task) = head.rsplit_once('_')?;
    if rsc.is_empty() || task.is_empty() {
        return None;
    }
    Some(OpKey {
        resource: rsc.to_string(),
        task: task.to_string(),
        interval_ms,
    })
}

/// The resource of an op key, preferring the task the XML states (so a resource id that
/// ends in a task-like word is not cut wrongly).
fn resource_of(op_key: &str, task: &str, parsed: Option<&OpKey>) -> Option<String> {
    if let Some((head, _interval)) = op_key.rsplit_once('_') {
        if let Some(rsc) = head.strip_suffix(task).and_then(|r| r.strip_suffix('_')) {
            if !rsc.is_empty() {
                return Some(rsc.to_string());
            }
        }
    }
    parsed.map(|p| p.resource.clone())
}

/// `pgsql:0` → `pgsql` (anonymous clone instance numbers are not part of the id).
fn strip_instance(id: &str) -> &str {
    match id.rsplit_once(':') {
        Some((base, n))
            if !base.is_empty() && !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) =>
        {
            base
        }
        _ => id,
    }
}

pub(super) fn fence_event(e: &Element, what: &str) -> Result<FenceEvent> {
    let a = Attrs::new(e, what);
    // 2.x `status`, 1.1 `state`.
    let status = match a.opt("status").or_else(|| a.opt("state")) {
        Some(s) => s.to_string(),
        None => a.req("status")?.to_string(),
    };
    Ok(FenceEvent {
        action: a.req("action")?.to_string(),
        target: a.req("target")?.to_string(),
        client: a.non_empty("client"),
        origin: a.non_empty("origin"),
        delegate: a.non_empty("delegate"),
        status,
        exit_reason: a.non_empty("exit-reason"),
        completed: a.non_empty("completed"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instances() {
        assert_eq!(strip_instance("pgsql:1"), "pgsql");
        assert_eq!(strip_instance("pgsql"), "pgsql");
        assert_eq!(strip_instance("a:b"), "a:b");
    }

    #[test]
    fn op_keys() {
        let k = split_op_key("pgsql_monitor_9000").unwrap();
        assert_eq!(
            (k.resource.as_str(), k.task.as_str(), k.interval_ms),
            ("pgsql", "monitor", 9000)
        );
        let k = split_op_key("ipaddr-primary_stop_0").unwrap();
        assert_eq!(
            (k.resource.as_str(), k.task.as_str()),
            ("ipaddr-primary", "stop")
        );
        let k = split_op_key("my_rsc_migrate_to_0").unwrap();
        assert_eq!(
            (k.resource.as_str(), k.task.as_str()),
            ("my_rsc", "migrate_to")
        );
        let k = split_op_key("pgsql_post_notify_start_0").unwrap();
        assert_eq!((k.resource.as_str(), k.task.as_str()), ("pgsql", "notify"));
        assert!(split_op_key("pgsql").is_none());
        assert!(split_op_key("pgsql_monitor_x").is_none());
        assert!(split_op_key("_monitor_0").is_none());
    }

    #[test]
    fn resource_prefers_stated_task() {
        assert_eq!(
            resource_of("vip_stop_start_0", "start", None).as_deref(),
            Some("vip_stop")
        );
    }
}

//! Evidence in words: each names the source and the exact attribute, failed action, fence
//! event, link or log line.

use super::Evidence;
use crate::msg::diag as m;
use crate::pacemaker::{FailedAction, FenceEvent, ResourceHistory};
use crate::snapshot::LogLine;
use crate::t;

fn ev(source: &'static str, detail: String) -> Evidence {
    Evidence { source, detail }
}

pub(super) fn node_state(node: &str, unclean: bool) -> Evidence {
    if unclean {
        ev("crm_mon", t!(m::EV_NODE_UNCLEAN, node = node))
    } else {
        ev("crm_mon", t!(m::EV_NODE_OFFLINE, node = node))
    }
}

pub(super) fn diverged(primary: &str, node: &str, bytes: u64) -> Evidence {
    ev(
        "postgres",
        t!(
            m::EV_DIVERGED,
            primary = primary,
            node = node,
            bytes = bytes
        ),
    )
}

pub(super) fn fence(e: &FenceEvent) -> Evidence {
    let by = e.delegate.as_deref().or(e.origin.as_deref()).unwrap_or("?");
    let when = e.completed.as_deref().unwrap_or("?");
    ev(
        "fencing",
        t!(
            m::EV_FENCE,
            action = e.action,
            target = e.target,
            by = by,
            status = e.status,
            when = when
        ),
    )
}

pub(super) fn failure(f: &FailedAction) -> Evidence {
    let rc = f
        .exitcode
        .map(|c| c.to_string())
        .unwrap_or_else(|| "?".into());
    // The rc decides the word (a 1.1 document says `master` for rc 8).
    let status = f
        .exitcode
        .and_then(crate::pacemaker::rc::ocf_word)
        .unwrap_or(&f.exitstatus);
    let mut d = t!(
        m::EV_FAILED_ACTION,
        op = f.op_key,
        node = f.node,
        status = status,
        rc = rc
    );
    if let Some(st) = f.status.as_deref().filter(|s| *s != "complete") {
        d.push_str(&format!(" [{st}]"));
    }
    if let Some(r) = f.exitreason.as_deref().filter(|r| !r.is_empty()) {
        d.push_str(&format!(" \"{r}\""));
    }
    ev("crm_mon", d)
}

pub(super) fn fail_count(h: &ResourceHistory) -> Evidence {
    let count = if h.fail_count == u32::MAX {
        "INFINITY".to_string()
    } else {
        h.fail_count.to_string()
    };
    let thr = h
        .migration_threshold
        .map(|t| t.to_string())
        .unwrap_or_else(|| "?".into());
    ev(
        "crm_mon",
        t!(
            m::EV_FAIL_COUNT,
            rsc = h.resource,
            node = h.node,
            count = count,
            threshold = thr
        ),
    )
}

pub(super) fn attr(source: &'static str, node: &str, name: &str, value: &str) -> Evidence {
    ev(
        source,
        t!(m::EV_ATTR, node = node, name = name, value = value),
    )
}

pub(super) fn log(l: &LogLine) -> Evidence {
    ev("log", format!("{}: {}", l.file, l.text))
}

pub(super) fn link(id: u32, addr: Option<&str>, nodeid: u32, seen_from: &str) -> Evidence {
    ev(
        "corosync",
        t!(
            m::EV_LINK_DOWN,
            id = id,
            addr = addr.unwrap_or("?"),
            nodeid = nodeid,
            from = seen_from
        ),
    )
}

pub(super) fn lock(node: &str, path: &str) -> Evidence {
    ev("lock_file", t!(m::EV_LOCK, node = node, path = path))
}

pub(super) fn text(source: &'static str, detail: String) -> Evidence {
    ev(source, detail)
}

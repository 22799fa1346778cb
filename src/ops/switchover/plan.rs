//! The pure part of a switchover: from what was observed, which node is the primary and
//! which becomes it, or every reason to refuse (spec §3.4 steps 6–8 and its [Rec] (a)):
//! the PG-REX normal state by the one judgement ([`crate::judge`]), no maintenance mode,
//! no fail-count or failed action, the standby `HS:sync` / `STREAMING|SYNC`, and no move or
//! ban constraint left by an earlier switchover (named, with the command that clears it).
//! Also the leftover constraints themselves, read from the CIB's `<constraints>`.

use crate::judge::Judgement;
use crate::msg::switchover as m;
use crate::ops::cluster::{self, attr};
use crate::pacemaker::{xml, ClusterState};
use crate::profile::Names;
use crate::status::Verdict;
use crate::{t, Result};
use serde::Serialize;

/// A location constraint made by `crm_resource --ban` / `--move` (id `cli-ban-…` or
/// `cli-prefer-…`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Constraint {
    pub id: String,
    pub resource: String,
    pub node: Option<String>,
    pub role: Option<String>,
}

impl Constraint {
    /// The command that removes it.
    pub fn clear_command(&self) -> String {
        let mut c = format!("crm_resource --clear -r {}", self.resource);
        if let Some(n) = &self.node {
            c.push_str(&format!(" -N {n}"));
        }
        if self.role.as_deref().is_some_and(is_promoted) {
            c.push_str(" --promoted");
        }
        c
    }
}

fn is_promoted(role: &str) -> bool {
    matches!(role, "Promoted" | "Master")
}

/// The `cli-ban-*` / `cli-prefer-*` location constraints of a `cibadmin -Q -o constraints`
/// document (or a whole CIB).
pub fn cli_constraints(xml_text: &str, what: &str) -> Result<Vec<Constraint>> {
    let root = xml::parse(xml_text, what)?;
    let mut out = Vec::new();
    collect(&root, &mut out);
    Ok(out)
}

fn collect(el: &xml::Element, out: &mut Vec<Constraint>) {
    if el.name == "rsc_location" {
        let id = el.attr("id").unwrap_or_default();
        if id.starts_with("cli-ban-") || id.starts_with("cli-prefer-") {
            // A --lifetime puts node and role into a rule; read both places.
            let rule = el.child("rule");
            let node = el.attr("node").map(str::to_string).or_else(|| {
                rule.and_then(|r| {
                    r.children_named("expression")
                        .find(|e| e.attr("attribute") == Some("#uname"))
                        .and_then(|e| e.attr("value"))
                        .map(str::to_string)
                })
            });
            let role = el
                .attr("role")
                .or_else(|| rule.and_then(|r| r.attr("role")))
                .map(str::to_string);
            out.push(Constraint {
                id: id.to_string(),
                resource: el.attr("rsc").unwrap_or_default().to_string(),
                node,
                role,
            });
        }
        return;
    }
    for c in &el.children {
        collect(c, out);
    }
}

/// The roles before and after.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Roles {
    /// The primary now (the standby afterwards).
    pub old: String,
    /// The synchronous standby now (the primary afterwards).
    pub new: String,
}

/// What the plan judges.
pub struct Facts<'a> {
    pub state: &'a ClusterState,
    pub judgement: &'a Judgement,
    pub names: &'a Names,
    pub constraints: &'a [Constraint],
}

/// The roles, or every reason to refuse (each a sentence naming what to do).
pub fn roles(f: &Facts) -> std::result::Result<Roles, Vec<String>> {
    let (st, names) = (f.state, f.names);
    let mut why = Vec::new();
    if st.summary.maintenance_mode {
        why.push(t!(m::REFUSE_MAINTENANCE));
    }
    for h in st.node_history.iter().filter(|h| h.fail_count > 0) {
        why.push(t!(
            m::REFUSE_FAIL_COUNT,
            rsc = h.resource,
            node = h.node,
            count = fail_count_text(h.fail_count)
        ));
    }
    for fa in &st.failures {
        why.push(t!(m::REFUSE_FAILED_ACTION, op = fa.op_key, node = fa.node));
    }
    for c in f.constraints {
        why.push(t!(
            m::REFUSE_CONSTRAINT,
            id = c.id,
            command = c.clear_command()
        ));
    }
    let primary = cluster::primary_node(st, names);
    let standby = primary
        .as_deref()
        .and_then(|p| cluster::other_node(st, p))
        .filter(|s| st.node(s).is_some_and(|n| n.online));
    match (&primary, &standby) {
        (None, _) => why.push(t!(m::REFUSE_NO_PRIMARY)),
        (Some(p), None) => why.push(t!(m::REFUSE_NO_STANDBY, primary = p)),
        (Some(_), Some(s)) if !cluster::is_sync_standby(st, names, s) => why.push(t!(
            m::REFUSE_NOT_SYNC,
            node = s,
            role = cluster::pg_role(st, names, s).map_or("-".to_string(), |r| format!("{r:?}")),
            status = attr(st, s, &names.status_attr()).unwrap_or("-"),
            data = attr(st, s, &names.data_status_attr()).unwrap_or("-")
        )),
        _ => {}
    }
    if f.judgement.verdict != Verdict::Healthy && why.is_empty() {
        why.push(not_healthy(f.judgement));
    }
    match (primary, standby) {
        (Some(old), Some(new)) if why.is_empty() => Ok(Roles { old, new }),
        _ => Err(why),
    }
}

fn fail_count_text(n: u32) -> String {
    if n == u32::MAX {
        "INFINITY".into()
    } else {
        n.to_string()
    }
}

/// The verdict and its first reason (a deviation of the normal state, else the top finding).
fn not_healthy(j: &Judgement) -> String {
    let reason = j
        .first_deviation()
        .map(|d| d.message.clone())
        .or_else(|| j.top().map(|f| f.title.clone()))
        .or_else(|| j.unknown_why.clone())
        .unwrap_or_default();
    t!(
        m::REFUSE_NOT_HEALTHY,
        verdict = j.verdict.as_str(),
        reason = reason
    )
}

#[cfg(test)]
#[path = "plan_tests.rs"]
mod tests;

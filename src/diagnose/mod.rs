//! Diagnosis: a pure function from a [`Snapshot`] to [`Finding`]s, each naming a fault id of
//! FAULTS.md (or a non-fault condition), how sure it is, the evidence, the reaction the
//! cluster took and the playbook to follow. Rules R1–R15 of the spec (§6.3) live in the
//! files below, one family each; [`diagnose`] runs them all and orders the result, most
//! likely first.
//!
//! Never guesses: a rule whose source is unknown either stays silent (the source is listed
//! as unknown in the [`Diagnosis`]) or reports `likely` with the check that would decide.

mod catalogue;
mod commits;
mod conditions;
mod evidence;
mod facts;
mod fault_id;
mod monitors;
mod node_loss;
pub mod playbook;
mod replication;
mod resources;
#[cfg(test)]
mod tests;

pub use catalogue::{info, FaultInfo};
pub use facts::down_on_both;
pub use fault_id::{FaultId, FaultKind, UnknownFaultId};
#[cfg(test)]
pub(crate) use node_loss::SIBLINGS as NODE_LOSS_SIBLINGS;

use crate::profile::Names;
use crate::snapshot::Snapshot;
use crate::status::{Deviation, Severity, Verdict};
use serde::Serialize;

/// JSON `schema_version` of the diagnose document.
pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Certainty {
    /// The evidence admits only this pattern.
    Certain,
    /// A named extra check (`decide_with`) would tell it apart from a sibling.
    Likely,
}

impl Certainty {
    pub fn as_str(self) -> &'static str {
        match self {
            Certainty::Certain => "certain",
            Certainty::Likely => "likely",
        }
    }
}

/// What the cluster did about the fault (the deck's reaction classes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Reaction {
    /// ① restart or reconfigure in place, no failover.
    Restart,
    /// ② resources stopped on the failed node and started or promoted on the other.
    Failover,
    /// ③ the failed node was fenced, then resources failed over.
    FenceFailover,
    /// The cluster did nothing (or could not).
    None,
}

/// One fact that supports a finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Evidence {
    /// `crm_mon`, `cib`, `fencing`, `corosync`, `log`, `lock_file`, `peer`.
    pub source: &'static str,
    pub detail: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// A FAULTS.md id.
    pub id: FaultId,
    pub certainty: Certainty,
    pub severity: Severity,
    pub node: Option<String>,
    pub reaction: Reaction,
    /// The id `pgrex recover` takes (the fault id).
    pub playbook: FaultId,
    /// The command that runs the playbook (`pgrex recover vip-master-failure --node pm01`).
    pub recover: String,
    /// One sentence: what happened.
    pub title: String,
    pub evidence: Vec<Evidence>,
    /// For `likely`: the check that would tell the siblings apart.
    pub decide_with: Option<String>,
    /// The playbook's steps as text, with the exact commands for this cluster (the `text`
    /// of each step of `plan`).
    pub steps: Vec<String>,
    /// The playbook's typed steps, as `pgrex recover` runs them.
    pub plan: Vec<playbook::Step>,
    /// `(node, resource)` failures this finding explains (not serialized).
    #[serde(skip)]
    pub(crate) covers: Vec<(String, String)>,
}

/// A source that could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnknownSource {
    pub source: String,
    pub why: String,
}

/// The whole `pgrex diagnose` document (`docs/json.md`).
#[derive(Debug, Clone, Serialize)]
pub struct Diagnosis {
    pub schema_version: u32,
    pub verdict: Verdict,
    pub reason: String,
    pub profile: String,
    /// Where the database service runs now, in words.
    pub service: Option<String>,
    pub findings: Vec<Finding>,
    /// Sources that could not be read, and why.
    pub unknown: Vec<UnknownSource>,
    /// The deviations from the PG-REX normal state in the same snapshot (what `pgrex status`
    /// lists): the verdict is judged from these and the findings together.
    pub deviations: Vec<Deviation>,
}

/// Every finding, most likely first: severity, then certainty, then the order of the
/// rules (which follows the manual's decision procedure).
pub fn diagnose(s: &Snapshot, names: &Names) -> Vec<Finding> {
    let Some(state) = s.view() else {
        return Vec::new();
    };
    let f = facts::RuleInput::new(s, state, names);
    let mut out = Vec::new();
    node_loss::rules(&f, &mut out);
    resources::rules(&f, &mut out);
    monitors::rules(&f, &mut out);
    replication::rules(&f, &mut out);
    commits::rules(&f, &mut out);
    conditions::rules(&f, &mut out);
    let mut out = merge(out);
    out.sort_by_key(|x| (x.severity, x.certainty));
    // The service down on both nodes: whatever finding leads, the way out is the one
    // playbook that starts the primary where the data is newest (FAULTS.md router-failure).
    let both_down = f.down_on_both();
    for x in &mut out {
        if both_down && x.severity != Severity::Info {
            x.playbook = FaultId::RouterFailure;
        }
        x.plan = playbook::steps(x, &f);
        x.steps = x.plan.iter().map(|s| s.text.clone()).collect();
        x.recover = recover_command(x);
    }
    out
}

/// The document: the verdict and reason `crate::judge` decided (from these findings and the
/// normal-state deviations together), the findings, and what could not be seen.
pub fn document(
    s: &Snapshot,
    names: &Names,
    verdict: Verdict,
    reason: String,
    findings: Vec<Finding>,
    deviations: Vec<Deviation>,
) -> Diagnosis {
    let unknown = s
        .unknowns()
        .into_iter()
        .map(|(source, why)| UnknownSource { source, why })
        .collect();
    Diagnosis {
        schema_version: SCHEMA_VERSION,
        verdict,
        reason,
        profile: names.profile.to_string(),
        service: s
            .view()
            .map(|st| facts::RuleInput::new(s, st, names).service()),
        findings,
        unknown,
        deviations,
    }
}

/// The whole judgement's document (the rule tests read the verdict through it).
#[cfg(test)]
pub(crate) fn report(s: &Snapshot, names: &Names) -> Diagnosis {
    crate::judge::diagnosis(s, names)
}

/// `vip-rep-failure on pm01 (certain): <title>` — the one line `status` shows too.
pub fn headline(f: &Finding) -> String {
    use crate::msg::diag as m;
    let certainty = match f.certainty {
        Certainty::Certain => m::CERTAIN.text(),
        Certainty::Likely => m::LIKELY.text(),
    };
    match &f.node {
        Some(n) => crate::t!(
            m::HEADLINE_NODE,
            id = f.id,
            node = n,
            certainty = certainty,
            title = f.title
        ),
        None => crate::t!(
            m::HEADLINE,
            id = f.id,
            certainty = certainty,
            title = f.title
        ),
    }
}

/// `pgrex recover ID [--node NODE]`: the command that runs a finding's playbook.
pub fn recover_command(f: &Finding) -> String {
    match &f.node {
        Some(n) => format!(
            "pgrex recover {} --node {}",
            f.playbook,
            crate::exec::quote(n)
        ),
        None => format!("pgrex recover {}", f.playbook),
    }
}

/// One finding per id and node: rules that found the same thing add their evidence.
fn merge(v: Vec<Finding>) -> Vec<Finding> {
    let mut out: Vec<Finding> = Vec::new();
    for f in v {
        match out.iter_mut().find(|o| o.id == f.id && o.node == f.node) {
            Some(o) => {
                o.severity = o.severity.min(f.severity);
                if f.certainty < o.certainty {
                    o.certainty = f.certainty;
                    o.decide_with = f.decide_with;
                }
                for e in f.evidence {
                    if !o.evidence.contains(&e) {
                        o.evidence.push(e);
                    }
                }
                o.covers.extend(f.covers);
            }
            None => out.push(f),
        }
    }
    out
}

//! Which finding `pgrex recover` works on (pure): the one the operator named (`FAULT`,
//! `--node`), else the diagnosis' top finding when it is `certain`, or when it is `likely`
//! and every sibling it cannot be told from has the same plan (the deciding check — the
//! peer's view and its logs — was already part of the observation); otherwise a refusal
//! listing the candidates and how to name one. A finding answers to its playbook's id too
//! (`pgrex recover router-failure --node pm01` for a lock left while the service is down on
//! both, as `diagnose` prints it).

use crate::diagnose::playbook::Action;
use crate::diagnose::{Certainty, Diagnosis, FaultId, Finding};
use crate::msg::recover as m;
use crate::status::Severity;
use crate::{t, Error, Result};

/// The finding to recover from, `None` when nothing needs recovering.
pub fn pick<'d>(
    d: &'d Diagnosis,
    fault: Option<FaultId>,
    node: Option<&str>,
) -> Result<Option<&'d Finding>> {
    match fault {
        Some(id) => named(d, id, node).map(Some),
        None => top(d, node),
    }
}

/// The findings a recovery acts on (an `info` one, `pacemakerd-failure`, needs nothing).
fn actionable(d: &Diagnosis) -> impl Iterator<Item = &Finding> {
    d.findings.iter().filter(|f| f.severity != Severity::Info)
}

fn named<'d>(d: &'d Diagnosis, id: FaultId, node: Option<&str>) -> Result<&'d Finding> {
    let on = |f: &&Finding| node.is_none() || f.node.as_deref() == node;
    let mut hits: Vec<&Finding> = d
        .findings
        .iter()
        .filter(|f| f.id == id)
        .filter(on)
        .collect();
    if hits.is_empty() {
        // A finding that takes another's playbook (the service down on both: any finding
        // runs router-failure's) answers to that playbook's id: `diagnose` prints it so.
        hits = d
            .findings
            .iter()
            .filter(|f| f.playbook == id)
            .filter(on)
            .collect();
    }
    match hits.as_slice() {
        [one] => Ok(one),
        [] => Err(Error::refused(
            t!(
                m::NOT_SHOWN,
                id = id,
                node = node.map(|n| format!(" on {n}")).unwrap_or_default(),
                now = now(d)
            ),
            Some(t!(m::NOT_SHOWN_HINT)),
        )),
        many => Err(ambiguous(many)),
    }
}

fn top<'d>(d: &'d Diagnosis, node: Option<&str>) -> Result<Option<&'d Finding>> {
    let mut it = actionable(d).filter(|f| node.is_none() || f.node.as_deref() == node);
    let Some(first) = it.next() else {
        return Ok(None);
    };
    if first.certainty == Certainty::Certain {
        return Ok(Some(first));
    }
    let siblings: Vec<&Finding> = std::iter::once(first)
        .chain(it.filter(|f| {
            f.certainty == Certainty::Likely
                && f.evidence == first.evidence
                && f.decide_with == first.decide_with
        }))
        .collect();
    if siblings.iter().all(|f| same_plan(f, first)) {
        return Ok(Some(first));
    }
    Err(ambiguous(&siblings))
}

/// The same steps pgrex runs on the same nodes: the switch back aside (it runs only on
/// request), and an operator action as such (what the human repairs differs; the steps
/// after it check for themselves, e.g. standby-start pings the interconnect).
pub fn same_plan(a: &Finding, b: &Finding) -> bool {
    let shape = |f: &Finding| {
        f.plan
            .iter()
            .filter(|s| s.action != Action::Switchover)
            .map(|s| match s.action {
                Action::Operator { .. } => ("operator".to_string(), s.node.clone()),
                _ => (format!("{:?}", s.action), s.node.clone()),
            })
            .collect::<Vec<_>>()
    };
    shape(a) == shape(b)
}

fn ambiguous(c: &[&Finding]) -> Error {
    let list = c
        .iter()
        .map(|f| {
            format!(
                "{} ({})",
                crate::diagnose::recover_command(f),
                f.certainty.as_str()
            )
        })
        .collect::<Vec<_>>()
        .join("\n  ");
    let decide = c
        .iter()
        .find_map(|f| f.decide_with.clone())
        .unwrap_or_else(|| "-".into());
    Error::refused(
        t!(m::AMBIGUOUS, candidates = list),
        Some(t!(m::AMBIGUOUS_HINT, decide = decide)),
    )
}

/// The top finding in words, or the verdict.
fn now(d: &Diagnosis) -> String {
    match d.findings.first() {
        Some(f) => crate::diagnose::headline(f),
        None => format!("{:?}: {}", d.verdict, d.reason),
    }
}

#[cfg(test)]
#[path = "select_tests.rs"]
mod tests;

//! Which node holds the newest data while the service is down on both nodes: the node the
//! service-down-on-both playbook starts as the primary. The persisted data-status `LATEST`
//! decides, unless where the nodes' WAL ends contradicts it; with no node `LATEST`, the WAL
//! decides (the later timeline, then the further position). The WAL ends
//! are in the snapshot only where recover read them (`ops::recover::newest`), both nodes'
//! PostgreSQL stopped. Whatever decides is shown; when nothing proves it, no node is named
//! and recover refuses before changing anything.

use super::super::facts::RuleInput;
use crate::msg::diag as m;
use crate::postgres::WalEnd;
use crate::snapshot::Source;

/// The node with the newest data, or why none is proven.
pub(super) enum Newest {
    Proven { node: String, why: String },
    Unproven { why: String },
}

impl Newest {
    pub(super) fn node(&self) -> Option<&str> {
        match self {
            Newest::Proven { node, .. } => Some(node),
            Newest::Unproven { .. } => None,
        }
    }

    /// The playbook's first step: what decided, with the evidence.
    pub(super) fn why(&self) -> &str {
        match self {
            Newest::Proven { why, .. } | Newest::Unproven { why } => why,
        }
    }
}

pub(super) fn newest(f: &RuleInput) -> Newest {
    let nodes: Vec<&str> = f.state.nodes.iter().map(|n| n.name.as_str()).collect();
    let status = |n: &str| f.data_status(n).map(|d| d.0);
    let with = |s: &str| -> Vec<&str> {
        let v: Vec<&str> = nodes
            .iter()
            .copied()
            .filter(|n| status(n) == Some(s))
            .collect();
        v
    };
    // Only LATEST: a `STREAMING|SYNC` standby holds every acknowledged commit, but the old
    // primary may hold more WAL; with no node LATEST the WAL decides.
    let by_status = match with("LATEST").as_slice() {
        [one] => Some((one.to_string(), m::P_ROUTER_LATEST)),
        _ => None,
    };
    let statuses = nodes
        .iter()
        .map(|n| format!("{n} {}", status(n).unwrap_or("-")))
        .collect::<Vec<_>>()
        .join(", ");
    let ends = wal_ends(f, &nodes);
    let shown = match &ends {
        Ok(e) => e
            .iter()
            .map(|(n, w)| format!("{n} {w}"))
            .collect::<Vec<_>>()
            .join("; "),
        Err(_) => String::new(),
    };
    match (by_status, &ends) {
        (Some((node, msg)), Ok(e)) => {
            let mine = e.iter().find(|(n, _)| *n == node).map(|x| x.1);
            let ahead = e
                .iter()
                .find(|(n, w)| *n != node && mine.is_some_and(|m| w.ahead_of(&m) == Some(true)));
            match ahead {
                Some((other, _)) => Newest::Unproven {
                    why: crate::t!(
                        m::NEWEST_CONFLICT,
                        latest = node,
                        other = other,
                        ends = shown
                    ),
                },
                None => {
                    let why = format!(
                        "{} {}",
                        crate::t!(msg, latest = node),
                        crate::t!(m::NEWEST_WAL_SHOWN, ends = shown)
                    );
                    Newest::Proven { node, why }
                }
            }
        }
        (Some((node, msg)), Err(_)) => Newest::Proven {
            why: crate::t!(msg, latest = node),
            node,
        },
        (None, Ok(e)) => {
            let [(a, wa), (b, wb)] = e.as_slice() else {
                unreachable!("wal_ends gives both nodes or an error")
            };
            let node = match wb.ahead_of(wa) {
                None => {
                    return Newest::Unproven {
                        why: crate::t!(
                            m::NEWEST_UNPROVEN,
                            statuses = statuses,
                            why = crate::t!(
                                m::NEWEST_OTHER_CLUSTER,
                                a = wa.system_id,
                                b = wb.system_id
                            )
                        ),
                    }
                }
                Some(true) => b,
                // Equal ends hold the same data: either; the first is named.
                Some(false) => a,
            };
            Newest::Proven {
                why: crate::t!(
                    m::NEWEST_BY_WAL,
                    statuses = statuses,
                    latest = node,
                    ends = shown
                ),
                node: node.to_string(),
            }
        }
        (None, Err(why)) => Newest::Unproven {
            why: crate::t!(m::NEWEST_UNPROVEN, statuses = statuses, why = why),
        },
    }
}

/// Both nodes' WAL ends, in the cluster's node order, or why they cannot be compared.
fn wal_ends<'n>(f: &RuleInput, nodes: &[&'n str]) -> Result<Vec<(&'n str, WalEnd)>, String> {
    if f.snap.wal_ends.is_empty() || nodes.len() != 2 {
        return Err(crate::t!(m::NEWEST_NOT_READ));
    }
    nodes
        .iter()
        .map(|n| match f.snap.wal_ends.get(*n) {
            Some(Source::Known(w)) => Ok((*n, *w)),
            Some(Source::Unknown { why }) => {
                Err(crate::t!(m::NEWEST_WAL_UNKNOWN, node = n, why = why))
            }
            None => Err(crate::t!(m::NEWEST_WAL_UNKNOWN, node = n, why = "-")),
        })
        .collect()
}

//! The PG-REX normal-state checks (spec §5.3), one file per row of the table. Each returns
//! the deviations it finds; none means the row holds.

mod attributes;
mod cluster;
mod daemons;
mod history;
mod links;
mod management;
mod monitors;
mod nodes;
mod pgsql;
mod stonith;
mod vips;

use super::observed::Observed;
use super::*;
use crate::msg::status as m;
use crate::t;
use attributes::attributes;
use cluster::cluster;
use history::{fail_counts, failed_actions, fence_history};
use management::management;
use monitors::monitors;
use nodes::nodes;
use pgsql::pgsql;
use stonith::stonith;
use vips::vips;

pub(super) fn dev(
    check: Check,
    severity: Severity,
    node: Option<&str>,
    msg: crate::msg::Msg,
    message: String,
    hint: Option<String>,
) -> Deviation {
    Deviation {
        check,
        severity,
        node: node.map(str::to_string),
        id: msg.id,
        message,
        hint,
    }
}

/// A resource pgrex was told about (config or profile) that the cluster does not have.
pub(super) fn absent(check: Check, id: &str) -> Deviation {
    dev(
        check,
        Severity::Warning,
        None,
        m::DEV_RESOURCE_ABSENT,
        t!(m::DEV_RESOURCE_ABSENT, id = id),
        None,
    )
}

/// Every row of the table that the observed state answers; `links` and `units` add the
/// live-only rows when they were read.
pub(super) fn all(
    c: &Observed,
    links: Option<&crate::snapshot::CorosyncStatus>,
    units: Option<&[(String, String)]>,
) -> Vec<Deviation> {
    let mut v = Vec::new();
    cluster(c, &mut v);
    nodes(c, &mut v);
    pgsql(c, &mut v);
    vips(c, &mut v);
    stonith(c, &mut v);
    monitors(c, &mut v);
    attributes(c, &mut v);
    fail_counts(c, &mut v);
    failed_actions(c, &mut v);
    fence_history(c, &mut v);
    management(c, &mut v);
    if let Some(l) = links {
        links::links(c, l, &mut v);
    }
    if let Some(u) = units {
        daemons::daemons(u, &mut v);
    }
    v
}

pub(super) fn where_runs<'a>(c: &'a Observed, id: &str) -> Vec<&'a str> {
    c.state.running_on(id)
}

pub(super) fn fmt_nodes(on: &[&str]) -> String {
    if on.is_empty() {
        "nowhere".into()
    } else {
        on.join(", ")
    }
}

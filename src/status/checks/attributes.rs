//! Row "attributes": the pgsql agent's attributes on the primary (PRI / LATEST / 1000) and
//! the sync standby (HS:sync / STREAMING|SYNC / 100); no leftover xlog-location attribute.

use super::*;

pub(super) fn attributes(c: &Observed, v: &mut Vec<Deviation>) {
    let n = c.names;
    let check = |node: &str, attr: String, want: &[&str], sev: Severity, v: &mut Vec<Deviation>| {
        let got = c.state.attr(node, &attr).map(|a| a.value.clone());
        if !got.as_deref().is_some_and(|g| want.contains(&g)) {
            let got = got.unwrap_or_else(|| crate::msg::status::NOT_SET.text().into());
            v.push(dev(
                Check::Attributes,
                sev,
                Some(node),
                m::DEV_ATTR_UNEXPECTED,
                t!(
                    m::DEV_ATTR_UNEXPECTED,
                    node = node,
                    attr = attr,
                    value = got,
                    want = want.join(" or ")
                ),
                None,
            ));
        }
    };
    // A node that is not online and clean has no trustworthy attributes, and while the
    // primary itself is in trouble (or there is none) the standby's scores are in
    // transition: the node deviation, or "no node is primary", says what matters then.
    let up = |node: &str| c.state.node(node).is_some_and(|x| x.online && !x.unclean);
    if c.primary.is_none_or(|p| !up(p)) {
        return;
    }
    if let Some(p) = c.primary {
        check(p, n.status_attr(), &["PRI"], Severity::Warning, v);
        check(p, n.data_status_attr(), &["LATEST"], Severity::Warning, v);
        check(p, n.promotion_attr(), &["1000"], Severity::Warning, v);
    }
    if let Some(s) = c.standby.filter(|s| up(s)) {
        let status = c.state.attr(s, &n.status_attr()).map(|a| a.value.as_str());
        let data = c
            .state
            .attr(s, &n.data_status_attr())
            .map(|a| a.value.as_str());
        let lost = matches!(status, Some("HS:alone")) || matches!(data, Some("DISCONNECT"));
        if lost {
            let st = status.unwrap_or(crate::msg::status::NOT_SET.text());
            let ds = data.unwrap_or(crate::msg::status::NOT_SET.text());
            v.push(dev(
                Check::Attributes,
                Severity::Fault,
                Some(s),
                m::DEV_REPLICATION_LOST,
                t!(m::DEV_REPLICATION_LOST, node = s, status = st, data = ds),
                Some(crate::msg::status::HINT_DIAGNOSE.text().into()),
            ));
        } else {
            check(s, n.status_attr(), &["HS:sync"], Severity::Warning, v);
            check(
                s,
                n.data_status_attr(),
                &["STREAMING|SYNC"],
                Severity::Warning,
                v,
            );
            check(s, n.promotion_attr(), &["100"], Severity::Warning, v);
        }
    }
    for node in &c.state.nodes {
        if c.state.attr(&node.name, &n.xlog_loc_attr()).is_some() && c.primary.is_some() {
            v.push(dev(
                Check::Attributes,
                Severity::Warning,
                Some(&node.name),
                m::DEV_XLOG_LOC_LEFT,
                t!(
                    m::DEV_XLOG_LOC_LEFT,
                    node = node.name,
                    attr = n.xlog_loc_attr()
                ),
                None,
            ));
        }
    }
}

//! `crm_mon` XML → [`ClusterState`], for both dialects: Pacemaker 2.x
//! `<pacemaker-result>` (schema `xml/api/crm_mon-2.*.rng`) and 1.1 `<crm_mon version=…>`.
//!
//! The two share element and attribute names; 1.1 lacks some attributes (node health,
//! group `managed`, clone `disabled`, resource `blocked`), writes agents as
//! `ocf::heartbeat:pgsql`, spells roles Master/Slave and, from 1.1.18 on, writes fence
//! events with `state=` instead of `status=`. Unknown elements and attributes are ignored.

mod history;

use super::super::model::*;
use super::super::xml::{self, Attrs, Element};
use crate::msg::pcmk as m;
use crate::{t, Error, Result};
use history::{failure, fence_event, node_history};
pub use history::{split_op_key, OpKey};
use std::collections::BTreeMap;

/// What a `<pacemaker-result>` says about its own success (`<status code message>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResultStatus {
    pub code: i64,
    pub message: String,
    /// The `<errors><error>` lines (e.g. "Could not connect to launcher: Connection refused").
    pub errors: Vec<String>,
}

impl ResultStatus {
    pub fn is_ok(&self) -> bool {
        self.code == 0
    }
}

/// The `<status>` of a 2.x result, if the document is one and has it.
pub fn result_status(xml: &str, what: &str) -> Result<Option<ResultStatus>> {
    let root = xml::parse(xml, what)?;
    status_of(&root, what)
}

fn status_of(root: &Element, what: &str) -> Result<Option<ResultStatus>> {
    if root.name != "pacemaker-result" {
        return Ok(None);
    }
    let Some(st) = root.child("status") else {
        return Ok(None);
    };
    let a = Attrs::new(st, what);
    let code = a.opt_i64("code")?.ok_or_else(|| {
        Error::input(
            what,
            t!(m::MISSING_ATTR, element = "status", attribute = "code"),
        )
    })?;
    let errors = st
        .child("errors")
        .map(|e| e.children_named("error").map(error_text).collect())
        .unwrap_or_default();
    Ok(Some(ResultStatus {
        code,
        message: a.opt("message").unwrap_or_default().to_string(),
        errors,
    }))
}

fn error_text(e: &Element) -> String {
    e.text.trim().to_string()
}

pub fn parse(xml: &str, what: &str) -> Result<ClusterState> {
    let root = xml::parse(xml, what)?;
    let dialect = match root.name.as_str() {
        "pacemaker-result" => XmlDialect::PacemakerResult,
        "crm_mon" => XmlDialect::CrmMon11,
        other => {
            return Err(Error::input(what, t!(m::NOT_CRM_MON, root = other))
                .with_hint(t!(m::HINT_CRM_MON_XML)))
        }
    };
    if let Some(st) = status_of(&root, what)? {
        if !st.is_ok() {
            return Err(Error::input(what, failed_message(&st)));
        }
    }
    let ra = Attrs::new(&root, what);
    let (version, api_version) = match dialect {
        XmlDialect::PacemakerResult => (None, ra.opt_string("api-version")),
        XmlDialect::CrmMon11 => (ra.opt_string("version"), None),
    };
    let summary = match root.child("summary") {
        Some(s) => summary(s, what)?,
        None => summary_defaults(),
    };
    let nodes = match root.child("nodes") {
        Some(n) => n
            .children_named("node")
            .map(|n| node(n, what))
            .collect::<Result<_>>()?,
        None => Vec::new(),
    };
    let resources = match root.child("resources") {
        Some(r) => resource_list(r, what)?,
        None => Vec::new(),
    };
    let node_attributes = match root.child("node_attributes") {
        Some(na) => node_attributes(na, what)?,
        None => BTreeMap::new(),
    };
    let node_history = match root.child("node_history") {
        Some(nh) => node_history(nh, what)?,
        None => Vec::new(),
    };
    let failures = match root.child("failures") {
        Some(f) => f
            .children_named("failure")
            .map(|f| failure(f, what))
            .collect::<Result<_>>()?,
        None => Vec::new(),
    };
    let fence_history = match root.child("fence_history") {
        // `status` other than 0: crm_mon could not get the history from the fencer, so
        // the (empty) list says nothing: treat it as not available.
        Some(fh) if Attrs::new(fh, what).opt_i64("status")?.unwrap_or(0) != 0 => None,
        Some(fh) => Some(
            fh.children_named("fence_event")
                .map(|e| fence_event(e, what))
                .collect::<Result<_>>()?,
        ),
        None => None,
    };
    Ok(ClusterState {
        dialect,
        version,
        api_version,
        summary,
        nodes,
        resources,
        node_attributes,
        node_history,
        failures,
        fence_history,
        node_index: Default::default(),
    })
}

/// The one-line description of a failed result: code, message and error lines.
pub fn failed_message(st: &ResultStatus) -> String {
    let errors = if st.errors.is_empty() {
        String::new()
    } else {
        format!(": {}", st.errors.join("; "))
    };
    t!(
        m::CRM_MON_FAILED,
        code = st.code,
        message = st.message,
        errors = errors
    )
}

/// What a document that does not say means: Pacemaker's defaults (documents without
/// <cluster_options> are 1.1.12 and older, or filtered with `--exclude`).
fn summary_defaults() -> Summary {
    Summary {
        stonith_enabled: true,
        ..Summary::default()
    }
}

fn summary(s: &Element, what: &str) -> Result<Summary> {
    let mut out = summary_defaults();
    if let Some(st) = s.child("stack") {
        out.stack = Attrs::new(st, what).opt_string("type");
    }
    if let Some(dc) = s.child("current_dc") {
        let a = Attrs::new(dc, what);
        out.dc_present = a.bool_or("present", false)?;
        if out.dc_present {
            out.dc = a.non_empty("name");
            out.dc_version = a.non_empty("version");
            out.with_quorum = a.opt_bool("with_quorum")?;
        }
    }
    out.last_update = s
        .child("last_update")
        .and_then(|e| Attrs::new(e, what).non_empty("time"));
    out.last_change = s
        .child("last_change")
        .and_then(|e| Attrs::new(e, what).non_empty("time"));
    if let Some(n) = s.child("nodes_configured") {
        out.nodes_configured = Attrs::new(n, what).opt_u32("number")?;
    }
    if let Some(r) = s.child("resources_configured") {
        let a = Attrs::new(r, what);
        out.resources_configured = a.opt_u32("number")?;
        out.resources_disabled = a.opt_u32("disabled")?;
        out.resources_blocked = a.opt_u32("blocked")?;
    }
    if let Some(o) = s.child("cluster_options") {
        let a = Attrs::new(o, what);
        out.stonith_enabled = a.bool_or("stonith-enabled", true)?;
        out.symmetric_cluster = a.opt_bool("symmetric-cluster")?;
        out.no_quorum_policy = a.opt_string("no-quorum-policy");
        out.maintenance_mode = a.bool_or("maintenance-mode", false)?;
        out.stop_all_resources = a.bool_or("stop-all-resources", false)?;
    }
    // Newer crm_mon versions name the cluster in the summary.
    out.cluster_name = s
        .child("cluster_name")
        .and_then(|e| Attrs::new(e, what).non_empty("name"));
    Ok(out)
}

fn node(n: &Element, what: &str) -> Result<ClusterNode> {
    let a = Attrs::new(n, what);
    Ok(ClusterNode {
        name: a.req("name")?.to_string(),
        id: a.opt_string("id"),
        online: a.bool_or("online", false)?,
        standby: a.bool_or("standby", false)?,
        standby_onfail: a.bool_or("standby_onfail", false)?,
        maintenance: a.bool_or("maintenance", false)?,
        pending: a.bool_or("pending", false)?,
        unclean: a.bool_or("unclean", false)?,
        shutdown: a.bool_or("shutdown", false)?,
        expected_up: a.bool_or("expected_up", false)?,
        is_dc: a.bool_or("is_dc", false)?,
        health: a.opt_string("health"),
        resources_running: a.opt_u32("resources_running")?,
        node_type: a.opt_string("type"),
    })
}

fn resource_list(parent: &Element, what: &str) -> Result<Vec<Resource>> {
    parent
        .children
        .iter()
        .filter_map(|c| resource(c, what).transpose())
        .collect()
}

/// One entry of a resource list; `None` for elements that are not resources.
fn resource(el: &Element, what: &str) -> Result<Option<Resource>> {
    let a = Attrs::new(el, what);
    Ok(Some(match el.name.as_str() {
        "resource" => Resource::Primitive(primitive(el, what)?),
        "group" => Resource::Group(Group {
            id: a.req("id")?.to_string(),
            managed: a.bool_or("managed", true)?,
            disabled: a.bool_or("disabled", false)?,
            resources: el
                .children_named("resource")
                .map(|p| primitive(p, what))
                .collect::<Result<_>>()?,
        }),
        "clone" => Resource::Clone(CloneSet {
            id: a.req("id")?.to_string(),
            promotable: a.bool_or("multi_state", false)?,
            unique: a.bool_or("unique", false)?,
            managed: a.bool_or("managed", true)?,
            disabled: a.bool_or("disabled", false)?,
            failed: a.bool_or("failed", false)?,
            failure_ignored: a.bool_or("failure_ignored", false)?,
            instances: resource_list(el, what)?,
        }),
        "bundle" => Resource::Other {
            id: a.req("id")?.to_string(),
            element: el.name.clone(),
        },
        _ => return Ok(None),
    }))
}

fn primitive(el: &Element, what: &str) -> Result<Primitive> {
    let a = Attrs::new(el, what);
    Ok(Primitive {
        id: a.req("id")?.to_string(),
        agent: normalize_agent(a.opt("resource_agent").unwrap_or_default()),
        role: Role::parse(a.req("role")?),
        target_role: a.opt_string("target_role"),
        active: a.bool_or("active", false)?,
        orphaned: a.bool_or("orphaned", false)?,
        blocked: a.bool_or("blocked", false)?,
        managed: a.bool_or("managed", true)?,
        failed: a.bool_or("failed", false)?,
        failure_ignored: a.bool_or("failure_ignored", false)?,
        nodes: el
            .children_named("node")
            .map(|n| Attrs::new(n, what).req("name").map(str::to_string))
            .collect::<Result<_>>()?,
        pending: a.opt_string("pending"),
    })
}

/// 1.1 writes `ocf::heartbeat:pgsql` (empty provider slot); 2.x `ocf:heartbeat:pgsql`.
fn normalize_agent(agent: &str) -> String {
    match agent.strip_prefix("ocf::") {
        Some(rest) => format!("ocf:{rest}"),
        None => agent.to_string(),
    }
}

fn node_attributes(na: &Element, what: &str) -> Result<BTreeMap<String, Vec<Attribute>>> {
    let mut out = BTreeMap::new();
    for n in na.children_named("node") {
        let name = Attrs::new(n, what).req("name")?.to_string();
        let mut attrs = Vec::new();
        for at in n.children_named("attribute") {
            let a = Attrs::new(at, what);
            let attr_name = a.req("name")?;
            // crm_mon never shows `#…` attributes; keep that promise if one slips through.
            if attr_name.starts_with('#') {
                continue;
            }
            attrs.push(Attribute {
                name: attr_name.to_string(),
                value: a.req("value")?.to_string(),
                expected: a.opt_string("expected"),
            });
        }
        out.entry(name).or_insert_with(Vec::new).extend(attrs);
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agents() {
        assert_eq!(
            normalize_agent("ocf::heartbeat:pgsql"),
            "ocf:heartbeat:pgsql"
        );
        assert_eq!(normalize_agent("stonith:fence_lab"), "stonith:fence_lab");
    }

    #[test]
    fn error_lines_survive() {
        let x = "<pacemaker-result><status code=\"102\" message=\"Not connected\"><errors>\
                 <error>error: Could not connect to launcher: Connection refused</error>\
                 <error>a \"quoted\" &amp; line</error></errors></status></pacemaker-result>";
        let st = result_status(x, "t").unwrap().unwrap();
        assert_eq!(st.code, 102);
        assert_eq!(
            st.errors[0],
            "error: Could not connect to launcher: Connection refused"
        );
        assert_eq!(st.errors[1], "a \"quoted\" & line");
    }
}

//! CIB XML (`cibadmin -Q` output or a cib.xml file) → [`CibFacts`]: persistent node
//! attributes, transient attributes of the status section (hidden `#…` ones included),
//! primitive instance parameters and cluster properties.
//!
//! Only what pgrex reads is extracted; the rest of the CIB (constraints, operations, the
//! resource history) is Pacemaker's business and is read through `crm_mon`.

use super::super::cib::{CibFacts, CibNode};
use super::super::xml::{self, Attrs, Element};
use crate::msg::pcmk as m;
use crate::{t, Error, Result};
use std::collections::BTreeMap;

pub fn parse(xml_text: &str, what: &str) -> Result<CibFacts> {
    let root = xml::parse(xml_text, what)?;
    if root.name != "cib" {
        return Err(
            Error::input(what, t!(m::NOT_CIB, root = root.name)).with_hint(t!(m::HINT_CRM_MON_XML))
        );
    }
    let mut facts = CibFacts::default();
    let config = root.child("configuration");
    if let Some(nodes) = config.and_then(|c| c.child("nodes")) {
        for n in nodes.children_named("node") {
            let a = Attrs::new(n, what);
            facts.nodes.push(CibNode {
                id: a.req("id")?.to_string(),
                // A node known only by id (never joined) has no uname; use its id.
                uname: a.opt("uname").unwrap_or(a.req("id")?).to_string(),
                attributes: nvpairs(n, "instance_attributes", what)?,
            });
        }
    }
    if let Some(resources) = config.and_then(|c| c.child("resources")) {
        primitives(resources, what, &mut facts.primitive_params, 0)?;
    }
    if let Some(crm_config) = config.and_then(|c| c.child("crm_config")) {
        facts.properties = nvpairs(crm_config, "cluster_property_set", what)?;
    }
    if let Some(status) = root.child("status") {
        facts.has_status = true;
        for ns in status.children_named("node_state") {
            let a = Attrs::new(ns, what);
            let id = a.req("id")?;
            let uname = match a.opt("uname") {
                Some(u) => u.to_string(),
                None => facts
                    .nodes
                    .iter()
                    .find(|n| n.id == id)
                    .map_or(id, |n| &n.uname)
                    .to_string(),
            };
            let mut attrs = BTreeMap::new();
            for ta in ns.children_named("transient_attributes") {
                attrs.extend(nvpairs(ta, "instance_attributes", what)?);
            }
            if !attrs.is_empty() {
                facts
                    .transient
                    .entry(uname)
                    .or_insert_with(BTreeMap::new)
                    .extend(attrs);
            }
        }
    }
    Ok(facts)
}

/// Every `<set>/<nvpair name value>` under `parent`, for sets named `set`. References
/// (`<nvpair id-ref=…>`) and sets pulled in by reference are skipped: they carry no value
/// here. A later pair with the same name wins, as a later set does in Pacemaker for equal
/// scores.
fn nvpairs(parent: &Element, set: &str, what: &str) -> Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for s in parent.children_named(set) {
        for p in s.children_named("nvpair") {
            let a = Attrs::new(p, what);
            if a.opt("id-ref").is_some() && a.opt("name").is_none() {
                continue;
            }
            // A pair without a value means "unset" (allowed by the schema).
            out.insert(
                a.req("name")?.to_string(),
                a.opt("value").unwrap_or_default().to_string(),
            );
        }
    }
    Ok(out)
}

/// Instance parameters of every primitive, wherever it sits (group, clone, master, bundle).
fn primitives(
    el: &Element,
    what: &str,
    out: &mut BTreeMap<String, BTreeMap<String, String>>,
    depth: usize,
) -> Result<()> {
    for c in &el.children {
        match c.name.as_str() {
            "primitive" => {
                let id = Attrs::new(c, what).req("id")?.to_string();
                out.insert(id, nvpairs(c, "instance_attributes", what)?);
            }
            "group" | "clone" | "master" | "bundle" if depth < 4 => {
                primitives(c, what, out, depth + 1)?
            }
            _ => {}
        }
    }
    Ok(())
}

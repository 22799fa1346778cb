//! Talking to the cluster inside a node: wait for the DC, load the CIB, read attributes.

use crate::cib;
use crate::node::{sh, try_sh};
use crate::state::Lab;
use crate::sys::wait_until;
use anyhow::{bail, Result};
use std::time::Duration;

pub fn wait_dc(lab: &Lab, node: &str, limit: Duration) -> Result<()> {
    if !wait_until(limit, Duration::from_millis(250), || {
        let (ok, out) = try_sh(lab, node, "crm_mon -1 --output-as=xml 2>/dev/null");
        ok && out.contains("<current_dc present=\"true\"")
    }) {
        bail!("no DC elected on {node} within {} s", limit.as_secs());
    }
    Ok(())
}

/// Load the profile's configuration in one `cibadmin --replace` of the configuration section
/// (keeping the nodes the cluster already recorded).
pub fn load(lab: &Lab, node: &str, profile: &str) -> Result<()> {
    // Keep what the cluster wrote itself (nodes; dc-version, cluster-infrastructure, …): the
    // lab's properties are already there from the bootstrap cib.xml.
    let nodes = sh(lab, node, "cibadmin -Q --scope nodes")?;
    let props = sh(lab, node, "cibadmin -Q --scope crm_config")?;
    let (res, cons, defs) = cib::sections(profile, lab.pg_bin());
    let xml = format!(
        "<configuration>{}{}<resources>{res}</resources><constraints>{cons}</constraints><rsc_defaults>{defs}</rsc_defaults></configuration>\n",
        props.trim(),
        nodes.trim()
    );
    let f = lab.dir.join("configuration.xml");
    std::fs::write(&f, xml)?;
    sh(
        lab,
        node,
        &format!(
            "cibadmin --replace --scope configuration --xml-file {}",
            f.display()
        ),
    )?;
    Ok(())
}

/// A transient node attribute as seen from `on`.
pub fn attr(lab: &Lab, on: &str, node: &str, name: &str) -> Option<String> {
    let (ok, out) = try_sh(
        lab,
        on,
        &format!("crm_attribute -l reboot -N {node} -n {name} -G -q 2>/dev/null"),
    );
    ok.then(|| out.trim().to_string())
}

pub fn wait_attr(
    lab: &Lab,
    on: &str,
    node: &str,
    name: &str,
    want: &str,
    limit: Duration,
) -> Result<()> {
    if !wait_until(limit, Duration::from_millis(250), || {
        attr(lab, on, node, name).as_deref() == Some(want)
    }) {
        bail!(
            "{node} did not reach {name}={want} within {} s (now: {:?}); see `pgrex-lab exec {on} -- crm_mon -1 -rfA`",
            limit.as_secs(),
            attr(lab, on, node, name)
        );
    }
    Ok(())
}

/// crm_mon XML as seen on a node.
pub fn crm_mon_xml(lab: &Lab, on: &str) -> Option<String> {
    let (ok, out) = try_sh(lab, on, "crm_mon --output-as=xml -1 --inactive 2>/dev/null");
    ok.then_some(out)
}

/// Wait until every configured resource is active where the healthy layout wants it.
pub fn wait_settled(lab: &Lab, on: &str, profile: &str, limit: Duration) -> Result<()> {
    let n = cib::names(profile);
    let mut want: Vec<String> = vec![
        n.vip_primary.into(),
        n.vip_rep.into(),
        n.stonith[0].into(),
        n.stonith[1].into(),
    ];
    if let Some(v) = n.vip_standby {
        want.push(v.into());
    }
    if !wait_until(limit, Duration::from_millis(500), || {
        let Some(x) = crm_mon_xml(lab, on) else {
            return false;
        };
        want.iter().all(|r| {
            x.contains(&format!("<resource id=\"{r}\"")) && {
                let i = x.find(&format!("<resource id=\"{r}\"")).unwrap_or(0);
                x[i..]
                    .split('>')
                    .next()
                    .unwrap_or("")
                    .contains("active=\"true\"")
            }
        })
    }) {
        bail!("the cluster did not settle within {} s", limit.as_secs());
    }
    // Then until the view is stable for 3 s (at most 20 s): crm_mon's "(Monitoring)" pending
    // marks are not a reliable signal, a recurring monitor's first run may keep one.
    let view = || {
        let x = crm_mon_xml(lab, on).unwrap_or_default();
        let a = x.find("<nodes>").unwrap_or(0);
        let b = x.find("<node_history>").unwrap_or(x.len()).max(a);
        x[a..b].to_string()
    };
    let t0 = std::time::Instant::now();
    let mut last = view();
    let mut since = std::time::Instant::now();
    while t0.elapsed() < Duration::from_secs(20) && since.elapsed() < Duration::from_secs(3) {
        std::thread::sleep(Duration::from_millis(500));
        let now = view();
        if now != last {
            last = now;
            since = std::time::Instant::now();
        }
    }
    Ok(())
}

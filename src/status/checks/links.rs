//! Row "interconnect" (live only): every corosync link shows every peer connected.

use super::*;

/// `corosync-cfgtool -s`: every link must show every peer `connected`. Some links down is a
/// degraded interconnect (warning); all links to a peer down is an interconnect failure.
pub(super) fn links(c: &Observed, l: &crate::snapshot::CorosyncStatus, v: &mut Vec<Deviation>) {
    let total = l.links.len();
    for peer in l.peer_ids() {
        let down = l.down_links_to(peer);
        if down.is_empty() {
            continue;
        }
        let name = c.node_name(peer);
        let ids = down
            .iter()
            .map(u32::to_string)
            .collect::<Vec<_>>()
            .join(", ");
        let (sev, msg) = if down.len() == total {
            (Severity::Fault, m::DEV_LINKS_ALL_DOWN)
        } else {
            (Severity::Warning, m::DEV_LINKS_SOME_DOWN)
        };
        v.push(dev(
            Check::Links,
            sev,
            Some(&name),
            msg,
            t!(msg, node = name, links = ids, total = total),
            Some(crate::msg::status::HINT_DIAGNOSE.text().into()),
        ));
    }
    for link in l.links.iter().filter(|k| k.faulty == Some(true)) {
        v.push(dev(
            Check::Links,
            Severity::Warning,
            None,
            m::DEV_RING_FAULTY,
            t!(m::DEV_RING_FAULTY, id = link.id),
            Some(crate::msg::status::HINT_DIAGNOSE.text().into()),
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pacemaker::ClusterState;
    use crate::profile::Names;
    use crate::snapshot::{CorosyncStatus, Link, LinkPeer, LinkState};

    fn cs(states: &[LinkState]) -> CorosyncStatus {
        CorosyncStatus {
            local_nodeid: Some(1),
            transport: Some("knet".into()),
            links: states
                .iter()
                .enumerate()
                .map(|(i, st)| Link {
                    id: i as u32,
                    addr: None,
                    peers: vec![
                        LinkPeer {
                            nodeid: 1,
                            state: LinkState::Localhost,
                        },
                        LinkPeer {
                            nodeid: 2,
                            state: st.clone(),
                        },
                    ],
                    faulty: None,
                })
                .collect(),
        }
    }

    fn state() -> ClusterState {
        let xml = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/status/pgrex17/healthy.xml"
        ))
        .unwrap();
        crate::pacemaker::parse::crm_mon(&xml, "healthy.xml").unwrap()
    }

    fn link_devs(l: &CorosyncStatus) -> Vec<Deviation> {
        let st = state();
        let names = Names::defaults(crate::profile::Profile::Pgrex17);
        let c = Observed::new(&st, &names, None);
        let mut v = Vec::new();
        links(&c, l, &mut v);
        v
    }

    #[test]
    fn all_links_connected_is_normal() {
        assert!(link_devs(&cs(&[LinkState::Connected, LinkState::Connected])).is_empty());
    }

    #[test]
    fn one_of_two_links_down_is_a_warning_naming_the_peer() {
        let v = link_devs(&cs(&[LinkState::Connected, LinkState::Disconnected]));
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].severity, Severity::Warning);
        assert_eq!(v[0].id, m::DEV_LINKS_SOME_DOWN.id);
        assert_eq!(v[0].node.as_deref(), Some("pm02"));
    }

    #[test]
    fn every_link_down_is_a_fault() {
        let v = link_devs(&cs(&[LinkState::Disconnected, LinkState::Disconnected]));
        assert_eq!(v[0].severity, Severity::Fault);
        assert_eq!(v[0].id, m::DEV_LINKS_ALL_DOWN.id);
    }
}

//! `corosync-cfgtool -s`: the state of every interconnect link as this node sees it.
//!
//! Corosync 3 (knet) prints, per link, the link's local address and one line per node:
//! `nodeid:  2:<TAB>connected` (`localhost` for this node, `disconnected` for a peer it cannot
//! reach). Corosync 3.0 wrote `nodeid  2:` without the colon. Corosync 2 (totem rings, the
//! seed era) prints `RING ID n` blocks with `status = ring n active with no faults` or a
//! `FAULTY` status instead of per-node lines; such a ring becomes a link with no peers and
//! its `faulty` flag set.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CorosyncStatus {
    pub local_nodeid: Option<u32>,
    /// `knet`, `udpu`, … when printed.
    pub transport: Option<String>,
    pub links: Vec<Link>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub id: u32,
    pub addr: Option<String>,
    pub peers: Vec<LinkPeer>,
    /// Corosync 2 rings only: the ring reports a fault.
    pub faulty: Option<bool>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkPeer {
    pub nodeid: u32,
    pub state: LinkState,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LinkState {
    Localhost,
    Connected,
    Disconnected,
    Other(String),
}

impl CorosyncStatus {
    /// Links on which the node `nodeid` is disconnected (or, for rings, faulty links).
    pub fn down_links_to(&self, nodeid: u32) -> Vec<u32> {
        self.links
            .iter()
            .filter(|l| {
                l.faulty == Some(true)
                    || l.peers
                        .iter()
                        .any(|p| p.nodeid == nodeid && p.state == LinkState::Disconnected)
            })
            .map(|l| l.id)
            .collect()
    }

    /// Node ids other than this node that appear on any link.
    pub fn peer_ids(&self) -> Vec<u32> {
        let mut v: Vec<u32> = self
            .links
            .iter()
            .flat_map(|l| l.peers.iter())
            .filter(|p| p.state != LinkState::Localhost && Some(p.nodeid) != self.local_nodeid)
            .map(|p| p.nodeid)
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    }
}

/// Parse the output of `corosync-cfgtool -s`. `what` names the source in errors.
pub fn parse(text: &str, what: &str) -> crate::Result<CorosyncStatus> {
    let mut st = CorosyncStatus::default();
    for raw in text.lines() {
        let line = raw.trim();
        if let Some(rest) = line.strip_prefix("Local node ID ") {
            // `Local node ID 1, transport knet` (3.1) or `Local node ID 1` (2.x, 3.0).
            let mut parts = rest.splitn(2, ',');
            st.local_nodeid = parts.next().and_then(|n| n.trim().parse().ok());
            st.transport = parts
                .next()
                .and_then(|t| t.trim().strip_prefix("transport "))
                .map(|t| t.trim().to_string());
        } else if let Some(rest) = line
            .strip_prefix("LINK ID ")
            .or_else(|| line.strip_prefix("RING ID "))
        {
            let id = rest
                .split_whitespace()
                .next()
                .and_then(|n| n.parse().ok())
                .ok_or_else(|| {
                    crate::Error::input(
                        what,
                        crate::t!(crate::msg::view::CORO_BAD_LINK, line = line),
                    )
                })?;
            st.links.push(Link {
                id,
                ..Default::default()
            });
        } else if let Some(link) = st.links.last_mut() {
            if let Some(v) = key_value(line, "addr").or_else(|| key_value(line, "id")) {
                link.addr = Some(v.to_string());
            } else if let Some(v) = key_value(line, "status") {
                // Corosync 2: `status = ring 0 active with no faults` / `Marking ringid 0 interface … FAULTY`.
                link.faulty = Some(v.to_ascii_uppercase().contains("FAULTY"));
            } else if let Some(peer) = node_line(line) {
                link.peers.push(peer);
            }
        }
    }
    if st.links.is_empty() {
        return Err(crate::Error::input(
            what,
            crate::msg::view::CORO_NO_LINKS.text(),
        ));
    }
    Ok(st)
}

/// `addr<TAB>= 192.0.2.1` → `192.0.2.1`.
fn key_value<'a>(line: &'a str, key: &str) -> Option<&'a str> {
    let rest = line.strip_prefix(key)?;
    let rest = rest.trim_start();
    rest.strip_prefix('=').map(str::trim)
}

/// `nodeid:          2:<TAB>connected` or `nodeid  2:<TAB>connected`.
fn node_line(line: &str) -> Option<LinkPeer> {
    let rest = line.strip_prefix("nodeid")?;
    let rest = rest.trim_start_matches(':').trim_start();
    let (id, state) = rest.split_once(':')?;
    let nodeid = id.trim().parse().ok()?;
    let state = match state.trim() {
        "localhost" => LinkState::Localhost,
        "connected" => LinkState::Connected,
        "disconnected" => LinkState::Disconnected,
        other => LinkState::Other(other.to_string()),
    };
    Some(LinkPeer { nodeid, state })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The shape corosync 3.1.7 (Debian 12) prints for a two-node knet cluster with two links.
    const KNET_ONE_DOWN: &str = "Local node ID 1, transport knet\n\
LINK ID 0 udp\n\taddr\t= 192.0.2.11\n\tstatus:\n\t\tnodeid:          1:\tlocalhost\n\t\tnodeid:          2:\tconnected\n\
LINK ID 1 udp\n\taddr\t= 198.51.100.11\n\tstatus:\n\t\tnodeid:          1:\tlocalhost\n\t\tnodeid:          2:\tdisconnected\n";

    #[test]
    fn knet_links_and_states() {
        let s = parse(KNET_ONE_DOWN, "t").unwrap();
        assert_eq!(s.local_nodeid, Some(1));
        assert_eq!(s.transport.as_deref(), Some("knet"));
        assert_eq!(s.links.len(), 2);
        assert_eq!(s.links[1].addr.as_deref(), Some("198.51.100.11"));
        assert_eq!(s.links[0].peers[0].state, LinkState::Localhost);
        assert_eq!(s.down_links_to(2), vec![1]);
        assert_eq!(s.peer_ids(), vec![2]);
    }

    #[test]
    fn recorded_in_the_lab() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/diagnose/lab/");
        let read = |f: &str| std::fs::read_to_string(format!("{dir}{f}")).unwrap();
        let healthy = parse(&read("corosync-cfgtool-s.healthy.txt"), "t").unwrap();
        assert_eq!(healthy.links.len(), 2);
        assert!(healthy.down_links_to(2).is_empty());
        let pm02 = parse(&read("corosync-cfgtool-s.link-degraded.pm02.txt"), "t").unwrap();
        assert_eq!(pm02.local_nodeid, Some(2));
        assert_eq!(pm02.peer_ids(), vec![1]);
        assert_eq!(pm02.down_links_to(1), vec![1]);
        let pm01 = parse(&read("corosync-cfgtool-s.link-degraded.pm01.txt"), "t").unwrap();
        assert_eq!(pm01.down_links_to(2), vec![1]);
        assert_eq!(pm01.links[1].addr.as_deref(), Some("203.0.113.139"));
    }

    #[test]
    fn corosync_3_0_spelling() {
        let t = "Printing link status.\nLocal node ID 2\nLINK ID 0\n\taddr\t= 192.0.2.12\n\tstatus:\n\t\tnodeid  1:\tdisconnected\n\t\tnodeid  2:\tlocalhost\n";
        let s = parse(t, "t").unwrap();
        assert_eq!(s.local_nodeid, Some(2));
        assert_eq!(s.transport, None);
        assert_eq!(s.down_links_to(1), vec![0]);
    }

    #[test]
    fn corosync_2_rings() {
        let t = "Printing ring status.\nLocal node ID 1\nRING ID 0\n\tid\t= 192.0.2.11\n\tstatus\t= ring 0 active with no faults\nRING ID 1\n\tid\t= 198.51.100.11\n\tstatus\t= Marking ringid 1 interface 198.51.100.11 FAULTY\n";
        let s = parse(t, "t").unwrap();
        assert_eq!(s.links[0].faulty, Some(false));
        assert_eq!(s.links[1].faulty, Some(true));
        assert_eq!(s.down_links_to(2), vec![1]);
    }

    #[test]
    fn garbage_is_an_input_error() {
        let e = parse(
            "Could not initialize corosync configuration API error 2\n",
            "corosync-cfgtool -s",
        )
        .unwrap_err();
        assert!(e.to_string().contains("no `LINK ID`"), "{e}");
    }
}

/// Where corosync's configuration lives on a PG-REX node.
pub const COROSYNC_CONF: &str = "/etc/corosync/corosync.conf";

/// `totem { cluster_name: NAME }` of a corosync.conf text (the name `pcs cluster setup` gives).
pub fn cluster_name(conf: &str) -> Option<String> {
    conf.lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .find_map(|l| {
            l.strip_prefix("cluster_name:")
                .map(|v| v.trim().to_string())
        })
        .filter(|v| !v.is_empty())
}

#[cfg(test)]
mod name_tests {
    #[test]
    fn cluster_name_from_totem() {
        let conf = "totem {\n  version: 2\n  # cluster_name: old\n  cluster_name: pgrex_cluster\n  transport: knet\n}\n";
        assert_eq!(super::cluster_name(conf).as_deref(), Some("pgrex_cluster"));
        assert_eq!(super::cluster_name("totem {\n}\n"), None);
    }
}

//! D-LAN and IC-LAN addresses: parsing the values, and telling this node's address from the
//! peer's (spec §1.2, the Perl `My_*` / `Another_*` derivation).
//!
//! The derivation is pure: it takes this host's addresses as an argument, so tests need no
//! network. [`local_addresses`] reads them with `getifaddrs()` (no `ifconfig`, spec [Rec]).

use super::diag::Diag;
use super::keys::{D_LAN, IC_LAN};
use super::lexer::split_list;
use crate::msg::config as m;
use crate::{t, Error, Result};
use regex::Regex;
use std::net::IpAddr;
use std::sync::LazyLock;

/// The D-LAN: replication network; the peer is reached by ssh on `peer`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DLan {
    pub mine: IpAddr,
    pub peer: IpAddr,
}

/// One interconnect (corosync) ring.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IcPair {
    pub mine: IpAddr,
    pub peer: IpAddr,
}

/// This host's addresses, IPv4 and IPv6, from every interface.
pub fn local_addresses() -> Result<Vec<IpAddr>> {
    let ifs = nix::ifaddrs::getifaddrs().map_err(|e| {
        Error::other(t!(m::LOCAL_ADDRS_FAILED), Some(t!(m::NO_LOCAL_ADDRS_HINT))).with_source(e)
    })?;
    let mut out = Vec::new();
    for ifa in ifs {
        let Some(addr) = ifa.address else { continue };
        if let Some(v4) = addr.as_sockaddr_in() {
            out.push(IpAddr::V4(v4.ip()));
        } else if let Some(v6) = addr.as_sockaddr_in6() {
            out.push(IpAddr::V6(v6.ip()));
        }
    }
    out.dedup();
    Ok(out)
}

/// `D_LAN_IPAddress`: exactly two addresses (Perl COMMON_MS0007), each a valid IP address.
pub(crate) fn parse_dlan(d: &Diag, line: usize, value: &str) -> Result<[IpAddr; 2]> {
    let parts = split_list(value);
    if parts.len() != 2 {
        return Err(d.error(
            line,
            Some(D_LAN),
            t!(m::DLAN_COUNT, count = parts.len()),
            t!(m::DLAN_COUNT_HINT),
        ));
    }
    Ok([
        parse_ip(d, line, D_LAN, parts[0])?,
        parse_ip(d, line, D_LAN, parts[1])?,
    ])
}

static ONE_RING: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*\(\s*([^)]+?)\s*\)\s*$").expect("static regex"));
static TWO_RINGS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*\(\s*([^)]+?)\s*\)\s*,\s*\(\s*([^)]+?)\s*\)\s*$").expect("static regex")
});

/// `IC_LAN_IPAddress`: the text inside each ring's parentheses (Perl COMMON_MS0057 when the
/// shape is wrong; more than two rings is wrong).
pub(crate) fn ic_ring_texts(d: &Diag, line: usize, value: &str) -> Result<Vec<String>> {
    let caps = ONE_RING
        .captures(value)
        .or_else(|| TWO_RINGS.captures(value));
    match caps {
        Some(c) => Ok(c
            .iter()
            .skip(1)
            .flatten()
            .map(|g| g.as_str().to_string())
            .collect()),
        None => Err(d.error(
            line,
            Some(IC_LAN),
            t!(m::IC_FORMAT, value = value),
            t!(m::IC_FORMAT_HINT),
        )),
    }
}

/// One ring's text: exactly two addresses (Perl COMMON_MS0007).
pub(crate) fn parse_ic_ring(d: &Diag, line: usize, ring: usize, text: &str) -> Result<[IpAddr; 2]> {
    let parts = split_list(text);
    if parts.len() != 2 {
        return Err(d.error(
            line,
            Some(IC_LAN),
            t!(m::IC_COUNT, ring = ring, pair = text, count = parts.len()),
            t!(m::IC_COUNT_HINT),
        ));
    }
    Ok([
        parse_ip(d, line, IC_LAN, parts[0])?,
        parse_ip(d, line, IC_LAN, parts[1])?,
    ])
}

fn parse_ip(d: &Diag, line: usize, key: &str, s: &str) -> Result<IpAddr> {
    s.parse().map_err(|_| {
        d.error(
            line,
            Some(key),
            t!(m::ADDR_INVALID, key = key, value = s),
            t!(m::ADDR_INVALID_HINT),
        )
    })
}

/// This host must have at least one address (Perl COMMON_MS0008).
pub(crate) fn require_local(d: &Diag, local: &[IpAddr]) -> Result<()> {
    if local.is_empty() {
        return Err(d.error(0, None, t!(m::NO_LOCAL_ADDRS), t!(m::NO_LOCAL_ADDRS_HINT)));
    }
    Ok(())
}

/// Which of two addresses is this node's: exactly one must be local. `shown` is the text
/// the messages quote (the D-LAN value, or `(a, b)` for a ring).
pub(crate) fn mine_and_peer(
    d: &Diag,
    line: usize,
    key: &str,
    shown: &str,
    pair: [IpAddr; 2],
    local: &[IpAddr],
) -> Result<(IpAddr, IpAddr)> {
    let is_local = |a: &IpAddr| local.contains(a);
    match (is_local(&pair[0]), is_local(&pair[1])) {
        (true, false) => Ok((pair[0], pair[1])),
        (false, true) => Ok((pair[1], pair[0])),
        (false, false) => {
            // Loopback addresses only lengthen the hint.
            let list: Vec<String> = local
                .iter()
                .filter(|a| !a.is_loopback())
                .map(ToString::to_string)
                .collect();
            Err(d.error(
                line,
                Some(key),
                t!(m::NONE_LOCAL, key = key, value = shown),
                t!(m::NONE_LOCAL_HINT, key = key, local = list.join(", ")),
            ))
        }
        (true, true) => Err(d.error(
            line,
            Some(key),
            t!(m::BOTH_LOCAL, key = key, value = shown),
            t!(
                m::BOTH_LOCAL_HINT,
                example = format!("{key} = {}", super::keys::example(key))
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn dd() -> Diag<'static> {
        Diag {
            path: Path::new("/t.conf"),
        }
    }

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn message(e: Error) -> (usize, Option<String>, String) {
        match e {
            Error::Config {
                line, key, message, ..
            } => (line, key, message),
            other => panic!("not a config error: {other:?}"),
        }
    }

    #[test]
    fn dlan_two_addresses() {
        assert_eq!(
            parse_dlan(&dd(), 1, "198.51.100.11 , 198.51.100.12").unwrap(),
            [ip("198.51.100.11"), ip("198.51.100.12")]
        );
        assert_eq!(
            parse_dlan(&dd(), 1, "198.51.100.11,198.51.100.12,").unwrap()[1],
            ip("198.51.100.12")
        );
        assert_eq!(
            parse_dlan(&dd(), 1, "2001:db8::1 , 2001:db8::2").unwrap()[0],
            ip("2001:db8::1")
        );
    }

    #[test]
    fn dlan_wrong_count() {
        let (line, key, msg) =
            message(parse_dlan(&dd(), 12, "1.1.1.1 , 1.1.1.2 , 1.1.1.3").unwrap_err());
        assert_eq!((line, key.as_deref()), (12, Some(D_LAN)));
        assert_eq!(
            msg,
            "D_LAN_IPAddress must list exactly 2 addresses, found 3"
        );
        assert!(message(parse_dlan(&dd(), 1, "1.1.1.1").unwrap_err())
            .2
            .contains("found 1"));
    }

    #[test]
    fn dlan_not_an_address() {
        let (_, _, msg) = message(parse_dlan(&dd(), 1, "pm01 , pm02").unwrap_err());
        assert_eq!(msg, "D_LAN_IPAddress: `pm01` is not an IP address");
        let (_, _, msg) = message(parse_dlan(&dd(), 1, "1.1.1.1 , , 1.1.1.2").unwrap_err());
        assert!(msg.contains("found 3"), "{msg}");
    }

    #[test]
    fn ic_one_and_two_rings() {
        assert_eq!(
            ic_ring_texts(&dd(), 1, "(203.0.113.11, 203.0.113.12)").unwrap(),
            ["203.0.113.11, 203.0.113.12"]
        );
        assert_eq!(
            ic_ring_texts(&dd(), 1, " ( a , b ) , ( c ,d ) ").unwrap(),
            ["a , b", "c ,d"]
        );
        assert_eq!(
            ic_ring_texts(&dd(), 1, "(a,b),(c,d)").unwrap(),
            ["a,b", "c,d"]
        );
    }

    #[test]
    fn ic_malformed() {
        for bad in [
            "203.0.113.11, 203.0.113.12",
            "(a, b",
            "(a, b), (c, d), (e, f)",
            "(a, b) (c, d)",
            "()",
            "(a, b),",
        ] {
            let (line, key, msg) = message(ic_ring_texts(&dd(), 4, bad).unwrap_err());
            assert_eq!((line, key.as_deref()), (4, Some(IC_LAN)), "{bad}");
            assert!(
                msg.starts_with("IC_LAN_IPAddress must be one or two parenthesised"),
                "{bad}: {msg}"
            );
        }
    }

    #[test]
    fn ic_ring_counts() {
        assert_eq!(
            parse_ic_ring(&dd(), 1, 1, "203.0.113.11 , 203.0.113.12").unwrap()[1],
            ip("203.0.113.12")
        );
        let (_, _, msg) = message(parse_ic_ring(&dd(), 1, 2, "203.0.113.11").unwrap_err());
        assert_eq!(
            msg,
            "IC_LAN_IPAddress ring 2 `(203.0.113.11)` must hold exactly 2 addresses, found 1"
        );
    }

    #[test]
    fn mine_is_the_local_one() {
        let pair = [ip("198.51.100.11"), ip("198.51.100.12")];
        let local = [ip("127.0.0.1"), ip("198.51.100.12")];
        assert_eq!(
            mine_and_peer(&dd(), 1, D_LAN, "x", pair, &local).unwrap(),
            (pair[1], pair[0])
        );
        let local = [ip("198.51.100.11")];
        assert_eq!(
            mine_and_peer(&dd(), 1, D_LAN, "x", pair, &local).unwrap(),
            (pair[0], pair[1])
        );
    }

    #[test]
    fn none_local_and_both_local() {
        let pair = [ip("198.51.100.11"), ip("198.51.100.12")];
        let shown = "198.51.100.11 , 198.51.100.12";
        let (_, _, msg) =
            message(mine_and_peer(&dd(), 3, D_LAN, shown, pair, &[ip("10.0.0.1")]).unwrap_err());
        assert_eq!(
            msg,
            "D_LAN_IPAddress: none of `198.51.100.11 , 198.51.100.12` is an address of this host"
        );
        let (_, _, msg) = message(mine_and_peer(&dd(), 3, D_LAN, shown, pair, &pair).unwrap_err());
        assert!(msg.contains("every address"), "{msg}");
        // The same address twice, and local: no peer.
        let same = [pair[0], pair[0]];
        assert!(
            message(mine_and_peer(&dd(), 3, D_LAN, shown, same, &pair).unwrap_err())
                .2
                .contains("every address")
        );
    }

    #[test]
    fn no_local_addresses() {
        let (line, key, msg) = message(require_local(&dd(), &[]).unwrap_err());
        assert_eq!((line, key), (0, None));
        assert_eq!(msg, "no IP address found on this host's network interfaces");
    }

    #[test]
    fn this_host_has_loopback() {
        let l = local_addresses().unwrap();
        assert!(l.contains(&ip("127.0.0.1")), "{l:?}");
    }
}

//! Where pg_rewind reads the primary from (`REWIND_VIA_SSH_TUNNEL`, spec §3.2 REWIND steps
//! 2–3): straight to the peer's D-LAN address, or — as the Perl tool always does — through
//! a port on this machine's `127.0.0.1` forwarded over the one SSH session to the peer's
//! own `127.0.0.1`, so a `pg_hba.conf` that lets `postgres` in only from localhost still
//! works. `auto` tries the direct connection first (one `psql`, 10 s) and takes the tunnel
//! when the primary does not accept it, saying why. The base backup never uses the
//! tunnel: it connects as the replication user, which the D-LAN entry allows.

use crate::config::RewindVia;
use crate::exec::Cmd;
use crate::msg::standby as m;
use crate::node::{Node, RunAs};
use crate::ops::pg::PgParams;
use crate::ops::StepCx;
use crate::{t, Result};
use std::time::Duration;

/// How pg_rewind reaches the primary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Direct,
    /// Through the SSH tunnel; `reason`: why the direct connection was not used.
    Tunnel {
        reason: String,
    },
}

/// How the route is chosen, for a dry run's description.
pub fn via_text(via: RewindVia) -> String {
    match via {
        RewindVia::Auto => t!(m::VIA_AUTO),
        RewindVia::Always => t!(m::VIA_ALWAYS),
        RewindVia::Never => t!(m::VIA_NEVER),
    }
}

/// The libpq connection string of pg_rewind's source, every value quoted.
pub fn conninfo(host: &str, port: u16) -> String {
    crate::ops::pg_values::conninfo(&[
        ("host", host),
        ("port", &port.to_string()),
        ("user", "postgres"),
        ("dbname", "postgres"),
        ("connect_timeout", "10"),
    ])
}

/// The direct connection's probe: what pg_rewind will do first, as the same user.
pub fn probe_cmd(p: &PgParams, peer_addr: &str, port: u16) -> Cmd {
    p.program("psql")
        .args(["-w", "-X", "-A", "-t", "-q", "-c", "SELECT 1", "-d"])
        .arg(conninfo(peer_addr, port))
        .timeout(Duration::from_secs(20))
}

/// psql's reason in one line (`psql: error: ` and the server prefix dropped).
fn reason_of(stderr: &str, stdout: &str) -> String {
    let text = if stderr.trim().is_empty() {
        stdout
    } else {
        stderr
    };
    let line = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or("psql failed without a message");
    let line = line.strip_prefix("psql: error: ").unwrap_or(line);
    line.strip_prefix("FATAL:  ").unwrap_or(line).to_string()
}

/// Decide the route; under `auto` the direct connection is tried from `local`.
pub fn choose(
    local: &dyn Node,
    p: &PgParams,
    via: RewindVia,
    peer_addr: &str,
    port: u16,
) -> Result<Route> {
    Ok(match via {
        RewindVia::Never => Route::Direct,
        RewindVia::Always => Route::Tunnel {
            reason: t!(m::TUNNEL_ALWAYS),
        },
        RewindVia::Auto => {
            let out = local.output(&probe_cmd(p, peer_addr, port), &RunAs::postgres())?;
            if out.status.success() {
                Route::Direct
            } else {
                Route::Tunnel {
                    reason: t!(
                        m::TUNNEL_FALLBACK,
                        addr = peer_addr,
                        port = port,
                        reason = reason_of(&out.stderr, &out.stdout)
                    ),
                }
            }
        }
    })
}

/// Run `f` with the source's (host, port): the peer's address, or the tunnel's local end.
pub fn with_source(
    cx: &StepCx,
    peer: &dyn Node,
    route: &Route,
    peer_addr: &str,
    port: u16,
    f: &mut dyn FnMut(&str, u16) -> Result<()>,
) -> Result<()> {
    match route {
        Route::Direct => f(peer_addr, port),
        Route::Tunnel { reason } => {
            cx.rep().detail(cx.step, reason);
            let mut r = None;
            peer.forward("127.0.0.1", port, &mut |local_port| {
                cx.rep().detail(
                    cx.step,
                    &t!(
                        m::TUNNEL_OPEN,
                        local = local_port,
                        peer = peer.describe(),
                        port = port
                    ),
                );
                r = Some(f("127.0.0.1", local_port));
            })
            .map_err(|e| {
                crate::Error::other(t!(m::TUNNEL_FAILED), Some(t!(m::TUNNEL_FAILED_HINT)))
                    .with_source(e)
            })?;
            r.unwrap_or(Ok(()))
        }
    }
}

/// The hint of a failed pg_rewind: a tunnel the peer's sshd would not forward shows as a
/// connection closed by the server (spec §3.2, MS0074).
pub fn failure_hint(route: &Route, chain: &str) -> String {
    match route {
        Route::Tunnel { .. } if chain.contains("server closed the connection unexpectedly") => {
            t!(m::TUNNEL_CLOSED_HINT)
        }
        _ => t!(m::REWIND_FAILED_HINT),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::fake::FakeNode;
    use crate::ops::testing::{ctx, Rec};
    use std::path::PathBuf;

    fn params() -> PgParams {
        PgParams {
            bindir: Some(PathBuf::from("/usr/lib/postgresql/15/bin")),
            pgdata: PathBuf::from("/var/lib/pgsql/data"),
            tmpdir: PathBuf::from("/var/lib/pgsql/tmp"),
            repuser: "repuser".into(),
            port: 5432,
            socketdir: None,
        }
    }

    #[test]
    fn never_and_always_ask_nothing() {
        let local = FakeNode::local();
        let p = params();
        assert_eq!(
            choose(&local, &p, RewindVia::Never, "198.51.100.12", 5432).unwrap(),
            Route::Direct
        );
        let r = choose(&local, &p, RewindVia::Always, "198.51.100.12", 5432).unwrap();
        assert!(
            matches!(&r, Route::Tunnel { reason } if reason.contains("REWIND_VIA_SSH_TUNNEL = always")),
            "{r:?}"
        );
        assert!(local.commands().is_empty(), "{:?}", local.commands());
    }

    #[test]
    fn auto_goes_direct_when_the_primary_accepts() {
        let local = FakeNode::local().answer("psql", 0, "1\n");
        let r = choose(&local, &params(), RewindVia::Auto, "198.51.100.12", 5432).unwrap();
        assert_eq!(r, Route::Direct);
        let cmds = local.commands();
        assert_eq!(cmds.len(), 1, "{cmds:?}");
        assert!(
            cmds[0].contains("host='198.51.100.12' port='5432' user='postgres' dbname='postgres'"),
            "{cmds:?}"
        );
        assert!(cmds[0].contains(" -w "), "never prompts: {cmds:?}");
    }

    /// The recorded words of PostgreSQL 15 refusing the D-LAN login (lab, Perl-style
    /// pg_hba.conf): the fallback names the address and psql's reason.
    #[test]
    fn auto_falls_back_to_the_tunnel_with_the_reason() {
        let refused = "psql: error: connection to server at \"198.51.100.12\", port 5432 failed: FATAL:  no pg_hba.conf entry for host \"198.51.100.11\", user \"postgres\", database \"postgres\", no encryption\n";
        let local = FakeNode::local().answer("psql", 2, refused);
        let r = choose(&local, &params(), RewindVia::Auto, "198.51.100.12", 5432).unwrap();
        let Route::Tunnel { reason } = r else {
            panic!("{r:?}")
        };
        assert!(reason.contains("198.51.100.12:5432"), "{reason}");
        assert!(reason.contains("no pg_hba.conf entry for host"), "{reason}");
        assert!(reason.contains("SSH tunnel"), "{reason}");
        assert!(!reason.contains("psql: error:"), "{reason}");
    }

    #[test]
    fn the_tunnel_targets_the_peers_localhost_and_hands_out_its_port() {
        let peer = FakeNode::peer("198.51.100.12");
        let local = FakeNode::local();
        let rec = Rec::new(crate::report::Answer::No);
        let ctx = ctx(&rec, &local, false);
        let cx = StepCx { ctx: &ctx, step: 5 };
        let mut seen = Vec::new();
        let route = Route::Tunnel {
            reason: "why".into(),
        };
        with_source(&cx, &peer, &route, "198.51.100.12", 5432, &mut |h, p| {
            seen.push(conninfo(h, p));
            Ok(())
        })
        .unwrap();
        assert_eq!(peer.commands(), vec!["forward 127.0.0.1:5432".to_string()]);
        assert_eq!(
            seen,
            vec![conninfo("127.0.0.1", crate::node::fake::FORWARDED_PORT)]
        );
        let mut seen = Vec::new();
        with_source(
            &cx,
            &peer,
            &Route::Direct,
            "198.51.100.12",
            5432,
            &mut |h, p| {
                seen.push(conninfo(h, p));
                Ok(())
            },
        )
        .unwrap();
        assert_eq!(seen, vec![conninfo("198.51.100.12", 5432)]);
        assert_eq!(peer.commands().len(), 1, "no second tunnel");
        assert!(
            rec.text().contains("why"),
            "the reason is shown: {}",
            rec.text()
        );
    }

    #[test]
    fn a_closed_tunnel_names_tcp_forwarding() {
        let t = Route::Tunnel { reason: "x".into() };
        let closed = "pg_rewind: error: server closed the connection unexpectedly";
        assert!(failure_hint(&t, closed).contains("AllowTcpForwarding"));
        assert!(!failure_hint(&Route::Direct, closed).contains("AllowTcpForwarding"));
        assert!(failure_hint(&t, "other").contains("standby-start -b"));
    }
}

//! A local TCP port forwarded through the peer's SSH session (`ssh -L`), for `pg_rewind
//! --source-server` when the peer's PostgreSQL only accepts local connections (spec §3.2,
//! REWIND step 2).
//!
//! [`super::SshNode::with_tunnel`] listens on `127.0.0.1:<free port>` for as long as the closure
//! runs; each accepted connection gets a `direct-tcpip` channel to the target as seen from
//! the peer. One thread pumps every connection with the session in non-blocking mode,
//! taking the session lock per round, so commands on the same session still work meanwhile.
//!
//! A session found dead when the FIRST connection's channel is opened (nothing forwarded
//! yet) is replaced once through the node's `reopen`; after that a dead session only closes
//! the client's connection (the client — pg_rewind — says so in its own words). A failed
//! reconnect (a changed host key, an unreachable peer) is the tunnel's error.

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use ssh2::Channel;

use super::conn::{millis, Conn};
use super::lost::Phase;
use crate::node::error::NodeError;

/// How the tunnel asks its node for a new session in place of a dead one.
pub(crate) type Reopen<'a> =
    dyn Fn(&Arc<Conn>, NodeError) -> Result<Arc<Conn>, NodeError> + Sync + 'a;

struct Pair {
    tcp: TcpStream,
    ch: Channel,
    /// Bytes read from one side and not yet accepted by the other.
    to_peer: Vec<u8>,
    to_local: Vec<u8>,
    local_eof: bool,
    remote_eof: bool,
}

/// Run `f` with a local port forwarded to `target_host:target_port` as the peer sees it;
/// `f` gets the local port.
pub(crate) fn with_tunnel<R>(
    conn: Arc<Conn>,
    reopen: &Reopen<'_>,
    target_host: &str,
    target_port: u16,
    f: impl FnOnce(u16) -> R,
) -> Result<R, NodeError> {
    let addr = conn.addr().to_string();
    let fail = |what: &str, e: crate::error::BoxError| NodeError::Session {
        addr: addr.clone(),
        what: crate::t!(
            crate::msg::node::TUNNEL_WHAT,
            what = what,
            host = target_host,
            port = target_port
        ),
        source: e,
    };
    let listener = TcpListener::bind(("127.0.0.1", 0))
        .map_err(|e| fail(crate::msg::node::TUNNEL_LISTEN.text(), e.into()))?;
    listener
        .set_nonblocking(true)
        .map_err(|e| fail(crate::msg::node::TUNNEL_LISTEN.text(), e.into()))?;
    let port = listener
        .local_addr()
        .map_err(|e| fail(crate::msg::node::TUNNEL_LISTEN.text(), e.into()))?
        .port();
    let stop = AtomicBool::new(false);
    std::thread::scope(|s| {
        let pump = s.spawn(|| {
            let target = (target_host, target_port);
            pump(conn, reopen, &listener, target, &stop)
        });
        let r = f(port);
        stop.store(true, Ordering::SeqCst);
        match pump.join() {
            Ok(Ok(())) => Ok(r),
            Ok(Err(e)) => Err(e),
            Err(_) => Err(fail(
                "forwarding",
                crate::msg::node::TUNNEL_PANICKED.text().into(),
            )),
        }
    })
}

/// A `direct-tcpip` channel to `host:port` as the peer sees it.
fn open(conn: &Conn, (host, port): (&str, u16)) -> Result<Channel, NodeError> {
    let (sess, _guard) = conn.session();
    sess.set_blocking(true);
    sess.set_timeout(millis(conn.io_timeout()));
    sess.channel_direct_tcpip(host, port, None).map_err(|e| {
        let what = crate::t!(
            crate::msg::node::TUNNEL_WHAT,
            what = crate::msg::node::TUNNEL_ACCEPT.text(),
            host = host,
            port = port
        );
        super::exec::start_failed(conn, Phase::Open, what, e)
    })
}

fn pump(
    conn: Arc<Conn>,
    reopen: &Reopen<'_>,
    listener: &TcpListener,
    target: (&str, u16),
    stop: &AtomicBool,
) -> Result<(), NodeError> {
    let mut conn = conn;
    let mut pairs: Vec<Pair> = Vec::new();
    let mut buf = vec![0u8; 32 * 1024];
    let mut pause = Duration::from_millis(1);
    // Reconnecting is allowed until a first channel opened (or a reconnect was tried).
    let mut may_reconnect = true;
    let mut failure: Option<NodeError> = None;
    while !stop.load(Ordering::SeqCst) {
        let mut progressed = false;
        match listener.accept() {
            Ok((tcp, _)) => {
                progressed = true;
                let opened = match open(&conn, target) {
                    Err(e @ NodeError::SessionGone { .. }) if may_reconnect => {
                        may_reconnect = false;
                        reopen(&conn, e).and_then(|fresh| {
                            conn = fresh;
                            open(&conn, target)
                        })
                    }
                    r => r,
                };
                match opened {
                    Ok(ch) if tcp.set_nonblocking(true).is_ok() => {
                        may_reconnect = false;
                        pairs.push(Pair {
                            tcp,
                            ch,
                            to_peer: Vec::new(),
                            to_local: Vec::new(),
                            local_eof: false,
                            remote_eof: false,
                        })
                    }
                    // The client sees its connection closed; the program it runs
                    // (pg_rewind) reports that with its own words. A failed reconnect
                    // is ours to report.
                    Ok(_) => drop(tcp),
                    Err(e) => {
                        tracing::debug!(peer = conn.addr(), error = %crate::error::chain_text(&e), "ssh tunnel channel failed");
                        if matches!(e, NodeError::Reconnect { .. }) {
                            failure.get_or_insert(e);
                        }
                        drop(tcp)
                    }
                }
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock => {}
            Err(e) => {
                return Err(NodeError::Session {
                    addr: conn.addr().to_string(),
                    what: crate::msg::node::TUNNEL_ACCEPT.text().into(),
                    source: e.into(),
                })
            }
        }
        {
            let (sess, _guard) = conn.session();
            sess.set_blocking(false);
            for p in pairs.iter_mut() {
                progressed |= p.step(&mut buf);
            }
            sess.set_blocking(true);
        }
        pairs.retain(|p| {
            !(p.local_eof && p.remote_eof && p.to_local.is_empty() && p.to_peer.is_empty())
        });
        if progressed {
            pause = Duration::from_millis(1);
        } else {
            std::thread::sleep(pause);
            pause = (pause * 2).min(Duration::from_millis(10));
        }
    }
    let (sess, _guard) = conn.session();
    sess.set_blocking(false);
    for mut p in pairs {
        let _ = p.ch.close();
        let _ = p.tcp.shutdown(Shutdown::Both);
    }
    sess.set_blocking(true);
    failure.map_or(Ok(()), Err)
}

impl Pair {
    /// Move what can move without blocking; true if anything did.
    fn step(&mut self, buf: &mut [u8]) -> bool {
        let mut moved = false;
        if !self.local_eof && self.to_peer.is_empty() {
            match self.tcp.read(buf) {
                Ok(0) => {
                    self.local_eof = true;
                    let _ = self.ch.send_eof();
                    moved = true;
                }
                Ok(n) => {
                    self.to_peer.extend_from_slice(&buf[..n]);
                    moved = true;
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => {}
                Err(_) => self.close_both(),
            }
        }
        if !self.to_peer.is_empty() {
            match self.ch.write(&self.to_peer) {
                Ok(n) => {
                    self.to_peer.drain(..n);
                    moved |= n > 0;
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => {}
                Err(_) => self.close_both(),
            }
        }
        if !self.remote_eof && self.to_local.is_empty() {
            match self.ch.read(buf) {
                Ok(0) if self.ch.eof() => {
                    self.remote_eof = true;
                    let _ = self.tcp.shutdown(Shutdown::Write);
                    moved = true;
                }
                Ok(0) => {}
                Ok(n) => {
                    self.to_local.extend_from_slice(&buf[..n]);
                    moved = true;
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => {}
                Err(_) => self.close_both(),
            }
        }
        if !self.to_local.is_empty() {
            match self.tcp.write(&self.to_local) {
                Ok(n) => {
                    self.to_local.drain(..n);
                    moved |= n > 0;
                }
                Err(e) if e.kind() == ErrorKind::WouldBlock => {}
                Err(_) => self.close_both(),
            }
        }
        moved
    }

    fn close_both(&mut self) {
        self.local_eof = true;
        self.remote_eof = true;
        self.to_local.clear();
        self.to_peer.clear();
        let _ = self.ch.close();
        let _ = self.tcp.shutdown(Shutdown::Both);
    }
}

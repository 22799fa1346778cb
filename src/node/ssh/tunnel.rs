//! A local TCP port forwarded through the peer's SSH session (`ssh -L`), for `pg_rewind
//! --source-server` when the peer's PostgreSQL only accepts local connections (spec §3.2,
//! REWIND step 2).
//!
//! [`super::SshNode::with_tunnel`] listens on `127.0.0.1:<free port>` for as long as the closure
//! runs; each accepted connection gets a `direct-tcpip` channel to the target as seen from
//! the peer. One thread pumps every connection with the session in non-blocking mode,
//! taking the session lock per round, so commands on the same session still work meanwhile.

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use ssh2::Channel;

use super::conn::{millis, Conn};
use crate::node::error::NodeError;

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
    conn: &Conn,
    target_host: &str,
    target_port: u16,
    f: impl FnOnce(u16) -> R,
) -> Result<R, NodeError> {
    let fail = |what: &str, e: crate::error::BoxError| NodeError::Session {
        addr: conn.addr().to_string(),
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
        let pump = s.spawn(|| pump(conn, &listener, target_host, target_port, &stop));
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

fn pump(
    conn: &Conn,
    listener: &TcpListener,
    host: &str,
    port: u16,
    stop: &AtomicBool,
) -> Result<(), NodeError> {
    let mut pairs: Vec<Pair> = Vec::new();
    let mut buf = vec![0u8; 32 * 1024];
    let mut pause = Duration::from_millis(1);
    while !stop.load(Ordering::SeqCst) {
        let mut progressed = false;
        match listener.accept() {
            Ok((tcp, _)) => {
                progressed = true;
                let (sess, _guard) = conn.session();
                sess.set_blocking(true);
                sess.set_timeout(millis(conn.io_timeout()));
                match sess.channel_direct_tcpip(host, port, None) {
                    Ok(ch) if tcp.set_nonblocking(true).is_ok() => pairs.push(Pair {
                        tcp,
                        ch,
                        to_peer: Vec::new(),
                        to_local: Vec::new(),
                        local_eof: false,
                        remote_eof: false,
                    }),
                    // The client sees its connection closed; the program it runs
                    // (pg_rewind) reports that with its own words.
                    _ => drop(tcp),
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
    Ok(())
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

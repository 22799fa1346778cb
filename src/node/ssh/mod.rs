//! The peer as a [`Node`], over ONE SSH session opened at the start of a run (ssh2 /
//! libssh2). Each command is a new channel on that session, not a new login (spec §2.8, Q20).
//!
//! Connecting: TCP with a timeout, handshake, host key verified against root's
//! `known_hosts` (see `hostkey`), then authentication in the configured mode (see
//! [`auth`]). When `known_hosts` lists the peer only under other key types than the one
//! first negotiated, the handshake is redone preferring those (as OpenSSH does), so a file
//! holding only an RSA or ECDSA key for the peer still matches; a changed key stops at once.
//!
//! Reconnecting: when a command, file operation or tunnel cannot even start because the
//! session is dead (opening its channel, or sending its `exec`, fails at the transport:
//! socket, the server's disconnect, a timeout; `lost` decides), the node connects again
//! ONCE with the same [`SshConfig`] — the full connect above, the host key verified again,
//! the same login (a `manual` password is not asked again: the first answer is kept) — and
//! runs it on the new session. A command whose start may have reached the peer is never
//! sent again: it fails with [`NodeError::ConnectionLost`]. No reconnect after an
//! interruption.
//!
//! The children are leaves under this file: [`config`] (what to connect to), `conn` (the
//! session and its lock), [`auth`], `hostkey`, `lost`, and `exec`, `fs`, `tunnel`, which work
//! on the session, never on [`SshNode`].

pub mod auth;
pub mod config;
mod conn;
mod exec;
mod fs;
mod hostkey;
mod lost;
mod tunnel;

use std::net::{TcpStream, ToSocketAddrs};
use std::path::Path;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use ssh2::{MethodType, Session};

pub use auth::read_pass_file;
pub use config::{PasswordSource, SshAuth, SshConfig};
use conn::{millis, Conn};
use hostkey::HostKeyCheck;

use crate::exec::{Cmd, Output};
use crate::node::command_line;
use crate::node::error::NodeError;
use crate::node::seam::{DirEntry, FileMode, FileStat, Node, RunAs};

/// Host key algorithms of the first handshake, most preferred first (OpenSSH's order).
const HOSTKEY_PREFS: &str =
    "ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,\
rsa-sha2-512,rsa-sha2-256,ssh-rsa";

/// The peer, over one authenticated SSH session (replaced once per failure when it died
/// before a command started).
pub struct SshNode {
    /// What the session was opened with; a `manual` password source answers from memory.
    cfg: SshConfig,
    /// The current session. Callers clone the `Arc` and work on it; a reconnect swaps it.
    conn: Mutex<Arc<Conn>>,
    reconnects: AtomicU32,
}

impl std::fmt::Debug for SshNode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SshNode")
            .field("peer", &self.describe())
            .finish()
    }
}

impl SshNode {
    /// Connect, verify the host key, log in. Nothing is sent to the peer before its key is
    /// verified, and no password before that.
    pub fn connect(cfg: &SshConfig) -> Result<SshNode, NodeError> {
        let cfg = SshConfig {
            auth: auth::remembering(&cfg.auth),
            ..cfg.clone()
        };
        let conn = Self::open(&cfg)?;
        Ok(SshNode {
            cfg,
            conn: Mutex::new(Arc::new(conn)),
            reconnects: AtomicU32::new(0),
        })
    }

    /// One full connect (TCP, handshake, host key, login), logged.
    fn open(cfg: &SshConfig) -> Result<Conn, NodeError> {
        let started = Instant::now();
        let r = Self::open_unlogged(cfg);
        let elapsed_ms = started.elapsed().as_millis() as u64;
        let peer = format!("{}@{}:{}", cfg.user, cfg.addr, cfg.port);
        match &r {
            Ok(_) => tracing::debug!(%peer, elapsed_ms, "ssh session opened"),
            Err(e) => tracing::debug!(
                %peer,
                elapsed_ms,
                error = %crate::error::chain_text(e),
                "ssh connect failed"
            ),
        }
        r
    }

    /// How many times the session was replaced since [`SshNode::connect`].
    pub fn reconnects(&self) -> u32 {
        self.reconnects.load(Ordering::SeqCst)
    }

    fn current(&self) -> Arc<Conn> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner()).clone()
    }

    /// Run `f` on the session; when it fails with [`NodeError::SessionGone`] (nothing
    /// started), connect again once and run it on the new session.
    fn with_session<R>(
        &self,
        mut f: impl FnMut(&Conn) -> Result<R, NodeError>,
    ) -> Result<R, NodeError> {
        let conn = self.current();
        match f(&conn) {
            Err(e @ NodeError::SessionGone { .. }) => {
                let fresh = self.reconnect(&conn, e)?;
                f(&fresh)
            }
            r => r,
        }
    }

    /// Replace `dead` by a new session (unless another thread already did), or say why
    /// not: after an interruption the failure `why` stands; a failed connect is a
    /// [`NodeError::Reconnect`] naming `why` with the connect's error underneath.
    fn reconnect(&self, dead: &Arc<Conn>, why: NodeError) -> Result<Arc<Conn>, NodeError> {
        dead.mark_dead();
        if dead.interrupted() {
            return Err(why);
        }
        let mut slot = self.conn.lock().unwrap_or_else(|p| p.into_inner());
        if !Arc::ptr_eq(&slot, dead) {
            return Ok(slot.clone());
        }
        let what = match &why {
            NodeError::SessionGone { what, .. } => what.clone(),
            other => other.to_string(),
        };
        let cause = crate::error::chain_text(&why);
        let started = Instant::now();
        let fresh = Arc::new(Self::open(&self.cfg).map_err(|e| NodeError::Reconnect {
            addr: self.cfg.addr.clone(),
            what: what.clone(),
            source: Box::new(e),
        })?);
        *slot = fresh.clone();
        self.reconnects.fetch_add(1, Ordering::SeqCst);
        // At `warn`: the default filter shows it on stderr, the operator's warning line.
        tracing::warn!(
            peer = %fresh.describe(),
            why = %cause,
            elapsed_ms = started.elapsed().as_millis() as u64,
            "ssh session reconnected"
        );
        Ok(fresh)
    }

    fn open_unlogged(cfg: &SshConfig) -> Result<Conn, NodeError> {
        let addr = &cfg.addr;
        let peer = format!("{addr}:{}", cfg.port);
        let sockaddr = (addr.as_str(), cfg.port)
            .to_socket_addrs()
            .map_err(|e| NodeError::Connect {
                addr: peer.clone(),
                source: e.into(),
                refused: false,
            })?
            .next()
            .ok_or_else(|| NodeError::Connect {
                addr: peer.clone(),
                source: crate::msg::node::NO_ADDRESS.text().into(),
                refused: false,
            })?;
        let ms = millis(cfg.connect_timeout);
        let mut prefs = HOSTKEY_PREFS.to_string();
        let mut first_unknown: Option<(String, String)> = None;
        // At most two handshakes: the second only when known_hosts lists the peer under
        // other key types than the one first negotiated.
        for attempt in 0..2 {
            let tcp = TcpStream::connect_timeout(&sockaddr, cfg.connect_timeout).map_err(|e| {
                NodeError::Connect {
                    addr: peer.clone(),
                    refused: e.kind() == std::io::ErrorKind::ConnectionRefused,
                    source: e.into(),
                }
            })?;
            let mut sess = Session::new().map_err(|e| handshake(&peer, e))?;
            keepalive(&tcp);
            sess.set_tcp_stream(tcp);
            sess.set_timeout(ms);
            sess.method_pref(MethodType::HostKey, &prefs)
                .map_err(|e| handshake(&peer, e))?;
            if let Err(e) = sess.handshake() {
                if attempt == 0 {
                    return Err(handshake(&peer, e));
                }
                break; // the server no longer offers the known key types
            }
            match hostkey::verify(&sess, addr, cfg.port, &cfg.known_hosts)? {
                HostKeyCheck::Match => {
                    auth::authenticate(&sess, &cfg.user, &peer, &cfg.auth)?;
                    return Ok(Conn::new(sess, cfg));
                }
                HostKeyCheck::NotFound {
                    key_type,
                    fingerprint,
                } => {
                    first_unknown.get_or_insert((key_type, fingerprint));
                    break;
                }
                HostKeyCheck::OtherTypes {
                    types,
                    key_type,
                    fingerprint,
                } => {
                    let _ = sess.disconnect(None, "retrying with another host key type", None);
                    first_unknown.get_or_insert((key_type, fingerprint));
                    prefs = hostkey::algorithms_for(&types);
                    if prefs.is_empty() {
                        break;
                    }
                }
            }
        }
        let (key_type, fingerprint) = first_unknown.unwrap_or_default();
        Err(NodeError::HostKeyUnknown {
            addr: addr.clone(),
            port: cfg.port,
            key_type,
            fingerprint,
            known_hosts: cfg.known_hosts.clone(),
        })
    }

    pub fn addr(&self) -> &str {
        &self.cfg.addr
    }

    /// Run `f` with a local port forwarded to `target_host:target_port` as the peer sees it
    /// (normally `127.0.0.1` and the peer's PostgreSQL port). `f` gets the local port.
    pub fn with_tunnel<R>(
        &self,
        target_host: &str,
        target_port: u16,
        f: impl FnOnce(u16) -> R,
    ) -> Result<R, NodeError> {
        let reopen = |dead: &Arc<Conn>, why: NodeError| self.reconnect(dead, why);
        tunnel::with_tunnel(self.current(), &reopen, target_host, target_port, f)
    }

    /// The line for `cmd`, or why it cannot be sent.
    fn line(&self, cmd: &Cmd, as_user: &RunAs) -> Result<String, NodeError> {
        command_line::remote(cmd, as_user).map_err(|message| NodeError::Unsupported {
            node: self.describe(),
            message,
        })
    }
}

/// TCP keepalive, so a peer that vanishes (power off, cable) turns a waiting read into an
/// error within about a minute instead of a hang. Best effort: failures are ignored.
fn keepalive(tcp: &TcpStream) {
    use nix::sys::socket::{setsockopt, sockopt};
    let _ = setsockopt(tcp, sockopt::KeepAlive, &true);
    let _ = setsockopt(tcp, sockopt::TcpKeepIdle, &20);
    let _ = setsockopt(tcp, sockopt::TcpKeepInterval, &10);
    let _ = setsockopt(tcp, sockopt::TcpKeepCount, &4);
}

fn handshake(peer: &str, e: ssh2::Error) -> NodeError {
    NodeError::Handshake {
        addr: peer.to_string(),
        source: e.into(),
    }
}

impl Node for SshNode {
    fn describe(&self) -> String {
        config::peer_name(&self.cfg.user, &self.cfg.addr, self.cfg.port)
    }

    fn is_local(&self) -> bool {
        false
    }

    fn output(&self, cmd: &Cmd, as_user: &RunAs) -> Result<Output, NodeError> {
        let line = self.line(cmd, as_user)?;
        let shown = command_line::shown(self, cmd, as_user);
        let mut stdout = Vec::new();
        // The peer stops the command at its timeout (`timeout(1)`); our own deadline is a
        // backstop for a peer that stops answering. A command without a timeout of its own
        // gets SSH_COMMAND_TIMEOUT: no remote command waits for ever.
        let backstop = Some(match cmd.get_timeout() {
            Some(t) => t + Duration::from_secs(10),
            None => self.cfg.command_timeout,
        });
        let limits = exec::Limits {
            interruptible: !cmd.runs_through_interrupt(),
            ..exec::Limits::total(backstop)
        };
        let r = self.with_session(|conn| {
            exec::exec(conn, &line, cmd.stdin_data(), &mut stdout, &limits, &shown)
        })?;
        if let Some(t) = cmd.get_timeout() {
            if command_line::is_remote_timeout(r.status.code()) && r.elapsed >= t {
                return Err(NodeError::Exec(crate::exec::ExecError::Timeout {
                    cmd: shown,
                    timeout: t,
                    stderr_tail: crate::exec::tail(&r.stderr),
                }));
            }
        }
        Ok(Output {
            status: r.status,
            stdout: String::from_utf8_lossy(&stdout).into_owned(),
            stderr: r.stderr,
            elapsed: r.elapsed,
        })
    }

    fn stat(&self, path: &Path) -> Result<Option<FileStat>, NodeError> {
        self.with_session(|c| fs::stat(c, path))
    }

    fn read_to(&self, path: &Path, sink: &mut dyn std::io::Write) -> Result<u64, NodeError> {
        self.with_session(|c| fs::read_to(c, path, sink))
    }

    fn write_file(&self, path: &Path, data: &[u8], mode: FileMode) -> Result<(), NodeError> {
        self.with_session(|c| fs::write_file(c, path, data, mode))
    }

    fn remove_file(&self, path: &Path) -> Result<bool, NodeError> {
        self.with_session(|c| fs::remove_file(c, path))
    }

    fn list_dir(&self, path: &Path) -> Result<Vec<DirEntry>, NodeError> {
        self.with_session(|c| fs::list_dir(c, path))
    }

    fn forward(&self, host: &str, port: u16, f: &mut dyn FnMut(u16)) -> Result<(), NodeError> {
        tracing::debug!(peer = %self.describe(), %host, port, "ssh tunnel opened");
        let r = self.with_tunnel(host, port, f);
        tracing::debug!(peer = %self.describe(), %host, port, ok = r.is_ok(), "ssh tunnel closed");
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A refused connection keeps the OS error as its cause: one `caused by:` line, and
    /// the one-line form (journal, unknown-with-why) still says it.
    #[test]
    fn a_refused_connection_keeps_its_cause() {
        let port = {
            let l = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap();
            l.local_addr().unwrap().port()
        };
        let mut cfg = SshConfig::root("127.0.0.1", SshConfig::nopass_root_keys(false));
        cfg.port = port;
        cfg.connect_timeout = Duration::from_secs(2);
        crate::exec::test_log::log_lines("");
        let e = SshNode::connect(&cfg).unwrap_err();
        let logged = crate::exec::test_log::log_lines(&format!("127.0.0.1:{port}"));
        assert_eq!(logged.len(), 1, "{logged:?}");
        assert!(logged[0].contains("ssh connect failed"), "{logged:?}");
        assert!(logged[0].contains("elapsed_ms="), "{logged:?}");
        assert!(
            matches!(e, NodeError::Connect { refused: true, .. }),
            "{e:?}"
        );
        let top = e.to_string();
        assert!(
            !top.contains("refused"),
            "the cause is not in the message: {top}"
        );
        let e = crate::Error::from(e);
        assert_eq!(e.exit_code(), crate::ExitCode::Failed);
        let causes: Vec<String> = crate::error::causes(&e).map(|c| c.to_string()).collect();
        assert_eq!(causes.len(), 1, "{causes:?}");
        assert!(causes[0].contains("refused"), "{causes:?}");
        assert!(e.chain_text().contains("refused"), "{}", e.chain_text());
        assert!(e.hint().is_some());
    }
}

//! The peer as a [`Node`], over ONE SSH session opened at the start of a run (ssh2 /
//! libssh2). Each command is a new channel on that session, not a new login (spec §2.8, Q20).
//!
//! Connecting: TCP with a timeout, handshake, host key verified against root's
//! `known_hosts` (see `ssh_hostkey`), then authentication in the configured mode (see
//! `ssh_auth`). When `known_hosts` lists the peer only under other key types than the one
//! first negotiated, the handshake is redone preferring those (as OpenSSH does), so a file
//! holding only an RSA or ECDSA key for the peer still matches; a changed key stops at once.

use std::net::{TcpStream, ToSocketAddrs};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use ssh2::{MethodType, Session};

use super::ssh_auth::{self, PasswordSource};
use super::ssh_hostkey::{self, Verdict};
use super::{command_line, ssh_exec, ssh_fs, DirEntry, FileMode, FileStat, Node, NodeError, RunAs};
use crate::exec::{Cmd, Output};

/// How to log in (`PEER_NODE_SSH_PASS_MODE`).
#[derive(Clone)]
pub enum SshAuth {
    /// Ask the binary (a no-echo prompt).
    Manual(Arc<dyn PasswordSource>),
    /// The first line of this file (absolute, mode 0600).
    Passfile(PathBuf),
    /// No password: the agent (when allowed) and these private keys, in order.
    NoPass {
        use_agent: bool,
        identities: Vec<PathBuf>,
    },
}

impl std::fmt::Debug for SshAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SshAuth::Manual(_) => f.write_str("Manual"),
            SshAuth::Passfile(p) => f.debug_tuple("Passfile").field(p).finish(),
            SshAuth::NoPass {
                use_agent,
                identities,
            } => f
                .debug_struct("NoPass")
                .field("use_agent", use_agent)
                .field("identities", identities)
                .finish(),
        }
    }
}

/// Everything needed to reach the peer. Built by the binary from the config.
#[derive(Debug, Clone)]
pub struct SshConfig {
    /// The peer's D-LAN address (or host name).
    pub addr: String,
    pub port: u16,
    pub user: String,
    pub auth: SshAuth,
    pub known_hosts: PathBuf,
    pub connect_timeout: Duration,
    /// Limit for one protocol step (opening a channel, closing it) and the default for
    /// file operations; a command's own timeout applies to the command.
    pub io_timeout: Duration,
}

impl SshConfig {
    /// Log in as root with root's `known_hosts` (`<root home>/.ssh/known_hosts`).
    pub fn root(addr: impl Into<String>, auth: SshAuth) -> SshConfig {
        let home = root_home();
        SshConfig {
            addr: addr.into(),
            port: 22,
            user: "root".into(),
            auth,
            known_hosts: home.join(".ssh").join("known_hosts"),
            connect_timeout: Duration::from_secs(10),
            io_timeout: Duration::from_secs(60),
        }
    }

    /// `nopass` with root's default keys.
    pub fn nopass_root_keys(use_agent: bool) -> SshAuth {
        SshAuth::NoPass {
            use_agent,
            identities: ssh_auth::default_identities(&root_home()),
        }
    }
}

/// Root's home directory from the user database (not `$HOME`: the core reads no environment).
fn root_home() -> PathBuf {
    nix::unistd::User::from_uid(nix::unistd::Uid::from_raw(0))
        .ok()
        .flatten()
        .map(|u| u.dir)
        .unwrap_or_else(|| PathBuf::from("/root"))
}

/// Host key algorithms of the first handshake, most preferred first (OpenSSH's order).
const HOSTKEY_PREFS: &str =
    "ssh-ed25519,ecdsa-sha2-nistp256,ecdsa-sha2-nistp384,ecdsa-sha2-nistp521,\
rsa-sha2-512,rsa-sha2-256,ssh-rsa";

/// The peer, over one authenticated SSH session.
pub struct SshNode {
    sess: Session,
    /// One channel at a time: blocking mode and timeouts are session-wide settings.
    lock: Mutex<()>,
    addr: String,
    port: u16,
    user: String,
    io_timeout: Duration,
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
        let addr = &cfg.addr;
        let peer = format!("{addr}:{}", cfg.port);
        let sockaddr = (addr.as_str(), cfg.port)
            .to_socket_addrs()
            .map_err(|e| NodeError::Connect {
                addr: peer.clone(),
                message: e.to_string(),
                refused: false,
            })?
            .next()
            .ok_or_else(|| NodeError::Connect {
                addr: peer.clone(),
                message: "the name has no address".into(),
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
                    message: e.to_string(),
                }
            })?;
            let mut sess = Session::new().map_err(|e| handshake(&peer, &e))?;
            keepalive(&tcp);
            sess.set_tcp_stream(tcp);
            sess.set_timeout(ms);
            sess.method_pref(MethodType::HostKey, &prefs)
                .map_err(|e| handshake(&peer, &e))?;
            if let Err(e) = sess.handshake() {
                if attempt == 0 {
                    return Err(handshake(&peer, &e));
                }
                break; // the server no longer offers the known key types
            }
            match ssh_hostkey::verify(&sess, addr, cfg.port, &cfg.known_hosts)? {
                Verdict::Match => {
                    ssh_auth::authenticate(&sess, &cfg.user, &peer, &cfg.auth)?;
                    return Ok(SshNode {
                        sess,
                        lock: Mutex::new(()),
                        addr: addr.clone(),
                        port: cfg.port,
                        user: cfg.user.clone(),
                        io_timeout: cfg.io_timeout,
                    });
                }
                Verdict::NotFound {
                    key_type,
                    fingerprint,
                } => {
                    first_unknown.get_or_insert((key_type, fingerprint));
                    break;
                }
                Verdict::OtherTypes {
                    types,
                    key_type,
                    fingerprint,
                } => {
                    let _ = sess.disconnect(None, "retrying with another host key type", None);
                    first_unknown.get_or_insert((key_type, fingerprint));
                    prefs = ssh_hostkey::algorithms_for(&types);
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
        &self.addr
    }

    pub(crate) fn session(&self) -> (&Session, MutexGuard<'_, ()>) {
        (
            &self.sess,
            self.lock.lock().unwrap_or_else(|p| p.into_inner()),
        )
    }

    pub(crate) fn io_timeout(&self) -> Duration {
        self.io_timeout
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

fn handshake(peer: &str, e: &ssh2::Error) -> NodeError {
    NodeError::Handshake {
        addr: peer.to_string(),
        message: e.message().to_string(),
    }
}

pub(crate) fn millis(d: Duration) -> u32 {
    u32::try_from(d.as_millis()).unwrap_or(u32::MAX).max(1)
}

impl Drop for SshNode {
    fn drop(&mut self) {
        let _ = self.sess.disconnect(None, "pgrex done", None);
    }
}

impl Node for SshNode {
    fn describe(&self) -> String {
        if self.port == 22 {
            format!("{}@{}", self.user, self.addr)
        } else {
            format!("{}@{}:{}", self.user, self.addr, self.port)
        }
    }

    fn is_local(&self) -> bool {
        false
    }

    fn output(&self, cmd: &Cmd, as_user: &RunAs) -> Result<Output, NodeError> {
        let line = self.line(cmd, as_user)?;
        let shown = command_line::shown(self, cmd, as_user);
        let mut stdout = Vec::new();
        // The peer stops the command at its timeout (`timeout(1)`); our own deadline is a
        // backstop for a peer that stops answering.
        let backstop = cmd.get_timeout().map(|t| t + Duration::from_secs(10));
        let r = ssh_exec::exec(
            self,
            &line,
            cmd.stdin_data(),
            &mut stdout,
            backstop,
            None,
            &shown,
        )?;
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
        ssh_fs::stat(self, path)
    }

    fn read_to(&self, path: &Path, sink: &mut dyn std::io::Write) -> Result<u64, NodeError> {
        ssh_fs::read_to(self, path, sink)
    }

    fn write_file(&self, path: &Path, data: &[u8], mode: FileMode) -> Result<(), NodeError> {
        ssh_fs::write_file(self, path, data, mode)
    }

    fn remove_file(&self, path: &Path) -> Result<bool, NodeError> {
        ssh_fs::remove_file(self, path)
    }

    fn list_dir(&self, path: &Path) -> Result<Vec<DirEntry>, NodeError> {
        ssh_fs::list_dir(self, path)
    }
}

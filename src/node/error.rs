//! What can go wrong on a node, naming the node (or peer address) and what failed, with a
//! hint that says how to fix it. No variant ever holds a password.

use std::path::PathBuf;

use crate::error::BoxError;
use crate::exec::ExecError;
use crate::msg::node as m;
use crate::t;

/// Why a password file cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PassFileProblem {
    NotAbsolute,
    Missing,
    /// Permission bits other than 0600 (the value found).
    Mode(u32),
    Unreadable,
    Empty,
    /// A symbolic link (never followed: its target's mode is not the file's).
    Symlink,
    /// Owned by another user than the one running pgrex (the uid found).
    Owner(u32),
    TooLarge,
}

#[derive(Debug, thiserror::Error)]
pub enum NodeError {
    /// A command ran and failed, timed out, or could not be started.
    #[error(transparent)]
    Exec(#[from] ExecError),
    #[error("{}", t!(m::IO, node = .node, op = .op, path = .path.display(), error = .source))]
    Io {
        node: String,
        op: &'static str,
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{}", t!(m::REMOTE_FS, node = .node, op = .op, path = .path.display(), error = .message))]
    RemoteFs {
        node: String,
        op: &'static str,
        path: PathBuf,
        message: String,
        /// The command that failed underneath, when one did.
        #[source]
        source: Option<BoxError>,
    },
    #[error("{}", t!(m::CONNECT, addr = .addr))]
    Connect {
        addr: String,
        #[source]
        source: BoxError,
        refused: bool,
    },
    #[error("{}", t!(m::HANDSHAKE, addr = .addr))]
    Handshake {
        addr: String,
        #[source]
        source: BoxError,
    },
    #[error("{}", t!(m::HOSTKEY_UNKNOWN, addr = .addr, key_type = .key_type, fingerprint = .fingerprint, known_hosts = .known_hosts.display()))]
    HostKeyUnknown {
        addr: String,
        port: u16,
        key_type: String,
        fingerprint: String,
        known_hosts: PathBuf,
    },
    #[error("{}", t!(m::HOSTKEY_CHANGED, addr = .addr, key_type = .key_type, fingerprint = .fingerprint, known_hosts = .known_hosts.display()))]
    HostKeyChanged {
        addr: String,
        port: u16,
        key_type: String,
        fingerprint: String,
        known_hosts: PathBuf,
    },
    #[error("{}", t!(m::HOSTKEY_CHECK, addr = .addr, known_hosts = .known_hosts.display()))]
    HostKeyCheck {
        addr: String,
        known_hosts: PathBuf,
        #[source]
        source: BoxError,
    },
    #[error("{}", t!(m::AUTH_FAILED, user = .user, addr = .addr, tried = .tried, offered = .offered))]
    AuthFailed {
        user: String,
        addr: String,
        tried: String,
        offered: String,
    },
    #[error("{}", pass_file_text(.path, *.problem))]
    PassFile {
        path: PathBuf,
        problem: PassFileProblem,
    },
    #[error("{}", t!(m::PASSWORD_SOURCE, user = .user, addr = .addr, error = .message))]
    Password {
        user: String,
        addr: String,
        message: String,
    },
    #[error("{}", t!(m::SESSION, addr = .addr, what = .what))]
    Session {
        addr: String,
        what: String,
        #[source]
        source: BoxError,
    },
    /// The session was dead before anything started on the peer (a channel could not be
    /// opened, an `exec` request could not be sent). `SshNode` reconnects once on it; it is
    /// seen only where that was not possible (interrupted, or the new session died too).
    #[error("{}", t!(m::SESSION_GONE, addr = .addr, what = .what))]
    SessionGone {
        addr: String,
        what: String,
        #[source]
        source: BoxError,
    },
    /// The connection was lost after a command had (or may have) started: never re-run.
    #[error("{}", t!(m::CONNECTION_LOST, addr = .addr, what = .what))]
    ConnectionLost {
        addr: String,
        what: String,
        #[source]
        source: BoxError,
    },
    /// The session was dead before a command started and connecting again failed (the
    /// new connection's error underneath: a changed host key, an unreachable peer).
    #[error("{}", t!(m::RECONNECT_FAILED, addr = .addr, what = .what))]
    Reconnect {
        addr: String,
        what: String,
        #[source]
        source: Box<NodeError>,
    },
    #[error("{}", t!(m::SIZE_MISMATCH, node = .node, path = .path.display(), expected = .expected, got = .got))]
    SizeMismatch {
        node: String,
        path: PathBuf,
        expected: u64,
        got: u64,
    },
    #[error("{}", t!(m::UNSUPPORTED, node = .node, message = .message))]
    Unsupported { node: String, message: String },
}

fn pass_file_text(path: &std::path::Path, p: PassFileProblem) -> String {
    let path = path.display();
    match p {
        PassFileProblem::NotAbsolute => t!(m::PASSFILE_RELATIVE, path = path),
        PassFileProblem::Missing => t!(m::PASSFILE_MISSING, path = path),
        PassFileProblem::Mode(mode) => {
            t!(m::PASSFILE_MODE, path = path, mode = format!("{mode:04o}"))
        }
        PassFileProblem::Unreadable => t!(m::PASSFILE_UNREADABLE, path = path),
        PassFileProblem::Empty => t!(m::PASSFILE_EMPTY, path = path),
        PassFileProblem::Symlink => t!(m::PASSFILE_SYMLINK, path = path),
        PassFileProblem::Owner(uid) => t!(m::PASSFILE_OWNER, path = path, uid = uid),
        PassFileProblem::TooLarge => t!(m::PASSFILE_TOO_LARGE, path = path),
    }
}

impl NodeError {
    /// How to fix it, when we know.
    pub fn hint(&self) -> Option<String> {
        Some(match self {
            NodeError::Exec(e) => return e.hint().map(str::to_string),
            NodeError::Connect { refused: true, .. } => t!(m::HINT_REFUSED),
            NodeError::Connect { .. } => t!(m::HINT_UNREACHABLE),
            NodeError::HostKeyUnknown {
                addr,
                port,
                known_hosts,
                key_type,
                ..
            } => {
                t!(
                    m::HINT_HOSTKEY_UNKNOWN,
                    pubfile = host_key_file(key_type),
                    keyscan = keyscan(addr, *port),
                    known_hosts = known_hosts.display()
                )
            }
            NodeError::HostKeyChanged {
                addr,
                port,
                known_hosts,
                ..
            } => t!(
                m::HINT_HOSTKEY_CHANGED,
                remove = format!(
                    "ssh-keygen -f {} -R {}",
                    crate::exec::quote(&known_hosts.to_string_lossy()),
                    crate::exec::quote(&host_port(addr, *port))
                ),
                keyscan = keyscan(addr, *port),
                known_hosts = known_hosts.display()
            ),
            NodeError::AuthFailed { .. } => t!(m::HINT_AUTH),
            NodeError::ConnectionLost { .. } => t!(m::HINT_CONNECTION_LOST),
            NodeError::Reconnect { source, .. } => return source.hint(),
            // Never a chmod for a link: it would change the link's target.
            NodeError::PassFile {
                problem: PassFileProblem::Symlink,
                ..
            } => t!(m::HINT_PASSFILE_LINK),
            NodeError::PassFile {
                path,
                problem: PassFileProblem::Owner(_),
            } => t!(
                m::HINT_PASSFILE_OWNER,
                path = crate::exec::quote(&path.to_string_lossy())
            ),
            NodeError::PassFile { path, .. } => {
                t!(
                    m::HINT_PASSFILE,
                    path = crate::exec::quote(&path.to_string_lossy())
                )
            }
            _ => return None,
        })
    }
}

/// Where OpenSSH keeps the public host key of this type.
fn host_key_file(key_type: &str) -> &'static str {
    match key_type {
        "ssh-rsa" => "/etc/ssh/ssh_host_rsa_key.pub",
        t if t.starts_with("ecdsa-") => "/etc/ssh/ssh_host_ecdsa_key.pub",
        _ => "/etc/ssh/ssh_host_ed25519_key.pub",
    }
}

fn host_port(addr: &str, port: u16) -> String {
    if port == 22 {
        addr.to_string()
    } else {
        format!("[{addr}]:{port}")
    }
}

fn keyscan(addr: &str, port: u16) -> String {
    let p = if port == 22 {
        String::new()
    } else {
        format!("-p {port} ")
    };
    format!("ssh-keyscan {p}{}", crate::exec::quote(addr))
}

impl From<NodeError> for crate::Error {
    fn from(e: NodeError) -> Self {
        let hint = e.hint();
        match e {
            NodeError::Exec(x) => crate::Error::Exec(x),
            // The message is the node error's own text (the binary does not print it twice:
            // `causes` skips a cause already shown); the typed error stays underneath.
            NodeError::PassFile { .. } => crate::Error::Input {
                what: "PEER_NODE_SSH_PASS_FILE".into(),
                message: e.to_string(),
                hint,
                source: Some(Box::new(e)),
            },
            NodeError::HostKeyUnknown { .. } | NodeError::HostKeyChanged { .. } => {
                crate::Error::Refused {
                    message: e.to_string(),
                    hint,
                    source: Some(Box::new(e)),
                }
            }
            // A changed key met on reconnecting is the same refusal as at the first login.
            NodeError::Reconnect { ref source, .. }
                if matches!(
                    **source,
                    NodeError::HostKeyUnknown { .. } | NodeError::HostKeyChanged { .. }
                ) =>
            {
                crate::Error::Refused {
                    message: e.to_string(),
                    hint,
                    source: Some(Box::new(e)),
                }
            }
            // The node error stays the cause, so its own cause (an I/O error) is not lost.
            other => crate::Error::Other {
                message: other.to_string(),
                hint,
                source: Some(Box::new(other)),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_key_hints_name_the_commands() {
        let e = NodeError::HostKeyUnknown {
            addr: "192.0.2.2".into(),
            port: 2222,
            key_type: "ssh-ed25519".into(),
            fingerprint: "SHA256:abc".into(),
            known_hosts: "/root/.ssh/known_hosts".into(),
        };
        assert!(e.to_string().contains("SHA256:abc"), "{e}");
        assert!(e.to_string().contains("192.0.2.2"), "{e}");
        let h = e.hint().unwrap();
        assert!(h.contains("ssh-keyscan -p 2222 192.0.2.2"), "{h}");
        assert!(h.contains("/root/.ssh/known_hosts"), "{h}");
        assert!(
            h.contains("ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub"),
            "{h}"
        );
        assert_eq!(crate::Error::from(e).exit_code(), crate::ExitCode::Refused);

        let e = NodeError::HostKeyChanged {
            addr: "192.0.2.2".into(),
            port: 22,
            key_type: "ssh-ed25519".into(),
            fingerprint: "SHA256:abc".into(),
            known_hosts: "/root/.ssh/known_hosts".into(),
        };
        assert!(e
            .hint()
            .unwrap()
            .contains("ssh-keygen -f /root/.ssh/known_hosts -R 192.0.2.2"));
    }

    #[test]
    fn pass_file_errors_are_configuration_errors() {
        let e = NodeError::PassFile {
            path: "/etc/pgrex.pass".into(),
            problem: PassFileProblem::Mode(0o644),
        };
        assert!(e.to_string().contains("0644"), "{e}");
        assert!(e.hint().unwrap().contains("chmod 600 /etc/pgrex.pass"));
        let e = crate::Error::from(e);
        assert_eq!(e.exit_code(), crate::ExitCode::Usage);
        // The node error stays underneath, and is not printed a second time.
        let cause = std::error::Error::source(&e).and_then(|c| c.downcast_ref::<NodeError>());
        assert!(matches!(cause, Some(NodeError::PassFile { .. })), "{e:?}");
        assert_eq!(crate::error::causes(&e).count(), 0);
    }

    #[test]
    fn a_host_key_refusal_keeps_the_node_error() {
        let e = crate::Error::from(NodeError::HostKeyUnknown {
            addr: "192.0.2.2".into(),
            port: 22,
            key_type: "ssh-ed25519".into(),
            fingerprint: "SHA256:abc".into(),
            known_hosts: "/root/.ssh/known_hosts".into(),
        });
        assert_eq!(e.exit_code(), crate::ExitCode::Refused);
        let cause = std::error::Error::source(&e).and_then(|c| c.downcast_ref::<NodeError>());
        assert!(
            matches!(cause, Some(NodeError::HostKeyUnknown { .. })),
            "{e:?}"
        );
    }
}

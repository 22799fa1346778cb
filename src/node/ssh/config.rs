//! What it takes to reach the peer: address, port, user, `known_hosts`, timeouts and the
//! login mode, built by the binary from `pg-rex_tools.conf`. A leaf: it knows nothing of
//! the session that uses it.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use secrecy::SecretString;

/// Where a `manual` password comes from. The binary implements it with a no-echo prompt.
pub trait PasswordSource: Send + Sync {
    /// The password of `user@addr`. `Err` carries why none could be had (no terminal,
    /// interrupted), shown to the operator.
    fn password(&self, user: &str, addr: &str) -> Result<SecretString, String>;
}

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
    /// The deadline of one command that has no timeout of its own (`SSH_COMMAND_TIMEOUT`).
    pub command_timeout: Duration,
    /// Set by the binary's signal handler: a command waited on stops at once when it is.
    pub interrupted: Option<Arc<AtomicBool>>,
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
            command_timeout: Duration::from_secs(600),
            interrupted: None,
        }
    }

    /// `nopass` with root's default keys.
    pub fn nopass_root_keys(use_agent: bool) -> SshAuth {
        SshAuth::NoPass {
            use_agent,
            identities: default_identities(&root_home()),
        }
    }
}

/// How messages name the peer: `root@192.0.2.2` (with `:port` when not 22).
pub(crate) fn peer_name(user: &str, addr: &str, port: u16) -> String {
    if port == 22 {
        format!("{user}@{addr}")
    } else {
        format!("{user}@{addr}:{port}")
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

/// Root's default private keys, in OpenSSH's order, under `home`.
pub fn default_identities(home: &Path) -> Vec<PathBuf> {
    ["id_ed25519", "id_ecdsa", "id_rsa"]
        .iter()
        .map(|n| home.join(".ssh").join(n))
        .collect()
}

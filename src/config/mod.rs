//! `/etc/pg-rex_tools.conf`, in the existing PG-REX format, unchanged (spec §1).
//!
//! [`lexer`] turns lines into `KEY = value` settings, [`keys`] knows every key, [`validate`]
//! checks them in the Perl tools' order, [`addrs`] tells this node's addresses from the
//! peer's, [`passfile`] checks ssh password files and [`timeouts`] reads the new wait keys,
//! [`retention`] the journal-keeping ones.
//! Nothing here prints or reads the environment: the binary picks the file (`--config`,
//! `PGREX_CONFIG`, [`DEFAULT_PATH`]), passes this host's addresses in, and shows the
//! collected [`ConfigWarning`]s.

pub mod addrs;
mod diag;
pub mod keys;
pub mod lexer;
pub mod passfile;
pub mod retention;
pub mod timeouts;
mod validate;

#[cfg(test)]
mod tests;

pub use addrs::{local_addresses, DLan, IcPair};
pub use diag::ConfigWarning;
pub use passfile::SshPassMode;
pub use retention::JournalKeep;
pub use timeouts::Timeouts;

use crate::msg::config as m;
use crate::profile::{ExplicitIds, Names, ProfileChoice};
use crate::{t, Error, Result};
use diag::Diag;
use secrecy::SecretString;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

/// Where the PG-REX tools keep their configuration.
pub const DEFAULT_PATH: &str = "/etc/pg-rex_tools.conf";

/// A checked configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// The file it was read from.
    pub path: PathBuf,
    /// `Archive_dir`: the WAL archive, same path on both nodes.
    pub archive_dir: PathBuf,
    /// `D_LAN_IPAddress`, split into this node's and the peer's.
    pub d_lan: DLan,
    /// `IC_LAN_IPAddress`: one entry per ring (1 or 2).
    pub ic_lan: Vec<IcPair>,
    /// `IPADDR_STANDBY = enable` (the default): a standby read VIP exists.
    pub ipaddr_standby: bool,
    /// `PGPATH`: the directory holding `pg_config`, when set.
    pub pgpath: Option<PathBuf>,
    /// `PEER_NODE_SSH_PASS_MODE` / `_FILE`.
    pub peer_ssh: SshPassMode,
    /// `BACKUP_NODE_SSH_PASS_MODE` / `_FILE` (archive-delete only).
    pub backup_ssh: SshPassMode,
    /// `HACLUSTER_NAME`.
    pub hacluster_name: String,
    /// The resource-ID keys that are set (they win over any naming profile).
    pub explicit_ids: ExplicitIds,
    /// `NAMING_PROFILE`, when set.
    pub naming_profile: Option<ProfileChoice>,
    /// `START_TIMEOUT`, `STOP_TIMEOUT`, ... or their defaults.
    pub timeouts: Timeouts,
    /// `JOURNAL_KEEP_DAYS` / `JOURNAL_KEEP_COUNT`: how many finished journals are kept.
    pub journal_keep: JournalKeep,
    /// `SWITCHOVER_MAX_LAG`: bytes the standby's replay may be behind the primary's flush
    /// when a switchover starts (default 0).
    pub switchover_max_lag: u64,
    /// `REWIND_VIA_SSH_TUNNEL`: how pg_rewind reaches the primary (default `auto`).
    pub rewind_via: RewindVia,
    /// Problems that did not stop the load (unknown keys, stray lines, repeated keys).
    pub warnings: Vec<ConfigWarning>,
}

/// `REWIND_VIA_SSH_TUNNEL`: how pg_rewind connects to the primary's PostgreSQL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RewindVia {
    /// Straight to the peer's D-LAN address; through the tunnel when that is refused.
    #[default]
    Auto,
    /// Always through an SSH tunnel to the peer's `127.0.0.1` (as the Perl tool does).
    Always,
    /// Always straight to the peer's D-LAN address.
    Never,
}

impl std::str::FromStr for RewindVia {
    type Err = ();
    fn from_str(s: &str) -> std::result::Result<Self, ()> {
        match s.to_ascii_lowercase().as_str() {
            "auto" => Ok(RewindVia::Auto),
            "always" => Ok(RewindVia::Always),
            "never" => Ok(RewindVia::Never),
            _ => Err(()),
        }
    }
}

impl Config {
    /// Every name pgrex needs: explicit resource-ID keys first, then `NAMING_PROFILE`, then
    /// detection from `cluster_ids` (the resource ids in the cluster's XML).
    pub fn names<'a>(&self, cluster_ids: impl IntoIterator<Item = &'a str>) -> Names {
        self.names_with(None, cluster_ids)
    }

    /// As [`Config::names`], with a `--profile` flag that wins over `NAMING_PROFILE`.
    pub fn names_with<'a>(
        &self,
        flag: Option<ProfileChoice>,
        cluster_ids: impl IntoIterator<Item = &'a str>,
    ) -> Names {
        let (choice, source) = match (flag, self.naming_profile) {
            (Some(c), _) => (c, "flag"),
            (None, Some(c)) => (c, "config"),
            (None, None) => (ProfileChoice::Auto, "default"),
        };
        Names::resolve(&self.explicit_ids, choice, source, cluster_ids)
    }

    /// The peer's ssh password, read now from `PEER_NODE_SSH_PASS_FILE` (None unless the
    /// mode is `passfile`).
    pub fn peer_password(&self) -> Result<Option<SecretString>> {
        self.peer_ssh
            .password_for(&Diag { path: &self.path }, keys::PEER_FILE)
    }

    /// The backup host's ssh password, read now from `BACKUP_NODE_SSH_PASS_FILE`.
    pub fn backup_password(&self) -> Result<Option<SecretString>> {
        self.backup_ssh
            .password_for(&Diag { path: &self.path }, keys::BACKUP_FILE)
    }
}

/// Parse and check the text of a configuration file. `path` names it in messages; `local`
/// is this host's addresses ([`local_addresses`]), used to tell our side from the peer's.
pub fn parse(text: &str, path: &Path, local: &[IpAddr]) -> Result<Config> {
    let d = Diag { path };
    let lexed = lexer::lex(text);
    let warnings = collect_warnings(&d, &lexed);
    validate::validate(&d, &lexed, local, warnings, true)
}

/// Read and check a configuration file for a read-only view that never logs in to the
/// peer (`status`, `check`): everything is checked except the SSH password files, which a
/// monitoring user in the `haclient` group cannot read (they are root's, mode 0600).
pub fn load_for_view(path: &Path, local: &[IpAddr]) -> Result<Config> {
    let text = read(path)?;
    let d = Diag { path };
    let lexed = lexer::lex(&text);
    let warnings = collect_warnings(&d, &lexed);
    validate::validate(&d, &lexed, local, warnings, false)
}

/// Read, parse and check a configuration file.
pub fn load(path: &Path, local: &[IpAddr]) -> Result<Config> {
    parse(&read(path)?, path, local)
}

/// The file's text (bytes, a stray Latin-1 comment replaced rather than refused).
fn read(path: &Path) -> Result<String> {
    let bytes = crate::bounded::read(path, crate::bounded::CONFIG).map_err(|e| Error::Config {
        file: path.to_path_buf(),
        line: 0,
        key: None,
        message: t!(m::UNREADABLE),
        hint: Some(t!(m::UNREADABLE_HINT, path = DEFAULT_PATH)),
        source: Some(e.into()),
    })?;
    // The Perl tools read bytes; a stray Latin-1 comment must not make the file unreadable.
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// Unknown keys (with the closest known one), lines that are not settings, repeated keys.
fn collect_warnings(d: &Diag, lexed: &lexer::Lexed) -> Vec<ConfigWarning> {
    let mut out = Vec::new();
    for s in &lexed.strays {
        out.push(d.warning(s.line, None, t!(m::NOT_A_SETTING, text = s.text)));
    }
    let mut seen: std::collections::HashMap<&str, usize> = Default::default();
    for s in &lexed.settings {
        if let Some(previous) = seen.insert(&s.key, s.line) {
            out.push(d.warning(
                s.line,
                Some(&s.key),
                t!(m::DUPLICATE, key = s.key, previous = previous),
            ));
        }
        if keys::lookup(&s.key).is_none() {
            out.push(unknown(d, &s.key, s.line));
        }
    }
    // `KEY =` lines set nothing, but a misspelt key there is still worth a word.
    for (key, &line) in &lexed.empty {
        if keys::lookup(key).is_none() {
            out.push(unknown(d, key, line));
        }
    }
    out.sort_by_key(|w| w.line);
    out
}

fn unknown(d: &Diag, key: &str, line: usize) -> ConfigWarning {
    let suggestion = keys::suggest(key);
    let message = match suggestion {
        Some(k) => t!(m::UNKNOWN_KEY_SUGGEST, key = key, suggestion = k),
        None => t!(m::UNKNOWN_KEY, key = key),
    };
    let mut w = d.warning(line, Some(key), message);
    w.suggestion = suggestion;
    w
}

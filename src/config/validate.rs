//! The checks of spec §1.3, in the Perl tools' order (the first failure stops), turning the
//! lexed settings into a [`Config`]. pgrex's new keys are checked last, so a file the Perl
//! tools accept fails here, if at all, with the same first error.

use super::addrs::{self, DLan, IcPair};
use super::diag::{ConfigWarning, Diag};
use super::keys::{self, *};
use super::lexer::{split_list, Lexed};
use super::passfile::{self, SshPassMode};
use super::{retention, timeouts, Config, RewindVia};
use crate::msg::config as m;
use crate::profile::{ExplicitIds, ProfileChoice};
use crate::{t, Result};
use regex::Regex;
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::LazyLock;

static CLUSTER_NAME: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[_0-9A-Za-z][-_0-9A-Za-z]*$").expect("static regex"));

/// Check everything, in order, and build the config.
pub(crate) fn validate(
    d: &Diag,
    lexed: &Lexed,
    local: &[IpAddr],
    warnings: Vec<ConfigWarning>,
    check_pass_files: bool,
) -> Result<Config> {
    // Required keys, in Perl's order (COMMON_MS0004).
    for k in KEYS.iter().filter(|k| k.required) {
        if lexed.get(k.name).is_none() {
            return Err(missing(d, lexed, &warnings, k.name));
        }
    }

    // Archive_dir absolute (MS0005).
    let archive_dir = required(lexed, ARCHIVE_DIR);
    if !archive_dir.starts_with('/') {
        return Err(d.error(
            line(lexed, ARCHIVE_DIR),
            Some(ARCHIVE_DIR),
            t!(m::NOT_ABSOLUTE, key = ARCHIVE_DIR, value = archive_dir),
            t!(
                m::NOT_ABSOLUTE_HINT,
                key = ARCHIVE_DIR,
                example = keys::example(ARCHIVE_DIR)
            ),
        ));
    }

    // STONITH must be enable (MS0006).
    let stonith = value(lexed, STONITH).unwrap_or("enable");
    if stonith != "enable" {
        return Err(d.error(
            line(lexed, STONITH),
            Some(STONITH),
            t!(m::STONITH_NOT_ENABLE, value = stonith),
            t!(m::STONITH_NOT_ENABLE_HINT),
        ));
    }

    // IPADDR_STANDBY enable|disable (MS0021).
    let ipaddr_standby = match value(lexed, IPADDR_STANDBY).unwrap_or("enable") {
        "enable" => true,
        "disable" => false,
        other => {
            return Err(d.error(
                line(lexed, IPADDR_STANDBY),
                Some(IPADDR_STANDBY),
                t!(m::IPADDR_STANDBY_BAD, value = other),
                t!(m::IPADDR_STANDBY_BAD_HINT),
            ))
        }
    };

    // Both ssh modes (MS0034), then both pass files (MS0004/0005/0058).
    let (peer_ssh, backup_ssh) = ssh_modes(d, lexed, check_pass_files)?;

    // STONITH_ResourceID: exactly two ids when present (MS0022).
    let stonith_ids = match lexed.get(STONITH_ID) {
        None => None,
        Some(s) => {
            let ids = split_list(&s.value);
            if ids.len() != 2 {
                return Err(d.error(
                    s.line,
                    Some(STONITH_ID),
                    t!(m::STONITH_IDS_COUNT, count = ids.len()),
                    t!(m::STONITH_IDS_COUNT_HINT),
                ));
            }
            Some(id_list(d, STONITH_ID, s.line, &s.value)?)
        }
    };

    // D-LAN count (MS0007), IC-LAN shape (MS0057), IC-LAN pair counts (MS0007); this host's
    // addresses (MS0008), then which side is ours (MS0009/MS0010).
    let (d_lan, ic_lan) = lans(d, lexed, local)?;

    // HACLUSTER_NAME (MS0057).
    let hacluster_name = required(lexed, HACLUSTER_NAME);
    if !CLUSTER_NAME.is_match(&hacluster_name) {
        return Err(d.error(
            line(lexed, HACLUSTER_NAME),
            Some(HACLUSTER_NAME),
            t!(m::CLUSTER_NAME_BAD, value = hacluster_name),
            t!(m::CLUSTER_NAME_BAD_HINT),
        ));
    }

    // pgrex's own checks from here on.
    let explicit_ids = explicit_ids(d, lexed, ipaddr_standby, stonith_ids)?;

    let naming_profile = match lexed.get(NAMING_PROFILE) {
        None => None,
        Some(s) => Some(s.value.parse::<ProfileChoice>().map_err(|_| {
            d.error(
                s.line,
                Some(NAMING_PROFILE),
                t!(m::PROFILE_BAD, value = s.value),
                t!(m::PROFILE_BAD_HINT),
            )
        })?),
    };

    let timeouts = timeouts::from_settings(d, lexed)?;
    let journal_keep = retention::from_settings(d, lexed)?;
    let switchover_max_lag = match lexed.get(SWITCHOVER_MAX_LAG) {
        None => 0,
        Some(s) => s.value.parse::<u64>().map_err(|_| {
            d.error(
                s.line,
                Some(SWITCHOVER_MAX_LAG),
                t!(m::BYTES_BAD, key = SWITCHOVER_MAX_LAG, value = s.value),
                t!(m::BYTES_HINT, key = SWITCHOVER_MAX_LAG),
            )
        })?,
    };

    let rewind_via = match lexed.get(REWIND_VIA_SSH_TUNNEL) {
        None => RewindVia::Auto,
        Some(s) => s.value.parse::<RewindVia>().map_err(|_| {
            d.error(
                s.line,
                Some(REWIND_VIA_SSH_TUNNEL),
                t!(m::REWIND_VIA_BAD, value = s.value),
                t!(m::REWIND_VIA_HINT),
            )
        })?,
    };

    Ok(Config {
        path: d.path.to_path_buf(),
        archive_dir: PathBuf::from(archive_dir),
        d_lan,
        ic_lan,
        ipaddr_standby,
        pgpath: lexed.value(PGPATH).map(PathBuf::from),
        peer_ssh,
        backup_ssh,
        hacluster_name,
        explicit_ids,
        naming_profile,
        timeouts,
        journal_keep,
        switchover_max_lag,
        rewind_via,
        warnings,
    })
}

/// The value of a key, or its default.
fn value<'a>(lexed: &'a Lexed, k: &str) -> Option<&'a str> {
    lexed
        .value(k)
        .or_else(|| keys::lookup(k).and_then(|k| k.default))
}

/// The line a key is set on (0 when it is not).
fn line(lexed: &Lexed, k: &str) -> usize {
    lexed.get(k).map_or(0, |s| s.line)
}

/// A required key's value (their presence is checked first).
fn required(lexed: &Lexed, k: &str) -> String {
    lexed
        .value(k)
        .expect("required keys are checked first")
        .to_string()
}

/// `PEER_NODE_SSH_PASS_MODE` and `BACKUP_NODE_SSH_PASS_MODE`, then their pass files.
/// Both ssh modes; with `check_pass_files` (not for a view, which never uses the password)
/// each pass file is checked too, else its path is kept as written.
fn ssh_modes(
    d: &Diag,
    lexed: &Lexed,
    check_pass_files: bool,
) -> Result<(SshPassMode, SshPassMode)> {
    let mode = |key: &str, file_key: &str| {
        passfile::parse_mode(
            d,
            line(lexed, key),
            key,
            file_key,
            value(lexed, key).unwrap_or("manual"),
        )
    };
    let mut peer_ssh = mode(PEER_MODE, PEER_FILE)?;
    let mut backup_ssh = mode(BACKUP_MODE, BACKUP_FILE)?;
    for (auth, mode_key, file_key, who) in [
        (&mut peer_ssh, PEER_MODE, PEER_FILE, "peer"),
        (&mut backup_ssh, BACKUP_MODE, BACKUP_FILE, "backup"),
    ] {
        if let SshPassMode::Passfile(p) = auth {
            let setting = lexed.get(file_key).map(|s| (s.value.as_str(), s.line));
            if !check_pass_files {
                *p = setting.map(|(v, _)| v.into()).unwrap_or_default();
                continue;
            }
            *p = passfile::check_file(d, mode_key, file_key, who, setting)?;
        }
    }
    Ok((peer_ssh, backup_ssh))
}

/// D-LAN and IC-LAN: their shapes, this host's addresses, and which side of each is ours.
fn lans(d: &Diag, lexed: &Lexed, local: &[IpAddr]) -> Result<(DLan, Vec<IcPair>)> {
    let dlan_text = required(lexed, D_LAN);
    let dlan_pair = addrs::parse_dlan(d, line(lexed, D_LAN), &dlan_text)?;
    let ic_text = required(lexed, IC_LAN);
    let ic_line = line(lexed, IC_LAN);
    let rings = addrs::ic_ring_texts(d, ic_line, &ic_text)?;
    let mut ic_pairs = Vec::with_capacity(rings.len());
    for (i, ring) in rings.iter().enumerate() {
        ic_pairs.push(addrs::parse_ic_ring(d, ic_line, i + 1, ring)?);
    }

    // This host's addresses (MS0008), then which side is ours (MS0009/MS0010).
    addrs::require_local(d, local)?;
    let (mine, peer) =
        addrs::mine_and_peer(d, line(lexed, D_LAN), D_LAN, &dlan_text, dlan_pair, local)?;
    let d_lan = DLan { mine, peer };
    let mut ic_lan = Vec::with_capacity(ic_pairs.len());
    for (ring, pair) in rings.iter().zip(ic_pairs) {
        let shown = format!("({ring})");
        let (mine, peer) = addrs::mine_and_peer(d, ic_line, IC_LAN, &shown, pair, local)?;
        ic_lan.push(IcPair { mine, peer });
    }
    Ok((d_lan, ic_lan))
}

/// The resource ids the configuration names (pgrex's own keys).
fn explicit_ids(
    d: &Diag,
    lexed: &Lexed,
    ipaddr_standby: bool,
    stonith: Option<Vec<String>>,
) -> Result<ExplicitIds> {
    let list = |k: &str| -> Result<Option<Vec<String>>> {
        lexed
            .get(k)
            .map(|s| id_list(d, k, s.line, &s.value))
            .transpose()
    };
    let explicit_ids = ExplicitIds {
        promotable: Some(required(lexed, PRIMARY_ID)),
        primitive: Some(required(lexed, PRIMITIVE_ID)),
        vip_primary: lexed.value(VIP_PRIMARY_ID).map(str::to_string),
        vip_replication: lexed.value(VIP_REPLICATION_ID).map(str::to_string),
        // IPADDR_STANDBY = disable forces the standby VIP off, whatever its id says.
        vip_standby: if ipaddr_standby {
            lexed.value(VIP_STANDBY_ID).map(|v| Some(v.to_string()))
        } else {
            Some(None)
        },
        ping: list(PING_ID)?,
        disk: list(STORAGE_MON_ID)?,
        stonith,
    };
    Ok(explicit_ids)
}

/// A comma list of resource ids with no empty entry.
fn id_list(d: &Diag, key: &str, line: usize, value: &str) -> Result<Vec<String>> {
    let ids = split_list(value);
    if ids.iter().any(|s| s.is_empty()) {
        return Err(d.error(
            line,
            Some(key),
            t!(m::LIST_EMPTY_ENTRY, key = key, value = value),
            t!(
                m::LIST_EMPTY_ENTRY_HINT,
                key = key,
                example = keys::example(key)
            ),
        ));
    }
    Ok(ids.into_iter().map(str::to_string).collect())
}

/// The error for a missing required key, with the most useful hint: an empty `KEY =` line,
/// a misspelt key that was meant to be this one, or just the line to add.
fn missing(d: &Diag, lexed: &Lexed, warnings: &[ConfigWarning], key: &str) -> crate::Error {
    let example = keys::example(key);
    let hint = if let Some(line) = lexed.empty.get(key) {
        t!(
            m::MISSING_KEY_EMPTY_HINT,
            line = line,
            key = key,
            example = example
        )
    } else if let Some(w) = warnings.iter().rev().find(|w| w.suggestion == Some(key)) {
        let found = w.key.clone().unwrap_or_default();
        t!(
            m::MISSING_KEY_CASE_HINT,
            line = w.line,
            found = found,
            key = key,
            example = example
        )
    } else {
        t!(m::MISSING_KEY_HINT, key = key, example = example)
    };
    d.error(0, Some(key), t!(m::MISSING_KEY, key = key), hint)
}

//! Verifying the peer's host key against root's `known_hosts`, the way OpenSSH would with
//! `StrictHostKeyChecking=yes`: a key that matches is accepted; an unknown host or a changed
//! key is an error showing the key's SHA256 fingerprint and how to fix it. Nothing is ever
//! added to the file.
//!
//! The file is checked one line at a time, so one line libssh2 cannot read (an unsupported
//! key type, a `@cert-authority` marker) does not hide the others, and a host listed only
//! under another key type is told apart from a changed key. Hashed entries
//! (`|1|salt|hash`) and `[host]:port` entries are matched by libssh2; `@revoked` keys are
//! checked here.

use std::path::Path;

use base64::Engine;
use ssh2::{CheckResult, HashType, HostKeyType, KnownHostFileKind, Session};

use crate::node::error::NodeError;

/// What `known_hosts` says about the key the server showed.
pub(crate) enum HostKeyCheck {
    Match,
    /// Nothing for this host.
    NotFound {
        key_type: String,
        fingerprint: String,
    },
    /// The host is listed, but only with keys of other types: the handshake should be
    /// redone preferring one of these (as OpenSSH prefers algorithms it has keys for).
    OtherTypes {
        types: Vec<String>,
        key_type: String,
        fingerprint: String,
    },
}

pub(crate) fn key_type_name(t: HostKeyType) -> &'static str {
    match t {
        HostKeyType::Rsa => "ssh-rsa",
        HostKeyType::Dss => "ssh-dss",
        HostKeyType::Ecdsa256 => "ecdsa-sha2-nistp256",
        HostKeyType::Ecdsa384 => "ecdsa-sha2-nistp384",
        HostKeyType::Ecdsa521 => "ecdsa-sha2-nistp521",
        HostKeyType::Ed25519 => "ssh-ed25519",
        HostKeyType::Unknown => "unknown",
    }
}

/// `SHA256:…` as `ssh-keygen -lf` and OpenSSH print it.
pub(crate) fn fingerprint(sess: &Session) -> String {
    match sess.host_key_hash(HashType::Sha256) {
        Some(h) => format!(
            "SHA256:{}",
            base64::engine::general_purpose::STANDARD_NO_PAD.encode(h)
        ),
        None => "(unavailable)".into(),
    }
}

pub(crate) fn verify(
    sess: &Session,
    addr: &str,
    port: u16,
    known_hosts: &Path,
) -> Result<HostKeyCheck, NodeError> {
    let check_err = |source: crate::error::BoxError| NodeError::HostKeyCheck {
        addr: addr.to_string(),
        known_hosts: known_hosts.to_path_buf(),
        source,
    };
    let (key, kind) = sess
        .host_key()
        .ok_or_else(|| check_err(crate::msg::node::NO_HOST_KEY.text().into()))?;
    let key_type = key_type_name(kind).to_string();
    let fp = fingerprint(sess);
    let text = match std::fs::read_to_string(known_hosts) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(check_err(e.into())),
    };
    if is_revoked(&text, key) {
        return Err(NodeError::HostKeyChanged {
            addr: addr.to_string(),
            port,
            key_type,
            fingerprint: format!("{fp} (marked @revoked)"),
            known_hosts: known_hosts.to_path_buf(),
        });
    }
    // One line at a time, so a mismatch can be told apart: the same key type with another
    // key is a changed key; another key type only means "negotiate that type".
    let mut other_types: Vec<String> = Vec::new();
    let mut changed = false;
    for line in text.lines() {
        let l = line.trim();
        if l.is_empty() || l.starts_with('#') || l.starts_with('@') {
            continue;
        }
        let mut kh = sess.known_hosts().map_err(|e| check_err(e.into()))?;
        // A line libssh2 cannot parse is skipped: OpenSSH ignores such lines too.
        if kh.read_str(l, KnownHostFileKind::OpenSSH).is_err() {
            continue;
        }
        match kh.check_port(addr, port, key) {
            CheckResult::Match => return Ok(HostKeyCheck::Match),
            CheckResult::Mismatch => match l.split_whitespace().nth(1) {
                Some(t) if t != key_type => {
                    if !other_types.iter().any(|o| o == t) {
                        other_types.push(t.to_string());
                    }
                }
                _ => changed = true,
            },
            CheckResult::NotFound | CheckResult::Failure => {}
        }
    }
    if changed {
        return Err(NodeError::HostKeyChanged {
            addr: addr.to_string(),
            port,
            key_type,
            fingerprint: fp,
            known_hosts: known_hosts.to_path_buf(),
        });
    }
    if other_types.is_empty() {
        Ok(HostKeyCheck::NotFound {
            key_type,
            fingerprint: fp,
        })
    } else {
        Ok(HostKeyCheck::OtherTypes {
            types: other_types,
            key_type,
            fingerprint: fp,
        })
    }
}

/// The host key algorithms that produce keys of these known_hosts types.
pub(crate) fn algorithms_for(types: &[String]) -> String {
    let mut algs: Vec<&str> = Vec::new();
    for t in types {
        match t.as_str() {
            "ssh-rsa" => algs.extend(["rsa-sha2-512", "rsa-sha2-256", "ssh-rsa"]),
            "ssh-ed25519" => algs.push("ssh-ed25519"),
            "ecdsa-sha2-nistp256" => algs.push("ecdsa-sha2-nistp256"),
            "ecdsa-sha2-nistp384" => algs.push("ecdsa-sha2-nistp384"),
            "ecdsa-sha2-nistp521" => algs.push("ecdsa-sha2-nistp521"),
            _ => {}
        }
    }
    algs.join(",")
}

/// Whether a `@revoked` line lists this exact key (whatever host pattern it has).
fn is_revoked(text: &str, key: &[u8]) -> bool {
    text.lines()
        .filter_map(|l| l.trim().strip_prefix("@revoked"))
        .any(|rest| {
            let mut w = rest.split_whitespace();
            let (_hosts, _type, blob) = (w.next(), w.next(), w.next());
            blob.and_then(|b| base64::engine::general_purpose::STANDARD.decode(b).ok())
                .as_deref()
                == Some(key)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn algorithms_for_known_types() {
        assert_eq!(
            algorithms_for(&["ssh-rsa".into()]),
            "rsa-sha2-512,rsa-sha2-256,ssh-rsa"
        );
        assert_eq!(
            algorithms_for(&[
                "ecdsa-sha2-nistp256".into(),
                "ssh-dss".into(),
                "ssh-ed25519".into()
            ]),
            "ecdsa-sha2-nistp256,ssh-ed25519"
        );
    }

    #[test]
    fn revoked_keys_are_found() {
        let key = b"\x00\x00\x00\x0bssh-ed25519key";
        let b64 = base64::engine::general_purpose::STANDARD.encode(key);
        assert!(is_revoked(
            &format!("host ssh-ed25519 AAAA\n@revoked * ssh-ed25519 {b64}\n"),
            key
        ));
        assert!(!is_revoked(&format!("* ssh-ed25519 {b64}\n"), key));
        assert!(!is_revoked("@revoked * ssh-ed25519 AAAA\n", key));
    }
}

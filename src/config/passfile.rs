//! How pgrex logs in to the peer (and to the backup host) by ssh: `*_SSH_PASS_MODE` and the
//! password file checks (spec §1.2: present, absolute, mode exactly 0600; pgrex adds readable
//! and a non-empty first line).
//!
//! The password itself is read only when needed ([`SshPassMode::password`]) and kept in a
//! [`SecretString`]: it never appears in an error, a log or `Debug` output.

use super::diag::Diag;
use crate::msg::config as m;
use crate::{t, Result};
use secrecy::{ExposeSecret, SecretString};
use std::io::{BufRead, BufReader, Read};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// `*_SSH_PASS_MODE` as configured: how to log in by ssh (`node::SshAuth` is the form a
/// session uses, with the prompt and key files filled in).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SshPassMode {
    /// Ask the operator for the password (`manual`, the default).
    Manual,
    /// Read it from the first line of this file (`passfile`).
    Passfile(PathBuf),
    /// Key-based login, no password (`nopass`).
    Nopass,
}

impl SshPassMode {
    /// The password of a `Passfile` (None for the other modes). Read now, not at load time,
    /// so it lives in memory only while it is used.
    ///
    /// Errors name the pass file itself; [`super::Config::peer_password`] names the
    /// configuration file and key instead.
    pub fn password(&self) -> Result<Option<SecretString>> {
        match self {
            SshPassMode::Passfile(p) => {
                read_first_line(&Diag { path: p }, 0, m::PASSWORD_FILE.text(), p).map(Some)
            }
            _ => Ok(None),
        }
    }

    /// As [`SshPassMode::password`], with errors about `key` of the configuration file `d`.
    pub(crate) fn password_for(&self, d: &Diag, key: &str) -> Result<Option<SecretString>> {
        match self {
            SshPassMode::Passfile(p) => read_first_line(d, 0, key, p).map(Some),
            _ => Ok(None),
        }
    }
}

/// The mode keyword, checked (Perl COMMON_MS0034). `Passfile`'s path is filled in later.
pub(crate) fn parse_mode(
    d: &Diag,
    line: usize,
    key: &str,
    file_key: &str,
    value: &str,
) -> Result<SshPassMode> {
    match value {
        "manual" => Ok(SshPassMode::Manual),
        "nopass" => Ok(SshPassMode::Nopass),
        "passfile" => Ok(SshPassMode::Passfile(PathBuf::new())),
        other => Err(d.error(
            line,
            Some(key),
            t!(m::PASS_MODE_BAD, key = key, value = other),
            t!(m::PASS_MODE_BAD_HINT, key = key, file_key = file_key),
        )),
    }
}

/// The checks of one pass file, in Perl's order: set (MS0004), absolute (MS0005), mode 0600
/// (MS0058, also when missing), then readable with a non-empty first line.
pub(crate) fn check_file(
    d: &Diag,
    mode_key: &str,
    key: &str,
    who: &str,
    setting: Option<(&str, usize)>,
) -> Result<PathBuf> {
    let Some((value, line)) = setting else {
        return Err(d.error(
            0,
            Some(key),
            t!(m::PASSFILE_UNSET, mode_key = mode_key, key = key),
            t!(
                m::PASSFILE_UNSET_HINT,
                key = key,
                who = who,
                mode_key = mode_key
            ),
        ));
    };
    if !value.starts_with('/') {
        return Err(d.error(
            line,
            Some(key),
            t!(m::NOT_ABSOLUTE, key = key, value = value),
            t!(
                m::NOT_ABSOLUTE_HINT,
                key = key,
                example = super::keys::example(key)
            ),
        ));
    }
    let path = Path::new(value);
    // The name itself, never a link's target: a chmod suggested for a link would change
    // whatever it points to.
    let meta = match std::fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(d.error(
                line,
                Some(key),
                t!(m::PASSFILE_NOT_FOUND, key = key, path = value),
                t!(m::PASSFILE_NOT_FOUND_HINT, path = value),
            ))
        }
        Err(e) => {
            return Err(d
                .error(
                    line,
                    Some(key),
                    t!(m::PASSFILE_UNREADABLE, key = key, path = value),
                    t!(m::PASSFILE_UNREADABLE_HINT, path = value),
                )
                .with_source(e))
        }
    };
    if meta.file_type().is_symlink() {
        return Err(d.error(
            line,
            Some(key),
            t!(m::PASSFILE_SYMLINK, key = key, path = value),
            t!(m::PASSFILE_SYMLINK_HINT, key = key),
        ));
    }
    let uid = std::os::unix::fs::MetadataExt::uid(&meta);
    if uid != nix::unistd::geteuid().as_raw() {
        return Err(d.error(
            line,
            Some(key),
            t!(m::PASSFILE_OWNER, key = key, path = value, uid = uid),
            t!(m::PASSFILE_OWNER_HINT, path = value),
        ));
    }
    let mode = meta.permissions().mode() & 0o7777;
    if mode != 0o600 {
        return Err(d.error(
            line,
            Some(key),
            t!(
                m::PASSFILE_MODE,
                key = key,
                path = value,
                mode = format!("{mode:04o}")
            ),
            t!(m::PASSFILE_MODE_HINT, path = value),
        ));
    }
    // Read it once to prove it is usable; the secret is dropped (and zeroed) at once.
    drop(read_first_line(d, line, key, path)?);
    Ok(path.to_path_buf())
}

fn read_first_line(d: &Diag, line: usize, key: &str, path: &Path) -> Result<SecretString> {
    let shown = path.display().to_string();
    let unreadable = |e: std::io::Error| {
        d.error(
            line,
            Some(key),
            t!(m::PASSFILE_UNREADABLE, key = key, path = shown),
            t!(m::PASSFILE_UNREADABLE_HINT, path = shown),
        )
        .with_source(e)
    };
    let file = crate::bounded::open_regular(path).map_err(|e| match e {
        crate::bounded::ReadError::Io(io) => unreadable(io),
        other => unreadable(std::io::Error::other(other)),
    })?;
    // One line, and never more than a pass file may hold.
    let mut first = String::new();
    BufReader::new(file.take(crate::bounded::PASS_FILE.bytes))
        .read_line(&mut first)
        .map_err(unreadable)?;
    let password = SecretString::from(first);
    let trimmed = password.expose_secret().trim_end_matches(['\n', '\r']);
    if trimmed.is_empty() {
        return Err(d.error(
            line,
            Some(key),
            t!(m::PASSFILE_EMPTY, key = key, path = shown),
            t!(m::PASSFILE_EMPTY_HINT, path = shown),
        ));
    }
    Ok(SecretString::from(trimmed.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn dd() -> Diag<'static> {
        Diag {
            path: Path::new("/t.conf"),
        }
    }
    const MODE: &str = "PEER_NODE_SSH_PASS_MODE";
    const KEY: &str = "PEER_NODE_SSH_PASS_FILE";

    fn passfile(content: &str, mode: u32) -> tempfile::NamedTempFile {
        let mut f = tempfile::NamedTempFile::new().unwrap();
        f.write_all(content.as_bytes()).unwrap();
        std::fs::set_permissions(f.path(), std::fs::Permissions::from_mode(mode)).unwrap();
        f
    }

    fn check(path: &str) -> Result<PathBuf> {
        check_file(&dd(), MODE, KEY, "peer", Some((path, 9)))
    }

    fn msg(r: Result<PathBuf>) -> String {
        match r.unwrap_err() {
            crate::Error::Config {
                message, line, key, ..
            } => {
                assert_eq!(key.as_deref(), Some(KEY));
                assert!(line == 9 || line == 0);
                message
            }
            e => panic!("{e:?}"),
        }
    }

    #[test]
    fn modes_parse() {
        assert_eq!(
            parse_mode(&dd(), 1, MODE, KEY, "manual").unwrap(),
            SshPassMode::Manual
        );
        assert_eq!(
            parse_mode(&dd(), 1, MODE, KEY, "nopass").unwrap(),
            SshPassMode::Nopass
        );
        assert!(matches!(
            parse_mode(&dd(), 1, MODE, KEY, "passfile").unwrap(),
            SshPassMode::Passfile(_)
        ));
        let e = parse_mode(&dd(), 1, MODE, KEY, "Manual").unwrap_err();
        assert!(
            e.to_string()
                .contains("must be `manual`, `passfile` or `nopass`, found `Manual`"),
            "{e}"
        );
    }

    #[test]
    fn good_passfile() {
        let f = passfile("s3cret\nignored\n", 0o600);
        let p = check(f.path().to_str().unwrap()).unwrap();
        let pw = SshPassMode::Passfile(p).password().unwrap().unwrap();
        assert_eq!(pw.expose_secret(), "s3cret");
        assert!(SshPassMode::Manual.password().unwrap().is_none());
    }

    #[test]
    fn unset_file() {
        let e = check_file(&dd(), MODE, KEY, "peer", None).unwrap_err();
        assert_eq!(
            e.to_string(),
            "/t.conf: PEER_NODE_SSH_PASS_MODE is `passfile`, but PEER_NODE_SSH_PASS_FILE is not set"
        );
    }

    #[test]
    fn relative_path() {
        assert_eq!(msg(check("root/.pass")), "PEER_NODE_SSH_PASS_FILE must be an absolute path (starting with `/`), found `root/.pass`");
    }

    #[test]
    fn missing_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("nope");
        assert!(msg(check(p.to_str().unwrap())).ends_with("does not exist"));
    }

    #[test]
    fn wrong_modes() {
        for mode in [0o644, 0o400, 0o640, 0o700, 0o4600] {
            let f = passfile("pw\n", mode);
            let m = msg(check(f.path().to_str().unwrap()));
            assert!(
                m.ends_with(&format!("has mode {mode:04o}; it must be exactly 0600")),
                "{m}"
            );
        }
    }

    #[test]
    fn empty_first_line() {
        for content in ["", "\n", "\r\nsecond"] {
            let f = passfile(content, 0o600);
            assert!(
                msg(check(f.path().to_str().unwrap())).contains("first line"),
                "{content:?}"
            );
        }
    }

    /// A link is refused whatever its target, with no chmod in the hint (it would change
    /// the target); a file of another owner is refused; a FIFO does not hang the check.
    #[test]
    fn a_link_another_owner_or_a_fifo_is_refused() {
        let f = passfile("pw\n", 0o600);
        let dir = tempfile::tempdir().unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(f.path(), &link).unwrap();
        let e = check(link.to_str().unwrap()).unwrap_err();
        assert!(e.to_string().contains("symbolic link"), "{e}");
        assert!(
            !e.hint().unwrap_or_default().contains("chmod"),
            "{:?}",
            e.hint()
        );
        if nix::unistd::geteuid().is_root() {
            let other = passfile("pw\n", 0o600);
            std::os::unix::fs::chown(other.path(), Some(65534), None).unwrap();
            let m = msg(check(other.path().to_str().unwrap()));
            assert!(m.contains("owned by uid 65534"), "{m}");
        }
        let fifo = dir.path().join("fifo");
        nix::unistd::mkfifo(&fifo, nix::sys::stat::Mode::from_bits_truncate(0o600)).unwrap();
        let m = msg(check(fifo.to_str().unwrap()));
        assert!(m.contains("cannot read"), "{m}");
    }

    #[test]
    fn directory_is_unreadable() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o600)).unwrap();
        let m = msg(check(dir.path().to_str().unwrap()));
        assert!(m.contains("cannot read"), "{m}");
        std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).unwrap();
    }

    #[test]
    fn password_never_in_errors_or_debug() {
        let f = passfile("hunter2\n", 0o600);
        let auth = SshPassMode::Passfile(f.path().to_path_buf());
        let pw = auth.password().unwrap().unwrap();
        assert!(!format!("{pw:?}").contains("hunter2"));
        assert!(!format!("{auth:?}").contains("hunter2"));
        std::fs::set_permissions(f.path(), std::fs::Permissions::from_mode(0o644)).unwrap();
        let e = check(f.path().to_str().unwrap()).unwrap_err();
        assert!(!format!("{e:?} {e}").contains("hunter2"));
    }
}

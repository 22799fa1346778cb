//! Checks of the values an operation takes from the cluster (the pgsql resource's `pgdata`,
//! `tmpdir`, `repuser`, read from the peer's CIB) and from this node (the `pg_wal` link's
//! target, `ARCHIVE_DIR`) before they reach `install -d`, `find -delete` or a conninfo.
//! A path must be absolute, normalised, not a system directory, free of control characters,
//! and the directories must not lie inside one another (the archive not inside PGDATA). A
//! role name must be a plain one. Conninfo values are quoted ([`conninfo`]).
//!
//! Pure: no node is asked; a refusal (exit 3) names the key, the value and what is wrong.

use super::pg::PgParams;
use crate::msg::ops as m;
use crate::{t, Error, Result};
use std::path::{Component, Path};

/// Directories that are never a data directory, a WAL directory or an archive.
const SYSTEM_DIRS: &[&str] = &[
    "/", "/bin", "/boot", "/dev", "/etc", "/home", "/lib", "/lib64", "/opt", "/proc", "/root",
    "/run", "/sbin", "/srv", "/sys", "/tmp", "/usr", "/var", "/var/lib", "/var/log",
];

fn refuse(key: &str, value: &str, why: String) -> Error {
    Error::refused(
        t!(
            m::PEER_VALUE_BAD,
            key = key,
            value = value.escape_debug(),
            why = why
        ),
        Some(t!(m::PEER_VALUE_HINT, key = key)),
    )
}

/// Why `path` is not usable as a directory pgrex empties or creates, if it is not.
pub fn path_problem(path: &str) -> Option<String> {
    if path.chars().any(char::is_control) {
        return Some(t!(m::PATH_CONTROL));
    }
    if !path.starts_with('/') {
        return Some(t!(m::PATH_NOT_ABSOLUTE));
    }
    let normal = path == "/"
        || (!path.ends_with('/')
            && !path.contains("//")
            && Path::new(path)
                .components()
                .all(|c| matches!(c, Component::RootDir | Component::Normal(_))));
    if !normal || path.split('/').any(|p| p == "." || p == "..") {
        return Some(t!(m::PATH_NOT_NORMAL));
    }
    if SYSTEM_DIRS.contains(&path) {
        return Some(t!(m::PATH_SYSTEM));
    }
    None
}

/// `inner` is `outer` or lies below it.
fn inside(inner: &Path, outer: &Path) -> bool {
    inner.starts_with(outer)
}

/// A PostgreSQL role name pgrex puts in a conninfo: plain, as the RA's `repuser` is.
pub fn role_problem(name: &str) -> Option<String> {
    let ok = !name.is_empty()
        && name.len() <= 63
        && name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '$' | '-'));
    (!ok).then(|| t!(m::ROLE_BAD))
}

/// Check the parameters read from the cluster and, when given, the archive directory of
/// this node's configuration (`ARCHIVE_DIR`, which must not lie inside PGDATA).
pub fn check_params(p: &PgParams, archive_dir: Option<&Path>) -> Result<()> {
    let pgdata = p.pgdata.to_string_lossy();
    let tmpdir = p.tmpdir.to_string_lossy();
    for (key, value) in [("pgdata", &pgdata), ("tmpdir", &tmpdir)] {
        if let Some(why) = path_problem(value) {
            return Err(refuse(key, value, why));
        }
    }
    if let Some(why) = role_problem(&p.repuser) {
        return Err(refuse("repuser", &p.repuser, why));
    }
    if let Some(a) = archive_dir {
        let shown = a.to_string_lossy();
        if let Some(why) = path_problem(&shown) {
            return Err(refuse("ARCHIVE_DIR", &shown, why));
        }
        if inside(a, &p.pgdata) || inside(&p.pgdata, a) {
            let why = t!(m::PATH_INSIDE, other = pgdata, other_key = "pgdata");
            return Err(refuse("ARCHIVE_DIR", &shown, why));
        }
    }
    Ok(())
}

/// Check the target of `<pgdata>/pg_wal` (a link to a WAL directory elsewhere) before it is
/// emptied: a usable path, neither inside PGDATA nor holding it.
pub fn check_waldir(waldir: &str, pgdata: &Path) -> Result<()> {
    let key = "pg_wal";
    if let Some(why) = path_problem(waldir) {
        return Err(refuse(key, waldir, why));
    }
    let w = Path::new(waldir);
    if inside(w, pgdata) || inside(pgdata, w) {
        let why = t!(
            m::PATH_INSIDE,
            other = pgdata.display(),
            other_key = "pgdata"
        );
        return Err(refuse(key, waldir, why));
    }
    Ok(())
}

/// A libpq conninfo string with every value single-quoted (`\` and `'` escaped), so a value
/// with a space or a quote stays one value.
pub fn conninfo(pairs: &[(&str, &str)]) -> String {
    pairs
        .iter()
        .map(|(k, v)| {
            let v = v.replace('\\', "\\\\").replace('\'', "\\'");
            format!("{k}='{v}'")
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn params(pgdata: &str, repuser: &str) -> PgParams {
        PgParams {
            bindir: None,
            pgdata: PathBuf::from(pgdata),
            tmpdir: PathBuf::from("/var/lib/pgsql/tmp"),
            repuser: repuser.into(),
            port: 5432,
            socketdir: None,
        }
    }

    #[test]
    fn good_values_pass() {
        let p = params("/var/lib/pgsql/data", "repuser");
        check_params(&p, Some(Path::new("/var/lib/pgsql/archive"))).unwrap();
        check_waldir("/pgwal/15", &p.pgdata).unwrap();
    }

    #[test]
    fn bad_paths_from_the_peer_are_refused() {
        for bad in [
            "var/lib/pgsql/data",
            "/var/lib/pgsql/../../etc",
            "/var/lib/pgsql/./data",
            "/var/lib//pgsql",
            "/var/lib/pgsql/data/",
            "/",
            "/etc",
            "/var/lib/pgsql/data\nrm",
        ] {
            let e = check_params(&params(bad, "postgres"), None).unwrap_err();
            assert_eq!(e.exit_code(), crate::ExitCode::Refused, "{bad:?}");
            assert!(e.to_string().contains("pgdata"), "{bad:?}: {e}");
        }
    }

    #[test]
    fn directories_inside_one_another_are_refused() {
        let p = params("/var/lib/pgsql/data", "postgres");
        let e = check_params(&p, Some(Path::new("/var/lib/pgsql/data/archive"))).unwrap_err();
        assert!(e.to_string().contains("inside /var/lib/pgsql/data"), "{e}");
        assert!(check_params(&p, Some(Path::new("/var/lib/pgsql"))).is_err());
        assert!(check_waldir("/var/lib/pgsql/data/pg_wal2", &p.pgdata).is_err());
        assert!(check_waldir("/var/lib", &p.pgdata).is_err());
        assert!(check_waldir("/var/lib/pgsql", &p.pgdata).is_err());
    }

    #[test]
    fn a_role_that_is_not_plain_is_refused() {
        for bad in ["", "rep user", "rep' password='x", "9rep", &"r".repeat(64)] {
            let e = check_params(&params("/data", bad), None).unwrap_err();
            assert!(e.to_string().contains("repuser"), "{bad:?}: {e}");
        }
        check_params(&params("/data", "rep_user$1"), None).unwrap();
    }

    #[test]
    fn conninfo_values_are_quoted() {
        assert_eq!(
            conninfo(&[("host", "192.0.2.2"), ("user", "o'neil \\ x")]),
            "host='192.0.2.2' user='o\\'neil \\\\ x'"
        );
    }
}

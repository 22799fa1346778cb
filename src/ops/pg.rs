//! Where PostgreSQL's programs are and how they are run for an operation: the bin
//! directory (`PGPATH`, else the directory of the resource's `pgctl` parameter, else
//! `PATH`), the parameters the pgsql resource gives (`pgdata`, `tmpdir`, `repuser`,
//! `pgport`, `socketdir`), and the small commands built from them.

use crate::exec::Cmd;
use crate::pacemaker::cib::CibFacts;
use std::path::{Path, PathBuf};

/// The pgsql resource's parameters that operations use, with the RA's defaults.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PgParams {
    pub bindir: Option<PathBuf>,
    pub pgdata: PathBuf,
    pub tmpdir: PathBuf,
    pub repuser: String,
    pub port: u16,
    pub socketdir: Option<PathBuf>,
}

impl PgParams {
    /// From the CIB (`primitive` = the pgsql primitive id) and `PGPATH`.
    pub fn from_cib(cib: &CibFacts, primitive: &str, pgpath: Option<&Path>) -> PgParams {
        let p = |k: &str| cib.param(primitive, k).filter(|v| !v.is_empty());
        let bindir = pgpath.map(Path::to_path_buf).or_else(|| {
            p("pgctl")
                .and_then(|c| Path::new(c).parent())
                .map(Path::to_path_buf)
        });
        PgParams {
            bindir,
            pgdata: PathBuf::from(p("pgdata").unwrap_or("/var/lib/pgsql/data")),
            tmpdir: PathBuf::from(p("tmpdir").unwrap_or("/var/lib/pgsql/tmp")),
            repuser: p("repuser").unwrap_or("postgres").to_string(),
            port: p("pgport").and_then(|v| v.parse().ok()).unwrap_or(5432),
            socketdir: p("socketdir").map(PathBuf::from),
        }
    }

    /// A PostgreSQL program (`psql`, `pg_controldata`, …), run with `LANG=C` so its output
    /// can be parsed.
    pub fn program(&self, name: &str) -> Cmd {
        let path = match &self.bindir {
            Some(d) => d.join(name),
            None => PathBuf::from(name),
        };
        Cmd::new(path).env("LANG", "C").env("LC_ALL", "C")
    }

    /// `psql` on the local server, one statement, unaligned tuples only.
    pub fn psql(&self, sql: &str) -> Cmd {
        let mut c = self
            .program("psql")
            .args(["-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-p"])
            .arg(self.port.to_string());
        if let Some(d) = &self.socketdir {
            c = c.arg("-h").arg(d);
        }
        c.args(["-d", "postgres", "-c", sql])
    }

    pub fn lock_file(&self) -> PathBuf {
        self.tmpdir.join("PGSQL.lock")
    }
}

//! What a running server reports: role, timeline, LSNs, replication rows and the settings
//! that decide whether pg_rewind can work.
//!
//! One SQL statement returns everything as text in a single row, so the two ways of asking
//! give the same [`PgFacts`]:
//! - [`query_facts`]: tokio-postgres on a current-thread runtime, over a unix socket or TCP;
//! - [`psql_facts_cmd`] + [`parse_psql_facts`]: `psql` run through a `Node` as the
//!   PostgreSQL owner (the way to reach the peer's server over SSH, and the local one when
//!   root cannot log in as `postgres` over the socket).

use std::path::{Path, PathBuf};
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};

use super::lsn::Lsn;
use super::PgError;
use crate::exec::Cmd;

/// Separators inside the aggregated replication column (ASCII group/file separators: they
/// cannot occur in an application name or an address).
const ROW_SEP: char = '\u{1d}';
const COL_SEP: char = '\u{1c}';
/// psql's field separator for the top-level columns.
const FIELD_SEP: char = '\u{1f}';

/// The one statement. Every column is text; NULL where a value does not apply (no current
/// LSN on a standby, no receive LSN on a primary).
pub const FACTS_SQL: &str = "SELECT pg_is_in_recovery()::text, \
 CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_current_wal_lsn()::text END, \
 CASE WHEN pg_is_in_recovery() THEN NULL ELSE pg_walfile_name(pg_current_wal_lsn()) END, \
 pg_last_wal_receive_lsn()::text, \
 pg_last_wal_replay_lsn()::text, \
 (SELECT timeline_id FROM pg_control_checkpoint())::text, \
 (SELECT received_tli FROM pg_stat_wal_receiver)::text, \
 current_setting('full_page_writes'), \
 current_setting('wal_log_hints'), \
 current_setting('data_checksums'), \
 current_setting('port'), \
 current_setting('server_version_num'), \
 (SELECT setting FROM pg_settings WHERE name = 'wal_segment_size'), \
 (SELECT string_agg(concat_ws(chr(28), application_name, coalesce(client_addr::text, ''), \
   coalesce(state, ''), coalesce(sync_state, ''), coalesce(sent_lsn::text, ''), \
   coalesce(write_lsn::text, ''), coalesce(flush_lsn::text, ''), coalesce(replay_lsn::text, '')), \
   chr(29) ORDER BY application_name) FROM pg_stat_replication)";

const COLUMNS: usize = 14;

/// One row of `pg_stat_replication` (on a primary: one per connected standby).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ReplicationRow {
    pub application_name: String,
    /// Empty for a connection over a unix socket.
    pub client_addr: Option<String>,
    pub state: String,
    /// `sync`, `async`, `potential`, `quorum`.
    pub sync_state: String,
    pub sent_lsn: Option<Lsn>,
    pub write_lsn: Option<Lsn>,
    pub flush_lsn: Option<Lsn>,
    pub replay_lsn: Option<Lsn>,
}

/// What a running server says about itself.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PgFacts {
    pub in_recovery: bool,
    /// Primary: `pg_current_wal_lsn()`.
    pub current_lsn: Option<Lsn>,
    /// The timeline WAL is written on now (primary), or received on (standby, when the WAL
    /// receiver runs), else the latest checkpoint's.
    pub timeline: u32,
    /// The latest checkpoint's timeline: behind `timeline` right after a promotion until the
    /// first checkpoint (spec §3.2 fact P).
    pub checkpoint_timeline: u32,
    pub receive_lsn: Option<Lsn>,
    pub replay_lsn: Option<Lsn>,
    pub full_page_writes: bool,
    pub wal_log_hints: bool,
    pub data_checksums: bool,
    pub port: u16,
    pub server_version_num: u32,
    pub wal_segment_size: u64,
    pub replication: Vec<ReplicationRow>,
}

impl PgFacts {
    /// The major version (`150004` → 15).
    pub fn major_version(&self) -> u32 {
        self.server_version_num / 10000
    }

    /// pg_rewind can work against this server's data.
    pub fn rewind_capable(&self) -> bool {
        self.full_page_writes && (self.wal_log_hints || self.data_checksums)
    }

    /// The standbys in synchronous replication.
    pub fn sync_standbys(&self) -> impl Iterator<Item = &ReplicationRow> {
        self.replication.iter().filter(|r| r.sync_state == "sync")
    }

    /// Build the facts from the statement's columns (`None` = SQL NULL).
    pub fn from_columns(cols: &[Option<String>], origin: &str) -> Result<PgFacts, PgError> {
        if cols.len() != COLUMNS {
            return Err(PgError::Query {
                target: origin.to_string(),
                message: format!("expected {COLUMNS} columns, got {}", cols.len()),
            });
        }
        let c = Cols { cols, origin };
        let wal_tli = c.opt(2).map(|f| c.tli_of_walfile(f)).transpose()?;
        let checkpoint_timeline: u32 = c.num(5, "timeline_id")?;
        let received_tli: Option<u32> = c.opt(6).map(|_| c.num(6, "received_tli")).transpose()?;
        Ok(PgFacts {
            in_recovery: c.bool(0, "pg_is_in_recovery")?,
            current_lsn: c.lsn(1, "pg_current_wal_lsn")?,
            timeline: wal_tli.or(received_tli).unwrap_or(checkpoint_timeline),
            checkpoint_timeline,
            receive_lsn: c.lsn(3, "pg_last_wal_receive_lsn")?,
            replay_lsn: c.lsn(4, "pg_last_wal_replay_lsn")?,
            full_page_writes: c.bool(7, "full_page_writes")?,
            wal_log_hints: c.bool(8, "wal_log_hints")?,
            data_checksums: c.bool(9, "data_checksums")?,
            port: c.num(10, "port")?,
            server_version_num: c.num(11, "server_version_num")?,
            wal_segment_size: c.num(12, "wal_segment_size")?,
            replication: c
                .opt(13)
                .map(|s| c.replication(s))
                .transpose()?
                .unwrap_or_default(),
        })
    }
}

struct Cols<'a> {
    cols: &'a [Option<String>],
    origin: &'a str,
}

impl Cols<'_> {
    fn opt(&self, i: usize) -> Option<&str> {
        self.cols[i].as_deref().filter(|s| !s.is_empty())
    }
    fn bad(&self, name: &str, value: &str) -> PgError {
        PgError::BadField {
            origin: self.origin.to_string(),
            field: name.to_string(),
            value: value.to_string(),
        }
    }
    fn req(&self, i: usize, name: &'static str) -> Result<&str, PgError> {
        self.opt(i).ok_or_else(|| PgError::MissingField {
            origin: self.origin.to_string(),
            field: name,
        })
    }
    fn num<T: std::str::FromStr>(&self, i: usize, name: &'static str) -> Result<T, PgError> {
        let v = self.req(i, name)?;
        v.parse().map_err(|_| self.bad(name, v))
    }
    fn bool(&self, i: usize, name: &'static str) -> Result<bool, PgError> {
        match self.req(i, name)? {
            "true" | "on" => Ok(true),
            "false" | "off" => Ok(false),
            v => Err(self.bad(name, v)),
        }
    }
    fn lsn(&self, i: usize, name: &'static str) -> Result<Option<Lsn>, PgError> {
        self.opt(i)
            .map(|v| v.parse().map_err(|_| self.bad(name, v)))
            .transpose()
    }
    fn tli_of_walfile(&self, f: &str) -> Result<u32, PgError> {
        f.get(..8)
            .and_then(|t| u32::from_str_radix(t, 16).ok())
            .ok_or_else(|| self.bad("pg_walfile_name", f))
    }
    fn replication(&self, s: &str) -> Result<Vec<ReplicationRow>, PgError> {
        s.split(ROW_SEP)
            .map(|row| {
                let f: Vec<&str> = row.split(COL_SEP).collect();
                if f.len() != 8 {
                    return Err(self.bad("pg_stat_replication", row));
                }
                let lsn = |v: &str| -> Result<Option<Lsn>, PgError> {
                    (!v.is_empty())
                        .then(|| v.parse().map_err(|_| self.bad("pg_stat_replication", v)))
                        .transpose()
                };
                Ok(ReplicationRow {
                    application_name: f[0].to_string(),
                    client_addr: (!f[1].is_empty()).then(|| f[1].to_string()),
                    state: f[2].to_string(),
                    sync_state: f[3].to_string(),
                    sent_lsn: lsn(f[4])?,
                    write_lsn: lsn(f[5])?,
                    flush_lsn: lsn(f[6])?,
                    replay_lsn: lsn(f[7])?,
                })
            })
            .collect()
    }
}

/// Where a server listens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PgTarget {
    /// The unix socket directory (e.g. `/var/run/postgresql`) and port.
    Socket { dir: PathBuf, port: u16 },
    /// A TCP address (the peer's D-LAN address) and port.
    Tcp { host: String, port: u16 },
}

impl std::fmt::Display for PgTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PgTarget::Socket { dir, port } => write!(f, "{}/.s.PGSQL.{port}", dir.display()),
            PgTarget::Tcp { host, port } => write!(f, "{host}:{port}"),
        }
    }
}

/// How to connect with tokio-postgres. The password, if any, never leaves the secret.
#[derive(Debug)]
pub struct PgConnect {
    pub target: PgTarget,
    pub user: String,
    pub dbname: String,
    pub password: Option<SecretString>,
    pub connect_timeout: Duration,
}

impl PgConnect {
    pub fn new(target: PgTarget) -> Self {
        PgConnect {
            target,
            user: "postgres".into(),
            dbname: "postgres".into(),
            password: None,
            connect_timeout: Duration::from_secs(10),
        }
    }
}

/// Ask a server for its facts over tokio-postgres. One tracing event per query, with the
/// target, the user, its duration and the error if any (never the password).
pub fn query_facts(conn: &PgConnect) -> Result<PgFacts, PgError> {
    let started = std::time::Instant::now();
    let r = query_facts_unlogged(conn);
    let elapsed_ms = started.elapsed().as_millis() as u64;
    let target = conn.target.to_string();
    match &r {
        Ok(_) => tracing::debug!(%target, user = %conn.user, elapsed_ms, "sql query finished"),
        Err(e) => {
            tracing::debug!(%target, user = %conn.user, elapsed_ms, error = %e, "sql query failed")
        }
    }
    r
}

fn query_facts_unlogged(conn: &PgConnect) -> Result<PgFacts, PgError> {
    let target = conn.target.to_string();
    let mut cfg = tokio_postgres::Config::new();
    cfg.user(&conn.user)
        .dbname(&conn.dbname)
        .connect_timeout(conn.connect_timeout);
    cfg.application_name("pgrex");
    match &conn.target {
        PgTarget::Socket { dir, port } => cfg.host_path(dir).port(*port),
        PgTarget::Tcp { host, port } => cfg.host(host).port(*port),
    };
    if let Some(p) = &conn.password {
        cfg.password(p.expose_secret());
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| PgError::Connect {
            target: target.clone(),
            message: e.to_string(),
        })?;
    rt.block_on(async {
        let (client, connection) =
            cfg.connect(tokio_postgres::NoTls)
                .await
                .map_err(|e| PgError::Connect {
                    target: target.clone(),
                    message: describe(&e),
                })?;
        let conn_task = tokio::spawn(connection);
        let msgs = client
            .simple_query(FACTS_SQL)
            .await
            .map_err(|e| PgError::Query {
                target: target.clone(),
                message: describe(&e),
            })?;
        drop(client);
        let _ = conn_task.await;
        let row = msgs
            .iter()
            .find_map(|m| match m {
                tokio_postgres::SimpleQueryMessage::Row(r) => Some(r),
                _ => None,
            })
            .ok_or_else(|| PgError::Query {
                target: target.clone(),
                message: "no row returned".into(),
            })?;
        let cols: Vec<Option<String>> = (0..row.len())
            .map(|i| row.get(i).map(str::to_string))
            .collect();
        PgFacts::from_columns(&cols, &target)
    })
}

/// The server's own message (tokio-postgres' Display of a DbError is only "db error").
fn describe(e: &tokio_postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{}: {}", db.severity(), db.message()),
        None => {
            let mut s = e.to_string();
            let mut src = std::error::Error::source(e);
            while let Some(inner) = src {
                s.push_str(": ");
                s.push_str(&inner.to_string());
                src = inner.source();
            }
            s
        }
    }
}

/// The `psql` command that prints the facts as one line (run it as the PostgreSQL owner,
/// with `LANG=C`). `socket_dir` `None` uses the server's compiled-in default.
pub fn psql_facts_cmd(psql: &Path, port: u16, socket_dir: Option<&Path>) -> Cmd {
    let mut c =
        Cmd::new(psql)
            .env("LANG", "C")
            .args(["-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1"]);
    c = c
        .arg("-F")
        .arg(FIELD_SEP.to_string())
        .arg("-p")
        .arg(port.to_string());
    if let Some(d) = socket_dir {
        c = c.arg("-h").arg(d);
    }
    c.args(["-d", "postgres", "-c", FACTS_SQL])
}

/// Parse what [`psql_facts_cmd`] printed (psql prints NULL as an empty field).
pub fn parse_psql_facts(stdout: &str, origin: &str) -> Result<PgFacts, PgError> {
    let line = stdout.strip_suffix('\n').unwrap_or(stdout);
    let cols: Vec<Option<String>> = line.split(FIELD_SEP).map(|s| Some(s.to_string())).collect();
    PgFacts::from_columns(&cols, origin)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(fields: &[&str]) -> String {
        let mut s = fields.join(&FIELD_SEP.to_string());
        s.push('\n');
        s
    }

    #[test]
    fn primary_with_a_sync_standby() {
        let repl = format!(
            "pm02{c}192.0.2.2/32{c}streaming{c}sync{c}0/3018108{c}0/3018108{c}0/3018108{c}0/3018100{r}pm03{c}{c}catchup{c}async{c}{c}{c}{c}",
            c = COL_SEP,
            r = ROW_SEP
        );
        let out = line(&[
            "false",
            "0/3018108",
            "000000020000000000000003",
            "",
            "",
            "1",
            "",
            "on",
            "off",
            "on",
            "5432",
            "150004",
            "16777216",
            &repl,
        ]);
        let f = parse_psql_facts(&out, "psql on pm01").unwrap();
        assert!(!f.in_recovery);
        assert_eq!(
            f.timeline, 2,
            "from the current WAL file, not the checkpoint"
        );
        assert_eq!(f.checkpoint_timeline, 1);
        assert_eq!(f.current_lsn, Some("0/3018108".parse().unwrap()));
        assert_eq!(f.receive_lsn, None);
        assert_eq!(f.major_version(), 15);
        assert!(f.rewind_capable());
        assert_eq!(f.replication.len(), 2);
        assert_eq!(
            f.sync_standbys()
                .map(|r| r.application_name.as_str())
                .collect::<Vec<_>>(),
            ["pm02"]
        );
        assert_eq!(
            f.replication[0].client_addr.as_deref(),
            Some("192.0.2.2/32")
        );
        assert_eq!(
            f.replication[0].replay_lsn,
            Some("0/3018100".parse().unwrap())
        );
        assert_eq!(f.replication[1].client_addr, None);
        assert_eq!(f.replication[1].sent_lsn, None);
    }

    #[test]
    fn standby_without_replication_rows() {
        let out = line(&[
            "true",
            "",
            "",
            "0/5000000",
            "0/4FFFFF8",
            "3",
            "4",
            "on",
            "on",
            "off",
            "5433",
            "170002",
            "67108864",
            "",
        ]);
        let f = parse_psql_facts(&out, "t").unwrap();
        assert!(f.in_recovery);
        assert_eq!(
            f.timeline, 4,
            "received timeline wins over the checkpoint's"
        );
        assert_eq!(f.current_lsn, None);
        assert_eq!(f.receive_lsn, Some("0/5000000".parse().unwrap()));
        assert!(f.replication.is_empty());
        assert_eq!(f.port, 5433);
        assert_eq!(f.wal_segment_size, 64 << 20);
        assert!(f.rewind_capable());
    }

    #[test]
    fn bad_output_is_an_error() {
        assert!(matches!(
            parse_psql_facts("", "t"),
            Err(PgError::Query { .. })
        ));
        let out = line(&[
            "maybe", "", "", "", "", "1", "", "on", "on", "on", "5432", "150004", "16777216", "",
        ]);
        assert!(matches!(
            parse_psql_facts(&out, "t"),
            Err(PgError::BadField { .. })
        ));
        let out = line(&[
            "false", "0/1", "", "", "", "", "", "on", "on", "on", "5432", "150004", "16777216", "",
        ]);
        assert!(matches!(
            parse_psql_facts(&out, "t"),
            Err(PgError::MissingField {
                field: "timeline_id",
                ..
            })
        ));
    }

    #[test]
    fn a_query_is_logged_without_its_password() {
        let d = tempfile::tempdir().unwrap();
        let mut c = PgConnect::new(PgTarget::Socket {
            dir: d.path().to_path_buf(),
            port: 5999,
        });
        c.password = Some(SecretString::from("hunter2-pg".to_string()));
        crate::exec::test_log::log_lines("");
        assert!(matches!(query_facts(&c), Err(PgError::Connect { .. })));
        let marker = d.path().to_string_lossy().into_owned();
        let lines = crate::exec::test_log::log_lines(&marker);
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert!(lines[0].contains("sql query failed"), "{lines:?}");
        assert!(lines[0].contains("elapsed_ms="), "{lines:?}");
        assert!(!lines[0].contains("hunter2"), "{lines:?}");
    }

    #[test]
    fn psql_command_line() {
        let c = psql_facts_cmd(
            Path::new("/usr/lib/postgresql/15/bin/psql"),
            5432,
            Some(Path::new("/run/postgresql")),
        );
        let argv = c.argv();
        assert_eq!(argv[0], "/usr/lib/postgresql/15/bin/psql");
        assert!(argv.windows(2).any(|w| w == ["-h", "/run/postgresql"]));
        assert_eq!(argv.last().unwrap(), FACTS_SQL);
        assert!(c
            .env_changes()
            .any(|(k, v)| k == "LANG" && v == Some("C".as_ref())));
    }
}

//! The one SQL statement and the [`PgFacts`] built from its columns, whichever way it was
//! asked.

use crate::postgres::lsn::Lsn;
use crate::postgres::PgError;

/// Separators inside the aggregated replication column (ASCII group/file separators: they
/// cannot occur in an application name or an address).
pub(super) const ROW_SEP: char = '\u{1d}';
pub(super) const COL_SEP: char = '\u{1c}';

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
                source: format!("expected {COLUMNS} columns, got {}", cols.len()).into(),
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

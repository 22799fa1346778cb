//! Whether commits can complete on a primary: its standbys' last reply and lag as
//! `pg_stat_replication` shows them, and the sessions waiting for the synchronous standby
//! (`wait_event = 'SyncRep'` in `pg_stat_activity`). Pacemaker's attributes still read
//! `HS:sync` for several seconds after the replication LAN fails (the pgsql resource agent
//! notices only at its next monitor and the walsender only at `wal_sender_timeout`), while
//! every synchronous commit already waits: this reading sees it first.
//!
//! A second statement beside [`super::FACTS_SQL`] (which operations read too and this one
//! leaves unchanged), asked in the same connection by the status reader; ages are computed
//! by the server (`now() - …`, in milliseconds), so no clock of ours is compared with its.

use crate::postgres::PgError;

/// The statement. Every column is text; NULL (or empty) where a value does not apply.
pub const SYNC_SQL: &str = "SELECT \
 (SELECT count(*) FROM pg_stat_activity WHERE wait_event = 'SyncRep')::text, \
 (SELECT (extract(epoch FROM now() - min(query_start)) * 1000)::bigint FROM pg_stat_activity \
   WHERE wait_event = 'SyncRep')::text, \
 (SELECT to_char(min(query_start) AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS \"UTC\"') \
   FROM pg_stat_activity WHERE wait_event = 'SyncRep'), \
 current_setting('synchronous_standby_names'), \
 (SELECT setting FROM pg_settings WHERE name = 'wal_receiver_status_interval'), \
 (SELECT setting FROM pg_settings WHERE name = 'wal_sender_timeout'), \
 (SELECT string_agg(concat_ws(chr(28), application_name, coalesce(state, ''), \
   coalesce(sync_state, ''), \
   coalesce((extract(epoch FROM now() - reply_time) * 1000)::bigint::text, ''), \
   coalesce((extract(epoch FROM write_lag) * 1000)::bigint::text, ''), \
   coalesce((extract(epoch FROM flush_lag) * 1000)::bigint::text, ''), \
   coalesce((extract(epoch FROM replay_lag) * 1000)::bigint::text, '')), \
   chr(29) ORDER BY application_name) FROM pg_stat_replication)";

const COLUMNS: usize = 7;
const ROW_FIELDS: usize = 7;

/// One standby's last reply and lags (milliseconds; `None`: not reported, e.g. the lags of
/// a standby that has caught up with an idle primary).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct StandbyReply {
    pub name: String,
    pub state: String,
    pub sync_state: String,
    /// `now() - reply_time`: how long the standby has been silent.
    pub reply_age_ms: Option<u64>,
    pub write_lag_ms: Option<u64>,
    pub flush_lag_ms: Option<u64>,
    pub replay_lag_ms: Option<u64>,
}

/// What the server says about its synchronous commits.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SyncHealth {
    /// Sessions waiting for the synchronous standby to confirm their commit.
    pub waiting: u32,
    /// How long the oldest of them has waited (its statement's start), in milliseconds.
    pub oldest_wait_ms: Option<u64>,
    /// When the oldest began, in the server's words (`2026-12-01 10:41:07 UTC`).
    pub waiting_since: Option<String>,
    /// `synchronous_standby_names` (empty: commits never wait for a standby).
    pub sync_names: String,
    /// `wal_receiver_status_interval` in milliseconds, as this server is configured (the
    /// standbys of a PG-REX pair share the file).
    pub status_interval_ms: u64,
    /// `wal_sender_timeout` in milliseconds.
    pub sender_timeout_ms: u64,
    pub standbys: Vec<StandbyReply>,
}

impl SyncHealth {
    /// How long a standby may stay silent before that is a finding: twice the interval at
    /// which a healthy standby replies even with nothing to say, else (no interval) half of
    /// `wal_sender_timeout`, when the primary asks for a reply; `None`: neither is set.
    pub fn silence_limit_ms(&self) -> Option<u64> {
        if self.status_interval_ms > 0 {
            Some(2 * self.status_interval_ms)
        } else if self.sender_timeout_ms > 0 {
            Some(self.sender_timeout_ms / 2)
        } else {
            None
        }
    }

    /// Build it from the statement's columns (`None` = SQL NULL).
    pub fn from_columns(cols: &[Option<String>], origin: &str) -> Result<SyncHealth, PgError> {
        let bad = |field: &str, value: &str| PgError::BadField {
            origin: origin.to_string(),
            field: field.to_string(),
            value: value.to_string(),
        };
        if cols.len() != COLUMNS {
            return Err(PgError::Query {
                target: origin.to_string(),
                source: format!("expected {COLUMNS} columns, got {}", cols.len()).into(),
            });
        }
        let opt = |i: usize| cols[i].as_deref().filter(|s| !s.is_empty());
        let num = |i: usize, field: &'static str| -> Result<Option<u64>, PgError> {
            opt(i)
                .map(|v| {
                    v.parse::<i64>()
                        .map(|n| n.max(0) as u64)
                        .map_err(|_| bad(field, v))
                })
                .transpose()
        };
        let req = |i: usize, field: &'static str| -> Result<u64, PgError> {
            num(i, field)?.ok_or(PgError::MissingField {
                origin: origin.to_string(),
                field,
            })
        };
        let rows = opt(6)
            .map(|s| {
                s.split(super::facts::ROW_SEP)
                    .map(|row| standby(row, &bad))
                    .collect::<Result<Vec<_>, _>>()
            })
            .transpose()?
            .unwrap_or_default();
        Ok(SyncHealth {
            waiting: req(0, "SyncRep waiters")? as u32,
            oldest_wait_ms: num(1, "SyncRep wait")?,
            waiting_since: opt(2).map(str::to_string),
            sync_names: opt(3).unwrap_or_default().to_string(),
            status_interval_ms: req(4, "wal_receiver_status_interval")? * 1000,
            sender_timeout_ms: req(5, "wal_sender_timeout")?,
            standbys: rows,
        })
    }
}

fn standby(row: &str, bad: &dyn Fn(&str, &str) -> PgError) -> Result<StandbyReply, PgError> {
    let f: Vec<&str> = row.split(super::facts::COL_SEP).collect();
    if f.len() != ROW_FIELDS {
        return Err(bad("pg_stat_replication", row));
    }
    let ms = |v: &str| -> Result<Option<u64>, PgError> {
        (!v.is_empty())
            .then(|| {
                v.parse::<i64>()
                    .map(|n| n.max(0) as u64)
                    .map_err(|_| bad("pg_stat_replication", v))
            })
            .transpose()
    };
    Ok(StandbyReply {
        name: f[0].to_string(),
        state: f[1].to_string(),
        sync_state: f[2].to_string(),
        reply_age_ms: ms(f[3])?,
        write_lag_ms: ms(f[4])?,
        flush_lag_ms: ms(f[5])?,
        replay_lag_ms: ms(f[6])?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cols(v: &[&str]) -> Vec<Option<String>> {
        v.iter().map(|s| Some(s.to_string())).collect()
    }

    #[test]
    fn a_reading_with_one_standby() {
        let row = ["pm02", "streaming", "sync", "1200", "", "", "3"].join("\u{1c}");
        let h = SyncHealth::from_columns(
            &cols(&[
                "2",
                "5300",
                "2026-12-01 10:41:07 UTC",
                "pm02",
                "5",
                "60000",
                &row,
            ]),
            "t",
        )
        .unwrap();
        assert_eq!(h.waiting, 2);
        assert_eq!(h.oldest_wait_ms, Some(5300));
        assert_eq!(h.status_interval_ms, 5000);
        assert_eq!(h.silence_limit_ms(), Some(10_000));
        assert_eq!(h.standbys[0].reply_age_ms, Some(1200));
        assert_eq!(h.standbys[0].write_lag_ms, None);
        assert_eq!(h.standbys[0].replay_lag_ms, Some(3));
    }

    #[test]
    fn without_a_status_interval_the_sender_timeout_bounds_the_silence() {
        let h = SyncHealth::from_columns(&cols(&["0", "", "", "", "0", "20000", ""]), "t").unwrap();
        assert_eq!(h.silence_limit_ms(), Some(10_000));
        assert!(h.standbys.is_empty());
        let h = SyncHealth::from_columns(&cols(&["0", "", "", "", "0", "0", ""]), "t").unwrap();
        assert_eq!(h.silence_limit_ms(), None);
    }

    #[test]
    fn a_bad_reading_is_an_error() {
        assert!(SyncHealth::from_columns(&cols(&["0"]), "t").is_err());
        let e = SyncHealth::from_columns(&cols(&["x", "", "", "", "5", "0", ""]), "t");
        assert!(matches!(e, Err(PgError::BadField { .. })), "{e:?}");
        let e = SyncHealth::from_columns(&cols(&["0", "", "", "", "5", "0", "pm02"]), "t");
        assert!(matches!(e, Err(PgError::BadField { .. })), "{e:?}");
    }
}

//! `pg_controldata` output, run with `LANG=C`, as typed facts.
//!
//! Each line is `label: value`; the label is everything before the FIRST colon (values such
//! as times contain colons, and one label, `Latest checkpoint's oldestCommitTsXid:0`, has no
//! space after it). The fields the operations rely on are required: a missing one is an error
//! naming it, never a default (spec §2.10, COMMON_MS0014). Everything else stays available in
//! [`ControlData::raw`].

use std::collections::BTreeMap;

use super::lsn::{Lsn, WalSegSize};
use super::wal::{SegmentId, WalName};
use super::PgError;

/// `Database cluster state` in pg_controldata: the state of this data directory (not the
/// Pacemaker cluster's, which is `pacemaker::ClusterState`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DbState {
    StartingUp,
    ShutDown,
    ShutDownInRecovery,
    ShuttingDown,
    InCrashRecovery,
    InArchiveRecovery,
    InProduction,
    /// A state this version of pgrex does not know, kept verbatim.
    Other(String),
}

/// pg_controldata's words for each known state (one table for reading and for writing).
const DB_STATE_WORDS: &[(&str, DbState)] = &[
    ("starting up", DbState::StartingUp),
    ("shut down", DbState::ShutDown),
    ("shut down in recovery", DbState::ShutDownInRecovery),
    ("shutting down", DbState::ShuttingDown),
    ("in crash recovery", DbState::InCrashRecovery),
    ("in archive recovery", DbState::InArchiveRecovery),
    ("in production", DbState::InProduction),
];

impl DbState {
    fn parse(s: &str) -> DbState {
        DB_STATE_WORDS
            .iter()
            .find(|(w, _)| *w == s)
            .map(|(_, st)| st.clone())
            .unwrap_or_else(|| DbState::Other(s.to_string()))
    }

    /// The state as pg_controldata prints it.
    pub fn as_text(&self) -> &str {
        match self {
            DbState::Other(o) => o,
            known => DB_STATE_WORDS
                .iter()
                .find(|(_, st)| st == known)
                .map_or("?", |(w, _)| w),
        }
    }

    /// Cleanly stopped (as a primary or as a standby): the data directory is consistent.
    pub fn is_shut_down(&self) -> bool {
        matches!(self, DbState::ShutDown | DbState::ShutDownInRecovery)
    }
}

/// The facts of one `pg_controldata` run.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ControlData {
    pub cluster_state: DbState,
    pub system_identifier: u64,
    /// `pg_control last modified`, as printed (C locale).
    pub last_modified: String,
    pub checkpoint_location: Lsn,
    pub redo_location: Lsn,
    pub redo_wal_file: SegmentId,
    pub checkpoint_tli: u32,
    pub prev_tli: Option<u32>,
    pub checkpoint_full_page_writes: Option<bool>,
    pub min_recovery_end: Option<Lsn>,
    pub min_recovery_end_tli: Option<u32>,
    pub wal_log_hints: bool,
    pub data_checksum_version: u32,
    pub wal_segment_size: WalSegSize,
    /// Every line, label → value.
    #[serde(skip)]
    pub raw: BTreeMap<String, String>,
}

const STATE: &str = "Database cluster state";
const SYSID: &str = "Database system identifier";
const MODIFIED: &str = "pg_control last modified";
const CKPT: &str = "Latest checkpoint location";
const REDO: &str = "Latest checkpoint's REDO location";
const REDO_FILE: &str = "Latest checkpoint's REDO WAL file";
const TLI: &str = "Latest checkpoint's TimeLineID";
const PREV_TLI: &str = "Latest checkpoint's PrevTimeLineID";
const FPW: &str = "Latest checkpoint's full_page_writes";
const MIN_RECOVERY: &str = "Minimum recovery ending location";
const MIN_RECOVERY_TLI: &str = "Min recovery ending loc's timeline";
const HINTS: &str = "wal_log_hints setting";
const CHECKSUMS: &str = "Data page checksum version";
const SEGSIZE: &str = "Bytes per WAL segment";

impl ControlData {
    /// Parse the output of `LANG=C pg_controldata <pgdata>`. `source` names where it came
    /// from (e.g. `pg_controldata /var/lib/pgsql/data on pm02`) for error messages.
    pub fn parse(text: &str, source: &str) -> Result<ControlData, PgError> {
        let mut raw = BTreeMap::new();
        for line in text.lines() {
            if let Some((k, v)) = line.split_once(':') {
                raw.insert(k.trim().to_string(), v.trim().to_string());
            }
        }
        let p = Fields { raw: &raw, source };
        let seg_bytes: u64 = p.num(SEGSIZE)?;
        let wal_segment_size =
            WalSegSize::new(seg_bytes).map_err(|e| p.bad(SEGSIZE, e.to_string()))?;
        let redo_name = p.req(REDO_FILE)?;
        let redo_wal_file = match WalName::classify(redo_name) {
            WalName::Segment {
                id,
                compression: super::wal::Compression::None,
            } => id,
            _ => return Err(p.bad(REDO_FILE, redo_name.to_string())),
        };
        Ok(ControlData {
            cluster_state: DbState::parse(p.req(STATE)?),
            system_identifier: p.num(SYSID)?,
            last_modified: p.req(MODIFIED)?.to_string(),
            checkpoint_location: p.lsn(CKPT)?,
            redo_location: p.lsn(REDO)?,
            redo_wal_file,
            checkpoint_tli: p.num(TLI)?,
            prev_tli: p.opt(PREV_TLI).map(|_| p.num(PREV_TLI)).transpose()?,
            checkpoint_full_page_writes: p.opt(FPW).map(|_| p.on_off(FPW)).transpose()?,
            min_recovery_end: p
                .opt(MIN_RECOVERY)
                .map(|_| p.lsn(MIN_RECOVERY))
                .transpose()?,
            min_recovery_end_tli: p
                .opt(MIN_RECOVERY_TLI)
                .map(|_| p.num(MIN_RECOVERY_TLI))
                .transpose()?,
            wal_log_hints: p.on_off(HINTS)?,
            data_checksum_version: p.num(CHECKSUMS)?,
            wal_segment_size,
            raw,
        })
    }

    /// pg_rewind can work on this cluster: `wal_log_hints = on` or data checksums enabled
    /// (spec §3.2 fact M).
    pub fn rewind_capable(&self) -> bool {
        self.wal_log_hints || self.data_checksum_version > 0
    }
}

struct Fields<'a> {
    raw: &'a BTreeMap<String, String>,
    source: &'a str,
}

impl Fields<'_> {
    fn opt(&self, k: &str) -> Option<&str> {
        self.raw.get(k).map(String::as_str)
    }
    fn req(&self, k: &'static str) -> Result<&str, PgError> {
        self.opt(k).ok_or_else(|| PgError::MissingField {
            origin: self.source.to_string(),
            field: k,
        })
    }
    fn bad(&self, k: &str, value: String) -> PgError {
        PgError::BadField {
            origin: self.source.to_string(),
            field: k.to_string(),
            value,
        }
    }
    fn num<T: std::str::FromStr>(&self, k: &'static str) -> Result<T, PgError> {
        let v = self.req(k)?;
        v.parse().map_err(|_| self.bad(k, v.to_string()))
    }
    fn lsn(&self, k: &'static str) -> Result<Lsn, PgError> {
        let v = self.req(k)?;
        v.parse().map_err(|_| self.bad(k, v.to_string()))
    }
    fn on_off(&self, k: &'static str) -> Result<bool, PgError> {
        match self.req(k)? {
            "on" => Ok(true),
            "off" => Ok(false),
            v => Err(self.bad(k, v.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> String {
        let p = format!(
            "{}/tests/fixtures/postgres/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{p}: {e}"))
    }

    fn parse(name: &str) -> ControlData {
        ControlData::parse(&fixture(name), name).unwrap()
    }

    #[test]
    fn shut_down_primary() {
        let c = parse("controldata_pg15_shut_down.txt");
        assert_eq!(c.cluster_state, DbState::ShutDown);
        assert!(c.cluster_state.is_shut_down());
        assert_eq!(c.system_identifier, 7711862333734725735);
        assert_eq!(c.checkpoint_tli, 1);
        assert_eq!(c.redo_location, "0/17414F8".parse().unwrap());
        assert_eq!(c.checkpoint_location, "0/17414F8".parse().unwrap());
        assert_eq!(c.redo_wal_file.name(), "000000010000000000000001");
        assert_eq!(c.wal_segment_size, WalSegSize::DEFAULT);
        assert_eq!(c.data_checksum_version, 1);
        assert!(!c.wal_log_hints);
        assert!(c.rewind_capable(), "checksums make rewind possible");
        assert_eq!(c.checkpoint_full_page_writes, Some(true));
        // the value keeps its colons (split at the first colon only)
        assert_eq!(c.last_modified, "Tue Nov 24 22:04:31 2026");
        assert_eq!(c.raw["Latest checkpoint's oldestCommitTsXid"], "0");
    }

    #[test]
    fn every_recorded_state() {
        use DbState::*;
        for (f, state, tli) in [
            ("controldata_pg15_in_production.txt", InProduction, 1),
            (
                "controldata_pg15_in_archive_recovery.txt",
                InArchiveRecovery,
                1,
            ),
            (
                "controldata_pg15_shut_down_in_recovery.txt",
                ShutDownInRecovery,
                1,
            ),
            ("controldata_pg15_promoted_tli2.txt", InProduction, 2),
        ] {
            let c = parse(f);
            assert_eq!(c.cluster_state, state, "{f}");
            assert_eq!(c.checkpoint_tli, tli, "{f}");
            assert_eq!(
                c.system_identifier, 7711862333734725735,
                "{f}: same cluster"
            );
        }
        assert!(parse("controldata_pg15_shut_down_in_recovery.txt")
            .cluster_state
            .is_shut_down());
        assert!(!parse("controldata_pg15_in_production.txt")
            .cluster_state
            .is_shut_down());
        let r = parse("controldata_pg15_in_archive_recovery.txt");
        assert_eq!(r.min_recovery_end, Some("0/3018108".parse().unwrap()));
    }

    #[test]
    fn sixty_four_mib_segments() {
        let c = parse("controldata_pg15_walseg64.txt");
        assert_eq!(c.wal_segment_size.bytes(), 64 << 20);
        assert_eq!(c.wal_segment_size.segments_per_log_id(), 0x40);
        assert_eq!(
            c.redo_location
                .segment(c.wal_segment_size)
                .file_name(c.checkpoint_tli, c.wal_segment_size),
            c.redo_wal_file.name()
        );
    }

    #[test]
    fn redo_file_agrees_with_redo_location() {
        for f in [
            "controldata_pg15_in_production.txt",
            "controldata_pg15_promoted_tli2.txt",
        ] {
            let c = parse(f);
            let s = c.wal_segment_size;
            assert_eq!(
                c.redo_location.segment(s).file_name(c.checkpoint_tli, s),
                c.redo_wal_file.name(),
                "{f}"
            );
        }
    }

    #[test]
    fn missing_required_field_is_named() {
        let text = fixture("controldata_pg15_shut_down.txt");
        for field in [
            SYSID, TLI, REDO, REDO_FILE, MODIFIED, STATE, CKPT, HINTS, CHECKSUMS, SEGSIZE,
        ] {
            let cut: String = text
                .lines()
                .filter(|l| !l.starts_with(field))
                .map(|l| format!("{l}\n"))
                .collect();
            match ControlData::parse(&cut, "pg_controldata on pm01") {
                Err(PgError::MissingField {
                    field: f,
                    origin: source,
                }) => {
                    assert_eq!(f, field);
                    assert_eq!(source, "pg_controldata on pm01");
                }
                other => panic!("{field}: {other:?}"),
            }
        }
    }

    #[test]
    fn malformed_values_are_errors() {
        let text = fixture("controldata_pg15_shut_down.txt");
        for (label, bad) in [
            (
                "Latest checkpoint's REDO location:    0/17414F8",
                "Latest checkpoint's REDO location: 0-17414F8",
            ),
            (
                "Bytes per WAL segment:                16777216",
                "Bytes per WAL segment: 1000",
            ),
            (
                "wal_log_hints setting:                off",
                "wal_log_hints setting: maybe",
            ),
            (
                "Latest checkpoint's TimeLineID:       1",
                "Latest checkpoint's TimeLineID: x",
            ),
        ] {
            assert!(text.contains(label), "fixture changed: {label}");
            let broken = text.replace(label, bad);
            let err = ControlData::parse(&broken, "t").unwrap_err();
            assert!(matches!(err, PgError::BadField { .. }), "{bad}: {err:?}");
        }
    }

    #[test]
    fn localized_output_is_rejected_clearly() {
        // Without LANG=C the labels are translated: every required field is missing.
        let err = ControlData::parse("Numéro de version de pg_control : 1300\n", "t").unwrap_err();
        assert!(matches!(err, PgError::MissingField { .. }));
        assert!(err.hint().unwrap().contains("LANG=C"), "{err}");
    }
}

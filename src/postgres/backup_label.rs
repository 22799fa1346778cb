//! `backup_label`: where recovery of a base backup starts.
//!
//! Its first line, `START WAL LOCATION: 0/2000028 (file 000000010000000000000002)`, names the
//! first WAL segment the restored cluster needs (spec §2.10, COMMON_MS0045).

use super::lsn::Lsn;
use super::wal::{Compression, SegmentId, WalName};
use super::PgError;

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BackupLabel {
    pub start_lsn: Lsn,
    pub start_wal_file: SegmentId,
    pub checkpoint_location: Option<Lsn>,
    pub start_timeline: Option<u32>,
}

impl BackupLabel {
    pub fn parse(text: &str, source: &str) -> Result<BackupLabel, PgError> {
        let first = text.lines().next().unwrap_or_default();
        let bad = || PgError::Syntax {
            origin: source.to_string(),
            line: 1,
            message: crate::t!(crate::msg::pg::BACKUP_LABEL_FIRST_LINE, found = first),
        };
        let rest = first
            .strip_prefix("START WAL LOCATION:")
            .ok_or_else(bad)?
            .trim();
        let (lsn, file) = rest.split_once(char::is_whitespace).ok_or_else(bad)?;
        let start_lsn: Lsn = lsn.parse().map_err(|_| bad())?;
        let name = file
            .trim()
            .strip_prefix("(file")
            .and_then(|f| f.strip_suffix(')'))
            .ok_or_else(bad)?
            .trim();
        let start_wal_file = match WalName::classify(name) {
            WalName::Segment {
                id,
                compression: Compression::None,
            } => id,
            _ => return Err(bad()),
        };
        let field = |label: &str| {
            text.lines()
                .find_map(|l| l.strip_prefix(label))
                .map(|v| v.trim().to_string())
        };
        Ok(BackupLabel {
            start_lsn,
            start_wal_file,
            checkpoint_location: field("CHECKPOINT LOCATION:").and_then(|v| v.parse().ok()),
            start_timeline: field("START TIMELINE:").and_then(|v| v.parse().ok()),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recorded_label() {
        let p = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/postgres/backup_label_pg15.txt"
        );
        let b = BackupLabel::parse(&std::fs::read_to_string(p).unwrap(), "backup_label").unwrap();
        assert_eq!(b.start_lsn, "0/2000028".parse().unwrap());
        assert_eq!(b.start_wal_file.name(), "000000010000000000000002");
        assert_eq!(b.checkpoint_location, Some("0/2000060".parse().unwrap()));
        assert_eq!(b.start_timeline, Some(1));
    }

    #[test]
    fn malformed_first_line() {
        for text in [
            "",
            "CHECKPOINT LOCATION: 0/2000060\n",
            "START WAL LOCATION: 0/2000028\n",
            "START WAL LOCATION: 0/2000028 (file 00000001000000000000002)\n",
            "START WAL LOCATION: nope (file 000000010000000000000002)\n",
            "START WAL LOCATION: 0/2000028 (file 000000010000000000000002.gz)\n",
        ] {
            let err = BackupLabel::parse(text, "backup_label").unwrap_err();
            assert!(
                matches!(err, PgError::Syntax { line: 1, .. }),
                "{text:?}: {err:?}"
            );
        }
    }
}

//! WAL and archive file names: what kind of file a name is, and where it sits in the WAL.
//!
//! Names in `pg_wal` and in the archive directory are `TTTTTTTTXXXXXXXXYYYYYYYY` (a segment),
//! that plus `.partial` (an unfinished segment left by a promotion), plus
//! `.OOOOOOOO.backup` (a backup history file), or `TTTTTTTT.history` (a timeline history
//! file), each optionally compressed by the archive command (`.gz`, `.bz2`). Anything else
//! is [`WalName::Other`] and must be left alone. Classification needs no segment size;
//! turning the name into a segment number does (spec Q18).

use super::lsn::{SegNo, WalSegSize};

/// Compression suffix of an archived file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Compression {
    None,
    Gzip,
    Bzip2,
}

impl Compression {
    /// The suffix including the dot (`""` for none).
    pub fn suffix(self) -> &'static str {
        match self {
            Compression::None => "",
            Compression::Gzip => ".gz",
            Compression::Bzip2 => ".bz2",
        }
    }
}

/// The timeline and raw position fields of a segment name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct SegmentId {
    pub tli: u32,
    /// The middle 8 hex digits (the 4 GiB "log id").
    pub log: u32,
    /// The last 8 hex digits (segment inside the log id).
    pub seg: u32,
}

impl SegmentId {
    /// The segment number, given the cluster's segment size. `None` when the last field is
    /// out of range for that size (e.g. `…00000040` with 64 MiB segments).
    pub fn segno(self, size: WalSegSize) -> Option<SegNo> {
        let per = size.segments_per_log_id();
        (u64::from(self.seg) < per).then(|| SegNo(u64::from(self.log) * per + u64::from(self.seg)))
    }

    /// The 24-hex-digit segment name.
    pub fn name(self) -> String {
        format!("{:08X}{:08X}{:08X}", self.tli, self.log, self.seg)
    }

    fn parse(s: &str) -> Option<SegmentId> {
        if s.len() != 24 || !is_upper_hex(s) {
            return None;
        }
        let f = |r: std::ops::Range<usize>| u32::from_str_radix(&s[r], 16).ok();
        Some(SegmentId {
            tli: f(0..8)?,
            log: f(8..16)?,
            seg: f(16..24)?,
        })
    }
}

/// What a file name in `pg_wal` or the archive directory is.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WalName {
    Segment {
        id: SegmentId,
        compression: Compression,
    },
    Partial {
        id: SegmentId,
        compression: Compression,
    },
    Backup {
        id: SegmentId,
        offset: u32,
        compression: Compression,
    },
    History {
        tli: u32,
        compression: Compression,
    },
    Other,
}

impl WalName {
    pub fn classify(name: &str) -> WalName {
        let (base, compression) = if let Some(b) = name.strip_suffix(".gz") {
            (b, Compression::Gzip)
        } else if let Some(b) = name.strip_suffix(".bz2") {
            (b, Compression::Bzip2)
        } else {
            (name, Compression::None)
        };
        if let Some(id) = SegmentId::parse(base) {
            return WalName::Segment { id, compression };
        }
        if let Some(id) = base.strip_suffix(".partial").and_then(SegmentId::parse) {
            return WalName::Partial { id, compression };
        }
        if let Some(rest) = base.strip_suffix(".backup") {
            if let Some((seg, off)) = rest.split_once('.') {
                if let (Some(id), true) =
                    (SegmentId::parse(seg), off.len() == 8 && is_upper_hex(off))
                {
                    if let Ok(offset) = u32::from_str_radix(off, 16) {
                        return WalName::Backup {
                            id,
                            offset,
                            compression,
                        };
                    }
                }
            }
        }
        if let Some(t) = base.strip_suffix(".history") {
            if t.len() == 8 && is_upper_hex(t) {
                if let Ok(tli) = u32::from_str_radix(t, 16) {
                    return WalName::History { tli, compression };
                }
            }
        }
        WalName::Other
    }

    /// The segment this name refers to (segments, partials and backup files).
    pub fn segment(&self) -> Option<SegmentId> {
        match self {
            WalName::Segment { id, .. }
            | WalName::Partial { id, .. }
            | WalName::Backup { id, .. } => Some(*id),
            _ => None,
        }
    }

    pub fn compression(&self) -> Option<Compression> {
        match self {
            WalName::Segment { compression, .. }
            | WalName::Partial { compression, .. }
            | WalName::Backup { compression, .. }
            | WalName::History { compression, .. } => Some(*compression),
            WalName::Other => None,
        }
    }

    /// A complete, uncompressed segment: its size must equal the segment size (spec §2.11).
    pub fn is_plain_segment(&self) -> bool {
        matches!(
            self,
            WalName::Segment {
                compression: Compression::None,
                ..
            }
        )
    }

    /// A WAL-related file other than a segment (history, partial, backup): the archive sync
    /// transfers these first.
    pub fn is_auxiliary(&self) -> bool {
        matches!(
            self,
            WalName::Partial { .. } | WalName::Backup { .. } | WalName::History { .. }
        )
    }
}

/// The name of the history file of a timeline (`0000000A.history`).
pub fn history_file_name(tli: u32) -> String {
    format!("{tli:08X}.history")
}

fn is_upper_hex(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_digit() || (b'A'..=b'F').contains(&b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use Compression::*;

    fn id(tli: u32, log: u32, seg: u32) -> SegmentId {
        SegmentId { tli, log, seg }
    }

    #[test]
    fn classifies_every_kind() {
        let cases = [
            (
                "000000010000000000000002",
                WalName::Segment {
                    id: id(1, 0, 2),
                    compression: None,
                },
            ),
            (
                "0000000200000001000000FF.gz",
                WalName::Segment {
                    id: id(2, 1, 0xFF),
                    compression: Gzip,
                },
            ),
            (
                "000000010000000000000003.bz2",
                WalName::Segment {
                    id: id(1, 0, 3),
                    compression: Bzip2,
                },
            ),
            (
                "000000010000000000000003.partial",
                WalName::Partial {
                    id: id(1, 0, 3),
                    compression: None,
                },
            ),
            (
                "000000010000000000000003.partial.gz",
                WalName::Partial {
                    id: id(1, 0, 3),
                    compression: Gzip,
                },
            ),
            (
                "000000010000000000000002.00000028.backup",
                WalName::Backup {
                    id: id(1, 0, 2),
                    offset: 0x28,
                    compression: None,
                },
            ),
            (
                "000000010000000000000002.00000028.backup.bz2",
                WalName::Backup {
                    id: id(1, 0, 2),
                    offset: 0x28,
                    compression: Bzip2,
                },
            ),
            (
                "00000002.history",
                WalName::History {
                    tli: 2,
                    compression: None,
                },
            ),
            (
                "0000000A.history.gz",
                WalName::History {
                    tli: 10,
                    compression: Gzip,
                },
            ),
        ];
        for (name, want) in cases {
            assert_eq!(WalName::classify(name), want, "{name}");
        }
    }

    #[test]
    fn rejects_look_alikes() {
        for name in [
            "00000001000000000000000",   // 23 digits
            "0000000100000000000000020", // 25 digits
            "00000001000000000000000a",  // lower case: PostgreSQL never writes it
            "000000010000000000000002.zst",
            "000000010000000000000002.gz.gz",
            "000000010000000000000002.backup",
            "000000010000000000000002.0028.backup",
            "2.history",
            "archive_status",
            ".000000010000000000000002",
            "000000010000000000000002.pgrex-tmp",
            "",
        ] {
            assert_eq!(WalName::classify(name), WalName::Other, "{name:?}");
        }
    }

    #[test]
    fn segment_numbers_use_the_segment_size() {
        let s16 = WalSegSize::DEFAULT;
        let s64 = WalSegSize::new(64 << 20).unwrap();
        assert_eq!(id(1, 0, 0xFF).segno(s16), Some(SegNo(0xFF)));
        assert_eq!(id(1, 1, 0).segno(s16), Some(SegNo(0x100)));
        assert_eq!(id(1, 1, 0).segno(s64), Some(SegNo(0x40)));
        assert_eq!(id(1, 0, 0x40).segno(s64), Option::None);
        // name → number → name round trip
        let n = id(3, 1, 0x3F).segno(s64).unwrap();
        assert_eq!(n.file_name(3, s64), "00000003000000010000003F");
    }

    #[test]
    fn kinds() {
        assert!(WalName::classify("000000010000000000000002").is_plain_segment());
        assert!(!WalName::classify("000000010000000000000002.gz").is_plain_segment());
        assert!(WalName::classify("00000002.history").is_auxiliary());
        assert!(WalName::classify("000000010000000000000003.partial").is_auxiliary());
        assert_eq!(history_file_name(0x1B), "0000001B.history");
        assert_eq!(Gzip.suffix(), ".gz");
    }
}

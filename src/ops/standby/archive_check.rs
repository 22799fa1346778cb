//! The archive checks standby-start makes after synchronising the archive (spec §3.2
//! "Archive synchronisation" steps 5–6 and "WAL-segment count"), as pure functions over
//! file names; [`super::act`] gathers the listings and acts on the verdicts.
//!
//! * [`newest_archived`]: the newest archived segment, the way the Perl tool finds it
//!   (`^[0-9A-F]{24}(?!\.partial$)(?:\.[^.]+)?$`: plain, compressed or with an unknown
//!   suffix; never `.partial` or `.backup`), and [`IntegrityTest`], how its integrity is
//!   checked (size, `gzip -t`, `bzip2 -t`, or a warning for an unknown suffix).
//! * [`archive_gaps`] (`check_archive_lost`, NORMAL mode only): the segments between the
//!   newest archived one and the one this node's WAL ends in must be kept somewhere, or
//!   starting leaves a hole in the archive that no restore can cross.
//! * [`wal_count`]: how many segments recovery will read (informational).
//!
//! All segment arithmetic goes through [`SegNo`] with the cluster's real segment size
//! (spec Q13: the Perl tool used base 0xFF, so `…FF` → `…+1/00` looked like a gap).
//!
//! # When the Perl gap check refuses a healthy restart, and what is done instead
//!
//! The Perl tool requires every segment S_a < s < S_cur to be in `pg_wal` **with**
//! `archive_status/<s>.ready`. That is right for a former primary whose archiving failed
//! (its `.ready` files are archived once it is primary again). It is wrong in three
//! healthy cases, which this module accepts:
//!
//! 1. **Archive lag on the primary.** A cleanly stopped standby received segments by
//!    streaming that the primary has not archived yet (slow or failing `archive_command`).
//!    The walreceiver marks streamed segments `.done` (with `archive_mode = on`), so the
//!    Perl test fails although nothing is lost: the primary cannot recycle a segment before
//!    it is archived, so it still holds it in its `pg_wal` and will archive it. A segment
//!    found in the **primary's** `pg_wal` (any timeline) is therefore covered too.
//! 2. **Compressed archives.** An `archive_command` that compresses leaves no plain segment
//!    in the archive; "newest plain segment" then finds nothing (or something old) and
//!    every later segment looks lost. S_a here is the newest archived segment in any
//!    compression (Q17's complaint about the WAL count, applied where it matters).
//! 3. **No WAL to lose.** With no readable WAL in `pg_wal` (no latest LSN) or no archived
//!    segment at all there is no range to check (Q13: the Perl tool tested the wrong
//!    variable for "no online WAL"); recovery then takes everything from the primary.
//!
//! A segment only in this node's `pg_wal` with `.done` but not in the archive and not on
//! the primary stays a gap: it was archived somewhere the archive no longer shows.

use crate::postgres::{SegNo, SegmentId, WalName, WalSegSize};

/// The newest archived segment: its file name, its segment and its suffix after the 24
/// hex digits (`""`, `gz`, `bz2`, or anything else).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Archived {
    pub name: String,
    pub id: SegmentId,
    pub suffix: String,
}

/// Perl's `^[0-9A-F]{24}(?!\.partial$)(?:\.[^.]+)?$`, typed.
fn archived_segment(name: &str) -> Option<Archived> {
    let (base, suffix) = match name.get(24..) {
        Some("") => (name, ""),
        Some(rest) => {
            let ext = rest.strip_prefix('.')?;
            if ext.is_empty() || ext.contains('.') || ext == "partial" {
                return None;
            }
            (&name[..24], ext)
        }
        None => return None,
    };
    match WalName::classify(base) {
        WalName::Segment { id, .. } => Some(Archived {
            name: name.to_string(),
            id,
            suffix: suffix.to_string(),
        }),
        _ => None,
    }
}

/// The newest archived segment by name (the name order is the WAL order within a
/// timeline, and a newer timeline sorts after an older one, as `ls | tail -1`).
pub fn newest_archived<'a>(names: impl IntoIterator<Item = &'a str>) -> Option<Archived> {
    names
        .into_iter()
        .filter_map(archived_segment)
        .max_by(|a, b| a.name.cmp(&b.name))
}

/// The newest archived segment that is uncompressed (the WAL count's end, spec §3.2).
pub fn newest_plain<'a>(names: impl IntoIterator<Item = &'a str>) -> Option<SegmentId> {
    names
        .into_iter()
        .filter_map(archived_segment)
        .filter(|a| a.suffix.is_empty())
        .map(|a| a.id)
        .max()
}

/// How the integrity of an archived segment is checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IntegrityTest {
    /// Uncompressed: its size must be the segment size.
    Size(u64),
    /// Compressed: the tool's `-t` must succeed.
    Tool(&'static str),
    /// Unknown suffix: warn, treat as valid.
    Unknown(String),
}

impl IntegrityTest {
    pub fn for_suffix(suffix: &str, size: WalSegSize) -> IntegrityTest {
        match suffix {
            "" => IntegrityTest::Size(size.bytes()),
            "gz" => IntegrityTest::Tool("gzip"),
            "bz2" => IntegrityTest::Tool("bzip2"),
            other => IntegrityTest::Unknown(other.to_string()),
        }
    }
}

/// How many times a broken newest segment is deleted and fetched again (spec §3.2 step 5).
pub const INTEGRITY_RETRIES: u32 = 5;
/// The pause before each new transfer (Q14: the Perl `sleep 0.2` slept 0 s).
pub const INTEGRITY_BACKOFF: std::time::Duration = std::time::Duration::from_millis(200);

/// What the gap check looks at.
pub struct GapInput<'a> {
    /// Every name in the local archive after the sync.
    pub archive: &'a [String],
    /// Names in this node's `pg_wal`.
    pub pg_wal: &'a [String],
    /// Names in this node's `pg_wal/archive_status`.
    pub archive_status: &'a [String],
    /// Names in the primary's `pg_wal`.
    pub primary_pg_wal: &'a [String],
    /// The segment this node's WAL ends in (from its latest LSN); `None`: no readable WAL.
    pub current: Option<SegNo>,
    pub size: WalSegSize,
}

/// One segment the archive would lack.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gap {
    pub segno: SegNo,
    /// The name on this node's timeline if the file exists here (then without `.ready`),
    /// else the name on the newest archived segment's timeline.
    pub name: String,
    pub in_pg_wal: bool,
}

/// The segments S_a < s < S_cur that would be lost (empty: safe to start as it is).
pub fn archive_gaps(i: &GapInput) -> Vec<Gap> {
    let Some(current) = i.current else {
        return Vec::new();
    };
    let Some(newest) = newest_archived(i.archive.iter().map(String::as_str)) else {
        return Vec::new();
    };
    let Some(archived) = newest.id.segno(i.size) else {
        return Vec::new();
    };
    let segs = |names: &[String]| -> Vec<(SegNo, String)> {
        names
            .iter()
            .filter(|n| WalName::classify(n).is_plain_segment())
            .filter_map(|n| {
                let id = WalName::classify(n).segment()?;
                Some((id.segno(i.size)?, n.clone()))
            })
            .collect()
    };
    let mine = segs(i.pg_wal);
    let primary = segs(i.primary_pg_wal);
    // Anything archived later (an older timeline's copy, a compressed one) also counts.
    let archived_set: Vec<SegNo> = i
        .archive
        .iter()
        .filter_map(|n| archived_segment(n))
        .filter_map(|a| a.id.segno(i.size))
        .collect();
    let mut gaps = Vec::new();
    let mut s = SegNo(archived.0 + 1);
    while s < current {
        let here: Vec<&String> = mine.iter().filter(|(n, _)| *n == s).map(|x| &x.1).collect();
        let ready = here
            .iter()
            .any(|n| i.archive_status.contains(&format!("{n}.ready")));
        let on_primary = primary.iter().any(|(n, _)| *n == s);
        let archived_anyway = archived_set.contains(&s);
        if !(archived_anyway || (!here.is_empty() && (ready || on_primary))) {
            gaps.push(Gap {
                segno: s,
                name: here
                    .first()
                    .map(|n| n.to_string())
                    .unwrap_or_else(|| s.file_name(newest.id.tli, i.size)),
                in_pg_wal: !here.is_empty(),
            });
        }
        s = SegNo(s.0 + 1);
    }
    gaps
}

/// Segments recovery reads from `start` (backup_label's START WAL file, else the REDO WAL
/// file) to `end` (the newest plain archived segment), both included; 0 when the archive
/// ends before the start or holds no plain segment.
pub fn wal_count(start: SegmentId, end: Option<SegmentId>, size: WalSegSize) -> u64 {
    let (Some(s), Some(e)) = (start.segno(size), end.and_then(|e| e.segno(size))) else {
        return 0;
    };
    (e.0 + 1).saturating_sub(s.0)
}

#[cfg(test)]
#[path = "archive_check_tests.rs"]
mod tests;

//! The pure half of `archive-delete`: the boundary (the oldest WAL file any node or the named
//! base backup still needs) and, from one archive listing, the ordered list of files that
//! go, how many stay, and which names are not touched at all (spec §3.5 steps 11–13).
//!
//! The rule is the Perl tool's, with its string order made explicit: a segment, `.partial`
//! or `.backup` file goes when its segment sorts before the boundary (timeline first, so
//! an older timeline's files go even above the boundary's segment number, and the
//! boundary's own `.partial` / `.backup` stay); a `.history` file goes when its timeline is
//! older than the boundary's (the boundary's timeline and newer are kept). A compressed
//! file follows the rule of the name under its suffix.

use super::name::{classify, Kind, NotWal};
use crate::node::{DirEntry, FileKind};
use crate::postgres::{SegmentId, WalSegSize};
use serde::Serialize;

/// Where a boundary candidate was read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "source", rename_all = "snake_case")]
pub enum Origin {
    /// `Latest checkpoint's REDO WAL file` of a node's `pg_controldata`.
    Checkpoint { node: String },
    /// `START WAL LOCATION` of a base backup's `backup_label` (`[HOST:]PATH`).
    Backup { location: String },
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use crate::msg::archive as m;
        match self {
            Origin::Checkpoint { node } => {
                f.write_str(&crate::t!(m::ORIGIN_CHECKPOINT, node = node))
            }
            Origin::Backup { location } => {
                f.write_str(&crate::t!(m::ORIGIN_BACKUP, location = location))
            }
        }
    }
}

/// One WAL file some reader still needs, and who.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Candidate {
    #[serde(serialize_with = "wal_name")]
    pub wal: SegmentId,
    #[serde(flatten)]
    pub origin: Origin,
}

/// The oldest WAL file still needed: every file before it may go.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Boundary {
    #[serde(serialize_with = "wal_name")]
    pub wal: SegmentId,
    /// The candidates that named exactly this file.
    pub from: Vec<Origin>,
    /// Every candidate read, in the order read.
    pub candidates: Vec<Candidate>,
}

fn wal_name<S: serde::Serializer>(id: &SegmentId, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(&id.name())
}

/// The smallest candidate (timeline first, then position); `None` without any.
pub fn boundary(candidates: Vec<Candidate>) -> Option<Boundary> {
    let wal = candidates.iter().map(|c| c.wal).min()?;
    let from = candidates
        .iter()
        .filter(|c| c.wal == wal)
        .map(|c| c.origin.clone())
        .collect();
    Some(Boundary {
        wal,
        from,
        candidates,
    })
}

/// Why a name in the archive directory is left alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Why {
    /// Not a WAL, partial, backup or history file name.
    NotWal,
    /// A WAL name whose segment field does not exist with this cluster's segment size.
    SegmentSize,
    /// A WAL name, but a directory, a symlink or another non-regular file.
    NotAFile,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Untouched {
    pub name: String,
    pub why: Why,
}

/// What one archive directory's listing gives under a boundary.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Plan {
    /// The files that go, in name order (per timeline oldest first; a timeline's history
    /// file before its segments).
    pub go: Vec<String>,
    /// How many WAL files stay.
    pub kept: usize,
    /// Names the command does not act on, with why.
    pub not_touched: Vec<Untouched>,
}

/// Whether a file of this kind is older than everything the boundary's reader needs.
pub fn goes(kind: Kind, boundary: SegmentId) -> bool {
    match kind {
        Kind::History { tli } => tli < boundary.tli,
        Kind::Segment { id } | Kind::Partial { id } | Kind::Backup { id } => id < boundary,
    }
}

/// Classify every entry of a listing and select what goes.
pub fn plan(entries: &[DirEntry], boundary: SegmentId, size: WalSegSize) -> Plan {
    let mut p = Plan::default();
    for e in entries {
        let why = match classify(&e.name, size) {
            Ok(_) if e.stat.kind != FileKind::File => Why::NotAFile,
            Ok(n) if goes(n.kind, boundary) => {
                p.go.push(e.name.clone());
                continue;
            }
            Ok(_) => {
                p.kept += 1;
                continue;
            }
            Err(NotWal::Name) => Why::NotWal,
            Err(NotWal::SegmentSize) => Why::SegmentSize,
        };
        p.not_touched.push(Untouched {
            name: e.name.clone(),
            why,
        });
    }
    p.go.sort_unstable();
    p
}

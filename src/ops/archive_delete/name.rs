//! What a name in the archive directory is, for `archive-delete`: a WAL segment, a
//! `.partial`, a `.backup` or a `.history` file, each possibly compressed by the archive
//! command (`.gz`, `.bz2`, `.zst`, `.lz4`, `.xz`, spec Q18), or anything else — which the
//! command lists as "not touched" and never removes.
//!
//! The compression suffix is stripped first and the rest classified by
//! [`WalName::classify`] (one suffix only: `X.gz.gz` is not an archive file). A segment
//! whose last field is out of range for the cluster's segment size is not one of its WAL
//! files either. Pure.

use crate::postgres::{SegmentId, WalName, WalSegSize};
use serde::Serialize;

/// How an archived file is compressed, by its suffix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Packing {
    None,
    Gzip,
    Bzip2,
    Zstd,
    Lz4,
    Xz,
}

const SUFFIXES: [(&str, Packing); 5] = [
    (".gz", Packing::Gzip),
    (".bz2", Packing::Bzip2),
    (".zst", Packing::Zstd),
    (".lz4", Packing::Lz4),
    (".xz", Packing::Xz),
];

/// The WAL meaning of an archive file's name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Kind {
    Segment { id: SegmentId },
    Partial { id: SegmentId },
    Backup { id: SegmentId },
    History { tli: u32 },
}

impl Kind {
    /// The segment the file belongs to (`None` for a history file).
    pub fn segment(self) -> Option<SegmentId> {
        match self {
            Kind::Segment { id } | Kind::Partial { id } | Kind::Backup { id } => Some(id),
            Kind::History { .. } => None,
        }
    }
}

/// A name the command may act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ArchiveName {
    pub kind: Kind,
    pub packing: Packing,
}

/// Why a name is left alone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NotWal {
    /// Not a WAL, partial, backup or history name (compressed or not).
    Name,
    /// A WAL name, but its segment field does not exist with this segment size.
    SegmentSize,
}

/// Classify one file name given the cluster's segment size.
pub fn classify(name: &str, size: WalSegSize) -> Result<ArchiveName, NotWal> {
    let (base, packing) = SUFFIXES
        .iter()
        .find_map(|(s, p)| name.strip_suffix(s).map(|b| (b, *p)))
        .unwrap_or((name, Packing::None));
    let plain = crate::postgres::Compression::None;
    let kind = match WalName::classify(base) {
        WalName::Segment { id, compression } if compression == plain => Kind::Segment { id },
        WalName::Partial { id, compression } if compression == plain => Kind::Partial { id },
        WalName::Backup {
            id, compression, ..
        } if compression == plain => Kind::Backup { id },
        WalName::History { tli, compression } if compression == plain && tli > 0 => {
            Kind::History { tli }
        }
        _ => return Err(NotWal::Name),
    };
    if let Some(id) = kind.segment() {
        if id.tli == 0 {
            return Err(NotWal::Name);
        }
        if id.segno(size).is_none() {
            return Err(NotWal::SegmentSize);
        }
    }
    Ok(ArchiveName { kind, packing })
}

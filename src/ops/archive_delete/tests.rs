//! The classification and the plan over a generated archive (a real directory: every kind of
//! name, each compression, each timeline case), and the two changes on it.

use super::act;
use super::name::{classify, ArchiveName, Kind, NotWal, Packing};
use super::plan::{self, Candidate, Origin, Why};
use crate::node::{LocalNode, Node};
use crate::postgres::{SegmentId, WalSegSize};
use std::collections::BTreeSet;
use std::path::Path;

fn id(name: &str) -> SegmentId {
    classify(name, WalSegSize::DEFAULT)
        .unwrap()
        .kind
        .segment()
        .unwrap()
}

#[test]
fn every_kind_and_every_compression() {
    let s = SegmentId {
        tli: 2,
        log: 0,
        seg: 0xC,
    };
    for (suffix, packing) in [
        ("", Packing::None),
        (".gz", Packing::Gzip),
        (".bz2", Packing::Bzip2),
        (".zst", Packing::Zstd),
        (".lz4", Packing::Lz4),
        (".xz", Packing::Xz),
    ] {
        for (base, kind) in [
            ("00000002000000000000000C", Kind::Segment { id: s }),
            ("00000002000000000000000C.partial", Kind::Partial { id: s }),
            (
                "00000002000000000000000C.00000028.backup",
                Kind::Backup { id: s },
            ),
            ("00000002.history", Kind::History { tli: 2 }),
        ] {
            let name = format!("{base}{suffix}");
            assert_eq!(
                classify(&name, WalSegSize::DEFAULT),
                Ok(ArchiveName { kind, packing }),
                "{name}"
            );
        }
    }
}

#[test]
fn look_alikes_are_not_touched() {
    for name in [
        "README",
        "archive_status",
        "00000001000000000000000c",
        "00000001000000000000000C.gz.gz",
        "00000001000000000000000C.gz.bz2",
        "00000001000000000000000C.tmp",
        "00000001000000000000000C.7z",
        "00000000000000000000000C",
        "00000000.history",
        "20261201_101500",
        "",
    ] {
        assert_eq!(
            classify(name, WalSegSize::DEFAULT),
            Err(NotWal::Name),
            "{name:?}"
        );
    }
    // 64 MiB segments: a log id holds 0x40 of them.
    let s64 = WalSegSize::new(64 << 20).unwrap();
    assert!(classify("00000001000000000000003F", s64).is_ok());
    assert_eq!(
        classify("000000010000000000000040.gz", s64),
        Err(NotWal::SegmentSize)
    );
    assert!(classify("000000010000000000000040", WalSegSize::DEFAULT).is_ok());
}

#[test]
fn the_boundary_is_the_smallest_timeline_first() {
    let c = |wal: &str, node: &str| Candidate {
        wal: id(wal),
        origin: Origin::Checkpoint { node: node.into() },
    };
    let b = plan::boundary(vec![
        c("000000020000000000000003", "pm01"),
        c("000000010000000000000009", "pm02"),
        Candidate {
            wal: id("000000010000000000000009"),
            origin: Origin::Backup {
                location: "pm03:/backup".into(),
            },
        },
    ])
    .unwrap();
    assert_eq!(b.wal.name(), "000000010000000000000009");
    assert_eq!(b.from.len(), 2);
    assert_eq!(b.candidates.len(), 3);
    assert!(plan::boundary(vec![]).is_none());
}

/// Every kind of name on three timelines (the switch to 2 in segment 0A, to 3 in 0E).
pub const ARCHIVE: &[&str] = &[
    "000000010000000000000001",
    "000000010000000000000002",
    "000000010000000000000002.00000028.backup",
    "000000010000000000000003",
    "000000010000000000000004",
    "000000010000000000000005.gz",
    "000000010000000000000006.bz2",
    "000000010000000000000007.zst",
    "000000010000000000000008.lz4",
    "000000010000000000000009.xz",
    "00000001000000000000000A.partial",
    "00000002.history",
    "00000002000000000000000A",
    "00000002000000000000000B",
    "00000002000000000000000C.gz",
    "00000002000000000000000D.00000060.backup.xz",
    "00000002000000000000000D.zst",
    "00000002000000000000000E.partial.lz4",
    "00000003.history.gz",
    "00000003000000000000000E",
    "00000003000000000000000F",
];

/// Names to leave alone (files), and directories.
const OTHERS: &[&str] = &[
    "README.txt",
    "000000010000000000000003.tmp",
    "00000001000000000000000a",
    "000000010000000000000004.gz.gz",
];
const DIRS: &[&str] = &["20261130_101010", "000000010000000000000000"];

pub fn generate(dir: &Path) {
    for n in ARCHIVE.iter().chain(OTHERS) {
        std::fs::write(dir.join(n), n.as_bytes()).unwrap();
    }
    for d in DIRS {
        std::fs::create_dir(dir.join(d)).unwrap();
    }
}

fn plan_at(dir: &Path, boundary: &str) -> plan::Plan {
    let entries = LocalNode.list_dir(dir).unwrap();
    plan::plan(&entries, id(boundary), WalSegSize::DEFAULT)
}

fn names(d: &Path) -> BTreeSet<String> {
    LocalNode
        .list_dir(d)
        .unwrap()
        .into_iter()
        .map(|e| e.name)
        .collect()
}

#[test]
fn each_timeline_case() {
    let d = tempfile::tempdir().unwrap();
    generate(d.path());
    let tli1: Vec<&str> = ARCHIVE[..11].to_vec();

    // The boundary on timeline 2: all of timeline 1 goes (also above segment 0C), the
    // history of 2 and everything of 3 stay.
    let p = plan_at(d.path(), "00000002000000000000000C");
    let mut want = tli1.clone();
    want.extend(["00000002000000000000000A", "00000002000000000000000B"]);
    assert_eq!(p.go, want);
    assert_eq!(p.kept, 8);

    // On the newest timeline: the older timelines' histories go too; the boundary's own
    // history stays.
    let p = plan_at(d.path(), "00000003000000000000000E");
    assert_eq!(p.go, ARCHIVE[..18].to_vec());
    assert_eq!(p.kept, 3);

    // An old backup on timeline 1: only what precedes it.
    let p = plan_at(d.path(), "000000010000000000000003");
    assert_eq!(
        p.go,
        [
            "000000010000000000000001",
            "000000010000000000000002",
            "000000010000000000000002.00000028.backup"
        ]
    );

    // The boundary segment's own .partial and .backup stay; the one before goes.
    let p = plan_at(d.path(), "00000001000000000000000A");
    assert!(p.go.contains(&"000000010000000000000009.xz".to_string()));
    assert!(!p
        .go
        .contains(&"00000001000000000000000A.partial".to_string()));
    let p = plan_at(d.path(), "00000002000000000000000D");
    assert!(!p
        .go
        .iter()
        .any(|n| n.starts_with("00000002000000000000000D")));
    assert!(p.go.contains(&"00000002000000000000000C.gz".to_string()));

    // Nothing before the first file.
    let p = plan_at(d.path(), "000000010000000000000001");
    assert!(p.go.is_empty());
    assert_eq!(p.kept, ARCHIVE.len());

    let untouched: Vec<(&str, Why)> = p
        .not_touched
        .iter()
        .map(|u| (u.name.as_str(), u.why))
        .collect();
    assert_eq!(
        untouched,
        [
            ("000000010000000000000000", Why::NotAFile),
            ("000000010000000000000003.tmp", Why::NotWal),
            ("000000010000000000000004.gz.gz", Why::NotWal),
            ("00000001000000000000000a", Why::NotWal),
            ("20261130_101010", Why::NotWal),
            ("README.txt", Why::NotWal),
        ]
    );
}

#[test]
fn remove_leaves_exactly_the_rest() {
    let d = tempfile::tempdir().unwrap();
    generate(d.path());
    let before = names(d.path());
    let p = plan_at(d.path(), "00000002000000000000000C");
    act::remove(&LocalNode, d.path(), &p.go).unwrap();
    let mut want = before.clone();
    for n in &p.go {
        want.remove(n);
    }
    assert_eq!(names(d.path()), want);
    assert_eq!(want.len(), 8 + OTHERS.len() + DIRS.len());
}

#[test]
fn move_into_a_new_private_directory_owned_like_the_archive() {
    use std::os::unix::fs::{MetadataExt, PermissionsExt};
    let d = tempfile::tempdir().unwrap();
    generate(d.path());
    let st = std::fs::metadata(d.path()).unwrap();
    let p = plan_at(d.path(), "00000003000000000000000E");
    let before = names(d.path());
    act::move_into(
        &LocalNode,
        d.path(),
        "20261201_101500",
        (st.uid(), st.gid()),
        &p.go,
    )
    .unwrap();
    let sub = d.path().join("20261201_101500");
    let m = std::fs::metadata(&sub).unwrap();
    assert_eq!(m.permissions().mode() & 0o7777, 0o700);
    assert_eq!((m.uid(), m.gid()), (st.uid(), st.gid()));
    assert_eq!(names(&sub), p.go.iter().cloned().collect());
    let mut want = before;
    for n in &p.go {
        want.remove(n);
    }
    want.insert("20261201_101500".into());
    assert_eq!(names(d.path()), want);
    // Never into an existing directory: the second move fails and moves nothing.
    let again = plan_at(d.path(), "00000003000000000000000F");
    assert_eq!(again.go, ["00000003000000000000000E"]);
    assert!(act::move_into(
        &LocalNode,
        d.path(),
        "20261201_101500",
        (st.uid(), st.gid()),
        &again.go
    )
    .is_err());
    assert!(d.path().join("00000003000000000000000E").exists());
}

#[test]
fn backup_paths() {
    use super::BackupPath;
    let b = BackupPath::parse("pm03:/backup/base1/").unwrap();
    assert_eq!(
        (b.host.as_deref(), b.path.to_str()),
        (Some("pm03"), Some("/backup/base1"))
    );
    assert_eq!(b.location(), "pm03:/backup/base1");
    let b = BackupPath::parse("localhost:/b").unwrap();
    assert_eq!(b.host, None);
    let b = BackupPath::parse("/b:c").unwrap();
    assert_eq!((b.host, b.path.to_str()), (None, Some("/b:c")));
    for bad in [
        "relative",
        "pm03:relative",
        "a@b:/x",
        "a b:/x",
        ":/x",
        "/",
        "pm03:",
    ] {
        let e = BackupPath::parse(bad).unwrap_err();
        assert_eq!(e.exit_code(), crate::ExitCode::Usage, "{bad}");
    }
}

#[path = "op_tests.rs"]
mod op;

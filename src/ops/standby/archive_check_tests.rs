use super::*;

const S16: WalSegSize = WalSegSize::DEFAULT;

fn names(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

fn seg(name: &str) -> SegmentId {
    WalName::classify(name).segment().unwrap()
}

fn segno(name: &str) -> SegNo {
    seg(name).segno(S16).unwrap()
}

#[test]
fn newest_archived_follows_the_perl_pattern() {
    let a = names(&[
        "00000002.history",
        "000000010000000000000003",
        "000000020000000000000004.partial",
        "000000010000000000000002.00000028.backup",
        "000000020000000000000004.gz",
        "junk.txt",
    ]);
    let n = newest_archived(a.iter().map(String::as_str)).unwrap();
    assert_eq!(n.name, "000000020000000000000004.gz");
    assert_eq!(n.suffix, "gz");
    // An unknown single suffix still counts (the warning path); .partial never does.
    let a = names(&[
        "000000010000000000000003",
        "000000010000000000000005.zst",
        "000000010000000000000006.partial",
    ]);
    let n = newest_archived(a.iter().map(String::as_str)).unwrap();
    assert_eq!(
        (n.name.as_str(), n.suffix.as_str()),
        ("000000010000000000000005.zst", "zst")
    );
    assert_eq!(newest_archived(["00000002.history", "x"]), None);
    assert_eq!(
        newest_plain(a.iter().map(String::as_str)),
        Some(seg("000000010000000000000003"))
    );
}

#[test]
fn integrity_test_by_suffix() {
    assert_eq!(
        IntegrityTest::for_suffix("", S16),
        IntegrityTest::Size(16 << 20)
    );
    assert_eq!(
        IntegrityTest::for_suffix("gz", S16),
        IntegrityTest::Tool("gzip")
    );
    assert_eq!(
        IntegrityTest::for_suffix("bz2", S16),
        IntegrityTest::Tool("bzip2")
    );
    assert_eq!(
        IntegrityTest::for_suffix("zst", S16),
        IntegrityTest::Unknown("zst".into())
    );
    assert_eq!(INTEGRITY_BACKOFF.as_millis(), 200);
}

fn gaps(
    archive: &[&str],
    pg_wal: &[&str],
    status: &[&str],
    primary: &[&str],
    current: Option<&str>,
) -> Vec<String> {
    let (a, w, st, p) = (names(archive), names(pg_wal), names(status), names(primary));
    archive_gaps(&GapInput {
        archive: &a,
        pg_wal: &w,
        archive_status: &st,
        primary_pg_wal: &p,
        current: current.map(segno),
        size: S16,
    })
    .into_iter()
    .map(|g| g.name)
    .collect()
}

#[test]
fn no_gap_when_the_archive_reaches_the_current_segment() {
    // S_a = 5, S_cur = 6: nothing strictly between.
    let g = gaps(
        &["000000010000000000000005"],
        &["000000010000000000000006"],
        &[],
        &[],
        Some("000000010000000000000006"),
    );
    assert!(g.is_empty(), "{g:?}");
    // The archive is ahead of this node's WAL.
    let g = gaps(
        &["000000010000000000000009"],
        &[],
        &[],
        &[],
        Some("000000010000000000000006"),
    );
    assert!(g.is_empty());
}

#[test]
fn ready_segments_in_pg_wal_are_kept() {
    let g = gaps(
        &["000000010000000000000005"],
        &[
            "000000010000000000000006",
            "000000010000000000000007",
            "000000010000000000000008",
        ],
        &[
            "000000010000000000000006.ready",
            "000000010000000000000007.ready",
        ],
        &[],
        Some("000000010000000000000008"),
    );
    assert!(g.is_empty(), "{g:?}");
}

#[test]
fn missing_or_done_only_segments_are_gaps() {
    let g = gaps(
        &["000000010000000000000005"],
        &["000000010000000000000007", "000000010000000000000009"],
        &["000000010000000000000007.done"],
        &[],
        Some("000000010000000000000009"),
    );
    assert_eq!(
        g,
        [
            "000000010000000000000006",
            "000000010000000000000007",
            "000000010000000000000008"
        ]
    );
}

#[test]
fn crossing_ff_is_not_a_gap_q13() {
    // Perl's base 0xFF made …00FF → …0100 look two apart (or one too few).
    let g = gaps(
        &["0000000100000000000000FF"],
        &["000000010000000100000000"],
        &[],
        &[],
        Some("000000010000000100000000"),
    );
    assert!(g.is_empty(), "{g:?}");
    let g = gaps(
        &["0000000100000000000000FE"],
        &["000000010000000100000000"],
        &[],
        &[],
        Some("000000010000000100000000"),
    );
    assert_eq!(g, ["0000000100000000000000FF"]);
}

#[test]
fn sixty_four_mib_segments_cross_3f() {
    let s64 = WalSegSize::new(64 << 20).unwrap();
    let a = names(&["00000001000000000000003F"]);
    let w = names(&["000000010000000100000000"]);
    let cur = seg("000000010000000100000000").segno(s64);
    let g = archive_gaps(&GapInput {
        archive: &a,
        pg_wal: &w,
        archive_status: &[],
        primary_pg_wal: &[],
        current: cur,
        size: s64,
    });
    assert!(g.is_empty(), "{g:?}");
}

#[test]
fn archive_lag_on_the_primary_is_not_a_gap() {
    // A streamed standby: .done, but the primary still holds the segments to archive.
    let g = gaps(
        &["000000020000000000000005"],
        &["000000020000000000000006", "000000020000000000000007"],
        &["000000020000000000000006.done"],
        &["000000020000000000000006", "000000020000000000000007"],
        Some("000000020000000000000007"),
    );
    assert!(g.is_empty(), "{g:?}");
}

#[test]
fn compressed_archive_counts_and_any_timeline_counts() {
    let g = gaps(
        &[
            "000000010000000000000005.gz",
            "000000020000000000000006.bz2",
        ],
        &["000000020000000000000007"],
        &[],
        &[],
        Some("000000020000000000000007"),
    );
    assert!(g.is_empty(), "{g:?}");
    // A .ready copy on the old timeline in pg_wal also keeps segment 6.
    let g = gaps(
        &["000000010000000000000005"],
        &["000000010000000000000006", "000000020000000000000007"],
        &["000000010000000000000006.ready"],
        &[],
        Some("000000020000000000000007"),
    );
    assert!(g.is_empty(), "{g:?}");
}

#[test]
fn nothing_to_check_without_wal_or_archive() {
    assert!(gaps(&["000000010000000000000005"], &[], &[], &[], None).is_empty());
    assert!(gaps(
        &[],
        &["000000010000000000000009"],
        &[],
        &[],
        Some("000000010000000000000009")
    )
    .is_empty());
}

#[test]
fn wal_count_uses_real_segment_numbers() {
    let n = |a: &str, b: Option<&str>, s| wal_count(seg(a), b.map(seg), s);
    assert_eq!(
        n(
            "000000010000000000000002",
            Some("000000010000000000000002"),
            S16
        ),
        1
    );
    assert_eq!(
        n(
            "0000000100000000000000FE",
            Some("000000020000000100000001"),
            S16
        ),
        4
    );
    // The archive ends before the start: floor 0.
    assert_eq!(
        n(
            "000000010000000000000009",
            Some("000000010000000000000002"),
            S16
        ),
        0
    );
    assert_eq!(n("000000010000000000000009", None, S16), 0);
    let s64 = WalSegSize::new(64 << 20).unwrap();
    assert_eq!(
        n(
            "00000001000000000000003F",
            Some("000000010000000100000000"),
            s64
        ),
        2
    );
    // Out of range for 64 MiB: not a segment of this cluster, 0.
    assert_eq!(
        n(
            "000000010000000000000040",
            Some("000000010000000100000000"),
            s64
        ),
        0
    );
}

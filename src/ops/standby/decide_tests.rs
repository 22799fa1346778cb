//! Table tests of the standby-start decision: each case is one situation an operator meets.

use super::*;
use crate::postgres::HistoryEntry;

fn lsn(x: u64) -> Lsn {
    Lsn(x)
}

/// The primary promoted to TLI 3 at 0/5000000 from TLI 2 (which began at 0/3000000).
fn peer() -> PeerFacts {
    PeerFacts {
        system_id: 7,
        history_tli: 3,
        history: History {
            entries: vec![
                HistoryEntry {
                    parent_tli: 1,
                    switch_lsn: lsn(0x300_0000),
                    reason: String::new(),
                },
                HistoryEntry {
                    parent_tli: 2,
                    switch_lsn: lsn(0x500_0000),
                    reason: String::new(),
                },
            ],
        },
        ctl_tli: 3,
        current_lsn: lsn(0x800_0000),
        full_page_writes: true,
        hints_or_checksums: true,
        future_archive: false,
    }
}

/// A standby that stopped cleanly on the primary's timeline.
fn clean_standby() -> LocalFacts {
    LocalFacts {
        version_match: true,
        system_id: 7,
        tli: 3,
        shut_down: true,
        checkpoint: lsn(0x700_0000),
        latest_lsn: Some(lsn(0x700_0028)),
        wal_unknown: None,
        marker_comment: false,
        followed: None,
    }
}

/// The old primary on TLI 2 whose WAL went past the fork point 0/5000000.
fn old_primary() -> LocalFacts {
    LocalFacts {
        tli: 2,
        shut_down: false,
        checkpoint: lsn(0x400_0000),
        latest_lsn: Some(lsn(0x500_0100)),
        wal_unknown: None,
        ..clean_standby()
    }
}

fn facts(local: Option<LocalFacts>) -> Facts {
    Facts {
        local,
        peer: peer(),
        archive: ArchiveFacts {
            local_empty: true,
            my_branch: None,
            my_archive_is_over: false,
            lost_segments: Vec::new(),
            newest_archived: None,
        },
        lock: LockFacts::default(),
        local_incomplete: false,
        interrupted_basebackup: false,
    }
}

const NRB: Request = Request {
    normal: true,
    rewind: true,
    basebackup: true,
    check_all: false,
    shared_archive: false,
};

#[test]
fn a_cleanly_stopped_standby_starts_as_it_is() {
    let d = decide(&facts(Some(clean_standby())), &NRB);
    assert_eq!(d.chosen, Some(Method::Normal));
    assert_eq!(d.rewind, None, "rewind is not even evaluated");
    assert_eq!(d.basebackup, None);
}

/// The lab's heartbeat-lan-failure `--switchback` (both profiles, 2026-12-01 19:46): a
/// standby that followed the promotion to timeline 3 (forked at 0/5000000) and was fenced
/// before its next restartpoint — pg_control still says timeline 2, its WAL past the fork
/// is timeline 3's. Not diverged: it starts as it is. (It was taken for diverged, rewound
/// — "no rewind required" after pg_rewind's crash recovery wrote checkpoints of its own —
/// and never streamed again: HS:alone for 300 s.)
#[test]
fn a_standby_that_followed_the_promotion_past_its_restartpoint_starts_as_it_is() {
    let followed = LocalFacts {
        tli: 2,
        shut_down: false,
        checkpoint: lsn(0x400_0000),
        latest_lsn: Some(lsn(0x500_0100)),
        followed: Some((3, lsn(0x500_0000))),
        ..clean_standby()
    };
    let d = decide(&facts(Some(followed.clone())), &NRB);
    assert_eq!(d.normal, Some(vec![]), "{d:?}");
    assert_eq!(d.chosen, Some(Method::Normal));
    // Its own timeline 3 forked elsewhere (it was promoted itself), or a timeline the
    // primary is not on: diverged, as before.
    for other in [(3, lsn(0x480_0000)), (4, lsn(0x500_0000))] {
        let l = LocalFacts {
            followed: Some(other),
            ..followed.clone()
        };
        let d = decide(&facts(Some(l)), &NRB);
        assert!(
            d.normal
                .as_ref()
                .unwrap()
                .iter()
                .any(|w| matches!(w, Why::PastForkPoint { .. })),
            "{other:?}: {d:?}"
        );
    }
}

#[test]
fn the_old_primary_after_a_failover_is_rewound_and_its_lock_removed() {
    let mut f = facts(Some(old_primary()));
    f.lock = LockFacts {
        present: true,
        my_data_status: Some("LATEST".into()),
    };
    let d = decide(&f, &NRB);
    let n = d.normal.clone().unwrap();
    assert!(n.contains(&Why::PastForkPoint {
        mine: lsn(0x500_0100),
        fork: lsn(0x500_0000)
    }));
    assert!(n.iter().any(|w| matches!(w, Why::LockNotProvenSafe { .. })));
    assert_eq!(d.chosen, Some(Method::Rewind));
    assert_eq!(d.fork, Some(lsn(0x500_0000)));
}

#[test]
fn an_old_primary_that_did_not_pass_the_fork_may_start_as_it_is_despite_its_lock() {
    let mut l = old_primary();
    l.latest_lsn = Some(lsn(0x4FF_FF00));
    let mut f = facts(Some(l));
    f.lock = LockFacts {
        present: true,
        my_data_status: Some("LATEST".into()),
    };
    assert_eq!(decide(&f, &NRB).chosen, Some(Method::Normal));
    // Without a known data-status the lock is not proven safe: rewind instead.
    f.lock.my_data_status = Some("DISCONNECT".into());
    assert_eq!(decide(&f, &NRB).chosen, Some(Method::Rewind));
}

#[test]
fn n_alone_with_an_unjustified_lock_finds_no_method() {
    let mut f = facts(Some(old_primary()));
    f.lock.present = true;
    let r = Request {
        normal: true,
        ..Request::default()
    };
    let d = decide(&f, &r);
    assert_eq!(d.chosen, None);
    assert_eq!(d.rewind, None);
}

#[test]
fn rewind_needs_wal_log_hints_and_full_page_writes() {
    let mut f = facts(Some(old_primary()));
    f.peer.hints_or_checksums = false;
    f.peer.full_page_writes = false;
    let d = decide(&f, &NRB);
    let r = d.rewind.clone().unwrap();
    assert!(r.contains(&Why::NoWalLogHints) && r.contains(&Why::NoFullPageWrites));
    assert_eq!(d.chosen, Some(Method::BaseBackup));
}

#[test]
fn the_menu_also_requires_the_last_checkpoint_before_the_fork() {
    let mut l = old_primary();
    l.checkpoint = lsn(0x500_0080);
    let f = facts(Some(l));
    let menu = Request {
        check_all: true,
        ..Request::default()
    };
    let d = decide(&f, &menu);
    assert!(d
        .rewind
        .clone()
        .unwrap()
        .iter()
        .any(|w| matches!(w, Why::CheckpointAfterFork { .. })));
    assert_eq!(d.offered(), vec![Method::BaseBackup]);
    assert_eq!(d.chosen, None, "the menu chooses nothing");
    // -r does not check O.
    assert_eq!(decide(&f, &NRB).chosen, Some(Method::Rewind));
}

#[test]
fn a_different_cluster_or_a_timeline_ahead_leaves_only_a_base_backup() {
    let mut l = clean_standby();
    l.system_id = 8;
    let d = decide(&facts(Some(l)), &NRB);
    assert_eq!(d.chosen, Some(Method::BaseBackup));
    let mut l = clean_standby();
    l.tli = 4;
    let d = decide(&facts(Some(l)), &NRB);
    assert!(d.normal.unwrap().contains(&Why::TimelineAhead {
        mine: 4,
        primary: 3
    }));
    assert_eq!(d.chosen, Some(Method::BaseBackup));
}

#[test]
fn no_database_cluster_and_a_stale_archive_allows_nothing_unless_shared() {
    let mut f = facts(None);
    f.archive.local_empty = false;
    let d = decide(&f, &NRB);
    assert_eq!(d.chosen, None);
    assert_eq!(d.basebackup, Some(vec![Why::StaleArchiveWithoutData]));
    let shared = Request {
        shared_archive: true,
        ..NRB
    };
    assert_eq!(decide(&f, &shared).chosen, Some(Method::BaseBackup));
}

#[test]
fn a_future_archive_on_the_primary_blocks_every_method() {
    let mut f = facts(Some(clean_standby()));
    f.peer.future_archive = true;
    let d = decide(&f, &NRB);
    assert_eq!(d.chosen, None);
    for m in [Method::Normal, Method::Rewind, Method::BaseBackup] {
        assert!(d.blockers(m).clone().unwrap().contains(&Why::FutureArchive));
    }
}

#[test]
fn local_wal_ahead_of_the_primary_is_not_started_as_it_is() {
    let mut l = clean_standby();
    l.latest_lsn = Some(lsn(0x900_0000));
    let d = decide(&facts(Some(l)), &NRB);
    assert!(d
        .normal
        .clone()
        .unwrap()
        .iter()
        .any(|w| matches!(w, Why::LocalWalAhead { .. })));
    // Same timeline, clean shutdown: rewind is possible.
    assert_eq!(d.chosen, Some(Method::Rewind));
}

#[test]
fn same_timeline_unclean_cannot_be_rewound() {
    let mut l = clean_standby();
    l.latest_lsn = Some(lsn(0x900_0000));
    l.shut_down = false;
    let d = decide(&facts(Some(l)), &NRB);
    assert!(d.rewind.unwrap().contains(&Why::SameTimelineUnclean));
    assert_eq!(d.chosen, Some(Method::BaseBackup));
}

#[test]
fn a_local_branch_that_disagrees_with_the_primary_history_blocks_n_and_r() {
    let mut f = facts(Some(clean_standby()));
    f.archive.local_empty = false;
    f.archive.my_branch = Some((2, lsn(0x500_0001)));
    let d = decide(&f, &NRB);
    assert!(d
        .normal
        .unwrap()
        .contains(&Why::BranchPointDiffers { tli: 2 }));
    assert_eq!(d.chosen, Some(Method::BaseBackup));
}

#[test]
fn the_interactive_menu_never_offers_n_and_r_together() {
    let menu = Request {
        check_all: true,
        ..Request::default()
    };
    let d = decide(&facts(Some(clean_standby())), &menu);
    assert_eq!(d.offered(), vec![Method::Normal, Method::BaseBackup]);
}

#[test]
fn an_archive_gap_rules_out_starting_as_it_is_only() {
    let mut f = facts(Some(clean_standby()));
    f.archive.lost_segments = vec!["000000030000000000000006".into()];
    f.archive.newest_archived = Some("000000030000000000000005".into());
    let d = decide(&f, &NRB);
    assert_eq!(
        d.normal,
        Some(vec![Why::ArchiveGap {
            archived: "000000030000000000000005".into(),
            segments: vec!["000000030000000000000006".into()],
        }])
    );
    // -n -r -b falls through to pg_rewind; -n alone has no method (exit 3, nothing changed).
    assert_eq!(d.chosen, Some(Method::Rewind));
    let only_n = Request {
        normal: true,
        ..Request::default()
    };
    assert_eq!(decide(&f, &only_n).chosen, None);
}

/// A base backup killed part-way (PG_VERSION without global/pg_control): only `b`, and the
/// archive is not stale when this node's own interrupted standby-start explains it.
#[test]
fn an_interrupted_base_backup_leaves_only_a_new_one_which_its_journal_allows() {
    let mut f = facts(None);
    f.local_incomplete = true;
    f.archive.local_empty = false;
    let d = decide(&f, &NRB);
    assert_eq!(d.normal, Some(vec![Why::IncompleteDataDirectory]));
    assert_eq!(d.rewind, Some(vec![Why::IncompleteDataDirectory]));
    assert_eq!(
        d.basebackup,
        Some(vec![Why::StaleArchiveWithoutData]),
        "no journal explains the half-filled directory: the archive's origin is unknown"
    );
    assert_eq!(d.chosen, None);
    f.interrupted_basebackup = true;
    let d = decide(&f, &NRB);
    assert_eq!(d.basebackup, Some(vec![]));
    assert_eq!(d.chosen, Some(Method::BaseBackup));
    let n_only = Request {
        basebackup: false,
        ..NRB
    };
    assert_eq!(decide(&f, &n_only).chosen, None, "-n -r cannot start it");
}

/// pg_waldump read nothing from a pg_wal that has segments: the "local WAL ahead" check
/// cannot be made, so `-n` is refused saying so (it was skipped, i.e. passed).
#[test]
fn a_wal_that_cannot_be_read_refuses_the_normal_start() {
    let mut l = clean_standby();
    l.latest_lsn = None;
    l.wal_unknown = Some("pg_waldump read no WAL record".into());
    let d = decide(&facts(Some(l)), &NRB);
    let normal = d.normal.clone().unwrap();
    assert!(
        normal.iter().any(|w| matches!(w, Why::WalUnknown { .. })),
        "{normal:?}"
    );
    assert_ne!(d.chosen, Some(Method::Normal));
}

//! The LSN proof on recorded pg_controldata output and history files
//! (tests/fixtures/postgres, tests/fixtures/switchover: see their README for the commands).

use super::*;
use crate::node::fake::fixture_path;

fn ctl(rel: &str) -> ControlData {
    let text = std::fs::read_to_string(fixture_path(rel)).unwrap();
    ControlData::parse(&text, rel).unwrap()
}

fn history(rel: &str) -> History {
    let text = std::fs::read_to_string(fixture_path(rel)).unwrap();
    History::parse(&text, rel).unwrap()
}

fn lsn(s: &str) -> Lsn {
    s.parse().unwrap()
}

/// A shut-down primary whose checkpoint (0/17414F8) lies before timeline 2's switch point
/// (0/3018108) and is the last record of its pg_wal: proven.
#[test]
fn a_clean_stop_replayed_before_the_promotion_is_proven() {
    let c = ctl("postgres/controldata_pg15_shut_down.txt");
    let h = history("postgres/00000002.history");
    let p = prove(&Input {
        ctl: &c,
        history: Some((2, &h)),
        last_record: Some(lsn("0/17414F8")),
    });
    assert!(p.proven, "{p:?}");
    assert_eq!(p.switch_lsn, Some(lsn("0/3018108")));
    assert_eq!(p.failed, None);
    assert!(
        p.summary().contains("0/17414F8") && p.summary().contains("0/3018108"),
        "{}",
        p.summary()
    );
}

#[test]
fn each_condition_that_fails_says_why_with_the_lsns() {
    let shut = ctl("postgres/controldata_pg15_shut_down.txt");
    let h = history("postgres/00000002.history");
    let ok_last = Some(lsn("0/17414F8"));
    // Still running (or crashed): not shut down.
    let running = ctl("postgres/controldata_pg15_in_production.txt");
    let p = prove(&Input {
        ctl: &running,
        history: Some((2, &h)),
        last_record: ok_last,
    });
    assert!(!p.proven);
    assert!(
        p.failed.as_deref().unwrap().contains("in production"),
        "{p:?}"
    );
    // No history file on the new primary.
    let p = prove(&Input {
        ctl: &shut,
        history: None,
        last_record: ok_last,
    });
    assert!(p.failed.as_deref().unwrap().contains("history"), "{p:?}");
    // The newest timeline does not branch from the old one (timeline 1 is not newer).
    let p = prove(&Input {
        ctl: &shut,
        history: Some((1, &h)),
        last_record: ok_last,
    });
    assert!(!p.proven && p.switch_lsn.is_none(), "{p:?}");
    // The checkpoint is at or after the switch point: not replayed before the promotion.
    let early = History::parse("1\t0/1000000\tno recovery target specified\n", "t").unwrap();
    let p = prove(&Input {
        ctl: &shut,
        history: Some((2, &early)),
        last_record: ok_last,
    });
    let why = p.failed.clone().unwrap();
    assert!(
        why.contains("0/17414F8") && why.contains("0/1000000"),
        "{why}"
    );
    // WAL after the checkpoint record in the old primary's pg_wal.
    let p = prove(&Input {
        ctl: &shut,
        history: Some((2, &h)),
        last_record: Some(lsn("0/1741570")),
    });
    assert!(p.failed.as_deref().unwrap().contains("0/1741570"), "{p:?}");
    // The checkpoint record itself unreadable.
    let p = prove(&Input {
        ctl: &shut,
        history: Some((2, &h)),
        last_record: None,
    });
    assert!(p.failed.as_deref().unwrap().contains("pg_waldump"), "{p:?}");
}

#[test]
fn a_standby_shut_down_in_recovery_is_not_a_stopped_primary() {
    let c = ctl("postgres/controldata_pg15_shut_down_in_recovery.txt");
    let h = history("postgres/00000002.history");
    let p = prove(&Input {
        ctl: &c,
        history: Some((2, &h)),
        last_record: Some(c.checkpoint_location),
    });
    assert!(!p.proven);
    assert!(
        p.failed
            .as_deref()
            .unwrap()
            .contains("shut down in recovery"),
        "{p:?}"
    );
}

/// Recorded in the lab at a real switchover pm01 → pm02 (tests/fixtures/switchover/record.sh):
/// the old primary's pg_controldata after its fast shutdown, the new primary's newest history
/// file (timeline 5) and pg_waldump of the old primary's pg_wal from the checkpoint on.
#[test]
fn the_recorded_switchover_is_proven_and_one_more_record_breaks_it() {
    let c = ctl("switchover/controldata_old_primary_shut_down.txt");
    let h = history("switchover/new_primary.history");
    let dump =
        std::fs::read_to_string(fixture_path("switchover/pg_waldump_old_primary.txt")).unwrap();
    let last = crate::postgres::waldump::last_record_lsn(&dump);
    let p = prove(&Input {
        ctl: &c,
        history: Some((5, &h)),
        last_record: last,
    });
    assert!(p.proven, "{p:?}");
    assert_eq!(
        (p.checkpoint_lsn, p.switch_lsn),
        (lsn("0/7000028"), Some(lsn("0/70000A0")))
    );
    assert_eq!((p.old_timeline, p.new_timeline), (4, Some(5)));
    // A record after the shutdown checkpoint (a primary that wrote on after it) is no proof.
    let more = format!("{dump}rmgr: Heap        len (rec/tot):     59/    59, tx:       4100, lsn: 0/070000A0, prev 0/07000028, desc: INSERT off 2 flags 0x00\n");
    let last = crate::postgres::waldump::last_record_lsn(&more);
    let p = prove(&Input {
        ctl: &c,
        history: Some((5, &h)),
        last_record: last,
    });
    assert!(!p.proven);
    assert!(p.failed.unwrap().contains("0/70000A0"));
}

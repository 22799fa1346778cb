use super::*;
use crate::ops::journal::{Journal, State};

const DAY: Duration = Duration::from_secs(86_400);

/// A journal file in `dir` named `name`, in `state`, last written `age` ago.
fn journal(dir: &Path, name: &str, state: &str, change_begun: bool, age: Duration) -> PathBuf {
    let p = dir.join(name);
    let v = serde_json::json!({
        "schema_version": 1, "operation": "stop", "node": "pm01", "pid": 1,
        "started": "2026-01-01T00:00:00Z", "state": state, "change_begun": change_begun,
        "steps": [], "last_completed_step": null, "message": null, "next": null,
    });
    std::fs::write(&p, v.to_string()).unwrap();
    let f = std::fs::File::options().write(true).open(&p).unwrap();
    f.set_modified(SystemTime::now() - age).unwrap();
    p
}

fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

#[test]
fn old_finished_journals_go_and_unfinished_ones_stay_however_old() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    journal(dir, "stop-old-done.json", "done", true, 100 * DAY);
    journal(dir, "stop-old-running.json", "running", true, 400 * DAY);
    journal(
        dir,
        "stop-old-stopped-part-way.json",
        "failed",
        true,
        400 * DAY,
    );
    journal(
        dir,
        "stop-old-interrupted.json",
        "interrupted",
        true,
        400 * DAY,
    );
    journal(
        dir,
        "stop-old-failed-nothing-changed.json",
        "failed",
        false,
        100 * DAY,
    );
    journal(dir, "stop-new-done.json", "done", true, DAY);
    std::fs::write(dir.join("notes.json"), "not a journal").unwrap();
    std::fs::write(dir.join("stop-x.json.tmp"), "{}").unwrap();
    let keep = JournalKeep { days: 90, count: 0 };
    let r = prune(dir, &keep, SystemTime::now(), None);
    assert!(r.errors.is_empty(), "{r:?}");
    assert_eq!(r.removed.len(), 2, "{r:?}");
    assert_eq!(
        names(dir),
        [
            "notes.json",
            "stop-new-done.json",
            "stop-old-interrupted.json",
            "stop-old-running.json",
            "stop-old-stopped-part-way.json",
            "stop-x.json.tmp",
        ]
    );
}

#[test]
fn only_the_newest_finished_journals_are_kept_by_count() {
    let d = tempfile::tempdir().unwrap();
    let dir = d.path();
    for i in 0..5u64 {
        journal(
            dir,
            &format!("stop-{i}.json"),
            "done",
            false,
            DAY * i as u32,
        );
    }
    journal(dir, "stop-unfinished.json", "running", false, 10 * DAY);
    let keep = JournalKeep { days: 0, count: 2 };
    prune(dir, &keep, SystemTime::now(), None);
    assert_eq!(
        names(dir),
        ["stop-0.json", "stop-1.json", "stop-unfinished.json"]
    );
}

#[test]
fn zero_and_zero_keeps_everything() {
    let d = tempfile::tempdir().unwrap();
    journal(d.path(), "stop-a.json", "done", false, 1000 * DAY);
    let keep = JournalKeep { days: 0, count: 0 };
    assert!(prune(d.path(), &keep, SystemTime::now(), None)
        .removed
        .is_empty());
    assert_eq!(names(d.path()), ["stop-a.json"]);
}

/// The journal the journal module writes is read by the pruner: a finished one can go, the
/// running one it was just created as cannot, and `except` protects it anyway.
#[test]
fn the_journal_modules_own_files_are_understood() {
    let d = tempfile::tempdir().unwrap();
    let mut old = Journal::create(d.path(), "cleanup", "pm01").unwrap();
    old.finish(State::Done, None, None);
    let current = Journal::create(d.path(), "stop", "pm01").unwrap();
    let keep = JournalKeep { days: 0, count: 0 };
    assert!(prune(d.path(), &keep, SystemTime::now(), None)
        .removed
        .is_empty());
    let keep = JournalKeep { days: 1, count: 0 };
    let later = SystemTime::now() + 3 * DAY;
    let r = prune(d.path(), &keep, later, Some(current.path()));
    assert_eq!(r.removed, [old.path().to_path_buf()]);
    assert!(current.path().exists());
}

#[test]
fn a_missing_directory_prunes_nothing() {
    let r = prune(
        Path::new("/nonexistent/pgrex-journals"),
        &JournalKeep::default(),
        SystemTime::now(),
        None,
    );
    assert_eq!(r, Pruned::default());
}

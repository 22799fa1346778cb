use super::*;
use pgrex::ExitCode;
use std::cell::RefCell;

/// Scripted answers, and the questions asked.
struct Script {
    terminal: bool,
    lines: RefCell<Vec<&'static str>>,
    yes: bool,
    asked: RefCell<Vec<String>>,
}

fn script(lines: &[&'static str], yes: bool) -> Script {
    Script {
        terminal: true,
        lines: RefCell::new(lines.iter().rev().copied().collect()),
        yes,
        asked: RefCell::default(),
    }
}

impl Ask for Script {
    fn can_ask(&self) -> bool {
        self.terminal
    }
    fn line(&self, q: &str) -> Option<String> {
        self.asked.borrow_mut().push(q.to_string());
        self.lines.borrow_mut().pop().map(str::to_string)
    }
    fn yes(&self, q: &str) -> bool {
        self.asked.borrow_mut().push(q.to_string());
        self.yes
    }
}

fn line(force: bool, backup: Option<(Option<String>, String)>) -> ArchiveDeleteLine {
    ArchiveDeleteLine {
        mode: ArchiveMode::Remove,
        force,
        dbcluster: None,
        backup,
        debug: false,
        confirmed: false,
    }
}

#[test]
fn a_named_backup_or_force_asks_nothing_and_a_named_backup_is_the_confirmation() {
    let none = Script {
        terminal: false,
        ..script(&[], false)
    };
    let named = complete(&line(false, Some((None, "/b".into()))), &none).unwrap();
    assert!(named.confirmed);
    assert_eq!(named.backup, Some((None, "/b".into())));
    let forced = complete(&line(true, None), &none).unwrap();
    assert!(!forced.confirmed && forced.backup.is_none());
    assert!(none.asked.borrow().is_empty());
    // The operation's arguments: no confirmation for a named backup, as -f.
    assert!(crate::cli::perl::archive_delete_args(&named).force);
}

#[test]
fn host_and_path_are_asked_then_confirmed() {
    let s = script(&["pm01", "/var/lib/pgsql/backup1/"], true);
    let l = complete(&line(false, None), &s).unwrap();
    assert_eq!(
        l.backup,
        Some((Some("pm01".into()), "/var/lib/pgsql/backup1".into()))
    );
    assert!(l.confirmed);
    let asked = s.asked.borrow();
    assert_eq!(asked.len(), 3, "{asked:?}");
    assert_eq!(asked[0], t!(m::AD_ASK_HOST));
    assert_eq!(asked[1], t!(m::AD_ASK_PATH));
    assert_eq!(
        asked[2],
        t!(
            m::AD_CONFIRM_BACKUP,
            host = "pm01",
            path = "/var/lib/pgsql/backup1"
        )
    );
    // An empty host is localhost: the backup is on this node.
    let l = complete(&line(false, None), &script(&["", "/b"], true)).unwrap();
    assert_eq!(l.backup, Some((None, "/b".into())));
}

#[test]
fn an_empty_path_is_no_backup_and_leaves_the_confirmation_to_the_operation() {
    let s = script(&["", ""], true);
    let l = complete(&line(false, None), &s).unwrap();
    assert!(l.backup.is_none() && !l.confirmed);
    assert_eq!(s.asked.borrow().len(), 2);
    assert!(!crate::cli::perl::archive_delete_args(&l).force);
}

#[test]
fn bad_answers_are_usage_errors_naming_the_answer_and_no_is_declined() {
    for (answers, what) in [
        (&["pm@01"][..], "pm@01"),
        (&["pm 01"][..], "pm 01"),
        (&["", "relative/path"][..], "relative/path"),
        (&["", "/a;b"][..], "/a;b"),
    ] {
        let e = complete(&line(false, None), &script(answers, true)).unwrap_err();
        assert_eq!(e.exit_code(), ExitCode::Usage, "{answers:?}");
        assert!(e.to_string().contains(what), "{e}");
    }
    let e = complete(&line(false, None), &script(&["", "/b"], false)).unwrap_err();
    assert_eq!(e.exit_code(), ExitCode::Declined);
    assert_eq!(e.to_string(), t!(m::AD_EXIT));
}

#[test]
fn without_a_terminal_it_refuses_naming_the_options() {
    let s = Script {
        terminal: false,
        ..script(&[], true)
    };
    let e = complete(&line(false, None), &s).unwrap_err();
    assert_eq!(e.exit_code(), ExitCode::Refused);
    let hint = e.hint().unwrap_or_default();
    assert!(
        hint.contains("-f") && hint.contains("-r [HOSTNAME:]"),
        "{hint}"
    );
    assert!(s.asked.borrow().is_empty());
}

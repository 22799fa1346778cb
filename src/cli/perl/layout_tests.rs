use super::*;
use pgrex::t;

/// Run `steps` (title, outcome, detail) through a layout; the lines it prints, with
/// `...[OUTCOME]` standing for the reporter's own end line.
fn render(tool: Tool, steps: &[(String, Outcome, Option<String>)]) -> Vec<String> {
    let l = Layout::new(tool);
    let mut out = Vec::new();
    for (i, (title, outcome, detail)) in steps.iter().enumerate() {
        let n = i + 1;
        let s = l.start(n, title);
        out.extend(s.before);
        out.extend(s.line);
        match l.finish(n, *outcome, detail.as_deref()) {
            Finish::Hidden(notes) => out.extend(notes),
            Finish::Reveal(t) => {
                out.push(t);
                out.push(format!("...[{}]", outcome.word()));
            }
            Finish::Shown(after) => {
                out.push(format!("...[{}]", outcome.word()));
                out.extend(after);
            }
        }
    }
    out
}

fn ok(title: String) -> (String, Outcome, Option<String>) {
    (title, Outcome::Ok, None)
}

#[test]
fn templates_match_and_give_their_values() {
    assert_eq!(
        matches(
            "Checking that {node} becomes {role}.",
            "Checking that pm02 becomes it."
        ),
        Some(vec![
            ("node".into(), "pm02".into()),
            ("role".into(), "it".into())
        ])
    );
    assert_eq!(
        matches("Stopping Pacemaker", "Stopping Pacemaker"),
        Some(vec![])
    );
    assert_eq!(
        matches("Stopping Pacemaker", "Stopping Pacemaker on x"),
        None
    );
    assert_eq!(
        matches("a (b) {x}", "a (b) [c]"),
        Some(vec![("x".into(), "[c]".into())])
    );
}

#[test]
fn stop_reads_as_the_perl_tool_two_steps_after_the_role_line() {
    let lines = render(
        Tool::Stop,
        &[
            ok(t!(om::STEP_CHECK_RUNNING)),
            (
                t!(om::STEP_STOP_ROLE),
                Outcome::Ok,
                Some(t!(om::ROLE_PRIMARY)),
            ),
            ok(t!(om::STEP_CHECKPOINT)),
            ok(t!(om::STEP_STOP_PACEMAKER)),
            ok(t!(om::STEP_CHECK_STOPPED)),
        ],
    );
    assert_eq!(
        lines,
        [
            "Stopping primary.",
            "1. Stopping Pacemaker",
            "...[OK]",
            "2. Checking Pacemaker has stopped",
            "...[OK]",
        ]
    );
    let l = Layout::new(Tool::Stop);
    assert_eq!(
        l.result(&t!(om::STOPPED_PRIMARY, node = "pm01")),
        "Primary has stopped on the node (pm01)."
    );
    assert_eq!(
        l.result(&t!(om::STOP_ALREADY, node = "pm01")),
        "Pacemaker and Corosync has already stopped."
    );
    assert_eq!(l.result("something else"), "something else");
}

#[test]
fn a_hidden_check_that_fails_is_shown() {
    let lines = render(
        Tool::Stop,
        &[(t!(om::STEP_CHECK_RUNNING), Outcome::Ng, Some("x".into()))],
    );
    assert_eq!(lines, [t!(om::STEP_CHECK_RUNNING), "...[NG]".into()]);
}

#[test]
fn standby_start_rewind_numbers_and_titles_as_the_perl_tool() {
    let lines = render(
        Tool::StandbyStart,
        &[
            ok(t!(sm::STEP_STOPPED)),
            ok(t!(sm::STEP_CONNECT, addr = "192.168.2.2")),
            ok(t!(sm::STEP_PRIMARY_RUNS)),
            ok(t!(sm::STEP_LOCK)),
            ok(t!(sm::STEP_DATA)),
            ok(t!(sm::STEP_IC)),
            ok(t!(sm::STEP_REWIND)),
            ok(t!(sm::STEP_REMOVE_LOCK)),
            ok(t!(sm::STEP_ARCHIVE)),
            ok(t!(sm::STEP_START_COUNT, count = 3)),
            ok(t!(sm::STEP_WAIT)),
        ],
    );
    let numbered: Vec<&String> = lines.iter().filter(|l| !l.starts_with("...")).collect();
    assert_eq!(
        numbered,
        [
            "1. Checking Pacemaker and Corosync has stopped",
            "2. Checking primary has started on another node",
            "3. Checking PGSQL lock file",
            "4. Checking the status of database cluster",
            "5. Checking connecting to another node with IC-LAN",
            "Starting after performing pg_rewind.",
            "6. Rewinding the database cluster",
            // pgrex's own change is shown, never hidden.
            &format!("7. {}", t!(sm::STEP_REMOVE_LOCK)),
            "8. Synchronizing with the archive directory on the primary",
            "9. Starting Pacemaker (Number of WAL segments for restore: 3)",
            "10. Checking standby has started",
        ]
    );
    assert_eq!(
        Layout::new(Tool::StandbyStart).result(&t!(sm::STARTED, node = "pm02", primary = "pm01")),
        "Standby has started on the node (pm02)."
    );
}

#[test]
fn standby_start_as_it_is_shows_the_banner_not_the_step() {
    let lines = render(
        Tool::StandbyStart,
        &[(t!(sm::STEP_NORMAL), Outcome::Skip, Some(t!(sm::AS_IT_IS)))],
    );
    assert_eq!(lines, ["Starting the database as it is."]);
}

#[test]
fn switchover_banners_and_perl_titles_around_pgrex_steps() {
    let lines = render(
        Tool::Switchover,
        &[
            ok(t!(wm::STEP_CONNECT, addr = "192.168.2.2")),
            ok(t!(wm::STEP_CLUSTER)),
            ok(t!(wm::STEP_LAG, node = "pm02")),
            ok(t!(wm::STEP_PEER_LOCK, node = "pm02")),
            ok(t!(wm::STEP_TAKE_PEER_LOCK, node = "pm02")),
            ok(t!(wm::STEP_CHECKPOINT, node = "pm01")),
            ok(t!(wm::STEP_BAN, node = "pm01")),
            ok(t!(wm::STEP_WAIT_PRIMARY, node = "pm02")),
        ],
    );
    assert_eq!(
        lines,
        [
            "**** Ready to run ****".to_string(),
            "1. Reading pg-rex_tools.conf and get both node names.".into(),
            "...[OK]".into(),
            "2. Checking the HA cluster status of current and after switchover.".into(),
            "...[OK]".into(),
            "**** Execute to switchover ****".into(),
            "3. Executing CHECKPOINT.".into(),
            "...[OK]".into(),
            format!("4. {}", t!(wm::STEP_BAN, node = "pm01")),
            "...[OK]".into(),
            "5. Checking that pm02 becomes the new primary.".into(),
            "...[OK]".into(),
            "**** Primary has started on the node (pm02) ****".into(),
        ]
    );
    let done = Layout::new(Tool::Switchover).result(&t!(wm::SWITCHED, new = "pm02", old = "pm01"));
    assert!(
        done.contains("**** Switchover has been completed ****"),
        "{done}"
    );
    assert!(done.ends_with(" Primary : pm02\n Standby : pm01"), "{done}");
}

#[test]
fn every_rule_names_a_step_title_no_two_rules_take_the_same_title() {
    for tool in [
        Tool::Stop,
        Tool::PrimaryStart,
        Tool::StandbyStart,
        Tool::Switchover,
        Tool::ArchivefileDelete,
    ] {
        let rs = rules(tool);
        for (i, a) in rs.iter().enumerate() {
            assert!(a.to.is_some() || a.hidden || a.before.is_some() || a.after.is_some());
            for b in &rs[i + 1..] {
                assert_ne!(a.from.id, b.from.id, "{tool:?}: {} twice", a.from.id);
            }
        }
    }
}

#[test]
fn a_failed_step_names_pgrex_s_number_when_it_differs() {
    let lines = render(
        Tool::Stop,
        &[
            ok(t!(om::STEP_CHECK_RUNNING)),
            ok(t!(om::STEP_STOP_ROLE)),
            ok(t!(om::STEP_CHECKPOINT)),
            (t!(om::STEP_STOP_PACEMAKER), Outcome::Ng, None),
        ],
    );
    assert_eq!(
        lines,
        [
            "1. Stopping Pacemaker".to_string(),
            "...[NG]".into(),
            t!(m::NG_STEP_NUMBER, step = 4),
        ]
    );
    // Same number: nothing to add.
    let lines = render(
        Tool::Stop,
        &[(t!(om::STEP_STOP_PACEMAKER), Outcome::Ng, None)],
    );
    assert_eq!(lines, ["1. Stopping Pacemaker", "...[NG]"]);
}

#[test]
fn archivefile_delete_reads_as_the_perl_tool_banners_over_unnumbered_lines() {
    use pgrex::msg::archive as am;
    let steps = |last: String| {
        vec![
            (
                t!(am::STEP_SETTINGS),
                Outcome::Ok,
                Some("PGDATA /d (from CIB)".to_string()),
            ),
            (t!(am::STEP_BACKUP), Outcome::Skip, Some(t!(am::NO_BACKUP))),
            ok(t!(am::STEP_LOCAL_CONTROL)),
            ok(t!(am::STEP_PEER_CONTROL)),
            ok(t!(am::STEP_BOUNDARY)),
            ok(t!(am::STEP_LIST, dir = "/a", node = "pm01")),
            ok(last),
        ]
    };
    let lines = render(
        Tool::ArchivefileDelete,
        &steps(t!(am::STEP_REMOVE, count = 3, dir = "/a", node = "pm01")),
    );
    assert_eq!(
        lines,
        [
            "Reading pg-rex_tools.conf.\nGetting both node names.".to_string(),
            "Reading cib.xml.".into(),
            "...[OK]".into(),
            "\n**** 2. Get wal file names ****".into(),
            "Getting first wal file name that needs to recovery from the backup specified.".into(),
            "...[SKIP]".into(),
            "Getting first wal file name that needs to recovery from the database cluster on this node.".into(),
            "...[OK]".into(),
            "Getting first wal file name that needs to recovery from the database cluster on another node.".into(),
            "...[OK]".into(),
            "\n**** 3. Calculate the deletion target ****".into(),
            t!(am::STEP_BOUNDARY),
            "...[OK]".into(),
            t!(am::STEP_LIST, dir = "/a", node = "pm01"),
            "...[OK]".into(),
            "\n**** 4. Remove the archive log ****".into(),
            t!(am::STEP_REMOVE, count = 3, dir = "/a", node = "pm01"),
            "...[OK]".into(),
        ]
    );
    let moved = render(
        Tool::ArchivefileDelete,
        &steps(t!(am::STEP_MOVE, count = 3, dir = "/a/x", node = "pm01")),
    );
    assert_eq!(moved[15], "\n**** 4. Move the archive log ****");
    let l = Layout::new(Tool::ArchivefileDelete);
    assert_eq!(
        l.result(&t!(am::DONE_REMOVED, count = 3, wal = "W")),
        "Succeeded removing the archive log."
    );
    assert_eq!(
        l.result(&t!(
            am::DONE_MOVED,
            count = 3,
            wal = "W",
            sub = "20261201_131500"
        )),
        "Succeeded moving the archive log.\nThese are in the directory (\"20261201_131500\")."
    );
    assert_eq!(
        l.result(&t!(am::NOTHING, wal = "W")),
        "The list of the deletion target is empty."
    );
    // Unnumbered lines: a failure always says which pgrex step it was.
    let failed = render(
        Tool::ArchivefileDelete,
        &[(t!(am::STEP_SETTINGS), Outcome::Ng, None)],
    );
    assert_eq!(failed[3], t!(m::NG_STEP_NUMBER, step = 1));
}

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
fn standby_start_data_check_shows_the_perl_tools_sub_steps() {
    let l = Layout::new(Tool::StandbyStart);
    let mut out = Vec::new();
    for (n, title) in [
        t!(sm::STEP_STOPPED),
        t!(sm::STEP_CONNECT, addr = "192.168.2.2"),
        t!(sm::STEP_PRIMARY_RUNS),
        t!(sm::STEP_LOCK),
    ]
    .iter()
    .enumerate()
    {
        let s = l.start(n + 1, title);
        // Before step 5 has started, a method line is not a sub-step.
        assert_eq!(
            l.message(&t!(sm::METHOD_POSSIBLE, method = t!(sm::METHOD_N))),
            None
        );
        assert!(matches!(
            l.finish(n + 1, Outcome::Ok, None),
            Finish::Hidden(_) | Finish::Shown(_)
        ));
        out.extend(s.line);
    }
    let s = l.start(5, &t!(sm::STEP_DATA));
    out.extend(s.line);
    let why = t!(sm::WHY_FPW);
    for text in [
        t!(
            sm::METHOD_IMPOSSIBLE,
            method = t!(sm::METHOD_N),
            why = t!(sm::WHY_NO_DB)
        ),
        t!(sm::METHOD_IMPOSSIBLE, method = t!(sm::METHOD_R), why = why),
        t!(sm::METHOD_POSSIBLE, method = t!(sm::METHOD_B)),
    ] {
        for line in l.message(&text).expect(&text) {
            out.push(match line {
                SubLine::Title(t) => t,
                SubLine::Why(w) => format!("   {w}"),
                SubLine::End(o) => format!("...[{}]", o.word()),
            });
        }
    }
    // Another message of the step is pgrex's.
    assert_eq!(l.message("something else"), None);
    // The step's own [OK] is left out: the Perl tool printed none after 4.3.
    assert_eq!(l.finish(5, Outcome::Ok, None), Finish::Hidden(vec![]));
    assert_eq!(
        out,
        [
            "1. Checking Pacemaker and Corosync has stopped",
            "2. Checking primary has started on another node",
            "3. Checking PGSQL lock file",
            "4. Checking the status of database cluster",
            "4.1 Checking if this node can start without change",
            "   there is no database cluster here",
            "...[NG]",
            "4.2 Checking if this node can start after running pg_rewind",
            "   full_page_writes is off on the primary",
            "...[NG]",
            "4.3 Checking if it is ready to run pg_basebackup",
            "...[OK]",
        ]
    );
}

#[test]
fn a_method_not_checked_is_skip_and_a_failed_data_step_still_says_ng() {
    let l = Layout::new(Tool::StandbyStart);
    l.start(1, &t!(sm::STEP_DATA));
    let lines = l
        .message(&t!(sm::METHOD_NOT_EVALUATED, method = t!(sm::METHOD_R)))
        .unwrap();
    assert_eq!(
        lines,
        [
            SubLine::Title("1.2 Checking if this node can start after running pg_rewind".into()),
            SubLine::End(Outcome::Skip)
        ]
    );
    assert_eq!(l.finish(1, Outcome::Ng, None), Finish::Shown(vec![]));
    // Without sub-step lines (a resumed run) the step keeps its [OK].
    let l = Layout::new(Tool::StandbyStart);
    l.start(1, &t!(sm::STEP_DATA));
    assert_eq!(l.finish(1, Outcome::Ok, None), Finish::Shown(vec![]));
}

/// The lines the CLI prints in the Perl layout for a recorded run (the test reporter's
/// transcript of src/ops/testing.rs: `N. title`, `   message`, `...[OUTCOME] (detail)`).
fn replay(tool: Tool, transcript: &str) -> Vec<String> {
    let step_re = regex::Regex::new(r"^(\d+)\. (.*)$").unwrap();
    let end_re = regex::Regex::new(r"^\.\.\.\[(OK|NG|SKIP)\](?: \((.*)\))?$").unwrap();
    let l = Layout::new(tool);
    let mut out = Vec::new();
    let mut step = 0;
    for line in transcript.lines() {
        if let Some(c) = step_re.captures(line) {
            step = c[1].parse().unwrap();
            let s = l.start(step, &c[2]);
            out.extend(s.before);
            out.extend(s.line);
        } else if line.starts_with("...[SKIP] (dry run)") {
            if !l.hidden(step) {
                out.push(line.to_string());
            }
        } else if let Some(c) = end_re.captures(line) {
            let outcome = match &c[1] {
                "OK" => Outcome::Ok,
                "NG" => Outcome::Ng,
                _ => Outcome::Skip,
            };
            let detail = c.get(2).map(|d| d.as_str());
            let end = format!(
                "...[{}]{}",
                &c[1],
                detail.map(|d| format!(" ({d})")).unwrap_or_default()
            );
            match l.finish(step, outcome, detail) {
                Finish::Hidden(notes) => out.extend(notes),
                Finish::Reveal(t) => out.extend([t, end]),
                Finish::Shown(after) => {
                    out.push(end);
                    out.extend(after);
                }
            }
        } else if let Some(text) = line.strip_prefix("   ") {
            match l.message(text) {
                Some(lines) => out.extend(lines.into_iter().map(|s| match s {
                    SubLine::Title(t) => t,
                    SubLine::Why(w) => format!("   {w}"),
                    SubLine::End(o) => format!("...[{}]", o.word()),
                })),
                None if l.hidden(step) => {}
                None => out.push(line.to_string()),
            }
        } else {
            out.push(line.to_string());
        }
    }
    out
}

#[test]
fn standby_start_b_dry_run_on_the_recorded_nodes_reads_as_the_perl_tool() {
    let transcript = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/perl/standby-start-b-dry-run.txt"
    ))
    .unwrap();
    let lines = replay(Tool::StandbyStart, &transcript);
    assert_eq!(
        lines[..13],
        [
            "1. Checking Pacemaker and Corosync has stopped",
            "...[OK]",
            "2. Checking primary has started on another node",
            "...[OK] (pm02)",
            "3. Checking PGSQL lock file",
            "...[OK]",
            "4. Checking the status of database cluster",
            "4.1 Checking if this node can start without change",
            "...[SKIP]",
            "4.2 Checking if this node can start after running pg_rewind",
            "...[SKIP]",
            "4.3 Checking if it is ready to run pg_basebackup",
            "...[OK]",
        ],
        "{lines:#?}"
    );
    let rest = lines[13..].join("\n");
    assert!(
        rest.contains("5. Checking connecting to another node with IC-LAN\n")
            && rest.contains(
                "Starting from a new base backup.\n6. Taking a base backup from primary\n"
            ),
        "{rest}"
    );
}

#[test]
fn primary_start_recreating_the_cluster_reads_as_the_perl_tool() {
    let lines = render(
        Tool::PrimaryStart,
        &[
            ok(t!(pm::STEP_STOPPED)),
            ok(t!(pm::STEP_CONNECT, addr = "192.168.2.2")),
            ok(t!(pm::STEP_NO_PRIMARY)),
            ok(t!(pm::STEP_LOCK)),
            ok(t!(pm::STEP_MARKER)),
            ok(t!(pm::STEP_DESTROY, me = "pm01", peer = "pm02")),
            ok(t!(pm::STEP_CREATE, name = "c", me = "pm01", peer = "pm02")),
        ],
    );
    assert_eq!(
        lines,
        [
            "1. Checking Pacemaker and Corosync has stopped",
            "...[OK]",
            "2. Checking primary has not started on another node",
            "...[OK]",
            "3. Checking PGSQL lock file",
            "...[OK]",
            "4. Destroying the HA cluster",
            "...[OK]",
            "5. Creating the HA cluster.",
            "...[OK]",
        ]
    );
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

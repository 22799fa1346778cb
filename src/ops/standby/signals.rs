//! The recovery signal files (`standby.signal`, `recovery.signal`) set aside while pg_rewind
//! runs. pg_rewind first runs single-user crash recovery on a data directory that was not
//! shut down cleanly (`postgres --single`), and a single-user server refuses to start with
//! `standby.signal` present ("standby mode is not supported by single-user servers"): the
//! old primary of a service-LAN failure, stopped by the fence, has exactly that. The files
//! are not needed afterwards — the pgsql resource agent writes its own `standby.signal`
//! (and recovery settings) whenever it starts PostgreSQL as a standby — so after a rewind
//! they stay gone; when pg_rewind fails they are put back as they were, so that the data
//! directory still says what it said before.

use crate::node::{FileMode, Node};
use crate::ops::pg::PgParams;
use crate::Result;
use std::path::PathBuf;

/// The signal files of a data directory, in the order they are looked for.
pub const SIGNAL_FILES: [&str; 2] = ["standby.signal", "recovery.signal"];

/// One file set aside: where it was, what it held, its owner and permissions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Aside {
    pub name: &'static str,
    path: PathBuf,
    data: Vec<u8>,
    mode: FileMode,
}

/// Remove the signal files present in the data directory, keeping their content to put
/// back. Files that are absent are left alone.
pub fn set_aside(local: &dyn Node, p: &PgParams) -> Result<Vec<Aside>> {
    let mut aside = Vec::new();
    for name in SIGNAL_FILES {
        let path = p.pgdata.join(name);
        let Some(st) = local.stat(&path)? else {
            continue;
        };
        let data = local.read_file(&path)?;
        let mode = FileMode {
            mode: st.mode,
            owner: Some((st.uid, st.gid)),
        };
        local.remove_file(&path)?;
        aside.push(Aside {
            name,
            path,
            data,
            mode,
        });
    }
    Ok(aside)
}

/// Put the files set aside back, with their content, owner and permissions.
pub fn put_back(local: &dyn Node, aside: &[Aside]) -> Result<()> {
    for a in aside {
        local.write_file(&a.path, &a.data, a.mode)?;
    }
    Ok(())
}

/// The names of the files set aside, for the step's note (`standby.signal, recovery.signal`).
pub fn names(aside: &[Aside]) -> String {
    aside.iter().map(|a| a.name).collect::<Vec<_>>().join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::fake::{Call, FakeNode};

    fn params() -> PgParams {
        PgParams {
            bindir: Some(PathBuf::from("/usr/lib/postgresql/17/bin")),
            pgdata: PathBuf::from("/var/lib/pgsql/data"),
            tmpdir: PathBuf::from("/var/lib/pgsql/tmp"),
            repuser: "repuser".into(),
            port: 5432,
            socketdir: None,
        }
    }

    const STANDBY: &str = "/var/lib/pgsql/data/standby.signal";
    const RECOVERY: &str = "/var/lib/pgsql/data/recovery.signal";

    #[test]
    fn a_standby_signal_is_set_aside_and_put_back_as_it_was() {
        let local = FakeNode::local().file(STANDBY, "kept\n");
        let aside = set_aside(&local, &params()).unwrap();
        assert_eq!(names(&aside), "standby.signal");
        assert!(!local.has_file(STANDBY), "pg_rewind must not see it");
        assert!(!local.has_file(RECOVERY), "an absent file is not created");
        put_back(&local, &aside).unwrap();
        assert_eq!(local.read_file(STANDBY.as_ref()).unwrap(), b"kept\n");
        assert!(!local.has_file(RECOVERY));
        assert_eq!(aside[0].mode.owner, Some((26, 26)), "the owner is kept");
    }

    #[test]
    fn both_files_are_set_aside_and_nothing_is_touched_without_them() {
        let both = FakeNode::local().file(STANDBY, "").file(RECOVERY, "");
        let aside = set_aside(&both, &params()).unwrap();
        assert_eq!(names(&aside), "standby.signal, recovery.signal");
        assert!(!both.has_file(STANDBY) && !both.has_file(RECOVERY));

        let none = FakeNode::local().dir("/var/lib/pgsql/data");
        assert_eq!(set_aside(&none, &params()).unwrap(), []);
        assert_eq!(none.changes(), Vec::<Call>::new());
    }

    /// The primary pm02 after a failover (recorded pg_control, history file in the archive;
    /// the psql facts as in standby's tests: PostgreSQL 15, timeline 2).
    fn primary_pm02() -> FakeNode {
        let facts = crate::ops::standby::tests::psql_facts();
        FakeNode::peer("192.0.2.2")
            .answer("psql", 0, facts)
            .answer_fixture(
                "pg_controldata",
                0,
                "postgres/controldata_pg15_promoted_tli2.txt",
            )
            .file(
                "/var/lib/pgsql/archive/00000002.history",
                crate::node::fake::fixture("postgres/00000002.history"),
            )
    }

    /// pg_rewind on the old primary (reached over SSH, as recover does);
    /// the result and what the operator saw.
    fn rewind_old_primary(target: &FakeNode) -> (Result<()>, String) {
        use crate::ops::testing::{ctx, Rec};
        let peer = primary_pm02();
        let p = params();
        let prim = super::super::facts::primary(&peer, &p, "/var/lib/pgsql/archive".as_ref())
            .expect("the recorded primary's facts");
        let rep = Rec::new(crate::report::Answer::Yes);
        let here = FakeNode::local();
        let ctx = ctx(&rep, &here, false);
        let cx = crate::ops::StepCx { ctx: &ctx, step: 1 };
        let r = super::super::act::rewind(
            &cx,
            target,
            &peer,
            &p,
            &prim,
            "192.0.2.2",
            crate::config::RewindVia::Never,
        );
        assert!(
            target.commands().iter().any(|c| c.starts_with("pg_rewind")),
            "pg_rewind ran: {:?}",
            target.commands()
        );
        (r, rep.text())
    }

    #[test]
    fn rewind_runs_without_the_signal_files_and_leaves_them_to_the_agent() {
        let target = FakeNode::peer("192.0.2.1").file(STANDBY, "").answer(
            "pg_rewind",
            0,
            "pg_rewind: Done!\n",
        );
        let (r, text) = rewind_old_primary(&target);
        r.expect(&text);
        assert!(!target.has_file(STANDBY), "{text}");
        assert!(text.contains("standby.signal set aside: pg_rewind's single-user crash recovery refuses standby mode"), "{text}");
        let removed = target
            .changes()
            .iter()
            .position(|c| *c == Call::Remove(STANDBY.into()));
        let ran = target
            .calls()
            .iter()
            .position(|c| matches!(c, Call::Run(s) if s.starts_with("pg_rewind")));
        assert!(
            removed.is_some() && removed < ran,
            "set aside before pg_rewind: {:?}",
            target.calls()
        );
    }

    /// The lab's heartbeat-lan-failure `--switchback` (2026-12-01 19:46, both profiles): a
    /// standby not shut down cleanly, pg_rewind's crash recovery, then "no rewind required"
    /// (recorded lines). Its data now ends with checkpoints of its own: stopped, the signal
    /// file back, a base backup named — it once started and stayed HS:alone.
    #[test]
    fn nothing_to_rewind_after_its_own_crash_recovery_stops_with_the_signal_back() {
        let output = "pg_rewind: executing \"/usr/lib/postgresql/15/bin/postgres\" for target server to complete crash recovery\n\
            LOG:  checkpoint starting: end-of-recovery immediate wait\n\
            pg_rewind: source and target cluster are on the same timeline\n\
            pg_rewind: no rewind required\n";
        let target = FakeNode::peer("192.0.2.1")
            .file(STANDBY, "")
            .answer("pg_rewind", 0, output);
        let (r, text) = rewind_old_primary(&target);
        let e = r.expect_err(&text);
        let said = format!("{e}\n{}", e.hint().unwrap_or_default());
        assert!(
            said.contains("checkpoint records of its own")
                && said.contains("pgrex standby-start -b"),
            "{said}"
        );
        assert!(target.has_file(STANDBY), "{text}");
        // Nothing to rewind on cleanly stopped data is no such case.
        let clean = FakeNode::peer("192.0.2.1").file(STANDBY, "").answer(
            "pg_rewind",
            0,
            "pg_rewind: source and target cluster are on the same timeline\npg_rewind: no rewind required\n",
        );
        let (r, text) = rewind_old_primary(&clean);
        r.expect(&text);
    }

    #[test]
    fn a_failed_rewind_puts_the_signal_files_back() {
        let target = FakeNode::peer("192.0.2.1")
            .file(STANDBY, "")
            .file(RECOVERY, "r")
            .answer("pg_rewind", 1, "");
        let (r, text) = rewind_old_primary(&target);
        assert!(r.is_err(), "{text}");
        assert!(
            target.has_file(STANDBY) && target.has_file(RECOVERY),
            "{text}"
        );
        assert_eq!(target.read_file(RECOVERY.as_ref()).unwrap(), b"r");
        assert!(
            text.contains(
                "pg_rewind failed: standby.signal, recovery.signal put back as they were"
            ),
            "{text}"
        );
    }
}

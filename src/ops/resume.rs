//! What `pgrex resume` and `pgrex abort` share (CONTRACTS "Operations: journal, resume,
//! abort"): which operation a journal belongs to ([`Kind`], the key of the binary's one
//! dispatch table), the two modes, and the facts of this node's stack that the lifecycle
//! operations decide from. Each operation owns its own continuation and safe state in
//! `ops/<op>/resume.rs` (a pure decision over re-read facts, then steps through a
//! [`super::Run`]); nothing here replays a journal's steps.

use super::cluster;
use crate::exec::Tools;
use crate::msg::ops as m;
use crate::node::{Node, RunAs};
use crate::Result;
use std::time::Duration;

/// Continue the operation, or bring it to its documented safe state.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Resume,
    Abort,
}

impl Mode {
    /// The command's name (`resume` / `abort`).
    pub fn command(self) -> &'static str {
        match self {
            Mode::Resume => "resume",
            Mode::Abort => "abort",
        }
    }

    /// The journal name of the run that takes `operation` up (`stop-resume`, …).
    pub fn journal_name(self, operation: &str) -> String {
        format!("{operation}-{}", self.command())
    }
}

/// The operations `resume`/`abort` know, by the name their journal records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Switchover,
    Stop,
    StandbyStart,
    PrimaryStart,
    Cleanup,
    /// `pgrex recover`: its own resume entry (`ops::recover::resume`).
    Recover,
}

impl Kind {
    pub const ALL: [Kind; 6] = [
        Kind::Switchover,
        Kind::Stop,
        Kind::StandbyStart,
        Kind::PrimaryStart,
        Kind::Cleanup,
        Kind::Recover,
    ];

    /// The journal's operation name (`Run::new`'s).
    pub fn operation(self) -> &'static str {
        match self {
            Kind::Switchover => "switchover",
            Kind::Stop => "stop",
            Kind::StandbyStart => "standby-start",
            Kind::PrimaryStart => "primary-start",
            Kind::Cleanup => "cleanup",
            Kind::Recover => "recover",
        }
    }

    /// The kind of a journal's operation: the operation itself or a resume/abort of it (a
    /// `stop-resume` that stopped part-way is taken up as a stop).
    pub fn of(operation: &str) -> Option<Kind> {
        let base = operation
            .strip_suffix("-resume")
            .or_else(|| operation.strip_suffix("-abort"))
            .unwrap_or(operation);
        Kind::ALL.into_iter().find(|k| k.operation() == base)
    }
}

/// A systemd unit of this node's stack as `systemctl is-active` reports it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Running,
    /// `deactivating`: a stop is under way.
    Stopping,
    Stopped,
}

/// Pacemaker's and Corosync's units on `node`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Stack {
    pub pacemaker: Unit,
    pub corosync: Unit,
}

impl Stack {
    pub fn stopped(&self) -> bool {
        self.pacemaker == Unit::Stopped && self.corosync == Unit::Stopped
    }

    /// Both running: neither stopped nor half-way.
    pub fn running(&self) -> bool {
        self.pacemaker == Unit::Running && self.corosync == Unit::Running
    }
}

pub fn stack(node: &dyn Node, tools: &Tools) -> Result<Stack> {
    Ok(Stack {
        pacemaker: unit(node, tools, "pacemaker")?,
        corosync: unit(node, tools, "corosync")?,
    })
}

fn unit(node: &dyn Node, tools: &Tools, name: &str) -> Result<Unit> {
    let out = node.output(
        &cluster::systemctl(node, tools)
            .args(["is-active", name])
            .timeout(Duration::from_secs(60)),
        &RunAs::Root,
    )?;
    let word = out.stdout.lines().next().unwrap_or_default().trim();
    Ok(match word {
        "active" | "activating" | "reloading" => Unit::Running,
        "deactivating" => Unit::Stopping,
        _ => Unit::Stopped,
    })
}

/// Say what the resume/abort is about to do, and ask (CONTRACTS: both ask unless `--yes`);
/// a refusal is recorded in `run`'s journal.
pub fn confirm(run: &mut super::Run, mode: Mode, what: &str) -> Result<()> {
    let ctx = run.ctx;
    let command = mode.command();
    ctx.reporter.message(
        crate::report::Level::Info,
        &crate::t!(m::RESUME_WILL, command = command, what = what),
    );
    ctx.confirm(&crate::t!(m::RESUME_CONFIRM, command = command))
        .map_err(|e| run.abort(e))
}

/// The journal's arguments as the operation's own type (`None`: a journal written before
/// the operation recorded them, or not by it).
pub fn arguments<T: serde::de::DeserializeOwned>(v: &serde_json::Value) -> Option<T> {
    if !v.is_object() {
        return None;
    }
    serde_json::from_value(v.clone()).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::fake::FakeNode;

    #[test]
    fn a_journal_names_its_kind_also_when_it_was_a_resume() {
        assert_eq!(Kind::of("stop"), Some(Kind::Stop));
        assert_eq!(Kind::of("standby-start-abort"), Some(Kind::StandbyStart));
        assert_eq!(Kind::of("switchover-resume"), Some(Kind::Switchover));
        assert_eq!(Kind::of("archive-delete"), None);
        for k in Kind::ALL {
            assert_eq!(Kind::of(&Mode::Abort.journal_name(k.operation())), Some(k));
        }
    }

    #[test]
    fn the_stack_is_read_unit_by_unit() {
        let n = FakeNode::local()
            .answer("systemctl is-active pacemaker", 3, "deactivating\n")
            .answer("systemctl is-active corosync", 0, "active\n");
        let s = stack(&n, &Tools::new()).unwrap();
        assert_eq!((s.pacemaker, s.corosync), (Unit::Stopping, Unit::Running));
        assert!(!s.stopped());
        let n = FakeNode::local().answer("systemctl is-active", 3, "inactive\n");
        assert!(stack(&n, &Tools::new()).unwrap().stopped());
    }
}

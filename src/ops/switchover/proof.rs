//! The LSN proof of a switchover (CONTRACTS "Switchover"): the old primary may return as
//! the new primary's standby without pg_rewind or a base backup only when its data is
//! contained in the new primary's. Pure: it judges what was read — the old primary's
//! `pg_controldata`, the new timeline's history file, and how far the old primary's
//! `pg_wal` goes from its latest checkpoint on (`pg_waldump`).
//!
//! The three conditions: the old primary stopped cleanly (`shut down`), so its last record
//! is the shutdown checkpoint; that record starts **before** the switch point the new
//! timeline recorded for the old one, so it was replicated and replayed before the
//! promotion; and no record follows it in the old primary's `pg_wal`.

use crate::msg::switchover as m;
use crate::postgres::controldata::DbState;
use crate::postgres::{ControlData, History, Lsn};
use crate::t;
use serde::Serialize;

/// What the proof reads.
pub struct Input<'a> {
    /// The old primary's `pg_controldata`, after it stopped.
    pub ctl: &'a ControlData,
    /// The newest timeline history file of the new primary: its timeline and content.
    pub history: Option<(u32, &'a History)>,
    /// The last record `pg_waldump` read in the old primary's `pg_wal`, starting at its
    /// latest checkpoint location (`None`: not even that record could be read).
    pub last_record: Option<Lsn>,
}

/// The proof as printed and put in the JSON result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Proof {
    /// All three conditions hold.
    pub proven: bool,
    /// `pg_controldata`'s "Database cluster state" of the old primary.
    pub old_state: String,
    /// Its latest checkpoint location (the start of the shutdown checkpoint record).
    pub checkpoint_lsn: Lsn,
    pub old_timeline: u32,
    pub new_timeline: Option<u32>,
    /// Where the new timeline branched off the old one (from its history file).
    pub switch_lsn: Option<Lsn>,
    /// The last record in the old primary's pg_wal from the checkpoint on.
    pub last_record_lsn: Option<Lsn>,
    /// Why it is not proven (the first condition that fails), with the LSNs.
    pub failed: Option<String>,
}

impl Proof {
    /// One line for the text output.
    pub fn summary(&self) -> String {
        let opt = |l: Option<Lsn>| l.map_or("-".to_string(), |l| l.to_string());
        t!(
            m::PROOF_LINE,
            state = self.old_state,
            checkpoint = self.checkpoint_lsn,
            tli = self.old_timeline,
            new_tli = self.new_timeline.map_or("-".to_string(), |t| t.to_string()),
            switch = opt(self.switch_lsn),
            last = opt(self.last_record_lsn)
        )
    }
}

/// Judge the three conditions, in order; the first that fails says why.
pub fn prove(i: &Input) -> Proof {
    let ctl = i.ctl;
    let checkpoint = ctl.checkpoint_location;
    let old_tli = ctl.checkpoint_tli;
    let switch = i
        .history
        .and_then(|(_, h)| h.switch_point(old_tli))
        .filter(|_| i.history.is_some_and(|(tli, _)| tli > old_tli));
    let failed = if ctl.cluster_state != DbState::ShutDown {
        Some(t!(
            m::PROOF_NOT_SHUT_DOWN,
            state = ctl.cluster_state.as_text().to_string()
        ))
    } else if i.history.is_none() {
        Some(t!(m::PROOF_NO_HISTORY))
    } else if switch.is_none() {
        Some(t!(
            m::PROOF_NOT_A_CHILD,
            tli = old_tli,
            new_tli = i.history.map_or(0, |(t, _)| t)
        ))
    } else if switch.is_some_and(|s| checkpoint >= s) {
        Some(t!(
            m::PROOF_AFTER_SWITCH,
            checkpoint = checkpoint,
            switch = switch.unwrap_or_default()
        ))
    } else {
        match i.last_record {
            None => Some(t!(m::PROOF_UNREADABLE, checkpoint = checkpoint)),
            Some(last) if last != checkpoint => {
                Some(t!(m::PROOF_WAL_AFTER, checkpoint = checkpoint, last = last))
            }
            Some(_) => None,
        }
    };
    Proof {
        proven: failed.is_none(),
        old_state: ctl.cluster_state.as_text().to_string(),
        checkpoint_lsn: checkpoint,
        old_timeline: old_tli,
        new_timeline: i.history.map(|(t, _)| t),
        switch_lsn: switch,
        last_record_lsn: i.last_record,
        failed,
    }
}

#[cfg(test)]
#[path = "proof_tests.rs"]
mod tests;

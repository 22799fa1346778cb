//! What an operation's result code means, in Pacemaker 2.1's own words, so a failed action is
//! worded after its real rc (and exit-reason) wherever it is shown: `not running` is rc 7,
//! `promoted` rc 8 (`OCF_RUNNING_PROMOTED`, the agent found the resource running as primary),
//! `promoted (failed)` rc 9 (`OCF_FAILED_PROMOTED`). The words are Pacemaker's
//! (`services_ocf_exitcode_str`, what crm_mon 2.1 prints as `exitstatus`), not ours: they are
//! identifiers of the OCF API and stay untranslated, as crm_mon's own text does.

use super::FailedAction;
use crate::msg::pcmk as m;

/// The OCF result `promoted` (`OCF_RUNNING_PROMOTED`): running in the promoted role.
pub const RUNNING_PROMOTED: i32 = 8;
/// The OCF result `promoted (failed)` (`OCF_FAILED_PROMOTED`).
pub const FAILED_PROMOTED: i32 = 9;

/// Pacemaker 2.1's word for an OCF result code (None: not an OCF code).
pub fn ocf_word(rc: i32) -> Option<&'static str> {
    Some(match rc {
        0 => "ok",
        1 => "error",
        2 => "invalid parameter",
        3 => "unimplemented feature",
        4 => "insufficient privileges",
        5 => "not installed",
        6 => "not configured",
        7 => "not running",
        8 => "promoted",
        9 => "promoted (failed)",
        190 => "degraded",
        191 => "degraded promoted",
        _ => return None,
    })
}

impl FailedAction {
    /// What the operation returned, after its rc: `monitor returned not running (rc 7)`, with
    /// the agent's exit-reason when it gave one (`: …`). The rc decides the word (a Pacemaker
    /// 1.1 document says `master` for rc 8); crm_mon's own text is kept when the rc is not an
    /// OCF code or missing.
    pub fn outcome(&self) -> String {
        let word = self
            .exitcode
            .and_then(ocf_word)
            .unwrap_or(self.exitstatus.as_str());
        let mut s = match self.exitcode {
            Some(rc) => crate::t!(m::OUTCOME_RC, task = self.task, word = word, rc = rc),
            None => crate::t!(m::OUTCOME, task = self.task, word = word),
        };
        if let Some(r) = self.exitreason.as_deref().filter(|r| !r.is_empty()) {
            s.push_str(&format!(": {r}"));
        }
        s
    }

    /// The agent found the resource running as primary where Pacemaker expected it not to be
    /// (rc 8 where the operation expected something else: a failed action with rc 8 is one).
    pub fn found_promoted(&self) -> bool {
        self.exitcode == Some(RUNNING_PROMOTED)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fa(task: &str, status: &str, rc: Option<i32>, reason: Option<&str>) -> FailedAction {
        FailedAction {
            op_key: format!("pgsql_{task}_0"),
            node: "pm01".into(),
            resource: "pgsql".into(),
            task: task.into(),
            interval_ms: 0,
            exitstatus: status.into(),
            exitcode: rc,
            exitreason: reason.map(str::to_string),
            call: None,
            status: Some("complete".into()),
            last_rc_change: None,
        }
    }

    #[test]
    fn the_rc_decides_the_word() {
        assert_eq!(
            fa("monitor", "not running", Some(7), Some("")).outcome(),
            "monitor returned not running (rc 7)"
        );
        // Pacemaker 1.1 printed `master` for rc 8; the word follows the rc.
        let p = fa(
            "monitor",
            "master",
            Some(8),
            Some("Simulated action result"),
        );
        assert_eq!(
            p.outcome(),
            "monitor returned promoted (rc 8): Simulated action result"
        );
        assert!(p.found_promoted());
        assert_eq!(
            fa("demote", "promoted (failed)", Some(9), None).outcome(),
            "demote returned promoted (failed) (rc 9)"
        );
        assert!(!fa("stop", "error", Some(1), None).found_promoted());
        // Not an OCF code (or none at all): crm_mon's own text.
        assert_eq!(
            fa("start", "Timed Out", Some(198), None).outcome(),
            "start returned Timed Out (rc 198)"
        );
        assert_eq!(
            fa("start", "error", None, None).outcome(),
            "start returned error"
        );
    }
}

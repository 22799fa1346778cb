//! `pgrex resume` / `pgrex abort` of a recover that stopped part-way: the one entry point
//! [`continue_recover`]. Resume never replays a step blindly: it judges the cluster again
//! and runs the playbook of what the cluster shows now (each step's precondition is checked
//! by the operation it calls), keeping the run's `--switchback` and the node that was
//! primary before the fault. Abort changes nothing more: every step of a playbook ends at a
//! safe point (a node stopped, or joined as the standby, or the fencing confirmed), so the
//! safe state of a recover is where it stopped; abort judges the cluster and says so.

use super::{recover, RecoverOptions, RecoverResult};
use crate::msg::recover as m;
use crate::ops::{Done, OpContext, Run};
use crate::{t, Result};

/// What a stopped recover's journal recorded (its `arguments`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recorded {
    pub switchback: bool,
    pub allow_base_backup: bool,
    pub original_primary: Option<String>,
}

impl Recorded {
    pub fn from_arguments(v: &serde_json::Value) -> Recorded {
        Recorded {
            switchback: v
                .get("switchback")
                .and_then(|b| b.as_bool())
                .unwrap_or(false),
            allow_base_backup: v
                .get("allow_base_backup")
                .and_then(|b| b.as_bool())
                .unwrap_or(false),
            original_primary: v
                .get("original_primary")
                .and_then(|s| s.as_str())
                .map(str::to_string),
        }
    }
}

/// Resume or abort: the one `Mode` of every operation's resume entry.
pub use crate::ops::resume::Mode;

/// Continue (`Resume`: judge again, then the playbooks from there) or stop where it is
/// (`Abort`: judge and report the state left). `o` carries the recorded arguments (the
/// binary fills them from [`Recorded`]).
pub fn continue_recover(
    ctx: &OpContext,
    o: &RecoverOptions,
    mode: Mode,
    out: &mut RecoverResult,
) -> Result<String> {
    match mode {
        Mode::Resume => recover(ctx, o, out),
        Mode::Abort => {
            let run = Run::new(ctx, "recover-abort")?;
            let mut run = run;
            let j = run.check(t!(m::STEP_JUDGE), |_| super::judged(o))?;
            out.verdict = Some(j.diagnosis.verdict);
            out.primary = j.primary();
            let next = j
                .diagnosis
                .findings
                .first()
                .map(|f| f.recover.clone())
                .unwrap_or_else(|| "pgrex status".into());
            run.check(t!(m::STEP_ABORT_LEFT), |_| Ok(Done::ok(())))?;
            Ok(run.done(t!(
                m::ABORTED,
                verdict = j.diagnosis.verdict.as_str(),
                next = next
            )))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_recorded_arguments_come_back() {
        let v = serde_json::json!({"fault": null, "switchback": true, "allow_base_backup": false, "original_primary": "pm01"});
        assert_eq!(
            Recorded::from_arguments(&v),
            Recorded {
                switchback: true,
                allow_base_backup: false,
                original_primary: Some("pm01".into())
            }
        );
        assert_eq!(
            Recorded::from_arguments(&serde_json::json!({})),
            Recorded::default()
        );
    }
}

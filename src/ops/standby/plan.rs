//! The changes of a standby start (pure): once [`super::decide`] and the operator chose the
//! method, which steps run in which order, and why a `PGSQL.lock` may go. `super` runs them
//! through [`crate::ops::Run`], which describes them instead in a dry run.

use super::decide::{Decision, LockFacts, Method};
use crate::msg::{standby as m, Msg};
use crate::t;

/// One change, in the order they run (spec §3.2 steps 13–21).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Change {
    /// Every interconnect address of the peer answers (no change, but pointless in a dry run).
    PingInterconnect,
    /// `n`: the data stays as it is (a step of its own, as the Perl tool shows it).
    KeepData,
    Rewind,
    BaseBackup,
    RemoveLock,
    SyncArchive,
    StartPacemaker,
    WaitStandby,
}

impl Change {
    /// What to run after a failure from this change on: from the data step the node's data
    /// may be changing, from the wait Pacemaker runs here.
    pub fn next(self) -> Option<Msg> {
        match self {
            Change::KeepData | Change::Rewind | Change::BaseBackup => Some(m::NEXT_AFTER_CHANGE),
            Change::WaitStandby => Some(m::NEXT_AFTER_START),
            _ => None,
        }
    }
}

/// The changes for `method`; `lock` says whether a PGSQL.lock is to be removed.
pub fn changes(method: Method, lock: bool) -> Vec<Change> {
    let mut v = vec![Change::PingInterconnect];
    v.push(match method {
        Method::Normal => Change::KeepData,
        Method::Rewind => Change::Rewind,
        Method::BaseBackup => Change::BaseBackup,
    });
    if lock {
        v.push(Change::RemoveLock);
    }
    v.extend([
        Change::SyncArchive,
        Change::StartPacemaker,
        Change::WaitStandby,
    ]);
    v
}

/// Why removing this node's PGSQL.lock is safe with `method` (CONTRACTS "Non-interactive
/// use"); `None` when there is none. For `n` the decision already refused the method unless
/// the data-status and the fork point proved it.
pub fn lock_reason(lock: &LockFacts, method: Method, d: &Decision) -> Option<String> {
    lock.present.then(|| match method {
        Method::Rewind => t!(m::LOCK_SAFE_REWIND),
        Method::BaseBackup => t!(m::LOCK_SAFE_BASEBACKUP),
        Method::Normal => t!(
            m::LOCK_SAFE_NORMAL,
            status = lock.my_data_status.as_deref().unwrap_or("-"),
            fork = d.fork.map(|l| l.to_string()).unwrap_or("-".into())
        ),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_goes_after_the_data_is_made_safe_and_before_the_start() {
        assert_eq!(
            changes(Method::Rewind, true),
            [
                Change::PingInterconnect,
                Change::Rewind,
                Change::RemoveLock,
                Change::SyncArchive,
                Change::StartPacemaker,
                Change::WaitStandby
            ]
        );
        assert!(!changes(Method::Normal, false).contains(&Change::RemoveLock));
        assert_eq!(changes(Method::BaseBackup, false)[1], Change::BaseBackup);
    }
}

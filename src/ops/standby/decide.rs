//! The standby-start decision (spec §3.2 "Sub-checks and the decision") as a pure function:
//! facts about this node, the primary and the archive → which of the three methods (start
//! as it is, pg_rewind, base backup) are possible and why not, and which one runs.
//!
//! Fact letters of the spec are kept in comments (B, D, F, H, I, J, K, L, M, N, O, P, V).
//! The Perl quirks Q12 (peer LSN arithmetic) and Q15 (a failed query read as "future
//! archive") are not reproduced: facts arrive typed, and a failed query is an error before
//! this point. `PGSQL.lock` (CONTRACTS.md): harmless for `r` and `b` (the data is rewound or
//! replaced); for `n` only when the persisted data-status and the LSN checks prove this
//! node's data is neither ahead of nor diverged from the primary.

use crate::postgres::{History, Lsn};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    Normal,
    Rewind,
    BaseBackup,
}

impl Method {
    pub fn key(self) -> char {
        match self {
            Method::Normal => 'n',
            Method::Rewind => 'r',
            Method::BaseBackup => 'b',
        }
    }
    pub fn from_key(c: char) -> Option<Method> {
        match c {
            'n' => Some(Method::Normal),
            'r' => Some(Method::Rewind),
            'b' => Some(Method::BaseBackup),
            _ => None,
        }
    }
}

/// What the operator allowed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Request {
    pub normal: bool,
    pub rewind: bool,
    pub basebackup: bool,
    /// Menu or `--check-only`: evaluate every method.
    pub check_all: bool,
    /// `-s`: the archive directory is shared, no archive conditions.
    pub shared_archive: bool,
}

impl Request {
    pub fn interactive(&self) -> bool {
        !(self.normal || self.rewind || self.basebackup)
    }
}

/// This node's database cluster (when `<pgdata>` holds one).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LocalFacts {
    /// B: `PG_VERSION` equals the installed server's major version.
    pub version_match: bool,
    pub system_id: u64,
    pub tli: u32,
    /// N: `shut down` or `shut down in recovery`.
    pub shut_down: bool,
    pub checkpoint: Lsn,
    /// The last WAL record in pg_wal (pg_waldump); `None` when pg_wal holds no readable WAL.
    pub latest_lsn: Option<Lsn>,
    /// Segments are in pg_wal but pg_waldump read no record: why. `-n` is refused on it
    /// (the "local WAL ahead" check cannot be made), never passed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wal_unknown: Option<String>,
    /// `# added by pg-rex_standby_start` left in postgresql.conf by an interrupted Perl run.
    pub marker_comment: bool,
    /// The newest timeline this node's pg_wal holds WAL of, and where that timeline's
    /// history file here says it forked from `tli`: a standby that followed a promotion and
    /// stopped before its next restartpoint holds the new timeline's WAL while pg_control
    /// still names the old one. `None`: no newer timeline in pg_wal (or its history file
    /// missing or unreadable).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub followed: Option<(u32, Lsn)>,
}

/// The primary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PeerFacts {
    pub system_id: u64,
    /// The newest history file in the primary's archive, and its content.
    pub history_tli: u32,
    #[serde(skip)]
    pub history: History,
    /// P: the primary's latest checkpoint timeline (behind `history_tli` right after a
    /// promotion until its first checkpoint).
    pub ctl_tli: u32,
    pub current_lsn: Lsn,
    /// F.
    pub full_page_writes: bool,
    /// M: `wal_log_hints` or data checksums.
    pub hints_or_checksums: bool,
    /// V: the primary's archive holds a segment at or after the one it writes now.
    pub future_archive: bool,
}

/// This node's archive directory.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ArchiveFacts {
    pub local_empty: bool,
    /// The last line of the newest local history file (parent TLI, switch LSN).
    pub my_branch: Option<(u32, Lsn)>,
    /// A local archive file from a timeline the primary does not have, or at or after its
    /// current LSN.
    pub my_archive_is_over: bool,
    /// `check_archive_lost` (NORMAL only): segments between the newest archived one and
    /// this node's current segment that would be lost ([`super::archive_check`]), and the
    /// newest archived segment they follow.
    pub lost_segments: Vec<String>,
    pub newest_archived: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LockFacts {
    pub present: bool,
    /// This node's persisted `pgsql-data-status` in the primary's CIB.
    pub my_data_status: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Facts {
    pub local: Option<LocalFacts>,
    pub peer: PeerFacts,
    pub archive: ArchiveFacts,
    pub lock: LockFacts,
    /// `PG_VERSION` without `global/pg_control` (then `local` is `None`).
    pub local_incomplete: bool,
    /// This node's previous standby-start was replacing the data with a base backup and
    /// did not finish (its journal says so): the local archive passed that run's checks.
    pub interrupted_basebackup: bool,
}

/// Why a method is not possible.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Why {
    NoDatabaseCluster,
    /// `PG_VERSION` without `global/pg_control`: only a new base backup can start it.
    IncompleteDataDirectory,
    VersionMismatch,
    SystemIdDiffers {
        mine: u64,
        primary: u64,
    },
    TimelineAhead {
        mine: u32,
        primary: u32,
    },
    NoBranchPoint {
        tli: u32,
    },
    BranchPointDiffers {
        tli: u32,
    },
    MarkerComment,
    ArchiveAhead,
    WalUnknown {
        why: String,
    },
    LocalWalAhead {
        mine: Lsn,
        primary: Lsn,
    },
    PastForkPoint {
        mine: Lsn,
        fork: Lsn,
    },
    NoFullPageWrites,
    NoWalLogHints,
    CheckpointAfterFork {
        checkpoint: Lsn,
        fork: Lsn,
    },
    SameTimelineUnclean,
    FutureArchive,
    LockNotProvenSafe {
        data_status: Option<String>,
    },
    ArchiveOfOtherCluster,
    StaleArchiveWithoutData,
    ArchiveGap {
        archived: String,
        segments: Vec<String>,
    },
}

/// What stands in one method's way: `None` not evaluated, `Some(empty)` possible, else every
/// reason it is not.
pub type Blockers = Option<Vec<Why>>;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    pub normal: Blockers,
    pub rewind: Blockers,
    pub basebackup: Blockers,
    /// The fork point this node's timeline left the primary's history at (I).
    pub fork: Option<Lsn>,
    /// Non-interactive: the method that runs. Menu: `None` (the operator picks).
    pub chosen: Option<Method>,
}

impl Decision {
    pub fn blockers(&self, m: Method) -> &Blockers {
        match m {
            Method::Normal => &self.normal,
            Method::Rewind => &self.rewind,
            Method::BaseBackup => &self.basebackup,
        }
    }
    pub fn possible(&self, m: Method) -> bool {
        matches!(self.blockers(m), Some(w) if w.is_empty())
    }
    /// What a menu offers: `n` or else `r` (never both), and `b`.
    pub fn offered(&self) -> Vec<Method> {
        let mut v = Vec::new();
        if self.possible(Method::Normal) {
            v.push(Method::Normal);
        } else if self.possible(Method::Rewind) {
            v.push(Method::Rewind);
        }
        if self.possible(Method::BaseBackup) {
            v.push(Method::BaseBackup);
        }
        v
    }
}

/// The fork point of this node's timeline in the primary's history (fact I).
fn fork_point(l: &LocalFacts, p: &PeerFacts) -> Option<Lsn> {
    let target = if p.history_tli == l.tli {
        l.tli.checked_sub(1)?
    } else if p.history_tli < l.tli {
        p.history_tli.checked_sub(1)?
    } else {
        l.tli
    };
    p.history.switch_point(target)
}

/// C: the conditions every method that keeps the data shares.
fn common(f: &Facts, l: &LocalFacts, fork: Option<Lsn>) -> Vec<Why> {
    let p = &f.peer;
    let mut w = Vec::new();
    if !l.version_match {
        w.push(Why::VersionMismatch); // B
    }
    if l.system_id != p.system_id {
        w.push(Why::SystemIdDiffers {
            mine: l.system_id,
            primary: p.system_id,
        }); // K
    }
    let ahead = l.tli > p.history_tli; // L
    if ahead {
        w.push(Why::TimelineAhead {
            mine: l.tli,
            primary: p.history_tli,
        });
    } else if fork.is_none() {
        w.push(Why::NoBranchPoint { tli: l.tli }); // I
    }
    if !f.archive.local_empty && !ahead {
        // H: this node's newest history must agree with the primary's.
        if let Some((tli, lsn)) = f.archive.my_branch {
            if tli >= p.history_tli || p.history.switch_point(tli) != Some(lsn) {
                w.push(Why::BranchPointDiffers { tli });
            }
        }
    }
    if l.marker_comment {
        w.push(Why::MarkerComment);
    }
    if f.archive.my_archive_is_over {
        w.push(Why::ArchiveAhead);
    }
    w
}

/// Why there is no cluster to keep or rewind.
fn no_cluster(f: &Facts) -> Why {
    if f.local_incomplete {
        Why::IncompleteDataDirectory
    } else {
        Why::NoDatabaseCluster
    }
}

/// A half-filled data directory that this node's own interrupted base backup left: the
/// archive beside it passed that run's checks.
fn explained_by_journal(f: &Facts) -> bool {
    f.local_incomplete && f.interrupted_basebackup
}

/// Facts → verdicts and the chosen method.
pub fn decide(f: &Facts, r: &Request) -> Decision {
    let p = &f.peer;
    let fork = f.local.as_ref().and_then(|l| fork_point(l, p));
    let want_n = r.normal || r.rewind || r.check_all;

    let normal = want_n.then(|| {
        let Some(l) = &f.local else {
            return vec![no_cluster(f)];
        };
        let mut w = common(f, l, fork);
        if let Some(why) = &l.wal_unknown {
            w.push(Why::WalUnknown { why: why.clone() }); // D cannot be made
        }
        if l.tli <= p.history_tli {
            if let Some(mine) = l.latest_lsn {
                if mine > p.current_lsn {
                    w.push(Why::LocalWalAhead {
                        mine,
                        primary: p.current_lsn,
                    }); // D
                }
                // J: my WAL went past the point where the primary forked off my timeline —
                // unless the WAL past it is the primary's timeline itself, forked at the same
                // point (this node followed the promotion as a standby).
                let followed = l.followed.is_some_and(|(tli, at)| {
                    tli == p.history_tli && p.history.switch_point(l.tli) == Some(at)
                });
                if p.history_tli != l.tli && !followed {
                    if let Some(fk) = p.history.switch_point(l.tli) {
                        if mine >= fk {
                            w.push(Why::PastForkPoint { mine, fork: fk });
                        }
                    }
                }
            }
        }
        if p.future_archive {
            w.push(Why::FutureArchive); // V
        }
        if !f.archive.lost_segments.is_empty() {
            w.push(Why::ArchiveGap {
                archived: f.archive.newest_archived.clone().unwrap_or_default(),
                segments: f.archive.lost_segments.clone(),
            });
        }
        if f.lock.present
            && (!w.is_empty()
                || !matches!(
                    f.lock.my_data_status.as_deref(),
                    Some("LATEST") | Some("STREAMING|SYNC")
                ))
        {
            w.push(Why::LockNotProvenSafe {
                data_status: f.lock.my_data_status.clone(),
            });
        }
        w
    });
    let normal_ok = matches!(&normal, Some(w) if w.is_empty());

    let rewind = (!normal_ok && (r.rewind || r.check_all)).then(|| {
        let Some(l) = &f.local else {
            return vec![no_cluster(f)];
        };
        let mut w = common(f, l, fork);
        if !p.full_page_writes {
            w.push(Why::NoFullPageWrites); // F
        }
        if !p.hints_or_checksums {
            w.push(Why::NoWalLogHints); // M
        }
        // O, only when the operator picks from the menu: with -r, wal_keep_size may still
        // hold the WAL from before the fork.
        if r.check_all {
            if let Some(fk) = fork {
                if fk < l.checkpoint {
                    w.push(Why::CheckpointAfterFork {
                        checkpoint: l.checkpoint,
                        fork: fk,
                    });
                }
            }
        }
        // P: same timeline as the primary, primary already checkpointed, and not cleanly
        // shut down: pg_rewind finds nothing to do yet the data may be ahead.
        if p.ctl_tli == p.history_tli && l.tli == p.history_tli && !l.shut_down {
            w.push(Why::SameTimelineUnclean);
        }
        if p.future_archive {
            w.push(Why::FutureArchive);
        }
        w
    });
    let rewind_ok = matches!(&rewind, Some(w) if w.is_empty());

    let basebackup = ((r.basebackup && !normal_ok && !rewind_ok) || r.check_all).then(|| {
        let mut w = Vec::new();
        if !r.shared_archive {
            match &f.local {
                Some(l) if l.system_id != p.system_id && !f.archive.local_empty => {
                    w.push(Why::ArchiveOfOtherCluster)
                }
                None if !f.archive.local_empty && !explained_by_journal(f) => {
                    w.push(Why::StaleArchiveWithoutData)
                }
                _ => {}
            }
            if !f.archive.local_empty && f.archive.my_archive_is_over {
                w.push(Why::ArchiveAhead);
            }
        }
        if p.future_archive {
            w.push(Why::FutureArchive);
        }
        w
    });

    let mut d = Decision {
        normal,
        rewind,
        basebackup,
        fork,
        chosen: None,
    };
    if !r.interactive() && !r.check_all {
        d.chosen = [
            (r.normal || r.rewind, Method::Normal),
            (r.rewind, Method::Rewind),
            (r.basebackup, Method::BaseBackup),
        ]
        .into_iter()
        .find(|(asked, m)| *asked && d.possible(*m))
        .map(|(_, m)| m);
    }
    d
}

#[cfg(test)]
#[path = "decide_tests.rs"]
mod tests;

//! Words for the decision: method names and why a method is not possible.

use super::decide::{Method, Why};
use crate::msg::standby as m;
use crate::t;

pub fn method_name(mth: Method) -> String {
    match mth {
        Method::Normal => t!(m::METHOD_N),
        Method::Rewind => t!(m::METHOD_R),
        Method::BaseBackup => t!(m::METHOD_B),
    }
}

pub fn method_choice(mth: Method) -> String {
    match mth {
        Method::Normal => t!(m::CHOICE_N),
        Method::Rewind => t!(m::CHOICE_R),
        Method::BaseBackup => t!(m::CHOICE_B),
    }
}

pub fn text(w: &Why) -> String {
    match w {
        Why::NoDatabaseCluster => t!(m::WHY_NO_DB),
        Why::IncompleteDataDirectory => t!(m::WHY_INCOMPLETE),
        Why::VersionMismatch => t!(m::WHY_VERSION),
        Why::SystemIdDiffers { mine, primary } => t!(m::WHY_SYSID, mine = mine, primary = primary),
        Why::TimelineAhead { mine, primary } => {
            t!(m::WHY_TLI_AHEAD, mine = mine, primary = primary)
        }
        Why::NoBranchPoint { tli } => t!(m::WHY_NO_BRANCH, tli = tli),
        Why::BranchPointDiffers { tli } => t!(m::WHY_BRANCH_DIFFERS, tli = tli),
        Why::MarkerComment => t!(m::WHY_MARKER),
        Why::ArchiveAhead => t!(m::WHY_ARCHIVE_AHEAD),
        Why::WalUnknown { why } => t!(m::WHY_WAL_UNKNOWN, why = why),
        Why::LocalWalAhead { mine, primary } => {
            t!(m::WHY_WAL_AHEAD, mine = mine, primary = primary)
        }
        Why::PastForkPoint { mine, fork } => t!(m::WHY_PAST_FORK, mine = mine, fork = fork),
        Why::NoFullPageWrites => t!(m::WHY_FPW),
        Why::NoWalLogHints => t!(m::WHY_HINTS),
        Why::CheckpointAfterFork { checkpoint, fork } => {
            t!(m::WHY_CKPT_AFTER_FORK, checkpoint = checkpoint, fork = fork)
        }
        Why::SameTimelineUnclean => t!(m::WHY_SAME_TLI_UNCLEAN),
        Why::FutureArchive => t!(m::WHY_FUTURE_ARCHIVE),
        Why::LockNotProvenSafe { data_status } => {
            t!(m::WHY_LOCK, status = data_status.as_deref().unwrap_or("-"))
        }
        Why::ArchiveOfOtherCluster => t!(m::WHY_ARCHIVE_OTHER),
        Why::StaleArchiveWithoutData => t!(m::WHY_STALE_ARCHIVE),
        Why::ArchiveGap { archived, segments } => t!(
            m::WHY_ARCHIVE_GAP,
            count = segments.len(),
            archived = archived,
            segments = segments.join(", ")
        ),
    }
}

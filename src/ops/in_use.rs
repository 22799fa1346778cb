//! "DB cluster in use" (spec §2.9, COMMON_MS0047): primary-start and standby-start refuse
//! before changing anything while a process of this machine has a file or its working
//! directory under `<pgdata>` — a PostgreSQL started by hand, a backup tool, a shell sitting
//! in the data directory: Pacemaker must be the only one to start the server, and a base
//! backup must not empty a directory someone works in. A running postmaster holds its data
//! directory as its working directory, so this one check also covers "PostgreSQL runs
//! outside Pacemaker". Who holds the directory is the node's fact
//! ([`crate::node::processes`]); this module is the policy.

use crate::msg::ops as m;
use crate::{t, Error, Result};
use std::path::Path;

pub use crate::node::processes::{Holder, LiveProcesses, Processes};

/// Refuse (exit 3) while anything uses `<pgdata>`, naming each process.
pub fn refuse_if_in_use(procs: &dyn Processes, pgdata: &Path) -> Result<()> {
    let hs = procs.holders(pgdata);
    if hs.is_empty() {
        return Ok(());
    }
    let list = hs
        .iter()
        .map(|h| {
            t!(
                m::IN_USE_PROCESS,
                pid = h.pid,
                command = h.command,
                user = h.user,
                uid = h.uid
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    Err(Error::refused(
        t!(m::IN_USE, pgdata = pgdata.display(), processes = list),
        Some(t!(m::IN_USE_HINT, pgdata = pgdata.display())),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_process_in_the_directory_is_refused_by_pid_and_its_absence_passes() {
        let (d, mut child) = crate::node::processes::tests::sleeper();
        let err = refuse_if_in_use(&LiveProcesses, d.path()).unwrap_err();
        child.kill().unwrap();
        child.wait().unwrap();
        assert_eq!(err.exit_code(), crate::ExitCode::Refused);
        assert!(err.to_string().contains(&child.id().to_string()), "{err}");
        assert!(refuse_if_in_use(&LiveProcesses, d.path()).is_ok());
    }
}

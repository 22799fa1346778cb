//! What `archive-delete` reads before it decides, each through a [`Node`] so the same code
//! asks this machine, the peer and the host of a base backup: a node's control data (its
//! checkpoint's REDO WAL file and segment size), whether a base backup is under way there,
//! a backup's `backup_label`, and an archive directory's listing.
//!
//! Every "cannot tell" is a refusal (exit 3, nothing touched): deleting WAL on a guess is
//! what this command must never do.

use crate::msg::archive as m;
use crate::node::{DirEntry, FileStat, Node, RunAs};
use crate::ops::pg::PgParams;
use crate::postgres::{BackupLabel, ControlData};
use crate::{t, Error, Result};
use std::path::Path;
use std::time::Duration;

/// How long one PostgreSQL utility may take on a node.
const QUICK: Duration = Duration::from_secs(60);

/// Base-backup connections a server is serving right now: the walsenders running
/// `BASE_BACKUP` (every version pgrex supports shows the replication command as `query`).
pub const BASE_BACKUP_SQL: &str = "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'walsender' AND query ILIKE 'BASE_BACKUP%'";

/// A node's control data, after proving no base backup is under way there: none is being
/// taken from its server, and its data directory is not one still to be started from a
/// backup (a `backup_label`: its recovery needs WAL from that label, not from pg_control).
pub fn control(node: &dyn Node, who: &str, pg: &PgParams, owner: &RunAs) -> Result<ControlData> {
    let label = pg.pgdata.join("backup_label");
    match node.stat(&label) {
        Ok(None) => {}
        Ok(Some(_)) => {
            return Err(Error::refused(
                t!(
                    m::BACKUP_LABEL_IN_PGDATA,
                    node = who,
                    path = label.display()
                ),
                Some(t!(m::BACKUP_LABEL_IN_PGDATA_HINT)),
            ))
        }
        Err(e) => return Err(cannot_read(who, pg).with_source(e)),
    }
    let cmd = pg.program("pg_controldata").arg(&pg.pgdata).timeout(QUICK);
    let out = node
        .run(&cmd, owner)
        .map_err(|e| cannot_read(who, pg).with_source(e))?;
    let origin = t!(
        m::CONTROLDATA_ORIGIN,
        pgdata = pg.pgdata.display(),
        node = who
    );
    let cd = ControlData::parse(&out.stdout, &origin)
        .map_err(|e| cannot_read(who, pg).with_source(e))?;
    refuse_if_serving_base_backup(node, who, pg, owner)?;
    Ok(cd)
}

fn cannot_read(who: &str, pg: &PgParams) -> Error {
    Error::refused(
        t!(
            m::CONTROLDATA_UNREADABLE,
            node = who,
            pgdata = pg.pgdata.display()
        ),
        Some(t!(m::CONTROLDATA_UNREADABLE_HINT)),
    )
}

/// Refuse while the node's server serves a base backup (a backup taken with `-X none`
/// needs the archive's WAL from its start). A server that does not run serves none; one
/// that runs but cannot be asked is a refusal.
fn refuse_if_serving_base_backup(
    node: &dyn Node,
    who: &str,
    pg: &PgParams,
    owner: &RunAs,
) -> Result<()> {
    let out = node.output(&pg.psql(BASE_BACKUP_SQL).timeout(QUICK), owner)?;
    if out.status.success() {
        let n: u64 = out.stdout.trim().parse().map_err(|_| {
            Error::refused(
                t!(m::BASEBACKUP_UNKNOWN, node = who),
                Some(t!(m::BASEBACKUP_UNKNOWN_HINT)),
            )
            .with_source(Error::other(
                t!(m::UNEXPECTED_ANSWER, answer = out.stdout.trim()),
                None,
            ))
        })?;
        if n > 0 {
            return Err(Error::refused(
                t!(m::BASEBACKUP_RUNNING, node = who, count = n),
                Some(t!(m::BASEBACKUP_RUNNING_HINT)),
            ));
        }
        return Ok(());
    }
    let pid = pg.pgdata.join("postmaster.pid");
    match node.stat(&pid)? {
        None => Ok(()),
        Some(_) => Err(Error::refused(
            t!(m::BASEBACKUP_UNKNOWN, node = who),
            Some(t!(m::BASEBACKUP_UNKNOWN_HINT)),
        )
        .with_source(Error::other(
            t!(
                m::PSQL_FAILED,
                status = format!("{:?}", out.status),
                stderr = crate::exec::tail(&out.stderr)
            ),
            None,
        ))),
    }
}

/// The `backup_label` of a base backup directory on `node` (`location` names it).
pub fn backup_label(node: &dyn Node, dir: &Path, location: &str) -> Result<BackupLabel> {
    let refuse = || {
        Error::refused(
            t!(m::BACKUP_UNREADABLE, location = location),
            Some(t!(m::BACKUP_UNREADABLE_HINT)),
        )
    };
    match node.stat(dir) {
        Ok(Some(st)) if st.kind == crate::node::FileKind::Dir => {}
        Ok(_) => {
            return Err(Error::refused(
                t!(m::BACKUP_NOT_A_DIR, location = location),
                Some(t!(m::BACKUP_UNREADABLE_HINT)),
            ))
        }
        Err(e) => return Err(refuse().with_source(e)),
    }
    let path = dir.join("backup_label");
    let bytes = node.read_file(&path).map_err(|e| refuse().with_source(e))?;
    let text = String::from_utf8_lossy(&bytes);
    BackupLabel::parse(&text, &format!("{location}/backup_label"))
        .map_err(|e| refuse().with_source(e))
}

/// An archive directory's entries and its own facts (owner, for the move directory).
pub fn archive(node: &dyn Node, who: &str, dir: &Path) -> Result<(FileStat, Vec<DirEntry>)> {
    let refuse = |e: crate::node::NodeError| {
        Error::refused(
            t!(m::ARCHIVE_UNREADABLE, node = who, dir = dir.display()),
            Some(t!(m::ARCHIVE_UNREADABLE_HINT)),
        )
        .with_source(e)
    };
    let st = match node.stat(dir).map_err(refuse)? {
        Some(st) if st.kind == crate::node::FileKind::Dir => st,
        _ => {
            return Err(Error::refused(
                t!(m::ARCHIVE_NOT_A_DIR, node = who, dir = dir.display()),
                Some(t!(m::ARCHIVE_UNREADABLE_HINT)),
            ))
        }
    };
    let entries = node.list_dir(dir).map_err(refuse)?;
    Ok((st, entries))
}

//! Gathering the standby-start facts (spec §3.2 "Data collection"): from the primary over
//! the SSH session (crm_mon, cibadmin, psql, pg_controldata, the archive listing and the
//! newest history file) and from this node (pg_controldata, pg_waldump, PG_VERSION, the
//! archive, `PGSQL.lock`). Everything typed here; [`super::decide`] judges.

use super::decide::{ArchiveFacts, LocalFacts, LockFacts, PeerFacts};
use crate::exec::{quote, Cmd};
use crate::msg::standby as m;
use crate::node::{DirEntry, FileStat, Node, RunAs};
use crate::ops::pg::PgParams;
use crate::postgres::query::{parse_psql_facts, psql_facts_cmd};
use crate::postgres::{ControlData, History, Lsn, PgFacts, WalName};
use crate::{t, Error, Result};
use std::path::Path;

/// The primary's side.
pub struct Primary {
    pub pg: PgFacts,
    pub ctl: ControlData,
    pub archive: Vec<DirEntry>,
    pub history_tli: u32,
    pub history: History,
    /// The names in the primary's `pg_wal` (segments it still has to archive).
    pub pg_wal: Vec<String>,
}

pub fn controldata(node: &dyn Node, p: &PgParams) -> Result<ControlData> {
    let out = node.run(
        &p.program("pg_controldata").arg(&p.pgdata),
        &RunAs::postgres(),
    )?;
    Ok(ControlData::parse(
        &out.stdout,
        &format!("pg_controldata on {}", node.describe()),
    )?)
}

pub fn pg_facts(node: &dyn Node, p: &PgParams) -> Result<PgFacts> {
    let psql = p
        .bindir
        .as_ref()
        .map(|d| d.join("psql"))
        .unwrap_or("psql".into());
    let out = node.run(
        &psql_facts_cmd(&psql, p.port, p.socketdir.as_deref()),
        &RunAs::postgres(),
    )?;
    Ok(parse_psql_facts(
        &out.stdout,
        &format!("psql on {}", node.describe()),
    )?)
}

/// The entries of an archive directory; a missing directory is empty.
pub fn archive(node: &dyn Node, dir: &Path) -> Result<Vec<DirEntry>> {
    if node.stat(dir)?.is_none() {
        return Ok(Vec::new());
    }
    Ok(node.list_dir(dir)?)
}

/// The newest history file of an archive listing, read and parsed.
fn newest_history(
    node: &dyn Node,
    dir: &Path,
    entries: &[DirEntry],
) -> Result<Option<(u32, History)>> {
    let newest = entries
        .iter()
        .filter_map(|e| match WalName::classify(&e.name) {
            WalName::History { tli, compression } => Some((tli, compression, e)),
            _ => None,
        })
        .max_by_key(|(tli, _, _)| *tli);
    let Some((tli, compression, e)) = newest else {
        return Ok(None);
    };
    let path = dir.join(&e.name);
    let text = match compression {
        crate::postgres::Compression::None => {
            String::from_utf8_lossy(&node.read_file(&path)?).into_owned()
        }
        crate::postgres::Compression::Gzip => {
            node.run(&Cmd::new("gzip").arg("-dc").arg(&path), &RunAs::Root)?
                .stdout
        }
        crate::postgres::Compression::Bzip2 => {
            node.run(&Cmd::new("bzip2").arg("-dc").arg(&path), &RunAs::Root)?
                .stdout
        }
    };
    let origin = format!("{}:{}", node.describe(), path.display());
    Ok(Some((tli, History::parse(&text, &origin)?)))
}

pub fn primary(peer: &dyn Node, p: &PgParams, archive_dir: &Path) -> Result<Primary> {
    let pg = pg_facts(peer, p)?;
    let ctl = controldata(peer, p)?;
    let entries = archive(peer, archive_dir)?;
    let (history_tli, history) = newest_history(peer, archive_dir, &entries)?.ok_or_else(|| {
        Error::refused(
            t!(m::NO_PEER_HISTORY, dir = archive_dir.display()),
            Some(t!(m::NO_PEER_HISTORY_HINT)),
        )
    })?;
    if history_tli < ctl.checkpoint_tli {
        return Err(Error::refused(
            t!(
                m::PEER_HISTORY_STALE,
                file = crate::postgres::wal::history_file_name(ctl.checkpoint_tli),
                dir = archive_dir.display()
            ),
            None,
        ));
    }
    let pg_wal = archive(peer, &p.pgdata.join("pg_wal"))?
        .into_iter()
        .map(|e| e.name)
        .collect();
    Ok(Primary {
        pg,
        ctl,
        archive: entries,
        history_tli,
        history,
        pg_wal,
    })
}

/// The newest archived WAL segment (plain or compressed; not `.partial`, not `.backup`).
pub fn newest_segment(entries: &[DirEntry]) -> Option<String> {
    entries
        .iter()
        .filter_map(|e| match WalName::classify(&e.name) {
            WalName::Segment { id, .. } => Some(id.name()),
            _ => None,
        })
        .max()
}

impl Primary {
    pub fn peer_facts(&self) -> PeerFacts {
        let size = self.ctl.wal_segment_size;
        let current = self.pg.current_lsn.unwrap_or(Lsn(0));
        let current_seg = current.segment(size).file_name(self.pg.timeline, size);
        PeerFacts {
            system_id: self.ctl.system_identifier,
            history_tli: self.history_tli,
            history: self.history.clone(),
            ctl_tli: self.ctl.checkpoint_tli,
            current_lsn: current,
            full_page_writes: self.pg.full_page_writes,
            hints_or_checksums: self.pg.wal_log_hints || self.pg.data_checksums,
            future_archive: newest_segment(&self.archive).is_some_and(|n| current_seg <= n),
        }
    }
}

/// `<pgdata>` holds a database cluster only in part: `PG_VERSION` without
/// `global/pg_control`, which pg_basebackup copies last — a base backup that was
/// interrupted (or a directory emptied by hand half-way). pg_controldata cannot read it.
pub fn incomplete(node: &dyn Node, p: &PgParams) -> Result<bool> {
    Ok(node.stat(&p.pgdata.join("PG_VERSION"))?.is_some()
        && node.stat(&p.pgdata.join("global/pg_control"))?.is_none())
}

/// This node's database cluster, `None` when `<pgdata>` holds none (no `PG_VERSION`).
pub fn local(
    node: &dyn Node,
    p: &PgParams,
    primary_major: u32,
) -> Result<Option<(LocalFacts, ControlData)>> {
    let version = p.pgdata.join("PG_VERSION");
    if node.stat(&version)?.is_none() {
        return Ok(None);
    }
    let v = String::from_utf8_lossy(&node.read_file(&version)?)
        .trim()
        .to_string();
    let ctl = controldata(node, p)?;
    let conf = p.pgdata.join("postgresql.conf");
    let marker_comment = node.stat(&conf)?.is_some()
        && String::from_utf8_lossy(&node.read_file(&conf)?)
            .contains("# added by pg-rex_standby_start");
    let (latest_lsn, wal_unknown) = match wal_tail(node, p, &ctl)? {
        WalTail::Empty => (None, None),
        WalTail::At(lsn) => (Some(lsn), None),
        // Not a fact-collection failure: `-b` does not need it. `decide` refuses `-n` on it.
        WalTail::Unknown(why) => (None, Some(why)),
    };
    let followed = followed(node, p, ctl.checkpoint_tli)?;
    Ok(Some((
        LocalFacts {
            followed,
            version_match: v == primary_major.to_string(),
            system_id: ctl.system_identifier,
            tli: ctl.checkpoint_tli,
            shut_down: ctl.cluster_state.is_shut_down(),
            checkpoint: ctl.checkpoint_location,
            latest_lsn,
            wal_unknown,
            marker_comment,
        },
        ctl,
    )))
}

/// How far the WAL in a `pg_wal` goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WalTail {
    /// No WAL segment at all.
    Empty,
    /// The start of the last valid record.
    At(Lsn),
    /// Segments are there but pg_waldump read no record from them (it failed, or is
    /// missing): why, with its output. Never taken as "not ahead".
    Unknown(String),
}

/// The start of the last valid WAL record in `<pgdata>/pg_wal` (spec §2.10 getLatestLsn):
/// pg_waldump from the checkpoint's REDO segment, or from the oldest segment of the newest
/// timeline when pg_wal already holds a newer one.
///
/// pg_waldump's errors are kept (`2>&1`, the last lines): it ends every run with an error
/// at the end of valid WAL, which is normal after a record; an error and no record means
/// the check could not be made, which the Perl tools' `2>/dev/null` hid.
pub fn wal_tail(node: &dyn Node, p: &PgParams, ctl: &ControlData) -> Result<WalTail> {
    let waldir = p.pgdata.join("pg_wal");
    let mut segs: Vec<String> = node
        .list_dir(&waldir)?
        .into_iter()
        .filter(|e| WalName::classify(&e.name).is_plain_segment())
        .map(|e| e.name)
        .collect();
    segs.sort();
    let Some(newest) = segs.last() else {
        return Ok(WalTail::Empty);
    };
    let redo = ctl.redo_wal_file.name();
    let start = if newest[..8] > redo[..8] {
        segs.iter()
            .find(|s| s[..8] == newest[..8])
            .cloned()
            .unwrap_or(redo)
    } else {
        redo
    };
    let waldump = p.program("pg_waldump");
    let prog = waldump.argv()[0].clone();
    // The last lines only (all records from REDO on can be many megabytes), stderr
    // merged: a record line among them is the answer, only error lines are the failure.
    let script = format!(
        "{} -p {} {} 2>&1 | tail -n 5",
        quote(&prog),
        quote(&waldir.to_string_lossy()),
        quote(&start)
    );
    let out = node.run(
        &Cmd::new("sh").arg("-c").arg(script).env("LANG", "C"),
        &RunAs::postgres(),
    )?;
    Ok(
        match crate::postgres::waldump::last_record_lsn(&out.stdout) {
            Some(lsn) => WalTail::At(lsn),
            None => WalTail::Unknown(t!(
                crate::msg::standby::WAL_NO_RECORD,
                start = start,
                dir = waldir.display(),
                output = crate::exec::tail(out.stdout.trim())
            )),
        },
    )
}

/// The newest timeline past `tli` that `node`'s pg_wal holds segments of, and the point its
/// history file there says it forked from `tli` (see [`LocalFacts::followed`]).
fn followed(node: &dyn Node, p: &PgParams, tli: u32) -> Result<Option<(u32, Lsn)>> {
    let waldir = p.pgdata.join("pg_wal");
    let Some(newest) = node
        .list_dir(&waldir)?
        .into_iter()
        .filter_map(|e| match WalName::classify(&e.name) {
            WalName::Segment { id, .. } if id.tli > tli => Some(id.tli),
            _ => None,
        })
        .max()
    else {
        return Ok(None);
    };
    let path = waldir.join(format!("{newest:08X}.history"));
    if node.stat(&path)?.is_none() {
        return Ok(None);
    }
    let text = String::from_utf8_lossy(&node.read_file(&path)?).into_owned();
    Ok(History::parse(&text, &path.display().to_string())
        .ok()
        .and_then(|h| h.switch_point(tli))
        .map(|at| (newest, at)))
}

/// Where `node`'s WAL ends — not its last checkpoint: a standby's restartpoint may lag far
/// behind what it received — with its cluster's system identifier and the checkpoint's
/// timeline. `Err(why)` when it cannot be told (no segment, pg_waldump read no record): a
/// checkpoint in its place would understate the node's data.
pub fn wal_end(
    node: &dyn Node,
    p: &PgParams,
    ctl: &ControlData,
) -> Result<std::result::Result<crate::postgres::WalEnd, String>> {
    Ok(match wal_tail(node, p, ctl)? {
        WalTail::At(end) => Ok(crate::postgres::WalEnd {
            system_id: ctl.system_identifier,
            tli: ctl.checkpoint_tli,
            end,
        }),
        WalTail::Empty => Err(t!(
            crate::msg::primary::LOCK_WAL_EMPTY,
            node = node.describe()
        )),
        WalTail::Unknown(why) => Err(why),
    })
}

/// This node's archive compared with the primary's (facts H and `my_archive_is_over`).
pub fn archive_facts(
    node: &dyn Node,
    dir: &Path,
    entries: &[DirEntry],
    primary: &PeerFacts,
    seg_size: crate::postgres::WalSegSize,
) -> Result<ArchiveFacts> {
    let my_branch = newest_history(node, dir, entries)?
        .and_then(|(_, h)| h.latest().map(|e| (e.parent_tli, e.switch_lsn)));
    let my_archive_is_over = entries.iter().any(|e| {
        let name = WalName::classify(&e.name);
        match name {
            WalName::Segment { id, .. } | WalName::Partial { id, .. } => {
                id.tli > primary.history_tli
                    || id
                        .segno(seg_size)
                        .is_some_and(|s| s.start_lsn(seg_size) >= primary.current_lsn)
            }
            _ => false,
        }
    });
    Ok(ArchiveFacts {
        local_empty: entries.is_empty(),
        my_branch,
        my_archive_is_over,
        lost_segments: Vec::new(),
        newest_archived: None,
    })
}

/// `check_archive_lost` (spec §3.2 step 6, NORMAL mode; see [`super::archive_check`] for
/// what counts as kept): the segments starting as it is would leave missing from the
/// archive, and the newest archived segment they follow. Judged on the archive as the
/// sync will leave it — this node's files plus the primary's — so that a refusal comes
/// before anything has changed.
pub fn lost_segments(
    node: &dyn Node,
    p: &PgParams,
    mine: &[DirEntry],
    prim: &Primary,
    latest: Option<Lsn>,
) -> Result<(Vec<String>, Option<String>)> {
    use super::archive_check::{archive_gaps, newest_archived, GapInput};
    let size = prim.ctl.wal_segment_size;
    let archived: Vec<String> = mine
        .iter()
        .chain(prim.archive.iter())
        .map(|e| e.name.clone())
        .collect();
    let newest = newest_archived(archived.iter().map(String::as_str)).map(|a| a.name);
    if latest.is_none() || newest.is_none() {
        return Ok((Vec::new(), newest));
    }
    let names = |dir: &Path| -> Result<Vec<String>> {
        Ok(archive(node, dir)?.into_iter().map(|e| e.name).collect())
    };
    let waldir = p.pgdata.join("pg_wal");
    let pg_wal = names(&waldir)?;
    let status = names(&waldir.join("archive_status"))?;
    let gaps = archive_gaps(&GapInput {
        archive: &archived,
        pg_wal: &pg_wal,
        archive_status: &status,
        primary_pg_wal: &prim.pg_wal,
        current: latest.map(|l| l.segment(size)),
        size,
    });
    Ok((gaps.into_iter().map(|g| g.name).collect(), newest))
}

/// `PGSQL.lock` on this node and this node's persisted data-status.
pub fn lock(
    node: &dyn Node,
    p: &PgParams,
    data_status: Option<&str>,
) -> Result<(LockFacts, Option<FileStat>)> {
    let st = node.stat(&p.lock_file())?;
    Ok((
        LockFacts {
            present: st.is_some(),
            my_data_status: data_status.map(str::to_string),
        },
        st,
    ))
}

/// "Number of WAL segments for restore" (spec §3.2, informational): from backup_label's
/// START WAL file (else the checkpoint's REDO WAL file) to the newest plain segment in
/// the local archive. `None` when this node has no readable cluster (a dry run before a
/// base backup).
pub fn wal_to_restore(node: &dyn Node, p: &PgParams, archive_dir: &Path) -> Result<Option<u64>> {
    if node.stat(&p.pgdata.join("PG_VERSION"))?.is_none() {
        return Ok(None);
    }
    let ctl = controldata(node, p)?;
    let start = match crate::postgres::read::backup_label(node, &p.pgdata)? {
        Some(b) => b.start_wal_file,
        None => ctl.redo_wal_file,
    };
    let names: Vec<String> = archive(node, archive_dir)?
        .into_iter()
        .map(|e| e.name)
        .collect();
    let end = super::archive_check::newest_plain(names.iter().map(String::as_str));
    Ok(Some(super::archive_check::wal_count(
        start,
        end,
        ctl.wal_segment_size,
    )))
}

#[cfg(test)]
mod followed_tests {
    //! [`LocalFacts::followed`] from pg_wal: a standby stopped in recovery on timeline 1
    //! (recorded pg_control) that received timeline 2's WAL and history file.
    use super::*;
    use crate::node::fake::FakeNode;

    const PG_WAL: &str = "/var/lib/pgsql/data/pg_wal";

    fn params() -> PgParams {
        PgParams {
            bindir: None,
            pgdata: "/var/lib/pgsql/data".into(),
            tmpdir: "/var/lib/pgsql/tmp".into(),
            repuser: "repuser".into(),
            port: 5432,
            socketdir: None,
        }
    }

    fn standby(history: Option<&str>) -> FakeNode {
        let n = FakeNode::local()
            .file("/var/lib/pgsql/data/PG_VERSION", "15\n")
            .dir(PG_WAL)
            .file(format!("{PG_WAL}/000000010000000000000003"), "")
            .file(format!("{PG_WAL}/000000020000000000000003"), "")
            .answer_fixture(
                "pg_controldata",
                0,
                "postgres/controldata_pg15_shut_down_in_recovery.txt",
            )
            .answer("pg_waldump", 0, "rmgr: XLOG len (rec/tot): 114/114, tx: 0, lsn: 0/3000100, prev 0/3000028, desc: CHECKPOINT_ONLINE\n");
        match history {
            Some(h) => n.file(format!("{PG_WAL}/00000002.history"), h),
            None => n,
        }
    }

    #[test]
    fn the_newer_timelines_wal_and_its_fork_point_are_read_from_pg_wal() {
        let (l, _) = local(
            &standby(Some("1\t0/3000028\tno recovery target specified\n")),
            &params(),
            15,
        )
        .unwrap()
        .unwrap();
        assert_eq!(l.tli, 1);
        assert_eq!(l.followed, Some((2, Lsn(0x300_0028))));
        // Without the history file nothing says where timeline 2 forked: not followed.
        let (l, _) = local(&standby(None), &params(), 15).unwrap().unwrap();
        assert_eq!(l.followed, None);
    }
}

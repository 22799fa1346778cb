//! `pgrex archive-delete {-m|-r}` (spec §3.5): remove, or move aside, the archived WAL no
//! node and no named base backup needs any more — on this node, and with `--both` on the
//! peer's archive directory too (through the peer's [`Node`]).
//!
//! Facts ([`facts`]: both nodes' control data, the backup's `backup_label`, the listings;
//! every "cannot tell" a refusal) → plan ([`plan`], pure: the boundary and the ordered list
//! per directory) → act ([`act`], one batch command per node, then a listing that proves
//! it), all as the numbered steps of one [`Run`], so `--dry-run` lists what would go and
//! changes nothing. The core takes a plain [`ArchiveDeleteOptions`], so any command line
//! (`pgrex archive-delete`, the Perl name `pg-rex_archivefile_delete`) can drive it.

pub mod act;
pub mod facts;
pub mod name;
pub mod plan;

use crate::msg::archive as m;
use crate::node::{DirEntry, FileStat, Node, RunAs};
use crate::ops::cluster;
use crate::ops::pg::PgParams;
use crate::ops::{Done, OpContext, Run};
use crate::postgres::{ControlData, WalSegSize};
use crate::profile::Names;
use crate::report::Level;
use crate::{t, Error, Result};
use plan::{Boundary, Candidate, Origin, Plan};
use serde::Serialize;
use std::path::{Path, PathBuf};

/// `-m` or `-r`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Move,
    Remove,
}

/// `[HOST:]PATH` of a plain-format base backup (a directory with `backup_label`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BackupPath {
    /// `None` or `localhost`: on this node.
    pub host: Option<String>,
    pub path: PathBuf,
}

impl BackupPath {
    /// Parse `[HOST:]/PATH` (spec §3.5 step 3: a host without `:@;|&` or blanks, an
    /// absolute path; a trailing `/` is dropped).
    pub fn parse(s: &str) -> Result<BackupPath> {
        let bad = || Error::input("BACKUP_PATH", t!(m::BAD_BACKUP_PATH, arg = s));
        let (host, path) = match s.split_once(':') {
            Some((h, p)) if !h.starts_with('/') => (Some(h), p),
            _ => (None, s),
        };
        let host_ok = |h: &str| {
            !h.is_empty()
                && !h
                    .chars()
                    .any(|c| matches!(c, ':' | '@' | ';' | '|' | '&') || c.is_whitespace())
        };
        if host.is_some_and(|h| !host_ok(h)) || !path.starts_with('/') || path.len() < 2 {
            return Err(bad());
        }
        let trimmed = path.trim_end_matches('/');
        let path = if trimmed.is_empty() { "/" } else { trimmed };
        Ok(BackupPath {
            host: host.filter(|h| *h != "localhost").map(str::to_string),
            path: PathBuf::from(path),
        })
    }

    /// `HOST:PATH`, or `PATH` on this node.
    pub fn location(&self) -> String {
        match &self.host {
            Some(h) => format!("{h}:{}", self.path.display()),
            None => self.path.display().to_string(),
        }
    }
}

/// Everything the operation needs, as plain values (any command line can build it).
pub struct ArchiveDeleteOptions<'a> {
    pub mode: Mode,
    /// `Archive_dir` (the same path on both nodes).
    pub archive_dir: PathBuf,
    /// `-D`: the data directory of both nodes; else the CIB's `pgdata`, else [`Self::pgdata_env`].
    pub pgdata: Option<PathBuf>,
    /// `$PGDATA` of the caller (the binary reads the environment, the core does not).
    pub pgdata_env: Option<PathBuf>,
    /// `PGPATH`.
    pub pgpath: Option<PathBuf>,
    pub backup: Option<BackupPath>,
    /// Also act on the peer's archive directory.
    pub both: bool,
    /// `-f`: no confirmation.
    pub force: bool,
    /// Whom PostgreSQL's programs run as (the owner, `postgres`).
    pub owner: RunAs,
    /// The move directory's name, `YYYYMMDD_HHMMSS` in local time.
    pub stamp: String,
    pub names: &'a dyn Fn(&[&str]) -> Names,
    /// The peer's session.
    pub connect: &'a dyn Fn() -> Result<Box<dyn Node>>,
    /// A session to the host of a base backup.
    pub connect_backup: &'a dyn Fn(&str) -> Result<Box<dyn Node>>,
}

/// What one directory got.
#[derive(Debug, Clone, Serialize)]
pub struct DirReport {
    pub node: String,
    pub archive_dir: PathBuf,
    #[serde(flatten)]
    pub plan: Plan,
    /// The move directory (`-m`).
    pub moved_to: Option<PathBuf>,
    /// The change ran and was verified (false in a dry run or when it stopped before).
    pub done: bool,
}

/// What the run found, for the `result` event (filled as the steps go).
#[derive(Debug, Clone, Default, Serialize)]
pub struct Report {
    pub mode: Option<Mode>,
    pub pgdata: Option<PathBuf>,
    pub boundary: Option<Boundary>,
    pub wal_segment_size: Option<u64>,
    pub directories: Vec<DirReport>,
}

/// Run it; `report` holds what was found even when this returns an error.
pub fn archive_delete(
    ctx: &OpContext,
    o: &ArchiveDeleteOptions,
    report: &mut Report,
) -> Result<String> {
    let mut run = Run::new(ctx, "archive-delete")?;
    run.set_arguments(serde_json::json!({
        "mode": o.mode, "archive_dir": o.archive_dir, "pgdata": o.pgdata,
        "backup": o.backup.as_ref().map(BackupPath::location), "both": o.both, "force": o.force,
    }));
    run.next = t!(m::NEXT);
    report.mode = Some(o.mode);
    let me = if ctx.me.is_empty() {
        t!(m::THIS_NODE)
    } else {
        ctx.me.clone()
    };

    let pg = run.check(t!(m::STEP_SETTINGS), |_| settings(ctx, o))?;
    report.pgdata = Some(pg.pgdata.clone());
    let backup = run.check(t!(m::STEP_BACKUP), |_| read_backup(ctx, o))?;
    let local = run.check(t!(m::STEP_LOCAL_CONTROL), |_| {
        let cd = facts::control(ctx.local, &me, &pg, &o.owner)?;
        let note = cd.redo_wal_file.name();
        Ok(Done::noted(cd, note))
    })?;
    let (peer, peer_name, peer_cd) =
        run.check(t!(m::STEP_PEER_CONTROL), |_| read_peer(ctx, o, &pg, &local))?;
    let size = local.wal_segment_size;
    report.wal_segment_size = Some(size.bytes());

    let b = run.check(t!(m::STEP_BOUNDARY), |cx| {
        let mut c = vec![
            candidate(&local, Origin::Checkpoint { node: me.clone() }),
            candidate(
                &peer_cd,
                Origin::Checkpoint {
                    node: peer_name.clone(),
                },
            ),
        ];
        c.extend(backup);
        let b = plan::boundary(c).expect("two candidates at least");
        for c in &b.candidates {
            cx.rep().message(
                Level::Info,
                &t!(m::CANDIDATE, wal = c.wal.name(), origin = c.origin),
            );
        }
        let from: Vec<String> = b.from.iter().map(|o| o.to_string()).collect();
        let note = t!(m::BOUNDARY, wal = b.wal.name(), from = from.join(", "));
        Ok(Done::noted(b, note))
    })?;
    report.boundary = Some(b.clone());

    let mut dirs: Vec<(&dyn Node, String, FileStat, Plan)> = Vec::new();
    let mut nodes: Vec<(&dyn Node, String)> = vec![(ctx.local, me.clone())];
    if o.both {
        nodes.push((peer.as_ref(), peer_name.clone()));
    }
    for (node, who) in nodes {
        let title = t!(m::STEP_LIST, dir = o.archive_dir.display(), node = who);
        let (st, p) = run.check(title, |cx| list(cx, node, &who, o, &b, size))?;
        report.directories.push(DirReport {
            node: who.clone(),
            archive_dir: o.archive_dir.clone(),
            plan: p.clone(),
            moved_to: (o.mode == Mode::Move && !p.go.is_empty())
                .then(|| o.archive_dir.join(&o.stamp)),
            done: false,
        });
        dirs.push((node, who, st, p));
    }

    let total: usize = dirs.iter().map(|d| d.3.go.len()).sum();
    if total == 0 {
        let msg = t!(m::NOTHING, wal = b.wal.name());
        run.ended(&msg);
        return Ok(msg);
    }
    if !o.force {
        let q = question(o, total, &b);
        if let Err(e) = ctx.confirm(&q) {
            return Err(run.abort(e));
        }
    }
    for (i, (node, who, st, p)) in dirs.iter().enumerate() {
        if p.go.is_empty() {
            continue;
        }
        change(&mut run, o, *node, who, st, p)?;
        report.directories[i].done = !ctx.dry_run;
    }
    let msg = match o.mode {
        Mode::Remove => t!(m::DONE_REMOVED, count = total, wal = b.wal.name()),
        Mode::Move => t!(
            m::DONE_MOVED,
            count = total,
            wal = b.wal.name(),
            sub = o.stamp
        ),
    };
    Ok(run.done(msg))
}

fn candidate(cd: &ControlData, origin: Origin) -> Candidate {
    Candidate {
        wal: cd.redo_wal_file,
        origin,
    }
}

/// Step 1: where PostgreSQL is — the data directory (`-D` › the CIB's `pgdata` ›
/// `$PGDATA`), its programs and port.
fn settings(ctx: &OpContext, o: &ArchiveDeleteOptions) -> Result<Done<PgParams>> {
    let cib = match cluster::cib_live(ctx.local, &ctx.tools) {
        Ok(Some(c)) => Some(c),
        _ => cluster::cib_file(ctx.local).ok().flatten(),
    };
    let names = (o.names)(&[]);
    let from_cib = cib
        .as_ref()
        .and_then(|c| c.param(&names.primitive, "pgdata"))
        .filter(|v| !v.is_empty())
        .map(PathBuf::from);
    let mut pg = match &cib {
        Some(c) => PgParams::from_cib(c, &names.primitive, o.pgpath.as_deref()),
        None => PgParams::from_cib(&Default::default(), &names.primitive, o.pgpath.as_deref()),
    };
    let (pgdata, whence) = match (&o.pgdata, from_cib, &o.pgdata_env) {
        (Some(d), _, _) => (d.clone(), "-D"),
        (None, Some(d), _) => (d, "CIB"),
        (None, None, Some(d)) => (d.clone(), "$PGDATA"),
        (None, None, None) => {
            return Err(
                Error::input("--dbcluster", t!(m::NO_PGDATA)).with_hint(t!(m::NO_PGDATA_HINT))
            )
        }
    };
    if !pgdata.is_absolute() {
        return Err(Error::input(
            "--dbcluster",
            t!(m::PGDATA_RELATIVE, path = pgdata.display()),
        ));
    }
    pg.pgdata = pgdata;
    let note = t!(m::PGDATA_FROM, path = pg.pgdata.display(), whence = whence);
    Ok(Done::noted(pg, note))
}

/// Step 2: the named backup's first WAL file, on this node or its host.
fn read_backup(ctx: &OpContext, o: &ArchiveDeleteOptions) -> Result<Done<Option<Candidate>>> {
    let Some(b) = &o.backup else {
        return Ok(Done::skip(None, t!(m::NO_BACKUP)));
    };
    let location = b.location();
    let remote;
    let node: &dyn Node = match &b.host {
        None => ctx.local,
        Some(h) => {
            remote = (o.connect_backup)(h).map_err(|e| {
                Error::refused(t!(m::BACKUP_HOST_UNREACHABLE, host = h), None).with_source(e)
            })?;
            remote.as_ref()
        }
    };
    let label = facts::backup_label(node, &b.path, &location)?;
    let note = label.start_wal_file.name();
    Ok(Done::noted(
        Some(Candidate {
            wal: label.start_wal_file,
            origin: Origin::Backup { location },
        }),
        note,
    ))
}

/// The peer's session, its name, its control data.
type Peer = (Box<dyn Node>, String, ControlData);

/// Step 4: the peer's session and control data, which must be this cluster's.
fn read_peer(
    ctx: &OpContext,
    o: &ArchiveDeleteOptions,
    pg: &PgParams,
    local: &ControlData,
) -> Result<Done<Peer>> {
    let peer = (o.connect)().map_err(|e| {
        Error::refused(t!(m::PEER_UNREACHABLE), Some(t!(m::PEER_UNREACHABLE_HINT))).with_source(e)
    })?;
    // Its name in the cluster (`crm_node -n` there, else its short host name), else the login.
    let who = crate::pacemaker::source::node_name(peer.as_ref(), &ctx.tools)
        .unwrap_or_else(|| peer.describe());
    let cd = facts::control(peer.as_ref(), &who, pg, &o.owner)?;
    if cd.system_identifier != local.system_identifier {
        return Err(Error::refused(
            t!(
                m::OTHER_CLUSTER,
                node = who,
                theirs = cd.system_identifier,
                ours = local.system_identifier
            ),
            None,
        ));
    }
    if cd.wal_segment_size != local.wal_segment_size {
        return Err(Error::refused(
            t!(
                m::OTHER_SEGMENT_SIZE,
                node = who,
                theirs = cd.wal_segment_size.bytes(),
                ours = local.wal_segment_size.bytes()
            ),
            None,
        ));
    }
    let note = cd.redo_wal_file.name();
    Ok(Done::noted((peer, who, cd), note))
}

/// A listing step: the plan of one directory, shown file by file.
fn list(
    cx: &crate::ops::StepCx,
    node: &dyn Node,
    who: &str,
    o: &ArchiveDeleteOptions,
    b: &Boundary,
    size: WalSegSize,
) -> Result<Done<(FileStat, Plan)>> {
    let (st, entries): (FileStat, Vec<DirEntry>) = facts::archive(node, who, &o.archive_dir)?;
    let p = plan::plan(&entries, b.wal, size);
    if o.mode == Mode::Move && !p.go.is_empty() {
        let sub = o.archive_dir.join(&o.stamp);
        if node.stat(&sub)?.is_some() {
            return Err(Error::refused(
                t!(m::MOVE_DIR_EXISTS, dir = sub.display(), node = who),
                Some(t!(m::MOVE_DIR_EXISTS_HINT)),
            ));
        }
    }
    if !p.go.is_empty() {
        let head = match o.mode {
            Mode::Remove => t!(m::WILL_REMOVE, count = p.go.len()),
            Mode::Move => t!(
                m::WILL_MOVE,
                count = p.go.len(),
                dir = o.archive_dir.join(&o.stamp).display()
            ),
        };
        cx.rep().message(
            Level::Info,
            &format!("{head}\n     {}", p.go.join("\n     ")),
        );
    }
    if !p.not_touched.is_empty() {
        let names: Vec<String> = p
            .not_touched
            .iter()
            .map(|u| t!(m::UNTOUCHED_ITEM, name = u.name, why = why_text(u.why)))
            .collect();
        cx.rep().message(
            Level::Info,
            &format!(
                "{}\n     {}",
                t!(m::NOT_TOUCHED, count = names.len()),
                names.join("\n     ")
            ),
        );
    }
    let note = t!(
        m::LIST_NOTE,
        go = p.go.len(),
        kept = p.kept,
        other = p.not_touched.len()
    );
    Ok(Done::noted((st, p), note))
}

fn why_text(w: plan::Why) -> String {
    match w {
        plan::Why::NotWal => t!(m::WHY_NOT_WAL),
        plan::Why::SegmentSize => t!(m::WHY_SEGMENT_SIZE),
        plan::Why::NotAFile => t!(m::WHY_NOT_A_FILE),
    }
}

fn question(o: &ArchiveDeleteOptions, total: usize, b: &Boundary) -> String {
    let verb = match o.mode {
        Mode::Remove => t!(m::VERB_REMOVE),
        Mode::Move => t!(m::VERB_MOVE),
    };
    let q = t!(m::CONFIRM, verb = verb, count = total, wal = b.wal.name());
    match &o.backup {
        Some(_) => q,
        None => format!("{} {q}", t!(m::CONFIRM_NO_BACKUP)),
    }
}

/// The changing step of one directory.
fn change(
    run: &mut Run,
    o: &ArchiveDeleteOptions,
    node: &dyn Node,
    who: &str,
    st: &FileStat,
    p: &Plan,
) -> Result<()> {
    let dir: &Path = &o.archive_dir;
    let n = p.go.len();
    match o.mode {
        Mode::Remove => {
            let title = t!(m::STEP_REMOVE, count = n, dir = dir.display(), node = who);
            run.change(title, t!(m::WOULD_REMOVE, count = n), |_| {
                act::remove(node, dir, &p.go)?;
                Ok(Done::ok(()))
            })?;
        }
        Mode::Move => {
            let sub = dir.join(&o.stamp);
            let title = t!(m::STEP_MOVE, count = n, dir = sub.display(), node = who);
            let would = t!(m::WOULD_MOVE, count = n, uid = st.uid, gid = st.gid);
            run.change(title, would, |_| {
                act::move_into(node, dir, &o.stamp, (st.uid, st.gid), &p.go)?;
                Ok(Done::ok(()))
            })?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests;

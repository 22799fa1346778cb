//! The changing steps of standby-start: pg_rewind, the base backup, the archive sync, the
//! lock-file removal. Each runs only after the decision, and reports its progress.

use super::facts::{newest_segment, Primary};
use super::signals;
use super::source;
use crate::config::RewindVia;
use crate::exec::Cmd;
use crate::msg::standby as m;
use crate::node::{transfer, DirEntry, FileMode, Node, RunAs};
use crate::ops::pg::PgParams;
use crate::ops::{OpContext, StepCx};
use crate::postgres::WalName;
use crate::{t, Error, Result};
use std::path::Path;
use std::time::Duration;

/// `kB` figures of a progress line (`12345/67890 kB (18%) copied`, pg_rewind and
/// pg_basebackup alike).
fn kb_progress(line: &str) -> Option<(u64, u64)> {
    let re = regex::Regex::new(r"(\d+)/(\d+) kB").expect("valid regex");
    let c = re.captures(line)?;
    Some((c[1].parse().ok()?, c[2].parse().ok()?))
}

/// Run `cmd` showing its progress and lines; its output (stdout, then stderr) back.
fn run_with_progress(cx: &StepCx, node: &dyn Node, cmd: &Cmd) -> Result<String> {
    if !node.is_local() {
        return run_remote(cx, node, cmd);
    }
    let local = crate::node::command_line::local(cmd, &RunAs::postgres());
    let mut last_plain = String::new();
    let out = local.output_lines(&mut |line| match kb_progress(line) {
        Some((done, total)) => cx
            .rep()
            .progress(cx.step, done * 1024, Some(total * 1024), "bytes"),
        None => {
            if line != last_plain {
                cx.rep().detail(cx.step, line);
                last_plain = line.to_string();
            }
        }
    })?;
    if !out.status.success() {
        return Err(crate::exec::ExecError::Failed {
            cmd: local.to_string(),
            status: out.status,
            stdout: out.stdout,
            stderr_tail: crate::exec::tail(&out.stderr),
        }
        .into());
    }
    Ok(format!("{}\n{}", out.stdout, out.stderr))
}

/// On the peer (switchover's rewind of a remote old primary): no progress while it runs;
/// its output lines are shown when it ends, the progress lines left out.
fn run_remote(cx: &StepCx, node: &dyn Node, cmd: &Cmd) -> Result<String> {
    let out = node.output(cmd, &RunAs::postgres())?;
    let text = format!("{}\n{}", out.stdout, out.stderr);
    for line in text.split(['\n', '\r']).map(str::trim) {
        if !line.is_empty() && kb_progress(line).is_none() {
            cx.rep().detail(cx.step, line);
        }
    }
    if !out.status.success() {
        return Err(crate::exec::ExecError::Failed {
            cmd: crate::node::shown(node, cmd, &RunAs::postgres()),
            status: out.status,
            stdout: out.stdout,
            stderr_tail: crate::exec::tail(&out.stderr),
        }
        .into());
    }
    Ok(text)
}

/// pg_rewind this node's data onto the primary's timeline. On PostgreSQL below 16 (and
/// whenever the primary has not checkpointed since its promotion) the primary is
/// CHECKPOINTed first: pg_rewind reads the source timeline from its pg_control, and a
/// stale one makes it report "no rewind required" on data that still diverges.
pub fn rewind(
    cx: &StepCx,
    local: &dyn Node,
    peer: &dyn Node,
    p: &PgParams,
    prim: &Primary,
    peer_addr: &str,
    via: RewindVia,
) -> Result<()> {
    if prim.pg.major_version() < 16 || prim.ctl.checkpoint_tli != prim.history_tli {
        cx.rep().detail(cx.step, &t!(m::CHECKPOINT_PRIMARY));
        peer.run(&p.psql("CHECKPOINT"), &RunAs::postgres())?;
    }
    let port = prim.pg.port;
    let route = source::choose(local, p, via, peer_addr, port)?;
    // WAL from before the fork back to the last common checkpoint may be recycled out of
    // pg_wal already (seen in the lab after a 1 GiB load): let pg_rewind fetch it from the
    // archive with the target's restore_command (the resource agent's include file sets it).
    // (--restore-target-wal exists from PostgreSQL 13 on.)
    let restore = prim.pg.major_version() >= 13 && has_restore_command(local, p)?;
    // pg_rewind's single-user crash recovery of uncleanly stopped data refuses standby.signal.
    let aside = signals::set_aside(local, p)?;
    if !aside.is_empty() {
        let files = signals::names(&aside);
        cx.rep()
            .detail(cx.step, &t!(m::SIGNALS_ASIDE, files = files));
    }
    let mut output = String::new();
    let r = source::with_source(cx, peer, &route, peer_addr, port, &mut |host, port| {
        let mut cmd = p
            .program("pg_rewind")
            .arg("-D")
            .arg(&p.pgdata)
            .arg(format!("--source-server={}", source::conninfo(host, port)))
            .arg("-P")
            // Its messages read below, untranslated.
            .env("LC_MESSAGES", "C");
        if restore {
            cmd = cmd.arg("--restore-target-wal");
        }
        output = run_with_progress(cx, local, &cmd)?;
        Ok(())
    })
    .map_err(|e| {
        let hint = source::failure_hint(&route, &e.chain_text());
        Error::other(t!(m::REWIND_FAILED), Some(hint)).with_source(e)
    })
    .and_then(|()| self_diverged(&output));
    if r.is_err() && !aside.is_empty() {
        signals::put_back(local, &aside)?;
        let files = signals::names(&aside);
        cx.rep()
            .detail(cx.step, &t!(m::SIGNALS_PUT_BACK, files = files));
    }
    r?;
    // pg_rewind can leave truncated copies of WAL the source removed: archiving them
    // would put broken segments into the archive (spec §3.2, REWIND step 4).
    let seg = prim.ctl.wal_segment_size.bytes();
    let status = p.pgdata.join("pg_wal/archive_status");
    if local.stat(&status)?.is_some() {
        for e in local.list_dir(&status)? {
            let Some(name) = e.name.strip_suffix(".ready") else {
                continue;
            };
            let wal = p.pgdata.join("pg_wal").join(name);
            if let Some(st) = local.stat(&wal)? {
                if WalName::classify(name).is_plain_segment() && st.size != seg {
                    local.remove_file(&wal)?;
                    local.remove_file(&status.join(&e.name))?;
                    cx.rep()
                        .detail(cx.step, &t!(m::REMOVED_SHORT_WAL, name = name));
                }
            }
        }
    }
    Ok(())
}

/// pg_rewind that found nothing to rewind after it completed crash recovery of this node's
/// data itself: that recovery (standby mode refused in single-user mode) ended the data as
/// a primary's would, with checkpoint records of its own the primary does not have — the
/// node would never stream from it (lab 2026-12-01: HS:alone for 300 s). Stopped here, the
/// signal files put back by the caller; a base backup rejoins it.
fn self_diverged(pg_rewind_output: &str) -> Result<()> {
    let recovered = pg_rewind_output.contains("to complete crash recovery");
    if recovered && pg_rewind_output.contains("no rewind required") {
        return Err(Error::other(
            t!(m::REWIND_SELF_DIVERGED),
            Some(t!(m::REWIND_SELF_DIVERGED_HINT)),
        ));
    }
    Ok(())
}

/// The target cluster's `restore_command` is set (`postgres -C restore_command`).
fn has_restore_command(local: &dyn Node, p: &PgParams) -> Result<bool> {
    let out = local.output(
        &p.program("postgres")
            .args(["-C", "restore_command", "-D"])
            .arg(&p.pgdata),
        &RunAs::postgres(),
    )?;
    Ok(out.status.success() && !out.stdout.trim().is_empty())
}

/// Replace this node's data with a base backup from the primary.
pub fn basebackup(
    cx: &StepCx,
    local: &dyn Node,
    p: &PgParams,
    prim: &Primary,
    peer_addr: &str,
) -> Result<()> {
    let pgdata = p.pgdata.to_string_lossy().into_owned();
    let wal = p.pgdata.join("pg_wal");
    let waldir = match local.stat(&wal)? {
        Some(st) if st.kind == crate::node::FileKind::Symlink => Some(
            local
                .run(&Cmd::new("readlink").arg("-f").arg(&wal), &RunAs::Root)?
                .stdout
                .trim()
                .to_string(),
        ),
        _ => None,
    };
    // The link's target is emptied below: it must be a WAL directory of its own.
    if let Some(w) = &waldir {
        crate::ops::pg_values::check_waldir(w, &p.pgdata)?;
    }
    // Empty the directories as the owner (the directory itself may be a mount point).
    for dir in std::iter::once(pgdata.clone()).chain(waldir.clone()) {
        local.run(
            &Cmd::new("install")
                .args(["-d", "-o", "postgres", "-g", "postgres", "-m", "700"])
                .arg(&dir),
            &RunAs::Root,
        )?;
        local.run(
            &Cmd::new("find")
                .arg(&dir)
                .args(["-mindepth", "1", "-delete"]),
            &RunAs::postgres(),
        )?;
    }
    let mut cmd = p
        .program("pg_basebackup")
        .arg("-d")
        .arg(crate::ops::pg_values::conninfo(&[
            ("host", peer_addr),
            ("port", &prim.pg.port.to_string()),
            ("user", &p.repuser),
            ("connect_timeout", "10"),
        ]))
        .arg("-D")
        .arg(&pgdata)
        .args(["-X", "stream", "-c", "fast", "-P"]);
    // Backup manifests exist from PostgreSQL 13 on; the standby does not need one.
    if prim.pg.major_version() >= 13 {
        cmd = cmd.arg("--no-manifest");
    }
    if let Some(w) = &waldir {
        cmd = cmd.arg(format!("--waldir={w}"));
    }
    run_with_progress(cx, local, &cmd).map(drop).map_err(|e| {
        Error::other(
            t!(m::BASEBACKUP_FAILED),
            Some(t!(m::BASEBACKUP_FAILED_HINT)),
        )
        .with_source(e)
    })
}

/// Copy the primary's archive files this node lacks (or holds with another size), never
/// the other way (spec §2.11 [Rec]). Returns how many files were copied.
pub fn sync_archive(
    cx: &StepCx,
    peer: &dyn Node,
    local: &dyn Node,
    dir: &Path,
    prim: &Primary,
    mine: &[DirEntry],
) -> Result<usize> {
    let seg = prim.ctl.wal_segment_size.bytes();
    let have = |e: &DirEntry| {
        mine.iter()
            .any(|x| x.name == e.name && x.stat.size == e.stat.size)
    };
    let mut wanted: Vec<&DirEntry> = prim
        .archive
        .iter()
        .filter(|e| e.stat.kind == crate::node::FileKind::File && !have(e))
        .filter(|e| !matches!(WalName::classify(&e.name), WalName::Other))
        .collect();
    // Auxiliary files (history, partial, backup) first, then segments, each by name.
    wanted.sort_by_key(|e| (!WalName::classify(&e.name).is_auxiliary(), e.name.clone()));
    let mut segments_synced = true;
    if let (Some(my_newest), Some(their_newest)) =
        (newest_segment(mine), newest_segment(&prim.archive))
    {
        if my_newest > their_newest {
            cx.rep().detail(
                cx.step,
                &t!(
                    m::LOCAL_ARCHIVE_NEWER,
                    mine = my_newest,
                    theirs = their_newest
                ),
            );
            wanted.retain(|e| WalName::classify(&e.name).is_auxiliary());
            segments_synced = false;
        }
    }
    for e in &wanted {
        let plain = WalName::classify(&e.name).is_plain_segment();
        if (plain && e.stat.size != seg) || e.stat.size == 0 {
            return Err(Error::other(
                t!(m::ARCHIVE_FILE_BAD_SIZE, name = e.name, size = e.stat.size),
                Some(t!(m::ARCHIVE_FILE_BAD_SIZE_HINT)),
            ));
        }
    }
    let owner = local.stat(dir)?.map(|s| (s.uid, s.gid));
    let total: u64 = wanted.iter().map(|e| e.stat.size).sum();
    let mut done = 0u64;
    for e in &wanted {
        let mode = FileMode {
            mode: e.stat.mode & 0o777,
            owner,
        };
        let base = done;
        transfer::fetch(
            peer,
            &dir.join(&e.name),
            &dir.join(&e.name),
            mode,
            Some(e.stat.size),
            &mut |n| cx.rep().progress(cx.step, base + n, Some(total), "bytes"),
        )?;
        done += e.stat.size;
    }
    if segments_synced {
        super::verify::newest_segment(
            cx.rep(),
            cx.step,
            local,
            dir,
            &super::verify::PrimaryArchive {
                node: peer,
                dir,
                entries: &prim.archive,
            },
            prim.ctl.wal_segment_size,
            super::archive_check::INTEGRITY_BACKOFF,
        )?;
    }
    Ok(wanted.len())
}

/// Remove the signal files the resource agent recreates itself (spec §3.2 step 18).
pub fn remove_signal_files(local: &dyn Node, p: &PgParams) -> Result<()> {
    for f in signals::SIGNAL_FILES {
        local.remove_file(&p.pgdata.join(f))?;
    }
    Ok(())
}

/// Start Pacemaker here, the recovery signal files removed first (spec §3.1 and §3.2).
pub fn start_pacemaker(ctx: &OpContext, p: &PgParams, timeout: Duration) -> Result<()> {
    remove_signal_files(ctx.local, p)?;
    ctx.local.run(
        &crate::ops::cluster::systemctl(ctx.local, &ctx.tools)
            .args(["start", "pacemaker"])
            .timeout(timeout),
        &RunAs::Root,
    )?;
    Ok(())
}

/// Every configured interconnect address of the peer answers ping.
pub fn ping_ic(local: &dyn Node, addrs: &[std::net::IpAddr]) -> Result<()> {
    for a in addrs {
        let out = local.output(
            &Cmd::new("ping")
                .args(["-c", "3", "-i", "0.2", "-W", "2", "-n"])
                .arg(a.to_string())
                .timeout(Duration::from_secs(15)),
            &RunAs::Root,
        )?;
        if !out.status.success() {
            return Err(Error::refused(
                t!(m::IC_UNREACHABLE, addr = a),
                Some(t!(m::IC_UNREACHABLE_HINT)),
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::kb_progress;

    #[test]
    fn progress_lines_of_both_tools_are_read() {
        assert_eq!(
            kb_progress("   23521/2011870 kB (1%), 0/1 tablespace (...data/base/1/1249)"),
            Some((23521, 2011870))
        );
        assert_eq!(kb_progress("12/345 kB (3%) copied"), Some((12, 345)));
        assert_eq!(
            kb_progress("pg_rewind: servers diverged at WAL location 0/5000000"),
            None
        );
    }
}

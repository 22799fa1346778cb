//! What a switchover reads, through the [`Node`] of the node it belongs to (this machine or
//! the peer over SSH): the leftover move/ban constraints (`cibadmin -Q -o constraints`),
//! the replication lag (the primary's flush LSN, then the standby's replay LSN), whether a
//! PG-REX operation holds the single-instance lock on the peer, and the facts of the LSN
//! proof (pg_controldata, the new timeline's history file, pg_waldump).

use super::plan::{self, Constraint};
use crate::exec::{Cmd, Tools};
use crate::msg::switchover as m;
use crate::node::{Node, RunAs};
use crate::ops::pg::PgParams;
use crate::postgres::{waldump, ControlData, History, Lsn, WalName};
use crate::{t, Error, Result};
use std::path::Path;
use std::time::Duration;

const READ_TIMEOUT: Duration = Duration::from_secs(60);

/// The `cli-ban-*` / `cli-prefer-*` constraints in the live CIB.
pub fn constraints(node: &dyn Node, tools: &Tools) -> Result<Vec<Constraint>> {
    let prog = if node.is_local() {
        crate::pacemaker::source::pacemaker_path(tools, "cibadmin")
    } else {
        "cibadmin".into()
    };
    let out = node.run(
        &Cmd::new(prog)
            .args(["-Q", "-o", "constraints"])
            .env_remove("CIB_file")
            .timeout(READ_TIMEOUT),
        &RunAs::Root,
    )?;
    plan::cli_constraints(
        &out.stdout,
        &format!("cibadmin -Q -o constraints on {}", node.describe()),
    )
}

/// One LSN from a one-value `psql` query.
fn lsn_query(node: &dyn Node, p: &PgParams, sql: &str) -> Result<Lsn> {
    let out = node.run(&p.psql(sql).timeout(READ_TIMEOUT), &RunAs::postgres())?;
    let v = out.stdout.trim();
    v.parse().map_err(|_| {
        Error::other(
            t!(
                m::LSN_UNREADABLE,
                node = node.describe(),
                sql = sql,
                value = v
            ),
            None,
        )
    })
}

/// Bytes the standby's replay is behind the primary's flush: the primary is read first, so
/// a standby that has replayed up to that point is 0 behind even while writes go on.
pub fn replay_lag(primary: &dyn Node, standby: &dyn Node, p: &PgParams) -> Result<(Lsn, Lsn, u64)> {
    let flush = lsn_query(primary, p, "SELECT pg_current_wal_flush_lsn()")?;
    let replay = lsn_query(standby, p, "SELECT pg_last_wal_replay_lsn()")?;
    Ok((flush, replay, flush.0.saturating_sub(replay.0)))
}

/// Who holds the single-instance lock on `node`: the PID in the lock file when that
/// process lives (a Perl tool or pgrex) and did not start after the file was written (a
/// later program under a reused PID cannot have written it: the file is stale, as
/// `ops::lock` judges this node's own), else `None`. When a start time or the file's time
/// cannot be read, a live process counts (refusing is the safe side); times are compared in
/// seconds with one second of slack (the shell's `stat` and `/proc/stat`'s boot time).
pub fn lock_holder(node: &dyn Node, lock: &Path) -> Result<Option<String>> {
    let script = format!(
        "f={f}; [ -s \"$f\" ] || exit 0; p=$(head -c 32 \"$f\" | tr -dc 0-9); \
         [ -n \"$p\" ] && kill -0 \"$p\" 2>/dev/null || exit 0; \
         s=$(sed 's/.*) //' /proc/$p/stat 2>/dev/null | cut -d' ' -f20); \
         b=$(awk '$1==\"btime\"{{print $2}}' /proc/stat 2>/dev/null); \
         h=$(getconf CLK_TCK 2>/dev/null); m=$(stat -c %Y \"$f\" 2>/dev/null); \
         if [ -n \"$s\" ] && [ -n \"$b\" ] && [ -n \"$h\" ] && [ -n \"$m\" ] && \
            [ $((b + s / h)) -gt $((m + 1)) ]; then exit 0; fi; echo \"$p\"",
        f = crate::exec::quote(&lock.to_string_lossy())
    );
    let out = node.run(
        &Cmd::new("sh").arg("-c").arg(script).timeout(READ_TIMEOUT),
        &RunAs::Root,
    )?;
    let pid = out.stdout.trim();
    Ok((!pid.is_empty()).then(|| pid.to_string()))
}

/// `pg_controldata` of `node`.
pub fn controldata(node: &dyn Node, p: &PgParams) -> Result<ControlData> {
    crate::ops::standby::facts::controldata(node, p)
}

/// The newest timeline history file in `node`'s `pg_wal` (a promotion writes it there
/// first, before it is archived): its timeline and content.
pub fn newest_history(node: &dyn Node, p: &PgParams) -> Result<Option<(u32, History)>> {
    let dir = p.pgdata.join("pg_wal");
    let newest = node
        .list_dir(&dir)?
        .into_iter()
        .filter_map(|e| match WalName::classify(&e.name) {
            WalName::History {
                tli,
                compression: crate::postgres::Compression::None,
            } => Some((tli, e.name)),
            _ => None,
        })
        .max_by_key(|(tli, _)| *tli);
    let Some((tli, name)) = newest else {
        return Ok(None);
    };
    let path = dir.join(name);
    let text = String::from_utf8_lossy(&node.read_file(&path)?).into_owned();
    let origin = format!("{}:{}", node.describe(), path.display());
    Ok(Some((tli, History::parse(&text, &origin)?)))
}

/// The `pg_waldump` command that lists the records of `pg_wal` from `start` on timeline
/// `tli` (it ends with an error at the end of valid WAL: that is how the end is found).
pub fn waldump_cmd(p: &PgParams, tli: u32, start: Lsn) -> Cmd {
    p.program("pg_waldump")
        .arg("-p")
        .arg(p.pgdata.join("pg_wal"))
        .arg("-t")
        .arg(tli.to_string())
        .arg("-s")
        .arg(start.to_string())
        .timeout(READ_TIMEOUT)
}

/// The last record pg_waldump reads in `node`'s pg_wal from `start` on.
pub fn last_record(node: &dyn Node, p: &PgParams, tli: u32, start: Lsn) -> Result<Option<Lsn>> {
    let out = node.output(&waldump_cmd(p, tli, start), &RunAs::postgres())?;
    Ok(waldump::last_record_lsn(&out.stdout))
}

#[cfg(test)]
mod lock_holder_tests {
    use super::lock_holder;
    use crate::node::LocalNode;
    use std::time::{Duration, SystemTime};

    fn sleeper() -> std::process::Child {
        std::process::Command::new("sleep")
            .arg("30")
            .spawn()
            .unwrap()
    }

    /// The other node's lock, read through a real shell: a live process older than the
    /// file holds it; the same PID in a file written long before the process started is a
    /// reused PID, so nobody holds it; a dead PID holds nothing.
    #[test]
    fn a_reused_pid_on_the_other_node_holds_no_lock() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("pg-rex_tools.pid");
        let mut p = sleeper();
        std::fs::write(&f, format!("{}\n", p.id())).unwrap();
        let node = LocalNode::new();
        assert_eq!(
            lock_holder(&node, &f).unwrap(),
            Some(p.id().to_string()),
            "a live process that wrote the file holds it"
        );
        let hour_ago = SystemTime::now() - Duration::from_secs(3600);
        std::fs::File::options()
            .write(true)
            .open(&f)
            .unwrap()
            .set_modified(hour_ago)
            .unwrap();
        assert_eq!(
            lock_holder(&node, &f).unwrap(),
            None,
            "a process started an hour after the file was written cannot have written it"
        );
        let _ = p.kill();
        let _ = p.wait();
        std::fs::write(&f, format!("{}\n", p.id())).unwrap();
        assert_eq!(lock_holder(&node, &f).unwrap(), None, "a dead PID");
    }
}

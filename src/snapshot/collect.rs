//! Collect a [`Snapshot`] from the live cluster on this node. Every program runs through
//! [`crate::exec::Tools`]; every source that fails becomes [`Source::Unknown`] with the
//! reason (the command line and its error), never a default value.

use super::*;
use crate::exec::Tools;
use crate::pacemaker::source;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// How much of the end of a log file is read.
pub(super) const LOG_TAIL_BYTES: u64 = 8 << 20;
/// Every command here only reads; none should take long.
const READ_TIMEOUT: Duration = Duration::from_secs(30);

/// What the binary decides for collection.
#[derive(Debug, Clone, Default)]
pub struct CollectSettings {
    pub tools: Tools,
    /// Log files to read instead of the default locations (and instead of the journal).
    pub log_files: Vec<PathBuf>,
}

/// Default Pacemaker/system log locations (RHEL, Debian, Pacemaker's detail log).
pub(super) const DEFAULT_LOGS: &[&str] = &[
    "/var/log/messages",
    "/var/log/syslog",
    "/var/log/pacemaker/pacemaker.log",
    "/var/log/cluster/corosync.log",
];

/// `tmpdir` of the pgsql resource agent when the CIB does not set it.
const DEFAULT_TMPDIR: &str = "/var/lib/pgsql/tmp";
const DEFAULT_PGDATA: &str = "/var/lib/pgsql/data";

/// Observe everything readable from here. Errors only when Pacemaker is not installed at
/// all (no `crm_mon`), which the caller reports as a missing program.
pub fn collect(
    set: &CollectSettings,
    names: impl Fn(&ClusterState) -> crate::profile::Names,
    peer: Result<&dyn crate::node::Node, String>,
) -> crate::Result<Snapshot> {
    let tools = &set.tools;
    let mut s = Snapshot::empty("not collected");
    s.taken_at = Some(humantime::format_rfc3339_seconds(SystemTime::now()).to_string());
    // crm_node asks the running cluster; with Pacemaker down here, the host name (which
    // PG-REX uses as the node name) stands in.
    s.local_node = run(tools, "crm_node", &["-n"])
        .ok()
        .map(|o| o.trim().to_string())
        .filter(|n| !n.is_empty())
        .or_else(|| {
            let h = nix::unistd::gethostname().ok()?;
            let h = h.to_string_lossy();
            Some(h.split('.').next().unwrap_or_default().to_string()).filter(|h| !h.is_empty())
        });

    match source::observe_live(tools) {
        Ok(obs) => {
            s.cib = match (obs.cib, obs.cib_error) {
                (Some(c), _) => Source::Known(c),
                (None, Some(e)) => Source::unknown(e),
                (None, None) => Source::unknown("cibadmin -Q was not run"),
            };
            s.cluster = Source::Known(obs.state);
        }
        Err(e @ crate::Error::MissingProgram { .. }) => return Err(e),
        Err(e) => {
            s.cluster = Source::unknown(crate::error::chain_text(&e));
            s.cib = Source::unknown(format!("not read: {}", e.chain_text()));
        }
    }

    s.corosync = corosync_links(tools);

    // crm_mon runs with --fence-history=3 (every event); stonith_admin only when it had none.
    s.fencing = match s.cluster.known().and_then(|c| c.fence_history.clone()) {
        Some(h) => Source::Known(h),
        None => fencing(tools, None),
    };

    let (pgdata, tmpdir, pglog) = {
        let n = s.cluster.known().map(&names);
        let param = |k: &str| -> Option<String> {
            let n = n.as_ref()?;
            s.cib.known()?.param(&n.primitive, k).map(str::to_string)
        };
        (param("pgdata"), param("tmpdir"), param("logfile"))
    };
    s.logs = read_logs(
        set,
        s.local_node.as_deref(),
        pgdata.as_deref(),
        pglog.as_deref(),
    );
    let peer_name = s.cluster.known().and_then(|st| {
        let me = s.local_node.as_deref()?;
        st.nodes
            .iter()
            .find(|n| n.name != me)
            .map(|n| n.name.clone())
    });
    s.peer = match peer {
        Ok(node) => {
            let tmp = tmpdir.as_deref().unwrap_or(DEFAULT_TMPDIR);
            let local = s.local_node.as_deref();
            let (view, lock) = super::peer::view(node, peer_name.as_deref(), local, tmp);
            s.locks.insert(view.node.clone(), lock);
            Source::Known(view)
        }
        Err(why) => Source::unknown(why),
    };

    // PGSQL.lock: here, read directly; the other node's, read through the peer view above.
    let lock = Path::new(tmpdir.as_deref().unwrap_or(DEFAULT_TMPDIR)).join("PGSQL.lock");
    if let Some(me) = s.local_node.clone() {
        let fact = LockFact {
            path: lock.display().to_string(),
            present: lock.exists(),
        };
        s.locks.insert(me, Source::Known(fact));
    }
    let nodes: Vec<String> = s
        .view()
        .map(|st| st.nodes.iter().map(|n| n.name.clone()).collect())
        .unwrap_or_default();
    for n in nodes {
        let why = crate::t!(crate::msg::diag::WHY_PEER_FILES, node = n);
        s.locks.entry(n).or_insert_with(|| Source::unknown(why));
    }
    Ok(s)
}

/// The full fencing history from `stonith_admin` (for a crm_mon that showed none), else
/// what crm_mon showed, else unknown with why.
pub fn fencing(
    tools: &Tools,
    state: Option<&ClusterState>,
) -> Source<Vec<crate::pacemaker::FenceEvent>> {
    match run(
        tools,
        "stonith_admin",
        &["--history", "*", "--verbose", "--output-as=xml"],
    ) {
        Ok(xml) => match fencing::parse(&xml, "stonith_admin --history '*' --verbose") {
            Ok(v) => Source::Known(v),
            Err(e) => Source::unknown(e.chain_text()),
        },
        Err(why) => match state.and_then(|c| c.fence_history.clone()) {
            Some(h) => Source::Known(h),
            None => Source::unknown(why),
        },
    }
}

/// The interconnect links as this node sees them (`corosync-cfgtool -s`).
pub fn corosync_links(tools: &Tools) -> Source<CorosyncStatus> {
    match run(tools, "corosync-cfgtool", &["-s"]) {
        Ok(out) => match corosync::parse(&out, "corosync-cfgtool -s") {
            Ok(c) => Source::Known(c),
            Err(e) => Source::unknown(crate::error::chain_text(&e)),
        },
        Err(why) => Source::unknown(why),
    }
}

/// `systemctl is-enabled` of each unit (`enabled`, `disabled`, …), or why it is unknown.
/// `is-enabled` exits non-zero for disabled units, so its output is read whatever the code.
pub fn unit_enablement(tools: &Tools, units: &[&str]) -> Source<Vec<(String, String)>> {
    let cmd = tools
        .cmd("systemctl")
        .arg("is-enabled")
        .args(units)
        .timeout(READ_TIMEOUT);
    match cmd.output() {
        Ok(out) => {
            let states: Vec<String> = out.stdout.lines().map(|l| l.trim().to_string()).collect();
            if states.len() == units.len() {
                Source::Known(units.iter().map(|u| u.to_string()).zip(states).collect())
            } else {
                Source::unknown(format!(
                    "`{cmd}` printed {} lines for {} units: {}",
                    states.len(),
                    units.len(),
                    out.stderr.trim()
                ))
            }
        }
        Err(e) => Source::unknown(crate::error::chain_text(&e)),
    }
}

/// Run a read-only command; its stdout, or why it could not be had.
fn run(tools: &Tools, program: &str, args: &[&str]) -> Result<String, String> {
    let cmd = tools.cmd(program).args(args).timeout(READ_TIMEOUT);
    cmd.run().map(|o| o.stdout).map_err(|e| e.to_string())
}

fn read_logs(
    set: &CollectSettings,
    local: Option<&str>,
    pgdata: Option<&str>,
    pglog: Option<&str>,
) -> Source<Vec<LogLine>> {
    let mut files: Vec<PathBuf> = set.log_files.clone();
    let explicit = !files.is_empty();
    if !explicit {
        files.extend(DEFAULT_LOGS.iter().map(PathBuf::from));
        if let Some(l) = pglog.filter(|l| *l != "/dev/null") {
            files.push(l.into());
        }
        let pgdata = Path::new(pgdata.unwrap_or(DEFAULT_PGDATA));
        let mut dirs = vec![pgdata.join("log"), pgdata.join("pg_log")];
        dirs.extend(log_directory(pgdata));
        dirs.extend(["/var/log/pgsql", "/var/log/postgresql"].map(PathBuf::from));
        dirs.dedup();
        files.extend(dirs.iter().filter_map(|d| newest_in(d)));
    }
    let mut lines = Vec::new();
    let mut read = Vec::new();
    let mut errors = Vec::new();
    for f in &files {
        match tail(f) {
            Ok(text) => {
                read.push(f.display().to_string());
                lines.extend(logs::scan(&text, &f.display().to_string(), local));
            }
            Err(e) if !explicit && e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => errors.push(format!("{}: {e}", f.display())),
        }
    }
    if !explicit {
        let j = [
            "-q",
            "--no-pager",
            "-o",
            "short-iso",
            "-n",
            "50000",
            "-u",
            "pacemaker.service",
            "-u",
            "corosync.service",
        ];
        if let Ok(text) = run(&set.tools, "journalctl", &j) {
            read.push("journalctl".into());
            lines.extend(logs::scan(&text, "journalctl", local));
        }
    }
    if read.is_empty() {
        let tried: Vec<String> = files.iter().map(|f| f.display().to_string()).collect();
        let mut why = crate::t!(crate::msg::diag::WHY_NO_LOGS, tried = tried.join(", "));
        if !errors.is_empty() {
            why = format!("{why} ({})", errors.join("; "));
        }
        return Source::unknown(why);
    }
    Source::Known(lines)
}

/// PostgreSQL's `log_directory` (the last setting in postgresql.conf or postgresql.auto.conf;
/// relative to the data directory unless absolute).
fn log_directory(pgdata: &Path) -> Option<PathBuf> {
    let mut found = None;
    for f in ["postgresql.conf", "postgresql.auto.conf"] {
        let Ok(text) = std::fs::read_to_string(pgdata.join(f)) else {
            continue;
        };
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or_default().trim();
            let Some(rest) = line.strip_prefix("log_directory") else {
                continue;
            };
            let v = rest
                .trim_start()
                .trim_start_matches('=')
                .trim()
                .trim_matches('\'');
            if !v.is_empty() {
                found = Some(pgdata.join(v));
            }
        }
    }
    found
}

/// The most recently modified regular file of a directory.
fn newest_in(dir: &Path) -> Option<PathBuf> {
    std::fs::read_dir(dir)
        .ok()?
        .flatten()
        .filter_map(|e| {
            let m = e.metadata().ok()?;
            m.is_file().then(|| (m.modified().ok(), e.path()))
        })
        .max_by_key(|(t, _)| *t)
        .map(|(_, p)| p)
}

/// The last [`LOG_TAIL_BYTES`] of a file, as text (invalid UTF-8 replaced).
fn tail(path: &Path) -> std::io::Result<String> {
    use std::io::{Read, Seek, SeekFrom};
    let mut f = std::fs::File::open(path)?;
    let len = f.metadata()?.len();
    if len > LOG_TAIL_BYTES {
        f.seek(SeekFrom::Start(len - LOG_TAIL_BYTES))?;
    }
    let mut buf = Vec::new();
    f.read_to_end(&mut buf)?;
    Ok(String::from_utf8_lossy(&buf).into_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_directory_from_postgresql_conf() {
        let d = tempfile::tempdir().unwrap();
        std::fs::write(
            d.path().join("postgresql.conf"),
            "log_directory = 'log' # default\n#log_directory = 'x'\n",
        )
        .unwrap();
        std::fs::write(
            d.path().join("postgresql.auto.conf"),
            "log_directory = '/var/log/pgsql'\n",
        )
        .unwrap();
        assert_eq!(
            log_directory(d.path()),
            Some(PathBuf::from("/var/log/pgsql"))
        );
        assert_eq!(log_directory(Path::new("/nonexistent")), None);
    }

    #[test]
    fn explicit_logs_are_read_and_missing_ones_say_why() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("messages");
        std::fs::write(
            &f,
            "Nov 24 10:00:00 pm02 pacemaker-controld[1]:  notice: Node pm01 state is now lost\n",
        )
        .unwrap();
        let set = CollectSettings {
            tools: Tools::new(),
            log_files: vec![f.clone()],
        };
        let Source::Known(v) = read_logs(&set, Some("pm02"), None, None) else {
            panic!("log not read")
        };
        assert_eq!(v.len(), 1);
        assert_eq!(v[0].host.as_deref(), Some("pm02"));
        let set = CollectSettings {
            tools: Tools::new(),
            log_files: vec![dir.path().join("absent")],
        };
        let why = read_logs(&set, None, None, None);
        assert!(why.why().unwrap().contains("absent"), "{why:?}");
    }
}

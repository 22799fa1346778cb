//! Collect a [`Snapshot`] from the live cluster on this node. Every program runs through
//! [`crate::exec::Tools`]; every source that fails becomes [`Source::Unknown`] with the
//! reason (the command line and its error), never a default value.

use super::*;
use crate::exec::Tools;
use crate::pacemaker::source;
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

/// How much of the end of a log file is read.
pub(super) use super::log_files::LOG_TAIL_BYTES;
/// Every command here only reads; none should take long.
const READ_TIMEOUT: Duration = Duration::from_secs(30);

/// Which sources a command wants. Every command reads crm_mon, the interconnect links
/// (`corosync-cfgtool -s`), the unit enablement and the cluster name (files), so every
/// verdict judges the same rows; the rest is what only a diagnosis needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Sources {
    /// `cibadmin -Q` always (beside crm_mon), or only when the view needs it (a node not
    /// online, whose persisted data-status only the CIB has; a disk monitor whose health
    /// crm_mon does not show).
    pub cib_always: bool,
    /// This node's name (`crm_node -n`), the local `PGSQL.lock`, the fencer's history when
    /// crm_mon showed none, and the logs.
    pub local_details: bool,
    /// The other node's own view (over the SSH session the caller passes).
    pub peer: bool,
}

impl Sources {
    /// `pgrex status`: about the cost of one crm_mon call.
    pub const STATUS: Sources = Sources {
        cib_always: false,
        local_details: false,
        peer: false,
    };
    /// `pgrex diagnose`: everything readable from here.
    pub const DIAGNOSE: Sources = Sources {
        cib_always: true,
        local_details: true,
        peer: true,
    };
}

impl Default for Sources {
    fn default() -> Self {
        Sources::DIAGNOSE
    }
}

/// What the binary decides for collection.
#[derive(Debug, Clone)]
pub struct CollectSettings {
    pub tools: Tools,
    /// Log files to read instead of the default locations (and instead of the journal).
    pub log_files: Vec<PathBuf>,
    pub sources: Sources,
    /// Where systemd's unit files and wants links are read (`/` on a node).
    pub systemd_root: PathBuf,
    /// How this node's PostgreSQL is asked for its timeline and lag (None: not asked).
    pub pg: Option<super::pg::PgReadSettings>,
}

impl Default for CollectSettings {
    fn default() -> Self {
        CollectSettings {
            tools: Tools::default(),
            log_files: Vec::new(),
            sources: Sources::default(),
            systemd_root: "/".into(),
            pg: None,
        }
    }
}

/// Default Pacemaker/system log locations (RHEL, Debian, Pacemaker's detail log).
pub(super) const DEFAULT_LOGS: &[&str] = &[
    "/var/log/messages",
    "/var/log/syslog",
    "/var/log/pacemaker/pacemaker.log",
    "/var/log/corosync/corosync.log",
    "/var/log/cluster/corosync.log",
];

/// `tmpdir` of the pgsql resource agent when the CIB does not set it.
const DEFAULT_TMPDIR: &str = "/var/lib/pgsql/tmp";
const DEFAULT_PGDATA: &str = "/var/lib/pgsql/data";

/// A session to the other node, or why there is none.
pub type PeerSession = Result<Box<dyn crate::node::Node>, String>;

/// Names resolved from the resource ids a cluster (or CIB) shows.
pub type NamesFor<'a> = &'a (dyn Fn(&[&str]) -> crate::profile::Names + Sync);

/// Observe what `set.sources` asks for, every program beside crm_mon. Errors only when
/// Pacemaker is not installed at all (no `crm_mon`), which the caller reports as a missing
/// program; a cluster that cannot be seen from here is an unknown source with why.
pub fn collect(
    set: &CollectSettings,
    names: NamesFor,
    peer: impl FnOnce() -> PeerSession + Send,
) -> crate::Result<Snapshot> {
    let tools = &set.tools;
    let want = set.sources;
    let mut s = Snapshot::empty(crate::msg::view::WHY_NOT_WANTED.text());
    s.taken_at = Some(humantime::format_rfc3339_seconds(SystemTime::now()).to_string());
    let (obs, session) = std::thread::scope(|sc| {
        // The SSH session to the peer is opened while this node is read.
        let session = want.peer.then(|| sc.spawn(peer));
        let links = sc.spawn(|| corosync_links(tools));
        let local = want
            .local_details
            .then(|| sc.spawn(|| source::local_node_name(tools)));
        // This node's PostgreSQL, beside crm_mon and bounded by its own deadline.
        let pg = set.pg.as_ref().map(|p| sc.spawn(|| local_pg(p)));
        let mon = sc.spawn(|| {
            source::observe_live_lean(tools, want.cib_always, |st| {
                let ids = st.resource_ids();
                needs_cib_for_disk(st, &names(&ids))
            })
        });
        // Files, read while the programs run.
        s.cluster_name = std::fs::read_to_string(super::corosync::COROSYNC_CONF)
            .ok()
            .and_then(|c| super::corosync::cluster_name(&c));
        s.units = super::units::enablement(&set.systemd_root, &cluster_units());
        s.corosync = links
            .join()
            .unwrap_or_else(|_| Source::unknown(crate::msg::view::WHY_LINKS_PANICKED.text()));
        s.local_node = local.and_then(|h| h.join().ok().flatten());
        if let Some(h) = pg {
            (s.postgres, s.postgres_stalled_on) = h.join().unwrap_or_else(|_| {
                (
                    Source::unknown(crate::msg::view::WHY_PG_PANICKED.text()),
                    None,
                )
            });
        }
        let obs = mon.join().unwrap_or_else(|_| {
            Err(crate::Error::other(
                crate::msg::view::WHY_CRM_MON_PANICKED.text(),
                None,
            ))
        });
        let session = session.map(|h| {
            h.join()
                .unwrap_or_else(|_| Err(crate::msg::view::WHY_SSH_PANICKED.text().to_string()))
        });
        (obs, session)
    });
    match obs {
        Ok(obs) => {
            s.cib = match (obs.cib, obs.cib_error) {
                (Some(c), _) => Source::Known(c),
                (None, Some(e)) => Source::unknown(e),
                (None, None) => Source::unknown(crate::msg::view::WHY_CIB_NOT_NEEDED.text()),
            };
            s.cluster = Source::Known(obs.state);
        }
        Err(e @ crate::Error::MissingProgram { .. }) => return Err(e),
        Err(e) => {
            s.cluster = Source::unknown(crate::error::chain_text(&e));
            s.cib = Source::unknown(crate::t!(
                crate::msg::view::WHY_NOT_READ,
                why = e.chain_text()
            ));
            s.saved_cib = saved_cib();
        }
    }
    s.fencing = match s.cluster.known().and_then(|c| c.fence_history.clone()) {
        Some(h) => Source::Known(h),
        // crm_mon runs with --fence-history=3 (every event); stonith_admin only when it
        // had none.
        None if want.local_details => fencing(tools, None),
        None => Source::unknown(crate::msg::view::WHY_NOT_WANTED.text()),
    };
    if want.local_details {
        let node = session
            .as_ref()
            .map(|r| r.as_deref().map_err(String::clone));
        local_details(set, names, &mut s, node);
    }
    Ok(s)
}

/// The snapshot a view judges: `input` loaded (a saved snapshot, crm_mon XML or cib.xml,
/// plus the `log_files`), else collected live. `command` names the view in the hint given
/// when Pacemaker is not installed here.
pub fn observe(
    input: Option<&Path>,
    set: &CollectSettings,
    names: NamesFor,
    peer: impl FnOnce() -> PeerSession + Send,
    command: &str,
) -> crate::Result<Snapshot> {
    if let Some(path) = input {
        let mut s = Snapshot::load(path, &set.tools)?;
        s.add_log_files(&set.log_files)?;
        return Ok(s);
    }
    collect(set, names, peer).map_err(|e| match e {
        crate::Error::MissingProgram { program, .. } if program == "crm_mon" => {
            crate::Error::MissingProgram {
                program,
                hint: Some(crate::t!(
                    crate::msg::view::NO_PACEMAKER_HINT,
                    command = command
                )),
            }
        }
        e => e,
    })
}

/// This node's server: its facts, `Known(None)` when no server socket is here, else unknown
/// with why. The node is named by the host name (no `crm_node` process: the view's cost is
/// crm_mon's); the status view checks that name against the cluster's nodes and otherwise
/// places the server by its role (`status::build`). With it, the host name when the server
/// is there but takes no work (no answer in time, no room for a connection).
fn local_pg(
    p: &super::pg::PgReadSettings,
) -> (Source<Option<super::pg::PgServer>>, Option<String>) {
    let host = source::short_host_name();
    match super::pg::read(p, host.clone()) {
        Ok(srv) => (Source::Known(Some(srv)), None),
        Err(super::pg::PgUnread::NoServer(_)) => (Source::Known(None), None),
        Err(super::pg::PgUnread::Failed(why)) => (Source::unknown(why), None),
        Err(super::pg::PgUnread::Stalled(why)) => {
            (Source::unknown(why), Some(host.unwrap_or_default()))
        }
    }
}

/// pacemaker and corosync; pcsd too where pcs is installed.
fn cluster_units() -> Vec<&'static str> {
    let mut u = vec!["pacemaker", "corosync"];
    if which::which("pcs").is_ok() {
        u.push("pcsd");
    }
    u
}

/// The CIB Pacemaker last saved here: with Pacemaker down, it still tells each node's
/// persisted `pgsql-data-status`.
fn saved_cib() -> Source<CibFacts> {
    let path = crate::pacemaker::cib::DEFAULT_CIB_PATH;
    match std::fs::read_to_string(path) {
        Ok(text) => match crate::pacemaker::parse::cib(&text, path) {
            Ok(c) => Source::Known(c),
            Err(e) => Source::unknown(e.to_string()),
        },
        Err(e) => Source::unknown(format!("{path}: {e}")),
    }
}

/// Whether the disk monitor's state can only be read from the CIB: a disk clone is
/// configured, crm_mon shows no aggregated node health and no diskd attribute.
pub fn needs_cib_for_disk(state: &ClusterState, names: &crate::profile::Names) -> bool {
    let ids = state.resource_ids();
    let has_disk = names.disk.iter().any(|d| ids.contains(&d.as_str()));
    let diskd_shown = state
        .node_attributes
        .values()
        .flatten()
        .any(|a| a.name.starts_with("diskcheck_status"));
    has_disk && !diskd_shown && state.nodes.iter().any(|n| n.online && n.health.is_none())
}

/// The logs, the other node's view, and each node's `PGSQL.lock`.
fn local_details(
    set: &CollectSettings,
    names: NamesFor,
    s: &mut Snapshot,
    peer: Option<Result<&dyn crate::node::Node, String>>,
) {
    let (pgdata, tmpdir, pglog) = {
        let n = s.cluster.known().map(|st| names(&st.resource_ids()));
        let param = |k: &str| -> Option<String> {
            let n = n.as_ref()?;
            s.cib.known()?.param(&n.primitive, k).map(str::to_string)
        };
        (param("pgdata"), param("tmpdir"), param("logfile"))
    };
    let peer_name = s.cluster.known().and_then(|st| {
        let me = s.local_node.as_deref()?;
        st.nodes
            .iter()
            .find(|n| n.name != me)
            .map(|n| n.name.clone())
    });
    let local = s.local_node.clone();
    // This node's logs are read while the peer answers over SSH.
    let (logs, peer) = std::thread::scope(|sc| {
        let logs =
            sc.spawn(|| read_logs(set, local.as_deref(), pgdata.as_deref(), pglog.as_deref()));
        let peer = match peer {
            Some(Ok(node)) => {
                let tmp = tmpdir.as_deref().unwrap_or(DEFAULT_TMPDIR);
                let (view, lock) =
                    super::peer::view(node, peer_name.as_deref(), local.as_deref(), tmp);
                Ok((view, lock))
            }
            Some(Err(why)) => Err(why),
            None => Err(crate::msg::view::WHY_NOT_WANTED.text().to_string()),
        };
        let logs = logs
            .join()
            .unwrap_or_else(|_| Source::unknown(crate::msg::view::WHY_LOGS_PANICKED.text()));
        (logs, peer)
    });
    s.logs = logs;
    s.peer = match peer {
        Ok((view, lock)) => {
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
    let here = crate::node::LocalNode::new();
    for f in &files {
        match super::log_files::read_tail(&here, f, LOG_TAIL_BYTES) {
            Ok(Some(text)) => {
                read.push(f.display().to_string());
                lines.extend(logs::scan(&text, &f.display().to_string(), local));
            }
            Ok(None) if !explicit => {}
            Ok(None) => errors.push(format!(
                "{}: {}",
                f.display(),
                std::io::Error::from(std::io::ErrorKind::NotFound)
            )),
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

#[cfg(test)]
mod tests;

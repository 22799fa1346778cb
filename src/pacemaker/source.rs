//! Where the XML comes from: the live cluster (`crm_mon`, `cibadmin -Q`) or a file, and
//! what kind of document a file is.
//!
//! Live: `crm_mon --output-as=xml -1 --inactive`. Pacemaker 2.1's XML output includes every
//! section by default (node attributes, fail-counts, failures and the full, unreduced
//! fencing history: crm_mon.c `default_includes()` returns all sections for XML), so no
//! `--include` is needed. `cibadmin -Q` runs beside it, in parallel, for the persistent
//! attributes of nodes crm_mon does not show (offline ones). Neither inherits `CIB_file`
//! from the environment: live means the cluster.
//!
//! Files (CONTRACTS.md "--input"): crm_mon XML of either era is parsed directly; a CIB is
//! rendered by Pacemaker itself with `CIB_file=FILE crm_mon --output-as=xml -1 --inactive`
//! and also read for its persistent attributes; JSON is handed back as text for
//! `Snapshot::from_json`. [`detect`] is the one place that tells what an input file is.
//!
//! Failures are told apart: crm_mon missing is [`Error::MissingProgram`] (Pacemaker not
//! installed, exit 2); crm_mon present but unable to see the cluster is
//! [`Error::Unobservable`] with the reason (exit 1, verdict UNKNOWN); a broken file is
//! [`Error::Input`] (exit 2).

use super::cib::CibFacts;
use super::model::{ClusterState, XmlDialect};
use super::parse::{self, ResultStatus};
use crate::exec::{Cmd, ExecError, Output, Status, Tools};
use crate::msg::pcmk as m;
use crate::node::{LocalNode, Node, RunAs};
use crate::{t, Error, Result};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long crm_mon and cibadmin may take. crm_mon waits up to 120 s for the fencer's
/// history on a sick cluster; a status view must answer sooner than that.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);

/// What a document is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum InputKind {
    /// `crm_mon --output-as=xml` of Pacemaker 2.x (`<pacemaker-result>`).
    CrmMon2,
    /// `crm_mon --as-xml` of Pacemaker 1.1 (`<crm_mon>`).
    CrmMon11,
    /// A CIB (`<cib>`: `cibadmin -Q` output or cib.xml).
    Cib,
    /// A JSON pgrex snapshot.
    Snapshot,
}

/// What one look at the cluster gave.
#[derive(Debug, Clone)]
pub struct Observation {
    pub state: ClusterState,
    /// The CIB's own facts (persistent attributes, parameters), when a CIB was read.
    pub cib: Option<CibFacts>,
    /// Why the CIB could not be read, when the cluster view came without it.
    pub cib_error: Option<String>,
    /// Where the state came from: live, or the kind of the input file.
    pub kind: Option<InputKind>,
    /// The command line or file the state was read from (for messages).
    pub source: String,
}

/// Tell what a document is from its first non-blank character and its root element.
pub fn detect(text: &str, what: &str) -> Result<InputKind> {
    let body = text.trim_start_matches('\u{feff}').trim_start();
    if body.is_empty() {
        return Err(Error::input(what, t!(m::XML_EMPTY)));
    }
    // JSON (an object or an array) is never XML: whatever it holds, its errors are JSON's.
    if body.starts_with('{') || body.starts_with('[') {
        return Ok(InputKind::Snapshot);
    }
    match super::xml::root_name(body, what)?.as_str() {
        "pacemaker-result" => crm_mon_result(body, what).map(|()| InputKind::CrmMon2),
        "crm_mon" => Ok(InputKind::CrmMon11),
        "cib" => Ok(InputKind::Cib),
        other => Err(Error::input(what, t!(m::NOT_PACEMAKER_INPUT, root = other))
            .with_hint(t!(m::HINT_CRM_MON_XML))),
    }
}

/// Every Pacemaker 2.x tool answers in a `<pacemaker-result>`: only crm_mon's carries the
/// cluster (`request="crm_mon …"`; a result without `request` counts when it holds crm_mon's
/// `<summary>`, `<nodes>` or a failure `<status>`). Anything else, e.g. `stonith_admin
/// --history`, would read as a cluster with no nodes and no DC.
fn crm_mon_result(body: &str, what: &str) -> Result<()> {
    let root = super::xml::parse(body, what)?;
    let program = root
        .attr("request")
        .and_then(|r| r.split_whitespace().next());
    let program = program.map(|p| p.rsplit('/').next().unwrap_or(p));
    let carries_status = ["summary", "nodes", "status"]
        .iter()
        .any(|c| root.child(c).is_some());
    match program {
        Some("crm_mon") => Ok(()),
        None if carries_status => Ok(()),
        Some(program) => Err(
            Error::input(what, t!(m::NOT_CRM_MON_RESULT, program = program))
                .with_hint(t!(m::HINT_CRM_MON_XML)),
        ),
        None => Err(Error::input(what, t!(m::UNNAMED_RESULT)).with_hint(t!(m::HINT_CRM_MON_XML))),
    }
}

/// The one crm_mon command line pgrex runs to see a cluster, here or on the peer (also what
/// the benchmark compares against). `--fence-history=3`: the full history (successes too),
/// so no second program is needed for the PG-REX "empty fencing history" check.
pub fn crm_mon_command(program: impl Into<std::ffi::OsString>) -> Cmd {
    Cmd::new(program).args(["--output-as=xml", "-1", "--inactive", "--fence-history=3"])
}

/// [`crm_mon_command`] with this machine's crm_mon (override, PATH or /usr/sbin).
pub fn crm_mon_cmd(tools: &Tools) -> Cmd {
    crm_mon_command(pacemaker_path(tools, "crm_mon"))
}

/// Pacemaker's tools live in /usr/sbin, which is not on the PATH of every account (Debian
/// users): when a tool has no override and is not on PATH, use /usr/sbin's.
pub fn pacemaker_cmd(tools: &Tools, program: &str) -> Cmd {
    Cmd::new(pacemaker_path(tools, program))
}

pub(crate) fn pacemaker_path(tools: &Tools, program: &str) -> PathBuf {
    let path = tools.path(program);
    if path.as_os_str() == program && which::which(program).is_err() {
        let sbin = Path::new("/usr/sbin").join(program);
        if sbin.exists() {
            return sbin;
        }
    }
    path
}

/// A node's cluster name, asked on that node: what the running cluster calls it
/// (`crm_node -n`), else its short host name (`uname -n` up to the first dot; PG-REX names
/// its nodes after the hosts). The one rule for this node and for the peer.
pub fn node_name(node: &dyn Node, tools: &Tools) -> Option<String> {
    let ask = |cmd: Cmd| {
        node.run(&cmd.timeout(DEFAULT_TIMEOUT), &RunAs::Root)
            .ok()
            .map(|o| o.stdout.trim().to_string())
            .filter(|n| !n.is_empty())
    };
    ask(pacemaker_cmd(tools, "crm_node").arg("-n")).or_else(|| {
        if node.is_local() {
            return short_host_name();
        }
        ask(Cmd::new("uname").arg("-n"))
            .map(|h| short_name(&h).to_string())
            .filter(|h| !h.is_empty())
    })
}

/// This machine's short host name, without asking the cluster (no child process: for the
/// views, whose cost should be crm_mon's). [`node_name`]'s fallback on this machine.
pub fn short_host_name() -> Option<String> {
    let h = nix::unistd::gethostname().ok()?;
    Some(short_name(&h.to_string_lossy()).to_string()).filter(|h| !h.is_empty())
}

/// This machine's cluster node name ([`node_name`] on the [`LocalNode`]).
pub fn local_node_name(tools: &Tools) -> Option<String> {
    node_name(&LocalNode, tools)
}

/// A host name up to the first dot.
fn short_name(host: &str) -> &str {
    host.split('.').next().unwrap_or_default()
}

/// The live cluster as this node sees it: crm_mon, with `cibadmin -Q` in parallel.
pub fn observe_live(tools: &Tools) -> Result<Observation> {
    observe_live_with(tools, DEFAULT_TIMEOUT, true)
}

/// crm_mon, with `cibadmin -Q` beside it when `cib_always`; otherwise the CIB only when the
/// view needs it: a node that is not online (its persisted `pgsql-data-status` lives only
/// in the CIB) or when `cib_wanted` says so (a disk monitor whose health crm_mon does not
/// show: only the hidden attribute tells).
pub fn observe_live_lean(
    tools: &Tools,
    cib_always: bool,
    cib_wanted: impl Fn(&ClusterState) -> bool,
) -> Result<Observation> {
    let mut obs = observe_live_with(tools, DEFAULT_TIMEOUT, cib_always)?;
    if cib_always {
        return Ok(obs);
    }
    let needs = obs.state.nodes.iter().any(|n| !n.online || n.unclean) || cib_wanted(&obs.state);
    if needs {
        match read_cib_live(tools, DEFAULT_TIMEOUT) {
            Ok(c) => obs.cib = Some(c),
            Err(e) => obs.cib_error = Some(e.chain_text()),
        }
    }
    Ok(obs)
}

/// [`observe_live`] with a timeout, and with the CIB read or not.
pub fn observe_live_with(tools: &Tools, timeout: Duration, with_cib: bool) -> Result<Observation> {
    let cmd = crm_mon_cmd(tools).env_remove("CIB_file").timeout(timeout);
    let (mon, cib) = std::thread::scope(|s| {
        let cib = with_cib.then(|| s.spawn(|| read_cib_live(tools, timeout)));
        let mon = cmd.output();
        (mon, cib.map(|h| h.join()))
    });
    let mut state = live_state(&cmd, mon)?;
    // Live 2.x XML includes every section and omits `fence_history` only when it has no
    // event: here absence means "empty", not "unknown" (a file may come from a source
    // without a fencer, e.g. CIB_file, so files keep `None`).
    if state.fence_history.is_none() && state.dialect == XmlDialect::PacemakerResult {
        state.fence_history = Some(Vec::new());
    }
    let (cib, cib_error) = match cib {
        None => (None, None),
        Some(Ok(Ok(c))) => (Some(c), None),
        Some(Ok(Err(e))) => (None, Some(e.chain_text())),
        Some(Err(_)) => (None, Some(t!(m::CIB_READER_PANICKED))),
    };
    Ok(Observation {
        state,
        cib,
        cib_error,
        kind: None,
        source: cmd.to_string(),
    })
}

/// Turn crm_mon's run into a state or the right error.
fn live_state(cmd: &Cmd, run: Result<Output, ExecError>) -> Result<ClusterState> {
    let what = cmd.to_string();
    let out = match run {
        Ok(out) => out,
        Err(e) if e.is_not_found() => return Err(missing("crm_mon", t!(m::HINT_CRM_MON_MISSING))),
        Err(ExecError::Timeout { timeout, .. }) => {
            return Err(unobservable(t!(
                m::CRM_MON_TIMEOUT,
                timeout = humantime::format_duration(timeout)
            )))
        }
        Err(e) => return Err(Error::Exec(e)),
    };
    // A 2.x result says itself whether it worked, whatever the exit code.
    let status = parse::result_status(&out.stdout, &what).ok().flatten();
    match (&status, out.status) {
        (Some(st), _) if !st.is_ok() => Err(classify(Some(st), &out)),
        (_, Status::Exited(0)) => parse::crm_mon(&out.stdout, &what),
        _ => Err(classify(status.as_ref(), &out)),
    }
}

/// Why crm_mon could not show the cluster: "not running here" when it could not connect,
/// otherwise its own words.
pub fn classify(status: Option<&ResultStatus>, out: &Output) -> Error {
    let lines: Vec<String> = match status {
        Some(st) => st.errors.clone(),
        None => out
            .stderr
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect(),
    };
    let text = lines.join("; ");
    // Nothing answers on the daemons' sockets: Pacemaker is not running here. Other
    // failures with the same exit code (daemons starting or shutting down, no quorum
    // partition yet) keep crm_mon's own words.
    let not_connected = [
        "Connection refused",
        "Could not connect to launcher",
        "Transport endpoint is not connected",
        "No such file or directory",
    ]
    .iter()
    .any(|p| text.contains(p));
    let detail = |s: &str| {
        s.trim_start_matches("error: ")
            .trim_start_matches("crm_mon: ")
            .to_string()
    };
    if not_connected {
        let first = lines
            .first()
            .map(|l| detail(l))
            .unwrap_or_else(|| status.map(|s| s.message.clone()).unwrap_or_default());
        return unobservable(t!(m::NOT_RUNNING, detail = first));
    }
    // One phrase: the caller's verdict already says the cluster cannot be observed, and
    // crm_mon's own failure message already names crm_mon.
    match status {
        Some(st) => unobservable(parse::failed_message(st)),
        None if text.is_empty() => unobservable(t!(
            m::CANNOT_OBSERVE,
            detail = t!(m::EMPTY_OUTPUT, code = exit_text(out.status), stderr = "")
        )),
        None => unobservable(t!(m::CANNOT_OBSERVE, detail = detail(&text))),
    }
}

fn exit_text(s: Status) -> String {
    match s {
        Status::Exited(c) => c.to_string(),
        Status::Signaled(sig) => format!("signal {sig}"),
    }
}

fn unobservable(message: String) -> Error {
    Error::Unobservable {
        message,
        hint: Some(t!(m::HINT_NOT_RUNNING)),
        source: None,
    }
}

fn missing(program: &str, hint: String) -> Error {
    Error::MissingProgram {
        program: program.to_string(),
        hint: Some(hint),
    }
}

/// `cibadmin -Q`: the live CIB.
pub fn read_cib_live(tools: &Tools, timeout: Duration) -> Result<CibFacts> {
    let cmd = pacemaker_cmd(tools, "cibadmin")
        .arg("-Q")
        .env_remove("CIB_file")
        .timeout(timeout);
    match cmd.run() {
        Ok(out) => parse::cib(&out.stdout, &cmd.to_string()),
        Err(e) if e.is_not_found() => Err(missing("cibadmin", t!(m::HINT_CIBADMIN_MISSING))),
        Err(e) => Err(unobservable(t!(m::CIBADMIN_FAILED)).with_source(e)),
    }
}

/// What an `--input` file turned out to be, told once by [`detect`] for every command.
#[derive(Debug)]
pub enum Input {
    /// A JSON document (a saved snapshot, or JSON that `Snapshot::from_json` refuses), with
    /// any byte-order mark removed.
    Json(String),
    /// A cluster view read from crm_mon XML (either era) or a CIB.
    Cluster(Box<Observation>),
}

/// A saved file: crm_mon XML (either era), a CIB, or JSON (a pgrex snapshot).
pub fn read_input(path: &Path, tools: &Tools) -> Result<Input> {
    read_input_with(path, tools, DEFAULT_TIMEOUT)
}

pub fn read_input_with(path: &Path, tools: &Tools, timeout: Duration) -> Result<Input> {
    let what = path.display().to_string();
    let bytes = crate::bounded::read(path, crate::bounded::INPUT).map_err(|e| match e {
        crate::bounded::ReadError::Io(io) => {
            let error = io.source_io_kind_text();
            Error::input(&what, t!(m::UNREADABLE, error = error)).with_source(io)
        }
        other => Error::input(&what, t!(m::UNREADABLE, error = other)).with_source(other),
    })?;
    let text = String::from_utf8(bytes).map_err(|_| Error::input(&what, t!(m::NOT_UTF8)))?;
    let kind = detect(&text, &what)?;
    let (state, cib) = match kind {
        InputKind::CrmMon2 | InputKind::CrmMon11 => (parse::crm_mon(&text, &what)?, None),
        InputKind::Cib => {
            // Validate (and keep) the CIB's own facts first: a broken file gets our error,
            // not crm_mon's.
            let cib = parse::cib(&text, &what)?;
            (render_cib_file(tools, path, timeout)?, Some(cib))
        }
        InputKind::Snapshot => {
            return Ok(Input::Json(text.trim_start_matches('\u{feff}').to_string()))
        }
    };
    Ok(Input::Cluster(Box::new(Observation {
        state,
        cib,
        cib_error: None,
        kind: Some(kind),
        source: what,
    })))
}

/// `CIB_file=FILE crm_mon --output-as=xml -1 --inactive`: Pacemaker's own view of a CIB.
pub fn render_cib_file(tools: &Tools, path: &Path, timeout: Duration) -> Result<ClusterState> {
    let what = path.display().to_string();
    // crm_mon resolves CIB_file against its own working directory; give it an absolute path.
    let abs: PathBuf = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
    let cmd = crm_mon_cmd(tools).env("CIB_file", &abs).timeout(timeout);
    let out = match cmd.output() {
        Ok(out) => out,
        Err(e) if e.is_not_found() => {
            return Err(missing("crm_mon", t!(m::HINT_CIB_NEEDS_CRM_MON)))
        }
        Err(e) => return Err(Error::input(&what, t!(m::CIB_RENDER_NOT_RUN)).with_source(e)),
    };
    let status = parse::result_status(&out.stdout, &what).ok().flatten();
    let failed = |detail: String| Error::input(&what, t!(m::CIB_RENDER_FAILED, detail = detail));
    match (&status, out.status) {
        (Some(st), _) if !st.is_ok() => Err(failed(parse::failed_message(st))),
        (_, Status::Exited(0)) => parse::crm_mon(&out.stdout, &cmd.to_string()),
        _ => {
            let tail = crate::exec::tail(&out.stderr);
            let stderr = if tail.is_empty() {
                String::new()
            } else {
                format!(": {tail}")
            };
            Err(failed(t!(
                m::EMPTY_OUTPUT,
                code = exit_text(out.status),
                stderr = stderr
            )))
        }
    }
}

/// The text of an I/O error without the path fs-err prepends (the path is already `what`).
trait IoKindText {
    fn source_io_kind_text(&self) -> String;
}

impl IoKindText for std::io::Error {
    fn source_io_kind_text(&self) -> String {
        match self.kind() {
            std::io::ErrorKind::NotFound => t!(m::IO_NOT_FOUND),
            std::io::ErrorKind::PermissionDenied => t!(m::IO_DENIED),
            _ => {
                std::error::Error::source(self).map_or_else(|| self.to_string(), |s| s.to_string())
            }
        }
    }
}

#[cfg(test)]
mod cause_tests;
#[cfg(test)]
mod name_tests;
#[cfg(test)]
mod tests;

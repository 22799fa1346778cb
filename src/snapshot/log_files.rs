//! The one log reader: where a node's Pacemaker and Corosync logs are and their last
//! [`LOG_TAIL_BYTES`], read through the [`Node`] seam so the same code reads this node's and
//! (over SSH) the peer's. The snapshot (`collect::read_logs`, diagnosis) and `pgrex log` both
//! read through here.
//!
//! Where Pacemaker logs: `PCMK_logfile` (in `/etc/sysconfig/pacemaker` or
//! `/etc/default/pacemaker`), else its default detail log, else a syslog file
//! (`/var/log/ha-log`, the pm_logconv setup; `/var/log/messages`; `/var/log/syslog`), else the
//! systemd journal. Corosync: `logfile:` of `corosync.conf`, its usual files, else the same
//! syslog file or the journal.

use crate::exec::Cmd;
use crate::msg::log as m;
use crate::node::{Node, NodeError, RunAs};
use std::path::Path;
use std::time::Duration;

/// How much of the end of a log file is read.
pub const LOG_TAIL_BYTES: u64 = 8 << 20;

/// Where Pacemaker's detail log goes unless `PCMK_logfile` says otherwise.
pub const PACEMAKER_DETAIL_LOG: &str = "/var/log/pacemaker/pacemaker.log";

/// The syslog files that may hold the cluster's lines.
pub const SYSLOG_FILES: &[&str] = &["/var/log/ha-log", "/var/log/messages", "/var/log/syslog"];

/// Corosync's usual logfiles (Debian, then Red Hat).
pub const COROSYNC_LOGS: &[&str] = &[
    "/var/log/corosync/corosync.log",
    "/var/log/cluster/corosync.log",
];

/// The deadline of one read command (`tail`, `journalctl`), so a frozen peer cannot hang a view.
const JOURNAL_TIMEOUT: Duration = Duration::from_secs(30);

/// The end of a file as text (invalid UTF-8 replaced); `None` when it does not exist.
pub fn read_tail(node: &dyn Node, path: &Path, max: u64) -> Result<Option<String>, NodeError> {
    let Some(st) = node.stat(path)? else {
        return Ok(None);
    };
    let bytes = if st.size <= max {
        node.read_file(path)?
    } else {
        let cmd = Cmd::new("tail")
            .args(["-c", &max.to_string()])
            .arg(path.display().to_string())
            .timeout(JOURNAL_TIMEOUT);
        node.run(&cmd, &RunAs::Root)?.stdout.into_bytes()
    };
    Ok(Some(String::from_utf8_lossy(&bytes).into_owned()))
}

/// The last lines of the pacemaker and corosync units' journal, `None` when there is no
/// journal to read (no journalctl, or nothing in it).
pub fn read_journal(node: &dyn Node, program: &str, lines: u32) -> Option<String> {
    let cmd = Cmd::new(program)
        .args(["-q", "--no-pager", "-o", "short-iso-precise", "-n"])
        .arg(lines.to_string())
        .args(["-u", "pacemaker.service", "-u", "corosync.service"])
        .timeout(JOURNAL_TIMEOUT);
    let out = node.run(&cmd, &RunAs::Root).ok()?;
    (!out.stdout.trim().is_empty()).then_some(out.stdout)
}

/// `KEY=value` of a shell-style sysconfig file (the last uncommented setting).
fn sysconfig_value(text: &str, key: &str) -> Option<String> {
    let mut v = None;
    for l in text.lines() {
        let l = l.trim();
        let l = l.strip_prefix("export ").unwrap_or(l);
        if let Some(rest) = l.strip_prefix(key).and_then(|r| r.strip_prefix('=')) {
            v = Some(rest.trim().trim_matches(['"', '\'']).to_string());
        }
    }
    v
}

/// `logfile:` of the `logging` section of corosync.conf (the first one: one logging block).
fn corosync_logfile(text: &str) -> Option<String> {
    text.lines()
        .map(str::trim)
        .find_map(|l| l.strip_prefix("logfile:").map(|v| v.trim().to_string()))
}

/// Where one node's cluster logs are: each source and how it was chosen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogPlaces {
    /// Files to read, each with why (`PCMK_logfile`, `the detail log`, `syslog`, …).
    pub files: Vec<(String, &'static str)>,
    /// No file holds Pacemaker's lines: read the journal.
    pub journal: bool,
}

/// Find a node's Pacemaker and Corosync logs.
pub fn find_places(node: &dyn Node) -> LogPlaces {
    let exists = |p: &str| node.stat(Path::new(p)).ok().flatten().is_some();
    let read = |p: &str| {
        node.read_file(Path::new(p))
            .ok()
            .map(|b| String::from_utf8_lossy(&b).into_owned())
    };
    let mut files: Vec<(String, &'static str)> = Vec::new();
    let configured = ["/etc/sysconfig/pacemaker", "/etc/default/pacemaker"]
        .iter()
        .find_map(|f| read(f).and_then(|t| sysconfig_value(&t, "PCMK_logfile")));
    let mut syslog_used = false;
    match configured.as_deref() {
        Some(p) if p != "none" && p != "/dev/null" && exists(p) => {
            files.push((p.to_string(), "PCMK_logfile"))
        }
        _ if configured.as_deref() != Some("none") && exists(PACEMAKER_DETAIL_LOG) => {
            files.push((PACEMAKER_DETAIL_LOG.into(), m::PLACE_DETAIL.text()))
        }
        _ => {
            if let Some(s) = SYSLOG_FILES.iter().find(|f| exists(f)) {
                files.push((s.to_string(), "syslog"));
                syslog_used = true;
            }
        }
    }
    let coro = read("/etc/corosync/corosync.conf")
        .and_then(|t| corosync_logfile(&t))
        .filter(|p| exists(p))
        .map(|p| (p, m::PLACE_COROSYNC_CONF.text()))
        .or_else(|| {
            COROSYNC_LOGS
                .iter()
                .find(|f| exists(f))
                .map(|f| (f.to_string(), m::PLACE_COROSYNC.text()))
        });
    if let Some(c) = coro {
        if !files.iter().any(|(f, _)| *f == c.0) {
            files.push(c);
        }
    } else if !syslog_used {
        if let Some(s) = SYSLOG_FILES.iter().find(|f| exists(f)) {
            files.push((s.to_string(), m::PLACE_SYSLOG_COROSYNC.text()));
        }
    }
    let journal = files.is_empty();
    LogPlaces { files, journal }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::fake::FakeNode;

    #[test]
    fn the_detail_log_and_corosync_s_logfile_of_the_lab() {
        let n = FakeNode::peer("198.51.100.12")
            .file(
                "/etc/corosync/corosync.conf",
                "logging {\n logfile: /var/log/corosync/corosync.log\n}\n",
            )
            .file(PACEMAKER_DETAIL_LOG, "a\n")
            .file("/var/log/corosync/corosync.log", "b\n")
            .file("/var/log/messages", "c\n");
        let p = find_places(&n);
        assert_eq!(
            p.files,
            vec![
                (PACEMAKER_DETAIL_LOG.to_string(), "Pacemaker's detail log"),
                (
                    "/var/log/corosync/corosync.log".to_string(),
                    "corosync.conf logfile"
                ),
            ]
        );
        assert!(!p.journal);
        let t = read_tail(&n, Path::new(PACEMAKER_DETAIL_LOG), LOG_TAIL_BYTES).unwrap();
        assert_eq!(t.as_deref(), Some("a\n"));
        assert_eq!(
            read_tail(&n, Path::new("/var/log/ha-log"), LOG_TAIL_BYTES).unwrap(),
            None
        );
    }

    #[test]
    fn pcmk_logfile_none_means_syslog_and_nothing_means_the_journal() {
        let n = FakeNode::local()
            .file(
                "/etc/sysconfig/pacemaker",
                "PCMK_logfile=none\nPCMK_logfacility=local1\n",
            )
            .file(PACEMAKER_DETAIL_LOG, "stale\n")
            .file("/var/log/ha-log", "x\n");
        let p = find_places(&n);
        assert_eq!(p.files, vec![("/var/log/ha-log".to_string(), "syslog")]);
        let custom = FakeNode::local()
            .file("/etc/default/pacemaker", "PCMK_logfile=/var/log/pcmk.log\n")
            .file("/var/log/pcmk.log", "x\n");
        assert_eq!(
            find_places(&custom).files[0],
            ("/var/log/pcmk.log".to_string(), "PCMK_logfile")
        );
        let bare = FakeNode::local();
        assert!(find_places(&bare).journal);
        let big = FakeNode::local()
            .file("/var/log/x.log", vec![b'x'; 100])
            .answer("tail -c 10 /var/log/x.log", 0, "xxxxxxxxxx");
        assert_eq!(
            read_tail(&big, Path::new("/var/log/x.log"), 10)
                .unwrap()
                .as_deref(),
            Some("xxxxxxxxxx")
        );
    }

    #[test]
    fn the_configured_places() {
        let sys = "# comment\n# PCMK_logfile=/x\nexport PCMK_logfile=\"/var/log/ha-debug\"\n";
        assert_eq!(
            sysconfig_value(sys, "PCMK_logfile").as_deref(),
            Some("/var/log/ha-debug")
        );
        assert_eq!(
            sysconfig_value("PCMK_logfacility=local1", "PCMK_logfile"),
            None
        );
        let conf =
            "logging {\n    to_logfile: yes\n    logfile: /var/log/corosync/corosync.log\n}\n";
        assert_eq!(
            corosync_logfile(conf).as_deref(),
            Some("/var/log/corosync/corosync.log")
        );
    }
}

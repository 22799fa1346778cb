//! The texts `pgrex log` converts: saved files (`--input`), or a node's Pacemaker and
//! Corosync logs found and read through `snapshot::log_files` (the one log reader), on this
//! node and, through the same seam, on the peer. Says what it read where, so the operator
//! knows which log the view comes from.

use super::Text;
use crate::msg::log as m;
use crate::node::Node;
use crate::snapshot::log_files;
pub use crate::snapshot::log_files::LOG_TAIL_BYTES;
use crate::t;
use crate::{Error, Result};
use std::path::Path;

/// What was read on one node.
#[derive(Debug, Clone)]
pub struct NodeTexts {
    pub texts: Vec<Text>,
    /// `reading /var/log/pacemaker/pacemaker.log (PCMK_logfile) on pm01`, one per source.
    pub notes: Vec<String>,
}

/// Saved log files, each read whole. The node of a line is its own host field; `node` of a
/// text (for host-less lines) is the file's name.
pub fn read_inputs(paths: &[std::path::PathBuf]) -> Result<Vec<Text>> {
    paths
        .iter()
        .map(|p| {
            let bytes = crate::bounded::read(p, crate::bounded::LOG).map_err(|e| {
                Error::Input {
                    what: p.display().to_string(),
                    message: t!(m::INPUT_UNREADABLE, file = p.display()),
                    hint: Some(t!(m::INPUT_HINT)),
                    source: None,
                }
                .with_source(e)
            })?;
            Ok(Text {
                node: host_of_file(p),
                file: p.display().to_string(),
                text: String::from_utf8_lossy(&bytes).into_owned(),
            })
        })
        .collect()
}

/// `pm01.pacemaker.log` → `pm01`.
fn host_of_file(p: &Path) -> String {
    p.file_name()
        .map(|f| f.to_string_lossy())
        .and_then(|f| f.split('.').next().map(str::to_string))
        .unwrap_or_default()
}

/// How much of each log a `--follow` re-read takes (the first read takes [`LOG_TAIL_BYTES`]):
/// enough for the lines a failover summary is derived from, small enough to re-read every
/// two seconds over SSH.
pub const FOLLOW_TAIL_BYTES: u64 = 1 << 20;

/// One node's cluster logs (`name` is the node's name, for host-less lines and messages),
/// the last `max` bytes of each file ([`LOG_TAIL_BYTES`] for a view).
pub fn read_node(node: &dyn Node, name: &str, journalctl: &str, max: u64) -> Result<NodeTexts> {
    let places = log_files::find_places(node);
    let mut out = NodeTexts {
        texts: vec![],
        notes: vec![],
    };
    for (file, why) in &places.files {
        match log_files::read_tail(node, Path::new(file), max) {
            Ok(Some(text)) => {
                out.notes.push(t!(
                    m::READING,
                    what = format!("{file} ({why})"),
                    node = name
                ));
                out.texts.push(Text {
                    node: name.to_string(),
                    file: format!("{name}:{file}"),
                    text,
                });
            }
            Ok(None) => {}
            Err(e) => {
                return Err(Error::input(name, t!(m::INPUT_UNREADABLE, file = file)).with_source(e))
            }
        }
    }
    if out.texts.is_empty() {
        if let Some(text) =
            log_files::read_journal(node, journalctl, (max / 40).min(200_000) as u32)
        {
            out.notes.push(t!(
                m::READING,
                what = "the systemd journal (pacemaker, corosync)",
                node = name
            ));
            out.texts.push(Text {
                node: name.to_string(),
                file: format!("{name}:journalctl"),
                text,
            });
        }
    }
    if out.texts.is_empty() {
        let tried: Vec<&str> = [log_files::PACEMAKER_DETAIL_LOG]
            .into_iter()
            .chain(log_files::SYSLOG_FILES.iter().copied())
            .chain(log_files::COROSYNC_LOGS.iter().copied())
            .collect();
        return Err(Error::Input {
            what: name.to_string(),
            message: t!(m::NO_LOGS, node = name, tried = tried.join(", ")),
            hint: Some(t!(m::NO_LOGS_HINT)),
            source: None,
        });
    }
    Ok(out)
}

//! The other node's own view, read through the [`Node`] seam (one SSH session): its crm_mon
//! (when its Pacemaker runs), `corosync-cfgtool -s`, `PGSQL.lock`, and the relevant lines of
//! its Pacemaker/system logs. This is the manual's "read the failed node's log once it is up
//! again" (§6.3 step 5), done for the operator when the node is reachable.

use super::*;
use crate::exec::Cmd;
use crate::node::{Node, RunAs};
use std::path::Path;
use std::time::Duration;

const PEER_TIMEOUT: Duration = Duration::from_secs(30);

/// What `node` shows. Its cluster name is `name` when this node's view told it, else the
/// node of its own crm_mon view that is not `local`, else its address. `tmpdir` is the
/// pgsql agent's lock directory. Every part that fails is unknown with the reason.
pub fn view(
    node: &dyn Node,
    name: Option<&str>,
    local: Option<&str>,
    tmpdir: &str,
) -> (PeerView, Source<LockFact>) {
    let run = |cmd: Cmd| -> Result<String, String> {
        let cmd = cmd.timeout(PEER_TIMEOUT);
        match node.output(&cmd, &RunAs::Root) {
            Ok(o) if o.status.success() => Ok(o.stdout),
            Ok(o) => Err(format!(
                "{} on {}: {}",
                cmd_name(&cmd),
                node.describe(),
                crate::exec::tail(if o.stderr.trim().is_empty() {
                    &o.stdout
                } else {
                    &o.stderr
                })
            )),
            Err(e) => Err(crate::error::chain_text(&e)),
        }
    };
    let cluster = match run(crate::pacemaker::source::crm_mon_command("crm_mon")) {
        Ok(xml) => {
            let what = format!("crm_mon on {}", node.describe());
            match crate::pacemaker::parse::crm_mon(&xml, &what) {
                Ok(s) => Source::Known(s),
                Err(e) => Source::unknown(crate::error::chain_text(&e)),
            }
        }
        Err(why) => Source::unknown(why),
    };
    let name = name
        .map(str::to_string)
        .or_else(|| {
            let st = cluster.known()?;
            let others: Vec<&str> = st
                .nodes
                .iter()
                .map(|n| n.name.as_str())
                .filter(|n| Some(*n) != local)
                .collect();
            (others.len() == 1).then(|| others[0].to_string())
        })
        .unwrap_or_else(|| node.describe());
    let name = name.as_str();
    let corosync = match run(Cmd::new("corosync-cfgtool").arg("-s")) {
        Ok(out) => match corosync::parse(&out, &format!("corosync-cfgtool -s on {name}")) {
            Ok(c) => Source::Known(c),
            Err(e) => Source::unknown(crate::error::chain_text(&e)),
        },
        Err(why) => Source::unknown(why),
    };
    let mut lines = Vec::new();
    let mut read = 0;
    for f in collect::DEFAULT_LOGS {
        let path = Path::new(f);
        if let Ok(Some(text)) = super::log_files::read_tail(node, path, collect::LOG_TAIL_BYTES) {
            read += 1;
            lines.extend(logs::scan(&text, &format!("{name}:{f}"), Some(name)));
        }
    }
    let logs = if read > 0 {
        Source::Known(lines)
    } else {
        Source::unknown(crate::t!(
            crate::msg::diag::WHY_NO_PEER_LOGS,
            node = name,
            tried = collect::DEFAULT_LOGS.join(", ")
        ))
    };
    let lock_path = Path::new(tmpdir).join("PGSQL.lock");
    let lock = match node.stat(&lock_path) {
        Ok(st) => Source::Known(LockFact {
            path: lock_path.display().to_string(),
            present: st.is_some(),
        }),
        Err(e) => Source::unknown(crate::error::chain_text(&e)),
    };
    let view = PeerView {
        node: name.to_string(),
        cluster,
        corosync,
        logs,
    };
    (view, lock)
}

fn cmd_name(c: &Cmd) -> String {
    c.program().to_string_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::LocalNode;

    /// The local node stands in for the peer: whatever this machine has, the view is
    /// well-formed and every part is known or says why.
    #[test]
    fn a_view_through_the_node_seam() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("PGSQL.lock"), "").unwrap();
        let (v, lock) = view(
            &LocalNode::new(),
            Some("pm02"),
            None,
            dir.path().to_str().unwrap(),
        );
        assert_eq!(v.node, "pm02");
        assert!(lock.known().unwrap().present);
        for (part, why) in [("cluster", v.cluster.why()), ("corosync", v.corosync.why())] {
            if let Some(w) = why {
                assert!(!w.is_empty(), "{part}: empty reason");
            }
        }
        let (_, lock) = view(&LocalNode::new(), Some("pm02"), None, "/nonexistent/dir");
        assert!(!lock.known().unwrap().present);
    }
}

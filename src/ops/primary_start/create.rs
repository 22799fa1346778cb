//! Creating the HA cluster for `primary-start XMLFILE` on a node without one (spec §3.1
//! steps 13–14, CONTRACTS "Starting and stopping a node's stack"). `pcs cluster setup …
//! --corosync_conf PATH` writes the corosync configuration here without pcsd (pcs 0.11:
//! no `pcs host auth`, no daemon on either node); `corosync-keygen` makes the authkey;
//! both go to the peer over the SSH session first and to this node last — this node's
//! `corosync.conf` is what says "a cluster exists here", so a run stopped part-way is run
//! again from the start. Both nodes' saved CIBs are removed (what `pcs cluster destroy`
//! does): an old CIB with a higher epoch on the peer would otherwise replace XMLFILE's
//! configuration when the peer joins. The stack is then started with `systemctl` and
//! XMLFILE loaded with `cibadmin` by the caller's later steps.
//!
//! Where this node has a `corosync.conf` already, the spec's "HA cluster already exists.
//! Recreate?" (§3.1 step 13) is asked and the cluster is destroyed first ([`destroy`]: what
//! `pcs cluster destroy --all` removes of it, here first — so a run stopped part-way finds
//! "no cluster here" and creates it — then on the peer), then created as above.

use crate::config::IcPair;
use crate::exec::Cmd;
use crate::msg::primary as m;
use crate::node::{FileMode, Node, RunAs};
use crate::ops::{cluster, OpContext, StepCx};
use crate::report::Level;
use crate::{t, Error, Result};
use std::path::Path;

pub const COROSYNC_CONF: &str = crate::snapshot::corosync::COROSYNC_CONF;
pub const AUTHKEY: &str = "/etc/corosync/authkey";
/// Where Pacemaker saves its CIB (`cib.xml`, its signature, the numbered backups).
pub const CIB_DIR: &str = "/var/lib/pacemaker/cib";
/// pcs and corosync-keygen write here first; the files are read and removed at once.
pub const NEW_CONF: &str = "/etc/corosync/corosync.conf.pgrex-new";
pub const NEW_KEY: &str = "/etc/corosync/authkey.pgrex-new";

/// Who is in the new cluster.
#[derive(Debug, Clone)]
pub struct Members<'a> {
    /// `HACLUSTER_NAME`.
    pub name: &'a str,
    pub me: &'a str,
    pub peer: &'a str,
    /// `IC_LAN_IPAddress`: one pair per ring.
    pub ic: &'a [IcPair],
}

/// `pcs cluster setup NAME ME addr=IC1 [addr=IC2] PEER addr=… --corosync_conf PATH`.
pub fn setup_cmd(pcs: Cmd, m: &Members, path: &str) -> Cmd {
    let mut c = pcs.args(["cluster", "setup", m.name, m.me]);
    for p in m.ic {
        c = c.arg(format!("addr={}", p.mine));
    }
    c = c.arg(m.peer);
    for p in m.ic {
        c = c.arg(format!("addr={}", p.peer));
    }
    c.args(["--corosync_conf", path, "--overwrite"])
}

/// Before any change: pcs is installed, the peer is named and its stack is stopped, and the
/// operator agrees (to a recreation when this node or the peer still has a cluster
/// configuration; `exists_here`: this node has one, which is destroyed first).
pub fn confirm(
    ctx: &OpContext,
    peer: &dyn Node,
    m: &Members,
    file: &Path,
    exists_here: bool,
) -> Result<()> {
    if !ctx.tools.available("pcs") {
        return Err(match exists_here {
            true => Error::refused(
                t!(m::RECREATE_NEEDS_PCS, me = m.me, file = file.display()),
                Some(t!(m::RECREATE_NEEDS_PCS_HINT)),
            ),
            false => Error::refused(
                t!(m::NO_CLUSTER, path = COROSYNC_CONF),
                Some(t!(m::NO_CLUSTER_HINT_NO_PCS)),
            ),
        });
    }
    if m.peer.is_empty() {
        return Err(Error::refused(
            t!(m::CREATE_NO_PEER_NAME),
            Some(t!(m::CREATE_NO_PEER_NAME_HINT)),
        ));
    }
    if cluster::stack_running(peer, &ctx.tools)? {
        return Err(Error::refused(
            t!(m::CREATE_PEER_RUNNING, peer = m.peer),
            Some(t!(m::CREATE_PEER_RUNNING_HINT, peer = m.peer)),
        ));
    }
    let rings: Vec<String> =
        m.ic.iter()
            .map(|p| format!("{} / {}", p.mine, p.peer))
            .collect();
    if exists_here {
        ctx.reporter.message(
            Level::Warn,
            &t!(
                m::CREATE_EXISTS_HERE,
                me = m.me,
                path = COROSYNC_CONF,
                peer = m.peer,
                rings = rings.join(", "),
                file = file.display()
            ),
        );
        return ctx.confirm(&t!(m::RECREATE_CONFIRM));
    }
    ctx.reporter.message(
        Level::Warn,
        &t!(
            m::CREATE_PLAN,
            me = m.me,
            name = m.name,
            peer = m.peer,
            rings = rings.join(", "),
            file = file.display()
        ),
    );
    if peer.stat(Path::new(COROSYNC_CONF))?.is_some() {
        ctx.reporter.message(
            Level::Warn,
            &t!(
                m::CREATE_EXISTS_ON_PEER,
                peer = m.peer,
                path = COROSYNC_CONF
            ),
        );
        return ctx.confirm(&t!(m::RECREATE_CONFIRM));
    }
    ctx.confirm(&t!(m::CREATE_CONFIRM))
}

/// The change: write the configuration and the key on the peer, then here; clear the saved
/// CIBs.
pub fn create(cx: &StepCx, local: &dyn Node, peer: &dyn Node, m: &Members) -> Result<()> {
    let ctx = cx.ctx;
    let conf = scratch(
        local,
        &setup_cmd(ctx.tools.cmd("pcs"), m, NEW_CONF),
        NEW_CONF,
    )?;
    let key = scratch(
        local,
        &Cmd::new("corosync-keygen").args(["-k", NEW_KEY]),
        NEW_KEY,
    )?;
    let root = |mode| FileMode {
        mode,
        owner: Some((0, 0)),
    };
    for node in [peer, local] {
        node.write_file(Path::new(AUTHKEY), &key, root(0o400))?;
        node.write_file(Path::new(COROSYNC_CONF), &conf, root(0o644))?;
        let removed = clear_cib(node)?;
        cx.rep().detail(
            cx.step,
            &t!(
                m::CREATE_WROTE,
                node = node.describe(),
                conf = COROSYNC_CONF,
                key = AUTHKEY,
                removed = removed
            ),
        );
    }
    Ok(())
}

/// The destruction of the old cluster: its corosync.conf, authkey and saved CIB, here
/// first, then on the peer (both stacks are stopped: checked before).
pub fn destroy(cx: &StepCx, local: &dyn Node, peer: &dyn Node) -> Result<()> {
    for node in [local, peer] {
        let mut removed = 0;
        for f in [COROSYNC_CONF, AUTHKEY] {
            if node.remove_file(Path::new(f))? {
                removed += 1;
            }
        }
        removed += clear_cib(node)?;
        cx.rep().detail(
            cx.step,
            &t!(m::DESTROYED, node = node.describe(), removed = removed),
        );
    }
    Ok(())
}

/// Run `cmd`, which writes `path` here; the file's content, the file removed.
fn scratch(local: &dyn Node, cmd: &Cmd, path: &str) -> Result<Vec<u8>> {
    let p = Path::new(path);
    let r = local
        .run(
            &cmd.clone().timeout(std::time::Duration::from_secs(60)),
            &RunAs::Root,
        )
        .map_err(Error::from)
        .and_then(|_| Ok(local.read_file(p)?));
    let _ = local.remove_file(p);
    r
}

/// Remove the saved CIB files (`cib*` in [`CIB_DIR`]); how many went.
fn clear_cib(node: &dyn Node) -> Result<usize> {
    let dir = Path::new(CIB_DIR);
    if node.stat(dir)?.is_none() {
        return Ok(0);
    }
    let mut n = 0;
    for e in node.list_dir(dir)? {
        if e.name.starts_with("cib") && node.remove_file(&dir.join(&e.name))? {
            n += 1;
        }
    }
    Ok(n)
}

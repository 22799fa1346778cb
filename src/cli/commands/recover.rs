//! `pgrex recover [FAULT] [--node NODE] [--switchback] [--allow-base-backup]
//! [--confirm-fenced NODE] [--yes] [--dry-run]`: settings → `ops::recover::recover` →
//! result (the playbooks run, the verdict and the primary in the JSON result). The same
//! settings serve `pgrex resume` / `pgrex abort` of a recover ([`run_with`]).

use crate::cli::args::{GlobalArgs, RecoverArgs};
use crate::cli::ops::{self, peer_session};
use crate::cli::printer::Printer;
use crate::cli::{env, settings};
use pgrex::node::Node;
use pgrex::ops::recover::resume::{self, Mode, Recorded};
use pgrex::ops::recover::{self, Judged, Lifecycle, RecoverOptions, RecoverResult};
use pgrex::snapshot::collect::{self, Sources};
use pgrex::ExitCode;
use std::path::PathBuf;

pub fn run(g: &GlobalArgs, a: &RecoverArgs, p: &Printer) -> anyhow::Result<ExitCode> {
    let env = ops::setup(g, &a.op, p, "recover")?;
    let rec = Recorded {
        switchback: a.switchback,
        allow_base_backup: a.allow_base_backup,
        original_primary: None,
    };
    run_with(g, a, &env, p, rec, None)
}

/// A fresh recover (`mode` `None`), or the continuation of a stopped one.
pub fn run_with(
    g: &GlobalArgs,
    a: &RecoverArgs,
    env: &ops::OpEnv,
    p: &Printer,
    rec: Recorded,
    mode: Option<Mode>,
) -> anyhow::Result<ExitCode> {
    let names = env.names(g);
    let connect = || -> pgrex::Result<Box<dyn Node>> { Ok(Box::new(env.connect_peer()?)) };
    let full = settings::collect(Sources::DIAGNOSE, &[])?;
    // After the first judgement: the peer's view only when this node's is missing (its
    // Pacemaker stopped); every other source as diagnose reads it.
    let here = settings::collect(
        Sources {
            peer: false,
            ..Sources::DIAGNOSE
        },
        &[],
    )?;
    let first = std::cell::Cell::new(true);
    let lean = settings::collect(Sources::STATUS, &[])?;
    let snap_names = |ids: &[&str]| settings::names(g, Some(&env.cfg), ids.iter().copied());
    let judge = || -> pgrex::Result<Judged> {
        let peer = || peer_session(Some(&env.cfg), p);
        let mut snap = if first.replace(false) {
            collect::observe(None, &full, &snap_names, peer, "recover")?
        } else {
            let s = collect::observe(None, &here, &snap_names, || Err(String::new()), "recover")?;
            if s.cluster.known().is_some() {
                s
            } else {
                collect::observe(None, &full, &snap_names, peer, "recover")?
            }
        };
        let n = snap_names(&snap.resource_ids());
        recover::newest::read_if_down_on_both(
            &mut snap,
            &n,
            &pgrex::node::LocalNode,
            &connect,
            env.cfg.pgpath.as_deref(),
        );
        Ok(Judged {
            diagnosis: pgrex::judge::diagnosis(&snap, &n),
            state: snap.view().cloned(),
            names: n,
        })
    };
    let status_snapshot =
        || collect::observe(None, &lean, &snap_names, || Err(String::new()), "recover");
    let cfg = &env.cfg;
    let o = RecoverOptions {
        fault: a.fault,
        node: a.node.clone(),
        switchback: rec.switchback,
        allow_base_backup: rec.allow_base_backup,
        confirm_fenced: a.confirm_fenced.clone(),
        original_primary: rec.original_primary,
        life: Lifecycle {
            timeouts: cfg.timeouts,
            pgpath: cfg.pgpath.clone(),
            archive_dir: cfg.archive_dir.clone(),
            standby_vip: cfg.ipaddr_standby,
            mine: cfg.d_lan.mine,
            peer: cfg.d_lan.peer,
            ic: cfg.ic_lan.clone(),
            lock_path: env::var("PGREX_LOCK_FILE")
                .map(PathBuf::from)
                .unwrap_or_else(|| pgrex::ops::lock::DEFAULT_PATH.into()),
            max_lag: cfg.switchover_max_lag,
            rewind_via: cfg.rewind_via,
            cluster_name: cfg.hacluster_name.clone(),
            names: &names,
            connect: &connect,
        },
        judge: &judge,
        status_snapshot: &status_snapshot,
    };
    let ctx = env.ctx();
    let mut out = RecoverResult::default();
    let r = match mode {
        None => recover::recover(&ctx, &o, &mut out),
        Some(m) => resume::continue_recover(&ctx, &o, m, &mut out),
    };
    env.finish(r, serde_json::to_value(&out)?)
}

//! `pgrex archive-delete {-m|-r} [-f] [-D DIR] [--both] [--dry-run] [[HOST:]BACKUP_PATH]`:
//! settings → `ops::archive_delete::archive_delete` → result (the boundary, where it came
//! from, and each directory's list in the JSON result).

use crate::cli::args::{ArchiveDeleteArgs, GlobalArgs, OpArgs};
use crate::cli::printer::Printer;
use crate::cli::{env, ops};
use pgrex::node::{Node, RunAs};
use pgrex::ops::archive_delete::{self, ArchiveDeleteOptions, BackupPath, Mode, Report};
use pgrex::ExitCode;

pub fn run(g: &GlobalArgs, a: &ArchiveDeleteArgs, p: &Printer) -> anyhow::Result<ExitCode> {
    // Bad input is refused before anything is locked or read.
    let backup = a.backup.as_deref().map(BackupPath::parse).transpose()?;
    let op = OpArgs {
        yes: a.yes || a.force,
        dry_run: a.dry_run,
    };
    let env = ops::setup(g, &op, p, "archive-delete")?;
    let names = env.names(g);
    let connect = || -> pgrex::Result<Box<dyn Node>> { Ok(Box::new(env.connect_peer()?)) };
    let connect_backup =
        |host: &str| -> pgrex::Result<Box<dyn Node>> { Ok(Box::new(env.connect_backup(host)?)) };
    let o = ArchiveDeleteOptions {
        mode: if a.move_files {
            Mode::Move
        } else {
            Mode::Remove
        },
        archive_dir: env.cfg.archive_dir.clone(),
        pgdata: a.dbcluster.clone(),
        pgdata_env: env::var("PGDATA").map(Into::into),
        pgpath: env.cfg.pgpath.clone(),
        backup,
        both: a.both,
        force: a.force,
        owner: RunAs::postgres(),
        stamp: jiff::Timestamp::now()
            .to_zoned_datetime(jiff::tz::TimeZone::system())
            .strftime("%Y%m%d_%H%M%S")
            .to_string(),
        names: &names,
        connect: &connect,
        connect_backup: &connect_backup,
    };
    let ctx = env.ctx();
    let mut report = Report::default();
    let r = archive_delete::archive_delete(&ctx, &o, &mut report);
    env.finish(r, serde_json::to_value(&report)?)
}

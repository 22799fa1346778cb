//! `pgrex archive-delete {-m|-r} [-f] [-D DIR] [--both] [--dry-run] [[HOST:]BACKUP_PATH]`:
//! settings → `ops::archive_delete::archive_delete` → result (the boundary, where it came
//! from, and each directory's list in the JSON result). Under the Perl name
//! `pg-rex_archivefile_delete`, [`run_perl`]: its first banner, its questions, the same run
//! in the Perl layout.

use crate::cli::args::{ArchiveDeleteArgs, GlobalArgs, OpArgs};
use crate::cli::perl::archive::{complete, Ask, Chevron};
use crate::cli::perl::tools::{ArchiveDeleteLine, ArchiveMode};
use crate::cli::printer::Printer;
use crate::cli::reporter::CliReporter;
use crate::cli::{env, ops};
use pgrex::msg::perl as pm;
use pgrex::node::{Node, RunAs};
use pgrex::ops::archive_delete::{self, ArchiveDeleteOptions, BackupPath, Mode, Report};
use pgrex::report::{Answer, Reporter};
use pgrex::t;
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

/// The terminal, through dialoguer on stderr.
struct Terminal(CliReporter);

impl Ask for Terminal {
    fn can_ask(&self) -> bool {
        self.0.interactive()
    }

    fn line(&self, question: &str) -> Option<String> {
        dialoguer::Input::<String>::with_theme(&Chevron)
            .with_prompt(question)
            .allow_empty(true)
            .interact_text_on(&dialoguer::console::Term::stderr())
            .ok()
    }

    fn yes(&self, question: &str) -> bool {
        self.0.confirm(question) == Answer::Yes
    }
}

/// Run `pg-rex_archivefile_delete`'s command line: the Perl tool's first banner and mode
/// line, its questions when neither a backup nor `-f` is given (`perl::archive::complete`),
/// then [`run`] with the steps in the Perl layout.
pub fn run_perl(line: &ArchiveDeleteLine, g: &GlobalArgs, p: &Printer) -> anyhow::Result<ExitCode> {
    let mut p = p.clone();
    p.layout = Some(pgrex::perl::Tool::ArchivefileDelete);
    if !p.json() {
        let mode = match line.mode {
            ArchiveMode::Move => pm::AD_MOVE_MODE,
            ArchiveMode::Remove => pm::AD_REMOVE_MODE,
        };
        p.out(&format!("{}\n{}\n", t!(pm::AD_B_READY), t!(mode)));
    }
    let line = complete(line, &Terminal(CliReporter::new(&p, false)))?;
    let args = crate::cli::perl::archive_delete_args(&line);
    run(g, &args, &p)
}

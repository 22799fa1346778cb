//! The binary under a Perl tool's name (`pg-rex_stop`, … — `pgrex::perl::TOOL_NAMES`, a
//! symlink or hard link to the one binary): the Perl tool's command line is parsed exactly
//! as the tool did ([`getopt`], one table per tool in [`tools`]) and turned into the pgrex
//! command line of the same operation, which then runs as usual with its steps in the Perl
//! layout ([`layout`]) and its errors, where the Perl tool had them, in the Perl tool's words
//! ([`errors`]). Help and `--version` print as the Perl tools print them (on stdout,
//! exit 0); a command line the tool would not take is exit 2 with what is wrong (the Perl
//! tools printed their usage and exited 0: spec Q1). Exit codes stay pgrex's.

pub mod archive;
pub mod errors;
pub mod getopt;
pub mod layout;
pub mod tools;

use super::args::{Cli, GlobalArgs};
use super::printer::{Printer, Stream, Style};
use clap::Parser;
use pgrex::msg::{gen, perl as m};
use pgrex::{t, ExitCode};
use std::ffi::OsString;
use tools::{ArchiveDeleteLine, LineError, Lines, Meaning, Tool};

/// What `main` does for a command line.
pub enum Entry {
    /// `argv[0]` is not a Perl tool's name: pgrex's own command line.
    NotPerl,
    /// Done already (help, version, a usage error): exit with this code.
    Exit(u8),
    /// Run pgrex's command line `cli`, rendering in `tool`'s layout.
    Run { cli: Box<Cli>, tool: Tool },
    /// `pg-rex_archivefile_delete`'s command line, with pgrex's global settings (from the
    /// environment: `PGREX_CONFIG`, …).
    ArchiveDelete(ArchiveDeleteLine, Box<GlobalArgs>),
}

/// pgrex's global settings alone (their environment twins), for a Perl command line that
/// has no pgrex subcommand.
#[derive(Parser)]
#[command(name = "pgrex")]
struct GlobalOnly {
    #[command(flatten)]
    global: GlobalArgs,
}

/// Decide from the whole `argv` (program name first).
pub fn entry(argv: &[OsString]) -> Entry {
    let Some(argv0) = argv.first() else {
        return Entry::NotPerl;
    };
    let Some(tool) = Tool::from_argv0(argv0) else {
        return Entry::NotPerl;
    };
    let prog = std::path::Path::new(argv0)
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    let args: Vec<String> = argv[1..]
        .iter()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    let plain = Printer::plain();
    match tools::meaning(tool, &args) {
        Ok(Meaning::Help) => {
            plain.out(&format!(
                "{}\n\n{}\n",
                version_line(&prog),
                tool.usage(&prog)
            ));
            Entry::Exit(ExitCode::Ok.code())
        }
        Ok(Meaning::Version) => {
            plain.out(&format!("{}\n", version_line(&prog)));
            Entry::Exit(ExitCode::Ok.code())
        }
        Ok(Meaning::ArchiveDelete(line)) => match GlobalOnly::try_parse_from(["pgrex"]) {
            Ok(g) => Entry::ArchiveDelete(line, Box::new(g.global)),
            Err(e) => {
                let _ = e.print();
                Entry::Exit(ExitCode::Usage.code())
            }
        },
        Ok(Meaning::Run(pgrex_args)) => {
            let full = std::iter::once("pgrex".to_string()).chain(pgrex_args);
            match Cli::try_parse_from(full) {
                Ok(cli) => Entry::Run {
                    cli: Box::new(cli),
                    tool,
                },
                Err(e) => {
                    let _ = e.print();
                    Entry::Exit(ExitCode::Usage.code())
                }
            }
        }
        Err(e) => {
            usage_error(&plain, &prog, tool, &e);
            Entry::Exit(ExitCode::Usage.code())
        }
    }
}

/// `pg-rex_stop (pgrex 0.1.0; the command line of pg-rex_operation_tools 17.0)`.
pub fn version_line(prog: &str) -> String {
    t!(
        m::VERSION_LINE,
        prog = prog,
        version = env!("CARGO_PKG_VERSION"),
        perl = pgrex::perl::PERL_TOOLS_VERSION
    )
}

fn usage_error(p: &Printer, prog: &str, tool: Tool, e: &LineError) {
    let hint = t!(m::USAGE_ERROR_HINT, prog = prog, command = tool.command());
    p.err(&format!(
        "{}: {prog}: {e}\n{}: {hint}\n",
        p.paint(Stream::Err, Style::Bad, gen::ERROR.text()),
        p.paint(Stream::Err, Style::Hint, gen::HINT.text()),
    ));
}

/// The one place `pg-rex_archivefile_delete` reaches `pgrex archive-delete`: the Perl
/// command line as that command's arguments (`-d`/`-D`/`--dbcluster` → `-D`, `-f` → `-f`,
/// `[Hostname:]BasebackupPath` as it was given or entered — then no confirmation, as with
/// the Perl tool); `commands::archive_delete::run_perl` runs the same operation with them.
pub fn archive_delete_args(line: &ArchiveDeleteLine) -> crate::cli::args::ArchiveDeleteArgs {
    tracing::debug!(?line, "pg-rex_archivefile_delete command line");
    crate::cli::args::ArchiveDeleteArgs {
        move_files: line.mode == tools::ArchiveMode::Move,
        remove: line.mode == tools::ArchiveMode::Remove,
        force: line.force || line.confirmed,
        dbcluster: line.dbcluster.as_ref().map(Into::into),
        both: false,
        yes: false,
        dry_run: false,
        backup: line.backup.as_ref().map(|(host, path)| match host {
            Some(h) => format!("{h}:{path}"),
            None => path.clone(),
        }),
    }
}

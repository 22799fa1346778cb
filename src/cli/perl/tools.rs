//! One option table per Perl tool (spec §3.1–§3.5, the tools' own `GetOptions` lists) and
//! what a parsed command line means: help, the version line, a pgrex command line to run the
//! same operation with, or — for `pg-rex_archivefile_delete` — its [`ArchiveDeleteLine`].
//! Where a Perl letter differs from pgrex's, the Perl meaning wins (`-d` of
//! `pg-rex_archivefile_delete` is `--dbcluster`; `-v` is `--version`, not verbose).

use super::getopt::{self, GetoptError, Opt, Parsed, Table};
use pgrex::msg::perl as m;
pub use pgrex::perl::Tool;
use pgrex::t;

/// The Perl tools' command lines, one table each.
pub trait Lines {
    fn table(self) -> Table;
    fn usage(self, prog: &str) -> String;
}

impl Lines for Tool {
    fn table(self) -> Table {
        match self {
            Tool::PrimaryStart => Table {
                options: COMMON,
                ignore_case: true,
                operands: 1,
            },
            Tool::StandbyStart => Table {
                options: STANDBY,
                ignore_case: true,
                operands: 0,
            },
            Tool::Stop => Table {
                options: STOP,
                ignore_case: true,
                operands: 0,
            },
            // The one tool that sets Getopt::Long's `no_ignore_case`.
            Tool::Switchover => Table {
                options: COMMON,
                ignore_case: false,
                operands: 0,
            },
            Tool::ArchivefileDelete => Table {
                options: ARCHIVE,
                ignore_case: true,
                operands: 1,
            },
        }
    }

    /// The usage text of `--help` (after the version line and a blank line).
    fn usage(self, prog: &str) -> String {
        let msg = match self {
            Tool::PrimaryStart => m::USAGE_PRIMARY_START,
            Tool::StandbyStart => m::USAGE_STANDBY_START,
            Tool::Stop => m::USAGE_STOP,
            Tool::Switchover => m::USAGE_SWITCHOVER,
            Tool::ArchivefileDelete => m::USAGE_ARCHIVE_DELETE,
        };
        t!(msg, prog = prog)
    }
}

const fn flag(name: &'static str) -> Opt {
    Opt { name, value: false }
}

const COMMON: &[Opt] = &[
    flag("help"),
    flag("additional_information"),
    flag("version"),
];

const STOP: &[Opt] = &[
    flag("help"),
    flag("additional_information"),
    flag("version"),
    flag("fast"),
];

const STANDBY: &[Opt] = &[
    flag("help"),
    flag("normal"),
    flag("rewind"),
    flag("basebackup"),
    flag("check-only"),
    flag("dry-run"),
    flag("shared-archive-directory"),
    flag("additional_information"),
    flag("version"),
];

const ARCHIVE: &[Opt] = &[
    flag("help"),
    flag("force"),
    flag("move"),
    flag("remove"),
    Opt {
        name: "dbcluster",
        value: true,
    },
    flag("additional_information"),
    flag("version"),
];

/// `pg-rex_archivefile_delete`'s command line, parsed (spec §3.5): what `pgrex
/// archive-delete` takes, in the Perl tool's terms.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ArchiveDeleteLine {
    pub mode: ArchiveMode,
    /// `-f`: ask nothing.
    pub force: bool,
    /// `-D`/`-d`/`--dbcluster`: the database cluster of both nodes' pg_controldata.
    pub dbcluster: Option<String>,
    /// `[Hostname:]BasebackupPath`: the host (`None`: localhost) and the backup's path,
    /// trailing slashes removed.
    pub backup: Option<(Option<String>, String)>,
    /// `-a`: debug output.
    pub debug: bool,
    /// The operator named the backup (on the command line, or entered and confirmed):
    /// as with the Perl tool, the deletion is not asked again.
    pub confirmed: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ArchiveMode {
    Move,
    Remove,
}

/// What a Perl command line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Meaning {
    Help,
    Version,
    /// Run pgrex with these arguments (after the program name).
    Run(Vec<String>),
    ArchiveDelete(ArchiveDeleteLine),
}

/// Why a Perl command line cannot run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LineError {
    #[error(transparent)]
    Getopt(#[from] GetoptError),
    #[error("{0}")]
    Invalid(String),
}

/// Parse `args` (without the program name) as `tool`'s command line.
pub fn meaning(tool: Tool, args: &[String]) -> Result<Meaning, LineError> {
    let p = getopt::parse(&tool.table(), args)?;
    if p.help_forced || p.has("help") {
        return Ok(Meaning::Help);
    }
    if tool == Tool::ArchivefileDelete {
        return archive_delete(&p);
    }
    if p.has("version") {
        return Ok(Meaning::Version);
    }
    let mut argv: Vec<String> = Vec::new();
    if p.has("additional_information") {
        argv.push("-v".into());
    }
    argv.push(tool.command().into());
    let pass = |name: &str, to: &str, argv: &mut Vec<String>| {
        if p.has(name) {
            argv.push(to.into());
        }
    };
    match tool {
        Tool::Stop => pass("fast", "--fast", &mut argv),
        Tool::StandbyStart => {
            for (name, to) in [
                ("normal", "--normal"),
                ("rewind", "--rewind"),
                ("basebackup", "--basebackup"),
                ("check-only", "--check-only"),
                ("dry-run", "--dry-run"),
                ("shared-archive-directory", "--shared-archive-directory"),
            ] {
                pass(name, to, &mut argv);
            }
        }
        Tool::PrimaryStart => {
            if let Some(xml) = p.operands.first() {
                argv.push("--".into());
                argv.push(xml.clone());
            }
        }
        Tool::Switchover | Tool::ArchivefileDelete => {}
    }
    Ok(Meaning::Run(argv))
}

fn archive_delete(p: &Parsed) -> Result<Meaning, LineError> {
    let mode = match (p.has("move"), p.has("remove")) {
        (true, true) => return Err(LineError::Invalid(t!(m::ARCHIVE_BOTH_MODES))),
        (true, false) => ArchiveMode::Move,
        (false, true) => ArchiveMode::Remove,
        // The Perl tool shows its version for -v alone, and its usage without a mode.
        (false, false) if p.has("version") => return Ok(Meaning::Version),
        (false, false) => return Err(LineError::Invalid(t!(m::ARCHIVE_NO_MODE))),
    };
    if p.has("version") {
        return Ok(Meaning::Version);
    }
    let backup = p.operands.first().map(|a| backup_location(a)).transpose()?;
    Ok(Meaning::ArchiveDelete(ArchiveDeleteLine {
        mode,
        force: p.has("force"),
        dbcluster: p.value("dbcluster").map(str::to_string),
        backup,
        debug: p.has("additional_information"),
        confirmed: false,
    }))
}

/// `[Hostname:]/path` as the Perl tool accepts it (`^(([^:@;|&]+):)?(/.+)$`).
fn backup_location(arg: &str) -> Result<(Option<String>, String), LineError> {
    let bad = || LineError::Invalid(t!(m::ARCHIVE_BAD_BACKUP, arg = arg));
    let (host, path) = match arg.find(':') {
        Some(i) if !arg.starts_with('/') => (Some(&arg[..i]), &arg[i + 1..]),
        _ => (None, arg),
    };
    if let Some(h) = host {
        if h.is_empty() || h.contains(['@', ';', '|', '&']) {
            return Err(bad());
        }
    }
    if !path.starts_with('/') || path.len() < 2 {
        return Err(bad());
    }
    let trimmed = path.trim_end_matches('/');
    let path = if trimmed.is_empty() { "/" } else { trimmed };
    Ok((host.map(str::to_string), path.to_string()))
}

#[cfg(test)]
#[path = "tools_tests.rs"]
mod tests;

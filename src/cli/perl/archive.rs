//! `pg-rex_archivefile_delete` around `pgrex archive-delete`: what the Perl tool did before
//! its operation began (spec §3.5 steps 2–3) — its first banner and the mode line, then,
//! when the command line names no base backup and `-f` is not given, its two questions
//! (the backup's host, its path) and the confirmation of what was entered — and the
//! operation itself, run by `commands::archive_delete` with the steps in the Perl layout
//! ([`super::layout`]).
//!
//! The questions go through dialoguer on stderr like pgrex's other prompts; without a
//! terminal (or in JSON mode) nothing is asked: the run is refused (exit 3, nothing read or
//! changed), naming the two ways to give the answer on the command line. The answers are
//! checked as the Perl tool checked them (a bad one is exit 2); an entered backup answered
//! anything but yes is exit 4 (the Perl tool's "Exit." with exit 0 is a defect,
//! CONTRACTS.md). A named backup, entered or on the command line, is the operator's
//! confirmation, as it was for the Perl tool: the deletion is not asked again.

use super::tools::{ArchiveDeleteLine, ArchiveMode};
use crate::cli::args::GlobalArgs;
use crate::cli::printer::Printer;
use crate::cli::reporter::CliReporter;
use pgrex::msg::perl as m;
use pgrex::perl::Tool;
use pgrex::report::{Answer, Reporter};
use pgrex::{t, Error, ExitCode};

/// Where the answers come from (a terminal, or a test's script).
pub trait Ask {
    /// Whether questions can be asked at all.
    fn can_ask(&self) -> bool;
    /// One line of input after `question` (`None`: the input ended).
    fn line(&self, question: &str) -> Option<String>;
    /// A y/N confirmation.
    fn yes(&self, question: &str) -> bool;
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

/// The Perl tool's input prompt: its question, then `> ` on the next line.
struct Chevron;

impl dialoguer::theme::Theme for Chevron {
    fn format_input_prompt(
        &self,
        f: &mut dyn std::fmt::Write,
        prompt: &str,
        _default: Option<&str>,
    ) -> std::fmt::Result {
        write!(f, "{prompt}\n> ")
    }

    fn format_input_prompt_selection(
        &self,
        f: &mut dyn std::fmt::Write,
        prompt: &str,
        sel: &str,
    ) -> std::fmt::Result {
        write!(f, "{prompt}\n> {sel}")
    }
}

/// Run `pg-rex_archivefile_delete`'s command line.
pub fn run(line: &ArchiveDeleteLine, g: &GlobalArgs, p: &Printer) -> anyhow::Result<ExitCode> {
    let mut p = p.clone();
    p.layout = Some(Tool::ArchivefileDelete);
    if !p.json() {
        let mode = match line.mode {
            ArchiveMode::Move => m::AD_MOVE_MODE,
            ArchiveMode::Remove => m::AD_REMOVE_MODE,
        };
        p.out(&format!("{}\n{}\n", t!(m::AD_B_READY), t!(mode)));
    }
    let line = complete(line, &Terminal(CliReporter::new(&p, false)))?;
    let args = super::archive_delete_args(&line);
    crate::cli::commands::archive_delete::run(g, &args, &p)
}

/// The command line with the base backup the operator entered (spec §3.5 step 3), or as it
/// was when it names one or has `-f`. A named backup also stands for the confirmation.
pub fn complete(line: &ArchiveDeleteLine, ask: &dyn Ask) -> pgrex::Result<ArchiveDeleteLine> {
    let mut line = line.clone();
    if line.backup.is_some() || line.force {
        line.confirmed = line.backup.is_some();
        return Ok(line);
    }
    if !ask.can_ask() {
        let mode = match line.mode {
            ArchiveMode::Move => "-m",
            ArchiveMode::Remove => "-r",
        };
        return Err(Error::refused(
            t!(m::AD_NO_TERMINAL),
            Some(t!(
                m::AD_NO_TERMINAL_HINT,
                prog = "pg-rex_archivefile_delete",
                mode = mode
            )),
        ));
    }
    let host = ask.line(&t!(m::AD_ASK_HOST)).unwrap_or_default();
    let host = host.trim();
    let host_ok = |h: &str| {
        !h.chars()
            .any(|c| matches!(c, ':' | '@' | ';' | '|' | '&') || c.is_whitespace())
    };
    if !host_ok(host) {
        return Err(Error::input("Hostname", t!(m::AD_BAD_HOST, host = host)));
    }
    let host = if host.is_empty() { "localhost" } else { host };
    let path = ask.line(&t!(m::AD_ASK_PATH)).unwrap_or_default();
    let path = path.trim();
    if path.is_empty() {
        // No backup: pgrex's own confirmation (before anything changes) names what goes.
        return Ok(line);
    }
    let path_ok = |s: &str| {
        s.starts_with('/')
            && !s
                .chars()
                .any(|c| matches!(c, ';' | '|' | '&') || c.is_whitespace())
    };
    if !path_ok(path) {
        return Err(Error::input(
            "BasebackupPath",
            t!(m::AD_BAD_PATH, path = path),
        ));
    }
    let trimmed = path.trim_end_matches('/');
    let path = if trimmed.is_empty() { "/" } else { trimmed };
    if !ask.yes(&t!(m::AD_CONFIRM_BACKUP, host = host, path = path)) {
        return Err(Error::Declined {
            message: t!(m::AD_EXIT),
        });
    }
    line.backup = Some((
        (host != "localhost").then(|| host.to_string()),
        path.to_string(),
    ));
    line.confirmed = true;
    Ok(line)
}

#[cfg(test)]
#[path = "archive_tests.rs"]
mod tests;

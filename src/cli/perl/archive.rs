//! `pg-rex_archivefile_delete`'s questions before its operation begins (spec §3.5 step 3):
//! when the command line names no base backup and `-f` is not given, the backup's host, its
//! path and the confirmation of what was entered. `commands::archive_delete::run_perl`
//! prints the first banner and the mode line, asks through [`complete`] on the terminal and
//! runs the operation with its steps in the Perl layout ([`super::layout`]).
//!
//! The questions go through dialoguer on stderr like pgrex's other prompts; without a
//! terminal (or in JSON mode) nothing is asked: the run is refused (exit 3, nothing read or
//! changed), naming the two ways to give the answer on the command line. The answers are
//! checked as the Perl tool checked them (a bad one is exit 2); an entered backup answered
//! anything but yes is exit 4 (the Perl tool's "Exit." with exit 0 is a defect,
//! CONTRACTS.md). A named backup, entered or on the command line, is the operator's
//! confirmation, as it was for the Perl tool: the deletion is not asked again.

use super::tools::{ArchiveDeleteLine, ArchiveMode};
use pgrex::msg::perl as m;
use pgrex::{t, Error};

/// Where the answers come from (a terminal, or a test's script).
pub trait Ask {
    /// Whether questions can be asked at all.
    fn can_ask(&self) -> bool;
    /// One line of input after `question` (`None`: the input ended).
    fn line(&self, question: &str) -> Option<String>;
    /// A y/N confirmation.
    fn yes(&self, question: &str) -> bool;
}

/// The Perl tool's input prompt: its question, then `> ` on the next line.
pub struct Chevron;

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

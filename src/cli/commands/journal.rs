//! `pgrex journal [JOURNAL]`: this node's operation journals (`/var/lib/pgrex`,
//! `PGREX_JOURNAL_DIR`), newest first — or one of them, step by step. Read-only; JSON with
//! `--output-format json` (the list, or the journal record itself).

use crate::cli::args::JournalArgs;
use crate::cli::journal_text;
use crate::cli::printer::{Printer, Stream};
use crate::cli::settings;
use pgrex::msg::ops as m;
use pgrex::ops::journal;
use pgrex::{t, Error, ExitCode};
use std::path::PathBuf;

pub fn run(a: &JournalArgs, p: &Printer) -> anyhow::Result<ExitCode> {
    let dir = settings::journal_dir();
    let Some(which) = &a.journal else {
        let all = journal::list(&dir)?;
        p.out(&match p.json() {
            true => serde_json::to_string_pretty(&journal_text::list_json(&all))? + "\n",
            false => p.wrap(Stream::Out, &journal_text::list(&all, &dir)),
        });
        return Ok(ExitCode::Ok);
    };
    let path = match which.contains('/') {
        true => PathBuf::from(which),
        false => dir.join(which),
    };
    if !path.exists() {
        let why = t!(
            m::JOURNAL_MISSING,
            path = path.display(),
            dir = dir.display()
        );
        return Err(Error::input("JOURNAL", why).into());
    }
    let r = journal::load(&path)?;
    p.out(&match p.json() {
        true => serde_json::to_string_pretty(&r)? + "\n",
        false => p.wrap(Stream::Out, &journal_text::one(&path, &r)),
    });
    Ok(ExitCode::Ok)
}

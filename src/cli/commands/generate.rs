//! `pgrex completions SHELL` and `pgrex man DIR` (pages rendered by `cli::man`): generated
//! from the clap model. The committed copies in `completions/` and `man/` are checked by a test.

use crate::cli::args::{Cli, CompletionsArgs, ManArgs};
use crate::cli::printer::Printer;
use clap::CommandFactory;
use pgrex::ExitCode;

pub fn completions(a: &CompletionsArgs, p: &Printer) -> anyhow::Result<ExitCode> {
    let mut buf = Vec::new();
    clap_complete::generate(a.shell, &mut Cli::command(), "pgrex", &mut buf);
    p.out(&String::from_utf8_lossy(&buf));
    Ok(ExitCode::Ok)
}

pub fn man(a: &ManArgs, _p: &Printer) -> anyhow::Result<ExitCode> {
    fs_err::create_dir_all(&a.dir)?;
    crate::cli::man::generate_to(Cli::command(), &a.dir)?;
    Ok(ExitCode::Ok)
}

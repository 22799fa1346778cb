//! The registry of subcommands: one file each, `run(args, &Printer) -> Result<ExitCode>`
//! (the exit code of a successful run; errors map through `cli::error::exit_code`).

pub mod archive_delete;
pub mod check;
pub mod cleanup;
pub mod diagnose;
pub mod generate;
pub mod journal;
pub mod links;
pub mod log;
pub mod primary_start;
pub mod recover;
pub mod resume;
pub mod standby_start;
pub mod status;
pub mod stop;
pub mod switchover;

use super::args::{Cli, Command};
use super::printer::Printer;
use pgrex::ExitCode;

pub fn dispatch(cli: &Cli, p: &Printer) -> anyhow::Result<ExitCode> {
    match &cli.command {
        Command::Status(a) => status::run(&cli.global, a, p),
        Command::Diagnose(a) => diagnose::run(&cli.global, a, p),
        Command::Cleanup(a) => cleanup::run(&cli.global, a, p),
        Command::Stop(a) => stop::run(&cli.global, a, p),
        Command::StandbyStart(a) => standby_start::run(&cli.global, a, p),
        Command::PrimaryStart(a) => primary_start::run(&cli.global, a, p),
        // `main` runs check itself: its exit codes are the plugin's, not ExitCode's.
        Command::Check(_) => unreachable!("pgrex check is run by main"),
        Command::Log(a) => log::run(&cli.global, a, p),
        Command::Switchover(a) => switchover::run(&cli.global, a, p),
        Command::ArchiveDelete(a) => archive_delete::run(&cli.global, a, p),
        Command::Recover(a) => recover::run(&cli.global, a, p),
        Command::Journal(a) => journal::run(a, p),
        Command::Resume(a) => resume::run(&cli.global, a, p, resume::Mode::Resume),
        Command::Abort(a) => resume::run(&cli.global, a, p, resume::Mode::Abort),
        Command::Links(a) => links::run(a, p),
        Command::Completions(a) => generate::completions(a, p),
        Command::Man(a) => generate::man(a, p),
    }
}

/// `--output-format prometheus` is a rendering of the status document only: any other
/// command refuses it as a usage error (exit 2; `check`'s own code for it is 3, UNKNOWN).
pub fn refuse_format(cli: &Cli, p: &Printer) -> Option<u8> {
    use super::args::OutputFormat;
    if cli.global.output_format != OutputFormat::Prometheus
        || matches!(cli.command, Command::Status(_))
    {
        return None;
    }
    let msg = pgrex::t!(pgrex::msg::check::PROMETHEUS_STATUS_ONLY);
    let err = anyhow::Error::new(super::error::UsageError(msg.clone()));
    super::error::render(p, &err);
    if matches!(cli.command, Command::Check(_)) {
        p.out(&(pgrex::check::unknown_line(&msg) + "\n"));
        return Some(pgrex::check::PluginState::Unknown.code());
    }
    Some(ExitCode::Usage.code())
}

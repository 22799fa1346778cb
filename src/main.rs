//! The `pgrex` binary: parse arguments, set up logging, run one command, map the outcome
//! to a documented exit code (CONTRACTS.md).

mod cli;

use clap::Parser;

fn main() -> std::process::ExitCode {
    let cli = match cli::Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            // Help and version are successes; every usage error is exit 2 (not 0 as the Perl tools did).
            let code = if e.use_stderr() {
                pgrex::ExitCode::Usage.code()
            } else {
                0
            };
            let _ = e.print();
            return std::process::ExitCode::from(code);
        }
    };
    let printer = cli::printer::Printer::new(&cli.global);
    init_logging(
        cli.global.verbose,
        printer.colors(cli::printer::Stream::Err),
    );
    match cli::commands::dispatch(&cli, &printer) {
        Ok(code) => std::process::ExitCode::from(code.code()),
        Err(err) => {
            cli::error::render(&printer, &err);
            std::process::ExitCode::from(cli::error::exit_code(&err))
        }
    }
}

/// `-v` / `-vv` / `PGREX_LOG` (an `EnvFilter` directive, e.g. `pgrex=debug`): the core's
/// tracing events (one per external command, SSH command and SQL query) on stderr, coloured
/// only when stderr's colour is on, so stdout keeps only the views and steps.
fn init_logging(verbose: u8, color: bool) {
    use tracing_subscriber::EnvFilter;
    let filter = match cli::env::var("PGREX_LOG") {
        Some(f) => EnvFilter::new(f),
        None => EnvFilter::new(match verbose {
            0 => "warn",
            1 => "pgrex=debug",
            _ => "pgrex=trace",
        }),
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(color)
        .with_target(false)
        .try_init();
}

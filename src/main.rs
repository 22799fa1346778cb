//! The `pgrex` binary: parse arguments, set up logging, run one command, map the outcome
//! to a documented exit code (CONTRACTS.md).

mod cli;

use clap::Parser;

fn main() -> std::process::ExitCode {
    // docs/environment.md: an empty value counts as unset — also for the variables clap
    // reads as flag twins (`PGREX_LANG=` is no language, not an invalid one). Done before
    // any thread exists.
    for (name, _) in cli::env::VARIABLES {
        if std::env::var_os(name).is_some_and(|v| v.is_empty()) {
            std::env::remove_var(name);
        }
    }
    let cli = match cli::Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            // Help and version are successes; every usage error is exit 2 (not 0 as the Perl tools did).
            let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
            let check = cli::commands::check::invoked(&args);
            let code = match (e.use_stderr(), check) {
                (false, _) => 0,
                // A monitoring plugin's own usage error is UNKNOWN, with its one stdout line.
                (true, true) => {
                    let first = e.to_string();
                    let first = first.lines().next().unwrap_or_default();
                    let first = first.strip_prefix("error: ").unwrap_or(first);
                    println!("{}", pgrex::check::unknown_line(first));
                    pgrex::check::PluginState::Unknown.code()
                }
                (true, false) => pgrex::ExitCode::Usage.code(),
            };
            let _ = e.print();
            return std::process::ExitCode::from(code);
        }
    };
    // JSON (and Prometheus) keep the English texts beside the stable ids, whatever the
    // locale, so a script's parse never depends on it (CONTRACTS "Languages").
    pgrex::msg::set_lang(match cli.global.output_format {
        cli::args::OutputFormat::Text => cli::settings::language(&cli.global),
        _ => pgrex::msg::Lang::En,
    });
    let printer = cli::printer::Printer::new(&cli.global);
    init_logging(
        cli.global.verbose,
        printer.colors(cli::printer::Stream::Err),
    );
    if let Some(code) = cli::commands::refuse_format(&cli, &printer) {
        return std::process::ExitCode::from(code);
    }
    if let cli::args::Command::Check(a) = &cli.command {
        let state = cli::commands::check::run(&cli.global, a, &printer);
        return std::process::ExitCode::from(state.code());
    }
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

//! The `pgrex` binary: parse arguments, set up logging, run one command, map the outcome
//! to a documented exit code (CONTRACTS.md).

mod cli;

fn main() -> std::process::ExitCode {
    // docs/environment.md: an empty value counts as unset — also for the variables clap
    // reads as flag twins (`PGREX_LANG=` is no language, not an invalid one). Done before
    // any thread exists.
    for (name, _) in cli::env::VARIABLES {
        if std::env::var_os(name).is_some_and(|v| v.is_empty()) {
            std::env::remove_var(name);
        }
    }
    // Until the command line says otherwise (--lang), the environment's language: the Perl
    // tools' names print usage and errors before any pgrex command line exists.
    pgrex::msg::set_lang(cli::settings::environment_language());
    let argv: Vec<std::ffi::OsString> = std::env::args_os().collect();
    // Under a Perl tool's name (pg-rex_stop, …): that tool's command line and layout.
    let (cli, layout) = match cli::perl::entry(&argv) {
        cli::perl::Entry::NotPerl => match parse(&argv) {
            Ok(c) => (c, None),
            Err(code) => return std::process::ExitCode::from(code),
        },
        cli::perl::Entry::Exit(code) => return std::process::ExitCode::from(code),
        cli::perl::Entry::Run { cli, tool } => (*cli, Some(tool)),
        cli::perl::Entry::ArchiveDelete(line, global) => {
            set_language(&global);
            let printer = cli::printer::Printer::new(&global);
            init_logging(
                global.verbose.max(u8::from(line.debug)),
                printer.colors(cli::printer::Stream::Err),
            );
            return match cli::commands::archive_delete::run_perl(&line, &global, &printer) {
                Ok(code) => std::process::ExitCode::from(code.code()),
                Err(err) => {
                    cli::error::render(&printer, &err);
                    std::process::ExitCode::from(cli::error::exit_code(&err))
                }
            };
        }
    };
    set_language(&cli.global);
    let mut printer = cli::printer::Printer::new(&cli.global);
    printer.layout = layout;
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

/// JSON (and Prometheus) keep the English texts beside the stable ids, whatever the
/// locale, so a script's parse never depends on it (CONTRACTS "Languages").
fn set_language(global: &cli::args::GlobalArgs) {
    pgrex::msg::set_lang(match global.output_format {
        cli::args::OutputFormat::Text => cli::settings::language(global),
        _ => pgrex::msg::Lang::En,
    });
}

/// pgrex's own command line; `Err` is the exit code after clap printed help, the version or
/// a usage error.
fn parse(argv: &[std::ffi::OsString]) -> Result<cli::Cli, u8> {
    use clap::Parser;
    match cli::Cli::try_parse_from(argv) {
        Ok(c) => Ok(c),
        Err(e) => {
            // Help and version are successes; every usage error is exit 2 (not 0 as the Perl tools did).
            let check = cli::commands::check::invoked(argv);
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
            Err(code)
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

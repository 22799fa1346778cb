//! The binary's side: the clap model, settings resolution, the printer, error rendering and
//! one file per subcommand. No cluster logic lives here: a command turns arguments into
//! settings, makes one core call and renders the result.

pub mod args;
pub mod commands;
pub mod diagnose_text;
pub mod env;
pub mod error;
pub mod journal_text;
pub mod log_text;
pub mod man;
pub mod ops;
pub mod perl;
pub mod printer;
pub mod reporter;
pub mod settings;
pub mod status_brief;
pub mod status_prom;
pub mod status_text;
pub mod width;

pub use args::Cli;

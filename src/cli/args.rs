//! The clap model: every subcommand, flag and its environment twin. Completions and man
//! pages are generated from this (see `pgrex completions`, `pgrex man`).

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "pgrex",
    version,
    about = "Operate PG-REX clusters: status, diagnosis and node lifecycle for Pacemaker + PostgreSQL",
    long_about = "pgrex operates PG-REX clusters (two nodes, Pacemaker + Corosync, PostgreSQL \
synchronous streaming replication under the pgsql resource agent). It reads the cluster through \
Pacemaker's XML and works with the existing /etc/pg-rex_tools.conf.",
    after_help = "Exit codes: 0 ok/healthy, 1 failed or fault found, 2 usage/config/input error, \
3 refused, 4 declined, 5 timeout, 6 stopped part-way, 130 interrupted.\n\
Documentation: commands/<command>.md, docs/json.md, docs/environment.md."
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// Configuration file (PG-REX format)
    #[arg(long, global = true, env = "PGREX_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// Naming profile of resource and attribute names
    #[arg(long, global = true, env = "PGREX_PROFILE", value_enum)]
    pub profile: Option<ProfileArg>,

    /// Output format: human text, or JSON for scripts (stdout carries JSON only)
    #[arg(long, global = true, env = "PGREX_OUTPUT_FORMAT", value_enum, default_value_t = OutputFormat::Text)]
    pub output_format: OutputFormat,

    /// When to use colour
    #[arg(long, global = true, env = "PGREX_COLOR", value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// More diagnostics on stderr (-v debug, -vv trace)
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ProfileArg {
    Seed,
    Pgrex17,
    Auto,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Show the cluster as an operator needs it: verdict first, then roles, replication,
    /// monitors, fencing, fail-counts and every deviation from the PG-REX normal state
    Status(StatusArgs),
    /// Print a shell completion script (bash, zsh, fish)
    Completions(CompletionsArgs),
    /// Write the man pages into a directory
    Man(ManArgs),
}

#[derive(Debug, Args)]
pub struct StatusArgs {
    /// Analyse a saved crm_mon XML (Pacemaker 2.x or 1.1) or cib.xml instead of the live cluster
    #[arg(long, value_name = "FILE")]
    pub input: Option<PathBuf>,

    /// Redraw every SECONDS (default 2) until interrupted
    #[arg(long, value_name = "SECONDS", num_args = 0..=1, default_missing_value = "2", conflicts_with = "input")]
    pub watch: Option<u64>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Directory to write pgrex.1 and pgrex-<command>.1 into
    pub dir: PathBuf,
}

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

    /// Output format: human text, JSON for scripts (stdout carries JSON only), or Prometheus
    /// metrics (`pgrex status` only)
    #[arg(long, global = true, env = "PGREX_OUTPUT_FORMAT", value_enum, default_value_t = OutputFormat::Text)]
    pub output_format: OutputFormat,

    /// When to use colour
    #[arg(long, global = true, env = "PGREX_COLOR", value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// More diagnostics on stderr (-v debug, -vv trace)
    #[arg(short, long, global = true, action = clap::ArgAction::Count)]
    pub verbose: u8,

    /// Language of the text output (views, steps, prompts, errors, hints; JSON keeps English
    /// and ids; --help stays English). Default: from LC_ALL / LC_MESSAGES / LANG (ja* →
    /// Japanese), else English
    #[arg(
        long,
        global = true,
        env = "PGREX_LANG",
        value_enum,
        value_name = "LANG"
    )]
    pub lang: Option<LangArg>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    /// English
    En,
    /// Japanese (日本語)
    Ja,
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
    /// Prometheus text exposition format (`pgrex status` only)
    Prometheus,
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
    /// Name the fault: every pattern of the PG-REX fault catalogue, from the cluster's own
    /// evidence (attributes, failed actions, fencing, corosync links, logs), most likely first,
    /// with the reaction the cluster took and the recovery steps
    Diagnose(DiagnoseArgs),
    /// Clear fail-counts and failed actions (crm_resource --cleanup) once their cause is fixed;
    /// refuses while the cause is still visible
    Cleanup(CleanupArgs),
    /// Stop Pacemaker (and PostgreSQL under it) on this node, primary or standby
    Stop(StopArgs),
    /// Start this node as the synchronous standby of the primary on the peer: as it is,
    /// after pg_rewind, or from a new base backup
    #[command(visible_alias = "slave-start", alias = "slave_start")]
    StandbyStart(StandbyStartArgs),
    /// Start Pacemaker on this node so that it becomes the primary (optionally loading
    /// resource definitions from XMLFILE)
    #[command(visible_alias = "master-start", alias = "master_start")]
    PrimaryStart(PrimaryStartArgs),
    /// One line for monitoring (Nagios/Icinga plugin, Zabbix user parameter): exit 0 OK,
    /// 1 WARNING, 2 CRITICAL, 3 UNKNOWN from the same judgement as status, with performance data
    Check(CheckArgs),
    /// The operational log of this node (or both): Pacemaker's and Corosync's log converted
    /// into pm_logconv's messages (resource failures, moves, fencing, failover summary), each
    /// tied to the fault id diagnose would name
    Log(LogArgs),
    /// Swap the primary and the synchronous standby through Pacemaker (a few seconds of
    /// write outage), prove no committed transaction is left behind, and bring the old
    /// primary back as the standby without a base backup; from either node
    Switchover(SwitchoverArgs),
    /// Remove (-r) or move aside (-m) the archived WAL that neither node nor the named base
    /// backup needs any more: everything older than the oldest of both nodes' latest
    /// checkpoint and the backup's start
    ArchiveDelete(ArchiveDeleteArgs),
    /// Walk the cluster out of a fault: run the playbook of the diagnosis (or of FAULT) step
    /// by step on the node each step belongs to, judging again after every change, until
    /// HEALTHY; from either node
    Recover(RecoverArgs),
    /// List this node's operation journals (newest first), or show one
    Journal(JournalArgs),
    /// Continue the newest operation on this node that stopped part-way (switchover, recover,
    /// stop, standby-start, primary-start, cleanup), from where the cluster stands now
    Resume(ResumeArgs),
    /// Bring the newest operation on this node that stopped part-way to its documented
    /// safe state (see each command's page)
    Abort(ResumeArgs),
    /// Make the Perl tools' names (pg-rex_stop, pg-rex_standby_start, …) in DIR as links to
    /// this binary, which then takes each tool's own command line
    Links(LinksArgs),
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

    /// One 80-column screen: the verdict line, then one row per node (role, pgsql-status,
    /// data-status, timeline, replication lag, fail-counts)
    #[arg(long, short = 'b')]
    pub brief: bool,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Judge a saved crm_mon XML, cib.xml or pgrex snapshot (JSON) instead of the live cluster
    #[arg(long, value_name = "FILE")]
    pub input: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct DiagnoseArgs {
    /// Analyse a saved crm_mon XML (Pacemaker 2.x or 1.1), cib.xml or pgrex snapshot (JSON)
    /// instead of the live cluster
    #[arg(long, value_name = "FILE")]
    pub input: Option<PathBuf>,

    /// Also write everything observed to FILE as a snapshot (JSON), for --input later
    #[arg(long, value_name = "FILE")]
    pub save: Option<PathBuf>,

    /// A log file to read (Pacemaker's, the system log, or PostgreSQL's server log), e.g. a
    /// copy from the failed node; repeatable. Live, replaces the default log locations
    #[arg(long = "log", value_name = "FILE")]
    pub logs: Vec<PathBuf>,

    /// Do not connect to the other node over SSH (its logs, links and lock file stay unknown)
    #[arg(long, conflicts_with = "input")]
    pub no_peer: bool,
}

#[derive(Debug, Args)]
pub struct CleanupArgs {
    /// Only this resource (a primitive, group or clone id); default every resource with a
    /// fail-count or failed action
    #[arg(value_name = "RESOURCE")]
    pub resource: Option<String>,

    /// Only on this node
    #[arg(long, short = 'N', value_name = "NODE")]
    pub node: Option<String>,

    /// Clear even though the cause of the failure is still visible
    #[arg(long)]
    pub force: bool,

    #[command(flatten)]
    pub op: OpArgs,

    /// Plan against a saved crm_mon XML, cib.xml or snapshot instead of the live cluster
    /// (implies --dry-run)
    #[arg(long, value_name = "FILE")]
    pub input: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct LogArgs {
    /// Start of the window: an RFC 3339 time, a local time (2026-12-01 08:30:00) or a duration
    /// back from now (30m, 2h). Default: the current fault episode, else the last hour
    /// (with --input: the whole file)
    #[arg(long, value_name = "TIME")]
    pub since: Option<String>,

    /// End of the window (same forms as --since). Default: now
    #[arg(long, value_name = "TIME")]
    pub until: Option<String>,

    /// Only this node's events (reads the other node's log over SSH when NODE is not this one)
    #[arg(long, value_name = "NODE", conflicts_with = "both")]
    pub node: Option<String>,

    /// Both nodes: the other node's log over SSH, merged in time order
    #[arg(long)]
    pub both: bool,

    /// Keep reading and print new events as they are written, until interrupted
    #[arg(long, conflicts_with = "input")]
    pub follow: bool,

    /// Print the Pacemaker / Corosync line behind each event instead of pm_logconv's message
    #[arg(long)]
    pub raw: bool,

    /// Convert a saved log file instead of the live logs (pacemaker.log, ha-log, corosync.log,
    /// syslog, `journalctl -o short-iso` output); repeatable, e.g. one file per node
    #[arg(long, value_name = "PATH", conflicts_with_all = ["both", "follow"])]
    pub input: Vec<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct LinksArgs {
    /// The directory to make the links in (e.g. /usr/local/sbin); it must exist
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,

    /// What the links point to (default: this pgrex binary)
    #[arg(long, value_name = "PATH")]
    pub target: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Directory to write pgrex.1 and pgrex-<command>.1 into
    pub dir: PathBuf,
}

/// Flags every operation that changes the cluster has.
#[derive(Debug, Args)]
pub struct OpArgs {
    /// Answer yes to confirmations; never makes a choice a flag must make (e.g. the standby-start method)
    // Boolish: PGREX_YES=1/yes/on (and 0/no/off), not only true/false.
    #[arg(long, short = 'y', env = "PGREX_YES", value_parser = clap::builder::BoolishValueParser::new(), action = clap::ArgAction::SetTrue)]
    pub yes: bool,

    /// Run every check and show what would be done; change nothing
    #[arg(long, short = 'd')]
    pub dry_run: bool,
}

#[derive(Debug, Args)]
pub struct JournalArgs {
    /// A journal's file name (as listed) or path; default: list them all
    #[arg(value_name = "JOURNAL")]
    pub journal: Option<String>,
}

#[derive(Debug, Args)]
pub struct ResumeArgs {
    #[command(flatten)]
    pub op: OpArgs,
}

#[derive(Debug, Args)]
pub struct SwitchoverArgs {
    #[command(flatten)]
    pub op: OpArgs,
}

#[derive(Debug, Args)]
pub struct RecoverArgs {
    /// The fault id (or condition) to recover from, as `pgrex diagnose` names it; default:
    /// the diagnosis' top finding
    #[arg(value_name = "FAULT", value_parser = parse_fault_id)]
    pub fault: Option<pgrex::diagnose::FaultId>,

    /// The node the named fault is on, when the diagnosis shows it on both
    #[arg(long, value_name = "NODE", requires = "fault")]
    pub node: Option<String>,

    /// End with a switchover back to the node that was primary before the fault
    #[arg(long)]
    pub switchback: bool,

    /// Allow standby-start to replace a node's data with a base backup when nothing else is possible
    #[arg(long)]
    pub allow_base_backup: bool,

    /// Confirm that NODE is powered off, so its fencing may be confirmed (stonith_admin
    /// --confirm); never implied by --yes
    #[arg(long, value_name = "NODE")]
    pub confirm_fenced: Option<String>,

    #[command(flatten)]
    pub op: OpArgs,
}

fn parse_fault_id(s: &str) -> Result<pgrex::diagnose::FaultId, String> {
    s.parse()
        .map_err(|e: pgrex::diagnose::UnknownFaultId| e.to_string())
}

#[derive(Debug, Args)]
pub struct StopArgs {
    /// Skip the CHECKPOINT and sync before stopping
    #[arg(long, short = 'f')]
    pub fast: bool,

    #[command(flatten)]
    pub op: OpArgs,
}

#[derive(Debug, Args)]
pub struct StandbyStartArgs {
    /// Allow starting the existing database cluster as it is
    #[arg(long, short = 'n')]
    pub normal: bool,

    /// Allow pg_rewind (implies --normal: a cluster that can start as it is does)
    #[arg(long, short = 'r')]
    pub rewind: bool,

    /// Allow replacing the database cluster with a new base backup from the primary
    #[arg(long, short = 'b')]
    pub basebackup: bool,

    /// Run every check, list the possible methods, change nothing
    #[arg(long, short = 'c')]
    pub check_only: bool,

    /// The archive directory is shared by both nodes: no archive checks, no archive sync
    #[arg(long, short = 's')]
    pub shared_archive_directory: bool,

    #[command(flatten)]
    pub op: OpArgs,
}

#[derive(Debug, Args)]
pub struct PrimaryStartArgs {
    /// Resource definitions to load with cibadmin before the start (pm_pcsgen output); on a
    /// node without a cluster (no /etc/corosync/corosync.conf) the cluster is created first
    /// with pcs
    #[arg(value_name = "XMLFILE")]
    pub xmlfile: Option<PathBuf>,

    /// Remove this node's PGSQL.lock, after showing why it is safe (refused when it is not)
    #[arg(long)]
    pub remove_lock: bool,

    /// After the start, clear the fencing history of the absent peer (the start fences it)
    #[arg(long)]
    pub clear_fence_history: bool,

    #[command(flatten)]
    pub op: OpArgs,
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("mode").required(true).args(["move_files", "remove"])))]
pub struct ArchiveDeleteArgs {
    /// Move the files into a new directory YYYYMMDD_HHMMSS/ (local time) of the archive
    /// directory, mode 0700, owned like the archive directory
    #[arg(long = "move", short = 'm')]
    pub move_files: bool,

    /// Remove the files
    #[arg(long, short = 'r')]
    pub remove: bool,

    /// Ask no confirmation (as --yes)
    #[arg(long, short = 'f')]
    pub force: bool,

    /// The database cluster directory (the same path on both nodes); default the pgsql
    /// resource's pgdata, else $PGDATA
    #[arg(long = "dbcluster", short = 'D', value_name = "DIR")]
    pub dbcluster: Option<PathBuf>,

    /// Also delete in the peer's archive directory (Archive_dir, over SSH)
    #[arg(long)]
    pub both: bool,

    /// Answer yes to the confirmation
    #[arg(long, short = 'y', env = "PGREX_YES", value_parser = clap::builder::BoolishValueParser::new(), action = clap::ArgAction::SetTrue)]
    pub yes: bool,

    /// Read everything and list what would go, in order, with the boundary; change nothing
    #[arg(long)]
    pub dry_run: bool,

    /// A plain-format base backup to keep restorable (its directory, holding backup_label),
    /// on this node or on HOST over SSH
    #[arg(value_name = "[HOST:]BACKUP_PATH")]
    pub backup: Option<String>,
}

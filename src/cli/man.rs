//! The man pages (`pgrex man DIR`): one page per command of the clap model, with clap_mangen's
//! NAME, SYNOPSIS, DESCRIPTION and OPTIONS, then EXIT STATUS, ENVIRONMENT, FILES and EXAMPLES.
//!
//! Each added section is rendered from the one source of its facts, never from prose kept
//! here a second time: the exit codes from [`ExitCode::ALL`] (and `pgrex check`'s from
//! [`PluginState::ALL`]), the environment from [`env::VARIABLES`], the files from the core's
//! default paths. Only the examples are written here, one list per command; a test fails
//! when a command has none (`tests/it/generated.rs`).

use crate::cli::env;
use clap::Command;
use clap_mangen::roff::{bold, roman, Roff};
use clap_mangen::Man;
use pgrex::check::PluginState;
use pgrex::ExitCode;
use std::io::Write;
use std::path::Path;

/// Write `pgrex.1` and `pgrex-<command>.1` for every visible command into `dir`.
pub fn generate_to(cmd: Command, dir: &Path) -> std::io::Result<()> {
    let mut cmd = cmd.disable_help_subcommand(true);
    cmd.build();
    write_tree(&cmd, dir)
}

fn write_tree(cmd: &Command, dir: &Path) -> std::io::Result<()> {
    for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
        write_tree(sub, dir)?;
    }
    let man = Man::new(cmd.clone()).source(format!("pgrex {}", env!("CARGO_PKG_VERSION")));
    let mut file = fs_err::File::create(dir.join(man.get_filename()))?;
    file.write_all(&page(&man, cmd)?)?;
    file.flush()
}

/// One whole page: clap_mangen's sections, then ours before VERSION / AUTHORS.
fn page(man: &Man, cmd: &Command) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    man.render_title(&mut out)?;
    man.render_name_section(&mut out)?;
    man.render_synopsis_section(&mut out)?;
    man.render_description_section(&mut out)?;
    if cmd.get_arguments().any(|a| !a.is_hide_set()) {
        man.render_options_section(&mut out)?;
    }
    if cmd.get_subcommands().any(|s| !s.is_hide_set()) {
        man.render_subcommands_section(&mut out)?;
    }
    if cmd.get_after_help().is_some() || cmd.get_after_long_help().is_some() {
        man.render_extra_section(&mut out)?;
    }
    let name = command_name(cmd);
    let mut roff = Roff::new();
    exit_status(&mut roff, &name);
    environment(&mut roff);
    files(&mut roff);
    examples(&mut roff, &name);
    roff.to_writer(&mut out)?;
    if cmd.get_version().is_some() {
        man.render_version_section(&mut out)?;
    }
    Ok(out)
}

/// `pgrex` for the root page, else the subcommand's name (`standby-start`).
fn command_name(cmd: &Command) -> String {
    match cmd.get_display_name() {
        Some(d) => d.strip_prefix("pgrex-").unwrap_or(d).to_string(),
        None => cmd.get_name().to_string(),
    }
}

/// Section names this module adds to every page (checked by a test).
pub const SECTIONS: [&str; 4] = ["EXIT STATUS", "ENVIRONMENT", "FILES", "EXAMPLES"];

fn exit_status(roff: &mut Roff, name: &str) {
    roff.control("SH", [SECTIONS[0]]);
    if name == "check" {
        roff.text([roman(
            "The monitoring-plugin convention (Nagios, Icinga, Zabbix), not pgrex's usual codes:",
        )]);
        for s in PluginState::ALL {
            item(roff, &s.code().to_string(), s.meaning());
        }
        return;
    }
    for c in ExitCode::ALL {
        item(roff, &c.code().to_string(), c.meaning());
    }
}

fn environment(roff: &mut Roff) {
    roff.control("SH", [SECTIONS[1]]);
    roff.text([roman(
        "A flag wins over its variable, a variable over /etc/pg-rex_tools.conf; an empty value counts as unset.",
    )]);
    for (var, what) in env::VARIABLES {
        item(roff, var, what);
    }
}

/// The files pgrex reads or writes by default, from the core's own constants.
fn files(roff: &mut Roff) {
    roff.control("SH", [SECTIONS[2]]);
    let rows: [(&str, &str); 3] = [
        (
            pgrex::config::DEFAULT_PATH,
            "the PG-REX configuration, shared with the Perl tools (flag --config, PGREX_CONFIG)",
        ),
        (
            pgrex::ops::journal::DEFAULT_DIR,
            "operation journals, one per run, pruned by age and count; read by pgrex journal, resume and abort (PGREX_JOURNAL_DIR)",
        ),
        (
            pgrex::ops::lock::DEFAULT_PATH,
            "the single-instance lock of operations, shared with the Perl tools (PGREX_LOCK_FILE)",
        ),
    ];
    for (path, what) in rows {
        item(roff, path, what);
    }
}

fn examples(roff: &mut Roff, name: &str) {
    roff.control("SH", [SECTIONS[3]]);
    for (line, what) in examples_of(name) {
        roff.control("TP", []);
        roff.text([bold(*line)]);
        roff.text([roman(*what)]);
    }
}

fn item(roff: &mut Roff, term: &str, what: &str) {
    roff.control("TP", []);
    roff.text([bold(term)]);
    roff.text([roman(what)]);
}

/// The examples of one command's page; empty for a command nobody wrote any for (a test
/// fails then).
pub fn examples_of(name: &str) -> &'static [(&'static str, &'static str)] {
    EXAMPLES
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, e)| *e)
        .unwrap_or(&[])
}

/// `(command, [(command line, what it shows or does)])`.
#[rustfmt::skip]
const EXAMPLES: &[(&str, &[(&str, &str)])] = &[
    ("pgrex", &[
        ("pgrex status", "the verdict of the cluster, then every part of it and each deviation from the PG-REX normal state"),
        ("pgrex diagnose", "name the fault, with its evidence and the recovery steps"),
        ("pgrex stop --help", "the options of one command; man pgrex-stop shows its page"),
    ]),
    ("status", &[
        ("pgrex status", "the live cluster, verdict first"),
        ("pgrex status --brief", "one row per node on one 80-column screen"),
        ("pgrex status --input crm_mon.xml", "a saved crm_mon XML, cib.xml or snapshot instead of the live cluster"),
        ("pgrex status --output-format prometheus > /var/lib/node_exporter/pgrex.prom", "metrics for the node exporter's textfile collector"),
    ]),
    ("diagnose", &[
        ("pgrex diagnose", "the most likely fault first, with the cluster's reaction and what to run next"),
        ("pgrex diagnose --save snapshot.json", "also keep everything observed, for pgrex diagnose --input snapshot.json elsewhere"),
        ("pgrex diagnose --output-format json", "the findings as one JSON document"),
    ]),
    ("cleanup", &[
        ("pgrex cleanup --dry-run", "show which fail-counts and failed actions would be cleared"),
        ("pgrex cleanup ipaddr-replication --node pm01 --yes", "clear one resource on one node without asking"),
    ]),
    ("stop", &[
        ("pgrex stop", "stop Pacemaker on this node, asking first when that means a failover"),
        ("pgrex stop --fast --yes", "without the CHECKPOINT, and without asking"),
    ]),
    ("standby-start", &[
        ("pgrex standby-start", "on a terminal: the menu of methods this node's data allows"),
        ("pgrex standby-start -n -r --yes", "join as it is if the data allows it, else after pg_rewind"),
        ("pgrex standby-start -b --yes", "join from a fresh base backup of the primary (replaces the data directory)"),
        ("pgrex standby-start --check-only", "only say which methods are possible"),
    ]),
    ("primary-start", &[
        ("pgrex primary-start", "start this node as the primary once the checks prove it holds the newest data"),
        ("pgrex primary-start cluster.xml", "on a node without a cluster: create it from these resource definitions (needs pcs)"),
    ]),
    ("check", &[
        ("pgrex check", "one line for a Nagios or Icinga service: OK, WARNING, CRITICAL or UNKNOWN, with performance data"),
        ("UserParameter=pgrex.check,pgrex check", "a Zabbix agent item in zabbix_agentd.conf (the agent user in the haclient group)"),
    ]),
    ("log", &[
        ("pgrex log", "the operational log of the current fault episode, else of the last hour"),
        ("pgrex log --since '2 hours ago' --both", "both nodes merged in time order"),
        ("pgrex log --follow", "keep printing new events"),
    ]),
    ("switchover", &[
        ("pgrex switchover --dry-run", "every check, and the plan, without changing anything"),
        ("pgrex switchover --yes", "swap primary and standby without asking"),
    ]),
    ("archive-delete", &[
        ("pgrex archive-delete -r --dry-run", "list the archive files that would be removed, in order, with the boundary and where it came from"),
        ("pgrex archive-delete -r -f pm01:/backup/20261201", "remove every archive file the named base backup and both nodes no longer need, without asking"),
        ("pgrex archive-delete -m --both", "move them into a dated directory on both nodes"),
    ]),
    ("recover", &[
        ("pgrex recover --dry-run", "the diagnosis' playbook, step by step, on the node each step belongs to, without changing anything"),
        ("pgrex recover --yes", "walk the cluster out of the diagnosed fault until HEALTHY, asking nothing"),
        ("pgrex recover pgsql-failure --node pm01 --switchback", "name the fault, and switch the primary role back at the end"),
        ("pgrex recover --confirm-fenced pm01", "after powering pm01 off by hand: confirm its fencing (never done by --yes)"),
    ]),
    ("journal", &[
        ("pgrex journal", "this node's operations, newest first"),
        ("pgrex journal switchover-20261201T080000Z-4242.json", "one operation step by step"),
    ]),
    ("resume", &[
        ("pgrex resume", "continue the newest operation that stopped part-way, from where the cluster stands"),
    ]),
    ("abort", &[
        ("pgrex abort --yes", "bring the newest unfinished operation to its safe state"),
    ]),
    ("links", &[
        ("pgrex links /usr/local/bin", "the Perl tools' names as links to pgrex, for a manual install (the packages ship them)"),
        ("pgrex links --target /opt/pgrex/bin/pgrex /usr/local/sbin", "links to a pgrex installed elsewhere"),
    ]),
    ("completions", &[
        ("pgrex completions bash > /etc/bash_completion.d/pgrex", "install bash completion by hand (the packages do this)"),
    ]),
    ("man", &[
        ("pgrex man /usr/local/share/man/man1", "write these pages (the packages ship them)"),
    ]),
];

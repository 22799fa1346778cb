//! `pgrex-lab`: a real two-node PG-REX cluster on one machine (see commands/lab.md).
//! The same binary is also the nodes' init, the lab BMC, the fence agent `fence_lab` and the
//! nodes' `systemctl` shim (chosen by the name it was run as).
//!
//! Everything it prints goes through `out.rs` (a closed stdout stops the printing, never
//! the action), hence no `println!` here.

#![deny(clippy::print_stdout, clippy::print_stderr)]

mod bmc;
mod cib;
mod cli;
mod cluster;
mod faults;
mod fence;
mod inject;
mod net;
mod node;
mod out;
mod probe;
mod provision;
mod shim;
mod state;
mod sys;
mod teardown;
mod topo;
mod up;
mod wants;

use crate::out::errln;
use clap::Parser;
use cli::{Cli, Cmd};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let argv0 = std::path::Path::new(&args[0])
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    match argv0.as_str() {
        "fence_lab" => std::process::exit(fence::main(&args[1..])),
        "systemctl" => std::process::exit(shim::main(&args[1..])),
        _ => {}
    }
    let cli = Cli::parse();
    let code = match run(cli) {
        Ok(c) => c,
        Err(e) => {
            errln!("pgrex-lab: {e:#}");
            1
        }
    };
    std::process::exit(code);
}

fn run(cli: Cli) -> anyhow::Result<i32> {
    let lab = state::Lab::new(&cli.instance)?;
    match cli.cmd {
        Cmd::Up { profile, pg } => up::up(&lab, &profile, pg.parse()?)?,
        Cmd::Down => teardown::down(&lab)?,
        Cmd::Status => cli::status(&lab)?,
        Cmd::Exec { node, cmd } => return cli::exec(&lab, &node, &cmd),
        Cmd::Shell { node } => return cli::shell(&lab, &node),
        Cmd::PowerOn { node } => cli::power(&lab, "on", &node)?,
        Cmd::PowerOff { node } => cli::power(&lab, "off", &node)?,
        Cmd::Inject { fault, node } => inject::inject(&lab, fault, node.as_deref())?,
        Cmd::Heal { fault, node } => inject::heal(&lab, fault, node.as_deref())?,
        Cmd::Probe { action, duration } => return probe::cli(&lab, &action, duration),
        Cmd::Hba { variant } => provision::set_hba(&lab, &variant)?,
        Cmd::WaitForAll { value } => provision::set_wait_for_all(&lab, value == "1")?,
        Cmd::Snapshot { dir, node } => cli::snapshot(&lab, &dir, node.as_deref())?,
        Cmd::Init { node } => node::init(&lab, state::check_node(&node)?)?,
        Cmd::Bmc => bmc::serve(&lab)?,
        Cmd::ProbeWorker => probe::worker(&lab)?,
    }
    Ok(0)
}

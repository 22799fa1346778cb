//! `fence_lab`: the fence agent (RHCS stdin protocol) Pacemaker finds as `/usr/sbin/fence_lab`
//! inside a node. It asks the lab BMC to power the target off/on.

use crate::node::NODE_CONF;
use crate::out::{errln, out, outln};
use std::io::Read;

const METADATA: &str = r#"<?xml version="1.0" ?>
<resource-agent name="fence_lab" shortdesc="Fence agent of pgrex-lab (powers a lab node off/on through the lab BMC)">
<longdesc>Asks the pgrex-lab controller over its unix socket to power a lab node off or on. Power off kills every process in the node's namespaces.</longdesc>
<parameters>
  <parameter name="action" unique="0" required="1"><getopt mixed="-o, --action=[action]"/><content type="string" default="reboot"/><shortdesc lang="en">Fencing action</shortdesc></parameter>
  <parameter name="plug" unique="0" required="0" obsoletes="port"><getopt mixed="-n, --plug=[id]"/><content type="string"/><shortdesc lang="en">Node to act on</shortdesc></parameter>
  <parameter name="port" unique="0" required="0" deprecated="1"><getopt mixed="-n, --plug=[id]"/><content type="string"/><shortdesc lang="en">Node to act on</shortdesc></parameter>
  <parameter name="nodename" unique="0" required="0"><content type="string"/><shortdesc lang="en">Node to act on (set by Pacemaker)</shortdesc></parameter>
</parameters>
<actions>
  <action name="on" automatic="0"/>
  <action name="off"/>
  <action name="reboot"/>
  <action name="status"/>
  <action name="list"/>
  <action name="list-status"/>
  <action name="monitor"/>
  <action name="metadata"/>
  <action name="validate-all"/>
</actions>
</resource-agent>
"#;

fn sock() -> Option<std::path::PathBuf> {
    let conf = std::fs::read_to_string(NODE_CONF).ok()?;
    conf.lines()
        .find_map(|l| l.strip_prefix("bmc_socket="))
        .map(|s| std::path::PathBuf::from(s.trim()))
}

/// Run the agent; returns the process exit code (0 ok, 1 failed, 2 status "off").
pub fn main(args: &[String]) -> i32 {
    let mut action = String::from("reboot");
    let mut target = String::new();
    let mut i = 0;
    while i < args.len() {
        match args[i].as_str() {
            "-o" | "--action" => action = args.get(i + 1).cloned().unwrap_or_default(),
            "-n" | "--plug" => target = args.get(i + 1).cloned().unwrap_or_default(),
            a if a.starts_with("--action=") => action = a[9..].to_string(),
            a if a.starts_with("--plug=") => target = a[7..].to_string(),
            _ => {
                i += 1;
                continue;
            }
        }
        i += 2;
    }
    if args.is_empty() {
        let mut input = String::new();
        let _ = std::io::stdin().read_to_string(&mut input);
        for line in input.lines() {
            if let Some((k, v)) = line.trim().split_once('=') {
                match k.trim() {
                    "action" | "option" => action = v.trim().to_string(),
                    "port" | "plug" => target = v.trim().to_string(),
                    "nodename" if target.is_empty() => target = v.trim().to_string(),
                    _ => {}
                }
            }
        }
    }
    match action.as_str() {
        "metadata" => {
            out!("{METADATA}");
            return 0;
        }
        "validate-all" => return 0,
        _ => {}
    }
    let Some(sock) = sock() else {
        errln!("fence_lab: {NODE_CONF} missing: not inside a pgrex-lab node");
        return 1;
    };
    match action.as_str() {
        "monitor" => match std::os::unix::net::UnixStream::connect(&sock) {
            Ok(_) => 0,
            Err(e) => {
                errln!("fence_lab: BMC unreachable: {e}");
                1
            }
        },
        "list" | "list-status" => {
            for n in crate::topo::NODES {
                outln!("{n},{n}");
            }
            0
        }
        "off" | "on" | "reboot" | "status" => {
            if target.is_empty() {
                errln!("fence_lab: no plug/port given");
                return 1;
            }
            match crate::bmc::request(&sock, &action, &target) {
                Ok(state) if action == "status" => {
                    outln!("Status: {}", state.to_uppercase());
                    if state == "on" {
                        0
                    } else {
                        2
                    }
                }
                Ok(_) => {
                    outln!("Success: {action} {target}");
                    0
                }
                Err(e) => {
                    errln!("fence_lab: {e}");
                    1
                }
            }
        }
        other => {
            errln!("fence_lab: unsupported action {other}");
            1
        }
    }
}

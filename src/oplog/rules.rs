//! The line rules: which Pacemaker 2.1 / Corosync 3 log line is which pm_logconv event.
//! Each rule is Pacemaker's or Corosync's own format string (2.1 wording first, 1.1's where it
//! differs and costs nothing), and only the daemon that owns an event is believed: every
//! Pacemaker daemon logs `Node pm01 state is now lost`, pm_logconv converts the controller's.
//!
//! What the rules must not do: decide a failover (that takes a run of lines: failover.rs) or
//! name a fault (fault.rs).

use super::event::{Fields, Kind, Priority};
use crate::msg::log as m;
use crate::msg::Msg;
use regex::Regex;
use std::sync::OnceLock;

/// One line's event, before time, node and source are attached.
#[derive(Debug, Clone)]
pub struct Matched {
    pub kind: Kind,
    pub priority: Priority,
    pub msg: &'static Msg,
    pub fields: Fields,
}

fn hit(kind: Kind, priority: Priority, msg: &'static Msg, fields: Fields) -> Option<Matched> {
    Some(Matched {
        kind,
        priority,
        msg,
        fields,
    })
}

struct Rx {
    daemon: Regex,
    op_request: Regex,
    op_result: Regex,
    rc: Regex,
    node_state: Regex,
    dc_set: Regex,
    dc_unset: Regex,
    forked: Regex,
    exited: Regex,
    exit_special: Regex,
    signal: Regex,
    respawn: Regex,
    shutdown_req: Regex,
    attr: Regex,
    fence_request: Regex,
    fence_result: Regex,
    fence_gave_up: Regex,
    fence_device_try: Regex,
    fence_device_done: Regex,
    knet: Regex,
    ping: Regex,
    versions: Regex,
}

fn rx() -> &'static Rx {
    static R: OnceLock<Rx> = OnceLock::new();
    R.get_or_init(|| {
        let r = |s: &str| Regex::new(s).expect("log rule compiles");
        Rx {
            daemon: r(r"^([A-Za-z][\w.-]*?)(?:\(([^)]*)\))?\s*(?:\[(\d+)\])?:?\s"),
            op_request: r(r"Requesting local execution of (start|stop|promote|demote) operation for (\S+) on (\S+)|Performing key=\S+ op=(\S+)_(start|stop|promote|demote)_0"),
            op_result: r(r"Result of (start|stop|promote|demote|monitor) operation for (\S+) on (\S+): (.+?)\s*(?:\||$)"),
            rc: r(r"\brc=(-?\d+)"),
            node_state: r(r"Node (\S+?)(?:\[\d+\])? (?:- )?state is now (lost|member)(.*)|Cluster node (\S+) is now (lost|member)(.*)"),
            dc_set: r(r"Set DC to (\S+)"),
            dc_unset: r(r"Unset DC\.? \(?[Ww]as (\S+?)\)?$|Unset DC\.? \(?[Ww]as (\S+?)\)? "),
            forked: r(r"Forked (?:child|process) (\d+) (?:for process|for subdaemon|using .* for subdaemon) (\S+)"),
            exited: r(r"(?:The )?(\S+?)(?: process \((\d+)\)|\[(\d+)\]) exited(?: with status (-?\d+)|: .*\((-?\d+)\))"),
            exit_special: r(r"(?:The )?(\S+?) process \((\d+)\) (can no longer be respawned|instructed the machine to reset)"),
            signal: r(r"(?:The )?(\S+?)(?: process \((\d+)\)|\[(\d+)\]) terminated with signal (\d+)"),
            respawn: r(r"[Rr]espawn count exceeded by (\S+)|([^\s\[]+)(?:\[\d+\])? (?:exceeded maximum respawn count|can no longer be respawned)"),
            shutdown_req: r(r"Creating shutdown request for (\S+)"),
            attr: r(r"Setting ([^\[\s]+)\[([^\]]+)\]: (\S+) -> (\S+)"),
            fence_request: r(r"Requesting fencing \((\w+)\) (?:of node|targeting node|of) (\S+)"),
            fence_result: r(r"Peer (\S+) was (not )?terminated \((\w+)\) by (a human|\S+) on behalf of"),
            fence_gave_up: r(r"Too many failures \(\d+\) to fence ([^\s,]+)"),
            fence_device_try: r(r"Requesting that '(\S+)' perform op '(\S+) (\w+)' with '(\S+)'|Delaying '(\w+)' action targeting (\S+) using (\S+)"),
            fence_device_done: r(r"Operation '(\w+)' \[\d+\] (?:\(call \d+ from \S+\) )?(?:targeting|for host) '?(\S+?)'? (?:with|using) (?:device )?'?(\S+?)'? returned:? (-?\d+)|Call to (\S+) for '(\S+) (\w+)' on behalf of \S+: (.+) \((-?\d+)\)"),
            knet: r(r"\[KNET\s*\] \w+: host: (\d+) link: (\d+) is (down|up)"),
            ping: r(r"WARNING: (\S+) is inactive"),
            versions: r(r"Starting Pacemaker (\d[\w.+~-]*)|Corosync Cluster Engine \(?'?(\d[\w.+~-]*?)'?\)?(?:: started and ready| starting up)"),
        }
    })
}

/// The attributes reported on: the network and disk monitors', the pgsql RA's roles and the
/// promotion scores (`master-pgsql`: the deck's replication-LAN slide shows it set to
/// -INFINITY). pm_logconv converts every attrd update except fail-counts; the rest attrd sets
/// in Pacemaker 2.1 (fail-counts, the RA's LSN `pgsql-master-baseline`, attrd's own
/// `#attrd-protocol` / `#feature-set`) is left out as noise (commands/log.md).
pub fn is_reported_attribute(name: &str, ping_attr: &str) -> bool {
    name == ping_attr
        || matches!(
            name,
            "default_ping_set" | "ping-status" | "pgsql-status" | "pgsql-data-status"
        )
        || name.starts_with("master-")
        || name.starts_with("diskcheck_status")
        || name.starts_with("#health")
}

/// The daemon (or resource agent with its resource) a line's rest starts with.
pub fn daemon(rest: &str) -> (&str, Option<&str>) {
    match rx().daemon.captures(rest) {
        Some(c) => (
            c.get(1).map_or("", |x| x.as_str()),
            c.get(2).map(|x| x.as_str()),
        ),
        None => ("", None),
    }
}

/// The controller's own lines (2.1 `pacemaker-controld`, 1.1 `crmd`).
fn controller(d: &str) -> bool {
    d == "pacemaker-controld" || d == "crmd"
}

fn ok_words(done: &str) -> &'static str {
    match done {
        "start" => "started",
        "stop" => "stopped",
        "promote" => "promoted",
        _ => "demoted",
    }
}

/// Classify one line's rest (after time and host). `ping_attr` is the network monitor's
/// attribute name (profile).
pub fn classify(rest: &str, ping_attr: &str) -> Option<Matched> {
    use Kind::*;
    use Priority::*;
    let (d, ra_rsc) = daemon(rest);
    let r = rx();
    if controller(d) {
        return controller_line(rest);
    }
    match d {
        "pacemaker-attrd" | "attrd" => {
            let c = r.attr.captures(rest)?;
            let (name, node, old, new) = (&c[1], &c[2], &c[3], &c[4]);
            if !is_reported_attribute(name, ping_attr) || old == new {
                return None;
            }
            let f = Fields {
                attribute: Some(name.into()),
                ..Fields::default()
            }
            .arg("node", node);
            if new == "(unset)" || new == "(null)" {
                return hit(AttributeDeleted, Info, &m::CONV_ATTRIBUTE_DELETED, f);
            }
            if name.starts_with("#health") && new == "red" {
                let f = Fields {
                    target: Some(node.into()),
                    ..f
                };
                return hit(DiskError, Error, &m::CONV_DISK_ERROR, f);
            }
            hit(
                AttributeUpdated,
                Info,
                &m::CONV_ATTRIBUTE_UPDATED,
                f.arg("value", new),
            )
        }
        "pacemakerd" => pacemakerd_line(rest),
        "pacemaker-fenced" | "stonith-ng" => fenced_line(rest),
        "corosync" => corosync_line(rest),
        "ping" | "pingd" if ra_rsc.is_some() => {
            let c = r.ping.captures(rest)?;
            let f = Fields {
                target: Some(c[1].into()),
                resource: ra_rsc.map(str::to_string),
                ..Fields::default()
            };
            hit(NetworkUnreachable, Error, &m::CONV_NETWORK_UNREACHABLE, f)
        }
        _ => None,
    }
}

fn controller_line(rest: &str) -> Option<Matched> {
    use Kind::*;
    use Priority::*;
    let r = rx();
    if let Some(c) = r.op_result.captures(rest) {
        let (op, rsc, result) = (&c[1], base_id(&c[2]), c[4].trim());
        let rc = r.rc.captures(rest).map(|x| x[1].to_string());
        let f = Fields {
            resource: Some(rsc),
            ..Fields::default()
        }
        .arg("op", op);
        let lower = result.to_ascii_lowercase();
        if lower.starts_with("timed out") || lower.contains("timeout") {
            return hit(ResourceTimeout, Error, &m::CONV_RESOURCE_TIMEOUT, f);
        }
        let ok = lower == "ok" || lower.starts_with("0 (ok");
        if op == "monitor" {
            // A monitor's ok / promoted / cancelled results are the normal beat.
            if ok
                || matches!(lower.as_str(), "promoted" | "cancelled" | "8 (master)")
                || rc.as_deref() == Some("8")
            {
                return None;
            }
            if lower.contains("not running") {
                return hit(ResourceNotRunning, Error, &m::CONV_RESOURCE_NOT_RUNNING, f);
            }
        } else if ok {
            let f = f.arg("done", ok_words(op));
            return hit(ResourceOk, Info, &m::CONV_RESOURCE_OK, f);
        }
        if lower == "cancelled" {
            return None;
        }
        let text = result
            .split_once(" (")
            .map(|(_, t)| t.trim_end_matches(')'))
            .unwrap_or(result);
        let f = f
            .arg("rc", rc.unwrap_or_else(|| "?".into()))
            .arg("result", text);
        return hit(ResourceFailed, Error, &m::CONV_RESOURCE_FAILED, f);
    }
    if let Some(c) = r.op_request.captures(rest) {
        let (op, rsc) = match c.get(1) {
            Some(op) => (op.as_str(), &c[2]),
            None => (&c[5], &c[4]),
        };
        let f = Fields {
            resource: Some(base_id(rsc)),
            ..Fields::default()
        }
        .arg("op", op);
        return hit(ResourceTry, Info, &m::CONV_RESOURCE_TRY, f);
    }
    if let Some(c) = r.node_state.captures(rest) {
        let (node, state, tail) = match c.get(1) {
            Some(n) => (n.as_str(), &c[2], c.get(3).map_or("", |x| x.as_str())),
            None => (&c[4], &c[5], c.get(6).map_or("", |x| x.as_str())),
        };
        let f = Fields {
            target: Some(node.into()),
            ..Fields::default()
        }
        .arg("node", node);
        if state == "lost" {
            // A peer that never was a member (a node starting alone) was not lost.
            let was_member = tail.contains("previous=member") || tail.contains("(was member)");
            let said = tail.contains("previous=") || tail.contains("(was ");
            if said && !was_member {
                return None;
            }
            return hit(NodeLost, Warning, &m::CONV_NODE_LOST, f);
        }
        return hit(NodeMember, Info, &m::CONV_NODE_MEMBER, f);
    }
    if let Some(c) = r.fence_request.captures(rest) {
        let f = Fields {
            target: Some(c[2].into()),
            ..Fields::default()
        }
        .arg("action", &c[1]);
        return hit(StonithTry, Info, &m::CONV_STONITH_TRY, f);
    }
    if let Some(c) = r.fence_result.captures(rest) {
        let f = Fields {
            target: Some(c[1].into()),
            ..Fields::default()
        }
        .arg("action", &c[3])
        .arg("by", &c[4]);
        if c.get(2).is_some() {
            return hit(StonithFailed, Error, &m::CONV_STONITH_FAILED, f);
        }
        return hit(StonithOk, Info, &m::CONV_STONITH_OK, f);
    }
    if let Some(c) = r.fence_gave_up.captures(rest) {
        let f = Fields {
            target: Some(c[1].into()),
            ..Fields::default()
        };
        return hit(StonithGaveUp, Error, &m::CONV_STONITH_GAVE_UP, f);
    }
    if let Some(c) = r.dc_set.captures(rest) {
        let f = Fields::default().arg("node", &c[1]);
        return hit(DcSet, Info, &m::CONV_DC_SET, f);
    }
    if let Some(c) = r.dc_unset.captures(rest) {
        let n = c.get(1).or_else(|| c.get(2))?.as_str();
        return hit(
            DcUnset,
            Info,
            &m::CONV_DC_UNSET,
            Fields::default().arg("node", n),
        );
    }
    if let Some(c) = r.shutdown_req.captures(rest) {
        let f = Fields::default().arg("node", &c[1]);
        return hit(NodeShuttingDown, Info, &m::CONV_NODE_SHUTTING_DOWN, f);
    }
    None
}

fn pacemakerd_line(rest: &str) -> Option<Matched> {
    use Kind::*;
    use Priority::*;
    let r = rx();
    if let Some(c) = r.versions.captures(rest) {
        let v = c.get(1)?.as_str();
        return hit(
            PacemakerStart,
            Info,
            &m::CONV_PACEMAKER_START,
            Fields::default().arg("version", v),
        );
    }
    if rest.contains("Shutting down Pacemaker") {
        return hit(
            PacemakerStopping,
            Info,
            &m::CONV_PACEMAKER_STOPPING,
            Fields::default(),
        );
    }
    if rest.contains("Shutdown complete") {
        return hit(
            PacemakerStopped,
            Info,
            &m::CONV_PACEMAKER_STOPPED,
            Fields::default(),
        );
    }
    if let Some(c) = r.forked.captures(rest) {
        let f = Fields::default().arg("pid", &c[1]).arg("process", &c[2]);
        return hit(ProcessStart, Info, &m::CONV_PROCESS_START, f);
    }
    if let Some(c) = r.signal.captures(rest) {
        let pid = c.get(2).or_else(|| c.get(3))?.as_str();
        let f = Fields::default()
            .arg("process", &c[1])
            .arg("pid", pid)
            .arg("signal", &c[4]);
        return hit(ProcessSignal, Warning, &m::CONV_PROCESS_SIGNAL, f);
    }
    if let Some(c) = r.respawn.captures(rest) {
        if !rest.contains("shutting the cluster down") {
            let p = c.get(1).or_else(|| c.get(2))?.as_str();
            let f = Fields::default().arg("process", p);
            return hit(RespawnExceeded, Error, &m::CONV_RESPAWN_EXCEEDED, f);
        }
    }
    if let Some(c) = r.exit_special.captures(rest) {
        let rc = if c[3].starts_with("can") {
            "100"
        } else {
            "255"
        };
        let f = Fields::default()
            .arg("process", &c[1])
            .arg("pid", &c[2])
            .arg("rc", rc);
        return hit(ProcessExit, Warning, &m::CONV_PROCESS_EXIT, f);
    }
    if let Some(c) = r.exited.captures(rest) {
        let pid = c.get(2).or_else(|| c.get(3))?.as_str();
        let rc = c.get(4).or_else(|| c.get(5))?.as_str();
        let f = Fields::default().arg("process", &c[1]).arg("pid", pid);
        if rc == "0" {
            return hit(ProcessStop, Info, &m::CONV_PROCESS_STOP, f);
        }
        return hit(ProcessExit, Warning, &m::CONV_PROCESS_EXIT, f.arg("rc", rc));
    }
    None
}

fn fenced_line(rest: &str) -> Option<Matched> {
    use Kind::*;
    use Priority::*;
    let r = rx();
    if let Some(c) = r.fence_device_try.captures(rest) {
        // 2.1 names the device when it delays the action (the fencer's own node runs it:
        // `by` is filled in with the line's node); 1.1 named it in the request.
        let (by, action, target, device) = match c.get(1) {
            Some(b) => (b.as_str(), &c[3], &c[2], &c[4]),
            None => ("", &c[5], &c[6], &c[7]),
        };
        let f = Fields {
            target: Some(target.into()),
            resource: Some(device.into()),
            ..Fields::default()
        }
        .arg("by", by)
        .arg("action", action)
        .arg("device", device);
        return hit(StonithDeviceTry, Info, &m::CONV_STONITH_DEVICE_TRY, f);
    }
    if let Some(c) = r.fence_device_done.captures(rest) {
        let (target, device, rc) = match c.get(1) {
            Some(_) => (&c[2], &c[3], &c[4]),
            None => (&c[6], &c[5], &c[9]),
        };
        let f = Fields {
            target: Some(target.into()),
            resource: Some(device.into()),
            ..Fields::default()
        }
        .arg("device", device);
        if rc == "0" {
            return hit(StonithDeviceOk, Info, &m::CONV_STONITH_DEVICE_OK, f);
        }
        return hit(
            StonithDeviceFailed,
            Warning,
            &m::CONV_STONITH_DEVICE_FAILED,
            f,
        );
    }
    None
}

fn corosync_line(rest: &str) -> Option<Matched> {
    use Kind::*;
    use Priority::*;
    let r = rx();
    if let Some(c) = r.knet.captures(rest) {
        let f = Fields {
            target: Some(c[1].into()),
            ..Fields::default()
        }
        .arg("link", &c[2])
        .arg("node", &c[1]);
        if &c[3] == "down" {
            return hit(LinkFaulty, Warning, &m::CONV_LINK_FAULTY, f);
        }
        return hit(LinkRecovered, Info, &m::CONV_LINK_RECOVERED, f);
    }
    if let Some(c) = r.versions.captures(rest) {
        let v = c.get(2)?.as_str();
        return hit(
            CorosyncStart,
            Info,
            &m::CONV_COROSYNC_START,
            Fields::default().arg("version", v),
        );
    }
    if rest.contains("Unloading all Corosync service engines") {
        return hit(
            CorosyncStopping,
            Info,
            &m::CONV_COROSYNC_STOPPING,
            Fields::default(),
        );
    }
    if rest.contains("Corosync Cluster Engine exiting normally") {
        return hit(
            CorosyncStopped,
            Info,
            &m::CONV_COROSYNC_STOPPED,
            Fields::default(),
        );
    }
    None
}

/// Strip a clone instance suffix: `pgsql:0` → `pgsql`.
pub fn base_id(s: &str) -> String {
    s.split(':').next().unwrap_or(s).to_string()
}

//! The failover summary pm_logconv derives on the DC ("Start to fail-over.", one line per
//! service resource — "Resource X : Started on B", "… : Move A -> B" or "… : Stopped", from
//! the last plan that names it, as pm_logconv's F11-x —, "fail-over succeeded." / "failed."), from
//! a run of lines of both nodes in time order: the DC's scheduler `Actions:` plan lines and
//! its controller's `Transition N (…): Complete` (only the DC writes them; when the DC is
//! fenced mid-failover, the new DC's lines continue the same failover).
//!
//! pm_logconv's rule, with Pacemaker 2.1's lines: a failover starts when, after a failure
//! (a failed or lost resource, a lost node, a fencing, a network or disk monitor fault), the
//! DC plans to move or stop a service resource (its `act_rsc`: the service and replication
//! VIPs and the promoted pgsql); it ends with the first transition that completes, and
//! succeeded when every service resource then runs somewhere. Without a failure (a
//! switchover by `crm_resource --ban --promoted`) the same moves are no failover.

use super::event::{Fields, Kind, Priority};
use super::rules::Matched;
use crate::msg::log as m;
use regex::Regex;
use std::collections::HashSet;
use std::sync::OnceLock;

/// The resources a service needs (pm_logconv's `act_rsc`).
#[derive(Debug, Clone, Default)]
pub struct ActResources {
    /// Plain resources (the VIPs of the primary group).
    pub plain: Vec<String>,
    /// Promotable primitives (pgsql): their promoted instance is what moves.
    pub promotable: Vec<String>,
}

/// Where one service resource was and where the plan puts it.
#[derive(Debug, Clone)]
struct Placement {
    resource: String,
    to: Option<String>,
    /// Where it was started (or promoted) since the failover began.
    started_on: Option<String>,
    /// What the last plan naming it does with it: pm_logconv writes each service
    /// resource's summary line from that (F11-x), when the failover completes.
    last: Last,
}

/// The last plan's action for a service resource, as pm_logconv reports it: a move
/// (`Move`, `Recover` or `Migrate` from one node to another: F11-6, F11-13, F11-14), running
/// on a node (`Start`, `Leave … (Started pm02)`, a restart or recovery in place, a promote:
/// F11-1, F11-3, F11-8, F11-11), or stopped (`Stop`, `Leave … (Stopped)`: F11-2, F11-9).
#[derive(Debug, Clone, PartialEq)]
enum Last {
    Moved(String, String),
    On(String),
    Stopped,
}

/// One plan line of a node's scheduler: `Actions: Move ipaddr-primary ( pm01 -> pm02 )`.
struct Place<'a> {
    node: &'a str,
    action: &'a str,
    rsc: &'a str,
    place: &'a str,
}

/// The state machine, one for the cluster (fed every node's lines in time order).
#[derive(Debug, Default)]
pub struct Failover {
    armed: bool,
    running: Option<Vec<Placement>>,
    /// The node whose scheduler last planned the running failover (the DC): only its
    /// transition ends it. In a split brain each side is the DC of its own partition, and the
    /// side that kept the resources completes transitions of its own.
    owner: Option<String>,
    /// Scheduler warnings already counted (they repeat on every run while the failure is
    /// recorded in the CIB).
    seen: HashSet<String>,
    /// The network and disk monitors' attributes that now say "failed" (`attribute@node`:
    /// set to 0, or a health attribute red). pm_logconv judges them by their value when the
    /// scheduler runs, not once: a failure they report stays one until they recover, also
    /// across transitions that complete in between (the seed profile's ping RA writes no
    /// repeating "is inactive" line to re-arm on).
    down: HashSet<String>,
}

struct Rx {
    action: Regex,
    leave: Regex,
    transition: Regex,
    unexpected: Regex,
}

fn rx() -> &'static Rx {
    static R: OnceLock<Rx> = OnceLock::new();
    R.get_or_init(|| {
        let r = |s: &str| Regex::new(s).expect("failover rule compiles");
        Rx {
            action: r(r"(?:Actions: |\* |LogActions: )(Move|Recover|Migrate|Start|Stop|Promote|Demote|Restart)\s+(\S+)\s+\(\s*([^)]*?)\s*\)"),
            leave: r(r"\bLeave\s+(\S+)\s+\(([^)]*)\)"),
            transition: r(r"Transition \d+ \(Complete=\d+, Pending=\d+, Fired=\d+, Skipped=\d+, Incomplete=(\d+), Source=[^)]*\): (\w+)"),
            unexpected: r(r"Unexpected result \(([^)]*)\) was recorded for (\S+) of (\S+) on (\S+)|will be fenced|Scheduling [Nn]ode \S+ for (?:STONITH|fencing)"),
        }
    })
}

fn summary(kind: Kind, priority: Priority, msg: &'static crate::msg::Msg, f: Fields) -> Matched {
    Matched {
        kind,
        priority,
        msg,
        fields: f,
    }
}

impl Failover {
    /// Feed one line of `node`'s log (and its converted event, if any); returns the summary
    /// events it ends or starts. A DC elected in the middle of a failover (the old one was
    /// fenced) continues it: the lines of both nodes come in time order.
    pub fn feed(
        &mut self,
        node: &str,
        rest: &str,
        ev: Option<&Matched>,
        act: &ActResources,
    ) -> Vec<Matched> {
        if let Some(e) = ev {
            if is_failure(e) {
                self.armed = true;
            }
            self.monitors(e);
            let op = e
                .fields
                .args
                .iter()
                .find(|(k, _)| *k == "op")
                .map(|(_, v)| v.as_str());
            if e.kind == Kind::ResourceOk && matches!(op, Some("start" | "promote")) {
                if let Some(r) = &e.fields.resource {
                    let running = self.running.iter_mut().flatten();
                    for p in running.filter(|p| &p.resource == r) {
                        p.started_on = Some(node.to_string());
                    }
                }
            }
        }
        let r = rx();
        if rest.starts_with("pacemaker-schedulerd") || rest.starts_with("pengine") {
            if let Some(c) = r.unexpected.captures(rest) {
                if self.seen.insert(c[0].to_string()) {
                    self.armed = true;
                }
            }
            if let Some(c) = r.action.captures(rest) {
                let place = Place {
                    node,
                    action: &c[1],
                    rsc: &c[2],
                    place: &c[3],
                };
                return self.plan(place, act);
            }
            if let Some(c) = r.leave.captures(rest) {
                self.leave(&c[1], &c[2], act);
            }
            return vec![];
        }
        if let Some(c) = r.transition.captures(rest) {
            let other = self.running.is_some() && self.owner.as_deref().is_some_and(|o| o != node);
            // 2.1 says `Complete` also when actions could not run (`Incomplete=41` after a
            // failed fencing): such a transition ends the failover only if every service
            // resource already got where the plan puts it.
            let whole = &c[1] == "0" || self.arrived();
            if &c[2] == "Complete" && !other && whole {
                return self.complete();
            }
        }
        vec![]
    }

    fn plan(&mut self, pl: Place, act: &ActResources) -> Vec<Matched> {
        let Place {
            node,
            action,
            rsc,
            place,
        } = pl;
        let base = super::rules::base_id(rsc);
        let promotable = act.promotable.contains(&base);
        if !promotable && !act.plain.contains(&base) {
            return vec![];
        }
        let nodes = ends(place);
        let roles = place.contains("Promoted") || place.contains("Master");
        // Where the plan puts it: nowhere for a stop, or a demote of the promoted instance.
        let to: Option<Option<&str>> = match action {
            "Stop" | "Demote" => Some(None),
            _ => Some(nodes.last().copied()),
        };
        // Of a promotable resource only the promoted instance is a service resource.
        if promotable && !(roles || action == "Promote") {
            return vec![];
        }
        if promotable && action == "Stop" && !place.contains("Promoted") {
            return vec![];
        }
        let moving = match action {
            "Move" | "Migrate" | "Stop" | "Demote" | "Promote" => true,
            "Recover" => nodes.first() != nodes.last(),
            _ => false,
        };
        let mut out = vec![];
        if self.running.is_none() {
            if !((self.armed || !self.down.is_empty()) && moving) {
                return out;
            }
            self.running = Some(vec![]);
            out.push(summary(
                Kind::FailoverStart,
                Priority::Error,
                &m::CONV_FAILOVER_START,
                Fields::default(),
            ));
        }
        self.owner = Some(node.to_string());
        let list = self.running.as_mut().expect("a failover is running");
        let i = match list.iter().position(|p| p.resource == base) {
            Some(i) => i,
            None => {
                list.push(Placement {
                    resource: base.clone(),
                    to: None,
                    started_on: None,
                    last: Last::Stopped,
                });
                list.len() - 1
            }
        };
        let p = &mut list[i];
        if let Some(to) = to {
            // A promote names the target, a stop of the old promoted instance must not undo it.
            if !(promotable && action == "Stop" && p.to.is_some()) {
                p.to = to.map(str::to_string);
            }
        }
        let last = match (nodes.first(), nodes.last(), to) {
            (_, _, Some(None)) => Last::Stopped,
            (Some(a), Some(b), _) if moving && a != b => Last::Moved(a.to_string(), b.to_string()),
            (_, Some(b), _) => Last::On(b.to_string()),
            _ => Last::Stopped,
        };
        // The old promoted instance's demote or stop does not undo a promote elsewhere.
        let left = nodes.first().copied();
        let elsewhere =
            matches!(&p.last, Last::On(n) | Last::Moved(_, n) if Some(n.as_str()) != left);
        if !(promotable && last == Last::Stopped && elsewhere) {
            p.last = last;
        }
        out
    }

    /// Keep `down` as the monitors' attributes change.
    fn monitors(&mut self, e: &Matched) {
        let Some(a) = &e.fields.attribute else {
            return;
        };
        if a.starts_with("master-") || a.starts_with("pgsql-") {
            return;
        }
        let arg = |k: &str| e.fields.args.iter().find(|(n, _)| *n == k).map(|(_, v)| v);
        let Some(node) = arg("node") else {
            return;
        };
        let key = format!("{a}@{node}");
        let failed = match e.kind {
            Kind::DiskError => true,
            Kind::AttributeUpdated => arg("value").is_some_and(|v| v == "0"),
            _ => false,
        };
        if failed {
            self.down.insert(key);
        } else {
            self.down.remove(&key);
        }
    }

    /// A plan's `Leave vip-master (Started pm02)` during a failover: the resource stays where
    /// it is (pm_logconv's F11-3, F11-9); of a promotable resource only the promoted instance.
    fn leave(&mut self, rsc: &str, place: &str, act: &ActResources) {
        let base = super::rules::base_id(rsc);
        let promotable = act.promotable.contains(&base);
        if !promotable && !act.plain.contains(&base) {
            return;
        }
        let Some(list) = self.running.as_mut() else {
            return;
        };
        let words: Vec<&str> = place.split_whitespace().collect();
        let on = match words.as_slice() {
            ["Promoted" | "Master", n] => Some(n.to_string()),
            ["Started", n] if !promotable => Some(n.to_string()),
            _ if promotable => return,
            _ => None,
        };
        let Some(p) = list.iter_mut().find(|p| p.resource == base) else {
            return;
        };
        p.last = match on {
            Some(n) => Last::On(n),
            None => Last::Stopped,
        };
    }

    /// Every service resource of the running failover that the plan starts somewhere was
    /// started there.
    fn arrived(&self) -> bool {
        self.running.iter().flatten().all(|p| match &p.to {
            Some(to) => p.started_on.as_ref() == Some(to),
            None => true,
        })
    }

    fn complete(&mut self) -> Vec<Matched> {
        self.owner = None;
        let Some(list) = self.running.take() else {
            // A failure handled in place (a restart on the same node) is no failover.
            self.armed = false;
            return vec![];
        };
        self.armed = false;
        let mut out = vec![];
        let mut ok = true;
        for p in list {
            let f = Fields {
                resource: Some(p.resource.clone()),
                ..Fields::default()
            };
            match p.last {
                Last::Moved(a, b) => out.push(summary(
                    Kind::FailoverMove,
                    Priority::Info,
                    &m::CONV_FAILOVER_MOVE,
                    f.arg("from", a).arg("to", b),
                )),
                Last::On(b) => out.push(summary(
                    Kind::FailoverStartedOn,
                    Priority::Info,
                    &m::CONV_FAILOVER_STARTED_ON,
                    f.arg("node", b),
                )),
                Last::Stopped => {
                    ok = false;
                    out.push(summary(
                        Kind::FailoverStopped,
                        Priority::Error,
                        &m::CONV_FAILOVER_STOPPED,
                        f,
                    ))
                }
            }
        }
        out.push(if ok {
            summary(
                Kind::FailoverOk,
                Priority::Info,
                &m::CONV_FAILOVER_OK,
                Fields::default(),
            )
        } else {
            summary(
                Kind::FailoverFailed,
                Priority::Error,
                &m::CONV_FAILOVER_FAILED,
                Fields::default(),
            )
        });
        out
    }
}

/// The node on each side of a plan's `( A -> B )`: `pm01 -> pm02` for a move, one node for an
/// action in place (`pm01`), and a role change names its node once, after the roles
/// (`Promoted -> Unpromoted pm01`: pm01 on both sides; `Promoted pm01 -> Unpromoted pm02`).
fn ends(place: &str) -> Vec<&str> {
    let role = |w: &&str| {
        matches!(
            *w,
            "Promoted" | "Unpromoted" | "Master" | "Slave" | "Started" | "Stopped"
        )
    };
    let sides: Vec<Option<&str>> = place
        .split("->")
        .map(|s| s.split_whitespace().rfind(|w| !role(w)))
        .collect();
    let any = sides.iter().flatten().next().copied().unwrap_or_default();
    sides.into_iter().map(|n| n.unwrap_or(any)).collect()
}

/// The events after which a move of a service resource is a failover.
fn is_failure(e: &Matched) -> bool {
    use Kind::*;
    match e.kind {
        ResourceFailed | ResourceTimeout | ResourceNotRunning | NodeLost | StonithTry
        | NetworkUnreachable | DiskError | ProcessSignal | ProcessExit => true,
        AttributeUpdated => e.fields.args.iter().any(|(k, v)| *k == "value" && v == "0"),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::Kind;
    /// pm_logconv's F11-6: when the plan of the transition that completes moves a service
    /// resource itself (`Move` / `Recover` from one node to another), its line is "Move A -> B";
    /// a later plan that only starts it there makes it "Started on B" (F11-1). Lines recorded
    /// in the lab (tests/fixtures/lab/seed/vip-master-failure/pm01.pacemaker.log lines 2, 83,
    /// 380 and 591: the failure, two of its plans, the transition that completed).
    #[test]
    fn the_summary_line_is_the_last_plans_action() {
        let failure = "Dec 01 12:17:48.528 pm01 pacemaker-controld  [119] (log_executor_event) \tnotice: Result of monitor operation for vip-master on pm01: not running | CIB update 119, graph action unconfirmed; call=48 key=vip-master_monitor_10000 rc=7";
        let moved = "Dec 01 12:17:48.556 pm01 pacemaker-schedulerd[118] (log_list_item) \tnotice: Actions: Recover    vip-master        (                pm01 -> pm02 )";
        let started = "Dec 01 12:17:53.852 pm01 pacemaker-schedulerd[118] (log_list_item) \tnotice: Actions: Start      vip-master        (                        pm02 )";
        let complete = "Dec 01 12:17:56.016 pm01 pacemaker-controld  [119] (pcmk__execute_graph) \tnotice: Transition 19 (Complete=17, Pending=0, Fired=0, Skipped=0, Incomplete=0, Source=/var/lib/pacemaker/pengine/pe-input-18.bz2): Complete";
        let run = |lines: &[&str]| {
            let t = crate::oplog::Text {
                node: "pm01".into(),
                file: "t".into(),
                text: lines.join("\n") + "\n",
            };
            crate::oplog::convert(&[t], &crate::oplog::tests::options())
                .into_iter()
                .filter(|e| matches!(e.event, Kind::FailoverMove | Kind::FailoverStartedOn))
                .map(|e| e.message)
                .collect::<Vec<_>>()
        };
        assert_eq!(
            run(&[failure, moved, complete]),
            ["Resource vip-master : Move pm01 -> pm02"]
        );
        assert_eq!(
            run(&[failure, moved, started, complete]),
            ["Resource vip-master : Started on pm02"]
        );
    }
}

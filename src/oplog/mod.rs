//! The operational log (`pgrex log`): Pacemaker 2.1's and Corosync 3's log lines of one or
//! both nodes converted into pm_logconv-cs's messages, with its priorities, merged in time
//! order, each event tied to the fault id `diagnose` would name. The conversion is pure: the
//! texts come in (read by `snapshot::log_files`, the one log reader, through source.rs),
//! events go out; nothing here prints, reads the clock or the environment.
//!
//! line.rs takes a line apart (time, host), rules.rs says which event it is, failover.rs
//! derives the DC's failover summary from a run of lines, fault.rs names the fault, ja.rs
//! keeps pm_logconv's Japanese meanings, window.rs reads `--since` / `--until`. The command
//! itself is here too, without printing: plan.rs decides the window and whose logs (pure),
//! run.rs reads them once or, under `--follow`, again and again.

pub mod event;
pub mod failover;
pub mod fault;
pub mod ja;
pub mod line;
pub mod plan;
pub mod rules;
pub mod run;
pub mod source;
pub mod window;

pub use event::{Event, Kind, Priority};
pub use fault::Roles;
pub use line::Clock;

use regex::Regex;
use std::collections::HashMap;
use std::sync::OnceLock;

/// One log's text, and the node it belongs to (used for lines without a host field).
#[derive(Debug, Clone)]
pub struct Text {
    pub node: String,
    /// The file or command it came from (shown in JSON and `--raw`).
    pub file: String,
    pub text: String,
}

/// What a conversion needs besides the texts.
#[derive(Debug, Clone)]
pub struct Options {
    pub roles: Roles,
    pub clock: Clock,
}

/// An event found, before its message is rendered (node ids are only known at the end).
struct Found {
    m: rules::Matched,
    time: jiff::Timestamp,
    node: String,
    file: String,
    line: usize,
    raw: String,
}

fn nodeid_rx() -> &'static Regex {
    static R: OnceLock<Regex> = OnceLock::new();
    R.get_or_init(|| Regex::new(r"Node (\S+) state is now \w+ \| nodeid=(\d+)").expect("compiles"))
}

/// Convert every text; events in time order (a stable sort: one node's events at the same
/// instant keep their order in its log).
pub fn convert(texts: &[Text], o: &Options) -> Vec<Event> {
    let act = o.roles.act();
    let ping = o
        .roles
        .ping_attr
        .first()
        .map_or("ping-status", String::as_str);
    // Every line of every text in time order (stable: one log's lines at the same instant
    // keep their order), so the failover machines see the cluster as it happened.
    let mut lines: Vec<(usize, usize, &str, line::Line)> = Vec::new();
    for (ti, t) in texts.iter().enumerate() {
        for (i, raw) in t.text.lines().enumerate() {
            if let Some(l) = line::parse(raw, &o.clock) {
                lines.push((ti, i, raw, l));
            }
        }
    }
    lines.sort_by_key(|(_, _, _, l)| l.time);
    let mut found: Vec<Found> = Vec::new();
    // One failover machine for the cluster: only the DC plans and completes transitions,
    // and a failure seen on any node counts (the DC acts on the other node's failures).
    let mut machine = failover::Failover::default();
    let mut ids: HashMap<String, String> = HashMap::new();
    for (ti, i, raw, l) in lines {
        let t = &texts[ti];
        let node = l.host.unwrap_or(&t.node).to_string();
        if raw.contains("nodeid=") {
            if let Some(c) = nodeid_rx().captures(raw) {
                ids.insert(c[2].to_string(), c[1].to_string());
            }
        }
        let m = rules::classify(l.rest, ping);
        let summary = machine.feed(&node, l.rest, m.as_ref(), &act);
        let mut push = |m: rules::Matched| {
            let dup = found.iter().rev().take(4).any(|f| {
                f.node == node
                    && f.m.kind == m.kind
                    && f.m.fields.target == m.fields.target
                    && f.m.fields.resource == m.fields.resource
                    && matches!(m.kind, Kind::NodeLost | Kind::NodeMember)
                    && (l.time - f.time).as_secs().abs() < 2
            });
            // pacemakerd 2.1 writes "Shutting down Pacemaker" again each time its shutdown
            // resumes (after each subdaemon stops): one shutdown, one line.
            let again = m.kind == Kind::PacemakerStopping
                && found
                    .iter()
                    .rev()
                    .filter(|f| f.node == node)
                    .find(|f| {
                        matches!(
                            f.m.kind,
                            Kind::PacemakerStopping | Kind::PacemakerStopped | Kind::PacemakerStart
                        )
                    })
                    .is_some_and(|f| f.m.kind == Kind::PacemakerStopping);
            if !dup && !again {
                found.push(Found {
                    m,
                    time: l.time,
                    node: node.clone(),
                    file: t.file.clone(),
                    line: i + 1,
                    raw: raw.to_string(),
                });
            }
        };
        if let Some(m) = m {
            push(m);
        }
        for s in summary {
            push(s);
        }
    }
    found.into_iter().map(|f| finish(f, &ids, o)).collect()
}

fn finish(f: Found, ids: &HashMap<String, String>, o: &Options) -> Event {
    let mut fields = f.m.fields;
    if matches!(f.m.kind, Kind::LinkFaulty | Kind::LinkRecovered) {
        for (k, v) in fields.args.iter_mut() {
            if *k == "node" {
                if let Some(n) = ids.get(v.as_str()) {
                    *v = n.clone();
                }
            }
        }
        if let Some(n) = fields.target.as_ref().and_then(|t| ids.get(t)) {
            fields.target = Some(n.clone());
        }
    }
    for (k, v) in fields.args.iter_mut() {
        if *k == "by" && v.is_empty() {
            v.clone_from(&f.node);
        }
    }
    let fault = fault::fault_of(f.m.kind, &fields, &o.roles);
    Event {
        time: f.time,
        node: f.node,
        priority: f.m.priority,
        event: f.m.kind,
        resource: fields.resource.clone(),
        attribute: fields.attribute.clone(),
        target: fields.target.clone(),
        // JSON keeps pm_logconv's English message whatever the language; the Japanese
        // meaning rides beside it (and is the text line under `--lang ja`).
        message: event::render(f.m.msg.en, &fields),
        meaning_ja: event::render(ja::meaning(f.m.kind), &fields),
        fault,
        file: f.file,
        line: f.line,
        raw: f.raw,
    }
}

/// The events inside a window (either end open).
pub fn within(
    events: Vec<Event>,
    since: Option<jiff::Timestamp>,
    until: Option<jiff::Timestamp>,
) -> Vec<Event> {
    events
        .into_iter()
        .filter(|e| since.is_none_or(|s| e.time >= s) && until.is_none_or(|u| e.time <= u))
        .collect()
}

/// pm_logconv's line: `Dec 01 08:28:48 pm01   error: Resource … does not work.` — in
/// Japanese (the language the binary chose) its meaning instead, as pm_logconv's table has it.
pub fn format_line(e: &Event, tz: &jiff::tz::TimeZone) -> String {
    format_line_in(e, tz, crate::msg::lang())
}

/// [`format_line`] in language `l`.
pub fn format_line_in(e: &Event, tz: &jiff::tz::TimeZone, l: crate::msg::Lang) -> String {
    let t = e
        .time
        .to_zoned_datetime(tz.clone())
        .strftime("%b %d %H:%M:%S");
    let text = match l {
        crate::msg::Lang::En => &e.message,
        crate::msg::Lang::Ja => &e.meaning_ja,
    };
    format!("{t} {} {:>7}: {text}", e.node, e.priority.word())
}

#[cfg(test)]
mod events_tests;
#[cfg(test)]
mod lab_nodes;
#[cfg(test)]
mod lab_slides;
#[cfg(test)]
mod lab_tests;
#[cfg(test)]
mod tests;

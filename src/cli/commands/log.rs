//! `pgrex log`: settings (window, nodes, roles) → read the texts (`--input`, or this node's
//! and the peer's logs through `oplog::source`) → `oplog::convert` → one line or one NDJSON
//! object per event; `--follow` repeats the read and prints what is new.

use crate::cli::args::{GlobalArgs, LogArgs};
use crate::cli::ops::peer_session;
use crate::cli::printer::Printer;
use crate::cli::settings::{self, ConfigNeed};
use pgrex::msg::log as m;
use pgrex::node::{LocalNode, Node, RunAs};
use pgrex::oplog::{self, source, window, Clock, Event, Options, Roles, Text};
use pgrex::snapshot::collect::{self, Sources};
use pgrex::{t, Error, ExitCode};

/// Where the texts come from, decided once.
struct Plan {
    local: Option<String>,
    peer: Option<(Box<dyn Node>, String)>,
}

pub fn run(g: &GlobalArgs, a: &LogArgs, p: &Printer) -> anyhow::Result<ExitCode> {
    let clock = Clock::system();
    let cfg = settings::config(g, ConfigNeed::for_view(!a.input.is_empty()), p)?;
    let time = |s: &Option<String>| -> pgrex::Result<Option<jiff::Timestamp>> {
        s.as_deref()
            .map(|v| window::parse_time(v, &clock))
            .transpose()
            .map_err(|v| {
                let mut e = Error::input("--since/--until", t!(m::BAD_TIME, value = v));
                if let Error::Input { hint, .. } = &mut e {
                    *hint = Some(t!(m::BAD_TIME_HINT));
                }
                e
            })
    };
    let (mut since, until) = (time(&a.since)?, time(&a.until)?);
    let mut roles = Roles::any_profile();
    let tools = settings::tools();
    let plan = if a.input.is_empty() {
        Some(live(g, a, cfg.as_ref(), p, &mut since, &mut roles, &clock))
    } else {
        roles.extend(Roles::of(&settings::names(g, cfg.as_ref(), [])));
        None
    };
    let o = Options {
        roles,
        clock: clock.clone(),
    };
    // A --follow re-read (`again`) takes a smaller tail and says nothing about what it reads.
    let read = |again: bool| -> pgrex::Result<Vec<Text>> {
        let max = if again {
            source::FOLLOW_TAIL_BYTES
        } else {
            source::LOG_TAIL_BYTES
        };
        let Some(plan) = &plan else {
            return source::read_inputs(&a.input);
        };
        let mut texts = vec![];
        let journalctl = tools.path("journalctl").display().to_string();
        if let Some(me) = &plan.local {
            let got = source::read_node(&LocalNode::new(), me, &journalctl, max)?;
            notes(p, again, &got.notes);
            texts.extend(got.texts);
        }
        if let Some((node, name)) = &plan.peer {
            match source::read_node(node.as_ref(), name, "journalctl", max) {
                Ok(got) => {
                    notes(p, again, &got.notes);
                    texts.extend(got.texts);
                }
                Err(e) => p.err(&(t!(m::PEER_UNREADABLE, why = e.chain_text()) + "\n")),
            }
        }
        Ok(texts)
    };
    let pick = |events: Vec<Event>| -> Vec<Event> {
        let v = oplog::within(events, since, until);
        match &a.node {
            Some(n) => v.into_iter().filter(|e| &e.node == n).collect(),
            None => v,
        }
    };
    let events = pick(oplog::convert(&read(false)?, &o));
    if events.is_empty() && !p.json() && !a.follow {
        let show = |t: Option<jiff::Timestamp>| t.map_or("-".to_string(), |t| t.to_string());
        p.err(&(t!(m::NOTHING, since = show(since), until = show(until)) + "\n"));
    }
    print(p, a.raw, &events, &clock)?;
    if a.follow {
        // Line numbers change between reads (a tail starts elsewhere): what was printed is
        // known by its time, and at the newest time by node and line text.
        let mut seen = Seen::default();
        seen.note(&events);
        loop {
            std::thread::sleep(std::time::Duration::from_secs(2));
            let fresh: Vec<Event> = pick(oplog::convert(&read(true)?, &o))
                .into_iter()
                .filter(|e| seen.is_new(e))
                .collect();
            print(p, a.raw, &fresh, &clock)?;
            seen.note(&fresh);
            if p.out_closed() {
                break;
            }
        }
    }
    Ok(ExitCode::Ok)
}

/// The live sources: this node (unless `--node` names the other), the peer's session when
/// wanted; the default window (the fault episode, else the last hour) and the cluster's own
/// resource names, from one look at the cluster.
fn live(
    g: &GlobalArgs,
    a: &LogArgs,
    cfg: Option<&pgrex::config::Config>,
    p: &Printer,
    since: &mut Option<jiff::Timestamp>,
    roles: &mut Roles,
    clock: &Clock,
) -> Plan {
    let names = |ids: &[&str]| settings::names(g, cfg, ids.iter().copied());
    // The window and the names only: a cluster that cannot be observed leaves the defaults.
    let snap = settings::collect(Sources::STATUS, &[])
        .ok()
        .and_then(|set| collect::observe(None, &set, &names, || Err(String::new()), "log").ok());
    let state = snap.as_ref().and_then(|s| s.view());
    if let Some(s) = &snap {
        roles.extend(Roles::of(&names(&s.resource_ids())));
    }
    if since.is_none() {
        let episode = state.and_then(|st| window::episode_start(st, clock));
        let start = episode.unwrap_or_else(|| clock.now - jiff::SignedDuration::from_hours(1));
        let shown = start
            .to_zoned_datetime(clock.tz.clone())
            .strftime("%Y-%m-%d %H:%M:%S");
        let note = match episode {
            Some(_) => t!(m::WINDOW_EPISODE, since = shown),
            None => t!(m::WINDOW_HOUR, since = shown),
        };
        p.err(&(note + "\n"));
        *since = Some(start);
    }
    let me = pgrex::pacemaker::source::local_node_name(&settings::tools())
        .or_else(|| {
            nix::unistd::gethostname()
                .ok()
                .map(|h| h.to_string_lossy().into_owned())
        })
        .unwrap_or_else(|| "localhost".into());
    let want_peer = a.both || a.node.as_deref().is_some_and(|n| n != me);
    let peer = if want_peer {
        match peer_session(cfg, p) {
            Ok(node) => {
                let name = peer_name(node.as_ref());
                Some((node, name))
            }
            Err(why) => {
                p.err(&(t!(m::PEER_UNREADABLE, why = why) + "\n"));
                None
            }
        }
    } else {
        None
    };
    let local = (a.node.is_none() || a.node.as_deref() == Some(me.as_str())).then_some(me);
    Plan { local, peer }
}

/// What `--follow` has printed: the newest time, and the events at that time.
#[derive(Default)]
struct Seen {
    last: Option<jiff::Timestamp>,
    at_last: std::collections::HashSet<(String, String, String)>,
}

impl Seen {
    fn id(e: &Event) -> (String, String, String) {
        (e.node.clone(), e.raw.clone(), e.message.clone())
    }

    fn is_new(&self, e: &Event) -> bool {
        match self.last {
            None => true,
            Some(t) => e.time > t || (e.time == t && !self.at_last.contains(&Self::id(e))),
        }
    }

    fn note(&mut self, printed: &[Event]) {
        for e in printed {
            if self.last.is_none_or(|t| e.time > t) {
                self.last = Some(e.time);
                self.at_last.clear();
            }
            if self.last == Some(e.time) {
                self.at_last.insert(Self::id(e));
            }
        }
    }
}

fn notes(p: &Printer, quiet: bool, notes: &[String]) {
    if !quiet {
        for n in notes {
            p.err(&format!("{n}\n"));
        }
    }
}

/// The peer's own name (`uname -n`), else how the session names it.
fn peer_name(node: &dyn Node) -> String {
    let cmd = pgrex::exec::Cmd::new("uname").arg("-n");
    node.run(&cmd, &RunAs::Root)
        .ok()
        .map(|o| o.stdout.trim().to_string())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| node.describe())
}

fn print(p: &Printer, raw: bool, events: &[Event], clock: &Clock) -> anyhow::Result<()> {
    let mut out = String::new();
    for e in events {
        if p.json() {
            let mut v = serde_json::to_value(e)?;
            v["schema_version"] = 1.into();
            out.push_str(&(serde_json::to_string(&v)? + "\n"));
        } else if raw {
            out.push_str(&format!("{}\n", e.raw));
        } else {
            out.push_str(&(oplog::format_line(e, &clock.tz) + "\n"));
        }
    }
    p.out(&out);
    Ok(())
}

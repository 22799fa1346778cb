//! `pgrex log`'s reading: the one look at the cluster its plan starts from, then the texts
//! (saved files, or this node's and the peer's logs through `oplog::source`) → `convert` →
//! the plan's events, once, and again every two seconds under `--follow` with only what is
//! new. Never prints: what was read where comes back as notes beside the events.

use super::plan::{self, Ask, Plan};
use super::{convert, source, Clock, Event, Options, Text};
use crate::exec::Tools;
use crate::node::Node;
use crate::snapshot::collect::{self, CollectSettings, NamesFor};
use crate::Result;
use std::collections::HashSet;
use std::path::PathBuf;

/// How often `--follow` reads again.
pub const FOLLOW_EVERY: std::time::Duration = std::time::Duration::from_secs(2);

/// The live plan from one look at the cluster (what `set` asks, `Sources::STATUS`: it gives
/// the window and the names only, so a cluster that cannot be observed — `set` is `None`
/// when its settings could not be made — leaves the defaults) and this node's cluster name.
pub fn live_plan(
    ask: Ask,
    tools: &Tools,
    set: Option<&CollectSettings>,
    names: NamesFor,
    clock: &Clock,
) -> Plan {
    let snap =
        set.and_then(|set| collect::observe(None, set, names, || Err(String::new()), "log").ok());
    let me = crate::pacemaker::source::local_node_name(tools).unwrap_or_else(|| "localhost".into());
    plan::live(ask, snap.as_ref(), names, &me, clock)
}

/// Where the texts come from.
pub enum Logs<'a> {
    /// `--input`: saved files, each read whole.
    Saved(&'a [PathBuf]),
    Live {
        /// This node, when the plan reads it, and `journalctl`'s path here.
        local: Option<(&'a dyn Node, String)>,
        journalctl: String,
        /// The peer's session and its name.
        peer: Option<(Box<dyn Node>, String)>,
    },
}

impl<'a> Logs<'a> {
    /// The live sources of `plan`: `local` is this node, `peer` the peer's session when the
    /// plan wants it and the session could be opened.
    pub fn live(
        plan: &Plan,
        local: &'a dyn Node,
        journalctl: String,
        peer: Option<Box<dyn Node>>,
    ) -> Logs<'a> {
        Logs::Live {
            local: plan.local.clone().map(|me| (local, me)),
            journalctl,
            peer: peer.map(|n| {
                let name = peer_name(n.as_ref());
                (n, name)
            }),
        }
    }
}

/// One read's events and what the operator is told about it (what was read where, a peer
/// whose logs could not be read).
#[derive(Debug, Default)]
pub struct Batch {
    pub events: Vec<Event>,
    pub notes: Vec<String>,
}

/// A plan and its sources, ready to read.
pub struct Log<'a> {
    plan: &'a Plan,
    from: Logs<'a>,
    options: Options,
}

impl<'a> Log<'a> {
    pub fn new(plan: &'a Plan, from: Logs<'a>, clock: &Clock) -> Log<'a> {
        let options = Options {
            roles: plan.roles.clone(),
            clock: clock.clone(),
        };
        Log {
            plan,
            from,
            options,
        }
    }

    /// The first read: the plan's events, and what was read where.
    pub fn read(&self) -> Result<Batch> {
        self.batch(false)
    }

    /// `--follow` after `printed` (the first read's events).
    pub fn follow(&self, printed: &[Event]) -> Follow<'_> {
        let mut seen = Seen::default();
        seen.note(printed);
        Follow { log: self, seen }
    }

    /// A `--follow` re-read (`again`) takes a smaller tail and says nothing about what it
    /// reads (only that the peer's could not be read).
    fn batch(&self, again: bool) -> Result<Batch> {
        let (texts, notes) = self.texts(again)?;
        Ok(Batch {
            events: self.plan.pick(convert(&texts, &self.options)),
            notes,
        })
    }

    fn texts(&self, again: bool) -> Result<(Vec<Text>, Vec<String>)> {
        let max = if again {
            source::FOLLOW_TAIL_BYTES
        } else {
            source::LOG_TAIL_BYTES
        };
        let (local, journalctl, peer) = match &self.from {
            Logs::Saved(paths) => return Ok((source::read_inputs(paths)?, vec![])),
            Logs::Live {
                local,
                journalctl,
                peer,
            } => (local, journalctl, peer),
        };
        let (mut texts, mut notes) = (vec![], vec![]);
        let mut take = |got: source::NodeTexts| {
            if !again {
                notes.extend(got.notes);
            }
            texts.extend(got.texts);
        };
        if let Some((node, me)) = local {
            take(source::read_node(*node, me, journalctl, max)?);
        }
        if let Some((node, name)) = peer {
            // The peer's own journalctl is found on its PATH (the overrides are this node's).
            match source::read_node(node.as_ref(), name, "journalctl", max) {
                Ok(got) => take(got),
                Err(e) => notes.push(peer_unreadable(&e.chain_text())),
            }
        }
        Ok((texts, notes))
    }
}

/// The note for a peer whose logs are not read, and why.
pub fn peer_unreadable(why: &str) -> String {
    crate::t!(crate::msg::log::PEER_UNREADABLE, why = why)
}

/// `--follow`'s reads after the first.
pub struct Follow<'a> {
    log: &'a Log<'a>,
    seen: Seen,
}

impl Follow<'_> {
    /// Wait [`FOLLOW_EVERY`], read again, and return the events not returned before.
    pub fn next_batch(&mut self) -> Result<Batch> {
        std::thread::sleep(FOLLOW_EVERY);
        self.fresh()
    }

    fn fresh(&mut self) -> Result<Batch> {
        let mut b = self.log.batch(true)?;
        b.events.retain(|e| self.seen.is_new(e));
        self.seen.note(&b.events);
        Ok(b)
    }
}

/// What `--follow` has returned: the newest time, and the events at that time. Line numbers
/// change between reads (a tail starts elsewhere): what was returned is known by its time,
/// and at the newest time by node and line text.
#[derive(Default)]
struct Seen {
    last: Option<jiff::Timestamp>,
    at_last: HashSet<(String, String, String)>,
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

/// The peer's cluster name by the one rule for every node (`crm_node -n` there, else its
/// short host name), else how the session names it.
fn peer_name(node: &dyn Node) -> String {
    crate::pacemaker::source::node_name(node, &Tools::new()).unwrap_or_else(|| node.describe())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::fake::{fixture, FakeNode};
    use crate::profile::{Names, Profile};
    use crate::snapshot::log_files::PACEMAKER_DETAIL_LOG;

    fn clock() -> Clock {
        Clock::fixed_utc("2026-12-01T09:00:00Z".parse().unwrap())
    }

    /// A node with its recorded logs of the pgsql failure (`pm01` or `pm02`).
    fn node(n: &str, peer: bool) -> FakeNode {
        let log = |f: &str| fixture(&format!("log/pgsql-failure/{n}.{f}.log"));
        let node = if peer {
            FakeNode::peer("198.51.100.12").answer("uname -n", 0, format!("{n}\n"))
        } else {
            FakeNode::local()
        };
        node.file(PACEMAKER_DETAIL_LOG, log("pacemaker"))
            .file("/var/log/corosync/corosync.log", log("corosync"))
    }

    fn both() -> Plan {
        let ask = Ask {
            both: true,
            ..Ask::default()
        };
        let names = |_: &[&str]| Names::defaults(Profile::Pgrex17);
        plan::live(ask, None, &names, "pm01", &clock())
    }

    #[test]
    fn both_nodes_logs_merged_with_what_was_read_where() {
        let plan = both();
        let (pm01, pm02) = (node("pm01", false), node("pm02", true));
        let from = Logs::live(&plan, &pm01, "journalctl".into(), Some(Box::new(pm02)));
        let b = Log::new(&plan, from, &clock()).read().unwrap();
        assert!(b.events.iter().any(|e| e.node == "pm01"));
        assert!(b.events.iter().any(|e| e.node == "pm02"));
        assert!(b.events.windows(2).all(|w| w[0].time <= w[1].time));
        let on = |n: &str| {
            b.notes
                .iter()
                .filter(|s| s.ends_with(&format!("on {n}")))
                .count()
        };
        assert!(on("pm01") >= 1 && on("pm02") >= 1, "{:?}", b.notes);
        assert!(
            b.notes[0].ends_with("on pm01"),
            "this node's first: {:?}",
            b.notes
        );
    }

    #[test]
    fn a_peer_without_logs_is_a_note_and_this_node_still_shows() {
        let plan = both();
        let pm01 = node("pm01", false);
        // A fully qualified host name: the peer is named by the one node-name rule (short).
        let bare = FakeNode::peer("198.51.100.12").answer("uname -n", 0, "pm02.example.com\n");
        let from = Logs::live(&plan, &pm01, "journalctl".into(), Some(Box::new(bare)));
        let b = Log::new(&plan, from, &clock()).read().unwrap();
        assert!(!b.events.is_empty() && b.events.iter().all(|e| e.node == "pm01"));
        let last = b.notes.last().unwrap();
        assert!(
            last.starts_with("the other node's log was not read: "),
            "{last}"
        );
        assert!(
            last.contains("pm02") && !last.contains("example.com"),
            "named by its short host name: {last}"
        );
    }

    #[test]
    fn follow_returns_only_what_is_new_and_says_nothing_of_where() {
        let plan = both();
        let (pm01, pm02) = (node("pm01", false), node("pm02", true));
        let from = Logs::live(&plan, &pm01, "journalctl".into(), Some(Box::new(pm02)));
        let log = Log::new(&plan, from, &clock());
        let first = log.read().unwrap();
        // Printed up to the newest instant but one of its events: only that one is new.
        let mut printed = first.events.clone();
        let newest = printed.pop().unwrap();
        let again = log.follow(&printed).fresh().unwrap();
        assert!(again.notes.is_empty(), "{:?}", again.notes);
        let new: Vec<_> = again.events.iter().map(|e| (&e.node, &e.raw)).collect();
        assert!(new.contains(&(&newest.node, &newest.raw)), "{new:?}");
        assert!(again.events.iter().all(|e| e.time >= newest.time));
        let mut all = log.follow(&first.events);
        assert!(all.fresh().unwrap().events.is_empty());
    }
}

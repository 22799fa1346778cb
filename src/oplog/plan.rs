//! What `pgrex log` reads and shows, decided once from what the operator asked and one look
//! at the cluster: the window (the operator's, else the current fault episode, else the last
//! hour), whose logs (this node's unless `--node` names the other, the peer's with `--both`
//! or `--node <peer>`), which events (`--node`'s only) and the cluster's own resource names
//! for the fault ids. Pure: the look at the cluster comes in as a snapshot (or none), the
//! node's own name as a string; `oplog::run` does the reading.

use super::{window, Clock, Event, Roles};
use crate::pacemaker::ClusterState;
use crate::profile::Names;
use crate::snapshot::Snapshot;
use jiff::Timestamp;

/// What the operator asked (the times already read, `window::parse_arg`).
#[derive(Debug, Clone, Default)]
pub struct Ask {
    pub since: Option<Timestamp>,
    pub until: Option<Timestamp>,
    /// `--node`: only this node's events.
    pub node: Option<String>,
    /// `--both`: the peer's logs too.
    pub both: bool,
}

/// Where the window starts when `--since` is not given on the live logs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DefaultSince {
    /// The current fault episode (the first failure the cluster still shows, less a minute).
    Episode(Timestamp),
    /// The cluster shows no failure (or could not be observed): the last hour.
    LastHour(Timestamp),
}

impl DefaultSince {
    pub fn start(self) -> Timestamp {
        match self {
            DefaultSince::Episode(t) | DefaultSince::LastHour(t) => t,
        }
    }
}

/// The window and the sources, decided once.
#[derive(Debug, Clone)]
pub struct Plan {
    pub since: Option<Timestamp>,
    pub until: Option<Timestamp>,
    /// Set when the window's start is the default (the operator is told which).
    pub default_since: Option<DefaultSince>,
    /// `--node`: only this node's events.
    pub node: Option<String>,
    /// The resource ids of each role: every profile's, and the cluster's own when known.
    pub roles: Roles,
    /// This node's name, when its logs are read (`None` with `--input`, or when `--node`
    /// names the other node).
    pub local: Option<String>,
    /// Whether the peer's logs are read (its session is the binary's to open).
    pub peer: bool,
}

/// The default window's start: the fault episode the cluster still shows, else an hour ago.
pub fn default_since(state: Option<&ClusterState>, clock: &Clock) -> DefaultSince {
    match state.and_then(|st| window::episode_start(st, clock)) {
        Some(t) => DefaultSince::Episode(t),
        None => DefaultSince::LastHour(clock.now - jiff::SignedDuration::from_hours(1)),
    }
}

/// The live logs' plan. `snap`: the one look at the cluster (`None`: it could not be
/// observed, which leaves the defaults); `me`: this node's cluster name.
pub fn live(
    ask: Ask,
    snap: Option<&Snapshot>,
    names: &dyn Fn(&[&str]) -> Names,
    me: &str,
    clock: &Clock,
) -> Plan {
    let mut roles = Roles::any_profile();
    if let Some(s) = snap {
        roles.extend(Roles::of(&names(&s.resource_ids())));
    }
    let default_since = ask
        .since
        .is_none()
        .then(|| default_since(snap.and_then(Snapshot::view), clock));
    let peer = ask.both || ask.node.as_deref().is_some_and(|n| n != me);
    let local = ask.node.as_deref().is_none_or(|n| n == me);
    Plan {
        since: ask.since.or(default_since.map(DefaultSince::start)),
        until: ask.until,
        default_since,
        local: local.then(|| me.to_string()),
        peer,
        node: ask.node,
        roles,
    }
}

/// The plan over saved files (`--input`): the window as asked (open ends: the whole file),
/// the names the configuration and the profile give.
pub fn saved(ask: Ask, names: &Names) -> Plan {
    let mut roles = Roles::any_profile();
    roles.extend(Roles::of(names));
    Plan {
        since: ask.since,
        until: ask.until,
        default_since: None,
        node: ask.node,
        roles,
        local: None,
        peer: false,
    }
}

impl Plan {
    /// The events to show: inside the window, and only `--node`'s.
    pub fn pick(&self, events: Vec<Event>) -> Vec<Event> {
        let v = super::within(events, self.since, self.until);
        match &self.node {
            Some(n) => v.into_iter().filter(|e| &e.node == n).collect(),
            None => v,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::Profile;
    use crate::testkit::Cluster;

    fn clock() -> Clock {
        Clock::fixed_utc("2026-12-01T09:00:00Z".parse().unwrap())
    }

    fn names(p: Profile) -> impl Fn(&[&str]) -> Names {
        move |_: &[&str]| Names::defaults(p)
    }

    fn ask(node: Option<&str>, both: bool) -> Ask {
        Ask {
            node: node.map(str::to_string),
            both,
            ..Ask::default()
        }
    }

    #[test]
    fn the_default_window_is_the_fault_episode_the_cluster_shows() {
        let mut c = Cluster::healthy(Profile::Pgrex17);
        c.failed_over();
        let snap = c.snapshot();
        let p = live(
            ask(None, false),
            Some(&snap),
            &names(Profile::Pgrex17),
            "pm02",
            &clock(),
        );
        // failed-over.xml's failed monitor: last-rc-change Tue Nov 24 09:00:00 2026, less a
        // minute so the lines leading to it show too.
        let start: Timestamp = "2026-11-24T08:59:00Z".parse().unwrap();
        assert_eq!(p.default_since, Some(DefaultSince::Episode(start)));
        assert_eq!(p.since, Some(start));
    }

    #[test]
    fn without_a_fault_or_a_cluster_the_default_window_is_the_last_hour() {
        let hour_ago: Timestamp = "2026-12-01T08:00:00Z".parse().unwrap();
        let snap = Cluster::healthy(Profile::Pgrex17).snapshot();
        for s in [Some(&snap), None] {
            let p = live(
                ask(None, false),
                s,
                &names(Profile::Pgrex17),
                "pm02",
                &clock(),
            );
            assert_eq!(p.default_since, Some(DefaultSince::LastHour(hour_ago)));
            assert_eq!(p.since, Some(hour_ago));
        }
    }

    #[test]
    fn an_asked_window_is_kept_and_no_default_is_announced() {
        let mut c = Cluster::healthy(Profile::Pgrex17);
        c.failed_over();
        let snap = c.snapshot();
        let since: Timestamp = "2026-12-01T08:30:00Z".parse().unwrap();
        let until: Timestamp = "2026-12-01T08:40:00Z".parse().unwrap();
        let a = Ask {
            since: Some(since),
            until: Some(until),
            ..Ask::default()
        };
        let p = live(a, Some(&snap), &names(Profile::Pgrex17), "pm02", &clock());
        assert_eq!(p.default_since, None);
        assert_eq!((p.since, p.until), (Some(since), Some(until)));
    }

    #[test]
    fn which_nodes_logs_are_read() {
        let n = names(Profile::Pgrex17);
        let c = clock();
        let of = |a: Ask| {
            let p = live(a, None, &n, "pm01", &c);
            (p.local, p.peer)
        };
        let me = Some("pm01".to_string());
        assert_eq!(of(ask(None, false)), (me.clone(), false), "this node only");
        assert_eq!(of(ask(None, true)), (me.clone(), true), "--both");
        assert_eq!(of(ask(Some("pm01"), false)), (me, false), "--node <me>");
        assert_eq!(of(ask(Some("pm02"), false)), (None, true), "--node <peer>");
    }

    #[test]
    fn roles_add_the_cluster_s_own_names_to_every_profile_s() {
        let snap = Cluster::healthy(Profile::Seed).snapshot();
        let seed = Names::defaults(Profile::Seed);
        let mut custom = seed.clone();
        custom.primitive = "my-pgsql".into();
        let p = live(
            ask(None, false),
            Some(&snap),
            &move |_: &[&str]| custom.clone(),
            "pm01",
            &clock(),
        );
        assert!(p.roles.pgsql.contains(&"my-pgsql".to_string()));
        assert!(p.roles.pgsql.contains(&seed.primitive));
        // Unobserved: every profile's names only.
        let p = live(
            ask(None, false),
            None,
            &names(Profile::Seed),
            "pm01",
            &clock(),
        );
        assert!(!p.roles.pgsql.contains(&"my-pgsql".to_string()));
    }

    #[test]
    fn saved_files_keep_the_asked_window_and_filter_by_node() {
        let p = saved(ask(Some("pm02"), false), &Names::defaults(Profile::Pgrex17));
        assert_eq!(
            (p.since, p.default_since, p.local.clone(), p.peer),
            (None, None, None, false)
        );
        let texts = super::super::tests::fixture("node-failure");
        let events = crate::oplog::convert(
            &texts,
            &crate::oplog::Options {
                roles: p.roles.clone(),
                clock: clock(),
            },
        );
        let picked = p.pick(events.clone());
        assert!(!picked.is_empty() && picked.len() < events.len());
        assert!(picked.iter().all(|e| e.node == "pm02"));
    }
}

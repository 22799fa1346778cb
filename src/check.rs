//! `pgrex check`: the monitoring-plugin reading of the one judgement (Nagios, Icinga,
//! Zabbix user parameters). One [`Check`] per snapshot: the plugin state (0 OK, 1 WARNING,
//! 2 CRITICAL, 3 UNKNOWN) from the verdict of [`crate::judge`] — the very verdict `pgrex
//! status` shows — its reason, and the performance data.
//!
//! Pure: the binary collects the snapshot and prints [`Check::line`]; usage errors and
//! unreadable inputs are mapped to UNKNOWN there.

use crate::judge::{self, StatusDoc};
use crate::profile::Names;
use crate::snapshot::Snapshot;
use crate::status::Verdict;

/// The monitoring-plugin states and their exit codes (the Nagios plugin guidelines).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum PluginState {
    Ok = 0,
    Warning = 1,
    Critical = 2,
    Unknown = 3,
}

impl PluginState {
    /// Every state, in order (the man page's EXIT STATUS is rendered from this).
    pub const ALL: [PluginState; 4] = [
        PluginState::Ok,
        PluginState::Warning,
        PluginState::Critical,
        PluginState::Unknown,
    ];

    /// What the state means for `pgrex check`.
    pub fn meaning(self) -> &'static str {
        match self {
            PluginState::Ok => "OK: the cluster is HEALTHY",
            PluginState::Warning => "WARNING: the cluster is DEGRADED",
            PluginState::Critical => "CRITICAL: the cluster shows a FAULT",
            PluginState::Unknown => {
                "UNKNOWN: the cluster cannot be observed from here, or a usage error"
            }
        }
    }

    pub fn code(self) -> u8 {
        self as u8
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PluginState::Ok => "OK",
            PluginState::Warning => "WARNING",
            PluginState::Critical => "CRITICAL",
            PluginState::Unknown => "UNKNOWN",
        }
    }

    /// HEALTHY is OK, DEGRADED a WARNING, FAULT CRITICAL, UNKNOWN (not observable) UNKNOWN.
    pub fn of(v: Verdict) -> PluginState {
        match v {
            Verdict::Healthy => PluginState::Ok,
            Verdict::Degraded => PluginState::Warning,
            Verdict::Fault => PluginState::Critical,
            Verdict::Unknown => PluginState::Unknown,
        }
    }
}

/// The performance data; `None` is printed `U` (the guidelines' "cannot be determined").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Perf {
    /// Nodes Pacemaker shows online, of `nodes_total`.
    pub nodes_online: Option<usize>,
    pub nodes_total: Option<usize>,
    /// The largest replication lag this node's PostgreSQL reports, in bytes.
    pub lag_bytes: Option<u64>,
    /// How many (node, resource) pairs have a fail-count above 0.
    pub failcounts: Option<usize>,
    /// Events in the fencing history (failed and successful).
    pub fence_events: Option<usize>,
}

/// One plugin result.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Check {
    pub state: PluginState,
    pub verdict: Verdict,
    pub reason: String,
    pub perf: Perf,
}

/// Judge a snapshot as `pgrex status` does and read it as a plugin result.
pub fn check(s: &Snapshot, names: &Names) -> Check {
    let doc = judge::status(s, names);
    let reason = match &doc {
        StatusDoc::Observed(r) => r.reason.clone(),
        StatusDoc::Unobserved(u) => u.reason.clone(),
    };
    let verdict = doc.verdict();
    let view = s.view();
    let perf = Perf {
        nodes_online: view.map(|st| st.nodes.iter().filter(|n| n.online).count()),
        nodes_total: view.map(|st| st.nodes.len()),
        lag_bytes: s
            .postgres
            .known()
            .and_then(Option::as_ref)
            .and_then(|p| p.max_lag()),
        failcounts: view.map(|st| st.node_history.iter().filter(|h| h.fail_count > 0).count()),
        fence_events: s.fencing.known().map(Vec::len),
    };
    Check {
        state: PluginState::of(verdict),
        verdict,
        reason,
        perf,
    }
}

impl Check {
    /// `PGREX <STATE> - <VERDICT>: <reason> | nodes_online=2;;;0;2 lag_bytes=0B;;;0 …`
    /// (one line: a reason's line breaks become spaces, a `|` in it a `/`, as the perfdata
    /// separator must stay unique).
    pub fn line(&self) -> String {
        let reason: String = self
            .reason
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .replace('|', "/");
        format!(
            "PGREX {} - {}: {} | {}",
            self.state.as_str(),
            self.verdict.as_str(),
            reason,
            self.perf.render()
        )
    }
}

impl Perf {
    /// `label=value[UOM];warn;crit;min;max`, `U` for a value that cannot be determined.
    pub fn render(&self) -> String {
        fn v<T: std::fmt::Display>(x: Option<T>, uom: &str) -> String {
            x.map_or("U".to_string(), |x| format!("{x}{uom}"))
        }
        let max = self
            .nodes_total
            .map(|t| format!(";{t}"))
            .unwrap_or_default();
        format!(
            "nodes_online={};;;0{max} lag_bytes={};;;0 failcounts={};;;0 fence_events={};;;0",
            v(self.nodes_online, ""),
            v(self.lag_bytes, "B"),
            v(self.failcounts, ""),
            v(self.fence_events, ""),
        )
    }
}

/// The line for a check that could not run at all (a usage error, an unreadable input).
pub fn unknown_line(why: &str) -> String {
    let why: String = why.split_whitespace().collect::<Vec<_>>().join(" ");
    format!(
        "PGREX UNKNOWN - {} | {}",
        why.replace('|', "/"),
        Perf::default().render()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_map_to_the_plugin_states() {
        assert_eq!(PluginState::of(Verdict::Healthy).code(), 0);
        assert_eq!(PluginState::of(Verdict::Degraded).code(), 1);
        assert_eq!(PluginState::of(Verdict::Fault).code(), 2);
        assert_eq!(PluginState::of(Verdict::Unknown).code(), 3);
    }

    #[test]
    fn unknown_values_are_u_and_the_line_has_one_pipe() {
        let c = Check {
            state: PluginState::Warning,
            verdict: Verdict::Degraded,
            reason: "a | b\nc".into(),
            perf: Perf {
                nodes_online: Some(1),
                nodes_total: Some(2),
                ..Default::default()
            },
        };
        assert_eq!(
            c.line(),
            "PGREX WARNING - DEGRADED: a / b c | nodes_online=1;;;0;2 lag_bytes=U;;;0 failcounts=U;;;0 fence_events=U;;;0"
        );
    }

    #[test]
    fn the_healthy_fixture_is_ok_with_its_counts() {
        use crate::profile::Profile;
        let (state, cib) = crate::testkit::recorded(Profile::Pgrex17, "healthy");
        let s = Snapshot::from_state(state, Some(cib), "test");
        let c = check(&s, &Names::defaults(Profile::Pgrex17));
        assert_eq!(c.state, PluginState::Ok, "{}", c.line());
        assert_eq!(c.perf.nodes_online, Some(2));
        assert_eq!(c.perf.failcounts, Some(0));
    }
}

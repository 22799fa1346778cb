//! One step of a playbook as data: what kind of step it is ([`Action`]), the node it belongs
//! to, and the words around it (the instruction with this cluster's commands, and the
//! precondition, postcondition and rollback note every step of a kind shares). `pgrex
//! diagnose` prints these; `pgrex recover` (`ops::recover`) runs them — one source.

use crate::msg::{diag as m, Msg};
use serde::Serialize;

/// How `standby-start` may bring the node back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MethodPolicy {
    /// As the facts allow: as it is (`-n`) when standby-start's checks prove it safe, else
    /// pg_rewind (`-r`); a base backup (`-b`) only with the operator's consent.
    AsFactsAllow,
    /// Its data may have diverged (it was primary while another was): rewind or base
    /// backup, never as it is.
    NeverAsIs,
}

/// What the cluster must show before the playbook goes on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Until {
    /// The other node is primary (the failover happened).
    Takeover,
    /// The node is OFFLINE (its stack stopped or fenced).
    Offline,
    /// The standby is `HS:sync`.
    StandbySync,
    /// The node answers over SSH (back from the reboot of a fence).
    Answers,
}

/// What a human must do before pgrex can go on, and what pgrex then checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Cause {
    /// Repair what broke (a VIP, PostgreSQL, a LAN): pgrex checks that the finding's own
    /// evidence is gone from a fresh observation.
    Repair,
    /// Replace or repair the disk: the disk monitor's attribute is no longer an error.
    ReplaceDisk,
    /// Power the node on: it answers over SSH.
    PowerOn,
    /// Power the node off if it is not OFFLINE: the cluster shows it OFFLINE.
    PowerOffIfUp,
    /// Power the node off by hand before confirming its fencing: pgrex cannot see a
    /// power state; only the operator's `--confirm-fenced NODE` says so.
    PowerOff,
    /// Repair an interconnect link: corosync shows every link connected.
    RepairLink,
}

/// What pgrex itself looks at to see an operator action's cause gone (the step's
/// postcondition); [`Check::Unobservable`] where it has nothing to look at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "what", rename_all = "kebab-case")]
pub enum Check {
    /// The node answers over SSH (a fresh session; this node always does).
    Answers,
    /// The cluster shows the node OFFLINE.
    Offline,
    /// corosync shows every interconnect link connected (no `heartbeat-link-degraded`).
    LinksConnected,
    /// The NIC a VIP is on reports `up` on the node (`/sys/class/net/NIC/operstate`).
    NicUp { nic: String },
    /// The node reaches the address (`ping -c 1 -W 2 ADDR` run on it; a step without a
    /// node: each node).
    Reaches { addr: String },
    /// Every disk the disk monitor reads answers a direct read of one block on the node.
    DiskReads { drives: Vec<String> },
    /// The cluster shows the node online (a daemon Pacemaker restarted in place).
    Online,
    /// pgrex has nothing to look at: the operator confirms (`--yes` confirms) and the next
    /// operation's own checks refuse while the cause shows.
    Unobservable,
}

/// The kind of a step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Action {
    /// `pgrex cleanup [RESOURCE] --node NODE` (all nodes without a node).
    Cleanup { resource: Option<String> },
    /// `pgrex stop` on the node.
    Stop,
    /// `pgrex standby-start` on the node.
    StandbyStart { method: MethodPolicy },
    /// `pgrex primary-start` on the node.
    PrimaryStart,
    /// `pgrex switchover` back to the node (only with `--switchback`).
    Switchover,
    /// `stonith_admin --cleanup --history NODE` for each node (or the one named).
    ClearFenceHistory,
    /// Resume management where the finding shows it suspended: the cluster-wide
    /// `maintenance-mode`, each node's `maintenance` attribute, each unmanaged resource's
    /// `is-managed` / `maintenance` meta ([`Action::leave_maintenance_commands`]).
    LeaveMaintenance {
        cluster: bool,
        nodes: Vec<String>,
        resources: Vec<String>,
    },
    /// `stonith_admin --confirm NODE`: only on the operator's `--confirm-fenced NODE`.
    ConfirmFence,
    /// Wait until the cluster shows something.
    Wait { until: Until },
    /// A human acts; pgrex waits until its own check sees the cause gone.
    Operator { cause: Cause, check: Check },
    /// Judge the cluster again: the playbook is done when its finding is gone.
    Verify,
    /// Nothing to run: a fact the operator must know (who stays primary, what a later
    /// step checks).
    Note,
}

impl Action {
    /// Whether running it changes a node (asked before unless `--yes`).
    pub fn changes(&self) -> bool {
        matches!(
            self,
            Action::Cleanup { .. }
                | Action::Stop
                | Action::StandbyStart { .. }
                | Action::PrimaryStart
                | Action::Switchover
                | Action::ClearFenceHistory
                | Action::LeaveMaintenance { .. }
                | Action::ConfirmFence
        )
    }

    /// Whether it runs on one node, which the step must name (a step without a node would
    /// otherwise run where recover runs).
    pub fn on_a_node(&self) -> bool {
        matches!(
            self,
            Action::Stop
                | Action::StandbyStart { .. }
                | Action::PrimaryStart
                | Action::ConfirmFence
        )
    }

    /// The commands of a [`Action::LeaveMaintenance`] step, as argument vectors (the
    /// program first), in order: the cluster, the nodes, the resources. Deleting an
    /// attribute that is not set succeeds (Pacemaker 2.1); for a primitive in a clone,
    /// `crm_resource` deletes where the attribute is set (the primitive or its parent).
    pub fn leave_maintenance_commands(&self) -> Vec<Vec<String>> {
        let Action::LeaveMaintenance {
            cluster,
            nodes,
            resources,
        } = self
        else {
            return Vec::new();
        };
        let v = |a: &[&str]| a.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let mut out = Vec::new();
        if *cluster {
            out.push(v(&[
                "crm_attribute",
                "--type",
                "crm_config",
                "--name",
                "maintenance-mode",
                "--delete",
            ]));
        }
        for n in nodes {
            out.push(v(&[
                "crm_attribute",
                "--type",
                "nodes",
                "--node",
                n,
                "--name",
                "maintenance",
                "--delete",
            ]));
        }
        for r in resources {
            for meta in ["is-managed", "maintenance"] {
                out.push(v(&[
                    "crm_resource",
                    "--resource",
                    r,
                    "--meta",
                    "--delete-parameter",
                    meta,
                ]));
            }
        }
        out
    }

    /// The kebab-case name (as in JSON).
    pub fn name(&self) -> &'static str {
        match self {
            Action::Cleanup { .. } => "cleanup",
            Action::Stop => "stop",
            Action::StandbyStart { .. } => "standby-start",
            Action::PrimaryStart => "primary-start",
            Action::Switchover => "switchover",
            Action::ClearFenceHistory => "clear-fence-history",
            Action::LeaveMaintenance { .. } => "leave-maintenance",
            Action::ConfirmFence => "confirm-fence",
            Action::Wait { .. } => "wait",
            Action::Operator { .. } => "operator",
            Action::Verify => "verify",
            Action::Note => "note",
        }
    }

    fn words(&self) -> (Msg, Msg, Msg) {
        use Action as A;
        match self {
            A::Cleanup { .. } => (m::PRE_CLEANUP, m::POST_CLEANUP, m::RB_CLEANUP),
            A::Stop => (m::PRE_STOP, m::POST_STOP, m::RB_STOP),
            A::StandbyStart { .. } => (m::PRE_STANDBY, m::POST_STANDBY, m::RB_STANDBY),
            A::PrimaryStart => (m::PRE_PRIMARY, m::POST_PRIMARY, m::RB_PRIMARY),
            A::Switchover => (m::PRE_SWITCHOVER, m::POST_SWITCHOVER, m::RB_SWITCHOVER),
            A::ClearFenceHistory => (m::PRE_FENCE_CLEAR, m::POST_FENCE_CLEAR, m::RB_NONE),
            A::LeaveMaintenance { .. } => {
                (m::PRE_MAINTENANCE, m::POST_MAINTENANCE, m::RB_MAINTENANCE)
            }
            A::ConfirmFence => (m::PRE_CONFIRM, m::POST_CONFIRM, m::RB_CONFIRM),
            A::Wait { .. } => (m::PRE_NONE, m::POST_WAIT, m::RB_NONE),
            A::Operator { .. } => (m::PRE_NONE, m::POST_OPERATOR, m::RB_NONE),
            A::Verify => (m::PRE_NONE, m::POST_VERIFY, m::RB_NONE),
            A::Note => (m::PRE_NONE, m::POST_NONE, m::RB_NONE),
        }
    }
}

/// One step of a playbook, for this cluster's nodes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Step {
    #[serde(flatten)]
    pub action: Action,
    /// The node it runs on or is about (`None`: the cluster as a whole).
    pub node: Option<String>,
    /// The instruction, with the exact commands (what `diagnose` prints).
    pub text: String,
    pub precondition: String,
    pub postcondition: String,
    pub rollback: String,
}

impl Step {
    pub(super) fn new(action: Action, node: Option<&str>, text: String) -> Step {
        let (pre, post, rb) = action.words();
        let n = node.unwrap_or("-");
        let fill = |x: Msg| x.fmt(&[("node", &n)]);
        Step {
            precondition: fill(pre),
            postcondition: fill(post),
            rollback: fill(rb),
            action,
            node: node.map(str::to_string),
            text,
        }
    }
}

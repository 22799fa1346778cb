//! The operator-action steps: after the instruction is printed, wait until pgrex's own
//! check ([`Check`], chosen by the playbook from the snapshot) sees the cause gone — the
//! node answering over SSH, the cluster showing it OFFLINE or online, every corosync link
//! connected, the VIP's NIC up, the ping target reached, the monitored disk readable — at
//! most `RECOVER_WAIT_TIMEOUT` (then exit 5 naming what is still seen; `pgrex resume`
//! continues). Only where the playbook found nothing to look at does the operator confirm
//! (`--yes` confirms), and the next operation's own checks are relied on.

use super::steps::{pending_if, Steps};
use crate::diagnose::playbook::{Cause, Check};
use crate::diagnose::FaultId;
use crate::exec::Cmd;
use crate::msg::recover as m;
use crate::node::{Node, RunAs};
use crate::ops::wait::Poll;
use crate::ops::{Done, StepCx};
use crate::{t, Error, Result};
use std::time::Duration;

impl Steps<'_> {
    /// Wait until the step's check sees the cause gone (`power_off`: the fencing-failure's
    /// power-off by hand, which only `--confirm-fenced` confirms, in the next step).
    pub(super) fn operator(
        &self,
        cx: &StepCx,
        cause: Cause,
        check: &Check,
        node: &str,
    ) -> Result<Done<()>> {
        let timeout = self.o.life.timeouts.recover_wait;
        match check {
            Check::Unobservable if cause == Cause::PowerOff => {
                Ok(Done::noted((), t!(m::NO_POWER_STATE)))
            }
            Check::Unobservable => {
                cx.ctx.confirm(&t!(m::CONFIRM_REPAIRED))?;
                Ok(Done::noted((), t!(m::NO_OWN_CHECK)))
            }
            Check::Answers => self.answers(cx, node, timeout),
            Check::Offline => {
                self.waiter(timeout).run(cx, || {
                    let j = (self.o.judge)()?;
                    Ok(if j.online(node) {
                        Poll::Pending(t!(m::PENDING_OFFLINE, node = node))
                    } else {
                        Poll::Ready
                    })
                })?;
                Ok(Done::ok(()))
            }
            Check::Online => {
                self.waiter(timeout).run(cx, || {
                    let j = (self.o.judge)()?;
                    Ok(if j.online(node) {
                        Poll::Ready
                    } else {
                        Poll::Pending(t!(m::PENDING_ONLINE, node = node))
                    })
                })?;
                Ok(Done::ok(()))
            }
            Check::LinksConnected => {
                self.waiter(timeout).run(cx, || {
                    let j = (self.o.judge)()?;
                    Ok(pending_if(&j, FaultId::HeartbeatLinkDegraded))
                })?;
                Ok(Done::ok(()))
            }
            Check::NicUp { .. } | Check::Reaches { .. } | Check::DiskReads { .. } => {
                self.waiter(timeout)
                    .run(cx, || Ok(self.look(check, node)))?;
                Ok(Done::ok(()))
            }
        }
    }

    pub(super) fn answers(&self, cx: &StepCx, node: &str, timeout: Duration) -> Result<Done<()>> {
        if node.is_empty() || super::is_here(self.ctx, node) {
            return Ok(Done::ok(()));
        }
        self.waiter(timeout).run(cx, || {
            Ok(match self.peer {
                Some(p) if p.output(&Cmd::new("true"), &RunAs::Root).is_ok() => Poll::Ready,
                _ => match (self.o.life.connect)() {
                    Ok(_) => Poll::Ready,
                    Err(_) => Poll::Pending(t!(m::PENDING_POWER_ON, node = node)),
                },
            })
        })?;
        if self.peer.is_none() {
            return Err(Error::other(t!(m::RERUN_AFTER_POWER_ON, node = node), None));
        }
        Ok(Done::ok(()))
    }

    /// One look on the node (a step without a node: on each node).
    fn look(&self, check: &Check, node: &str) -> Poll {
        let mut nodes: Vec<(String, Option<&dyn Node>)> = Vec::new();
        if node.is_empty() {
            nodes.push((self.ctx.me.clone(), Some(self.ctx.local)));
            let name = self.peer_name.clone().unwrap_or_else(|| "?".into());
            nodes.push((name, self.peer));
        } else if super::is_here(self.ctx, node) {
            nodes.push((node.to_string(), Some(self.ctx.local)));
        } else {
            nodes.push((node.to_string(), self.peer));
        }
        let mut pending = Vec::new();
        for (name, n) in nodes {
            let Some(n) = n else {
                pending.push(t!(m::PENDING_POWER_ON, node = name));
                continue;
            };
            if let Some(p) = look_on(n, &name, check) {
                pending.push(p);
            }
        }
        if pending.is_empty() {
            Poll::Ready
        } else {
            Poll::Pending(pending.join("; "))
        }
    }
}

/// What the check still sees on one node (`None`: the cause is gone there).
pub(super) fn look_on(n: &dyn Node, name: &str, check: &Check) -> Option<String> {
    let sh = |script: String| {
        Cmd::new("sh")
            .arg("-c")
            .arg(script)
            .timeout(Duration::from_secs(30))
    };
    let q = crate::exec::quote;
    match check {
        Check::NicUp { nic } => {
            let path = format!("/sys/class/net/{nic}/operstate");
            let out = n.output(&Cmd::new("cat").arg(&path), &RunAs::Root);
            let state = match out {
                Ok(o) if o.status.success() => o.stdout.trim().to_string(),
                Ok(_) => "missing".to_string(),
                Err(e) => e.to_string(),
            };
            (state != "up").then(|| t!(m::PENDING_NIC, nic = nic, node = name, state = state))
        }
        Check::Reaches { addr } => {
            let cmd = Cmd::new("ping")
                .args(["-n", "-c", "1", "-W", "2", addr])
                .timeout(Duration::from_secs(10));
            let ok = n
                .output(&cmd, &RunAs::Root)
                .is_ok_and(|o| o.status.success());
            (!ok).then(|| t!(m::PENDING_REACH, node = name, addr = addr))
        }
        Check::DiskReads { drives } => {
            let failing: Vec<&str> = drives
                .iter()
                .filter(|d| {
                    let script = format!(
                        "LC_ALL=C dd if={} of=/dev/null bs=4096 count=1 iflag=direct 2>&1",
                        q(d)
                    );
                    !n.output(&sh(script), &RunAs::Root).is_ok_and(|o| {
                        o.status.success() && o.stdout.lines().any(|l| l == "1+0 records in")
                    })
                })
                .map(String::as_str)
                .collect();
            (!failing.is_empty())
                .then(|| t!(m::PENDING_DISK, drives = failing.join(" "), node = name))
        }
        _ => None,
    }
}

//! `pgrex cleanup [RESOURCE] [--node NODE]`: show the fail-counts and failed actions to clear,
//! refuse while their cause is still visible (unless `--force`), confirm (unless `--yes`),
//! clear each through `crm_resource --cleanup`, re-read the cluster and report.
//! JSON mode writes one event per line (CONTRACTS.md) and never prompts.

use crate::cli::args::{CleanupArgs, GlobalArgs};
use crate::cli::printer::{Printer, Stream, Style};
use crate::cli::settings::{self, ConfigNeed};
use pgrex::msg::cleanup as m;
use pgrex::ops::cleanup::{self, Plan, Target};
use pgrex::pacemaker::{cib::CibFacts, source, ClusterState};
use pgrex::t;
use serde_json::json;
use std::io::IsTerminal;
use std::time::Duration;

/// How often, and how far apart, the cluster is re-read until the cleanup shows.
const VERIFY_TRIES: u32 = 10;
const VERIFY_PAUSE: Duration = Duration::from_secs(1);

struct Out<'a> {
    p: &'a Printer,
}

impl Out<'_> {
    fn event(&self, v: serde_json::Value) {
        if self.p.json() {
            self.p.out(&(v.to_string() + "\n"));
        }
    }
    fn text(&self, s: &str) {
        if !self.p.json() {
            self.p.out(&(s.to_string() + "\n"));
        }
    }
    /// The final line (JSON) or message (text, to stderr when it is a failure), and the code.
    fn result(&self, code: u8, message: &str, hint: Option<&str>) -> u8 {
        if self.p.json() {
            self.event(
                json!({"event": "result", "exit_code": code, "message": message, "hint": hint}),
            );
        } else if code == 0 {
            self.p.out(&(message.to_string() + "\n"));
        } else {
            // A declined prompt is the operator's answer, not an error.
            let mut s = if code == 4 {
                format!("{message}\n")
            } else {
                let label = pgrex::msg::gen::ERROR.text();
                format!(
                    "{}: {message}\n",
                    self.p.paint(Stream::Err, Style::Bad, label)
                )
            };
            if let Some(h) = hint {
                s.push_str(&format!(
                    "{}: {h}\n",
                    self.p
                        .paint(Stream::Err, Style::Hint, pgrex::msg::gen::HINT.text())
                ));
            }
            self.p.err(&s);
        }
        code
    }
}

fn observe(a: &CleanupArgs) -> anyhow::Result<(ClusterState, Option<CibFacts>)> {
    let tools = settings::tools();
    match &a.input {
        Some(path) => {
            let s = super::diagnose::load(path, &tools)?;
            let state = s.cluster.known().cloned().ok_or_else(|| {
                pgrex::Error::input(
                    path.display().to_string(),
                    s.cluster.why().unwrap_or("?").to_string(),
                )
            })?;
            Ok((state, s.cib.known().cloned()))
        }
        None => {
            let o = source::observe_live(&tools)?;
            Ok((o.state, o.cib))
        }
    }
}

fn filter_text(a: &CleanupArgs) -> String {
    let what = match (&a.resource, &a.node) {
        (Some(r), Some(n)) => t!(m::TARGET, rsc = r, node = n),
        (Some(r), None) => r.clone(),
        (None, Some(n)) => n.clone(),
        (None, None) => return String::new(),
    };
    t!(m::FILTER, what = what)
}

fn target_text(t: &Target) -> String {
    let mut s = t!(m::TARGET, rsc = t.resource, node = t.node);
    if let Some(c) = t.fail_count {
        let c = if c == u32::MAX {
            "INFINITY".to_string()
        } else {
            c.to_string()
        };
        s.push_str(&t!(m::TARGET_COUNT, count = c));
    }
    if !t.failed_ops.is_empty() {
        s.push_str(&t!(m::TARGET_FAILED, ops = t.failed_ops.join(", ")));
    }
    s
}

pub fn run(g: &GlobalArgs, a: &CleanupArgs, p: &Printer) -> anyhow::Result<u8> {
    let out = Out { p };
    out.event(json!({"event": "step_started", "step": "read", "title": m::STEP_READ.text()}));
    let need = if a.input.is_some() {
        ConfigNeed::IfExplicit
    } else {
        ConfigNeed::IfPresent
    };
    let cfg = settings::config(g, need, p)?;
    let (state, cib) = observe(a)?;
    let names = settings::names(g, cfg.as_ref(), state.resource_ids());
    let plan: Plan = cleanup::plan(
        &state,
        &names,
        cib.as_ref(),
        a.resource.as_deref(),
        a.node.as_deref(),
    )?;
    out.event(json!({"event": "step_finished", "step": "read", "title": m::STEP_READ.text(), "ok": true, "targets": plan.targets}));
    if plan.targets.is_empty() {
        return Ok(out.result(0, &t!(m::NOTHING, filter = filter_text(a)), None));
    }
    out.text(m::PLAN.text());
    for t in &plan.targets {
        out.text(&format!("  {}", target_text(t)));
    }

    out.event(json!({"event": "step_started", "step": "check", "title": m::STEP_CHECK.text()}));
    out.event(json!({"event": "step_finished", "step": "check", "title": m::STEP_CHECK.text(), "ok": plan.blockers.is_empty(), "blockers": plan.blockers}));
    if !plan.blockers.is_empty() {
        out.text(m::BLOCKERS.text());
        for b in &plan.blockers {
            out.text(&format!("  {}", b.message));
        }
        if !a.force {
            return Ok(out.result(3, m::REFUSED.text(), Some(m::REFUSED_HINT.text())));
        }
        out.text(m::FORCED.text());
    }
    if a.dry_run || a.input.is_some() {
        return Ok(out.result(0, m::DRY_RUN.text(), None));
    }
    if !a.yes {
        let tty = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
        if p.json() || !tty {
            out.event(json!({"event": "prompt_refused", "step": "confirm", "title": m::CONFIRM.text(), "hint": m::NO_TTY_HINT.text()}));
            return Ok(out.result(3, m::NO_TTY.text(), Some(m::NO_TTY_HINT.text())));
        }
        let yes = dialoguer::Confirm::new()
            .with_prompt(m::CONFIRM.text())
            .default(false)
            .interact_opt()?
            .unwrap_or(false);
        if !yes {
            return Ok(out.result(4, m::DECLINED.text(), None));
        }
    }

    let tools = settings::tools();
    for (i, t) in plan.targets.iter().enumerate() {
        let title = t!(m::STEP_CLEAR, rsc = t.resource, node = t.node);
        let cmd = cleanup::command(&tools, t);
        out.event(json!({"event": "step_started", "step": "clear", "title": title, "command": cmd.to_string()}));
        out.text(&t!(m::RUNNING, rsc = t.resource, node = t.node));
        if let Err(e) = cmd.run() {
            out.event(json!({"event": "step_finished", "step": "clear", "title": title, "ok": false, "error": e.to_string()}));
            // Nothing changed yet: failed (1); some targets cleared already: part-way (6).
            let code = if i == 0 { 1 } else { 6 };
            return Ok(out.result(code, &e.to_string(), e.hint()));
        }
        out.event(json!({"event": "step_finished", "step": "clear", "title": title, "ok": true}));
    }

    out.event(json!({"event": "step_started", "step": "verify", "title": m::STEP_VERIFY.text()}));
    let mut remaining: Vec<Target> = Vec::new();
    let mut unsettled = Vec::new();
    for attempt in 0..VERIFY_TRIES {
        if attempt > 0 {
            std::thread::sleep(VERIFY_PAUSE);
        }
        let o = source::observe_live(&tools)?;
        let again = cleanup::plan(
            &o.state,
            &names,
            o.cib.as_ref(),
            a.resource.as_deref(),
            a.node.as_deref(),
        )?;
        remaining = again
            .targets
            .into_iter()
            .filter(|t| {
                plan.targets
                    .iter()
                    .any(|x| x.resource == t.resource && x.node == t.node)
            })
            .collect();
        // Settled: the resources run where they should again after Pacemaker's re-probe.
        unsettled = cleanup::blockers(&o.state, &names, o.cib.as_ref(), &plan.targets);
        if remaining.is_empty() && (unsettled.is_empty() || !plan.blockers.is_empty()) {
            break;
        }
    }
    out.event(json!({"event": "step_finished", "step": "verify", "title": m::STEP_VERIFY.text(), "ok": remaining.is_empty(), "remaining": remaining, "unsettled": unsettled}));
    if remaining.is_empty() && !unsettled.is_empty() {
        let what: Vec<&str> = unsettled.iter().map(|b| b.message.as_str()).collect();
        let msg = t!(m::UNSETTLED, what = what.join("; "));
        // Forced past a visible cause: that the cause is still there is no surprise.
        let code = if plan.blockers.is_empty() { 1 } else { 0 };
        Ok(out.result(code, &msg, Some("pgrex diagnose")))
    } else if remaining.is_empty() {
        Ok(out.result(0, &t!(m::DONE, filter = filter_text(a)), None))
    } else {
        let what: Vec<String> = remaining.iter().map(target_text).collect();
        Ok(out.result(
            1,
            &t!(m::REMAINING, what = what.join("; ")),
            Some("pgrex diagnose"),
        ))
    }
}

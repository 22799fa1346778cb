//! The human rendering of a [`Diagnosis`]: the verdict and the top finding first, where the
//! service runs, then every finding (most likely first) with its evidence, the reaction the
//! cluster took, the deciding check for `likely` ones and the playbook's steps; last, what
//! could not be observed.

use super::printer::{Printer, Stream, Style};
use pgrex::diagnose::{Certainty, Diagnosis, Finding, Reaction};
use pgrex::msg::diag as m;
use pgrex::msg::view as v;
use pgrex::status::Severity;
use pgrex::t;
use std::fmt::Write;

pub fn render(r: &Diagnosis, p: &Printer) -> String {
    let o = |s: Style, t: &str| p.paint(Stream::Out, s, t);
    let mut s = String::new();
    s.push_str(&p.verdict_line(r.verdict, &r.reason));
    if let Some(sv) = &r.service {
        let _ = writeln!(s, "{} {sv}", o(Style::Bold, m::L_SERVICE.text()));
    }
    if !r.findings.is_empty() {
        s.push('\n');
        let _ = writeln!(
            s,
            "{}",
            o(Style::Bold, &t!(m::H_FINDINGS, count = r.findings.len()))
        );
    }
    // Siblings (same evidence, same deciding check) are printed in full once.
    let mut lead: Option<&Finding> = None;
    for (i, f) in r.findings.iter().enumerate() {
        s.push('\n');
        let same = lead.is_some_and(|q| q.evidence == f.evidence && q.decide_with == f.decide_with);
        finding(&mut s, i + 1, f, same.then_some(lead).flatten(), p);
        if !same {
            lead = Some(f);
        }
    }
    // No finding explains the verdict: the normal-state deviations do (as `status` lists them).
    let explained = r.findings.iter().any(|f| f.severity != Severity::Info);
    if !explained && r.deviations.iter().any(|d| d.severity != Severity::Info) {
        s.push('\n');
        super::status_text::deviations(&mut s, &r.deviations, p);
        // Then the most severe deviation's next step (not "pgrex diagnose": this is it).
        let next = r
            .deviations
            .iter()
            .min_by_key(|d| d.severity)
            .and_then(|d| d.hint.as_deref())
            .filter(|h| !h.starts_with(pgrex::msg::status::HINT_DIAGNOSE.text()));
        if let Some(h) = next {
            let _ = writeln!(
                s,
                "{} {}",
                o(Style::Hint, pgrex::msg::view::NEXT.text()),
                o(Style::Hint, h)
            );
        }
    }
    if !r.unknown.is_empty() {
        s.push('\n');
        let _ = writeln!(s, "{}", o(Style::Dim, m::L_NOT_OBSERVED.text()));
        for u in &r.unknown {
            let _ = writeln!(s, "  {}: {}", u.source, o(Style::Dim, &u.why));
        }
    }
    s
}

/// One finding; `sibling_of`: the first of its group of siblings, already printed in full.
fn finding(s: &mut String, i: usize, f: &Finding, sibling_of: Option<&Finding>, p: &Printer) {
    let o = |st: Style, t: &str| p.paint(Stream::Out, st, t);
    let sev = match f.severity {
        Severity::Fault => o(Style::Bad, v::TAG_FAULT.text().trim_end()),
        Severity::Warning => o(Style::Warn, v::TAG_WARNING.text().trim_end()),
        Severity::Info => o(Style::Ok, v::TAG_INFO.text().trim_end()),
    };
    let cert = match f.certainty {
        Certainty::Certain => m::CERTAIN.text(),
        Certainty::Likely => m::LIKELY.text(),
    };
    let node = f
        .node
        .as_deref()
        .map(|n| format!(" · {n}"))
        .unwrap_or_default();
    let _ = writeln!(
        s,
        "{i}. {}  {sev} · {cert}{node}",
        o(Style::Bold, f.id.as_str())
    );
    let _ = writeln!(s, "   {}", f.title);
    if sibling_of.is_some() {
        let _ = writeln!(s, "   {}", o(Style::Dim, m::AS_ABOVE.text()));
    } else {
        let _ = writeln!(s, "   {}", m::L_EVIDENCE.text());
        for e in &f.evidence {
            let _ = writeln!(s, "     [{}] {}", e.source, e.detail);
        }
        if let Some(d) = &f.decide_with {
            let _ = writeln!(
                s,
                "   {} {}",
                o(Style::Hint, m::L_DECIDE.text()),
                o(Style::Hint, d)
            );
        }
    }
    let reaction = match f.reaction {
        Reaction::Restart => m::REACTION_RESTART,
        Reaction::Failover => m::REACTION_FAILOVER,
        Reaction::FenceFailover => m::REACTION_FENCE,
        Reaction::None => m::REACTION_NONE,
    };
    let _ = writeln!(s, "   {} {}", m::L_REACTION.text(), reaction.text());
    if let Some(q) = sibling_of {
        let _ = writeln!(
            s,
            "   {}",
            t!(m::L_PLAYBOOK_AS, id = f.playbook, other = q.playbook)
        );
    } else if !f.steps.is_empty() {
        let _ = writeln!(
            s,
            "   {}",
            t!(m::L_PLAYBOOK, id = f.playbook, command = f.recover)
        );
        for (n, step) in f.steps.iter().enumerate() {
            let _ = writeln!(s, "     {}. {step}", n + 1);
        }
    }
}

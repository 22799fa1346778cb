//! The human rendering of a [`StatusReport`]: verdict first, then the sections an operator
//! reads in a fault (nodes and roles, replication, resources, monitors, fencing, failures),
//! then every deviation from the PG-REX normal state.

use super::printer::{Printer, Stream, Style};
use super::width::W;
use pgrex::judge::StatusDoc;
use pgrex::msg::check as c;
use pgrex::msg::view as m;
use pgrex::status::{Deviation, Purpose, Severity, StatusReport, Unobserved};
use pgrex::t;
use std::fmt::Write;

pub fn render(r: &StatusReport, p: &Printer) -> String {
    let mut s = String::new();
    headline(&mut s, r, p);
    s.push('\n');
    cluster_line(&mut s, r);
    s.push('\n');
    nodes(&mut s, r, p);
    s.push('\n');
    resources(&mut s, r, p);
    s.push('\n');
    fail_counts(&mut s, r, p);
    failed_actions(&mut s, r, p);
    fencing(&mut s, r, p);
    links(&mut s, r, p);
    daemons(&mut s, r, p);
    s.push('\n');
    deviations(&mut s, &r.deviations, p);
    s
}

/// The verdict, the diagnosis's top finding when it says more, and what to do next.
fn headline(s: &mut String, r: &StatusReport, p: &Printer) {
    let o = |st: Style, t: &str| p.paint(Stream::Out, st, t);
    s.push_str(&p.verdict_line(r.verdict, &r.reason));
    if let Some(d) = r.diagnosis.as_ref().filter(|d| d.headline != r.reason) {
        let _ = writeln!(
            s,
            "{}",
            o(
                Style::Bold,
                &t!(pgrex::msg::diag::STATUS_TOP, headline = d.headline)
            )
        );
    }
    if let Some(n) = &r.next {
        let _ = writeln!(
            s,
            "{} {}",
            o(Style::Hint, m::NEXT.text()),
            o(Style::Hint, n)
        );
    }
}

/// The cluster line: name, DC, quorum, STONITH, maintenance, versions, profile.
fn cluster_line(s: &mut String, r: &StatusReport) {
    let c = &r.cluster;
    let yes_no = |b: bool| if b { m::YES.text() } else { m::NO.text() };
    let quorum = c.with_quorum.map(yes_no).unwrap_or("?");
    let _ = writeln!(
        s,
        "{}",
        t!(
            m::CLUSTER_LINE,
            name = c.name.as_deref().unwrap_or("-"),
            dc = c.dc.as_deref().unwrap_or(m::DC_NONE.text()),
            quorum = quorum,
            stonith = if c.stonith_enabled {
                m::ENABLED.text()
            } else {
                m::DISABLED.text()
            },
            maintenance = if c.maintenance_mode {
                m::ON.text()
            } else {
                m::OFF.text()
            },
            version = c.pacemaker_version.as_deref().unwrap_or("?"),
            profile = r.profile,
            source = match r.profile_source {
                "detected" => m::SRC_DETECTED.text(),
                "default" => m::SRC_DEFAULT.text(),
                "config" => m::SRC_CONFIG.text(),
                "flag" => m::SRC_FLAG.text(),
                other => other,
            }
        )
    );
}

/// Nodes and replication: each node's state and role, then its attributes.
fn nodes(s: &mut String, r: &StatusReport, p: &Printer) {
    let o = |st: Style, t: &str| p.paint(Stream::Out, st, t);
    let _ = writeln!(s, "{}", o(Style::Bold, m::H_NODES.text()));
    for n in &r.nodes {
        let st = match n.state.as_str() {
            "online" => o(Style::Ok, &n.state),
            "OFFLINE" | "UNCLEAN" => o(Style::Bad, &n.state),
            _ => o(Style::Warn, &n.state),
        };
        let dc = if n.is_dc { m::L_DC.text() } else { "" };
        let _ = writeln!(
            s,
            "  {:<10} {:<8}{}  {}",
            W(&n.name),
            pad_visible(&st, &n.state, 8),
            dc,
            o(Style::Bold, &n.role)
        );
        node_attributes(s, n, p);
    }
    if let Some(why) = &r.postgres_unread {
        let line = t!(c::PG_UNREAD_LINE, why = why);
        let _ = writeln!(s, "  {}", o(Style::Warn, &line));
    }
}

/// One node's PG-REX attributes and monitors, indented under it.
fn node_attributes(s: &mut String, n: &pgrex::status::NodeView, p: &Printer) {
    let o = |st: Style, t: &str| p.paint(Stream::Out, st, t);
    if let Some(a) = &n.pgsql_status {
        let _ = writeln!(
            s,
            "      {:<20} {:<16} {}",
            "pgsql-status",
            W(&a.value),
            o(Style::Dim, &a.meaning)
        );
    }
    if let Some(a) = &n.data_status {
        let src = if n.data_status_source == Some("cib") {
            m::FROM_CIB.text()
        } else {
            ""
        };
        let _ = writeln!(
            s,
            "      {:<20} {:<16} {}{}",
            "data-status",
            W(&a.value),
            o(Style::Dim, &a.meaning),
            src
        );
    }
    if let Some(a) = &n.promotion_score {
        let _ = writeln!(
            s,
            "      {:<20} {:<16} {}",
            W(m::L_PROMOTION_SCORE.text()),
            W(&a.value),
            o(Style::Dim, &a.meaning)
        );
    }
    if let Some(b) = &n.master_baseline {
        let _ = writeln!(s, "      {:<20} {}", W(m::L_MASTER_BASELINE.text()), b);
    }
    if let Some(tl) = n.timeline {
        let _ = writeln!(s, "      {:<20} {}", W(c::L_TIMELINE.text()), tl);
    }
    if let Some(l) = n.lag_bytes {
        let _ = writeln!(s, "      {:<20} {}", W(c::L_LAG.text()), human_bytes(l));
    }
    for (label, mv) in [
        (m::L_NETWORK_MONITOR.text(), &n.ping),
        (m::L_DISK_MONITOR.text(), &n.disk),
    ] {
        if let Some(mv) = mv {
            let val = mv.value.as_deref().unwrap_or(m::NOT_SET.text());
            // A node that is not online has no transient attributes: an unset value there
            // says nothing about the monitor (the node's own state is the deviation).
            if mv.value.is_none() && n.state != "online" {
                let _ = writeln!(
                    s,
                    "      {:<20} {:<16} ({})",
                    W(label),
                    W(val),
                    mv.attribute
                );
                continue;
            }
            let ok = if mv.ok {
                o(Style::Ok, m::L_OK.text())
            } else {
                o(Style::Bad, m::L_FAILED.text())
            };
            let _ = writeln!(
                s,
                "      {:<20} {:<16} {} ({})",
                W(label),
                W(val),
                ok,
                mv.attribute
            );
        }
    }
}

/// Each resource, its purpose, where it runs and its flags.
fn resources(s: &mut String, r: &StatusReport, p: &Printer) {
    let o = |st: Style, t: &str| p.paint(Stream::Out, st, t);
    let _ = writeln!(s, "{}", o(Style::Bold, m::H_RESOURCES.text()));
    // 16 columns, or more when a purpose (in Japanese) is wider.
    let pw = r
        .resources
        .iter()
        .map(|x| super::width::width(purpose_label(x.purpose)) + 1)
        .max()
        .unwrap_or(0)
        .max(16);
    for res in &r.resources {
        let place = if res.placement.is_empty() {
            o(Style::Warn, m::L_STOPPED.text())
        } else {
            res.placement
                .iter()
                .map(|pl| {
                    if pl.role == "Started" {
                        pl.node.clone()
                    } else {
                        format!("{} {}", pl.role, pl.node)
                    }
                })
                .collect::<Vec<_>>()
                .join(", ")
        };
        let stopped = if res.stopped_instances > 0 && !res.placement.is_empty() {
            t!(m::L_STOPPED_MORE, count = res.stopped_instances)
        } else {
            String::new()
        };
        let mut flags = String::new();
        if !res.managed {
            flags.push_str(&o(Style::Warn, m::FLAG_UNMANAGED.text()));
        }
        if res.failed {
            flags.push_str(&o(Style::Bad, m::FLAG_FAILED.text()));
        }
        let _ = writeln!(
            s,
            "  {:<22} {:<pw$} {}{}{}",
            W(&res.id),
            W(purpose_label(res.purpose)),
            place,
            stopped,
            flags
        );
    }
}

/// Fail-counts per node and resource.
fn fail_counts(s: &mut String, r: &StatusReport, p: &Printer) {
    let o = |st: Style, t: &str| p.paint(Stream::Out, st, t);
    let _ = writeln!(s, "{}", o(Style::Bold, m::H_FAIL_COUNTS.text()));
    if r.fail_counts.is_empty() {
        let _ = writeln!(s, "  {}", m::NONE.text());
    }
    for h in &r.fail_counts {
        let count = if h.fail_count == u32::MAX {
            "INFINITY".into()
        } else {
            h.fail_count.to_string()
        };
        let thr = h
            .migration_threshold
            .map(|t| t.to_string())
            .unwrap_or_else(|| "-".into());
        let _ = writeln!(
            s,
            "  {:<10} {:<22} fail-count={} migration-threshold={}",
            W(&h.node),
            W(&h.resource),
            o(Style::Warn, &count),
            thr
        );
    }
}

/// Failed actions, with exit code, status, reason and time.
fn failed_actions(s: &mut String, r: &StatusReport, p: &Printer) {
    let o = |st: Style, t: &str| p.paint(Stream::Out, st, t);
    let _ = writeln!(s, "{}", o(Style::Bold, m::H_FAILED_ACTIONS.text()));
    if r.failed_actions.is_empty() {
        let _ = writeln!(s, "  {}", m::NONE.text());
    }
    for f in &r.failed_actions {
        let rc = f.exitcode.map(|c| format!(" ({c})")).unwrap_or_default();
        let reason = f
            .exitreason
            .as_deref()
            .filter(|x| !x.is_empty())
            .map(|x| format!(" — {x}"))
            .unwrap_or_default();
        let status = f
            .status
            .as_deref()
            .map(|x| format!(", {x}"))
            .unwrap_or_default();
        let when = f
            .last_rc_change
            .as_deref()
            .map(|x| t!(m::FAILED_AT, when = x))
            .unwrap_or_default();
        let line = t!(
            m::FAILED_ACTION_LINE,
            op = o(Style::Bad, &f.op_key),
            node = f.node,
            exit = f.exitstatus,
            rc = rc,
            status = status,
            reason = reason,
            when = when
        );
        let _ = writeln!(s, "  {line}");
    }
}

/// The fencing history (not available, none, or each event).
fn fencing(s: &mut String, r: &StatusReport, p: &Printer) {
    let o = |st: Style, t: &str| p.paint(Stream::Out, st, t);
    let _ = writeln!(s, "{}", o(Style::Bold, m::H_FENCING.text()));
    match &r.fence_history {
        None => {
            let _ = writeln!(s, "  {}", m::NOT_AVAILABLE.text());
        }
        Some(v) if v.is_empty() => {
            let _ = writeln!(s, "  {}", m::NONE.text());
        }
        Some(v) => {
            for e in v {
                let st = if e.status == "success" {
                    o(Style::Warn, &e.status)
                } else {
                    o(Style::Bad, &e.status)
                };
                let by = e.delegate.as_deref().unwrap_or("?");
                let when = e.completed.as_deref().unwrap_or("");
                let _ = writeln!(
                    s,
                    "  {}",
                    t!(
                        m::FENCE_EVENT,
                        action = e.action,
                        target = e.target,
                        by = by,
                        status = st,
                        when = when
                    )
                );
            }
        }
    }
}

/// Corosync links and their peers, when read (live only).
fn links(s: &mut String, r: &StatusReport, p: &Printer) {
    let o = |st: Style, t: &str| p.paint(Stream::Out, st, t);
    if let Some(links) = &r.links {
        let _ = writeln!(s, "{}", o(Style::Bold, m::H_LINKS.text()));
        for l in links {
            let peers = l
                .peers
                .iter()
                .filter(|p| p.state != "localhost")
                .map(|p| {
                    let st = if p.state == "connected" {
                        o(Style::Ok, &p.state)
                    } else {
                        o(Style::Bad, &p.state)
                    };
                    format!("{} {}", p.node, st)
                })
                .collect::<Vec<_>>()
                .join(", ");
            let _ = writeln!(
                s,
                "  link {:<3} {:<16} {}",
                l.id,
                W(l.addr.as_deref().unwrap_or("-")),
                peers
            );
        }
    }
}

/// Unit enablement at boot, when read (live only).
fn daemons(s: &mut String, r: &StatusReport, p: &Printer) {
    let o = |st: Style, t: &str| p.paint(Stream::Out, st, t);
    if let Some(units) = &r.daemons {
        let list = units
            .iter()
            .map(|u| format!("{} {}", u.unit, u.enabled))
            .collect::<Vec<_>>()
            .join(", ");
        let _ = writeln!(s, "{} {}", o(Style::Bold, m::H_BOOT.text()), list);
    }
}

/// Every deviation from the normal state, one line each (also shown by `pgrex diagnose`
/// when no finding explains the verdict).
pub fn deviations(s: &mut String, devs: &[Deviation], p: &Printer) {
    let o = |st: Style, t: &str| p.paint(Stream::Out, st, t);
    if devs.is_empty() {
        let _ = writeln!(s, "{}", o(Style::Ok, m::NO_DEVIATIONS.text()));
        return;
    }
    let _ = writeln!(
        s,
        "{}",
        o(Style::Bold, &t!(m::H_DEVIATIONS, count = devs.len()))
    );
    for d in devs {
        let tag = match d.severity {
            Severity::Fault => o(Style::Bad, m::TAG_FAULT.text()),
            Severity::Warning => o(Style::Warn, m::TAG_WARNING.text()),
            Severity::Info => o(Style::Dim, m::TAG_INFO.text()),
        };
        let _ = writeln!(s, "  {}  {}", tag, d.message);
    }
}

fn purpose_label(p: Purpose) -> &'static str {
    match p {
        Purpose::Pgsql => m::P_PGSQL.text(),
        Purpose::VipPrimary => m::P_VIP_PRIMARY.text(),
        Purpose::VipReplication => m::P_VIP_REPLICATION.text(),
        Purpose::VipStandby => m::P_VIP_STANDBY.text(),
        Purpose::Ping => m::L_NETWORK_MONITOR.text(),
        Purpose::Disk => m::L_DISK_MONITOR.text(),
        Purpose::Stonith => m::P_STONITH.text(),
        Purpose::Other => "",
    }
}

/// UNKNOWN: why, what to do, and each node's last persisted data-status.
pub fn render_unobserved(u: &Unobserved, p: &Printer) -> String {
    let mut s = p.verdict_line(u.verdict, &u.reason);
    if let Some(h) = &u.next {
        let _ = writeln!(s, "{} {h}", m::NEXT.text());
    }
    if !u.persisted_data_status.is_empty() {
        let _ = writeln!(s, "\n{}", t!(m::PERSISTED_HEADER, path = u.persisted_from));
        for (node, v) in &u.persisted_data_status {
            let meaning = pgrex::status::meaning::data_status(v);
            let _ = writeln!(s, "  {:<10} {:<16} {meaning}", W(node), W(v));
        }
    }
    s
}

/// Either view of `pgrex status`.
pub fn render_doc(d: &StatusDoc, p: &Printer) -> String {
    match d {
        StatusDoc::Observed(r) => render(r, p),
        StatusDoc::Unobserved(u) => render_unobserved(u, p),
    }
}

/// Pad a possibly coloured word by the width of its visible text.
fn pad_visible(painted: &str, plain: &str, width: usize) -> String {
    let pad = width.saturating_sub(super::width::width(plain));
    format!("{painted}{}", " ".repeat(pad))
}

/// Bytes as an operator reads them: `0 B`, `512 B`, `16.0 KiB`, `3.2 MiB`, `1023 MiB`.
pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 6] = ["KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    if n < 1024 {
        return format!("{n} B");
    }
    let mut v = n as f64 / 1024.0;
    let mut u = 0;
    while v >= 1024.0 && u + 1 < UNITS.len() {
        v /= 1024.0;
        u += 1;
    }
    // At most four digits, so the brief view's column holds it.
    if v >= 100.0 {
        format!("{v:.0} {}", UNITS[u])
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

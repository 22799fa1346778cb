//! `pgrex status --brief`: the status document on one 80-column screen, like
//! `patronictl list` — the verdict line, one cluster line, one row per node (state, role,
//! pgsql-status, data-status, timeline, replication lag, fail-counts), then the next step
//! and how many deviations the full view lists. Every field is cut to its column (`…`), so
//! no line is wider than [`WIDTH`] whatever the names.

use super::printer::{Printer, Stream, Style};
use super::status_text::{human_bytes, render_unobserved};
use super::width::{fit, width};
use pgrex::judge::StatusDoc;
use pgrex::msg::{check as c, view as m};
use pgrex::status::{NodeView, StatusReport};
use pgrex::t;
use std::fmt::Write;

/// The screen width the brief view never exceeds.
pub const WIDTH: usize = 80;

/// `(header, width)` of each column; with one space between them the row is 80 wide.
const COLS: [(&str, usize); 8] = [
    ("NODE", 10),
    ("STATE", 8),
    ("ROLE", 7),
    ("PGSQL-STATUS", 12),
    // `STREAMING|POTENTIAL`, the longest data-status the pgsql agent writes.
    ("DATA-STATUS", 19),
    ("TL", 3),
    ("LAG", 9),
    ("FAILS", 5),
];

pub fn render(d: &StatusDoc, p: &Printer) -> String {
    match d {
        StatusDoc::Observed(r) => observed(r, p),
        StatusDoc::Unobserved(u) => {
            let mut u = u.clone();
            u.reason = fit(&u.reason, WIDTH - u.verdict.as_str().len() - 2);
            render_unobserved(&u, p)
        }
    }
}

fn observed(r: &StatusReport, p: &Printer) -> String {
    let o = |s: Style, t: &str| p.paint(Stream::Out, s, t);
    let reason = fit(&r.reason, WIDTH - r.verdict.as_str().len() - 2);
    let mut s = p.verdict_line(r.verdict, &reason);
    let cl = &r.cluster;
    let quorum = match cl.with_quorum {
        Some(true) => m::YES.text(),
        Some(false) => m::NO.text(),
        None => "?",
    };
    let line = t!(
        c::BRIEF_CLUSTER,
        name = cl.name.as_deref().unwrap_or("-"),
        dc = cl.dc.as_deref().unwrap_or(m::DC_NONE.text()),
        quorum = quorum,
        profile = r.profile
    );
    let _ = writeln!(s, "{}", fit(&line, WIDTH));
    let header: Vec<String> = COLS.iter().map(|(h, _)| h.to_string()).collect();
    let _ = writeln!(s, "{}", o(Style::Bold, &row(&header)));
    for n in &r.nodes {
        let _ = writeln!(s, "{}", row(&cells(r, n)));
    }
    if let Some(n) = &r.next {
        let line = fit(&format!("{} {n}", m::NEXT.text()), WIDTH);
        let _ = writeln!(s, "{}", o(Style::Hint, &line));
    }
    if let Some(why) = &r.postgres_unread {
        // The innermost cause says what happened; the full view has the whole chain.
        let why = why.rsplit(": ").next().unwrap_or(why);
        let _ = writeln!(s, "{}", fit(&t!(c::PG_UNREAD_LINE, why = why), WIDTH));
    }
    let more = r
        .deviations
        .iter()
        .filter(|d| d.severity != pgrex::status::Severity::Info)
        .count();
    if more > 0 {
        let _ = writeln!(s, "{}", fit(&t!(c::BRIEF_MORE, count = more), WIDTH));
    }
    s
}

/// A node's row: every value as the full view shows it, `-` where unknown.
fn cells(r: &StatusReport, n: &NodeView) -> Vec<String> {
    let dash = || "-".to_string();
    let name = if n.is_dc {
        format!("{} (DC)", n.name)
    } else {
        n.name.clone()
    };
    let fails: u64 = r
        .fail_counts
        .iter()
        .filter(|h| h.node == n.name)
        .map(|h| u64::from(h.fail_count))
        .sum();
    let infinite = r
        .fail_counts
        .iter()
        .any(|h| h.node == n.name && h.fail_count == u32::MAX);
    vec![
        name,
        n.state.clone(),
        n.role.clone(),
        n.pgsql_status
            .as_ref()
            .map_or_else(dash, |a| a.value.clone()),
        n.data_status
            .as_ref()
            .map_or_else(dash, |a| a.value.clone()),
        n.timeline.map_or_else(dash, |t| t.to_string()),
        n.lag_bytes.map_or_else(dash, human_bytes),
        if infinite {
            "INF".into()
        } else {
            fails.to_string()
        },
    ]
}

/// The cells padded (and cut) to their columns, one space apart, trailing blanks trimmed.
fn row(cells: &[String]) -> String {
    let mut s = String::new();
    for (i, ((_, w), v)) in COLS.iter().zip(cells).enumerate() {
        if i > 0 {
            s.push(' ');
        }
        let v = fit(v, *w);
        let pad = w - width(&v);
        s.push_str(&v);
        s.push_str(&" ".repeat(pad));
    }
    s.trim_end().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_columns_fill_exactly_one_screen() {
        let width: usize = COLS.iter().map(|(_, w)| w).sum::<usize>() + COLS.len() - 1;
        assert_eq!(width, WIDTH);
    }

    #[test]
    fn long_values_are_cut_to_their_column() {
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("abc", 4), "abc");
        let cells: Vec<String> = COLS.iter().map(|_| "x".repeat(40)).collect();
        assert_eq!(width(&row(&cells)), WIDTH);
        let wide: Vec<String> = COLS.iter().map(|_| "障害".repeat(20)).collect();
        assert!(width(&row(&wide)) <= WIDTH);
    }

    #[test]
    fn every_lag_fits_its_column() {
        for n in [0, 1023, 1024, 1_048_575, 104_857_500, u64::MAX] {
            let h = human_bytes(n);
            assert!(h.chars().count() <= COLS[6].1, "{n}: {h}");
        }
    }
}

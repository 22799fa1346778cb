//! `pgrex status --output-format prometheus`: the status document in Prometheus' text
//! exposition format (version 0.0.4), for the node exporter's textfile collector. Every
//! value comes from the same [`StatusDoc`] the text and JSON views render, so the verdict
//! metric is the status verdict. Metric names and labels are documented in commands/check.md.

use pgrex::judge::StatusDoc;
use pgrex::status::Verdict;
use std::fmt::Write;

const VERDICTS: [Verdict; 4] = [
    Verdict::Healthy,
    Verdict::Degraded,
    Verdict::Fault,
    Verdict::Unknown,
];

/// The roles `pgrex_node_role` has a series for (the status view's role words).
const ROLES: [&str; 3] = ["primary", "standby", "stopped"];

pub fn render(doc: &StatusDoc) -> String {
    let mut s = String::new();
    family(
        &mut s,
        "pgrex_verdict",
        "The verdict of pgrex status: 1 for the current one, 0 for the others.",
    );
    for v in VERDICTS {
        let on = u8::from(doc.verdict() == v);
        let _ = writeln!(s, "pgrex_verdict{{verdict=\"{}\"}} {on}", v.as_str());
    }
    let StatusDoc::Observed(r) = doc else {
        return s;
    };
    family(
        &mut s,
        "pgrex_node_online",
        "1 when Pacemaker shows the node online (not OFFLINE, UNCLEAN or pending).",
    );
    for n in &r.nodes {
        let on = u8::from(!matches!(
            n.state.as_str(),
            "OFFLINE" | "UNCLEAN" | "pending"
        ));
        let _ = writeln!(s, "pgrex_node_online{{node=\"{}\"}} {on}", esc(&n.name));
    }
    family(
        &mut s,
        "pgrex_node_role",
        "The PostgreSQL role Pacemaker gives the node: 1 for its current role.",
    );
    for n in &r.nodes {
        let mut roles: Vec<&str> = ROLES.to_vec();
        if !roles.contains(&n.role.as_str()) {
            roles.push(&n.role);
        }
        for role in roles {
            let on = u8::from(n.role == role);
            let _ = writeln!(
                s,
                "pgrex_node_role{{node=\"{}\",role=\"{}\"}} {on}",
                esc(&n.name),
                esc(role)
            );
        }
    }
    family(
        &mut s,
        "pgrex_replication_lag_bytes",
        "Replication lag of a standby in bytes, as this node's PostgreSQL reports it.",
    );
    for n in r.nodes.iter().filter(|n| n.lag_bytes.is_some()) {
        let l = n.lag_bytes.unwrap_or_default();
        let _ = writeln!(
            s,
            "pgrex_replication_lag_bytes{{node=\"{}\"}} {l}",
            esc(&n.name)
        );
    }
    family(
        &mut s,
        "pgrex_failcount",
        "Pacemaker's fail-count of a resource on a node (+Inf for INFINITY).",
    );
    for h in &r.fail_counts {
        let v = if h.fail_count == u32::MAX {
            "+Inf".to_string()
        } else {
            h.fail_count.to_string()
        };
        let _ = writeln!(
            s,
            "pgrex_failcount{{node=\"{}\",resource=\"{}\"}} {v}",
            esc(&h.node),
            esc(&h.resource)
        );
    }
    if let Some(p) = &r.postgres {
        family(
            &mut s,
            "pgrex_timeline",
            "The timeline of this node's PostgreSQL.",
        );
        let _ = writeln!(s, "pgrex_timeline {}", p.timeline);
    }
    s
}

/// `# HELP` and `# TYPE` of a gauge.
fn family(s: &mut String, name: &str, help: &str) {
    let _ = writeln!(s, "# HELP {name} {help}");
    let _ = writeln!(s, "# TYPE {name} gauge");
}

/// A label value: backslash, double quote and line feed escaped.
fn esc(v: &str) -> String {
    v.replace('\\', "\\\\")
        .replace('"', "\\\"")
        .replace('\n', "\\n")
}

#[cfg(test)]
mod tests {
    use super::esc;

    #[test]
    fn label_values_are_escaped() {
        assert_eq!(esc("a\"b\\c\nd"), "a\\\"b\\\\c\\nd");
    }
}

//! The order of spec §1.3: with several faults present, the first one is reported.

use super::*;
use pretty_assertions::assert_eq;

/// A settings list that can be broken one way at a time.
struct Draft {
    lines: Vec<(String, String)>,
    local: Vec<IpAddr>,
}

impl Draft {
    fn good() -> Draft {
        let lines = GOOD
            .lines()
            .map(|l| {
                let (k, v) = l.split_once(" = ").unwrap();
                (k.to_string(), v.to_string())
            })
            .collect();
        Draft {
            lines,
            local: pm01(),
        }
    }
    fn set(&mut self, k: &str, v: &str) {
        self.lines.retain(|(key, _)| key != k);
        self.lines.push((k.into(), v.into()));
    }
    fn remove(&mut self, k: &str) {
        self.lines.retain(|(key, _)| key != k);
    }
    fn text(&self) -> String {
        self.lines
            .iter()
            .map(|(k, v)| format!("{k} = {v}\n"))
            .collect()
    }
}

type Fault = (&'static str, &'static str, fn(&mut Draft));

/// Spec §1.3, in order, then pgrex's own checks: (key the error names, start of message,
/// how to cause it).
const FAULTS: &[Fault] = &[
    ("Archive_dir", "required key Archive_dir", |d| {
        d.remove("Archive_dir")
    }),
    ("D_LAN_IPAddress", "required key D_LAN_IPAddress", |d| {
        d.remove("D_LAN_IPAddress")
    }),
    (
        "PG_REX_Primary_ResourceID",
        "required key PG_REX_Primary",
        |d| d.remove("PG_REX_Primary_ResourceID"),
    ),
    (
        "PG_REX_Primitive_ResourceID",
        "required key PG_REX_Primitive",
        |d| d.remove("PG_REX_Primitive_ResourceID"),
    ),
    ("IC_LAN_IPAddress", "required key IC_LAN_IPAddress", |d| {
        d.remove("IC_LAN_IPAddress")
    }),
    ("HACLUSTER_NAME", "required key HACLUSTER_NAME", |d| {
        d.remove("HACLUSTER_NAME")
    }),
    ("Archive_dir", "Archive_dir must be an absolute path", |d| {
        d.set("Archive_dir", "archive")
    }),
    ("STONITH", "STONITH must be `enable`", |d| {
        d.set("STONITH", "disable")
    }),
    ("IPADDR_STANDBY", "IPADDR_STANDBY must be", |d| {
        d.set("IPADDR_STANDBY", "on")
    }),
    (
        "PEER_NODE_SSH_PASS_MODE",
        "PEER_NODE_SSH_PASS_MODE must be",
        |d| d.set("PEER_NODE_SSH_PASS_MODE", "x"),
    ),
    (
        "BACKUP_NODE_SSH_PASS_MODE",
        "BACKUP_NODE_SSH_PASS_MODE must be",
        |d| d.set("BACKUP_NODE_SSH_PASS_MODE", "x"),
    ),
    (
        "PEER_NODE_SSH_PASS_FILE",
        "PEER_NODE_SSH_PASS_MODE is `passfile`",
        |d| d.set("PEER_NODE_SSH_PASS_MODE", "passfile"),
    ),
    (
        "BACKUP_NODE_SSH_PASS_FILE",
        "BACKUP_NODE_SSH_PASS_FILE must be an absolute",
        |d| {
            d.set("BACKUP_NODE_SSH_PASS_MODE", "passfile");
            d.set("BACKUP_NODE_SSH_PASS_FILE", "pass");
        },
    ),
    (
        "STONITH_ResourceID",
        "STONITH_ResourceID must list exactly 2",
        |d| d.set("STONITH_ResourceID", "a, b, c"),
    ),
    (
        "D_LAN_IPAddress",
        "D_LAN_IPAddress must list exactly 2",
        |d| d.set("D_LAN_IPAddress", "198.51.100.11"),
    ),
    (
        "IC_LAN_IPAddress",
        "IC_LAN_IPAddress must be one or two",
        |d| d.set("IC_LAN_IPAddress", "(a, b), (c, d), (e, f)"),
    ),
    ("IC_LAN_IPAddress", "IC_LAN_IPAddress ring 1", |d| {
        d.set(
            "IC_LAN_IPAddress",
            "(203.0.113.11, 203.0.113.12, 203.0.113.13) , (203.0.113.139, 203.0.113.140)",
        )
    }),
    ("", "no IP address found", |d| d.local.clear()),
    ("D_LAN_IPAddress", "D_LAN_IPAddress: none of", |d| {
        d.set("D_LAN_IPAddress", "198.51.100.21, 198.51.100.22")
    }),
    (
        "IC_LAN_IPAddress",
        "IC_LAN_IPAddress: none of `(203.0.113.21",
        |d| {
            d.set(
                "IC_LAN_IPAddress",
                "(203.0.113.21, 203.0.113.22) , (203.0.113.139, 203.0.113.140)",
            )
        },
    ),
    (
        "IC_LAN_IPAddress",
        "IC_LAN_IPAddress: every address of `(203.0.113.139",
        |d| d.local.push(ip("203.0.113.140")),
    ),
    ("HACLUSTER_NAME", "HACLUSTER_NAME `-x` is invalid", |d| {
        d.set("HACLUSTER_NAME", "-x")
    }),
    (
        "PING_ResourceID",
        "PING_ResourceID has an empty entry",
        |d| d.set("PING_ResourceID", ", ping"),
    ),
    ("NAMING_PROFILE", "NAMING_PROFILE must be", |d| {
        d.set("NAMING_PROFILE", "x")
    }),
    ("START_TIMEOUT", "START_TIMEOUT must be", |d| {
        d.set("START_TIMEOUT", "x")
    }),
    (
        "JOURNAL_KEEP_DAYS",
        "JOURNAL_KEEP_DAYS must be a whole number",
        |d| d.set("JOURNAL_KEEP_DAYS", "-1"),
    ),
];

#[test]
fn validation_order_first_failure_stops() {
    // With faults i.. all present, the error is fault i. Faults are applied last-first so
    // that an earlier fault on the same key (a removal) wins over a later one.
    for i in 0..FAULTS.len() {
        let mut d = Draft::good();
        for (_, _, apply) in FAULTS[i..].iter().rev() {
            apply(&mut d);
        }
        let (_, key, msg, _) = err_with(&d.text(), &d.local);
        let (want_key, want_msg, _) = FAULTS[i];
        assert!(
            msg.starts_with(want_msg),
            "fault {i}: expected `{want_msg}…`, got `{msg}`"
        );
        assert_eq!(key.as_deref().unwrap_or(""), want_key, "fault {i}");
    }
    let d = Draft::good();
    parse(&d.text(), path(), &d.local).unwrap();
}

//! Property tests of the parsers, on stable (proptest), beside the cargo-fuzz targets in
//! `fuzz/`: random text and recorded inputs mutated at random (bytes cut, inserted,
//! replaced, the document truncated) never panic, and either parse or give the documented
//! error — exit 2 for what the operator hands in (crm_mon XML, cib.xml, the configuration
//! file), a typed parse error for what a PostgreSQL program printed (pg_controldata,
//! backup_label, timeline history files: exit 1 when it reaches the binary, as a failed
//! command's output is not the operator's input).

use crate::fixture;
use pgrex::ExitCode;
use proptest::prelude::*;
use std::path::Path;

/// One mutation of a text: at a position (a fraction of its length), cut `n` bytes,
/// insert a string, replace a byte with one of the characters parsers care about, or
/// truncate.
#[derive(Debug, Clone)]
enum Mutation {
    Cut(f64, usize),
    Insert(f64, String),
    Replace(f64, char),
    Truncate(f64),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let special = prop::sample::select(vec![
        '<', '>', '"', '\'', '&', '=', '/', ':', '\n', '\0', '#', ' ', '\u{1b}', 'é', '9',
    ]);
    prop_oneof![
        (0.0..1.0f64, 0..64usize).prop_map(|(p, n)| Mutation::Cut(p, n)),
        (0.0..1.0f64, ".{0,16}").prop_map(|(p, s)| Mutation::Insert(p, s)),
        (0.0..1.0f64, special).prop_map(|(p, c)| Mutation::Replace(p, c)),
        (0.0..1.0f64).prop_map(Mutation::Truncate),
    ]
}

fn at(text: &str, p: f64) -> usize {
    let mut i = ((text.len() as f64) * p) as usize;
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn apply(mut text: String, ms: &[Mutation]) -> String {
    for m in ms {
        match m {
            Mutation::Cut(p, n) => {
                let a = at(&text, *p);
                let b = at(&text, ((a + n) as f64 / text.len().max(1) as f64).min(1.0));
                if b > a {
                    text.replace_range(a..b, "");
                }
            }
            Mutation::Insert(p, s) => {
                let a = at(&text, *p);
                text.insert_str(a, s);
            }
            Mutation::Replace(p, c) => {
                let a = at(&text, *p);
                if let Some(old) = text[a..].chars().next() {
                    text.replace_range(a..a + old.len_utf8(), &c.to_string());
                }
            }
            Mutation::Truncate(p) => {
                let a = at(&text, *p);
                text.truncate(a);
            }
        }
    }
    text
}

fn seeds(dir: &str, ext: &str) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(fixture(dir))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect();
    v.sort();
    assert!(!v.is_empty(), "no {ext} seeds in {dir}");
    v
}

/// A mutated seed, or random text.
fn input(seeds: Vec<String>) -> impl Strategy<Value = String> {
    let n = seeds.len();
    prop_oneof![
        4 => (0..n, prop::collection::vec(mutation(), 1..6))
            .prop_map(move |(i, ms)| apply(seeds[i].clone(), &ms)),
        1 => ".{0,400}",
    ]
}

fn usage_or_ok<T>(r: pgrex::Result<T>) -> Result<(), TestCaseError> {
    if let Err(e) = r {
        prop_assert_eq!(e.exit_code(), ExitCode::Usage, "{}", e);
        prop_assert!(!e.to_string().is_empty());
    }
    Ok(())
}

fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 200,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn crm_mon_xml_never_panics(text in input(seeds("status/pgrex17", "xml"))) {
        usage_or_ok(pgrex::pacemaker::parse::crm_mon(&text, "input.xml"))?;
    }

    #[test]
    fn cib_xml_never_panics(text in input(
        seeds("status/pgrex17", "xml").into_iter().filter(|s| s.contains("<cib")).collect()
    )) {
        usage_or_ok(pgrex::pacemaker::parse::cib(&text, "cib.xml"))?;
    }

    #[test]
    fn the_config_never_panics(text in input(seeds("config", "conf"))) {
        let local = ["192.168.2.1".parse().unwrap()];
        usage_or_ok(pgrex::config::parse(&text, Path::new("/t.conf"), &local))?;
    }

    #[test]
    fn pg_controldata_never_panics(text in input(seeds("postgres", "txt"))) {
        let _ = pgrex::postgres::ControlData::parse(&text, "pg_controldata");
    }

    #[test]
    fn backup_label_never_panics(text in input(seeds("postgres", "txt"))) {
        let _ = pgrex::postgres::BackupLabel::parse(&text, "backup_label");
    }

    #[test]
    fn history_files_never_panic(text in input(seeds("postgres", "history"))) {
        if let Ok(h) = pgrex::postgres::History::parse(&text, "00000002.history") {
            let _ = h.latest();
        }
    }
}

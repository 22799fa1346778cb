//! The Japanese catalogue: one table per area (`ja/<area>.rs`, message id → text), kept
//! apart from the English so that a branch adding English ids and one translating them do
//! not edit the same file. Where a message is one the Perl tools share, their Japanese
//! wording (PGRex/Po/ja.pm) is what the operator recognises and is followed. Commands, ids,
//! node names, file names, options and PostgreSQL/Pacemaker terms stay as they are.
//! The tables are merged into one map on first use.

use std::collections::HashMap;
use std::sync::OnceLock;

#[path = "ja/archive.rs"]
mod archive;
#[path = "ja/check.rs"]
mod check;
#[path = "ja/cleanup.rs"]
mod cleanup;
#[path = "ja/config.rs"]
mod config;
#[path = "ja/diag.rs"]
mod diag;
#[path = "ja/gen.rs"]
mod gen;
#[path = "ja/log.rs"]
mod log;
#[path = "ja/node.rs"]
mod node;
#[path = "ja/ops.rs"]
mod ops;
#[path = "ja/pcmk.rs"]
mod pcmk;
#[path = "ja/perl.rs"]
mod perl;
#[path = "ja/pg.rs"]
mod pg;
#[path = "ja/primary.rs"]
mod primary;
#[path = "ja/recover.rs"]
mod recover;
#[path = "ja/report.rs"]
mod report;
#[path = "ja/standby.rs"]
mod standby;
#[path = "ja/status.rs"]
mod status;
#[path = "ja/switchover.rs"]
mod switchover;
#[path = "ja/view.rs"]
mod view;

/// Every area's table.
pub(crate) const AREAS: &[&[(&str, &str)]] = &[
    gen::TEXTS,
    pcmk::TEXTS,
    status::TEXTS,
    view::TEXTS,
    config::TEXTS,
    pg::TEXTS,
    node::TEXTS,
    diag::TEXTS,
    cleanup::TEXTS,
    ops::TEXTS,
    report::TEXTS,
    primary::TEXTS,
    standby::TEXTS,
    check::TEXTS,
    log::TEXTS,
    perl::TEXTS,
    archive::TEXTS,
    recover::TEXTS,
    switchover::TEXTS,
];

/// The Japanese text of message `id`, if it has one.
pub fn text(id: &str) -> Option<&'static str> {
    static MAP: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    MAP.get_or_init(|| AREAS.iter().flat_map(|a| a.iter().copied()).collect())
        .get(id)
        .copied()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{BTreeSet, HashSet};

    fn placeholders(s: &str) -> BTreeSet<String> {
        let re = regex::Regex::new(r"\{[a-z_0-9]+\}").unwrap();
        re.find_iter(s).map(|m| m.as_str().to_string()).collect()
    }

    #[test]
    fn every_id_has_a_japanese_text() {
        let missing: Vec<_> = crate::msg::all()
            .iter()
            .filter(|m| text(m.id).is_none_or(str::is_empty))
            .map(|m| m.id)
            .collect();
        assert!(missing.is_empty(), "no Japanese text for {missing:?}");
    }

    #[test]
    fn no_japanese_entry_without_an_id_nor_twice() {
        let ids: HashSet<_> = crate::msg::all().iter().map(|m| m.id).collect();
        let mut seen = HashSet::new();
        for (id, _) in AREAS.iter().flat_map(|a| a.iter()) {
            assert!(ids.contains(id), "Japanese text for unknown id {id}");
            assert!(seen.insert(*id), "two Japanese texts for {id}");
        }
    }

    #[test]
    fn placeholders_are_the_same_in_both_languages() {
        for m in crate::msg::all() {
            let Some(ja) = text(m.id) else { continue };
            assert_eq!(
                placeholders(m.en),
                placeholders(ja),
                "{}: placeholders differ between `{}` and `{}`",
                m.id,
                m.en,
                ja
            );
        }
    }

    #[test]
    fn the_switch_picks_the_table() {
        let m = crate::msg::gen::ALL[0];
        assert_eq!(m.text_in(crate::msg::Lang::En), m.en);
        assert_ne!(m.text_in(crate::msg::Lang::Ja), m.en);
        assert_eq!(
            crate::msg::Lang::from_locale("ja_JP.UTF-8"),
            crate::msg::Lang::Ja
        );
        assert_eq!(
            crate::msg::Lang::from_locale("C.UTF-8"),
            crate::msg::Lang::En
        );
    }
}

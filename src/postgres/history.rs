//! Timeline history files (`TTTTTTTT.history`).
//!
//! Each line is `parentTLI <tab> switchpoint-LSN <tab> reason`: the timeline this one (or an
//! ancestor) branched from, and the LSN where it branched. Blank lines and `#` comments are
//! skipped, as PostgreSQL itself does; any other malformed line is an error with its line
//! number (the Perl tool silently skipped them).

use super::lsn::Lsn;
use super::PgError;

/// One ancestor: timeline `parent_tli` ended at `switch_lsn`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct HistoryEntry {
    pub parent_tli: u32,
    pub switch_lsn: Lsn,
    pub reason: String,
}

/// The parsed content of one history file, oldest ancestor first.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct History {
    pub entries: Vec<HistoryEntry>,
}

impl History {
    pub fn parse(text: &str, source: &str) -> Result<History, PgError> {
        let mut entries: Vec<HistoryEntry> = Vec::new();
        for (i, line) in text.lines().enumerate() {
            let l = line.trim();
            if l.is_empty() || l.starts_with('#') {
                continue;
            }
            let bad = |message: String| PgError::Syntax {
                origin: source.to_string(),
                line: i + 1,
                message,
            };
            let mut words = l.splitn(3, char::is_whitespace);
            let tli = words.next().unwrap_or_default();
            let parent_tli: u32 = tli
                .parse()
                .map_err(|_| bad(crate::t!(crate::msg::pg::TLI_BAD, tli = tli)))?;
            let lsn_text = words.next().map(str::trim).unwrap_or_default();
            let switch_lsn: Lsn = lsn_text
                .parse()
                .map_err(|e: super::lsn::LsnParseError| bad(e.to_string()))?;
            if let Some(prev) = entries.last() {
                if parent_tli <= prev.parent_tli {
                    return Err(bad(crate::t!(
                        crate::msg::pg::TLI_ORDER,
                        tli = parent_tli,
                        previous = prev.parent_tli
                    )));
                }
            }
            let reason = words.next().unwrap_or_default().trim().to_string();
            entries.push(HistoryEntry {
                parent_tli,
                switch_lsn,
                reason,
            });
        }
        Ok(History { entries })
    }

    /// Where timeline `tli` ended (the LSN at which a child branched off it), if it is an
    /// ancestor in this history.
    pub fn switch_point(&self, tli: u32) -> Option<Lsn> {
        self.entries
            .iter()
            .find(|e| e.parent_tli == tli)
            .map(|e| e.switch_lsn)
    }

    /// The most recent branch (the last line).
    pub fn latest(&self) -> Option<&HistoryEntry> {
        self.entries.last()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recorded_history_file() {
        let p = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/postgres/00000002.history"
        );
        let h = History::parse(&std::fs::read_to_string(p).unwrap(), "00000002.history").unwrap();
        assert_eq!(h.entries.len(), 1);
        assert_eq!(h.switch_point(1), Some("0/3018108".parse().unwrap()));
        assert_eq!(h.switch_point(2), None);
        assert_eq!(h.latest().unwrap().reason, "no recovery target specified");
    }

    #[test]
    fn several_ancestors_comments_and_blank_lines() {
        let text = "# comment\n1\t0/3000000\tno recovery target specified\n\n2\t1/A0\tbefore 2026-01-01 00:00:00+00\n3\t1/B0\n";
        let h = History::parse(text, "t").unwrap();
        assert_eq!(h.entries.len(), 3);
        assert_eq!(h.switch_point(2), Some("1/A0".parse().unwrap()));
        assert_eq!(h.latest().unwrap().parent_tli, 3);
        assert_eq!(h.latest().unwrap().reason, "");
        assert_eq!(h.entries[1].reason, "before 2026-01-01 00:00:00+00");
    }

    #[test]
    fn empty_file_has_no_entries() {
        assert_eq!(History::parse("", "t").unwrap(), History::default());
    }

    #[test]
    fn malformed_lines_name_the_line() {
        for (text, line) in [
            ("1\t0/3000000\tx\nX\t0/1\n", 2),
            ("1 0-3000000 x\n", 1),
            ("1\n", 1),
            ("2\t0/1\tx\n1\t0/2\ty\n", 2),
        ] {
            match History::parse(text, "f.history") {
                Err(PgError::Syntax {
                    line: l,
                    origin: source,
                    ..
                }) => {
                    assert_eq!(l, line, "{text:?}");
                    assert_eq!(source, "f.history");
                }
                other => panic!("{text:?}: {other:?}"),
            }
        }
    }
}

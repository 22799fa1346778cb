//! Line rules of `/etc/pg-rex_tools.conf` (spec §1.1): turns text into `KEY = value`
//! settings. Knows nothing about which keys exist or what values mean.
//!
//! Per line, in this order: delete from the first `#`; replace every full-width space
//! (U+3000) with an ASCII space; trim both ends (the Perl tools trimmed before replacing,
//! which left a trailing U+3000 in the value: fixed on purpose, spec [Rec]); split at the
//! FIRST `=` (Perl's greedy `\S+` made `A=b=c` the key `A=b`: fixed on purpose). An empty
//! value does not define the key, exactly as in Perl, so it does not clear an earlier value
//! either. Later occurrences override earlier ones.

use std::collections::HashMap;

/// One `KEY = value` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Setting {
    pub key: String,
    pub value: String,
    /// 1-based.
    pub line: usize,
}

/// A line that is neither blank, a comment, nor a setting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stray {
    pub line: usize,
    pub text: String,
}

/// The settings of one file, in file order.
#[derive(Debug, Clone, Default)]
pub struct Lexed {
    /// Every setting line, in order (a key may appear several times).
    pub settings: Vec<Setting>,
    /// `KEY =` lines (empty value: the key stays unset), last line per key.
    pub empty: HashMap<String, usize>,
    /// Lines that are not settings.
    pub strays: Vec<Stray>,
}

impl Lexed {
    /// The effective setting of `key`: its last non-empty occurrence.
    pub fn get(&self, key: &str) -> Option<&Setting> {
        self.settings.iter().rev().find(|s| s.key == key)
    }

    /// The effective value of `key`.
    pub fn value(&self, key: &str) -> Option<&str> {
        self.get(key).map(|s| s.value.as_str())
    }
}

/// Apply the line rules to a whole file.
pub fn lex(text: &str) -> Lexed {
    let mut out = Lexed::default();
    // Editors on Windows may start the file with a byte-order mark, which would otherwise
    // become part of the first key.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let no_comment = raw.split('#').next().unwrap_or("");
        let normalised = no_comment.replace('\u{3000}', " ");
        let body = normalised.trim();
        if body.is_empty() {
            continue;
        }
        let Some((k, v)) = body.split_once('=') else {
            out.strays.push(Stray {
                line,
                text: body.to_string(),
            });
            continue;
        };
        let (key, value) = (k.trim(), v.trim());
        // A key is one word, as Perl's `\S+` required.
        if key.is_empty() || key.chars().any(char::is_whitespace) {
            out.strays.push(Stray {
                line,
                text: body.to_string(),
            });
            continue;
        }
        if value.is_empty() {
            out.empty.insert(key.to_string(), line);
            continue;
        }
        out.settings.push(Setting {
            key: key.to_string(),
            value: value.to_string(),
            line,
        });
    }
    out
}

/// Split a list value on `\s*,\s*` as Perl's `split` does: trailing empty fields are
/// dropped, others are kept (and reported by the caller).
pub fn split_list(value: &str) -> Vec<&str> {
    let mut parts: Vec<&str> = value.split(',').map(str::trim).collect();
    while parts.last().is_some_and(|p| p.is_empty()) {
        parts.pop();
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use pretty_assertions::assert_eq;

    fn one(text: &str) -> Option<(String, String)> {
        let l = lex(text);
        l.settings.last().map(|s| (s.key.clone(), s.value.clone()))
    }

    #[test]
    fn comment_starts_at_first_hash() {
        assert_eq!(one("A = b # c = d"), Some(("A".into(), "b".into())));
        assert_eq!(one("# A = b"), None);
        assert_eq!(one("A = b#c#d"), Some(("A".into(), "b".into())));
        // A value can never contain `#`.
        assert_eq!(one("A = #b"), None);
    }

    #[test]
    fn full_width_spaces_are_normalised_before_trimming() {
        // Leading, inner and trailing U+3000.
        assert_eq!(
            one("\u{3000}A\u{3000}=\u{3000}b\u{3000},\u{3000}c\u{3000}"),
            Some(("A".into(), "b , c".into()))
        );
        // The Perl quirk kept a trailing space here: we do not.
        assert_eq!(one("A = b\u{3000}"), Some(("A".into(), "b".into())));
        assert_eq!(one("A = b \u{3000} "), Some(("A".into(), "b".into())));
    }

    #[test]
    fn byte_order_mark_is_not_part_of_the_key() {
        assert_eq!(one("\u{feff}A = b"), Some(("A".into(), "b".into())));
    }

    #[test]
    fn split_at_first_equals() {
        assert_eq!(one("A=b=c"), Some(("A".into(), "b=c".into())));
        assert_eq!(one("  A  =  b = c  "), Some(("A".into(), "b = c".into())));
        assert_eq!(one("A=b"), Some(("A".into(), "b".into())));
    }

    #[test]
    fn crlf_and_tabs_are_trimmed() {
        assert_eq!(one("\tA\t=\tb\t\r\n"), Some(("A".into(), "b".into())));
    }

    #[test]
    fn empty_value_leaves_key_unset_and_does_not_clear() {
        let l = lex("A =\nB = 1\nB =   # nothing\n");
        assert_eq!(l.get("A"), None);
        assert_eq!(l.empty.get("A"), Some(&1));
        assert_eq!(l.value("B"), Some("1"));
        assert_eq!(l.empty.get("B"), Some(&3));
    }

    #[test]
    fn later_occurrence_overrides() {
        let l = lex("A = 1\nA = 2\n");
        assert_eq!(l.value("A"), Some("2"));
        assert_eq!(l.get("A").unwrap().line, 2);
        assert_eq!(l.settings.len(), 2);
    }

    #[test]
    fn keys_are_case_sensitive() {
        let l = lex("a = 1\nA = 2\n");
        assert_eq!(l.value("a"), Some("1"));
        assert_eq!(l.value("A"), Some("2"));
    }

    #[test]
    fn strays_are_kept_with_their_line() {
        let l = lex("\n# c\nJUST_A_WORD\n= value\nTWO WORDS = x\n");
        assert_eq!(
            l.strays,
            vec![
                Stray {
                    line: 3,
                    text: "JUST_A_WORD".into()
                },
                Stray {
                    line: 4,
                    text: "= value".into()
                },
                Stray {
                    line: 5,
                    text: "TWO WORDS = x".into()
                },
            ]
        );
        assert!(l.settings.is_empty());
    }

    #[test]
    fn list_split_like_perl() {
        assert_eq!(split_list("a , b,c"), vec!["a", "b", "c"]);
        assert_eq!(split_list("a ,"), vec!["a"]);
        assert_eq!(split_list("a , , b"), vec!["a", "", "b"]);
        assert_eq!(split_list("a"), vec!["a"]);
    }
}

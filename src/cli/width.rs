//! Display width: how many terminal columns a text takes, and the three things built on it —
//! padding to a column ([`W`], used as `{:<20}` is used for ASCII), cutting to a column
//! ([`fit`]) and wrapping at the terminal's width ([`wrap`]). A full-width character (most
//! Japanese) takes two columns, a combining mark none, and colour escapes none, so aligned
//! tables stay aligned in both languages and with colour on. Counting `char`s, as `format!`'s
//! own width does, would misalign every Japanese label.

use std::fmt;
use unicode_width::UnicodeWidthChar;

/// Columns `s` takes on a terminal (ANSI colour sequences count as nothing).
pub fn width(s: &str) -> usize {
    let mut w = 0;
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            skip_escape(&mut chars);
        } else {
            w += c.width().unwrap_or(0);
        }
    }
    w
}

/// Skip the rest of an escape sequence (`ESC [ … final-byte`), the ESC already read.
fn skip_escape(chars: &mut std::str::Chars<'_>) {
    if chars.clone().next() == Some('[') {
        chars.next();
        for c in chars.by_ref() {
            if ('@'..='~').contains(&c) {
                break;
            }
        }
    }
}

/// A text padded by display width: `format!("{:<20}", W(label))` aligns a Japanese label
/// as `{:<20}` aligns an ASCII one (`<` default, `>` and `^` honoured; never cut).
pub struct W<'a>(pub &'a str);

impl fmt::Display for W<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pad = f.width().unwrap_or(0).saturating_sub(width(self.0));
        let (before, after) = match f.align() {
            Some(fmt::Alignment::Right) => (pad, 0),
            Some(fmt::Alignment::Center) => (pad / 2, pad - pad / 2),
            _ => (0, pad),
        };
        write!(f, "{}{}{}", " ".repeat(before), self.0, " ".repeat(after))
    }
}

/// `text` cut to `cols` columns, the last one `…` when something was cut (plain text).
pub fn fit(text: &str, cols: usize) -> String {
    if width(text) <= cols {
        return text.to_string();
    }
    let mut s = String::new();
    let mut w = 0;
    for c in text.chars() {
        let cw = c.width().unwrap_or(0);
        if w + cw + 1 > cols {
            break;
        }
        s.push(c);
        w += cw;
    }
    s.push('…');
    s
}

/// Characters a line must not start with (Japanese line-breaking rules, kinsoku): closing
/// punctuation stays with the text before it.
const NO_LINE_START: &str = "、。，．・：；？！）」』】〕｝〉》ー…)]},.:;!?";

/// Every line of `text` wider than `cols` broken into lines of at most `cols` columns: at a
/// space, or between two characters where at least one is full-width (Japanese has no
/// spaces), never before closing punctuation. Continuation lines are indented two columns
/// deeper than the line they continue, so a wrapped hint still reads as one item. A word
/// longer than a line is left whole rather than cut.
pub fn wrap(text: &str, cols: usize) -> String {
    let mut out = String::with_capacity(text.len());
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        wrap_line(line, cols, &mut out);
    }
    out
}

fn wrap_line(line: &str, cols: usize, out: &mut String) {
    let lead = line.len() - line.trim_start_matches(' ').len();
    let indent = " ".repeat((lead + 2).min(cols / 2));
    let mut rest = line;
    let mut room = cols;
    loop {
        if width(rest) <= room {
            out.push_str(rest);
            return;
        }
        let Some(cut) = break_at(rest, room) else {
            out.push_str(rest);
            return;
        };
        out.push_str(rest[..cut].trim_end_matches(' '));
        out.push('\n');
        out.push_str(&indent);
        rest = rest[cut..].trim_start_matches(' ');
        room = cols - indent.len();
    }
}

/// The byte offset of the last allowed break in `s` that keeps the first part within `room`
/// columns (`None`: no break fits).
fn break_at(s: &str, room: usize) -> Option<usize> {
    let mut w = 0;
    let mut best = None;
    let mut prev: Option<char> = None;
    let mut text_seen = false;
    let mut i = 0;
    while let Some(c) = s[i..].chars().next() {
        if c == '\x1b' {
            let mut it = s[i + 1..].chars();
            skip_escape(&mut it);
            i = s.len() - it.as_str().len();
            continue;
        }
        let cw = c.width().unwrap_or(0);
        if let Some(p) = prev {
            let wide = cw == 2 || p.width() == Some(2);
            let allowed = c != ' ' && (p == ' ' || wide);
            if allowed && text_seen && !NO_LINE_START.contains(c) {
                best = Some(i);
            }
        }
        if w + cw > room {
            return best;
        }
        w += cw;
        text_seen |= c != ' ';
        prev = Some(c);
        i += c.len_utf8();
    }
    None
}

/// The width text output wraps at: `COLUMNS` when set to a number, else the terminal's own
/// width when `tty`, else none (a pipe or a file gets whole lines).
pub fn columns(tty: bool, fd: Fd) -> Option<usize> {
    if let Some(c) = super::env::var("COLUMNS").and_then(|v| v.trim().parse::<usize>().ok()) {
        return (c >= 20).then_some(c);
    }
    if !tty {
        return None;
    }
    let size = match fd {
        Fd::Out => terminal_size::terminal_size_of(std::io::stdout()),
        Fd::Err => terminal_size::terminal_size_of(std::io::stderr()),
    };
    size.map(|(w, _)| usize::from(w.0)).filter(|c| *c >= 20)
}

/// Which terminal [`columns`] asks.
#[derive(Debug, Clone, Copy)]
pub enum Fd {
    Out,
    Err,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_counts_two_columns_and_colour_none() {
        assert_eq!(width("abc"), 3);
        assert_eq!(width("昇格スコア"), 10);
        assert_eq!(width("\x1b[1;32mHEALTHY\x1b[0m"), 7);
        assert_eq!(width("é"), 1);
    }

    #[test]
    fn padding_aligns_by_display_width() {
        assert_eq!(format!("[{:<12}]", W("昇格スコア")), "[昇格スコア  ]");
        assert_eq!(format!("[{:<12}]", W("pgsql-status")), "[pgsql-status]");
        assert_eq!(format!("[{:>6}]", W("障害")), "[  障害]");
        assert_eq!(format!("[{:<2}]", W("ディスク")), "[ディスク]");
        assert_eq!(width(&format!("{:<20}", W("ネットワーク監視"))), 20);
    }

    #[test]
    fn fit_cuts_by_display_width() {
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(fit("abc", 4), "abc");
        assert_eq!(fit("障害が発生", 6), "障害…");
        assert!(width(&fit("障害が発生しました", 7)) <= 7);
    }

    #[test]
    fn wrap_keeps_every_line_within_the_width() {
        let en = "  hint: run `pgrex standby-start -r` on pm02 once the cause is fixed and the primary runs";
        let ja = "  ヒント: 最新のデータを持つノード (pgsql-data-status が LATEST) からクラスタを起動してください: そのノードで pg-rex_primary_start、もう一方で pg-rex_standby_start を実行します";
        for text in [en, ja] {
            for cols in [40, 60, 80] {
                let w = wrap(text, cols);
                assert!(w.lines().count() > 1, "{cols}: {w}");
                for l in w.lines() {
                    assert!(width(l) <= cols, "{cols}: `{l}` is {} wide", width(l));
                }
                assert!(w.lines().skip(1).all(|l| l.starts_with("    ")), "{w}");
                let joined: String = w.split_whitespace().collect();
                let orig: String = text.split_whitespace().collect();
                assert_eq!(joined, orig, "nothing is lost or added");
            }
        }
    }

    #[test]
    fn wrap_never_starts_a_line_with_closing_punctuation() {
        let w = wrap("あいうえおかきくけこ、さしすせそ", 20);
        assert!(w.lines().all(|l| !l.trim_start().starts_with('、')), "{w}");
    }

    #[test]
    fn short_lines_and_unbreakable_words_are_left_as_they_are() {
        assert_eq!(wrap("short\nlines", 80), "short\nlines");
        let long = "x".repeat(100);
        assert_eq!(wrap(&long, 40), long);
    }

    #[test]
    fn wrap_measures_visible_text_of_coloured_lines() {
        let painted = format!("\x1b[36m{}\x1b[0m", "word ".repeat(10).trim_end());
        let w = wrap(&painted, 30);
        assert!(w.lines().all(|l| width(l) <= 30), "{w:?}");
        assert_eq!(wrap("\x1b[1mshort\x1b[0m", 10), "\x1b[1mshort\x1b[0m");
    }
}

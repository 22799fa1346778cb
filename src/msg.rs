//! Every user-facing text, behind a stable message id, in English and Japanese.
//!
//! Code refers to a [`Msg`] constant, never to a string literal meant for people. The
//! English text sits with the id in `catalog/<area>.rs`; the Japanese text of the same id
//! in `ja/<area>.rs`, a separate table keyed by id, so branches adding English ids do not
//! collide with the translations. [`set_lang`] (called once by the binary; the core never
//! reads `LANG`) picks the language of every [`Msg::text`]. Placeholders are `{name}`;
//! [`Msg::fmt`] fills them by name, and both languages carry the same set (a test).
//! Message ids are part of the contract: never reuse an id for a different meaning.

use std::fmt::Display;
use std::sync::atomic::{AtomicU8, Ordering};

/// One message: its stable id and its English text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Msg {
    pub id: &'static str,
    pub en: &'static str,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Ja,
}

impl Lang {
    /// The language a locale name asks for (`ja`, `ja_JP.UTF-8`, … → Japanese), if any
    /// (`C`, `POSIX`, `en_US.UTF-8` → English).
    pub fn from_locale(value: &str) -> Lang {
        if value.get(..2).is_some_and(|p| p.eq_ignore_ascii_case("ja")) {
            Lang::Ja
        } else {
            Lang::En
        }
    }
}

static LANG: AtomicU8 = AtomicU8::new(0);

/// Choose the language of every message (the binary decides; the core never reads `LANG`).
pub fn set_lang(l: Lang) {
    LANG.store(l as u8, Ordering::Relaxed);
}

pub fn lang() -> Lang {
    match LANG.load(Ordering::Relaxed) {
        1 => Lang::Ja,
        _ => Lang::En,
    }
}

impl Msg {
    /// The text in the current language, placeholders left as they are.
    pub fn text(&self) -> &'static str {
        self.text_in(lang())
    }

    /// The text in `l` (an id without a Japanese text falls back to English; a test keeps
    /// every id translated).
    pub fn text_in(&self, l: Lang) -> &'static str {
        match l {
            Lang::En => self.en,
            Lang::Ja => ja::text(self.id).unwrap_or(self.en),
        }
    }

    /// The text with `{name}` placeholders replaced.
    pub fn fmt(&self, args: &[(&str, &dyn Display)]) -> String {
        let mut s = self.text().to_string();
        for (k, v) in args {
            s = s.replace(&format!("{{{k}}}"), &v.to_string());
        }
        s
    }
}

impl Display for Msg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.text())
    }
}

/// `t!(m::X)` or `t!(m::X, node = n, file = f)` → `String`.
#[macro_export]
macro_rules! t {
    ($m:expr) => { $m.text().to_string() };
    ($m:expr, $($k:ident = $v:expr),+ $(,)?) => {
        $m.fmt(&[$((stringify!($k), &$v as &dyn ::std::fmt::Display)),+])
    };
}

/// Declares one area of the catalogue: `catalog!(status { VERDICT = "STATUS_0001": "…"; })`
/// gives `msg::status::VERDICT` and `msg::status::ALL`.
macro_rules! catalog {
    ($area:ident { $( $(#[$doc:meta])* $name:ident = $id:literal : $en:literal ; )* }) => {
        pub mod $area {
            #[allow(unused_imports)]
            use $crate::msg::Msg;
            $( $(#[$doc])* pub const $name: Msg = Msg { id: $id, en: $en }; )*
            /// Every message of this area.
            pub const ALL: &[Msg] = &[ $( $name ),* ];
        }
    };
}

mod catalog;
pub use catalog::*;
mod ja;

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn ids_are_unique_and_well_formed() {
        let mut seen = HashSet::new();
        let re = regex::Regex::new(r"^[A-Z]+_[0-9]{4}$").unwrap();
        for m in catalog::all() {
            assert!(seen.insert(m.id), "duplicate message id {}", m.id);
            assert!(re.is_match(m.id), "bad message id {}", m.id);
            assert!(!m.en.is_empty(), "{} has no text", m.id);
        }
    }

    #[test]
    fn placeholders_are_filled() {
        let m = Msg {
            id: "TEST_0001",
            en: "node {node} is {state}; {node}!",
        };
        assert_eq!(
            t!(m, node = "pm01", state = "online"),
            "node pm01 is online; pm01!"
        );
    }
}

//! How long finished operation journals are kept: the new optional keys
//! `JOURNAL_KEEP_DAYS` and `JOURNAL_KEEP_COUNT`. Only the numbers live here; the pruning
//! itself is `crate::ops::retention`, run where a journal is created.

use super::diag::Diag;
use super::keys::{JOURNAL_KEEP_COUNT, JOURNAL_KEEP_DAYS};
use super::lexer::Lexed;
use crate::msg::config as m;
use crate::{t, Result};

/// Finished journals older than `days` are removed, and of the rest only the newest `count`
/// are kept. 0 switches that limit off. Unfinished journals are never removed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JournalKeep {
    pub days: u32,
    pub count: u32,
}

impl Default for JournalKeep {
    fn default() -> Self {
        JournalKeep {
            days: 90,
            count: 100,
        }
    }
}

/// Read the two keys (whole numbers, 0 = no limit).
pub(crate) fn from_settings(d: &Diag, lexed: &Lexed) -> Result<JournalKeep> {
    let mut k = JournalKeep::default();
    for (key, slot) in [
        (JOURNAL_KEEP_DAYS, &mut k.days),
        (JOURNAL_KEEP_COUNT, &mut k.count),
    ] {
        let Some(s) = lexed.get(key) else { continue };
        *slot = s.value.parse::<u32>().map_err(|_| {
            d.error(
                s.line,
                Some(key),
                t!(m::KEEP_BAD, key = key, value = s.value),
                t!(m::KEEP_HINT, key = key, default = super::keys::example(key)),
            )
        })?;
    }
    Ok(k)
}

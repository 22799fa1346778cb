//! Where external programs are found: the binary's overrides (flags, `PGREX_<PROGRAM>`),
//! else a `PATH` lookup at spawn time.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::cmd::Cmd;

/// Where external programs are found. The binary fills the overrides (flags and
/// `PGREX_<PROGRAM>` variables); everything else is looked up on `PATH` at spawn time.
#[derive(Debug, Clone, Default)]
pub struct Tools {
    overrides: BTreeMap<String, PathBuf>,
}

impl Tools {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn set(&mut self, program: &str, path: impl Into<PathBuf>) {
        self.overrides.insert(program.to_string(), path.into());
    }

    /// The path to run for `program` (the override, else the bare name for a PATH lookup).
    pub fn path(&self, program: &str) -> PathBuf {
        self.overrides
            .get(program)
            .cloned()
            .unwrap_or_else(|| PathBuf::from(program))
    }

    pub fn cmd(&self, program: &str) -> Cmd {
        Cmd::new(self.path(program))
    }

    /// Whether `program` can be found (override exists, or found on PATH).
    pub fn available(&self, program: &str) -> bool {
        match self.overrides.get(program) {
            Some(p) => Path::new(p).exists() || which::which(p).is_ok(),
            None => which::which(program).is_ok(),
        }
    }
}

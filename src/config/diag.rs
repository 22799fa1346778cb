//! What the config module reports: warnings collected in the [`super::Config`], and the
//! builder of `Error::Config` values that name the file, the line and the key.
//!
//! Nothing here prints: the binary decides where warnings go.

use crate::msg::config as m;
use crate::Error;
use std::fmt;
use std::path::{Path, PathBuf};

/// A problem that does not stop pgrex (an unknown key, a line that is not a setting, ...).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ConfigWarning {
    pub file: PathBuf,
    /// 1-based line number; 0 when the warning is about the whole file.
    pub line: usize,
    pub key: Option<String>,
    pub message: String,
    /// The closest known key, for an unknown one.
    pub suggestion: Option<&'static str>,
}

impl fmt::Display for ConfigWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let file = self.file.display();
        let s = if self.line == 0 {
            crate::t!(m::WARNING_FILE, file = file, message = self.message)
        } else {
            crate::t!(
                m::WARNING_AT,
                file = file,
                line = self.line,
                message = self.message
            )
        };
        f.write_str(&s)
    }
}

/// Builds errors and warnings about one file.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Diag<'a> {
    pub path: &'a Path,
}

impl Diag<'_> {
    /// A configuration error: `line` 0 when not tied to one line.
    pub fn error(&self, line: usize, key: Option<&str>, message: String, hint: String) -> Error {
        Error::Config {
            file: self.path.to_path_buf(),
            line,
            key: key.map(str::to_string),
            message,
            hint: Some(hint),
            source: None,
        }
    }

    pub fn warning(&self, line: usize, key: Option<&str>, message: String) -> ConfigWarning {
        ConfigWarning {
            file: self.path.to_path_buf(),
            line,
            key: key.map(str::to_string),
            message,
            suggestion: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn warning_names_file_and_line() {
        let d = Diag {
            path: Path::new("/etc/pg-rex_tools.conf"),
        };
        let w = d.warning(7, Some("X"), "unknown key X is ignored".into());
        assert_eq!(
            w.to_string(),
            "/etc/pg-rex_tools.conf:7: warning: unknown key X is ignored"
        );
        let w = d.warning(0, None, "odd".into());
        assert_eq!(w.to_string(), "/etc/pg-rex_tools.conf: warning: odd");
    }
}

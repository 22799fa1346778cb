//! The names of the PG-REX Perl tools that the one `pgrex` binary answers to (CONTRACTS "The
//! Perl tools' names"). This list is the single source: `pgrex links DIR` makes one link per
//! name, the binary recognises its `argv[0]` by it, and the packages ship the same names.

pub mod links;

/// Every name the binary takes the Perl tools' command lines under: the five PG-REX 17 tools,
/// then the seed era's two spellings.
pub const TOOL_NAMES: [&str; 7] = [
    "pg-rex_primary_start",
    "pg-rex_standby_start",
    "pg-rex_stop",
    "pg-rex_switchover",
    "pg-rex_archivefile_delete",
    "pg-rex_master_start",
    "pg-rex_slave_start",
];

/// The version the Perl tools print, which the multi-call names' `--version` line names as
/// the command-line interface they follow.
pub const PERL_TOOLS_VERSION: &str = "17.0";

/// The tool a Perl name stands for (the seed era's names are the same tools).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tool {
    PrimaryStart,
    StandbyStart,
    Stop,
    Switchover,
    ArchivefileDelete,
}

impl Tool {
    /// The tool `argv0`'s file name is, if it is one of [`TOOL_NAMES`].
    pub fn from_argv0(argv0: &std::ffi::OsStr) -> Option<Tool> {
        let name = std::path::Path::new(argv0).file_name()?.to_str()?;
        Some(match name {
            "pg-rex_primary_start" | "pg-rex_master_start" => Tool::PrimaryStart,
            "pg-rex_standby_start" | "pg-rex_slave_start" => Tool::StandbyStart,
            "pg-rex_stop" => Tool::Stop,
            "pg-rex_switchover" => Tool::Switchover,
            "pg-rex_archivefile_delete" => Tool::ArchivefileDelete,
            _ => return None,
        })
    }

    /// The pgrex subcommand running the same operation.
    pub fn command(self) -> &'static str {
        match self {
            Tool::PrimaryStart => "primary-start",
            Tool::StandbyStart => "standby-start",
            Tool::Stop => "stop",
            Tool::Switchover => "switchover",
            Tool::ArchivefileDelete => "archive-delete",
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn names_are_distinct_and_prefixed() {
        let mut seen = std::collections::HashSet::new();
        for n in super::TOOL_NAMES {
            assert!(n.starts_with("pg-rex_"), "{n}");
            assert!(seen.insert(n), "{n} twice");
            assert!(
                super::Tool::from_argv0(std::ffi::OsStr::new(n)).is_some(),
                "{n}"
            );
        }
        for n in super::TOOL_NAMES {
            assert!(
                super::Tool::from_argv0(std::ffi::OsStr::new(n)).is_some(),
                "{n}"
            );
        }
    }
}

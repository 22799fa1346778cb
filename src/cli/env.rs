//! Every environment variable pgrex reads, in one place (documented in `docs/environment.md`;
//! a test keeps the two in step).

/// `(name, what it does)`.
pub const VARIABLES: &[(&str, &str)] = &[
    (
        "PGREX_CONFIG",
        "configuration file instead of /etc/pg-rex_tools.conf (flag: --config)",
    ),
    (
        "PGREX_PROFILE",
        "naming profile: seed, pgrex17 or auto (flag: --profile)",
    ),
    (
        "PGREX_OUTPUT_FORMAT",
        "text or json (flag: --output-format)",
    ),
    ("PGREX_COLOR", "auto, always or never (flag: --color)"),
    (
        "NO_COLOR",
        "any non-empty value turns colour off (https://no-color.org)",
    ),
    (
        "CLICOLOR_FORCE",
        "any value other than 0 turns colour on even when not a terminal",
    ),
    (
        "PGREX_LANG",
        "language of the text output: en or ja (flag: --lang)",
    ),
    (
        "LC_ALL",
        "locale; when PGREX_LANG and --lang are unset, the first of LC_ALL, LC_MESSAGES, LANG that is set chooses the language (ja* → Japanese, else English)",
    ),
    ("LC_MESSAGES", "locale of messages (see LC_ALL)"),
    ("LANG", "default locale (see LC_ALL)"),
    (
        "COLUMNS",
        "width text output wraps at (default: the terminal's width when the stream is a terminal, else no wrapping)",
    ),
    ("PGREX_YES", "1: answer yes to confirmations (flag: --yes)"),
    (
        "PGREX_LOG",
        "log filter for diagnostics on stderr, e.g. debug or pgrex=trace (flag: -v)",
    ),
    (
        "PGREX_LOCK_FILE",
        "single-instance lock of operations instead of /var/run/pg-rex_tools.pid",
    ),
    (
        "PGREX_JOURNAL_DIR",
        "directory of operation journals instead of /var/lib/pgrex",
    ),
    (
        "PGREX_PG_SOCKET_DIR",
        "directory of this node's PostgreSQL socket read by status, check and diagnose (default: the first of /var/run/postgresql, /run/postgresql, /tmp holding one)",
    ),
    (
        "PGREX_PG_PORT",
        "port of this node's PostgreSQL (its socket's name), default 5432",
    ),
    (
        "PGREX_PG_USER",
        "database user status, check and diagnose connect as to read the timeline and lag, default postgres",
    ),
    (
        "PGREX_SYSTEMD_ROOT",
        "directory whose etc/, run/ and usr/lib/ systemd unit files and wants links tell unit enablement, instead of /",
    ),
    (
        "PGDATA",
        "archive-delete: the database cluster directory when neither -D nor the pgsql resource's pgdata names it",
    ),
    ("PGREX_CRM_MON", "path of crm_mon"),
    ("PGREX_CIBADMIN", "path of cibadmin"),
    ("PGREX_CRM_RESOURCE", "path of crm_resource"),
    ("PGREX_CRM_ATTRIBUTE", "path of crm_attribute"),
    ("PGREX_STONITH_ADMIN", "path of stonith_admin"),
    ("PGREX_COROSYNC_CFGTOOL", "path of corosync-cfgtool"),
    ("PGREX_SYSTEMCTL", "path of systemctl"),
    ("PGREX_CRM_NODE", "path of crm_node"),
    ("PGREX_JOURNALCTL", "path of journalctl"),
    (
        "PGREX_PCS",
        "path of pcs (only primary-start XMLFILE creating a cluster runs it)"
    ),
    (
        "PATH",
        "where programs without an override are found; `pgrex links` warns of Perl tools on it before the links",
    ),
];

/// The programs whose path `PGREX_<NAME>` overrides (name as run, variable).
pub const TOOL_VARIABLES: &[(&str, &str)] = &[
    ("crm_mon", "PGREX_CRM_MON"),
    ("cibadmin", "PGREX_CIBADMIN"),
    ("crm_resource", "PGREX_CRM_RESOURCE"),
    ("crm_attribute", "PGREX_CRM_ATTRIBUTE"),
    ("stonith_admin", "PGREX_STONITH_ADMIN"),
    ("corosync-cfgtool", "PGREX_COROSYNC_CFGTOOL"),
    ("systemctl", "PGREX_SYSTEMCTL"),
    ("crm_node", "PGREX_CRM_NODE"),
    ("journalctl", "PGREX_JOURNALCTL"),
    ("pcs", "PGREX_PCS"),
];

/// Read a variable, treating an empty value as unset.
pub fn var(name: &str) -> Option<String> {
    debug_assert!(
        VARIABLES.iter().any(|(n, _)| *n == name),
        "{name} is not listed in VARIABLES"
    );
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

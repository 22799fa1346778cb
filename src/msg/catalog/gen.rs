//! Messages of the `gen` area.

catalog!(gen {
    ERROR = "GEN_0001": "error";
    HINT = "GEN_0002": "hint";
    CAUSED_BY = "GEN_0003": "caused by";
    WARNING = "GEN_0004": "warning";
    READ_FAILED = "GEN_0005": "cannot read the file";
    PROFILE_UNKNOWN = "GEN_0006": "unknown naming profile `{name}` (expected seed, pgrex17 or auto)";
    EXIT_CODE = "GEN_0007": "exit code {code}";
    KILLED_BY_SIGNAL = "GEN_0008": "killed by signal {signal}";
    HINT_PROGRAM_MISSING = "GEN_0009": "install the program or set its path (see `pgrex help environment`)";
    INTERRUPTED = "GEN_0010": "`{cmd}` was interrupted (SIGINT/SIGTERM) while pgrex waited on it";
    NOT_REGULAR = "GEN_0011": "a {kind}, not a regular file: refused (reading it could block or never end)";
    TOO_LARGE = "GEN_0012": "larger than {limit}, the limit for {name}";
});

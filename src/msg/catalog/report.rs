//! Messages of the `report` area: how the binary renders operation events and questions.

catalog!(report {
    WAITING = "REPORT_0001": "waiting for {pending} ({elapsed} s of {timeout} s)";
    YES_BY_FLAG = "REPORT_0002": "yes (--yes)";
    QUIT = "REPORT_0003": "quit, change nothing";
    INVALID_CHOICE = "REPORT_0004": "type one of the letters shown";
    NOT_ROOT = "REPORT_0005": "this command changes the cluster and must run as root";
    NOT_ROOT_HINT = "REPORT_0006": "run it as root, e.g. `sudo pgrex {command}`";
    NO_CONFIG = "REPORT_0007": "no configuration file: {path} does not exist";
    NO_CONFIG_HINT = "REPORT_0008": "create /etc/pg-rex_tools.conf (see docs/config.md) or point --config / PGREX_CONFIG at it";
    NO_TERMINAL_PASSWORD = "REPORT_0009": "PEER_NODE_SSH_PASS_MODE is manual but there is no terminal to ask for the password on";
    PASSWORD_PROMPT = "REPORT_0010": "{user}@{addr}'s password";
    CHECK_ONLY_IGNORES = "REPORT_0011": "--check-only lists every possible method; -n, -r and -b are ignored";
    DRY_RUN_WOULD = "REPORT_0012": "(dry run) would {what}";
});

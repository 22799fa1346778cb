//! Messages of the `pg` area.

catalog!(pg {
    MISSING_FIELD = "PG_0001": "{origin}: the field `{field}` is missing";
    BAD_FIELD = "PG_0002": "{origin}: the field `{field}` has an unexpected value `{value}`";
    SYNTAX = "PG_0003": "{origin}, line {line}: {message}";
    CONNECT = "PG_0004": "cannot connect to PostgreSQL at {target}";
    QUERY = "PG_0005": "query on PostgreSQL at {target} failed";
    HINT_LANG_C = "PG_0006": "run pg_controldata with LANG=C (translated labels are not understood) and check that it belongs to a supported PostgreSQL version (12 to 17)";
    HINT_CONNECT = "PG_0007": "check that PostgreSQL is running and that pg_hba.conf allows this connection";
    HISTORY_FILE_NAME_BAD = "PG_0008": "not a timeline history file name (TTTTTTTT.history[.gz|.bz2])";
    TLI_BAD = "PG_0009": "`{tli}` is not a timeline ID";
    TLI_ORDER = "PG_0010": "timeline {tli} does not follow timeline {previous}";
    LSN_BAD = "PG_0011": "`{text}` is not a WAL location (expected X/Y, two hexadecimal numbers of at most 8 digits)";
    BACKUP_LABEL_FIRST_LINE = "PG_0012": "expected `START WAL LOCATION: X/Y (file <24 hex digits>)`, found `{found}`";
    NO_ROW = "PG_0013": "no row returned";
});

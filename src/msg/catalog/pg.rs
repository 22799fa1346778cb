//! Messages of the `pg` area.

catalog!(pg {
    MISSING_FIELD = "PG_0001": "{origin}: the field `{field}` is missing";
    BAD_FIELD = "PG_0002": "{origin}: the field `{field}` has an unexpected value `{value}`";
    SYNTAX = "PG_0003": "{origin}, line {line}: {message}";
    CONNECT = "PG_0004": "cannot connect to PostgreSQL at {target}";
    QUERY = "PG_0005": "query on PostgreSQL at {target} failed";
    HINT_LANG_C = "PG_0006": "run pg_controldata with LANG=C (translated labels are not understood) and check that it belongs to a supported PostgreSQL version (12 to 17)";
    HINT_CONNECT = "PG_0007": "check that PostgreSQL is running and that pg_hba.conf allows this connection";
});

//! The English catalogue, one `catalog!` block per area (one file each where an area grows).
//! Ids: `AREA_NNNN`. Add at the end of an area; never renumber or reuse an id.

use super::Msg;

catalog!(gen {
    ERROR = "GEN_0001": "error";
    HINT = "GEN_0002": "hint";
    CAUSED_BY = "GEN_0003": "caused by";
    WARNING = "GEN_0004": "warning";
});

catalog!(pg {
    MISSING_FIELD = "PG_0001": "{origin}: the field `{field}` is missing";
    BAD_FIELD = "PG_0002": "{origin}: the field `{field}` has an unexpected value `{value}`";
    SYNTAX = "PG_0003": "{origin}, line {line}: {message}";
    CONNECT = "PG_0004": "cannot connect to PostgreSQL at {target}: {message}";
    QUERY = "PG_0005": "query on PostgreSQL at {target} failed: {message}";
    HINT_LANG_C = "PG_0006": "run pg_controldata with LANG=C (translated labels are not understood) and check that it belongs to a supported PostgreSQL version (12 to 17)";
    HINT_CONNECT = "PG_0007": "check that PostgreSQL is running and that pg_hba.conf allows this connection";
});

/// Every message of every area.
pub fn all() -> Vec<Msg> {
    [gen::ALL, pg::ALL].concat()
}

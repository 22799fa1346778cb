//! What the `pgsql` resource agent's attributes mean, in words an operator can act on.

use crate::msg::{status as m, Msg};

/// `pgsql-status`.
pub fn pgsql_status(v: &str) -> Msg {
    match v {
        "PRI" => m::PGSQL_STATUS_PRI,
        "HS:sync" => m::PGSQL_STATUS_HS_SYNC,
        "HS:async" => m::PGSQL_STATUS_HS_ASYNC,
        "HS:potential" => m::PGSQL_STATUS_HS_POTENTIAL,
        "HS:connected" => m::PGSQL_STATUS_HS_CONNECTED,
        "HS:alone" => m::PGSQL_STATUS_HS_ALONE,
        "STOP" => m::PGSQL_STATUS_STOP,
        "UNKNOWN" => m::PGSQL_STATUS_UNKNOWN,
        _ => m::VALUE_UNRECOGNISED,
    }
}

/// `pgsql-data-status`.
pub fn data_status(v: &str) -> Msg {
    match v {
        "LATEST" => m::DATA_STATUS_LATEST,
        "STREAMING|SYNC" => m::DATA_STATUS_STREAMING_SYNC,
        "STREAMING|ASYNC" => m::DATA_STATUS_STREAMING_ASYNC,
        "STREAMING|POTENTIAL" => m::DATA_STATUS_STREAMING_POTENTIAL,
        "DISCONNECT" => m::DATA_STATUS_DISCONNECT,
        v if v.contains('|') => m::DATA_STATUS_CATCHING_UP,
        _ => m::VALUE_UNRECOGNISED,
    }
}

/// `master-pgsql` promotion score.
pub fn promotion_score(v: &str) -> Msg {
    match v {
        "1000" => m::SCORE_1000,
        "100" => m::SCORE_100,
        "-INFINITY" | "-1000000" => m::SCORE_MINUS_INF,
        _ => m::VALUE_UNRECOGNISED,
    }
}

/// True when a data-status means the node's data can be promoted.
pub fn data_is_current(v: &str) -> bool {
    matches!(v, "LATEST" | "STREAMING|SYNC")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meanings_cover_the_ra_values() {
        assert_eq!(pgsql_status("HS:sync").id, m::PGSQL_STATUS_HS_SYNC.id);
        assert!(pgsql_status("HS:sync").en.contains("may be promoted"));
        assert!(data_status("DISCONNECT")
            .en
            .contains("must not be promoted"));
        assert_eq!(
            data_status("CATCHUP|ASYNC").id,
            m::DATA_STATUS_CATCHING_UP.id
        );
        assert_eq!(pgsql_status("weird").id, m::VALUE_UNRECOGNISED.id);
        assert!(data_is_current("STREAMING|SYNC"));
        assert!(!data_is_current("STREAMING|ASYNC"));
    }
}

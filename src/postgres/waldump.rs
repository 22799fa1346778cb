//! The output of `pg_waldump`: the LSN of the last record it could read, i.e. how far the
//! WAL in a `pg_wal` directory goes (spec §2.10, "latest LSN of a pg_wal directory").
//!
//! `pg_waldump` ends with an error at the end of valid WAL (exit 1); that is expected, so
//! callers run it with `Cmd::output` and hand stdout here.

use super::lsn::Lsn;

/// The `lsn:` of the last record line, `None` when no record was printed.
pub fn last_record_lsn(stdout: &str) -> Option<Lsn> {
    stdout.lines().rev().find_map(|l| {
        let rest = l.split_once(", lsn: ")?.1;
        rest.split(',').next()?.trim().parse().ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recorded_tail() {
        let p = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/postgres/pg_waldump_tail_pg15.txt"
        );
        let text = std::fs::read_to_string(p).unwrap();
        assert_eq!(last_record_lsn(&text), Some("0/D17C900".parse().unwrap()));
    }

    #[test]
    fn nothing_readable() {
        assert_eq!(last_record_lsn(""), None);
        assert_eq!(
            last_record_lsn("pg_waldump: error: could not find a valid record after 0/17000000\n"),
            None
        );
        // A trailing line without a record does not hide the last record.
        let text = "rmgr: XLOG len (rec/tot): 114/114, tx: 0, lsn: 1/FF0000A0, prev 1/FF000028, desc: CHECKPOINT_ONLINE\n\n";
        assert_eq!(last_record_lsn(text), Some("1/FF0000A0".parse().unwrap()));
    }
}

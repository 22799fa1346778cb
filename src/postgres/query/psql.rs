//! The same statement through `psql` (run as the PostgreSQL owner through a `Node`: the
//! way to reach the peer's server over SSH): the command line, and parsing what it prints.

use std::path::Path;

use super::facts::{PgFacts, FACTS_SQL};
use crate::exec::Cmd;
use crate::postgres::PgError;

/// psql's field separator for the top-level columns.
const FIELD_SEP: char = '\u{1f}';

/// The `psql` command that prints the facts as one line (run it as the PostgreSQL owner,
/// with `LANG=C`). `socket_dir` `None` uses the server's compiled-in default.
pub fn psql_facts_cmd(psql: &Path, port: u16, socket_dir: Option<&Path>) -> Cmd {
    let mut c =
        Cmd::new(psql)
            .env("LANG", "C")
            .args(["-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1"]);
    c = c
        .arg("-F")
        .arg(FIELD_SEP.to_string())
        .arg("-p")
        .arg(port.to_string());
    if let Some(d) = socket_dir {
        c = c.arg("-h").arg(d);
    }
    c.args(["-d", "postgres", "-c", FACTS_SQL])
}

/// Parse what [`psql_facts_cmd`] printed (psql prints NULL as an empty field).
pub fn parse_psql_facts(stdout: &str, origin: &str) -> Result<PgFacts, PgError> {
    PgFacts::from_columns(&psql_columns(stdout), origin)
}

/// The columns of one row as `psql -A -t -F U+001F` printed it (an empty field for NULL).
pub fn psql_columns(stdout: &str) -> Vec<Option<String>> {
    let line = stdout.strip_suffix('\n').unwrap_or(stdout);
    line.split(FIELD_SEP).map(|s| Some(s.to_string())).collect()
}

#[cfg(test)]
mod tests {
    use super::super::facts::{COL_SEP, ROW_SEP};
    use super::*;

    fn line(fields: &[&str]) -> String {
        let mut s = fields.join(&FIELD_SEP.to_string());
        s.push('\n');
        s
    }

    #[test]
    fn primary_with_a_sync_standby() {
        let repl = format!(
            "pm02{c}192.0.2.2/32{c}streaming{c}sync{c}0/3018108{c}0/3018108{c}0/3018108{c}0/3018100{r}pm03{c}{c}catchup{c}async{c}{c}{c}{c}",
            c = COL_SEP,
            r = ROW_SEP
        );
        let out = line(&[
            "false",
            "0/3018108",
            "000000020000000000000003",
            "",
            "",
            "1",
            "",
            "on",
            "off",
            "on",
            "5432",
            "150004",
            "16777216",
            &repl,
        ]);
        let f = parse_psql_facts(&out, "psql on pm01").unwrap();
        assert!(!f.in_recovery);
        assert_eq!(
            f.timeline, 2,
            "from the current WAL file, not the checkpoint"
        );
        assert_eq!(f.checkpoint_timeline, 1);
        assert_eq!(f.current_lsn, Some("0/3018108".parse().unwrap()));
        assert_eq!(f.receive_lsn, None);
        assert_eq!(f.major_version(), 15);
        assert!(f.rewind_capable());
        assert_eq!(f.replication.len(), 2);
        assert_eq!(
            f.sync_standbys()
                .map(|r| r.application_name.as_str())
                .collect::<Vec<_>>(),
            ["pm02"]
        );
        assert_eq!(
            f.replication[0].client_addr.as_deref(),
            Some("192.0.2.2/32")
        );
        assert_eq!(
            f.replication[0].replay_lsn,
            Some("0/3018100".parse().unwrap())
        );
        assert_eq!(f.replication[1].client_addr, None);
        assert_eq!(f.replication[1].sent_lsn, None);
    }

    #[test]
    fn standby_without_replication_rows() {
        let out = line(&[
            "true",
            "",
            "",
            "0/5000000",
            "0/4FFFFF8",
            "3",
            "4",
            "on",
            "on",
            "off",
            "5433",
            "170002",
            "67108864",
            "",
        ]);
        let f = parse_psql_facts(&out, "t").unwrap();
        assert!(f.in_recovery);
        assert_eq!(
            f.timeline, 4,
            "received timeline wins over the checkpoint's"
        );
        assert_eq!(f.current_lsn, None);
        assert_eq!(f.receive_lsn, Some("0/5000000".parse().unwrap()));
        assert!(f.replication.is_empty());
        assert_eq!(f.port, 5433);
        assert_eq!(f.wal_segment_size, 64 << 20);
        assert!(f.rewind_capable());
    }

    #[test]
    fn bad_output_is_an_error() {
        assert!(matches!(
            parse_psql_facts("", "t"),
            Err(PgError::Query { .. })
        ));
        let out = line(&[
            "maybe", "", "", "", "", "1", "", "on", "on", "on", "5432", "150004", "16777216", "",
        ]);
        assert!(matches!(
            parse_psql_facts(&out, "t"),
            Err(PgError::BadField { .. })
        ));
        let out = line(&[
            "false", "0/1", "", "", "", "", "", "on", "on", "on", "5432", "150004", "16777216", "",
        ]);
        assert!(matches!(
            parse_psql_facts(&out, "t"),
            Err(PgError::MissingField {
                field: "timeline_id",
                ..
            })
        ));
    }

    #[test]
    fn psql_command_line() {
        let c = psql_facts_cmd(
            Path::new("/usr/lib/postgresql/15/bin/psql"),
            5432,
            Some(Path::new("/run/postgresql")),
        );
        let argv = c.argv();
        assert_eq!(argv[0], "/usr/lib/postgresql/15/bin/psql");
        assert!(argv.windows(2).any(|w| w == ["-h", "/run/postgresql"]));
        assert_eq!(argv.last().unwrap(), FACTS_SQL);
        assert!(c
            .env_changes()
            .any(|(k, v)| k == "LANG" && v == Some("C".as_ref())));
    }
}

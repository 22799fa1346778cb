//! Reading PostgreSQL facts on a node: run the program (or read the file) through a
//! [`Node`] and hand the text to the parsers. The same calls work on this machine and on
//! the peer.

use std::path::Path;
use std::time::Duration;

use super::query::{parse_psql_facts, psql_facts_cmd};
use super::wal::{Compression, WalName};
use super::{BackupLabel, ControlData, History, PgError, PgFacts};
use crate::exec::Cmd;
use crate::node::{Node, RunAs};

/// How long a quick PostgreSQL utility may take before it counts as hung.
const QUICK: Duration = Duration::from_secs(60);

/// `LANG=C pg_controldata <pgdata>` as the owner, parsed.
pub fn controldata(
    node: &dyn Node,
    bindir: &Path,
    pgdata: &Path,
    owner: &RunAs,
) -> crate::Result<ControlData> {
    let cmd = Cmd::new(bindir.join("pg_controldata"))
        .env("LANG", "C")
        .env("LC_ALL", "C")
        .arg(pgdata)
        .timeout(QUICK);
    let out = node.run(&cmd, owner)?;
    let origin = format!("pg_controldata {} on {}", pgdata.display(), node.describe());
    Ok(ControlData::parse(&out.stdout, &origin)?)
}

/// A timeline history file, decompressed by its suffix (`.gz`, `.bz2`) with `gzip -dc` /
/// `bzip2 -dc` on the node that holds it.
pub fn history(node: &dyn Node, path: &Path) -> crate::Result<History> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let origin = format!("{} on {}", path.display(), node.describe());
    let text = match WalName::classify(&name) {
        WalName::History {
            compression: Compression::None,
            ..
        } => String::from_utf8_lossy(&node.read_file(path)?).into_owned(),
        WalName::History { compression, .. } => {
            let tool = if compression == Compression::Gzip {
                "gzip"
            } else {
                "bzip2"
            };
            node.run(
                &Cmd::new(tool).arg("-dc").arg("--").arg(path).timeout(QUICK),
                &RunAs::Root,
            )?
            .stdout
        }
        _ => {
            return Err(PgError::Syntax {
                origin,
                line: 0,
                message: crate::msg::pg::HISTORY_FILE_NAME_BAD.text().into(),
            }
            .into())
        }
    };
    Ok(History::parse(&text, &origin)?)
}

/// `<pgdata>/backup_label`, `None` when there is none.
pub fn backup_label(node: &dyn Node, pgdata: &Path) -> crate::Result<Option<BackupLabel>> {
    let path = pgdata.join("backup_label");
    if node.stat(&path)?.is_none() {
        return Ok(None);
    }
    let text = String::from_utf8_lossy(&node.read_file(&path)?).into_owned();
    let origin = format!("{} on {}", path.display(), node.describe());
    Ok(Some(BackupLabel::parse(&text, &origin)?))
}

/// The running server's facts through `psql` as the owner (the way to ask the peer's
/// server over SSH). `socket_dir` `None` uses the server's default socket directory.
pub fn facts_via_psql(
    node: &dyn Node,
    bindir: &Path,
    port: u16,
    socket_dir: Option<&Path>,
    owner: &RunAs,
) -> crate::Result<PgFacts> {
    let started = std::time::Instant::now();
    let origin = format!("psql on {} port {port}", node.describe());
    let r = node
        .run(
            &psql_facts_cmd(&bindir.join("psql"), port, socket_dir).timeout(QUICK),
            owner,
        )
        .map_err(crate::Error::from)
        .and_then(|out| Ok(parse_psql_facts(&out.stdout, &origin)?));
    // The psql run has its own command event; this one says which query it was for.
    let elapsed_ms = started.elapsed().as_millis() as u64;
    match &r {
        Ok(_) => tracing::debug!(%origin, elapsed_ms, "sql query (facts) finished"),
        Err(e) => tracing::debug!(%origin, elapsed_ms, error = %e, "sql query (facts) failed"),
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::LocalNode;

    fn fixture_dir() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/postgres")
    }

    #[test]
    fn history_plain_and_compressed() {
        let d = tempfile::tempdir().unwrap();
        let plain = d.path().join("00000002.history");
        std::fs::copy(fixture_dir().join("00000002.history"), &plain).unwrap();
        let want = history(&LocalNode, &plain).unwrap();
        assert_eq!(want.switch_point(1), Some("0/3018108".parse().unwrap()));
        for (tool, suffix) in [("gzip", "gz"), ("bzip2", "bz2")] {
            let copy = d.path().join(format!(
                "0000000{}.history",
                if tool == "gzip" { 3 } else { 4 }
            ));
            std::fs::copy(&plain, &copy).unwrap();
            Cmd::new(tool).arg(&copy).run().unwrap();
            let compressed = copy.with_extension(format!("history.{suffix}"));
            assert_eq!(history(&LocalNode, &compressed).unwrap(), want, "{tool}");
        }
        let err = history(&LocalNode, &d.path().join("notes.txt")).unwrap_err();
        assert!(err.to_string().contains("notes.txt"), "{err}");
    }

    #[test]
    fn backup_label_absent_and_present() {
        let d = tempfile::tempdir().unwrap();
        assert_eq!(backup_label(&LocalNode, d.path()).unwrap(), None);
        std::fs::copy(
            fixture_dir().join("backup_label_pg15.txt"),
            d.path().join("backup_label"),
        )
        .unwrap();
        let b = backup_label(&LocalNode, d.path()).unwrap().unwrap();
        assert_eq!(b.start_wal_file.name(), "000000010000000000000002");
    }
}

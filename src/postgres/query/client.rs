//! Asking a server for its facts over tokio-postgres (a current-thread runtime, a unix
//! socket or TCP), one tracing event per query.

use std::path::PathBuf;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};

use super::facts::{PgFacts, FACTS_SQL};
use super::sync::{SyncHealth, SYNC_SQL};
use crate::postgres::PgError;

/// Where a server listens.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PgTarget {
    /// The unix socket directory (e.g. `/var/run/postgresql`) and port.
    Socket { dir: PathBuf, port: u16 },
    /// A TCP address (the peer's D-LAN address) and port.
    Tcp { host: String, port: u16 },
}

impl std::fmt::Display for PgTarget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PgTarget::Socket { dir, port } => write!(f, "{}/.s.PGSQL.{port}", dir.display()),
            PgTarget::Tcp { host, port } => write!(f, "{host}:{port}"),
        }
    }
}

/// How to connect with tokio-postgres. The password, if any, never leaves the secret.
#[derive(Debug)]
pub struct PgConnect {
    pub target: PgTarget,
    pub user: String,
    pub dbname: String,
    pub password: Option<SecretString>,
    pub connect_timeout: Duration,
    /// The whole exchange (connect, query, close) is abandoned after this, so a server that
    /// accepts the connection and then hangs cannot hold the caller (`None`: no bound
    /// beyond `connect_timeout`).
    pub deadline: Option<Duration>,
}

impl PgConnect {
    pub fn new(target: PgTarget) -> Self {
        PgConnect {
            target,
            user: "postgres".into(),
            dbname: "postgres".into(),
            password: None,
            connect_timeout: Duration::from_secs(10),
            deadline: None,
        }
    }
}

/// Ask a server for its facts over tokio-postgres. One tracing event per query, with the
/// target, the user, its duration and the error if any (never the password).
pub fn query_facts(conn: &PgConnect) -> Result<PgFacts, PgError> {
    let target = conn.target.to_string();
    let rows = logged(conn, &[FACTS_SQL])?;
    PgFacts::from_columns(&rows[0], &target)
}

/// The facts and, in the same connection and deadline, whether commits can complete
/// ([`SYNC_SQL`]): what `pgrex status` reads from this node's server.
pub fn query_facts_and_sync(conn: &PgConnect) -> Result<(PgFacts, SyncHealth), PgError> {
    let target = conn.target.to_string();
    let rows = logged(conn, &[FACTS_SQL, SYNC_SQL])?;
    Ok((
        PgFacts::from_columns(&rows[0], &target)?,
        SyncHealth::from_columns(&rows[1], &target)?,
    ))
}

/// Run `statements` in one connection: the first row of each, logged as one event.
fn logged(conn: &PgConnect, statements: &[&str]) -> Result<Vec<Vec<Option<String>>>, PgError> {
    let started = std::time::Instant::now();
    let r = run(conn, statements);
    let elapsed_ms = started.elapsed().as_millis() as u64;
    let target = conn.target.to_string();
    let queries = statements.len();
    match &r {
        Ok(_) => {
            tracing::debug!(%target, user = %conn.user, queries, elapsed_ms, "sql query finished")
        }
        Err(e) => {
            tracing::debug!(%target, user = %conn.user, queries, elapsed_ms, error = %e, "sql query failed")
        }
    }
    r
}

fn run(conn: &PgConnect, statements: &[&str]) -> Result<Vec<Vec<Option<String>>>, PgError> {
    let target = conn.target.to_string();
    let mut cfg = tokio_postgres::Config::new();
    cfg.user(&conn.user)
        .dbname(&conn.dbname)
        .connect_timeout(conn.connect_timeout);
    cfg.application_name("pgrex");
    match &conn.target {
        PgTarget::Socket { dir, port } => cfg.host_path(dir).port(*port),
        PgTarget::Tcp { host, port } => cfg.host(host).port(*port),
    };
    if let Some(p) = &conn.password {
        cfg.password(p.expose_secret());
    }
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| PgError::Connect {
            target: target.clone(),
            source: e.into(),
        })?;
    let exchange = exchange(&cfg, target.clone(), statements);
    rt.block_on(async {
        match conn.deadline {
            None => exchange.await,
            Some(d) => tokio::time::timeout(d, exchange).await.unwrap_or_else(|_| {
                Err(PgError::Query {
                    target: target.clone(),
                    source: crate::t!(crate::msg::check::PG_NO_ANSWER, ms = d.as_millis()).into(),
                })
            }),
        }
    })
}

/// Connect, run each statement, close: the first row of each.
async fn exchange(
    cfg: &tokio_postgres::Config,
    target: String,
    statements: &[&str],
) -> Result<Vec<Vec<Option<String>>>, PgError> {
    let (client, connection) =
        cfg.connect(tokio_postgres::NoTls)
            .await
            .map_err(|e| PgError::Connect {
                target: target.clone(),
                source: e.into(),
            })?;
    let conn_task = tokio::spawn(connection);
    let mut out = Vec::new();
    for sql in statements {
        let msgs = client.simple_query(sql).await.map_err(|e| PgError::Query {
            target: target.clone(),
            source: e.into(),
        })?;
        let row = msgs
            .iter()
            .find_map(|m| match m {
                tokio_postgres::SimpleQueryMessage::Row(r) => Some(r),
                _ => None,
            })
            .ok_or_else(|| PgError::Query {
                target: target.clone(),
                source: crate::msg::pg::NO_ROW.text().into(),
            })?;
        out.push(
            (0..row.len())
                .map(|i| row.get(i).map(str::to_string))
                .collect(),
        );
    }
    drop(client);
    let _ = conn_task.await;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_query_is_logged_without_its_password() {
        let d = tempfile::tempdir().unwrap();
        let mut c = PgConnect::new(PgTarget::Socket {
            dir: d.path().to_path_buf(),
            port: 5999,
        });
        c.password = Some(SecretString::from("hunter2-pg".to_string()));
        crate::exec::test_log::log_lines("");
        let e = query_facts(&c).unwrap_err();
        assert!(matches!(e, PgError::Connect { .. }), "{e:?}");
        let e = crate::Error::from(e);
        assert!(
            crate::error::causes(&e).any(|c| c.to_string().contains("No such file")),
            "the socket's error is a cause: {}",
            e.chain_text()
        );
        assert!(!e.chain_text().contains("hunter2"));
        let marker = d.path().to_string_lossy().into_owned();
        let lines = crate::exec::test_log::log_lines(&marker);
        assert_eq!(lines.len(), 1, "{lines:?}");
        assert!(lines[0].contains("sql query failed"), "{lines:?}");
        assert!(lines[0].contains("elapsed_ms="), "{lines:?}");
        assert!(!lines[0].contains("hunter2"), "{lines:?}");
    }
}

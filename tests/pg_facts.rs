//! PostgreSQL facts from a real, throw-away server: initdb in a temporary directory, started
//! on a private unix socket, asked through tokio-postgres and through `psql` run as the
//! owner via `LocalNode`, and `pg_controldata` parsed (through `postgres::read`). Needs root (for `runuser`) and
//! `PGREX_PG_BIN` = a PostgreSQL bin directory (e.g. `/usr/lib/postgresql/15/bin`); without
//! it the test returns at once and says why.

use std::path::{Path, PathBuf};

use pgrex::exec::Cmd;
use pgrex::node::{LocalNode, Node, RunAs};
use pgrex::postgres::query::{parse_psql_facts, psql_facts_cmd, query_facts, PgConnect, PgTarget};
use pgrex::postgres::{read, DbState};

const PORT: u16 = 54329;

struct Server {
    bin: PathBuf,
    data: PathBuf,
}

impl Drop for Server {
    fn drop(&mut self) {
        let stop = Cmd::new(self.bin.join("pg_ctl"))
            .args(["stop", "-w", "-m", "immediate", "-D"])
            .arg(&self.data);
        let _ = LocalNode.run(&stop, &RunAs::postgres());
    }
}

fn pg(bin: &Path, program: &str) -> Cmd {
    Cmd::new(bin.join(program)).env("LANG", "C")
}

#[test]
fn facts_of_a_running_primary() {
    let Some(bin) = std::env::var_os("PGREX_PG_BIN").map(PathBuf::from) else {
        eprintln!("skipped: set PGREX_PG_BIN (e.g. /usr/lib/postgresql/15/bin) and run as root");
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let sock = dir.path().to_path_buf();
    let data = sock.join("data");
    let node = LocalNode;
    let owner = RunAs::postgres();
    node.run(&Cmd::new("chown").arg("postgres:").arg(&sock), &RunAs::Root)
        .unwrap();
    node.run(
        &pg(&bin, "initdb")
            .args(["-A", "trust", "-U", "postgres", "-D"])
            .arg(&data),
        &owner,
    )
    .unwrap();
    let conf = format!(
        "listen_addresses = ''\nunix_socket_directories = '{}'\nport = {PORT}\n",
        sock.display()
    );
    let mut text = node.read_file(&data.join("postgresql.conf")).unwrap();
    text.extend_from_slice(conf.as_bytes());
    let st = node.stat(&data.join("postgresql.conf")).unwrap().unwrap();
    node.write_file(
        &data.join("postgresql.conf"),
        &text,
        pgrex::node::FileMode {
            mode: 0o600,
            owner: Some((st.uid, st.gid)),
        },
    )
    .unwrap();
    node.run(
        &pg(&bin, "pg_ctl")
            .args(["start", "-w", "-l"])
            .arg(sock.join("log"))
            .arg("-D")
            .arg(&data),
        &owner,
    )
    .unwrap();
    let _server = Server {
        bin: bin.clone(),
        data: data.clone(),
    };

    let facts = query_facts(&PgConnect::new(PgTarget::Socket {
        dir: sock.clone(),
        port: PORT,
    }))
    .unwrap();
    assert!(!facts.in_recovery);
    assert_eq!(facts.timeline, 1);
    assert_eq!(facts.port, PORT);
    assert!(facts.current_lsn.is_some());
    assert_eq!(facts.receive_lsn, None);
    assert!(facts.replication.is_empty());
    assert_eq!(facts.wal_segment_size, 16 << 20);
    assert!(facts.full_page_writes);
    assert!(!facts.data_checksums, "initdb without --data-checksums");

    let out = node
        .run(
            &psql_facts_cmd(&bin.join("psql"), PORT, Some(&sock)),
            &owner,
        )
        .unwrap();
    let via_psql = parse_psql_facts(&out.stdout, "psql").unwrap();
    assert_eq!(via_psql.server_version_num, facts.server_version_num);
    assert_eq!(
        (via_psql.timeline, via_psql.in_recovery, via_psql.port),
        (1, false, PORT)
    );
    assert!(via_psql.current_lsn >= facts.current_lsn);
    let again = read::facts_via_psql(&node, &bin, PORT, Some(&sock), &owner).unwrap();
    assert_eq!(
        (again.port, again.timeline, again.wal_segment_size),
        (PORT, 1, 16 << 20)
    );

    let ctl = read::controldata(&node, &bin, &data, &owner).unwrap();
    assert_eq!(ctl.cluster_state, DbState::InProduction);
    assert_eq!(ctl.checkpoint_tli, 1);
    assert!(ctl.checkpoint_location <= via_psql.current_lsn.unwrap());
    assert_eq!(read::backup_label(&node, &data).unwrap(), None);

    // A query error names the server and keeps PostgreSQL's message.
    let mut bad = PgConnect::new(PgTarget::Socket {
        dir: sock.clone(),
        port: PORT,
    });
    bad.dbname = "no_such_db".into();
    let err = query_facts(&bad).unwrap_err();
    assert!(err.to_string().contains("no_such_db"), "{err}");
    assert!(
        err.to_string().contains(&format!(".s.PGSQL.{PORT}")),
        "{err}"
    );
}

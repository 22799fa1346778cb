//! SSH `Node` against a real sshd: the lab's peer (`PGREX_LAB=1`, run on pm01 so the peer is
//! pm02's D-LAN address), or any throw-away sshd given by the variables below.
//!
//! | variable | default (the lab) |
//! |---|---|
//! | `PGREX_LAB_PEER` | `198.51.100.12` |
//! | `PGREX_LAB_PEER_PORT` | `22` |
//! | `PGREX_LAB_PASS_FILE` | `/root/.pgrex_peer_pass` (0600, the right password) |
//! | `PGREX_LAB_IDENTITY` | root's default keys |
//! | `PGREX_LAB_KNOWN_HOSTS` | root's `~/.ssh/known_hosts` |
//! | `PGREX_LAB_SKIP_PASSWORD=1` | skip the right-password case (a sshd without password auth) |
//!
//! Without `PGREX_LAB=1` every test returns at once and says why.

use std::path::{Path, PathBuf};
use std::time::Duration;

use pgrex::exec::Cmd;
use pgrex::node::error::PassFileProblem;
use pgrex::node::{FileKind, FileMode, Node, NodeError, RunAs, SshAuth, SshConfig, SshNode};

fn lab() -> bool {
    if std::env::var_os("PGREX_LAB").is_some_and(|v| v == "1") {
        true
    } else {
        eprintln!(
            "skipped: set PGREX_LAB=1 to run the SSH tests against the lab (see tests/lab_node.rs)"
        );
        false
    }
}

fn var(k: &str) -> Option<String> {
    std::env::var(k).ok().filter(|v| !v.is_empty())
}

fn config(auth: SshAuth) -> SshConfig {
    let mut c = SshConfig::root(
        var("PGREX_LAB_PEER").unwrap_or_else(|| "198.51.100.12".into()),
        auth,
    );
    if let Some(p) = var("PGREX_LAB_PEER_PORT") {
        c.port = p.parse().expect("PGREX_LAB_PEER_PORT");
    }
    if let Some(k) = var("PGREX_LAB_KNOWN_HOSTS") {
        c.known_hosts = k.into();
    }
    c
}

fn key_auth() -> SshAuth {
    match var("PGREX_LAB_IDENTITY") {
        Some(k) => SshAuth::NoPass {
            use_agent: false,
            identities: vec![PathBuf::from(k)],
        },
        None => SshConfig::nopass_root_keys(false),
    }
}

fn peer() -> SshNode {
    SshNode::connect(&config(key_auth())).unwrap_or_else(|e| panic!("{e}\nhint: {:?}", e.hint()))
}

fn pass_file(dir: &Path, content: &str, mode: u32) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let p = dir.join("pass");
    std::fs::write(&p, content).unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode)).unwrap();
    p
}

#[test]
fn key_auth_runs_commands_on_one_session() {
    if !lab() {
        return;
    }
    let n = peer();
    let first = n
        .run(
            &Cmd::new("sh").args(["-c", "echo $SSH_CONNECTION"]),
            &RunAs::Root,
        )
        .unwrap()
        .stdout;
    for _ in 0..5 {
        let again = n
            .run(
                &Cmd::new("sh").args(["-c", "echo $SSH_CONNECTION"]),
                &RunAs::Root,
            )
            .unwrap()
            .stdout;
        // Same client port: the same TCP connection, not a login per command.
        assert_eq!(again, first);
    }
    let out = n.run(&Cmd::new("id").arg("-un"), &RunAs::Root).unwrap();
    assert_eq!(out.stdout.trim(), "root");
    let out = n
        .run(&Cmd::new("id").arg("-un"), &RunAs::postgres())
        .unwrap();
    assert_eq!(out.stdout.trim(), "postgres");
}

#[test]
fn pass_file_auth_works() {
    if !lab() || var("PGREX_LAB_SKIP_PASSWORD").is_some() {
        return;
    }
    let file = var("PGREX_LAB_PASS_FILE").unwrap_or_else(|| "/root/.pgrex_peer_pass".into());
    let n =
        SshNode::connect(&config(SshAuth::Passfile(file.into()))).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(n.run(&Cmd::new("true"), &RunAs::Root).unwrap().stdout, "");
}

#[test]
fn wrong_password_is_a_clear_error() {
    if !lab() {
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let f = pass_file(d.path(), "not-the-password-4711\n", 0o600);
    let err = SshNode::connect(&config(SshAuth::Passfile(f))).unwrap_err();
    eprintln!("error: {err}\nhint: {}", err.hint().unwrap_or_default());
    assert!(matches!(err, NodeError::AuthFailed { .. }), "{err}");
    let text = format!("{err} {err:?} {:?}", err.hint());
    assert!(text.contains("authentication"), "{text}");
    assert!(!text.contains("4711"), "the password leaked: {text}");
    assert!(err.hint().is_some());
}

struct Asked(std::sync::atomic::AtomicUsize);

impl pgrex::node::PasswordSource for Asked {
    fn password(&self, _user: &str, _addr: &str) -> Result<secrecy::SecretString, String> {
        self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Ok("wrong-manual-password".into())
    }
}

#[test]
fn manual_password_is_asked_only_after_the_host_key_is_verified() {
    if !lab() {
        return;
    }
    let asked = std::sync::Arc::new(Asked(Default::default()));
    let d = tempfile::tempdir().unwrap();
    let mut cfg = config(SshAuth::Manual(asked.clone()));
    cfg.known_hosts = d.path().join("known_hosts");
    let err = SshNode::connect(&cfg).unwrap_err();
    assert!(matches!(err, NodeError::HostKeyUnknown { .. }), "{err}");
    assert_eq!(
        asked.0.load(std::sync::atomic::Ordering::SeqCst),
        0,
        "asked before the key was verified"
    );
    let err = SshNode::connect(&config(SshAuth::Manual(asked.clone()))).unwrap_err();
    assert!(matches!(err, NodeError::AuthFailed { .. }), "{err}");
    assert_eq!(
        asked.0.load(std::sync::atomic::Ordering::SeqCst),
        1,
        "asked once"
    );
}

#[test]
fn pass_file_mode_0644_is_refused_before_connecting() {
    if !lab() {
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let f = pass_file(d.path(), "whatever\n", 0o644);
    match SshNode::connect(&config(SshAuth::Passfile(f))) {
        Err(NodeError::PassFile {
            problem: PassFileProblem::Mode(0o644),
            ..
        }) => {}
        other => panic!("{:?}", other.map(|_| ())),
    }
}

#[test]
fn unknown_host_key_is_an_error_with_a_hint() {
    if !lab() {
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let mut cfg = config(key_auth());
    cfg.known_hosts = d.path().join("known_hosts"); // does not exist: nothing is known
    let err = SshNode::connect(&cfg).unwrap_err();
    eprintln!("error: {err}\nhint: {}", err.hint().unwrap_or_default());
    let NodeError::HostKeyUnknown { fingerprint, .. } = &err else {
        panic!("{err}")
    };
    assert!(fingerprint.starts_with("SHA256:"), "{fingerprint}");
    assert!(err.to_string().contains(fingerprint.as_str()));
    assert!(
        err.hint().unwrap().contains("ssh-keyscan"),
        "{:?}",
        err.hint()
    );
    assert!(
        !cfg.known_hosts.exists(),
        "nothing may be written to known_hosts"
    );
}

#[test]
fn changed_host_key_is_an_error() {
    if !lab() {
        return;
    }
    let d = tempfile::tempdir().unwrap();
    let key = d.path().join("k");
    Cmd::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-f"])
        .arg(&key)
        .run()
        .unwrap();
    let public = std::fs::read_to_string(key.with_extension("pub")).unwrap();
    let mut cfg = config(key_auth());
    let host = if cfg.port == 22 {
        cfg.addr.clone()
    } else {
        format!("[{}]:{}", cfg.addr, cfg.port)
    };
    cfg.known_hosts = d.path().join("known_hosts");
    std::fs::write(&cfg.known_hosts, format!("{host} {public}")).unwrap();
    let err = SshNode::connect(&cfg).unwrap_err();
    eprintln!("error: {err}\nhint: {}", err.hint().unwrap_or_default());
    assert!(matches!(err, NodeError::HostKeyChanged { .. }), "{err}");
    assert!(
        err.hint().unwrap().contains("ssh-keygen -f"),
        "{:?}",
        err.hint()
    );
}

#[test]
fn hostile_arguments_run_literally() {
    if !lab() {
        return;
    }
    let n = peer();
    let hostile = [
        "$(touch /tmp/pgrex-pwned)",
        "a'b",
        "x\ny",
        "; echo no",
        "`id`",
        "$HOME",
        "*",
    ];
    let out = n
        .run(
            &Cmd::new("printf").arg("%s\\n").args(hostile),
            &RunAs::postgres(),
        )
        .unwrap();
    assert_eq!(
        out.stdout,
        hostile.iter().map(|h| format!("{h}\n")).collect::<String>()
    );
    assert_eq!(n.stat(Path::new("/tmp/pgrex-pwned")).unwrap(), None);
    let env = n
        .run(
            &Cmd::new("sh")
                .args(["-c", "printf %s \"$V\""])
                .env("V", "$(id)'\n"),
            &RunAs::Root,
        )
        .unwrap();
    assert_eq!(env.stdout, "$(id)'\n");
}

#[test]
fn exit_codes_stderr_and_timeouts() {
    if !lab() {
        return;
    }
    let n = peer();
    let out = n
        .output(
            &Cmd::new("sh").args(["-c", "echo out; echo err >&2; exit 7"]),
            &RunAs::Root,
        )
        .unwrap();
    assert_eq!(
        (out.status.code(), out.stdout.as_str(), out.stderr.as_str()),
        (Some(7), "out\n", "err\n")
    );
    let err = n.run(&Cmd::new("false"), &RunAs::Root).unwrap_err();
    assert!(err.to_string().contains("root@"), "{err}");
    // Much output on both streams at once must not stall.
    let big = "head -c 3000000 /dev/zero | tr '\\0' a; head -c 3000000 /dev/zero | tr '\\0' b >&2";
    let out = n
        .run(&Cmd::new("sh").args(["-c", big]), &RunAs::Root)
        .unwrap();
    assert_eq!((out.stdout.len(), out.stderr.len()), (3_000_000, 3_000_000));
    let err = n
        .run(
            &Cmd::new("sleep").arg("30").timeout(Duration::from_secs(1)),
            &RunAs::Root,
        )
        .unwrap_err();
    assert!(
        matches!(err, NodeError::Exec(pgrex::exec::ExecError::Timeout { .. })),
        "{err}"
    );
    // The session is still usable after a timeout.
    assert_eq!(
        n.run(&Cmd::new("echo").arg("ok"), &RunAs::Root)
            .unwrap()
            .stdout,
        "ok\n"
    );
}

#[test]
fn files_on_the_peer() {
    if !lab() {
        return;
    }
    let n = peer();
    let dir = n
        .run(
            &Cmd::new("mktemp").args(["-d", "/tmp/pgrex-node.XXXXXX"]),
            &RunAs::Root,
        )
        .unwrap()
        .stdout;
    let dir = PathBuf::from(dir.trim());
    let file = dir.join("it's $(odd)\nname");
    n.write_file(
        &file,
        b"hello\n",
        FileMode {
            mode: 0o640,
            owner: None,
        },
    )
    .unwrap();
    let st = n.stat(&file).unwrap().unwrap();
    assert_eq!((st.kind, st.size, st.mode), (FileKind::File, 6, 0o640));
    assert_eq!(n.read_file(&file).unwrap(), b"hello\n");
    let list = n.list_dir(&dir).unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(list[0].name, "it's $(odd)\nname");

    // A 40 MiB stream, fetched to this machine.
    let seg = dir.join("000000010000000000000001");
    n.run(
        &Cmd::new("sh")
            .args(["-c", "head -c 41943040 /dev/urandom > \"$0\""])
            .arg(&seg),
        &RunAs::Root,
    )
    .unwrap();
    let local = tempfile::tempdir().unwrap();
    let dst = local.path().join("000000010000000000000001");
    let got = pgrex::node::transfer::fetch(
        &n,
        &seg,
        &dst,
        FileMode {
            mode: 0o600,
            owner: None,
        },
        Some(41943040),
        &mut |_| {},
    )
    .unwrap();
    assert_eq!(got, 41943040);
    let remote_sum = n
        .run(&Cmd::new("sha256sum").arg(&seg), &RunAs::Root)
        .unwrap()
        .stdout;
    let local_sum = Cmd::new("sha256sum").arg(&dst).run().unwrap().stdout;
    assert_eq!(
        remote_sum.split_whitespace().next(),
        local_sum.split_whitespace().next()
    );

    assert!(n.remove_file(&file).unwrap());
    assert!(!n.remove_file(&file).unwrap());
    assert_eq!(n.stat(&file).unwrap(), None);
    n.run(&Cmd::new("rm").args(["-rf", "--"]).arg(&dir), &RunAs::Root)
        .unwrap();
}

/// The peer's PostgreSQL through a forwarded port (how pg_rewind reaches the primary); the
/// session keeps running commands meanwhile. Needs PostgreSQL running on the peer.
#[test]
fn tunnel_reaches_the_peers_postgresql() {
    if !lab() {
        return;
    }
    use pgrex::postgres::query::{query_facts, PgConnect, PgTarget};
    let pg_port: u16 =
        var("PGREX_LAB_PEER_PG_PORT").map_or(5432, |p| p.parse().expect("PGREX_LAB_PEER_PG_PORT"));
    let n = peer();
    let (facts, again) = n
        .with_tunnel("127.0.0.1", pg_port, |local| {
            let target = PgTarget::Tcp {
                host: "127.0.0.1".into(),
                port: local,
            };
            let a = query_facts(&PgConnect::new(target.clone())).unwrap_or_else(|e| panic!("{e}"));
            let uname = n
                .run(&Cmd::new("uname").arg("-n"), &RunAs::Root)
                .unwrap()
                .stdout;
            assert!(!uname.trim().is_empty());
            let b = query_facts(&PgConnect::new(target)).unwrap_or_else(|e| panic!("{e}"));
            (a, b)
        })
        .unwrap();
    assert_eq!(facts.port, pg_port, "the peer's server answered");
    assert_eq!(again.server_version_num, facts.server_version_num);
}

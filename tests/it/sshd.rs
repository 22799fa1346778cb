//! The SSH refusals and limits against a REAL OpenSSH server, started by the test on
//! 127.0.0.1 on a free port with its own generated host key, a temporary `sshd_config` and
//! its own `authorized_keys` (so it needs no lab and runs in every CI; `.ci/run` installs
//! openssh-server). Skipped, saying so, only where `/usr/sbin/sshd` is absent or the test
//! does not run as root (sshd's privilege separation needs root).
//!
//! Each refusal is the one OpenSSH makes with `StrictHostKeyChecking=yes`: an unknown key,
//! a changed key and a `@revoked` key stop before any password is sent; a wrong password
//! and a pass file readable by others are refused; a command that outlives
//! `SSH_COMMAND_TIMEOUT` is a timeout, and an interruption stops a wait on the peer.
//!
//! A broken session (the test kills the sshd processes serving it, found under its own
//! sshd in /proc): the next command, file operation or tunnel reconnects once; a command
//! cut mid-way is not run again; a host key changed before the reconnect is refused; no
//! reconnect after an interruption.

use pgrex::node::{Node, NodeError, SshAuth, SshConfig, SshNode};
use pgrex::ExitCode;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

const SSHD: &str = "/usr/sbin/sshd";

/// One sshd of a test, killed (by its PID) when dropped.
struct Sshd {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl Drop for Sshd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn keygen(path: &Path) {
    let st = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", "pgrex-test", "-f"])
        .arg(path)
        .stdin(Stdio::null())
        .status()
        .expect("ssh-keygen runs");
    assert!(st.success(), "ssh-keygen failed for {}", path.display());
}

fn public(path: &Path) -> String {
    let text = std::fs::read_to_string(path.with_extension("pub")).unwrap();
    // `ssh-ed25519 AAAA… comment` → the type and key only.
    text.split_whitespace()
        .take(2)
        .collect::<Vec<_>>()
        .join(" ")
}

impl Sshd {
    /// Start one, or `None` (printed) when this machine cannot.
    fn start() -> Option<Sshd> {
        if !Path::new(SSHD).exists() {
            eprintln!("skipped: {SSHD} is not installed (apt-get install openssh-server)");
            return None;
        }
        if !nix::unistd::geteuid().is_root() {
            eprintln!("skipped: sshd's privilege separation needs root");
            return None;
        }
        // What the Debian package creates at boot; sshd refuses to start without it.
        let _ = std::fs::create_dir_all("/run/sshd");
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        keygen(&d.join("host_ed25519"));
        keygen(&d.join("client_ed25519"));
        std::fs::write(d.join("authorized_keys"), public(&d.join("client_ed25519"))).unwrap();
        let port = free_port();
        let child = spawn(d, port, "host_ed25519");
        let sshd = Sshd { child, port, dir };
        sshd.wait_listening();
        Some(sshd)
    }

    /// The sshd processes serving connections (children and grandchildren of ours).
    fn session_pids(&self) -> Vec<i32> {
        let ours = self.child.id() as i32;
        let procs = processes();
        let mut found = vec![ours];
        let mut i = 0;
        while i < found.len() {
            let parent = found[i];
            found.extend(procs.iter().filter(|p| p.1 == parent).map(|p| p.0));
            i += 1;
        }
        procs
            .iter()
            .filter(|p| p.0 != ours && found.contains(&p.0) && p.2 == "sshd")
            .map(|p| p.0)
            .collect()
    }

    /// Break every session: SIGKILL the sshd processes serving them (ours only); the
    /// client's TCP connection is closed under it, as when the peer's side went away.
    fn kill_sessions(&self) -> Vec<i32> {
        let pids = self.session_pids();
        assert!(!pids.is_empty(), "no sshd serves a session");
        for &p in &pids {
            let _ = nix::sys::signal::kill(
                nix::unistd::Pid::from_raw(p),
                nix::sys::signal::Signal::SIGKILL,
            );
        }
        let until = Instant::now() + Duration::from_secs(20);
        while processes()
            .iter()
            .any(|q| pids.contains(&q.0) && q.3 != 'Z')
        {
            assert!(Instant::now() < until, "sshd sessions {pids:?} did not die");
            std::thread::sleep(Duration::from_millis(20));
        }
        pids
    }

    /// The same server on the same port, with a new host key (sessions broken too).
    fn restart_with_another_host_key(&mut self) {
        self.kill_sessions();
        let _ = self.child.kill();
        let _ = self.child.wait();
        keygen(&self.path("host2_ed25519"));
        self.child = spawn(self.dir.path(), self.port, "host2_ed25519");
        self.wait_listening();
    }

    fn wait_listening(&self) {
        let until = Instant::now() + Duration::from_secs(20);
        while std::net::TcpStream::connect(("127.0.0.1", self.port)).is_err() {
            assert!(
                Instant::now() < until,
                "sshd did not listen: {}",
                std::fs::read_to_string(self.dir.path().join("sshd.log")).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// A `known_hosts` holding `lines`, `{host}` replaced by `[127.0.0.1]:PORT` and `{key}`
    /// by the server's real host key.
    fn known_hosts(&self, name: &str, lines: &[&str]) -> PathBuf {
        let key = public(&self.path("host_ed25519"));
        let host = format!("[127.0.0.1]:{}", self.port);
        let text: String = lines
            .iter()
            .map(|l| format!("{}\n", l.replace("{host}", &host).replace("{key}", &key)))
            .collect();
        let p = self.path(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    fn config(&self, known_hosts: PathBuf, auth: SshAuth) -> SshConfig {
        let mut c = SshConfig::root("127.0.0.1", auth);
        c.port = self.port;
        c.known_hosts = known_hosts;
        c.connect_timeout = Duration::from_secs(10);
        c
    }

    /// Logged in with the test's client key, against a `known_hosts` with the real key.
    fn good_config(&self) -> SshConfig {
        let kh = self.known_hosts("known_hosts", &["{host} {key}"]);
        self.config(
            kh,
            SshAuth::NoPass {
                use_agent: false,
                identities: vec![self.path("client_ed25519")],
            },
        )
    }
}

/// Our sshd on `port` with this host key, its config and log in `d`.
fn spawn(d: &Path, port: u16, host_key: &str) -> Child {
    let config = format!(
        "Port {port}\nListenAddress 127.0.0.1\nHostKey {d}/{host_key}\nPidFile {d}/sshd.pid\n\
         AuthorizedKeysFile {d}/authorized_keys\nPermitRootLogin yes\nPasswordAuthentication yes\n\
         KbdInteractiveAuthentication no\nUsePAM no\nStrictModes no\nMaxAuthTries 20\n",
        d = d.display()
    );
    std::fs::write(d.join("sshd_config"), config).unwrap();
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(d.join("sshd.log"))
        .unwrap();
    Command::new(SSHD)
        .args(["-D", "-e", "-f"])
        .arg(d.join("sshd_config"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("sshd starts")
}

/// (pid, ppid, comm, state) of every process, from /proc.
fn processes() -> Vec<(i32, i32, String, char)> {
    let mut v = Vec::new();
    for e in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = e.file_name().to_string_lossy().parse::<i32>() else {
            continue;
        };
        let Ok(stat) = std::fs::read_to_string(e.path().join("stat")) else {
            continue;
        };
        // `pid (comm) state ppid …`; comm may hold spaces and parentheses.
        let (Some(open), Some(close)) = (stat.find('('), stat.rfind(')')) else {
            continue;
        };
        let comm = stat[open + 1..close].to_string();
        let mut rest = stat[close + 1..].split_whitespace();
        let state = rest.next().and_then(|s| s.chars().next()).unwrap_or('?');
        let ppid = rest.next().and_then(|s| s.parse().ok()).unwrap_or(0);
        v.push((pid, ppid, comm, state));
    }
    v
}

fn free_port() -> u16 {
    let l = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap();
    l.local_addr().unwrap().port()
}

fn other_key(dir: &Path) -> String {
    let p = dir.join("other_ed25519");
    keygen(&p);
    public(&p)
}

fn pass_file(dir: &Path, mode: u32) -> PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let p = dir.join(format!("pass-{mode:o}"));
    std::fs::write(&p, "not-the-password\n").unwrap();
    std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode)).unwrap();
    p
}

#[test]
fn a_known_key_and_an_authorised_client_key_log_in() {
    let Some(sshd) = Sshd::start() else { return };
    let node = SshNode::connect(&sshd.good_config()).expect("logs in");
    let out = node
        .run(
            &pgrex::exec::Cmd::new("echo").arg("hello"),
            &pgrex::node::RunAs::Root,
        )
        .unwrap();
    assert_eq!(out.stdout.trim(), "hello");
}

#[test]
fn an_unknown_host_key_is_refused() {
    let Some(sshd) = Sshd::start() else { return };
    let kh = sshd.known_hosts("known_hosts_empty", &[]);
    let cfg = sshd.config(kh, sshd.good_config().auth);
    let e = SshNode::connect(&cfg).unwrap_err();
    assert!(matches!(e, NodeError::HostKeyUnknown { .. }), "{e:?}");
    assert!(e.to_string().contains("SHA256:"), "{e}");
    assert_eq!(pgrex::Error::from(e).exit_code(), ExitCode::Refused);
}

#[test]
fn a_changed_host_key_is_refused() {
    let Some(sshd) = Sshd::start() else { return };
    let other = other_key(sshd.dir.path());
    let kh = sshd.known_hosts("known_hosts_changed", &[&format!("{{host}} {other}")]);
    let cfg = sshd.config(kh, sshd.good_config().auth);
    let e = SshNode::connect(&cfg).unwrap_err();
    assert!(matches!(e, NodeError::HostKeyChanged { .. }), "{e:?}");
    assert_eq!(pgrex::Error::from(e).exit_code(), ExitCode::Refused);
}

#[test]
fn a_revoked_host_key_is_refused_although_it_is_also_listed() {
    let Some(sshd) = Sshd::start() else { return };
    let kh = sshd.known_hosts("known_hosts_revoked", &["@revoked * {key}", "{host} {key}"]);
    let cfg = sshd.config(kh, sshd.good_config().auth);
    let e = SshNode::connect(&cfg).unwrap_err();
    assert!(matches!(e, NodeError::HostKeyChanged { .. }), "{e:?}");
    assert!(e.to_string().contains("@revoked"), "{e}");
}

#[test]
fn a_wrong_password_is_refused() {
    let Some(sshd) = Sshd::start() else { return };
    let pf = pass_file(sshd.dir.path(), 0o600);
    let cfg = sshd.config(sshd.good_config().known_hosts, SshAuth::Passfile(pf));
    let e = SshNode::connect(&cfg).unwrap_err();
    assert!(matches!(e, NodeError::AuthFailed { .. }), "{e:?}");
    assert!(e.to_string().contains("password"), "{e}");
    assert!(!format!("{e} {e:?}").contains("not-the-password"), "{e:?}");
}

#[test]
fn a_pass_file_readable_by_others_is_refused_before_any_password_is_sent() {
    let Some(sshd) = Sshd::start() else { return };
    let pf = pass_file(sshd.dir.path(), 0o644);
    let cfg = sshd.config(sshd.good_config().known_hosts, SshAuth::Passfile(pf));
    let e = SshNode::connect(&cfg).unwrap_err();
    assert!(matches!(e, NodeError::PassFile { .. }), "{e:?}");
    assert!(e.to_string().contains("644"), "{e}");
    assert_eq!(pgrex::Error::from(e).exit_code(), ExitCode::Usage);
}

/// A command without a timeout of its own is bounded by `SSH_COMMAND_TIMEOUT`.
#[test]
fn a_remote_command_outliving_its_deadline_is_a_timeout() {
    let Some(sshd) = Sshd::start() else { return };
    let mut cfg = sshd.good_config();
    cfg.command_timeout = Duration::from_millis(500);
    let node = SshNode::connect(&cfg).unwrap();
    let e = node
        .run(
            &pgrex::exec::Cmd::new("sleep").arg("30"),
            &pgrex::node::RunAs::Root,
        )
        .unwrap_err();
    assert!(
        matches!(e, NodeError::Exec(pgrex::exec::ExecError::Timeout { .. })),
        "{e:?}"
    );
    // The session is still usable for the next command (one with a timeout of its own,
    // which the short SSH_COMMAND_TIMEOUT does not apply to).
    let out = node
        .run(
            &pgrex::exec::Cmd::new("true").timeout(Duration::from_secs(60)),
            &pgrex::node::RunAs::Root,
        )
        .unwrap();
    assert!(out.status.success());
}

/// SIGINT / SIGTERM (the binary's flag) stop a wait on the peer at once.
#[test]
fn an_interruption_stops_a_wait_on_the_peer() {
    let Some(sshd) = Sshd::start() else { return };
    let flag = Arc::new(AtomicBool::new(false));
    let mut cfg = sshd.good_config();
    cfg.interrupted = Some(flag.clone());
    let node = SshNode::connect(&cfg).unwrap();
    let setter = {
        let flag = flag.clone();
        std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            flag.store(true, Ordering::SeqCst);
        })
    };
    let e = node
        .run(
            &pgrex::exec::Cmd::new("sleep").arg("30"),
            &pgrex::node::RunAs::Root,
        )
        .unwrap_err();
    setter.join().unwrap();
    assert!(
        matches!(
            e,
            NodeError::Exec(pgrex::exec::ExecError::Interrupted { .. })
        ),
        "{e:?}"
    );
}

/// A clean-up command (`Cmd::through_interrupt`: the release of the lock a switchover holds
/// on the peer) still runs on the peer after an interruption, and runs to its end — the
/// lab's switchover interrupted right after it took the peer's lock left that lock held.
#[test]
fn a_clean_up_command_runs_through_an_interruption() {
    let Some(sshd) = Sshd::start() else { return };
    let flag = Arc::new(AtomicBool::new(true));
    let mut cfg = sshd.good_config();
    cfg.interrupted = Some(flag.clone());
    let node = SshNode::connect(&cfg).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mark = dir.path().join("released");
    let script = format!("sleep 0.5; echo done > {}", mark.display());
    let out = node
        .run(
            &pgrex::exec::Cmd::new("sh")
                .arg("-c")
                .arg(&script)
                .timeout(Duration::from_secs(30))
                .through_interrupt(),
            &pgrex::node::RunAs::Root,
        )
        .unwrap();
    assert!(out.status.success());
    assert_eq!(std::fs::read_to_string(&mark).unwrap(), "done\n");
    // Without the mark the same command is cut short: the flag is set.
    let e = node
        .run(
            &pgrex::exec::Cmd::new("sh").arg("-c").arg(&script),
            &pgrex::node::RunAs::Root,
        )
        .unwrap_err();
    assert!(
        matches!(
            e,
            NodeError::Exec(pgrex::exec::ExecError::Interrupted { .. })
        ),
        "{e:?}"
    );
}

fn echo(node: &SshNode, text: &str) -> Result<String, NodeError> {
    node.run(
        &pgrex::exec::Cmd::new("echo").arg(text),
        &pgrex::node::RunAs::Root,
    )
    .map(|o| o.stdout.trim().to_string())
}

/// The lab's failure (`[Session(-43)]` opening a channel after the connection died between
/// two commands): the next command and the next file operation each run on a new session,
/// served by new sshd processes.
#[test]
fn a_session_that_died_between_commands_is_reconnected() {
    let Some(sshd) = Sshd::start() else { return };
    let node = SshNode::connect(&sshd.good_config()).unwrap();
    assert_eq!(echo(&node, "before").unwrap(), "before");
    let old = sshd.kill_sessions();
    assert_eq!(echo(&node, "after").unwrap(), "after");
    assert_eq!(node.reconnects(), 1);
    let new = sshd.session_pids();
    assert!(
        !new.is_empty() && new.iter().all(|p| !old.contains(p)),
        "{old:?} {new:?}"
    );
    // A file operation the same way.
    sshd.kill_sessions();
    let st = node
        .stat(sshd.dir.path())
        .unwrap()
        .expect("the directory exists");
    assert_eq!(st.kind, pgrex::node::FileKind::Dir);
    assert_eq!(node.reconnects(), 2);
}

/// A command running when its connection is killed fails saying so, and is not run again
/// (its marker line is written once); the next command reconnects.
#[test]
fn a_command_cut_mid_way_is_not_run_again() {
    let Some(sshd) = Sshd::start() else { return };
    let node = SshNode::connect(&sshd.good_config()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mark = dir.path().join("ran");
    let script = format!("echo run >> {}; sleep 5; echo x", mark.display());
    let e = std::thread::scope(|s| {
        let running = s.spawn(|| {
            node.run(
                &pgrex::exec::Cmd::new("sh").arg("-c").arg(&script),
                &pgrex::node::RunAs::Root,
            )
        });
        let until = Instant::now() + Duration::from_secs(20);
        while !mark.exists() {
            assert!(Instant::now() < until, "the command did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        sshd.kill_sessions();
        running.join().unwrap().unwrap_err()
    });
    assert!(matches!(e, NodeError::ConnectionLost { .. }), "{e:?}");
    assert!(e.to_string().contains("not run again"), "{e}");
    assert!(e.hint().is_some());
    assert_eq!(node.reconnects(), 0);
    assert_eq!(echo(&node, "next").unwrap(), "next");
    assert_eq!(node.reconnects(), 1);
    assert_eq!(std::fs::read_to_string(&mark).unwrap(), "run\n");
}

/// The peer's host key changed between the first login and the reconnect: refused, as at
/// a first login, and the command is not run.
#[test]
fn a_host_key_changed_before_the_reconnect_is_refused() {
    let Some(mut sshd) = Sshd::start() else {
        return;
    };
    let node = SshNode::connect(&sshd.good_config()).unwrap();
    assert_eq!(echo(&node, "before").unwrap(), "before");
    sshd.restart_with_another_host_key();
    let e = echo(&node, "after").unwrap_err();
    let NodeError::Reconnect { source, .. } = &e else {
        panic!("{e:?}")
    };
    assert!(
        matches!(**source, NodeError::HostKeyChanged { .. }),
        "{e:?}"
    );
    assert!(e.hint().unwrap().contains("ssh-keygen"), "{:?}", e.hint());
    assert_eq!(node.reconnects(), 0);
    assert_eq!(pgrex::Error::from(e).exit_code(), ExitCode::Refused);
}

/// After an interruption a dead session is not replaced: the command fails at once.
#[test]
fn no_reconnect_after_an_interruption() {
    let Some(sshd) = Sshd::start() else { return };
    let flag = Arc::new(AtomicBool::new(false));
    let mut cfg = sshd.good_config();
    cfg.interrupted = Some(flag.clone());
    let node = SshNode::connect(&cfg).unwrap();
    sshd.kill_sessions();
    flag.store(true, Ordering::SeqCst);
    let e = echo(&node, "after").unwrap_err();
    assert!(matches!(e, NodeError::SessionGone { .. }), "{e:?}");
    assert_eq!(node.reconnects(), 0);
}

/// The tunnel (pg_rewind's `--source-server`) opens its first channel on a new session
/// when the old one died before it.
#[test]
fn a_tunnel_reconnects_before_its_first_connection() {
    use std::io::{Read, Write};
    let Some(sshd) = Sshd::start() else { return };
    let node = SshNode::connect(&sshd.good_config()).unwrap();
    let target = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap();
    let target_port = target.local_addr().unwrap().port();
    // Detached: when the tunnel fails nobody connects, and the test must fail, not hang.
    std::thread::spawn(move || {
        let (mut c, _) = target.accept().unwrap();
        let mut b = [0u8; 4];
        c.read_exact(&mut b).unwrap();
        c.write_all(&b).unwrap();
    });
    sshd.kill_sessions();
    let mut got: std::io::Result<String> = Ok(String::new());
    node.forward("127.0.0.1", target_port, &mut |local| {
        // No panic in here: the tunnel's pump stops only when this returns.
        got = (|| {
            let mut c = std::net::TcpStream::connect(("127.0.0.1", local))?;
            c.set_read_timeout(Some(Duration::from_secs(30)))?;
            c.write_all(b"ping")?;
            let mut b = [0u8; 4];
            c.read_exact(&mut b)?;
            Ok(String::from_utf8_lossy(&b).into_owned())
        })();
    })
    .unwrap();
    assert_eq!(got.unwrap(), "ping");
    assert_eq!(node.reconnects(), 1);
}

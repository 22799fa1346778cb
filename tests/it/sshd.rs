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
        let config = format!(
            "Port {port}\nListenAddress 127.0.0.1\nHostKey {d}/host_ed25519\nPidFile {d}/sshd.pid\n\
             AuthorizedKeysFile {d}/authorized_keys\nPermitRootLogin yes\nPasswordAuthentication yes\n\
             KbdInteractiveAuthentication no\nUsePAM no\nStrictModes no\nMaxAuthTries 20\n",
            d = d.display()
        );
        std::fs::write(d.join("sshd_config"), config).unwrap();
        let child = Command::new(SSHD)
            .args(["-D", "-e", "-f"])
            .arg(d.join("sshd_config"))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(d.join("sshd.log")).unwrap())
            .spawn()
            .expect("sshd starts");
        let sshd = Sshd { child, port, dir };
        sshd.wait_listening();
        Some(sshd)
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

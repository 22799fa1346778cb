//! A closed stdout or stderr (`pgrex-lab probe stop | head -2`) ends the printing, never the
//! run: no panic ("failed printing to stdout: Broken pipe", exit 101), and the exit code is
//! the one the command gives with its output read. Not gated: the fence agent, the
//! `systemctl` shim and a command on a lab that is not up print without a lab.

use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

/// The write end of a pipe whose reader is gone: the first write fails with EPIPE.
fn closed() -> Stdio {
    let (r, w) = nix::unistd::pipe().expect("pipe");
    drop(r);
    Stdio::from(w)
}

/// `pgrex-lab` run as `argv0` (the fence agent, the shim), in a scratch directory.
struct As {
    dir: PathBuf,
}

impl As {
    fn new(argv0: &str) -> As {
        // One directory per run and name: the tests run in parallel.
        let dir = std::env::temp_dir().join(format!(
            "pgrex-lab-streams-{}-{argv0}-{}",
            std::process::id(),
            std::thread::current()
                .name()
                .unwrap_or("t")
                .replace("::", "-")
        ));
        std::fs::create_dir_all(&dir).unwrap();
        As { dir }
    }

    fn cmd(&self, argv0: &str) -> Command {
        let link = self.dir.join(argv0);
        if argv0 == "pgrex-lab" {
            return Command::new(env!("CARGO_BIN_EXE_pgrex-lab"));
        }
        if !link.exists() {
            symlink(Path::new(env!("CARGO_BIN_EXE_pgrex-lab")), &link).unwrap();
        }
        Command::new(link)
    }
}

impl Drop for As {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Runs `argv0 args` with stdout read, then with stdout (and then stderr too) closed.
#[track_caller]
fn same_code_when_closed(argv0: &str, args: &[&str]) {
    let a = As::new(argv0);
    let open: Output = a
        .cmd(argv0)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert!(
        !open.stdout.is_empty() || !open.stderr.is_empty(),
        "{argv0} {args:?} prints something (else this test proves nothing)"
    );
    let shut = a
        .cmd(argv0)
        .args(args)
        .stdin(Stdio::null())
        .stdout(closed())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&shut.stderr);
    assert!(
        !err.contains("panicked") && !err.contains("Broken pipe"),
        "{argv0} {args:?} with stdout closed: {err}"
    );
    assert_eq!(
        shut.status.code(),
        open.status.code(),
        "{argv0} {args:?}: the exit code does not depend on stdout being read"
    );
    let both = a
        .cmd(argv0)
        .args(args)
        .stdin(Stdio::null())
        .stdout(closed())
        .stderr(closed())
        .status()
        .unwrap();
    assert_eq!(
        both.code(),
        open.status.code(),
        "{argv0} {args:?}: nor on stderr being read"
    );
}

#[test]
fn the_fence_agent_survives_a_closed_stdout() {
    // Its metadata is several KiB: more than one write.
    same_code_when_closed("fence_lab", &["-o", "metadata"]);
}

#[test]
fn the_systemctl_shim_survives_a_closed_stdout() {
    // Read from this host's own wants links: stable while other labs come and go (their
    // processes would change an `is-active` answer between two runs).
    same_code_when_closed(
        "systemctl",
        &["is-enabled", "pacemaker", "corosync", "sshd"],
    );
    same_code_when_closed("systemctl", &[]);
}

#[test]
fn pgrex_lab_survives_closed_streams() {
    // An instance that is not up: the refusal goes to stderr, exit 1.
    same_code_when_closed("pgrex-lab", &["--instance", "zz9none", "status"]);
    same_code_when_closed("pgrex-lab", &["--instance", "zz9none", "probe", "report"]);
    // A usage error (clap prints it) and the help.
    same_code_when_closed("pgrex-lab", &["inject", "no-such-failure"]);
    same_code_when_closed("pgrex-lab", &["--help"]);
}

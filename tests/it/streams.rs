//! CONTRACTS "Output streams": what a closed stdout does. The reader of stdout may go away
//! (`pgrex status | head -1`, a monitoring pipe that timed out); that must neither turn a
//! view's FAULT into exit 0 nor cut an operation off between its steps. The pipe's read end
//! is closed before the child starts, so its first write to stdout fails every time.

use crate::{fixture, pgrex};
use std::process::{Output, Stdio};

/// Run `c` with a stdout whose reader has already gone.
pub(crate) fn with_closed_stdout(c: assert_cmd::Command) -> Output {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    // assert_cmd's Command cannot take a custom stdout: rebuild it as a std one.
    let mut s = std::process::Command::new(c.get_program());
    s.args(c.get_args());
    for (k, v) in c.get_envs() {
        match v {
            Some(v) => s.env(k, v),
            None => s.env_remove(k),
        };
    }
    s.stdout(Stdio::from(writer)).stderr(Stdio::piped());
    s.output().unwrap()
}

#[test]
fn a_closed_stdout_keeps_the_verdict_exit_code_of_a_view() {
    for format in ["json", "text"] {
        let mut c = pgrex();
        c.args(["status", "--output-format", format, "--input"])
            .arg(fixture("status/pgrex17/failed-over.xml"));
        let out = with_closed_stdout(c);
        // failed-over is FAULT: exit 1, whether or not anyone reads the view.
        assert_eq!(out.status.code(), Some(1), "{format}: {out:?}");
        assert!(
            !String::from_utf8_lossy(&out.stderr).contains("panicked"),
            "{out:?}"
        );
        let mut c = pgrex();
        c.args(["status", "--output-format", format, "--input"])
            .arg(fixture("status/pgrex17/healthy.xml"));
        assert_eq!(with_closed_stdout(c).status.code(), Some(0), "{format}");
    }
}

#[test]
fn a_closed_stdout_does_not_stop_an_operation_between_steps() {
    for format in ["json", "text"] {
        let dir = tempfile::tempdir().unwrap();
        let mut c = super::cleanup::replay(dir.path(), "pgrex17", 0);
        c.args(["--yes", "--output-format", format]);
        let out = with_closed_stdout(c);
        assert_eq!(out.status.code(), Some(0), "{format}: {out:?}");
        // Every step ran: the cleanup command and the re-read after it.
        assert_eq!(
            super::cleanup::calls(dir.path()),
            "--cleanup --resource ipaddr-replication --node pm01\n",
            "{format}"
        );
        let j = super::cleanup::journals(dir.path());
        assert_eq!(j.len(), 1, "{format}");
        assert_eq!(j[0]["state"], "done", "{format}");
        assert_eq!(j[0]["last_completed_step"], 4, "{format}");
    }
}

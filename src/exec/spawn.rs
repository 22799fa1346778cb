//! Running a [`Cmd`]: spawn, feed stdin, drain stdout and stderr on their own threads,
//! enforce the timeout (on the command's whole process group, and on a grandchild that keeps
//! its output open after it exited), and emit one tracing event per run (`-v` / `PGREX_LOG`) with the
//! command line as [`Cmd`]'s `Display` shows it (secrets masked), its duration and its exit
//! status or error. Neither stdin nor output is ever logged: either may hold a password.

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use super::cmd::Cmd;
use super::error::{tail, ExecError, Output, Status};

/// Start children in their own process group (set by the binary for operations).
static ISOLATE_CHILDREN: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Start every child in its own process group from now on, so a Ctrl-C at the terminal
/// reaches only pgrex (which then stops at a safe point).
pub fn isolate_children(on: bool) {
    ISOLATE_CHILDREN.store(on, std::sync::atomic::Ordering::Relaxed);
}

pub(super) fn children_isolated() -> bool {
    ISOLATE_CHILDREN.load(std::sync::atomic::Ordering::Relaxed)
}

impl Cmd {
    /// Run and require exit code 0.
    pub fn run(&self) -> Result<Output, ExecError> {
        let out = self.output()?;
        if out.status.success() {
            Ok(out)
        } else {
            Err(ExecError::Failed {
                cmd: self.to_string(),
                status: out.status,
                stdout: out.stdout,
                stderr_tail: tail(&out.stderr),
            })
        }
    }

    /// Run and return whatever the process exited with. Errors only when it could not be
    /// started or did not finish within the timeout (it is then killed).
    pub fn output(&self) -> Result<Output, ExecError> {
        let started = Instant::now();
        self.logged(started, self.output_impl(None))
    }

    /// As [`Cmd::output`], calling `on_line` with every line the program writes to stderr
    /// as it writes it (lines end at `\n` or `\r`: progress meters such as
    /// `pg_basebackup -P` redraw with `\r`).
    pub fn output_lines(&self, on_line: &mut dyn FnMut(&str)) -> Result<Output, ExecError> {
        let started = Instant::now();
        let (tx, rx) = std::sync::mpsc::channel::<String>();
        let r = std::thread::scope(|s| {
            let h = s.spawn(move || self.output_impl(Some(tx)));
            for line in rx {
                on_line(&line);
            }
            h.join().expect("command runner panicked")
        });
        self.logged(started, r)
    }

    /// The run's tracing event, emitted on the caller's thread (the subscriber may be a
    /// thread-local one, as in tests).
    fn logged(&self, started: Instant, r: Result<Output, ExecError>) -> Result<Output, ExecError> {
        let elapsed_ms = started.elapsed().as_millis() as u64;
        match &r {
            Ok(out) => tracing::debug!(
                cmd = %self,
                elapsed_ms,
                status = %out.status,
                "command finished"
            ),
            Err(e) => tracing::debug!(cmd = %self, elapsed_ms, error = %e, "command failed"),
        }
        r
    }

    fn output_impl(
        &self,
        lines: Option<std::sync::mpsc::Sender<String>>,
    ) -> Result<Output, ExecError> {
        let started = Instant::now();
        let mut c = Command::new(self.program());
        c.args(self.arguments());
        // Ctrl-C at the terminal must reach pgrex only (which finishes the step and stops),
        // not pg_basebackup or systemctl half-way (spec §2.5, Q21); and a command with a
        // timeout gets its own group so that the timeout can kill all of it, grandchildren
        // included (`runuser` forks: killing it alone leaves the program running).
        let in_group = children_isolated() || self.get_timeout().is_some();
        if in_group {
            use std::os::unix::process::CommandExt;
            c.process_group(0);
        }
        if self.clears_env() {
            c.env_clear();
        }
        for (k, v) in self.env_changes() {
            match v {
                Some(v) => c.env(k, v),
                None => c.env_remove(k),
            };
        }
        if let Some(d) = self.working_dir() {
            c.current_dir(d);
        }
        c.stdin(if self.stdin_data().is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        });
        c.stdout(Stdio::piped()).stderr(Stdio::piped());
        let mut child = c.spawn().map_err(|source| ExecError::Spawn {
            cmd: self.to_string(),
            source,
        })?;

        let stdin_writer = match (self.stdin_data().map(<[u8]>::to_vec), child.stdin.take()) {
            (Some(data), Some(mut pipe)) => Some(std::thread::spawn(move || {
                let _ = pipe.write_all(&data);
            })),
            _ => None,
        };
        let out_reader = reader(child.stdout.take());
        let err_reader = match lines {
            None => reader(child.stderr.take()),
            Some(tx) => line_reader(child.stderr.take(), tx),
        };

        let deadline = self.get_timeout().map(|t| (started + t, t));
        let status = match deadline {
            None => child.wait().map_err(|source| ExecError::Spawn {
                cmd: self.to_string(),
                source,
            })?,
            Some((at, limit)) => loop {
                match child.try_wait() {
                    Ok(Some(st)) => break st,
                    Ok(None) if Instant::now() >= at => {
                        kill_group(&mut child, in_group);
                        let stderr = join_within(err_reader, GRACE).unwrap_or_default();
                        return Err(self.timed_out(limit, &stderr));
                    }
                    Ok(None) => std::thread::sleep(Duration::from_millis(5)),
                    Err(source) => {
                        return Err(ExecError::Spawn {
                            cmd: self.to_string(),
                            source,
                        })
                    }
                }
            },
        };
        // The direct child is done, but a process it forked (`runuser` forks the program it
        // runs) may still hold the pipes open: the deadline bounds that wait too, and the
        // whole process group goes when it passes.
        if let Some((at, limit)) = deadline {
            while !(out_reader.is_finished() && err_reader.is_finished()) {
                if Instant::now() >= at {
                    kill_group(&mut child, in_group);
                    let stderr = join_within(err_reader, GRACE).unwrap_or_default();
                    return Err(self.timed_out(limit, &stderr));
                }
                std::thread::sleep(Duration::from_millis(5));
            }
        }
        if let Some(w) = stdin_writer {
            let _ = w.join();
        }
        let stdout = out_reader.join().unwrap_or_default();
        let stderr = err_reader.join().unwrap_or_default();
        use std::os::unix::process::ExitStatusExt;
        let status = match (status.code(), status.signal()) {
            (Some(c), _) => Status::Exited(c),
            (None, Some(s)) => Status::Signaled(s),
            (None, None) => Status::Exited(-1),
        };
        Ok(Output {
            status,
            stdout,
            stderr,
            elapsed: started.elapsed(),
        })
    }
}

/// How long, after killing a timed-out command, its stderr is awaited for the message.
const GRACE: Duration = Duration::from_secs(2);

impl Cmd {
    fn timed_out(&self, limit: Duration, stderr: &str) -> ExecError {
        ExecError::Timeout {
            cmd: self.to_string(),
            timeout: limit,
            stderr_tail: tail(stderr),
        }
    }
}

/// Kill the child and, when it leads its own process group, every process in that group.
fn kill_group(child: &mut std::process::Child, in_group: bool) {
    if in_group {
        if let Ok(pid) = i32::try_from(child.id()) {
            let _ = nix::sys::signal::killpg(
                nix::unistd::Pid::from_raw(pid),
                nix::sys::signal::Signal::SIGKILL,
            );
        }
    }
    let _ = child.kill();
    let _ = child.wait();
}

/// The reader's text if it finishes within `grace`; a process outside the group (one that
/// called `setsid`) may hold the pipe for ever, and then the thread is left behind.
fn join_within(h: std::thread::JoinHandle<String>, grace: Duration) -> Option<String> {
    let until = Instant::now() + grace;
    while !h.is_finished() {
        if Instant::now() >= until {
            return None;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    h.join().ok()
}

fn reader<R: Read + Send + 'static>(r: Option<R>) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut buf = Vec::new();
        if let Some(mut r) = r {
            let _ = r.read_to_end(&mut buf);
        }
        String::from_utf8_lossy(&buf).into_owned()
    })
}

fn line_reader<R: Read + Send + 'static>(
    r: Option<R>,
    tx: std::sync::mpsc::Sender<String>,
) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut all = Vec::new();
        let mut line = Vec::new();
        let mut buf = [0u8; 4096];
        if let Some(mut r) = r {
            while let Ok(n) = r.read(&mut buf) {
                if n == 0 {
                    break;
                }
                all.extend_from_slice(&buf[..n]);
                for &b in &buf[..n] {
                    if b == b'\n' || b == b'\r' {
                        if !line.is_empty() {
                            let _ = tx.send(String::from_utf8_lossy(&line).into_owned());
                            line.clear();
                        }
                    } else {
                        line.push(b);
                    }
                }
            }
        }
        if !line.is_empty() {
            let _ = tx.send(String::from_utf8_lossy(&line).into_owned());
        }
        String::from_utf8_lossy(&all).into_owned()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exec::test_log::log_lines;

    #[test]
    fn every_run_is_one_event_without_secrets() {
        log_lines("");
        let m = "marker-3a9f";
        {
            Cmd::new("sh")
                .args(["-c", "cat >/dev/null; exit 3", m])
                .env("PGPASSWORD", "hunter2")
                .secret_env("PGREX_TOKENISH", "s3cret-env")
                .secret_arg("s3cret-arg")
                .stdin("hunter2 on stdin")
                .output()
                .unwrap();
            let _ = Cmd::new("/nonexistent/pgrex-test").arg(m).run();
            Cmd::new("sh")
                .args(["-c", "printf 'line\\n' >&2", m])
                .output_lines(&mut |_| {})
                .unwrap();
        }
        let lines = log_lines(m);
        let log = lines.join("\n");
        assert_eq!(lines.len(), 3, "{log}");
        assert!(lines[0].contains("command finished"), "{log}");
        assert!(lines[0].contains("status=exit code 3"), "{log}");
        assert!(lines[0].contains("elapsed_ms="), "{log}");
        assert!(lines[0].contains("PGPASSWORD=***"), "{log}");
        assert!(lines[1].contains("command failed"), "{log}");
        assert!(lines[1].contains("/nonexistent/pgrex-test"), "{log}");
        assert!(lines[1].contains("could not be started"), "{log}");
        assert!(lines[2].contains("status=exit code 0"), "{log}");
        for secret in ["hunter2", "s3cret-env", "s3cret-arg"] {
            assert!(!log.contains(secret), "{secret} in {log}");
        }
    }

    #[test]
    fn failure_keeps_code_and_stderr() {
        let err = Cmd::new("sh")
            .args(["-c", "echo boom >&2; exit 3"])
            .run()
            .unwrap_err();
        assert_eq!(err.status(), Some(Status::Exited(3)));
        assert_eq!(err.stderr_tail(), "boom");
        assert!(err.to_string().contains("(exit code 3): boom"), "{err}");
    }

    #[test]
    fn signal_is_reported() {
        let err = Cmd::new("sh").args(["-c", "kill -9 $$"]).run().unwrap_err();
        assert_eq!(err.status(), Some(Status::Signaled(9)));
        assert!(err.to_string().contains("killed by signal 9"));
    }

    #[test]
    fn timeout_kills() {
        let err = Cmd::new("sleep")
            .arg("5")
            .timeout(Duration::from_millis(100))
            .run()
            .unwrap_err();
        assert!(matches!(err, ExecError::Timeout { .. }), "{err}");
    }

    /// Whether `pid` has ended (gone, or a zombie nobody reaped yet), waiting up to 5 s for
    /// a SIGKILL already sent to be delivered.
    fn ended(pid: &str) -> bool {
        let until = Instant::now() + Duration::from_secs(5);
        loop {
            let state = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok();
            let gone = state.as_deref().is_none_or(|s| {
                s.rsplit_once(')')
                    .is_some_and(|(_, rest)| rest.trim_start().starts_with('Z'))
            });
            if gone || Instant::now() >= until {
                return gone;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The timeout kills the grandchild too: `runuser` forks the program it runs, and
    /// killing `runuser` alone left the program running.
    #[test]
    fn timeout_kills_the_grandchild() {
        let err = Cmd::new("sh")
            .args(["-c", "sleep 60 >/dev/null 2>&1 & echo $! >&2; wait"])
            .timeout(Duration::from_millis(300))
            .run()
            .unwrap_err();
        let ExecError::Timeout { stderr_tail, .. } = &err else {
            panic!("{err}");
        };
        let pid = stderr_tail.trim();
        assert!(!pid.is_empty(), "{err}");
        assert!(ended(pid), "the grandchild {pid} survived the timeout");
    }

    /// A grandchild holding the output pipe after the direct child exited no longer
    /// makes the run wait past its deadline: it is a timeout, and the grandchild is gone.
    #[test]
    fn timeout_bounds_a_grandchild_holding_the_pipe() {
        let err = Cmd::new("sh")
            .args(["-c", "sleep 30 & echo $! >&2; exit 0"])
            .timeout(Duration::from_millis(300))
            .run()
            .unwrap_err();
        let ExecError::Timeout { stderr_tail, .. } = &err else {
            panic!("{err}");
        };
        let pid = stderr_tail.trim();
        assert!(ended(pid), "the grandchild {pid} survived the timeout");
    }

    #[test]
    fn stdin_is_fed() {
        let out = Cmd::new("cat").stdin("hello").run().unwrap();
        assert_eq!(out.stdout, "hello");
    }

    #[test]
    fn missing_program_is_not_found() {
        let err = Cmd::new("/nonexistent/pgrex-test").run().unwrap_err();
        assert!(err.is_not_found());
        assert!(err.hint().is_some());
    }
}

//! One command on a channel of the peer's session: stdin in, stdout streamed to a sink,
//! stderr collected, exit status or signal back, and the command's timeout enforced here.
//!
//! Reading runs with the session non-blocking so stdout and stderr are drained together (a
//! command that fills its stderr while we wait on stdout would otherwise stall both sides).
//! Two limits: the total `timeout`, and `idle` (no byte on either stream for that long, used
//! by file reads whose total duration depends on the file size). On either the channel is
//! closed; sshd then closes the command's pipes. The same happens at once when the operator
//! interrupts (SIGINT/SIGTERM, the binary's flag on the session): a step waiting on the peer
//! never outlives a Ctrl-C.

use std::io::{ErrorKind, Read, Write};
use std::str::FromStr;
use std::time::{Duration, Instant};

use super::conn::{millis, Conn};
use super::lost::{self, Phase};
use crate::exec::{tail, ExecError, Status};
use crate::node::error::NodeError;

/// How long a command on the peer may take, and whether an interruption cuts it short.
pub(crate) struct Limits {
    /// The total deadline.
    pub timeout: Option<Duration>,
    /// No byte on either stream for that long.
    pub idle: Option<Duration>,
    /// SIGINT/SIGTERM close the channel at once (every command but a clean-up's,
    /// [`crate::exec::Cmd::through_interrupt`]).
    pub interruptible: bool,
}

impl Limits {
    pub fn total(timeout: Option<Duration>) -> Limits {
        Limits {
            timeout,
            idle: None,
            interruptible: true,
        }
    }

    pub fn idle(idle: Duration) -> Limits {
        Limits {
            timeout: None,
            idle: Some(idle),
            interruptible: true,
        }
    }
}

pub(crate) struct ExecResult {
    pub status: Status,
    pub stderr: String,
    pub elapsed: Duration,
}

/// Run `line` on the peer; `shown` is how messages and the log name it (secrets masked).
/// One tracing event per command, with its duration and exit status or error; neither
/// stdin nor output is logged.
pub(crate) fn exec(
    node: &Conn,
    line: &str,
    stdin: Option<&[u8]>,
    stdout: &mut dyn Write,
    limits: &Limits,
    shown: &str,
) -> Result<ExecResult, NodeError> {
    let started = Instant::now();
    let r = exec_unlogged(node, line, stdin, stdout, limits, shown);
    let elapsed_ms = started.elapsed().as_millis() as u64;
    match &r {
        Ok(done) => tracing::debug!(
            peer = node.addr(),
            cmd = shown,
            elapsed_ms,
            status = %done.status,
            "ssh command finished"
        ),
        Err(e) => tracing::debug!(
            peer = node.addr(),
            cmd = shown,
            elapsed_ms,
            error = %e,
            "ssh command failed"
        ),
    }
    r
}

fn exec_unlogged(
    node: &Conn,
    line: &str,
    stdin: Option<&[u8]>,
    stdout: &mut dyn Write,
    limits: &Limits,
    shown: &str,
) -> Result<ExecResult, NodeError> {
    let (timeout, idle) = (limits.timeout, limits.idle);
    let started = Instant::now();
    let (sess, _guard) = node.session();
    let what = |what: crate::msg::Msg| crate::t!(what, cmd = format!("`{shown}`"));
    // After the exec request: a transport failure is a connection lost mid-command (the
    // code is read from the session: `ssh2` turns channel I/O errors into `io::Error`s
    // without it); anything else is today's session error.
    let fail = |w: crate::msg::Msg, e: crate::error::BoxError| {
        let code = ssh2::Error::last_session_error(sess).map(|l| l.code());
        if w != crate::msg::node::SSH_WRITE_OUTPUT && code.is_some_and(lost::connection_lost) {
            node.mark_dead();
            NodeError::ConnectionLost {
                addr: node.addr().to_string(),
                what: what(w),
                source: e,
            }
        } else {
            NodeError::Session {
                addr: node.addr().to_string(),
                what: what(w),
                source: e,
            }
        }
    };
    sess.set_blocking(true);
    sess.set_timeout(millis(node.io_timeout()));
    let mut ch = sess.channel_session().map_err(|e| {
        start_failed(
            node,
            Phase::Open,
            what(crate::msg::node::SSH_OPEN_CHANNEL),
            e,
        )
    })?;
    ch.exec(line)
        .map_err(|e| start_failed(node, Phase::Exec, what(crate::msg::node::SSH_START), e))?;
    if let Some(data) = stdin {
        ch.write_all(data)
            .map_err(|e| fail(crate::msg::node::SSH_SEND_INPUT, e.into()))?;
    }
    ch.send_eof()
        .map_err(|e| fail(crate::msg::node::SSH_SEND_INPUT, e.into()))?;

    sess.set_blocking(false);
    let deadline = timeout.map(|t| started + t);
    let mut last_progress = Instant::now();
    let mut buf = vec![0u8; 64 * 1024];
    let mut stderr = Vec::new();
    let mut pause = Duration::from_millis(1);
    let read_result = loop {
        let mut progressed = false;
        match ch.read(&mut buf) {
            Ok(0) => {}
            Ok(n) => {
                progressed = true;
                if let Err(e) = stdout.write_all(&buf[..n]) {
                    break Err(fail(crate::msg::node::SSH_WRITE_OUTPUT, e.into()));
                }
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock => {}
            Err(e) => break Err(fail(crate::msg::node::SSH_READ_OUTPUT, e.into())),
        }
        match ch.stderr().read(&mut buf) {
            Ok(0) => {}
            Ok(n) => {
                progressed = true;
                stderr.extend_from_slice(&buf[..n]);
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock => {}
            Err(e) => break Err(fail(crate::msg::node::SSH_READ_ERRORS, e.into())),
        }
        if progressed {
            pause = Duration::from_millis(1);
            last_progress = Instant::now();
            continue;
        }
        if ch.eof() {
            break Ok(());
        }
        let now = Instant::now();
        let over_total = deadline.is_some_and(|d| now >= d);
        let over_idle = idle.is_some_and(|i| now.duration_since(last_progress) >= i);
        let interrupted = limits.interruptible && node.interrupted();
        if over_total || over_idle || interrupted {
            // Still non-blocking: closing and dropping the channel must not wait for a
            // command that may never end (libssh2 frees it with the session).
            let _ = ch.close();
            drop(ch);
            sess.set_blocking(true);
            if interrupted {
                return Err(NodeError::Exec(ExecError::Interrupted {
                    cmd: shown.to_string(),
                }));
            }
            let limit = if over_total { timeout } else { idle };
            return Err(NodeError::Exec(ExecError::Timeout {
                cmd: shown.to_string(),
                timeout: limit.unwrap_or_default(),
                stderr_tail: tail(&String::from_utf8_lossy(&stderr)),
            }));
        }
        std::thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_millis(20));
    };
    sess.set_blocking(true);
    read_result?;
    ch.wait_close()
        .map_err(|e| fail(crate::msg::node::SSH_FINISH, e.into()))?;
    let signal = ch.exit_signal().ok().and_then(|s| s.exit_signal);
    let status = match signal {
        Some(name) => Status::Signaled(signal_number(&name)),
        None => Status::Exited(
            ch.exit_status()
                .map_err(|e| fail(crate::msg::node::SSH_READ_STATUS, e.into()))?,
        ),
    };
    Ok(ExecResult {
        status,
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
        elapsed: started.elapsed(),
    })
}

/// A channel that could not be opened or started: the session is gone and nothing started
/// ([`NodeError::SessionGone`], which the node reconnects on), the connection went after
/// the request may have reached the peer ([`NodeError::ConnectionLost`]), or the server
/// refused ([`NodeError::Session`]).
pub(crate) fn start_failed(node: &Conn, phase: Phase, what: String, e: ssh2::Error) -> NodeError {
    let addr = node.addr().to_string();
    if lost::dead_before_start(phase, e.code()) {
        node.mark_dead();
        NodeError::SessionGone {
            addr,
            what,
            source: e.into(),
        }
    } else if lost::connection_lost(e.code()) {
        node.mark_dead();
        NodeError::ConnectionLost {
            addr,
            what,
            source: e.into(),
        }
    } else {
        NodeError::Session {
            addr,
            what,
            source: e.into(),
        }
    }
}

/// `KILL` → 9. Unknown names (another OS) → -1.
fn signal_number(name: &str) -> i32 {
    nix::sys::signal::Signal::from_str(&format!("SIG{name}"))
        .map(|s| s as i32)
        .unwrap_or(-1)
}

#[cfg(test)]
mod tests {
    #[test]
    fn signal_names() {
        assert_eq!(super::signal_number("KILL"), 9);
        assert_eq!(super::signal_number("TERM"), 15);
        assert_eq!(super::signal_number("NOPE"), -1);
    }
}

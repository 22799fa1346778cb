//! Waiting for the cluster (spec §2.4): an initial delay, then a poll every interval until
//! the condition holds, a check fails fast, the timeout passes (exit 5, naming what was
//! still pending) or the operator interrupts (the wait is a safe point to stop).

use super::StepCx;
use crate::msg::ops as m;
use crate::{t, Error, Result};
use std::time::{Duration, Instant};

/// One look at the condition.
pub enum Poll {
    Ready,
    /// Not yet: what is still pending (shown while waiting and in the timeout error).
    Pending(String),
}

pub struct Wait {
    pub delay: Duration,
    pub interval: Duration,
    pub timeout: Duration,
}

impl Wait {
    /// Poll until ready. `poll` returning `Err` fails fast (a new failed action).
    pub fn run(&self, cx: &StepCx, mut poll: impl FnMut() -> Result<Poll>) -> Result<()> {
        let start = Instant::now();
        sleep_interruptible(cx, self.delay)?;
        loop {
            let pending = match poll()? {
                Poll::Ready => return Ok(()),
                Poll::Pending(p) => p,
            };
            let elapsed = start.elapsed();
            if elapsed >= self.timeout + self.delay {
                return Err(Error::Timeout {
                    message: t!(
                        m::WAIT_TIMEOUT,
                        seconds = self.timeout.as_secs(),
                        pending = pending
                    ),
                    hint: Some(t!(m::WAIT_TIMEOUT_HINT)),
                    source: None,
                });
            }
            cx.rep()
                .waiting(cx.step, &pending, elapsed, self.timeout + self.delay);
            sleep_interruptible(cx, self.interval)?;
        }
    }
}

/// Sleep, waking early to stop when interrupted.
pub fn sleep_interruptible(cx: &StepCx, d: Duration) -> Result<()> {
    let end = Instant::now() + d;
    while Instant::now() < end {
        if cx.ctx.is_interrupted() {
            return Err(Error::Interrupted {
                message: t!(m::INTERRUPTED_WAIT),
            });
        }
        std::thread::sleep(Duration::from_millis(100).min(end - Instant::now()));
    }
    Ok(())
}

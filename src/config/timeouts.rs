//! The waits of pgrex's operations, hard-coded in the Perl tools (spec §2.4) and settable
//! here with new optional keys. Values are seconds (`300`) or a duration with a unit
//! (`5min`, `90s`, humantime syntax).
//!
//! A command-line flag or environment variable, when the binary offers one, wins over
//! these (CONTRACTS.md, "Precedence of settings").

use super::diag::Diag;
use super::keys::{
    self, MONITOR_DELAY, MONITOR_INTERVAL, RECOVER_WAIT_TIMEOUT, SSH_COMMAND_TIMEOUT,
    START_TIMEOUT, STOP_TIMEOUT, SWITCHOVER_TIMEOUT,
};
use super::lexer::Lexed;
use crate::msg::config as m;
use crate::{t, Result};
use std::time::Duration;

/// How long pgrex waits for the cluster.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// `START_TIMEOUT`: primary-start / standby-start wait for the node to reach its role.
    pub start: Duration,
    /// `STOP_TIMEOUT`: stop waits for Pacemaker and PostgreSQL to stop.
    pub stop: Duration,
    /// `SWITCHOVER_TIMEOUT`: each wait of a switchover (demote, promote, rejoin).
    pub switchover: Duration,
    /// `MONITOR_INTERVAL`: pause between two polls of the cluster state.
    pub monitor_interval: Duration,
    /// `MONITOR_DELAY`: pause before the first poll after a start, longer than the resource
    /// agent's monitor interval so a previous run's failed actions are not taken as new.
    pub monitor_delay: Duration,
    /// `SSH_COMMAND_TIMEOUT`: the longest one command on the peer may take when it has no
    /// timeout of its own (a peer that stops answering must not hold a step for ever).
    pub ssh_command: Duration,
    /// `RECOVER_WAIT_TIMEOUT`: how long `pgrex recover --yes` waits at an operator-action
    /// step for its check to see the cause gone (then exit 5).
    pub recover_wait: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            start: Duration::from_secs(300),
            stop: Duration::from_secs(300),
            switchover: Duration::from_secs(300),
            monitor_interval: Duration::from_secs(2),
            monitor_delay: Duration::from_secs(10),
            ssh_command: Duration::from_secs(600),
            recover_wait: Duration::from_secs(600),
        }
    }
}

/// The longest wait a key may ask for.
pub const MAX: Duration = Duration::from_secs(7 * 24 * 3600);

/// A duration value: whole seconds, or humantime (`5min`).
pub fn parse_duration(value: &str) -> Option<Duration> {
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    humantime::parse_duration(value).ok()
}

/// Read the timeout keys; `MONITOR_DELAY` may be 0, the others must be positive.
pub(crate) fn from_settings(d: &Diag, lexed: &Lexed) -> Result<Timeouts> {
    let mut t = Timeouts::default();
    let fields: [(&str, &mut Duration, bool); 7] = [
        (START_TIMEOUT, &mut t.start, false),
        (STOP_TIMEOUT, &mut t.stop, false),
        (SWITCHOVER_TIMEOUT, &mut t.switchover, false),
        (MONITOR_INTERVAL, &mut t.monitor_interval, false),
        (MONITOR_DELAY, &mut t.monitor_delay, true),
        (SSH_COMMAND_TIMEOUT, &mut t.ssh_command, false),
        (RECOVER_WAIT_TIMEOUT, &mut t.recover_wait, false),
    ];
    for (key, slot, zero_ok) in fields {
        let Some(s) = lexed.get(key) else { continue };
        let default = keys::example(key);
        let hint = t!(m::DURATION_HINT, key = key, default = default);
        let Some(v) = parse_duration(&s.value) else {
            return Err(d.error(
                s.line,
                Some(key),
                t!(m::DURATION_BAD, key = key, value = s.value),
                hint,
            ));
        };
        if v.is_zero() && !zero_ok {
            return Err(d.error(s.line, Some(key), t!(m::DURATION_ZERO, key = key), hint));
        }
        // A bound keeps deadline arithmetic (`Instant + timeout`) far from overflow.
        if v > MAX {
            let max = humantime::format_duration(MAX);
            let msg = t!(m::DURATION_TOO_LONG, key = key, max = max, value = s.value);
            return Err(d.error(s.line, Some(key), msg, hint));
        }
        *slot = v;
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::lexer::lex;
    use std::path::Path;

    fn dd() -> Diag<'static> {
        Diag {
            path: Path::new("/t.conf"),
        }
    }

    #[test]
    fn defaults_are_the_perl_constants() {
        let t = from_settings(&dd(), &lex("")).unwrap();
        assert_eq!(t, Timeouts::default());
        assert_eq!(t.start, Duration::from_secs(300));
        assert_eq!(t.monitor_interval, Duration::from_secs(2));
        assert_eq!(t.monitor_delay, Duration::from_secs(10));
    }

    #[test]
    fn seconds_and_units() {
        let t = from_settings(
            &dd(),
            &lex("START_TIMEOUT = 600\nSTOP_TIMEOUT = 5min\nSWITCHOVER_TIMEOUT = 90s\nMONITOR_INTERVAL = 1\nMONITOR_DELAY = 0\n"),
        )
        .unwrap();
        assert_eq!(t.start, Duration::from_secs(600));
        assert_eq!(t.stop, Duration::from_secs(300));
        assert_eq!(t.switchover, Duration::from_secs(90));
        assert_eq!(t.monitor_interval, Duration::from_secs(1));
        assert_eq!(t.monitor_delay, Duration::ZERO);
    }

    #[test]
    fn bad_values() {
        let e = from_settings(&dd(), &lex("\nSTART_TIMEOUT = soon\n")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "/t.conf:2: START_TIMEOUT must be a number of seconds, found `soon`"
        );
        assert_eq!(
            e.hint(),
            Some(
                "write e.g. `START_TIMEOUT = 300` (seconds; a unit such as `5min` is accepted too)"
            )
        );
        let e = from_settings(&dd(), &lex("MONITOR_INTERVAL = 0\n")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "/t.conf:1: MONITOR_INTERVAL must be greater than 0"
        );
        assert!(from_settings(&dd(), &lex("STOP_TIMEOUT = -5\n")).is_err());
        let e = from_settings(&dd(), &lex("STOP_TIMEOUT = 18446744073709551615\n")).unwrap_err();
        assert_eq!(
            e.to_string(),
            "/t.conf:1: STOP_TIMEOUT is longer than 7days, found `18446744073709551615`"
        );
        assert!(from_settings(&dd(), &lex("STOP_TIMEOUT = 7days\n")).is_ok());
    }
}

//! Turning a [`Cmd`] into what actually runs: the local `runuser` wrapper, and the one shell
//! line sent to the peer.
//!
//! sshd hands a command line to the remote user's shell, so every word is quoted with
//! `shlex` (POSIX single quotes): a path or node name such as `$(rm -rf /)`, `a'b` or one
//! with a newline arrives as one literal argument. Environment variables travel as
//! `env NAME=value` words, never as shell syntax; secret arguments are never sent.

use std::ffi::OsStr;

pub use super::seam::shown;
use super::seam::RunAs;
use crate::exec::Cmd;

/// The command to spawn locally for `cmd` run as `as_user`.
pub fn local(cmd: &Cmd, as_user: &RunAs) -> Cmd {
    match as_user {
        RunAs::Root => cmd.clone(),
        RunAs::User(u) => {
            let w = cmd.wrapped(["runuser", "-u", u.as_str(), "--"]);
            // The owner usually cannot enter root's working directory; PostgreSQL programs
            // complain about that, so start in `/` unless the command chose a directory.
            if cmd.working_dir().is_none() {
                w.current_dir("/")
            } else {
                w
            }
        }
    }
}

/// The shell line that runs `cmd` as `as_user` on a remote node. `Err` says why it cannot
/// be sent safely.
pub fn remote(cmd: &Cmd, as_user: &RunAs) -> Result<String, String> {
    if cmd.has_secret_args() {
        return Err(crate::msg::node::SECRET_NOT_SENT.text().into());
    }
    let mut words: Vec<String> = Vec::new();
    let mut line = String::new();
    let dir = match (cmd.working_dir(), as_user) {
        (Some(d), _) => Some(d.to_string_lossy().into_owned()),
        (None, RunAs::User(_)) => Some("/".to_string()),
        (None, RunAs::Root) => None,
    };
    if let Some(d) = dir {
        line.push_str(&format!("cd -- {} && ", quote(&d)?));
    }
    if let Some(t) = cmd.get_timeout() {
        // The remote side enforces the timeout itself and kills the whole command (closing
        // the channel does not stop a command that neither reads nor writes).
        words.extend([
            "timeout".into(),
            "-k".into(),
            "5".into(),
            format!("{}", remote_secs(t)),
        ]);
    }
    if let RunAs::User(u) = as_user {
        words.extend(["runuser".into(), "-u".into(), u.clone(), "--".into()]);
    }
    let env: Vec<(&OsStr, Option<&OsStr>)> = cmd.env_changes().collect();
    if cmd.clears_env() || !env.is_empty() {
        words.push("env".into());
        if cmd.clears_env() {
            words.push("-i".into());
        }
        // `env` takes its options (`-u NAME`) before the assignments.
        let mut sets = Vec::new();
        for (k, v) in &env {
            let k = k.to_string_lossy();
            if !is_env_name(&k) {
                return Err(crate::t!(crate::msg::node::ENV_NAME_BAD, name = k));
            }
            match v {
                None => words.extend(["-u".to_string(), k.into_owned()]),
                Some(v) => sets.push(format!("{k}={}", v.to_string_lossy())),
            }
        }
        words.extend(sets);
        if cmd.program().to_string_lossy().contains('=') {
            return Err(crate::msg::node::PROGRAM_WITH_EQUALS.text().into());
        }
    }
    words.extend(cmd.argv());
    let quoted: Result<Vec<String>, String> = words.iter().map(|w| quote(w)).collect();
    line.push_str(&quoted?.join(" "));
    Ok(line)
}

/// Whole seconds for `timeout(1)`, rounded up, at least 1.
pub(crate) fn remote_secs(t: std::time::Duration) -> u64 {
    (t.as_millis().div_ceil(1000) as u64).max(1)
}

/// Exit codes of `timeout(1)` when it stopped the command (TERM, then KILL).
pub(crate) fn is_remote_timeout(code: Option<i32>) -> bool {
    matches!(code, Some(124) | Some(137))
}

fn quote(w: &str) -> Result<String, String> {
    shlex::try_quote(w).map(|q| q.into_owned()).map_err(|_| {
        crate::t!(
            crate::msg::node::ARG_NUL,
            arg = format!("{:?}", w.replace('\0', "\\0"))
        )
    })
}

fn is_env_name(k: &str) -> bool {
    let mut b = k.bytes();
    matches!(b.next(), Some(c) if c == b'_' || c.is_ascii_alphabetic())
        && b.all(|c| c == b'_' || c.is_ascii_alphanumeric())
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOSTILE: &[&str] = &[
        "$(touch /tmp/pgrex-pwned)",
        "`id`",
        "a'b",
        "a\"b",
        "line1\nline2",
        "; rm -rf /",
        "&& echo x",
        "*",
        "~root",
        "-n",
        "",
        " lead and trail ",
        "back\\slash",
        "tab\there",
        "é ünicode",
        "!event",
        "{a,b}",
        "$HOME",
        "#comment",
    ];

    /// Run the line through a real shell and collect the arguments printf saw.
    fn through_shell(shell: &str, line: &str) -> Vec<String> {
        let out = Cmd::new(shell).arg("-c").arg(line).run().unwrap();
        let mut v: Vec<String> = out.stdout.split('\0').map(str::to_string).collect();
        assert_eq!(v.pop().as_deref(), Some(""), "output ends with NUL");
        v
    }

    #[test]
    fn hostile_arguments_arrive_literally() {
        let cmd = Cmd::new("printf")
            .arg("%s\\0")
            .args(HOSTILE.iter().copied());
        let line = remote(&cmd, &RunAs::Root).unwrap();
        for shell in ["sh", "bash"] {
            assert_eq!(through_shell(shell, &line), HOSTILE, "{shell}: {line}");
        }
        assert!(!std::path::Path::new("/tmp/pgrex-pwned").exists());
    }

    #[test]
    fn environment_and_directory_are_literal() {
        let cmd = Cmd::new("sh")
            .args([
                "-c",
                "printf '%s\\0' \"$LANG\" \"$EVIL\" \"$PWD\"; test -z \"${GONE+x}\"",
            ])
            .env("LANG", "C")
            .env("EVIL", "$(id) 'q' \n x")
            .env_remove("GONE")
            .current_dir("/tmp");
        let line = remote(&cmd, &RunAs::Root).unwrap();
        assert!(line.starts_with("cd -- /tmp && env "), "{line}");
        let out = Cmd::new("bash")
            .arg("-c")
            .arg(&line)
            .env("GONE", "1")
            .run()
            .unwrap();
        assert_eq!(out.stdout, "C\0$(id) 'q' \n x\0/tmp\0");
    }

    #[test]
    fn owner_commands_go_through_runuser_in_root_dir() {
        let cmd = Cmd::new("/usr/lib/postgresql/15/bin/pg_controldata")
            .arg("/var/lib/pg data")
            .env("LANG", "C");
        assert_eq!(
            remote(&cmd, &RunAs::postgres()).unwrap(),
            "cd -- / && runuser -u postgres -- env 'LANG=C' /usr/lib/postgresql/15/bin/pg_controldata '/var/lib/pg data'"
        );
        let hostile_user = RunAs::User("x; reboot".into());
        assert!(remote(&Cmd::new("id"), &hostile_user)
            .unwrap()
            .contains("runuser -u 'x; reboot' --"));
        let l = local(&cmd, &RunAs::postgres());
        assert_eq!(l.argv()[..4], ["runuser", "-u", "postgres", "--"]);
        assert_eq!(l.working_dir(), Some(std::path::Path::new("/")));
    }

    #[test]
    fn timeouts_are_enforced_on_the_remote_side() {
        let cmd = Cmd::new("sleep")
            .arg("9")
            .timeout(std::time::Duration::from_millis(1500));
        assert_eq!(
            remote(&cmd, &RunAs::postgres()).unwrap(),
            "cd -- / && timeout -k 5 2 runuser -u postgres -- sleep 9"
        );
        let cmd = Cmd::new("sleep")
            .arg("9")
            .timeout(std::time::Duration::from_millis(10));
        assert_eq!(
            remote(&cmd, &RunAs::Root).unwrap(),
            "timeout -k 5 1 sleep 9"
        );
    }

    #[test]
    fn refuses_what_cannot_be_sent_safely() {
        assert!(remote(&Cmd::new("psql").secret_arg("pw"), &RunAs::Root).is_err());
        assert!(remote(&Cmd::new("echo").arg("a\0b"), &RunAs::Root).is_err());
        assert!(remote(&Cmd::new("echo").env("A B", "x"), &RunAs::Root).is_err());
        assert!(remote(&Cmd::new("echo").env("1A", "x"), &RunAs::Root).is_err());
        assert!(remote(&Cmd::new("A=b").env("X", "y"), &RunAs::Root).is_err());
        assert!(remote(&Cmd::new("echo").env("_OK1", "y"), &RunAs::Root).is_ok());
    }
}

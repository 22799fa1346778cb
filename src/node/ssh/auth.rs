//! Logging in to the peer: the three password modes of `pg-rex_tools.conf`
//! (`PEER_NODE_SSH_PASS_MODE`).
//!
//! - `manual`: the password comes from a [`PasswordSource`](super::PasswordSource) the binary implements (a prompt
//!   without echo); the core never prompts. It is asked for only after the host key has been
//!   verified, so it is never sent to an unverified host.
//! - `passfile`: the first line of an absolute path with mode 0600, re-checked here although
//!   the config layer checks it too.
//! - `nopass`: the SSH agent (if the binary allows it), then root's default private keys.
//!
//! Passwords live in `SecretString`s, are zeroized when dropped, and never appear in errors.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use secrecy::zeroize::Zeroize;
use secrecy::{ExposeSecret, SecretString};
use ssh2::{KeyboardInteractivePrompt, Prompt, Session};

use super::config::SshAuth;
use crate::node::error::{NodeError, PassFileProblem};

/// Read and check a password file: absolute, mode 0600, first line non-empty.
pub fn read_pass_file(path: &Path) -> Result<SecretString, NodeError> {
    let fail = |problem| NodeError::PassFile {
        path: path.to_path_buf(),
        problem,
    };
    if !path.is_absolute() {
        return Err(fail(PassFileProblem::NotAbsolute));
    }
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(fail(PassFileProblem::Missing))
        }
        Err(_) => return Err(fail(PassFileProblem::Unreadable)),
    };
    let mode = meta.permissions().mode() & 0o7777;
    if mode != 0o600 || !meta.is_file() {
        return Err(fail(PassFileProblem::Mode(mode)));
    }
    let mut text = std::fs::read_to_string(path).map_err(|_| fail(PassFileProblem::Unreadable))?;
    let first = text.lines().next().unwrap_or_default();
    let first = first.strip_suffix('\r').unwrap_or(first);
    let secret = (!first.is_empty()).then(|| SecretString::from(first));
    text.zeroize();
    secret.ok_or_else(|| fail(PassFileProblem::Empty))
}

/// Authenticate `user` on an established session. `Ok` only when the server says so.
pub(crate) fn authenticate(
    sess: &Session,
    user: &str,
    addr: &str,
    auth: &SshAuth,
) -> Result<(), NodeError> {
    let offered = sess
        .auth_methods(user)
        .map(str::to_string)
        .unwrap_or_default();
    if sess.authenticated() {
        return Ok(()); // "none" authentication was accepted
    }
    let mut tried: Vec<String> = Vec::new();
    match auth {
        SshAuth::Manual(source) => {
            let pw = source
                .password(user, addr)
                .map_err(|message| NodeError::Password {
                    user: user.into(),
                    addr: addr.into(),
                    message,
                })?;
            with_password(sess, user, &pw, &offered, &mut tried);
        }
        SshAuth::Passfile(path) => {
            let pw = read_pass_file(path)?;
            with_password(sess, user, &pw, &offered, &mut tried);
        }
        SshAuth::NoPass {
            use_agent,
            identities,
        } => {
            if *use_agent {
                with_agent(sess, user, &mut tried);
            }
            for key in identities {
                if sess.authenticated() {
                    break;
                }
                if key.exists() {
                    tried.push(format!("publickey {}", key.display()));
                    let _ = sess.userauth_pubkey_file(user, None, key, None);
                }
            }
        }
    }
    if sess.authenticated() {
        Ok(())
    } else {
        Err(NodeError::AuthFailed {
            user: user.into(),
            addr: addr.into(),
            tried: if tried.is_empty() {
                "nothing".into()
            } else {
                tried.join(", ")
            },
            offered: if offered.is_empty() {
                "?".into()
            } else {
                offered
            },
        })
    }
}

fn with_password(
    sess: &Session,
    user: &str,
    pw: &SecretString,
    offered: &str,
    tried: &mut Vec<String>,
) {
    let methods: Vec<&str> = offered.split(',').collect();
    if methods.contains(&"password") || offered.is_empty() {
        tried.push("password".into());
        if sess.userauth_password(user, pw.expose_secret()).is_ok() {
            return;
        }
    }
    // Servers with PAM often offer only keyboard-interactive: answer its prompts with the
    // same password.
    if methods.contains(&"keyboard-interactive") && !sess.authenticated() {
        tried.push("keyboard-interactive".into());
        let mut answer = Answer(pw);
        let _ = sess.userauth_keyboard_interactive(user, &mut answer);
    }
}

fn with_agent(sess: &Session, user: &str, tried: &mut Vec<String>) {
    let Ok(mut agent) = sess.agent() else { return };
    if agent.connect().is_err() || agent.list_identities().is_err() {
        return;
    }
    let Ok(ids) = agent.identities() else { return };
    for id in ids {
        tried.push(format!("agent key {}", id.comment()));
        if agent.userauth(user, &id).is_ok() {
            break;
        }
    }
    let _ = agent.disconnect();
}

struct Answer<'a>(&'a SecretString);

impl KeyboardInteractivePrompt for Answer<'_> {
    fn prompt<'b>(
        &mut self,
        _user: &str,
        _instructions: &str,
        prompts: &[Prompt<'b>],
    ) -> Vec<String> {
        prompts
            .iter()
            .map(|_| self.0.expose_secret().to_string())
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;
    use std::path::PathBuf;

    fn pass_file(content: &str, mode: u32) -> (tempfile::TempDir, PathBuf) {
        let d = tempfile::tempdir().unwrap();
        let p = d.path().join("pass");
        let mut f = std::fs::File::create(&p).unwrap();
        f.write_all(content.as_bytes()).unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(mode)).unwrap();
        (d, p)
    }

    fn problem(r: Result<SecretString, NodeError>) -> PassFileProblem {
        match r {
            Err(NodeError::PassFile { problem, .. }) => problem,
            Err(e) => panic!("{e}"),
            Ok(_) => panic!("accepted"),
        }
    }

    #[test]
    fn good_pass_file_gives_its_first_line() {
        let (_d, p) = pass_file("s3cret pw\r\nsecond line\n", 0o600);
        assert_eq!(read_pass_file(&p).unwrap().expose_secret(), "s3cret pw");
    }

    #[test]
    fn bad_pass_files_are_refused() {
        let (_d, p) = pass_file("pw\n", 0o644);
        assert_eq!(problem(read_pass_file(&p)), PassFileProblem::Mode(0o644));
        let (_d, p) = pass_file("pw\n", 0o400);
        assert_eq!(problem(read_pass_file(&p)), PassFileProblem::Mode(0o400));
        let (_d, p) = pass_file("\nsecond\n", 0o600);
        assert_eq!(problem(read_pass_file(&p)), PassFileProblem::Empty);
        let (_d, p) = pass_file("", 0o600);
        assert_eq!(problem(read_pass_file(&p)), PassFileProblem::Empty);
        assert_eq!(
            problem(read_pass_file(Path::new("relative/pass"))),
            PassFileProblem::NotAbsolute
        );
        assert_eq!(
            problem(read_pass_file(Path::new("/nonexistent/pgrex/pass"))),
            PassFileProblem::Missing
        );
    }

    #[test]
    fn errors_and_debug_never_show_the_password() {
        let (_d, p) = pass_file("hunter2-secret\n", 0o600);
        let s = read_pass_file(&p).unwrap();
        assert!(!format!("{s:?}").contains("hunter2"));
        let (_d, p) = pass_file("hunter2-secret\n", 0o666);
        let e = read_pass_file(&p).unwrap_err();
        assert!(!format!("{e} {e:?} {:?}", e.hint()).contains("hunter2"));
    }
}

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
//! A `manual` password is asked once per node: [`remembering`] keeps the first answer for
//! the node's reconnect (the prompt cannot be repeated mid-run, nobody may be at the
//! terminal); a pass file is read again and keys are offered again.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::sync::{Arc, Mutex};

use secrecy::zeroize::Zeroize;
use secrecy::{ExposeSecret, SecretString};
use ssh2::{KeyboardInteractivePrompt, Prompt, Session};

use super::config::{PasswordSource, SshAuth};
use crate::node::error::{NodeError, PassFileProblem};

/// Read and check a password file: absolute, not a symbolic link, owned by the user running
/// pgrex (root), mode 0600, a regular file of at most 4 KiB, first line non-empty.
pub fn read_pass_file(path: &Path) -> Result<SecretString, NodeError> {
    let fail = |problem| NodeError::PassFile {
        path: path.to_path_buf(),
        problem,
    };
    if !path.is_absolute() {
        return Err(fail(PassFileProblem::NotAbsolute));
    }
    // The link itself, never its target: a link's target may be anyone's file.
    let meta = match std::fs::symlink_metadata(path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(fail(PassFileProblem::Missing))
        }
        Err(_) => return Err(fail(PassFileProblem::Unreadable)),
    };
    if meta.file_type().is_symlink() {
        return Err(fail(PassFileProblem::Symlink));
    }
    let owner = std::os::unix::fs::MetadataExt::uid(&meta);
    if owner != nix::unistd::geteuid().as_raw() {
        return Err(fail(PassFileProblem::Owner(owner)));
    }
    let mode = meta.permissions().mode() & 0o7777;
    if mode != 0o600 || !meta.is_file() {
        return Err(fail(PassFileProblem::Mode(mode)));
    }
    let bytes = crate::bounded::read(path, crate::bounded::PASS_FILE).map_err(|e| match e {
        crate::bounded::ReadError::TooLarge { .. } => fail(PassFileProblem::TooLarge),
        _ => fail(PassFileProblem::Unreadable),
    })?;
    let mut text = String::from_utf8(bytes).map_err(|e| {
        let mut b = e.into_bytes();
        b.zeroize();
        fail(PassFileProblem::Unreadable)
    })?;
    let first = text.lines().next().unwrap_or_default();
    let first = first.strip_suffix('\r').unwrap_or(first);
    let secret = (!first.is_empty()).then(|| SecretString::from(first));
    text.zeroize();
    secret.ok_or_else(|| fail(PassFileProblem::Empty))
}

/// A `manual` password source that asks its source once and answers every later call with
/// the first answer (kept in a `SecretString`, zeroized when the node is dropped).
struct Remembered {
    source: Arc<dyn PasswordSource>,
    kept: Mutex<Option<SecretString>>,
}

impl PasswordSource for Remembered {
    fn password(&self, user: &str, addr: &str) -> Result<SecretString, String> {
        let mut kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(pw) = kept.as_ref() {
            return Ok(SecretString::from(pw.expose_secret()));
        }
        let pw = self.source.password(user, addr)?;
        *kept = Some(SecretString::from(pw.expose_secret()));
        Ok(pw)
    }
}

/// `auth` as a node keeps it for its whole run: a `manual` source asked at most once.
pub(crate) fn remembering(auth: &SshAuth) -> SshAuth {
    match auth {
        SshAuth::Manual(source) => SshAuth::Manual(Arc::new(Remembered {
            source: source.clone(),
            kept: Mutex::new(None),
        })),
        other => other.clone(),
    }
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

/// Whether a keyboard-interactive prompt asks for the password: hidden input whose text
/// names it (`Password:`, `root@pm02's password:`). A one-time code, a "new password" or a
/// question with echo gets an empty answer, never the password.
fn asks_for_password(p: &Prompt<'_>) -> bool {
    let text = p.text.to_lowercase();
    !p.echo && text.contains("password") && !text.contains("new")
}

impl KeyboardInteractivePrompt for Answer<'_> {
    fn prompt<'b>(
        &mut self,
        _user: &str,
        _instructions: &str,
        prompts: &[Prompt<'b>],
    ) -> Vec<String> {
        prompts
            .iter()
            .map(|p| {
                if asks_for_password(p) {
                    self.0.expose_secret().to_string()
                } else {
                    String::new()
                }
            })
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

    /// A link is refused (its target's mode and owner are not the file's) and the hint
    /// never suggests a chmod, which would change the target; another owner is refused.
    #[test]
    fn a_link_or_another_owner_is_refused() {
        let (d, target) = pass_file("pw\n", 0o600);
        let link = d.path().join("link");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        let e = read_pass_file(&link).unwrap_err();
        assert!(
            matches!(
                e,
                NodeError::PassFile {
                    problem: PassFileProblem::Symlink,
                    ..
                }
            ),
            "{e:?}"
        );
        assert!(!e.hint().unwrap().contains("chmod"), "{:?}", e.hint());
        if nix::unistd::geteuid().is_root() {
            std::os::unix::fs::chown(&target, Some(65534), None).unwrap();
            let e = read_pass_file(&target).unwrap_err();
            assert!(
                matches!(
                    e,
                    NodeError::PassFile {
                        problem: PassFileProblem::Owner(65534),
                        ..
                    }
                ),
                "{e:?}"
            );
            assert!(e.hint().unwrap().contains("chown root"), "{:?}", e.hint());
        }
        let (_d, big) = pass_file(&"x".repeat(5000), 0o600);
        assert_eq!(problem(read_pass_file(&big)), PassFileProblem::TooLarge);
    }

    #[test]
    fn keyboard_interactive_answers_only_password_prompts() {
        let pw = SecretString::from("hunter2");
        let prompt = |text: &'static str, echo: bool| Prompt {
            text: text.into(),
            echo,
        };
        let prompts = [
            prompt("Password: ", false),
            prompt("root@pm02's password: ", false),
            prompt("Verification code: ", false),
            prompt("Password: ", true),
            prompt("New password: ", false),
        ];
        let answers = Answer(&pw).prompt("root", "", &prompts);
        assert_eq!(answers, ["hunter2", "hunter2", "", "", ""]);
    }

    /// The reconnect's login never prompts: the first answer is given again.
    #[test]
    fn a_manual_password_is_asked_once() {
        struct Counting(std::sync::atomic::AtomicUsize);
        impl PasswordSource for Counting {
            fn password(&self, _: &str, _: &str) -> Result<SecretString, String> {
                let n = self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                Ok(SecretString::from(format!("pw{n}")))
            }
        }
        let source = Arc::new(Counting(0.into()));
        let SshAuth::Manual(kept) = remembering(&SshAuth::Manual(source.clone())) else {
            panic!("not manual")
        };
        assert_eq!(
            kept.password("root", "pm02").unwrap().expose_secret(),
            "pw0"
        );
        assert_eq!(
            kept.password("root", "pm02").unwrap().expose_secret(),
            "pw0"
        );
        assert_eq!(source.0.load(std::sync::atomic::Ordering::SeqCst), 1);
        // A refused prompt is not kept: nothing to remember.
        struct Refusing;
        impl PasswordSource for Refusing {
            fn password(&self, _: &str, _: &str) -> Result<SecretString, String> {
                Err("no terminal".into())
            }
        }
        let SshAuth::Manual(r) = remembering(&SshAuth::Manual(Arc::new(Refusing))) else {
            panic!("not manual")
        };
        assert!(r.password("root", "pm02").is_err());
        assert!(matches!(
            remembering(&SshAuth::Passfile("/etc/p".into())),
            SshAuth::Passfile(_)
        ));
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

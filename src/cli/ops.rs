//! What every operation command needs from the binary: root, the configuration, the
//! single-instance lock, signal handling (Ctrl-C finishes the step, then stops), the
//! Reporter, the peer's SSH session, and the NDJSON `result` line. [`Session`] is the part
//! every operation shares (`cleanup` too, which needs neither root nor the configuration);
//! [`OpEnv`] adds root and the configuration.

use super::args::{GlobalArgs, OpArgs};
use super::env;
use super::printer::Printer;
use super::reporter::CliReporter;
use super::settings::{self, ConfigNeed};
use pgrex::config::{Config, SshPassMode};
use pgrex::msg::report as m;
use pgrex::node::{LocalNode, Node, PasswordSource, SshAuth, SshConfig, SshNode};
use pgrex::ops::in_use::LiveProcesses;
use pgrex::ops::{lock, OpContext};
use pgrex::profile::Names;
use pgrex::ExitCode;
use pgrex::{t, Error};
use secrecy::SecretString;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

/// What every operation holds while it runs: the Reporter, the interruption flag, the lock.
pub struct Session {
    pub reporter: CliReporter,
    pub interrupted: Arc<AtomicBool>,
    /// The run said the interruption came too late (OpContext::late_said).
    pub late_said: Arc<AtomicBool>,
    _lock: Option<lock::PidLock>,
    pub dry_run: bool,
    /// `JOURNAL_KEEP_DAYS` / `JOURNAL_KEEP_COUNT` (the defaults without a configuration).
    pub journal_keep: pgrex::config::JournalKeep,
}

/// An operation that needs root and the configuration (stop, standby-start, primary-start).
pub struct OpEnv {
    pub cfg: Config,
    pub session: Session,
}

pub fn setup(g: &GlobalArgs, o: &OpArgs, p: &Printer, command: &str) -> anyhow::Result<OpEnv> {
    if !nix::unistd::geteuid().is_root() {
        return Err(Error::refused(
            t!(m::NOT_ROOT),
            Some(t!(m::NOT_ROOT_HINT, command = command)),
        )
        .into());
    }
    let cfg = settings::config(g, ConfigNeed::IfPresent, p)?.ok_or_else(|| Error::Config {
        file: g
            .config
            .clone()
            .unwrap_or_else(|| pgrex::config::DEFAULT_PATH.into()),
        line: 0,
        key: None,
        message: t!(m::NO_CONFIG, path = pgrex::config::DEFAULT_PATH),
        hint: Some(t!(m::NO_CONFIG_HINT)),
        source: None,
    })?;
    let mut session = Session::start(p, o.yes, o.dry_run, true)?;
    session.journal_keep = cfg.journal_keep;
    Ok(OpEnv { cfg, session })
}

impl Session {
    /// Take the single-instance lock (`lock`: an operation on the live node), catch the
    /// signals that interrupt, and make the Reporter.
    pub fn start(p: &Printer, yes: bool, dry_run: bool, lock: bool) -> anyhow::Result<Session> {
        let _lock = if lock {
            let path = env::var("PGREX_LOCK_FILE")
                .map(PathBuf::from)
                .unwrap_or_else(|| lock::DEFAULT_PATH.into());
            Some(lock::PidLock::acquire(&path)?)
        } else {
            None
        };
        let interrupted = Arc::new(AtomicBool::new(false));
        for sig in [
            signal_hook::consts::SIGINT,
            signal_hook::consts::SIGTERM,
            signal_hook::consts::SIGHUP,
        ] {
            signal_hook::flag::register(sig, interrupted.clone())?;
        }
        pgrex::exec::isolate_children(true);
        Ok(Session {
            reporter: CliReporter::new(p, yes),
            interrupted,
            late_said: Default::default(),
            _lock,
            dry_run,
            journal_keep: Default::default(),
        })
    }

    pub fn ctx(&self) -> OpContext<'_> {
        let tools = settings::tools();
        OpContext {
            reporter: &self.reporter,
            tools: tools.clone(),
            local: &LocalNode,
            processes: &LiveProcesses,
            // The cluster's own name for this node (`crm_node -n`), else the short host name.
            me: pgrex::pacemaker::source::local_node_name(&tools).unwrap_or_default(),
            interrupted: self.interrupted.clone(),
            late_said: self.late_said.clone(),
            journal_dir: Some(settings::journal_dir()),
            journal_keep: self.journal_keep,
            dry_run: self.dry_run,
        }
    }

    /// Finish: the result line (JSON) or the closing message (text), then the exit code.
    pub fn finish(
        &self,
        r: pgrex::Result<String>,
        extra: serde_json::Value,
    ) -> anyhow::Result<ExitCode> {
        match r {
            Ok(msg) => {
                // A signal that came during the last step or after it: the operation
                // completed all the same (Run::completed said so); the result marks it.
                let mut extra = extra;
                if self.interrupted.load(std::sync::atomic::Ordering::SeqCst) {
                    if let serde_json::Value::Object(x) = &mut extra {
                        x.insert("late_interrupt".into(), true.into());
                    }
                    // The signal came after the run's end (which did not see it): say so.
                    if !self.late_said.load(std::sync::atomic::Ordering::SeqCst) {
                        use pgrex::report::Reporter;
                        self.reporter.message(
                            pgrex::report::Level::Warn,
                            &t!(pgrex::msg::ops::INTERRUPTED_AFTER_END),
                        );
                    }
                }
                self.reporter.result(0, &msg, None, extra);
                Ok(ExitCode::Ok)
            }
            Err(e) => {
                self.reporter
                    .result(e.exit_code().code(), &e.chain_text(), e.hint(), extra);
                Err(e.into())
            }
        }
    }
}

impl OpEnv {
    pub fn ctx(&self) -> OpContext<'_> {
        self.session.ctx()
    }

    pub fn finish(
        &self,
        r: pgrex::Result<String>,
        extra: serde_json::Value,
    ) -> anyhow::Result<ExitCode> {
        self.session.finish(r, extra)
    }

    /// Names from the config, the flag and the ids in the cluster.
    pub fn names<'a>(&'a self, g: &'a GlobalArgs) -> impl Fn(&[&str]) -> Names + 'a {
        move |ids: &[&str]| settings::names(g, Some(&self.cfg), ids.iter().copied())
    }

    /// One SSH session to the peer's D-LAN address, in the configured password mode.
    pub fn connect_peer(&self) -> pgrex::Result<SshNode> {
        let addr = self.cfg.d_lan.peer.to_string();
        let mut sc = SshConfig::root(addr, peer_auth(&self.cfg));
        sc.command_timeout = self.cfg.timeouts.ssh_command;
        // Ctrl-C / SIGTERM stop a step that waits on the peer at once.
        sc.interrupted = Some(self.session.interrupted.clone());
        Ok(SshNode::connect(&sc)?)
    }

    /// One SSH session to the host of a base backup (`archive-delete HOST:PATH`), in the
    /// configured `BACKUP_NODE_SSH_PASS_MODE`.
    pub fn connect_backup(&self, host: &str) -> pgrex::Result<SshNode> {
        let auth = match &self.cfg.backup_ssh {
            SshPassMode::Manual => SshAuth::Manual(Arc::new(Prompt)),
            SshPassMode::Passfile(p) => SshAuth::Passfile(p.clone()),
            SshPassMode::Nopass => SshConfig::nopass_root_keys(true),
        };
        Ok(SshNode::connect(&SshConfig::root(host.to_string(), auth))?)
    }

    /// `-c` with method flags: the flags are ignored (Perl STANDBYSTART_MS0084).
    pub fn reporter_warn_check_only(&self) {
        use pgrex::report::Reporter;
        self.session
            .reporter
            .message(pgrex::report::Level::Warn, &t!(m::CHECK_ONLY_IGNORES));
    }
}

/// How to log in to the peer, in the configured password mode (operations and views alike).
fn peer_auth(cfg: &Config) -> SshAuth {
    match &cfg.peer_ssh {
        SshPassMode::Manual => SshAuth::Manual(Arc::new(Prompt)),
        SshPassMode::Passfile(p) => SshAuth::Passfile(p.clone()),
        SshPassMode::Nopass => SshConfig::nopass_root_keys(true),
    }
}

/// The peer session of a read-only view (`diagnose`), or why there is none: a `manual`
/// password is asked only on a terminal and never in JSON mode; a powered-off peer does not
/// hold the view up for long.
pub fn peer_session(cfg: Option<&Config>, p: &Printer) -> Result<Box<dyn Node>, String> {
    use pgrex::msg::diag;
    let cfg = cfg.ok_or_else(|| t!(diag::WHY_PEER_NO_CONFIG))?;
    let tty = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
    if matches!(cfg.peer_ssh, SshPassMode::Manual) && (!tty || p.json()) {
        return Err(t!(diag::WHY_PEER_MANUAL));
    }
    let mut sc = SshConfig::root(cfg.d_lan.peer.to_string(), peer_auth(cfg));
    sc.connect_timeout = std::time::Duration::from_secs(5);
    sc.command_timeout = cfg.timeouts.ssh_command;
    match SshNode::connect(&sc) {
        Ok(n) => Ok(Box::new(n)),
        Err(e) => Err(t!(diag::WHY_PEER_CONNECT, error = e)),
    }
}

/// `manual` mode: a no-echo prompt on the terminal.
pub(crate) struct Prompt;

impl PasswordSource for Prompt {
    fn password(&self, user: &str, addr: &str) -> Result<SecretString, String> {
        if !(std::io::stdin().is_terminal() && std::io::stderr().is_terminal()) {
            return Err(t!(m::NO_TERMINAL_PASSWORD));
        }
        dialoguer::Password::new()
            .with_prompt(t!(m::PASSWORD_PROMPT, user = user, addr = addr))
            .interact_on(&dialoguer::console::Term::stderr())
            .map(SecretString::from)
            .map_err(|e| e.to_string())
    }
}

//! The one authenticated SSH session to the peer and the lock that serialises its channels.
//! A leaf: the command, file and tunnel helpers work on a [`Conn`], never on the
//! [`super::SshNode`] that owns it, so none of them imports the node back. A `Conn` is never
//! repaired: when its connection is gone the node replaces it with a new one.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use ssh2::Session;

pub(crate) struct Conn {
    sess: Session,
    /// One channel at a time: blocking mode and timeouts are session-wide settings.
    lock: Mutex<()>,
    addr: String,
    port: u16,
    user: String,
    io_timeout: Duration,
    interrupted: Option<Arc<AtomicBool>>,
    /// Its connection is gone: no goodbye is sent on drop (it could only wait).
    dead: AtomicBool,
}

impl Conn {
    pub(crate) fn new(sess: Session, cfg: &super::SshConfig) -> Conn {
        Conn {
            sess,
            lock: Mutex::new(()),
            addr: cfg.addr.clone(),
            port: cfg.port,
            user: cfg.user.clone(),
            io_timeout: cfg.io_timeout,
            interrupted: cfg.interrupted.clone(),
            dead: AtomicBool::new(false),
        }
    }

    /// Whether the operator interrupted (SIGINT/SIGTERM): a wait on the peer stops.
    pub(crate) fn interrupted(&self) -> bool {
        self.interrupted
            .as_ref()
            .is_some_and(|f| f.load(Ordering::SeqCst))
    }

    /// The session, held for one channel's work.
    pub(crate) fn session(&self) -> (&Session, MutexGuard<'_, ()>) {
        (
            &self.sess,
            self.lock.lock().unwrap_or_else(|p| p.into_inner()),
        )
    }

    /// The connection is gone (a transport error): the session is not used again.
    pub(crate) fn mark_dead(&self) {
        self.dead.store(true, Ordering::SeqCst);
    }

    pub(crate) fn addr(&self) -> &str {
        &self.addr
    }

    /// Limit for one protocol step, and the default for file operations.
    pub(crate) fn io_timeout(&self) -> Duration {
        self.io_timeout
    }

    /// How messages name the peer: `root@192.0.2.2` (with `:port` when not 22).
    pub(crate) fn describe(&self) -> String {
        super::config::peer_name(&self.user, &self.addr, self.port)
    }
}

impl Drop for Conn {
    fn drop(&mut self) {
        if !self.dead.load(Ordering::SeqCst) {
            let _ = self.sess.disconnect(None, "pgrex done", None);
        }
    }
}

/// A duration as libssh2's millisecond timeout (at least 1: 0 means "no limit").
pub(crate) fn millis(d: Duration) -> u32 {
    u32::try_from(d.as_millis()).unwrap_or(u32::MAX).max(1)
}

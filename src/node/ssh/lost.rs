//! Telling a dead session from a failed command: which libssh2 errors mean the TCP
//! connection (or the server's side of the session) is gone, and whether a command could
//! have started on the peer before it went. [`super::SshNode`] reconnects only when nothing
//! can have started; a command whose start request may have reached the peer is never sent
//! again (its effect is unknown).
//!
//! Pure: the decision takes the phase and the error code, so it is tested without a server.

use ssh2::ErrorCode;

/// Where the failure happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Phase {
    /// Opening a channel (a session or a `direct-tcpip` channel): nothing runs on the peer
    /// for a channel alone, whether or not the server saw the request.
    Open,
    /// Sending the `exec` request of an open channel: the command starts when the server
    /// receives it, so only a request that could not be sent at all counts as not started.
    Exec,
}

/// The `LIBSSH2_ERROR_*` codes used here (libssh2.h; `ssh2` does not re-export them).
mod raw {
    pub const LIBSSH2_ERROR_SOCKET_SEND: i32 = -7;
    pub const LIBSSH2_ERROR_TIMEOUT: i32 = -9;
    pub const LIBSSH2_ERROR_SOCKET_DISCONNECT: i32 = -13;
    pub const LIBSSH2_ERROR_SOCKET_TIMEOUT: i32 = -30;
    pub const LIBSSH2_ERROR_SOCKET_RECV: i32 = -43;
    pub const LIBSSH2_ERROR_BAD_SOCKET: i32 = -45;
    #[cfg(test)]
    pub const LIBSSH2_ERROR_PROTO: i32 = -14;
    #[cfg(test)]
    pub const LIBSSH2_ERROR_AUTHENTICATION_FAILED: i32 = -18;
    #[cfg(test)]
    pub const LIBSSH2_ERROR_CHANNEL_FAILURE: i32 = -21;
    #[cfg(test)]
    pub const LIBSSH2_ERROR_CHANNEL_REQUEST_DENIED: i32 = -22;
    #[cfg(test)]
    pub const LIBSSH2_ERROR_EAGAIN: i32 = -37;
}

/// libssh2's transport-level failures: the socket, the server's disconnect, a timeout
/// waiting for the reply.
fn transport(code: i32) -> bool {
    matches!(
        code,
        raw::LIBSSH2_ERROR_SOCKET_SEND
            | raw::LIBSSH2_ERROR_SOCKET_RECV
            | raw::LIBSSH2_ERROR_SOCKET_DISCONNECT
            | raw::LIBSSH2_ERROR_SOCKET_TIMEOUT
            | raw::LIBSSH2_ERROR_TIMEOUT
            | raw::LIBSSH2_ERROR_BAD_SOCKET
    )
}

/// Whether the session is dead and nothing was started on the peer: the command may be
/// sent on a new session.
pub(crate) fn dead_before_start(phase: Phase, code: ErrorCode) -> bool {
    let ErrorCode::Session(code) = code else {
        return false;
    };
    match phase {
        Phase::Open => transport(code),
        // A request that went out and got no answer (receive failure, timeout, the server
        // gone while we waited) may have started the command.
        Phase::Exec => matches!(
            code,
            raw::LIBSSH2_ERROR_SOCKET_SEND | raw::LIBSSH2_ERROR_BAD_SOCKET
        ),
    }
}

/// Whether the connection was lost (whatever had started): a transport-level code.
pub(crate) fn connection_lost(code: ErrorCode) -> bool {
    matches!(code, ErrorCode::Session(c) if transport(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: fn(i32) -> ErrorCode = ErrorCode::Session;

    /// The lab's failure: `[Session(-43)]` opening a channel.
    #[test]
    fn a_dead_socket_at_channel_open_is_dead_before_start() {
        for code in [
            raw::LIBSSH2_ERROR_SOCKET_RECV,
            raw::LIBSSH2_ERROR_SOCKET_SEND,
            raw::LIBSSH2_ERROR_SOCKET_DISCONNECT,
            raw::LIBSSH2_ERROR_SOCKET_TIMEOUT,
            raw::LIBSSH2_ERROR_TIMEOUT,
            raw::LIBSSH2_ERROR_BAD_SOCKET,
        ] {
            assert!(dead_before_start(Phase::Open, S(code)), "{code}");
            assert!(connection_lost(S(code)), "{code}");
        }
    }

    /// A refusal by a live server (too many sessions, forwarding denied) is no reason to
    /// reconnect; nor is an SFTP status or an authentication failure.
    #[test]
    fn a_refusal_by_a_live_server_is_not_a_dead_session() {
        for code in [
            raw::LIBSSH2_ERROR_CHANNEL_FAILURE,
            raw::LIBSSH2_ERROR_CHANNEL_REQUEST_DENIED,
            raw::LIBSSH2_ERROR_AUTHENTICATION_FAILED,
            raw::LIBSSH2_ERROR_EAGAIN,
            raw::LIBSSH2_ERROR_PROTO,
        ] {
            assert!(!dead_before_start(Phase::Open, S(code)), "{code}");
            assert!(!dead_before_start(Phase::Exec, S(code)), "{code}");
            assert!(!connection_lost(S(code)), "{code}");
        }
        assert!(!dead_before_start(Phase::Open, ErrorCode::SFTP(-43)));
        assert!(!connection_lost(ErrorCode::SFTP(-43)));
    }

    /// An exec request that was sent and got no answer may have started the command: it
    /// is lost, not dead before start. One that could not be sent did not.
    #[test]
    fn an_exec_that_may_have_reached_the_peer_is_not_sent_again() {
        assert!(dead_before_start(
            Phase::Exec,
            S(raw::LIBSSH2_ERROR_SOCKET_SEND)
        ));
        for code in [
            raw::LIBSSH2_ERROR_SOCKET_RECV,
            raw::LIBSSH2_ERROR_SOCKET_DISCONNECT,
            raw::LIBSSH2_ERROR_TIMEOUT,
            raw::LIBSSH2_ERROR_SOCKET_TIMEOUT,
        ] {
            assert!(!dead_before_start(Phase::Exec, S(code)), "{code}");
            assert!(connection_lost(S(code)), "{code}");
        }
    }
}

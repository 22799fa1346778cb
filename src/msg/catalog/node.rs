//! Messages of the `node` area.

catalog!(node {
    IO = "NODE_0001": "{node}: cannot {op} {path}: {error}";
    REMOTE_FS = "NODE_0002": "{node}: cannot {op} {path}: {error}";
    CONNECT = "NODE_0003": "cannot connect to {addr} over SSH";
    HANDSHAKE = "NODE_0004": "SSH handshake with {addr} failed";
    HOSTKEY_UNKNOWN = "NODE_0005": "the SSH host key of {addr} is not in {known_hosts} ({key_type} key {fingerprint}); it is never accepted automatically";
    HOSTKEY_CHANGED = "NODE_0006": "the SSH host key of {addr} does not match {known_hosts} (the server offers {key_type} key {fingerprint}): the host may have been reinstalled, or someone may be intercepting the connection";
    HOSTKEY_CHECK = "NODE_0007": "cannot check the SSH host key of {addr} against {known_hosts}";
    AUTH_FAILED = "NODE_0008": "SSH authentication as {user} on {addr} failed (tried: {tried}; the server offers: {offered})";
    PASSFILE_RELATIVE = "NODE_0009": "the SSH password file {path} is not an absolute path";
    PASSFILE_MISSING = "NODE_0010": "the SSH password file {path} does not exist";
    PASSFILE_MODE = "NODE_0011": "the SSH password file {path} has mode {mode}; it must be 0600 (readable and writable by its owner only)";
    PASSFILE_UNREADABLE = "NODE_0012": "the SSH password file {path} cannot be read";
    PASSFILE_EMPTY = "NODE_0013": "the first line of the SSH password file {path} is empty";
    PASSWORD_SOURCE = "NODE_0014": "no SSH password for {user}@{addr}: {error}";
    SESSION = "NODE_0015": "SSH session with {addr}: {what} failed";
    UNSUPPORTED = "NODE_0016": "{node}: {message}";
    SIZE_MISMATCH = "NODE_0017": "copy of {path} from {node} has {got} bytes, expected {expected}; the copy was discarded";
    HINT_REFUSED = "NODE_0018": "check that sshd runs on the peer and listens on its D-LAN address (systemctl status ssh)";
    HINT_UNREACHABLE = "NODE_0019": "check the peer's D-LAN address in /etc/pg-rex_tools.conf (D_LAN_IPAddress) and that the peer is up";
    HINT_HOSTKEY_UNKNOWN = "NODE_0020": "verify the fingerprint on the peer itself (ssh-keygen -lf {pubfile}), then add the key: {keyscan} >> {known_hosts}";
    HINT_HOSTKEY_CHANGED = "NODE_0021": "if the peer was legitimately reinstalled, verify its new fingerprint on the peer itself, then replace the old entry: {remove} && {keyscan} >> {known_hosts}";
    HINT_AUTH = "NODE_0022": "check PEER_NODE_SSH_PASS_MODE and the password (or root's keys for nopass), and that the peer's sshd allows root to log in that way (PermitRootLogin)";
    REMOTE_COMMAND_FAILED = "NODE_0024": "the command on the node failed";
    HINT_PASSFILE = "NODE_0023": "write the password on the first line and run: chmod 600 {path}";
    SECRET_NOT_SENT = "NODE_0025": "a command with a secret argument is never sent to another node";
    ENV_NAME_BAD = "NODE_0026": "`{name}` is not a valid environment variable name";
    PROGRAM_WITH_EQUALS = "NODE_0027": "a program name containing `=` cannot follow environment settings";
    ARG_NUL = "NODE_0028": "an argument contains a NUL byte: {arg}";
    PATH_NOT_ABSOLUTE = "NODE_0029": "only absolute paths are used on another node";
    PATH_NUL = "NODE_0030": "the path contains a NUL byte";
    UNEXPECTED_OUTPUT = "NODE_0031": "unexpected output `{output}`";
    UNEXPECTED_FIND_OUTPUT = "NODE_0032": "unexpected output from find";
    NO_HOST_KEY = "NODE_0033": "the server sent no host key";
    NO_ADDRESS = "NODE_0034": "the name has no address";
    TUNNEL_PANICKED = "NODE_0035": "the forwarding thread panicked";
});

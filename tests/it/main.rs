//! CLI tests of the built `pgrex` binary: one integration-test binary (links once).

mod agreement;
mod check;
mod cleanup;
mod diagnose;
mod formats;
mod generated;
mod inputs;
mod japanese;
mod log;
mod logging;
mod modules;
mod ops;
mod perl;
mod props;
mod sshd;
mod status;
mod streams;
mod usage;

use assert_cmd::Command;

/// The binary under test, with a clean, predictable environment.
pub fn pgrex() -> Command {
    let mut c = Command::cargo_bin("pgrex").expect("pgrex binary");
    for (k, _) in std::env::vars() {
        if k.starts_with("PGREX_")
            || [
                "NO_COLOR",
                "CLICOLOR_FORCE",
                "LC_ALL",
                "LC_MESSAGES",
                "LANG",
                "COLUMNS",
            ]
            .contains(&k.as_str())
        {
            c.env_remove(k);
        }
    }
    // Live views read this node's PostgreSQL: never the test machine's own server.
    c.env(
        "PGREX_PG_SOCKET_DIR",
        "/nonexistent/pgrex-tests-read-no-postgres",
    );
    c
}

/// Run a prepared command: `(exit code, stdout, stderr)` (-1: killed by a signal).
pub fn run_cmd(mut c: Command) -> (i32, String, String) {
    let out = c.output().expect("pgrex runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Run `pgrex ARGS...` in the clean environment of [`pgrex`].
pub fn run(args: &[&str]) -> (i32, String, String) {
    let mut c = pgrex();
    c.args(args);
    run_cmd(c)
}

/// Path of a file under tests/fixtures.
pub fn fixture(rel: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

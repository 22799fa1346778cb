//! CLI tests of the built `pgrex` binary: one integration-test binary (links once).

mod cleanup;
mod diagnose;
mod generated;
mod inputs;
mod logging;
mod ops;
mod status;
mod usage;

use assert_cmd::Command;

/// The binary under test, with a clean, predictable environment.
pub fn pgrex() -> Command {
    let mut c = Command::cargo_bin("pgrex").expect("pgrex binary");
    for (k, _) in std::env::vars() {
        if k.starts_with("PGREX_") || k == "NO_COLOR" || k == "CLICOLOR_FORCE" {
            c.env_remove(k);
        }
    }
    c
}

/// Path of a file under tests/fixtures.
pub fn fixture(rel: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel)
}

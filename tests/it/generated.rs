//! The committed completions and man pages must match what the clap model generates now.
//! Regenerate with: `cargo run -- completions bash > completions/pgrex.bash` (zsh: `_pgrex`,
//! fish: `pgrex.fish`) and `cargo run -- man man/`.

use crate::pgrex;
use std::path::Path;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn completions_are_current() {
    for (shell, file) in [
        ("bash", "pgrex.bash"),
        ("zsh", "_pgrex"),
        ("fish", "pgrex.fish"),
    ] {
        let out = pgrex().args(["completions", shell]).output().unwrap();
        assert!(out.status.success());
        let committed = std::fs::read(root().join("completions").join(file))
            .unwrap_or_else(|e| panic!("completions/{file}: {e}"));
        assert!(
            committed == out.stdout,
            "completions/{file} is stale: run `cargo run -- completions {shell} > completions/{file}`"
        );
    }
}

#[test]
fn man_pages_are_current() {
    let dir = tempfile::tempdir().unwrap();
    let out = pgrex().args(["man"]).arg(dir.path()).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mut generated: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    generated.sort();
    let mut committed: Vec<_> = std::fs::read_dir(root().join("man"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    committed.sort();
    assert_eq!(
        generated, committed,
        "man/ has a different set of pages: run `cargo run -- man man/`"
    );
    for f in generated {
        let a = std::fs::read(dir.path().join(&f)).unwrap();
        let b = std::fs::read(root().join("man").join(&f)).unwrap();
        assert!(
            a == b,
            "man/{} is stale: run `cargo run -- man man/`",
            f.to_string_lossy()
        );
    }
}

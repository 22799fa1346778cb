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

/// Every committed page (the test above keeps them equal to the generated ones) carries the
/// sections the man module adds, in man(7)'s order after OPTIONS, with at least one entry each.
#[test]
fn man_pages_have_exit_status_environment_files_and_examples() {
    let mut pages = 0;
    for e in std::fs::read_dir(root().join("man")).unwrap() {
        let path = e.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        let mut last = text.find(".SH OPTIONS").unwrap_or(0);
        for section in ["EXIT STATUS", "ENVIRONMENT", "FILES", "EXAMPLES"] {
            let head = if section.contains(' ') {
                format!(".SH \"{section}\"\n")
            } else {
                format!(".SH {section}\n")
            };
            let at = text
                .find(&head)
                .unwrap_or_else(|| panic!("{name} has no {section} section"));
            assert!(at > last, "{name}: {section} is out of order");
            let body = &text[at + head.len()..];
            let body = &body[..body.find(".SH ").unwrap_or(body.len())];
            assert!(
                body.contains(".TP\n"),
                "{name}: {section} has no entry (examples: src/cli/man.rs EXAMPLES)"
            );
            last = at;
        }
        let codes: &[&str] = if name == "pgrex-check.1" {
            &["0", "1", "2", "3"]
        } else {
            &["0", "1", "2", "3", "4", "5", "6", "130"]
        };
        for c in codes {
            assert!(
                text.contains(&format!(".TP\n\\fB{c}\\fR\n")),
                "{name}: EXIT STATUS lacks {c}"
            );
        }
        for needle in ["PGREX_CONFIG", "/etc/pg\\-rex_tools.conf", "/var/lib/pgrex"] {
            assert!(text.contains(needle), "{name} does not name {needle}");
        }
        pages += 1;
    }
    assert!(pages > 10, "only {pages} man pages");
}

//! Render an error the way STYLE.md asks: `error:` line, `caused by:` lines, `hint:` lines.

use super::printer::{Printer, Stream, Style};
use pgrex::msg::gen;

/// Print `err` to stderr. Under a Perl tool's name an error the Perl tool also reported
/// is worded as it was (`perl::errors`); its causes and hints stay pgrex's.
pub fn render(p: &Printer, err: &anyhow::Error) {
    let message = p
        .layout
        .and_then(|tool| {
            let argv0 = std::env::args_os().next().unwrap_or_default();
            let prog = std::path::Path::new(&argv0)
                .file_name()
                .map(|f| f.to_string_lossy().into_owned())
                .unwrap_or_default();
            let user = super::perl::errors::user_name();
            let cx = super::perl::errors::Context {
                tool,
                prog: &prog,
                user: &user,
            };
            super::perl::errors::wording(err, &cx)
        })
        .unwrap_or_else(|| err.to_string());
    let mut s = format!(
        "{}: {}\n",
        p.paint(Stream::Err, Style::Bad, gen::ERROR.text()),
        message
    );
    let top: &(dyn std::error::Error + 'static) = err.as_ref();
    for cause in pgrex::error::causes(top) {
        s.push_str(&format!("  {}: {}\n", gen::CAUSED_BY.text(), cause));
    }
    if let Some(h) = hint_of(err) {
        for line in h.lines() {
            s.push_str(&format!(
                "{}: {}\n",
                p.paint(Stream::Err, Style::Hint, gen::HINT.text()),
                line
            ));
        }
    }
    p.err(&p.wrap(Stream::Err, &s));
}

fn hint_of(err: &anyhow::Error) -> Option<&str> {
    err.chain()
        .find_map(|e| e.downcast_ref::<pgrex::Error>().and_then(|e| e.hint()))
}

/// The exit code for an error: the core's own when it is one of ours, else 1.
pub fn exit_code(err: &anyhow::Error) -> u8 {
    if let Some(e) = err.chain().find_map(|e| e.downcast_ref::<pgrex::Error>()) {
        return e.exit_code().code();
    }
    if err
        .chain()
        .any(|e| e.downcast_ref::<UsageError>().is_some())
    {
        return pgrex::ExitCode::Usage.code();
    }
    pgrex::ExitCode::Failed.code()
}

/// A usage problem found after clap (e.g. conflicting settings).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);

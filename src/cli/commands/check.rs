//! `pgrex check`: settings → one snapshot (the status sources, or `--input`) →
//! `pgrex::check::check` → one line on stdout → the plugin's exit code. Every failure before
//! the judgement (bad configuration, unreadable input, no crm_mon) is UNKNOWN (3), still one
//! line on stdout — a monitoring system shows stdout and reads the code — and the full error
//! on stderr.

use crate::cli::args::{CheckArgs, GlobalArgs};
use crate::cli::printer::Printer;
use crate::cli::settings::{self, ConfigNeed};
use pgrex::check::{self, PluginState};
use pgrex::snapshot::collect::{self, Sources};

pub fn run(g: &GlobalArgs, a: &CheckArgs, p: &Printer) -> PluginState {
    match judge(g, a, p) {
        Ok(c) => {
            if p.json() {
                let doc = serde_json::json!({
                    "schema_version": 1,
                    "state": c.state,
                    "exit_code": c.state.code(),
                    "verdict": c.verdict,
                    "reason": c.reason,
                    "perf": c.perf,
                    "line": c.line(),
                });
                p.out(&format!("{doc}\n"));
            } else {
                p.out(&(c.line() + "\n"));
            }
            c.state
        }
        Err(e) => {
            crate::cli::error::render(p, &e);
            p.out(&(check::unknown_line(&e.to_string()) + "\n"));
            PluginState::Unknown
        }
    }
}

fn judge(g: &GlobalArgs, a: &CheckArgs, p: &Printer) -> anyhow::Result<check::Check> {
    let cfg = settings::view_config(g, ConfigNeed::for_view(a.input.is_some()), p)?;
    let set = settings::collect(Sources::STATUS, &[])?;
    let names = |ids: &[&str]| settings::names(g, cfg.as_ref(), ids.iter().copied());
    let no_peer = || Err(String::new());
    let snap = collect::observe(a.input.as_deref(), &set, &names, no_peer, "check")?;
    Ok(check::check(&snap, &names(&snap.resource_ids())))
}

/// Whether the command line names the `check` subcommand (its usage errors are UNKNOWN, 3,
/// not exit 2): the first word that is neither an option nor a global option's value.
pub fn invoked(args: &[std::ffi::OsString]) -> bool {
    const TAKES_VALUE: &[&str] = &["--config", "--profile", "--output-format", "--color"];
    let mut it = args.iter().skip(1).filter_map(|a| a.to_str());
    while let Some(a) = it.next() {
        if TAKES_VALUE.contains(&a) {
            it.next();
        } else if !a.starts_with('-') {
            return a == "check";
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::invoked;

    fn args(s: &str) -> Vec<std::ffi::OsString> {
        s.split_whitespace().map(Into::into).collect()
    }

    #[test]
    fn the_subcommand_is_found_past_global_options() {
        assert!(invoked(&args("pgrex check --bogus")));
        assert!(invoked(&args("pgrex --config /x check")));
        assert!(invoked(&args("pgrex -v --color never check")));
        assert!(!invoked(&args("pgrex status --input check")));
        assert!(!invoked(&args("pgrex --config check status")));
        assert!(!invoked(&args("pgrex")));
    }
}

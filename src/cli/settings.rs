//! Arguments, environment and configuration become settings here, in one place, with the
//! precedence of CONTRACTS.md: flag, then environment variable, then the configuration file,
//! then the built-in default. Commands never read the environment themselves.

use super::args::{GlobalArgs, LangArg, ProfileArg};
use super::env;
use super::printer::{Printer, Stream, Style};
use pgrex::config::Config;
use pgrex::exec::Tools;
use pgrex::profile::{ExplicitIds, Names, Profile, ProfileChoice};
use std::path::PathBuf;

/// The language of every message: `--lang` / `PGREX_LANG` (clap merges them), else the
/// first of `LC_ALL`, `LC_MESSAGES`, `LANG` that is set (POSIX order; `ja*` → Japanese),
/// else English. Decided once, here; the core never reads the locale.
pub fn language(g: &GlobalArgs) -> pgrex::msg::Lang {
    use pgrex::msg::Lang;
    match g.lang {
        Some(LangArg::En) => Lang::En,
        Some(LangArg::Ja) => Lang::Ja,
        None => environment_language(),
    }
}

/// The language the environment asks for, before any command line is parsed (the Perl
/// tools' names print their usage and errors from their own parser): `PGREX_LANG` (`en` or
/// `ja`; another value is left to clap's error), then `LC_ALL` / `LC_MESSAGES` / `LANG`.
pub fn environment_language() -> pgrex::msg::Lang {
    use pgrex::msg::Lang;
    match env::var("PGREX_LANG").as_deref() {
        Some("ja") => return Lang::Ja,
        Some("en") => return Lang::En,
        _ => {}
    }
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .find_map(|v| env::var(v))
        .map_or(Lang::En, |v| Lang::from_locale(&v))
}

/// Where external programs are found: `PGREX_<PROGRAM>` overrides, else `PATH`.
pub fn tools() -> Tools {
    let mut t = Tools::new();
    for (program, var) in env::TOOL_VARIABLES {
        if let Some(p) = env::var(var) {
            t.set(program, p);
        }
    }
    t
}

/// How a view collects its snapshot: which sources (`sources`), the `--log` files, the
/// tools, and where systemd's files are read (`PGREX_SYSTEMD_ROOT`, else `/`).
pub fn collect(
    sources: pgrex::snapshot::collect::Sources,
    log_files: &[PathBuf],
) -> anyhow::Result<pgrex::snapshot::collect::CollectSettings> {
    Ok(pgrex::snapshot::collect::CollectSettings {
        tools: tools(),
        log_files: log_files.to_vec(),
        sources,
        systemd_root: env::var("PGREX_SYSTEMD_ROOT")
            .map(PathBuf::from)
            .unwrap_or_else(|| "/".into()),
        pg: Some(pg_read()?),
    })
}

/// Where this node's PostgreSQL is read: `PGREX_PG_SOCKET_DIR`, `PGREX_PG_PORT`,
/// `PGREX_PG_USER`, else the defaults.
pub fn pg_read() -> anyhow::Result<pgrex::snapshot::pg::PgReadSettings> {
    let mut p = pgrex::snapshot::pg::PgReadSettings::default();
    if let Some(d) = env::var("PGREX_PG_SOCKET_DIR") {
        p.socket_dirs = vec![d.into()];
    }
    if let Some(port) = env::var("PGREX_PG_PORT") {
        p.port = port.parse().map_err(|_| {
            super::error::UsageError(pgrex::t!(pgrex::msg::check::PG_PORT_BAD, value = port))
        })?;
    }
    if let Some(u) = env::var("PGREX_PG_USER") {
        p.user = u;
    }
    Ok(p)
}

/// The profile the operator chose and where the choice came from (`flag` covers the
/// environment twin, as clap merges them).
pub fn profile_choice(g: &GlobalArgs) -> Option<(ProfileChoice, &'static str)> {
    g.profile.map(|p| {
        let c = match p {
            ProfileArg::Seed => ProfileChoice::Fixed(Profile::Seed),
            ProfileArg::Pgrex17 => ProfileChoice::Fixed(Profile::Pgrex17),
            ProfileArg::Auto => ProfileChoice::Auto,
        };
        (c, "flag")
    })
}

/// When the configuration file is needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConfigNeed {
    /// Load it when given (`--config`/`PGREX_CONFIG`) or when the default file exists.
    IfPresent,
    /// Load it only when given explicitly (`--input` analysis needs none).
    IfExplicit,
}

impl ConfigNeed {
    /// The views (status, diagnose): an `--input` analysis needs no configuration unless one
    /// is named; the live view uses it when present.
    pub fn for_view(has_input: bool) -> Self {
        if has_input {
            ConfigNeed::IfExplicit
        } else {
            ConfigNeed::IfPresent
        }
    }
}

/// Load `/etc/pg-rex_tools.conf` (or the file given) and print its warnings to stderr.
pub fn config(g: &GlobalArgs, need: ConfigNeed, p: &Printer) -> pgrex::Result<Option<Config>> {
    load_config(g, need, p, pgrex::config::load)
}

/// As [`config`], for a view that never logs in to the peer (`status`, `check`): the SSH
/// password files are not checked, so a monitoring user who cannot read them still loads it.
pub fn view_config(g: &GlobalArgs, need: ConfigNeed, p: &Printer) -> pgrex::Result<Option<Config>> {
    load_config(g, need, p, pgrex::config::load_for_view)
}

type Loader = fn(&std::path::Path, &[std::net::IpAddr]) -> pgrex::Result<Config>;

fn load_config(
    g: &GlobalArgs,
    need: ConfigNeed,
    p: &Printer,
    load: Loader,
) -> pgrex::Result<Option<Config>> {
    let path = match (&g.config, need) {
        (Some(path), _) => path.clone(),
        (None, ConfigNeed::IfExplicit) => return Ok(None),
        (None, ConfigNeed::IfPresent) => {
            let d = PathBuf::from(pgrex::config::DEFAULT_PATH);
            if !d.exists() {
                return Ok(None);
            }
            d
        }
    };
    let local = pgrex::config::local_addresses()?;
    let cfg = load(&path, &local)?;
    for w in &cfg.warnings {
        p.err(&format!(
            "{}: {}\n",
            p.paint(Stream::Err, Style::Warn, pgrex::msg::gen::WARNING.text()),
            w
        ));
    }
    Ok(Some(cfg))
}

/// Resolve every resource name: explicit config ids, then `--profile`/`NAMING_PROFILE`,
/// then detection from the cluster's resource ids.
pub fn names<'a>(
    g: &GlobalArgs,
    cfg: Option<&Config>,
    cluster_ids: impl IntoIterator<Item = &'a str>,
) -> Names {
    let flag = profile_choice(g).map(|(c, _)| c);
    match cfg {
        Some(c) => c.names_with(flag, cluster_ids),
        None => {
            let (choice, source) = profile_choice(g).unwrap_or((ProfileChoice::Auto, "default"));
            Names::resolve(&ExplicitIds::default(), choice, source, cluster_ids)
        }
    }
}

/// Where this node's operation journals live: `PGREX_JOURNAL_DIR`, else `/var/lib/pgrex`.
/// One place for the operations that write them and `journal`/`resume`/`abort` that read them.
pub fn journal_dir() -> PathBuf {
    env::var("PGREX_JOURNAL_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| pgrex::ops::journal::DEFAULT_DIR.into())
}

//! Arguments, environment and configuration become settings here, in one place, with the
//! precedence of CONTRACTS.md: flag, then environment variable, then the configuration file,
//! then the built-in default. Commands never read the environment themselves.

use super::args::{GlobalArgs, ProfileArg};
use super::env;
use pgrex::exec::Tools;
use pgrex::profile::{ExplicitIds, Names, Profile, ProfileChoice};

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

/// Resolve every resource name: explicit config ids, then flag/config profile, then detection.
pub fn names<'a>(
    g: &GlobalArgs,
    explicit: &ExplicitIds,
    config_profile: Option<ProfileChoice>,
    cluster_ids: impl IntoIterator<Item = &'a str>,
) -> Names {
    let (choice, source) = profile_choice(g)
        .or_else(|| config_profile.map(|c| (c, "config")))
        .unwrap_or((ProfileChoice::Auto, "default"));
    Names::resolve(explicit, choice, source, cluster_ids)
}

//! The Perl tools' error wording (spec §4): under a Perl tool's name, an error that the
//! Perl tool also reported reads as the Perl tool worded it (`Should specify
//! D_LAN_IPAddress …`, `There is PGSQL lock file ("…").`), in English or Japanese
//! (PGRex/Po/en.pm, ja.pm), so an operator's runbook notes still match. Only the words
//! change: the stream (stderr), the `caused by:` and `hint:` lines and the exit code stay
//! pgrex's (CONTRACTS "Output streams", "Exit codes").
//!
//! One table, [`WORDING`], maps pgrex's message id to the Perl text; the error is
//! recognised by its message's template (as the layout recognises steps, [`super::layout`]),
//! its placeholders' values carried over by name. A Perl text may also use the values in
//! [`EXTRAS`], which come from the run, not from the message. Tests check that every mapped
//! pair exists in the catalogue and that the Perl text asks only for values it can get.

use super::layout::matches;
use pgrex::msg::{
    config as c, ops as o, perl as m, primary as p, report as r, standby as s, Lang, Msg,
};
use pgrex::perl::Tool;

/// One entry: pgrex's message, the Perl tool's wording of the same error, and the one tool
/// it is meant for when pgrex's texts of two tools read the same in a language (primary's
/// and standby's "Pacemaker … is running" in Japanese) while the Perl tools' do not.
pub struct Wording {
    pub from: Msg,
    pub to: Msg,
    pub only: Option<Tool>,
}

const fn w(from: Msg, to: Msg) -> Wording {
    Wording {
        from,
        to,
        only: None,
    }
}

const fn w_for(tool: Tool, from: Msg, to: Msg) -> Wording {
    Wording {
        from,
        to,
        only: Some(tool),
    }
}

/// pgrex's message → the Perl tool's wording of the same error.
pub const WORDING: &[Wording] = &[
    w(r::NO_CONFIG, m::E_CONFIG_UNREADABLE),
    w(c::UNREADABLE, m::E_CONFIG_UNREADABLE),
    w(c::MISSING_KEY, m::E_CONFIG_MISSING_KEY),
    w(c::NOT_ABSOLUTE, m::E_CONFIG_NOT_ABSOLUTE),
    w(c::STONITH_NOT_ENABLE, m::E_CONFIG_STONITH),
    w(c::IPADDR_STANDBY_BAD, m::E_CONFIG_IPADDR_STANDBY),
    w(c::PASS_MODE_BAD, m::E_CONFIG_PASS_MODE),
    w(c::PASSFILE_NOT_FOUND, m::E_CONFIG_PASSFILE_MISSING),
    w(c::PASSFILE_MODE, m::E_CONFIG_PASSFILE_MODE),
    w(c::PASSFILE_UNREADABLE, m::E_CONFIG_PASSFILE_UNREADABLE),
    w(c::PASSFILE_EMPTY, m::E_CONFIG_PASSFILE_EMPTY),
    w(c::STONITH_IDS_COUNT, m::E_CONFIG_STONITH_IDS),
    w(c::DLAN_COUNT, m::E_CONFIG_DLAN_COUNT),
    w(c::IC_COUNT, m::E_CONFIG_IC_COUNT),
    w(c::IC_FORMAT, m::E_CONFIG_IC_FORMAT),
    w(c::CLUSTER_NAME_BAD, m::E_CONFIG_CLUSTER_NAME),
    w(c::NO_LOCAL_ADDRS, m::E_CONFIG_NO_LOCAL_ADDRS),
    w(c::NONE_LOCAL, m::E_CONFIG_NONE_LOCAL),
    w(c::BOTH_LOCAL, m::E_CONFIG_BOTH_LOCAL),
    w(r::NOT_ROOT, m::E_NOT_ROOT),
    w(o::LOCK_HELD, m::E_LOCK_HELD),
    w(o::LOCK_IO, m::E_LOCK_IO),
    w(o::IN_USE, m::E_IN_USE),
    w(o::STOP_TIMEOUT, m::E_STOP_TIMEOUT),
    w_for(
        Tool::PrimaryStart,
        p::STACK_RUNNING,
        m::E_PRIMARY_STACK_RUNNING,
    ),
    w(p::PEER_IS_PRIMARY, m::E_PRIMARY_PEER_IS_PRIMARY),
    w(p::NO_CIB, m::E_PRIMARY_NO_CIB),
    w(p::DATA_STATUS_STALE, m::E_PRIMARY_DATA_STATUS),
    w(p::LOCK_PRESENT, m::E_PRIMARY_LOCK),
    w(p::MARKER, m::E_PRIMARY_MARKER),
    w(p::NO_CLUSTER, m::E_PRIMARY_NO_COROSYNC_CONF),
    w_for(
        Tool::StandbyStart,
        s::STACK_RUNNING,
        m::E_STANDBY_STACK_RUNNING,
    ),
    w(s::NO_COROSYNC_CONF, m::E_STANDBY_NO_COROSYNC_CONF),
    w(s::NO_PRIMARY_ON_PEER, m::E_STANDBY_NO_PRIMARY),
    w(s::NO_METHOD, m::E_STANDBY_NO_METHOD),
    w(s::IC_UNREACHABLE, m::E_STANDBY_IC_UNREACHABLE),
];

/// Values a Perl text may use besides its pgrex message's placeholders: `prog` (the name
/// the binary was called by, COMMON_MS0049), `file` (a configuration error's file,
/// COMMON_MS0024), `user` (the user running it, COMMON_MS0026).
pub const EXTRAS: &[&str] = &["prog", "file", "user"];

/// What the run knows besides the error (see [`EXTRAS`]).
pub struct Context<'a> {
    /// The tool whose name the binary was called by.
    pub tool: Tool,
    pub prog: &'a str,
    pub user: &'a str,
}

/// The Perl tool's wording of `err`, if its message has a Perl counterpart.
pub fn wording(err: &anyhow::Error, cx: &Context) -> Option<String> {
    let (message, file) = match err.downcast_ref::<pgrex::Error>() {
        Some(pgrex::Error::Config { message, file, .. }) => {
            (message.clone(), Some(file.display().to_string()))
        }
        _ => (err.to_string(), None),
    };
    perl_text(&message, file.as_deref(), cx)
}

/// The Perl wording of one pgrex message text (`file`: the configuration file it is about),
/// in the language the binary chose.
pub fn perl_text(message: &str, file: Option<&str>, cx: &Context) -> Option<String> {
    perl_text_in(pgrex::msg::lang(), message, file, cx)
}

fn perl_text_in(lang: Lang, message: &str, file: Option<&str>, cx: &Context) -> Option<String> {
    let (to, mut values) = WORDING
        .iter()
        .filter(|w| w.only.is_none_or(|t| t == cx.tool))
        .find_map(|w| matches(w.from.text_in(lang), message).map(|v| (w.to, v)))?;
    let extras = [
        ("prog", cx.prog),
        ("file", file.unwrap_or(pgrex::config::DEFAULT_PATH)),
        ("user", cx.user),
    ];
    debug_assert!(extras.iter().map(|(k, _)| *k).eq(EXTRAS.iter().copied()));
    values.extend(extras.map(|(k, v)| (k.to_string(), v.to_string())));
    let mut text = to.text_in(lang).to_string();
    for (k, v) in &values {
        text = text.replace(&format!("{{{k}}}"), v);
    }
    Some(text)
}

/// The name of the user this process runs as (COMMON_MS0026's `[0]`), else its uid.
pub fn user_name() -> String {
    let uid = nix::unistd::geteuid();
    nix::unistd::User::from_uid(uid)
        .ok()
        .flatten()
        .map(|u| u.name)
        .unwrap_or_else(|| uid.to_string())
}

#[cfg(test)]
#[path = "errors_tests.rs"]
mod tests;

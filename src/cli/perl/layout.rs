//! The Perl layout: how an operation's steps read when pgrex runs under a Perl tool's name,
//! so an operator's runbook notes ("2. Checking Pacemaker has stopped ...[OK]") still match.
//!
//! pgrex's steps are renumbered from 1 in the order shown; a step the Perl tool also had is
//! titled as the Perl tool titled it (spec §4, [`pgrex::msg::perl`]); a read-only check the
//! Perl tool made silently (which role this node has, the SSH connection) is not shown unless
//! it fails; every step that changes something is always shown, under pgrex's own title when
//! the Perl tool had no such step. The Perl tools' banners ("**** Ready to run ****") and
//! closing lines are added around them. `pg-rex_archivefile_delete` numbered only its four
//! banners ("**** 2. Get wal file names ****"), so its lines are not numbered. Steps are recognised by their message's template,
//! so this works in whichever language the messages are in. Only the text rendering changes:
//! JSON events, the journal and error messages keep pgrex's numbering.

use pgrex::msg::{
    archive as am, ops as om, perl as m, primary as pm, standby as sm, switchover as wm, Msg,
};
use pgrex::perl::Tool;
use pgrex::report::Outcome;
use pgrex::t;
use std::collections::HashMap;
use std::sync::Mutex;

/// How one pgrex step appears.
struct Rule {
    from: Msg,
    /// The Perl tool's title (`None`: pgrex's title, numbered).
    to: Option<Msg>,
    /// A check the Perl tool made without a step line: shown only when it fails.
    hidden: bool,
    /// A banner line printed before the step (hidden or not).
    before: Option<Msg>,
    /// A line printed after the step ended OK.
    after: Option<Msg>,
    /// The Perl tool's numbered sub-steps (`4.1 …`) inside this step, made from the
    /// step's per-method messages ([`SUB_STEPS`]); the step's own `...[OK]` is then left
    /// out, as the Perl tool printed none.
    subs: bool,
}

const fn rule(from: Msg, to: Msg) -> Rule {
    Rule {
        from,
        to: Some(to),
        hidden: false,
        before: None,
        after: None,
        subs: false,
    }
}

const fn keep(from: Msg) -> Rule {
    Rule {
        from,
        to: None,
        hidden: false,
        before: None,
        after: None,
        subs: false,
    }
}

const fn hide(from: Msg) -> Rule {
    Rule {
        from,
        to: None,
        hidden: true,
        before: None,
        after: None,
        subs: false,
    }
}

const STOP: &[Rule] = &[
    hide(om::STEP_CHECK_RUNNING),
    hide(om::STEP_STOP_ROLE),
    hide(om::STEP_CHECKPOINT),
];

const PRIMARY: &[Rule] = &[
    rule(pm::STEP_STOPPED, m::S_STOPPED),
    hide(pm::STEP_CONNECT),
    rule(pm::STEP_NO_PRIMARY, m::S_NO_PRIMARY),
    hide(pm::STEP_MARKER),
    rule(pm::STEP_DESTROY, m::S_DESTROY),
    rule(pm::STEP_CREATE, m::S_CREATE),
    rule(pm::STEP_XML, m::S_XML),
];

const STANDBY: &[Rule] = &[
    rule(sm::STEP_STOPPED, m::S_STOPPED),
    hide(sm::STEP_CONNECT),
    rule(sm::STEP_PRIMARY_RUNS, m::S_PRIMARY_RUNS),
    Rule {
        subs: true,
        ..rule(sm::STEP_DATA, m::S_DATA)
    },
    rule(sm::STEP_IC, m::S_IC),
    Rule {
        before: Some(m::B_AS_IT_IS),
        ..hide(sm::STEP_NORMAL)
    },
    Rule {
        before: Some(m::B_REWIND),
        ..rule(sm::STEP_REWIND, m::S_REWIND)
    },
    Rule {
        before: Some(m::B_BASEBACKUP),
        ..rule(sm::STEP_BASEBACKUP, m::S_BASEBACKUP)
    },
];

const SWITCHOVER: &[Rule] = &[
    Rule {
        before: Some(m::B_READY),
        ..rule(wm::STEP_CONNECT, m::S_READ)
    },
    rule(wm::STEP_CLUSTER, m::S_CLUSTER),
    hide(wm::STEP_LAG),
    hide(wm::STEP_PEER_LOCK),
    Rule {
        before: Some(m::B_EXECUTE),
        ..hide(wm::STEP_TAKE_PEER_LOCK)
    },
    rule(wm::STEP_CHECKPOINT, m::S_CHECKPOINT),
    rule(wm::STEP_FAST_STOP, m::S_STOP_PG),
    Rule {
        after: Some(m::A_PRIMARY_STARTED),
        ..rule(wm::STEP_WAIT_PRIMARY, m::S_NEW_PRIMARY)
    },
    rule(wm::STEP_CLEANUP, m::S_START_STANDBY),
    Rule {
        after: Some(m::A_STANDBY_STARTED),
        ..keep(wm::STEP_WAIT_STANDBY)
    },
];

/// `pg-rex_archivefile_delete`: its four banners ("**** 2. Get wal file names ****") over
/// its unnumbered lines; the first banner and the mode line are printed before the run
/// (`perl::archive`), as the questions for the backup come between them and the run.
const ARCHIVE: &[Rule] = &[
    Rule {
        before: Some(m::AD_READ_CONF),
        ..rule(am::STEP_SETTINGS, m::AD_S_CIB)
    },
    Rule {
        before: Some(m::AD_B_GET_WAL),
        ..rule(am::STEP_BACKUP, m::AD_S_BACKUP)
    },
    rule(am::STEP_LOCAL_CONTROL, m::AD_S_LOCAL),
    rule(am::STEP_PEER_CONTROL, m::AD_S_PEER),
    Rule {
        before: Some(m::AD_B_CALC),
        ..keep(am::STEP_BOUNDARY)
    },
    Rule {
        before: Some(m::AD_B_REMOVE),
        ..keep(am::STEP_REMOVE)
    },
    Rule {
        before: Some(m::AD_B_MOVE),
        ..keep(am::STEP_MOVE)
    },
];

/// A hidden step's note, when it ends with this detail, shown as the Perl tool's line.
const NOTES: &[(Msg, Msg)] = &[
    (om::ROLE_PRIMARY, m::N_STOP_PRIMARY),
    (om::ROLE_STANDBY, m::N_STOP_STANDBY),
    (om::ROLE_UNKNOWN, m::N_STOP_UNKNOWN),
];

/// Closing lines: pgrex's message → the Perl tool's.
const RESULTS: &[(Msg, Msg)] = &[
    (om::STOP_ALREADY, m::R_STOP_ALREADY),
    (om::STOPPED_PRIMARY, m::R_STOPPED_PRIMARY),
    (om::STOPPED_STANDBY, m::R_STOPPED_STANDBY),
    (om::STOPPED_PACEMAKER, m::R_STOPPED_PACEMAKER),
    (pm::STARTED, m::R_PRIMARY_STARTED),
    (sm::STARTED, m::R_STANDBY_STARTED),
    (wm::SWITCHED, m::R_SWITCHED),
    (am::DONE_REMOVED, m::AD_R_REMOVED),
    (am::DONE_MOVED, m::AD_R_MOVED),
    (am::NOTHING, m::AD_R_NOTHING),
];

/// standby-start's sub-steps 4.1–4.3 (spec §3.2, STANDBYSTART_MS0050–0052): pgrex's method
/// name in its per-method line → the sub-step's number and the Perl tool's title.
const SUB_STEPS: &[(Msg, usize, Msg)] = &[
    (sm::METHOD_N, 1, m::S_SUB_NORMAL),
    (sm::METHOD_R, 2, m::S_SUB_REWIND),
    (sm::METHOD_B, 3, m::S_SUB_BASEBACKUP),
];

/// One line of a sub-step, for the reporter to print.
#[derive(Debug, PartialEq, Eq)]
pub enum SubLine {
    /// `4.1 Checking if this node can start without change`.
    Title(String),
    /// Why the method is not possible (indented, as the Perl tool printed its reasons).
    Why(String),
    /// `...[OK]` (possible), `...[NG]` (not possible), `...[SKIP]` (not checked).
    End(Outcome),
}

fn rules(tool: Tool) -> &'static [Rule] {
    match tool {
        Tool::Stop => STOP,
        Tool::PrimaryStart => PRIMARY,
        Tool::StandbyStart => STANDBY,
        Tool::Switchover => SWITCHOVER,
        Tool::ArchivefileDelete => ARCHIVE,
    }
}

/// Whether the tool numbered its step lines (`pg-rex_archivefile_delete` numbered only its
/// four banners).
fn numbered(tool: Tool) -> bool {
    tool != Tool::ArchivefileDelete
}

/// The placeholders' values if `text` is `template` filled in (`{name}` matches any text).
pub fn matches(template: &str, text: &str) -> Option<Vec<(String, String)>> {
    let mut pattern = String::from("^");
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|c| open + c) else {
            break;
        };
        pattern.push_str(&regex::escape(&rest[..open]));
        pattern.push_str("(.*?)");
        names.push(rest[open + 1..close].to_string());
        rest = &rest[close + 1..];
    }
    pattern.push_str(&regex::escape(rest));
    pattern.push('$');
    let re = regex::Regex::new(&pattern).ok()?;
    let caps = re.captures(text)?;
    Some(
        names
            .into_iter()
            .enumerate()
            .map(|(i, n)| (n, caps[i + 1].to_string()))
            .collect(),
    )
}

fn fill(msg: Msg, values: &[(String, String)]) -> String {
    let args: Vec<(&str, &dyn std::fmt::Display)> = values
        .iter()
        .map(|(k, v)| (k.as_str(), v as &dyn std::fmt::Display))
        .collect();
    msg.fmt(&args)
}

/// What to print when a step starts.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Start {
    /// Banner lines first.
    pub before: Vec<String>,
    /// The numbered line (`None`: the step is hidden).
    pub line: Option<String>,
}

/// What to print when a step ends.
#[derive(Debug, PartialEq, Eq)]
pub enum Finish {
    /// Hidden: print these lines (a note) instead of the `...[OK]` line.
    Hidden(Vec<String>),
    /// A hidden step failed: print its title, then the usual `...[NG]` line.
    Reveal(String),
    /// The usual `...[OK]` line, then these.
    Shown(Vec<String>),
}

/// A started step: its rule (if one matched), the values its title filled in, the title,
/// the number it was shown with (0: hidden).
type Seen = (Option<&'static Rule>, Vec<(String, String)>, String, usize);

#[derive(Default)]
struct State {
    shown: usize,
    /// The pgrex step started last (the one a message belongs to).
    current: usize,
    /// Steps whose sub-steps were printed.
    subbed: std::collections::HashSet<usize>,
    /// pgrex step → what was seen of it.
    steps: HashMap<usize, Seen>,
}

/// One run's Perl layout (the numbering is its state).
pub struct Layout {
    tool: Tool,
    state: Mutex<State>,
}

impl Layout {
    pub fn new(tool: Tool) -> Self {
        Layout {
            tool,
            state: Mutex::default(),
        }
    }

    fn find(&self, title: &str) -> Option<(&'static Rule, Vec<(String, String)>)> {
        rules(self.tool)
            .iter()
            .find_map(|r| matches(r.from.text(), title).map(|v| (r, v)))
    }

    pub fn start(&self, step: usize, title: &str) -> Start {
        let found = self.find(title);
        let mut st = self.state.lock().unwrap();
        let values = found.as_ref().map(|f| f.1.clone()).unwrap_or_default();
        let rule = found.map(|f| f.0);
        let hidden = rule.is_some_and(|r| r.hidden);
        let shown = if hidden { 0 } else { st.shown + 1 };
        st.steps
            .insert(step, (rule, values.clone(), title.to_string(), shown));
        st.current = step;
        let before = rule
            .and_then(|r| r.before)
            .map(|b| vec![fill(b, &values)])
            .unwrap_or_default();
        if hidden {
            return Start { before, line: None };
        }
        st.shown = shown;
        let text = match rule.and_then(|r| r.to) {
            Some(to) => fill(to, &values),
            None => title.to_string(),
        };
        let line = if numbered(self.tool) {
            format!("{}. {text}", st.shown)
        } else {
            text
        };
        Start {
            before,
            line: Some(line),
        }
    }

    /// Whether pgrex's step `step` is not shown (its details and dry-run lines neither).
    pub fn hidden(&self, step: usize) -> bool {
        let st = self.state.lock().unwrap();
        matches!(st.steps.get(&step), Some((Some(r), ..)) if r.hidden)
    }

    pub fn finish(&self, step: usize, outcome: Outcome, detail: Option<&str>) -> Finish {
        let st = self.state.lock().unwrap();
        let Some((rule, values, title, shown)) = st.steps.get(&step) else {
            return Finish::Shown(Vec::new());
        };
        // A failure's error and the journal count pgrex's steps: say which one this is.
        let renumbered = (outcome == Outcome::Ng && (*shown != step || !numbered(self.tool)))
            .then(|| t!(m::NG_STEP_NUMBER, step = step));
        let Some(rule) = rule else {
            return Finish::Shown(renumbered.into_iter().collect());
        };
        if rule.hidden {
            if outcome == Outcome::Ng {
                return Finish::Reveal(title.clone());
            }
            let notes = detail
                .and_then(|d| NOTES.iter().find(|(from, _)| from.text() == d))
                .map(|(_, to)| vec![to.text().to_string()])
                .unwrap_or_default();
            return Finish::Hidden(notes);
        }
        if outcome == Outcome::Ok && st.subbed.contains(&step) {
            return Finish::Hidden(Vec::new());
        }
        match (outcome, rule.after) {
            (Outcome::Ok, Some(after)) => Finish::Shown(vec![fill(after, values)]),
            _ => Finish::Shown(renumbered.into_iter().collect()),
        }
    }

    /// A message of the running step, as the Perl tool's sub-step lines (`None`: print it
    /// as pgrex does). Only in a step whose rule has sub-steps, and only pgrex's
    /// per-method lines (standby::METHOD_POSSIBLE / _IMPOSSIBLE / _NOT_EVALUATED).
    pub fn message(&self, text: &str) -> Option<Vec<SubLine>> {
        let mut st = self.state.lock().unwrap();
        let step = st.current;
        let (rule, shown) = st.steps.get(&step).map(|e| (e.0, e.3))?;
        if !rule.is_some_and(|r| r.subs) {
            return None;
        }
        let (values, end) = [
            (sm::METHOD_POSSIBLE, Outcome::Ok),
            (sm::METHOD_IMPOSSIBLE, Outcome::Ng),
            (sm::METHOD_NOT_EVALUATED, Outcome::Skip),
        ]
        .into_iter()
        .find_map(|(from, end)| matches(from.text(), text).map(|v| (v, end)))?;
        let value = |k: &str| values.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());
        let method = value("method")?;
        let (_, sub, title) = SUB_STEPS.iter().find(|(n, ..)| n.text() == method)?;
        st.subbed.insert(step);
        let mut lines = vec![SubLine::Title(format!("{shown}.{sub} {}", title.text()))];
        lines.extend(value("why").map(SubLine::Why));
        lines.push(SubLine::End(end));
        Some(lines)
    }

    /// The closing line of a successful run, as the Perl tool words it.
    pub fn result(&self, message: &str) -> String {
        RESULTS
            .iter()
            .find_map(|(from, to)| matches(from.text(), message).map(|v| fill(*to, &v)))
            .unwrap_or_else(|| message.to_string())
    }
}

#[cfg(test)]
#[path = "layout_tests.rs"]
mod tests;

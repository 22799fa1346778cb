//! One converted event: what pm_logconv would have written for a log line (or, for the
//! failover summary, for a run of lines), with the node, the priority, the fields an operator
//! filters on, the fault id `diagnose` would name for it, and where it came from.

use crate::diagnose::FaultId;
use jiff::Timestamp;
use serde::Serialize;

/// pm_logconv's priorities (the word printed before the message).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Priority {
    Info,
    Warning,
    Error,
}

impl Priority {
    pub fn word(self) -> &'static str {
        match self {
            Priority::Info => "info",
            Priority::Warning => "warning",
            Priority::Error => "error",
        }
    }
}

/// The kinds of event (the `event` field of the JSON; stable, kebab-case). Each names the
/// rows of pm_logconv's `doc/conv-msg.md` it stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// 23-1
    CorosyncStart,
    /// 23-4
    PacemakerStart,
    /// 14-1
    CorosyncStopping,
    /// 14-2
    CorosyncStopped,
    /// 14-3
    PacemakerStopping,
    /// 14-4
    PacemakerStopped,
    /// 14-5
    NodeShuttingDown,
    /// 10-1
    ProcessStart,
    /// 10-2, 10-4, 10-5
    ProcessExit,
    /// 10-3
    ProcessSignal,
    /// 10-6
    ProcessStop,
    /// 10-7
    RespawnExceeded,
    /// 6-1
    NodeLost,
    /// 6-2
    NodeMember,
    /// 13-2
    DcSet,
    /// 13-5
    DcUnset,
    /// 1-1, 2-1, 4-1, 5-1, 17-1, 18-1
    ResourceTry,
    /// 1-2, 2-2, 4-2, 5-2, 17-2, 18-2
    ResourceOk,
    /// 1-3, 2-3, 3-1, 4-3, 5-3, 17-3, 19-1
    ResourceFailed,
    /// 1-4, 2-4, 3-3, 4-4, 5-4, 17-4, 19-3
    ResourceTimeout,
    /// 3-2
    ResourceNotRunning,
    /// 7-1 (a knet link instead of a totem ring)
    LinkFaulty,
    /// 7-2
    LinkRecovered,
    /// 8-1
    NetworkUnreachable,
    /// 9-1 (storage-mon's health attribute instead of diskd)
    DiskError,
    /// 22-1
    AttributeUpdated,
    /// 22-2
    AttributeDeleted,
    /// 21-1
    StonithTry,
    /// 21-2, 21-8
    StonithOk,
    /// 21-3
    StonithFailed,
    /// 21-4
    StonithGaveUp,
    /// 21-5
    StonithDeviceTry,
    /// 21-6
    StonithDeviceOk,
    /// 21-7
    StonithDeviceFailed,
    /// F0-0
    FailoverStart,
    /// F11-6, F11-13, F11-14
    FailoverMove,
    /// F11-1, F11-3, F11-8, F11-11, F11-12
    FailoverStartedOn,
    /// F11-2, F11-9
    FailoverStopped,
    /// F12-1
    FailoverOk,
    /// F12-2
    FailoverFailed,
}

/// One converted event.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Event {
    pub time: Timestamp,
    pub node: String,
    pub priority: Priority,
    pub event: Kind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub attribute: Option<String>,
    /// A fencing target, a ping target, a monitored disk, a node joining or leaving.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target: Option<String>,
    /// pm_logconv's English text.
    pub message: String,
    /// pm_logconv's Japanese meaning of the line (data until the language switch arrives).
    pub meaning_ja: String,
    /// The fault `pgrex diagnose` would name for this event, where one event points at one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fault: Option<FaultId>,
    /// The file or command the line was read from, and its line number there (1-based).
    pub file: String,
    pub line: usize,
    /// The line as Pacemaker or Corosync wrote it (for `--raw` and the evidence).
    #[serde(skip)]
    pub raw: String,
}

/// The parts an event is made of, before the message is filled in.
#[derive(Debug, Clone, Default)]
pub struct Fields {
    pub resource: Option<String>,
    pub attribute: Option<String>,
    pub target: Option<String>,
    /// Placeholder values of the message (`{op}`, `{rc}`, …).
    pub args: Vec<(&'static str, String)>,
}

impl Fields {
    pub fn arg(mut self, k: &'static str, v: impl Into<String>) -> Fields {
        self.args.push((k, v.into()));
        self
    }
}

/// Fill a message's placeholders (English or Japanese template) from the fields.
pub fn render(template: &str, f: &Fields) -> String {
    let mut s = template.to_string();
    let mut put = |k: &str, v: &str| s = s.replace(&format!("{{{k}}}"), v);
    if let Some(r) = &f.resource {
        put("resource", r);
    }
    if let Some(a) = &f.attribute {
        put("attribute", a);
    }
    if let Some(t) = &f.target {
        put("target", t);
    }
    for (k, v) in &f.args {
        put(k, v);
    }
    s
}

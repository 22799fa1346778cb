//! The rendering of `pgrex log`: one pm_logconv line (or, with `--raw`, the log line behind
//! it, or one NDJSON object) per event on stdout; on stderr, the default window the plan
//! chose, what was read where, and that nothing was found.

use super::printer::{Printer, Stream};
use pgrex::msg::log as m;
use pgrex::oplog::plan::{DefaultSince, Plan};
use pgrex::oplog::run::Batch;
use pgrex::oplog::{self, Clock, Event};
use pgrex::t;

/// The default window, when the plan chose it (`--since` to change), in local time.
pub fn window(p: &Printer, plan: &Plan, clock: &Clock) {
    let Some(d) = plan.default_since else {
        return;
    };
    let shown = d
        .start()
        .to_zoned_datetime(clock.tz.clone())
        .strftime("%Y-%m-%d %H:%M:%S");
    let note = match d {
        DefaultSince::Episode(_) => t!(m::WINDOW_EPISODE, since = shown),
        DefaultSince::LastHour(_) => t!(m::WINDOW_HOUR, since = shown),
    };
    p.err(&p.wrap(Stream::Err, &(note + "\n")));
}

/// A note on stderr (what was read where, a peer not read).
pub fn note(p: &Printer, note: &str) {
    p.err(&p.wrap(Stream::Err, &format!("{note}\n")));
}

/// One read: its notes, that nothing was found (the first read of a view only, not in
/// JSON), then its events.
pub fn batch(
    p: &Printer,
    b: &Batch,
    plan: &Plan,
    raw: bool,
    first: bool,
    clock: &Clock,
) -> anyhow::Result<()> {
    for n in &b.notes {
        note(p, n);
    }
    if first && b.events.is_empty() && !p.json() {
        let show = |t: Option<jiff::Timestamp>| t.map_or("-".to_string(), |t| t.to_string());
        let (since, until) = (show(plan.since), show(plan.until));
        p.err(&(t!(m::NOTHING, since = since, until = until) + "\n"));
    }
    p.out(&p.wrap(Stream::Out, &events(p, raw, &b.events, clock)?));
    Ok(())
}

fn events(p: &Printer, raw: bool, events: &[Event], clock: &Clock) -> anyhow::Result<String> {
    let mut out = String::new();
    for e in events {
        if p.json() {
            let mut v = serde_json::to_value(e)?;
            v["schema_version"] = 1.into();
            out.push_str(&(serde_json::to_string(&v)? + "\n"));
        } else if raw {
            out.push_str(&format!("{}\n", e.raw));
        } else {
            out.push_str(&(oplog::format_line(e, &clock.tz) + "\n"));
        }
    }
    Ok(out)
}

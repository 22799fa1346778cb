//! The binary's Reporter: numbered steps ending `[OK]` / `[NG]` / `[SKIP]` on stdout (the
//! Perl tools' habit, so `pgrex stop | tee` keeps the run's record), an indicatif bar or
//! spinner on stderr when it is a terminal, plain progress lines on stderr otherwise, NDJSON
//! events on stdout with `--output-format json`. Questions go through dialoguer only when
//! stdin and stderr are terminals; `--yes` answers confirmations.
//!
//! Which stream a line takes is decided in one place, [`Line::stream`] (CONTRACTS "Output
//! streams"): the record of the run on stdout, the conversation and the animation on stderr.

use super::perl::layout::{Finish, Layout, SubLine};
use super::printer::{Printer, Stream, Style};
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use pgrex::msg::report as m;
use pgrex::report::{Answer, Choice, Level, Outcome, Reporter};
use pgrex::t;
use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::Duration;

/// Version of the NDJSON event stream (docs/json.md).
pub const EVENTS_SCHEMA_VERSION: u32 = 1;

/// The kinds of line an operation prints in text mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Line {
    /// `N. title` and `...[OK]`, with a step's detail lines (a command it runs).
    Step,
    /// Facts and evidence for the operator (the plan, why a lock file may go).
    Info,
    /// The closing line of a successful run.
    Result,
    /// `warning: …`.
    Warn,
    /// A question, its echo under `--yes`, a menu.
    Prompt,
    /// Waiting and percentage lines.
    Progress,
}

impl Line {
    fn stream(self) -> Stream {
        match self {
            Line::Step | Line::Info | Line::Result => Stream::Out,
            Line::Warn | Line::Prompt | Line::Progress => Stream::Err,
        }
    }
}

pub struct CliReporter {
    p: Printer,
    yes: bool,
    /// stdin and stderr are terminals: questions are possible.
    tty: bool,
    /// stderr is a terminal: bars and spinners are drawn there.
    bars: bool,
    bar: Mutex<Option<ProgressBar>>,
    /// Off a terminal, the last waiting line printed (print only changes).
    last_wait: Mutex<String>,
    last_pct: Mutex<u64>,
    /// Under a Perl tool's name (text mode): that tool's numbering and titles.
    layout: Option<Layout>,
}

impl CliReporter {
    pub fn new(p: &Printer, yes: bool) -> Self {
        CliReporter {
            p: p.clone(),
            yes,
            tty: std::io::stdin().is_terminal() && p.err_tty,
            bars: p.err_tty,
            bar: Mutex::new(None),
            last_wait: Mutex::new(String::new()),
            last_pct: Mutex::new(u64::MAX),
            layout: p.layout.filter(|_| !p.json()).map(Layout::new),
        }
    }

    /// `...[OK]` / `...[NG] (why)` / `...[SKIP] (why)`.
    fn end_line(&self, outcome: Outcome, detail: Option<&str>) {
        let style = match outcome {
            Outcome::Ok => Style::Ok,
            Outcome::Ng => Style::Bad,
            Outcome::Skip => Style::Warn,
        };
        let word = self.paint(Line::Step, style, &format!("[{}]", outcome.word()));
        let d = detail.map(|d| format!(" ({d})")).unwrap_or_default();
        self.line(Line::Step, &format!("...{word}{d}"));
    }

    /// Whether pgrex's step `step` is left out of the Perl layout.
    fn hidden(&self, step: usize) -> bool {
        self.layout.as_ref().is_some_and(|l| l.hidden(step))
    }

    pub fn interactive(&self) -> bool {
        self.tty && !self.p.json()
    }

    fn event(&self, v: serde_json::Value) {
        let mut v = v;
        v["schema_version"] = EVENTS_SCHEMA_VERSION.into();
        self.p.out(&(v.to_string() + "\n"));
    }

    /// The last line of an operation's NDJSON stream.
    pub fn result(&self, code: u8, message: &str, hint: Option<&str>, extra: serde_json::Value) {
        if self.p.json() {
            let mut v = serde_json::json!({
                "event": "result",
                "exit_code": code,
                "message": message,
                "hint": hint,
            });
            if let serde_json::Value::Object(x) = extra {
                for (k, val) in x {
                    v[k] = val;
                }
            }
            self.event(v);
        } else if code == 0 {
            let message = match &self.layout {
                Some(l) => l.result(message),
                None => message.to_string(),
            };
            self.line(Line::Result, &self.paint(Line::Result, Style::Ok, &message));
        }
    }

    fn clear_bar(&self) {
        if let Some(b) = self.bar.lock().unwrap().take() {
            b.finish_and_clear();
        }
    }

    fn bar(&self, make: impl FnOnce() -> ProgressBar) -> ProgressBar {
        let mut g = self.bar.lock().unwrap();
        g.get_or_insert_with(make).clone()
    }

    /// One line of `kind` on its stream, around a bar being drawn on stderr.
    fn line(&self, kind: Line, s: &str) {
        let text = self.p.wrap(kind.stream(), &format!("{s}\n"));
        match self.bar.lock().unwrap().as_ref() {
            Some(b) => b.suspend(|| self.p.write(kind.stream(), &text)),
            None => self.p.write(kind.stream(), &text),
        }
    }

    fn paint(&self, kind: Line, style: Style, text: &str) -> String {
        self.p.paint(kind.stream(), style, text)
    }
}

impl Reporter for CliReporter {
    fn step_started(&self, step: usize, title: &str) {
        *self.last_pct.lock().unwrap() = u64::MAX;
        if self.p.json() {
            self.event(serde_json::json!({"event": "step_started", "step": step, "title": title}));
            return;
        }
        *self.last_wait.lock().unwrap() = String::new();
        if let Some(l) = &self.layout {
            let s = l.start(step, title);
            for b in s.before.iter().chain(s.line.iter()) {
                self.line(Line::Step, b);
            }
            return;
        }
        self.line(Line::Step, &format!("{step}. {title}"));
    }

    fn progress(&self, step: usize, done: u64, total: Option<u64>, unit: &str) {
        if self.p.json() {
            // One event per whole percent (and the last), not one per chunk copied.
            if let Some(t) = total.filter(|t| *t > 0) {
                let pct = done.saturating_mul(100) / t;
                let mut last = self.last_pct.lock().unwrap();
                if *last == pct && done < t {
                    return;
                }
                *last = pct;
            }
            self.event(serde_json::json!({"event": "progress", "step": step, "done": done, "total": total, "unit": unit}));
            return;
        }
        if self.bars {
            let b = self.bar(|| {
                let b = ProgressBar::with_draw_target(total, ProgressDrawTarget::stderr());
                let style = if unit == "bytes" {
                    "   [{bar:40}] {bytes}/{total_bytes} ({eta})"
                } else {
                    "   [{bar:40}] {pos}/{len}"
                };
                b.set_style(
                    ProgressStyle::with_template(style)
                        .unwrap_or_else(|_| ProgressStyle::default_bar())
                        .progress_chars("=> "),
                );
                b
            });
            if let Some(t) = total {
                b.set_length(t);
            }
            b.set_position(done);
        } else if let Some(t) = total.filter(|t| *t > 0) {
            // Off a terminal: one line per 10 %.
            let pct = done.saturating_mul(100) / t / 10 * 10;
            let mut last = self.last_pct.lock().unwrap();
            if *last != pct {
                *last = pct;
                self.line(Line::Progress, &format!("   {pct}% ({done}/{t} {unit})"));
            }
        }
    }

    fn detail(&self, step: usize, line: &str) {
        if self.p.json() {
            self.event(serde_json::json!({"event": "detail", "step": step, "line": line}));
            return;
        }
        if self.hidden(step) {
            return;
        }
        self.line(
            Line::Step,
            &format!("   {}", self.paint(Line::Step, Style::Dim, line)),
        );
    }

    fn step_finished(&self, step: usize, title: &str, outcome: Outcome, detail: Option<&str>) {
        self.clear_bar();
        if self.p.json() {
            self.event(serde_json::json!({"event": "step_finished", "step": step, "title": title, "outcome": outcome, "detail": detail}));
            return;
        }
        if let Some(l) = &self.layout {
            match l.finish(step, outcome, detail) {
                Finish::Hidden(notes) => {
                    for n in notes {
                        self.line(Line::Step, &n);
                    }
                    return;
                }
                Finish::Reveal(title) => {
                    self.line(Line::Step, &title);
                    self.end_line(outcome, detail);
                }
                Finish::Shown(after) => {
                    self.end_line(outcome, detail);
                    for a in after {
                        self.line(Line::Step, &a);
                    }
                }
            }
            return;
        }
        self.end_line(outcome, detail);
    }

    fn step_described(&self, step: usize, title: &str, would: &str) {
        self.clear_bar();
        if self.p.json() {
            let detail = pgrex::msg::ops::SKIP_DRY_RUN.text();
            self.event(serde_json::json!({"event": "step_finished", "step": step, "title": title, "outcome": Outcome::Skip, "detail": detail, "would": would}));
            return;
        }
        if self.hidden(step) {
            return;
        }
        let word = self.paint(Line::Step, Style::Warn, "[SKIP]");
        let what = t!(m::DRY_RUN_WOULD, what = would);
        self.line(Line::Step, &format!("...{word} {what}"));
    }

    fn waiting(&self, step: usize, pending: &str, elapsed: Duration, timeout: Duration) {
        if self.p.json() {
            self.event(serde_json::json!({"event": "waiting", "step": step, "pending": pending, "elapsed_s": elapsed.as_secs(), "timeout_s": timeout.as_secs()}));
            return;
        }
        let text = t!(
            m::WAITING,
            pending = pending,
            elapsed = elapsed.as_secs(),
            timeout = timeout.as_secs()
        );
        if self.bars {
            let b = self.bar(|| {
                let b = ProgressBar::new_spinner();
                b.set_draw_target(ProgressDrawTarget::stderr());
                b.enable_steady_tick(Duration::from_millis(200));
                b
            });
            b.set_message(text);
        } else {
            let mut last = self.last_wait.lock().unwrap();
            if *last != pending {
                *last = pending.to_string();
                self.line(Line::Progress, &format!("   {text}"));
            }
        }
    }

    fn message(&self, level: Level, text: &str) {
        if self.p.json() {
            self.event(serde_json::json!({"event": "message", "level": level, "text": text}));
            return;
        }
        if let Some(lines) = self.layout.as_ref().and_then(|l| l.message(text)) {
            for line in lines {
                match line {
                    SubLine::Title(t) => self.line(Line::Step, &t),
                    SubLine::Why(w) => self.line(Line::Step, &format!("   {w}")),
                    SubLine::End(outcome) => self.end_line(outcome, None),
                }
            }
            return;
        }
        match level {
            Level::Info => self.line(Line::Info, &format!("   {text}")),
            Level::Warn => {
                // Lines after the first (a list the warning gives) are indented as facts are.
                let word = self.paint(Line::Warn, Style::Warn, pgrex::msg::gen::WARNING.text());
                let text = text.replace('\n', "\n   ");
                self.line(Line::Warn, &format!("{word}: {text}"));
            }
        }
    }

    fn confirm(&self, question: &str) -> Answer {
        if self.yes {
            if !self.p.json() {
                self.line(Line::Prompt, &format!("{question} {}", t!(m::YES_BY_FLAG)));
            }
            return Answer::Yes;
        }
        if !self.interactive() {
            if self.p.json() {
                self.event(serde_json::json!({"event": "prompt_refused", "question": question}));
            }
            return Answer::Refused;
        }
        self.clear_bar();
        match dialoguer::Confirm::with_theme(&AnswerWords)
            .with_prompt(question)
            .default(false)
            .interact_on(&dialoguer::console::Term::stderr())
        {
            Ok(true) => Answer::Yes,
            _ => Answer::No,
        }
    }

    fn choose(&self, question: &str, choices: &[Choice]) -> Option<char> {
        if !self.interactive() {
            if self.p.json() {
                self.event(serde_json::json!({"event": "prompt_refused", "question": question}));
            }
            return None;
        }
        self.clear_bar();
        let mut keys: Vec<char> = choices.iter().map(|c| c.key).collect();
        keys.push('q');
        for c in choices {
            self.line(Line::Prompt, &format!("  {}) {}", c.key, c.text));
        }
        self.line(Line::Prompt, &format!("  q) {}", t!(m::QUIT)));
        let shown: Vec<String> = keys.iter().map(char::to_string).collect();
        let ks = keys.clone();
        let answer: Result<String, _> = dialoguer::Input::<String>::new()
            .with_prompt(format!("{question} ({})", shown.join("/")))
            .validate_with(move |s: &String| -> Result<(), String> {
                let c = s.trim().to_ascii_lowercase();
                if c.chars().count() == 1 && ks.contains(&c.chars().next().unwrap_or(' ')) {
                    Ok(())
                } else {
                    Err(t!(m::INVALID_CHOICE))
                }
            })
            .interact_text_on(&dialoguer::console::Term::stderr());
        match answer {
            Ok(s) => s.trim().to_ascii_lowercase().chars().next(),
            Err(_) => Some('q'),
        }
    }
}

/// dialoguer's plain prompts, with the answer echoed in the current language (`はい` /
/// `いいえ` under `--lang ja`) instead of dialoguer's fixed `yes` / `no`.
struct AnswerWords;

impl dialoguer::theme::Theme for AnswerWords {
    fn format_confirm_prompt_selection(
        &self,
        f: &mut dyn std::fmt::Write,
        prompt: &str,
        selection: Option<bool>,
    ) -> std::fmt::Result {
        use pgrex::msg::view::{NO, YES};
        let answer = selection.map(|b| if b { YES.text() } else { NO.text() });
        match answer {
            Some(a) if prompt.is_empty() => write!(f, "{a}"),
            Some(a) => write!(f, "{prompt} {a}"),
            None => write!(f, "{prompt}"),
        }
    }
}

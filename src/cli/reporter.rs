//! The binary's Reporter: numbered steps ending `[OK]` / `[NG]` / `[SKIP]` on stderr (the
//! Perl tools' habit), an indicatif bar or spinner on a terminal, one plain line per step
//! otherwise, NDJSON events on stdout with `--output-format json`. Questions go through
//! dialoguer only when stdin and stderr are terminals; `--yes` answers confirmations.

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

pub struct CliReporter {
    p: Printer,
    yes: bool,
    /// stdin and stderr are terminals: questions and bars are possible.
    tty: bool,
    bar: Mutex<Option<ProgressBar>>,
    /// Off a terminal, the last waiting line printed (print only changes).
    last_wait: Mutex<String>,
    last_pct: Mutex<u64>,
}

impl CliReporter {
    pub fn new(p: &Printer, yes: bool) -> Self {
        CliReporter {
            p: p.clone(),
            yes,
            tty: std::io::stdin().is_terminal() && std::io::stderr().is_terminal(),
            bar: Mutex::new(None),
            last_wait: Mutex::new(String::new()),
            last_pct: Mutex::new(u64::MAX),
        }
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
            self.p.err(&format!(
                "{}\n",
                self.p.paint(Stream::Err, Style::Ok, message)
            ));
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

    fn line(&self, s: &str) {
        match self.bar.lock().unwrap().as_ref() {
            Some(b) => b.println(s),
            None => self.p.err(&format!("{s}\n")),
        }
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
        self.p.err(&format!("{step}. {title}\n"));
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
        if self.tty {
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
                self.p.err(&format!("   {pct}% ({done}/{t} {unit})\n"));
            }
        }
    }

    fn detail(&self, step: usize, line: &str) {
        if self.p.json() {
            self.event(serde_json::json!({"event": "detail", "step": step, "line": line}));
            return;
        }
        self.line(&format!(
            "   {}",
            self.p.paint(Stream::Err, Style::Dim, line)
        ));
    }

    fn step_finished(&self, step: usize, title: &str, outcome: Outcome, detail: Option<&str>) {
        self.clear_bar();
        if self.p.json() {
            self.event(serde_json::json!({"event": "step_finished", "step": step, "title": title, "outcome": outcome, "detail": detail}));
            return;
        }
        let style = match outcome {
            Outcome::Ok => Style::Ok,
            Outcome::Ng => Style::Bad,
            Outcome::Skip => Style::Warn,
        };
        let word = self
            .p
            .paint(Stream::Err, style, &format!("[{}]", outcome.word()));
        let d = detail.map(|d| format!(" ({d})")).unwrap_or_default();
        self.p.err(&format!("...{word}{d}\n"));
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
        if self.tty {
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
                self.p.err(&format!("   {text}\n"));
            }
        }
    }

    fn message(&self, level: Level, text: &str) {
        if self.p.json() {
            self.event(serde_json::json!({"event": "message", "level": level, "text": text}));
            return;
        }
        let s = match level {
            Level::Info => format!("   {text}"),
            Level::Warn => format!(
                "{}: {text}",
                self.p
                    .paint(Stream::Err, Style::Warn, pgrex::msg::gen::WARNING.text())
            ),
        };
        self.line(&s);
    }

    fn confirm(&self, question: &str) -> Answer {
        if self.yes {
            if !self.p.json() {
                self.p.err(&format!("{question} {}\n", t!(m::YES_BY_FLAG)));
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
        match dialoguer::Confirm::new()
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
            self.p.err(&format!("  {}) {}\n", c.key, c.text));
        }
        self.p.err(&format!("  q) {}\n", t!(m::QUIT)));
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

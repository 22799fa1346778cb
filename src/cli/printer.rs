//! The one owner of output policy: what goes to stdout (the views, the numbered steps of
//! operations, JSON) and what to stderr (progress, warnings, prompts, errors), and whether
//! each stream gets colour. Colour adds, never carries, meaning: every styled word reads the
//! same without it.
//!
//! A closed stdout (`pgrex status | head -1`, a reader that went away) is not the command's
//! failure: from then on stdout output is dropped, and the command carries on to its own end
//! and exit code — a read-only view keeps its verdict's code, an operation is never cut off
//! between steps (its journal records how it ended).
//!
//! Text written here passes through [`escape_controls`]: a control character that came
//! from a name, an id or a value (an input file can hold ESC sequences that move the
//! cursor or erase lines) is shown as `\x1b`, never sent to the terminal. Only newlines,
//! tabs and our own colour sequences (SGR: `ESC [ digits ; … m`) pass.

use super::args::{ColorChoice, GlobalArgs, OutputFormat};
use super::width;
use colored::{Color, Colorize};
use std::io::{IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Out,
    Err,
}

/// Semantic styles (green ok, yellow warning, red error, cyan hints and paths).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    Ok,
    Warn,
    Bad,
    Hint,
    Bold,
    Dim,
}

#[derive(Debug, Clone)]
pub struct Printer {
    pub format: OutputFormat,
    out_color: bool,
    err_color: bool,
    pub out_tty: bool,
    pub err_tty: bool,
    /// The columns text wraps at on each stream (`None`: whole lines; never for JSON).
    out_cols: Option<usize>,
    err_cols: Option<usize>,
    /// stdout refused a write (its reader is gone): shared by every clone.
    out_closed: Arc<AtomicBool>,
    /// Invoked under a Perl tool's name: operation steps in that tool's layout.
    pub layout: Option<pgrex::perl::Tool>,
}

impl Printer {
    pub fn new(g: &GlobalArgs) -> Self {
        Printer::with(g.color, g.output_format)
    }

    /// Before any command line is parsed (a Perl tool's help): text, colour by the terminal.
    pub fn plain() -> Self {
        Printer::with(ColorChoice::Auto, OutputFormat::Text)
    }

    fn with(color: ColorChoice, output_format: OutputFormat) -> Self {
        let out_tty = std::io::stdout().is_terminal();
        let err_tty = std::io::stderr().is_terminal();
        let decide = |tty: bool| -> bool {
            match color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => {
                    if super::env::var("NO_COLOR").is_some() {
                        false
                    } else if super::env::var("CLICOLOR_FORCE").is_some_and(|v| v != "0") {
                        true
                    } else {
                        tty
                    }
                }
            }
        };
        // We decide per stream ourselves; colored must not second-guess it.
        colored::control::set_override(true);
        Printer {
            format: output_format,
            out_color: decide(out_tty) && output_format == OutputFormat::Text,
            err_color: decide(err_tty),
            out_tty,
            err_tty,
            out_cols: (output_format == OutputFormat::Text)
                .then(|| width::columns(out_tty, width::Fd::Out))
                .flatten(),
            err_cols: width::columns(err_tty, width::Fd::Err),
            out_closed: Arc::default(),
            layout: None,
        }
    }

    /// Whether `stream` gets colour (the tracing log on stderr follows the same choice).
    pub fn colors(&self, stream: Stream) -> bool {
        match stream {
            Stream::Out => self.out_color,
            Stream::Err => self.err_color,
        }
    }

    /// `text` wrapped at `stream`'s width (the terminal's, or `COLUMNS`), display width
    /// counted; unchanged when the stream has none (a pipe, a file, JSON).
    pub fn wrap(&self, stream: Stream, text: &str) -> String {
        let cols = match stream {
            Stream::Out => self.out_cols,
            Stream::Err => self.err_cols,
        };
        match cols {
            Some(c) => width::wrap(text, c),
            None => text.to_string(),
        }
    }

    pub fn json(&self) -> bool {
        self.format == OutputFormat::Json
    }

    pub fn paint(&self, stream: Stream, style: Style, text: &str) -> String {
        let on = match stream {
            Stream::Out => self.out_color,
            Stream::Err => self.err_color,
        };
        if !on {
            return text.to_string();
        }
        let s = match style {
            Style::Ok => text.color(Color::Green),
            Style::Warn => text.color(Color::Yellow),
            Style::Bad => text.color(Color::Red).bold(),
            Style::Hint => text.color(Color::Cyan),
            Style::Bold => text.bold(),
            Style::Dim => text.dimmed(),
        };
        s.to_string()
    }

    /// Write to stdout. Once a write fails (the reader closed the pipe) nothing more is
    /// written there, and the caller carries on: never an exit from here.
    pub fn out(&self, text: &str) {
        self.out_raw(&escape_controls(text));
    }

    fn out_raw(&self, text: &str) {
        if self.out_closed() {
            return;
        }
        let mut o = std::io::stdout().lock();
        if o.write_all(text.as_bytes())
            .and_then(|_| o.flush())
            .is_err()
        {
            self.out_closed.store(true, Ordering::SeqCst);
        }
    }

    /// Write one frame of a redrawn view (`status --watch`): on a terminal the screen is
    /// cleared first and the cursor homed, so no line of the last frame is left behind.
    pub fn out_frame(&self, text: &str, redraw: bool) {
        if redraw && self.out_tty {
            self.out_raw(&format!("\x1b[H\x1b[2J{}", escape_controls(text)));
        } else {
            self.out(text);
        }
    }

    /// stdout's reader is gone (a loop such as `status --watch` stops then).
    pub fn out_closed(&self) -> bool {
        self.out_closed.load(Ordering::SeqCst)
    }

    /// Write to stderr; a failure there has nowhere left to be told.
    pub fn err(&self, text: &str) {
        let mut e = std::io::stderr().lock();
        let _ = e.write_all(escape_controls(text).as_bytes());
        let _ = e.flush();
    }

    /// Write to `stream`.
    pub fn write(&self, stream: Stream, text: &str) {
        match stream {
            Stream::Out => self.out(text),
            Stream::Err => self.err(text),
        }
    }
}

impl Printer {
    /// The first line of a view: the verdict word, coloured by what it means, and the reason.
    pub fn verdict_line(&self, v: pgrex::status::Verdict, reason: &str) -> String {
        use pgrex::status::Verdict;
        let style = match v {
            Verdict::Healthy => Style::Ok,
            Verdict::Degraded => Style::Warn,
            Verdict::Fault | Verdict::Unknown => Style::Bad,
        };
        format!("{}  {reason}\n", self.paint(Stream::Out, style, v.as_str()))
    }
}

/// `text` with every control character shown as `\xNN` (`\u{9b}` for C1), except newline,
/// tab and the SGR colour sequences the printer itself makes.
pub fn escape_controls(text: &str) -> std::borrow::Cow<'_, str> {
    let needs = text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t');
    if !needs {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '\x1b' {
            if let Some(len) = sgr_len(rest) {
                out.push_str(&rest[..len]);
                rest = &rest[len..];
                continue;
            }
        }
        if c.is_control() && c != '\n' && c != '\t' {
            let n = c as u32;
            if n < 0x80 {
                out.push_str(&format!("\\x{n:02x}"));
            } else {
                out.push_str(&format!("\\u{{{n:x}}}"));
            }
        } else {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    std::borrow::Cow::Owned(out)
}

/// The length of an SGR sequence (`ESC [ 1 ; 31 m`) at the start of `s`, if one is there.
fn sgr_len(s: &str) -> Option<usize> {
    let body = s.strip_prefix("\x1b[")?;
    let params = body
        .bytes()
        .take_while(|b| b.is_ascii_digit() || *b == b';')
        .count();
    (body.as_bytes().get(params) == Some(&b'm')).then_some(2 + params + 1)
}

#[cfg(test)]
mod tests {
    use super::escape_controls;

    /// A name from an input file cannot move the cursor, erase a line or ring the bell;
    /// our colours, newlines and tabs pass.
    #[test]
    fn controls_from_values_are_shown_not_sent() {
        assert_eq!(escape_controls("pm01\tok\n"), "pm01\tok\n");
        assert_eq!(
            escape_controls("\x1b[1;31mFAULT\x1b[0m  x"),
            "\x1b[1;31mFAULT\x1b[0m  x"
        );
        assert_eq!(
            escape_controls("node \x1b[2K\x1b[1AHEALTHY\x07\r"),
            "node \\x1b[2K\\x1b[1AHEALTHY\\x07\\x0d"
        );
        assert_eq!(escape_controls("a\u{9b}2J"), "a\\u{9b}2J");
        assert_eq!(escape_controls("\x1b]0;title\x07"), "\\x1b]0;title\\x07");
    }
}

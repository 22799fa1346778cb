//! The one owner of output policy: what goes to stdout (data: the status view, JSON) and
//! what to stderr (progress, warnings, errors), and whether each stream gets colour.
//! Colour adds, never carries, meaning: every styled word reads the same without it.

use super::args::{ColorChoice, GlobalArgs, OutputFormat};
use colored::{Color, Colorize};
use std::io::{IsTerminal, Write};

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
}

impl Printer {
    pub fn new(g: &GlobalArgs) -> Self {
        let out_tty = std::io::stdout().is_terminal();
        let err_tty = std::io::stderr().is_terminal();
        let decide = |tty: bool| -> bool {
            match g.color {
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
            format: g.output_format,
            out_color: decide(out_tty) && g.output_format == OutputFormat::Text,
            err_color: decide(err_tty),
            out_tty,
        }
    }

    /// Whether `stream` gets colour (the tracing log on stderr follows the same choice).
    pub fn colors(&self, stream: Stream) -> bool {
        match stream {
            Stream::Out => self.out_color,
            Stream::Err => self.err_color,
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

    /// Write to stdout; a closed pipe (`pgrex status | head`) ends quietly.
    pub fn out(&self, text: &str) {
        let mut o = std::io::stdout().lock();
        if o.write_all(text.as_bytes())
            .and_then(|_| o.flush())
            .is_err()
        {
            std::process::exit(0);
        }
    }

    pub fn err(&self, text: &str) {
        let mut e = std::io::stderr().lock();
        let _ = e.write_all(text.as_bytes());
        let _ = e.flush();
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

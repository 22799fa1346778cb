//! pgrex-lab's stdout and stderr, the only way this binary prints. A closed stream (`pgrex-lab
//! probe stop | head -2`, a log reader gone) ends the printing, never the action: `up`,
//! `down`, `inject` and `heal` carry on to their end and exit with the code their result
//! gives, the way a lab half-built or half-healed never is. `println!` would panic instead
//! ("failed printing to stdout: Broken pipe"), so main.rs forbids it.

use std::fmt;
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

static STDOUT_CLOSED: AtomicBool = AtomicBool::new(false);
static STDERR_CLOSED: AtomicBool = AtomicBool::new(false);

/// Write to stdout (use [`out!`] / [`outln!`]).
pub fn stdout(args: fmt::Arguments<'_>) {
    put(&mut io::stdout().lock(), &STDOUT_CLOSED, args);
}

/// Write to stderr (use [`errln!`]).
pub fn stderr(args: fmt::Arguments<'_>) {
    put(&mut io::stderr().lock(), &STDERR_CLOSED, args);
}

/// Write `args` to `w` unless it failed before: the first failed write (EPIPE or any other)
/// closes the stream for the rest of the run, so later lines are not half-written either.
fn put(w: &mut dyn Write, closed: &AtomicBool, args: fmt::Arguments<'_>) {
    if closed.load(Ordering::Relaxed) {
        return;
    }
    if w.write_fmt(args).and_then(|()| w.flush()).is_err() {
        closed.store(true, Ordering::Relaxed);
    }
}

/// `print!` that survives a closed stdout.
macro_rules! out {
    ($($t:tt)*) => { $crate::out::stdout(format_args!($($t)*)) };
}

/// `println!` that survives a closed stdout.
macro_rules! outln {
    ($($t:tt)*) => { $crate::out::stdout(format_args!("{}\n", format_args!($($t)*))) };
}

/// `eprintln!` that survives a closed stderr.
macro_rules! errln {
    ($($t:tt)*) => { $crate::out::stderr(format_args!("{}\n", format_args!($($t)*))) };
}

pub(crate) use {errln, out, outln};

#[cfg(test)]
mod tests {
    use super::*;

    /// A reader that went away after `room` bytes.
    struct Closed {
        got: Vec<u8>,
        room: usize,
        writes: usize,
    }

    impl Write for Closed {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            self.writes += 1;
            if self.got.len() + b.len() > self.room {
                return Err(io::ErrorKind::BrokenPipe.into());
            }
            self.got.extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_closed_stream_stops_the_printing_and_nothing_else() {
        let closed = AtomicBool::new(false);
        let mut w = Closed {
            got: Vec::new(),
            room: 12,
            writes: 0,
        };
        put(&mut w, &closed, format_args!("line {}\n", 1));
        assert!(!closed.load(Ordering::Relaxed));
        put(&mut w, &closed, format_args!("line {}\n", 2));
        assert!(closed.load(Ordering::Relaxed), "EPIPE closes the stream");
        let tried = w.writes;
        put(&mut w, &closed, format_args!("line {}\n", 3));
        assert_eq!(w.writes, tried, "nothing is written after the close");
        assert_eq!(String::from_utf8(w.got).unwrap(), "line 1\n");
    }
}

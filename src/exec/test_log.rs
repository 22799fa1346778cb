//! Test helper: capture the tracing events of the whole test binary, so tests can check
//! that a run was logged and that no secret was.

use std::sync::{Arc, Mutex};

/// What the tracing events wrote so far, as the binary's `-v` formats them. One global
/// subscriber for the whole test binary: a thread-local one (`with_default`) misses
/// events whose callsite interest another test thread cached as "nobody listens".
pub(crate) fn log_lines(marker: &str) -> Vec<String> {
    static BUF: std::sync::OnceLock<Arc<Mutex<Vec<u8>>>> = std::sync::OnceLock::new();
    #[derive(Clone)]
    struct Buf(Arc<Mutex<Vec<u8>>>);
    impl std::io::Write for Buf {
        fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(b);
            Ok(b.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let buf = BUF.get_or_init(|| {
        let buf = Arc::new(Mutex::new(Vec::new()));
        let w = Buf(buf.clone());
        let _ = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::DEBUG)
            .with_writer(move || w.clone())
            .with_ansi(false)
            .try_init();
        buf
    });
    let text = String::from_utf8_lossy(&buf.lock().unwrap()).into_owned();
    text.lines()
        .filter(|l| l.contains(marker))
        .map(str::to_string)
        .collect()
}

//! /etc/pg-rex_tools.conf text must never panic the parser.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let local = ["198.51.100.11".parse().unwrap(), "203.0.113.11".parse().unwrap()];
    let _ = pgrex::config::parse(&String::from_utf8_lossy(data), std::path::Path::new("fuzz.conf"), &local);
});

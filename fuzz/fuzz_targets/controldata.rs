//! pg_controldata output must never panic the parser.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = pgrex::postgres::controldata::ControlData::parse(&String::from_utf8_lossy(data), "fuzz");
});

//! Fuzz the Pacemaker XML layer: input detection, the crm_mon parser (2.x and 1.1) and the
//! CIB parser must return a value or an input error for any text, never panic or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pgrex::pacemaker::{parse, source};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = source::detect(text, "fuzz");
    let _ = parse::crm_mon(text, "fuzz");
    let _ = parse::result_status(text, "fuzz");
    let _ = parse::cib(text, "fuzz");
});

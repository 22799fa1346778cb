//! Whatever the crm_mon parser accepts must go through the one judgement (status checks and
//! diagnosis rules) without panicking.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(state) = pgrex::pacemaker::parse::crm_mon(text, "fuzz") {
        let names = pgrex::profile::Names::resolve(&Default::default(), Default::default(), "default", state.resource_ids());
        let snapshot = pgrex::snapshot::Snapshot::from_state(state, None, "fuzz");
        let _ = pgrex::judge::status(&snapshot, &names);
        let _ = pgrex::judge::judge(&snapshot, &names);
    }
});

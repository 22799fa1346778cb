//! Odd input never panics.

use super::*;

/// Random lines from config-like pieces (a cheap stand-in for a fuzzer): parsing never
/// panics, and every failure is a config error with a message and a hint.
#[test]
fn arbitrary_input_never_panics() {
    const PIECES: &[&str] = &[
        "D_LAN_IPAddress",
        "IC_LAN_IPAddress",
        "Archive_dir",
        "HACLUSTER_NAME",
        "STONITH",
        "PG_REX_Primary_ResourceID",
        "PG_REX_Primitive_ResourceID",
        "START_TIMEOUT",
        "PEER_NODE_SSH_PASS_MODE",
        "STONITH_ResourceID",
        "NAMING_PROFILE",
        "=",
        "==",
        " ",
        "\u{3000}",
        "#",
        ",",
        "(",
        ")",
        "198.51.100.11",
        "198.51.100.12",
        "203.0.113.11",
        "::1",
        "/x",
        "é",
        "passfile",
        "enable",
        "\t",
        "\r",
        "-",
        "9999999999999999999999",
        "5min",
    ];
    let mut seed: u64 = 0x5eed;
    let mut next = |n: usize| {
        seed = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (seed >> 33) as usize % n
    };
    for _ in 0..3000 {
        let mut text = String::from(GOOD);
        for _ in 0..next(6) {
            for _ in 0..next(8) {
                text.push_str(PIECES[next(PIECES.len())]);
            }
            text.push('\n');
        }
        match parse(&text, path(), &pm01()) {
            Ok(_) => {}
            Err(Error::Config { message, hint, .. }) => {
                assert!(
                    !message.is_empty() && hint.is_some_and(|h| !h.is_empty()),
                    "{text:?}"
                );
            }
            Err(e) => panic!("{e:?} for {text:?}"),
        }
    }
}

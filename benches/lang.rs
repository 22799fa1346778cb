//! Benchmark: what Japanese costs. (1) `Msg::text()` per lookup in English (a field) and in
//! Japanese (the id looked up in the table built once on first use), over every message id,
//! and the first Japanese lookup (which builds the table); (2) the whole `pgrex status --input`
//! on a saved healthy crm_mon XML, English against Japanese, in alternating pairs, and the
//! same with wrapping at 80 columns.
//!
//! Run with `cargo bench --bench lang`; the figures go into `docs/benchmarks.md` by hand.

use pgrex::msg::{self, Lang};
use std::process::Command;
use std::time::{Duration, Instant};

const PAIRS: usize = 21;

fn lookups() {
    let all = msg::all();
    let t = Instant::now();
    let first = all[0].text_in(Lang::Ja).len();
    let build = t.elapsed();
    for (lang, name) in [(Lang::En, "en"), (Lang::Ja, "ja")] {
        let rounds = 200;
        let t = Instant::now();
        let mut n = first;
        for _ in 0..rounds {
            for m in &all {
                n += m.text_in(lang).len();
            }
        }
        let per = t.elapsed().as_secs_f64() * 1e9 / (rounds * all.len()) as f64;
        println!(
            "Msg::text() {name}: {per:.0} ns per lookup over {} ids ({n} bytes)",
            all.len()
        );
    }
    println!(
        "first Japanese lookup (builds the table): {:.1} µs",
        build.as_secs_f64() * 1e6
    );
}

fn run(args: &[&str], envs: &[(&str, &str)]) -> Duration {
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/status/pgrex17/healthy.xml"
    );
    let mut c = Command::new(env!("CARGO_BIN_EXE_pgrex"));
    c.args(args)
        .args(["status", "--input", fixture])
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("COLUMNS")
        .env("PGREX_PG_SOCKET_DIR", "/nonexistent");
    for (k, v) in envs {
        c.env(k, v);
    }
    let t = Instant::now();
    let out = c.output().unwrap();
    let d = t.elapsed();
    assert!(out.status.success());
    d
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    lookups();
    let (mut en, mut ja, mut wrapped) = (vec![], vec![], vec![]);
    for _ in 0..PAIRS {
        en.push(run(&["--lang", "en"], &[]));
        ja.push(run(&["--lang", "ja"], &[]));
        wrapped.push(run(&["--lang", "ja"], &[("COLUMNS", "80")]));
    }
    let (en, ja, wrapped) = (median(en), median(ja), median(wrapped));
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!(
        "pgrex status --input healthy.xml, medians of {PAIRS}: en {:.2} ms, ja {:.2} ms ({:.2}×), ja wrapped at 80 columns {:.2} ms",
        ms(en),
        ms(ja),
        ms(ja) / ms(en),
        ms(wrapped)
    );
}

use super::*;
use std::collections::BTreeSet;

fn placeholders(s: &str) -> BTreeSet<String> {
    let re = regex::Regex::new(r"\{([a-z_]+)\}").unwrap();
    re.captures_iter(s).map(|c| c[1].to_string()).collect()
}

const CX: Context = Context {
    tool: Tool::Stop,
    prog: "pg-rex_stop",
    user: "postgres",
};

/// A pgrex message's text with every placeholder filled by a sample value.
fn sample(m: Msg, lang: Lang) -> String {
    let mut s = m.text_in(lang).to_string();
    for p in placeholders(m.text_in(lang)) {
        s = s.replace(&format!("{{{p}}}"), &format!("<{p}>"));
    }
    s
}

#[test]
fn every_mapped_id_is_in_the_catalogue_with_both_languages() {
    let all: BTreeSet<&str> = pgrex::msg::all().iter().map(|m| m.id).collect();
    for Wording { from, to, .. } in WORDING {
        for m in [from, to] {
            assert!(all.contains(m.id), "{} is not in the catalogue", m.id);
            assert_ne!(m.text_in(Lang::Ja), m.en, "{} has no Japanese text", m.id);
        }
        assert!(
            to.id.starts_with("PERL_"),
            "{} is not a Perl wording",
            to.id
        );
    }
}

#[test]
fn a_perl_text_asks_only_for_values_it_can_get() {
    for lang in [Lang::En, Lang::Ja] {
        for Wording { from, to, .. } in WORDING {
            let mut have = placeholders(from.text_in(lang));
            have.extend(EXTRAS.iter().map(|e| e.to_string()));
            let want = placeholders(to.text_in(lang));
            let missing: Vec<_> = want.difference(&have).collect();
            assert!(
                missing.is_empty(),
                "{} ({lang:?}) needs {missing:?}, which {} does not give",
                to.id,
                from.id
            );
        }
    }
}

#[test]
fn each_pgrex_message_finds_its_own_perl_text() {
    // The first template that matches wins: no earlier entry may swallow a later one's text.
    for lang in [Lang::En, Lang::Ja] {
        for Wording { from, to, only } in WORDING {
            let text = sample(*from, lang);
            let cx = Context {
                tool: only.unwrap_or(Tool::Stop),
                ..CX
            };
            let got = perl_text_in(lang, &text, None, &cx).expect(from.id);
            let expected = perl_text_in_direct(*to, lang, &text, *from);
            assert_eq!(got, expected, "{} ({lang:?})", from.id);
        }
    }
}

fn perl_text_in_direct(to: Msg, lang: Lang, text: &str, from: Msg) -> String {
    let mut values = matches(from.text_in(lang), text).unwrap();
    values.push(("prog".into(), CX.prog.into()));
    values.push(("user".into(), CX.user.into()));
    values.push(("file".into(), pgrex::config::DEFAULT_PATH.into()));
    let mut s = to.text_in(lang).to_string();
    for (k, v) in values {
        s = s.replace(&format!("{{{k}}}"), &v);
    }
    s
}

#[test]
fn a_config_error_reads_as_the_perl_tool_wrote_it() {
    let key = pgrex::t!(c::MISSING_KEY, key = "D_LAN_IPAddress");
    assert_eq!(
        perl_text_in(Lang::En, &key, None, &CX).as_deref(),
        Some("Should specify D_LAN_IPAddress in pg-rex_tools.conf.")
    );
    let unreadable = c::UNREADABLE.text_in(Lang::Ja);
    assert_eq!(
        perl_text_in(Lang::Ja, unreadable, Some("/etc/x.conf"), &CX).as_deref(),
        Some("環境設定ファイル \"/etc/x.conf\" の読み込みに失敗しました")
    );
}

#[test]
fn the_lock_and_root_errors_name_the_tool_and_the_user() {
    let held = o::LOCK_HELD
        .text_in(Lang::En)
        .replace("{pid}", "4242")
        .replace("{path}", "/var/run/pg-rex_tools.pid");
    assert_eq!(
        perl_text_in(Lang::En, &held, None, &CX).as_deref(),
        Some("pg-rex_stop has already started on this node.")
    );
    assert_eq!(
        perl_text_in(Lang::Ja, r::NOT_ROOT.text_in(Lang::Ja), None, &CX).as_deref(),
        Some("postgres ユーザで実行されているためスクリプトを終了します\nroot ユーザで再度実行してください")
    );
}

#[test]
fn a_message_without_a_perl_counterpart_keeps_pgrex_wording() {
    assert_eq!(
        perl_text_in(Lang::En, "something else failed", None, &CX),
        None
    );
    // The lock's evidence line is a warning, not the error: only the error is reworded.
    let evidence = p::LOCK_EVIDENCE
        .text_in(Lang::En)
        .replace("{path}", "/var/lib/pgsql/tmp/PGSQL.lock")
        .replace("{mtime}", "2026-12-01T13:00:00Z");
    assert_eq!(perl_text_in(Lang::En, &evidence, None, &CX), None);
    let lock = p::LOCK_PRESENT
        .text_in(Lang::En)
        .replace("{path}", "/var/lib/pgsql/tmp/PGSQL.lock");
    assert_eq!(
        perl_text_in(Lang::En, &lock, None, &CX).as_deref(),
        Some("There is PGSQL lock file (\"/var/lib/pgsql/tmp/PGSQL.lock\").")
    );
}

#[test]
fn the_same_japanese_text_reads_as_each_tool_wrote_it() {
    let text = p::STACK_RUNNING.text_in(Lang::Ja).replace("{node}", "pm01");
    let as_tool = |tool| {
        let cx = Context { tool, ..CX };
        perl_text_in(Lang::Ja, &text, None, &cx)
    };
    assert!(as_tool(Tool::PrimaryStart)
        .unwrap()
        .ends_with("Primary 起動処理を中止します"));
    assert!(as_tool(Tool::StandbyStart)
        .unwrap()
        .ends_with("Standby の起動処理を中止します"));
}

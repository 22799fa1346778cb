//! Japanese on the real cluster: under `LANG=ja_JP.UTF-8` (no flag), `pgrex status`,
//! `diagnose`, an operation (`stop --dry-run` on the standby: its numbered steps, nothing
//! changed), an error and `pgrex log` speak Japanese, text wraps at `COLUMNS` by display
//! width, and `--lang en` wins over the locale. Called from the smoke set on its healthy
//! start (seconds), and on its own in the full set (`japanese_pgrex17`).

use super::support::Lab;
use unicode_width::UnicodeWidthStr;

fn ja(lab: &Lab, node: &str, args: &str) -> (i32, String) {
    lab.sh(node, &format!("LANG=ja_JP.UTF-8 pgrex {args}"))
}

/// On a healthy cluster with `primary` and `standby`.
pub fn healthy(lab: &Lab, primary: &str, standby: &str) {
    let (code, out) = ja(lab, primary, "status --color never");
    assert_eq!(code, 0, "{out}");
    assert!(
        out.starts_with(&format!(
            "HEALTHY  PG-REX の正常状態: {primary} が Primary、{standby} が同期 Standby\n"
        )),
        "{out}"
    );
    for want in [
        "ノードとレプリケーション",
        "タイムライン",
        "レプリケーション遅延",
        "リソース",
    ] {
        assert!(out.contains(want), "status lacks {want}:\n{out}");
    }

    let (code, out) = ja(lab, primary, "diagnose --color never");
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("故障も警告も見つかりません"), "{out}");

    // Wrapped at 80 columns, counted in display width.
    let (_, out) = lab.sh(
        primary,
        "LANG=ja_JP.UTF-8 COLUMNS=80 pgrex status --color never",
    );
    for l in out.lines() {
        assert!(
            UnicodeWidthStr::width(l) <= 80,
            "{} columns: {l}",
            l.width()
        );
    }

    // An operation's steps, on stdout, in Japanese; the dry run changes nothing.
    let (code, out) = ja(lab, standby, "stop --dry-run --color never");
    assert_eq!(code, 0, "{out}");
    assert!(
        out.starts_with("1. Pacemaker および Corosync が稼働していることを確認\n...[OK]\n"),
        "{out}"
    );
    assert!(out.contains("(dry run) 実行予定: "), "{out}");
    assert!(out.contains("Pacemaker 停止"), "{out}");
    let (code, out) = ja(lab, primary, "status --color never");
    assert_eq!(code, 0, "the dry run changed nothing: {out}");

    // An error: exit 2, the Japanese text and hint.
    let (code, out) = ja(lab, primary, "cleanup nosuchrsc --node pm01");
    assert_eq!(code, 2, "{out}");
    assert!(
        out.contains("エラー: ") && out.contains("クラスタにリソース nosuchrsc はありません"),
        "{out}"
    );

    // The flag wins over the locale.
    let (_, out) = ja(lab, primary, "--lang en status --color never");
    assert!(out.starts_with("HEALTHY  PG-REX normal state"), "{out}");

    // pm_logconv's Japanese meanings: the lab's own start-up is in the last hour.
    let (code, out) = ja(lab, primary, "log");
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("が正常に終了しました。"), "{out}");
    assert!(
        !out.contains(") ok\n"),
        "English messages under LANG=ja: {out}"
    );
}

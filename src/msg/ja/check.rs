//! Japanese texts of the `check` area (English and ids: `catalog/check.rs`).

pub const TEXTS: &[(&str, &str)] = &[
    ("CHECK_0001", "{ms} ms 以内に応答がありません"),
    ("CHECK_0003", "このノードに PostgreSQL のソケットがありません (探した場所: {paths})"),
    ("CHECK_0004", "このノードの PostgreSQL: {why}"),
    ("CHECK_0005", "PGREX_PG_PORT はポート番号 (1-65535) で指定してください (指定値: `{value}`)"),
    ("CHECK_0006", "タイムライン"),
    ("CHECK_0007", "レプリケーション遅延"),
    ("CHECK_0008", "クラスタ {name}  DC {dc}  クォーラム {quorum}  プロファイル {profile}"),
    ("CHECK_0009", "PG-REX の正常状態との差異が {count} 件あります: `pgrex status` で一覧を表示します"),
    ("CHECK_0010", "--output-format prometheus は `pgrex status` でのみ使用できます"),
    ("CHECK_0011", "--watch は --output-format prometheus と併用できません: スクレイプごとに `pgrex status --output-format prometheus` を 1 回実行してください (例: cron から textfile collector のディレクトリへ出力)"),
];

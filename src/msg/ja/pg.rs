//! Japanese texts of the `pg` area (English and ids: `catalog/pg.rs`).

pub const TEXTS: &[(&str, &str)] = &[
    ("PG_0001", "{origin}: 項目 `{field}` がありません"),
    ("PG_0002", "{origin}: 項目 `{field}` の値 `{value}` が想定外です"),
    ("PG_0003", "{origin} の {line} 行目: {message}"),
    ("PG_0004", "{target} の PostgreSQL に接続できません"),
    ("PG_0005", "{target} の PostgreSQL での問い合わせに失敗しました"),
    ("PG_0006", "pg_controldata を LANG=C で実行し (翻訳された項目名は解釈できません)、対応する PostgreSQL のバージョン (12 から 17) のものであることを確認してください"),
    ("PG_0007", "PostgreSQL が稼働していること、pg_hba.conf がこの接続を許可していることを確認してください"),
    ("PG_0008", "タイムライン履歴ファイルの名前ではありません (TTTTTTTT.history[.gz|.bz2])"),
    ("PG_0009", "`{tli}` はタイムラインID ではありません"),
    ("PG_0010", "タイムライン {tli} はタイムライン {previous} の後に続いていません"),
    ("PG_0011", "`{text}` は WAL の位置ではありません (X/Y の形式、それぞれ 8 桁以下の 16 進数)"),
    ("PG_0012", "`START WAL LOCATION: X/Y (file <16 進数 24 桁>)` の形式が必要ですが、`{found}` でした"),
    ("PG_0013", "行が返されませんでした"),
];

//! Japanese texts of the `gen` area (English and ids: `catalog/gen.rs`).

pub const TEXTS: &[(&str, &str)] = &[
    ("GEN_0001", "エラー"),
    ("GEN_0002", "ヒント"),
    ("GEN_0003", "原因"),
    ("GEN_0004", "警告"),
    ("GEN_0005", "ファイルを読み込めません"),
    ("GEN_0006", "命名プロファイル `{name}` は未知です (seed、pgrex17 または auto を指定してください)"),
    ("GEN_0007", "終了コード {code}"),
    ("GEN_0008", "シグナル {signal} で終了しました"),
    ("GEN_0009", "プログラムをインストールするか、そのパスを設定してください (`pgrex help environment` を参照)"),
    ("GEN_0010", "pgrex の待機中に `{cmd}` が中断されました (SIGINT/SIGTERM)"),
    ("GEN_0011", "{kind} であり通常のファイルではありません: 拒否します (読み込みがブロックするか終わらない可能性があります)"),
    ("GEN_0012", "{name} の上限 {limit} を超えています"),
];

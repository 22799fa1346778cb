//! Japanese texts of the `report` area (English and ids: `catalog/report.rs`).

pub const TEXTS: &[(&str, &str)] = &[
    ("REPORT_0001", "{pending} を待っています ({elapsed} 秒 / {timeout} 秒)"),
    ("REPORT_0002", "はい (--yes)"),
    ("REPORT_0003", "中止する (何も変更しません)"),
    ("REPORT_0004", "表示された文字のいずれかを入力してください"),
    ("REPORT_0005", "このコマンドはクラスタを変更するため root ユーザで実行する必要があります"),
    ("REPORT_0006", "root ユーザで再度実行してください (例: `sudo pgrex {command}`)"),
    ("REPORT_0007", "環境設定ファイルがありません: {path} が存在しません"),
    ("REPORT_0008", "/etc/pg-rex_tools.conf を作成するか (docs/config.md を参照)、--config / PGREX_CONFIG でその場所を指定してください"),
    ("REPORT_0009", "PEER_NODE_SSH_PASS_MODE が manual ですが、パスワードを入力する端末がありません"),
    ("REPORT_0010", "{user}@{addr}'s password"),
    ("REPORT_0011", "--check-only が指定されているため、可能な方法をすべて表示します (-n、-r、-b は無視します)"),
    ("REPORT_0012", "(dry run) 実行予定: {what}"),
];

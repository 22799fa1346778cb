//! pm_logconv's Japanese meaning of each converted line (the "意味" column of
//! `doc/conv-msg.md`): the text line of `pgrex log` under `--lang ja` / `LANG=ja*`, and
//! `meaning_ja` beside the English `message` in JSON. Keyed by event kind, not message id:
//! pm_logconv's message texts (the `LOG_01xx` ids) are its English identity, the same in
//! every locale, while a meaning may name other fields (`{op}` where the English says
//! `{done}`). Placeholders as in the event's fields.

use super::event::Kind;

/// The Japanese meaning of an event kind (`op` / `done` already in the English form).
pub fn meaning(kind: Kind) -> &'static str {
    use Kind::*;
    match kind {
        CorosyncStart => "Corosync {version} を起動します。",
        PacemakerStart => "Pacemaker {version} を起動します。",
        CorosyncStopping => "Corosyncが停止処理を開始します。",
        CorosyncStopped => "Corosyncの停止処理が完了しました。",
        PacemakerStopping => "Pacemakerが停止処理を開始します。",
        PacemakerStopped => "Pacemakerの停止処理が完了しました。",
        NodeShuttingDown => "ノード{node}上の、Pacemakerが停止処理を行ってます。",
        ProcessStart => "{process}プロセスが起動しました。(PID={pid})",
        ProcessExit => "{process}プロセス(PID={pid})が終了コード{rc}で終了しました。",
        ProcessSignal => "{process}プロセス(PID={pid})がシグナル{signal}番によって停止しました。",
        ProcessStop => "{process}プロセス(PID={pid})が正常に終了しました。",
        RespawnExceeded => "{process}プロセスが再起動回数を超過しました。",
        NodeLost => "ノード{node}がクラスタメンバシップから離脱しました。",
        NodeMember => "ノード{node}がクラスタメンバシップに参加しました。",
        DcSet => "ノード{node}がDCノードに選出されました。",
        DcUnset => "ノード{node}がDCノードではなくなりました。",
        ResourceTry => "{resource}を{op}します。",
        ResourceOk => "{resource}の{op}が正常に終了しました。",
        ResourceFailed => "{resource}の{op}でエラーが発生しました。",
        ResourceTimeout => "{resource}の{op}でタイムアウトが発生しました。",
        ResourceNotRunning => "{resource}の監視(monitor)でリソースが停止していることを検知しました。",
        LinkFaulty => "インターコネクトLAN(リンク {link}、ノード{node})の故障/停止を検知しました。",
        LinkRecovered => "インターコネクトLAN(リンク {link}、ノード{node})の回復を検知しました。",
        NetworkUnreachable => "ネットワーク監視が故障を検知しました。(監視先IPアドレス {target} に対して通信できませんでした)",
        DiskError => "ディスク監視が故障を検知しました。(監視対象：{target})",
        AttributeUpdated => "ノード{node}の属性{attribute}の値を {value} に更新しました。",
        AttributeDeleted => "ノード{node}の属性{attribute}を削除しました。",
        StonithTry => "ノード{target}に対するSTONITH({action})処理を開始します。",
        StonithOk => "ノード{by}からノード{target}に対するSTONITH({action})処理が成功しました。",
        StonithFailed => "ノード{by}からノード{target}に対するSTONITH({action})処理が失敗しました。",
        StonithGaveUp => "ノード{target}に対するSTONITH処理が複数回失敗しました。",
        StonithDeviceTry => "ノード{target}に対する{action}のため、ノード{by}上のSTONITHデバイス{device}を実行します。",
        StonithDeviceOk => "ノード{target}に対するSTONITHデバイス{device}の実行が成功しました。",
        StonithDeviceFailed => "ノード{target}に対するSTONITHデバイス{device}の実行が失敗しました。",
        FailoverStart => "フェイルオーバを開始しました。",
        FailoverMove => "{resource}はノード{from}からノード{to}に移動します。",
        FailoverStartedOn => "{resource}はノード{node}で稼働中です。",
        FailoverStopped => "{resource}は停止しています。",
        FailoverOk => "フェイルオーバが成功しました。",
        FailoverFailed => "フェイルオーバが失敗しました。",
    }
}

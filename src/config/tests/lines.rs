//! The line rules of spec §1.1 through the whole parser.

use super::*;
use pretty_assertions::assert_eq;

#[test]
fn full_width_spaces_and_trailing_u3000() {
    let text = GOOD
        .replace(
            "Archive_dir = /var/lib/pgsql/archive",
            "\u{3000}Archive_dir\u{3000}=\u{3000}/var/lib/pgsql/archive\u{3000}",
        )
        .replace(
            "198.51.100.11 , 198.51.100.12",
            "198.51.100.11\u{3000},\u{3000}198.51.100.12\u{3000}",
        );
    let c = ok(&text);
    // Perl would have kept a trailing space: "/var/lib/pgsql/archive ".
    assert_eq!(c.archive_dir, PathBuf::from("/var/lib/pgsql/archive"));
    assert_eq!(c.d_lan.peer, ip("198.51.100.12"));
}

#[test]
fn split_at_the_first_equals_sign() {
    // Perl's greedy key would read key `HACLUSTER_NAME=pg`, value `rex`.
    let (line, key, msg, _) =
        err(&GOOD.replace("HACLUSTER_NAME = pgrex_cluster", "HACLUSTER_NAME=pg=rex"));
    assert_eq!((line, key.as_deref()), (6, Some("HACLUSTER_NAME")));
    assert!(
        msg.starts_with("HACLUSTER_NAME `pg=rex` is invalid"),
        "{msg}"
    );
}

#[test]
fn comments_and_blank_lines() {
    let text = format!(
        "# header\n\n   # indented comment\n{}",
        GOOD.replace("pgsql-clone", "pgsql-clone # the clone")
    );
    assert_eq!(
        ok(&text).explicit_ids.promotable.as_deref(),
        Some("pgsql-clone")
    );
}

#[test]
fn later_occurrence_overrides_with_a_warning() {
    let c = ok(&format!("{GOOD}HACLUSTER_NAME = second\n"));
    assert_eq!(c.hacluster_name, "second");
    assert_eq!(c.warnings.len(), 1);
    assert_eq!(c.warnings[0].line, 7);
    assert_eq!(
        c.warnings[0].message,
        "HACLUSTER_NAME is set again; this line overrides line 6"
    );
}

#[test]
fn empty_value_is_absent_and_does_not_clear() {
    // An empty later line leaves the earlier value in place (Perl's regex needs `.+`).
    let c = ok(&format!("{GOOD}HACLUSTER_NAME =\nPGPATH =   # unset\n"));
    assert_eq!(c.hacluster_name, "pgrex_cluster");
    assert_eq!(c.pgpath, None);
    // An empty required key is missing, and the hint points at its line.
    let (line, key, msg, hint) = err(&GOOD.replace(
        "Archive_dir = /var/lib/pgsql/archive",
        "Archive_dir =    # TODO",
    ));
    assert_eq!((line, key.as_deref()), (0, Some("Archive_dir")));
    assert_eq!(msg, "required key Archive_dir is not set");
    assert_eq!(
        hint,
        "line 3 leaves Archive_dir empty, and an empty value counts as unset: write `Archive_dir = /var/lib/pgsql/archive`"
    );
}

#[test]
fn case_sensitive_keys() {
    let text = GOOD.replace("Archive_dir", "ARCHIVE_DIR");
    let (_, key, msg, hint) = err(&text);
    assert_eq!(key.as_deref(), Some("Archive_dir"));
    assert_eq!(msg, "required key Archive_dir is not set");
    assert_eq!(
        hint,
        "line 3 sets `ARCHIVE_DIR`, which is not a known key (keys are case-sensitive): write `Archive_dir = /var/lib/pgsql/archive`"
    );
}

#[test]
fn unknown_keys_warn_with_the_closest_key() {
    let c = ok(&format!(
        "{GOOD}STORAGE_MON_ResouceID = storage-mon-clone\nLISTEN = *\nSTART_TIMOUT =\n"
    ));
    let got: Vec<_> = c
        .warnings
        .iter()
        .map(|w| (w.line, w.key.as_deref(), w.suggestion, w.message.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![
            (
                7,
                Some("STORAGE_MON_ResouceID"),
                Some("STORAGE_MON_ResourceID"),
                "unknown key STORAGE_MON_ResouceID is ignored; did you mean STORAGE_MON_ResourceID?"
            ),
            (8, Some("LISTEN"), None, "unknown key LISTEN is ignored"),
            (9, Some("START_TIMOUT"), Some("START_TIMEOUT"), "unknown key START_TIMOUT is ignored; did you mean START_TIMEOUT?"),
        ]
    );
    // The misspelt key is ignored, as by the Perl tools.
    assert_eq!(c.explicit_ids.disk, None);
    assert_eq!(
        c.warnings[0].to_string(),
        "/etc/pg-rex_tools.conf:7: warning: unknown key STORAGE_MON_ResouceID is ignored; did you mean STORAGE_MON_ResourceID?"
    );
}

#[test]
fn stray_lines_warn() {
    let c = ok(&format!("PGREX\n{GOOD}"));
    assert_eq!(c.warnings.len(), 1);
    assert_eq!(
        (c.warnings[0].line, c.warnings[0].message.as_str()),
        (1, "line is not `KEY = value` and is ignored: `PGREX`")
    );
}

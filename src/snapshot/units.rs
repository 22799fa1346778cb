//! Unit enablement read from systemd's own files, not from `systemctl is-enabled`: a status
//! view should cost about one crm_mon call, and a child process per question is most of
//! what it would add. The answer follows what `systemctl is-enabled` prints for a plain
//! unit (no templates, no generators): `masked` / `masked-runtime` when the unit file in
//! `/etc` / `/run` is a link to `/dev/null`; `enabled` / `enabled-runtime` when a
//! `*.wants/` or `*.requires/` directory of `/etc/systemd/system` / `/run/systemd/system`
//! holds a link of that name; otherwise `disabled` when the unit file has an `[Install]`
//! section that says how to enable it, `static` when it has none. A unit without a unit file
//! is unknown, as `systemctl` fails for it.

use super::Source;
use std::path::{Path, PathBuf};

/// Where unit files live, highest precedence first (systemd.unit(5), "Unit File Load Path").
const UNIT_DIRS: &[&str] = &[
    "etc/systemd/system",
    "run/systemd/system",
    "usr/local/lib/systemd/system",
    "usr/lib/systemd/system",
    "lib/systemd/system",
];

/// `(unit, state)` for each unit, read under `root` (`/` on a node), or why not.
pub fn enablement(root: &Path, units: &[&str]) -> Source<Vec<(String, String)>> {
    let mut out = Vec::new();
    for u in units {
        match state(root, u) {
            Ok(s) => out.push((u.to_string(), s.to_string())),
            Err(why) => return Source::unknown(why),
        }
    }
    Source::Known(out)
}

/// The `is-enabled` word of one unit (`pacemaker`, or `pacemaker.service`).
fn state(root: &Path, unit: &str) -> Result<&'static str, String> {
    let file = if unit.contains('.') {
        unit.to_string()
    } else {
        format!("{unit}.service")
    };
    for (dir, masked) in [
        ("etc/systemd/system", "masked"),
        ("run/systemd/system", "masked-runtime"),
    ] {
        let p = root.join(dir).join(&file);
        if std::fs::read_link(&p).is_ok_and(|t| t == Path::new("/dev/null")) {
            return Ok(masked);
        }
    }
    for (dir, enabled) in [
        ("etc/systemd/system", "enabled"),
        ("run/systemd/system", "enabled-runtime"),
    ] {
        if linked_from_wants(&root.join(dir), &file) {
            return Ok(enabled);
        }
    }
    let found: Option<PathBuf> = UNIT_DIRS
        .iter()
        .map(|d| root.join(d).join(&file))
        .find(|p| p.exists());
    let Some(path) = found else {
        return Err(crate::t!(
            crate::msg::view::NO_UNIT_FILE,
            file = file,
            dirs = UNIT_DIRS
                .iter()
                .map(|d| format!("/{d}"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    };
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(if has_install(&text) {
        "disabled"
    } else {
        "static"
    })
}

/// Whether any `*.wants/` or `*.requires/` directory of `dir` holds `file`.
fn linked_from_wants(dir: &Path, file: &str) -> bool {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return false;
    };
    entries.flatten().any(|e| {
        let name = e.file_name();
        let name = name.to_string_lossy();
        (name.ends_with(".wants") || name.ends_with(".requires"))
            && std::fs::symlink_metadata(e.path().join(file)).is_ok()
    })
}

/// An `[Install]` section with a key that enables the unit (`WantedBy=`, `RequiredBy=`,
/// `UpheldBy=`, `Alias=`, `Also=`): what makes `systemctl` answer `disabled`, not `static`.
fn has_install(unit_file: &str) -> bool {
    let mut in_install = false;
    for line in unit_file.lines().map(str::trim) {
        if line.starts_with('[') {
            in_install = line == "[Install]";
            continue;
        }
        if in_install {
            let key = line.split('=').next().unwrap_or_default().trim();
            if ["WantedBy", "RequiredBy", "UpheldBy", "Alias", "Also"].contains(&key) {
                return true;
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::symlink;

    const WITH_INSTALL: &str = "[Unit]\nDescription=x\n[Service]\nExecStart=/bin/true\n[Install]\nWantedBy=multi-user.target\n";

    fn root() -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        let lib = d.path().join("usr/lib/systemd/system");
        std::fs::create_dir_all(&lib).unwrap();
        std::fs::write(lib.join("pacemaker.service"), WITH_INSTALL).unwrap();
        std::fs::write(lib.join("corosync.service"), WITH_INSTALL).unwrap();
        std::fs::write(
            lib.join("helper.service"),
            "[Service]\nExecStart=/bin/true\n",
        )
        .unwrap();
        std::fs::create_dir_all(d.path().join("etc/systemd/system")).unwrap();
        d
    }

    #[test]
    fn a_wants_link_is_enabled_and_its_absence_disabled() {
        let d = root();
        let wants = d.path().join("etc/systemd/system/multi-user.target.wants");
        std::fs::create_dir_all(&wants).unwrap();
        symlink(
            "/usr/lib/systemd/system/pacemaker.service",
            wants.join("pacemaker.service"),
        )
        .unwrap();
        let got = enablement(d.path(), &["pacemaker", "corosync", "helper"]);
        let want: Vec<(String, String)> = [
            ("pacemaker", "enabled"),
            ("corosync", "disabled"),
            ("helper", "static"),
        ]
        .map(|(u, s)| (u.to_string(), s.to_string()))
        .to_vec();
        assert_eq!(got, Source::Known(want));
    }

    #[test]
    fn masked_runtime_enabled_and_missing_units() {
        let d = root();
        symlink(
            "/dev/null",
            d.path().join("etc/systemd/system/corosync.service"),
        )
        .unwrap();
        let run = d
            .path()
            .join("run/systemd/system/multi-user.target.requires");
        std::fs::create_dir_all(&run).unwrap();
        // A dangling link counts: systemd only looks at the name.
        symlink("/nonexistent", run.join("pacemaker.service")).unwrap();
        assert_eq!(state(d.path(), "corosync"), Ok("masked"));
        assert_eq!(state(d.path(), "pacemaker.service"), Ok("enabled-runtime"));
        let e = enablement(d.path(), &["pacemaker", "pcsd"]);
        assert!(
            e.why().unwrap().contains("no unit file pcsd.service"),
            "{e:?}"
        );
    }
}

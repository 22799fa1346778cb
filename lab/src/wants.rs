//! Unit enablement inside a lab node, kept where systemd keeps it: the symlinks
//! `/etc/systemd/system/<target>.wants/<unit>.service` of the node's own `/etc` (an overlay on
//! the host's). The `systemctl` shim's `enable`, `disable` and `is-enabled` read and write
//! only these links, so the shim and a reader of the links (pgrex status) give one answer.
//! `up` disables pacemaker and corosync in each node, as on a PG-REX node; the host's own
//! links (its packages enable both) are hidden by the overlay, never changed.

use std::io;
use std::path::{Path, PathBuf};

/// Where systemd's packaged unit files live (the links point here).
const VENDOR: &str = "lib/systemd/system";
/// The administrator's unit directory, home of the `.wants` links.
const ADMIN: &str = "etc/systemd/system";

/// The unit file behind a unit name: Debian's `sshd` is an alias of `ssh.service`.
pub fn unit_file(unit: &str) -> String {
    match unit.trim_end_matches(".service") {
        "sshd" | "ssh" => "ssh.service".into(),
        u => format!("{u}.service"),
    }
}

/// The `.wants` links of `unit_file` under `root`.
fn links(root: &Path, unit_file: &str) -> Vec<PathBuf> {
    let Ok(dirs) = std::fs::read_dir(root.join(ADMIN)) else {
        return Vec::new();
    };
    let mut v: Vec<PathBuf> = dirs
        .flatten()
        .filter(|d| d.file_name().to_string_lossy().ends_with(".wants"))
        .map(|d| d.path().join(unit_file))
        .filter(|l| l.symlink_metadata().is_ok())
        .collect();
    v.sort();
    v
}

/// Enabled: some target wants it (a link, even one whose unit file is gone, as systemd
/// reports it).
pub fn is_enabled(root: &Path, unit_file: &str) -> bool {
    !links(root, unit_file).is_empty()
}

/// The targets of the unit file's `[Install] WantedBy=` (systemd's default target when none).
fn wanted_by(root: &Path, unit_file: &str) -> Vec<String> {
    let text = std::fs::read_to_string(root.join(VENDOR).join(unit_file)).unwrap_or_default();
    let v: Vec<String> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("WantedBy="))
        .flat_map(|t| t.split_whitespace().map(str::to_string))
        .collect();
    if v.is_empty() {
        vec!["multi-user.target".into()]
    } else {
        v
    }
}

/// Link the unit into every target that wants it; the links made (none if already enabled).
pub fn enable(root: &Path, unit_file: &str) -> io::Result<Vec<PathBuf>> {
    let mut made = Vec::new();
    for t in wanted_by(root, unit_file) {
        let dir = root.join(ADMIN).join(format!("{t}.wants"));
        let link = dir.join(unit_file);
        if link.symlink_metadata().is_ok() {
            continue;
        }
        std::fs::create_dir_all(&dir)?;
        std::os::unix::fs::symlink(Path::new("/").join(VENDOR).join(unit_file), &link)?;
        made.push(link);
    }
    Ok(made)
}

/// Remove every `.wants` link of the unit; the links removed.
pub fn disable(root: &Path, unit_file: &str) -> io::Result<Vec<PathBuf>> {
    let v = links(root, unit_file);
    for l in &v {
        std::fs::remove_file(l)?;
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A node's `/` with the host's layout: pacemaker and ssh enabled by their packages.
    fn node_root() -> tempfile::TempDir {
        let d = tempfile::tempdir().unwrap();
        let vendor = d.path().join(VENDOR);
        std::fs::create_dir_all(&vendor).unwrap();
        std::fs::write(
            vendor.join("pacemaker.service"),
            "[Unit]\n[Install]\nWantedBy=multi-user.target\n",
        )
        .unwrap();
        std::fs::write(vendor.join("corosync.service"), "[Unit]\n").unwrap();
        std::fs::write(
            vendor.join("ssh.service"),
            "[Install]\nWantedBy=multi-user.target\nAlias=sshd.service\n",
        )
        .unwrap();
        let wants = d.path().join(ADMIN).join("multi-user.target.wants");
        std::fs::create_dir_all(&wants).unwrap();
        for u in ["pacemaker.service", "ssh.service"] {
            std::os::unix::fs::symlink(format!("/lib/systemd/system/{u}"), wants.join(u)).unwrap();
        }
        d
    }

    #[test]
    fn enable_disable_and_is_enabled_are_the_wants_links() {
        let d = node_root();
        let r = d.path();
        assert!(is_enabled(r, "pacemaker.service"));
        assert!(!is_enabled(r, "corosync.service"));
        let gone = disable(r, "pacemaker.service").unwrap();
        assert_eq!(
            gone,
            vec![r
                .join(ADMIN)
                .join("multi-user.target.wants/pacemaker.service")]
        );
        assert!(!is_enabled(r, "pacemaker.service"));
        assert!(
            disable(r, "pacemaker.service").unwrap().is_empty(),
            "twice is fine"
        );
        // No WantedBy: systemd's default target.
        let made = enable(r, "corosync.service").unwrap();
        assert_eq!(
            made,
            vec![r
                .join(ADMIN)
                .join("multi-user.target.wants/corosync.service")]
        );
        assert_eq!(
            std::fs::read_link(&made[0]).unwrap(),
            Path::new("/lib/systemd/system/corosync.service")
        );
        assert!(is_enabled(r, "corosync.service"));
        assert!(
            enable(r, "corosync.service").unwrap().is_empty(),
            "twice is fine"
        );
    }

    #[test]
    fn sshd_is_the_ssh_unit() {
        let d = node_root();
        assert_eq!(unit_file("sshd"), "ssh.service");
        assert_eq!(unit_file("pacemaker.service"), "pacemaker.service");
        assert!(is_enabled(d.path(), &unit_file("sshd")));
    }

    #[test]
    fn wanted_by_reads_every_target() {
        let d = node_root();
        std::fs::write(
            d.path().join(VENDOR).join("x.service"),
            "[Install]\nWantedBy=a.target b.target\nWantedBy=c.target\n",
        )
        .unwrap();
        assert_eq!(
            wanted_by(d.path(), "x.service"),
            vec!["a.target", "b.target", "c.target"]
        );
    }
}

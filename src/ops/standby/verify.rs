//! Integrity of the newest archived segment after the archive sync (spec §3.2 "Archive
//! synchronisation" step 5): recovery of this node ends with it, so a truncated or corrupt
//! copy would stop the standby short. Plain → its size is the segment size; `.gz` →
//! `gzip -t`; `.bz2` → `bzip2 -t`; another suffix → a warning, treated as valid. A broken
//! copy is deleted and fetched again from the primary up to five times, each after a real
//! 200 ms pause (Q14); still broken → deleted and the step fails.

use super::archive_check::{newest_archived, IntegrityTest, INTEGRITY_RETRIES};
use crate::exec::Cmd;
use crate::msg::standby as m;
use crate::node::{transfer, DirEntry, FileMode, Node, RunAs};
use crate::postgres::WalSegSize;
use crate::report::{Level, Reporter};
use crate::{t, Error, Result};
use std::path::Path;
use std::time::Duration;

/// Where the newest segment is checked and where a good copy comes from.
pub struct PrimaryArchive<'a> {
    pub node: &'a dyn Node,
    pub dir: &'a Path,
    /// The primary's archive listing.
    pub entries: &'a [DirEntry],
}

/// Why the file at `path` fails `test` (`None`: it passes).
fn problem(local: &dyn Node, path: &Path, test: &IntegrityTest) -> Result<Option<String>> {
    let Some(st) = local.stat(path)? else {
        return Ok(Some(t!(m::BROKEN_MISSING)));
    };
    Ok(match test {
        IntegrityTest::Size(want) => {
            (st.size != *want).then(|| t!(m::BROKEN_SIZE, size = st.size, expected = want))
        }
        IntegrityTest::Tool(tool) => {
            let out = local.output(
                &Cmd::new(*tool)
                    .arg("-t")
                    .arg("--")
                    .arg(path)
                    .timeout(Duration::from_secs(300)),
                &RunAs::Root,
            )?;
            (!out.status.success()).then(|| t!(m::BROKEN_TOOL, tool = tool))
        }
        IntegrityTest::Unknown(_) => None,
    })
}

/// Check the newest segment in `dir` on `local`; repair it from `src` when broken.
pub fn newest_segment(
    rep: &dyn Reporter,
    step: usize,
    local: &dyn Node,
    dir: &Path,
    src: &PrimaryArchive,
    size: WalSegSize,
    backoff: Duration,
) -> Result<()> {
    let names: Vec<String> = super::facts::archive(local, dir)?
        .into_iter()
        .map(|e| e.name)
        .collect();
    let Some(newest) = newest_archived(names.iter().map(String::as_str)) else {
        return Ok(());
    };
    rep.detail(step, &t!(m::CHECKING_NEWEST, name = newest.name));
    let test = IntegrityTest::for_suffix(&newest.suffix, size);
    if let IntegrityTest::Unknown(suffix) = &test {
        rep.message(
            Level::Warn,
            &t!(
                m::NEWEST_UNKNOWN_SUFFIX,
                name = newest.name,
                suffix = suffix
            ),
        );
        return Ok(());
    }
    let path = dir.join(&newest.name);
    let original = src.entries.iter().find(|e| e.name == newest.name);
    let owner = local.stat(dir)?.map(|s| (s.uid, s.gid));
    let mut attempt = 0;
    loop {
        let Some(why) = problem(local, &path, &test)? else {
            return Ok(());
        };
        local.remove_file(&path)?;
        let Some(e) = original.filter(|_| attempt < INTEGRITY_RETRIES) else {
            return Err(Error::other(
                t!(
                    m::NEWEST_BROKEN,
                    name = newest.name,
                    max = attempt,
                    why = why
                ),
                Some(t!(m::NEWEST_BROKEN_HINT, name = newest.name)),
            ));
        };
        attempt += 1;
        rep.detail(
            step,
            &t!(
                m::NEWEST_BROKEN_RETRY,
                name = newest.name,
                why = why,
                attempt = attempt,
                max = INTEGRITY_RETRIES
            ),
        );
        std::thread::sleep(backoff);
        transfer::fetch(
            src.node,
            &src.dir.join(&e.name),
            &path,
            FileMode {
                mode: e.stat.mode & 0o777,
                owner,
            },
            None,
            &mut |_| {},
        )?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::node::LocalNode;
    use crate::report::Silent;

    const SEG: &str = "000000010000000000000003";

    fn gz(dir: &Path, body: &[u8]) {
        let plain = dir.join(SEG);
        std::fs::write(&plain, body).unwrap();
        Cmd::new("gzip").arg("-f").arg(&plain).run().unwrap();
    }

    fn check(local_dir: &Path, src_dir: &Path, size: WalSegSize) -> Result<()> {
        let entries = LocalNode.list_dir(src_dir).unwrap();
        let src = PrimaryArchive {
            node: &LocalNode,
            dir: src_dir,
            entries: &entries,
        };
        newest_segment(
            &Silent,
            1,
            &LocalNode,
            local_dir,
            &src,
            size,
            Duration::from_millis(1),
        )
    }

    #[test]
    fn a_broken_gzip_copy_is_fetched_again() {
        let (here, there) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        gz(there.path(), b"wal");
        let good = std::fs::read(there.path().join(format!("{SEG}.gz"))).unwrap();
        std::fs::write(
            here.path().join(format!("{SEG}.gz")),
            &good[..good.len() / 2],
        )
        .unwrap();
        check(here.path(), there.path(), WalSegSize::DEFAULT).unwrap();
        assert_eq!(
            std::fs::read(here.path().join(format!("{SEG}.gz"))).unwrap(),
            good
        );
    }

    #[test]
    fn broken_on_the_primary_too_fails_and_deletes() {
        let (here, there) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        std::fs::write(there.path().join(format!("{SEG}.bz2")), b"not bzip2").unwrap();
        std::fs::write(here.path().join(format!("{SEG}.bz2")), b"not bzip2").unwrap();
        let err = check(here.path(), there.path(), WalSegSize::DEFAULT).unwrap_err();
        assert!(err.to_string().contains("after 5 "), "{err}");
        assert!(!here.path().join(format!("{SEG}.bz2")).exists());
    }

    #[test]
    fn plain_segments_are_checked_by_size() {
        let (here, there) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let size = WalSegSize::new(1 << 20).unwrap();
        std::fs::write(there.path().join(SEG), vec![0u8; 1 << 20]).unwrap();
        std::fs::write(here.path().join(SEG), vec![0u8; 1000]).unwrap();
        // An older, short segment is not the newest and is not looked at.
        std::fs::write(here.path().join("000000010000000000000002"), b"x").unwrap();
        check(here.path(), there.path(), size).unwrap();
        assert_eq!(
            std::fs::metadata(here.path().join(SEG)).unwrap().len(),
            1 << 20
        );
        assert_eq!(
            std::fs::metadata(here.path().join("000000010000000000000002"))
                .unwrap()
                .len(),
            1
        );
    }

    #[test]
    fn unknown_suffix_is_valid_and_untouched() {
        let (here, there) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        std::fs::write(here.path().join(format!("{SEG}.zst")), b"?").unwrap();
        check(here.path(), there.path(), WalSegSize::DEFAULT).unwrap();
        assert!(here.path().join(format!("{SEG}.zst")).exists());
    }

    #[test]
    fn a_good_copy_passes_without_a_transfer() {
        let (here, there) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        gz(here.path(), b"wal");
        // The primary's dir is empty: a transfer would fail, so none happened.
        check(here.path(), there.path(), WalSegSize::DEFAULT).unwrap();
    }
}

//! A snapshot from a file (`--input`): a saved snapshot as is, or a crm_mon XML / cib.xml
//! read through the status source (every other source unknown: not in the file); and the
//! lines of `--log` files added to whatever logs a snapshot has.

use super::{logs, Snapshot, Source};
use crate::exec::Tools;
use crate::pacemaker::source;
use std::path::{Path, PathBuf};

impl Snapshot {
    /// Load `path`: a saved snapshot (JSON), or a crm_mon XML / cib.xml.
    pub fn load(path: &Path, tools: &Tools) -> crate::Result<Snapshot> {
        let what = path.display().to_string();
        match source::read_input(path, tools)? {
            source::Input::Json(text) => {
                let mut s = Snapshot::from_json(&text, &what)?;
                s.loaded_from = Some(what);
                Ok(s)
            }
            source::Input::Cluster(obs) => {
                let why = crate::t!(crate::msg::view::WHY_NOT_IN_INPUT, file = what);
                Ok(Snapshot::from_state(obs.state, obs.cib, &why))
            }
        }
    }

    /// The relevant lines of `files` join whatever logs the snapshot has.
    pub fn add_log_files(&mut self, files: &[PathBuf]) -> crate::Result<()> {
        if files.is_empty() {
            return Ok(());
        }
        let mut lines = self.logs.known().cloned().unwrap_or_default();
        for f in files {
            let what = f.display().to_string();
            let text = crate::bounded::read(f, crate::bounded::LOG).map_err(|e| {
                crate::Error::input(&what, crate::t!(crate::msg::gen::READ_FAILED)).with_source(e)
            })?;
            lines.extend(logs::scan(&String::from_utf8_lossy(&text), &what, None));
        }
        self.logs = Source::Known(lines);
        Ok(())
    }
}

/// The cluster state and CIB an operation plans against (`cleanup`): `input` loaded (its
/// cluster view must be known), else crm_mon with `cibadmin -Q` live.
pub fn observe_cluster(
    input: Option<&Path>,
    tools: &Tools,
) -> crate::Result<(
    crate::pacemaker::ClusterState,
    Option<crate::pacemaker::cib::CibFacts>,
)> {
    let Some(path) = input else {
        let o = source::observe_live(tools)?;
        return Ok((o.state, o.cib));
    };
    let s = Snapshot::load(path, tools)?;
    let state = s.cluster.known().cloned().ok_or_else(|| {
        crate::Error::input(
            path.display().to_string(),
            s.cluster.why().unwrap_or("?").to_string(),
        )
    })?;
    Ok((state, s.cib.known().cloned()))
}

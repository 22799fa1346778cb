//! The status view when the cluster cannot be observed from here (Pacemaker installed but
//! not running): the verdict UNKNOWN with why, and what the CIB Pacemaker last saved still
//! tells — each node's persisted `pgsql-data-status`, which an operator needs to decide which
//! node may start as primary.

use super::{Verdict, SCHEMA_VERSION};
use crate::pacemaker::cib::CibFacts;
use crate::profile::Names;
use serde::Serialize;
use std::collections::BTreeMap;

/// The whole document (`docs/json.md`, status, verdict UNKNOWN).
#[derive(Debug, Clone, Serialize)]
pub struct Unobserved {
    pub schema_version: u32,
    pub verdict: Verdict,
    pub reason: String,
    pub next: Option<String>,
    /// `node → pgsql-data-status` from the saved CIB (empty: none could be read).
    pub persisted_data_status: BTreeMap<String, String>,
    /// The file those values came from.
    #[serde(skip)]
    pub persisted_from: &'static str,
}

impl Unobserved {
    /// UNKNOWN because `why`, with what the saved CIB (when read) persisted. `next` fits
    /// where the snapshot came from: live, what to do on this node; from a saved file, when
    /// and where it was taken (starting Pacemaker here would not change the file).
    pub fn new(why: &str, saved_cib: Option<&CibFacts>, names: &Names) -> Unobserved {
        Unobserved::of(why, saved_cib, names, None)
    }

    /// [`Unobserved::new`] of a snapshot loaded from a file: `(file, taken_at, taken_on)`.
    pub fn of(
        why: &str,
        saved_cib: Option<&CibFacts>,
        names: &Names,
        saved: Option<(&str, Option<&str>, Option<&str>)>,
    ) -> Unobserved {
        let next = match saved {
            None => crate::t!(crate::msg::pcmk::HINT_NOT_RUNNING),
            Some((file, when, node)) => crate::t!(
                crate::msg::view::NEXT_SAVED_UNOBSERVED,
                when = when.unwrap_or("at an unrecorded time"),
                node = node.unwrap_or("an unrecorded node"),
                file = file
            ),
        };
        Unobserved {
            schema_version: SCHEMA_VERSION,
            verdict: Verdict::Unknown,
            reason: crate::t!(crate::msg::view::UNKNOWN_VERDICT, why = why),
            next: Some(next),
            persisted_data_status: saved_cib
                .map(|c| persisted_data_status(c, names))
                .unwrap_or_default(),
            persisted_from: crate::pacemaker::cib::DEFAULT_CIB_PATH,
        }
    }
}

/// Each node's persisted `pgsql-data-status` in a CIB.
pub fn persisted_data_status(cib: &CibFacts, names: &Names) -> BTreeMap<String, String> {
    let attr = names.data_status_attr();
    cib.nodes
        .iter()
        .filter_map(|n| {
            n.attributes
                .get(&attr)
                .map(|v| (n.uname.clone(), v.clone()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::Profile;

    #[test]
    fn the_saved_cib_tells_each_nodes_persisted_data_status() {
        let (_, cib) = crate::testkit::recorded(Profile::Pgrex17, "primary-alone");
        let names = Names::defaults(Profile::Pgrex17);
        let u = Unobserved::new("Pacemaker is not running here", Some(&cib), &names);
        assert_eq!(u.verdict, Verdict::Unknown);
        assert!(
            u.reason.contains("Pacemaker is not running here"),
            "{}",
            u.reason
        );
        let want: BTreeMap<String, String> = [("pm01", "LATEST"), ("pm02", "DISCONNECT")]
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .into();
        assert_eq!(u.persisted_data_status, want);
        let j = serde_json::to_value(&u).unwrap();
        assert_eq!(j["persisted_data_status"]["pm02"], "DISCONNECT");
        assert!(j.get("persisted_from").is_none());
        assert!(Unobserved::new("x", None, &names)
            .persisted_data_status
            .is_empty());
    }
}

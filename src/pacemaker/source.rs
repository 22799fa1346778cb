//! Where the XML comes from: the live cluster (`crm_mon`, `cibadmin -Q`) or a file.
//! (Provisional: replaced by the full input detection of the parser work.)

use super::cib::CibFacts;
use super::model::ClusterState;
use crate::exec::Tools;
use crate::{Error, Result};
use std::path::Path;

/// What one look at the cluster gave.
#[derive(Debug, Clone)]
pub struct Observation {
    pub state: ClusterState,
    pub cib: Option<CibFacts>,
}

pub fn observe_file(path: &Path, _tools: &Tools) -> Result<Observation> {
    let what = path.display().to_string();
    let text = std::fs::read_to_string(path).map_err(|e| Error::input(&what, e.to_string()))?;
    Ok(Observation {
        state: super::parse::crm_mon(&text, &what)?,
        cib: None,
    })
}

pub fn observe_live(tools: &Tools) -> Result<Observation> {
    let cmd = tools
        .cmd("crm_mon")
        .args(["--output-as=xml", "-1", "--inactive"]);
    let out = cmd.output().map_err(|e| {
        if e.is_not_found() {
            Error::MissingProgram {
                program: "crm_mon".into(),
                hint: None,
            }
        } else {
            Error::Exec(e)
        }
    })?;
    Ok(Observation {
        state: super::parse::crm_mon(&out.stdout, &cmd.to_string())?,
        cib: None,
    })
}

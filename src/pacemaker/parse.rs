//! Parsers: crm_mon XML (2.x and 1.1) → [`ClusterState`]; CIB XML → [`CibFacts`].
//!
//! Pure functions over text: no process, no file. `what` names the source in errors (a
//! file path or the command line).

mod cib;
mod crm_mon;

use super::cib::CibFacts;
use super::model::ClusterState;
use crate::Result;

pub use crm_mon::{failed_message, result_status, split_op_key, OpKey, ResultStatus};

/// Parse the output of `crm_mon --output-as=xml` (2.x) or `crm_mon --as-xml` (1.1).
/// A 2.x result whose `<status code>` is not 0 (crm_mon could not connect, …) is an error
/// carrying crm_mon's message and error lines.
pub fn crm_mon(xml: &str, what: &str) -> Result<ClusterState> {
    crm_mon::parse(xml, what)
}

/// Parse a CIB document (`cibadmin -Q` output or cib.xml).
pub fn cib(xml: &str, what: &str) -> Result<CibFacts> {
    cib::parse(xml, what)
}

#[cfg(test)]
mod tests;

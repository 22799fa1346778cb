//! Pacemaker, read through its XML: the typed model, the parsers of `crm_mon` XML (2.x
//! `<pacemaker-result>` and 1.1 `<crm_mon>`) and of the CIB, and the sources that produce them.
//!
//! Unknown elements and attributes are tolerated; a missing required one is an
//! [`crate::Error::Input`] naming it.

pub mod cib;
pub mod model;
pub mod parse;
pub mod rc;
pub mod source;
pub mod xml;

pub use model::*;

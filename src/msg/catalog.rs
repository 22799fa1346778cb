//! The English catalogue, one `catalog!` block per area (one file each where an area grows).
//! Ids: `AREA_NNNN`. Add at the end of an area; never renumber or reuse an id.

use super::Msg;

catalog!(gen {
    ERROR = "GEN_0001": "error";
    HINT = "GEN_0002": "hint";
    CAUSED_BY = "GEN_0003": "caused by";
    WARNING = "GEN_0004": "warning";
});

/// Every message of every area.
pub fn all() -> Vec<Msg> {
    [gen::ALL].concat()
}

//! The English catalogue, one file per area (`catalog/<area>.rs`), so parallel work does not
//! collide. Ids: `AREA_NNNN`. Add at the end of an area; never renumber or reuse an id.
//! A new area: add its file, its two lines below, and its `ALL` to [`all`]; and its
//! Japanese table `ja/<area>.rs` to `ja.rs` (a test requires a Japanese text for every id).

use super::Msg;

#[path = "catalog/gen.rs"]
mod area_gen;
pub use area_gen::gen;
#[path = "catalog/pcmk.rs"]
mod area_pcmk;
pub use area_pcmk::pcmk;
#[path = "catalog/status.rs"]
mod area_status;
pub use area_status::status;
#[path = "catalog/view.rs"]
mod area_view;
pub use area_view::view;
#[path = "catalog/config.rs"]
mod area_config;
pub use area_config::config;
#[path = "catalog/pg.rs"]
mod area_pg;
pub use area_pg::pg;
#[path = "catalog/node.rs"]
mod area_node;
pub use area_node::node;
#[path = "catalog/diag.rs"]
mod area_diag;
pub use area_diag::diag;
#[path = "catalog/cleanup.rs"]
mod area_cleanup;
pub use area_cleanup::cleanup;
#[path = "catalog/ops.rs"]
mod area_ops;
pub use area_ops::ops;
#[path = "catalog/report.rs"]
mod area_report;
pub use area_report::report;
#[path = "catalog/primary.rs"]
mod area_primary;
pub use area_primary::primary;
#[path = "catalog/standby.rs"]
mod area_standby;
pub use area_standby::standby;
#[path = "catalog/check.rs"]
mod area_check;
pub use area_check::check;
#[path = "catalog/log.rs"]
mod area_log;
pub use area_log::log;
#[path = "catalog/switchover.rs"]
mod area_switchover;
pub use area_switchover::switchover;
#[path = "catalog/perl.rs"]
mod area_perl;
pub use area_perl::perl;
#[path = "catalog/archive.rs"]
mod area_archive;
pub use area_archive::archive;
#[path = "catalog/recover.rs"]
mod area_recover;
pub use area_recover::recover;

/// Every message of every area.
pub fn all() -> Vec<Msg> {
    [
        gen::ALL,
        pcmk::ALL,
        status::ALL,
        view::ALL,
        config::ALL,
        pg::ALL,
        node::ALL,
        diag::ALL,
        cleanup::ALL,
        ops::ALL,
        report::ALL,
        primary::ALL,
        standby::ALL,
        check::ALL,
        log::ALL,
        switchover::ALL,
        perl::ALL,
        archive::ALL,
        recover::ALL,
    ]
    .concat()
}

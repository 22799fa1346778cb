//! Write probe.
use crate::state::Lab;
use anyhow::Result;
pub fn cli(_lab: &Lab, _a: &str, _d: u64) -> Result<i32> {
    anyhow::bail!("not yet")
}
pub fn worker(_lab: &Lab) -> Result<()> {
    anyhow::bail!("not yet")
}

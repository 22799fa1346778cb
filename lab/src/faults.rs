//! Fault injection (FAULTS.md ids).
use crate::state::Lab;
use anyhow::Result;

pub fn is_frozen(pid: i32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .map(|s| {
            s.rsplit(')')
                .next()
                .map(|r| r.trim_start().starts_with('T'))
                .unwrap_or(false)
        })
        .unwrap_or(false)
}
pub fn inject(_lab: &Lab, _f: &str, _n: Option<&str>) -> Result<()> {
    anyhow::bail!("not yet")
}
pub fn heal(_lab: &Lab, _f: &str, _n: Option<&str>) -> Result<()> {
    anyhow::bail!("not yet")
}

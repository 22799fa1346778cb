//! Operations that change the cluster: each is a pure plan (what would change, and what
//! blocks it) and a small executor that runs the plan through [`crate::exec`].

pub mod cleanup;

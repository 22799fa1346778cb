//! `pgrex status --input` on recorded fixtures.

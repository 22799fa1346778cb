//! The status view: the PG-REX normal-state checks (spec §5.3) and the verdict.

//! Tests of the conversion over recorded lab logs.

//! Cleanup plan tests.

//! Integration tests of `tangguh-core`.

// Test helpers outside `#[test]` functions may panic: a panic is a failure.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod book;
mod money;
mod nik;
mod region;

//! Tangguh's criterion benchmarks: one binary, one module per crate.
//!
//! Run them all with `cargo bench`, one crate's with `cargo bench -- core/`,
//! and a smoke run (each bench once, as CI does) with
//! `cargo bench --workspace -- --test`. Latest figures: `benches/README.md`.

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing
)]

use criterion::{Criterion, criterion_group, criterion_main};

mod core;
mod fixtures;

fn all(c: &mut Criterion) {
    core::define(c);
}

criterion_group!(benches, all);
criterion_main!(benches);

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
#[cfg(feature = "curriculum")]
mod curriculum;
mod fixtures;
#[cfg(feature = "ledger")]
mod ledger;
#[cfg(feature = "registry")]
mod registry;
#[cfg(feature = "roster")]
mod roster;
#[cfg(feature = "store")]
mod store;

fn all(c: &mut Criterion) {
    core::define(c);
    #[cfg(feature = "registry")]
    registry::define(c);
    #[cfg(feature = "roster")]
    roster::define(c);
    #[cfg(feature = "curriculum")]
    curriculum::define(c);
    #[cfg(feature = "ledger")]
    ledger::define(c);
    #[cfg(feature = "store")]
    store::define(c);
}

criterion_group!(benches, all);
criterion_main!(benches);

//! tangguh-ledger: a double-entry microfinance ledger: loans with
//! Fineract-exact schedules, savings, groups, disaster relief.
//!
//! This crate is being built; see its issue.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(clippy::print_stdout, clippy::print_stderr)]
#![warn(clippy::arithmetic_side_effects)]

// The schedule engine (owned by its own module; keep these two lines).
mod schedule;
pub use schedule::*;

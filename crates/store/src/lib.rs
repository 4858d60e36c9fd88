//! tangguh-store: Durable, crash-safe journals for Tangguh books: SQLite embedded, PostgreSQL for scale-out.
//!
//! This crate is being built; see its issue.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(clippy::print_stdout, clippy::print_stderr)]

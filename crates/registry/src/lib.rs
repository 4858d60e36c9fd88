//! tangguh-registry: Households on the Kartu Keluarga, their members and every change to them, vulnerability, targeting and assistance.
//!
//! This crate is being built; see its issue.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(clippy::print_stdout, clippy::print_stderr)]

//! tangguh-roster: Community volunteers, incidents and shifts, with no double booking.
//!
//! This crate is being built; see its issue.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(clippy::print_stdout, clippy::print_stderr)]

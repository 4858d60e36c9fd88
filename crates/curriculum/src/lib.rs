//! tangguh-curriculum: Courses, prerequisites, cohorts, attendance, results and certificates that expire.
//!
//! This crate is being built; see its issue.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(clippy::print_stdout, clippy::print_stderr)]

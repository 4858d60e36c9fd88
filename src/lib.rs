//! Tangguh: libraries for running a district's social-resilience programmes.
//!
//! This facade re-exports the workspace's crates behind features (all on by
//! default) and holds the wiring between domains that no domain crate may do
//! itself, since domain crates depend only on [`core`].
//!
//! ```
//! use tangguh::core::{Nik, RegionCode};
//!
//! let nik: Nik = "6271054508900001".parse()?;
//! assert!(RegionCode::RAKUMPIT.contains(nik.district_code()));
//! # Ok::<(), tangguh::core::ValidationError>(())
//! ```
//!
//! # Crate features
//!
//! | Feature | Re-exports |
//! |---|---|
//! | (always) | [`core`]: `tangguh-core`, the shared vocabulary and machinery |
//! | `registry` | `registry`: `tangguh-registry`, households and members |
//! | `roster` | `roster`: `tangguh-roster`, volunteers, incidents and shifts |
//! | `curriculum` | `curriculum`: `tangguh-curriculum`, courses and certificates |
//! | `ledger` | `ledger`: `tangguh-ledger`, books, loans, savings, groups |
//! | `store` | `store`: `tangguh-store`, durable journals on SQLite |
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub use tangguh_core as core;
#[cfg(feature = "curriculum")]
pub use tangguh_curriculum as curriculum;
#[cfg(feature = "ledger")]
pub use tangguh_ledger as ledger;
#[cfg(feature = "registry")]
pub use tangguh_registry as registry;
#[cfg(feature = "roster")]
pub use tangguh_roster as roster;
#[cfg(feature = "store")]
pub use tangguh_store as store;

#[cfg(all(
    feature = "registry",
    feature = "roster",
    feature = "curriculum",
    feature = "ledger",
    feature = "store"
))]
pub mod resilience;
#[cfg(all(
    feature = "registry",
    feature = "roster",
    feature = "curriculum",
    feature = "ledger",
    feature = "store"
))]
pub mod scenario;
#[cfg(all(feature = "registry", feature = "roster", feature = "curriculum", feature = "ledger"))]
pub mod wiring;

#[cfg(all(feature = "registry", feature = "store"))]
#[doc = include_str!("../README.md")]
pub mod _readme {}

#[doc = include_str!("../ARCHITECTURE.md")]
pub mod _architecture {}

//! The shared vocabulary of Tangguh and the one machinery every domain uses.
//!
//! `tangguh-core` holds what crosses the domain crates (registry, roster,
//! curriculum, ledger): validated identifiers of the civil register ([`Nik`],
//! [`KkNumber`], [`LocalNumber`]), Kemendagri [`RegionCode`]s and a
//! [`Gazetteer`], [`Money`] with checked arithmetic and named [`Rounding`],
//! time-ordered entity ids ([`PersonId`], [`HouseholdId`], [`IncidentId`]…),
//! [`Person`], [`Organization`], [`Hazard`], [`Credential`], and the
//! [`Clock`]. It holds no domain rules.
//!
//! It also holds the decide/record/apply machinery: an [`Aggregate`] decides
//! a command into events without changing anything, a [`Journal`] records the
//! events, and [`Aggregate::apply`] (the only mutator) applies them. A
//! [`Book`] runs the three steps and replays a journal on open.
//!
//! ```
//! use chrono::NaiveDate;
//! use rust_decimal::Decimal;
//! use tangguh_core::{Clock, FixedClock, Gazetteer, Money, Nik, RegionCode, Rounding, Sex};
//!
//! // A NIK is validated on parse and masked when shown.
//! let nik: Nik = "6271054508900001".parse()?;
//! assert_eq!(nik.to_string(), "627105**********");
//! assert_eq!(nik.sex(), Sex::Female);
//!
//! // "Today" in Rakumpit is the WIB date.
//! let clock = FixedClock::wib(2026, 11, 28, 6, 0);
//! assert_eq!(nik.encoded_birth_date(clock.today().year()), NaiveDate::from_ymd_opt(1990, 8, 5).unwrap());
//!
//! // Region codes know their place; the gazetteer knows Rakumpit.
//! let kelurahan: RegionCode = "62.71.05.1004".parse()?;
//! assert_eq!(Gazetteer::palangka_raya().name(kelurahan), Some("Mungku Baru"));
//!
//! // Money is exact, checked and rounded by name.
//! let share = "Rp1.000.000".parse::<Money>()?.checked_div(Decimal::from(3))?;
//! assert_eq!(share.round(Rounding::IDR_CASH)?.to_string(), "Rp333.300");
//! # use chrono::Datelike;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Overview
//!
//! | Module area | Types |
//! |---|---|
//! | civil register | [`Nik`], [`KkNumber`], [`LocalNumber`], [`FamilyNumber`], [`Sex`] |
//! | regions | [`RegionCode`], [`RegionLevel`], [`Gazetteer`] |
//! | money | [`Money`], [`Currency`], [`Rounding`], [`RoundingMode`] |
//! | entities | [`define_id!`], [`IdGenerator`], [`Person`], [`Organization`], [`Hazard`], [`Credential`] |
//! | time | [`Clock`], [`SystemClock`], [`FixedClock`], [`wib_date`] |
//! | machinery | [`Aggregate`], [`DomainEvent`], [`Context`], [`Journal`], [`MemoryJournal`], [`Recorded`], [`Book`] |
//! | errors | [`ValidationError`] with its [`Rule`], [`MoneyError`], [`JournalError`], [`BookError`] |
//!
//! # Crate features
//!
//! - `proptest`: proptest strategies for the core types, in [`strategy`], for
//!   other crates' property tests.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(clippy::print_stdout, clippy::print_stderr)]

mod aggregate;
mod book;
mod credential;
mod error;
mod id;
mod journal;
mod kk;
mod money;
mod nik;
mod organization;
mod person;
mod region;
mod text;
mod time;

#[cfg(feature = "proptest")]
pub mod strategy;

pub use aggregate::{Aggregate, Context, DomainEvent};
pub use book::{Book, Executed, Outcome, Submission};
pub use credential::Credential;
pub use error::{BookError, JournalError, MoneyError, Rule, ValidationError};
pub use id::{HouseholdId, Id, IdBits, IdGenerator, IncidentId, OrganizationId, PersonId};
pub use journal::{
    CommandDigest, Journal, MemoryJournal, Recorded, RequestRecord, RequestStamp, check_batch,
};
pub use kk::{FamilyNumber, KkNumber, LocalNumber};
pub use money::{Currency, Money, Rounding, RoundingMode};
pub use nik::{Nik, PROVINCE_CODES, is_province_code};
pub use organization::{Hazard, Organization, OrganizationKind};
pub use person::{BirthDate, Person, Sex, age_on};
pub use region::{Gazetteer, GazetteerError, RegionCode, RegionLevel};
pub use text::{Actor, CertificateNumber, CompetencyCode, Name, RequestId};

pub use time::{Clock, FixedClock, SystemClock, wib, wib_date};

#[doc(hidden)]
pub mod __private {
    //! Re-exports for [`define_id!`](crate::define_id) and
    //! [`text_type!`](crate::text_type); not public API.
    pub use serde;

    pub use crate::text::{clean_code, clean_text};
}

//! tangguh-registry: households on the Kartu Keluarga, their members and
//! every change to them; vulnerability, targeting and assistance.
//!
//! A [`Registry`] is the state a kelurahan office, the Dinas Sosial or a relief
//! coordinator keeps about who lives where, who is vulnerable and who received
//! what. It follows Tangguh's decide/record/apply shape: a
//! [`RegistryCommand`] is decided against the rules into [`RegistryEvent`]s
//! (or refused with a [`RegistryError`] that names the rule, changing
//! nothing); applying the events is the only way the state changes, so a
//! journal replays to the same registry.
//!
//! ```
//! use std::sync::Arc;
//! use chrono::NaiveDate;
//! use tangguh_core::{Actor, BirthDate, Book, FixedClock, IdGenerator, MemoryJournal, Name, Sex, Submission};
//! use tangguh_registry::{
//!     Address, Neighbourhood, NewPerson, RegisterHousehold, Registry, RegistryCommand,
//!     VulnerabilityThresholds,
//! };
//!
//! let clock = Arc::new(FixedClock::wib(2026, 11, 28, 9, 0));
//! let ids = IdGenerator::deterministic(1);
//! let mut book: Book<Registry, _> = Book::open(MemoryJournal::new(), clock.clone())?;
//!
//! let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
//! let head = NewPerson::new(ids.next_id(), Name::try_new("Siti Rahayu")?,
//!     BirthDate::exact(date(1990, 8, 5)), Sex::Female)
//!     .with_nik("6271054508900001".parse()?);
//! let household = ids.next_id();
//! let register = RegisterHousehold::new(
//!     household,
//!     "62.71.05.1004".parse()?, // Mungku Baru, Rakumpit
//!     Neighbourhood::new(2)?,
//!     Neighbourhood::new(1)?,
//!     Address::try_new("Jl. Tjilik Riwut km 42")?,
//!     head,
//!     date(2026, 11, 1),
//! );
//! let actor = Actor::try_new("operator:mungku-baru")?;
//! book.execute(Submission::new(actor, RegistryCommand::RegisterHousehold(register)))?;
//!
//! let registry = book.state();
//! let siti = registry.person_by_nik(&"6271054508900001".parse()?).unwrap();
//! assert_eq!(registry.household_of(siti.person.id).unwrap().id, household);
//! assert!(registry.vulnerable_members(household, date(2026, 11, 28), &VulnerabilityThresholds::default()).is_empty());
//!
//! // Replaying the journal gives the same registry.
//! let replayed: Book<Registry, _> = Book::open(book.journal().clone(), clock)?;
//! assert_eq!(replayed.state(), book.state());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Overview
//!
//! | Area | Items |
//! |---|---|
//! | state | [`Registry`], [`Household`], [`PersonRecord`], [`Membership`], [`DwellingRecord`] |
//! | commands / events | [`RegistryCommand`], [`RegistryEvent`] (JSON tagged by `type`, snake_case, schema version 1) |
//! | rules | [`RegistryError`]: one active membership per person, one person per NIK, one active household per KK number, exactly one head (or the visible [`Household::needs_head`] state), no future dates, none before birth, one distribution per round unless a top-up with a reason |
//! | code lists | [`Relationship`] (SHDK), [`Education`], [`DisabilityKind`], [`ChronicIllness`], Regsosek dwelling categories |
//! | queries | by id / NIK / number, per region and RT, [`Registry::vulnerable_members`] with [`VulnerabilityThresholds`] |
//! | targeting | [`Criteria`] (JSON) → [`Eligible`] households with [`Reason`]s |
//! | dedup | [`Registry::duplicate_candidates`] → [`DuplicateCandidate`]s with [`DuplicateReason`]s; reviewed by [`MergePersons`] or [`DismissDuplicate`] |
//! | statistics | [`Registry::statistics`] per kelurahan with [`StatsOptions::suppress_below`] (small cells shown as `"<k"`) |
//! | CSV | [`Registry::write_csv`], [`read_csv`] → [`RegistryCommand::Import`] (all rows or none) |
//!
//! # CSV columns
//!
//! One row per active member; household columns repeat on each row. Read by
//! header name (any order, case ignored); written in this order:
//!
//! | column | content |
//! |---|---|
//! | `household_id` | the household's id (UUID; mint new ones with core's `IdGenerator`) |
//! | `kk_number` | No KK or temporary local number (16 digits), may be empty |
//! | `kelurahan` | village-level Kemendagri code, `62.71.05.1004` or `6271051004` |
//! | `rt`, `rw` | numbers 1-999 |
//! | `address` | street address |
//! | `phone` | contact phone, normalised on import (`+62…` → `0…`), may be empty |
//! | `registered_on` | the household's registration date |
//! | `person_id` | the person's id (UUID) |
//! | `nik` | 16-digit NIK, may be empty |
//! | `name` | full name |
//! | `sex` | `L`/`LK`/`Laki-laki` or `P`/`Pr`/`Perempuan` (written `L`/`P`) |
//! | `birth_date` | `YYYY-MM-DD` (also `DD-MM-YYYY`, `DD/MM/YYYY` on import) |
//! | `birth_date_estimated` | `true`/`false` (empty = false) |
//! | `shdk` | relationship to the head: SIAK label or code (`Kepala Keluarga`, `Istri`, `4`…) |
//! | `member_since` | membership start; members who joined after `registered_on` are imported as moved in |
//! | `disability`, `disability_severity` | Dukcapil Cacat label (`Fisik`, `Netra/Buta`…) and severity |
//! | `chronic_illness` | Dukcapil sakit menahun label (`Jantung`, `TBC`…) |
//! | `maternal`, `maternal_recorded_on` | `Hamil` or `Menyusui` and the date recorded |
//! | `education` | Pendidikan dalam KK label (aliases such as `Tidak/Blm Sekolah`, `Strata-II`) |
//! | `occupation` | Dukcapil pekerjaan code 1-89 |
//!
//! Labels are compared lower-case without spaces (OpenSID's SIAK import
//! rule) and numeric codes pass through. The CSV holds the current state:
//! history, welfare, dwellings, incidents and assistance stay in the journal,
//! and a household in the "needs head" state (no head row) cannot be
//! imported until it has a head.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(clippy::print_stdout, clippy::print_stderr)]

mod command;
mod csv_io;
mod dedup;
mod error;
mod index;
mod model;
mod query;
mod registry;
mod stats;
mod stored;
mod targeting;

pub use command::{
    AddMember, ChangeHead, DismissDuplicate, EndMembership, ImportRow, Joining, MergeHouseholds,
    MergePersons, MovingMember, NewMember, RecordDistribution, RecordIncidentImpact,
    RegisterHousehold, RegistryCommand, RegistryEvent, SplitHousehold, TransferMember,
    UpdateContact, UpdateDwelling, UpdateMemberFacts, UpdateWelfare,
};
pub use csv_io::{CSV_COLUMNS, read_csv};
pub use dedup::{DuplicateCandidate, DuplicateReason};
pub use error::{RegistryError, RowError};
pub use model::{
    Address, ChronicIllness, Consent, DamageLevel, Desil, Disability, DisabilityKind, Distribution,
    Dwelling, DwellingId, Education, EndReason, FloorMaterial, GeoPoint, IncidentImpact, Item,
    ItemName, JoinReason, Lighting, Maternal, MaternalStatus, MemberFacts, Need, Neighbourhood,
    NewPerson, Note, Occupation, Phone, Programme, Relationship, RoofMaterial, Round, Sanitation,
    Severity, Source, Unit, WallMaterial, WaterSource, Welfare, normalise_label,
};
pub use query::{Vulnerabilities, Vulnerability, VulnerabilityThresholds, VulnerableMember};
pub use registry::{DwellingRecord, Household, Membership, PersonRecord, Registry};
pub use stats::{Cell, KelurahanStats, StatsOptions};
pub use targeting::{Criteria, DwellingFlag, Eligible, Reason};

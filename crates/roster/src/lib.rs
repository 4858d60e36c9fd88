//! Community volunteers, incidents and shifts, with no double booking.
//!
//! `tangguh-roster` decides who goes where and when in an incident (a
//! Rakumpit flood: boat evacuation, dapur umum, logistics, health posts,
//! psychosocial support) and proves nobody is in two places at once. One
//! state type, [`Roster`], implements core's [`Aggregate`](tangguh_core::Aggregate):
//! [`RosterCommand`]s are decided into [`RosterEvent`]s or refused with a
//! [`RosterError`] naming the rule, and every change is an event in the
//! journal.
//!
//! ```
//! use std::collections::BTreeSet;
//! use std::sync::Arc;
//! use chrono::{Duration, NaiveDate, TimeZone, Utc};
//! use tangguh_core::{Actor, Book, FixedClock, Hazard, IdGenerator, MemoryJournal, Name, RegionCode};
//! use tangguh_roster::*;
//!
//! let clock = Arc::new(FixedClock::wib(2026, 12, 1, 8, 0));
//! let ids = IdGenerator::deterministic(4);
//! let mut book: Book<Roster, _> = Book::open(MemoryJournal::new(), clock)?;
//! let admin = Actor::try_new("posko:rakumpit")?;
//! let petuk_bukit: RegionCode = "62.71.05.1001".parse()?;
//!
//! // A volunteer, accepted, with a background check.
//! let siti = ids.next_id();
//! let profile = VolunteerProfile::new(ids.next_id(), ids.next_id(), Name::try_new("Siti")?, petuk_bukit);
//! book.run(&admin, RosterCommand::RegisterVolunteer { volunteer: siti, profile })?;
//! book.run(&admin, RosterCommand::ChangeVolunteerStatus {
//!     volunteer: siti, status: VolunteerStatus::Active, reason: None })?;
//! let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
//! book.run(&admin, RosterCommand::RecordBackgroundCheck {
//!     volunteer: siti, check: BackgroundCheck::new(d(1, 5), d(12, 31)) })?;
//!
//! // A flood, a dapur umum and two overlapping shifts.
//! let flood = ids.next_id();
//! let start = Utc.with_ymd_and_hms(2026, 12, 2, 0, 0, 0).unwrap();
//! book.run(&admin, RosterCommand::OpenIncident { incident: flood,
//!     name: Name::try_new("Banjir Rakumpit")?, hazard: Hazard::Flood,
//!     affected: BTreeSet::from([petuk_bukit]), start })?;
//! let post = Post::new(ids.next_id(), PostKind::DapurUmum, Name::try_new("Dapur Umum Petuk Bukit")?, petuk_bukit);
//! book.run(&admin, RosterCommand::OpenPost { incident: flood, post: post.clone() })?;
//! let (morning, overlap) = (ids.next_id(), ids.next_id());
//! for (id, from) in [(morning, 0), (overlap, 4)] {
//!     let shift = Shift::new(id, flood, post.id, Name::try_new("juru masak")?,
//!         start + Duration::hours(from), start + Duration::hours(from + 6), 2);
//!     book.run(&admin, RosterCommand::PostShift { shift })?;
//! }
//!
//! // Siti is assigned to the morning; the overlapping shift is refused.
//! book.run(&admin, RosterCommand::Assign { assignment: ids.next_id(), shift: morning,
//!     volunteer: siti, override_: None })?;
//! let refused = book.run(&admin, RosterCommand::Assign { assignment: ids.next_id(),
//!     shift: overlap, volunteer: siti, override_: None });
//! assert!(matches!(refused.unwrap_err().rejection(), Some(RosterError::DoubleBooked { .. })));
//!
//! // Replaying the journal gives the same roster.
//! let replayed: Book<Roster, _> = Book::open(book.journal().clone(), book.clock().clone())?;
//! assert_eq!(replayed.state(), book.state());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Overview
//!
//! | Area | Types and methods |
//! |---|---|
//! | volunteers | [`Volunteer`], [`VolunteerProfile`], [`VolunteerStatus`], [`BackgroundCheck`], [`Availability`], [`Team`] |
//! | incidents | [`Incident`], [`Post`], [`PostKind`], [`Shift`] |
//! | assignments | [`Assignment`], [`AssignmentStatus`] (the state machine), [`Override`] |
//! | hard rules | [`Roster::check_assignment`], [`RosterPolicy`], [`RosterError`] |
//! | matching | [`Roster::match_shift`], [`Roster::call_out`], [`Roster::plan_auto_fill`], [`RosterCommand::AutoFill`] |
//! | hours | [`HoursEntry`], [`Roster::is_active_volunteer`], [`Roster::coverage`], [`Roster::expiring_within`], [`Roster::write_hours_csv`] |
//!
//! # Conventions
//!
//! - Times are UTC instants, intervals half-open `[start, end)`; dates for
//!   credentials and checks are the shift's first and last WIB days.
//! - The rules are per person: a person with two engagements (two
//!   organisations) still cannot be in two places at once.
//! - Clients mint ids ([`VolunteerId`], [`TeamId`], [`PostId`],
//!   [`ShiftId`], [`AssignmentId`]) with core's `IdGenerator`.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(clippy::print_stdout, clippy::print_stderr)]

mod assignment;
mod autofill;
mod command;
mod error;
mod event;
mod hours;
mod ids;
mod incident;
mod matching;
mod policy;
mod reports;
mod roster;
mod schedule;
mod stored;
mod volunteer;

pub use assignment::{Assignment, AssignmentOrigin, AssignmentStatus, OverridableRule, Override};
pub use autofill::AutoFillPlan;
pub use command::RosterCommand;
pub use error::{HoursWindow, RosterError};
pub use event::RosterEvent;
pub use hours::{HoursEntry, HoursSource};
pub use ids::{AssignmentId, PostId, ShiftId, TeamId, VolunteerId};
pub use incident::{Incident, Post, PostKind, Shift};
pub use matching::{CallOut, Candidate, Exclusion, Proximity, ShiftMatch};
pub use policy::{ActivityPolicy, RosterPolicy};
pub use reports::{Coverage, Expiring, ExpiringItem};
pub use roster::{MAX_CHECKOUT_MINUTES, MAX_LEVEL, MAX_MANUAL_MINUTES, Roster};
pub use volunteer::{
    Availability, AvailabilityException, BackgroundCheck, Team, Volunteer, VolunteerProfile,
    VolunteerStatus, WeeklyWindow,
};

//! Integration tests of tangguh-roster.

// Tests may unwrap, panic and index: a failure is a test failure.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
// Test helpers are shared between the modules; they need no API docs.
#![allow(
    missing_docs,
    unreachable_pub,
    clippy::missing_panics_doc,
    clippy::exhaustive_structs,
    clippy::exhaustive_enums,
    clippy::new_without_default,
    clippy::missing_errors_doc,
    missing_debug_implementations
)]

mod assignment;
mod hours;
mod invariants;
mod matching;
mod replay;
mod rules;
mod snapshot;

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use tangguh_core::{
    Actor, Book, BookError, CertificateNumber, Clock, CompetencyCode, Credential, FixedClock,
    Hazard, IdGenerator, IncidentId, MemoryJournal, Name, PersonId, RegionCode,
};
use tangguh_roster::{
    AssignmentId, BackgroundCheck, OverridableRule, Override, Post, PostId, PostKind, Roster,
    RosterCommand, RosterError, RosterEvent, Shift, ShiftId, TeamId, VolunteerId, VolunteerProfile,
    VolunteerStatus,
};

pub type RosterBook = Book<Roster, MemoryJournal<RosterEvent>>;

pub fn petuk_bukit() -> RegionCode {
    "62.71.05.1001".parse().unwrap()
}

pub fn mungku_baru() -> RegionCode {
    "62.71.05.1004".parse().unwrap()
}

pub fn elsewhere() -> RegionCode {
    "62.71.01.1001".parse().unwrap()
}

pub fn name(s: &str) -> Name {
    Name::try_new(s).unwrap()
}

pub fn code(s: &str) -> CompetencyCode {
    CompetencyCode::try_new(s).unwrap()
}

pub fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

/// Hours after 2 December 2026 00:00 WIB (= 1 December 17:00 UTC).
pub fn at(hours: i64) -> DateTime<Utc> {
    tangguh_core::wib().with_ymd_and_hms(2026, 12, 2, 0, 0, 0).unwrap().with_timezone(&Utc)
        + Duration::hours(hours)
}

/// A small world: a flood with one post in Petuk Bukit, a coordinator, and
/// helpers to add volunteers and shifts. The clock is 1 December 08:00 WIB.
pub struct World {
    pub book: RosterBook,
    pub ids: IdGenerator,
    pub actor: Actor,
    pub clock: Arc<FixedClock>,
    pub incident: IncidentId,
    pub post: PostId,
    pub team: TeamId,
    pub coordinator: VolunteerId,
    pub initial: Roster,
}

impl World {
    pub fn new() -> Self {
        Self::with_roster(Roster::default())
    }

    pub fn with_roster(roster: Roster) -> Self {
        let clock = Arc::new(FixedClock::wib(2026, 12, 1, 8, 0));
        let initial = roster.clone();
        let book = Book::open_with(roster, MemoryJournal::new(), clock.clone()).unwrap();
        let ids = IdGenerator::deterministic(11);
        let incident = ids.next_id();
        let post = ids.next_id();
        let team = ids.next_id();
        let mut world = Self {
            book,
            ids,
            actor: Actor::try_new("posko:rakumpit").unwrap(),
            clock,
            incident,
            post,
            team,
            coordinator: VolunteerId::from_bits_for_test(0),
            initial,
        };
        world
            .run(RosterCommand::OpenIncident {
                incident,
                name: name("Banjir Rakumpit"),
                hazard: Hazard::Flood,
                affected: BTreeSet::from([petuk_bukit()]),
                start: at(-24),
            })
            .unwrap();
        world
            .run(RosterCommand::OpenPost {
                incident,
                post: Post::new(post, PostKind::DapurUmum, name("Dapur Umum"), petuk_bukit()),
            })
            .unwrap();
        world
            .run(RosterCommand::FormTeam {
                team,
                name: name("Tim Reaksi Cepat"),
                capabilities: BTreeSet::new(),
            })
            .unwrap();
        let coordinator = world.volunteer();
        world.run(RosterCommand::AddTeamMember { team, volunteer: coordinator }).unwrap();
        world.run(RosterCommand::SetTeamCoordinator { team, coordinator }).unwrap();
        world.coordinator = coordinator;
        world
    }

    pub fn roster(&self) -> &Roster {
        self.book.state()
    }

    pub fn run(&mut self, command: RosterCommand) -> Result<Vec<RosterEvent>, RosterError> {
        match self.book.run(&self.actor, command) {
            Ok(outcome) => Ok(outcome.events().cloned().collect()),
            Err(BookError::Rejected(e)) => Err(e),
            Err(other) => panic!("book error: {other}"),
        }
    }

    /// An active volunteer of a new person, home in Petuk Bukit, background
    /// check valid all of 2026.
    pub fn volunteer(&mut self) -> VolunteerId {
        self.volunteer_with(|p| p)
    }

    pub fn volunteer_with(
        &mut self,
        f: impl FnOnce(VolunteerProfile) -> VolunteerProfile,
    ) -> VolunteerId {
        let person = self.ids.next_id();
        self.engagement(person, f)
    }

    /// Another engagement of `person` (with a new organisation).
    pub fn engagement(
        &mut self,
        person: PersonId,
        f: impl FnOnce(VolunteerProfile) -> VolunteerProfile,
    ) -> VolunteerId {
        let id = self.ids.next_id();
        let profile =
            f(VolunteerProfile::new(person, self.ids.next_id(), name("Relawan"), petuk_bukit()));
        self.run(RosterCommand::RegisterVolunteer { volunteer: id, profile }).unwrap();
        self.run(RosterCommand::ChangeVolunteerStatus {
            volunteer: id,
            status: VolunteerStatus::Active,
            reason: None,
        })
        .unwrap();
        self.run(RosterCommand::RecordBackgroundCheck {
            volunteer: id,
            check: BackgroundCheck::new(day(1, 1), day(12, 31)),
        })
        .unwrap();
        id
    }

    pub fn person(&self, v: VolunteerId) -> PersonId {
        self.roster().volunteer(v).unwrap().person()
    }

    pub fn credential(&mut self, v: VolunteerId, competency: &str, level: u8, until: NaiveDate) {
        let credential = Credential::new(
            self.person(v),
            code(competency),
            level,
            CertificateNumber::try_new("PMI/2026/1").unwrap(),
            self.ids.next_id(),
            day(1, 1),
        )
        .valid_until(until);
        self.run(RosterCommand::RecordCredential { volunteer: v, credential }).unwrap();
    }

    /// A shift from `start` to `start + len` hours after 2 Dec 00:00 WIB.
    pub fn shift(&mut self, start: i64, len: i64, headcount: u16) -> ShiftId {
        self.shift_with(start, len, headcount, |s| s)
    }

    pub fn shift_with(
        &mut self,
        start: i64,
        len: i64,
        headcount: u16,
        f: impl FnOnce(Shift) -> Shift,
    ) -> ShiftId {
        let id = self.ids.next_id();
        let shift = f(Shift::new(
            id,
            self.incident,
            self.post,
            name("juru masak"),
            at(start),
            at(start + len),
            headcount,
        ));
        self.run(RosterCommand::PostShift { shift }).unwrap();
        id
    }

    pub fn assign(
        &mut self,
        volunteer: VolunteerId,
        shift: ShiftId,
    ) -> Result<AssignmentId, RosterError> {
        self.assign_with(volunteer, shift, None)
    }

    pub fn assign_with(
        &mut self,
        volunteer: VolunteerId,
        shift: ShiftId,
        override_: Option<Override>,
    ) -> Result<AssignmentId, RosterError> {
        let assignment = self.ids.next_id();
        self.run(RosterCommand::Assign { assignment, shift, volunteer, override_ })?;
        Ok(assignment)
    }

    pub fn invite(
        &mut self,
        volunteer: VolunteerId,
        shift: ShiftId,
    ) -> Result<AssignmentId, RosterError> {
        let assignment = self.ids.next_id();
        self.run(RosterCommand::Invite { assignment, shift, volunteer })?;
        Ok(assignment)
    }

    pub fn override_(&self, lifts: &[OverridableRule]) -> Override {
        Override::new(self.coordinator, name("tidak ada relawan lain"), lifts.iter().copied())
    }

    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now()
    }

    /// A replayed copy of the book.
    pub fn replayed(&self) -> RosterBook {
        Book::open_with(self.initial.clone(), self.book.journal().clone(), self.clock.clone())
            .unwrap()
    }
}

/// Helpers for ids in tests.
pub trait TestId {
    fn from_bits_for_test(n: u128) -> Self;
}

impl<T: tangguh_core::Id> TestId for T {
    fn from_bits_for_test(n: u128) -> Self {
        T::from_bits(tangguh_core::IdBits::from_u128(n))
    }
}

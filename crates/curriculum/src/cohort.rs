//! Cohorts (one run of one course version), sessions, participants,
//! attendance, assessment and hours.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use tangguh_core::{Name, OrganizationId, PersonId, RegionCode, wib_date};

use crate::ids::{CertificateId, CohortId, CourseId, SessionId, WalkInId};

/// A dated meeting of a cohort, the half-open interval `[starts_at, ends_at)`:
/// a session ending at 10:00 does not overlap one starting at 10:00.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[allow(clippy::exhaustive_structs)] // plain input data: an id and an interval
pub struct Session {
    /// Its id.
    pub id: SessionId,
    /// When it starts (UTC).
    pub starts_at: DateTime<Utc>,
    /// When it ends (UTC), after it starts.
    pub ends_at: DateTime<Utc>,
}

impl Session {
    /// Whether the two sessions share any instant.
    #[must_use]
    pub fn overlaps(&self, other: &Session) -> bool {
        self.starts_at < other.ends_at && other.starts_at < self.ends_at
    }

    /// Its length in hours (whole minutes, exact).
    #[must_use]
    pub fn hours(&self) -> Decimal {
        let minutes = (self.ends_at - self.starts_at).num_minutes();
        Decimal::from(minutes).checked_div(Decimal::from(60)).unwrap_or(Decimal::ZERO)
    }
}

/// Who runs a cohort: the government lead and its partners (private sector,
/// NGOs, PMI…).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[allow(clippy::exhaustive_structs)] // plain input data: a lead and partners
pub struct Organisers {
    /// The organisation that issues the certificates (usually the government
    /// office, e.g. BPBD Kota Palangka Raya).
    pub lead: OrganizationId,
    /// Partners co-organising it.
    pub partners: Vec<OrganizationId>,
}

/// A cohort as a client schedules it. It runs the course's current version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[allow(clippy::exhaustive_structs)] // plain input data a front end fills in; a new field is a new schema version
pub struct CohortSpec {
    /// The course.
    pub course: CourseId,
    /// Who organises it.
    pub organisers: Organisers,
    /// The trainers.
    pub trainers: Vec<PersonId>,
    /// The kelurahan it is held in.
    pub venue: RegionCode,
    /// Its sessions (at least one; they must not overlap each other).
    pub sessions: Vec<Session>,
    /// Seats (at least one); further enrolments go to the waitlist.
    pub capacity: u32,
}

/// Where a person stands in a cohort.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ParticipantStatus {
    /// Holds a seat.
    Enrolled,
    /// Waiting for a seat.
    Waitlisted,
    /// Left (from a seat or the waitlist).
    Withdrawn,
    /// Came as a walk-in and was linked afterwards; holds no seat.
    WalkIn,
}

impl ParticipantStatus {
    /// Whether the person takes part (enrolled or a linked walk-in).
    #[must_use]
    pub fn takes_part(self) -> bool {
        matches!(self, Self::Enrolled | Self::WalkIn)
    }
}

/// Attendance at one session.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AttendanceStatus {
    /// Hadir.
    Present,
    /// Terlambat: came late; counts as attended.
    Late,
    /// Izin: excused; does not count as attended.
    Excused,
    /// Tidak hadir.
    Absent,
}

impl AttendanceStatus {
    /// Whether it counts as attended for the completion rule.
    #[must_use]
    pub fn attended(self) -> bool {
        matches!(self, Self::Present | Self::Late)
    }
}

/// An assessment result: pass/fail courses and competency-based (SKKNI)
/// courses use different words.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AssessmentResult {
    /// Lulus.
    Pass,
    /// Tidak lulus.
    Fail,
    /// Lulus bersyarat: completes the course only if its version's rule
    /// accepts a conditional pass.
    ConditionalPass,
    /// Kompeten (competency-based assessment).
    #[serde(rename = "kompeten")]
    Competent,
    /// Belum kompeten: not yet competent.
    #[serde(rename = "belum_kompeten")]
    NotYetCompetent,
}

impl AssessmentResult {
    /// Whether it is a success (a conditional pass counts when
    /// `accept_conditional`).
    #[must_use]
    pub fn succeeds(self, accept_conditional: bool) -> bool {
        match self {
            Self::Pass | Self::Competent => true,
            Self::ConditionalPass => accept_conditional,
            Self::Fail | Self::NotYetCompetent => false,
        }
    }
}

/// An assessment as recorded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Assessment {
    /// The result.
    pub result: AssessmentResult,
    /// The score, 0–100, if scored.
    pub score: Option<u8>,
    /// When it was recorded.
    pub recorded_at: DateTime<Utc>,
}

/// A participant's record in one cohort: three separate facts (attendance per
/// session, assessment, hours) and, once earned, the certificate.
#[derive(Clone, Debug, PartialEq, Eq, Default, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Participation {
    /// Where they stand; `None` only transiently.
    pub status: Option<ParticipantStatus>,
    /// Attendance per session.
    pub attendance: BTreeMap<SessionId, AttendanceStatus>,
    /// The latest assessment.
    pub assessment: Option<Assessment>,
    /// Hours credited for this cohort.
    pub hours: Option<Decimal>,
    /// The certificate issued for it.
    pub certificate: Option<CertificateId>,
}

impl Participation {
    /// How many sessions count as attended.
    #[must_use]
    pub fn attended(&self) -> u32 {
        let n = self.attendance.values().filter(|s| s.attended()).count();
        u32::try_from(n).unwrap_or(u32::MAX)
    }
}

/// A walk-in: someone who came to a session without enrolling, recorded by
/// name and linked to a person later.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WalkIn {
    /// Its id.
    pub id: WalkInId,
    /// The cohort.
    pub cohort: CohortId,
    /// The name as written on the attendance sheet.
    pub name: Name,
    /// Attendance per session.
    pub attendance: BTreeMap<SessionId, AttendanceStatus>,
    /// The person it was linked to, once linked.
    pub linked_to: Option<PersonId>,
}

/// One run of one course version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Cohort {
    /// Its id.
    pub id: CohortId,
    /// The course.
    pub course: CourseId,
    /// The course version it runs: every record is pinned to it.
    pub version: u32,
    /// Who organises it.
    pub organisers: Organisers,
    /// The trainers.
    pub trainers: Vec<PersonId>,
    /// The kelurahan it is held in.
    pub venue: RegionCode,
    /// The sessions, in time order.
    pub sessions: Vec<Session>,
    /// Seats.
    pub capacity: u32,
    /// Seats taken.
    pub enrolled: u32,
    /// Waiting people, first in line first.
    pub waitlist: Vec<PersonId>,
    /// Everyone who ever enrolled, waited or was linked from a walk-in.
    pub participants: BTreeMap<PersonId, Participation>,
    /// Walk-ins recorded at its sessions.
    pub walk_ins: Vec<WalkInId>,
}

impl Cohort {
    /// The WIB date of its first session: prerequisites are judged on it.
    #[must_use]
    pub fn start_date(&self) -> Option<NaiveDate> {
        self.sessions.first().map(|s| wib_date(s.starts_at))
    }

    /// The WIB date of its last session's end.
    #[must_use]
    pub fn end_date(&self) -> Option<NaiveDate> {
        self.sessions.iter().map(|s| s.ends_at).max().map(wib_date)
    }

    /// A session by id.
    #[must_use]
    pub fn session(&self, id: SessionId) -> Option<&Session> {
        self.sessions.iter().find(|s| s.id == id)
    }

    /// Total scheduled hours of its sessions.
    #[must_use]
    pub fn scheduled_hours(&self) -> Decimal {
        self.sessions.iter().fold(Decimal::ZERO, |acc, s| acc.saturating_add(s.hours()))
    }

    /// Seats left.
    #[must_use]
    pub fn free_seats(&self) -> u32 {
        self.capacity.saturating_sub(self.enrolled)
    }

    /// A person's status in it.
    #[must_use]
    pub fn status_of(&self, person: PersonId) -> Option<ParticipantStatus> {
        self.participants.get(&person).and_then(|p| p.status)
    }
}

/// Why a participant has not (yet) met a course version's completion rule.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Shortfall {
    /// Too few sessions attended.
    Attendance {
        /// Sessions attended (present or late).
        attended: u32,
        /// Sessions held.
        sessions: u32,
        /// Required share, in percent.
        required_percent: u8,
    },
    /// No assessment recorded.
    NotAssessed,
    /// The assessment result does not complete the course.
    NotPassed {
        /// The result.
        result: AssessmentResult,
    },
    /// The score is missing or below the pass mark.
    BelowPassMark {
        /// The score, if any.
        score: Option<u8>,
        /// The pass mark.
        pass_mark: u8,
    },
    /// Too few hours credited.
    Hours {
        /// Hours credited.
        credited: Decimal,
        /// Hours required.
        required: Decimal,
    },
}

/// The course a cohort record refers to, with its version: what a transcript
/// line is pinned to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PinnedVersion {
    /// The course.
    pub course: CourseId,
    /// The version.
    pub version: u32,
}

impl PinnedVersion {
    /// `course` at `version`.
    #[must_use]
    pub fn new(course: CourseId, version: u32) -> Self {
        Self { course, version }
    }
}

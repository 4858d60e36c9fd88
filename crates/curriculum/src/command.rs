//! What a client asks the curriculum to do.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use tangguh_core::{CertificateNumber, Credential, Name, PersonId};

use crate::cohort::{AssessmentResult, AttendanceStatus, CohortSpec};
use crate::course::{CourseCode, Programme, VersionSpec};
use crate::ids::{CertificateId, CohortId, CourseId, RequirementId, SessionId, TrackId, WalkInId};
use crate::requirement::RequirementNode;

/// A command to the [`Curriculum`](crate::Curriculum). Ids are minted by the
/// client. JSON: internally tagged by `"type"`, snake_case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum CurriculumCommand {
    /// Adds a course with its first version.
    CreateCourse {
        /// New course id.
        course: CourseId,
        /// Catalogue code, unique.
        code: CourseCode,
        /// Title.
        title: Name,
        /// Description (at most 4,000 characters).
        description: String,
        /// Programmes.
        programmes: BTreeSet<Programme>,
        /// Version 1.
        version: VersionSpec,
    },
    /// Adds a new version of a course; earlier records stay pinned to theirs.
    ReviseCourse {
        /// The course.
        course: CourseId,
        /// The new version.
        version: VersionSpec,
    },
    /// Sets (or clears) the requirement a person must meet to enrol.
    SetPrerequisite {
        /// The course.
        course: CourseId,
        /// The requirement node, or `None` for none.
        requirement: Option<RequirementId>,
    },
    /// Adds a requirement node, or replaces the node with this id.
    DefineRequirement {
        /// The node's id.
        requirement: RequirementId,
        /// The node.
        node: RequirementNode,
    },
    /// Adds or replaces a track.
    DefineTrack {
        /// The track's id.
        track: TrackId,
        /// Its name.
        name: Name,
        /// Its courses (at least one, no repeats).
        courses: Vec<CourseId>,
        /// An extra requirement, if any.
        requirement: Option<RequirementId>,
    },
    /// Records (or corrects) a learner's birth date, for age requirements.
    RegisterLearner {
        /// The person.
        person: PersonId,
        /// Their birth date (may be estimated).
        birth_date: NaiveDate,
    },
    /// Records a credential issued elsewhere (a PMI first-aid card, a BNSP
    /// certificate) so requirements can count it.
    RecordExternalCredential {
        /// The credential.
        credential: Credential,
    },
    /// Schedules a cohort of a course's current version.
    ScheduleCohort {
        /// New cohort id.
        cohort: CohortId,
        /// What, where, when, by whom.
        spec: CohortSpec,
    },
    /// Enrols a person: a seat if one is free, else the waitlist.
    Enrol {
        /// The cohort.
        cohort: CohortId,
        /// The person.
        person: PersonId,
    },
    /// Withdraws a person from a seat or the waitlist; a freed seat goes to
    /// the first waiting person who still qualifies.
    Withdraw {
        /// The cohort.
        cohort: CohortId,
        /// The person.
        person: PersonId,
    },
    /// Records (or corrects) a participant's attendance at a session.
    RecordAttendance {
        /// The cohort.
        cohort: CohortId,
        /// The session.
        session: SessionId,
        /// The participant.
        person: PersonId,
        /// The status.
        status: AttendanceStatus,
    },
    /// Records someone who came without enrolling.
    RecordWalkIn {
        /// The cohort.
        cohort: CohortId,
        /// The session.
        session: SessionId,
        /// New walk-in id, or an existing one of this cohort for a further
        /// session.
        walk_in: WalkInId,
        /// The name on the sheet.
        name: Name,
        /// The status.
        status: AttendanceStatus,
    },
    /// Links a walk-in to a person, who then takes part in the cohort
    /// (without a seat) if they meet its prerequisites.
    LinkWalkIn {
        /// The walk-in.
        walk_in: WalkInId,
        /// The person.
        person: PersonId,
    },
    /// Records (or corrects) a participant's assessment.
    RecordAssessment {
        /// The cohort.
        cohort: CohortId,
        /// The participant.
        person: PersonId,
        /// The result.
        result: AssessmentResult,
        /// The score, 0–100, if scored.
        score: Option<u8>,
    },
    /// Records (or corrects) the hours credited to a participant for a
    /// cohort (0 to the cohort's scheduled hours).
    RecordHours {
        /// The cohort.
        cohort: CohortId,
        /// The participant.
        person: PersonId,
        /// Hours.
        hours: Decimal,
    },
    /// Issues the certificate a participant earned: refused unless the
    /// cohort's course version's completion rule is met. Completing a
    /// refresher also renews the person's valid certificate of the refreshed
    /// course.
    IssueCertificate {
        /// The cohort.
        cohort: CohortId,
        /// The participant.
        person: PersonId,
        /// New certificate id.
        certificate: CertificateId,
        /// The printed number, unique.
        number: CertificateNumber,
        /// The issue date: on or after the last session, not after today.
        issued_on: NaiveDate,
    },
    /// Revokes a certificate from a date.
    RevokeCertificate {
        /// The certificate.
        certificate: CertificateId,
        /// First day it is no longer valid.
        on: NaiveDate,
        /// Why.
        reason: Name,
    },
}

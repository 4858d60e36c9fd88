//! What happened in the curriculum: the journal's events.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use tangguh_core::{Credential, DomainEvent, Name, PersonId};

use crate::certificate::Certificate;
use crate::cohort::{AssessmentResult, AttendanceStatus, CohortSpec};
use crate::course::{CourseCode, CourseVersion, Programme};
use crate::ids::{CertificateId, CohortId, CourseId, RequirementId, SessionId, TrackId, WalkInId};
use crate::requirement::RequirementNode;

/// An event of the curriculum. JSON: internally tagged by `"type"`,
/// snake_case; schema version [`CurriculumEvent::SCHEMA_VERSION`].
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum CurriculumEvent {
    /// A course was created with version 1.
    CourseCreated {
        /// The course.
        course: CourseId,
        /// Code.
        code: CourseCode,
        /// Title.
        title: Name,
        /// Description.
        description: String,
        /// Programmes.
        programmes: BTreeSet<Programme>,
        /// Version 1.
        version: CourseVersion,
    },
    /// A course got a new version.
    CourseRevised {
        /// The course.
        course: CourseId,
        /// The new version.
        version: CourseVersion,
    },
    /// A course's prerequisite was set or cleared.
    PrerequisiteSet {
        /// The course.
        course: CourseId,
        /// The requirement.
        requirement: Option<RequirementId>,
    },
    /// A requirement node was defined or replaced.
    RequirementDefined {
        /// Its id.
        requirement: RequirementId,
        /// The node.
        node: RequirementNode,
    },
    /// A track was defined or replaced.
    TrackDefined {
        /// Its id.
        track: TrackId,
        /// Name.
        name: Name,
        /// Courses.
        courses: Vec<CourseId>,
        /// Extra requirement.
        requirement: Option<RequirementId>,
    },
    /// A learner's birth date was recorded.
    LearnerRegistered {
        /// The person.
        person: PersonId,
        /// Birth date.
        birth_date: NaiveDate,
    },
    /// A credential from another issuer was recorded.
    ExternalCredentialRecorded {
        /// The credential.
        credential: Credential,
    },
    /// A cohort was scheduled, pinned to a course version.
    CohortScheduled {
        /// The cohort.
        cohort: CohortId,
        /// The version it runs.
        version: u32,
        /// The spec (sessions sorted by start).
        spec: CohortSpec,
    },
    /// A person took a seat.
    Enrolled {
        /// The cohort.
        cohort: CohortId,
        /// The person.
        person: PersonId,
    },
    /// A person joined the waitlist.
    Waitlisted {
        /// The cohort.
        cohort: CohortId,
        /// The person.
        person: PersonId,
    },
    /// A waiting person got a freed seat.
    PromotedFromWaitlist {
        /// The cohort.
        cohort: CohortId,
        /// The person.
        person: PersonId,
    },
    /// A person left a seat or the waitlist.
    Withdrawn {
        /// The cohort.
        cohort: CohortId,
        /// The person.
        person: PersonId,
    },
    /// Attendance was recorded.
    AttendanceRecorded {
        /// The cohort.
        cohort: CohortId,
        /// The session.
        session: SessionId,
        /// The participant.
        person: PersonId,
        /// The status.
        status: AttendanceStatus,
        /// When.
        recorded_at: DateTime<Utc>,
    },
    /// A walk-in's attendance was recorded.
    WalkInRecorded {
        /// The cohort.
        cohort: CohortId,
        /// The session.
        session: SessionId,
        /// The walk-in.
        walk_in: WalkInId,
        /// Name on the sheet.
        name: Name,
        /// The status.
        status: AttendanceStatus,
    },
    /// A walk-in was linked to a person; their attendance became the
    /// person's (a status already recorded for the person is kept).
    WalkInLinked {
        /// The walk-in.
        walk_in: WalkInId,
        /// The cohort.
        cohort: CohortId,
        /// The person.
        person: PersonId,
    },
    /// An assessment was recorded.
    AssessmentRecorded {
        /// The cohort.
        cohort: CohortId,
        /// The participant.
        person: PersonId,
        /// The result.
        result: AssessmentResult,
        /// The score.
        score: Option<u8>,
        /// When.
        recorded_at: DateTime<Utc>,
    },
    /// Hours were credited.
    HoursRecorded {
        /// The cohort.
        cohort: CohortId,
        /// The participant.
        person: PersonId,
        /// Hours.
        hours: Decimal,
    },
    /// A certificate was issued.
    CertificateIssued {
        /// The certificate.
        certificate: Certificate,
    },
    /// A certificate was renewed by a refresher's certificate.
    CertificateRenewed {
        /// The renewed certificate.
        certificate: CertificateId,
        /// The refresher's certificate.
        by: CertificateId,
        /// The new last valid day.
        valid_until: Option<NaiveDate>,
    },
    /// A certificate was revoked.
    CertificateRevoked {
        /// The certificate.
        certificate: CertificateId,
        /// First day not valid.
        on: NaiveDate,
        /// Why.
        reason: Name,
    },
}

impl DomainEvent for CurriculumEvent {
    const SCHEMA_VERSION: u32 = 1;
}

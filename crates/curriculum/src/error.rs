//! Why the curriculum refuses a command.

use chrono::{DateTime, NaiveDate, Utc};
use tangguh_core::{CertificateNumber, PersonId, ValidationError};

use crate::cohort::Shortfall;
use crate::ids::{CertificateId, CohortId, CourseId, SessionId, WalkInId};
use crate::requirement::{GraphNode, Unmet};

/// A refused command: what rule it broke, with the values. Nothing changed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CurriculumError {
    /// A field's value is not acceptable.
    #[error("invalid {field} {value:?}: {reason}")]
    Invalid {
        /// The field.
        field: &'static str,
        /// The value, shown.
        value: String,
        /// The rule it broke.
        reason: &'static str,
    },
    /// A validated core value was refused.
    #[error(transparent)]
    Validation(#[from] ValidationError),
    /// The command refers to something that does not exist.
    #[error("unknown {kind} {id}")]
    UnknownReference {
        /// What kind of thing (`"course"`, `"requirement"`, `"person"`…).
        kind: &'static str,
        /// Its id, shown.
        id: String,
    },
    /// Something with this id (or code, or number) already exists.
    #[error("{kind} {id} already exists")]
    AlreadyExists {
        /// What kind of thing.
        kind: &'static str,
        /// Its id, code or number, shown.
        id: String,
    },
    /// The change would close a cycle in the requirement graph; `path` starts
    /// and ends at the node being changed.
    #[error("the requirement graph would have a cycle: {}", join_path(path))]
    Cycle {
        /// The cycle, first node repeated at the end.
        path: Vec<GraphNode>,
    },
    /// The person is already enrolled in, or waiting for, the cohort.
    #[error("person {person} is already enrolled in or waitlisted for cohort {cohort}")]
    AlreadyEnrolled {
        /// The person.
        person: PersonId,
        /// The cohort.
        cohort: CohortId,
    },
    /// A session of the cohort overlaps a session of another cohort the
    /// person is enrolled in.
    #[error(
        "session {session} of cohort {cohort} overlaps session {other_session} of cohort {other_cohort} for person {person}"
    )]
    SessionsOverlap {
        /// The person.
        person: PersonId,
        /// The cohort asked for.
        cohort: CohortId,
        /// Its overlapping session.
        session: SessionId,
        /// The cohort already taken.
        other_cohort: CohortId,
        /// Its overlapping session.
        other_session: SessionId,
    },
    /// The person does not meet the course's prerequisites on the cohort's
    /// start date.
    #[error(
        "person {person} does not meet the prerequisites of course {course} on {on}: {}",
        join_unmet(unmet)
    )]
    PrerequisitesUnmet {
        /// The person.
        person: PersonId,
        /// The course.
        course: CourseId,
        /// The date judged (the cohort's start).
        on: NaiveDate,
        /// What is unmet.
        unmet: Vec<Unmet>,
    },
    /// The person takes no part in the cohort (not enrolled, not a linked
    /// walk-in).
    #[error("person {person} takes no part in cohort {cohort}")]
    NotParticipating {
        /// The person.
        person: PersonId,
        /// The cohort.
        cohort: CohortId,
    },
    /// The session has not started yet, so nobody can have attended it.
    #[error("session {session} starts at {starts_at}, after now")]
    SessionNotHeld {
        /// The session.
        session: SessionId,
        /// When it starts.
        starts_at: DateTime<Utc>,
    },
    /// The participant has not met the course version's completion rule.
    #[error("person {person} has not met the completion rule of cohort {cohort} ({} shortfalls)", shortfalls.len())]
    CompletionRuleNotMet {
        /// The person.
        person: PersonId,
        /// The cohort.
        cohort: CohortId,
        /// What falls short.
        shortfalls: Vec<Shortfall>,
    },
    /// The participant already holds this cohort's certificate.
    #[error("person {person} already has certificate {certificate} from cohort {cohort}")]
    AlreadyCertified {
        /// The person.
        person: PersonId,
        /// The cohort.
        cohort: CohortId,
        /// The certificate.
        certificate: CertificateId,
    },
    /// The certificate number is used by another certificate.
    #[error("certificate number {number} is already used")]
    DuplicateCertificateNumber {
        /// The number.
        number: CertificateNumber,
    },
    /// The certificate is already revoked.
    #[error("certificate {certificate} was already revoked on {on}")]
    AlreadyRevoked {
        /// The certificate.
        certificate: CertificateId,
        /// The day it was revoked.
        on: NaiveDate,
    },
    /// The walk-in is already linked to a person.
    #[error("walk-in {walk_in} is already linked to person {person}")]
    WalkInAlreadyLinked {
        /// The walk-in.
        walk_in: WalkInId,
        /// The person.
        person: PersonId,
    },
}

fn join_path(path: &[GraphNode]) -> String {
    path.iter().map(ToString::to_string).collect::<Vec<_>>().join(" → ")
}

fn join_unmet(unmet: &[Unmet]) -> String {
    unmet.iter().map(ToString::to_string).collect::<Vec<_>>().join("; ")
}

impl CurriculumError {
    pub(crate) fn invalid(field: &'static str, value: impl ToString, reason: &'static str) -> Self {
        Self::Invalid { field, value: value.to_string(), reason }
    }

    pub(crate) fn unknown(kind: &'static str, id: impl ToString) -> Self {
        Self::UnknownReference { kind, id: id.to_string() }
    }

    pub(crate) fn exists(kind: &'static str, id: impl ToString) -> Self {
        Self::AlreadyExists { kind, id: id.to_string() }
    }
}

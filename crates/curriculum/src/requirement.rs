//! The requirement graph: what a person must have done, hold or be before a
//! course or a track.
//!
//! Nodes are [`RequirementNode`]s named by a [`RequirementId`]. Edges run from
//! a course to its prerequisite node, from a group to its members, and from a
//! "course completed" node to that course. The curriculum refuses any change
//! that would close a cycle or point at something that does not exist, so the
//! graph is always a finite DAG and evaluation always terminates.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tangguh_core::{CompetencyCode, Name};

use crate::ids::{CourseId, RequirementId, TrackId};

/// One node of the requirement graph.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum RequirementNode {
    /// The person completed `course` (holds a certificate of it); with
    /// `still_valid`, one that is valid on the date asked about.
    CourseCompleted {
        /// The course.
        course: CourseId,
        /// Whether the certificate must still be valid on the date.
        still_valid: bool,
    },
    /// The person holds a credential attesting `competency` at `level` or
    /// above, valid on the date (from this curriculum or recorded from
    /// another issuer).
    CredentialHeld {
        /// The competency.
        competency: CompetencyCode,
        /// The minimum level, 1 or more.
        level: u8,
    },
    /// The person is at least `years` old on the date.
    MinimumAge {
        /// Whole years.
        years: u8,
    },
    /// Every member is met.
    AllOf {
        /// The members (at least one, no repeats).
        of: Vec<RequirementId>,
    },
    /// At least one member is met.
    AnyOf {
        /// The members (at least one, no repeats).
        of: Vec<RequirementId>,
    },
    /// At least `n` of the members are met (n-of-m).
    AtLeast {
        /// How many must be met, 1 to the number of members.
        n: u32,
        /// The members (no repeats).
        of: Vec<RequirementId>,
    },
}

impl RequirementNode {
    /// The graph nodes this node points at.
    #[must_use]
    pub fn targets(&self) -> Vec<GraphNode> {
        match self {
            Self::CourseCompleted { course, .. } => vec![GraphNode::Course(*course)],
            Self::CredentialHeld { .. } | Self::MinimumAge { .. } => Vec::new(),
            Self::AllOf { of } | Self::AnyOf { of } | Self::AtLeast { of, .. } => {
                of.iter().copied().map(GraphNode::Requirement).collect()
            }
        }
    }
}

/// A node of the graph as it appears in a cycle's path: a course (whose edge
/// goes to its prerequisite) or a requirement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum GraphNode {
    /// A course.
    Course(CourseId),
    /// A requirement node.
    Requirement(RequirementId),
}

impl fmt::Display for GraphNode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Course(id) => write!(f, "course {id}"),
            Self::Requirement(id) => write!(f, "requirement {id}"),
        }
    }
}

/// A track: the courses a role needs (e.g. "Relawan Siaga Banjir"), each
/// completed and valid, plus an optional extra requirement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Track {
    /// Its id.
    pub id: TrackId,
    /// Its name.
    pub name: Name,
    /// The courses, in the suggested order.
    pub courses: Vec<CourseId>,
    /// An extra requirement (an age, a credential from elsewhere), if any.
    pub requirement: Option<RequirementId>,
}

/// A requirement a person does not meet on a date: the answer to "why not".
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Unmet {
    /// The person never completed the course.
    CourseNotCompleted {
        /// The course.
        course: CourseId,
    },
    /// The person completed the course but no certificate of it is valid on
    /// the date (expired or revoked).
    CourseLapsed {
        /// The course.
        course: CourseId,
        /// The last day any of their certificates of it was valid.
        last_valid: Option<NaiveDate>,
    },
    /// No valid credential attests the competency at the level.
    CredentialMissing {
        /// The competency.
        competency: CompetencyCode,
        /// The level required.
        level: u8,
    },
    /// The person is younger than required, or their birth date is unknown.
    TooYoung {
        /// The minimum age in years.
        minimum: u8,
        /// Their age on the date, if known.
        age: Option<u32>,
    },
    /// Too few members of an any-of or n-of-m group are met (the unmet
    /// members are listed after this entry).
    GroupShort {
        /// The group.
        requirement: RequirementId,
        /// How many members must be met.
        needed: u32,
        /// How many are.
        met: u32,
    },
}

impl fmt::Display for Unmet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::CourseNotCompleted { course } => write!(f, "course {course} not completed"),
            Self::CourseLapsed { course, last_valid: Some(day) } => {
                write!(f, "certificate of course {course} lapsed after {day}")
            }
            Self::CourseLapsed { course, last_valid: None } => {
                write!(f, "certificate of course {course} not valid")
            }
            Self::CredentialMissing { competency, level } => {
                write!(f, "no valid credential {competency} at level {level}")
            }
            Self::TooYoung { minimum, age: Some(age) } => {
                write!(f, "aged {age}, at least {minimum} required")
            }
            Self::TooYoung { minimum, age: None } => {
                write!(f, "birth date unknown, at least {minimum} years required")
            }
            Self::GroupShort { requirement, needed, met } => {
                write!(f, "{met} of {needed} needed in group {requirement}")
            }
        }
    }
}

/// Whether a person may take a course or holds a track, on a date, and if
/// not, why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Eligibility {
    /// The date it was judged for.
    pub on: NaiveDate,
    /// What is not met; empty when eligible.
    pub unmet: Vec<Unmet>,
}

impl Eligibility {
    /// Whether everything is met.
    #[must_use]
    pub fn is_eligible(&self) -> bool {
        self.unmet.is_empty()
    }
}

/// What a learning path should reach.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum PathTarget {
    /// Completing a course: its prerequisites first, then the course (nothing,
    /// if the person holds a certificate of it valid on the date).
    Course {
        /// The course.
        course: CourseId,
    },
    /// Holding every course of a track, and its extra requirement.
    Track {
        /// The track.
        track: TrackId,
    },
    /// Holding a credential at a level.
    Credential {
        /// The competency.
        competency: CompetencyCode,
        /// The level.
        level: u8,
    },
}

/// The courses to take, in a valid order, to reach a [`PathTarget`], and
/// what no course can fix.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LearningPath {
    /// Courses to take, each after the ones its prerequisites need.
    pub courses: Vec<CourseId>,
    /// Requirements no course fixes (an age, a competency no course grants).
    pub blockers: Vec<Unmet>,
}

impl LearningPath {
    /// Whether the target is reachable by taking [`LearningPath::courses`].
    #[must_use]
    pub fn is_reachable(&self) -> bool {
        self.blockers.is_empty()
    }
}

//! Why the roster refuses a command.

use chrono::NaiveDate;
use tangguh_core::{CompetencyCode, IncidentId};

use crate::assignment::AssignmentStatus;
use crate::ids::{AssignmentId, PostId, ShiftId, TeamId, VolunteerId};
use crate::volunteer::VolunteerStatus;

/// The rolling window a maximum-hours rule is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum HoursWindow {
    /// Any 24 hours.
    Day,
    /// Any 7 days.
    Week,
}

impl std::fmt::Display for HoursWindow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Self::Day => "24 h",
            Self::Week => "7 days",
        })
    }
}

/// Why the roster refused a command (or why matching excluded a
/// volunteer). Every message names the rule and the values involved; none
/// shows personal data.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RosterError {
    /// A field's value is malformed.
    #[error("invalid {field} {value:?}: {reason}")]
    InvalidInput {
        /// The field.
        field: &'static str,
        /// The value, as shown.
        value: String,
        /// The rule it broke.
        reason: &'static str,
    },
    /// An id that must be new is already used.
    #[error("{kind} {id} already exists")]
    DuplicateId {
        /// What kind of entity.
        kind: &'static str,
        /// The id.
        id: String,
    },
    /// The person already has an engagement with this organisation.
    #[error("the person already volunteers with this organisation as {existing}")]
    DuplicateEngagement {
        /// The existing engagement.
        existing: VolunteerId,
    },
    /// No such volunteer.
    #[error("unknown volunteer {0}")]
    UnknownVolunteer(VolunteerId),
    /// No such team.
    #[error("unknown team {0}")]
    UnknownTeam(TeamId),
    /// No such incident.
    #[error("unknown incident {0}")]
    UnknownIncident(IncidentId),
    /// No such post in the incident.
    #[error("unknown post {post} in incident {incident}")]
    UnknownPost {
        /// The incident.
        incident: IncidentId,
        /// The post.
        post: PostId,
    },
    /// No such shift.
    #[error("unknown shift {0}")]
    UnknownShift(ShiftId),
    /// No such assignment.
    #[error("unknown assignment {0}")]
    UnknownAssignment(AssignmentId),
    /// No such hours entry.
    #[error("unknown hours entry {0}")]
    UnknownHoursEntry(u64),
    /// The incident is closed.
    #[error("incident {0} is closed")]
    IncidentClosed(IncidentId),
    /// The shift was cancelled.
    #[error("shift {0} is cancelled")]
    ShiftCancelled(ShiftId),
    /// Every seat of the shift is held.
    #[error("shift {shift} is full ({headcount} needed, all held)")]
    ShiftFull {
        /// The shift.
        shift: ShiftId,
        /// Its headcount.
        headcount: u16,
    },
    /// The volunteer already holds a live assignment for this shift.
    #[error("volunteer {volunteer} already holds assignment {existing} for shift {shift}")]
    AlreadyAssigned {
        /// The volunteer.
        volunteer: VolunteerId,
        /// The shift.
        shift: ShiftId,
        /// The live assignment.
        existing: AssignmentId,
    },
    /// The volunteer status does not allow this change.
    #[error("volunteer {volunteer} cannot go from {from:?} to {to:?}")]
    IllegalStatusChange {
        /// The volunteer.
        volunteer: VolunteerId,
        /// The current status.
        from: VolunteerStatus,
        /// The status asked for.
        to: VolunteerStatus,
    },
    /// The assignment lifecycle does not allow this transition.
    #[error("assignment {assignment} cannot go from {from} to {to}")]
    IllegalTransition {
        /// The assignment.
        assignment: AssignmentId,
        /// Its current state.
        from: AssignmentStatus,
        /// The state asked for.
        to: AssignmentStatus,
    },
    /// Hard rule: the person is committed elsewhere at an overlapping time.
    /// Nothing overrides it.
    #[error(
        "volunteer {volunteer} is double booked: shift {shift} overlaps committed shift {conflicting_shift}"
    )]
    DoubleBooked {
        /// The volunteer.
        volunteer: VolunteerId,
        /// The shift asked for.
        shift: ShiftId,
        /// The committed shift it overlaps.
        conflicting_shift: ShiftId,
    },
    /// Hard rule: too little rest between this shift and another.
    #[error(
        "volunteer {volunteer} would rest {rest_minutes} min between shift {shift} and shift {other_shift}; at least {min_minutes} min are required"
    )]
    RestTooShort {
        /// The volunteer.
        volunteer: VolunteerId,
        /// The shift asked for.
        shift: ShiftId,
        /// The neighbouring committed shift.
        other_shift: ShiftId,
        /// The rest that would be left, in minutes.
        rest_minutes: i64,
        /// The policy's minimum, in minutes.
        min_minutes: u32,
    },
    /// Hard rule: too many hours in a rolling window.
    #[error(
        "volunteer {volunteer} would work {minutes} min in {window}; at most {max_minutes} min are allowed"
    )]
    TooManyHours {
        /// The volunteer.
        volunteer: VolunteerId,
        /// The window.
        window: HoursWindow,
        /// Committed minutes in the busiest such window, with this shift.
        minutes: i64,
        /// The policy's maximum, in minutes.
        max_minutes: u32,
    },
    /// Hard rule: no credential valid for the whole shift.
    #[error(
        "volunteer {volunteer} has no {competency} credential at level {level} valid from {first_day} to {last_day}"
    )]
    CredentialInvalid {
        /// The volunteer.
        volunteer: VolunteerId,
        /// The competency required.
        competency: CompetencyCode,
        /// The level required.
        level: u8,
        /// The shift's first WIB day.
        first_day: NaiveDate,
        /// The shift's last WIB day.
        last_day: NaiveDate,
    },
    /// Hard rule: a skill below the required level.
    #[error("volunteer {volunteer} has {skill} at level {actual}; level {required} is required")]
    SkillTooLow {
        /// The volunteer.
        volunteer: VolunteerId,
        /// The skill.
        skill: CompetencyCode,
        /// The level required.
        required: u8,
        /// The volunteer's level (0 = none).
        actual: u8,
    },
    /// Hard rule: no background check valid for the whole shift.
    #[error(
        "volunteer {volunteer} has no background check valid from {first_day} to {last_day} (last valid until {valid_until:?})"
    )]
    BackgroundCheckExpired {
        /// The volunteer.
        volunteer: VolunteerId,
        /// The last day of the latest check, or `None` if never checked.
        valid_until: Option<NaiveDate>,
        /// The shift's first WIB day.
        first_day: NaiveDate,
        /// The shift's last WIB day.
        last_day: NaiveDate,
    },
    /// Hard rule: the volunteer is not active.
    #[error("volunteer {volunteer} is {status:?}, not active")]
    NotActive {
        /// The volunteer.
        volunteer: VolunteerId,
        /// The status.
        status: VolunteerStatus,
    },
    /// Matching only: the volunteer said they are not available then.
    #[error("volunteer {volunteer} is not available for shift {shift}")]
    Unavailable {
        /// The volunteer.
        volunteer: VolunteerId,
        /// The shift.
        shift: ShiftId,
    },
    /// The override's coordinator coordinates no team.
    #[error("volunteer {0} coordinates no team and cannot override")]
    NotCoordinator(VolunteerId),
    /// A report could not be written.
    #[error("export failed: {0}")]
    Export(String),
    /// The hours entry was already reversed, or is itself a reversal.
    #[error("hours entry {0} cannot be reversed (already reversed, or a reversal)")]
    NotReversible(u64),
}

impl RosterError {
    /// Whether this is one of the hard rules an assignment must meet (as
    /// opposed to a missing record or a malformed command).
    #[must_use]
    pub fn is_hard_rule(&self) -> bool {
        matches!(
            self,
            Self::DoubleBooked { .. }
                | Self::RestTooShort { .. }
                | Self::TooManyHours { .. }
                | Self::CredentialInvalid { .. }
                | Self::SkillTooLow { .. }
                | Self::BackgroundCheckExpired { .. }
                | Self::NotActive { .. }
        )
    }
}

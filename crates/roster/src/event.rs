//! What happened, as recorded in the journal.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tangguh_core::{
    CompetencyCode, Credential, DomainEvent, Hazard, IncidentId, Name, PersonId, RegionCode,
};

use crate::assignment::{AssignmentOrigin, AssignmentStatus, Override};
use crate::ids::{AssignmentId, ShiftId, TeamId, VolunteerId};
use crate::incident::{Post, Shift};
use crate::policy::RosterPolicy;
use crate::volunteer::{Availability, BackgroundCheck, VolunteerProfile, VolunteerStatus};

/// An event of the roster. JSON form: internally tagged by `"type"` in
/// snake_case. Schema version 1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum RosterEvent {
    /// The policy was set.
    PolicySet {
        /// The policy.
        policy: RosterPolicy,
    },
    /// A volunteer engagement was registered (status `applied`).
    VolunteerRegistered {
        /// Its id.
        volunteer: VolunteerId,
        /// The profile.
        profile: VolunteerProfile,
    },
    /// A volunteer's status changed.
    VolunteerStatusChanged {
        /// The volunteer.
        volunteer: VolunteerId,
        /// The new status.
        status: VolunteerStatus,
        /// Why.
        reason: Option<Name>,
    },
    /// A skill level was set (0 removes it).
    SkillSet {
        /// The volunteer.
        volunteer: VolunteerId,
        /// The skill.
        skill: CompetencyCode,
        /// The level.
        level: u8,
    },
    /// A credential was recorded.
    CredentialRecorded {
        /// The volunteer.
        volunteer: VolunteerId,
        /// The credential.
        credential: Credential,
    },
    /// A background check was recorded.
    BackgroundCheckRecorded {
        /// The volunteer.
        volunteer: VolunteerId,
        /// The check.
        check: BackgroundCheck,
    },
    /// Availability was set.
    AvailabilitySet {
        /// The volunteer.
        volunteer: VolunteerId,
        /// The availability.
        availability: Availability,
    },
    /// A team was formed.
    TeamFormed {
        /// Its id.
        team: TeamId,
        /// Its name.
        name: Name,
        /// Its capabilities.
        capabilities: BTreeSet<CompetencyCode>,
    },
    /// A member joined a team.
    TeamMemberAdded {
        /// The team.
        team: TeamId,
        /// The volunteer.
        volunteer: VolunteerId,
    },
    /// A member left a team.
    TeamMemberRemoved {
        /// The team.
        team: TeamId,
        /// The volunteer.
        volunteer: VolunteerId,
    },
    /// A team's coordinator was named.
    TeamCoordinatorSet {
        /// The team.
        team: TeamId,
        /// The coordinator.
        coordinator: VolunteerId,
    },
    /// An incident was opened.
    IncidentOpened {
        /// Its id.
        incident: IncidentId,
        /// Its name.
        name: Name,
        /// The hazard.
        hazard: Hazard,
        /// The kelurahan affected.
        affected: BTreeSet<RegionCode>,
        /// When it started.
        start: DateTime<Utc>,
    },
    /// An incident was closed.
    IncidentClosed {
        /// The incident.
        incident: IncidentId,
        /// When.
        at: DateTime<Utc>,
    },
    /// A post was opened.
    PostOpened {
        /// The incident.
        incident: IncidentId,
        /// The post.
        post: Post,
    },
    /// A shift was posted.
    ShiftPosted {
        /// The shift.
        shift: Shift,
    },
    /// A shift was cancelled (its live assignments are cancelled by their
    /// own events).
    ShiftCancelled {
        /// The shift.
        shift: ShiftId,
        /// Why.
        reason: Name,
    },
    /// An assignment was created.
    AssignmentCreated {
        /// Its id.
        assignment: AssignmentId,
        /// The shift.
        shift: ShiftId,
        /// The volunteer.
        volunteer: VolunteerId,
        /// The volunteer's person.
        person: PersonId,
        /// Its first state: `invited`, `applied` or `confirmed`.
        status: AssignmentStatus,
        /// Who started it.
        origin: AssignmentOrigin,
        /// The override it was committed under, if confirmed with one.
        #[serde(rename = "override")]
        override_: Option<Override>,
    },
    /// An invitation or application was confirmed.
    AssignmentConfirmed {
        /// The assignment.
        assignment: AssignmentId,
        /// The override it was committed under, if any.
        #[serde(rename = "override")]
        override_: Option<Override>,
    },
    /// An assignment was cancelled.
    AssignmentCancelled {
        /// The assignment.
        assignment: AssignmentId,
        /// Why.
        reason: Name,
    },
    /// The volunteer checked in.
    CheckedIn {
        /// The assignment.
        assignment: AssignmentId,
        /// When.
        at: DateTime<Utc>,
    },
    /// The volunteer checked out; an hours entry is appended.
    CheckedOut {
        /// The assignment.
        assignment: AssignmentId,
        /// When.
        at: DateTime<Utc>,
        /// Minutes served.
        minutes: u32,
    },
    /// The volunteer did not come.
    NoShowRecorded {
        /// The assignment.
        assignment: AssignmentId,
    },
    /// Hours were recorded by hand; an hours entry is appended.
    HoursRecorded {
        /// The volunteer.
        volunteer: VolunteerId,
        /// The day (WIB).
        date: NaiveDate,
        /// Minutes.
        minutes: u32,
        /// The incident, if any.
        incident: Option<IncidentId>,
        /// What for.
        note: Name,
    },
    /// An hours entry was reversed; a reversal entry is appended.
    HoursReversed {
        /// The entry reversed.
        entry: u64,
        /// Why.
        reason: Name,
    },
}

impl DomainEvent for RosterEvent {
    const SCHEMA_VERSION: u32 = 1;
}

//! What a client asks the roster to do.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use tangguh_core::{CompetencyCode, Credential, Hazard, IncidentId, Name, RegionCode};

use crate::assignment::Override;
use crate::ids::{AssignmentId, ShiftId, TeamId, VolunteerId};
use crate::incident::{Post, Shift};
use crate::policy::RosterPolicy;
use crate::volunteer::{Availability, BackgroundCheck, VolunteerProfile, VolunteerStatus};

/// A command to the [`Roster`](crate::Roster). JSON form: internally tagged
/// by `"type"` in snake_case, e.g. `{"type": "check_in", "assignment": "…"}`.
/// Clients mint the ids of new records.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum RosterCommand {
    /// Sets the limits of the hard rules and the activity rule.
    SetPolicy {
        /// The new policy.
        policy: RosterPolicy,
    },
    /// Registers a volunteer engagement (status `applied`).
    RegisterVolunteer {
        /// The new engagement's id.
        volunteer: VolunteerId,
        /// Who and with whom.
        profile: VolunteerProfile,
    },
    /// Changes a volunteer's status. Suspending or retiring also cancels
    /// their assignments whose shifts have not started.
    ChangeVolunteerStatus {
        /// The volunteer.
        volunteer: VolunteerId,
        /// The new status.
        status: VolunteerStatus,
        /// Why (kept with the status).
        reason: Option<Name>,
    },
    /// Sets a skill level (1–9), or removes the skill with level 0.
    SetSkill {
        /// The volunteer.
        volunteer: VolunteerId,
        /// The skill type.
        skill: CompetencyCode,
        /// The level.
        level: u8,
    },
    /// Records a credential the volunteer holds (issued to the same person).
    RecordCredential {
        /// The volunteer.
        volunteer: VolunteerId,
        /// The credential.
        credential: Credential,
    },
    /// Records a background check (replacing the previous one).
    RecordBackgroundCheck {
        /// The volunteer.
        volunteer: VolunteerId,
        /// The check.
        check: BackgroundCheck,
    },
    /// Sets when a volunteer can serve.
    SetAvailability {
        /// The volunteer.
        volunteer: VolunteerId,
        /// The availability.
        availability: Availability,
    },
    /// Forms a team.
    FormTeam {
        /// The new team's id.
        team: TeamId,
        /// Its name.
        name: Name,
        /// Its capabilities.
        capabilities: BTreeSet<CompetencyCode>,
    },
    /// Adds a member to a team.
    AddTeamMember {
        /// The team.
        team: TeamId,
        /// The volunteer.
        volunteer: VolunteerId,
    },
    /// Removes a member from a team (and as coordinator, if they were).
    RemoveTeamMember {
        /// The team.
        team: TeamId,
        /// The volunteer.
        volunteer: VolunteerId,
    },
    /// Names a member the team's coordinator.
    SetTeamCoordinator {
        /// The team.
        team: TeamId,
        /// The coordinator (must be a member).
        coordinator: VolunteerId,
    },
    /// Opens an incident.
    OpenIncident {
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
    /// Closes an incident at the time of the command.
    CloseIncident {
        /// The incident.
        incident: IncidentId,
    },
    /// Opens a post of an incident.
    OpenPost {
        /// The incident.
        incident: IncidentId,
        /// The post.
        post: Post,
    },
    /// Posts a shift (a need) at a post of an open incident.
    PostShift {
        /// The shift (not cancelled).
        shift: Shift,
    },
    /// Cancels a shift and every live assignment to it.
    CancelShift {
        /// The shift.
        shift: ShiftId,
        /// Why.
        reason: Name,
    },
    /// A coordinator invites a volunteer to a shift.
    Invite {
        /// The new assignment's id.
        assignment: AssignmentId,
        /// The shift.
        shift: ShiftId,
        /// The volunteer.
        volunteer: VolunteerId,
    },
    /// A volunteer applies for a shift.
    Apply {
        /// The new assignment's id.
        assignment: AssignmentId,
        /// The shift.
        shift: ShiftId,
        /// The volunteer.
        volunteer: VolunteerId,
    },
    /// A coordinator assigns a volunteer directly (confirmed at once),
    /// possibly with an override of the rest or maximum-hours rules.
    Assign {
        /// The new assignment's id.
        assignment: AssignmentId,
        /// The shift.
        shift: ShiftId,
        /// The volunteer.
        volunteer: VolunteerId,
        /// A coordinator's override, if any.
        #[serde(rename = "override")]
        override_: Option<Override>,
    },
    /// Confirms an invitation or application (the hard rules are checked).
    Confirm {
        /// The assignment.
        assignment: AssignmentId,
        /// A coordinator's override, if any.
        #[serde(rename = "override")]
        override_: Option<Override>,
    },
    /// Cancels an assignment (declined, withdrawn, not needed).
    Cancel {
        /// The assignment.
        assignment: AssignmentId,
        /// Why.
        reason: Name,
    },
    /// Records the volunteer's arrival, at the time of the command.
    CheckIn {
        /// The assignment.
        assignment: AssignmentId,
    },
    /// Records the volunteer's departure and their hours: `minutes` if given
    /// (at most 24 h), otherwise the time since check-in.
    CheckOut {
        /// The assignment.
        assignment: AssignmentId,
        /// Minutes served, if stated.
        minutes: Option<u32>,
    },
    /// Records that the volunteer did not come.
    RecordNoShow {
        /// The assignment.
        assignment: AssignmentId,
    },
    /// Records hours served outside a shift (training others, preparation).
    RecordHours {
        /// The volunteer.
        volunteer: VolunteerId,
        /// The day (WIB), not after today.
        date: NaiveDate,
        /// Minutes served (1 to 31 days' worth).
        minutes: u32,
        /// The incident, if any.
        incident: Option<IncidentId>,
        /// What for.
        note: Name,
    },
    /// Corrects an hours entry by recording its reversal (never an edit).
    ReverseHours {
        /// The entry's number.
        entry: u64,
        /// Why.
        reason: Name,
    },
    /// Fills the open seats of an incident's shifts (see
    /// [`Roster::plan_auto_fill`](crate::Roster::plan_auto_fill)); records
    /// one assignment per filled seat, with ids derived from `id_seed`
    /// (the k-th gets `id_seed`'s bits + k).
    AutoFill {
        /// The incident.
        incident: IncidentId,
        /// A fresh assignment id to derive the new ids from.
        id_seed: AssignmentId,
        /// `true`: assignments are confirmed at once; `false`: invitations.
        confirm: bool,
    },
}

//! The roster's state, its rules (decide) and its changes (apply).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, Utc};
use tangguh_core::{Aggregate, Context, IncidentId, Name, OrganizationId, PersonId, wib_date};

use crate::assignment::{
    Assignment, AssignmentOrigin, AssignmentStatus, OverridableRule, Override,
};
use crate::command::RosterCommand;
use crate::error::{HoursWindow, RosterError};
use crate::event::RosterEvent;
use crate::hours::{HoursEntry, HoursSource};
use crate::ids::{AssignmentId, ShiftId, TeamId, VolunteerId};
use crate::incident::{Incident, Shift};
use crate::policy::RosterPolicy;
use crate::schedule::{Booking, Schedule};
use crate::volunteer::{Team, Volunteer, VolunteerStatus, wib_days};

/// The most a skill level or required level may be.
pub const MAX_LEVEL: u8 = 9;
/// The most minutes a check-out may record.
pub const MAX_CHECKOUT_MINUTES: u32 = 24 * 60;
/// The most minutes one manual hours entry may record (31 days).
pub const MAX_MANUAL_MINUTES: u32 = 31 * 24 * 60;

/// The roster: volunteers, teams, incidents, shifts, assignments and the
/// hours record, with the hard rules. Implements core's
/// [`Aggregate`](tangguh_core::Aggregate): run it in a
/// [`Book`](tangguh_core::Book).
///
/// The hard rules an assignment must meet to become committed (see
/// [`Roster::check_assignment`]): the volunteer is active, has a background
/// check and every required credential valid on the shift's first and last
/// WIB day, every required skill at the level; and the person (across all
/// their engagements) is not committed at an overlapping time (half-open
/// intervals; nothing overrides this), rests at least the policy's minimum
/// between shifts and stays within the maximum hours per rolling 24 h and 7
/// days (a coordinator's recorded [`Override`] may lift those two).
///
/// It serialises (for snapshots) as its records only; the lookup indexes
/// are rebuilt, and the records checked against each other, when it is
/// deserialised (see its `Deserialize` impl).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Roster {
    pub(crate) policy: RosterPolicy,
    pub(crate) volunteers: BTreeMap<VolunteerId, Volunteer>,
    pub(crate) engagements: BTreeMap<(PersonId, OrganizationId), VolunteerId>,
    pub(crate) teams: BTreeMap<TeamId, Team>,
    pub(crate) incidents: BTreeMap<IncidentId, Incident>,
    pub(crate) shifts: BTreeMap<ShiftId, Shift>,
    pub(crate) shifts_by_incident: BTreeMap<IncidentId, BTreeSet<ShiftId>>,
    pub(crate) assignments: BTreeMap<AssignmentId, Assignment>,
    pub(crate) by_shift: BTreeMap<ShiftId, BTreeSet<AssignmentId>>,
    pub(crate) by_volunteer: BTreeMap<VolunteerId, BTreeSet<AssignmentId>>,
    pub(crate) schedules: BTreeMap<PersonId, Schedule>,
    pub(crate) hours: Vec<HoursEntry>,
    pub(crate) reversed: BTreeSet<u64>,
    pub(crate) committed_count: u64,
}

fn invalid(field: &'static str, value: impl ToString, reason: &'static str) -> RosterError {
    RosterError::InvalidInput { field, value: value.to_string(), reason }
}

impl Roster {
    /// An empty roster with `policy`.
    #[must_use]
    pub fn with_policy(policy: RosterPolicy) -> Self {
        Self { policy, ..Self::default() }
    }

    /// The policy in force.
    #[must_use]
    pub fn policy(&self) -> &RosterPolicy {
        &self.policy
    }

    /// A volunteer.
    #[must_use]
    pub fn volunteer(&self, id: VolunteerId) -> Option<&Volunteer> {
        self.volunteers.get(&id)
    }

    /// Every volunteer, by id.
    pub fn volunteers(&self) -> impl Iterator<Item = &Volunteer> {
        self.volunteers.values()
    }

    /// A team.
    #[must_use]
    pub fn team(&self, id: TeamId) -> Option<&Team> {
        self.teams.get(&id)
    }

    /// An incident.
    #[must_use]
    pub fn incident(&self, id: IncidentId) -> Option<&Incident> {
        self.incidents.get(&id)
    }

    /// A shift.
    #[must_use]
    pub fn shift(&self, id: ShiftId) -> Option<&Shift> {
        self.shifts.get(&id)
    }

    /// The shifts of an incident, by id.
    pub fn shifts_of(&self, incident: IncidentId) -> impl Iterator<Item = &Shift> {
        self.shifts_by_incident
            .get(&incident)
            .into_iter()
            .flatten()
            .filter_map(|id| self.shifts.get(id))
    }

    /// An assignment.
    #[must_use]
    pub fn assignment(&self, id: AssignmentId) -> Option<&Assignment> {
        self.assignments.get(&id)
    }

    /// Every assignment, by id.
    pub fn assignments(&self) -> impl Iterator<Item = &Assignment> {
        self.assignments.values()
    }

    /// The assignments to a shift.
    pub fn assignments_to(&self, shift: ShiftId) -> impl Iterator<Item = &Assignment> {
        self.by_shift.get(&shift).into_iter().flatten().filter_map(|id| self.assignments.get(id))
    }

    /// The assignments of a volunteer.
    pub fn assignments_of(&self, volunteer: VolunteerId) -> impl Iterator<Item = &Assignment> {
        self.by_volunteer
            .get(&volunteer)
            .into_iter()
            .flatten()
            .filter_map(|id| self.assignments.get(id))
    }

    /// The hours record, in order.
    #[must_use]
    pub fn hours(&self) -> &[HoursEntry] {
        &self.hours
    }

    /// How many seats of a shift are held (assignments not cancelled or
    /// no-show) and how many are committed.
    #[must_use]
    pub fn seats(&self, shift: ShiftId) -> (u16, u16) {
        let mut held = 0u16;
        let mut committed = 0u16;
        for a in self.assignments_to(shift) {
            if a.status.holds_seat() {
                held = held.saturating_add(1);
            }
            if a.status.is_committed() {
                committed = committed.saturating_add(1);
            }
        }
        (held, committed)
    }

    /// The committed intervals of a person, by start: `(start, end, shift,
    /// assignment)`.
    pub fn committed_intervals(
        &self,
        person: PersonId,
    ) -> impl Iterator<Item = (DateTime<Utc>, DateTime<Utc>, ShiftId, AssignmentId)> + '_ {
        self.schedules
            .get(&person)
            .into_iter()
            .flat_map(Schedule::iter)
            .map(|b| (b.start, b.end, b.shift, b.assignment))
    }

    /// Whether `volunteer` coordinates some team.
    #[must_use]
    pub fn is_coordinator(&self, volunteer: VolunteerId) -> bool {
        self.teams.values().any(|t| t.coordinator == Some(volunteer))
    }

    /// Checks every hard rule for committing `volunteer` to `shift` now,
    /// under `override_` if given, and says which rule fails first (in this
    /// order: active, background check, skills, credentials, double booking,
    /// rest, hours per 24 h, hours per 7 days).
    ///
    /// # Errors
    ///
    /// [`RosterError::UnknownVolunteer`] / [`RosterError::UnknownShift`], or
    /// the hard rule broken.
    pub fn check_assignment(
        &self,
        volunteer: VolunteerId,
        shift: ShiftId,
        override_: Option<&Override>,
    ) -> Result<(), RosterError> {
        let v = self.volunteers.get(&volunteer).ok_or(RosterError::UnknownVolunteer(volunteer))?;
        let s = self.shifts.get(&shift).ok_or(RosterError::UnknownShift(shift))?;
        self.check_static(v, s)?;
        check_time(&self.policy, v.id, s, self.schedules.get(&v.person()), override_)
    }

    /// The rules that depend only on the volunteer and the shift.
    pub(crate) fn check_static(&self, v: &Volunteer, s: &Shift) -> Result<(), RosterError> {
        check_profile(v, s)?;
        check_dated(v, s)
    }

    // ----- deciding -----

    fn volunteer_ref(&self, id: VolunteerId) -> Result<&Volunteer, RosterError> {
        self.volunteers.get(&id).ok_or(RosterError::UnknownVolunteer(id))
    }

    fn team_ref(&self, id: TeamId) -> Result<&Team, RosterError> {
        self.teams.get(&id).ok_or(RosterError::UnknownTeam(id))
    }

    fn open_incident(&self, id: IncidentId) -> Result<&Incident, RosterError> {
        let incident = self.incidents.get(&id).ok_or(RosterError::UnknownIncident(id))?;
        if incident.is_closed() {
            return Err(RosterError::IncidentClosed(id));
        }
        Ok(incident)
    }

    fn assignment_ref(&self, id: AssignmentId) -> Result<&Assignment, RosterError> {
        self.assignments.get(&id).ok_or(RosterError::UnknownAssignment(id))
    }

    fn transition(
        &self,
        id: AssignmentId,
        to: AssignmentStatus,
    ) -> Result<&Assignment, RosterError> {
        let a = self.assignment_ref(id)?;
        if !a.status.can_become(to) {
            return Err(RosterError::IllegalTransition { assignment: id, from: a.status, to });
        }
        Ok(a)
    }

    fn check_override(&self, override_: Option<&Override>) -> Result<(), RosterError> {
        if let Some(o) = override_
            && !self.is_coordinator(o.coordinator)
        {
            return Err(RosterError::NotCoordinator(o.coordinator));
        }
        Ok(())
    }

    /// The checks shared by invite, apply, assign and auto-fill: the shift
    /// is open and has a free seat, the volunteer holds no live assignment
    /// to it, the id is new.
    fn check_new_assignment(
        &self,
        assignment: AssignmentId,
        shift: ShiftId,
        volunteer: VolunteerId,
    ) -> Result<(&Shift, &Volunteer), RosterError> {
        if self.assignments.contains_key(&assignment) {
            return Err(RosterError::DuplicateId {
                kind: "assignment",
                id: assignment.to_string(),
            });
        }
        let s = self.shifts.get(&shift).ok_or(RosterError::UnknownShift(shift))?;
        if s.cancelled {
            return Err(RosterError::ShiftCancelled(shift));
        }
        self.open_incident(s.incident)?;
        let v = self.volunteer_ref(volunteer)?;
        if let Some(existing) =
            self.assignments_of(volunteer).find(|a| a.shift == shift && a.status.holds_seat())
        {
            return Err(RosterError::AlreadyAssigned { volunteer, shift, existing: existing.id });
        }
        let (held, _) = self.seats(shift);
        if held >= s.headcount {
            return Err(RosterError::ShiftFull { shift, headcount: s.headcount });
        }
        Ok((s, v))
    }

    fn decide_create(
        &self,
        assignment: AssignmentId,
        shift: ShiftId,
        volunteer: VolunteerId,
        origin: AssignmentOrigin,
        override_: Option<&Override>,
    ) -> Result<Vec<RosterEvent>, RosterError> {
        let (s, v) = self.check_new_assignment(assignment, shift, volunteer)?;
        self.check_static(v, s)?;
        let status = if origin == AssignmentOrigin::Direct {
            self.check_override(override_)?;
            check_time(&self.policy, v.id, s, self.schedules.get(&v.person()), override_)?;
            AssignmentStatus::Confirmed
        } else {
            // Not committing yet: only double booking is checked now; rest and
            // hours are checked (and may be overridden) at confirmation.
            if let Some(b) =
                self.schedules.get(&v.person()).and_then(|sc| sc.overlapping(s.start, s.end))
            {
                return Err(RosterError::DoubleBooked {
                    volunteer,
                    shift,
                    conflicting_shift: b.shift,
                });
            }
            if origin == AssignmentOrigin::Invitation {
                AssignmentStatus::Invited
            } else {
                AssignmentStatus::Applied
            }
        };
        Ok(vec![RosterEvent::AssignmentCreated {
            assignment,
            shift,
            volunteer,
            person: v.person(),
            status,
            origin,
            override_: override_.filter(|_| status.is_committed()).cloned(),
        }])
    }

    fn decide_status(
        &self,
        volunteer: VolunteerId,
        status: VolunteerStatus,
        reason: Option<&Name>,
        context: &Context,
    ) -> Result<Vec<RosterEvent>, RosterError> {
        let v = self.volunteer_ref(volunteer)?;
        if !v.status.can_become(status) {
            return Err(RosterError::IllegalStatusChange { volunteer, from: v.status, to: status });
        }
        let mut events = vec![RosterEvent::VolunteerStatusChanged {
            volunteer,
            status,
            reason: reason.cloned(),
        }];
        if matches!(status, VolunteerStatus::Suspended | VolunteerStatus::Retired) {
            let why = Name::try_new(if status == VolunteerStatus::Suspended {
                "volunteer suspended"
            } else {
                "volunteer retired"
            })
            .map_err(|_| invalid("reason", "", "could not be built"))?;
            for a in self.assignments_of(volunteer) {
                let future = self.shifts.get(&a.shift).is_some_and(|s| s.start > context.now());
                if future && a.status.can_become(AssignmentStatus::Cancelled) {
                    events.push(RosterEvent::AssignmentCancelled {
                        assignment: a.id,
                        reason: why.clone(),
                    });
                }
            }
        }
        Ok(events)
    }

    fn decide_shift(&self, shift: &Shift) -> Result<Vec<RosterEvent>, RosterError> {
        if self.shifts.contains_key(&shift.id) {
            return Err(RosterError::DuplicateId { kind: "shift", id: shift.id.to_string() });
        }
        let incident = self.open_incident(shift.incident)?;
        if !incident.posts.contains_key(&shift.post) {
            return Err(RosterError::UnknownPost { incident: shift.incident, post: shift.post });
        }
        if shift.end <= shift.start {
            return Err(invalid("shift end", shift.end, "must be after the start"));
        }
        if shift.end - shift.start > Duration::days(7) {
            return Err(invalid("shift end", shift.end, "a shift lasts at most 7 days"));
        }
        if shift.headcount == 0 {
            return Err(invalid("headcount", 0, "must be at least 1"));
        }
        if shift.cancelled {
            return Err(invalid("cancelled", true, "a new shift cannot be cancelled"));
        }
        for (code, level) in shift.required_skills.iter().chain(&shift.required_credentials) {
            if *level == 0 || *level > MAX_LEVEL {
                return Err(invalid("required level", format!("{code}={level}"), "must be 1-9"));
            }
        }
        Ok(vec![RosterEvent::ShiftPosted { shift: shift.clone() }])
    }

    fn decide_check_out(
        &self,
        assignment: AssignmentId,
        minutes: Option<u32>,
        context: &Context,
    ) -> Result<Vec<RosterEvent>, RosterError> {
        let a = self.transition(assignment, AssignmentStatus::CheckedOut)?;
        let minutes = match minutes {
            Some(m) => m,
            None => {
                let since = a.checked_in_at.unwrap_or(context.now());
                u32::try_from((context.now() - since).num_minutes().max(0)).unwrap_or(u32::MAX)
            }
        };
        if minutes > MAX_CHECKOUT_MINUTES {
            return Err(invalid("minutes", minutes, "a check-out records at most 24 h"));
        }
        Ok(vec![RosterEvent::CheckedOut { assignment, at: context.now(), minutes }])
    }

    fn decide_cancel_shift(
        &self,
        shift: ShiftId,
        reason: &Name,
    ) -> Result<Vec<RosterEvent>, RosterError> {
        let s = self.shifts.get(&shift).ok_or(RosterError::UnknownShift(shift))?;
        if s.cancelled {
            return Err(RosterError::ShiftCancelled(shift));
        }
        let mut events = vec![RosterEvent::ShiftCancelled { shift, reason: reason.clone() }];
        for a in self.assignments_to(shift) {
            if a.status.can_become(AssignmentStatus::Cancelled) {
                events.push(RosterEvent::AssignmentCancelled {
                    assignment: a.id,
                    reason: reason.clone(),
                });
            }
        }
        Ok(events)
    }

    fn decide_reverse(&self, entry: u64, reason: &Name) -> Result<Vec<RosterEvent>, RosterError> {
        let e = usize::try_from(entry)
            .ok()
            .and_then(|n| n.checked_sub(1))
            .and_then(|i| self.hours.get(i))
            .ok_or(RosterError::UnknownHoursEntry(entry))?;
        if e.source == HoursSource::Reversal || self.reversed.contains(&entry) {
            return Err(RosterError::NotReversible(entry));
        }
        Ok(vec![RosterEvent::HoursReversed { entry, reason: reason.clone() }])
    }

    fn decide_team(&self, command: &RosterCommand) -> Result<Vec<RosterEvent>, RosterError> {
        match command {
            RosterCommand::FormTeam { team, name, capabilities } => {
                if self.teams.contains_key(team) {
                    return Err(RosterError::DuplicateId { kind: "team", id: team.to_string() });
                }
                Ok(vec![RosterEvent::TeamFormed {
                    team: *team,
                    name: name.clone(),
                    capabilities: capabilities.clone(),
                }])
            }
            RosterCommand::AddTeamMember { team, volunteer } => {
                self.team_ref(*team)?;
                self.volunteer_ref(*volunteer)?;
                Ok(vec![RosterEvent::TeamMemberAdded { team: *team, volunteer: *volunteer }])
            }
            RosterCommand::RemoveTeamMember { team, volunteer } => {
                let t = self.team_ref(*team)?;
                if !t.members.contains(volunteer) {
                    return Err(invalid("team member", volunteer, "is not a member of the team"));
                }
                Ok(vec![RosterEvent::TeamMemberRemoved { team: *team, volunteer: *volunteer }])
            }
            RosterCommand::SetTeamCoordinator { team, coordinator } => {
                let t = self.team_ref(*team)?;
                if !t.members.contains(coordinator) {
                    return Err(invalid(
                        "coordinator",
                        coordinator,
                        "must be a member of the team",
                    ));
                }
                Ok(vec![RosterEvent::TeamCoordinatorSet { team: *team, coordinator: *coordinator }])
            }
            _ => Ok(Vec::new()),
        }
    }

    fn decide_volunteer(
        &self,
        command: &RosterCommand,
        context: &Context,
    ) -> Result<Vec<RosterEvent>, RosterError> {
        match command {
            RosterCommand::RegisterVolunteer { volunteer, profile } => {
                if self.volunteers.contains_key(volunteer) {
                    return Err(RosterError::DuplicateId {
                        kind: "volunteer",
                        id: volunteer.to_string(),
                    });
                }
                if let Some(existing) =
                    self.engagements.get(&(profile.person, profile.organization))
                {
                    return Err(RosterError::DuplicateEngagement { existing: *existing });
                }
                if !profile.home.is_kelurahan() {
                    return Err(invalid("home", profile.home, "must be a kelurahan or desa code"));
                }
                if let Some((code, level)) =
                    profile.skills.iter().find(|(_, l)| **l == 0 || **l > MAX_LEVEL)
                {
                    return Err(invalid("skill level", format!("{code}={level}"), "must be 1-9"));
                }
                Ok(vec![RosterEvent::VolunteerRegistered {
                    volunteer: *volunteer,
                    profile: profile.clone(),
                }])
            }
            RosterCommand::ChangeVolunteerStatus { volunteer, status, reason } => {
                self.decide_status(*volunteer, *status, reason.as_ref(), context)
            }
            RosterCommand::SetSkill { volunteer, skill, level } => {
                self.volunteer_ref(*volunteer)?;
                if *level > MAX_LEVEL {
                    return Err(invalid("skill level", level, "must be 0-9 (0 removes)"));
                }
                Ok(vec![RosterEvent::SkillSet {
                    volunteer: *volunteer,
                    skill: skill.clone(),
                    level: *level,
                }])
            }
            RosterCommand::RecordCredential { volunteer, credential } => {
                let v = self.volunteer_ref(*volunteer)?;
                if credential.holder != v.person() {
                    return Err(invalid(
                        "credential holder",
                        credential.holder,
                        "is not the volunteer's person",
                    ));
                }
                Ok(vec![RosterEvent::CredentialRecorded {
                    volunteer: *volunteer,
                    credential: credential.clone(),
                }])
            }
            RosterCommand::RecordBackgroundCheck { volunteer, check } => {
                self.volunteer_ref(*volunteer)?;
                if check.valid_until < check.checked_on {
                    return Err(invalid(
                        "background check valid until",
                        check.valid_until,
                        "is before the check",
                    ));
                }
                Ok(vec![RosterEvent::BackgroundCheckRecorded {
                    volunteer: *volunteer,
                    check: *check,
                }])
            }
            RosterCommand::SetAvailability { volunteer, availability } => {
                self.volunteer_ref(*volunteer)?;
                availability
                    .check()
                    .map_err(|(field, value)| invalid(field, value, "is malformed"))?;
                Ok(vec![RosterEvent::AvailabilitySet {
                    volunteer: *volunteer,
                    availability: availability.clone(),
                }])
            }
            _ => Ok(Vec::new()),
        }
    }

    fn decide_incident(
        &self,
        command: &RosterCommand,
        context: &Context,
    ) -> Result<Vec<RosterEvent>, RosterError> {
        match command {
            RosterCommand::OpenIncident { incident, name, hazard, affected, start } => {
                if self.incidents.contains_key(incident) {
                    return Err(RosterError::DuplicateId {
                        kind: "incident",
                        id: incident.to_string(),
                    });
                }
                if let Some(code) = affected.iter().find(|c| !c.is_kelurahan()) {
                    return Err(invalid("affected", code, "must be kelurahan or desa codes"));
                }
                Ok(vec![RosterEvent::IncidentOpened {
                    incident: *incident,
                    name: name.clone(),
                    hazard: *hazard,
                    affected: affected.clone(),
                    start: *start,
                }])
            }
            RosterCommand::CloseIncident { incident } => {
                self.open_incident(*incident)?;
                Ok(vec![RosterEvent::IncidentClosed { incident: *incident, at: context.now() }])
            }
            RosterCommand::OpenPost { incident, post } => {
                let i = self.open_incident(*incident)?;
                if i.posts.contains_key(&post.id) {
                    return Err(RosterError::DuplicateId { kind: "post", id: post.id.to_string() });
                }
                if !post.kelurahan.is_kelurahan() {
                    return Err(invalid(
                        "post kelurahan",
                        post.kelurahan,
                        "must be a kelurahan or desa code",
                    ));
                }
                Ok(vec![RosterEvent::PostOpened { incident: *incident, post: post.clone() }])
            }
            RosterCommand::PostShift { shift } => self.decide_shift(shift),
            RosterCommand::CancelShift { shift, reason } => {
                self.decide_cancel_shift(*shift, reason)
            }
            _ => Ok(Vec::new()),
        }
    }

    fn decide_assignment(
        &self,
        command: &RosterCommand,
        context: &Context,
    ) -> Result<Vec<RosterEvent>, RosterError> {
        use AssignmentStatus as S;
        match command {
            RosterCommand::Invite { assignment, shift, volunteer } => self.decide_create(
                *assignment,
                *shift,
                *volunteer,
                AssignmentOrigin::Invitation,
                None,
            ),
            RosterCommand::Apply { assignment, shift, volunteer } => self.decide_create(
                *assignment,
                *shift,
                *volunteer,
                AssignmentOrigin::Application,
                None,
            ),
            RosterCommand::Assign { assignment, shift, volunteer, override_ } => self
                .decide_create(
                    *assignment,
                    *shift,
                    *volunteer,
                    AssignmentOrigin::Direct,
                    override_.as_ref(),
                ),
            RosterCommand::Confirm { assignment, override_ } => {
                let a = self.transition(*assignment, S::Confirmed)?;
                self.check_override(override_.as_ref())?;
                let s = self.shifts.get(&a.shift).ok_or(RosterError::UnknownShift(a.shift))?;
                if s.cancelled {
                    return Err(RosterError::ShiftCancelled(a.shift));
                }
                self.check_assignment(a.volunteer, a.shift, override_.as_ref())?;
                Ok(vec![RosterEvent::AssignmentConfirmed {
                    assignment: *assignment,
                    override_: override_.clone(),
                }])
            }
            RosterCommand::Cancel { assignment, reason } => {
                self.transition(*assignment, S::Cancelled)?;
                Ok(vec![RosterEvent::AssignmentCancelled {
                    assignment: *assignment,
                    reason: reason.clone(),
                }])
            }
            RosterCommand::CheckIn { assignment } => {
                self.transition(*assignment, S::CheckedIn)?;
                Ok(vec![RosterEvent::CheckedIn { assignment: *assignment, at: context.now() }])
            }
            RosterCommand::CheckOut { assignment, minutes } => {
                self.decide_check_out(*assignment, *minutes, context)
            }
            RosterCommand::RecordNoShow { assignment } => {
                self.transition(*assignment, S::NoShow)?;
                Ok(vec![RosterEvent::NoShowRecorded { assignment: *assignment }])
            }
            RosterCommand::AutoFill { incident, id_seed, confirm } => {
                self.decide_auto_fill(*incident, *id_seed, *confirm, context.now())
            }
            _ => Ok(Vec::new()),
        }
    }

    // ----- applying -----

    fn volunteer_mut(&mut self, id: VolunteerId) -> Option<&mut Volunteer> {
        self.volunteers.get_mut(&id)
    }

    fn book(&mut self, id: AssignmentId) {
        let Some(a) = self.assignments.get_mut(&id) else { return };
        self.committed_count = self.committed_count.saturating_add(1);
        a.committed_order = Some(self.committed_count);
        let Some(s) = self.shifts.get(&a.shift) else { return };
        self.schedules.entry(a.person).or_default().insert(Booking {
            start: s.start,
            end: s.end,
            shift: s.id,
            assignment: id,
        });
    }

    fn unbook(&mut self, id: AssignmentId) {
        let Some(a) = self.assignments.get(&id) else { return };
        if !a.status.is_committed() {
            return;
        }
        let Some(s) = self.shifts.get(&a.shift) else { return };
        if let Some(schedule) = self.schedules.get_mut(&a.person) {
            schedule.remove(s.start, id);
            if schedule.is_empty() {
                self.schedules.remove(&a.person);
            }
        }
    }

    fn set_status(
        &mut self,
        id: AssignmentId,
        status: AssignmentStatus,
    ) -> Option<&mut Assignment> {
        let a = self.assignments.get_mut(&id)?;
        a.status = status;
        Some(a)
    }

    fn push_hours(&mut self, entry: impl FnOnce(u64) -> HoursEntry) {
        let number = u64::try_from(self.hours.len()).unwrap_or(u64::MAX).saturating_add(1);
        self.hours.push(entry(number));
    }

    fn apply_assignment(&mut self, event: &RosterEvent) {
        match event {
            RosterEvent::AssignmentCreated {
                assignment,
                shift,
                volunteer,
                person,
                status,
                origin,
                override_,
            } => {
                self.assignments.insert(
                    *assignment,
                    Assignment {
                        id: *assignment,
                        shift: *shift,
                        volunteer: *volunteer,
                        person: *person,
                        status: *status,
                        origin: *origin,
                        override_: override_.clone(),
                        committed_order: None,
                        checked_in_at: None,
                        checked_out_at: None,
                        minutes: None,
                        cancel_reason: None,
                    },
                );
                self.by_shift.entry(*shift).or_default().insert(*assignment);
                self.by_volunteer.entry(*volunteer).or_default().insert(*assignment);
                if status.is_committed() {
                    self.book(*assignment);
                }
            }
            RosterEvent::AssignmentConfirmed { assignment, override_ } => {
                if let Some(a) = self.set_status(*assignment, AssignmentStatus::Confirmed) {
                    a.override_.clone_from(override_);
                }
                self.book(*assignment);
            }
            RosterEvent::AssignmentCancelled { assignment, reason } => {
                self.unbook(*assignment);
                if let Some(a) = self.set_status(*assignment, AssignmentStatus::Cancelled) {
                    a.cancel_reason = Some(reason.clone());
                }
            }
            RosterEvent::CheckedIn { assignment, at } => {
                if let Some(a) = self.set_status(*assignment, AssignmentStatus::CheckedIn) {
                    a.checked_in_at = Some(*at);
                }
            }
            RosterEvent::CheckedOut { assignment, at, minutes } => {
                let Some(a) = self.set_status(*assignment, AssignmentStatus::CheckedOut) else {
                    return;
                };
                a.checked_out_at = Some(*at);
                a.minutes = Some(*minutes);
                let (volunteer, shift) = (a.volunteer, a.shift);
                let (date, incident) = self
                    .shifts
                    .get(&shift)
                    .map_or((wib_date(*at), None), |s| (wib_date(s.start), Some(s.incident)));
                if let Some(v) = self.volunteer_mut(volunteer) {
                    v.completed = v.completed.saturating_add(1);
                }
                self.push_hours(|number| HoursEntry {
                    number,
                    volunteer,
                    date,
                    minutes: i64::from(*minutes),
                    source: HoursSource::CheckOut,
                    incident,
                    assignment: Some(*assignment),
                    reverses: None,
                    note: None,
                });
            }
            RosterEvent::NoShowRecorded { assignment } => {
                self.unbook(*assignment);
                if let Some(a) = self.set_status(*assignment, AssignmentStatus::NoShow) {
                    let volunteer = a.volunteer;
                    if let Some(v) = self.volunteer_mut(volunteer) {
                        v.no_shows = v.no_shows.saturating_add(1);
                    }
                }
            }
            _ => {}
        }
    }
}

/// The rules on the volunteer's record that do not depend on dates.
pub(crate) fn check_profile(v: &Volunteer, s: &Shift) -> Result<(), RosterError> {
    if v.status != VolunteerStatus::Active {
        return Err(RosterError::NotActive { volunteer: v.id, status: v.status });
    }
    for (skill, required) in &s.required_skills {
        let actual = v.skill_level(skill);
        if actual < *required {
            return Err(RosterError::SkillTooLow {
                volunteer: v.id,
                skill: skill.clone(),
                required: *required,
                actual,
            });
        }
    }
    Ok(())
}

/// The rules that depend on the shift's dates: background check and
/// credentials valid on its first and last WIB day.
pub(crate) fn check_dated(v: &Volunteer, s: &Shift) -> Result<(), RosterError> {
    let (first_day, last_day) = wib_days(s.start, s.end);
    if !v.background_check.is_some_and(|c| c.is_valid_throughout(first_day, last_day)) {
        return Err(RosterError::BackgroundCheckExpired {
            volunteer: v.id,
            valid_until: v.background_check.map(|c| c.valid_until),
            first_day,
            last_day,
        });
    }
    for (competency, level) in &s.required_credentials {
        if !v.has_valid_credential(competency, *level, first_day, last_day) {
            return Err(RosterError::CredentialInvalid {
                volunteer: v.id,
                competency: competency.clone(),
                level: *level,
                first_day,
                last_day,
            });
        }
    }
    Ok(())
}

/// The rules on the person's committed time: double booking (never
/// overridden), rest and maximum hours (liftable by `override_`).
pub(crate) fn check_time(
    policy: &RosterPolicy,
    volunteer: VolunteerId,
    s: &Shift,
    schedule: Option<&Schedule>,
    override_: Option<&Override>,
) -> Result<(), RosterError> {
    let lifted = |rule| override_.is_some_and(|o| o.lifts(rule));
    let Some(schedule) = schedule else {
        return check_hours_alone(policy, volunteer, s, lifted(OverridableRule::MaxHours));
    };
    if let Some(b) = schedule.overlapping(s.start, s.end) {
        return Err(RosterError::DoubleBooked {
            volunteer,
            shift: s.id,
            conflicting_shift: b.shift,
        });
    }
    if !lifted(OverridableRule::Rest) {
        let rest = Duration::minutes(i64::from(policy.min_rest_minutes));
        if let Some((b, gap)) = schedule.rest_conflict(s.start, s.end, rest) {
            return Err(RosterError::RestTooShort {
                volunteer,
                shift: s.id,
                other_shift: b.shift,
                rest_minutes: gap.num_minutes(),
                min_minutes: policy.min_rest_minutes,
            });
        }
    }
    if !lifted(OverridableRule::MaxHours) {
        for (window, length, max) in [
            (HoursWindow::Day, Duration::hours(24), policy.max_minutes_per_24h),
            (HoursWindow::Week, Duration::days(7), policy.max_minutes_per_7d),
        ] {
            let limit = i64::from(max) * 60;
            let seconds = schedule.max_window_seconds(s.start, s.end, length, limit);
            if seconds > limit {
                return Err(RosterError::TooManyHours {
                    volunteer,
                    window,
                    minutes: seconds.div_euclid(60),
                    max_minutes: max,
                });
            }
        }
    }
    Ok(())
}

fn check_hours_alone(
    policy: &RosterPolicy,
    volunteer: VolunteerId,
    s: &Shift,
    lifted: bool,
) -> Result<(), RosterError> {
    if lifted {
        return Ok(());
    }
    let seconds = (s.end - s.start).num_seconds();
    for (window, length, max) in [
        (HoursWindow::Day, Duration::hours(24), policy.max_minutes_per_24h),
        (HoursWindow::Week, Duration::days(7), policy.max_minutes_per_7d),
    ] {
        let within = seconds.min(length.num_seconds());
        if within > i64::from(max) * 60 {
            return Err(RosterError::TooManyHours {
                volunteer,
                window,
                minutes: within.div_euclid(60),
                max_minutes: max,
            });
        }
    }
    Ok(())
}

impl Aggregate for Roster {
    type Command = RosterCommand;
    type Event = RosterEvent;
    type Error = RosterError;

    fn decide(
        &self,
        command: &RosterCommand,
        context: &Context,
    ) -> Result<Vec<RosterEvent>, RosterError> {
        match command {
            RosterCommand::SetPolicy { policy } => {
                Ok(vec![RosterEvent::PolicySet { policy: *policy }])
            }
            RosterCommand::RegisterVolunteer { .. }
            | RosterCommand::ChangeVolunteerStatus { .. }
            | RosterCommand::SetSkill { .. }
            | RosterCommand::RecordCredential { .. }
            | RosterCommand::RecordBackgroundCheck { .. }
            | RosterCommand::SetAvailability { .. } => self.decide_volunteer(command, context),
            RosterCommand::FormTeam { .. }
            | RosterCommand::AddTeamMember { .. }
            | RosterCommand::RemoveTeamMember { .. }
            | RosterCommand::SetTeamCoordinator { .. } => self.decide_team(command),
            RosterCommand::OpenIncident { .. }
            | RosterCommand::CloseIncident { .. }
            | RosterCommand::OpenPost { .. }
            | RosterCommand::PostShift { .. }
            | RosterCommand::CancelShift { .. } => self.decide_incident(command, context),
            RosterCommand::RecordHours { volunteer, date, minutes, incident, note } => {
                self.volunteer_ref(*volunteer)?;
                if *minutes == 0 || *minutes > MAX_MANUAL_MINUTES {
                    return Err(invalid("minutes", minutes, "must be 1 to 31 days' worth"));
                }
                if *date > context.today() {
                    return Err(invalid("date", date, "is after today"));
                }
                if let Some(i) = incident
                    && !self.incidents.contains_key(i)
                {
                    return Err(RosterError::UnknownIncident(*i));
                }
                Ok(vec![RosterEvent::HoursRecorded {
                    volunteer: *volunteer,
                    date: *date,
                    minutes: *minutes,
                    incident: *incident,
                    note: note.clone(),
                }])
            }
            RosterCommand::ReverseHours { entry, reason } => self.decide_reverse(*entry, reason),
            RosterCommand::Invite { .. }
            | RosterCommand::Apply { .. }
            | RosterCommand::Assign { .. }
            | RosterCommand::Confirm { .. }
            | RosterCommand::Cancel { .. }
            | RosterCommand::CheckIn { .. }
            | RosterCommand::CheckOut { .. }
            | RosterCommand::RecordNoShow { .. }
            | RosterCommand::AutoFill { .. } => self.decide_assignment(command, context),
        }
    }

    fn apply(&mut self, event: &RosterEvent) {
        match event {
            RosterEvent::PolicySet { policy } => self.policy = *policy,
            RosterEvent::VolunteerRegistered { volunteer, profile } => {
                self.engagements.insert((profile.person, profile.organization), *volunteer);
                self.volunteers.insert(*volunteer, Volunteer::new(*volunteer, profile.clone()));
            }
            RosterEvent::VolunteerStatusChanged { volunteer, status, reason } => {
                if let Some(v) = self.volunteer_mut(*volunteer) {
                    v.status = *status;
                    v.status_reason.clone_from(reason);
                }
            }
            RosterEvent::SkillSet { volunteer, skill, level } => {
                if let Some(v) = self.volunteer_mut(*volunteer) {
                    if *level == 0 {
                        v.profile.skills.remove(skill);
                    } else {
                        v.profile.skills.insert(skill.clone(), *level);
                    }
                }
            }
            RosterEvent::CredentialRecorded { volunteer, credential } => {
                if let Some(v) = self.volunteer_mut(*volunteer) {
                    v.credentials.push(credential.clone());
                }
            }
            RosterEvent::BackgroundCheckRecorded { volunteer, check } => {
                if let Some(v) = self.volunteer_mut(*volunteer) {
                    v.background_check = Some(*check);
                }
            }
            RosterEvent::AvailabilitySet { volunteer, availability } => {
                if let Some(v) = self.volunteer_mut(*volunteer) {
                    v.availability = availability.clone();
                }
            }
            RosterEvent::TeamFormed { team, name, capabilities } => {
                let mut t = Team::new(*team, name.clone());
                t.capabilities.clone_from(capabilities);
                self.teams.insert(*team, t);
            }
            RosterEvent::TeamMemberAdded { team, volunteer } => {
                if let Some(t) = self.teams.get_mut(team) {
                    t.members.insert(*volunteer);
                }
                if let Some(v) = self.volunteer_mut(*volunteer) {
                    v.teams.insert(*team);
                }
            }
            RosterEvent::TeamMemberRemoved { team, volunteer } => {
                if let Some(t) = self.teams.get_mut(team) {
                    t.members.remove(volunteer);
                    if t.coordinator == Some(*volunteer) {
                        t.coordinator = None;
                    }
                }
                if let Some(v) = self.volunteer_mut(*volunteer) {
                    v.teams.remove(team);
                }
            }
            RosterEvent::TeamCoordinatorSet { team, coordinator } => {
                if let Some(t) = self.teams.get_mut(team) {
                    t.coordinator = Some(*coordinator);
                }
            }
            RosterEvent::IncidentOpened { incident, name, hazard, affected, start } => {
                self.incidents.insert(
                    *incident,
                    Incident::new(*incident, name.clone(), *hazard, affected.clone(), *start),
                );
            }
            RosterEvent::IncidentClosed { incident, at } => {
                if let Some(i) = self.incidents.get_mut(incident) {
                    i.end = Some(*at);
                }
            }
            RosterEvent::PostOpened { incident, post } => {
                if let Some(i) = self.incidents.get_mut(incident) {
                    i.posts.insert(post.id, post.clone());
                }
            }
            RosterEvent::ShiftPosted { shift } => {
                self.shifts_by_incident.entry(shift.incident).or_default().insert(shift.id);
                self.shifts.insert(shift.id, shift.clone());
            }
            RosterEvent::ShiftCancelled { shift, .. } => {
                if let Some(s) = self.shifts.get_mut(shift) {
                    s.cancelled = true;
                }
            }
            RosterEvent::HoursRecorded { volunteer, date, minutes, incident, note } => {
                self.push_hours(|number| HoursEntry {
                    number,
                    volunteer: *volunteer,
                    date: *date,
                    minutes: i64::from(*minutes),
                    source: HoursSource::Manual,
                    incident: *incident,
                    assignment: None,
                    reverses: None,
                    note: Some(note.clone()),
                });
            }
            RosterEvent::HoursReversed { entry, reason } => {
                let Some(original) = usize::try_from(*entry)
                    .ok()
                    .and_then(|n| n.checked_sub(1))
                    .and_then(|i| self.hours.get(i))
                    .cloned()
                else {
                    return;
                };
                self.reversed.insert(*entry);
                self.push_hours(|number| HoursEntry {
                    number,
                    minutes: original.minutes.saturating_neg(),
                    source: HoursSource::Reversal,
                    reverses: Some(*entry),
                    note: Some(reason.clone()),
                    ..original
                });
            }
            _ => self.apply_assignment(event),
        }
    }
}

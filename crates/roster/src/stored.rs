//! The serialised form of [`Roster`], for snapshots.
//!
//! Only the records are stored: the policy, volunteers, teams, incidents
//! (with their posts), shifts, assignments and the hours record. Every index
//! `apply` keeps beside them is rebuilt on load, after the records are
//! checked against each other, so a damaged or hand-edited snapshot is
//! refused with an error naming what is wrong instead of giving a roster
//! whose indexes disagree with its records.

use std::collections::{BTreeMap, BTreeSet};

use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use tangguh_core::IncidentId;

use crate::assignment::Assignment;
use crate::hours::{HoursEntry, HoursSource};
use crate::ids::{AssignmentId, ShiftId, TeamId, VolunteerId};
use crate::incident::{Incident, Shift};
use crate::policy::RosterPolicy;
use crate::roster::Roster;
use crate::schedule::Booking;
use crate::volunteer::{Team, Volunteer};

/// A map's values written as a JSON array (each record carries its own id).
struct Values<'a, K, V>(&'a BTreeMap<K, V>);

impl<K, V: Serialize> Serialize for Values<'_, K, V> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.values())
    }
}

/// The stored form, written from borrowed records (no copy of the roster).
#[derive(Serialize)]
struct StoredRef<'a> {
    policy: &'a RosterPolicy,
    volunteers: Values<'a, VolunteerId, Volunteer>,
    teams: Values<'a, TeamId, Team>,
    incidents: Values<'a, IncidentId, Incident>,
    shifts: Values<'a, ShiftId, Shift>,
    assignments: Values<'a, AssignmentId, Assignment>,
    hours: &'a [HoursEntry],
}

/// The stored form, as read back.
#[derive(Deserialize)]
struct Stored {
    policy: RosterPolicy,
    volunteers: Vec<Volunteer>,
    teams: Vec<Team>,
    incidents: Vec<Incident>,
    shifts: Vec<Shift>,
    assignments: Vec<Assignment>,
    hours: Vec<HoursEntry>,
}

/// Writes the roster's records: an internal format for snapshots, described
/// on the `Deserialize` impl.
impl Serialize for Roster {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        StoredRef {
            policy: &self.policy,
            volunteers: Values(&self.volunteers),
            teams: Values(&self.teams),
            incidents: Values(&self.incidents),
            shifts: Values(&self.shifts),
            assignments: Values(&self.assignments),
            hours: &self.hours,
        }
        .serialize(serializer)
    }
}

/// Reads a roster written by its [`Serialize`] impl, for snapshots.
///
/// The form is internal: an object with the `policy` and arrays of
/// `volunteers`, `teams`, `incidents` (with their posts), `shifts`,
/// `assignments` and `hours`, each record in its own JSON form. It changes
/// only with the event schema version ([`RosterEvent`](crate::RosterEvent)'s
/// [`SCHEMA_VERSION`](tangguh_core::DomainEvent::SCHEMA_VERSION)), which the
/// store records beside each snapshot and checks before reading one. The
/// lookup indexes (engagements, shifts by incident, assignments by shift and
/// by volunteer, each person's committed schedule, the reversed hours
/// entries, the commitment counter) are not stored: they are rebuilt here.
///
/// # Errors
///
/// Besides malformed JSON, an error naming the first inconsistency found: a
/// duplicate id or engagement, a record naming an unknown volunteer, team,
/// incident, post, shift, assignment or hours entry, an assignment whose
/// person is not its volunteer's, a committed assignment with no commitment
/// order or two sharing one, two committed assignments of one person that
/// overlap, a shift ending before it starts, team membership recorded on one
/// side only, or hours entries out of sequence or reversed twice.
impl<'de> Deserialize<'de> for Roster {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let stored = Stored::deserialize(deserializer)?;
        restore(stored).map_err(D::Error::custom)
    }
}

/// Checks the records against each other and rebuilds the indexes.
fn restore(s: Stored) -> Result<Roster, String> {
    let mut r = Roster { policy: s.policy, ..Roster::default() };
    for v in s.volunteers {
        let engagement = (v.person(), v.profile.organization);
        if let Some(existing) = r.engagements.insert(engagement, v.id) {
            return Err(format!(
                "volunteers {existing} and {} are one engagement (person {}, organization {})",
                v.id, engagement.0, engagement.1
            ));
        }
        if let Some(dup) = r.volunteers.insert(v.id, v) {
            return Err(format!("volunteer {} appears twice", dup.id));
        }
    }
    for t in s.teams {
        if let Some(v) = t.members.iter().find(|v| !r.volunteers.contains_key(v)) {
            return Err(format!("team {} has unknown member {v}", t.id));
        }
        if let Some(c) = t.coordinator.filter(|c| !t.members.contains(c)) {
            return Err(format!("team {} has coordinator {c}, who is not a member", t.id));
        }
        if let Some(dup) = r.teams.insert(t.id, t) {
            return Err(format!("team {} appears twice", dup.id));
        }
    }
    for v in r.volunteers.values() {
        if let Some(t) =
            v.teams.iter().find(|t| !r.teams.get(t).is_some_and(|t| t.members.contains(&v.id)))
        {
            return Err(format!("volunteer {} lists team {t}, which does not list them", v.id));
        }
    }
    for t in r.teams.values() {
        if let Some(v) =
            t.members.iter().find(|v| !r.volunteers.get(v).is_some_and(|v| v.teams.contains(&t.id)))
        {
            return Err(format!("team {} lists member {v}, who does not list it", t.id));
        }
    }
    for i in s.incidents {
        if let Some((key, post)) = i.posts.iter().find(|(key, post)| **key != post.id) {
            return Err(format!("incident {} lists post {} under id {key}", i.id, post.id));
        }
        if let Some(dup) = r.incidents.insert(i.id, i) {
            return Err(format!("incident {} appears twice", dup.id));
        }
    }
    for sh in s.shifts {
        if r.shifts.contains_key(&sh.id) {
            return Err(format!("shift {} appears twice", sh.id));
        }
        let Some(incident) = r.incidents.get(&sh.incident) else {
            return Err(format!("shift {} names unknown incident {}", sh.id, sh.incident));
        };
        if !incident.posts.contains_key(&sh.post) {
            return Err(format!(
                "shift {} names post {}, unknown in incident {}",
                sh.id, sh.post, sh.incident
            ));
        }
        if sh.end <= sh.start {
            return Err(format!("shift {} ends at {}, not after its start", sh.id, sh.end));
        }
        r.shifts_by_incident.entry(sh.incident).or_default().insert(sh.id);
        r.shifts.insert(sh.id, sh);
    }
    let mut orders = BTreeMap::new();
    for a in s.assignments {
        if r.assignments.contains_key(&a.id) {
            return Err(format!("assignment {} appears twice", a.id));
        }
        let Some(shift) = r.shifts.get(&a.shift) else {
            return Err(format!("assignment {} names unknown shift {}", a.id, a.shift));
        };
        let Some(volunteer) = r.volunteers.get(&a.volunteer) else {
            return Err(format!("assignment {} names unknown volunteer {}", a.id, a.volunteer));
        };
        if volunteer.person() != a.person {
            return Err(format!(
                "assignment {} names person {}, but volunteer {} is person {}",
                a.id,
                a.person,
                a.volunteer,
                volunteer.person()
            ));
        }
        if let Some(order) = a.committed_order {
            if let Some(other) = orders.insert(order, a.id) {
                return Err(format!(
                    "assignments {other} and {} share commitment order {order}",
                    a.id
                ));
            }
            r.committed_count = r.committed_count.max(order);
        }
        if a.status.is_committed() {
            if a.committed_order.is_none() {
                return Err(format!(
                    "assignment {} is {} but has no commitment order",
                    a.id, a.status
                ));
            }
            let schedule = r.schedules.entry(a.person).or_default();
            if let Some(b) = schedule.overlapping(shift.start, shift.end) {
                return Err(format!(
                    "committed assignments {} and {} of person {} overlap",
                    b.assignment, a.id, a.person
                ));
            }
            schedule.insert(Booking {
                start: shift.start,
                end: shift.end,
                shift: shift.id,
                assignment: a.id,
            });
        }
        r.by_shift.entry(a.shift).or_default().insert(a.id);
        r.by_volunteer.entry(a.volunteer).or_default().insert(a.id);
        r.assignments.insert(a.id, a);
    }
    let mut reversed = BTreeSet::new();
    for (i, e) in s.hours.iter().enumerate() {
        let expected = u64::try_from(i).unwrap_or(u64::MAX).saturating_add(1);
        if e.number != expected {
            return Err(format!("hours entry {expected} is numbered {}", e.number));
        }
        if !r.volunteers.contains_key(&e.volunteer) {
            return Err(format!(
                "hours entry {} names unknown volunteer {}",
                e.number, e.volunteer
            ));
        }
        if let Some(incident) = e.incident.filter(|i| !r.incidents.contains_key(i)) {
            return Err(format!("hours entry {} names unknown incident {incident}", e.number));
        }
        if let Some(a) = e.assignment.filter(|a| !r.assignments.contains_key(a)) {
            return Err(format!("hours entry {} names unknown assignment {a}", e.number));
        }
        match (e.source, e.reverses) {
            (HoursSource::Reversal, Some(target)) => {
                let original = usize::try_from(target)
                    .ok()
                    .and_then(|n| n.checked_sub(1))
                    .filter(|n| *n < i)
                    .and_then(|n| s.hours.get(n));
                if original.is_none_or(|o| o.source == HoursSource::Reversal) {
                    return Err(format!(
                        "hours entry {} reverses {target}, not an earlier reversible entry",
                        e.number
                    ));
                }
                if !reversed.insert(target) {
                    return Err(format!("hours entry {target} is reversed twice"));
                }
            }
            (HoursSource::Reversal, None) => {
                return Err(format!("hours entry {} is a reversal of nothing", e.number));
            }
            (_, Some(target)) => {
                return Err(format!(
                    "hours entry {} reverses {target} but is not a reversal",
                    e.number
                ));
            }
            (_, None) => {}
        }
    }
    r.reversed = reversed;
    r.hours = s.hours;
    Ok(r)
}

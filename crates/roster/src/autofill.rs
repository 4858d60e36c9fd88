//! Auto-fill: fill an incident's open seats under the hard rules.
//!
//! # The heuristic ([`Roster::plan_auto_fill`])
//!
//! Maximising filled headcount under overlap, rest and rolling-hours rules
//! is an NP-hard scheduling problem in general (interval scheduling with
//! per-person resource windows), so auto-fill is a heuristic, measured
//! against an exact search on small instances (see the bench):
//!
//! 1. **Open seats**: every shift of the incident that is not cancelled and
//!    starts at or after `from`, with `headcount − held seats` open.
//! 2. **Pools**: shifts are grouped by their requirement (skills and
//!    credentials with levels); for each group, the volunteers passing the
//!    date-free rules (active, skill levels, holding some credential of the
//!    competency and level, having a background check) form the pool, found
//!    once per group rather than once per shift.
//! 3. **Order**: most-constrained shift first (smallest pool per open seat,
//!    then earliest start); within a pool, least-flexible volunteer first
//!    (fewest open seats they could take at all), then fewest committed
//!    hours in the 30 days before `from` (fairness), then best reliability.
//! 4. **Greedy**: each shift takes pool members in that order who pass every
//!    remaining rule (dated credentials and background check, availability,
//!    no double booking, rest, rolling hours) against existing commitments
//!    *and the seats placed so far*, until its seats are filled.
//!    If this leaves any seat open, a second greedy pass runs in the order
//!    that is optimal for packing identical workers into intervals
//!    (earliest-ending shift first, and of the first 32 pool members who fit,
//!    within the first 256 looked at, the one free most recently: "best
//!    fit"); the plan filling more seats wins, ties going to the first
//!    (which spreads work more evenly).
//! 5. **Repair** (one-step augmenting paths, in both passes): for a shift
//!    left with open seats, a pool member blocked only by a nearby seat
//!    (within 24 h plus the rest) the pass gave them is moved to it if
//!    another volunteer can take the seat they leave (bounded: 64
//!    candidates per shift, 64 replacements per seat).
//!
//! Every placement is checked by the same rule code as a single
//! assignment, so a plan never breaks a hard rule. No overrides are used.
//!
//! # The exact search ([`Roster::plan_auto_fill_exact`])
//!
//! Branch and bound over shifts and pool members (each shift takes a set of
//! members in pool order, bounded by seats still open); exponential, with a
//! node limit; for small instances and for measuring the heuristic's gap.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use tangguh_core::{Id, IdBits, IncidentId, PersonId};

use crate::assignment::{AssignmentOrigin, AssignmentStatus};
use crate::error::RosterError;
use crate::event::RosterEvent;
use crate::ids::{AssignmentId, ShiftId, VolunteerId};
use crate::incident::Shift;
use crate::roster::{Roster, check_dated, check_profile, check_time};
use crate::schedule::{Booking, Schedule};
use crate::volunteer::Volunteer;

/// A plan of auto-fill: which volunteer takes which seat.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AutoFillPlan {
    /// The placements, in the order they were made.
    pub placements: Vec<(ShiftId, VolunteerId)>,
    /// Open seats before planning, over all the incident's open shifts.
    pub open_seats: u32,
    /// Seats still open after the plan, per shift (only shifts with some).
    pub unfilled: BTreeMap<ShiftId, u16>,
}

impl AutoFillPlan {
    /// How many seats the plan fills.
    #[must_use]
    pub fn filled(&self) -> u32 {
        u32::try_from(self.placements.len()).unwrap_or(u32::MAX)
    }
}

/// How the greedy pass orders shifts and picks volunteers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Strategy {
    /// Most-constrained shift first, least-flexible volunteer first.
    Scarcity,
    /// Earliest-ending shift first, best fit (the volunteer free most
    /// recently) among the first [`BEST_FIT`] who fit.
    EarliestEnd,
}

/// How many fitting volunteers the best-fit choice compares.
const BEST_FIT: usize = 32;
/// How far into the pool the best-fit choice looks (bounds its cost).
const BEST_FIT_SCAN: usize = 256;

/// One open shift in planning.
struct Need<'a> {
    shift: &'a Shift,
    seats: u16,
    pool: usize,
    holders: BTreeSet<VolunteerId>,
}

/// The working state: schedules changed by the plan, over the roster's.
struct Planner<'a> {
    roster: &'a Roster,
    overlay: BTreeMap<PersonId, Schedule>,
    next_tag: u128,
}

impl<'a> Planner<'a> {
    fn new(roster: &'a Roster) -> Self {
        Self { roster, overlay: BTreeMap::new(), next_tag: 1 }
    }

    fn schedule(&self, person: PersonId) -> Option<&Schedule> {
        self.overlay.get(&person).or_else(|| self.roster.schedules.get(&person))
    }

    fn fits(&self, v: &Volunteer, s: &Shift) -> bool {
        check_time(&self.roster.policy, v.id, s, self.schedule(v.person()), None).is_ok()
            && check_dated(v, s).is_ok()
            && v.availability.covers(s.start, s.end)
    }

    fn place(&mut self, v: &Volunteer, s: &Shift) -> AssignmentId {
        let tag = AssignmentId::from_bits(IdBits::from_u128(self.next_tag));
        self.next_tag = self.next_tag.saturating_add(1);
        let person = v.person();
        let base = self.roster.schedules.get(&person);
        self.overlay
            .entry(person)
            .or_insert_with(|| base.cloned().unwrap_or_default())
            .insert(Booking { start: s.start, end: s.end, shift: s.id, assignment: tag });
        tag
    }

    /// The end of the person's last booking ending at or before `at`.
    fn free_since(&self, person: PersonId, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.schedule(person).and_then(|s| s.last_end_before(at))
    }

    fn unplace(&mut self, v: &Volunteer, s: &Shift, tag: AssignmentId) {
        if let Some(schedule) = self.overlay.get_mut(&v.person()) {
            schedule.remove(s.start, tag);
        }
    }
}

/// Pools and needs for an incident.
struct Setup<'a> {
    needs: Vec<Need<'a>>,
    pools: Vec<Vec<&'a Volunteer>>,
}

type Signature<'a> = (
    &'a BTreeMap<tangguh_core::CompetencyCode, u8>,
    &'a BTreeMap<tangguh_core::CompetencyCode, u8>,
);

impl Roster {
    fn setup(&self, incident: IncidentId, from: DateTime<Utc>) -> Setup<'_> {
        let mut signatures: BTreeMap<Signature<'_>, usize> = BTreeMap::new();
        let mut needs = Vec::new();
        let mut representative: Vec<&Shift> = Vec::new();
        for shift in self.shifts_of(incident) {
            if shift.cancelled || shift.start < from {
                continue;
            }
            let (held, _) = self.seats(shift.id);
            let seats = shift.headcount.saturating_sub(held);
            if seats == 0 {
                continue;
            }
            let key = (&shift.required_skills, &shift.required_credentials);
            let next = signatures.len();
            let pool = *signatures.entry(key).or_insert(next);
            if pool == representative.len() {
                representative.push(shift);
            }
            let holders = self
                .assignments_to(shift.id)
                .filter(|a| a.status.holds_seat())
                .map(|a| a.volunteer)
                .collect();
            needs.push(Need { shift, seats, pool, holders });
        }
        let pools: Vec<Vec<&Volunteer>> = representative
            .iter()
            .map(|shift| {
                self.volunteers
                    .values()
                    .filter(|v| {
                        check_profile(v, shift).is_ok()
                            && v.background_check.is_some()
                            && shift
                                .required_credentials
                                .iter()
                                .all(|(c, l)| v.credentials.iter().any(|cred| cred.attests(c, *l)))
                    })
                    .collect()
            })
            .collect();
        Setup { needs, pools }
    }

    /// Plans auto-fill of `incident`'s shifts starting at or after `from`
    /// (the heuristic described in the module docs). Changes nothing; the
    /// [`RosterCommand::AutoFill`](crate::RosterCommand::AutoFill) command
    /// records the same plan.
    ///
    /// # Errors
    ///
    /// [`RosterError::UnknownIncident`] or [`RosterError::IncidentClosed`].
    pub fn plan_auto_fill(
        &self,
        incident: IncidentId,
        from: DateTime<Utc>,
    ) -> Result<AutoFillPlan, RosterError> {
        self.check_incident_open(incident)?;
        let scarcity = self.plan_with(incident, from, Strategy::Scarcity);
        if scarcity.unfilled.is_empty() {
            // Every open seat is filled: nothing can do better.
            return Ok(scarcity);
        }
        let packing = self.plan_with(incident, from, Strategy::EarliestEnd);
        // Ties go to the scarcity plan, which spreads work more fairly.
        Ok(if packing.filled() > scarcity.filled() { packing } else { scarcity })
    }

    fn plan_with(
        &self,
        incident: IncidentId,
        from: DateTime<Utc>,
        strategy: Strategy,
    ) -> AutoFillPlan {
        let Setup { mut needs, mut pools } = self.setup(incident, from);
        let open_seats: u32 = needs.iter().map(|n| u32::from(n.seats)).sum();
        // Flexibility: how many open seats a volunteer could take at all.
        let mut pool_seats = vec![0u32; pools.len()];
        for n in &needs {
            if let Some(total) = pool_seats.get_mut(n.pool) {
                *total = total.saturating_add(u32::from(n.seats));
            }
        }
        let mut flexibility: BTreeMap<VolunteerId, u32> = BTreeMap::new();
        for (pool, seats) in pools.iter().zip(&pool_seats) {
            for v in pool {
                let f = flexibility.entry(v.id).or_insert(0);
                *f = f.saturating_add(*seats);
            }
        }
        let recent: BTreeMap<PersonId, i64> = self
            .schedules
            .iter()
            .map(|(p, s)| (*p, s.seconds_within(from - Duration::days(30), from)))
            .collect();
        for pool in &mut pools {
            pool.sort_by_cached_key(|v| {
                (
                    flexibility.get(&v.id).copied().unwrap_or(0),
                    recent.get(&v.person()).copied().unwrap_or(0),
                    std::cmp::Reverse(v.reliability_permille()),
                    v.id,
                )
            });
        }
        needs.sort_by(|a, b| {
            if strategy == Strategy::EarliestEnd {
                return (a.shift.end, a.shift.start, a.shift.id).cmp(&(
                    b.shift.end,
                    b.shift.start,
                    b.shift.id,
                ));
            }
            let pa = pools.get(a.pool).map_or(0, Vec::len);
            let pb = pools.get(b.pool).map_or(0, Vec::len);
            (pa * usize::from(b.seats))
                .cmp(&(pb * usize::from(a.seats)))
                .then(a.shift.start.cmp(&b.shift.start))
                .then(a.shift.id.cmp(&b.shift.id))
        });

        let mut planner = Planner::new(self);
        // Per need: the placed volunteers with their planning tags.
        let mut placed: Vec<Vec<(&Volunteer, AssignmentId)>> = vec![Vec::new(); needs.len()];
        // Per person: the needs where they were placed.
        let mut placed_at: BTreeMap<PersonId, Vec<usize>> = BTreeMap::new();
        let mut order: Vec<(usize, VolunteerId)> = Vec::new();
        for (i, need) in needs.iter_mut().enumerate() {
            let Some(pool) = pools.get(need.pool) else { continue };
            let Some(slot) = placed.get_mut(i) else { continue };
            let mut k = 0;
            while need.seats > 0 {
                let chosen = match strategy {
                    Strategy::Scarcity => {
                        let mut found = None;
                        while let Some(v) = pool.get(k).copied() {
                            k += 1;
                            if !need.holders.contains(&v.id) && planner.fits(v, need.shift) {
                                found = Some(v);
                                break;
                            }
                        }
                        found
                    }
                    Strategy::EarliestEnd => {
                        // Best fit among the first few that fit: the one free
                        // most recently (classic k-machine interval packing).
                        let mut best: Option<(&Volunteer, Option<DateTime<Utc>>)> = None;
                        for v in pool
                            .iter()
                            .take(BEST_FIT_SCAN)
                            .filter(|v| {
                                !need.holders.contains(&v.id) && planner.fits(v, need.shift)
                            })
                            .take(BEST_FIT)
                        {
                            let free_since = planner.free_since(v.person(), need.shift.start);
                            if best.is_none_or(|(_, b)| free_since > b) {
                                best = Some((v, free_since));
                            }
                        }
                        best.map(|(v, _)| v)
                    }
                };
                let Some(v) = chosen else { break };
                let tag = planner.place(v, need.shift);
                slot.push((v, tag));
                need.holders.insert(v.id);
                need.seats -= 1;
                placed_at.entry(v.person()).or_default().push(i);
                order.push((i, v.id));
            }
        }

        // Repair: one-step augmenting paths.
        const CANDIDATES: usize = 64;
        const REPLACEMENTS: usize = 64;
        for i in 0..needs.len() {
            let mut tried = 0;
            let Some(need) = needs.get(i) else { continue };
            if need.seats == 0 {
                continue;
            }
            let Some(pool) = pools.get(need.pool) else { continue };
            for v in pool {
                let Some(need) = needs.get(i) else { break };
                if need.seats == 0 || tried >= CANDIDATES {
                    break;
                }
                if need.holders.contains(&v.id) || planner.fits(v, need.shift) {
                    continue; // a fitting volunteer would have been taken
                }
                let shift_i = need.shift;
                // Only seats near this shift can block it by overlap, rest
                // or the 24 h limit; farther ones are not tried.
                let near = Duration::hours(24)
                    + Duration::minutes(i64::from(self.policy.min_rest_minutes));
                let Some(blocking) = placed_at.get(&v.person()).map(|list| {
                    list.iter()
                        .copied()
                        .filter(|j| {
                            needs.get(*j).is_some_and(|n| {
                                n.shift.start < shift_i.end + near
                                    && shift_i.start < n.shift.end + near
                            })
                        })
                        .collect::<Vec<_>>()
                }) else {
                    continue;
                };
                if blocking.is_empty() {
                    continue;
                }
                tried += 1;
                for j in blocking {
                    let Some((other, tag)) = placed
                        .get(j)
                        .and_then(|p| p.iter().find(|(w, _)| w.person() == v.person()))
                        .copied()
                    else {
                        continue;
                    };
                    let Some(need_j) = needs.get(j) else { continue };
                    let shift_j = need_j.shift;
                    planner.unplace(other, shift_j, tag);
                    if !planner.fits(v, shift_i) {
                        let retag = planner.place(other, shift_j);
                        replace_tag(&mut placed, j, other.id, retag);
                        continue;
                    }
                    let new_tag = planner.place(v, shift_i);
                    let replacement = pools.get(need_j.pool).and_then(|pool_j| {
                        pool_j
                            .iter()
                            .filter(|w| w.id != other.id && !need_j.holders.contains(&w.id))
                            .take(REPLACEMENTS)
                            .find(|w| planner.fits(w, shift_j))
                            .copied()
                    });
                    if let Some(w) = replacement {
                        let w_tag = planner.place(w, shift_j);
                        if let Some(p) = placed.get_mut(j) {
                            p.retain(|(x, _)| x.id != other.id);
                            p.push((w, w_tag));
                        }
                        if let Some(n) = needs.get_mut(j) {
                            n.holders.remove(&other.id);
                            n.holders.insert(w.id);
                        }
                        if let Some(p) = placed.get_mut(i) {
                            p.push((v, new_tag));
                        }
                        if let Some(n) = needs.get_mut(i) {
                            n.holders.insert(v.id);
                            n.seats -= 1;
                        }
                        if let Some(list) = placed_at.get_mut(&v.person()) {
                            list.retain(|x| *x != j);
                            list.push(i);
                        }
                        placed_at.entry(w.person()).or_default().push(j);
                        order.retain(|(n, id)| !(*n == j && *id == other.id));
                        order.push((j, w.id));
                        order.push((i, v.id));
                        break;
                    }
                    planner.unplace(v, shift_i, new_tag);
                    let retag = planner.place(other, shift_j);
                    replace_tag(&mut placed, j, other.id, retag);
                }
            }
        }

        let placements =
            order.into_iter().filter_map(|(i, v)| needs.get(i).map(|n| (n.shift.id, v))).collect();
        let unfilled =
            needs.iter().filter(|n| n.seats > 0).map(|n| (n.shift.id, n.seats)).collect();
        AutoFillPlan { placements, open_seats, unfilled }
    }

    /// The best plan by exhaustive branch and bound, or `None` if it needs
    /// more than `node_limit` search nodes. Exponential: for small instances
    /// (tests, and the bench's measure of the heuristic's gap).
    ///
    /// # Errors
    ///
    /// [`RosterError::UnknownIncident`] or [`RosterError::IncidentClosed`].
    pub fn plan_auto_fill_exact(
        &self,
        incident: IncidentId,
        from: DateTime<Utc>,
        node_limit: u64,
    ) -> Result<Option<AutoFillPlan>, RosterError> {
        self.check_incident_open(incident)?;
        let Setup { mut needs, pools } = self.setup(incident, from);
        needs.sort_by_key(|n| (n.shift.start, n.shift.id));
        let open_seats: u32 = needs.iter().map(|n| u32::from(n.seats)).sum();
        let mut suffix = vec![0u32; needs.len() + 1];
        for i in (0..needs.len()).rev() {
            let here = needs.get(i).map_or(0, |n| u32::from(n.seats));
            let after = suffix.get(i + 1).copied().unwrap_or(0);
            if let Some(s) = suffix.get_mut(i) {
                *s = here + after;
            }
        }
        let mut search = Exact {
            planner: Planner::new(self),
            needs: &needs,
            pools: &pools,
            suffix,
            current: Vec::new(),
            best: Vec::new(),
            nodes: 0,
            limit: node_limit,
        };
        if !search.run(0, 0, 0) {
            return Ok(None);
        }
        let placements = search.best.clone();
        let mut filled: BTreeMap<ShiftId, u16> = BTreeMap::new();
        for (s, _) in &placements {
            *filled.entry(*s).or_insert(0) += 1;
        }
        let unfilled = needs
            .iter()
            .filter_map(|n| {
                let left = n.seats.saturating_sub(filled.get(&n.shift.id).copied().unwrap_or(0));
                (left > 0).then_some((n.shift.id, left))
            })
            .collect();
        Ok(Some(AutoFillPlan { placements, open_seats, unfilled }))
    }

    fn check_incident_open(&self, incident: IncidentId) -> Result<(), RosterError> {
        let i = self.incidents.get(&incident).ok_or(RosterError::UnknownIncident(incident))?;
        if i.is_closed() {
            return Err(RosterError::IncidentClosed(incident));
        }
        Ok(())
    }

    pub(crate) fn decide_auto_fill(
        &self,
        incident: IncidentId,
        id_seed: AssignmentId,
        confirm: bool,
        now: DateTime<Utc>,
    ) -> Result<Vec<RosterEvent>, RosterError> {
        let plan = self.plan_auto_fill(incident, now)?;
        let status = if confirm { AssignmentStatus::Confirmed } else { AssignmentStatus::Invited };
        let mut events = Vec::with_capacity(plan.placements.len());
        let mut bits = id_seed.bits().as_u128();
        for (shift, volunteer) in plan.placements {
            let assignment = AssignmentId::from_bits(IdBits::from_u128(bits));
            bits = bits.wrapping_add(1);
            if self.assignments.contains_key(&assignment) {
                return Err(RosterError::DuplicateId {
                    kind: "assignment",
                    id: assignment.to_string(),
                });
            }
            let person = self
                .volunteers
                .get(&volunteer)
                .ok_or(RosterError::UnknownVolunteer(volunteer))?
                .person();
            events.push(RosterEvent::AssignmentCreated {
                assignment,
                shift,
                volunteer,
                person,
                status,
                origin: AssignmentOrigin::AutoFill,
                override_: None,
            });
        }
        Ok(events)
    }
}

fn replace_tag(
    placed: &mut [Vec<(&Volunteer, AssignmentId)>],
    need: usize,
    volunteer: VolunteerId,
    tag: AssignmentId,
) {
    if let Some(entry) =
        placed.get_mut(need).and_then(|p| p.iter_mut().find(|(v, _)| v.id == volunteer))
    {
        entry.1 = tag;
    }
}

struct Exact<'r, 'n> {
    planner: Planner<'r>,
    needs: &'n [Need<'r>],
    pools: &'n [Vec<&'r Volunteer>],
    suffix: Vec<u32>,
    current: Vec<(ShiftId, VolunteerId)>,
    best: Vec<(ShiftId, VolunteerId)>,
    nodes: u64,
    limit: u64,
}

impl Exact<'_, '_> {
    /// Searches from need `i`, pool position `from`, with `taken` seats of
    /// need `i` filled. Returns `false` if the node limit was hit.
    fn run(&mut self, i: usize, from: usize, taken: u16) -> bool {
        self.nodes += 1;
        if self.nodes > self.limit {
            return false;
        }
        let total = u32::try_from(self.current.len()).unwrap_or(u32::MAX);
        let Some(need) = self.needs.get(i) else {
            if total > u32::try_from(self.best.len()).unwrap_or(u32::MAX) {
                self.best.clone_from(&self.current);
            }
            return true;
        };
        let rest = self.suffix.get(i).copied().unwrap_or(0).saturating_sub(u32::from(taken));
        if total + rest <= u32::try_from(self.best.len()).unwrap_or(u32::MAX) {
            return true;
        }
        if taken < need.seats {
            let pool = self.pools.get(need.pool).map_or(&[][..], Vec::as_slice);
            for k in from..pool.len() {
                let Some(v) = pool.get(k).copied() else { break };
                if need.holders.contains(&v.id) || !self.planner.fits(v, need.shift) {
                    continue;
                }
                let tag = self.planner.place(v, need.shift);
                self.current.push((need.shift.id, v.id));
                let ok = self.run(i, k + 1, taken + 1);
                self.current.pop();
                self.planner.unplace(v, need.shift, tag);
                if !ok {
                    return false;
                }
            }
        }
        self.run(i + 1, 0, 0)
    }
}

//! Matching: who can take a shift, who cannot and why, and whom to call.

use std::cmp::Reverse;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use tangguh_core::{IncidentId, RegionCode, RegionLevel};

use crate::error::RosterError;
use crate::ids::{ShiftId, VolunteerId};
use crate::roster::Roster;
use crate::volunteer::Volunteer;

/// How near a volunteer's home is to where they are needed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Proximity {
    /// Same kelurahan.
    SameKelurahan,
    /// Same kecamatan.
    SameKecamatan,
    /// Same kabupaten or kota.
    SameRegency,
    /// Further away.
    Elsewhere,
}

impl Proximity {
    /// How near `home` is to `place` (both kelurahan codes).
    #[must_use]
    pub fn between(home: RegionCode, place: RegionCode) -> Self {
        let same = |level| home.ancestor(level).is_some_and(|a| place.ancestor(level) == Some(a));
        if home == place {
            Self::SameKelurahan
        } else if same(RegionLevel::District) {
            Self::SameKecamatan
        } else if same(RegionLevel::Regency) {
            Self::SameRegency
        } else {
            Self::Elsewhere
        }
    }
}

/// An eligible volunteer for a shift, with what ranked them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Candidate {
    /// The volunteer.
    pub volunteer: VolunteerId,
    /// Home's nearness to the post.
    pub proximity: Proximity,
    /// Completed / (completed + no-shows), permille (1000 with no history).
    pub reliability_permille: u32,
    /// Committed minutes in the 30 days before the shift (fewer first).
    pub recent_minutes: i64,
    /// Levels above the required ones, summed (a closer fit first, keeping
    /// the most skilled for the shifts that need them).
    pub skill_surplus: u32,
}

/// A volunteer excluded from a shift, with the rule that excluded them.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Exclusion {
    /// The volunteer.
    pub volunteer: VolunteerId,
    /// The first rule that excluded them (a hard rule,
    /// [`RosterError::Unavailable`] or [`RosterError::AlreadyAssigned`]).
    pub reason: RosterError,
}

/// The matching of one shift.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ShiftMatch {
    /// The shift.
    pub shift: ShiftId,
    /// Eligible volunteers, best first: nearest, then most reliable, then
    /// fewest recent hours (fairness), then closest skill fit, then id.
    pub eligible: Vec<Candidate>,
    /// Every other volunteer, by id, with why.
    pub excluded: Vec<Exclusion>,
}

/// One line of a call-out list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CallOut {
    /// The volunteer.
    pub volunteer: VolunteerId,
    /// Home's nearness to the incident's affected kelurahan (the nearest).
    pub proximity: Proximity,
    /// Reliability, permille.
    pub reliability_permille: u32,
    /// Committed minutes in the 30 days before `from`.
    pub recent_minutes: i64,
    /// How many of the incident's open shifts they could take now.
    pub open_shifts: u32,
}

impl Roster {
    fn recent_minutes(&self, v: &Volunteer, before: DateTime<Utc>) -> i64 {
        self.schedules
            .get(&v.person())
            .map_or(0, |s| s.seconds_within(before - Duration::days(30), before))
            .div_euclid(60)
    }

    /// Ranks every volunteer for `shift`: the eligible ones (all hard rules
    /// met, available, not already holding a seat) best first, and every
    /// other one with the rule that excluded them.
    ///
    /// # Errors
    ///
    /// [`RosterError::UnknownShift`].
    pub fn match_shift(&self, shift: ShiftId) -> Result<ShiftMatch, RosterError> {
        let s = self.shifts.get(&shift).ok_or(RosterError::UnknownShift(shift))?;
        let post = self.incidents.get(&s.incident).and_then(|i| i.posts.get(&s.post));
        let mut eligible = Vec::new();
        let mut excluded = Vec::new();
        for v in self.volunteers.values() {
            let held =
                self.assignments_of(v.id).find(|a| a.shift == shift && a.status.holds_seat());
            let verdict = match held {
                Some(a) => {
                    Err(RosterError::AlreadyAssigned { volunteer: v.id, shift, existing: a.id })
                }
                None => self.check_assignment(v.id, shift, None).and_then(|()| {
                    if v.availability.covers(s.start, s.end) {
                        Ok(())
                    } else {
                        Err(RosterError::Unavailable { volunteer: v.id, shift })
                    }
                }),
            };
            match verdict {
                Ok(()) => {
                    let skill_surplus = s
                        .required_skills
                        .iter()
                        .map(|(k, l)| u32::from(v.skill_level(k).saturating_sub(*l)))
                        .sum();
                    eligible.push(Candidate {
                        volunteer: v.id,
                        proximity: post.map_or(Proximity::Elsewhere, |p| {
                            Proximity::between(v.profile.home, p.kelurahan)
                        }),
                        reliability_permille: v.reliability_permille(),
                        recent_minutes: self.recent_minutes(v, s.start),
                        skill_surplus,
                    });
                }
                Err(reason) => excluded.push(Exclusion { volunteer: v.id, reason }),
            }
        }
        eligible.sort_by_key(|c| {
            (
                c.proximity,
                Reverse(c.reliability_permille),
                c.recent_minutes,
                c.skill_surplus,
                c.volunteer,
            )
        });
        Ok(ShiftMatch { shift, eligible, excluded })
    }

    /// Whom to contact first for `incident`: every volunteer who could take
    /// at least one of its open shifts starting at or after `from` (all hard
    /// rules met, available), nearest to the affected kelurahan first, then
    /// most reliable, then fewest recent hours, then most shifts they could
    /// take.
    ///
    /// # Errors
    ///
    /// [`RosterError::UnknownIncident`].
    pub fn call_out(
        &self,
        incident: IncidentId,
        from: DateTime<Utc>,
    ) -> Result<Vec<CallOut>, RosterError> {
        let i = self.incidents.get(&incident).ok_or(RosterError::UnknownIncident(incident))?;
        let open: Vec<_> = self
            .shifts_of(incident)
            .filter(|s| !s.cancelled && s.start >= from && self.seats(s.id).0 < s.headcount)
            .collect();
        let mut list = Vec::new();
        for v in self.volunteers.values() {
            let mut count = 0u32;
            for s in &open {
                let holds =
                    self.assignments_of(v.id).any(|a| a.shift == s.id && a.status.holds_seat());
                if !holds
                    && self.check_assignment(v.id, s.id, None).is_ok()
                    && v.availability.covers(s.start, s.end)
                {
                    count += 1;
                }
            }
            if count == 0 {
                continue;
            }
            let proximity = i
                .affected
                .iter()
                .map(|k| Proximity::between(v.profile.home, *k))
                .min()
                .unwrap_or(Proximity::Elsewhere);
            list.push(CallOut {
                volunteer: v.id,
                proximity,
                reliability_permille: v.reliability_permille(),
                recent_minutes: self.recent_minutes(v, from),
                open_shifts: count,
            });
        }
        list.sort_by_key(|c| {
            (
                c.proximity,
                Reverse(c.reliability_permille),
                c.recent_minutes,
                Reverse(c.open_shifts),
                c.volunteer,
            )
        });
        Ok(list)
    }
}

//! Reports: hours, activity, coverage, expiries, CSV export.

use std::collections::BTreeMap;
use std::io::Write;

use chrono::{Datelike, Duration, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use tangguh_core::{CompetencyCode, IncidentId};

use crate::error::RosterError;
use crate::hours::{HoursEntry, HoursSource};
use crate::ids::{ShiftId, TeamId, VolunteerId};
use crate::roster::Roster;

/// How far an incident's shift is covered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Coverage {
    /// The shift.
    pub shift: ShiftId,
    /// People needed.
    pub required: u16,
    /// Seats held (invited, applied or committed).
    pub held: u16,
    /// Seats committed (confirmed, checked in, checked out): the "filled".
    pub filled: u16,
}

/// What is expiring.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum ExpiringItem {
    /// A credential.
    Credential {
        /// Its competency.
        competency: CompetencyCode,
        /// Its level.
        level: u8,
    },
    /// The background check.
    BackgroundCheck,
}

/// A credential or check whose last valid day falls within the horizon.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Expiring {
    /// The volunteer.
    pub volunteer: VolunteerId,
    /// What.
    pub item: ExpiringItem,
    /// Its last valid day.
    pub last_valid_day: NaiveDate,
}

impl Roster {
    fn entries_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> impl Iterator<Item = &HoursEntry> + '_ {
        self.hours.iter().filter(move |e| e.date >= from && e.date <= to)
    }

    /// Net minutes of `volunteer` on days `from..=to` (reversals subtract).
    #[must_use]
    pub fn minutes_of_volunteer(
        &self,
        volunteer: VolunteerId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> i64 {
        self.entries_between(from, to).filter(|e| e.volunteer == volunteer).map(|e| e.minutes).sum()
    }

    /// Net minutes of a team's current members on days `from..=to`.
    #[must_use]
    pub fn minutes_of_team(&self, team: TeamId, from: NaiveDate, to: NaiveDate) -> i64 {
        let Some(t) = self.teams.get(&team) else { return 0 };
        self.entries_between(from, to)
            .filter(|e| t.members.contains(&e.volunteer))
            .map(|e| e.minutes)
            .sum()
    }

    /// Net minutes recorded for an incident on days `from..=to`.
    #[must_use]
    pub fn minutes_of_incident(&self, incident: IncidentId, from: NaiveDate, to: NaiveDate) -> i64 {
        self.entries_between(from, to)
            .filter(|e| e.incident == Some(incident))
            .map(|e| e.minutes)
            .sum()
    }

    /// Net minutes per volunteer on days `from..=to` (volunteers with
    /// entries only).
    #[must_use]
    pub fn minutes_by_volunteer(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> BTreeMap<VolunteerId, i64> {
        let mut out = BTreeMap::new();
        for e in self.entries_between(from, to) {
            *out.entry(e.volunteer).or_insert(0) += e.minutes;
        }
        out
    }

    /// The days `activity` averages over for the reference date `as_of`:
    /// the policy's `months` whole calendar months before `as_of`'s month,
    /// after skipping `lag_months`.
    #[must_use]
    pub fn activity_period(&self, as_of: NaiveDate) -> (NaiveDate, NaiveDate) {
        let a = self.policy.activity;
        let month_start = as_of.with_day(1).unwrap_or(as_of);
        let end = month_start.checked_sub_months(Months::new(a.lag_months)).unwrap_or(month_start);
        let start = end.checked_sub_months(Months::new(a.months.max(1))).unwrap_or(end);
        (start, end - Duration::days(1))
    }

    /// Whether `volunteer` is an "active volunteer" on `as_of`, derived from
    /// the hours record under the policy's [`ActivityPolicy`](crate::ActivityPolicy).
    #[must_use]
    pub fn is_active_volunteer(&self, volunteer: VolunteerId, as_of: NaiveDate) -> bool {
        let (from, to) = self.activity_period(as_of);
        let a = self.policy.activity;
        let needed = i64::from(a.min_minutes_per_month) * i64::from(a.months.max(1));
        self.minutes_of_volunteer(volunteer, from, to) >= needed
    }

    /// Every active volunteer on `as_of`, by id.
    #[must_use]
    pub fn active_volunteers(&self, as_of: NaiveDate) -> Vec<VolunteerId> {
        let (from, to) = self.activity_period(as_of);
        let a = self.policy.activity;
        let needed = i64::from(a.min_minutes_per_month) * i64::from(a.months.max(1));
        self.minutes_by_volunteer(from, to)
            .into_iter()
            .filter(|(_, m)| *m >= needed)
            .map(|(v, _)| v)
            .collect()
    }

    /// Coverage of every shift of `incident` (cancelled ones left out).
    #[must_use]
    pub fn coverage(&self, incident: IncidentId) -> Vec<Coverage> {
        self.shifts_of(incident)
            .filter(|s| !s.cancelled)
            .map(|s| {
                let (held, filled) = self.seats(s.id);
                Coverage { shift: s.id, required: s.headcount, held, filled }
            })
            .collect()
    }

    /// Credentials and background checks of volunteers not retired whose
    /// last valid day is within `days` days from `today` (inclusive), by
    /// date then volunteer.
    #[must_use]
    pub fn expiring_within(&self, today: NaiveDate, days: u32) -> Vec<Expiring> {
        let horizon = today + Duration::days(i64::from(days));
        let soon = |d: NaiveDate| d >= today && d <= horizon;
        let mut out = Vec::new();
        for v in self.volunteers.values() {
            if v.status == crate::VolunteerStatus::Retired {
                continue;
            }
            for c in &v.credentials {
                let last = match (c.valid_until, c.revoked_on) {
                    (_, Some(_)) => None,
                    (Some(last), None) => Some(last),
                    (None, None) => None,
                };
                if let Some(last) = last.filter(|d| soon(*d)) {
                    out.push(Expiring {
                        volunteer: v.id,
                        item: ExpiringItem::Credential {
                            competency: c.competency.clone(),
                            level: c.level,
                        },
                        last_valid_day: last,
                    });
                }
            }
            if let Some(check) = v.background_check.filter(|c| soon(c.valid_until)) {
                out.push(Expiring {
                    volunteer: v.id,
                    item: ExpiringItem::BackgroundCheck,
                    last_valid_day: check.valid_until,
                });
            }
        }
        out.sort_by_key(|e| (e.last_valid_day, e.volunteer));
        out
    }

    /// Writes the hours record for days `from..=to` as CSV (header
    /// `number,volunteer,date,minutes,source,incident,assignment,reverses,note`).
    ///
    /// # Errors
    ///
    /// [`RosterError::Export`] if writing fails.
    pub fn write_hours_csv<W: Write>(
        &self,
        writer: W,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<(), RosterError> {
        let mut w = csv::Writer::from_writer(writer);
        let err = |e: csv::Error| RosterError::Export(e.to_string());
        w.write_record([
            "number",
            "volunteer",
            "date",
            "minutes",
            "source",
            "incident",
            "assignment",
            "reverses",
            "note",
        ])
        .map_err(err)?;
        for e in self.entries_between(from, to) {
            let source = match e.source {
                HoursSource::CheckOut => "check_out",
                HoursSource::Manual => "manual",
                HoursSource::Reversal => "reversal",
            };
            w.write_record([
                e.number.to_string(),
                e.volunteer.to_string(),
                e.date.to_string(),
                e.minutes.to_string(),
                source.to_owned(),
                e.incident.map(|i| i.to_string()).unwrap_or_default(),
                e.assignment.map(|a| a.to_string()).unwrap_or_default(),
                e.reverses.map(|r| r.to_string()).unwrap_or_default(),
                e.note.as_ref().map(|n| n.to_string()).unwrap_or_default(),
            ])
            .map_err(err)?;
        }
        w.flush().map_err(|e| RosterError::Export(e.to_string()))
    }

    /// Writes the coverage of `incident` as CSV (header
    /// `shift,role,start,end,required,held,filled`).
    ///
    /// # Errors
    ///
    /// [`RosterError::Export`] if writing fails.
    pub fn write_coverage_csv<W: Write>(
        &self,
        writer: W,
        incident: IncidentId,
    ) -> Result<(), RosterError> {
        let mut w = csv::Writer::from_writer(writer);
        let err = |e: csv::Error| RosterError::Export(e.to_string());
        w.write_record(["shift", "role", "start", "end", "required", "held", "filled"])
            .map_err(err)?;
        for c in self.coverage(incident) {
            let Some(s) = self.shifts.get(&c.shift) else { continue };
            w.write_record([
                c.shift.to_string(),
                s.role.to_string(),
                s.start.to_rfc3339(),
                s.end.to_rfc3339(),
                c.required.to_string(),
                c.held.to_string(),
                c.filled.to_string(),
            ])
            .map_err(err)?;
        }
        w.flush().map_err(|e| RosterError::Export(e.to_string()))
    }
}

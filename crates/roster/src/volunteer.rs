//! Volunteers (engagements of a person with an organisation), their
//! availability, and teams.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{DateTime, Datelike, Duration, NaiveDate, Timelike, Utc, Weekday};
use serde::{Deserialize, Serialize};
use tangguh_core::{CompetencyCode, Credential, Name, Nik, OrganizationId, PersonId, RegionCode};

use crate::ids::{TeamId, VolunteerId};

/// Where a volunteer is in their engagement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum VolunteerStatus {
    /// Registered, not yet accepted: cannot be assigned.
    Applied,
    /// May be assigned.
    Active,
    /// Temporarily barred (with a reason); may be reinstated.
    Suspended,
    /// Left for good (with a reason). Final.
    Retired,
}

impl VolunteerStatus {
    /// Whether a change from `self` to `to` is allowed: applied → active;
    /// active ↔ suspended; anything but retired → retired.
    #[must_use]
    pub fn can_become(self, to: Self) -> bool {
        matches!(
            (self, to),
            (Self::Applied, Self::Active)
                | (Self::Active, Self::Suspended)
                | (Self::Suspended, Self::Active)
                | (Self::Applied | Self::Active | Self::Suspended, Self::Retired)
        )
    }
}

/// A background or safeguarding check (police record, SKCK, child
/// safeguarding), valid from `checked_on` to `valid_until` inclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BackgroundCheck {
    /// The day the check was done.
    pub checked_on: NaiveDate,
    /// The last day it is valid.
    pub valid_until: NaiveDate,
}

impl BackgroundCheck {
    /// A check done on `checked_on`, valid through `valid_until`.
    #[must_use]
    pub fn new(checked_on: NaiveDate, valid_until: NaiveDate) -> Self {
        Self { checked_on, valid_until }
    }

    /// Whether it is valid on every day from `start` to `end` inclusive.
    #[must_use]
    pub fn is_valid_throughout(&self, start: NaiveDate, end: NaiveDate) -> bool {
        start >= self.checked_on && end <= self.valid_until && start <= end
    }
}

/// A weekly recurring window in WIB wall-clock time: `weekday` from
/// `start_minute` to `end_minute` (minutes after midnight, half-open,
/// `end_minute` up to 1440 = midnight at the end of the day).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WeeklyWindow {
    /// The day of the week (WIB).
    pub weekday: Weekday,
    /// Start, minutes after midnight WIB (0–1439).
    pub start_minute: u16,
    /// End, minutes after midnight WIB (1–1440), after the start.
    pub end_minute: u16,
}

impl WeeklyWindow {
    /// A window; see [`Availability::check`] for the rules it must meet.
    #[must_use]
    pub fn new(weekday: Weekday, start_minute: u16, end_minute: u16) -> Self {
        Self { weekday, start_minute, end_minute }
    }
}

/// An exception to the weekly pattern, in UTC instants, half-open.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AvailabilityException {
    /// Start of the exception.
    pub start: DateTime<Utc>,
    /// End of the exception (exclusive).
    pub end: DateTime<Utc>,
    /// `true`: available then even outside the weekly windows; `false`:
    /// unavailable then (travel, illness, harvest).
    pub available: bool,
}

impl AvailabilityException {
    /// An exception.
    #[must_use]
    pub fn new(start: DateTime<Utc>, end: DateTime<Utc>, available: bool) -> Self {
        Self { start, end, available }
    }
}

/// When a volunteer says they can serve: weekly WIB windows plus exceptions.
/// No windows at all means "any time" (only the exceptions restrict it).
/// Committed assignments are further unavailability, enforced by the
/// double-booking rule rather than stored here.
///
/// Availability is a matching filter (matching and auto-fill exclude an
/// unavailable volunteer, saying so); a coordinator's explicit assignment of
/// a volunteer who agreed outside their windows is not refused.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Availability {
    /// Weekly windows (WIB).
    pub weekly: Vec<WeeklyWindow>,
    /// Exceptions; a later one wins where two overlap.
    pub exceptions: Vec<AvailabilityException>,
}

impl Availability {
    /// Availability from weekly windows and exceptions.
    #[must_use]
    pub fn new(weekly: Vec<WeeklyWindow>, exceptions: Vec<AvailabilityException>) -> Self {
        Self { weekly, exceptions }
    }

    /// Checks the windows and exceptions are well formed.
    ///
    /// # Errors
    ///
    /// The field and value of the first bad window (`start_minute` ≥
    /// `end_minute` or `end_minute` > 1440) or exception (end not after
    /// start).
    pub fn check(&self) -> Result<(), (&'static str, String)> {
        for w in &self.weekly {
            if w.start_minute >= w.end_minute || w.end_minute > 1440 {
                return Err((
                    "weekly window",
                    format!("{:?} {}-{}", w.weekday, w.start_minute, w.end_minute),
                ));
            }
        }
        for e in &self.exceptions {
            if e.end <= e.start {
                return Err(("availability exception", format!("{} - {}", e.start, e.end)));
            }
        }
        Ok(())
    }

    /// Whether the volunteer is available for the whole of `[start, end)`.
    #[must_use]
    pub fn covers(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> bool {
        if end <= start {
            return false;
        }
        // The last exception touching the interval decides where it applies.
        let mut blocked = false;
        let mut fully_available_exception = false;
        for e in &self.exceptions {
            if e.start < end && start < e.end {
                if e.available {
                    if e.start <= start && end <= e.end {
                        fully_available_exception = true;
                        blocked = false;
                    }
                } else {
                    blocked = true;
                    fully_available_exception = false;
                }
            }
        }
        if blocked {
            return false;
        }
        if fully_available_exception || self.weekly.is_empty() {
            return true;
        }
        self.weekly_covers(start, end)
    }

    fn weekly_covers(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> bool {
        let tz = tangguh_core::wib();
        let mut at = start.with_timezone(&tz);
        let end = end.with_timezone(&tz);
        // Walk the interval one WIB day at a time.
        for _ in 0..400 {
            if at >= end {
                return true;
            }
            let day = at.date_naive();
            let from = minute_of_day(at.hour(), at.minute());
            let next_midnight = day.succ_opt().and_then(|d| d.and_hms_opt(0, 0, 0));
            let until = match next_midnight {
                Some(midnight) if end.naive_local() >= midnight => 1440,
                _ => minute_of_day(end.hour(), end.minute()).max(from.saturating_add(1)),
            };
            if !self.day_covers(day.weekday(), from, until) {
                return false;
            }
            let Some(midnight) = next_midnight else { return false };
            let Some(next) = midnight.and_local_timezone(tz).single() else { return false };
            at = next;
        }
        false
    }

    fn day_covers(&self, weekday: Weekday, from: u16, until: u16) -> bool {
        let mut windows: Vec<(u16, u16)> = self
            .weekly
            .iter()
            .filter(|w| w.weekday == weekday)
            .map(|w| (w.start_minute, w.end_minute))
            .collect();
        windows.sort_unstable();
        let mut reached = from;
        for (s, e) in windows {
            if s > reached {
                break;
            }
            reached = reached.max(e);
            if reached >= until {
                return true;
            }
        }
        reached >= until
    }
}

fn minute_of_day(hour: u32, minute: u32) -> u16 {
    u16::try_from(hour.saturating_mul(60).saturating_add(minute)).unwrap_or(1440)
}

/// What a client gives to register a volunteer engagement.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VolunteerProfile {
    /// The person (core person id).
    pub person: PersonId,
    /// The person's NIK, if known (masked in Debug and Display).
    pub nik: Option<Nik>,
    /// The organisation or community group of this engagement.
    pub organization: OrganizationId,
    /// The volunteer's name, as shown to coordinators.
    pub name: Name,
    /// Home kelurahan (a village-level region code).
    pub home: RegionCode,
    /// How to reach them (a phone or WhatsApp number), as given.
    pub contact: Option<Name>,
    /// Languages spoken (Bahasa Indonesia, Dayak Ngaju, Banjar…).
    pub languages: BTreeSet<Name>,
    /// Skill levels per skill type (1 = entry level, up to 9).
    pub skills: BTreeMap<CompetencyCode, u8>,
}

impl VolunteerProfile {
    /// A profile with no NIK, contact, languages or skills.
    #[must_use]
    pub fn new(
        person: PersonId,
        organization: OrganizationId,
        name: Name,
        home: RegionCode,
    ) -> Self {
        Self {
            person,
            nik: None,
            organization,
            name,
            home,
            contact: None,
            languages: BTreeSet::new(),
            skills: BTreeMap::new(),
        }
    }

    /// The same profile with a NIK.
    #[must_use]
    pub fn with_nik(self, nik: Nik) -> Self {
        Self { nik: Some(nik), ..self }
    }

    /// The same profile with a contact.
    #[must_use]
    pub fn with_contact(self, contact: Name) -> Self {
        Self { contact: Some(contact), ..self }
    }

    /// The same profile with one more language.
    #[must_use]
    pub fn with_language(mut self, language: Name) -> Self {
        self.languages.insert(language);
        self
    }

    /// The same profile with a skill at `level`.
    #[must_use]
    pub fn with_skill(mut self, skill: CompetencyCode, level: u8) -> Self {
        self.skills.insert(skill, level);
        self
    }
}

/// A volunteer engagement as the roster holds it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Volunteer {
    /// Its id.
    pub id: VolunteerId,
    /// What was registered (skills are kept up to date here).
    pub profile: VolunteerProfile,
    /// Credentials (validity computed for a date, never stored as a flag).
    pub credentials: Vec<Credential>,
    /// The latest background check, if any.
    pub background_check: Option<BackgroundCheck>,
    /// Where the engagement is.
    pub status: VolunteerStatus,
    /// The reason given for the latest status change, if any.
    pub status_reason: Option<Name>,
    /// When they can serve.
    pub availability: Availability,
    /// Teams they belong to.
    pub teams: BTreeSet<TeamId>,
    /// Assignments completed (checked out).
    pub completed: u32,
    /// Assignments recorded as no-show.
    pub no_shows: u32,
}

impl Volunteer {
    pub(crate) fn new(id: VolunteerId, profile: VolunteerProfile) -> Self {
        Self {
            id,
            profile,
            credentials: Vec::new(),
            background_check: None,
            status: VolunteerStatus::Applied,
            status_reason: None,
            availability: Availability::default(),
            teams: BTreeSet::new(),
            completed: 0,
            no_shows: 0,
        }
    }

    /// The person this engagement belongs to.
    #[must_use]
    pub fn person(&self) -> PersonId {
        self.profile.person
    }

    /// The level of `skill` (0 if none).
    #[must_use]
    pub fn skill_level(&self, skill: &CompetencyCode) -> u8 {
        self.profile.skills.get(skill).copied().unwrap_or(0)
    }

    /// Whether some credential attests `competency` at `level` on every day
    /// from `first` to `last`.
    #[must_use]
    pub fn has_valid_credential(
        &self,
        competency: &CompetencyCode,
        level: u8,
        first: NaiveDate,
        last: NaiveDate,
    ) -> bool {
        self.credentials
            .iter()
            .any(|c| c.attests(competency, level) && c.is_valid_throughout(first, last))
    }

    /// Reliability in permille: completed / (completed + no-shows); 1000
    /// with no history.
    #[must_use]
    pub fn reliability_permille(&self) -> u32 {
        let total = u64::from(self.completed) + u64::from(self.no_shows);
        if total == 0 {
            return 1000;
        }
        u32::try_from(u64::from(self.completed) * 1000 / total).unwrap_or(1000)
    }
}

/// A volunteer group (relief team, boat crew, dapur umum crew), a different
/// type from a household.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Team {
    /// Its id.
    pub id: TeamId,
    /// Its name.
    pub name: Name,
    /// Its coordinator, if named (a member).
    pub coordinator: Option<VolunteerId>,
    /// Its members.
    pub members: BTreeSet<VolunteerId>,
    /// What the team can do (evacuation by boat, public kitchen…).
    pub capabilities: BTreeSet<CompetencyCode>,
}

impl Team {
    /// A team with no members.
    #[must_use]
    pub fn new(id: TeamId, name: Name) -> Self {
        Self {
            id,
            name,
            coordinator: None,
            members: BTreeSet::new(),
            capabilities: BTreeSet::new(),
        }
    }

    /// The same team with a capability.
    #[must_use]
    pub fn with_capability(mut self, capability: CompetencyCode) -> Self {
        self.capabilities.insert(capability);
        self
    }
}

/// The WIB dates of the first and last instants of `[start, end)`.
pub(crate) fn wib_days(start: DateTime<Utc>, end: DateTime<Utc>) -> (NaiveDate, NaiveDate) {
    let last =
        end.checked_sub_signed(Duration::seconds(1)).filter(|t| *t >= start).unwrap_or(start);
    (tangguh_core::wib_date(start), tangguh_core::wib_date(last))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn wib(d: u32, h: u32) -> DateTime<Utc> {
        tangguh_core::wib().with_ymd_and_hms(2026, 12, d, h, 0, 0).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn weekly_windows_and_exceptions() {
        // 2026-12-07 is a Monday.
        let a = Availability::new(
            vec![
                WeeklyWindow::new(Weekday::Mon, 8 * 60, 1440),
                WeeklyWindow::new(Weekday::Tue, 0, 6 * 60),
            ],
            vec![],
        );
        assert!(a.check().is_ok());
        assert!(a.covers(wib(7, 8), wib(7, 16)));
        assert!(a.covers(wib(7, 20), wib(8, 6)));
        assert!(!a.covers(wib(7, 20), wib(8, 7)));
        assert!(!a.covers(wib(7, 6), wib(7, 9)));
        let mut b = a.clone();
        b.exceptions.push(AvailabilityException::new(wib(7, 10), wib(7, 11), false));
        assert!(!b.covers(wib(7, 8), wib(7, 16)));
        b.exceptions.push(AvailabilityException::new(wib(9, 0), wib(10, 0), true));
        assert!(b.covers(wib(9, 8), wib(9, 16)));
        assert!(Availability::default().covers(wib(9, 8), wib(9, 16)));
        let bad = Availability::new(vec![WeeklyWindow::new(Weekday::Mon, 60, 60)], vec![]);
        assert!(bad.check().is_err());
    }

    #[test]
    fn status_lifecycle() {
        use VolunteerStatus::*;
        assert!(Applied.can_become(Active));
        assert!(Active.can_become(Suspended));
        assert!(Suspended.can_become(Active));
        assert!(Suspended.can_become(Retired));
        assert!(!Retired.can_become(Active));
        assert!(!Applied.can_become(Suspended));
    }
}

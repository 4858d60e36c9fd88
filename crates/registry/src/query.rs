//! Queries: lookups by id, NIK and number; households and people per region
//! and RT; vulnerability as of a date.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use tangguh_core::{FamilyNumber, HouseholdId, Nik, PersonId, RegionCode, age_on};

use crate::model::Neighbourhood;
use crate::registry::{
    CHRONIC, DISABLED, DwellingRecord, Hot, Household, LACTATING, Membership, PREGNANT,
    PersonRecord, Registry,
};

/// The thresholds that make a person vulnerable (kelompok rentan). The
/// defaults follow UU 24/2007 Pasal 55 with UU 13/1998's lansia age: balita
/// under 5, lansia 60 and over, pregnant or lactating, disability; chronic
/// illness is a programme-level flag, on by default.
///
/// # Examples
///
/// ```
/// use tangguh_registry::VulnerabilityThresholds;
///
/// // OpenSPP counts the elderly from 65.
/// let openspp = VulnerabilityThresholds { lansia_from: 65, ..VulnerabilityThresholds::default() };
/// assert_eq!(openspp.balita_under, 5);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[allow(clippy::exhaustive_structs)] // a plain settings record, built with `..Default::default()`
pub struct VulnerabilityThresholds {
    /// Balita: younger than this many years.
    pub balita_under: u32,
    /// Lansia: this many years or older.
    pub lansia_from: u32,
    /// A pregnancy record counts for this many days after it was recorded.
    pub pregnancy_valid_days: u32,
    /// A lactation record counts for this many days after it was recorded.
    pub lactation_valid_days: u32,
    /// Whether pregnancy and lactation count.
    pub maternal: bool,
    /// Whether disability counts.
    pub disability: bool,
    /// Whether chronic illness counts.
    pub chronic_illness: bool,
}

impl Default for VulnerabilityThresholds {
    fn default() -> Self {
        Self {
            balita_under: 5,
            lansia_from: 60,
            pregnancy_valid_days: 300,
            lactation_valid_days: 730,
            maternal: true,
            disability: true,
            chronic_illness: true,
        }
    }
}

/// Why a person is vulnerable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Vulnerability {
    /// Under five.
    Balita,
    /// Elderly.
    Lansia,
    /// Pregnant (recently recorded).
    Pregnant,
    /// Lactating (recently recorded).
    Lactating,
    /// Has a disability.
    Disability,
    /// Has a chronic illness.
    ChronicIllness,
}

impl Vulnerability {
    /// Every kind, in order.
    pub const ALL: [Self; 6] = [
        Self::Balita,
        Self::Lansia,
        Self::Pregnant,
        Self::Lactating,
        Self::Disability,
        Self::ChronicIllness,
    ];

    pub(crate) fn bit(self) -> u8 {
        match self {
            Self::Balita => 1,
            Self::Lansia => 2,
            Self::Pregnant => 4,
            Self::Lactating => 8,
            Self::Disability => 16,
            Self::ChronicIllness => 32,
        }
    }

    pub(crate) fn from_bits(bits: u8) -> Vec<Self> {
        Self::ALL.into_iter().filter(|v| bits & v.bit() != 0).collect()
    }
}

/// A set of [`Vulnerability`] kinds in one byte (no allocation), listed in
/// [`Vulnerability::ALL`] order; serialised as that list, e.g.
/// `["balita","disability"]`.
///
/// # Examples
///
/// ```
/// use tangguh_registry::{Vulnerabilities, Vulnerability};
///
/// let set: Vulnerabilities = [Vulnerability::Disability, Vulnerability::Balita].into_iter().collect();
/// assert!(set.contains(Vulnerability::Balita));
/// assert_eq!(set.iter().collect::<Vec<_>>(), [Vulnerability::Balita, Vulnerability::Disability]);
/// assert_eq!(serde_json::to_string(&set).unwrap(), r#"["balita","disability"]"#);
/// ```
#[derive(Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Vulnerabilities(u8);

impl Vulnerabilities {
    pub(crate) fn from_bits(bits: u8) -> Self {
        Self(Vulnerability::ALL.iter().fold(0, |acc, v| acc | (bits & v.bit())))
    }

    /// Whether `v` is in the set.
    #[must_use]
    pub fn contains(self, v: Vulnerability) -> bool {
        self.0 & v.bit() != 0
    }

    /// Whether the set is empty.
    #[must_use]
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// How many kinds are in the set.
    #[must_use]
    pub fn len(self) -> usize {
        self.0.count_ones() as usize
    }

    /// The kinds, in [`Vulnerability::ALL`] order.
    pub fn iter(self) -> impl Iterator<Item = Vulnerability> {
        Vulnerability::ALL.into_iter().filter(move |v| self.contains(*v))
    }
}

impl FromIterator<Vulnerability> for Vulnerabilities {
    fn from_iter<I: IntoIterator<Item = Vulnerability>>(iter: I) -> Self {
        Self(iter.into_iter().fold(0, |acc, v| acc | v.bit()))
    }
}

impl std::fmt::Debug for Vulnerabilities {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_set().entries(self.iter()).finish()
    }
}

impl Serialize for Vulnerabilities {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for Vulnerabilities {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Vec::<Vulnerability>::deserialize(deserializer).map(|v| v.into_iter().collect())
    }
}

fn within(recorded: Option<NaiveDate>, on: NaiveDate, days: u32) -> bool {
    recorded.is_some_and(|r| {
        r <= on && r.checked_add_days(Days::new(u64::from(days))).is_some_and(|end| on <= end)
    })
}

/// The vulnerability bits (see [`Vulnerability::bit`]) of one person on `on`.
pub(crate) fn vulnerability_bits(hot: &Hot, on: NaiveDate, t: &VulnerabilityThresholds) -> u8 {
    let mut bits = 0;
    if hot.birth <= on {
        let age = age_on(hot.birth, on);
        if age < t.balita_under {
            bits |= Vulnerability::Balita.bit();
        }
        if age >= t.lansia_from {
            bits |= Vulnerability::Lansia.bit();
        }
    }
    if t.maternal {
        if hot.flags & PREGNANT != 0 && within(hot.maternal_on, on, t.pregnancy_valid_days) {
            bits |= Vulnerability::Pregnant.bit();
        }
        if hot.flags & LACTATING != 0 && within(hot.maternal_on, on, t.lactation_valid_days) {
            bits |= Vulnerability::Lactating.bit();
        }
    }
    if t.disability && hot.flags & DISABLED != 0 {
        bits |= Vulnerability::Disability.bit();
    }
    if t.chronic_illness && hot.flags & CHRONIC != 0 {
        bits |= Vulnerability::ChronicIllness.bit();
    }
    bits
}

/// A vulnerable member and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct VulnerableMember {
    /// The person.
    pub person: PersonId,
    /// Age on the date asked.
    pub age: u32,
    /// Why vulnerable.
    pub reasons: Vec<Vulnerability>,
}

impl Registry {
    /// A household by id.
    #[must_use]
    pub fn household(&self, id: HouseholdId) -> Option<&Household> {
        self.household_ix(id).and_then(|i| self.hh_at(i))
    }

    /// A person by id (merged records too: see [`PersonRecord::merged_into`]).
    #[must_use]
    pub fn person(&self, id: PersonId) -> Option<&PersonRecord> {
        self.person_ix(id).and_then(|i| self.person_at(i))
    }

    /// The person holding a NIK.
    #[must_use]
    pub fn person_by_nik(&self, nik: &Nik) -> Option<&PersonRecord> {
        self.index.niks.get(nik).and_then(|&i| self.person_at(i))
    }

    /// The active household with a KK (or temporary) number.
    #[must_use]
    pub fn household_by_number(&self, number: &FamilyNumber) -> Option<&Household> {
        self.index.numbers.get(number).and_then(|&i| self.hh_at(i))
    }

    /// A dwelling by id.
    #[must_use]
    pub fn dwelling(&self, id: crate::model::DwellingId) -> Option<&DwellingRecord> {
        self.index.dwellings.get(&id).and_then(|&i| self.dwellings.get(i as usize))
    }

    /// Every household ever registered, in registration order (dissolved ones
    /// too).
    pub fn households(&self) -> impl Iterator<Item = &Household> {
        self.households.iter()
    }

    /// Every person record, in registration order (merged and deceased ones
    /// too).
    pub fn people(&self) -> impl Iterator<Item = &PersonRecord> {
        self.people.iter()
    }

    /// The number of households ever registered.
    #[must_use]
    pub fn household_count(&self) -> usize {
        self.households.len()
    }

    /// The number of person records.
    #[must_use]
    pub fn person_count(&self) -> usize {
        self.people.len()
    }

    /// The active members of a household with their memberships, head first
    /// then in joining order. Empty for an unknown household.
    #[must_use]
    pub fn members(&self, household: HouseholdId) -> Vec<(&PersonRecord, &Membership)> {
        let Some(h) = self.household(household) else { return Vec::new() };
        let mut out: Vec<(&PersonRecord, &Membership)> = h
            .active
            .iter()
            .filter_map(|&m| {
                let ms = self.membership_at(m)?;
                Some((self.person_at(ms.person_ix)?, ms))
            })
            .collect();
        out.sort_by_key(|(_, m)| m.relationship != crate::model::Relationship::Head);
        out
    }

    /// Every membership a household ever had, ended ones included.
    #[must_use]
    pub fn membership_history(&self, household: HouseholdId) -> Vec<&Membership> {
        self.household(household)
            .map(|h| h.history.iter().filter_map(|&m| self.membership_at(m)).collect())
            .unwrap_or_default()
    }

    /// Every membership a person ever had (for a survivor of a merge, the
    /// duplicate's too).
    #[must_use]
    pub fn memberships_of(&self, person: PersonId) -> Vec<&Membership> {
        self.person(person)
            .map(|p| {
                self.membership_chain(p).into_iter().filter_map(|m| self.membership_at(m)).collect()
            })
            .unwrap_or_default()
    }

    /// The household a person is an active member of.
    #[must_use]
    pub fn household_of(&self, person: PersonId) -> Option<&Household> {
        let p = self.person(person)?;
        let m = self.membership_at(p.active?)?;
        self.hh_at(m.household_ix)
    }

    /// Active households in `region` (a kelurahan, or any larger region) and,
    /// if given, RT.
    #[must_use]
    pub fn households_in(&self, region: RegionCode, rt: Option<Neighbourhood>) -> Vec<&Household> {
        self.households
            .iter()
            .filter(|h| h.is_active() && region.contains(h.kelurahan))
            .filter(|h| rt.is_none_or(|rt| h.rt == rt))
            .collect()
    }

    /// Active members of the active households in `region` and, if given, RT.
    #[must_use]
    pub fn people_in(&self, region: RegionCode, rt: Option<Neighbourhood>) -> Vec<&PersonRecord> {
        self.households_in(region, rt)
            .into_iter()
            .flat_map(|h| h.active.iter())
            .filter_map(|&m| self.person_at(self.membership_at(m)?.person_ix))
            .collect()
    }

    /// Why a person is vulnerable on `on` (empty if not, or unknown).
    #[must_use]
    pub fn vulnerability(
        &self,
        person: PersonId,
        on: NaiveDate,
        thresholds: &VulnerabilityThresholds,
    ) -> Vec<Vulnerability> {
        self.person_ix(person)
            .and_then(|i| self.hot.get(i as usize))
            .map(|hot| Vulnerability::from_bits(vulnerability_bits(hot, on, thresholds)))
            .unwrap_or_default()
    }

    /// The vulnerable active members of a household on `on`.
    #[must_use]
    pub fn vulnerable_members(
        &self,
        household: HouseholdId,
        on: NaiveDate,
        thresholds: &VulnerabilityThresholds,
    ) -> Vec<VulnerableMember> {
        let Some(h) = self.household(household) else { return Vec::new() };
        h.active
            .iter()
            .filter_map(|&m| {
                let ms = self.membership_at(m)?;
                let hot = self.hot.get(ms.person_ix as usize)?;
                let bits = vulnerability_bits(hot, on, thresholds);
                (bits != 0).then(|| VulnerableMember {
                    person: ms.person,
                    age: age_on(hot.birth, on),
                    reasons: Vulnerability::from_bits(bits),
                })
            })
            .collect()
    }
}

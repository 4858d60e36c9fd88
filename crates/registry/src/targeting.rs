//! Targeting: a criteria expression (serde JSON) evaluated to the eligible
//! households, each with the reasons it matched.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use tangguh_core::{HouseholdId, IncidentId, PersonId, RegionCode, age_on};

use crate::model::{DamageLevel, Round};
use crate::query::{Vulnerabilities, Vulnerability, VulnerabilityThresholds, vulnerability_bits};
use crate::registry::{CHRONIC, DISABLED, Household, LACTATING, PREGNANT, Registry, ScanRow};

/// A dwelling flag to target on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DwellingFlag {
    /// Rumah panggung.
    StiltHouse,
    /// Not a rumah panggung.
    NotStiltHouse,
    /// Reachable only by river.
    RiverOnlyAccess,
    /// Floor lower than `cm` above ground.
    FloorBelowCm(u16),
    /// Within `m` metres of the river.
    WithinOfRiverM(u32),
}

/// A targeting criteria expression. Serialises to JSON, e.g.
///
/// ```json
/// {"all": [
///   {"region": "62.71.05"},
///   {"desil_at_most": {"desil": 4, "max_age_days": 365}},
///   {"any": [{"member": {"vulnerability": "balita"}}, {"member": {"min_age": 60}}]},
///   {"not_received": {"programme": "banjir Des 2026 sembako", "round": 2}}
/// ]}
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Criteria {
    /// Every sub-criterion holds (true when empty).
    All(Vec<Criteria>),
    /// At least one holds (false when empty).
    Any(Vec<Criteria>),
    /// The sub-criterion does not hold.
    Not(Box<Criteria>),
    /// The household's kelurahan is in this region (a prefix: province,
    /// regency, district or the kelurahan itself).
    Region(RegionCode),
    /// Desil at most `desil`, recorded at most `max_age_days` before the date
    /// asked (any age if absent).
    DesilAtMost {
        /// Highest decile.
        desil: u8,
        /// Largest data age in days.
        max_age_days: Option<u32>,
    },
    /// Some active member matches the age range and, if given, the
    /// vulnerability.
    Member {
        /// Lowest age (inclusive).
        min_age: Option<u32>,
        /// Highest age (inclusive).
        max_age: Option<u32>,
        /// A vulnerability the member must have.
        vulnerability: Option<Vulnerability>,
    },
    /// Some active member is vulnerable in any way.
    AnyVulnerable,
    /// Affected by the incident (optionally at least this deep or damaged).
    AffectedBy {
        /// The incident.
        incident: IncidentId,
        /// Least water depth, in cm.
        min_depth_cm: Option<u16>,
        /// Least damage.
        min_damage: Option<DamageLevel>,
        /// Only displaced households.
        displaced: Option<bool>,
    },
    /// A dwelling flag.
    Dwelling(DwellingFlag),
    /// Received this round.
    Received(Round),
    /// Did not receive this round.
    NotReceived(Round),
}

/// Why a household matched a predicate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Reason {
    /// In the region.
    Region {
        /// Its kelurahan.
        kelurahan: RegionCode,
    },
    /// Its desil.
    Desil {
        /// The decile.
        desil: u8,
        /// As of.
        as_of: NaiveDate,
    },
    /// A member matched.
    Member {
        /// The member.
        person: PersonId,
        /// Their age.
        age: u32,
        /// Their vulnerabilities.
        vulnerabilities: Vulnerabilities,
    },
    /// Affected by an incident.
    Affected {
        /// The incident.
        incident: IncidentId,
        /// Water depth in cm.
        water_depth_cm: u16,
        /// Damage.
        damage: DamageLevel,
        /// Displaced.
        displaced: bool,
    },
    /// A dwelling flag held.
    Dwelling(DwellingFlag),
    /// Received the round.
    Received(Round),
    /// Did not receive the round.
    NotReceived(Round),
}

/// An eligible household and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Eligible {
    /// The household.
    pub household: HouseholdId,
    /// The reasons it matched (reasons under a `not` are not listed).
    pub reasons: Vec<Reason>,
}

/// From this many households on, a scan is split over the available cores.
const PARALLEL_FROM: usize = 65_536;

struct Eval<'a> {
    registry: &'a Registry,
    on: NaiveDate,
    thresholds: &'a VulnerabilityThresholds,
    /// The rounds the criteria name, with the bits of the households that
    /// received each (resolved once per query, not per household).
    rounds: Vec<(&'a Round, &'a [u64])>,
}

impl<'a> Eval<'a> {
    fn new(
        registry: &'a Registry,
        criteria: &'a Criteria,
        on: NaiveDate,
        thresholds: &'a VulnerabilityThresholds,
    ) -> Self {
        fn collect<'a>(
            c: &'a Criteria,
            registry: &'a Registry,
            out: &mut Vec<(&'a Round, &'a [u64])>,
        ) {
            match c {
                Criteria::All(cs) | Criteria::Any(cs) => {
                    cs.iter().for_each(|c| collect(c, registry, out));
                }
                Criteria::Not(c) => collect(c, registry, out),
                Criteria::Received(r) | Criteria::NotReceived(r) => {
                    let bits = registry.received.get(r).map_or(&[][..], Vec::as_slice);
                    out.push((r, bits));
                }
                _ => {}
            }
        }
        let mut rounds = Vec::new();
        collect(criteria, registry, &mut rounds);
        Self { registry, on, thresholds, rounds }
    }

    /// Whether household `i` received `round`.
    fn received(&self, round: &Round, i: usize) -> bool {
        let bits = self
            .rounds
            .iter()
            .find(|(r, _)| std::ptr::eq(*r, round) || *r == round)
            .map_or(&[][..], |(_, bits)| bits);
        bits.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
    }
}

/// What a household's compact scan row alone says of a criterion: a sure
/// yes or no, or "maybe" when only the household record can tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Pre {
    No,
    Yes,
    Maybe,
}

impl Pre {
    fn of(b: bool) -> Self {
        if b { Self::Yes } else { Self::No }
    }
}

impl Eval<'_> {
    /// The first pass of a scan: decides from the [`ScanRow`] (region,
    /// welfare, the span of members' birth dates and the union of their
    /// flags) whether a household can match. Never says `No` of a household
    /// the full evaluation would accept, so the scan loads only households
    /// that may match.
    fn pre(&self, c: &Criteria, i: usize, row: &ScanRow) -> Pre {
        match c {
            Criteria::All(cs) => {
                let mut out = Pre::Yes;
                for c in cs {
                    match self.pre(c, i, row) {
                        Pre::No => return Pre::No,
                        Pre::Maybe => out = Pre::Maybe,
                        Pre::Yes => {}
                    }
                }
                out
            }
            Criteria::Any(cs) => {
                let mut out = Pre::No;
                for c in cs {
                    match self.pre(c, i, row) {
                        Pre::Yes => return Pre::Yes,
                        Pre::Maybe => out = Pre::Maybe,
                        Pre::No => {}
                    }
                }
                out
            }
            Criteria::Not(c) => match self.pre(c, i, row) {
                Pre::Yes => Pre::No,
                Pre::No => Pre::Yes,
                Pre::Maybe => Pre::Maybe,
            },
            Criteria::Region(r) => Pre::of(r.contains(row.kelurahan)),
            Criteria::DesilAtMost { desil, max_age_days } => Pre::of(
                row.desil != 0
                    && row.desil <= *desil
                    && max_age_days.is_none_or(|d| {
                        row.desil_as_of
                            .checked_add_days(Days::new(u64::from(d)))
                            .is_some_and(|limit| self.on <= limit)
                    }),
            ),
            Criteria::Member { min_age, max_age, vulnerability } => {
                let Some((first, last)) = row.births else { return Pre::No };
                // The earliest-born member is the oldest, the latest-born
                // the youngest (ages never rise with the birth date).
                if min_age.is_some_and(|a| age_on(first, self.on) < a)
                    || max_age.is_some_and(|a| age_on(last, self.on) > a)
                    || vulnerability.is_some_and(|v| !self.possible(v, row))
                {
                    return Pre::No;
                }
                // Where one member settles it, the row is sure: the oldest
                // meets a lower bound alone, the youngest an upper one.
                match (min_age, max_age, vulnerability) {
                    (_, None, None) | (None, Some(_), None) => Pre::Yes,
                    (None, None, Some(v)) if self.sure(*v, row) => Pre::Yes,
                    _ => Pre::Maybe,
                }
            }
            Criteria::AnyVulnerable => {
                if Vulnerability::ALL.iter().any(|v| self.sure(*v, row)) {
                    Pre::Yes
                } else if Vulnerability::ALL.iter().any(|v| self.possible(*v, row)) {
                    Pre::Maybe
                } else {
                    Pre::No
                }
            }
            Criteria::Received(round) => Pre::of(self.received(round, i)),
            Criteria::NotReceived(round) => Pre::of(!self.received(round, i)),
            Criteria::AffectedBy { .. } | Criteria::Dwelling(_) => Pre::Maybe,
        }
    }

    /// Whether some active member surely has vulnerability `v`, judged from
    /// the scan row: true only where the row alone proves it.
    fn sure(&self, v: Vulnerability, row: &ScanRow) -> bool {
        let Some((_, last)) = row.births else { return false };
        match v {
            // The youngest member, if born by then, is the one to be under
            // the balita age.
            Vulnerability::Balita => {
                last <= self.on && age_on(last, self.on) < self.thresholds.balita_under
            }
            // Flags and the oldest member's age are exact; maternal records
            // also need their date.
            Vulnerability::Lansia | Vulnerability::Disability | Vulnerability::ChronicIllness => {
                self.possible(v, row)
            }
            Vulnerability::Pregnant | Vulnerability::Lactating => false,
        }
    }

    /// Whether some active member may have vulnerability `v`, judged from
    /// the scan row (see [`vulnerability_bits`] for the exact rule).
    fn possible(&self, v: Vulnerability, row: &ScanRow) -> bool {
        let Some((first, last)) = row.births else { return false };
        let t = self.thresholds;
        match v {
            Vulnerability::Balita => age_on(last, self.on) < t.balita_under,
            Vulnerability::Lansia => first <= self.on && age_on(first, self.on) >= t.lansia_from,
            Vulnerability::Pregnant => t.maternal && row.flags & PREGNANT != 0,
            Vulnerability::Lactating => t.maternal && row.flags & LACTATING != 0,
            Vulnerability::Disability => t.disability && row.flags & DISABLED != 0,
            Vulnerability::ChronicIllness => t.chronic_illness && row.flags & CHRONIC != 0,
        }
    }

    /// The active members of household `i` as (membership, person)
    /// positions: from its scan row's run when it has one (no memberships
    /// or household read), else from the household record, which is looked
    /// up only then (taking `&Household` would let the compiler load it
    /// early).
    fn active_members(&self, i: usize) -> impl Iterator<Item = (u32, u32)> + '_ {
        let run = self.registry.scan.get(i).and_then(|row| row.run);
        let (range, first_person, list) = match run {
            Some((first, person, n)) => {
                (first..first.saturating_add(u32::from(n)), person.wrapping_sub(first), &[][..])
            }
            None => {
                (0..0, 0, self.registry.households.get(i).map_or(&[][..], |h| h.active.as_slice()))
            }
        };
        range.map(move |m| (m, m.wrapping_add(first_person))).chain(
            list.iter().filter_map(|&m| self.registry.membership_at(m).map(|ms| (m, ms.person_ix))),
        )
    }

    /// The person of membership `m`.
    fn person_of(&self, m: u32) -> Option<PersonId> {
        self.registry.membership_at(m).map(|ms| ms.person)
    }

    fn eval(&self, c: &Criteria, i: usize, h: &Household, out: &mut Vec<Reason>) -> bool {
        match c {
            Criteria::All(cs) => {
                let mark = out.len();
                for c in cs {
                    if !self.eval(c, i, h, out) {
                        out.truncate(mark);
                        return false;
                    }
                }
                true
            }
            Criteria::Any(cs) => {
                let mut any = false;
                for c in cs {
                    any |= self.eval(c, i, h, out);
                }
                any
            }
            Criteria::Not(c) => {
                let mut scratch = Vec::new();
                !self.eval(c, i, h, &mut scratch)
            }
            Criteria::Region(r) => {
                // From the compact scan row: households outside the region
                // are never loaded.
                let Some(kelurahan) = self.registry.scan.get(i).map(|row| row.kelurahan) else {
                    return false;
                };
                let ok = r.contains(kelurahan);
                if ok {
                    out.push(Reason::Region { kelurahan });
                }
                ok
            }
            Criteria::DesilAtMost { .. } => {
                // Decided from the scan row, which holds the household's
                // decile and its date.
                let Some(row) = self.registry.scan.get(i) else { return false };
                let ok = self.pre(c, i, row) == Pre::Yes;
                if ok {
                    out.push(Reason::Desil { desil: row.desil, as_of: row.desil_as_of });
                }
                ok
            }
            Criteria::Member { min_age, max_age, vulnerability } => {
                let mut any = false;
                for (m, p) in self.active_members(i) {
                    let Some(hot) = self.registry.hot.get(p as usize) else { continue };
                    let age = age_on(hot.birth, self.on);
                    if min_age.is_some_and(|a| age < a) || max_age.is_some_and(|a| age > a) {
                        continue;
                    }
                    let bits = vulnerability_bits(hot, self.on, self.thresholds);
                    if vulnerability.is_some_and(|v| bits & v.bit() == 0) {
                        continue;
                    }
                    let Some(person) = self.person_of(m) else { continue };
                    any = true;
                    out.push(Reason::Member {
                        person,
                        age,
                        vulnerabilities: Vulnerabilities::from_bits(bits),
                    });
                }
                any
            }
            Criteria::AnyVulnerable => {
                let mut any = false;
                for (m, p) in self.active_members(i) {
                    let Some(hot) = self.registry.hot.get(p as usize) else { continue };
                    let bits = vulnerability_bits(hot, self.on, self.thresholds);
                    if bits != 0
                        && let Some(person) = self.person_of(m)
                    {
                        any = true;
                        out.push(Reason::Member {
                            person,
                            age: age_on(hot.birth, self.on),
                            vulnerabilities: Vulnerabilities::from_bits(bits),
                        });
                    }
                }
                any
            }
            Criteria::AffectedBy { incident, min_depth_cm, min_damage, displaced } => {
                let hit = h.incidents.iter().find(|i| {
                    i.incident == *incident
                        && min_depth_cm.is_none_or(|d| i.water_depth_cm >= d)
                        && min_damage.is_none_or(|d| i.damage >= d)
                        && displaced.is_none_or(|d| i.displaced == d)
                });
                if let Some(i) = hit {
                    out.push(Reason::Affected {
                        incident: i.incident,
                        water_depth_cm: i.water_depth_cm,
                        damage: i.damage,
                        displaced: i.displaced,
                    });
                }
                hit.is_some()
            }
            Criteria::Dwelling(flag) => {
                let Some(d) = h.dwelling_ix.and_then(|d| self.registry.dwellings.get(d as usize))
                else {
                    return false;
                };
                let d = &d.details;
                let ok = match flag {
                    DwellingFlag::StiltHouse => d.stilt_house,
                    DwellingFlag::NotStiltHouse => !d.stilt_house,
                    DwellingFlag::RiverOnlyAccess => d.river_only_access,
                    DwellingFlag::FloorBelowCm(cm) => d.floor_height_cm.is_some_and(|h| h < *cm),
                    DwellingFlag::WithinOfRiverM(m) => {
                        d.distance_to_river_m.is_some_and(|x| x <= *m)
                    }
                };
                if ok {
                    out.push(Reason::Dwelling(*flag));
                }
                ok
            }
            Criteria::Received(round) => {
                let ok = self.received(round, i);
                if ok {
                    out.push(Reason::Received(round.clone()));
                }
                ok
            }
            Criteria::NotReceived(round) => {
                let ok = !self.received(round, i);
                if ok {
                    out.push(Reason::NotReceived(round.clone()));
                }
                ok
            }
        }
    }
}

impl Registry {
    /// Active households with their positions, found through the scan rows.
    /// The active households that may match: those the scan row does not
    /// rule out, with what the row says.
    fn candidates<'a>(
        &'a self,
        eval: &'a Eval<'a>,
        criteria: &'a Criteria,
        range: std::ops::Range<usize>,
    ) -> impl Iterator<Item = (usize, &'a Household, Pre)> + 'a {
        let start = range.start;
        let rows = self.scan.get(range.clone()).unwrap_or_default();
        let households = self.households.get(range).unwrap_or_default();
        rows.iter().zip(households).enumerate().filter_map(move |(k, (row, h))| {
            let i = start + k;
            if !row.active {
                return None;
            }
            match eval.pre(criteria, i, row) {
                Pre::No => None,
                pre => Some((i, h, pre)),
            }
        })
    }

    /// The active households matching `criteria` on `on`, in registration
    /// order, each with the reasons it matched.
    ///
    /// # Examples
    ///
    /// ```
    /// use tangguh_registry::{Criteria, Registry, VulnerabilityThresholds};
    ///
    /// let criteria: Criteria = serde_json::from_str(
    ///     r#"{"all": [{"region": "62.71.05"}, {"desil_at_most": {"desil": 4, "max_age_days": null}}]}"#,
    /// )?;
    /// let on = chrono::NaiveDate::from_ymd_opt(2026, 11, 28).unwrap();
    /// assert!(Registry::new().target(&criteria, on, &VulnerabilityThresholds::default()).is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub fn target(
        &self,
        criteria: &Criteria,
        on: NaiveDate,
        thresholds: &VulnerabilityThresholds,
    ) -> Vec<Eligible> {
        self.target_in(criteria, on, thresholds, self.threads_for_scan())
    }

    /// [`Registry::target`] split over exactly `threads` ranges (for the
    /// crate's property tests, which check the split changes nothing on
    /// registries too small to be split otherwise); not for use.
    #[doc(hidden)]
    #[must_use]
    pub fn target_in(
        &self,
        criteria: &Criteria,
        on: NaiveDate,
        thresholds: &VulnerabilityThresholds,
        threads: usize,
    ) -> Vec<Eligible> {
        let eval = Eval::new(self, criteria, on, thresholds);
        let parts = self.in_parts(threads, |range| {
            let mut reasons = Vec::new();
            let mut out = Vec::new();
            for (i, h, _) in self.candidates(&eval, criteria, range) {
                reasons.clear();
                if eval.eval(criteria, i, h, &mut reasons)
                    && let Some(&household) = self.household_ids.get(i)
                {
                    out.push(Eligible { household, reasons: std::mem::take(&mut reasons) });
                }
            }
            out
        });
        let mut out = Vec::with_capacity(parts.iter().map(Vec::len).sum());
        parts.into_iter().for_each(|part| out.extend(part));
        out
    }

    /// How many threads a scan uses: one for a small registry; for
    /// [`PARALLEL_FROM`] households or more, one per available core (at
    /// most eight).
    fn threads_for_scan(&self) -> usize {
        if self.scan.len() < PARALLEL_FROM {
            1
        } else {
            std::thread::available_parallelism().map_or(1, |p| p.get().min(8))
        }
    }

    /// Runs `scan` over the household positions in `threads` consecutive
    /// ranges on scoped threads (in one piece for one). The parts come back
    /// in range order, so results are the same either way.
    fn in_parts<T: Send>(
        &self,
        threads: usize,
        scan: impl Fn(std::ops::Range<usize>) -> T + Sync,
    ) -> Vec<T> {
        let n = self.scan.len();
        if threads <= 1 {
            return vec![scan(0..n)];
        }
        let size = n.div_ceil(threads);
        let scan = &scan;
        std::thread::scope(|s| {
            let handles: Vec<_> = (0..threads)
                .map(|t| {
                    let range = (t * size).min(n)..((t + 1) * size).min(n);
                    s.spawn(move || scan(range))
                })
                .collect();
            // A scan does not panic; if a thread did, the panic goes on
            // here, as it would have without threads.
            handles
                .into_iter()
                .map(|h| h.join().unwrap_or_else(|payload| std::panic::resume_unwind(payload)))
                .collect()
        })
    }

    /// [`Registry::target`] without the scan-row first pass: every active
    /// household is evaluated in full. For the crate's property tests, which
    /// check that the first pass never drops a household; not for use.
    #[doc(hidden)]
    #[must_use]
    pub fn target_exhaustive(
        &self,
        criteria: &Criteria,
        on: NaiveDate,
        thresholds: &VulnerabilityThresholds,
    ) -> Vec<Eligible> {
        let eval = Eval::new(self, criteria, on, thresholds);
        let mut out = Vec::new();
        for (i, h) in self.households.iter().enumerate().filter(|(_, h)| h.is_active()) {
            let mut reasons = Vec::new();
            if eval.eval(criteria, i, h, &mut reasons) {
                out.push(Eligible { household: h.id, reasons });
            }
        }
        out
    }

    /// How many active households match `criteria` on `on` (no reasons
    /// collected).
    #[must_use]
    pub fn count_eligible(
        &self,
        criteria: &Criteria,
        on: NaiveDate,
        thresholds: &VulnerabilityThresholds,
    ) -> usize {
        let eval = Eval::new(self, criteria, on, thresholds);
        self.in_parts(self.threads_for_scan(), |range| {
            let mut reasons = Vec::new();
            self.candidates(&eval, criteria, range)
                .filter(|(i, h, pre)| {
                    *pre == Pre::Yes || {
                        reasons.clear();
                        eval.eval(criteria, *i, h, &mut reasons)
                    }
                })
                .count()
        })
        .into_iter()
        .sum()
    }
}

//! Statistics per kelurahan, with optional small-cell suppression for public
//! release.

use std::collections::BTreeMap;
use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize, Serializer};
use tangguh_core::{IncidentId, RegionCode, age_on};

use crate::model::Round;
use crate::query::{VulnerabilityThresholds, vulnerability_bits};
use crate::registry::{FEMALE, Registry};

/// One count in a statistics table: exact, or suppressed because it is
/// small (1 to k−1), shown as `"<k"`. Zero is never suppressed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Cell {
    /// The exact count.
    Count(u64),
    /// A count from 1 to `below − 1`.
    Suppressed {
        /// The suppression threshold k.
        below: u64,
    },
}

impl Cell {
    fn new(n: u64, k: Option<u64>) -> Self {
        match k {
            Some(k) if n > 0 && n < k => Self::Suppressed { below: k },
            _ => Self::Count(n),
        }
    }
}

impl fmt::Display for Cell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Count(n) => write!(f, "{n}"),
            Self::Suppressed { below } => write!(f, "<{below}"),
        }
    }
}

impl Serialize for Cell {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Count(n) => s.serialize_u64(*n),
            Self::Suppressed { .. } => s.collect_str(self),
        }
    }
}

/// What to count and how to publish it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[allow(clippy::exhaustive_structs)] // a plain settings record
pub struct StatsOptions {
    /// The date ages and vulnerability are computed on.
    pub on: NaiveDate,
    /// Vulnerability thresholds.
    pub thresholds: VulnerabilityThresholds,
    /// Count households affected by this incident (any incident if `None`).
    pub incident: Option<IncidentId>,
    /// Count households assisted in this round (any assistance if `None`).
    pub round: Option<Round>,
    /// Suppress counts from 1 to k−1 (shown as `"<k"`).
    pub suppress_below: Option<u64>,
}

impl StatsOptions {
    /// Exact counts on `on` with the default thresholds.
    #[must_use]
    pub fn on(on: NaiveDate) -> Self {
        Self {
            on,
            thresholds: VulnerabilityThresholds::default(),
            incident: None,
            round: None,
            suppress_below: None,
        }
    }
}

/// Counts for one kelurahan (active households and their active members).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct KelurahanStats {
    /// The kelurahan.
    pub kelurahan: RegionCode,
    /// Active households.
    pub households: Cell,
    /// People in them.
    pub people: Cell,
    /// Men.
    pub male: Cell,
    /// Women.
    pub female: Cell,
    /// Aged 0-4.
    pub age_0_4: Cell,
    /// Aged 5-17.
    pub age_5_17: Cell,
    /// Aged 18-59.
    pub age_18_59: Cell,
    /// Aged 60 and over.
    pub age_60_plus: Cell,
    /// Vulnerable people.
    pub vulnerable_people: Cell,
    /// Households with at least one vulnerable member.
    pub vulnerable_households: Cell,
    /// Households in the "needs head" state.
    pub needs_head: Cell,
    /// Households affected by the incident.
    pub affected_households: Cell,
    /// Of those, displaced.
    pub displaced_households: Cell,
    /// Households assisted.
    pub assisted_households: Cell,
}

#[derive(Default)]
struct Raw([u64; 14]);

impl Registry {
    /// Statistics per kelurahan, ordered by code.
    #[must_use]
    pub fn statistics(&self, options: &StatsOptions) -> BTreeMap<RegionCode, KelurahanStats> {
        let mut raw: BTreeMap<RegionCode, Raw> = BTreeMap::new();
        for h in self.households.iter().filter(|h| h.is_active()) {
            let r = &mut raw.entry(h.kelurahan).or_default().0;
            let mut add = |i: usize, n: u64| {
                if let Some(x) = r.get_mut(i) {
                    *x += n;
                }
            };
            add(0, 1);
            let mut vulnerable = false;
            for &m in &h.active {
                let Some(ms) = self.membership_at(m) else { continue };
                let Some(hot) = self.hot.get(ms.person_ix as usize) else { continue };
                add(1, 1);
                add(if hot.flags & FEMALE != 0 { 3 } else { 2 }, 1);
                let age = age_on(hot.birth, options.on);
                add(
                    match age {
                        0..=4 => 4,
                        5..=17 => 5,
                        18..=59 => 6,
                        _ => 7,
                    },
                    1,
                );
                if vulnerability_bits(hot, options.on, &options.thresholds) != 0 {
                    add(8, 1);
                    vulnerable = true;
                }
            }
            add(9, u64::from(vulnerable));
            add(10, u64::from(h.needs_head()));
            let impact =
                h.incidents.iter().find(|i| options.incident.is_none_or(|x| x == i.incident));
            add(11, u64::from(impact.is_some()));
            add(12, u64::from(impact.is_some_and(|i| i.displaced)));
            let assisted = h
                .distributions
                .iter()
                .any(|d| options.round.as_ref().is_none_or(|r| *r == d.round));
            add(13, u64::from(assisted));
        }
        let k = options.suppress_below;
        raw.into_iter()
            .map(|(kelurahan, Raw(c))| {
                let [h, p, m, f, a0, a5, a18, a60, vp, vh, nh, af, dp, asg] =
                    c.map(|n| Cell::new(n, k));
                (
                    kelurahan,
                    KelurahanStats {
                        kelurahan,
                        households: h,
                        people: p,
                        male: m,
                        female: f,
                        age_0_4: a0,
                        age_5_17: a5,
                        age_18_59: a18,
                        age_60_plus: a60,
                        vulnerable_people: vp,
                        vulnerable_households: vh,
                        needs_head: nh,
                        affected_households: af,
                        displaced_households: dp,
                        assisted_households: asg,
                    },
                )
            })
            .collect()
    }
}

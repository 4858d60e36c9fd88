//! Duplicate search: probable duplicate persons as scored candidates with
//! reasons, found through blocking keys so a scan of millions stays fast.
//! Candidates are only proposals: merging is a separate, recorded command
//! ([`MergePersons`](crate::MergePersons)), and a dismissed pair
//! ([`DismissDuplicate`](crate::DismissDuplicate)) is not proposed again.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use tangguh_core::PersonId;

use crate::model::Phone;
use crate::registry::{Household, PersonRecord, Registry, fnv1a, normalised_chars};

/// Why two person records may be the same person.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum DuplicateReason {
    /// The same normalised name and recorded birth date.
    SameNameAndBirthDate,
    /// The same normalised name, and one's NIK encodes the other's recorded
    /// birth date.
    NikEncodesBirthDate,
    /// Both are active members in the same kelurahan.
    SameKelurahan,
    /// Both head households with the same (normalised) phone number.
    SamePhone,
    /// The same sex.
    SameSex,
}

impl DuplicateReason {
    /// The weight of this reason in a candidate's score.
    #[must_use]
    pub fn weight(self) -> u32 {
        match self {
            Self::SameNameAndBirthDate => 60,
            Self::NikEncodesBirthDate => 50,
            Self::SamePhone => 35,
            Self::SameKelurahan => 20,
            Self::SameSex => 5,
        }
    }
}

/// A pair of person records that are probably the same person.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DuplicateCandidate {
    /// The record registered first.
    pub first: PersonId,
    /// The other.
    pub second: PersonId,
    /// The sum of the reasons' weights.
    pub score: u32,
    /// Why, in order.
    pub reasons: Vec<DuplicateReason>,
}

/// Blocks larger than this are skipped (a very common name and date would
/// otherwise make the scan quadratic); such groups need another key.
const MAX_BLOCK: usize = 64;

fn mix(name_key: u64, date: NaiveDate) -> u64 {
    let days = u64::from(date.num_days_from_ce().unsigned_abs());
    (name_key ^ days.wrapping_mul(0x9e37_79b9_7f4a_7c15)).rotate_left(17)
}

impl Registry {
    /// Probable duplicate persons with a score of at least `min_score`,
    /// highest score first. Merged records and dismissed pairs are left
    /// out. `today` resolves the century of NIK-encoded birth dates.
    ///
    /// Blocking keys: (normalised name, recorded birth date), (normalised
    /// name, NIK-encoded birth date), and the phone of each household's
    /// head; only records sharing a key are compared.
    #[must_use]
    pub fn duplicate_candidates(
        &self,
        today: NaiveDate,
        min_score: u32,
    ) -> Vec<DuplicateCandidate> {
        let mut keys: Vec<(u64, u32)> =
            Vec::with_capacity(self.people.len() + self.people.len() / 8);
        for (i, p) in self.people.iter().enumerate() {
            if p.merged_into.is_some() {
                continue;
            }
            let i = u32::try_from(i).unwrap_or(u32::MAX);
            let born = p.person.birth_date.date;
            keys.push((mix(p.name_key, born), i));
            if let Some(nik) = p.person.nik {
                let encoded = nik.encoded_birth_date(today.year());
                if encoded != born {
                    keys.push((mix(p.name_key, encoded), i));
                }
            }
        }
        keys.sort_unstable();
        let mut pairs: Vec<(u32, u32)> = Vec::new();
        push_block_pairs(&keys, &mut pairs);
        // Phones are blocked by a hash of their digits; a collision only
        // proposes a pair that scoring then compares exactly.
        let mut phones: Vec<(u64, u32)> = self
            .households
            .iter()
            .filter(|h| h.is_active())
            .filter_map(|h| {
                let phone = h.phone.as_ref()?;
                let head = self.person_ix(h.head?)?;
                Some((fnv1a(phone.expose().bytes()), head))
            })
            .collect();
        phones.sort_unstable();
        push_block_pairs(&phones, &mut pairs);
        pairs.sort_unstable();
        pairs.dedup();
        let mut out: Vec<DuplicateCandidate> = pairs
            .into_iter()
            .filter_map(|(a, b)| self.score_pair(a, b, today))
            .filter(|c| c.score >= min_score)
            .collect();
        out.sort_by(|x, y| {
            y.score.cmp(&x.score).then(x.first.cmp(&y.first)).then(x.second.cmp(&y.second))
        });
        out
    }

    fn score_pair(&self, a: u32, b: u32, today: NaiveDate) -> Option<DuplicateCandidate> {
        let (pa, pb) = (self.person_at(a)?, self.person_at(b)?);
        let (ia, ib) = (pa.person.id, pb.person.id);
        let pair = if ia < ib { (ia, ib) } else { (ib, ia) };
        if self.dismissed.contains(&pair) {
            return None;
        }
        let mut reasons = Vec::new();
        let same_name = pa.name_key == pb.name_key
            && normalised_chars(pa.person.name.as_str())
                .eq(normalised_chars(pb.person.name.as_str()));
        let (ba, bb) = (pa.person.birth_date.date, pb.person.birth_date.date);
        if same_name && ba == bb {
            reasons.push(DuplicateReason::SameNameAndBirthDate);
        }
        let encodes = |nik: Option<tangguh_core::Nik>, other: NaiveDate| {
            nik.is_some_and(|n| n.encoded_birth_date(today.year()) == other)
        };
        if same_name && (encodes(pa.person.nik, bb) || encodes(pb.person.nik, ba)) && ba != bb {
            reasons.push(DuplicateReason::NikEncodesBirthDate);
        }
        let home = |p: &PersonRecord| {
            self.membership_at(p.active?).and_then(|m| self.hh_at(m.household_ix))
        };
        fn phone_of<'a>(p: &PersonRecord, home: Option<&'a Household>) -> Option<&'a Phone> {
            home.filter(|h| h.head == Some(p.person.id)).and_then(|h| h.phone.as_ref())
        }
        let (home_a, home_b) = (home(pa), home(pb));
        let phone_a = phone_of(pa, home_a);
        if phone_a.is_some() && phone_a == phone_of(pb, home_b) {
            reasons.push(DuplicateReason::SamePhone);
        }
        if reasons.is_empty() {
            return None;
        }
        let kel = |h: Option<&Household>| h.map(|h| h.kelurahan);
        if kel(home_a).is_some() && kel(home_a) == kel(home_b) {
            reasons.push(DuplicateReason::SameKelurahan);
        }
        if pa.person.sex == pb.person.sex {
            reasons.push(DuplicateReason::SameSex);
        }
        let score = reasons.iter().map(|r| r.weight()).sum();
        Some(DuplicateCandidate { first: ia, second: ib, score, reasons })
    }
}

/// Pushes every pair of distinct people within each block of equal keys
/// (sorted `keys`); blocks larger than [`MAX_BLOCK`] are too common a key to
/// mean anything and are skipped.
fn push_block_pairs(keys: &[(u64, u32)], pairs: &mut Vec<(u32, u32)>) {
    for block in keys.chunk_by(|a, b| a.0 == b.0) {
        if block.len() < 2 || block.len() > MAX_BLOCK {
            continue;
        }
        for (n, a) in block.iter().enumerate() {
            for b in block.iter().skip(n + 1) {
                if a.1 != b.1 {
                    pairs.push((a.1.min(b.1), a.1.max(b.1)));
                }
            }
        }
    }
}

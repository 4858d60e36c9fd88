//! The registry's lookup indexes: id → position and NIK → person.
//!
//! Ids are UUIDv7 (see [`tangguh_core::IdGenerator`]): they begin with the
//! millisecond they were minted, so a registry fed by one office's
//! generator receives them in increasing order. [`IdIndex`] keeps such ids
//! in an appended, sorted column: registering a household then checks its
//! new ids by one comparison with the newest id and records them by a
//! push, where a hash table pays a cache miss for each probe and each
//! insert and holds twice the memory. Ids that arrive out of order (from
//! another device, an import of old records) go to a hash table beside it,
//! so any order is correct and only the speed depends on it.

use std::hash::Hash;

use tangguh_core::Nik;

#[allow(clippy::disallowed_types)] // lookup only, never iterated into output
/// A hash table from keys to positions, hashed with foldhash (fast on the
/// fixed-size ids and NIKs the registry holds, seeded per process).
pub(crate) type Lookup<K> = std::collections::HashMap<K, u32, foldhash::fast::RandomState>;

/// Positions by id: a sorted column for ids that arrived in increasing
/// order, and a hash table for the rest. Keys are never removed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct IdIndex<K: Eq + Hash> {
    /// Strictly increasing keys, each with its position.
    ordered: Vec<(K, u32)>,
    /// Keys that arrived below the newest key of `ordered`.
    others: Lookup<K>,
}

impl<K: Eq + Hash> Default for IdIndex<K> {
    fn default() -> Self {
        Self { ordered: Vec::new(), others: Lookup::default() }
    }
}

impl<K: Copy + Ord + Hash> IdIndex<K> {
    /// The position of `key`, if it is indexed.
    pub(crate) fn get(&self, key: &K) -> Option<u32> {
        match self.ordered.last() {
            // Above every ordered key: only an out-of-order key can match,
            // and usually there are none.
            Some((last, _)) if key > last => self.in_others(key),
            None => self.in_others(key),
            Some(_) => match self.ordered.binary_search_by(|(k, _)| k.cmp(key)) {
                Ok(i) => self.ordered.get(i).map(|&(_, at)| at),
                Err(_) => self.in_others(key),
            },
        }
    }

    fn in_others(&self, key: &K) -> Option<u32> {
        if self.others.is_empty() { None } else { self.others.get(key).copied() }
    }

    /// Whether `key` is indexed.
    pub(crate) fn contains(&self, key: &K) -> bool {
        self.get(key).is_some()
    }

    /// Indexes `key` at `at`. The caller has checked that `key` is new.
    pub(crate) fn insert(&mut self, key: K, at: u32) {
        match self.ordered.last() {
            Some((last, _)) if key <= *last => {
                self.others.insert(key, at);
            }
            _ => self.ordered.push((key, at)),
        }
    }

    /// How many keys are indexed.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.ordered.len() + self.others.len()
    }
}

/// A NIK as the number its sixteen digits spell: half the bytes of the
/// NIK's text, so the NIK index holds 13 bytes a slot instead of 21.
pub(crate) fn nik_key(nik: &Nik) -> u64 {
    nik.expose()
        .bytes()
        .fold(0u64, |n, b| n.wrapping_mul(10).wrapping_add(u64::from(b.wrapping_sub(b'0'))))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    proptest! {
        /// Whatever order keys arrive in, each is found at its position and
        /// no other key is found.
        #[test]
        fn finds_every_key_in_any_order(keys in proptest::collection::vec(0u32..500, 0..200)) {
            let mut index = IdIndex::default();
            let mut seen = std::collections::BTreeMap::new();
            for (at, k) in keys.iter().enumerate() {
                if seen.contains_key(k) {
                    continue;
                }
                let at = u32::try_from(at).unwrap();
                prop_assert!(!index.contains(k));
                index.insert(*k, at);
                seen.insert(*k, at);
            }
            prop_assert_eq!(index.len(), seen.len());
            for k in 0u32..500 {
                prop_assert_eq!(index.get(&k), seen.get(&k).copied());
            }
        }
    }

    #[test]
    fn increasing_keys_stay_in_the_sorted_column() {
        let mut index = IdIndex::default();
        for k in [3u32, 7, 9] {
            index.insert(k, k * 10);
        }
        index.insert(5, 50);
        assert_eq!(index.ordered.len(), 3);
        assert_eq!(index.others.len(), 1);
        assert_eq!(index.get(&5), Some(50));
        assert_eq!(index.get(&9), Some(90));
        assert_eq!(index.get(&8), None);
        assert_eq!(index.get(&10), None);
    }

    #[test]
    fn a_nik_key_is_the_number_of_its_digits() {
        let nik = Nik::parse("6271034501900003").unwrap();
        assert_eq!(nik_key(&nik), 6_271_034_501_900_003);
    }
}

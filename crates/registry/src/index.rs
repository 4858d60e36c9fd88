//! The registry's lookup indexes: id → position.
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
//!
//! The price is paid by random lookups of existing ids: at four million
//! people one costs about 0.4 µs against about 0.16 µs for a hash probe
//! (`registry/lookup/person-id` in the benches), while registering needs
//! no probe for its new ids and the index holds about a quarter of the
//! memory (see `benches/README.md` for the build figure).

use std::hash::Hash;

use tangguh_core::Id;

#[allow(clippy::disallowed_types)] // lookup only, never iterated into output
/// A hash table from keys to positions, hashed with foldhash (fast on the
/// fixed-size ids and NIKs the registry holds, seeded per process).
pub(crate) type Lookup<K> = std::collections::HashMap<K, u32, foldhash::fast::RandomState>;

/// Positions by id: a sorted column for ids that arrived in increasing
/// order, and a hash table for the rest. Keys are never removed.
///
/// A random lookup in the column searches two small levels of fences, the
/// top 64 bits of every [`BLOCK`]th key and of every [`BLOCK`]×[`FAN`]th
/// key (the upper level a few hundred kilobytes at millions of ids, so it
/// stays in cache), and then reads one block of the column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct IdIndex<K: Eq + Hash> {
    /// Strictly increasing keys, each with its position.
    ordered: Vec<(K, u32)>,
    /// `rank` of `ordered[BLOCK * j]` for each `j`.
    fences: Vec<u64>,
    /// `fences[FAN * j]` for each `j`.
    coarse: Vec<u64>,
    /// Keys that arrived below the newest key of `ordered`.
    others: Lookup<K>,
}

/// Keys of the sorted column per fence.
const BLOCK: usize = 16;
/// Fences per coarse fence.
const FAN: usize = 16;

/// The top 64 bits of an id: its minting millisecond and counter, in the
/// same order as the id itself.
fn rank<K: Id>(key: &K) -> u64 {
    u64::try_from(key.bits().as_u128() >> 64).unwrap_or(u64::MAX)
}

impl<K: Eq + Hash> Default for IdIndex<K> {
    fn default() -> Self {
        Self {
            ordered: Vec::new(),
            fences: Vec::new(),
            coarse: Vec::new(),
            others: Lookup::default(),
        }
    }
}

impl<K: Id + Copy + Ord + Hash> IdIndex<K> {
    /// The position of `key`, if it is indexed.
    pub(crate) fn get(&self, key: &K) -> Option<u32> {
        match self.ordered.last() {
            // Above every ordered key: only an out-of-order key can match,
            // and usually there are none.
            Some((last, _)) if key > last => self.in_others(key),
            None => self.in_others(key),
            Some(_) => self.in_ordered(key).or_else(|| self.in_others(key)),
        }
    }

    fn in_ordered(&self, key: &K) -> Option<u32> {
        let r = rank(key);
        // The first fence at or above `r` lies in coarse block `c` (or is
        // its first fence after it): the last coarse block starting below.
        let c = self.coarse.partition_point(|&f| f < r).saturating_sub(1);
        let near = self.fences.get(c * FAN..(c * FAN + FAN + 1).min(self.fences.len()))?;
        // Blocks before `from` end below `r`; blocks from `to` on start
        // above it. Ranks repeat only for ids of generators that minted in
        // the same millisecond, so the window is one block or a few.
        let from = (c * FAN + near.partition_point(|&f| f < r)).saturating_sub(1);
        let to = from + self.fences.get(from..)?.iter().take_while(|&&f| f <= r).count();
        let window = self.ordered.get(from * BLOCK..(to * BLOCK).min(self.ordered.len()))?;
        // A scan, not a binary search: the block's few cache lines are
        // then fetched together instead of one after another.
        window.iter().find(|(k, _)| k == key).map(|&(_, at)| at)
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
            _ => {
                if self.ordered.len().is_multiple_of(BLOCK) {
                    if self.fences.len().is_multiple_of(FAN) {
                        self.coarse.push(rank(&key));
                    }
                    self.fences.push(rank(&key));
                }
                self.ordered.push((key, at));
            }
        }
    }

    /// How many keys are indexed.
    pub(crate) fn len(&self) -> usize {
        self.ordered.len() + self.others.len()
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use tangguh_core::{IdBits, PersonId};

    use super::*;

    fn id(n: u128) -> PersonId {
        PersonId::from_bits(IdBits::from_u128(n))
    }

    proptest! {
        /// Whatever order keys arrive in, each is found at its position and
        /// no other key is found: keys spread over the whole range, and
        /// keys crowded into a few top-64-bit ranks (ids of generators
        /// that minted in the same millisecond).
        #[test]
        fn finds_every_key_in_any_order(
            keys in proptest::collection::vec((0u128..24, 0u128..40), 0..1500),
            spread in proptest::bool::ANY,
        ) {
            let key = |(hi, lo): (u128, u128)| {
                if spread { id((hi * 40 + lo) << 64) } else { id(hi << 64 | lo) }
            };
            let mut index = IdIndex::default();
            let mut seen = std::collections::BTreeMap::new();
            for (at, &k) in keys.iter().enumerate() {
                let k = key(k);
                if seen.contains_key(&k) {
                    continue;
                }
                let at = u32::try_from(at).unwrap();
                prop_assert!(!index.contains(&k));
                index.insert(k, at);
                seen.insert(k, at);
            }
            prop_assert_eq!(index.len(), seen.len());
            for hi in 0..25 {
                for lo in 0..41 {
                    let k = key((hi, lo));
                    prop_assert_eq!(index.get(&k), seen.get(&k).copied());
                }
            }
        }
    }

    #[test]
    fn increasing_keys_stay_in_the_sorted_column() {
        let mut index = IdIndex::default();
        for k in [3u128, 7, 9] {
            index.insert(id(k << 64), u32::try_from(k).unwrap() * 10);
        }
        index.insert(id(5 << 64), 50);
        assert_eq!(index.ordered.len(), 3);
        assert_eq!(index.others.len(), 1);
        assert_eq!(index.get(&id(5 << 64)), Some(50));
        assert_eq!(index.get(&id(9 << 64)), Some(90));
        assert_eq!(index.get(&id(8 << 64)), None);
        assert_eq!(index.get(&id(10 << 64)), None);
    }
}

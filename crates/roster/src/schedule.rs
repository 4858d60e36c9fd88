//! The per-person interval index behind the hard rules.
//!
//! A person's committed assignments are kept in a `BTreeMap` keyed by start.
//! Because committed intervals of one person never overlap (that is the
//! invariant this index protects), starts are unique and ends are sorted in
//! the same order as starts, so the one booking that could overlap a new
//! interval `[s, e)` is the last one starting before `e`: an `O(log n)`
//! lookup. Rest looks at the neighbours on both sides; rolling-window hours
//! look only at bookings within one window of the new interval.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};

use crate::ids::{AssignmentId, ShiftId};

/// One committed interval of a person.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Booking {
    pub(crate) start: DateTime<Utc>,
    pub(crate) end: DateTime<Utc>,
    pub(crate) shift: ShiftId,
    pub(crate) assignment: AssignmentId,
}

/// A person's committed intervals, by start (half-open `[start, end)`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Schedule {
    by_start: BTreeMap<DateTime<Utc>, Booking>,
}

impl Schedule {
    pub(crate) fn insert(&mut self, booking: Booking) {
        self.by_start.insert(booking.start, booking);
    }

    pub(crate) fn remove(&mut self, start: DateTime<Utc>, assignment: AssignmentId) {
        if self.by_start.get(&start).is_some_and(|b| b.assignment == assignment) {
            self.by_start.remove(&start);
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.by_start.is_empty()
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &Booking> {
        self.by_start.values()
    }

    /// The booking overlapping `[start, end)`, if any.
    pub(crate) fn overlapping(&self, start: DateTime<Utc>, end: DateTime<Utc>) -> Option<&Booking> {
        self.by_start.range(..end).next_back().map(|(_, b)| b).filter(|b| b.end > start)
    }

    /// The nearest booking ending at or before `start` with less than `rest`
    /// between, or the nearest starting at or after `end` with less than
    /// `rest` between; with the rest actually left. Call after
    /// [`Schedule::overlapping`] found nothing.
    pub(crate) fn rest_conflict(
        &self,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        rest: Duration,
    ) -> Option<(&Booking, Duration)> {
        if let Some((_, prev)) = self.by_start.range(..=start).next_back() {
            let gap = start - prev.end;
            if gap >= Duration::zero() && gap < rest {
                return Some((prev, gap));
            }
        }
        if let Some((_, next)) = self.by_start.range(end..).next() {
            let gap = next.start - end;
            if gap < rest {
                return Some((next, gap));
            }
        }
        None
    }

    /// The most seconds committed in any window of length `window` that
    /// overlaps `[start, end)`, counting `[start, end)` itself as committed.
    /// When even all bookings near the interval stay within
    /// `limit_seconds`, returns that (smaller) upper bound instead of the
    /// exact maximum, which is all a limit check needs.
    pub(crate) fn max_window_seconds(
        &self,
        start: DateTime<Utc>,
        end: DateTime<Utc>,
        window: Duration,
        limit_seconds: i64,
    ) -> i64 {
        let from = start - window;
        let mut near: Vec<(DateTime<Utc>, DateTime<Utc>)> = self
            .by_start
            .range(..end + window)
            .rev()
            .map(|(_, b)| (b.start, b.end))
            .take_while(|(_, e)| *e > from)
            .collect();
        near.push((start, end));
        // Cheap bound first: everything within one window of the interval.
        let upper: i64 = near.iter().map(|&(s, e)| (e - s).num_seconds()).sum();
        if upper <= limit_seconds {
            return upper.min(window.num_seconds());
        }
        let mut best = 0;
        for &(s, e) in &near {
            for a in [s, e - window] {
                let b = a + window;
                if a < end && b > start {
                    let total: i64 = near.iter().map(|&(x, y)| overlap_seconds(x, y, a, b)).sum();
                    best = best.max(total);
                }
            }
        }
        best
    }

    /// The end of the last booking ending at or before `at`.
    pub(crate) fn last_end_before(&self, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
        self.by_start.range(..at).rev().map(|(_, b)| b.end).find(|end| *end <= at)
    }

    /// Seconds committed within `[from, to)`.
    pub(crate) fn seconds_within(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> i64 {
        self.by_start
            .range(..to)
            .rev()
            .take_while(|(_, b)| b.end > from)
            .map(|(_, b)| overlap_seconds(b.start, b.end, from, to))
            .sum()
    }
}

/// Seconds of overlap of `[s1, e1)` and `[s2, e2)`.
pub(crate) fn overlap_seconds(
    s1: DateTime<Utc>,
    e1: DateTime<Utc>,
    s2: DateTime<Utc>,
    e2: DateTime<Utc>,
) -> i64 {
    let s = s1.max(s2);
    let e = e1.min(e2);
    if e > s { (e - s).num_seconds() } else { 0 }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tangguh_core::{Id, IdBits};

    fn t(h: i64) -> DateTime<Utc> {
        DateTime::UNIX_EPOCH + Duration::hours(h)
    }

    fn booking(s: i64, e: i64, n: u128) -> Booking {
        Booking {
            start: t(s),
            end: t(e),
            shift: ShiftId::from_bits(IdBits::from_u128(n)),
            assignment: AssignmentId::from_bits(IdBits::from_u128(n)),
        }
    }

    #[test]
    fn overlap_is_half_open() {
        let mut s = Schedule::default();
        s.insert(booking(10, 14, 1));
        s.insert(booking(20, 24, 2));
        assert!(s.overlapping(t(14), t(20)).is_none());
        assert!(s.overlapping(t(6), t(10)).is_none());
        assert_eq!(s.overlapping(t(13), t(15)).unwrap().end, t(14));
        assert_eq!(s.overlapping(t(0), t(30)).unwrap().end, t(24));
        assert_eq!(s.overlapping(t(21), t(22)).unwrap().end, t(24));
        let (b, gap) = s.rest_conflict(t(15), t(16), Duration::hours(8)).unwrap();
        assert_eq!((b.end, gap), (t(14), Duration::hours(1)));
        let (b, gap) = s.rest_conflict(t(30), t(31), Duration::hours(8)).unwrap();
        assert_eq!((b.end, gap), (t(24), Duration::hours(6)));
        assert!(s.rest_conflict(t(32), t(33), Duration::hours(8)).is_none());
        assert_eq!(s.rest_conflict(t(2), t(4), Duration::hours(8)).unwrap().0.start, t(10));
        assert_eq!(s.max_window_seconds(t(30), t(34), Duration::hours(24), 0), 12 * 3600);
        assert!(s.max_window_seconds(t(30), t(34), Duration::hours(24), 20 * 3600) <= 20 * 3600);
        assert_eq!(s.max_window_seconds(t(50), t(51), Duration::hours(24), 0), 3600);
        assert_eq!(s.seconds_within(t(12), t(22)), 4 * 3600);
        s.remove(t(10), AssignmentId::from_bits(IdBits::from_u128(9)));
        assert!(!s.is_empty());
        s.remove(t(10), AssignmentId::from_bits(IdBits::from_u128(1)));
        assert_eq!(s.iter().count(), 1);
    }
}

//! The configurable limits the hard rules and the reports use.

use serde::{Deserialize, Serialize};

/// The limits of the hard rules, held in the roster's state (set by
/// [`RosterCommand::SetPolicy`](crate::RosterCommand::SetPolicy) or given at
/// open through `Book::open_with`).
///
/// All durations are whole minutes.
///
/// # Examples
///
/// ```
/// use tangguh_roster::RosterPolicy;
///
/// let policy = RosterPolicy::default();
/// assert_eq!(policy.min_rest_minutes, 8 * 60);
/// assert_eq!(policy.max_minutes_per_24h, 12 * 60);
/// assert_eq!(policy.max_minutes_per_7d, 60 * 60);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RosterPolicy {
    /// The least time between the end of one committed shift and the start
    /// of the next of the same person (default 8 h). Back-to-back shifts
    /// (no gap) count as a rest of zero.
    pub min_rest_minutes: u32,
    /// The most committed minutes in any rolling 24 h window (default 12 h).
    pub max_minutes_per_24h: u32,
    /// The most committed minutes in any rolling 7-day window (default 60 h).
    pub max_minutes_per_7d: u32,
    /// When a volunteer counts as active.
    pub activity: ActivityPolicy,
}

impl Default for RosterPolicy {
    fn default() -> Self {
        Self {
            min_rest_minutes: 8 * 60,
            max_minutes_per_24h: 12 * 60,
            max_minutes_per_7d: 60 * 60,
            activity: ActivityPolicy::default(),
        }
    }
}

impl RosterPolicy {
    /// The same policy with another minimum rest.
    #[must_use]
    pub fn with_min_rest_minutes(self, minutes: u32) -> Self {
        Self { min_rest_minutes: minutes, ..self }
    }

    /// The same policy with other maximum hours (in minutes) per rolling 24 h
    /// and 7 days.
    #[must_use]
    pub fn with_max_minutes(self, per_24h: u32, per_7d: u32) -> Self {
        Self { max_minutes_per_24h: per_24h, max_minutes_per_7d: per_7d, ..self }
    }

    /// The same policy with another activity rule.
    #[must_use]
    pub fn with_activity(self, activity: ActivityPolicy) -> Self {
        Self { activity, ..self }
    }
}

/// When a volunteer counts as "active", derived from the hours record: at
/// least `min_minutes_per_month` on average over the `months` whole calendar
/// months before the reference date, skipping the `lag_months` most recent
/// ones (Sahana Eden's IFRC rule skips 3 because data entry lags).
///
/// Default: 8 h a month over 12 months, no lag.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ActivityPolicy {
    /// How many months are averaged (at least 1 is used).
    pub months: u32,
    /// The average needed, in minutes per month.
    pub min_minutes_per_month: u32,
    /// How many of the most recent months are skipped.
    pub lag_months: u32,
}

impl Default for ActivityPolicy {
    fn default() -> Self {
        Self { months: 12, min_minutes_per_month: 8 * 60, lag_months: 0 }
    }
}

impl ActivityPolicy {
    /// An activity rule.
    #[must_use]
    pub fn new(months: u32, min_minutes_per_month: u32, lag_months: u32) -> Self {
        Self { months, min_minutes_per_month, lag_months }
    }
}

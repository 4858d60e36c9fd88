//! Time, read through a [`Clock`] so tests can fix it.
//!
//! Event times are UTC; "today" in Rakumpit is the date in WIB (Waktu
//! Indonesia Barat, UTC+7, no daylight saving), which differs from the UTC
//! date between 00:00 and 07:00 WIB.

use std::fmt;
use std::sync::Mutex;

use chrono::{DateTime, Duration, FixedOffset, NaiveDate, Offset, TimeZone, Utc};

/// WIB, UTC+7: the time zone of Kalimantan Tengah.
#[must_use]
pub fn wib() -> FixedOffset {
    // 7 × 3600 is well inside FixedOffset's ±24 h range.
    FixedOffset::east_opt(7 * 3600).unwrap_or_else(|| Utc.fix())
}

/// The WIB calendar date of an instant.
#[must_use]
pub fn wib_date(instant: DateTime<Utc>) -> NaiveDate {
    instant.with_timezone(&wib()).date_naive()
}

/// A source of the current time. Domain code never reads the system time
/// directly; it is handed a clock.
pub trait Clock: Send + Sync {
    /// The current instant, in UTC.
    fn now(&self) -> DateTime<Utc>;

    /// Today's date in WIB.
    fn today(&self) -> NaiveDate {
        wib_date(self.now())
    }
}

/// The operating system's clock.
#[derive(Clone, Copy, Debug, Default)]
#[non_exhaustive]
pub struct SystemClock;

impl SystemClock {
    /// The system clock.
    #[must_use]
    pub fn new() -> Self {
        Self
    }
}

impl Clock for SystemClock {
    #[allow(clippy::disallowed_methods)] // the one place the system time is read
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that shows a set time until told otherwise: for tests, benches and
/// replays of a scenario.
///
/// # Examples
///
/// ```
/// use chrono::{Duration, NaiveDate};
/// use tangguh_core::{Clock, FixedClock};
///
/// // 06:30 WIB on 1 December is still 30 November in UTC.
/// let clock = FixedClock::wib(2026, 12, 1, 6, 30);
/// assert_eq!(clock.today(), NaiveDate::from_ymd_opt(2026, 12, 1).unwrap());
/// assert_eq!(clock.now().date_naive(), NaiveDate::from_ymd_opt(2026, 11, 30).unwrap());
/// clock.advance(Duration::days(1));
/// assert_eq!(clock.today(), NaiveDate::from_ymd_opt(2026, 12, 2).unwrap());
/// ```
pub struct FixedClock {
    now: Mutex<DateTime<Utc>>,
}

impl FixedClock {
    /// A clock showing `now`.
    #[must_use]
    pub fn new(now: DateTime<Utc>) -> Self {
        Self { now: Mutex::new(now) }
    }

    /// A clock showing the given WIB wall-clock time. An impossible date or
    /// time gives the Unix epoch.
    #[must_use]
    pub fn wib(year: i32, month: u32, day: u32, hour: u32, minute: u32) -> Self {
        let now = wib()
            .with_ymd_and_hms(year, month, day, hour, minute, 0)
            .single()
            .map_or(DateTime::UNIX_EPOCH, |t| t.with_timezone(&Utc));
        Self::new(now)
    }

    /// Sets the time.
    pub fn set(&self, now: DateTime<Utc>) {
        *self.lock() = now;
    }

    /// Moves the time forward (or back, for a negative duration). Saturates at
    /// the ends of chrono's range.
    pub fn advance(&self, by: Duration) {
        let mut now = self.lock();
        *now = now.checked_add_signed(by).unwrap_or(*now);
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, DateTime<Utc>> {
        match self.now.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        }
    }
}

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        *self.lock()
    }
}

impl fmt::Debug for FixedClock {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("FixedClock").field(&self.now()).finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn today_is_the_wib_date() {
        let clock = FixedClock::wib(2026, 1, 1, 0, 30);
        assert_eq!(clock.today(), NaiveDate::from_ymd_opt(2026, 1, 1).unwrap());
        assert_eq!(clock.now().date_naive(), NaiveDate::from_ymd_opt(2025, 12, 31).unwrap());
        clock.advance(Duration::hours(-1));
        assert_eq!(clock.today(), NaiveDate::from_ymd_opt(2025, 12, 31).unwrap());
    }

    #[test]
    fn impossible_wall_time_gives_the_epoch() {
        assert_eq!(FixedClock::wib(2026, 2, 30, 0, 0).now(), DateTime::UNIX_EPOCH);
    }

    #[test]
    fn system_clock_moves() {
        let clock = SystemClock::new();
        assert!(clock.now().timestamp() > 1_700_000_000);
    }
}

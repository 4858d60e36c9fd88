//! Due dates (`fineract-loan/.../loanschedule/domain/DefaultScheduledDateGenerator.java`,
//! `CalendarUtils.adjustDate`).
//!
//! - The first due date is `first_repayment_date` if given, else disbursement
//!   plus one period (`generateNextRepaymentDate` with `isFirstRepayment`).
//! - Each next due date is the previous **due date** plus `repayment_every`
//!   days / weeks / months (`getRepaymentPeriodDate`: `LocalDate.plusMonths`
//!   clamps 31 Jan + 1 month to 28/29 Feb).
//! - Month-end stickiness (`adjustDate`): for monthly loans, when the seed
//!   day (first repayment date if given, else disbursement:
//!   `LoanApplicationTerms` constructor, `seedDate`) is after the 28th and the
//!   computed day is the 28th or later, the day becomes
//!   `min(seed day, length of month)`: 31 Jan → 28 Feb → 31 Mar → 30 Apr.

use chrono::{Datelike, Days, Months, NaiveDate};
use rust_decimal::Decimal;

use super::arith::{R, div, sig_n};
use super::{LoanTerms, RepaymentUnit, ScheduleError};

fn date_overflow() -> ScheduleError {
    ScheduleError::Overflow { what: "due date" }
}

/// Days in the month of `d`.
pub(super) fn month_length(d: NaiveDate) -> u32 {
    let (y, m) = (d.year(), d.month());
    let next = if m == 12 {
        NaiveDate::from_ymd_opt(y.saturating_add(1), 1, 1)
    } else {
        NaiveDate::from_ymd_opt(y, m.saturating_add(1), 1)
    };
    let first = NaiveDate::from_ymd_opt(y, m, 1);
    match (first, next) {
        (Some(a), Some(b)) => u32::try_from(b.signed_duration_since(a).num_days()).unwrap_or(31),
        _ => 31,
    }
}

/// `d + every × unit`, like Java's `LocalDate.plusDays/plusWeeks/plusMonths`.
pub(super) fn step(d: NaiveDate, unit: RepaymentUnit, every: u32) -> R<NaiveDate> {
    match unit {
        RepaymentUnit::Days => d.checked_add_days(Days::new(u64::from(every))),
        RepaymentUnit::Weeks => d.checked_add_days(Days::new(u64::from(every).saturating_mul(7))),
        RepaymentUnit::Months => d.checked_add_months(Months::new(every)),
    }
    .ok_or_else(date_overflow)
}

/// `CalendarUtils.adjustDate(date, seed, frequency)`.
pub(super) fn adjust(date: NaiveDate, seed: NaiveDate, unit: RepaymentUnit) -> NaiveDate {
    if unit == RepaymentUnit::Months && seed.day() > 28 && date.day() >= 28 {
        let day = month_length(date).min(seed.day());
        date.with_day(day).unwrap_or(date)
    } else {
        date
    }
}

/// The seed date of month-end stickiness.
pub(super) fn seed(terms: &LoanTerms) -> NaiveDate {
    terms.first_repayment_date.unwrap_or(terms.disbursement_date)
}

/// `(from, due)` for every installment, `number_of_repayments` of them.
pub(super) fn periods(terms: &LoanTerms) -> R<Vec<(NaiveDate, NaiveDate)>> {
    let seed = seed(terms);
    let unit = terms.repayment_unit;
    let every = terms.repayment_every;
    let n = usize::try_from(terms.number_of_repayments).map_err(|_| date_overflow())?;
    let mut out = Vec::with_capacity(n);
    let mut from = terms.disbursement_date;
    let mut due = match terms.first_repayment_date {
        Some(d) => d,
        None => adjust(step(from, unit, every)?, seed, unit),
    };
    for i in 0..n {
        if i > 0 {
            due = adjust(step(from, unit, every)?, seed, unit);
        }
        out.push((from, due));
        from = due;
    }
    Ok(out)
}

/// Whole days from `a` to `b` (negative if `b` is earlier).
pub(super) fn days_between(a: NaiveDate, b: NaiveDate) -> i64 {
    b.signed_duration_since(a).num_days()
}

/// Java's `ChronoUnit.MONTHS.between(a, b)` (complete months, toward zero).
pub(super) fn months_between(a: NaiveDate, b: NaiveDate) -> i64 {
    let pm =
        |d: NaiveDate| i64::from(d.year()).saturating_mul(12).saturating_add(i64::from(d.month0()));
    let total = pm(b).saturating_sub(pm(a));
    let days = i64::from(b.day()).saturating_sub(i64::from(a.day()));
    if total > 0 && days < 0 {
        total.saturating_sub(1)
    } else if total < 0 && days > 0 {
        total.saturating_add(1)
    } else {
        total
    }
}

/// `LoanApplicationTerms.calculatePeriodsBetweenDates` for months without a
/// meeting calendar: whole months plus leftover days over the length of the
/// following (seed-adjusted) month.
pub(super) fn months_fraction(start: NaiveDate, end: NaiveDate, seed: NaiveDate) -> R<Decimal> {
    let months = months_between(start, end);
    let whole = u32::try_from(months).map_err(|_| date_overflow())?;
    let after = adjust(
        start.checked_add_months(Months::new(whole)).ok_or_else(date_overflow)?,
        seed,
        RepaymentUnit::Months,
    );
    let next = adjust(
        start.checked_add_months(Months::new(whole.saturating_add(1))).ok_or_else(date_overflow)?,
        seed,
        RepaymentUnit::Months,
    );
    let left = days_between(after, end);
    let len = days_between(after, next);
    let mut result = Decimal::from(months);
    if len != 0 && left != 0 {
        // Java divides in double here; 17 significant digits stand in for it.
        let frac = sig_n(
            div(Decimal::from(left), Decimal::from(len), "period fraction")?,
            17,
            "period fraction",
        )?;
        result =
            result.checked_add(frac).ok_or(ScheduleError::Overflow { what: "period fraction" })?;
    }
    Ok(result)
}

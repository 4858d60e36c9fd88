//! Loan repayment schedules reproducing Apache Fineract's `CUMULATIVE` and
//! `PROGRESSIVE` generators to the cent.
//!
//! [`generate_schedule`] turns [`LoanTerms`] (the issue's JSON contract) into
//! a [`Schedule`]. It is pure and total: bad terms give a typed
//! [`ScheduleError`] naming the field and value, overflow is an error, it
//! never panics.
//!
//! Rules reproduced (reference `shared/reference/microfinance.md` §1–§9;
//! Fineract paths under `apache/fineract`, `fineract-loan/.../loanschedule/domain/`
//! unless noted; each submodule cites the methods it follows):
//!
//! - due dates with month-end stickiness (`DefaultScheduledDateGenerator`,
//!   `adjustDate`): module `dates`;
//! - `MathContext(12, HALF_EVEN)` for rates, HALF_EVEN per component to the
//!   currency's digits, currency `inMultiplesOf` for 0-digit currencies
//!   (nearest multiple, ties up, interest included), installment multiples
//!   (`fineract-core/.../monetary/domain/Money.java`): module `arith`;
//! - the cumulative generator (`AbstractCumulativeLoanScheduleGenerator`,
//!   `CumulativeDecliningBalanceInterestLoanScheduleGenerator`,
//!   `CumulativeFlatInterestLoanScheduleGenerator`, `LoanApplicationTerms`):
//!   period rates, EMI once via `pmt` with the nominal rate (R × 30/365 for
//!   DAILY monthly loans), equal principal, flat spreading, grace on
//!   principal, deferred grace on interest, interest-free periods, last-row
//!   adjustment and early finish: module `cumulative`;
//! - the progressive calculator (`fineract-progressive-loan/.../ProgressiveEMICalculator`):
//!   rate factors, generalized annuity, EMI adjustment: module `progressive`.
//!
//! Checked against real Fineract schedules in `tests/schedules.rs` (e2e
//! feature tables and `ProgressiveEMICalculatorTest`), see that file's header.
//!
//! # Regenerating from a date (relief, restructuring)
//!
//! A schedule's tail is an ordinary schedule: take the loan's terms, set the
//! outstanding principal as `principal`, the restructuring date as
//! `disbursement_date`, the next due date as `first_repayment_date`, the
//! remaining count as `number_of_repayments`, add grace for a moratorium,
//! and call [`generate_schedule`]. [`LoanTerms::rescheduled`] does the first
//! four. Interest then runs from the restructuring date on the new principal;
//! Fineract's own reschedule keeps more history (term variations), which this
//! engine does not model.
//!
//! ```
//! use tangguh_ledger::{LoanTerms, generate_schedule};
//!
//! let terms = LoanTerms::from_json(
//!     r#"{"principal":"1250","annual_interest_rate_percent":"15","repayment_every":1,
//!         "repayment_unit":"months","number_of_repayments":4,
//!         "disbursement_date":"2023-09-01","installment_in_multiples_of":"1"}"#,
//! )?;
//! let schedule = generate_schedule(&terms)?;
//! assert_eq!(schedule.installments[0].total.to_string(), "322.00");
//! assert_eq!(schedule.total_interest.to_string(), "39.33");
//!
//! // Relief after the second installment: three interest-only months, then
//! // the rest over six.
//! let second = &schedule.installments[1];
//! let mut relief = terms.rescheduled(second.due_date, second.outstanding_after, 9, None);
//! relief.grace_on_principal_periods = 3;
//! let tail = generate_schedule(&relief)?;
//! assert_eq!(tail.total_principal, second.outstanding_after);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod arith;
mod cumulative;
mod dates;
mod progressive;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// How interest is charged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(clippy::exhaustive_enums)] // closed set: Fineract's InterestMethod
pub enum InterestMethod {
    /// Interest on the original principal for the whole term, spread evenly.
    Flat,
    /// Interest on the outstanding balance of each period.
    DecliningBalance,
}

/// How principal is repaid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(clippy::exhaustive_enums)] // closed set: Fineract's AmortizationMethod
pub enum Amortization {
    /// Equal total installments (EMI / annuity).
    EqualInstallments,
    /// Equal principal parts, interest on top.
    EqualPrincipal,
}

/// Which Fineract schedule generator to reproduce.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(clippy::exhaustive_enums)] // closed set: Fineract's LoanScheduleType
pub enum ScheduleType {
    /// The classic generator (`AbstractCumulativeLoanScheduleGenerator`).
    #[default]
    Cumulative,
    /// The progressive generator (`ProgressiveEMICalculator`).
    Progressive,
}

/// Unit of the repayment frequency.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(clippy::exhaustive_enums)] // closed set supported by this engine
pub enum RepaymentUnit {
    /// Every n days.
    Days,
    /// Every n weeks.
    Weeks,
    /// Every n months.
    Months,
}

/// Days in a year for interest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[allow(clippy::exhaustive_enums)] // closed set: Fineract's DaysInYearType
pub enum DaysInYear {
    /// Actual (Fineract's cumulative generator uses 365 even in leap years).
    #[default]
    #[serde(rename = "actual")]
    Actual,
    /// 360 days.
    #[serde(rename = "360")]
    Days360,
    /// 364 days.
    #[serde(rename = "364")]
    Days364,
    /// 365 days.
    #[serde(rename = "365")]
    Days365,
}

/// Days in a month for interest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[allow(clippy::exhaustive_enums)] // closed set: Fineract's DaysInMonthType
pub enum DaysInMonth {
    /// Actual calendar days.
    #[default]
    #[serde(rename = "actual")]
    Actual,
    /// Every month counts 30 days.
    #[serde(rename = "30")]
    Days30,
}

/// Period over which interest is calculated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(clippy::exhaustive_enums)] // closed set: Fineract's InterestCalculationPeriodMethod
pub enum InterestCalculationPeriod {
    /// Interest per actual day.
    Daily,
    /// One nominal period rate per repayment period.
    #[default]
    SameAsRepayment,
}

/// Loan terms (the product settings that shape a schedule), with the JSON
/// contract of issue 6. Unknown fields are refused.
///
/// Defaults for absent fields: `interest_method` declining_balance,
/// `amortization` equal_installments, `schedule_type` cumulative,
/// `first_repayment_date` none (disbursement + one period), `days_in_year`
/// actual, `days_in_month` actual, `interest_calculation_period`
/// same_as_repayment, the three grace counts 0, `digits_after_decimal` 2,
/// `in_multiples_of` "0" (none), `installment_in_multiples_of` none.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct LoanTerms {
    /// Amount disbursed (decimal string).
    #[serde(with = "rust_decimal::serde::str")]
    pub principal: Decimal,
    /// Nominal annual interest rate in percent (decimal string).
    #[serde(with = "rust_decimal::serde::str")]
    pub annual_interest_rate_percent: Decimal,
    /// Flat or declining balance.
    #[serde(default = "default_interest_method")]
    pub interest_method: InterestMethod,
    /// Equal installments or equal principal.
    #[serde(default = "default_amortization")]
    pub amortization: Amortization,
    /// Cumulative (default) or progressive.
    #[serde(default)]
    pub schedule_type: ScheduleType,
    /// Repayment every n units.
    pub repayment_every: u32,
    /// Unit of `repayment_every`.
    pub repayment_unit: RepaymentUnit,
    /// Number of repayments (installments).
    pub number_of_repayments: u32,
    /// Disbursement date.
    pub disbursement_date: NaiveDate,
    /// First repayment date; absent: disbursement + one period.
    #[serde(default)]
    pub first_repayment_date: Option<NaiveDate>,
    /// Days in a year.
    #[serde(default)]
    pub days_in_year: DaysInYear,
    /// Days in a month.
    #[serde(default)]
    pub days_in_month: DaysInMonth,
    /// Interest calculation period.
    #[serde(default)]
    pub interest_calculation_period: InterestCalculationPeriod,
    /// Periods without principal at the start.
    #[serde(default)]
    pub grace_on_principal_periods: u32,
    /// Periods whose interest is deferred to the first period after them.
    #[serde(default)]
    pub grace_on_interest_periods: u32,
    /// Periods whose interest is waived (Fineract's `graceOnInterestCharged`).
    #[serde(default)]
    pub interest_free_periods: u32,
    /// Currency digits after the decimal point.
    #[serde(default = "default_digits")]
    pub digits_after_decimal: u32,
    /// Currency multiple (only when `digits_after_decimal` is 0); "0" = none.
    #[serde(default, with = "rust_decimal::serde::str")]
    pub in_multiples_of: Decimal,
    /// Installment amounts rounded to this multiple; absent = none.
    #[serde(default, with = "rust_decimal::serde::str_option")]
    pub installment_in_multiples_of: Option<Decimal>,
}

fn default_interest_method() -> InterestMethod {
    InterestMethod::DecliningBalance
}
fn default_amortization() -> Amortization {
    Amortization::EqualInstallments
}
fn default_digits() -> u32 {
    2
}

impl LoanTerms {
    /// Monthly declining-balance equal-installment terms with every other
    /// field at its default; adjust the public fields afterwards.
    #[must_use]
    pub fn new(
        principal: Decimal,
        annual_interest_rate_percent: Decimal,
        number_of_repayments: u32,
        disbursement_date: NaiveDate,
    ) -> Self {
        Self {
            principal,
            annual_interest_rate_percent,
            interest_method: InterestMethod::DecliningBalance,
            amortization: Amortization::EqualInstallments,
            schedule_type: ScheduleType::Cumulative,
            repayment_every: 1,
            repayment_unit: RepaymentUnit::Months,
            number_of_repayments,
            disbursement_date,
            first_repayment_date: None,
            days_in_year: DaysInYear::Actual,
            days_in_month: DaysInMonth::Actual,
            interest_calculation_period: InterestCalculationPeriod::SameAsRepayment,
            grace_on_principal_periods: 0,
            grace_on_interest_periods: 0,
            interest_free_periods: 0,
            digits_after_decimal: 2,
            in_multiples_of: Decimal::ZERO,
            installment_in_multiples_of: None,
        }
    }

    /// Parses terms from JSON (the issue's contract).
    ///
    /// # Errors
    /// [`ScheduleError::Json`] when the text is not a valid terms object.
    pub fn from_json(text: &str) -> Result<Self, ScheduleError> {
        serde_json::from_str(text).map_err(|e| ScheduleError::Json { message: e.to_string() })
    }

    /// Checks every field; [`generate_schedule`] calls it first.
    ///
    /// Limits (beyond Fineract's own, to keep every computation in range):
    /// principal positive, at most 10^15, with no more decimals than
    /// `digits_after_decimal` and a multiple of `in_multiples_of` when that
    /// applies; rate 0–1000 %; `repayment_every` 1–366; 1–1200 repayments;
    /// each grace count below the number of repayments; 0–6 digits;
    /// multiples whole numbers from 0 (currency) or 1 (installment) up to 10^9;
    /// `first_repayment_date` after the disbursement date. The progressive
    /// generator takes declining-balance equal installments without grace.
    ///
    /// # Errors
    /// [`ScheduleError::InvalidField`] naming the first bad field and value.
    pub fn validate(&self) -> Result<(), ScheduleError> {
        fn bad(field: &'static str, value: impl ToString, reason: &'static str) -> ScheduleError {
            ScheduleError::InvalidField { field, value: value.to_string(), reason }
        }
        let max_amount = Decimal::from(1_000_000_000_000_000_i64);
        let max_multiple = Decimal::from(1_000_000_000_i64);
        if self.digits_after_decimal > 6 {
            return Err(bad("digits_after_decimal", self.digits_after_decimal, "must be 0 to 6"));
        }
        if self.in_multiples_of < Decimal::ZERO
            || self.in_multiples_of > max_multiple
            || !self.in_multiples_of.fract().is_zero()
        {
            return Err(bad(
                "in_multiples_of",
                self.in_multiples_of,
                "must be a whole number from 0 to 10^9",
            ));
        }
        if let Some(m) = self.installment_in_multiples_of
            && (m < Decimal::ONE || m > max_multiple || !m.fract().is_zero())
        {
            return Err(bad(
                "installment_in_multiples_of",
                m,
                "must be a whole number from 1 to 10^9",
            ));
        }
        if self.principal <= Decimal::ZERO || self.principal > max_amount {
            return Err(bad("principal", self.principal, "must be positive and at most 10^15"));
        }
        if self.principal.normalize().scale() > self.digits_after_decimal {
            return Err(bad(
                "principal",
                self.principal,
                "has more decimals than digits_after_decimal",
            ));
        }
        if self.digits_after_decimal == 0
            && self.in_multiples_of > Decimal::ZERO
            && self.principal.checked_rem(self.in_multiples_of).is_none_or(|r| !r.is_zero())
        {
            return Err(bad("principal", self.principal, "must be a multiple of in_multiples_of"));
        }
        if self.annual_interest_rate_percent < Decimal::ZERO
            || self.annual_interest_rate_percent > Decimal::ONE_THOUSAND
        {
            return Err(bad(
                "annual_interest_rate_percent",
                self.annual_interest_rate_percent,
                "must be 0 to 1000",
            ));
        }
        if self.repayment_every == 0 || self.repayment_every > 366 {
            return Err(bad("repayment_every", self.repayment_every, "must be 1 to 366"));
        }
        if self.number_of_repayments == 0 || self.number_of_repayments > 1200 {
            return Err(bad(
                "number_of_repayments",
                self.number_of_repayments,
                "must be 1 to 1200",
            ));
        }
        let n = self.number_of_repayments;
        if self.grace_on_principal_periods >= n {
            return Err(bad(
                "grace_on_principal_periods",
                self.grace_on_principal_periods,
                "must be below number_of_repayments",
            ));
        }
        if self.grace_on_interest_periods >= n {
            return Err(bad(
                "grace_on_interest_periods",
                self.grace_on_interest_periods,
                "must be below number_of_repayments",
            ));
        }
        if self.interest_free_periods >= n {
            return Err(bad(
                "interest_free_periods",
                self.interest_free_periods,
                "must be below number_of_repayments",
            ));
        }
        if let Some(first) = self.first_repayment_date
            && first <= self.disbursement_date
        {
            return Err(bad("first_repayment_date", first, "must be after disbursement_date"));
        }
        if self.schedule_type == ScheduleType::Progressive {
            if self.interest_method != InterestMethod::DecliningBalance {
                return Err(bad(
                    "interest_method",
                    "flat",
                    "the progressive generator is declining balance only",
                ));
            }
            if self.amortization != Amortization::EqualInstallments {
                return Err(bad(
                    "amortization",
                    "equal_principal",
                    "the progressive generator is equal installments only",
                ));
            }
            if self.grace_on_principal_periods > 0
                || self.grace_on_interest_periods > 0
                || self.interest_free_periods > 0
            {
                return Err(bad(
                    "schedule_type",
                    "progressive",
                    "grace periods are supported by the cumulative generator only",
                ));
            }
        }
        Ok(())
    }

    /// Terms for regenerating the rest of a loan from `from` (relief,
    /// restructuring): same product, `outstanding` as the new principal,
    /// `remaining_repayments` installments, `from` as the new disbursement
    /// date and `next_due_date` (if given) as the first due date. Grace and
    /// interest-free counts are reset to 0; set them on the result for a
    /// moratorium. Generate with [`generate_schedule`]: interest starts
    /// accruing on `from`, the EMI is recomputed over the remaining count.
    #[must_use]
    pub fn rescheduled(
        &self,
        from: NaiveDate,
        outstanding: Decimal,
        remaining_repayments: u32,
        next_due_date: Option<NaiveDate>,
    ) -> Self {
        Self {
            principal: outstanding,
            disbursement_date: from,
            first_repayment_date: next_due_date,
            number_of_repayments: remaining_repayments,
            grace_on_principal_periods: 0,
            grace_on_interest_periods: 0,
            interest_free_periods: 0,
            ..self.clone()
        }
    }
}

/// One installment of a schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Installment {
    /// 1-based installment number.
    pub n: u32,
    /// Start of the period (previous due date, or disbursement).
    pub from_date: NaiveDate,
    /// Due date.
    pub due_date: NaiveDate,
    /// Days in the period.
    pub days: u32,
    /// Principal due.
    #[serde(with = "rust_decimal::serde::str")]
    pub principal: Decimal,
    /// Interest due.
    #[serde(with = "rust_decimal::serde::str")]
    pub interest: Decimal,
    /// Principal + interest.
    #[serde(with = "rust_decimal::serde::str")]
    pub total: Decimal,
    /// Principal outstanding after this installment is paid.
    #[serde(with = "rust_decimal::serde::str")]
    pub outstanding_after: Decimal,
}

/// A generated schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Schedule {
    /// Installments in order.
    pub installments: Vec<Installment>,
    /// Sum of principal parts (equals the loan's principal).
    #[serde(with = "rust_decimal::serde::str")]
    pub total_principal: Decimal,
    /// Sum of interest parts.
    #[serde(with = "rust_decimal::serde::str")]
    pub total_interest: Decimal,
    /// Sum of installment totals.
    #[serde(with = "rust_decimal::serde::str")]
    pub total_repayment: Decimal,
}

/// Why terms could not produce a schedule.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ScheduleError {
    /// A field has a value the engine refuses.
    #[error("invalid {field} {value}: {reason}")]
    InvalidField {
        /// JSON field name.
        field: &'static str,
        /// The offending value.
        value: String,
        /// Why it is refused.
        reason: &'static str,
    },
    /// Arithmetic or a date left its range.
    #[error("arithmetic overflow computing {what}")]
    Overflow {
        /// What was being computed.
        what: &'static str,
    },
    /// The EMI is below a period's interest (Fineract refuses such a loan:
    /// `MultiDisbursementEmiAmountException`, "EMI amount must be greater than").
    #[error("emi {emi} is below the interest {interest} of installment {installment}")]
    EmiBelowInterest {
        /// 1-based installment number.
        installment: u32,
        /// The fixed EMI.
        emi: Decimal,
        /// That installment's interest.
        interest: Decimal,
    },
    /// The terms text is not valid JSON for [`LoanTerms`].
    #[error("invalid terms json: {message}")]
    Json {
        /// The parser's message.
        message: String,
    },
}

/// One generated row before presentation; amounts in the currency's
/// smallest unit (see `arith::Currency::units`).
#[derive(Debug, Clone, Copy)]
struct Row {
    from: NaiveDate,
    due: NaiveDate,
    principal: i128,
    interest: i128,
    outstanding_after: i128,
}

/// Generates the repayment schedule for `terms`.
///
/// Pure and total: bad terms give [`ScheduleError::InvalidField`], amounts or
/// dates out of range [`ScheduleError::Overflow`]; it never panics.
///
/// # Errors
/// [`ScheduleError::InvalidField`] for bad terms, [`ScheduleError::EmiBelowInterest`]
/// when Fineract would refuse the EMI, [`ScheduleError::Overflow`] when
/// amounts or dates leave their range.
pub fn generate_schedule(terms: &LoanTerms) -> Result<Schedule, ScheduleError> {
    terms.validate()?;
    let cur = arith::Currency {
        digits: terms.digits_after_decimal,
        multiple: terms.in_multiples_of,
        installment_multiple: terms.installment_in_multiples_of,
    };
    let rows = match terms.schedule_type {
        ScheduleType::Cumulative => cumulative::generate(terms, &cur)?,
        ScheduleType::Progressive => progressive::generate(terms, &cur)?,
    };
    assemble(&rows, &cur)
}

fn assemble(rows: &[Row], cur: &arith::Currency) -> Result<Schedule, ScheduleError> {
    let overflow = |what: &'static str| ScheduleError::Overflow { what };
    let mut installments = Vec::with_capacity(rows.len());
    let (mut total_principal, mut total_interest) = (0i128, 0i128);
    for (i, r) in rows.iter().enumerate() {
        let total =
            r.principal.checked_add(r.interest).ok_or_else(|| overflow("installment total"))?;
        total_principal =
            total_principal.checked_add(r.principal).ok_or_else(|| overflow("total principal"))?;
        total_interest =
            total_interest.checked_add(r.interest).ok_or_else(|| overflow("total interest"))?;
        installments.push(Installment {
            n: u32::try_from(i).map_or(u32::MAX, |x| x.saturating_add(1)),
            from_date: r.from,
            due_date: r.due,
            days: u32::try_from(dates::days_between(r.from, r.due)).unwrap_or(0),
            principal: cur.decimal(r.principal)?,
            interest: cur.decimal(r.interest)?,
            total: cur.decimal(total)?,
            outstanding_after: cur.decimal(r.outstanding_after)?,
        });
    }
    let total_repayment =
        total_principal.checked_add(total_interest).ok_or_else(|| overflow("total repayment"))?;
    Ok(Schedule {
        installments,
        total_principal: cur.decimal(total_principal)?,
        total_interest: cur.decimal(total_interest)?,
        total_repayment: cur.decimal(total_repayment)?,
    })
}

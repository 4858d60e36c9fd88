//! Fineract's `CUMULATIVE` generator: `AbstractCumulativeLoanScheduleGenerator`
//! with `CumulativeDecliningBalanceInterestLoanScheduleGenerator` and
//! `CumulativeFlatInterestLoanScheduleGenerator`; the maths is in
//! `LoanApplicationTerms` (all under
//! `fineract-loan/src/main/java/org/apache/fineract/portfolio/loanaccount/loanschedule/domain/`).
//!
//! Reproduced: period rates (`periodicInterestRate`, `calculatePeriodsInOneYear`),
//! the EMI (`pmtForInstallment`, `paymentPerPeriod`, `FinanicalFunctions.pmt`)
//! computed once and reused, equal principal (`calculateEqualPrincipalDueForInstallment`,
//! `updateFixedPrincipalAmount`), flat interest (`calculateTotalInterestCharged`,
//! `calculateTotalFlatInterestForInstallmentAveragingOutGracePeriods`,
//! `calculateTotalFlatInterestForPeriod`, `calculateTotalPrincipalPerPeriodWithoutGrace`),
//! the three grace kinds, `adjustPrincipalIfLastRepaymentPeriod`,
//! `adjustInterestIfLastRepaymentPeriod`, the early finish when cumulative
//! principal reaches the loan (`while outstanding != 0`), deferred grace
//! interest left at the end added to the last row, and the refusal of an EMI
//! below a period's interest (`MultiDisbursementEmiAmountException`).
//!
//! Not reproduced (no field in the terms): holidays / working days, meeting
//! calendars, partial-period interest (`allowPartialPeriodInterestCalcualtion`),
//! `interestChargedFromDate`, fixed EMI / principal threshold, recurring
//! moratorium, down payment, multi-tranche, interest recalculation, charges,
//! `isEqualAmortization`.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::arith::{Currency, R, add, div, div_mc, mul, mul_mc, powi, sub};
use super::dates::{self, days_between};
use super::{
    Amortization, DaysInMonth, DaysInYear, InterestCalculationPeriod, InterestMethod, LoanTerms,
    RepaymentUnit, Row, ScheduleError,
};

/// `calculatePeriodsInOneYear`: the divisor of the annual rate.
fn periods_in_one_year(terms: &LoanTerms) -> Decimal {
    let diy = |d: DaysInYear| match d {
        DaysInYear::Actual | DaysInYear::Days365 => 365u32,
        DaysInYear::Days360 => 360,
        DaysInYear::Days364 => 364,
    };
    let base = match terms.repayment_unit {
        RepaymentUnit::Days if terms.days_in_year != DaysInYear::Actual => diy(terms.days_in_year),
        // DefaultPaymentPeriodsInOneYearCalculator: DAYS 365, WEEKS 52, MONTHS 12.
        RepaymentUnit::Days => 365,
        RepaymentUnit::Weeks => 52,
        RepaymentUnit::Months => 12,
    };
    let p = match terms.interest_calculation_period {
        InterestCalculationPeriod::Daily => diy(terms.days_in_year),
        InterestCalculationPeriod::SameAsRepayment => base,
    };
    Decimal::from(p)
}

/// `annualNominalInterestRate / periodsInYear / 100`, each with the `MathContext`.
fn rate_per_unit(terms: &LoanTerms) -> R<Decimal> {
    let a = div_mc(terms.annual_interest_rate_percent, periods_in_one_year(terms), "period rate")?;
    div_mc(a, Decimal::ONE_HUNDRED, "period rate")
}

/// `periodicInterestRate(..., isForPMT = false)` for the period `from → to`;
/// `unit_rate` is [`rate_per_unit`].
fn period_rate(
    terms: &LoanTerms,
    unit_rate: Decimal,
    from: NaiveDate,
    to: NaiveDate,
) -> R<Decimal> {
    match terms.interest_calculation_period {
        InterestCalculationPeriod::SameAsRepayment => {
            mul(unit_rate, Decimal::from(terms.repayment_every), "period rate")
        }
        InterestCalculationPeriod::Daily => {
            let mut days = Decimal::from(days_between(from, to));
            if terms.repayment_unit == RepaymentUnit::Months
                && terms.days_in_month == DaysInMonth::Days30
            {
                let months = dates::months_fraction(from, to, dates::seed(terms))?;
                days = mul_mc(months, Decimal::from(30u32), "period days")?;
            }
            mul_mc(unit_rate, days, "period rate")
        }
    }
}

/// `pmtForInstallment`: `periodicInterestRate(…, DAYS_30, DAYS_365, …, isForPMT = true)`.
/// For DAILY monthly loans this is `R/D × 30 × every`, whatever the calendar.
fn pmt_rate(terms: &LoanTerms, unit_rate: Decimal) -> R<Decimal> {
    let every = Decimal::from(terms.repayment_every);
    match terms.interest_calculation_period {
        InterestCalculationPeriod::SameAsRepayment => mul(unit_rate, every, "pmt rate"),
        InterestCalculationPeriod::Daily => {
            let days = match terms.repayment_unit {
                RepaymentUnit::Months => mul_mc(every, Decimal::from(30u32), "pmt rate")?,
                RepaymentUnit::Weeks => mul(every, Decimal::from(7u32), "pmt rate")?,
                RepaymentUnit::Days => every,
            };
            mul_mc(unit_rate, days, "pmt rate")
        }
    }
}

/// `FinanicalFunctions.pmt(r, n, -principal, 0, false)`, evaluated in
/// decimal (28 significant digits) instead of Java's `double`:
/// `principal × r × (1+r)^n / ((1+r)^n − 1)`, or `principal / n` at r = 0.
/// The result is rounded to currency right after (`Money.of`), so the two
/// agree except within ~1e-13 of a half-cent tie (table tests check real
/// Fineract EMIs).
fn pmt(rate: Decimal, n: u32, principal: Decimal) -> R<Decimal> {
    if n == 0 {
        return Err(ScheduleError::Overflow { what: "pmt over zero periods" });
    }
    if rate.is_zero() {
        return div(principal, Decimal::from(n), "pmt");
    }
    let growth = powi(add(Decimal::ONE, rate, "pmt")?, n, "pmt")?;
    let numerator = mul(mul(principal, rate, "pmt")?, growth, "pmt")?;
    div(numerator, sub(growth, Decimal::ONE, "pmt")?, "pmt")
}

/// Number of periods 1..=n inside principal grace after `elapsed`
/// (`calculateNumberOfRemainingPrincipalPaymentPeriods`).
fn remaining_principal_periods(terms: &LoanTerms, elapsed: u32) -> u32 {
    let n = terms.number_of_repayments;
    let grace_after = terms.grace_on_principal_periods.saturating_sub(elapsed);
    n.saturating_sub(elapsed).saturating_sub(grace_after)
}

fn ov(what: &'static str) -> ScheduleError {
    ScheduleError::Overflow { what }
}
fn iadd(a: i128, b: i128, what: &'static str) -> R<i128> {
    a.checked_add(b).ok_or_else(|| ov(what))
}
fn isub(a: i128, b: i128, what: &'static str) -> R<i128> {
    a.checked_sub(b).ok_or_else(|| ov(what))
}

/// Generates the cumulative schedule rows.
///
/// Amounts live as integers of the currency's smallest unit inside the loop
/// (`Money` values are always at currency scale, and sums and differences
/// of multiples stay multiples, so `Money.of` on them is the identity);
/// every step that rounds (interest, division, multiples, the EMI) goes
/// through [`Currency`] on decimals.
pub(super) fn generate(terms: &LoanTerms, cur: &Currency) -> R<Vec<Row>> {
    let periods = dates::periods(terms)?;
    let n = terms.number_of_repayments;
    let principal = cur.units(terms.principal)?;
    let k_principal = terms.grace_on_principal_periods;
    let g_interest = terms.grace_on_interest_periods;
    let free = terms.interest_free_periods;

    // Flat: total interest (calculateTotalInterestCharged) and the shares.
    let flat = terms.interest_method == InterestMethod::Flat;
    let flat_shares = if flat { Some(FlatShares::new(terms, cur, &periods)?) } else { None };
    let flat_principal_base = if flat {
        let periods_left = remaining_principal_periods(terms, 0);
        cur.units(cur.divided_by(terms.principal, Decimal::from(periods_left))?)?
    } else {
        0
    };

    let mut rows: Vec<Row> = Vec::with_capacity(periods.len());
    let mut outstanding = principal;
    let mut cum_principal = 0i128;
    let mut cum_interest = 0i128;
    let mut brought_forward = 0i128;
    let mut emi: Option<i128> = None;
    let mut fixed_principal: Option<i128> = None;

    let unit_rate = rate_per_unit(terms)?;
    // SAME_AS_REPAYMENT: one rate for every period.
    let fixed_rate = match terms.interest_calculation_period {
        InterestCalculationPeriod::SameAsRepayment => {
            Some(mul(unit_rate, Decimal::from(terms.repayment_every), "period rate")?)
        }
        InterestCalculationPeriod::Daily => None,
    };

    let mut period_number = 0u32;
    for (from, due) in periods {
        if outstanding == 0 {
            break;
        }
        period_number = period_number.saturating_add(1);
        let p = period_number;
        let in_principal_grace = p <= k_principal;
        let in_interest_grace = p <= g_interest;
        let in_interest_free = p <= free;

        let (mut interest, new_bf, interest_for_principal) = match &flat_shares {
            Some(shares) => {
                let (i, bf) = shares.interest(terms, p, brought_forward)?;
                (i, bf, i)
            }
            None => {
                let rate = match fixed_rate {
                    Some(r) => r,
                    None => period_rate(terms, unit_rate, from, due)?,
                };
                let before = cur.units(cur.times_rate(cur.decimal(outstanding)?, rate)?)?;
                let after = if in_interest_grace || in_interest_free { 0 } else { before };
                let (i, bf) = if after > 0 {
                    (iadd(brought_forward, after, "interest")?, 0)
                } else if in_interest_free {
                    (0, brought_forward)
                } else {
                    (after, iadd(brought_forward, before, "interest")?)
                };
                // The principal part uses this period's own interest, not
                // what grace brought forward.
                let own = if i > 0 {
                    isub(i, brought_forward, "interest")?
                } else {
                    isub(bf, brought_forward, "interest")?
                };
                (i, bf, own)
            }
        };

        let mut principal_part = if flat {
            flat_principal(cur, flat_principal_base, in_principal_grace, interest)?
        } else {
            match terms.amortization {
                Amortization::EqualInstallments => {
                    let e = match emi {
                        Some(e) => e,
                        None => {
                            let periods_left = remaining_principal_periods(terms, 0);
                            let raw =
                                pmt(pmt_rate(terms, unit_rate)?, periods_left, terms.principal)?;
                            let e = cur.units(cur.money(cur.installment_multiple_raw(raw)?)?)?;
                            emi = Some(e);
                            e
                        }
                    };
                    if in_principal_grace {
                        0
                    } else {
                        isub(e, interest_for_principal, "principal")?
                    }
                }
                Amortization::EqualPrincipal => {
                    let f = match fixed_principal {
                        Some(f) => f,
                        None => {
                            let periods_left = remaining_principal_periods(terms, 0);
                            let f = cur.units(
                                cur.divided_by(terms.principal, Decimal::from(periods_left))?,
                            )?;
                            fixed_principal = Some(f);
                            f
                        }
                    };
                    if in_principal_grace { 0 } else { f }
                }
            }
        };

        // MultiDisbursementEmiAmountException: Fineract refuses an EMI below
        // a period's interest.
        if let Some(e) = emi
            && e < interest
        {
            return Err(ScheduleError::EmiBelowInterest {
                installment: p,
                emi: cur.present(cur.decimal(e)?),
                interest: cur.present(cur.decimal(interest)?),
            });
        }

        // adjustPrincipalIfLastRepaymentPeriod
        let cum_to_date = iadd(cum_principal, principal_part, "principal")?;
        let remaining = isub(principal, cum_to_date, "principal")?;
        if remaining < 0 || p == n {
            principal_part = iadd(principal_part, remaining, "principal")?;
        }

        if let Some(shares) = &flat_shares {
            // adjustInterestIfLastRepaymentPeriod
            let cum_i = iadd(cum_interest, interest, "interest")?;
            let remaining_i = isub(shares.total_due, cum_i, "interest")?;
            if remaining_i < 0 || p == n {
                interest = iadd(interest, remaining_i, "interest")?;
            }
            if interest < 0 {
                // Fineract: `adjusted = adjusted.plus(adjusted)`.
                interest = iadd(interest, interest, "interest")?;
            }
        }

        outstanding = isub(outstanding, principal_part, "outstanding")?;
        if outstanding < 0 {
            principal_part = iadd(principal_part, outstanding, "principal")?;
            outstanding = 0;
        }

        cum_principal = iadd(cum_principal, principal_part, "principal")?;
        cum_interest = iadd(cum_interest, interest, "interest")?;
        brought_forward = new_bf;
        rows.push(Row {
            from,
            due,
            principal: principal_part,
            interest,
            outstanding_after: outstanding,
        });
    }

    // Interest deferred by grace and never paid goes to the last row.
    if brought_forward > 0
        && let Some(last) = rows.last_mut()
    {
        last.interest = iadd(last.interest, brought_forward, "interest")?;
    }
    Ok(rows)
}

/// `calculateTotalFlatInterestDueWithoutGrace` and its per-installment share.
fn flat_totals(
    terms: &LoanTerms,
    cur: &Currency,
    periods: &[(NaiveDate, NaiveDate)],
) -> R<(Decimal, Decimal)> {
    let per_unit = rate_per_unit(terms)?;
    let term = match terms.interest_calculation_period {
        InterestCalculationPeriod::Daily => {
            let end = periods.last().map_or(terms.disbursement_date, |p| p.1);
            Decimal::from(days_between(terms.disbursement_date, end))
        }
        InterestCalculationPeriod::SameAsRepayment => Decimal::from(
            u64::from(terms.number_of_repayments).saturating_mul(u64::from(terms.repayment_every)),
        ),
    };
    let rate_for_term = mul(per_unit, term, "flat rate")?;
    let total = cur.times_rate(terms.principal, rate_for_term)?;
    let per = cur.divided_by(total, Decimal::from(terms.number_of_repayments))?;
    Ok((total, per))
}

/// Flat interest shares, computed once.
struct FlatShares {
    /// `totalInterestDue`: total minus the interest-free share.
    total_due: i128,
    /// Total without grace over all installments (equal principal spreading).
    per_installment: i128,
    /// `totalInterestDue` over the paying periods (equal installments), if any.
    per_paying_period: Option<i128>,
}

impl FlatShares {
    fn new(terms: &LoanTerms, cur: &Currency, periods: &[(NaiveDate, NaiveDate)]) -> R<Self> {
        let (total, per) = flat_totals(terms, cur, periods)?;
        let free_part = mul(per, Decimal::from(terms.interest_free_periods), "flat interest")?;
        let total_due = cur.money(sub(total, free_part, "flat interest")?)?;
        let paying = terms
            .number_of_repayments
            .checked_sub(terms.grace_on_interest_periods)
            .and_then(|x| x.checked_sub(terms.interest_free_periods))
            .filter(|k| *k > 0);
        let per_paying_period = match paying {
            Some(k) => Some(cur.units(cur.divided_by(total_due, Decimal::from(k))?)?),
            None => None,
        };
        Ok(Self {
            total_due: cur.units(total_due)?,
            per_installment: cur.units(per)?,
            per_paying_period,
        })
    }

    /// Flat interest of period `p`: `(interest, brought forward after)`.
    fn interest(&self, terms: &LoanTerms, p: u32, brought_forward: i128) -> R<(i128, i128)> {
        let g = terms.grace_on_interest_periods;
        let free = terms.interest_free_periods;
        match terms.amortization {
            // calculateTotalFlatInterestForInstallmentAveragingOutGracePeriods
            Amortization::EqualInstallments => {
                if p <= g || p <= free {
                    return Ok((0, brought_forward));
                }
                match self.per_paying_period {
                    Some(i) => Ok((i, brought_forward)),
                    None => Err(ScheduleError::InvalidField {
                        field: "grace_on_interest_periods",
                        value: g.to_string(),
                        reason: "flat interest needs at least one period with neither interest grace nor interest-free",
                    }),
                }
            }
            // calculateTotalFlatInterestForPeriod
            Amortization::EqualPrincipal => {
                if p <= g {
                    Ok((0, iadd(brought_forward, self.per_installment, "interest")?))
                } else if p <= free {
                    Ok((0, brought_forward))
                } else if p == g.saturating_add(1) {
                    Ok((iadd(brought_forward, self.per_installment, "interest")?, 0))
                } else {
                    Ok((self.per_installment, brought_forward))
                }
            }
        }
    }
}

/// `calculateTotalPrincipalPerPeriodWithoutGrace`; `base` is P / (n − grace).
fn flat_principal(cur: &Currency, base: i128, in_grace: bool, interest: i128) -> R<i128> {
    let per = if in_grace { 0 } else { base };
    if cur.installment_multiple.is_none() {
        return Ok(per);
    }
    // "principalPerPeriod 416.67 -> 417, interest 12.50 -> 12 (HALF_EVEN):
    // 417 + 12 - 12.50 = 416.50 as principal", so the installment is a whole
    // multiple. (Applied in grace periods too, as Fineract does.)
    let rounded_principal = cur.units(cur.installment_multiple(cur.decimal(per)?)?)?;
    let rounded_interest = cur.units(cur.installment_multiple(cur.decimal(interest)?)?)?;
    isub(iadd(rounded_principal, rounded_interest, "principal")?, interest, "principal")
}

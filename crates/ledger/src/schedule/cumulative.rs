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

/// Generates the cumulative schedule rows.
pub(super) fn generate(terms: &LoanTerms, cur: &Currency) -> R<Vec<Row>> {
    let periods = dates::periods(terms)?;
    let n = terms.number_of_repayments;
    let principal = terms.principal;
    let k_principal = terms.grace_on_principal_periods;
    let g_interest = terms.grace_on_interest_periods;
    let free = terms.interest_free_periods;

    // Flat: total interest (calculateTotalInterestCharged).
    let flat = terms.interest_method == InterestMethod::Flat;
    let (flat_total_due, flat_per_installment) = if flat {
        let (total, per) = flat_totals(terms, cur, &periods)?;
        let free_part = mul(per, Decimal::from(free), "flat interest")?;
        (cur.money(sub(total, free_part, "flat interest")?)?, per)
    } else {
        (Decimal::ZERO, Decimal::ZERO)
    };

    let mut rows: Vec<Row> = Vec::with_capacity(periods.len());
    let mut outstanding = principal;
    let mut cum_principal = Decimal::ZERO;
    let mut cum_interest = Decimal::ZERO;
    let mut brought_forward = Decimal::ZERO;
    let mut emi: Option<Decimal> = None;
    let mut fixed_principal: Option<Decimal> = None;

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
        if outstanding.is_zero() {
            break;
        }
        period_number = period_number.saturating_add(1);
        let p = period_number;
        let in_principal_grace = p <= k_principal;
        let in_interest_grace = p <= g_interest;
        let in_interest_free = p <= free;

        let (mut interest, new_bf, interest_for_principal) = if flat {
            let (i, bf) = flat_interest(
                terms,
                cur,
                p,
                flat_total_due,
                flat_per_installment,
                brought_forward,
            )?;
            (i, bf, i)
        } else {
            let rate = match fixed_rate {
                Some(r) => r,
                None => period_rate(terms, unit_rate, from, due)?,
            };
            let before = cur.times_rate(outstanding, rate)?;
            let after = if in_interest_grace || in_interest_free { Decimal::ZERO } else { before };
            let (i, bf) = if after > Decimal::ZERO {
                (cur.money(add(brought_forward, after, "interest")?)?, Decimal::ZERO)
            } else if in_interest_free {
                (Decimal::ZERO, brought_forward)
            } else {
                (after, cur.money(add(brought_forward, before, "interest")?)?)
            };
            // The principal part uses this period's own interest, not what
            // grace brought forward.
            let own = if i > Decimal::ZERO {
                cur.money(sub(i, brought_forward, "interest")?)?
            } else {
                cur.money(sub(bf, brought_forward, "interest")?)?
            };
            (i, bf, own)
        };

        let mut principal_part = if flat {
            flat_principal(terms, cur, p, interest)?
        } else {
            match terms.amortization {
                Amortization::EqualInstallments => {
                    let e = match emi {
                        Some(e) => e,
                        None => {
                            let periods_left = remaining_principal_periods(terms, 0);
                            let raw = pmt(pmt_rate(terms, unit_rate)?, periods_left, outstanding)?;
                            let e = cur.money(cur.installment_multiple_raw(raw)?)?;
                            emi = Some(e);
                            e
                        }
                    };
                    if in_principal_grace {
                        Decimal::ZERO
                    } else {
                        cur.money(sub(e, interest_for_principal, "principal")?)?
                    }
                }
                Amortization::EqualPrincipal => {
                    let f = match fixed_principal {
                        Some(f) => f,
                        None => {
                            let periods_left = remaining_principal_periods(terms, 0);
                            let f = cur.divided_by(principal, Decimal::from(periods_left))?;
                            fixed_principal = Some(f);
                            f
                        }
                    };
                    if in_principal_grace { Decimal::ZERO } else { f }
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
                emi: cur.present(e),
                interest: cur.present(interest),
            });
        }

        // adjustPrincipalIfLastRepaymentPeriod
        let cum_to_date = add(cum_principal, principal_part, "principal")?;
        let remaining = sub(principal, cum_to_date, "principal")?;
        if remaining < Decimal::ZERO || p == n {
            principal_part = cur.money(add(principal_part, remaining, "principal")?)?;
        }

        if flat {
            // adjustInterestIfLastRepaymentPeriod
            let cum_i = add(cum_interest, interest, "interest")?;
            let remaining_i = sub(flat_total_due, cum_i, "interest")?;
            if remaining_i < Decimal::ZERO || p == n {
                interest = cur.money(add(interest, remaining_i, "interest")?)?;
            }
            if interest < Decimal::ZERO {
                // Fineract: `adjusted = adjusted.plus(adjusted)`.
                interest = add(interest, interest, "interest")?;
            }
        }

        outstanding = cur.money(sub(outstanding, principal_part, "outstanding")?)?;
        if outstanding < Decimal::ZERO {
            principal_part = cur.money(add(principal_part, outstanding, "principal")?)?;
            outstanding = Decimal::ZERO;
        }

        cum_principal = add(cum_principal, principal_part, "principal")?;
        cum_interest = add(cum_interest, interest, "interest")?;
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
    if brought_forward > Decimal::ZERO
        && let Some(last) = rows.last_mut()
    {
        last.interest = add(last.interest, brought_forward, "interest")?;
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

/// Flat interest of period `p`: `(interest, brought forward after)`.
fn flat_interest(
    terms: &LoanTerms,
    cur: &Currency,
    p: u32,
    total_due: Decimal,
    per_installment: Decimal,
    brought_forward: Decimal,
) -> R<(Decimal, Decimal)> {
    let g = terms.grace_on_interest_periods;
    let free = terms.interest_free_periods;
    match terms.amortization {
        // calculateTotalFlatInterestForInstallmentAveragingOutGracePeriods
        Amortization::EqualInstallments => {
            if p <= g || p <= free {
                return Ok((Decimal::ZERO, brought_forward));
            }
            let paying =
                terms.number_of_repayments.checked_sub(g).and_then(|x| x.checked_sub(free));
            match paying {
                Some(k) if k > 0 => {
                    Ok((cur.divided_by(total_due, Decimal::from(k))?, brought_forward))
                }
                _ => Err(ScheduleError::InvalidField {
                    field: "grace_on_interest_periods",
                    value: g.to_string(),
                    reason: "flat interest needs at least one period with neither interest grace nor interest-free",
                }),
            }
        }
        // calculateTotalFlatInterestForPeriod
        Amortization::EqualPrincipal => {
            if p <= g {
                Ok((Decimal::ZERO, cur.money(add(brought_forward, per_installment, "interest")?)?))
            } else if p <= free {
                Ok((Decimal::ZERO, brought_forward))
            } else if p == g.saturating_add(1) {
                Ok((cur.money(add(brought_forward, per_installment, "interest")?)?, Decimal::ZERO))
            } else {
                Ok((per_installment, brought_forward))
            }
        }
    }
}

/// `calculateTotalPrincipalPerPeriodWithoutGrace`.
fn flat_principal(terms: &LoanTerms, cur: &Currency, p: u32, interest: Decimal) -> R<Decimal> {
    let periods_left = remaining_principal_periods(terms, 0);
    let mut per = cur.divided_by(terms.principal, Decimal::from(periods_left))?;
    if p <= terms.grace_on_principal_periods {
        per = Decimal::ZERO;
    }
    if cur.installment_multiple.is_some() {
        // "principalPerPeriod 416.67 -> 417, interest 12.50 -> 12 (HALF_EVEN):
        // 417 + 12 - 12.50 = 416.50 as principal", so the installment is a
        // whole multiple.
        let rounded_principal = cur.installment_multiple(per)?;
        let rounded_interest = cur.installment_multiple(interest)?;
        per = cur.money(sub(
            add(rounded_principal, rounded_interest, "principal")?,
            interest,
            "principal",
        )?)?;
    }
    Ok(per)
}

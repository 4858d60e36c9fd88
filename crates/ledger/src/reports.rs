//! Koperasi reports: member statement, portfolio per kelurahan, SHU
//! allocation. (The group collection sheet is
//! [`Ledger::collection_sheet`].) Their amounts add up to the books: the
//! members' savings per kind to the savings GL accounts, loan principal to
//! the loan portfolio, interest paid to interest income, as long as only
//! the ledger's savings and loan commands post to those accounts.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use tangguh_core::{Currency, PersonId, RegionCode};

use crate::arrears::KolektibilitasTable;
use crate::error::LedgerError;
use crate::ids::{LoanId, ProductId};
use crate::ledger::Ledger;
use crate::loan::{Components, Loan, LoanStatus, LoanTransaction, LoanTransactionKind, add, sub};
use crate::savings::{SavingsKind, SavingsTransaction};

/// One kind of savings over a period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SavingsSection {
    /// The kind.
    pub kind: SavingsKind,
    /// Balance at the end of the day before the period.
    #[serde(with = "rust_decimal::serde::str")]
    pub opening: Decimal,
    /// Transactions in the period.
    pub lines: Vec<SavingsTransaction>,
    /// Balance at the end of the period.
    #[serde(with = "rust_decimal::serde::str")]
    pub closing: Decimal,
}

/// One loan over a period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LoanSection {
    /// The loan.
    pub loan: LoanId,
    /// Its product.
    pub product: ProductId,
    /// Its status now.
    pub status: LoanStatus,
    /// Whether a relief restructured it.
    pub restructured: bool,
    /// Principal outstanding at the end of the day before the period.
    #[serde(with = "rust_decimal::serde::str")]
    pub opening_principal: Decimal,
    /// Transactions in the period.
    pub transactions: Vec<LoanTransaction>,
    /// Paid in the period, per component.
    pub paid: Components,
    /// Principal outstanding at the end of the period.
    #[serde(with = "rust_decimal::serde::str")]
    pub closing_principal: Decimal,
}

/// A member's statement: all savings and loans over a period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MemberStatement {
    /// The member.
    pub member: PersonId,
    /// First day.
    pub from: NaiveDate,
    /// Last day.
    pub to: NaiveDate,
    /// Pokok, wajib, sukarela.
    pub savings: Vec<SavingsSection>,
    /// Their loans, by id.
    pub loans: Vec<LoanSection>,
}

/// A line of the portfolio per kelurahan and product.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct KelurahanLine {
    /// The kelurahan (none when neither supplied nor recorded).
    pub kelurahan: Option<RegionCode>,
    /// The product.
    pub product: ProductId,
    /// Active loans.
    pub loans: usize,
    /// Their outstanding principal.
    #[serde(with = "rust_decimal::serde::str")]
    pub outstanding: Decimal,
    /// Principal of loans more than 30 days past due or restructured
    /// (microfinance.md §18).
    #[serde(with = "rust_decimal::serde::str")]
    pub par30: Decimal,
    /// Restructured loans.
    pub restructured_loans: usize,
    /// Their principal.
    #[serde(with = "rust_decimal::serde::str")]
    pub restructured_outstanding: Decimal,
}

/// The portfolio per kelurahan and product.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct KelurahanPortfolio {
    /// Arrears as of.
    pub as_of: NaiveDate,
    /// The currency.
    pub currency: Currency,
    /// By kelurahan (unknown first), then product.
    pub lines: Vec<KelurahanLine>,
    /// Sum of outstanding principal.
    #[serde(with = "rust_decimal::serde::str")]
    pub outstanding: Decimal,
    /// Sum of PAR30 principal.
    #[serde(with = "rust_decimal::serde::str")]
    pub par30: Decimal,
}

/// One member's SHU.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ShuLine {
    /// The member.
    pub member: PersonId,
    /// Their savings (all kinds) at the end of the year.
    #[serde(with = "rust_decimal::serde::str")]
    pub savings: Decimal,
    /// Interest they paid in the year.
    #[serde(with = "rust_decimal::serde::str")]
    pub interest_paid: Decimal,
    /// Share for savings (jasa modal).
    #[serde(with = "rust_decimal::serde::str")]
    pub savings_part: Decimal,
    /// Share for loan participation (jasa usaha).
    #[serde(with = "rust_decimal::serde::str")]
    pub loan_part: Decimal,
    /// Both.
    #[serde(with = "rust_decimal::serde::str")]
    pub total: Decimal,
}

/// SHU allocation for a financial year (1 January to 31 December).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ShuAllocation {
    /// The year.
    pub year: i32,
    /// The koperasi's share for savings (input).
    #[serde(with = "rust_decimal::serde::str")]
    pub savings_share: Decimal,
    /// The koperasi's share for loan participation (input).
    #[serde(with = "rust_decimal::serde::str")]
    pub loan_share: Decimal,
    /// Members' savings at year end.
    #[serde(with = "rust_decimal::serde::str")]
    pub total_savings: Decimal,
    /// Interest members paid in the year.
    #[serde(with = "rust_decimal::serde::str")]
    pub total_interest: Decimal,
    /// Per member with a share, by person id.
    pub lines: Vec<ShuLine>,
}

fn overflow(operation: &'static str) -> LedgerError {
    LedgerError::Overflow { operation }
}

/// Splits `total` by `weights`: each part `total × w / Σw` rounded half-even
/// to `digits`, then the units the rounding lost or gained go to the parts
/// with the largest (or smallest) remainders, earlier parts first on ties
/// (largest-remainder method). The parts sum to `total` exactly.
///
/// # Errors
///
/// [`LedgerError::NoShuBase`] when the weights sum to 0 and `total` is not
/// 0; [`LedgerError::AmountNotPositive`] for a negative weight or total;
/// [`LedgerError::Overflow`].
pub fn allocate_largest_remainder(
    total: Decimal,
    weights: &[Decimal],
    digits: u32,
) -> Result<Vec<Decimal>, LedgerError> {
    if total < Decimal::ZERO {
        return Err(LedgerError::AmountNotPositive { field: "total", amount: total });
    }
    let mut sum = Decimal::ZERO;
    for w in weights {
        if *w < Decimal::ZERO {
            return Err(LedgerError::AmountNotPositive { field: "weight", amount: *w });
        }
        sum = add(sum, *w)?;
    }
    if sum.is_zero() {
        if total.is_zero() {
            return Ok(vec![Decimal::ZERO; weights.len()]);
        }
        return Err(LedgerError::NoShuBase { pool: "weights", amount: total });
    }
    let mut exact = Vec::with_capacity(weights.len());
    let mut parts = Vec::with_capacity(weights.len());
    let mut allocated = Decimal::ZERO;
    for w in weights {
        let x = total
            .checked_mul(*w)
            .and_then(|p| p.checked_div(sum))
            .ok_or_else(|| overflow("allocation"))?;
        let r = x.round_dp_with_strategy(digits, RoundingStrategy::MidpointNearestEven);
        allocated = add(allocated, r)?;
        exact.push(x);
        parts.push(r);
    }
    let unit = Decimal::new(1, digits);
    let diff = sub(total, allocated)?;
    let mut units = diff
        .checked_div(unit)
        .and_then(|u| i64::try_from(u.trunc()).ok())
        .ok_or_else(|| overflow("allocation"))?;
    let mut order: Vec<usize> = (0..parts.len()).collect();
    let remainder = |k: usize| -> Decimal {
        match (exact.get(k), parts.get(k)) {
            (Some(x), Some(r)) => x.saturating_sub(*r),
            _ => Decimal::ZERO,
        }
    };
    if units > 0 {
        order.sort_by(|a, b| remainder(*b).cmp(&remainder(*a)).then(a.cmp(b)));
    } else {
        order.sort_by(|a, b| remainder(*a).cmp(&remainder(*b)).then(a.cmp(b)));
    }
    for k in order.iter().cycle().take(parts.len().saturating_mul(4)) {
        if units == 0 {
            break;
        }
        if let Some(p) = parts.get_mut(*k) {
            if units > 0 {
                *p = add(*p, unit)?;
                units = units.saturating_sub(1);
            } else if *p >= unit {
                *p = sub(*p, unit)?;
                units = units.saturating_add(1);
            }
        }
    }
    Ok(parts)
}

/// Principal outstanding at the end of `date`: scheduled principal less
/// principal paid and waived by transactions dated on or before it.
fn principal_as_of(loan: &Loan, date: NaiveDate) -> Result<Decimal, LedgerError> {
    if loan.disbursed_on().is_none_or(|d| d > date) {
        return Ok(Decimal::ZERO);
    }
    let mut p = Decimal::ZERO;
    for i in loan.installments() {
        p = add(p, i.due.principal)?;
    }
    for t in loan.transactions().iter().filter(|t| t.date <= date) {
        p = sub(p, t.allocation.total.principal)?;
        for w in &t.waived {
            p = sub(p, w.amounts.principal)?;
        }
    }
    Ok(p)
}

impl Ledger {
    /// A member's statement from `from` to `to` (inclusive): each kind of
    /// savings with opening, transactions and closing; each of their loans
    /// with principal outstanding before and after and the transactions.
    ///
    /// # Errors
    ///
    /// [`LedgerError::UnknownMember`]; [`LedgerError::Overflow`].
    pub fn member_statement(
        &self,
        member: PersonId,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<MemberStatement, LedgerError> {
        let m = self.member(member).ok_or(LedgerError::UnknownMember { member })?;
        let before = from.pred_opt().unwrap_or(from);
        let mut savings = Vec::with_capacity(3);
        for kind in [SavingsKind::Pokok, SavingsKind::Wajib, SavingsKind::Sukarela] {
            let opening = if from.pred_opt().is_some() {
                m.balance_as_of(kind, before)?
            } else {
                Decimal::ZERO
            };
            let lines: Vec<SavingsTransaction> = m
                .transactions
                .iter()
                .filter(|t| t.kind == kind && t.date >= from && t.date <= to)
                .cloned()
                .collect();
            savings.push(SavingsSection {
                kind,
                opening,
                lines,
                closing: m.balance_as_of(kind, to)?,
            });
        }
        let mut loans = Vec::new();
        for loan in self.loans().filter(|l| l.borrower() == member) {
            let transactions: Vec<LoanTransaction> = loan
                .transactions()
                .iter()
                .filter(|t| t.date >= from && t.date <= to)
                .cloned()
                .collect();
            let mut paid = Components::ZERO;
            for t in &transactions {
                paid = paid.checked_add(&t.allocation.total)?;
            }
            loans.push(LoanSection {
                loan: loan.id(),
                product: loan.product(),
                status: loan.status(),
                restructured: self.is_restructured(loan.id()),
                opening_principal: principal_as_of(loan, before)?,
                transactions,
                paid,
                closing_principal: principal_as_of(loan, to)?,
            });
        }
        Ok(MemberStatement { member, from, to, savings, loans })
    }

    /// Active loans in `currency` per kelurahan and product: count,
    /// outstanding principal, PAR30 (more than 30 days past due as of
    /// `as_of`, or restructured) and restructured loans. A borrower's
    /// kelurahan is taken from `supplied`, else from their membership.
    ///
    /// # Errors
    ///
    /// [`LedgerError::Overflow`].
    pub fn portfolio_by_kelurahan(
        &self,
        as_of: NaiveDate,
        currency: Currency,
        supplied: &BTreeMap<PersonId, RegionCode>,
    ) -> Result<KelurahanPortfolio, LedgerError> {
        let mut lines: BTreeMap<(Option<RegionCode>, ProductId), KelurahanLine> = BTreeMap::new();
        let (mut outstanding, mut par30) = (Decimal::ZERO, Decimal::ZERO);
        for loan in self.loans() {
            if loan.status() != LoanStatus::Active || loan.currency() != currency {
                continue;
            }
            let b = loan.borrower();
            let kelurahan =
                supplied.get(&b).copied().or_else(|| self.member(b).and_then(|m| m.kelurahan));
            let line = lines.entry((kelurahan, loan.product())).or_insert(KelurahanLine {
                kelurahan,
                product: loan.product(),
                loans: 0,
                outstanding: Decimal::ZERO,
                par30: Decimal::ZERO,
                restructured_loans: 0,
                restructured_outstanding: Decimal::ZERO,
            });
            let p = loan.outstanding_principal();
            let restructured = self.is_restructured(loan.id());
            line.loans = line.loans.saturating_add(1);
            line.outstanding = add(line.outstanding, p)?;
            outstanding = add(outstanding, p)?;
            if restructured || loan.days_past_due(as_of) > 30 {
                line.par30 = add(line.par30, p)?;
                par30 = add(par30, p)?;
            }
            if restructured {
                line.restructured_loans = line.restructured_loans.saturating_add(1);
                line.restructured_outstanding = add(line.restructured_outstanding, p)?;
            }
        }
        Ok(KelurahanPortfolio {
            as_of,
            currency,
            lines: lines.into_values().collect(),
            outstanding,
            par30,
        })
    }

    /// SHU allocation for `year`: `savings_share` split by members' savings
    /// (all kinds) at 31 December, `loan_share` by the interest they paid
    /// in the year (loan transactions dated in it, in the savings
    /// currency). Each split is rounded half-even to the currency's minor
    /// unit and made to sum exactly by largest remainders
    /// ([`allocate_largest_remainder`]), so the shares sum exactly to
    /// `savings_share + loan_share`.
    ///
    /// # Errors
    ///
    /// [`LedgerError::SavingsNotConfigured`]; [`LedgerError::AmountNotPositive`]
    /// for a negative share; [`LedgerError::NoShuBase`] when a share is
    /// positive and no member has savings (or paid interest);
    /// [`LedgerError::Overflow`].
    pub fn shu_allocation(
        &self,
        year: i32,
        savings_share: Decimal,
        loan_share: Decimal,
    ) -> Result<ShuAllocation, LedgerError> {
        let scheme = self.savings_scheme().ok_or(LedgerError::SavingsNotConfigured)?;
        for (field, amount) in [("savings_share", savings_share), ("loan_share", loan_share)] {
            if amount < Decimal::ZERO {
                return Err(LedgerError::AmountNotPositive { field, amount });
            }
        }
        let (first, last) =
            match (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31)) {
                (Some(a), Some(b)) => (a, b),
                _ => return Err(overflow("financial year")),
            };
        let mut interest: BTreeMap<PersonId, Decimal> = BTreeMap::new();
        for loan in self.loans() {
            if loan.currency() != scheme.currency || self.member(loan.borrower()).is_none() {
                continue;
            }
            for t in loan.transactions().iter().filter(|t| {
                t.date >= first
                    && t.date <= last
                    && matches!(
                        t.kind,
                        LoanTransactionKind::Repayment | LoanTransactionKind::Payoff
                    )
            }) {
                let slot = interest.entry(loan.borrower()).or_insert(Decimal::ZERO);
                *slot = add(*slot, t.allocation.total.interest)?;
            }
        }
        let mut members = Vec::new();
        let (mut total_savings, mut total_interest) = (Decimal::ZERO, Decimal::ZERO);
        for m in self.members() {
            let mut s = Decimal::ZERO;
            for kind in [SavingsKind::Pokok, SavingsKind::Wajib, SavingsKind::Sukarela] {
                s = add(s, m.balance_as_of(kind, last)?)?;
            }
            let i = interest.get(&m.person).copied().unwrap_or(Decimal::ZERO);
            total_savings = add(total_savings, s)?;
            total_interest = add(total_interest, i)?;
            members.push((m.person, s, i));
        }
        let digits = scheme.currency.minor_digits();
        let split = |share: Decimal, pool: &'static str, base: Vec<Decimal>| {
            allocate_largest_remainder(share, &base, digits).map_err(|e| match e {
                LedgerError::NoShuBase { amount, .. } => LedgerError::NoShuBase { pool, amount },
                other => other,
            })
        };
        let by_savings = split(savings_share, "savings", members.iter().map(|m| m.1).collect())?;
        let by_loans = split(loan_share, "loans", members.iter().map(|m| m.2).collect())?;
        let mut lines = Vec::new();
        for ((member, savings, interest_paid), (sp, lp)) in
            members.into_iter().zip(by_savings.into_iter().zip(by_loans))
        {
            if savings.is_zero() && interest_paid.is_zero() {
                continue;
            }
            lines.push(ShuLine {
                member,
                savings,
                interest_paid,
                savings_part: sp,
                loan_part: lp,
                total: add(sp, lp)?,
            });
        }
        Ok(ShuAllocation { year, savings_share, loan_share, total_savings, total_interest, lines })
    }

    /// Class of each active loan as of `as_of`, relief treatment included
    /// (see [`Ledger::classification`]).
    pub fn classes_with_relief(
        &self,
        as_of: NaiveDate,
        table: &KolektibilitasTable,
    ) -> Vec<(LoanId, crate::arrears::Kolektibilitas)> {
        self.loans()
            .filter(|l| l.status() == LoanStatus::Active)
            .map(|l| (l.id(), self.class_of(l, as_of, table)))
            .collect()
    }
}

//! Koperasi member savings (UU 25/1992): simpanan pokok, wajib and sukarela,
//! with jasa on sukarela and member exit.
//!
//! Every member's savings are a sub-ledger of three pooled GL accounts (one
//! per kind, named in the [`SavingsScheme`]); each movement posts one
//! balanced entry in the books, and the members' balances of a kind always
//! sum to its GL account's balance as long as only savings commands post to
//! it.
//!
//! # Jasa on simpanan sukarela (the method)
//!
//! For every day `D` after the member's last jasa date up to and including
//! `through`, the balance at the end of `D` earns `balance × rate / 100 /
//! 365` (365 also in leap years). The exact sum over the days is rounded once
//! per member and posting, half-even to the currency's minor unit, and
//! credited to the member's sukarela (Dr jasa expense, Cr sukarela).

use chrono::{Months, NaiveDate};
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use tangguh_core::{Currency, PersonId, RegionCode};

use crate::account::AccountCode;
use crate::error::LedgerError;
use crate::ids::EntryId;

fn overflow(operation: &'static str) -> LedgerError {
    LedgerError::Overflow { operation }
}

/// The GL accounts savings post to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SavingsAccounts {
    /// Cash (or bank) receiving and paying out savings: an asset.
    pub cash: AccountCode,
    /// Simpanan pokok: equity (member capital, UU 25/1992 Pasal 41).
    pub pokok: AccountCode,
    /// Simpanan wajib: equity.
    pub wajib: AccountCode,
    /// Simpanan sukarela: a liability flagged never-negative.
    pub sukarela: AccountCode,
    /// Jasa paid on sukarela: an expense.
    pub jasa_expense: AccountCode,
}

/// The koperasi's savings rules: one scheme per ledger.
///
/// # Jasa on simpanan sukarela (the method)
///
/// For every day `D` after the member's last jasa date up to and including
/// `through`, the balance at the end of `D` earns `balance × rate / 100 /
/// 365` (365 also in leap years). The exact sum over the days is rounded once
/// per member and posting, half-even to the currency's minor unit, and
/// credited to the member's sukarela (Dr jasa expense, Cr sukarela).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SavingsScheme {
    /// The currency of all savings.
    pub currency: Currency,
    /// Simpanan pokok, the same for every member, paid once on joining.
    #[serde(with = "rust_decimal::serde::str")]
    pub pokok: Decimal,
    /// Simpanan wajib due each period.
    #[serde(with = "rust_decimal::serde::str")]
    pub wajib: Decimal,
    /// Months between wajib due dates (1 = monthly). The first is due this
    /// many months after joining, on the same day of month (month-end
    /// clamped).
    pub wajib_every_months: u32,
    /// Annual jasa rate on sukarela, in percent.
    #[serde(with = "rust_decimal::serde::str")]
    pub jasa_rate_percent: Decimal,
    /// The GL accounts.
    pub accounts: SavingsAccounts,
}

impl SavingsScheme {
    /// A scheme.
    #[must_use]
    pub fn new(
        currency: Currency,
        pokok: Decimal,
        wajib: Decimal,
        wajib_every_months: u32,
        jasa_rate_percent: Decimal,
        accounts: SavingsAccounts,
    ) -> Self {
        Self { currency, pokok, wajib, wajib_every_months, jasa_rate_percent, accounts }
    }

    pub(crate) fn check(&self) -> Result<(), LedgerError> {
        let bad =
            |field: &'static str, value: String| LedgerError::InvalidSavingsScheme { field, value };
        let digits = self.currency.minor_digits();
        for (field, v) in [("pokok", self.pokok), ("wajib", self.wajib)] {
            if v <= Decimal::ZERO || v.normalize().scale() > digits {
                return Err(bad(field, v.to_string()));
            }
        }
        if self.wajib_every_months == 0 || self.wajib_every_months > 12 {
            return Err(bad("wajib_every_months", self.wajib_every_months.to_string()));
        }
        if self.jasa_rate_percent < Decimal::ZERO || self.jasa_rate_percent > Decimal::ONE_HUNDRED {
            return Err(bad("jasa_rate_percent", self.jasa_rate_percent.to_string()));
        }
        Ok(())
    }

    /// The `k`-th wajib due date (1-based) of a member who joined on `joined`.
    #[must_use]
    pub fn wajib_due_date(&self, joined: NaiveDate, k: u32) -> Option<NaiveDate> {
        joined.checked_add_months(Months::new(self.wajib_every_months.checked_mul(k)?))
    }
}

/// A kind of savings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(clippy::exhaustive_enums)] // closed set: the three kinds of UU 25/1992
pub enum SavingsKind {
    /// Simpanan pokok: once, locked while a member.
    Pokok,
    /// Simpanan wajib: periodic, locked while a member.
    Wajib,
    /// Simpanan sukarela: withdrawable.
    Sukarela,
}

/// What a savings transaction was.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SavingsMovement {
    /// Money paid in.
    Deposit,
    /// Money taken out (sukarela only).
    Withdrawal,
    /// Jasa credited.
    Jasa,
    /// Refund or set-off on exit.
    Exit,
}

/// One savings transaction of a member.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SavingsTransaction {
    /// Its journal entry.
    pub entry: Option<EntryId>,
    /// The value date.
    pub date: NaiveDate,
    /// The kind of savings.
    pub kind: SavingsKind,
    /// What it was.
    pub movement: SavingsMovement,
    /// The change of the member's balance (negative for money out).
    #[serde(with = "rust_decimal::serde::str")]
    pub amount: Decimal,
}

/// A member's balances per kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SavingsBalances {
    /// Simpanan pokok.
    #[serde(with = "rust_decimal::serde::str")]
    pub pokok: Decimal,
    /// Simpanan wajib.
    #[serde(with = "rust_decimal::serde::str")]
    pub wajib: Decimal,
    /// Simpanan sukarela.
    #[serde(with = "rust_decimal::serde::str")]
    pub sukarela: Decimal,
}

impl SavingsBalances {
    /// The balance of one kind.
    #[must_use]
    pub fn get(&self, kind: SavingsKind) -> Decimal {
        match kind {
            SavingsKind::Pokok => self.pokok,
            SavingsKind::Wajib => self.wajib,
            SavingsKind::Sukarela => self.sukarela,
        }
    }

    fn get_mut(&mut self, kind: SavingsKind) -> &mut Decimal {
        match kind {
            SavingsKind::Pokok => &mut self.pokok,
            SavingsKind::Wajib => &mut self.wajib,
            SavingsKind::Sukarela => &mut self.sukarela,
        }
    }

    /// All three together.
    ///
    /// # Errors
    ///
    /// [`LedgerError::Overflow`].
    pub fn total(&self) -> Result<Decimal, LedgerError> {
        self.pokok
            .checked_add(self.wajib)
            .and_then(|s| s.checked_add(self.sukarela))
            .ok_or_else(|| overflow("savings total"))
    }
}

/// Wajib arrears as of a date, like a loan's: the obligation of the periods
/// due so far against what was paid; days past due from the oldest period
/// not covered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct WajibArrears {
    /// The date.
    pub as_of: NaiveDate,
    /// Periods due on or before `as_of`.
    pub periods_due: u32,
    /// Their obligation.
    #[serde(with = "rust_decimal::serde::str")]
    pub obligation: Decimal,
    /// Wajib paid in total (may exceed the obligation: paid ahead).
    #[serde(with = "rust_decimal::serde::str")]
    pub paid: Decimal,
    /// What is owed on or before `as_of` (obligation − paid, not below 0).
    #[serde(with = "rust_decimal::serde::str")]
    pub owed: Decimal,
    /// Due date of the oldest period not covered, if it is before `as_of`.
    pub overdue_since: Option<NaiveDate>,
    /// Days from `overdue_since` to `as_of` (0 when none).
    pub days_past_due: u32,
}

/// A koperasi member with their savings.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Member {
    /// The person.
    pub person: PersonId,
    /// The joining date (simpanan pokok paid).
    pub joined_on: NaiveDate,
    /// The member's kelurahan, if recorded.
    pub kelurahan: Option<RegionCode>,
    /// The exit date, if the member left.
    pub exited_on: Option<NaiveDate>,
    /// Current balances.
    pub balances: SavingsBalances,
    /// Every savings transaction, in order.
    pub transactions: Vec<SavingsTransaction>,
    /// Jasa is credited up to and including this day.
    pub jasa_through: NaiveDate,
    /// No savings transaction may be dated before this.
    pub earliest_next: NaiveDate,
}

impl Member {
    pub(crate) fn joined(
        person: PersonId,
        date: NaiveDate,
        kelurahan: Option<RegionCode>,
        pokok: Decimal,
        entry: EntryId,
    ) -> Self {
        let mut m = Self {
            person,
            joined_on: date,
            kelurahan,
            exited_on: None,
            balances: SavingsBalances::default(),
            transactions: Vec::new(),
            jasa_through: date,
            earliest_next: date,
        };
        m.push(SavingsTransaction {
            entry: Some(entry),
            date,
            kind: SavingsKind::Pokok,
            movement: SavingsMovement::Deposit,
            amount: pokok,
        });
        m
    }

    /// Whether the member is still a member.
    #[must_use]
    pub fn is_active(&self) -> bool {
        self.exited_on.is_none()
    }

    pub(crate) fn push(&mut self, t: SavingsTransaction) {
        let b = self.balances.get_mut(t.kind);
        *b = b.saturating_add(t.amount);
        if t.date > self.earliest_next {
            self.earliest_next = t.date;
        }
        self.transactions.push(t);
    }

    /// The balance of `kind` at the end of `date`.
    ///
    /// # Errors
    ///
    /// [`LedgerError::Overflow`].
    pub fn balance_as_of(
        &self,
        kind: SavingsKind,
        date: NaiveDate,
    ) -> Result<Decimal, LedgerError> {
        let mut sum = Decimal::ZERO;
        for t in self.transactions.iter().filter(|t| t.kind == kind && t.date <= date) {
            sum = sum.checked_add(t.amount).ok_or_else(|| overflow("savings balance"))?;
        }
        Ok(sum)
    }

    /// Wajib arrears as of `as_of` under `scheme`: obligations end on exit.
    ///
    /// # Errors
    ///
    /// [`LedgerError::Overflow`].
    pub fn wajib_arrears(
        &self,
        scheme: &SavingsScheme,
        as_of: NaiveDate,
    ) -> Result<WajibArrears, LedgerError> {
        let end = self.exited_on.map_or(as_of, |e| e.min(as_of));
        let mut paid = Decimal::ZERO;
        for t in self
            .transactions
            .iter()
            .filter(|t| t.kind == SavingsKind::Wajib && t.movement == SavingsMovement::Deposit)
        {
            paid = paid.checked_add(t.amount).ok_or_else(|| overflow("wajib paid"))?;
        }
        let mut periods_due = 0u32;
        let mut obligation = Decimal::ZERO;
        let mut overdue_since = None;
        let mut k = 1u32;
        while let Some(due) = scheme.wajib_due_date(self.joined_on, k) {
            if due > end {
                break;
            }
            periods_due = k;
            obligation =
                obligation.checked_add(scheme.wajib).ok_or_else(|| overflow("wajib obligation"))?;
            if overdue_since.is_none() && obligation > paid && due < as_of {
                overdue_since = Some(due);
            }
            k = k.saturating_add(1);
        }
        let owed = obligation.checked_sub(paid).unwrap_or(Decimal::ZERO).max(Decimal::ZERO);
        let days_past_due = overdue_since.map_or(0, |d| {
            u32::try_from(as_of.signed_duration_since(d).num_days()).unwrap_or(u32::MAX)
        });
        Ok(WajibArrears {
            as_of,
            periods_due,
            obligation,
            paid,
            owed,
            overdue_since,
            days_past_due,
        })
    }

    /// Jasa on sukarela for the days after `jasa_through` up to and including
    /// `through`, by the method in [`SavingsScheme`]'s docs.
    ///
    /// # Errors
    ///
    /// [`LedgerError::Overflow`].
    pub fn jasa(&self, scheme: &SavingsScheme, through: NaiveDate) -> Result<Decimal, LedgerError> {
        // Σ over days of end-of-day balance, by segments between changes.
        let start = self.jasa_through;
        if through <= start {
            return Ok(Decimal::ZERO);
        }
        let mut balance = self.balance_as_of(SavingsKind::Sukarela, start)?;
        let mut changes: Vec<(NaiveDate, Decimal)> = self
            .transactions
            .iter()
            .filter(|t| t.kind == SavingsKind::Sukarela && t.date > start && t.date <= through)
            .map(|t| (t.date, t.amount))
            .collect();
        changes.sort_by_key(|(d, _)| *d);
        let mut day_sum = Decimal::ZERO;
        let mut cursor = start; // balance holds from the day after cursor
        let add = |a: Decimal, b: Decimal| a.checked_add(b).ok_or_else(|| overflow("jasa"));
        for (date, amount) in changes {
            if date > cursor {
                // days cursor+1 ..= date-1 at the old balance
                let days = date.signed_duration_since(cursor).num_days().saturating_sub(1);
                let held =
                    balance.checked_mul(Decimal::from(days)).ok_or_else(|| overflow("jasa"))?;
                day_sum = add(day_sum, held)?;
                balance = add(balance, amount)?;
                // the change's own day at its end-of-day balance
                day_sum = add(day_sum, balance)?;
                cursor = date;
            } else {
                // another change on the same day: that day's end balance moves
                balance = add(balance, amount)?;
                day_sum = add(day_sum, amount)?;
            }
        }
        let days = through.signed_duration_since(cursor).num_days();
        day_sum = day_sum
            .checked_add(balance.checked_mul(Decimal::from(days)).ok_or_else(|| overflow("jasa"))?)
            .ok_or_else(|| overflow("jasa"))?;
        let exact = day_sum
            .checked_mul(scheme.jasa_rate_percent)
            .and_then(|x| x.checked_div(Decimal::from(36_500)))
            .ok_or_else(|| overflow("jasa"))?;
        Ok(exact.round_dp_with_strategy(
            scheme.currency.minor_digits(),
            RoundingStrategy::MidpointNearestEven,
        ))
    }
}

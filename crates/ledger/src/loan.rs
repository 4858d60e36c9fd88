//! Loan products, loans and their servicing: disbursement, repayment
//! allocation, payoff, penalties, write-off, recovery.

use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};
use tangguh_core::{Currency, Name, OrganizationId, PersonId};

use crate::account::{AccountCode, AccountType};
use crate::error::LedgerError;
use crate::ids::{EntryId, LoanId, ProductId};
use crate::schedule::{LoanTerms, Schedule};

pub(crate) fn add(a: Decimal, b: Decimal) -> Result<Decimal, LedgerError> {
    a.checked_add(b).ok_or(LedgerError::Overflow { operation: "loan amounts" })
}

pub(crate) fn sub(a: Decimal, b: Decimal) -> Result<Decimal, LedgerError> {
    a.checked_sub(b).ok_or(LedgerError::Overflow { operation: "loan amounts" })
}

/// An amount charged as a flat sum or a percentage of a base.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ChargeAmount {
    /// A fixed amount.
    Flat(#[serde(with = "rust_decimal::serde::str")] Decimal),
    /// A percentage (0–100) of the base.
    Percent(#[serde(with = "rust_decimal::serde::str")] Decimal),
}

impl ChargeAmount {
    /// The charge on `base`, rounded half-even to `digits`.
    ///
    /// # Errors
    ///
    /// [`LedgerError::Overflow`] if it does not fit.
    pub fn on(self, base: Decimal, digits: u32) -> Result<Decimal, LedgerError> {
        let raw = match self {
            Self::Flat(amount) => amount,
            Self::Percent(pct) => base
                .checked_mul(pct)
                .and_then(|v| v.checked_div(Decimal::ONE_HUNDRED))
                .ok_or(LedgerError::Overflow { operation: "percentage charge" })?,
        };
        Ok(raw.round_dp_with_strategy(digits, RoundingStrategy::MidpointNearestEven))
    }

    fn check(self, field: &'static str) -> Result<(), LedgerError> {
        let ok = match self {
            Self::Flat(a) => a >= Decimal::ZERO,
            Self::Percent(p) => p >= Decimal::ZERO && p <= Decimal::ONE_HUNDRED,
        };
        if ok {
            Ok(())
        } else {
            Err(LedgerError::InvalidProduct { field, value: format!("{self:?}") })
        }
    }
}

/// A fee charged at disbursement (flat, or a percentage of the principal),
/// collected in cash and posted to fee income.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct DisbursementFee {
    /// What the fee is called ("biaya administrasi").
    pub name: Name,
    /// How much.
    pub amount: ChargeAmount,
}

impl DisbursementFee {
    /// A fee.
    #[must_use]
    pub fn new(name: Name, amount: ChargeAmount) -> Self {
        Self { name, amount }
    }
}

/// A penalty charged once on each installment still unpaid `grace_days`
/// after its due date: flat, or a percentage of the installment's overdue
/// principal and interest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LatePenalty {
    /// How much.
    pub amount: ChargeAmount,
    /// Days after the due date before the penalty applies.
    pub grace_days: u32,
}

impl LatePenalty {
    /// A penalty.
    #[must_use]
    pub fn new(amount: ChargeAmount, grace_days: u32) -> Self {
        Self { amount, grace_days }
    }
}

/// How a repayment is split over installments and components (Fineract's
/// transaction processing strategies; microfinance reference §10).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AllocationStrategy {
    /// `mifos-standard-strategy`: oldest installment first; in each,
    /// penalty → fee → interest → principal.
    PenaltyFeeInterestPrincipal,
    /// `interest-principal-penalties-fees-order-strategy`: oldest first; in
    /// each, interest → principal → penalty → fee.
    InterestPrincipalPenaltyFee,
    /// `rbi-india-strategy` (vertical): penalty → fee → interest of every
    /// overdue installment and the current one first, then their principal
    /// oldest first, then later installments as the standard strategy.
    OverdueInterestFirst,
}

/// The GL accounts a loan product posts to, by role (Fineract's
/// `CashAccountsForLoan`; cash-based accounting).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LoanAccounts {
    /// Cash or bank the loan is paid from and into (asset).
    pub fund_source: AccountCode,
    /// Loans outstanding (asset).
    pub loan_portfolio: AccountCode,
    /// Interest income (income).
    pub interest_income: AccountCode,
    /// Fee income (income).
    pub fee_income: AccountCode,
    /// Penalty income (income).
    pub penalty_income: AccountCode,
    /// Losses written off (expense).
    pub losses_written_off: AccountCode,
    /// Money received beyond what was owed (liability).
    pub overpayment: AccountCode,
    /// Money recovered after a write-off (income).
    pub income_from_recovery: AccountCode,
}

impl LoanAccounts {
    /// The roles, each with its account and the account type it needs.
    #[must_use]
    pub fn roles(&self) -> [(&'static str, &AccountCode, AccountType); 8] {
        [
            ("fund_source", &self.fund_source, AccountType::Asset),
            ("loan_portfolio", &self.loan_portfolio, AccountType::Asset),
            ("interest_income", &self.interest_income, AccountType::Income),
            ("fee_income", &self.fee_income, AccountType::Income),
            ("penalty_income", &self.penalty_income, AccountType::Income),
            ("losses_written_off", &self.losses_written_off, AccountType::Expense),
            ("overpayment", &self.overpayment, AccountType::Liability),
            ("income_from_recovery", &self.income_from_recovery, AccountType::Income),
        ]
    }
}

/// A loan product: the schedule template and how loans are serviced and
/// booked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LoanProduct {
    /// The product's id.
    pub id: ProductId,
    /// Its name ("KUR Super Mikro").
    pub name: Name,
    /// The currency of its loans.
    pub currency: Currency,
    /// Schedule template: interest method, amortization, schedule type,
    /// frequency, days in year/month, grace, rounding. A loan takes these and
    /// overrides the principal, dates and (optionally) rate and term.
    pub terms: LoanTerms,
    /// Fees at disbursement.
    #[serde(default)]
    pub fees: Vec<DisbursementFee>,
    /// Late penalty, if any.
    #[serde(default)]
    pub late_penalty: Option<LatePenalty>,
    /// How repayments are allocated.
    pub allocation: AllocationStrategy,
    /// The GL accounts by role.
    pub accounts: LoanAccounts,
}

impl LoanProduct {
    /// A product without fees or penalty.
    #[must_use]
    pub fn new(
        id: ProductId,
        name: Name,
        currency: Currency,
        terms: LoanTerms,
        allocation: AllocationStrategy,
        accounts: LoanAccounts,
    ) -> Self {
        Self {
            id,
            name,
            currency,
            terms,
            fees: Vec::new(),
            late_penalty: None,
            allocation,
            accounts,
        }
    }

    pub(crate) fn check(&self) -> Result<(), LedgerError> {
        for fee in &self.fees {
            fee.amount.check("fees")?;
        }
        if let Some(p) = self.late_penalty {
            p.amount.check("late_penalty")?;
        }
        if self.terms.digits_after_decimal > self.currency.minor_digits() {
            return Err(LedgerError::InvalidProduct {
                field: "terms.digits_after_decimal",
                value: self.terms.digits_after_decimal.to_string(),
            });
        }
        Ok(())
    }
}

/// One installment given explicitly (a schedule imported from another
/// system, e.g. a loan migrated from Mifos with its schedule).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ScheduledInstallment {
    /// Due date.
    pub due_date: NaiveDate,
    /// Principal due.
    #[serde(with = "rust_decimal::serde::str")]
    pub principal: Decimal,
    /// Interest due.
    #[serde(with = "rust_decimal::serde::str")]
    pub interest: Decimal,
}

impl ScheduledInstallment {
    /// An installment.
    #[must_use]
    pub fn new(due_date: NaiveDate, principal: Decimal, interest: Decimal) -> Self {
        Self { due_date, principal, interest }
    }
}

/// A loan application.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LoanApplication {
    /// The new loan's id.
    pub loan: LoanId,
    /// The product.
    pub product: ProductId,
    /// The borrower.
    pub borrower: PersonId,
    /// The date the application was made.
    pub submitted_on: NaiveDate,
    /// Principal asked for.
    #[serde(with = "rust_decimal::serde::str")]
    pub principal: Decimal,
    /// Expected disbursement date.
    pub expected_disbursement: NaiveDate,
    /// First repayment date, if not one period after disbursement.
    #[serde(default)]
    pub first_repayment_date: Option<NaiveDate>,
    /// Number of repayments, if not the product's.
    #[serde(default)]
    pub number_of_repayments: Option<u32>,
    /// Annual rate in percent, if not the product's.
    #[serde(default, with = "rust_decimal::serde::str_option")]
    pub annual_interest_rate_percent: Option<Decimal>,
    /// An explicit schedule (migration); when absent the schedule engine
    /// generates it from the terms, again at disbursement.
    #[serde(default)]
    pub schedule: Option<Vec<ScheduledInstallment>>,
}

impl LoanApplication {
    /// An application with the product's term and rate.
    #[must_use]
    pub fn new(
        loan: LoanId,
        product: ProductId,
        borrower: PersonId,
        submitted_on: NaiveDate,
        principal: Decimal,
        expected_disbursement: NaiveDate,
    ) -> Self {
        Self {
            loan,
            product,
            borrower,
            submitted_on,
            principal,
            expected_disbursement,
            first_repayment_date: None,
            number_of_repayments: None,
            annual_interest_rate_percent: None,
            schedule: None,
        }
    }

    /// The loan's terms: the product's template with this application's
    /// principal, dates, and optional rate and term.
    #[must_use]
    pub fn terms(&self, product: &LoanProduct) -> LoanTerms {
        let mut terms = product.terms.clone();
        terms.principal = self.principal;
        terms.disbursement_date = self.expected_disbursement;
        terms.first_repayment_date = self.first_repayment_date;
        if let Some(n) = self.number_of_repayments {
            terms.number_of_repayments = n;
        }
        if let Some(rate) = self.annual_interest_rate_percent {
            terms.annual_interest_rate_percent = rate;
        }
        terms
    }
}

/// Who paid a repayment: the borrower, another person, or a group (for
/// tanggung renteng, where the group covers a member's installment and the
/// member's own arrears must stay visible).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Payer {
    /// The borrower.
    #[default]
    Borrower,
    /// Another person (a guarantor, a relative).
    Person(PersonId),
    /// A group or other organisation (a kelompok under joint liability).
    Group(OrganizationId),
}

/// A repayment (or payoff, or recovery) request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Repayment {
    /// The loan.
    pub loan: LoanId,
    /// The journal entry's id: the idempotency key.
    pub entry: EntryId,
    /// The value date.
    pub date: NaiveDate,
    /// The amount received (ignored by a payoff, which pays the quote).
    #[serde(with = "rust_decimal::serde::str")]
    pub amount: Decimal,
    /// Who paid.
    #[serde(default)]
    pub payer: Payer,
}

impl Repayment {
    /// A repayment by the borrower.
    #[must_use]
    pub fn new(loan: LoanId, entry: EntryId, date: NaiveDate, amount: Decimal) -> Self {
        Self { loan, entry, date, amount, payer: Payer::Borrower }
    }

    /// The same repayment, paid by `payer`.
    #[must_use]
    pub fn paid_by(self, payer: Payer) -> Self {
        Self { payer, ..self }
    }
}

/// Amounts per loan component.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Components {
    /// Principal.
    #[serde(with = "rust_decimal::serde::str")]
    pub principal: Decimal,
    /// Interest.
    #[serde(with = "rust_decimal::serde::str")]
    pub interest: Decimal,
    /// Fees.
    #[serde(with = "rust_decimal::serde::str")]
    pub fee: Decimal,
    /// Penalties.
    #[serde(with = "rust_decimal::serde::str")]
    pub penalty: Decimal,
}

/// One loan component.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(clippy::exhaustive_enums)] // closed set: the four components Fineract allocates
pub enum Component {
    /// Principal.
    Principal,
    /// Interest.
    Interest,
    /// Fee.
    Fee,
    /// Penalty.
    Penalty,
}

impl Components {
    /// Zero in every component.
    pub const ZERO: Self = Self {
        principal: Decimal::ZERO,
        interest: Decimal::ZERO,
        fee: Decimal::ZERO,
        penalty: Decimal::ZERO,
    };

    /// The amount of one component.
    #[must_use]
    pub fn get(&self, c: Component) -> Decimal {
        match c {
            Component::Principal => self.principal,
            Component::Interest => self.interest,
            Component::Fee => self.fee,
            Component::Penalty => self.penalty,
        }
    }

    fn get_mut(&mut self, c: Component) -> &mut Decimal {
        match c {
            Component::Principal => &mut self.principal,
            Component::Interest => &mut self.interest,
            Component::Fee => &mut self.fee,
            Component::Penalty => &mut self.penalty,
        }
    }

    /// The sum of the components.
    ///
    /// # Errors
    ///
    /// [`LedgerError::Overflow`].
    pub fn total(&self) -> Result<Decimal, LedgerError> {
        add(add(add(self.principal, self.interest)?, self.fee)?, self.penalty)
    }

    /// Component-wise sum.
    ///
    /// # Errors
    ///
    /// [`LedgerError::Overflow`].
    pub fn checked_add(&self, other: &Self) -> Result<Self, LedgerError> {
        Ok(Self {
            principal: add(self.principal, other.principal)?,
            interest: add(self.interest, other.interest)?,
            fee: add(self.fee, other.fee)?,
            penalty: add(self.penalty, other.penalty)?,
        })
    }

    /// Component-wise difference.
    ///
    /// # Errors
    ///
    /// [`LedgerError::Overflow`].
    pub fn checked_sub(&self, other: &Self) -> Result<Self, LedgerError> {
        Ok(Self {
            principal: sub(self.principal, other.principal)?,
            interest: sub(self.interest, other.interest)?,
            fee: sub(self.fee, other.fee)?,
            penalty: sub(self.penalty, other.penalty)?,
        })
    }

    fn saturating_add(&self, other: &Self) -> Self {
        Self {
            principal: self.principal.saturating_add(other.principal),
            interest: self.interest.saturating_add(other.interest),
            fee: self.fee.saturating_add(other.fee),
            penalty: self.penalty.saturating_add(other.penalty),
        }
    }

    /// Whether every component is zero.
    #[must_use]
    pub fn is_zero(&self) -> bool {
        self.principal.is_zero()
            && self.interest.is_zero()
            && self.fee.is_zero()
            && self.penalty.is_zero()
    }
}

/// One installment of a loan with what is due, paid and waived.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LoanInstallment {
    /// 1-based number.
    pub n: u32,
    /// Start of the period.
    pub from_date: NaiveDate,
    /// Due date.
    pub due_date: NaiveDate,
    /// What is due.
    pub due: Components,
    /// What was paid.
    pub paid: Components,
    /// What was waived (payoff, write-off).
    pub waived: Components,
    /// Whether the late penalty was charged.
    #[serde(default)]
    pub penalty_charged: bool,
}

impl LoanInstallment {
    /// What is still owed: due − paid − waived.
    ///
    /// # Errors
    ///
    /// [`LedgerError::Overflow`].
    pub fn outstanding(&self) -> Result<Components, LedgerError> {
        self.due.checked_sub(&self.paid)?.checked_sub(&self.waived)
    }

    fn is_settled(&self) -> bool {
        self.outstanding().map(|o| o.is_zero()).unwrap_or(false)
    }
}

/// What a transaction put on one installment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct InstallmentAmounts {
    /// The installment number.
    pub n: u32,
    /// The amounts.
    pub amounts: Components,
}

/// How a repayment was split.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Allocation {
    /// Per installment, in the order paid.
    pub installments: Vec<InstallmentAmounts>,
    /// Totals per component.
    pub total: Components,
    /// Received beyond what was owed (to the overpayment liability).
    #[serde(with = "rust_decimal::serde::str")]
    pub overpayment: Decimal,
}

/// What kind of loan transaction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum LoanTransactionKind {
    /// Money out to the borrower.
    Disbursement,
    /// A repayment.
    Repayment,
    /// A payoff of the whole loan.
    Payoff,
    /// A write-off.
    WriteOff,
    /// Money recovered after a write-off.
    Recovery,
}

/// A loan transaction, as recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct LoanTransaction {
    /// Its journal entry, if it posted one.
    pub entry: Option<EntryId>,
    /// What it was.
    pub kind: LoanTransactionKind,
    /// The value date.
    pub date: NaiveDate,
    /// The amount.
    #[serde(with = "rust_decimal::serde::str")]
    pub amount: Decimal,
    /// Who paid (repayments, payoffs, recoveries).
    #[serde(default)]
    pub payer: Option<Payer>,
    /// How it was allocated (repayments, payoffs).
    #[serde(default)]
    pub allocation: Allocation,
    /// What it waived (payoff: future interest; write-off: everything left).
    #[serde(default)]
    pub waived: Vec<InstallmentAmounts>,
}

/// Where a loan is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum LoanStatus {
    /// Applied for.
    Submitted,
    /// Approved, not yet disbursed.
    Approved,
    /// Disbursed and being repaid.
    Active,
    /// Fully repaid with money left over (owed back to the borrower).
    Overpaid,
    /// Fully repaid or paid off.
    Closed,
    /// Written off; recoveries may still come in.
    WrittenOff,
    /// Written off and closed.
    ClosedWrittenOff,
}

/// A payoff quote: what settles the loan on a date. No interest
/// recalculation: interest of periods already started (overdue, due, and the
/// current period) is owed in full; interest of later periods is waived.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PayoffQuote {
    /// The date quoted for.
    pub date: NaiveDate,
    /// What is owed, per component.
    pub owed: Components,
    /// The total to pay.
    #[serde(with = "rust_decimal::serde::str")]
    pub total: Decimal,
    /// Future interest waived on payoff.
    #[serde(with = "rust_decimal::serde::str")]
    pub waived_interest: Decimal,
    /// Per installment owed (for the allocation).
    pub installments: Vec<InstallmentAmounts>,
    /// Per installment waived.
    pub waived: Vec<InstallmentAmounts>,
}

/// A loan: its terms, schedule with per-installment paid and outstanding
/// components, transactions (each with its payer) and status.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Loan {
    id: LoanId,
    product: ProductId,
    borrower: PersonId,
    currency: Currency,
    terms: LoanTerms,
    status: LoanStatus,
    submitted_on: NaiveDate,
    approved_on: Option<NaiveDate>,
    disbursed_on: Option<NaiveDate>,
    closed_on: Option<NaiveDate>,
    imported_schedule: bool,
    installments: Vec<LoanInstallment>,
    transactions: Vec<LoanTransaction>,
    /// Index of the oldest installment not settled (all settled: len).
    first_unsettled: usize,
    written_off: Decimal,
    recovered: Decimal,
    overpaid: Decimal,
    /// Principal still owed, kept incrementally for portfolio reports.
    principal_outstanding: Decimal,
    last_date: NaiveDate,
}

impl Loan {
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn submitted(
        id: LoanId,
        product: ProductId,
        borrower: PersonId,
        currency: Currency,
        terms: LoanTerms,
        submitted_on: NaiveDate,
        installments: Vec<LoanInstallment>,
        imported_schedule: bool,
    ) -> Self {
        Self {
            id,
            product,
            borrower,
            currency,
            terms,
            status: LoanStatus::Submitted,
            submitted_on,
            approved_on: None,
            disbursed_on: None,
            closed_on: None,
            imported_schedule,
            installments,
            transactions: Vec::new(),
            first_unsettled: 0,
            written_off: Decimal::ZERO,
            recovered: Decimal::ZERO,
            overpaid: Decimal::ZERO,
            principal_outstanding: Decimal::ZERO,
            last_date: submitted_on,
        }
    }

    /// The loan's id.
    #[must_use]
    pub fn id(&self) -> LoanId {
        self.id
    }
    /// Its product.
    #[must_use]
    pub fn product(&self) -> ProductId {
        self.product
    }
    /// The borrower.
    #[must_use]
    pub fn borrower(&self) -> PersonId {
        self.borrower
    }
    /// Its currency.
    #[must_use]
    pub fn currency(&self) -> Currency {
        self.currency
    }
    /// Its terms.
    #[must_use]
    pub fn terms(&self) -> &LoanTerms {
        &self.terms
    }
    /// Its status.
    #[must_use]
    pub fn status(&self) -> LoanStatus {
        self.status
    }
    /// The date it was submitted.
    #[must_use]
    pub fn submitted_on(&self) -> NaiveDate {
        self.submitted_on
    }
    /// The date it was approved.
    #[must_use]
    pub fn approved_on(&self) -> Option<NaiveDate> {
        self.approved_on
    }
    /// The date it was disbursed.
    #[must_use]
    pub fn disbursed_on(&self) -> Option<NaiveDate> {
        self.disbursed_on
    }
    /// The date it was closed.
    #[must_use]
    pub fn closed_on(&self) -> Option<NaiveDate> {
        self.closed_on
    }
    /// Whether the schedule was given explicitly rather than generated.
    #[must_use]
    pub fn has_imported_schedule(&self) -> bool {
        self.imported_schedule
    }
    /// The installments with due, paid, waived components.
    #[must_use]
    pub fn installments(&self) -> &[LoanInstallment] {
        &self.installments
    }
    /// Its transactions in order.
    #[must_use]
    pub fn transactions(&self) -> &[LoanTransaction] {
        &self.transactions
    }
    /// Principal written off.
    #[must_use]
    pub fn written_off(&self) -> Decimal {
        self.written_off
    }
    /// Recovered after write-off.
    #[must_use]
    pub fn recovered(&self) -> Decimal {
        self.recovered
    }
    /// Received beyond what was owed.
    #[must_use]
    pub fn overpaid(&self) -> Decimal {
        self.overpaid
    }
    /// The latest transaction date (submission at first).
    #[must_use]
    pub fn last_date(&self) -> NaiveDate {
        self.last_date
    }

    /// What is owed in total, per component (zero once written off).
    ///
    /// # Errors
    ///
    /// [`LedgerError::Overflow`].
    pub fn outstanding(&self) -> Result<Components, LedgerError> {
        let mut sum = Components::ZERO;
        for i in self.installments.get(self.first_unsettled..).unwrap_or_default() {
            sum = sum.checked_add(&i.outstanding()?)?;
        }
        Ok(sum)
    }

    /// Principal still owed (kept incrementally; equals
    /// `outstanding()?.principal`).
    #[must_use]
    pub fn outstanding_principal(&self) -> Decimal {
        self.principal_outstanding
    }

    /// The oldest installment due before `as_of` that is not settled.
    /// Installments are settled oldest first, so it is the first unsettled
    /// one, if that is due before `as_of`: O(1).
    #[must_use]
    pub fn oldest_overdue(&self, as_of: NaiveDate) -> Option<&LoanInstallment> {
        self.installments.get(self.first_unsettled).filter(|i| i.due_date < as_of)
    }

    pub(crate) fn check_date(&self, date: NaiveDate) -> Result<(), LedgerError> {
        if date < self.last_date {
            return Err(LedgerError::DateOutOfOrder { date, earliest: self.last_date });
        }
        Ok(())
    }

    pub(crate) fn require(
        &self,
        allowed: &[LoanStatus],
        action: &'static str,
    ) -> Result<(), LedgerError> {
        if allowed.contains(&self.status) {
            Ok(())
        } else {
            Err(LedgerError::InvalidLoanState { loan: self.id, status: self.status, action })
        }
    }

    pub(crate) fn transaction_by_entry(&self, entry: EntryId) -> Option<&LoanTransaction> {
        self.transactions.iter().find(|t| t.entry == Some(entry))
    }

    /// The payoff quote on `date`.
    ///
    /// # Errors
    ///
    /// [`LedgerError::Overflow`].
    pub fn payoff_quote(&self, date: NaiveDate) -> Result<PayoffQuote, LedgerError> {
        let mut owed = Components::ZERO;
        let mut waived_interest = Decimal::ZERO;
        let mut installments = Vec::new();
        let mut waived = Vec::new();
        for i in self.installments.get(self.first_unsettled..).unwrap_or_default() {
            let mut o = i.outstanding()?;
            if i.from_date >= date && !o.interest.is_zero() {
                waived_interest = add(waived_interest, o.interest)?;
                waived.push(InstallmentAmounts {
                    n: i.n,
                    amounts: Components { interest: o.interest, ..Components::ZERO },
                });
                o.interest = Decimal::ZERO;
            }
            if !o.is_zero() {
                owed = owed.checked_add(&o)?;
                installments.push(InstallmentAmounts { n: i.n, amounts: o });
            }
        }
        Ok(PayoffQuote { date, total: owed.total()?, owed, waived_interest, installments, waived })
    }

    /// How `amount` received on `date` would be allocated under `strategy`.
    /// Never allocates more to a component than is outstanding; the rest is
    /// overpayment.
    ///
    /// # Errors
    ///
    /// [`LedgerError::Overflow`].
    pub fn allocate(
        &self,
        amount: Decimal,
        date: NaiveDate,
        strategy: AllocationStrategy,
    ) -> Result<Allocation, LedgerError> {
        use Component::{Fee, Interest, Penalty, Principal};
        const STANDARD: [Component; 4] = [Penalty, Fee, Interest, Principal];
        const INTEREST_FIRST: [Component; 4] = [Interest, Principal, Penalty, Fee];
        let open = self.installments.get(self.first_unsettled..).unwrap_or_default();
        let mut left = amount;
        let mut per: Vec<InstallmentAmounts> = Vec::new();
        let mut pay = |inst: &LoanInstallment,
                       order: &[Component],
                       left: &mut Decimal|
         -> Result<(), LedgerError> {
            let outstanding = inst.outstanding()?;
            for &c in order {
                if left.is_zero() {
                    break;
                }
                let owed = outstanding.get(c);
                let already =
                    per.iter().find(|p| p.n == inst.n).map_or(Decimal::ZERO, |p| p.amounts.get(c));
                let owed = sub(owed, already)?;
                if owed <= Decimal::ZERO {
                    continue;
                }
                let take = owed.min(*left);
                *left = sub(*left, take)?;
                let slot = match per.iter_mut().position(|p| p.n == inst.n) {
                    Some(pos) => pos,
                    None => {
                        per.push(InstallmentAmounts { n: inst.n, amounts: Components::ZERO });
                        per.len().saturating_sub(1)
                    }
                };
                if let Some(p) = per.get_mut(slot) {
                    let v = p.amounts.get_mut(c);
                    *v = add(*v, take)?;
                }
            }
            Ok(())
        };
        match strategy {
            AllocationStrategy::PenaltyFeeInterestPrincipal => {
                for inst in open {
                    pay(inst, &STANDARD, &mut left)?;
                }
            }
            AllocationStrategy::InterestPrincipalPenaltyFee => {
                for inst in open {
                    pay(inst, &INTEREST_FIRST, &mut left)?;
                }
            }
            AllocationStrategy::OverdueInterestFirst => {
                // Overdue installments and the current one (first due on or
                // after the date).
                let current = open.iter().position(|i| i.due_date >= date).unwrap_or(open.len());
                let head =
                    open.get(..current.saturating_add(1).min(open.len())).unwrap_or_default();
                for inst in head {
                    pay(inst, &[Penalty, Fee, Interest], &mut left)?;
                }
                for inst in head {
                    pay(inst, &[Principal], &mut left)?;
                }
                for inst in open.get(head.len()..).unwrap_or_default() {
                    pay(inst, &STANDARD, &mut left)?;
                }
            }
        }
        let mut total = Components::ZERO;
        for p in &per {
            total = total.checked_add(&p.amounts)?;
        }
        per.sort_by_key(|p| p.n);
        Ok(Allocation { installments: per, total, overpayment: left })
    }

    // ---- mutators, called only from `Ledger::apply` ----

    pub(crate) fn apply_approved(&mut self, date: NaiveDate) {
        self.status = LoanStatus::Approved;
        self.approved_on = Some(date);
        self.last_date = date;
    }

    pub(crate) fn apply_disbursed(
        &mut self,
        date: NaiveDate,
        installments: &[LoanInstallment],
        transaction: LoanTransaction,
    ) {
        self.status = LoanStatus::Active;
        self.disbursed_on = Some(date);
        self.terms.disbursement_date = date;
        self.installments = installments.to_vec();
        self.transactions.push(transaction);
        self.first_unsettled = 0;
        self.last_date = date;
        self.advance();
    }

    pub(crate) fn apply_repayment(&mut self, transaction: &LoanTransaction) {
        for a in &transaction.allocation.installments {
            if let Some(i) = self.installments.iter_mut().find(|i| i.n == a.n) {
                i.paid = i.paid.saturating_add(&a.amounts);
            }
        }
        for w in &transaction.waived {
            if let Some(i) = self.installments.iter_mut().find(|i| i.n == w.n) {
                i.waived = i.waived.saturating_add(&w.amounts);
            }
        }
        self.overpaid = self.overpaid.saturating_add(transaction.allocation.overpayment);
        self.last_date = transaction.date;
        self.transactions.push(transaction.clone());
        self.advance();
        if self.first_unsettled >= self.installments.len() {
            self.status =
                if self.overpaid.is_zero() { LoanStatus::Closed } else { LoanStatus::Overpaid };
            self.closed_on = Some(transaction.date);
        }
    }

    pub(crate) fn apply_penalties(&mut self, date: NaiveDate, charges: &[InstallmentAmounts]) {
        for c in charges {
            if let Some(i) = self.installments.iter_mut().find(|i| i.n == c.n) {
                i.due.penalty = i.due.penalty.saturating_add(c.amounts.penalty);
                i.penalty_charged = true;
            }
        }
        self.last_date = date;
    }

    pub(crate) fn apply_written_off(&mut self, transaction: &LoanTransaction) {
        self.written_off = self.written_off.saturating_add(transaction.amount);
        self.status = LoanStatus::WrittenOff;
        self.apply_waivers(transaction);
    }

    pub(crate) fn apply_recovery(&mut self, transaction: &LoanTransaction) {
        self.recovered = self.recovered.saturating_add(transaction.amount);
        self.last_date = transaction.date;
        self.transactions.push(transaction.clone());
    }

    pub(crate) fn apply_closed(&mut self, date: NaiveDate) {
        self.status = LoanStatus::ClosedWrittenOff;
        self.closed_on = Some(date);
        self.last_date = date;
    }

    fn apply_waivers(&mut self, transaction: &LoanTransaction) {
        for w in &transaction.waived {
            if let Some(i) = self.installments.iter_mut().find(|i| i.n == w.n) {
                i.waived = i.waived.saturating_add(&w.amounts);
            }
        }
        self.last_date = transaction.date;
        self.transactions.push(transaction.clone());
        self.advance();
    }

    fn advance(&mut self) {
        while self.installments.get(self.first_unsettled).is_some_and(LoanInstallment::is_settled) {
            self.first_unsettled = self.first_unsettled.saturating_add(1);
        }
        // Recomputed from the installments after every change, so any
        // mutator that calls `advance` keeps it right.
        self.principal_outstanding =
            self.installments.get(self.first_unsettled..).unwrap_or_default().iter().fold(
                Decimal::ZERO,
                |sum, i| {
                    sum.saturating_add(
                        i.due
                            .principal
                            .saturating_sub(i.paid.principal)
                            .saturating_sub(i.waived.principal),
                    )
                },
            );
    }
}

/// Installments from a generated schedule.
pub(crate) fn installments_from_schedule(schedule: &Schedule) -> Vec<LoanInstallment> {
    schedule
        .installments
        .iter()
        .map(|i| LoanInstallment {
            n: i.n,
            from_date: i.from_date,
            due_date: i.due_date,
            due: Components { principal: i.principal, interest: i.interest, ..Components::ZERO },
            paid: Components::ZERO,
            waived: Components::ZERO,
            penalty_charged: false,
        })
        .collect()
}

/// Installments from an explicit schedule, checked: due dates after the
/// disbursement and increasing, amounts not negative, principal summing to
/// the loan's.
pub(crate) fn installments_from_explicit(
    rows: &[ScheduledInstallment],
    terms: &LoanTerms,
) -> Result<Vec<LoanInstallment>, LedgerError> {
    let bad = |value: String| LedgerError::InvalidProduct { field: "schedule", value };
    if rows.is_empty() {
        return Err(bad("no installments".into()));
    }
    let mut out = Vec::with_capacity(rows.len());
    let mut from = terms.disbursement_date;
    let mut principal = Decimal::ZERO;
    for (k, row) in rows.iter().enumerate() {
        if row.due_date <= from {
            return Err(bad(format!("due date {} is not after {from}", row.due_date)));
        }
        if row.principal < Decimal::ZERO || row.interest < Decimal::ZERO {
            return Err(bad(format!("negative amount on {}", row.due_date)));
        }
        principal = add(principal, row.principal)?;
        out.push(LoanInstallment {
            n: u32::try_from(k).map_or(u32::MAX, |k| k.saturating_add(1)),
            from_date: from,
            due_date: row.due_date,
            due: Components {
                principal: row.principal,
                interest: row.interest,
                ..Components::ZERO
            },
            paid: Components::ZERO,
            waived: Components::ZERO,
            penalty_charged: false,
        });
        from = row.due_date;
    }
    if principal != terms.principal {
        return Err(bad(format!("principal sums to {principal}, not {}", terms.principal)));
    }
    Ok(out)
}

impl Loan {
    /// Relief (restructuring, issue 7): closes every unsettled installment
    /// at what was paid and waived on it and appends `new`, numbered after
    /// them and carrying the rest. Outstanding principal does not change.
    pub(crate) fn apply_restructured(&mut self, date: NaiveDate, new: &[LoanInstallment]) {
        for i in self.installments.iter_mut().skip(self.first_unsettled) {
            i.due = i.paid.saturating_add(&i.waived);
        }
        self.installments.extend_from_slice(new);
        self.last_date = self.last_date.max(date);
        self.advance();
    }
}

//! The ledger: books and loans as one aggregate.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use tangguh_core::{Aggregate, Context, Currency, Money};

use crate::account::{Account, AccountCode};
use crate::arrears::{KolektibilitasTable, PortfolioReport, portfolio_report};
use crate::books::{Balance, Books, Effects, EntryIndex, TrialBalance, account_difference};
use crate::command::LedgerCommand;
use crate::entry::{JournalEntry, Posting};
use crate::error::LedgerError;
use crate::event::LedgerEvent;
use crate::ids::{EntryId, LoanId, ProductId};
use crate::loan::{
    Allocation, Components, InstallmentAmounts, Loan, LoanApplication, LoanProduct, LoanStatus,
    LoanTransaction, LoanTransactionKind, Payer, Repayment, add, installments_from_explicit,
    installments_from_schedule,
};
use crate::schedule::generate_schedule;

// Savings, groups and relief (issue 7) decide and apply here.
mod koperasi;
// The stored form: what a snapshot holds.
mod stored;

/// The double-entry books and the loans booked in them.
///
/// A [`tangguh_core::Aggregate`]: [`LedgerCommand`]s are decided into
/// [`LedgerEvent`]s without changing anything, and `apply` is the only
/// mutator, so replaying the journal gives the same books and loans.
/// Queries are methods.
///
/// # Stored form
///
/// `Ledger` is `Serialize` and `Deserialize` (for snapshots) through a
/// private, compact form that holds only the source of truth: the accounts
/// in opening order; the currencies; every entry, in an order that
/// reproduces each account's posting order, as `[id, day number,
/// description, postings]` (and for a reversal a fifth element, the id of
/// the entry it reverses) with the postings one flat list `[key, signed
/// amount, key, signed amount, …]`, a key being the account's position
/// times 256 plus the currency's position (ids and whole amounts are JSON
/// integers, an id beyond 64 bits or an amount with decimal places a
/// decimal string; never a float); the loan products; the loans; the
/// koperasi state. Balances, per-day deltas, statement lines, the entry
/// index and reversal links are rebuilt on load by posting each entry as it
/// is read (accounts and currencies come first). Loading checks what it
/// rebuilds (known accounts and currencies, balanced entries, no id twice,
/// reversals of earlier entries, loans of stored products) and returns a
/// serde error for a damaged form, never a panic. The form is internal: a
/// snapshot is valid only with the event schema version it was taken at
/// ([`LedgerEvent`]'s `SCHEMA_VERSION`); the store passes over a snapshot of
/// another version and replays the journal.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ledger {
    books: Books,
    entries: EntryIndex,
    reversed_by: BTreeMap<EntryId, EntryId>,
    products: BTreeMap<ProductId, LoanProduct>,
    loans: BTreeMap<LoanId, Loan>,
    koperasi: crate::koperasi::Koperasi,
}

/// A line of an account statement.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct StatementLine {
    /// The value date.
    pub date: NaiveDate,
    /// The entry.
    pub entry: EntryId,
    /// Its description.
    pub description: String,
    /// The entry's debits minus credits on the account.
    pub amount: Decimal,
    /// Debits minus credits after this line.
    pub running: Decimal,
}

/// An account statement in one currency over a date range.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[non_exhaustive]
pub struct Statement {
    /// The account.
    pub account: AccountCode,
    /// The currency.
    pub currency: Currency,
    /// Debits minus credits before `from`.
    pub opening: Decimal,
    /// The lines, by date then posting order.
    pub lines: Vec<StatementLine>,
    /// Debits minus credits at the end of `to`.
    pub closing: Decimal,
}

/// What an entry with a given id would be to the ledger.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum EntryStatus<'a> {
    /// The id is new.
    New,
    /// The same entry is already posted: the original (TigerBeetle's
    /// `exists`, handled as "created").
    Exists(&'a JournalEntry),
}

impl serde::Serialize for Ledger {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        stored::Stored::from(self).serialize(serializer)
    }
}

impl<'de> serde::Deserialize<'de> for Ledger {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        stored::deserialize(deserializer)
    }
}

fn overflow(operation: &'static str) -> LedgerError {
    LedgerError::Overflow { operation }
}

impl Ledger {
    /// Empty books.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    // ---------------------------------------------------------------- queries

    /// An account by code.
    #[must_use]
    pub fn account(&self, code: &AccountCode) -> Option<&Account> {
        self.books.account(code)
    }

    /// The chart of accounts.
    pub fn accounts(&self) -> impl Iterator<Item = &Account> {
        self.books.accounts()
    }

    /// A posted entry.
    #[must_use]
    pub fn entry(&self, id: EntryId) -> Option<&JournalEntry> {
        self.entries.get(&id)
    }

    /// Every posted entry, by id.
    pub fn entries(&self) -> impl Iterator<Item = &JournalEntry> {
        self.entries.values()
    }

    /// The entry that reversed `id`, if any.
    #[must_use]
    pub fn reversal_of(&self, id: EntryId) -> Option<EntryId> {
        self.reversed_by.get(&id).copied()
    }

    /// Whether `entry` is new, or the same as a posted one.
    ///
    /// # Errors
    ///
    /// [`LedgerError::ExistsWithDifferentField`] when the id is posted with
    /// other content, naming the first differing field.
    pub fn entry_status(&self, entry: &JournalEntry) -> Result<EntryStatus<'_>, LedgerError> {
        match self.entries.get(&entry.id()) {
            None => Ok(EntryStatus::New),
            Some(existing) => match existing.first_difference(entry) {
                None => Ok(EntryStatus::Exists(existing)),
                Some(field) => {
                    Err(LedgerError::ExistsWithDifferentField { id: entry.id().to_string(), field })
                }
            },
        }
    }

    /// The balance of `account` in `currency` over all postings.
    ///
    /// # Errors
    ///
    /// [`LedgerError::UnknownAccount`].
    pub fn balance(
        &self,
        account: &AccountCode,
        currency: Currency,
    ) -> Result<Balance, LedgerError> {
        self.books.balance(account, currency, None)
    }

    /// The balance of `account` in `currency` at the end of `date` (value
    /// dates).
    ///
    /// # Errors
    ///
    /// [`LedgerError::UnknownAccount`]; [`LedgerError::Overflow`].
    pub fn balance_as_of(
        &self,
        account: &AccountCode,
        currency: Currency,
        date: NaiveDate,
    ) -> Result<Balance, LedgerError> {
        self.books.balance(account, currency, Some(date))
    }

    /// The trial balance over all postings.
    ///
    /// # Errors
    ///
    /// [`LedgerError::Overflow`].
    pub fn trial_balance(&self) -> Result<TrialBalance, LedgerError> {
        self.books.trial_balance(None)
    }

    /// The trial balance at the end of `date`.
    ///
    /// # Errors
    ///
    /// [`LedgerError::Overflow`].
    pub fn trial_balance_as_of(&self, date: NaiveDate) -> Result<TrialBalance, LedgerError> {
        self.books.trial_balance(Some(date))
    }

    /// The statement of `account` in `currency` from `from` to `to`
    /// (inclusive).
    ///
    /// # Errors
    ///
    /// [`LedgerError::UnknownAccount`]; [`LedgerError::Overflow`].
    pub fn statement(
        &self,
        account: &AccountCode,
        currency: Currency,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Statement, LedgerError> {
        let opening = match from.pred_opt() {
            Some(day) => self.books.balance(account, currency, Some(day))?.net,
            None => Decimal::ZERO,
        };
        let mut rows: Vec<(NaiveDate, EntryId)> = self
            .books
            .entry_lines(account)?
            .iter()
            .filter(|(d, _)| *d >= from && *d <= to)
            .copied()
            .collect();
        rows.sort_by_key(|(d, _)| *d);
        let mut running = opening;
        let mut lines = Vec::with_capacity(rows.len());
        for (date, id) in rows {
            let Some(entry) = self.entries.get(&id) else { continue };
            let mut amount = Decimal::ZERO;
            for p in entry.postings().iter().filter(|p| &p.account == account) {
                if p.amount.currency() == currency {
                    amount = amount
                        .checked_add(p.signed_amount())
                        .ok_or_else(|| overflow("statement"))?;
                }
            }
            if amount.is_zero() && !entry.postings().iter().any(|p| p.amount.currency() == currency)
            {
                continue;
            }
            running = running.checked_add(amount).ok_or_else(|| overflow("statement"))?;
            lines.push(StatementLine {
                date,
                entry: id,
                description: entry.description().to_owned(),
                amount,
                running,
            });
        }
        Ok(Statement { account: account.clone(), currency, opening, lines, closing: running })
    }

    /// A loan product.
    #[must_use]
    pub fn product(&self, id: ProductId) -> Option<&LoanProduct> {
        self.products.get(&id)
    }

    /// A loan.
    #[must_use]
    pub fn loan(&self, id: LoanId) -> Option<&Loan> {
        self.loans.get(&id)
    }

    /// Every loan, by id.
    pub fn loans(&self) -> impl Iterator<Item = &Loan> {
        self.loans.values()
    }

    /// Portfolio quality in `currency` as of `as_of`: PAR-1/30/60/90,
    /// kolektibilitas classes under `table`, NPL ratio.
    ///
    /// # Errors
    ///
    /// [`LedgerError::Overflow`].
    pub fn portfolio_report(
        &self,
        as_of: NaiveDate,
        currency: Currency,
        table: &KolektibilitasTable,
    ) -> Result<PortfolioReport, LedgerError> {
        portfolio_report(self.loans.values(), as_of, currency, table)
    }

    // ---------------------------------------------------------------- deciding

    fn not_future(date: NaiveDate, context: &Context) -> Result<(), LedgerError> {
        let today = context.today();
        if date > today {
            return Err(LedgerError::FutureDate { date, today });
        }
        Ok(())
    }

    /// Checks a new entry against the books: accounts, overflow, limits,
    /// reversal link.
    fn check_new_entry(&self, entry: &JournalEntry) -> Result<(), LedgerError> {
        if let Some(original_id) = entry.reverses() {
            let original = self
                .entries
                .get(&original_id)
                .ok_or(LedgerError::UnknownEntry { entry: original_id })?;
            if let Some(&reversal) = self.reversed_by.get(&original_id) {
                return Err(LedgerError::AlreadyReversed { entry: original_id, reversal });
            }
            if !original.mirrors(entry) {
                return Err(LedgerError::NotAMirror { entry: original_id, reversal: entry.id() });
            }
            if entry.date() < original.date() {
                return Err(LedgerError::ReversalBeforeOriginal {
                    date: entry.date(),
                    original_date: original.date(),
                });
            }
        }
        let mut effects = Effects::new();
        self.books.effects(entry, &mut effects)?;
        self.books.check_limits(&effects)
    }

    fn decide_post(
        &self,
        entry: &JournalEntry,
        context: &Context,
    ) -> Result<Vec<LedgerEvent>, LedgerError> {
        if let EntryStatus::Exists(_) = self.entry_status(entry)? {
            return Ok(Vec::new());
        }
        Self::not_future(entry.date(), context)?;
        self.check_new_entry(entry)?;
        Ok(vec![LedgerEvent::EntryPosted(entry.clone())])
    }

    fn decide_open(&self, account: &Account) -> Result<Vec<LedgerEvent>, LedgerError> {
        match self.books.account(&account.code) {
            None => Ok(vec![LedgerEvent::AccountOpened(account.clone())]),
            Some(existing) => match account_difference(existing, account) {
                None => Ok(Vec::new()),
                Some(field) => Err(LedgerError::ExistsWithDifferentField {
                    id: account.code.to_string(),
                    field,
                }),
            },
        }
    }

    fn decide_product(&self, product: &LoanProduct) -> Result<Vec<LedgerEvent>, LedgerError> {
        if let Some(existing) = self.products.get(&product.id) {
            return if existing == product {
                Ok(Vec::new())
            } else {
                Err(LedgerError::ExistsWithDifferentField {
                    id: product.id.to_string(),
                    field: product_difference(existing, product),
                })
            };
        }
        product.check()?;
        for (role, code, expected) in product.accounts.roles() {
            let account = self
                .books
                .account(code)
                .ok_or_else(|| LedgerError::UnknownAccount { account: code.clone() })?;
            if account.kind != expected {
                return Err(LedgerError::WrongAccountType {
                    account: code.clone(),
                    role,
                    expected,
                    found: account.kind,
                });
            }
        }
        Ok(vec![LedgerEvent::ProductDefined(product.clone())])
    }

    fn decide_submit(
        &self,
        app: &LoanApplication,
        context: &Context,
    ) -> Result<Vec<LedgerEvent>, LedgerError> {
        let product = self
            .products
            .get(&app.product)
            .ok_or(LedgerError::UnknownProduct { product: app.product })?;
        if let Some(existing) = self.loans.get(&app.loan) {
            let field = if existing.product() != app.product {
                Some("product")
            } else if existing.borrower() != app.borrower {
                Some("borrower")
            } else if existing.submitted_on() != app.submitted_on {
                Some("submitted_on")
            } else if existing.terms() != &app.terms(product) {
                Some("terms")
            } else {
                None
            };
            return match field {
                None => Ok(Vec::new()),
                Some(field) => {
                    Err(LedgerError::ExistsWithDifferentField { id: app.loan.to_string(), field })
                }
            };
        }
        Self::not_future(app.submitted_on, context)?;
        if app.principal <= Decimal::ZERO {
            return Err(LedgerError::AmountNotPositive {
                field: "principal",
                amount: app.principal,
            });
        }
        let amount = Money::new(app.principal, product.currency);
        if app.principal.normalize().scale() > product.currency.minor_digits() {
            return Err(LedgerError::TooManyDecimals { amount });
        }
        let terms = app.terms(product);
        let (installments, imported) = match &app.schedule {
            Some(rows) => (installments_from_explicit(rows, &terms)?, true),
            None => (installments_from_schedule(&generate_schedule(&terms)?), false),
        };
        Ok(vec![LedgerEvent::LoanSubmitted {
            loan: app.loan,
            product: app.product,
            borrower: app.borrower,
            currency: product.currency,
            submitted_on: app.submitted_on,
            terms,
            installments,
            imported_schedule: imported,
        }])
    }

    fn loan_and_product(&self, id: LoanId) -> Result<(&Loan, &LoanProduct), LedgerError> {
        let loan = self.loans.get(&id).ok_or(LedgerError::UnknownLoan { loan: id })?;
        let product = self
            .products
            .get(&loan.product())
            .ok_or(LedgerError::UnknownProduct { product: loan.product() })?;
        Ok((loan, product))
    }

    /// For a command carrying an entry id: `Some(no events)` when it is a
    /// retry of the same loan transaction, an error when the id is used by
    /// something else, `None` when it is new.
    fn loan_retry(
        &self,
        loan: &Loan,
        entry: EntryId,
        kind: LoanTransactionKind,
        date: NaiveDate,
        amount: Option<Decimal>,
        payer: Option<Payer>,
    ) -> Result<Option<Vec<LedgerEvent>>, LedgerError> {
        if !self.entries.contains_key(&entry) {
            return Ok(None);
        }
        let differ =
            |field| Err(LedgerError::ExistsWithDifferentField { id: entry.to_string(), field });
        let Some(tx) = loan.transaction_by_entry(entry) else { return differ("loan") };
        if tx.kind != kind {
            return differ("kind");
        }
        if tx.date != date {
            return differ("date");
        }
        if amount.is_some_and(|a| a != tx.amount) {
            return differ("amount");
        }
        if tx.payer != payer {
            return differ("payer");
        }
        Ok(Some(Vec::new()))
    }

    fn money_in(
        &self,
        loan: &Loan,
        amount: Decimal,
        field: &'static str,
    ) -> Result<Money, LedgerError> {
        if amount <= Decimal::ZERO {
            return Err(LedgerError::AmountNotPositive { field, amount });
        }
        let money = Money::new(amount, loan.currency());
        if amount.normalize().scale() > loan.currency().minor_digits() {
            return Err(LedgerError::TooManyDecimals { amount: money });
        }
        Ok(money)
    }

    fn decide_approve(
        &self,
        id: LoanId,
        date: NaiveDate,
        context: &Context,
    ) -> Result<Vec<LedgerEvent>, LedgerError> {
        let (loan, _) = self.loan_and_product(id)?;
        if loan.status() == LoanStatus::Approved && loan.approved_on() == Some(date) {
            return Ok(Vec::new());
        }
        loan.require(&[LoanStatus::Submitted], "approve")?;
        Self::not_future(date, context)?;
        loan.check_date(date)?;
        Ok(vec![LedgerEvent::LoanApproved { loan: id, date }])
    }

    fn decide_disburse(
        &self,
        id: LoanId,
        entry_id: EntryId,
        date: NaiveDate,
        context: &Context,
    ) -> Result<Vec<LedgerEvent>, LedgerError> {
        let (loan, product) = self.loan_and_product(id)?;
        if let Some(retry) =
            self.loan_retry(loan, entry_id, LoanTransactionKind::Disbursement, date, None, None)?
        {
            return Ok(retry);
        }
        loan.require(&[LoanStatus::Approved], "disburse")?;
        Self::not_future(date, context)?;
        loan.check_date(date)?;
        let mut terms = loan.terms().clone();
        let installments = if loan.has_imported_schedule() {
            if loan.installments().first().is_some_and(|i| i.due_date <= date) {
                return Err(LedgerError::DateOutOfOrder {
                    date,
                    earliest: loan.installments().first().map_or(date, |i| i.from_date),
                });
            }
            let mut rows = loan.installments().to_vec();
            if let Some(first) = rows.first_mut() {
                first.from_date = date;
            }
            rows
        } else {
            terms.disbursement_date = date;
            installments_from_schedule(&generate_schedule(&terms)?)
        };
        let principal = terms.principal;
        let currency = loan.currency();
        let acc = &product.accounts;
        let mut postings = vec![
            Posting::debit(acc.loan_portfolio.clone(), Money::new(principal, currency)),
            Posting::credit(acc.fund_source.clone(), Money::new(principal, currency)),
        ];
        let mut fees = Decimal::ZERO;
        for fee in &product.fees {
            let amount = fee.amount.on(principal, terms.digits_after_decimal)?;
            if amount > Decimal::ZERO {
                fees = add(fees, amount)?;
            }
        }
        if fees > Decimal::ZERO {
            postings.push(Posting::debit(acc.fund_source.clone(), Money::new(fees, currency)));
            postings.push(Posting::credit(acc.fee_income.clone(), Money::new(fees, currency)));
        }
        let entry =
            JournalEntry::try_new(entry_id, date, format!("disbursement of loan {id}"), postings)?;
        self.check_new_entry(&entry)?;
        let transaction = LoanTransaction {
            entry: Some(entry_id),
            kind: LoanTransactionKind::Disbursement,
            date,
            amount: principal,
            payer: None,
            allocation: Allocation {
                total: Components { fee: fees, ..Components::ZERO },
                ..Allocation::default()
            },
            waived: Vec::new(),
        };
        Ok(vec![LedgerEvent::LoanDisbursed { loan: id, date, installments, transaction, entry }])
    }

    fn repayment_entry(
        product: &LoanProduct,
        currency: Currency,
        r: &Repayment,
        received: Decimal,
        allocation: &Allocation,
        description: String,
    ) -> Result<JournalEntry, LedgerError> {
        let acc = &product.accounts;
        let m = |a: Decimal| Money::new(a, currency);
        let mut postings = vec![Posting::debit(acc.fund_source.clone(), m(received))];
        for (code, amount) in [
            (&acc.loan_portfolio, allocation.total.principal),
            (&acc.interest_income, allocation.total.interest),
            (&acc.fee_income, allocation.total.fee),
            (&acc.penalty_income, allocation.total.penalty),
            (&acc.overpayment, allocation.overpayment),
        ] {
            if amount > Decimal::ZERO {
                postings.push(Posting::credit(code.clone(), m(amount)));
            }
        }
        JournalEntry::try_new(r.entry, r.date, description, postings)
    }

    fn decide_repay(
        &self,
        r: &Repayment,
        payoff: bool,
        context: &Context,
    ) -> Result<Vec<LedgerEvent>, LedgerError> {
        let (loan, product) = self.loan_and_product(r.loan)?;
        let kind =
            if payoff { LoanTransactionKind::Payoff } else { LoanTransactionKind::Repayment };
        let amount = if payoff { None } else { Some(r.amount) };
        if let Some(retry) = self.loan_retry(loan, r.entry, kind, r.date, amount, Some(r.payer))? {
            return Ok(retry);
        }
        loan.require(&[LoanStatus::Active], if payoff { "pay off" } else { "repay" })?;
        Self::not_future(r.date, context)?;
        loan.check_date(r.date)?;
        let (received, allocation, waived) = if payoff {
            let quote = loan.payoff_quote(r.date)?;
            let allocation = Allocation {
                installments: quote.installments,
                total: quote.owed,
                overpayment: Decimal::ZERO,
            };
            (quote.total, allocation, quote.waived)
        } else {
            self.money_in(loan, r.amount, "amount")?;
            (r.amount, loan.allocate(r.amount, r.date, product.allocation)?, Vec::new())
        };
        let description =
            format!("{} of loan {}", if payoff { "payoff" } else { "repayment" }, r.loan);
        let transaction = LoanTransaction {
            entry: Some(r.entry),
            kind,
            date: r.date,
            amount: received,
            payer: Some(r.payer),
            allocation,
            waived,
        };
        if received.is_zero() {
            // A payoff when only waived future interest is left: nothing
            // moves, but the loan closes.
            return Ok(vec![LedgerEvent::RepaymentReceived {
                loan: r.loan,
                transaction,
                entry: None,
            }]);
        }
        let entry = Self::repayment_entry(
            product,
            loan.currency(),
            r,
            received,
            &transaction.allocation,
            description,
        )?;
        self.check_new_entry(&entry)?;
        Ok(vec![LedgerEvent::RepaymentReceived { loan: r.loan, transaction, entry: Some(entry) }])
    }

    fn decide_penalties(
        &self,
        id: LoanId,
        as_of: NaiveDate,
        context: &Context,
    ) -> Result<Vec<LedgerEvent>, LedgerError> {
        let (loan, product) = self.loan_and_product(id)?;
        loan.require(&[LoanStatus::Active], "charge penalties")?;
        Self::not_future(as_of, context)?;
        loan.check_date(as_of)?;
        let Some(penalty) = product.late_penalty else { return Ok(Vec::new()) };
        let mut charges = Vec::new();
        for i in loan.installments() {
            let late =
                i.due_date.checked_add_days(chrono::Days::new(u64::from(penalty.grace_days)));
            if i.penalty_charged || late.is_none_or(|late| late >= as_of) {
                continue;
            }
            let o = i.outstanding()?;
            let base = add(o.principal, o.interest)?;
            if base <= Decimal::ZERO {
                continue;
            }
            let amount = penalty.amount.on(base, loan.terms().digits_after_decimal)?;
            if amount > Decimal::ZERO {
                charges.push(InstallmentAmounts {
                    n: i.n,
                    amounts: Components { penalty: amount, ..Components::ZERO },
                });
            }
        }
        if charges.is_empty() {
            return Ok(Vec::new());
        }
        Ok(vec![LedgerEvent::PenaltiesCharged { loan: id, date: as_of, charges }])
    }

    fn decide_write_off(
        &self,
        id: LoanId,
        entry_id: EntryId,
        date: NaiveDate,
        context: &Context,
    ) -> Result<Vec<LedgerEvent>, LedgerError> {
        let (loan, product) = self.loan_and_product(id)?;
        if loan.status() == LoanStatus::WrittenOff
            && loan.transactions().iter().any(|t| {
                t.kind == LoanTransactionKind::WriteOff
                    && t.date == date
                    && t.entry == Some(entry_id)
            })
        {
            return Ok(Vec::new());
        }
        if let Some(retry) =
            self.loan_retry(loan, entry_id, LoanTransactionKind::WriteOff, date, None, None)?
        {
            return Ok(retry);
        }
        loan.require(&[LoanStatus::Active], "write off")?;
        Self::not_future(date, context)?;
        loan.check_date(date)?;
        let mut waived = Vec::new();
        for i in loan.installments() {
            let o = i.outstanding()?;
            if !o.is_zero() {
                waived.push(InstallmentAmounts { n: i.n, amounts: o });
            }
        }
        let principal = loan.outstanding()?.principal;
        let entry = if principal > Decimal::ZERO {
            let m = Money::new(principal, loan.currency());
            let entry = JournalEntry::try_new(
                entry_id,
                date,
                format!("write-off of loan {id}"),
                vec![
                    Posting::debit(product.accounts.losses_written_off.clone(), m),
                    Posting::credit(product.accounts.loan_portfolio.clone(), m),
                ],
            )?;
            self.check_new_entry(&entry)?;
            Some(entry)
        } else {
            None
        };
        let transaction = LoanTransaction {
            entry: entry.as_ref().map(JournalEntry::id),
            kind: LoanTransactionKind::WriteOff,
            date,
            amount: principal,
            payer: None,
            allocation: Allocation::default(),
            waived,
        };
        Ok(vec![LedgerEvent::LoanWrittenOff { loan: id, transaction, entry }])
    }

    fn decide_recover(
        &self,
        r: &Repayment,
        context: &Context,
    ) -> Result<Vec<LedgerEvent>, LedgerError> {
        let (loan, product) = self.loan_and_product(r.loan)?;
        if let Some(retry) = self.loan_retry(
            loan,
            r.entry,
            LoanTransactionKind::Recovery,
            r.date,
            Some(r.amount),
            Some(r.payer),
        )? {
            return Ok(retry);
        }
        loan.require(&[LoanStatus::WrittenOff], "recover")?;
        Self::not_future(r.date, context)?;
        loan.check_date(r.date)?;
        let m = self.money_in(loan, r.amount, "amount")?;
        let entry = JournalEntry::try_new(
            r.entry,
            r.date,
            format!("recovery on loan {}", r.loan),
            vec![
                Posting::debit(product.accounts.fund_source.clone(), m),
                Posting::credit(product.accounts.income_from_recovery.clone(), m),
            ],
        )?;
        self.check_new_entry(&entry)?;
        let transaction = LoanTransaction {
            entry: Some(r.entry),
            kind: LoanTransactionKind::Recovery,
            date: r.date,
            amount: r.amount,
            payer: Some(r.payer),
            allocation: Allocation::default(),
            waived: Vec::new(),
        };
        Ok(vec![LedgerEvent::RecoveryReceived { loan: r.loan, transaction, entry }])
    }

    fn decide_close(
        &self,
        id: LoanId,
        date: NaiveDate,
        context: &Context,
    ) -> Result<Vec<LedgerEvent>, LedgerError> {
        let (loan, _) = self.loan_and_product(id)?;
        if loan.status() == LoanStatus::ClosedWrittenOff && loan.closed_on() == Some(date) {
            return Ok(Vec::new());
        }
        loan.require(&[LoanStatus::WrittenOff], "close")?;
        Self::not_future(date, context)?;
        loan.check_date(date)?;
        Ok(vec![LedgerEvent::LoanClosed { loan: id, date }])
    }

    // ---------------------------------------------------------------- applying

    fn apply_entry(&mut self, entry: &JournalEntry) {
        if self.entries.contains_key(&entry.id()) {
            return;
        }
        let mut effects = Effects::new();
        if self.books.effects(entry, &mut effects).is_ok() {
            self.books.commit(entry, &effects);
        }
        if let Some(original) = entry.reverses() {
            self.reversed_by.insert(original, entry.id());
        }
        self.entries.insert(entry.id(), entry.clone());
    }
}

fn product_difference(existing: &LoanProduct, new: &LoanProduct) -> &'static str {
    if existing.currency != new.currency {
        "currency"
    } else if existing.accounts != new.accounts {
        "accounts"
    } else if existing.terms != new.terms {
        "terms"
    } else if existing.allocation != new.allocation {
        "allocation"
    } else if existing.fees != new.fees {
        "fees"
    } else if existing.late_penalty != new.late_penalty {
        "late_penalty"
    } else {
        "name"
    }
}

impl Aggregate for Ledger {
    type Command = LedgerCommand;
    type Event = LedgerEvent;
    type Error = LedgerError;

    fn decide(
        &self,
        command: &LedgerCommand,
        context: &Context,
    ) -> Result<Vec<LedgerEvent>, LedgerError> {
        match command {
            LedgerCommand::OpenAccount(account) => self.decide_open(account),
            LedgerCommand::Post(entry) => self.decide_post(entry, context),
            LedgerCommand::Reverse { entry, reversal, date, description } => {
                let original =
                    self.entries.get(entry).ok_or(LedgerError::UnknownEntry { entry: *entry })?;
                let mirror = original.reversal(*reversal, *date, description.clone());
                self.decide_post(&mirror, context)
            }
            LedgerCommand::DefineProduct(product) => self.decide_product(product),
            LedgerCommand::SubmitLoan(app) => self.decide_submit(app, context),
            LedgerCommand::ApproveLoan { loan, date } => self.decide_approve(*loan, *date, context),
            LedgerCommand::DisburseLoan { loan, entry, date } => {
                self.decide_disburse(*loan, *entry, *date, context)
            }
            LedgerCommand::Repay(r) => self.decide_repay(r, false, context),
            LedgerCommand::PayOff(r) => self.decide_repay(r, true, context),
            LedgerCommand::ChargePenalties { loan, as_of } => {
                self.decide_penalties(*loan, *as_of, context)
            }
            LedgerCommand::WriteOff { loan, entry, date } => {
                self.decide_write_off(*loan, *entry, *date, context)
            }
            LedgerCommand::Recover(r) => self.decide_recover(r, context),
            LedgerCommand::CloseLoan { loan, date } => self.decide_close(*loan, *date, context),
            LedgerCommand::Koperasi(c) => self.decide_koperasi(c, context),
        }
    }

    fn apply(&mut self, event: &LedgerEvent) {
        match event {
            LedgerEvent::AccountOpened(account) => self.books.open(account.clone()),
            LedgerEvent::EntryPosted(entry) => self.apply_entry(entry),
            LedgerEvent::ProductDefined(product) => {
                self.products.insert(product.id, product.clone());
            }
            LedgerEvent::LoanSubmitted {
                loan,
                product,
                borrower,
                currency,
                submitted_on,
                terms,
                installments,
                imported_schedule,
            } => {
                self.loans.insert(
                    *loan,
                    Loan::submitted(
                        *loan,
                        *product,
                        *borrower,
                        *currency,
                        terms.clone(),
                        *submitted_on,
                        installments.clone(),
                        *imported_schedule,
                    ),
                );
            }
            LedgerEvent::LoanApproved { loan, date } => {
                if let Some(l) = self.loans.get_mut(loan) {
                    l.apply_approved(*date);
                }
            }
            LedgerEvent::LoanDisbursed { loan, date, installments, transaction, entry } => {
                self.apply_entry(entry);
                if let Some(l) = self.loans.get_mut(loan) {
                    l.apply_disbursed(*date, installments, transaction.clone());
                }
            }
            LedgerEvent::RepaymentReceived { loan, transaction, entry } => {
                if let Some(entry) = entry {
                    self.apply_entry(entry);
                }
                if let Some(l) = self.loans.get_mut(loan) {
                    l.apply_repayment(transaction);
                }
            }
            LedgerEvent::PenaltiesCharged { loan, date, charges } => {
                if let Some(l) = self.loans.get_mut(loan) {
                    l.apply_penalties(*date, charges);
                }
            }
            LedgerEvent::LoanWrittenOff { loan, transaction, entry } => {
                if let Some(entry) = entry {
                    self.apply_entry(entry);
                }
                if let Some(l) = self.loans.get_mut(loan) {
                    l.apply_written_off(transaction);
                }
            }
            LedgerEvent::RecoveryReceived { loan, transaction, entry } => {
                self.apply_entry(entry);
                if let Some(l) = self.loans.get_mut(loan) {
                    l.apply_recovery(transaction);
                }
            }
            LedgerEvent::LoanClosed { loan, date } => {
                if let Some(l) = self.loans.get_mut(loan) {
                    l.apply_closed(*date);
                }
            }
            LedgerEvent::Koperasi(e) => self.apply_koperasi(e),
        }
    }
}

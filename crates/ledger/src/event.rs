//! What happened in the ledger: the journal's events.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tangguh_core::{Currency, DomainEvent, PersonId};

use crate::account::Account;
use crate::entry::JournalEntry;
use crate::ids::{LoanId, ProductId};
use crate::loan::{InstallmentAmounts, LoanInstallment, LoanProduct, LoanTransaction};
use crate::schedule::LoanTerms;

/// An event of the [`Ledger`](crate::Ledger). Loan events that move money
/// carry their journal entry, so the loan and the books change together.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
#[allow(clippy::large_enum_variant)] // plain data, built once per event
pub enum LedgerEvent {
    /// An account was opened.
    AccountOpened(Account),
    /// An entry was posted (a reversal carries `reverses`).
    EntryPosted(JournalEntry),
    /// A loan product was defined.
    ProductDefined(LoanProduct),
    /// A loan application was submitted, with its terms and schedule.
    LoanSubmitted {
        /// The loan.
        loan: LoanId,
        /// Its product.
        product: ProductId,
        /// The borrower.
        borrower: PersonId,
        /// The currency.
        currency: Currency,
        /// The date.
        submitted_on: NaiveDate,
        /// The resolved terms.
        terms: LoanTerms,
        /// The proposed schedule.
        installments: Vec<LoanInstallment>,
        /// Whether the schedule was given explicitly.
        imported_schedule: bool,
    },
    /// A loan was approved.
    LoanApproved {
        /// The loan.
        loan: LoanId,
        /// The date.
        date: NaiveDate,
    },
    /// A loan was disbursed.
    LoanDisbursed {
        /// The loan.
        loan: LoanId,
        /// The date.
        date: NaiveDate,
        /// The schedule from the disbursement date.
        installments: Vec<LoanInstallment>,
        /// The transaction.
        transaction: LoanTransaction,
        /// Its posting.
        entry: JournalEntry,
    },
    /// A repayment or payoff was received and allocated.
    RepaymentReceived {
        /// The loan.
        loan: LoanId,
        /// The transaction with its allocation and payer.
        transaction: LoanTransaction,
        /// Its posting (none for a payoff of nothing but waived interest).
        entry: Option<JournalEntry>,
    },
    /// Late penalties were charged.
    PenaltiesCharged {
        /// The loan.
        loan: LoanId,
        /// The date.
        date: NaiveDate,
        /// Penalty per installment.
        charges: Vec<InstallmentAmounts>,
    },
    /// A loan was written off.
    LoanWrittenOff {
        /// The loan.
        loan: LoanId,
        /// The transaction (amount = principal written off).
        transaction: LoanTransaction,
        /// Its posting (none when no principal was left).
        entry: Option<JournalEntry>,
    },
    /// Money was recovered on a written-off loan.
    RecoveryReceived {
        /// The loan.
        loan: LoanId,
        /// The transaction.
        transaction: LoanTransaction,
        /// Its posting.
        entry: JournalEntry,
    },
    /// A written-off loan was closed.
    LoanClosed {
        /// The loan.
        loan: LoanId,
        /// The date.
        date: NaiveDate,
    },
    /// A koperasi event: savings, groups, relief.
    Koperasi(crate::koperasi::KoperasiEvent),
}

impl DomainEvent for LedgerEvent {
    const SCHEMA_VERSION: u32 = 1;
}

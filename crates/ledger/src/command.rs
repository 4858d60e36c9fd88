//! What a client can ask the ledger to do.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::account::Account;
use crate::entry::JournalEntry;
use crate::ids::{EntryId, LoanId};
use crate::loan::{LoanApplication, LoanProduct, Repayment};

/// A command to the [`Ledger`](crate::Ledger). Serde data, snake_case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
#[allow(clippy::large_enum_variant)] // plain data, built once per request
pub enum LedgerCommand {
    /// Opens an account in the chart. Opening it again with the same
    /// settings records nothing.
    OpenAccount(Account),
    /// Posts a balanced entry. A retry with the same id and content records
    /// nothing ("already exists"); different content is refused. An entry
    /// that `reverses` another must mirror it.
    Post(JournalEntry),
    /// Reverses a posted entry: posts its mirror image, linked to it. At most
    /// once per entry.
    Reverse {
        /// The entry to reverse.
        entry: EntryId,
        /// The id of the reversing entry (the idempotency key).
        reversal: EntryId,
        /// The reversal's value date (not before the original's).
        date: NaiveDate,
        /// Why.
        description: String,
    },
    /// Defines a loan product. Its GL accounts must exist with the right types.
    DefineProduct(LoanProduct),
    /// Submits a loan application.
    SubmitLoan(LoanApplication),
    /// Approves a submitted loan.
    ApproveLoan {
        /// The loan.
        loan: LoanId,
        /// The approval date.
        date: NaiveDate,
    },
    /// Disburses an approved loan: loan portfolio against fund source, fees
    /// to fee income.
    DisburseLoan {
        /// The loan.
        loan: LoanId,
        /// The journal entry's id.
        entry: EntryId,
        /// The disbursement date (the schedule is generated from it).
        date: NaiveDate,
    },
    /// Records a repayment, allocated by the product's strategy.
    Repay(Repayment),
    /// Pays the loan off at its payoff quote (the amount is ignored).
    PayOff(Repayment),
    /// Charges the product's late penalty on installments overdue beyond its
    /// grace days as of a date (each installment at most once).
    ChargePenalties {
        /// The loan.
        loan: LoanId,
        /// The date.
        as_of: NaiveDate,
    },
    /// Writes off the outstanding principal (losses against loan portfolio);
    /// interest, fees and penalties still owed are waived.
    WriteOff {
        /// The loan.
        loan: LoanId,
        /// The journal entry's id.
        entry: EntryId,
        /// The date.
        date: NaiveDate,
    },
    /// Records money recovered on a written-off loan (fund source against
    /// income from recovery).
    Recover(Repayment),
    /// Closes a written-off loan.
    CloseLoan {
        /// The loan.
        loan: LoanId,
        /// The date.
        date: NaiveDate,
    },
    /// A koperasi command: savings, joint-liability groups, disaster relief.
    Koperasi(crate::koperasi::KoperasiCommand),
}

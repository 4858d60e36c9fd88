//! tangguh-ledger: double-entry books and microfinance loans for UMKM
//! capital in Rakumpit, with TigerBeetle-grade integrity and Apache
//! Fineract-compatible loan servicing.
//!
//! The [`Ledger`] is one [`tangguh_core::Aggregate`]: a chart of accounts,
//! balanced [`JournalEntry`]s (two or more postings summing to zero per
//! currency), reversal-only corrections, idempotent submission by client
//! [`EntryId`], balances kept incrementally and per value date, trial
//! balance and statements; and loan products and loans booked in those
//! accounts: disbursement, repayment allocation, payoff, penalties, arrears,
//! kolektibilitas, PAR, write-off and recovery.
//!
//! ```
//! use std::sync::Arc;
//! use chrono::NaiveDate;
//! use rust_decimal::Decimal;
//! use tangguh_core::{Actor, Book, Currency, FixedClock, MemoryJournal, Money};
//! use tangguh_ledger::{
//!     Account, AccountCode, AccountType, EntryId, JournalEntry, Ledger, LedgerCommand, LedgerError,
//!     Posting,
//! };
//!
//! let clock = Arc::new(FixedClock::wib(2026, 11, 28, 9, 0));
//! let mut book: Book<Ledger, _> = Book::open(MemoryJournal::new(), clock)?;
//! let kasir = Actor::try_new("kasir")?;
//! let kas: AccountCode = "1101".parse()?;
//! let modal: AccountCode = "3100".parse()?;
//! book.run(&kasir, LedgerCommand::OpenAccount(
//!     Account::new(kas.clone(), "Kas".parse()?, AccountType::Asset).never_negative()))?;
//! book.run(&kasir, LedgerCommand::OpenAccount(
//!     Account::new(modal.clone(), "Modal".parse()?, AccountType::Equity)))?;
//!
//! let date = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
//! let rp = |n: i64| Money::idr(Decimal::from(n));
//! let entry = JournalEntry::try_new(EntryId::from_u128(1), date, "setoran modal",
//!     vec![Posting::debit(kas.clone(), rp(1_000_000)), Posting::credit(modal.clone(), rp(1_000_000))])?;
//! book.run(&kasir, LedgerCommand::Post(entry.clone()))?;
//! // A retry is "already exists": nothing new is recorded.
//! assert!(book.run(&kasir, LedgerCommand::Post(entry))?.records.is_empty());
//! assert_eq!(book.state().balance(&kas, Currency::IDR)?.net, Decimal::from(1_000_000));
//!
//! // Cash never goes negative.
//! let overdraw = JournalEntry::try_new(EntryId::from_u128(2), date, "",
//!     vec![Posting::debit(modal.clone(), rp(2_000_000)), Posting::credit(kas, rp(2_000_000))])?;
//! let err = book.run(&kasir, LedgerCommand::Post(overdraw)).unwrap_err();
//! assert!(matches!(err.rejection(), Some(LedgerError::Overdrawn { .. })));
//! assert!(book.state().trial_balance()?.is_balanced());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Overview
//!
//! | Area | Types |
//! |---|---|
//! | chart of accounts | [`Account`], [`AccountCode`], [`AccountType`], [`Side`] |
//! | entries | [`JournalEntry`], [`Posting`], [`EntryId`], [`EntryStatus`] |
//! | balances | [`Balance`], [`TrialBalance`], [`Statement`], [`TrialBalanceBuilder`] (streaming) |
//! | loans | [`LoanProduct`], [`LoanAccounts`], [`LoanApplication`], [`Loan`], [`Repayment`], [`Payer`], [`Allocation`], [`PayoffQuote`] |
//! | arrears | [`Arrears`], [`Kolektibilitas`], [`KolektibilitasTable`], [`PortfolioReport`] |
//! | schedules | [`LoanTerms`], [`Schedule`], [`generate_schedule`] |
//! | koperasi savings | [`SavingsScheme`], [`Member`], [`SavingsPayment`], [`WajibArrears`] |
//! | groups (tanggung renteng) | [`GroupSpec`], [`Group`], [`MeetingLine`], [`CollectionSheet`], [`GroupPar`] |
//! | disaster relief | [`ReliefRequest`], [`ReliefPolicy`], [`Relief`] |
//! | koperasi reports | [`MemberStatement`], [`KelurahanPortfolio`], [`ShuAllocation`], [`allocate_largest_remainder`] |
//! | machinery | [`Ledger`], [`LedgerCommand`], [`LedgerEvent`], [`LedgerError`], [`KoperasiCommand`], [`KoperasiEvent`] |
//!
//! # Rules the ledger keeps
//!
//! - Every entry balances per currency; amounts are positive and no finer
//!   than the currency's minor unit; arithmetic is checked (an overflow is
//!   [`LedgerError::Overflow`], never a panic).
//! - Posted entries never change. A correction is a reversal linked to the
//!   original, at most once ([`LedgerError::AlreadyReversed`]).
//! - An entry id is an idempotency key: the same id and content is
//!   "already exists" (nothing recorded; [`Ledger::entry_status`] gives the
//!   original); the same id with other content is refused with
//!   [`LedgerError::ExistsWithDifferentField`] naming the first differing
//!   field in TigerBeetle's order. Loan commands carrying an entry id behave
//!   the same. Unlike TigerBeetle, a refused id is not burnt: only accepted
//!   commands are recorded.
//! - Never-negative accounts refuse a posting that would overdraw them,
//!   checked on the running balance in posting order.
//! - Loans post by GL role (cash-based accounting, Fineract's
//!   `CashBasedAccountingProcessorForLoan`): disbursement Dr portfolio / Cr
//!   fund source, fees Dr fund source / Cr fee income; repayment Dr fund
//!   source / Cr portfolio, interest, fee and penalty income, overpayment;
//!   write-off Dr losses / Cr portfolio; recovery Dr fund source / Cr income
//!   from recovery. Penalties are recognised when collected.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(clippy::print_stdout, clippy::print_stderr)]
#![warn(clippy::arithmetic_side_effects)]

mod account;
mod arrears;
mod books;
mod command;
mod entry;
mod error;
mod event;
mod ids;
mod ledger;
mod loan;

// Koperasi: savings, groups, relief (issue 7).
mod group;
mod koperasi;
mod relief;
mod reports;
mod savings;

// The schedule engine (owned by its own module; keep these two lines).
mod schedule;
pub use schedule::*;

pub use account::{Account, AccountCode, AccountType, Side};
pub use arrears::{
    Arrears, ClassLine, Kolektibilitas, KolektibilitasTable, PAR_DAYS, ParLine, PortfolioReport,
};
pub use books::{Balance, TrialBalance, TrialBalanceBuilder};
pub use command::LedgerCommand;
pub use entry::{JournalEntry, MAX_DESCRIPTION_LEN, Posting};
pub use error::LedgerError;
pub use event::LedgerEvent;
pub use ids::{EntryId, LoanId, ProductId};
pub use ledger::{EntryStatus, Ledger, Statement, StatementLine};
pub use loan::{
    Allocation, AllocationStrategy, ChargeAmount, Component, Components, DisbursementFee,
    InstallmentAmounts, LatePenalty, Loan, LoanAccounts, LoanApplication, LoanInstallment,
    LoanProduct, LoanStatus, LoanTransaction, LoanTransactionKind, Payer, PayoffQuote, Repayment,
    ScheduledInstallment,
};

pub use group::{
    CollectionLine, CollectionSheet, Group, GroupCover, GroupPar, GroupSpec, MeetingCalendar,
    MeetingFrequency, MeetingLine,
};
pub use koperasi::{KoperasiCommand, KoperasiEvent, SavingsPayment};
pub use relief::{ClassificationTreatment, HolidayInterest, Relief, ReliefPolicy, ReliefRequest};
pub use reports::{
    KelurahanLine, KelurahanPortfolio, LoanSection, MemberStatement, SavingsSection, ShuAllocation,
    ShuLine, allocate_largest_remainder,
};
pub use savings::{
    Member, SavingsAccounts, SavingsBalances, SavingsKind, SavingsMovement, SavingsScheme,
    SavingsTransaction, WajibArrears,
};

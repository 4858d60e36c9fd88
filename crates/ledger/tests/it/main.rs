//! Integration tests of tangguh-ledger: books, loans, arrears, replay.

// Tests may unwrap, panic and index: a failure is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
#![allow(clippy::arithmetic_side_effects)]

mod arrears;
mod invariants;
mod loans;
mod posting;
mod replay;
mod snapshot;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use tangguh_core::{Actor, Aggregate, Context, Currency, FixedClock, Money};
use tangguh_ledger::{
    Account, AccountCode, AccountType, EntryId, JournalEntry, Ledger, LedgerCommand, LedgerError,
    LedgerEvent, LoanAccounts, Posting,
};

pub(crate) fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub(crate) fn dec(n: i64) -> Decimal {
    Decimal::from(n)
}

pub(crate) fn rp(n: i64) -> Money {
    Money::idr(Decimal::from(n))
}

pub(crate) fn code(s: &str) -> AccountCode {
    s.parse().unwrap()
}

/// The clock every test decides at: 28 November 2026, 09:00 WIB.
pub(crate) fn now() -> DateTime<Utc> {
    use tangguh_core::Clock;
    FixedClock::wib(2026, 11, 28, 9, 0).now()
}

pub(crate) fn ctx() -> Context {
    Context::new(now(), Actor::try_new("test").unwrap())
}

/// Decides and applies, as a book would.
pub(crate) fn run(
    ledger: &mut Ledger,
    command: LedgerCommand,
) -> Result<Vec<LedgerEvent>, LedgerError> {
    let events = ledger.decide(&command, &ctx())?;
    for e in &events {
        ledger.apply(e);
    }
    Ok(events)
}

pub(crate) const KAS: &str = "1101";
pub(crate) const BANK: &str = "1102";
pub(crate) const PINJAMAN: &str = "1201";
pub(crate) const SIMPANAN: &str = "2101";
pub(crate) const TITIPAN: &str = "2201";
pub(crate) const MODAL: &str = "3101";
pub(crate) const BUNGA: &str = "4101";
pub(crate) const PROVISI: &str = "4102";
pub(crate) const DENDA: &str = "4103";
pub(crate) const PEMULIHAN: &str = "4104";
pub(crate) const KERUGIAN: &str = "5101";

pub(crate) fn chart_accounts() -> Vec<Account> {
    let a = |c: &str, n: &str, k| Account::new(code(c), n.parse().unwrap(), k);
    vec![
        a(KAS, "Kas", AccountType::Asset).never_negative(),
        a(BANK, "Bank", AccountType::Asset),
        a(PINJAMAN, "Pinjaman yang diberikan", AccountType::Asset),
        a(SIMPANAN, "Simpanan sukarela", AccountType::Liability).never_negative(),
        a(TITIPAN, "Titipan kelebihan bayar", AccountType::Liability),
        a(MODAL, "Modal", AccountType::Equity),
        a(BUNGA, "Pendapatan bunga", AccountType::Income),
        a(PROVISI, "Pendapatan provisi", AccountType::Income),
        a(DENDA, "Pendapatan denda", AccountType::Income),
        a(PEMULIHAN, "Pemulihan piutang", AccountType::Income),
        a(KERUGIAN, "Kerugian penghapusan", AccountType::Expense),
    ]
}

/// A ledger with the chart opened and Rp 100,000,000 of capital in cash.
pub(crate) fn chart() -> Ledger {
    let mut ledger = Ledger::new();
    for a in chart_accounts() {
        run(&mut ledger, LedgerCommand::OpenAccount(a)).unwrap();
    }
    let capital = JournalEntry::try_new(
        EntryId::from_u128(999_999),
        d(2026, 1, 1),
        "modal awal",
        vec![
            Posting::debit(code(KAS), rp(100_000_000)),
            Posting::credit(code(MODAL), rp(100_000_000)),
        ],
    )
    .unwrap();
    run(&mut ledger, LedgerCommand::Post(capital)).unwrap();
    ledger
}

/// A two-posting entry: debit `dr`, credit `cr`.
pub(crate) fn entry(id: u128, date: NaiveDate, dr: &str, cr: &str, amount: i64) -> JournalEntry {
    JournalEntry::try_new(
        EntryId::from_u128(id),
        date,
        format!("entry {id}"),
        vec![Posting::debit(code(dr), rp(amount)), Posting::credit(code(cr), rp(amount))],
    )
    .unwrap()
}

pub(crate) fn loan_accounts() -> LoanAccounts {
    serde_json::from_value(serde_json::json!({
        "fund_source": KAS,
        "loan_portfolio": PINJAMAN,
        "interest_income": BUNGA,
        "fee_income": PROVISI,
        "penalty_income": DENDA,
        "losses_written_off": KERUGIAN,
        "overpayment": TITIPAN,
        "income_from_recovery": PEMULIHAN,
    }))
    .unwrap()
}

pub(crate) fn idr_net(ledger: &Ledger, account: &str) -> Decimal {
    ledger.balance(&code(account), Currency::IDR).unwrap().net
}

//! A real ledger book on the store: opening from a snapshot gives the same
//! state as a full replay of its journal.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use tangguh_core::{Actor, Currency, Id, IdBits, Money, PersonId, Submission};
use tangguh_ledger::{
    Account, AccountCode, AccountType, AllocationStrategy, EntryId, JournalEntry, Ledger,
    LedgerCommand, LoanApplication, LoanId, LoanProduct, LoanTerms, Posting, ProductId, Repayment,
    ScheduledInstallment,
};
use tangguh_store::Store;

use crate::{TempDir, clock};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn code(s: &str) -> AccountCode {
    s.parse().unwrap()
}

fn rp(n: i64) -> Money {
    Money::idr(Decimal::from(n))
}

const ACCOUNTS: [(&str, AccountType); 8] = [
    ("1101", AccountType::Asset),
    ("1102", AccountType::Asset),
    ("1201", AccountType::Asset),
    ("2201", AccountType::Liability),
    ("3101", AccountType::Equity),
    ("4101", AccountType::Income),
    ("4102", AccountType::Income),
    ("5101", AccountType::Expense),
];

fn product() -> LoanProduct {
    let accounts = serde_json::from_value(serde_json::json!({
        "fund_source": "1101",
        "loan_portfolio": "1201",
        "interest_income": "4101",
        "fee_income": "4102",
        "penalty_income": "4102",
        "losses_written_off": "5101",
        "overpayment": "2201",
        "income_from_recovery": "4102",
    }))
    .unwrap();
    let terms = LoanTerms::new(Decimal::from(1_000_000), Decimal::from(12), 4, d(2026, 1, 1));
    LoanProduct::new(
        ProductId::from_bits(IdBits::from_u128(7)),
        "Pinjaman UMKM".parse().unwrap(),
        Currency::IDR,
        terms,
        AllocationStrategy::OverdueInterestFirst,
        accounts,
    )
}

fn loan(n: u128) -> LoanId {
    LoanId::from_bits(IdBits::from_u128(n))
}

fn application(n: u128) -> LoanApplication {
    let mut app = LoanApplication::new(
        loan(n),
        ProductId::from_bits(IdBits::from_u128(7)),
        PersonId::from_bits(IdBits::from_u128(n)),
        d(2025, 12, 20),
        Decimal::from(1_000_000),
        d(2026, 1, 1),
    );
    app.schedule = Some(
        [(2, 10_000), (3, 7_500), (4, 5_000), (5, 2_500)]
            .into_iter()
            .map(|(m, i)| {
                ScheduledInstallment::new(d(2026, m, 1), Decimal::from(250_000), Decimal::from(i))
            })
            .collect(),
    );
    app
}

/// Chart, capital, two loans, transfers (some out of id and date order), a
/// reversal and repayments, with a snapshot after command `snapshot_at`.
fn commands() -> Vec<LedgerCommand> {
    let mut cs: Vec<LedgerCommand> = ACCOUNTS
        .iter()
        .map(|(c, kind)| {
            let account = Account::new(code(c), format!("Akun {c}").parse().unwrap(), *kind);
            LedgerCommand::OpenAccount(if *c == "1101" {
                account.never_negative()
            } else {
                account
            })
        })
        .collect();
    let entry = |id: u128, date: NaiveDate, dr: &str, cr: &str, amount: i64| {
        JournalEntry::try_new(
            EntryId::from_u128(id),
            date,
            format!("transfer {id}"),
            vec![Posting::debit(code(dr), rp(amount)), Posting::credit(code(cr), rp(amount))],
        )
        .unwrap()
    };
    cs.push(LedgerCommand::Post(entry(1, d(2026, 1, 1), "1101", "3101", 50_000_000)));
    cs.push(LedgerCommand::DefineProduct(product()));
    for n in 1..=2u128 {
        cs.push(LedgerCommand::SubmitLoan(application(n)));
        cs.push(LedgerCommand::ApproveLoan { loan: loan(n), date: d(2025, 12, 22) });
        cs.push(LedgerCommand::DisburseLoan {
            loan: loan(n),
            entry: EntryId::from_u128(100 + n),
            date: d(2026, 1, 1),
        });
    }
    for i in 0..40u128 {
        let id = 1_000 - i * 7;
        let date = d(2026, 1, 2) + chrono::Days::new(u64::try_from((i * 37) % 200).unwrap());
        cs.push(LedgerCommand::Post(entry(id, date, "1102", "1101", 10_000 + 100 * i as i64)));
        if i % 9 == 4 {
            cs.push(LedgerCommand::Reverse {
                entry: EntryId::from_u128(id),
                reversal: EntryId::from_u128(5_000 + i),
                date,
                description: "salah akun".to_owned(),
            });
        }
        if i % 6 == 0 {
            let n = 1 + i % 2;
            cs.push(LedgerCommand::Repay(Repayment::new(
                loan(n),
                EntryId::from_u128(10_000 + i),
                d(2026, 2, 1) + chrono::Days::new(u64::try_from(i).unwrap()),
                Decimal::from(120_000),
            )));
        }
    }
    cs
}

#[test]
fn a_ledger_book_opened_from_a_snapshot_equals_a_full_replay() {
    let dir = TempDir::new("ledger");
    let actor = Actor::try_new("teller").unwrap();
    let all = commands();
    let snapshot_at = all.len() * 2 / 3;
    {
        let store = Store::open(dir.db()).unwrap();
        let (mut book, _) = store.open_book::<Ledger>("ledger/koperasi", clock()).unwrap();
        for (i, c) in all.into_iter().enumerate() {
            book.execute(Submission::new(actor.clone(), c)).unwrap();
            if i + 1 == snapshot_at {
                store.snapshot_book(&book).unwrap();
            }
        }
    }
    let (from_snapshot, report) = {
        let store = Store::open(dir.db()).unwrap();
        let (book, report) = store.open_book::<Ledger>("ledger/koperasi", clock()).unwrap();
        (book.state().clone(), report)
    };
    assert!(report.rejected.is_empty(), "{:?}", report.rejected);
    let through = report.snapshot.expect("the snapshot is used");
    assert!(report.replayed > 0, "some events come after the snapshot");

    // The same store without snapshots: a full replay.
    let conn = rusqlite::Connection::open(dir.db()).unwrap();
    conn.execute("DELETE FROM snapshots", []).unwrap();
    drop(conn);
    let store = Store::open(dir.db()).unwrap();
    let (mut book, report) = store.open_book::<Ledger>("ledger/koperasi", clock()).unwrap();
    assert_eq!((report.snapshot, report.replayed), (None, book.last_sequence()));
    assert!(through < book.last_sequence());
    assert_eq!(&from_snapshot, book.state());
    assert!(book.state().trial_balance().unwrap().is_balanced());
    assert_eq!(book.state().entries().count(), from_snapshot.entries().count());

    // A snapshot at the end loads to the same state, with nothing to replay.
    store.snapshot_book(&book).unwrap();
    let (again, report) = store.open_book::<Ledger>("ledger/koperasi", clock()).unwrap();
    assert_eq!((report.snapshot, report.replayed), (Some(book.last_sequence()), 0));
    assert_eq!(again.state(), book.state());
    drop(again);
    // And the book goes on from there.
    book.execute(Submission::new(
        actor,
        LedgerCommand::Post(
            JournalEntry::try_new(
                EntryId::from_u128(99_999),
                d(2026, 11, 1),
                "",
                vec![Posting::debit(code("1102"), rp(1)), Posting::credit(code("1101"), rp(1))],
            )
            .unwrap(),
        ),
    ))
    .unwrap();
}

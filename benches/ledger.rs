//! tangguh-ledger: posting, portfolio reports and schedules.
//!
//! - `ledger/post/1m-entries`: 1,000,000 two-posting entries decided and
//!   applied on the `Ledger` aggregate in memory (balances, per-day history,
//!   statement lines and the idempotency index kept), against
//!   `ledger/post/1m-sqlite-baseline`: the same postings inserted into an
//!   in-memory SQLite table and summed per account, in the same run.
//! - `ledger/par/100k-loans`, `ledger/kolektibilitas/100k-loans`: portfolio
//!   report (PAR-1/30/60/90, classes, NPL) and classification alone.
//! - `ledger/schedule/12-monthly`, `ledger/schedule/52-weekly`: the schedule
//!   engine.

use std::hint::black_box;

use chrono::{Days, NaiveDate};
use criterion::{BatchSize, Criterion, Throughput};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;
use tangguh::core::{Actor, Aggregate, Clock, Context, Currency, Id, IdBits, Money, PersonId};
use tangguh::ledger::{
    Account, AccountCode, AccountType, AllocationStrategy, EntryId, JournalEntry,
    KolektibilitasTable, Ledger, LedgerCommand, LoanAccounts, LoanApplication, LoanId, LoanProduct,
    LoanTerms, ProductId, Repayment, RepaymentUnit, ScheduledInstallment, generate_schedule,
};

use crate::fixtures;

fn context() -> Context {
    Context::new(fixtures::clock().now(), Actor::try_new("bench").unwrap())
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// The 200 accounts of `gen_transfers.py`.
fn account_names() -> Vec<String> {
    let mut acc: Vec<String> = (1..=10).map(|b| format!("Assets:Cash:Branch{b:02}")).collect();
    acc.push("Assets:Bank:Operating".into());
    acc.push("Assets:Bank:Reserve".into());
    acc.extend((1..=60).map(|g| format!("Assets:Loans:Group{g:03}")));
    acc.extend((1..=60).map(|g| format!("Liabilities:Savings:Group{g:03}")));
    acc.extend((1..=41).map(|g| format!("Liabilities:Mandatory:Group{g:03}")));
    for a in [
        "Liabilities:Borrowings:Bank",
        "Equity:Capital",
        "Equity:Retained",
        "Income:Interest:Loans",
        "Income:Fees:Admin",
        "Income:Fees:Late",
        "Income:Other",
    ] {
        acc.push(a.into());
    }
    for e in [
        "Salaries",
        "Rent",
        "Transport",
        "Stationery",
        "Utilities",
        "Training",
        "Insurance",
        "BankCharges",
        "Provision",
        "WriteOff",
        "InterestOnSavings",
        "Audit",
        "Misc",
        "Communication",
        "Travel",
        "Repairs",
        "Software",
        "Meals",
        "Donations",
        "Other",
    ] {
        acc.push(format!("Expenses:{e}"));
    }
    acc
}

fn chart(names: &[String]) -> (Ledger, Vec<AccountCode>) {
    let ctx = context();
    let mut ledger = Ledger::new();
    let mut codes = Vec::new();
    for name in names {
        let code: AccountCode = name.parse().unwrap();
        let kind = AccountType::from_name(name).unwrap();
        let cmd =
            LedgerCommand::OpenAccount(Account::new(code.clone(), name.parse().unwrap(), kind));
        for e in ledger.decide(&cmd, &ctx).unwrap() {
            ledger.apply(&e);
        }
        codes.push(code);
    }
    (ledger, codes)
}

/// `n` random transfers (amounts in cents), as `(debit, credit, cents, date)`.
fn transfers(n: usize, accounts: usize) -> Vec<(usize, usize, i64, NaiveDate)> {
    let mut rng = ChaCha8Rng::seed_from_u64(20240601);
    let start = date(2020, 1, 1);
    (0..n)
        .map(|i| {
            let dr = rng.random_range(0..accounts);
            let mut cr = rng.random_range(0..accounts - 1);
            if cr >= dr {
                cr += 1;
            }
            let cents = rng.random_range(100..1_000_000_000i64);
            (dr, cr, cents, start + Days::new((i * 2192 / n) as u64))
        })
        .collect()
}

fn define_posting(c: &mut Criterion) {
    const N: usize = 1_000_000;
    let names = account_names();
    let (base, codes) = chart(&names);
    let rows = transfers(N, codes.len());
    let commands: Vec<LedgerCommand> = rows
        .iter()
        .enumerate()
        .map(|(i, &(dr, cr, cents, d))| {
            let m = Money::new(Decimal::new(cents, 2), Currency::IDR);
            LedgerCommand::Post(
                JournalEntry::try_new(
                    EntryId::from_u128(i as u128 + 1),
                    d,
                    "",
                    vec![
                        tangguh::ledger::Posting::debit(codes[dr].clone(), m),
                        tangguh::ledger::Posting::credit(codes[cr].clone(), m),
                    ],
                )
                .unwrap(),
            )
        })
        .collect();
    let ctx = context();

    let mut group = c.benchmark_group("ledger/post");
    group.sample_size(10);
    group.throughput(Throughput::Elements(N as u64));
    group.bench_function("1m-entries", |b| {
        b.iter_batched(
            || base.clone(),
            |mut ledger| {
                for cmd in &commands {
                    for e in ledger.decide(cmd, &ctx).unwrap() {
                        ledger.apply(&e);
                    }
                }
                ledger
            },
            BatchSize::PerIteration,
        )
    });
    group.bench_function("1m-sqlite-baseline", |b| {
        b.iter(|| {
            let db = rusqlite::Connection::open_in_memory().unwrap();
            db.execute_batch(
                "CREATE TABLE posting (entry INTEGER NOT NULL, account INTEGER NOT NULL, amount INTEGER NOT NULL);",
            )
            .unwrap();
            let tx = db.unchecked_transaction().unwrap();
            {
                let mut insert =
                    tx.prepare("INSERT INTO posting (entry, account, amount) VALUES (?1, ?2, ?3)").unwrap();
                for (i, &(dr, cr, cents, _)) in rows.iter().enumerate() {
                    insert.execute((i as i64, dr as i64, cents)).unwrap();
                    insert.execute((i as i64, cr as i64, -cents)).unwrap();
                }
            }
            tx.commit().unwrap();
            let mut sums =
                db.prepare("SELECT account, SUM(amount) FROM posting GROUP BY account ORDER BY account").unwrap();
            let totals: Vec<(i64, i64)> =
                sums.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().map(Result::unwrap).collect();
            black_box(totals)
        })
    });
    group.finish();
}

fn loan_accounts() -> LoanAccounts {
    serde_json::from_value(serde_json::json!({
        "fund_source": "1101",
        "loan_portfolio": "1201",
        "interest_income": "4101",
        "fee_income": "4102",
        "penalty_income": "4103",
        "losses_written_off": "5101",
        "overpayment": "2201",
        "income_from_recovery": "4104",
    }))
    .unwrap()
}

/// `n` active loans of Rp 1,200,000 over 12 months, disbursed over 2025–26,
/// some paying on time, some behind.
fn portfolio(n: usize) -> Ledger {
    let ctx = context();
    let mut l = Ledger::new();
    let run = |l: &mut Ledger, cmd: LedgerCommand| {
        for e in l.decide(&cmd, &ctx).unwrap() {
            l.apply(&e);
        }
    };
    for (code, kind) in [
        ("1101", AccountType::Asset),
        ("1201", AccountType::Asset),
        ("2201", AccountType::Liability),
        ("3101", AccountType::Equity),
        ("4101", AccountType::Income),
        ("4102", AccountType::Income),
        ("4103", AccountType::Income),
        ("4104", AccountType::Income),
        ("5101", AccountType::Expense),
    ] {
        run(
            &mut l,
            LedgerCommand::OpenAccount(Account::new(
                code.parse().unwrap(),
                code.parse().unwrap(),
                kind,
            )),
        );
    }
    let product = ProductId::from_bits(IdBits::from_u128(1));
    let terms = LoanTerms::new(Decimal::from(1_200_000), Decimal::from(12), 12, date(2025, 1, 1));
    run(
        &mut l,
        LedgerCommand::DefineProduct(LoanProduct::new(
            product,
            "KUR Mikro".parse().unwrap(),
            Currency::IDR,
            terms,
            AllocationStrategy::PenaltyFeeInterestPrincipal,
            loan_accounts(),
        )),
    );
    let mut rng = ChaCha8Rng::seed_from_u64(7);
    for k in 0..n {
        let id = LoanId::from_bits(IdBits::from_u128(k as u128 + 1));
        let start = date(2025, 1, 1) + Days::new(rng.random_range(0..500));
        let mut app = LoanApplication::new(
            id,
            product,
            PersonId::from_bits(IdBits::from_u128(k as u128 + 1)),
            start,
            Decimal::from(1_200_000),
            start,
        );
        app.schedule = Some(
            (1..=12u32)
                .map(|m| {
                    let due = start.checked_add_months(chrono::Months::new(m)).unwrap();
                    ScheduledInstallment::new(due, Decimal::from(100_000), Decimal::from(12_000))
                })
                .collect(),
        );
        run(&mut l, LedgerCommand::SubmitLoan(app));
        run(&mut l, LedgerCommand::ApproveLoan { loan: id, date: start });
        let entry = EntryId::from_u128(2 * k as u128 + 1);
        run(&mut l, LedgerCommand::DisburseLoan { loan: id, entry, date: start });
        let paid = rng.random_range(0..12i64);
        if paid > 0 {
            let r = Repayment::new(
                id,
                EntryId::from_u128(2 * k as u128 + 2),
                start + Days::new(1),
                Decimal::from(112_000 * paid),
            );
            run(&mut l, LedgerCommand::Repay(r));
        }
    }
    l
}

fn define_portfolio(c: &mut Criterion) {
    let l = portfolio(100_000);
    let as_of = date(2026, 6, 30);
    let table = KolektibilitasTable::OJK_BANK;
    let mut group = c.benchmark_group("ledger");
    group.sample_size(20);
    group.bench_function("par/100k-loans", |b| {
        b.iter(|| black_box(l.portfolio_report(black_box(as_of), Currency::IDR, &table).unwrap()))
    });
    group.bench_function("kolektibilitas/100k-loans", |b| {
        b.iter(|| {
            let mut classes = [0usize; 5];
            for loan in l.loans() {
                classes[usize::from(loan.kolektibilitas(as_of, &table).number() - 1)] += 1;
            }
            black_box(classes)
        })
    });
    group.finish();
}

fn define_schedules(c: &mut Criterion) {
    let monthly =
        LoanTerms::new(Decimal::from(12_000_000), Decimal::from(12), 12, date(2026, 1, 15));
    let mut weekly =
        LoanTerms::new(Decimal::from(2_000_000), Decimal::from(26), 52, date(2026, 1, 5));
    weekly.repayment_unit = RepaymentUnit::Weeks;
    if generate_schedule(&monthly).is_err() || generate_schedule(&weekly).is_err() {
        return; // the engine refuses these terms: nothing to time
    }
    let mut group = c.benchmark_group("ledger/schedule");
    group.bench_function("12-monthly", |b| {
        b.iter(|| black_box(generate_schedule(black_box(&monthly))))
    });
    group.bench_function("52-weekly", |b| {
        b.iter(|| black_box(generate_schedule(black_box(&weekly))))
    });
    group.finish();
}

pub(crate) fn define(c: &mut Criterion) {
    define_schedules(c);
    define_portfolio(c);
    define_posting(c);
    define_koperasi(c);
}

// ---------------------------------------------------------------- koperasi
//
// - `ledger/koperasi/collection-sheet/30-members`: a weekly group's sheet
//   (each member's installments due incl. arrears and wajib owed).
// - `ledger/koperasi/relief/10k-loans`: relief (3-period holiday, interest
//   deferred, schedules regenerated) over 10,000 affected loans, decided
//   and applied on a clone of the portfolio (the clone is not timed).

/// 30 koperasi members with savings and a weekly Rp 500,000 loan each,
/// linked to one weekly group; half of them paid the first ten weeks.
fn koperasi_group() -> (Ledger, tangguh::core::OrganizationId) {
    use tangguh::core::OrganizationId;
    use tangguh::ledger::{
        GroupSpec, KoperasiCommand, MeetingCalendar, MeetingFrequency, SavingsPayment,
        SavingsScheme,
    };
    let ctx = context();
    let mut l = Ledger::new();
    let run = |l: &mut Ledger, cmd: LedgerCommand| {
        for e in l.decide(&cmd, &ctx).unwrap() {
            l.apply(&e);
        }
    };
    for (code, kind, never_negative) in [
        ("1101", AccountType::Asset, false),
        ("1201", AccountType::Asset, false),
        ("2101", AccountType::Liability, true),
        ("2201", AccountType::Liability, false),
        ("3201", AccountType::Equity, false),
        ("3202", AccountType::Equity, false),
        ("4101", AccountType::Income, false),
        ("4102", AccountType::Income, false),
        ("4103", AccountType::Income, false),
        ("4104", AccountType::Income, false),
        ("5101", AccountType::Expense, false),
        ("5201", AccountType::Expense, false),
    ] {
        let mut a = Account::new(code.parse().unwrap(), code.parse().unwrap(), kind);
        if never_negative {
            a = a.never_negative();
        }
        run(&mut l, LedgerCommand::OpenAccount(a));
    }
    let accounts = serde_json::from_value(serde_json::json!({
        "cash": "1101", "pokok": "3201", "wajib": "3202", "sukarela": "2101", "jasa_expense": "5201",
    }))
    .unwrap();
    let scheme = SavingsScheme::new(
        Currency::IDR,
        Decimal::from(100_000),
        Decimal::from(25_000),
        1,
        Decimal::from(3),
        accounts,
    );
    run(&mut l, LedgerCommand::Koperasi(KoperasiCommand::ConfigureSavings(scheme)));
    let product = ProductId::from_bits(IdBits::from_u128(2));
    let mut terms = LoanTerms::new(Decimal::from(500_000), Decimal::from(24), 25, date(2026, 1, 5));
    terms.repayment_unit = RepaymentUnit::Weeks;
    run(
        &mut l,
        LedgerCommand::DefineProduct(LoanProduct::new(
            product,
            "Mekaar-like".parse().unwrap(),
            Currency::IDR,
            terms,
            AllocationStrategy::PenaltyFeeInterestPrincipal,
            loan_accounts(),
        )),
    );
    let group = OrganizationId::from_bits(IdBits::from_u128(1));
    let members: Vec<PersonId> =
        (1..=30u128).map(|k| PersonId::from_bits(IdBits::from_u128(k))).collect();
    let start = date(2026, 1, 5);
    for (k, m) in members.iter().enumerate() {
        let k = k as u128;
        run(
            &mut l,
            LedgerCommand::Koperasi(KoperasiCommand::Join {
                member: *m,
                entry: EntryId::from_u128(1_000 + k),
                date: start,
                kelurahan: None,
            }),
        );
        run(
            &mut l,
            LedgerCommand::Koperasi(KoperasiCommand::PayWajib(SavingsPayment::new(
                *m,
                EntryId::from_u128(2_000 + k),
                start,
                Decimal::from(25_000),
            ))),
        );
    }
    run(
        &mut l,
        LedgerCommand::Koperasi(KoperasiCommand::FormGroup(GroupSpec::new(
            group,
            "Kelompok Melati".parse().unwrap(),
            members[0],
            members.clone(),
            MeetingCalendar::new(date(2026, 1, 12), MeetingFrequency::Weekly),
        ))),
    );
    for (k, m) in members.iter().enumerate() {
        let id = LoanId::from_bits(IdBits::from_u128(k as u128 + 1));
        let app = LoanApplication::new(id, product, *m, start, Decimal::from(500_000), start);
        run(&mut l, LedgerCommand::SubmitLoan(app));
        run(&mut l, LedgerCommand::ApproveLoan { loan: id, date: start });
        let entry = EntryId::from_u128(3_000 + k as u128);
        run(&mut l, LedgerCommand::DisburseLoan { loan: id, entry, date: start });
        run(&mut l, LedgerCommand::Koperasi(KoperasiCommand::LinkLoan { group, loan: id }));
        if k % 2 == 0 {
            let r = Repayment::new(
                id,
                EntryId::from_u128(4_000 + k as u128),
                date(2026, 3, 16),
                Decimal::from(250_000),
            );
            run(&mut l, LedgerCommand::Repay(r));
        }
    }
    (l, group)
}

pub(crate) fn define_koperasi(c: &mut Criterion) {
    use tangguh::ledger::{
        ClassificationTreatment, HolidayInterest, KoperasiCommand, ReliefPolicy, ReliefRequest,
    };
    let (l, group) = koperasi_group();
    let meeting = date(2026, 4, 6);
    let mut g = c.benchmark_group("ledger/koperasi");
    g.bench_function("collection-sheet/30-members", |b| {
        b.iter(|| black_box(l.collection_sheet(group, black_box(meeting)).unwrap()))
    });

    let portfolio = portfolio(10_000);
    let borrowers: Vec<PersonId> =
        (1..=10_000u128).map(|k| PersonId::from_bits(IdBits::from_u128(k))).collect();
    let policy = ReliefPolicy::new(
        3,
        HolidayInterest::Deferred,
        0,
        ClassificationTreatment::FrozenAtPreDisaster { until: date(2027, 6, 30) },
    );
    let incident = tangguh::core::IncidentId::from_bits(IdBits::from_u128(1));
    let relief = LedgerCommand::Koperasi(KoperasiCommand::Relieve(ReliefRequest::new(
        incident,
        date(2026, 5, 20),
        date(2026, 6, 1),
        borrowers,
        policy,
    )));
    let ctx = context();
    let events = portfolio.decide(&relief, &ctx).unwrap();
    eprintln!("relief bench: {} loans relieved", events.len());
    g.sample_size(10);
    g.bench_function("relief/10k-loans", |b| {
        b.iter_batched(
            || portfolio.clone(),
            |mut l| {
                for e in l.decide(&relief, &ctx).unwrap() {
                    l.apply(&e);
                }
                black_box(l)
            },
            BatchSize::LargeInput,
        )
    });
    g.finish();
}

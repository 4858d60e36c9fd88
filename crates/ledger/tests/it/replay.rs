//! Replay equivalence: the books and loans after running commands through a
//! book equal those after replaying its journal (in memory and via JSON),
//! and after a round trip through the ledger's stored form (a snapshot).

use std::sync::Arc;

use proptest::prelude::*;
use tangguh_core::{Actor, Aggregate, Book, FixedClock, MemoryJournal};
use tangguh_ledger::{AllocationStrategy, EntryId, Ledger, LedgerCommand, LedgerEvent};

use crate::loans::{application, loan_id, product, repay};
use crate::*;

#[derive(Clone, Debug)]
enum Step {
    Post { dr: usize, cr: usize, amount: i64, day: u32 },
    Reverse { k: u128, day: u32 },
    Repay { amount: i64, day: u32 },
    Penalties { day: u32 },
    WriteOff { day: u32 },
    Recover { amount: i64, day: u32 },
    PayOff { day: u32 },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        3 => (0..11usize, 0..11usize, 1..5_000_000i64, 0..330u32)
            .prop_map(|(dr, cr, amount, day)| Step::Post { dr, cr, amount, day }),
        1 => (1..20u128, 0..330u32).prop_map(|(k, day)| Step::Reverse { k, day }),
        3 => (1..400_000i64, 0..330u32).prop_map(|(amount, day)| Step::Repay { amount, day }),
        1 => (0..330u32).prop_map(|day| Step::Penalties { day }),
        1 => (0..330u32).prop_map(|day| Step::WriteOff { day }),
        1 => (1..100_000i64, 0..330u32).prop_map(|(amount, day)| Step::Recover { amount, day }),
        1 => (0..330u32).prop_map(|day| Step::PayOff { day }),
    ]
}

const ACCOUNTS: [&str; 11] =
    [KAS, BANK, PINJAMAN, SIMPANAN, TITIPAN, MODAL, BUNGA, PROVISI, DENDA, PEMULIHAN, KERUGIAN];

proptest! {
    #![proptest_config(ProptestConfig::with_cases(32))]

    #[test]
    fn replaying_the_journal_gives_the_same_books_and_loans(steps in prop::collection::vec(step(), 0..30)) {
        let clock = Arc::new(FixedClock::wib(2026, 11, 28, 9, 0));
        let mut book: Book<Ledger, _> = Book::open(MemoryJournal::new(), clock.clone()).unwrap();
        let actor = Actor::try_new("teller").unwrap();
        let mut setup: Vec<LedgerCommand> =
            chart_accounts().into_iter().map(LedgerCommand::OpenAccount).collect();
        setup.push(LedgerCommand::Post(entry(999_999, d(2026, 1, 1), KAS, MODAL, 100_000_000)));
        setup.push(LedgerCommand::DefineProduct(product(AllocationStrategy::OverdueInterestFirst)));
        setup.push(LedgerCommand::SubmitLoan(application(1)));
        setup.push(LedgerCommand::ApproveLoan { loan: loan_id(1), date: d(2025, 12, 22) });
        setup.push(LedgerCommand::DisburseLoan { loan: loan_id(1), entry: EntryId::from_u128(1001), date: d(2026, 1, 1) });
        for c in setup {
            book.run(&actor, c).unwrap();
        }
        let start = d(2026, 1, 1);
        let day = |n: u32| start + chrono::Days::new(u64::from(n));
        for (i, s) in steps.into_iter().enumerate() {
            let id = 10_000 + i as u128;
            let command = match s {
                Step::Post { dr, cr, amount, day: n } => {
                    if dr == cr { continue; }
                    LedgerCommand::Post(entry(id, day(n), ACCOUNTS[dr], ACCOUNTS[cr], amount))
                }
                Step::Reverse { k, day: n } => LedgerCommand::Reverse {
                    entry: EntryId::from_u128(10_000 + k),
                    reversal: EntryId::from_u128(id),
                    date: day(n),
                    description: String::new(),
                },
                Step::Repay { amount, day: n } => LedgerCommand::Repay(repay(1, id, day(n), amount)),
                Step::Penalties { day: n } => LedgerCommand::ChargePenalties { loan: loan_id(1), as_of: day(n) },
                Step::WriteOff { day: n } => LedgerCommand::WriteOff { loan: loan_id(1), entry: EntryId::from_u128(id), date: day(n) },
                Step::Recover { amount, day: n } => LedgerCommand::Recover(repay(1, id, day(n), amount)),
                Step::PayOff { day: n } => LedgerCommand::PayOff(repay(1, id, day(n), 0)),
            };
            // Refusals are fine; they must change nothing (checked by replay).
            let _ = book.run(&actor, command);
        }
        let replayed: Book<Ledger, _> = Book::open(book.journal().clone(), clock).unwrap();
        prop_assert_eq!(replayed.state(), book.state());

        // Through JSON, as a durable journal would store the events.
        let mut from_json = Ledger::new();
        for r in book.journal().records() {
            let text = serde_json::to_string(&r.event).unwrap();
            let event: LedgerEvent = serde_json::from_str(&text).unwrap();
            from_json.apply(&event);
        }
        prop_assert_eq!(&from_json, book.state());
        prop_assert!(book.state().trial_balance().unwrap().is_balanced());

        // Through the stored form, as a snapshot holds it.
        snapshot::check_round_trip(book.state(), &ACCOUNTS)?;
    }
}

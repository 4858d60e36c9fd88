//! Properties: random batches appended then reopened read back identical,
//! and replay equals the live book.

use proptest::prelude::*;
use tangguh_core::{Book, Journal, MemoryJournal, RequestId, Submission};
use tangguh_store::Store;

use crate::{Savings, SavingsCommand, TempDir, actor, clock};

fn command() -> impl Strategy<Value = SavingsCommand> {
    let member = prop::sample::select(vec!["siti", "budi", "ani"]).prop_map(String::from);
    prop_oneof![
        (member.clone(), 0u64..50)
            .prop_map(|(member, amount)| SavingsCommand::Deposit { member, amount }),
        (member.clone(), 0u64..50)
            .prop_map(|(member, amount)| SavingsCommand::Withdraw { member, amount }),
        (member.clone(), member, 0u64..50)
            .prop_map(|(from, to, amount)| SavingsCommand::Transfer { from, to, amount }),
    ]
}

fn submission() -> impl Strategy<Value = Submission<SavingsCommand>> {
    (command(), prop::option::of(0u8..6)).prop_map(|(cmd, id)| {
        let sub = Submission::new(actor(), cmd);
        match id {
            Some(n) => sub.with_request_id(RequestId::try_new(format!("req-{n}")).unwrap()),
            None => sub,
        }
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn durable_books_behave_like_memory_books_and_survive_reopening(
        groups in prop::collection::vec(prop::collection::vec(submission(), 1..6), 1..8),
    ) {
        let dir = TempDir::new("prop");
        let store = Store::open(dir.db()).unwrap();
        let (mut durable, _) = store.open_book::<Savings>("savings", clock()).unwrap();
        let mut memory: Book<Savings, _> = Book::open(MemoryJournal::new(), clock()).unwrap();
        for group in groups {
            // Alternate single executes and group commits.
            if group.len() % 2 == 0 {
                let a: Vec<_> = durable.execute_all(group.clone()).into_iter().map(|r| r.map_err(|e| e.to_string())).collect();
                let b: Vec<_> = memory.execute_all(group).into_iter().map(|r| r.map_err(|e| e.to_string())).collect();
                prop_assert_eq!(a, b);
            } else {
                for sub in group {
                    let a = durable.execute(sub.clone()).map_err(|e| e.to_string());
                    let b = memory.execute(sub).map_err(|e| e.to_string());
                    prop_assert_eq!(a, b);
                }
            }
        }
        prop_assert_eq!(durable.state(), memory.state());
        // Replay equivalence, in memory and on disk.
        let replayed: Book<Savings, _> = Book::open(memory.journal().clone(), clock()).unwrap();
        prop_assert_eq!(replayed.state(), memory.state());
        let live = durable.state().clone();
        let last = durable.last_sequence();
        drop((durable, store));
        let store = Store::open(dir.db()).unwrap();
        let (reopened, _) = store.open_book::<Savings>("savings", clock()).unwrap();
        prop_assert_eq!(reopened.state(), &live);
        prop_assert_eq!(reopened.journal().read_range(1, last).unwrap(), memory.journal().records());
        prop_assert_eq!(store.verify("savings").unwrap().records, last);
    }
}

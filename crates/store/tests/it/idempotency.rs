//! Request ids survive a restart.

use tangguh_core::{BookError, RequestId, Submission};
use tangguh_store::{GroupCommitter, GroupOptions, Store};

use crate::{Savings, SavingsCommand, TempDir, actor, clock, deposit, transfer};

#[test]
fn a_retry_after_a_restart_is_answered_not_applied() {
    let dir = TempDir::new("idem");
    let id = RequestId::try_new("setoran-2026-11-28-001").unwrap();
    let sub = transfer("siti", "budi", 30).with_request_id(id.clone());
    let first = {
        let store = Store::open(dir.db()).unwrap();
        let (mut book, _) = store.open_book::<Savings>("savings", clock()).unwrap();
        book.execute(deposit("siti", 100)).unwrap();
        book.execute(sub.clone()).unwrap()
    };
    assert_eq!(first.records.len(), 2);
    let store = Store::open(dir.db()).unwrap();
    let (mut book, _) = store.open_book::<Savings>("savings", clock()).unwrap();
    let retry = book.execute(sub).unwrap();
    assert!(retry.already_recorded);
    assert_eq!(retry.records, first.records);
    assert_eq!(book.state().balance("siti"), 70);
    assert_eq!(book.last_sequence(), 3);
    // The same id for a different command is refused.
    let other = deposit("siti", 1).with_request_id(id);
    assert!(matches!(book.execute(other), Err(BookError::RequestIdReused { .. })));
}

#[test]
fn group_commit_answers_each_caller_and_survives_a_restart() {
    let dir = TempDir::new("group");
    let store = Store::open(dir.db()).unwrap();
    let (mut book, _) = store.open_book::<Savings>("savings", clock()).unwrap();
    let id = |n: u32| RequestId::try_new(format!("g-{n}")).unwrap();
    let subs: Vec<Submission<SavingsCommand>> = vec![
        deposit("siti", 10).with_request_id(id(1)),
        transfer("siti", "budi", 50).with_request_id(id(2)), // refused
        transfer("siti", "budi", 5).with_request_id(id(3)),
        deposit("siti", 10).with_request_id(id(1)), // retry within the batch
    ];
    let results = book.execute_all(subs.clone());
    assert!(results[0].is_ok());
    assert!(matches!(results[1], Err(BookError::Rejected(_))));
    assert_eq!(results[2].as_ref().unwrap().records.len(), 2);
    assert!(results[3].as_ref().unwrap().already_recorded);
    drop((book, store));

    let store = Store::open(dir.db()).unwrap();
    let (mut book, _) = store.open_book::<Savings>("savings", clock()).unwrap();
    assert_eq!(book.last_sequence(), 3);
    let again = book.execute_all(subs);
    assert!(again[0].as_ref().unwrap().already_recorded);
    assert!(again[1].is_err());
    assert!(again[2].as_ref().unwrap().already_recorded);
    assert_eq!(book.last_sequence(), 3);
}

#[test]
fn the_group_committer_serves_many_threads() {
    let dir = TempDir::new("committer");
    let store = Store::open(dir.db()).unwrap();
    let (book, _) = store.open_book::<Savings>("savings", clock()).unwrap();
    let committer = GroupCommitter::start(book, GroupOptions::new().with_max_batch(64)).unwrap();
    std::thread::scope(|s| {
        for t in 0..4 {
            let committer = &committer;
            s.spawn(move || {
                for i in 0..25 {
                    let sub = Submission::new(
                        actor(),
                        SavingsCommand::Deposit { member: format!("m{t}"), amount: 1 },
                    )
                    .with_request_id(RequestId::try_new(format!("t{t}-{i}")).unwrap());
                    let outcome = committer.submit(sub).unwrap();
                    assert_eq!(outcome.records.len(), 1);
                }
            });
        }
    });
    let book = committer.finish().unwrap();
    assert_eq!(book.last_sequence(), 100);
    let (reopened, _) = store.open_book::<Savings>("savings", clock()).unwrap();
    assert_eq!(reopened.state(), book.state());
    assert_eq!(reopened.state().balance("m3"), 25);
}

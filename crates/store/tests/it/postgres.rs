//! The PostgreSQL journal against a real server.
//!
//! The server's URL comes from `TANGGUH_PG_URL` (`.ci/run` starts one on
//! loopback and sets it). Without it a local run says the tests are skipped
//! and why; under CI (`CI=true`) a missing server fails the tests.

use std::sync::{Arc, Barrier};

use tangguh_core::{Book, BookError, Journal, JournalError, MemoryJournal, RequestId};
use tangguh_store::{PgJournal, PgStore, StoreError};

use crate::{Savings, SavingsEvent, clock, deposit, transfer};

/// The server to test against, or `None` (after saying why) when a local
/// run has none.
fn server() -> Option<String> {
    match std::env::var("TANGGUH_PG_URL") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            let ci = std::env::var("CI").is_ok_and(|v| v == "true" || v == "1");
            assert!(!ci, "CI=true but TANGGUH_PG_URL is not set: the PostgreSQL tests must run");
            eprintln!(
                "skipping the PostgreSQL tests: TANGGUH_PG_URL is not set \
                 (.ci/run starts a server on loopback and sets it)"
            );
            None
        }
    }
}

/// A fresh stream of a fresh connection, unique to this test run.
fn fresh(url: &str, name: &str) -> (PgStore, String) {
    let store = PgStore::connect(url).unwrap();
    let stream = format!("test/{}/{name}", std::process::id());
    store.drop_stream(&stream).unwrap();
    (store, stream)
}

fn book(store: &PgStore, stream: &str) -> Book<Savings, PgJournal<SavingsEvent>> {
    Book::open(store.journal(stream).unwrap(), clock()).unwrap()
}

#[test]
fn a_book_on_postgres_survives_reconnecting_and_remembers_request_ids() {
    let Some(url) = server() else { return };
    let (store, stream) = fresh(&url, "book");
    let mut durable = book(&store, &stream);
    let mut memory: Book<Savings, _> = Book::open(MemoryJournal::new(), clock()).unwrap();
    let id = RequestId::try_new("pg-1").unwrap();
    let subs = vec![
        deposit("siti", 50),
        transfer("siti", "budi", 20).with_request_id(id.clone()),
        transfer("budi", "ani", 99),
    ];
    for sub in subs.clone() {
        let a = durable.execute(sub.clone()).map_err(|e| e.to_string());
        let b = memory.execute(sub).map_err(|e| e.to_string());
        assert_eq!(a, b);
    }
    let grouped = durable.execute_all(vec![deposit("ani", 1), deposit("ani", 2)]);
    assert!(grouped.iter().all(Result::is_ok));
    memory.execute_all(vec![deposit("ani", 1), deposit("ani", 2)]);
    drop(durable);

    // Another connection, as after a restart.
    let again = PgStore::connect(&url).unwrap();
    let mut reopened = book(&again, &stream);
    assert_eq!(reopened.state(), memory.state());
    assert_eq!(reopened.journal().read_range(1, 10).unwrap(), memory.journal().records());
    let retry = reopened.execute(subs[1].clone()).unwrap();
    assert!(retry.already_recorded);
    assert_eq!(retry.records.len(), 2);
    assert_eq!(again.verify(&stream).unwrap().records, 5);
    // The journal's own rules.
    let mut journal = again.journal::<SavingsEvent>(&stream).unwrap();
    let mut record = journal.read_range(1, 1).unwrap().remove(0);
    assert!(matches!(
        journal.append(std::slice::from_ref(&record)),
        Err(JournalError::SequenceConflict { expected: 6, found: 1 })
    ));
    record.sequence = 6;
    let stamped = journal.read_range(2, 2).unwrap().remove(0);
    let mut dup = stamped.clone();
    dup.sequence = 6;
    assert!(matches!(journal.append(&[dup]), Err(JournalError::DuplicateRequest { .. })));
    journal.append(&[record]).unwrap();
    assert_eq!(journal.next_sequence().unwrap(), 7);
    again.drop_stream(&stream).unwrap();
}

#[test]
fn a_conflicting_append_from_another_server_is_refused_not_merged() {
    let Some(url) = server() else { return };
    let (server_a, stream) = fresh(&url, "conflict");
    let server_b = PgStore::connect(&url).unwrap();
    let mut a = book(&server_a, &stream);
    let mut b = book(&server_b, &stream);
    a.execute(deposit("siti", 10)).unwrap();
    // B decided against an old state: its append is refused.
    let err = b.execute(deposit("budi", 5)).unwrap_err();
    assert!(
        matches!(err, BookError::Journal(JournalError::SequenceConflict { expected: 2, found: 1 })),
        "{err}"
    );
    // B reopens (sees A's record) and retries.
    let mut b = book(&server_b, &stream);
    b.execute(deposit("budi", 5)).unwrap();
    let check = book(&server_a, &stream);
    assert_eq!((check.state().balance("siti"), check.state().balance("budi")), (10, 5));
    server_a.drop_stream(&stream).unwrap();
}

#[test]
fn racing_servers_get_exactly_one_winner_per_sequence_number() {
    let Some(url) = server() else { return };
    let (setup, stream) = fresh(&url, "race");
    drop(setup);
    let servers = 4;
    let rounds = 10;
    let barrier = Arc::new(Barrier::new(servers));
    let wins: Vec<u32> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..servers)
            .map(|n| {
                let (url, stream, barrier) = (url.clone(), stream.clone(), Arc::clone(&barrier));
                s.spawn(move || {
                    let store = PgStore::connect(&url).unwrap();
                    let mut won = 0;
                    for _ in 0..rounds {
                        let mut book = book(&store, &stream);
                        barrier.wait();
                        match book.execute(deposit(&format!("server-{n}"), 1)) {
                            Ok(_) => won += 1,
                            Err(BookError::Journal(JournalError::SequenceConflict { .. })) => {}
                            Err(other) => panic!("{other}"),
                        }
                        barrier.wait();
                    }
                    won
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let store = PgStore::connect(&url).unwrap();
    let total: u32 = wins.iter().sum();
    // Each round every server appends at the same sequence number: at least
    // one wins, and whatever won is in the journal exactly once.
    assert!(total >= rounds, "{wins:?}");
    assert_eq!(store.verify(&stream).unwrap().records, u64::from(total));
    let replayed = book(&store, &stream);
    let sum: u64 = (0..servers).map(|n| replayed.state().balance(&format!("server-{n}"))).sum();
    assert_eq!(sum, u64::from(total));
    store.drop_stream(&stream).unwrap();
}

#[test]
fn a_damaged_row_on_postgres_is_reported_with_its_sequence() {
    let Some(url) = server() else { return };
    let (store, stream) = fresh(&url, "damaged");
    let mut live = book(&store, &stream);
    for i in 1..=3 {
        live.execute(deposit("siti", i)).unwrap();
    }
    let mut raw = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    raw.execute(
        "UPDATE tangguh_events SET event_json = replace(event_json, 'siti', 'sita')
         WHERE stream = $1 AND sequence = 2",
        &[&stream],
    )
    .unwrap();
    let err = store.verify(&stream).unwrap_err();
    assert!(matches!(err, StoreError::Corrupt { sequence: 2, .. }), "{err}");
    let err = Book::<Savings, _>::open(store.journal(&stream).unwrap(), clock()).unwrap_err();
    assert!(matches!(err, JournalError::Corrupt { sequence: 2, .. }), "{err}");
    // A read that ends before the damage is not stopped by it.
    let journal = store.journal::<SavingsEvent>(&stream).unwrap();
    assert_eq!(journal.read_range(1, 1).unwrap().len(), 1);
    assert!(matches!(journal.read_range(1, 3), Err(JournalError::Corrupt { sequence: 2, .. })));
    store.drop_stream(&stream).unwrap();
}

#[test]
fn an_unreachable_server_is_a_postgres_error() {
    let Some(_) = server() else { return };
    let err = PgStore::connect("postgresql://nobody@127.0.0.1:1/none").unwrap_err();
    assert!(matches!(err, StoreError::Postgres { .. }), "{err}");
    assert!(err.to_string().starts_with("postgresql failed"), "{err}");
}

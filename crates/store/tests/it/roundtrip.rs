//! Records go in and come back identical; the journal's rules hold.

use std::ops::ControlFlow;

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use tangguh_core::{
    Book, CommandDigest, DomainEvent, Journal, JournalError, MemoryJournal, Recorded, RequestId,
    RequestStamp,
};
use tangguh_store::{Store, StoreError};

use crate::{Savings, SavingsEvent, TempDir, actor, clock, deposit, transfer};

fn at(seconds: i64) -> DateTime<Utc> {
    DateTime::UNIX_EPOCH + Duration::seconds(1_790_000_000 + seconds) + Duration::nanoseconds(123)
}

fn record(sequence: u64, request: Option<&str>, amount: u64) -> Recorded<SavingsEvent> {
    let stamp = request.map(|id| {
        RequestStamp::new(RequestId::try_new(id).unwrap(), CommandDigest::of(id.as_bytes()))
    });
    Recorded::new(
        sequence,
        at(i64::try_from(sequence).unwrap()),
        actor(),
        stamp,
        SavingsEvent::Deposited { member: "siti".into(), amount },
    )
}

#[test]
fn records_come_back_identical() {
    let dir = TempDir::new("identical");
    let store = Store::open(dir.db()).unwrap();
    let mut journal = store.journal::<SavingsEvent>("savings/mungku-baru").unwrap();
    assert_eq!(journal.next_sequence().unwrap(), 1);
    let batch = vec![record(1, Some("r1"), 10), record(2, Some("r1"), 20), record(3, None, 30)];
    journal.append(&batch).unwrap();
    assert_eq!(journal.next_sequence().unwrap(), 4);
    assert_eq!(journal.read_range(1, 3).unwrap(), batch);
    assert_eq!(journal.read_range(2, 2).unwrap(), batch[1..2]);
    let found = journal.find_request(&RequestId::try_new("r1").unwrap()).unwrap().unwrap();
    assert_eq!((found.first_sequence, found.last_sequence), (1, 2));
    assert_eq!(found.digest, CommandDigest::of(b"r1"));
    assert!(journal.find_request(&RequestId::try_new("r9").unwrap()).unwrap().is_none());
    // An empty batch is a no-op.
    journal.append(&[]).unwrap();
    assert_eq!(store.verify("savings/mungku-baru").unwrap().records, 3);
}

#[test]
fn appends_follow_the_journal_rules() {
    let dir = TempDir::new("rules");
    let store = Store::open(dir.db()).unwrap();
    let mut journal = store.journal::<SavingsEvent>("s").unwrap();
    assert!(matches!(
        journal.append(&[record(2, None, 1)]),
        Err(JournalError::SequenceConflict { expected: 1, found: 2 })
    ));
    assert!(matches!(
        journal.append(&[record(1, None, 1), record(3, None, 1)]),
        Err(JournalError::NotConsecutive { sequence: 3 })
    ));
    journal.append(&[record(1, Some("a"), 1)]).unwrap();
    // A duplicate request id refuses the whole batch.
    assert!(matches!(
        journal.append(&[record(2, None, 1), record(3, Some("a"), 1)]),
        Err(JournalError::DuplicateRequest { request_id }) if request_id == "a"
    ));
    assert_eq!(journal.next_sequence().unwrap(), 2);
    // Two handles on one stream see each other's appends (optimistic concurrency).
    let mut other = store.journal::<SavingsEvent>("s").unwrap();
    other.append(&[record(2, None, 1)]).unwrap();
    assert!(matches!(
        journal.append(&[record(2, None, 1)]),
        Err(JournalError::SequenceConflict { expected: 3, found: 2 })
    ));
}

#[test]
fn streams_are_independent() {
    let dir = TempDir::new("streams");
    let store = Store::open(dir.db()).unwrap();
    let mut a = store.journal::<SavingsEvent>("registry/62.71.05").unwrap();
    let mut b = store.journal::<SavingsEvent>("ledger/koperasi").unwrap();
    a.append(&[record(1, Some("same"), 1), record(2, None, 2)]).unwrap();
    b.append(&[record(1, Some("same"), 1)]).unwrap();
    let streams = store.streams().unwrap();
    let names: Vec<_> = streams.iter().map(|s| (s.name.as_str(), s.last_sequence)).collect();
    assert_eq!(names, [("ledger/koperasi", 1), ("registry/62.71.05", 2)]);
    assert_eq!(store.verify("nothing-here").unwrap().records, 0);
}

#[test]
fn stream_names_are_checked() {
    let dir = TempDir::new("names");
    let store = Store::open(dir.db()).unwrap();
    for bad in ["", " padded", "line\nbreak"] {
        let err = store.journal::<SavingsEvent>(bad).unwrap_err();
        assert!(matches!(err, StoreError::InvalidStream { .. }), "{bad:?}: {err}");
    }
}

#[test]
fn long_streams_read_across_chunks() {
    let dir = TempDir::new("chunks");
    let store = Store::open(dir.db()).unwrap();
    let mut journal = store.journal::<SavingsEvent>("big").unwrap();
    let batch: Vec<_> = (1..=5000).map(|s| record(s, None, s)).collect();
    journal.append(&batch).unwrap();
    let mut seen = 0u64;
    journal
        .for_each_from(1, &mut |r| {
            seen += 1;
            assert_eq!(r.sequence, seen);
            ControlFlow::Continue(())
        })
        .unwrap();
    assert_eq!(seen, 5000);
    assert_eq!(journal.read_range(2047, 2050).unwrap(), batch[2046..2050]);
    // Break stops the walk.
    let mut count = 0;
    journal
        .for_each_from(4000, &mut |_| {
            count += 1;
            if count == 3 { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
        })
        .unwrap();
    assert_eq!(count, 3);
    assert_eq!(store.verify("big").unwrap().records, 5000);
}

#[test]
fn a_book_on_the_store_matches_one_in_memory() {
    let dir = TempDir::new("book");
    let store = Store::open(dir.db()).unwrap();
    let (mut durable, _) = store.open_book::<Savings>("savings", clock()).unwrap();
    let mut memory: Book<Savings, _> = Book::open(MemoryJournal::new(), clock()).unwrap();
    let subs = [deposit("siti", 50), transfer("siti", "budi", 20), transfer("budi", "siti", 99)];
    for sub in subs {
        let a = durable.execute(sub.clone()).map_err(|e| e.to_string());
        let b = memory.execute(sub).map_err(|e| e.to_string());
        assert_eq!(a, b);
    }
    assert_eq!(durable.state(), memory.state());
    assert_eq!(durable.journal().read_range(1, 10).unwrap(), memory.journal().records());
}

/// The first form of an event: amounts in whole rupiah.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct PaidV1 {
    rupiah: u64,
}

impl DomainEvent for PaidV1 {
    const SCHEMA_VERSION: u32 = 1;
}

/// The second form: amounts in sen, with a note; reads the first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
struct PaidV2 {
    sen: u64,
    note: String,
}

impl DomainEvent for PaidV2 {
    const SCHEMA_VERSION: u32 = 2;

    fn upgrade(version: u32, value: serde_json::Value) -> Result<Self, serde_json::Error> {
        if version == 1 {
            let old: PaidV1 = serde_json::from_value(value)?;
            return Ok(Self { sen: old.rupiah * 100, note: String::new() });
        }
        serde_json::from_value(value)
    }
}

#[test]
fn an_older_file_is_read_through_upgrade() {
    let dir = TempDir::new("upgrade");
    {
        let store = Store::open(dir.db()).unwrap();
        let mut old = store.journal::<PaidV1>("pay").unwrap();
        old.append(&[Recorded::new(1, at(0), actor(), None, PaidV1 { rupiah: 7 })]).unwrap();
    }
    let store = Store::open(dir.db()).unwrap();
    let mut new = store.journal::<PaidV2>("pay").unwrap();
    let v2 = PaidV2 { sen: 5, note: "x".into() };
    new.append(&[Recorded::new(2, at(1), actor(), None, v2.clone())]).unwrap();
    let events: Vec<_> = new.read_range(1, 2).unwrap().into_iter().map(|r| r.event).collect();
    assert_eq!(events, [PaidV2 { sen: 700, note: String::new() }, v2]);
    // The old build cannot read the newer record, and says so.
    let old = store.journal::<PaidV1>("pay").unwrap();
    let err = old.read_range(1, 2).unwrap_err();
    assert!(
        matches!(&err, JournalError::Corrupt { sequence: 2, reason, .. } if reason.contains("newer")),
        "{err}"
    );
}

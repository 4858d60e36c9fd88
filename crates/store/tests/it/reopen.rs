//! Closing and reopening: nothing acknowledged is lost; one writer at a time.

use std::time::Duration;

use tangguh_core::{BookError, Journal, JournalError};
use tangguh_store::{Store, StoreError, StoreOptions};

use crate::{Savings, TempDir, clock, deposit, transfer};

#[test]
fn reopening_replays_to_the_same_state() {
    let dir = TempDir::new("reopen");
    let state = {
        let store = Store::open(dir.db()).unwrap();
        let (mut book, _) = store.open_book::<Savings>("savings", clock()).unwrap();
        book.execute(deposit("siti", 100)).unwrap();
        book.execute(transfer("siti", "budi", 40)).unwrap();
        let refused = book.execute(transfer("budi", "ani", 41)).unwrap_err();
        assert!(matches!(refused, BookError::Rejected(_)));
        book.state().clone()
    };
    let store = Store::open(dir.db()).unwrap();
    let (mut book, report) = store.open_book::<Savings>("savings", clock()).unwrap();
    assert_eq!(book.state(), &state);
    assert_eq!((report.snapshot, report.replayed), (None, 3));
    // Appending continues the sequence.
    let outcome = book.execute(deposit("ani", 5)).unwrap();
    assert_eq!(outcome.records[0].sequence, 4);
    assert_eq!(store.verify("savings").unwrap().records, 4);
}

#[test]
fn a_second_writer_is_refused_and_readers_are_allowed() {
    let dir = TempDir::new("lock");
    let writer = Store::open(dir.db()).unwrap();
    let err = Store::open_with(dir.db(), &StoreOptions::new().with_lock_wait(Duration::ZERO))
        .unwrap_err();
    assert!(matches!(Store::open(dir.db()), Err(StoreError::Locked { .. })));
    let StoreError::Locked { holder, .. } = &err else { panic!("{err}") };
    assert_eq!(holder.as_deref(), Some(format!("pid {}", std::process::id()).as_str()));
    assert!(err.to_string().contains("locked by another writer"), "{err}");

    let (mut book, _) = writer.open_book::<Savings>("savings", clock()).unwrap();
    book.execute(deposit("siti", 10)).unwrap();

    let reader = Store::open_read_only(dir.db()).unwrap();
    assert!(reader.is_read_only());
    let (read_book, _) = reader.open_book::<Savings>("savings", clock()).unwrap();
    assert_eq!(read_book.state(), book.state());
    // The reader sees later commits too.
    book.execute(deposit("siti", 5)).unwrap();
    assert_eq!(
        reader.journal::<crate::SavingsEvent>("savings").unwrap().next_sequence().unwrap(),
        3
    );

    // Writing through the reader is refused with a clear error.
    let (mut read_book, _) = reader.open_book::<Savings>("savings", clock()).unwrap();
    let err = read_book.execute(deposit("siti", 1)).unwrap_err();
    let BookError::Journal(journal_err) = &err else { panic!("{err}") };
    assert!(
        matches!(StoreError::from_journal_error(journal_err), Some(StoreError::ReadOnly { .. })),
        "{journal_err}"
    );
    assert!(matches!(
        reader.save_snapshot("savings", 1, read_book.state()),
        Err(StoreError::ReadOnly { .. })
    ));

    // Once the writer is gone (every clone and journal), another may open.
    drop((book, writer));
    let again = Store::open(dir.db()).unwrap();
    assert_eq!(again.verify("savings").unwrap().records, 2);
}

#[test]
fn a_newer_format_is_refused() {
    let dir = TempDir::new("format");
    drop(Store::open(dir.db()).unwrap());
    let conn = rusqlite::Connection::open(dir.db()).unwrap();
    conn.execute("UPDATE meta SET value = '99' WHERE key = 'format'", []).unwrap();
    drop(conn);
    let err = Store::open(dir.db()).unwrap_err();
    assert!(matches!(err, StoreError::UnsupportedFormat { found: 99, supported: 1 }), "{err}");
    let err = Store::open_read_only(dir.db()).unwrap_err();
    assert!(matches!(err, StoreError::UnsupportedFormat { .. }), "{err}");
}

#[test]
fn a_missing_file_cannot_be_opened_read_only() {
    let dir = TempDir::new("missing");
    let err = Store::open_read_only(dir.path().join("nope.db")).unwrap_err();
    assert!(matches!(err, StoreError::Io { .. }), "{err}");
}

#[test]
fn a_gap_in_a_stream_is_reported_with_its_number() {
    let dir = TempDir::new("gap");
    {
        let store = Store::open(dir.db()).unwrap();
        let (mut book, _) = store.open_book::<Savings>("savings", clock()).unwrap();
        for i in 1..=4 {
            book.execute(deposit("siti", i)).unwrap();
        }
    }
    let conn = rusqlite::Connection::open(dir.db()).unwrap();
    conn.execute("DELETE FROM events WHERE stream = 'savings' AND sequence = 3", []).unwrap();
    drop(conn);
    let store = Store::open(dir.db()).unwrap();
    let err = store.open_book::<Savings>("savings", clock()).unwrap_err();
    assert!(
        matches!(&err, StoreError::Corrupt { stream, sequence: 3, .. } if stream == "savings"),
        "{err}"
    );
    let err = store.verify("savings").unwrap_err();
    assert!(matches!(err, StoreError::Corrupt { sequence: 3, .. }), "{err}");
    let journal = store.journal::<crate::SavingsEvent>("savings").unwrap();
    assert!(matches!(journal.read_range(1, 4), Err(JournalError::Corrupt { sequence: 3, .. })));
}

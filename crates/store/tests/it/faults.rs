//! Damaged, full and read-only files: each a clear `StoreError`, never a
//! panic, never a silent skip.

use std::io::{Read as _, Seek as _, SeekFrom, Write as _};

use tangguh_core::{BookError, Journal, JournalError};
use tangguh_store::{Store, StoreError, StoreOptions};

use crate::{Savings, SavingsEvent, TempDir, clock, deposit};

/// A closed store with `n` deposits by a member whose name is easy to find
/// in the file.
fn written(dir: &TempDir, n: u64) {
    let store = Store::open(dir.db()).unwrap();
    let (mut book, _) = store.open_book::<Savings>("savings", clock()).unwrap();
    for i in 1..=n {
        book.execute(deposit(&format!("anggota-{i:05}-marker"), i)).unwrap();
    }
}

/// Opens the store and reads the whole stream: the first error, if any.
fn open_and_read(dir: &TempDir) -> Result<(), StoreError> {
    let store = Store::open(dir.db())?;
    store.open_book::<Savings>("savings", clock())?;
    store.verify("savings")?;
    Ok(())
}

#[test]
fn an_edited_record_is_reported_with_its_stream_and_sequence() {
    let dir = TempDir::new("edited");
    written(&dir, 5);
    let conn = rusqlite::Connection::open(dir.db()).unwrap();
    conn.execute(
        "UPDATE events SET event_json = replace(event_json, '\"amount\":3', '\"amount\":300')
         WHERE stream = 'savings' AND sequence = 3",
        [],
    )
    .unwrap();
    drop(conn);
    let store = Store::open(dir.db()).unwrap();
    let err = store.verify("savings").unwrap_err();
    assert!(
        matches!(&err, StoreError::Corrupt { stream, sequence: 3, reason }
            if stream == "savings" && reason.contains("hash")),
        "{err}"
    );
    let err = store.open_book::<Savings>("savings", clock()).unwrap_err();
    assert!(matches!(err, StoreError::Corrupt { sequence: 3, .. }), "{err}");
    // Records before the damage still read.
    let journal = store.journal::<SavingsEvent>("savings").unwrap();
    assert_eq!(journal.read_range(1, 2).unwrap().len(), 2);
    assert!(matches!(journal.read_range(1, 5), Err(JournalError::Corrupt { sequence: 3, .. })));
}

#[test]
fn undecodable_json_is_corrupt_not_a_panic() {
    let dir = TempDir::new("badjson");
    written(&dir, 2);
    // An editor who also recomputes nothing: the hash catches it first, and
    // the error names the record.
    let conn = rusqlite::Connection::open(dir.db()).unwrap();
    conn.execute("UPDATE events SET event_json = '{not json' WHERE sequence = 2", []).unwrap();
    conn.execute("UPDATE events SET actor = '' WHERE sequence = 1", []).unwrap();
    drop(conn);
    let err = open_and_read(&dir).unwrap_err();
    assert!(matches!(err, StoreError::Corrupt { sequence: 1, .. }), "{err}");
}

#[test]
fn flipped_bytes_in_the_file_are_caught() {
    let dir = TempDir::new("flipped");
    written(&dir, 50);
    let mut bytes = Vec::new();
    std::fs::File::open(dir.db()).unwrap().read_to_end(&mut bytes).unwrap();
    let needle = b"anggota-00020-marker";
    let at =
        bytes.windows(needle.len()).position(|w| w == needle).expect("the record is in the file");
    let mut file = std::fs::OpenOptions::new().write(true).open(dir.db()).unwrap();
    file.seek(SeekFrom::Start(u64::try_from(at).unwrap() + 8)).unwrap();
    file.write_all(b"X").unwrap();
    drop(file);
    let err = open_and_read(&dir).unwrap_err();
    assert!(matches!(err, StoreError::Corrupt { sequence: 20, .. }), "{err}");
}

#[test]
fn a_truncated_file_is_a_damaged_file() {
    let dir = TempDir::new("truncated");
    written(&dir, 300);
    let len = std::fs::metadata(dir.db()).unwrap().len();
    let file = std::fs::OpenOptions::new().write(true).open(dir.db()).unwrap();
    file.set_len(len / 2).unwrap();
    drop(file);
    let err = open_and_read(&dir).unwrap_err();
    assert!(matches!(err, StoreError::DamagedFile { .. }), "{err}");
    // SQLite's own check says so too, through a reader.
    if let Ok(reader) = Store::open_read_only(dir.db()) {
        assert!(matches!(reader.check_file(), Err(StoreError::DamagedFile { .. })));
    }
}

#[test]
fn a_file_that_is_not_a_database_is_refused() {
    let dir = TempDir::new("garbage");
    std::fs::write(dir.db(), "these are minutes of the RT meeting, not a database\n".repeat(100))
        .unwrap();
    let err = Store::open(dir.db()).unwrap_err();
    assert!(matches!(err, StoreError::DamagedFile { .. }), "{err}");
    let err = Store::open_read_only(dir.db()).unwrap_err();
    assert!(matches!(err, StoreError::DamagedFile { .. }), "{err}");
    // A SQLite file of someone else's.
    let other = dir.path().join("other.db");
    rusqlite::Connection::open(&other).unwrap().execute_batch("CREATE TABLE t (x);").unwrap();
    let err = Store::open_read_only(&other).unwrap_err();
    assert!(matches!(err, StoreError::DamagedFile { .. }), "{err}");
    assert!(Store::open(dir.path().join("fresh.db")).unwrap().check_file().is_ok());
}

#[test]
fn a_full_disk_refuses_the_batch_and_keeps_what_was_acknowledged() {
    let dir = TempDir::new("full");
    let options = StoreOptions::new().with_max_size(64 * 1024);
    let store = Store::open_with(dir.db(), &options).unwrap();
    let (mut book, _) = store.open_book::<Savings>("savings", clock()).unwrap();
    let mut acknowledged = 0u64;
    let err = loop {
        let member = format!("anggota-{acknowledged:06}-{}", "x".repeat(200));
        match book.execute(deposit(&member, 1)) {
            Ok(_) => acknowledged += 1,
            Err(err) => break err,
        }
        assert!(acknowledged < 10_000, "the size limit never bit");
    };
    let BookError::Journal(journal_err) = &err else { panic!("{err}") };
    let store_err = StoreError::from_journal_error(journal_err).expect("a store error inside");
    assert!(matches!(store_err, StoreError::DiskFull { .. }), "{store_err}");
    assert!(store_err.to_string().contains("full"));
    assert_eq!(book.last_sequence(), acknowledged);
    drop((book, store));
    let store = Store::open(dir.db()).unwrap();
    assert_eq!(store.verify("savings").unwrap().records, acknowledged);
    let (book, _) = store.open_book::<Savings>("savings", clock()).unwrap();
    assert_eq!(book.state().balances_len(), usize::try_from(acknowledged).unwrap());
}

#[test]
fn a_read_only_file_is_refused_for_writing() {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = TempDir::new("readonly");
    written(&dir, 1);
    std::fs::set_permissions(dir.db(), std::fs::Permissions::from_mode(0o444)).unwrap();
    let privileged = std::fs::OpenOptions::new().write(true).open(dir.db()).is_ok();
    let result = Store::open(dir.db());
    if privileged {
        // root ignores file modes: SQLite can write, so the open succeeds.
        eprintln!("running as a privileged user: file modes are not enforced");
        assert!(result.is_ok());
    } else {
        let err = result.unwrap_err();
        assert!(matches!(err, StoreError::ReadOnly { .. }), "{err}");
    }
    // A reader never writes, whoever it runs as.
    let reader = Store::open_read_only(dir.db()).unwrap();
    let mut journal = reader.journal::<SavingsEvent>("savings").unwrap();
    let record = journal.read_range(1, 1).unwrap().remove(0);
    let mut next = record.clone();
    next.sequence = 2;
    let err = journal.append(&[next]).unwrap_err();
    assert!(
        matches!(StoreError::from_journal_error(&err), Some(StoreError::ReadOnly { .. })),
        "{err}"
    );
    std::fs::set_permissions(dir.db(), std::fs::Permissions::from_mode(0o644)).unwrap();
}

#[test]
fn a_table_dropped_by_another_tool_is_a_sqlite_error() {
    let dir = TempDir::new("dropped");
    let store = Store::open(dir.db()).unwrap();
    let (mut book, _) = store.open_book::<Savings>("savings", clock()).unwrap();
    book.execute(deposit("siti", 1)).unwrap();
    let conn = rusqlite::Connection::open(dir.db()).unwrap();
    conn.execute_batch("DROP TABLE requests;").unwrap();
    drop(conn);
    let err = book.execute(deposit("siti", 1).with_request_id("x".parse().unwrap())).unwrap_err();
    let BookError::Journal(journal_err) = &err else { panic!("{err}") };
    assert!(
        matches!(StoreError::from_journal_error(journal_err), Some(StoreError::Sqlite { .. })),
        "{journal_err}"
    );
}

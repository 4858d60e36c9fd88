//! Snapshots: opening loads the newest usable one and replays the rest; a
//! damaged one is passed over.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use tangguh_core::{Aggregate, Context};
use tangguh_store::{Store, StoreError};

use crate::{Savings, SavingsError, SavingsEvent, TempDir, clock, deposit, transfer};

fn filled(dir: &TempDir, snapshots_at: &[u64], total: u64) -> Savings {
    let store = Store::open(dir.db()).unwrap();
    let (mut book, _) = store.open_book::<Savings>("savings", clock()).unwrap();
    for i in 1..=total {
        book.execute(deposit(if i % 2 == 0 { "siti" } else { "budi" }, i)).unwrap();
        if snapshots_at.contains(&i) {
            store.snapshot_book(&book).unwrap();
        }
    }
    book.state().clone()
}

#[test]
fn opening_loads_the_latest_snapshot_and_replays_the_rest() {
    let dir = TempDir::new("snap");
    let state = filled(&dir, &[3, 7], 10);
    let store = Store::open(dir.db()).unwrap();
    let (book, report) = store.open_book::<Savings>("savings", clock()).unwrap();
    assert_eq!(book.state(), &state);
    assert_eq!((report.snapshot, report.replayed), (Some(7), 3));
    assert!(report.rejected.is_empty());
    assert_eq!(book.last_sequence(), 10);
}

#[test]
fn a_damaged_snapshot_falls_back_to_an_older_one_then_to_full_replay() {
    let dir = TempDir::new("snap-damaged");
    let state = filled(&dir, &[3, 7], 10);
    let conn = rusqlite::Connection::open(dir.db()).unwrap();
    conn.execute("UPDATE snapshots SET state_json = '{\"balances\":{}}' WHERE sequence = 7", [])
        .unwrap();
    drop(conn);
    {
        let store = Store::open(dir.db()).unwrap();
        let (book, report) = store.open_book::<Savings>("savings", clock()).unwrap();
        assert_eq!(book.state(), &state);
        assert_eq!((report.snapshot, report.replayed), (Some(3), 7));
        assert_eq!(report.rejected.len(), 1);
        assert_eq!(report.rejected[0].sequence, 7);
        assert!(report.rejected[0].reason.contains("hash"), "{:?}", report.rejected);
    }
    let conn = rusqlite::Connection::open(dir.db()).unwrap();
    conn.execute("UPDATE snapshots SET state_json = 'not json' WHERE sequence = 3", []).unwrap();
    drop(conn);
    let store = Store::open(dir.db()).unwrap();
    let (book, report) = store.open_book::<Savings>("savings", clock()).unwrap();
    assert_eq!(book.state(), &state);
    assert_eq!((report.snapshot, report.replayed, report.rejected.len()), (None, 10, 2));
}

/// A state of another shape over the same events: its snapshot is not a
/// valid `Savings`.
#[derive(Default, Serialize, Deserialize)]
struct Count(u64);

impl Aggregate for Count {
    type Command = ();
    type Event = SavingsEvent;
    type Error = SavingsError;
    fn decide(&self, (): &(), _: &Context) -> Result<Vec<SavingsEvent>, SavingsError> {
        Ok(Vec::new())
    }
    fn apply(&mut self, _: &SavingsEvent) {
        self.0 += 1;
    }
}

#[test]
fn a_snapshot_of_another_shape_is_passed_over() {
    let dir = TempDir::new("snap-shape");
    let state = filled(&dir, &[], 4);
    let store = Store::open(dir.db()).unwrap();
    store.save_snapshot("savings", 4, &Count(4)).unwrap();
    let (book, report) = store.open_book::<Savings>("savings", clock()).unwrap();
    assert_eq!(book.state(), &state);
    assert_eq!(report.snapshot, None);
    assert!(report.rejected[0].reason.contains("not valid"), "{:?}", report.rejected);
}

#[test]
fn snapshots_are_checked_and_pruned() {
    let dir = TempDir::new("snap-prune");
    filled(&dir, &[1, 2, 3, 4], 5);
    let store = Store::open(dir.db()).unwrap();
    let err = store.save_snapshot("savings", 6, &Savings::default()).unwrap_err();
    assert!(matches!(err, StoreError::SnapshotAhead { sequence: 6, last: 5, .. }), "{err}");
    assert_eq!(store.prune_snapshots("savings", 2).unwrap(), 2);
    let (_, report) = store.open_book::<Savings>("savings", clock()).unwrap();
    assert_eq!(report.snapshot, Some(4));
}

/// A state whose JSON form cannot be written (a map with non-string keys).
#[derive(Default, Serialize)]
struct Unwritable(BTreeMap<(u8, u8), u8>);

impl Aggregate for Unwritable {
    type Command = ();
    type Event = SavingsEvent;
    type Error = SavingsError;
    fn decide(&self, (): &(), _: &Context) -> Result<Vec<SavingsEvent>, SavingsError> {
        Ok(Vec::new())
    }
    fn apply(&mut self, _: &SavingsEvent) {
        self.0.insert((1, 2), 3);
    }
}

#[test]
fn an_unserialisable_state_is_a_clear_error() {
    let dir = TempDir::new("snap-ser");
    filled(&dir, &[], 1);
    let store = Store::open(dir.db()).unwrap();
    let mut state = Unwritable::default();
    state.apply(&SavingsEvent::Deposited { member: "x".into(), amount: 1 });
    let err = store.save_snapshot("savings", 1, &state).unwrap_err();
    assert!(matches!(err, StoreError::Serialize { .. }), "{err}");
}

#[test]
fn a_transfer_snapshot_round_trips() {
    let dir = TempDir::new("snap-transfer");
    let store = Store::open(dir.db()).unwrap();
    let (mut book, _) = store.open_book::<Savings>("savings", clock()).unwrap();
    book.execute(deposit("siti", 9)).unwrap();
    book.execute(transfer("siti", "budi", 4)).unwrap();
    store.snapshot_book(&book).unwrap();
    let (again, report) = store.open_book::<Savings>("savings", clock()).unwrap();
    assert_eq!((report.snapshot, report.replayed), (Some(3), 0));
    assert_eq!(again.state(), book.state());
}

#[test]
fn an_unreadable_snapshot_row_is_reported_not_used() {
    let dir = TempDir::new("snap-unreadable");
    let state = filled(&dir, &[2], 3);
    let conn = rusqlite::Connection::open(dir.db()).unwrap();
    conn.execute("UPDATE snapshots SET state_json = x'00ff' WHERE sequence = 2", []).unwrap();
    drop(conn);
    let store = Store::open(dir.db()).unwrap();
    let (book, report) = store.open_book::<Savings>("savings", clock()).unwrap();
    assert_eq!(book.state(), &state);
    assert_eq!((report.snapshot, report.replayed), (None, 3));
    assert_eq!(report.rejected[0].sequence, 2);
    assert!(report.rejected[0].reason.contains("cannot be read"), "{:?}", report.rejected);
}

/// A state large enough (over 1 MiB of JSON) that its hash is checked on a
/// second thread while it is parsed.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
struct Padded {
    deposits: u64,
    pad: String,
}

impl Aggregate for Padded {
    type Command = ();
    type Event = SavingsEvent;
    type Error = SavingsError;
    fn decide(&self, (): &(), _: &Context) -> Result<Vec<SavingsEvent>, SavingsError> {
        Ok(Vec::new())
    }
    fn apply(&mut self, _: &SavingsEvent) {
        self.deposits += 1;
    }
}

#[test]
fn a_large_snapshot_is_hash_checked_while_parsed() {
    let dir = TempDir::new("snap-large");
    filled(&dir, &[], 4);
    let store = Store::open(dir.db()).unwrap();
    let big = Padded { deposits: 3, pad: "x".repeat(3 << 20) };
    store.save_snapshot("savings", 3, &big).unwrap();
    let (book, report) = store.open_book::<Padded>("savings", clock()).unwrap();
    assert_eq!((report.snapshot, report.replayed), (Some(3), 1));
    assert_eq!(book.state(), &Padded { deposits: 4, pad: big.pad.clone() });
    drop(book);
    drop(store);
    // One byte changed deep inside: still valid JSON, but not what was hashed.
    let conn = rusqlite::Connection::open(dir.db()).unwrap();
    conn.execute(
        "UPDATE snapshots SET state_json = substr(state_json, 1, 2000000) || 'y' ||
           substr(state_json, 2000002) WHERE sequence = 3",
        [],
    )
    .unwrap();
    drop(conn);
    let store = Store::open(dir.db()).unwrap();
    let (book, report) = store.open_book::<Padded>("savings", clock()).unwrap();
    assert_eq!((report.snapshot, report.replayed), (None, 4));
    assert_eq!(book.state().deposits, 4);
    assert!(report.rejected[0].reason.contains("hash does not match"), "{:?}", report.rejected);
}

//! Snapshots of a book's state, and opening a book from the latest one.

use std::sync::Arc;

use rusqlite::{OptionalExtension as _, params};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tangguh_core::{Aggregate, Book, Clock};

use crate::codec::{self, to_i64, to_u64};
use crate::error::StoreError;
use crate::sqlite::{SqliteJournal, Store, head};

/// A snapshot that [`Store::open_book`] could not use, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RejectedSnapshot {
    /// The sequence number the snapshot was taken at.
    pub sequence: u64,
    /// Why it was passed over (damaged, stale, or from another version).
    pub reason: String,
}

/// How [`Store::open_book`] rebuilt a book's state.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct OpenReport {
    /// The sequence number of the snapshot the state was loaded from, if one
    /// was used.
    pub snapshot: Option<u64>,
    /// How many records were replayed on top of it (or from the start).
    pub replayed: u64,
    /// Newer snapshots that were passed over, newest first. When every
    /// snapshot is rejected the book is rebuilt by full replay.
    pub rejected: Vec<RejectedSnapshot>,
}

/// A book on a stream of a [`Store`].
pub type StoreBook<A> = Book<A, SqliteJournal<<A as Aggregate>::Event>>;

impl Store {
    /// Saves `state` as the state of `stream` after record `sequence`.
    ///
    /// The snapshot records the hash of record `sequence`, the event schema
    /// version of `A` and a hash of its own JSON, so that
    /// [`open_book`](Store::open_book) can tell a damaged or stale snapshot
    /// and fall back. Saving again at the same sequence replaces it.
    ///
    /// # Errors
    ///
    /// [`StoreError::SnapshotAhead`] if the stream has no record `sequence`;
    /// [`StoreError::Serialize`]; [`StoreError::ReadOnly`]; the storage
    /// errors.
    pub fn save_snapshot<A>(&self, stream: &str, sequence: u64, state: &A) -> Result<(), StoreError>
    where
        A: Aggregate + Serialize,
    {
        codec::check_stream(stream)?;
        self.shared.writable()?;
        let state_json = serde_json::to_string(state).map_err(|e| StoreError::Serialize {
            stream: stream.to_owned(),
            message: e.to_string(),
        })?;
        let version = <A::Event as tangguh_core::DomainEvent>::SCHEMA_VERSION;
        let shared = &*self.shared;
        let sql = |e: rusqlite::Error| shared.sql(&e);
        let mut conn = shared.conn();
        let tx = conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(sql)?;
        let (last, _) = head(&tx, stream).map_err(sql)?;
        let chain_hash: Option<String> = if sequence == 0 {
            Some(codec::GENESIS.to_owned())
        } else {
            tx.query_row(
                "SELECT hash FROM events WHERE stream = ?1 AND sequence = ?2",
                params![stream, to_i64(sequence)],
                |r| r.get(0),
            )
            .optional()
            .map_err(sql)?
        };
        let Some(chain_hash) = chain_hash else {
            return Err(StoreError::SnapshotAhead { stream: stream.to_owned(), sequence, last });
        };
        let hash = codec::snapshot_hash(stream, sequence, version, &chain_hash, &state_json);
        tx.execute(
            "INSERT OR REPLACE INTO snapshots
                (stream, sequence, schema_version, chain_hash, state_json, hash)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![stream, to_i64(sequence), version, chain_hash, state_json, hash],
        )
        .map_err(sql)?;
        tx.commit().map_err(sql)
    }

    /// Saves the state of `book` (a book on this store) as a snapshot at its
    /// last record.
    ///
    /// # Errors
    ///
    /// As [`Store::save_snapshot`].
    pub fn snapshot_book<A>(&self, book: &StoreBook<A>) -> Result<(), StoreError>
    where
        A: Aggregate + Serialize,
    {
        self.save_snapshot(book.journal().stream(), book.last_sequence(), book.state())
    }

    /// Deletes all but the newest `keep` snapshots of `stream`, returning how
    /// many were deleted.
    ///
    /// # Errors
    ///
    /// [`StoreError::ReadOnly`]; the storage errors.
    pub fn prune_snapshots(&self, stream: &str, keep: u64) -> Result<u64, StoreError> {
        codec::check_stream(stream)?;
        self.shared.writable()?;
        let conn = self.shared.conn();
        let deleted = conn
            .execute(
                "DELETE FROM snapshots WHERE stream = ?1 AND sequence NOT IN
                   (SELECT sequence FROM snapshots WHERE stream = ?1
                    ORDER BY sequence DESC LIMIT ?2)",
                params![stream, to_i64(keep)],
            )
            .map_err(|e| self.shared.sql(&e))?;
        Ok(u64::try_from(deleted).unwrap_or(0))
    }

    /// Opens the book of `stream`: loads the newest usable snapshot and
    /// replays the records after it (or replays everything onto
    /// `A::default()` when there is none).
    ///
    /// A snapshot is passed over, and listed in the report, when its hash
    /// does not match its content, when it no longer matches the record it
    /// was taken at, when it was written for another event schema version,
    /// or when its JSON is not a valid `A`. The journal itself is never
    /// passed over: a damaged record is an error.
    ///
    /// # Errors
    ///
    /// [`StoreError::Corrupt`] naming the stream and the first damaged or
    /// missing record replayed; [`StoreError::InvalidStream`]; the storage
    /// errors.
    pub fn open_book<A>(
        &self,
        stream: &str,
        clock: Arc<dyn Clock>,
    ) -> Result<(StoreBook<A>, OpenReport), StoreError>
    where
        A: Aggregate + Default + DeserializeOwned,
    {
        let journal = self.journal::<A::Event>(stream)?;
        let mut report = OpenReport::default();
        let version = <A::Event as tangguh_core::DomainEvent>::SCHEMA_VERSION;
        let mut start: Option<(A, u64)> = None;
        // Newest first; a snapshot's state is read only once its cheap
        // checks pass, so older snapshots cost nothing.
        for head in self.snapshot_heads(stream)? {
            let head = match head {
                Ok(head) => head,
                Err(rejected) => {
                    report.rejected.push(rejected);
                    continue;
                }
            };
            let reject = |reason: String| RejectedSnapshot { sequence: head.sequence, reason };
            let current = if head.sequence == 0 {
                Some(codec::GENESIS.to_owned())
            } else {
                self.hash_of(stream, head.sequence)?
            };
            if current.as_deref() != Some(head.chain_hash.as_str()) {
                report
                    .rejected
                    .push(reject("it does not match the journal record it was taken at".into()));
                continue;
            }
            if head.schema_version != version {
                report.rejected.push(reject(format!(
                    "it was written for event schema version {}, this build has {version}",
                    head.schema_version
                )));
                continue;
            }
            match self.load_snapshot::<A>(stream, &head)? {
                Ok(state) => {
                    start = Some((state, head.sequence));
                    break;
                }
                Err(reason) => report.rejected.push(reject(reason)),
            }
        }
        let (state, through) = start.unwrap_or_else(|| (A::default(), 0));
        report.snapshot = (through > 0).then_some(through);
        let book = Book::resume(state, through, journal, clock)
            .map_err(|err| StoreError::from_journal(err, stream))?;
        report.replayed = book.last_sequence().saturating_sub(through);
        Ok((book, report))
    }

    /// The snapshots of `stream`, newest first, without their states.
    fn snapshot_heads(
        &self,
        stream: &str,
    ) -> Result<Vec<Result<SnapshotHead, RejectedSnapshot>>, StoreError> {
        let conn = self.shared.conn();
        let sql = |e: rusqlite::Error| self.shared.sql(&e);
        let mut stmt = conn.prepare(HEADS).map_err(sql)?;
        let rows = stmt
            .query_map([stream], |r| {
                let sequence = to_u64(r.get(0)?);
                let row = (|| {
                    Ok(SnapshotHead {
                        sequence,
                        schema_version: r.get(1)?,
                        chain_hash: r.get(2)?,
                        hash: r.get(3)?,
                    })
                })();
                Ok(row.map_err(|e: rusqlite::Error| RejectedSnapshot {
                    sequence,
                    reason: format!("a column cannot be read: {e}"),
                }))
            })
            .map_err(sql)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(sql)
    }

    /// Reads the state of the snapshot `head` names, checks it against its
    /// hash and deserialises it: the outer error is the storage's, the
    /// inner one why the snapshot is passed over.
    ///
    /// The text is used where SQLite holds it, not copied; a large one is
    /// hashed on a second thread while it is parsed.
    fn load_snapshot<A: DeserializeOwned>(
        &self,
        stream: &str,
        head: &SnapshotHead,
    ) -> Result<Result<A, String>, StoreError> {
        /// Below this size a second thread costs more than it saves.
        const PARALLEL_FROM: usize = 1 << 20;
        let conn = self.shared.conn();
        let loaded = conn
            .query_row(
                "SELECT state_json FROM snapshots WHERE stream = ?1 AND sequence = ?2",
                params![stream, to_i64(head.sequence)],
                |r| {
                    let Ok(text) = r.get_ref(0)?.as_str() else {
                        return Ok(Err("its state cannot be read as text".to_owned()));
                    };
                    let hash = || {
                        codec::snapshot_hash(
                            stream,
                            head.sequence,
                            head.schema_version,
                            &head.chain_hash,
                            text,
                        )
                    };
                    let (expected, parsed) = if text.len() < PARALLEL_FROM {
                        (hash(), serde_json::from_str::<A>(text))
                    } else {
                        std::thread::scope(|scope| {
                            let hashing = scope.spawn(hash);
                            let parsed = serde_json::from_str::<A>(text);
                            let expected = hashing
                                .join()
                                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
                            (expected, parsed)
                        })
                    };
                    Ok(if expected != head.hash {
                        Err("its hash does not match its content".to_owned())
                    } else {
                        parsed.map_err(|e| format!("its state is not valid: {e}"))
                    })
                },
            )
            .optional()
            .map_err(|e| self.shared.sql(&e))?;
        Ok(loaded.unwrap_or_else(|| Err("it was deleted while the book was opened".to_owned())))
    }

    fn hash_of(&self, stream: &str, sequence: u64) -> Result<Option<String>, StoreError> {
        let conn = self.shared.conn();
        conn.query_row(
            "SELECT hash FROM events WHERE stream = ?1 AND sequence = ?2",
            params![stream, to_i64(sequence)],
            |r| r.get(0),
        )
        .optional()
        .map_err(|e| self.shared.sql(&e))
    }
}

/// A stream's snapshots without their states, newest first: answered from
/// the `snapshot_heads` index alone (see the schema).
const HEADS: &str = "SELECT sequence, schema_version, chain_hash, hash FROM snapshots
                     WHERE stream = ?1 ORDER BY sequence DESC";

struct SnapshotHead {
    sequence: u64,
    schema_version: u32,
    chain_hash: String,
    hash: String,
}

#[cfg(test)]
mod tests {
    /// Listing the snapshots reads the covering index, never the rows (and
    /// so never a state's overflow pages).
    #[test]
    fn the_snapshot_heads_come_from_the_covering_index() {
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        conn.execute_batch(crate::sqlite::SCHEMA).unwrap();
        let mut stmt = conn.prepare(&format!("EXPLAIN QUERY PLAN {}", super::HEADS)).unwrap();
        let plan: Vec<String> =
            stmt.query_map(["s"], |r| r.get(3)).unwrap().collect::<Result<_, _>>().unwrap();
        assert!(
            plan.iter().any(|step| step.contains("USING COVERING INDEX snapshot_heads")),
            "{plan:?}"
        );
    }
}

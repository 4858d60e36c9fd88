//! The PostgreSQL journal (feature `postgres`).

use std::marker::PhantomData;
use std::ops::ControlFlow;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use postgres::error::SqlState;
use postgres::{Client, NoTls};
use tangguh_core::{
    CommandDigest, DomainEvent, Journal, JournalError, Recorded, RequestId, RequestRecord,
    check_batch,
};

use crate::codec::{self, GENESIS, StoredRecord, to_i64, to_u64};
use crate::error::StoreError;
use crate::sqlite::Verified;

const READ_CHUNK: i64 = 2048;

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS tangguh_events (
    stream         TEXT   NOT NULL,
    sequence       BIGINT NOT NULL CHECK (sequence >= 1),
    recorded_at    TEXT   NOT NULL,
    actor          TEXT   NOT NULL,
    request_id     TEXT,
    request_digest TEXT,
    schema_version BIGINT NOT NULL,
    event_json     TEXT   NOT NULL,
    prev_hash      TEXT   NOT NULL,
    hash           TEXT   NOT NULL,
    CONSTRAINT tangguh_events_stream_sequence PRIMARY KEY (stream, sequence)
);
CREATE TABLE IF NOT EXISTS tangguh_requests (
    stream         TEXT   NOT NULL,
    request_id     TEXT   NOT NULL,
    digest         TEXT   NOT NULL,
    first_sequence BIGINT NOT NULL,
    last_sequence  BIGINT NOT NULL,
    CONSTRAINT tangguh_requests_stream_request PRIMARY KEY (stream, request_id)
);
";

fn pg_error(err: &postgres::Error) -> StoreError {
    let message = match err.as_db_error() {
        Some(db) => format!("{} ({})", db.message(), db.code().code()),
        None => {
            let mut text = err.to_string();
            let mut source = std::error::Error::source(err);
            while let Some(s) = source {
                text.push_str(": ");
                text.push_str(&s.to_string());
                source = s.source();
            }
            text
        }
    };
    StoreError::Postgres { message }
}

fn pg(err: &postgres::Error) -> JournalError {
    pg_error(err).into()
}

/// A connection to a PostgreSQL database holding Tangguh journals, shared by
/// the [`PgJournal`]s made from it. Several application servers may each
/// hold one on the same database: appends to a stream are checked against
/// its next sequence number inside their transaction (optimistic
/// concurrency), so a conflicting append is refused, never merged.
///
/// The tables (`tangguh_events`, `tangguh_requests`) have the same columns
/// and hashes as the SQLite store's `events` and `requests`.
#[derive(Clone)]
pub struct PgStore {
    client: Arc<Mutex<Client>>,
}

impl std::fmt::Debug for PgStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgStore").finish_non_exhaustive()
    }
}

impl PgStore {
    /// Connects (without TLS: use it on loopback or a private network) and
    /// creates the tables if they are missing.
    ///
    /// `url` is a libpq-style URL or key=value string, e.g.
    /// `postgresql://tangguh:secret@127.0.0.1:5432/tangguh`.
    ///
    /// # Errors
    ///
    /// [`StoreError::Postgres`] if the server cannot be reached or refuses.
    pub fn connect(url: &str) -> Result<Self, StoreError> {
        let mut client = Client::connect(url, NoTls).map_err(|e| pg_error(&e))?;
        {
            let mut tx = client.transaction().map_err(|e| pg_error(&e))?;
            // Two servers starting at once must not race on CREATE TABLE.
            tx.execute("SELECT pg_advisory_xact_lock(7261054)", &[]).map_err(|e| pg_error(&e))?;
            tx.batch_execute(SCHEMA).map_err(|e| pg_error(&e))?;
            tx.commit().map_err(|e| pg_error(&e))?;
        }
        Ok(Self { client: Arc::new(Mutex::new(client)) })
    }

    fn client(&self) -> MutexGuard<'_, Client> {
        self.client.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The journal of `stream`, holding events of type `E`.
    ///
    /// # Errors
    ///
    /// [`StoreError::InvalidStream`].
    pub fn journal<E: DomainEvent>(&self, stream: &str) -> Result<PgJournal<E>, StoreError> {
        codec::check_stream(stream)?;
        Ok(PgJournal { store: self.clone(), stream: stream.to_owned(), _event: PhantomData })
    }

    /// Walks the hash chain of `stream`, as [`Store::verify`](crate::Store::verify).
    ///
    /// # Errors
    ///
    /// [`StoreError::Corrupt`] naming the first broken record;
    /// [`StoreError::Postgres`].
    pub fn verify(&self, stream: &str) -> Result<Verified, StoreError> {
        codec::check_stream(stream)?;
        let mut prev = GENESIS.to_owned();
        let mut next = 1u64;
        loop {
            let rows = self.read_rows(stream, next, u64::MAX)?;
            if rows.is_empty() {
                break;
            }
            for row in rows {
                let corrupt = |reason: &str| StoreError::Corrupt {
                    stream: stream.to_owned(),
                    sequence: next,
                    reason: reason.to_owned(),
                };
                if row.sequence != next {
                    return Err(corrupt("the record is missing"));
                }
                if row.prev_hash != prev {
                    return Err(corrupt("its previous-hash does not match the record before it"));
                }
                if codec::record_hash(stream, &row) != row.hash {
                    return Err(corrupt("its hash does not match its content"));
                }
                prev = row.hash;
                next = next.saturating_add(1);
            }
        }
        Ok(Verified { records: next.saturating_sub(1), head: prev })
    }

    /// Deletes every record and request of `stream`. For tests and for
    /// retiring a stream; there is no undo.
    ///
    /// # Errors
    ///
    /// [`StoreError::Postgres`].
    pub fn drop_stream(&self, stream: &str) -> Result<(), StoreError> {
        let mut client = self.client();
        let mut tx = client.transaction().map_err(|e| pg_error(&e))?;
        tx.execute("DELETE FROM tangguh_events WHERE stream = $1", &[&stream])
            .map_err(|e| pg_error(&e))?;
        tx.execute("DELETE FROM tangguh_requests WHERE stream = $1", &[&stream])
            .map_err(|e| pg_error(&e))?;
        tx.commit().map_err(|e| pg_error(&e))
    }

    fn head(
        client: &mut impl postgres::GenericClient,
        stream: &str,
    ) -> Result<(u64, String), postgres::Error> {
        let row = client.query_opt(
            "SELECT sequence, hash FROM tangguh_events WHERE stream = $1
             ORDER BY sequence DESC LIMIT 1",
            &[&stream],
        )?;
        Ok(match row {
            Some(row) => (to_u64(row.try_get(0)?), row.try_get(1)?),
            None => (0, GENESIS.to_owned()),
        })
    }

    fn read_rows(
        &self,
        stream: &str,
        from: u64,
        until: u64,
    ) -> Result<Vec<StoredRecord>, StoreError> {
        let mut client = self.client();
        let rows = client
            .query(
                "SELECT sequence, recorded_at, actor, request_id, request_digest, schema_version,
                        event_json, prev_hash, hash
                 FROM tangguh_events WHERE stream = $1 AND sequence >= $2 AND sequence <= $3
                 ORDER BY sequence LIMIT $4",
                &[&stream, &to_i64(from), &to_i64(until), &READ_CHUNK],
            )
            .map_err(|e| pg_error(&e))?;
        rows.iter()
            .map(|r| {
                let sequence = to_u64(r.try_get(0).map_err(|e| pg_error(&e))?);
                let version: i64 = r.try_get(5).map_err(|e| pg_error(&e))?;
                let get = |i: usize| -> Result<String, StoreError> {
                    r.try_get(i).map_err(|e| pg_error(&e))
                };
                Ok(StoredRecord {
                    sequence,
                    recorded_at: get(1)?,
                    actor: get(2)?,
                    request_id: r.try_get(3).map_err(|e| pg_error(&e))?,
                    request_digest: r.try_get(4).map_err(|e| pg_error(&e))?,
                    schema_version: u32::try_from(version).map_err(|_| StoreError::Corrupt {
                        stream: stream.to_owned(),
                        sequence,
                        reason: format!("schema version {version} is out of range"),
                    })?,
                    event_json: get(6)?,
                    prev_hash: get(7)?,
                    hash: get(8)?,
                })
            })
            .collect()
    }
}

/// The journal of one stream in PostgreSQL: core's
/// [`Journal`](tangguh_core::Journal) with optimistic concurrency.
///
/// [`append`](Journal::append) runs one transaction that reads the stream's
/// last sequence number, checks the batch starts right after it, and inserts
/// the records; the primary key `(stream, sequence)` refuses the second of
/// two servers racing for the same number. Either way the loser gets
/// [`JournalError::SequenceConflict`] and nothing is written: it reopens the
/// book (replaying the winner's records) and decides again.
pub struct PgJournal<E> {
    store: PgStore,
    stream: String,
    _event: PhantomData<fn() -> E>,
}

impl<E> std::fmt::Debug for PgJournal<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PgJournal").field("stream", &self.stream).finish_non_exhaustive()
    }
}

impl<E> Clone for PgJournal<E> {
    fn clone(&self) -> Self {
        Self { store: self.store.clone(), stream: self.stream.clone(), _event: PhantomData }
    }
}

impl<E: DomainEvent> PgJournal<E> {
    /// The stream's name.
    #[must_use]
    pub fn stream(&self) -> &str {
        &self.stream
    }

    /// The store (connection) this journal uses.
    #[must_use]
    pub fn store(&self) -> &PgStore {
        &self.store
    }

    /// Visits the records from `from` to `until`, checking hashes and links;
    /// records after `until` are not read.
    fn walk(
        &self,
        from: u64,
        until: u64,
        visit: &mut dyn FnMut(Recorded<E>) -> ControlFlow<()>,
    ) -> Result<(), JournalError> {
        let mut next = from.max(1);
        let mut prev: Option<String> = if next == 1 {
            Some(GENESIS.to_owned())
        } else {
            let mut client = self.store.client();
            client
                .query_opt(
                    "SELECT hash FROM tangguh_events WHERE stream = $1 AND sequence = $2",
                    &[&self.stream, &to_i64(next - 1)],
                )
                .map_err(|e| pg(&e))?
                .map(|r| r.try_get(0))
                .transpose()
                .map_err(|e| pg(&e))?
        };
        loop {
            let rows = self.store.read_rows(&self.stream, next, until)?;
            if rows.is_empty() {
                return Ok(());
            }
            for row in rows {
                if row.sequence != next {
                    return Err(JournalError::Corrupt {
                        stream: self.stream.clone(),
                        sequence: next,
                        reason: "the record is missing".into(),
                    });
                }
                let hash = row.hash.clone();
                let record = codec::decode::<E>(&self.stream, row, prev.as_deref())?;
                prev = Some(hash);
                next = next.saturating_add(1);
                if visit(record).is_break() {
                    return Ok(());
                }
            }
        }
    }
}

impl<E: DomainEvent> Journal<E> for PgJournal<E> {
    fn next_sequence(&self) -> Result<u64, JournalError> {
        let mut client = self.store.client();
        let (last, _) = PgStore::head(&mut *client, &self.stream).map_err(|e| pg(&e))?;
        Ok(last.saturating_add(1))
    }

    fn append(&mut self, batch: &[Recorded<E>]) -> Result<(), JournalError> {
        if batch.is_empty() {
            return Ok(());
        }
        let mut client = self.store.client();
        let result = (|| {
            let mut tx = client.transaction().map_err(|e| pg(&e))?;
            let (last, mut prev) = PgStore::head(&mut tx, &self.stream).map_err(|e| pg(&e))?;
            let requests = check_batch(last.saturating_add(1), batch)?;
            for id in requests.keys() {
                let found = tx
                    .query_opt(
                        "SELECT 1 FROM tangguh_requests WHERE stream = $1 AND request_id = $2",
                        &[&self.stream, &id.as_str()],
                    )
                    .map_err(|e| pg(&e))?;
                if found.is_some() {
                    return Err(JournalError::DuplicateRequest { request_id: id.to_string() });
                }
            }
            let insert = tx
                .prepare(
                    "INSERT INTO tangguh_events (stream, sequence, recorded_at, actor, request_id,
                        request_digest, schema_version, event_json, prev_hash, hash)
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
                )
                .map_err(|e| pg(&e))?;
            for record in batch {
                let row = codec::encode(&self.stream, record, &prev)?;
                tx.execute(
                    &insert,
                    &[
                        &self.stream,
                        &to_i64(row.sequence),
                        &row.recorded_at,
                        &row.actor,
                        &row.request_id,
                        &row.request_digest,
                        &i64::from(row.schema_version),
                        &row.event_json,
                        &row.prev_hash,
                        &row.hash,
                    ],
                )
                .map_err(|e| conflict_or(&e, batch))?;
                prev = row.hash;
            }
            for (id, record) in &requests {
                tx.execute(
                    "INSERT INTO tangguh_requests
                        (stream, request_id, digest, first_sequence, last_sequence)
                     VALUES ($1, $2, $3, $4, $5)",
                    &[
                        &self.stream,
                        &id.as_str(),
                        &record.digest.to_string(),
                        &to_i64(record.first_sequence),
                        &to_i64(record.last_sequence),
                    ],
                )
                .map_err(|e| {
                    if e.code() == Some(&SqlState::UNIQUE_VIOLATION) {
                        JournalError::DuplicateRequest { request_id: id.to_string() }
                    } else {
                        pg(&e)
                    }
                })?;
            }
            tx.commit().map_err(|e| conflict_or(&e, batch))
        })();
        match result {
            // Tell the caller where the stream really is now.
            Err(JournalError::SequenceConflict { found, .. }) => {
                let expected = PgStore::head(&mut *client, &self.stream)
                    .map(|(last, _)| last.saturating_add(1))
                    .unwrap_or(found);
                Err(JournalError::SequenceConflict { expected, found })
            }
            other => other,
        }
    }

    fn for_each_from(
        &self,
        from: u64,
        visit: &mut dyn FnMut(Recorded<E>) -> ControlFlow<()>,
    ) -> Result<(), JournalError> {
        self.walk(from, u64::MAX, visit)
    }

    fn read_range(&self, first: u64, last: u64) -> Result<Vec<Recorded<E>>, JournalError> {
        let mut out = Vec::new();
        self.walk(first, last, &mut |record| {
            out.push(record);
            ControlFlow::Continue(())
        })?;
        Ok(out)
    }

    fn find_request(&self, id: &RequestId) -> Result<Option<RequestRecord>, JournalError> {
        let row = {
            let mut client = self.store.client();
            client
                .query_opt(
                    "SELECT digest, first_sequence, last_sequence FROM tangguh_requests
                     WHERE stream = $1 AND request_id = $2",
                    &[&self.stream, &id.as_str()],
                )
                .map_err(|e| pg(&e))?
        };
        let Some(row) = row else { return Ok(None) };
        let digest: String = row.try_get(0).map_err(|e| pg(&e))?;
        let first: i64 = row.try_get(1).map_err(|e| pg(&e))?;
        let last: i64 = row.try_get(2).map_err(|e| pg(&e))?;
        let digest = CommandDigest::parse(&digest).map_err(|e| JournalError::Corrupt {
            stream: self.stream.clone(),
            sequence: to_u64(first),
            reason: format!("request {id}: {e}"),
        })?;
        Ok(Some(RequestRecord::new(digest, to_u64(first), to_u64(last))))
    }
}

/// A unique violation on the events' key means another writer took the
/// sequence number first.
fn conflict_or<E>(err: &postgres::Error, batch: &[Recorded<E>]) -> JournalError {
    if err.code() == Some(&SqlState::UNIQUE_VIOLATION) {
        let found = batch.first().map_or(0, |r| r.sequence);
        JournalError::SequenceConflict { expected: found, found }
    } else {
        pg(err)
    }
}

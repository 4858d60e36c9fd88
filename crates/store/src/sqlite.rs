//! The SQLite store and its journals.

use std::marker::PhantomData;
use std::ops::ControlFlow;
use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension as _, TransactionBehavior, params};
use tangguh_core::{
    DomainEvent, Journal, JournalError, Recorded, RequestId, RequestRecord, check_batch,
};

use crate::codec::{self, GENESIS, StoredRecord, to_i64, to_u64};
use crate::error::StoreError;
use crate::lock::WriterLock;

/// The newest store format this crate writes and reads.
pub const FORMAT_VERSION: u32 = 1;

/// How many rows a read takes from the database at a time (the connection
/// is released between chunks, so a long replay does not block writers).
const READ_CHUNK: i64 = 2048;

pub(crate) const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
    stream         TEXT    NOT NULL,
    sequence       INTEGER NOT NULL CHECK (sequence >= 1),
    recorded_at    TEXT    NOT NULL,
    actor          TEXT    NOT NULL,
    request_id     TEXT,
    request_digest TEXT,
    schema_version INTEGER NOT NULL,
    event_json     TEXT    NOT NULL,
    prev_hash      TEXT    NOT NULL,
    hash           TEXT    NOT NULL,
    PRIMARY KEY (stream, sequence)
);
CREATE TABLE IF NOT EXISTS requests (
    stream         TEXT    NOT NULL,
    request_id     TEXT    NOT NULL,
    digest         TEXT    NOT NULL,
    first_sequence INTEGER NOT NULL,
    last_sequence  INTEGER NOT NULL,
    PRIMARY KEY (stream, request_id)
);
CREATE TABLE IF NOT EXISTS snapshots (
    stream         TEXT    NOT NULL,
    sequence       INTEGER NOT NULL,
    schema_version INTEGER NOT NULL,
    chain_hash     TEXT    NOT NULL,
    state_json     TEXT    NOT NULL,
    hash           TEXT    NOT NULL,
    PRIMARY KEY (stream, sequence)
);
-- Every column of a snapshot but its state, so that listing a stream's
-- snapshots (newest first, to pick one) reads this index and not the states:
-- `hash` follows `state_json` in the row, and reaching it there means walking
-- every overflow page of the state.
CREATE INDEX IF NOT EXISTS snapshot_heads
    ON snapshots (stream, sequence, schema_version, chain_hash, hash);
";

/// How to open a [`Store`].
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct StoreOptions {
    /// The largest the database file may grow to, in bytes (rounded down to
    /// whole pages). A write that would pass it fails with
    /// [`StoreError::DiskFull`] and writes nothing. `None`: no limit but the
    /// disk's.
    pub max_size: Option<u64>,
    /// How long a write waits for a lock held by another connection to the
    /// same file (an integrator's tool, a reader checkpointing) before it
    /// fails with [`StoreError::Locked`]. Default 5 s.
    pub busy_timeout: Duration,
    /// How long [`Store::open_with`] waits for the writer lock before it
    /// fails with [`StoreError::Locked`]. Default 1 s: long enough to ride
    /// out a lock held for a moment by a process this one just forked, short
    /// enough that a second writer hears about the first at once.
    pub lock_wait: Duration,
}

impl Default for StoreOptions {
    fn default() -> Self {
        Self {
            max_size: None,
            busy_timeout: Duration::from_secs(5),
            lock_wait: Duration::from_secs(1),
        }
    }
}

impl StoreOptions {
    /// The defaults: no size limit, a 5 s busy timeout, a 1 s lock wait.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// The same options with a size limit in bytes.
    #[must_use]
    pub fn with_max_size(self, bytes: u64) -> Self {
        Self { max_size: Some(bytes), ..self }
    }

    /// The same options waiting at most `wait` for the writer lock
    /// (`Duration::ZERO`: refuse at once).
    #[must_use]
    pub fn with_lock_wait(self, wait: Duration) -> Self {
        Self { lock_wait: wait, ..self }
    }
}

pub(crate) struct Shared {
    conn: Mutex<Connection>,
    pub(crate) path: String,
    read_only: bool,
    _lock: Option<WriterLock>,
}

impl Shared {
    pub(crate) fn conn(&self) -> MutexGuard<'_, Connection> {
        // A panic while the connection was held leaves no half-done work
        // behind: an open transaction is rolled back when it is dropped.
        self.conn.lock().unwrap_or_else(PoisonError::into_inner)
    }

    pub(crate) fn sql(&self, err: &rusqlite::Error) -> StoreError {
        StoreError::sqlite(&self.path, err)
    }

    pub(crate) fn writable(&self) -> Result<(), StoreError> {
        if self.read_only {
            return Err(StoreError::ReadOnly { path: self.path.clone() });
        }
        Ok(())
    }
}

/// A durable store: one SQLite file holding the journals (one stream per
/// book) and snapshots of a whole deployment.
///
/// Cloning a `Store` is cheap and shares its one connection; every
/// [`SqliteJournal`] made from it shares it too. A `Store` opened with
/// [`Store::open`] holds the file's writer lock until the last clone and
/// journal are dropped.
///
/// # Examples
///
/// ```
/// use tangguh_core::{Actor, DomainEvent, Journal, Recorded};
/// use tangguh_store::Store;
///
/// #[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
/// struct Noted(String);
/// impl DomainEvent for Noted {
///     const SCHEMA_VERSION: u32 = 1;
/// }
///
/// let dir = std::env::temp_dir().join(format!("tangguh-store-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir)?;
/// let store = Store::open(dir.join("desa.db"))?;
/// let mut journal = store.journal::<Noted>("notes/mungku-baru")?;
/// let at = chrono::DateTime::UNIX_EPOCH;
/// let note = Noted("banjir surut".to_owned());
/// journal.append(&[Recorded::new(1, at, Actor::try_new("admin")?, None, note.clone())])?;
/// assert_eq!(journal.next_sequence()?, 2);
/// assert_eq!(journal.read_range(1, 1)?[0].event, note);
/// # drop((journal, store));
/// # std::fs::remove_dir_all(&dir)?;
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct Store {
    pub(crate) shared: Arc<Shared>,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("path", &self.shared.path)
            .field("read_only", &self.shared.read_only)
            .finish_non_exhaustive()
    }
}

/// What [`Store::verify`] found on an intact stream.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Verified {
    /// The number of records checked.
    pub records: u64,
    /// The hash of the last record (64 hex digits; zeros for an empty stream).
    pub head: String,
}

/// A stream in the store and how far it goes.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct StreamInfo {
    /// The stream's name.
    pub name: String,
    /// Its last sequence number.
    pub last_sequence: u64,
}

impl Store {
    /// Opens (or creates) the store at `path` for writing, with default
    /// options.
    ///
    /// # Errors
    ///
    /// [`StoreError::Locked`] if another writer holds the file;
    /// [`StoreError::ReadOnly`] if the file cannot be written;
    /// [`StoreError::DamagedFile`] if it is not a SQLite database;
    /// [`StoreError::UnsupportedFormat`] if a newer version wrote it;
    /// [`StoreError::Io`] if the file or its lock file cannot be opened.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        Self::open_with(path, &StoreOptions::default())
    }

    /// Opens (or creates) the store at `path` for writing.
    ///
    /// The writer lock (see the crate docs) is taken first, waiting at most
    /// [`StoreOptions::lock_wait`] for it.
    ///
    /// # Errors
    ///
    /// As [`Store::open`].
    pub fn open_with(path: impl AsRef<Path>, options: &StoreOptions) -> Result<Self, StoreError> {
        let path = path.as_ref();
        let shown = path.display().to_string();
        let lock = WriterLock::acquire(path, options.lock_wait)?;
        let sql = |err: rusqlite::Error| StoreError::sqlite(&shown, &err);
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE
                | OpenFlags::SQLITE_OPEN_CREATE
                | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(sql)?;
        if conn.is_readonly(rusqlite::MAIN_DB).map_err(sql)? {
            return Err(StoreError::ReadOnly { path: shown });
        }
        conn.busy_timeout(options.busy_timeout).map_err(sql)?;
        let mode: String =
            conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0)).map_err(sql)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError::Sqlite {
                message: format!("{shown}: could not switch to WAL mode (got {mode})"),
            });
        }
        conn.execute_batch("PRAGMA synchronous = FULL; PRAGMA foreign_keys = OFF;").map_err(sql)?;
        if let Some(max) = options.max_size {
            let page: i64 = conn.query_row("PRAGMA page_size", [], |r| r.get(0)).map_err(sql)?;
            let pages = max / u64::try_from(page.max(1)).unwrap_or(4096);
            conn.query_row(&format!("PRAGMA max_page_count = {}", pages.max(1)), [], |_| Ok(()))
                .map_err(sql)?;
        }
        {
            let tx = conn.unchecked_transaction().map_err(sql)?;
            tx.execute_batch(SCHEMA).map_err(sql)?;
            let found: Option<String> = tx
                .query_row("SELECT value FROM meta WHERE key = 'format'", [], |r| r.get(0))
                .optional()
                .map_err(sql)?;
            match found {
                None => {
                    tx.execute(
                        "INSERT INTO meta (key, value) VALUES ('format', ?1), ('created_by', ?2)",
                        params![
                            FORMAT_VERSION.to_string(),
                            concat!("tangguh-store ", env!("CARGO_PKG_VERSION"))
                        ],
                    )
                    .map_err(sql)?;
                }
                Some(v) => check_format(&shown, &v)?,
            }
            tx.commit().map_err(sql)?;
        }
        Ok(Self {
            shared: Arc::new(Shared {
                conn: Mutex::new(conn),
                path: shown,
                read_only: false,
                _lock: Some(lock),
            }),
        })
    }

    /// Opens an existing store for reading only, without the writer lock:
    /// any number of readers may open a file while one writer writes it.
    /// Appends through its journals fail with [`StoreError::ReadOnly`].
    ///
    /// # Errors
    ///
    /// [`StoreError::Io`] if the file does not exist or cannot be opened;
    /// [`StoreError::DamagedFile`]; [`StoreError::UnsupportedFormat`].
    pub fn open_read_only(path: impl AsRef<Path>) -> Result<Self, StoreError> {
        let path = path.as_ref();
        let shown = path.display().to_string();
        let sql = |err: rusqlite::Error| StoreError::sqlite(&shown, &err);
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(sql)?;
        conn.busy_timeout(Duration::from_secs(5)).map_err(sql)?;
        let found: Option<String> = conn
            .query_row("SELECT value FROM meta WHERE key = 'format'", [], |r| r.get(0))
            .optional()
            .map_err(|err| match sql(err) {
                StoreError::Sqlite { message } if message.contains("no such table") => {
                    StoreError::DamagedFile {
                        path: shown.clone(),
                        reason: "it is not a tangguh store (no meta table)".into(),
                    }
                }
                other => other,
            })?;
        match found {
            Some(v) => check_format(&shown, &v)?,
            None => {
                return Err(StoreError::DamagedFile {
                    path: shown,
                    reason: "it has no format version".into(),
                });
            }
        }
        Ok(Self {
            shared: Arc::new(Shared {
                conn: Mutex::new(conn),
                path: shown,
                read_only: true,
                _lock: None,
            }),
        })
    }

    /// The database file's path, as shown in messages.
    #[must_use]
    pub fn path(&self) -> &str {
        &self.shared.path
    }

    /// Whether the store was opened read-only.
    #[must_use]
    pub fn is_read_only(&self) -> bool {
        self.shared.read_only
    }

    /// The journal of `stream` (created on its first append), holding events
    /// of type `E`.
    ///
    /// # Errors
    ///
    /// [`StoreError::InvalidStream`] for an empty name, one longer than 200
    /// characters, or one with control characters or outer spaces.
    pub fn journal<E: DomainEvent>(&self, stream: &str) -> Result<SqliteJournal<E>, StoreError> {
        codec::check_stream(stream)?;
        Ok(SqliteJournal {
            shared: Arc::clone(&self.shared),
            stream: stream.to_owned(),
            _event: PhantomData,
        })
    }

    /// Every stream with at least one record, by name.
    ///
    /// # Errors
    ///
    /// [`StoreError::Sqlite`] and the other storage errors.
    pub fn streams(&self) -> Result<Vec<StreamInfo>, StoreError> {
        let conn = self.shared.conn();
        let sql = |e: rusqlite::Error| self.shared.sql(&e);
        let mut stmt = conn
            .prepare("SELECT stream, MAX(sequence) FROM events GROUP BY stream ORDER BY stream")
            .map_err(sql)?;
        let rows = stmt
            .query_map([], |r| Ok(StreamInfo { name: r.get(0)?, last_sequence: to_u64(r.get(1)?) }))
            .map_err(sql)?;
        rows.collect::<Result<_, _>>().map_err(sql)
    }

    /// Walks the whole hash chain of `stream`: every record's hash must
    /// match its content and the previous record's hash, and the sequence
    /// numbers must run from 1 without gaps. Does not decode the events, so
    /// it works without knowing their type.
    ///
    /// # Errors
    ///
    /// [`StoreError::Corrupt`] naming the first broken record and why;
    /// [`StoreError::InvalidStream`]; the storage errors.
    pub fn verify(&self, stream: &str) -> Result<Verified, StoreError> {
        codec::check_stream(stream)?;
        let mut prev = GENESIS.to_owned();
        let mut next = 1u64;
        loop {
            let rows = read_rows(&self.shared, stream, next, u64::MAX, READ_CHUNK)?;
            if rows.is_empty() {
                break;
            }
            for row in rows {
                check_row(stream, &row, next, &prev)?;
                prev = row.hash;
                next = next.saturating_add(1);
            }
        }
        Ok(Verified { records: next.saturating_sub(1), head: prev })
    }

    /// Runs SQLite's own consistency check of the file (`PRAGMA
    /// quick_check`): pages, indexes, records. Linear in the file size.
    ///
    /// # Errors
    ///
    /// [`StoreError::DamagedFile`] with SQLite's first complaint; the
    /// storage errors.
    pub fn check_file(&self) -> Result<(), StoreError> {
        let conn = self.shared.conn();
        let result: String = conn
            .query_row("PRAGMA quick_check", [], |r| r.get(0))
            .map_err(|e| self.shared.sql(&e))?;
        if result == "ok" {
            Ok(())
        } else {
            Err(StoreError::DamagedFile { path: self.shared.path.clone(), reason: result })
        }
    }
}

fn check_format(path: &str, value: &str) -> Result<(), StoreError> {
    let found: u32 = value.parse().map_err(|_| StoreError::DamagedFile {
        path: path.to_owned(),
        reason: format!("format version {value:?} is not a number"),
    })?;
    if found > FORMAT_VERSION {
        return Err(StoreError::UnsupportedFormat { found, supported: FORMAT_VERSION });
    }
    Ok(())
}

/// Checks one row against what the chain expects at this point.
fn check_row(
    stream: &str,
    row: &StoredRecord,
    sequence: u64,
    prev: &str,
) -> Result<(), StoreError> {
    let corrupt = |sequence, reason: &str| StoreError::Corrupt {
        stream: stream.to_owned(),
        sequence,
        reason: reason.to_owned(),
    };
    if row.sequence != sequence {
        return Err(corrupt(sequence, "the record is missing"));
    }
    if row.prev_hash != prev {
        return Err(corrupt(sequence, "its previous-hash does not match the record before it"));
    }
    if !codec::hash_matches(stream, row) {
        return Err(corrupt(sequence, "its hash does not match its content"));
    }
    Ok(())
}

/// Reads up to `limit` rows of `stream` from sequence `from` to `until`.
pub(crate) fn read_rows(
    shared: &Shared,
    stream: &str,
    from: u64,
    until: u64,
    limit: i64,
) -> Result<Vec<StoredRecord>, StoreError> {
    let conn = shared.conn();
    let sql = |e: rusqlite::Error| shared.sql(&e);
    let mut stmt = conn
        .prepare_cached(
            "SELECT sequence, recorded_at, actor, request_id, request_digest, schema_version,
                    event_json, prev_hash, hash
             FROM events WHERE stream = ?1 AND sequence >= ?2 AND sequence <= ?3
             ORDER BY sequence LIMIT ?4",
        )
        .map_err(sql)?;
    let rows = stmt
        .query_map(params![stream, to_i64(from), to_i64(until), limit], |r| {
            Ok(StoredRecord {
                sequence: to_u64(r.get(0)?),
                recorded_at: r.get(1)?,
                actor: r.get(2)?,
                request_id: r.get(3)?,
                request_digest: r.get(4)?,
                schema_version: r.get(5)?,
                event_json: r.get(6)?,
                prev_hash: r.get(7)?,
                hash: r.get(8)?,
            })
        })
        .map_err(sql)?;
    let mut out = Vec::new();
    for row in rows {
        out.push(row.map_err(|e| match e {
            rusqlite::Error::SqliteFailure(..) => sql(e),
            // A value of the wrong type in a column: the row is damaged.
            other => StoreError::Corrupt {
                stream: stream.to_owned(),
                sequence: from.saturating_add(u64::try_from(out.len()).unwrap_or(0)),
                reason: format!("a column cannot be read: {other}"),
            },
        })?);
    }
    Ok(out)
}

/// The last sequence number of `stream` and its hash.
pub(crate) fn head(conn: &Connection, stream: &str) -> rusqlite::Result<(u64, String)> {
    conn.prepare_cached(
        "SELECT sequence, hash FROM events WHERE stream = ?1 ORDER BY sequence DESC LIMIT 1",
    )?
    .query_row([stream], |r| Ok((to_u64(r.get(0)?), r.get(1)?)))
    .optional()
    .map(|found| found.unwrap_or_else(|| (0, GENESIS.to_owned())))
}

/// The journal of one stream in a [`Store`]: implements
/// [`Journal`](tangguh_core::Journal), so a [`Book`](tangguh_core::Book)
/// runs on it as on a `MemoryJournal`, durably.
///
/// Each [`append`](Journal::append) is one `BEGIN IMMEDIATE` transaction,
/// committed with `synchronous = FULL` before it returns: an acknowledged
/// batch survives a crash or power cut, a batch is never there in part.
/// Reads check each record's hash and its link to the one before it.
pub struct SqliteJournal<E> {
    shared: Arc<Shared>,
    stream: String,
    _event: PhantomData<fn() -> E>,
}

impl<E> std::fmt::Debug for SqliteJournal<E> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteJournal")
            .field("path", &self.shared.path)
            .field("stream", &self.stream)
            .finish_non_exhaustive()
    }
}

impl<E> Clone for SqliteJournal<E> {
    fn clone(&self) -> Self {
        Self { shared: Arc::clone(&self.shared), stream: self.stream.clone(), _event: PhantomData }
    }
}

impl<E: DomainEvent> SqliteJournal<E> {
    /// The stream's name.
    #[must_use]
    pub fn stream(&self) -> &str {
        &self.stream
    }

    /// The store this journal is in.
    #[must_use]
    pub fn store(&self) -> Store {
        Store { shared: Arc::clone(&self.shared) }
    }

    fn append_batch(&self, batch: &[Recorded<E>]) -> Result<(), JournalError> {
        if batch.is_empty() {
            return Ok(());
        }
        self.shared.writable()?;
        let shared = &*self.shared;
        let sql = |e: rusqlite::Error| JournalError::from(shared.sql(&e));
        let mut conn = shared.conn();
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(sql)?;
        let (last, mut prev) = head(&tx, &self.stream).map_err(sql)?;
        let requests = check_batch(last.saturating_add(1), batch)?;
        if !requests.is_empty() {
            let mut exists = tx
                .prepare_cached("SELECT 1 FROM requests WHERE stream = ?1 AND request_id = ?2")
                .map_err(sql)?;
            for id in requests.keys() {
                if exists.exists(params![self.stream, id.as_str()]).map_err(sql)? {
                    return Err(JournalError::DuplicateRequest { request_id: id.to_string() });
                }
            }
        }
        {
            let mut insert = tx
                .prepare_cached(
                    "INSERT INTO events (stream, sequence, recorded_at, actor, request_id,
                        request_digest, schema_version, event_json, prev_hash, hash)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                )
                .map_err(sql)?;
            // The columns are borrowed from the record and the encoder's
            // reused buffers; only the hash is carried to the next record.
            let mut encoder = codec::Encoder::new();
            for record in batch {
                let row = encoder.encode(&self.stream, record, &prev)?;
                let c = &row.columns;
                insert
                    .execute(params![
                        self.stream,
                        to_i64(c.sequence),
                        c.recorded_at,
                        c.actor,
                        c.request_id,
                        c.request_digest,
                        c.schema_version,
                        c.event_json,
                        c.prev_hash,
                        row.hash.as_str(),
                    ])
                    .map_err(sql)?;
                let hash = row.hash;
                prev.clear();
                prev.push_str(hash.as_str());
            }
        }
        if !requests.is_empty() {
            let mut insert = tx
                .prepare_cached(
                    "INSERT INTO requests (stream, request_id, digest, first_sequence, last_sequence)
                     VALUES (?1, ?2, ?3, ?4, ?5)",
                )
                .map_err(sql)?;
            for (id, record) in &requests {
                insert
                    .execute(params![
                        self.stream,
                        id.as_str(),
                        record.digest.to_string(),
                        to_i64(record.first_sequence),
                        to_i64(record.last_sequence),
                    ])
                    .map_err(sql)?;
            }
        }
        tx.commit().map_err(sql)
    }

    /// Visits the records from `from` to `until`, checking each one's hash
    /// and its link to the one before. Records after `until` are not read,
    /// so damage there does not stop a read that ends before it.
    fn walk(
        &self,
        from: u64,
        until: u64,
        visit: &mut dyn FnMut(Recorded<E>) -> ControlFlow<()>,
    ) -> Result<(), JournalError> {
        let mut next = from.max(1);
        let mut prev = if next == 1 { Some(GENESIS.to_owned()) } else { self.hash_at(next - 1)? };
        loop {
            let rows = read_rows(&self.shared, &self.stream, next, until, READ_CHUNK)?;
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

    fn hash_at(&self, sequence: u64) -> Result<Option<String>, StoreError> {
        let conn = self.shared.conn();
        conn.prepare_cached("SELECT hash FROM events WHERE stream = ?1 AND sequence = ?2")
            .and_then(|mut s| {
                s.query_row(params![self.stream, to_i64(sequence)], |r| r.get(0)).optional()
            })
            .map_err(|e| self.shared.sql(&e))
    }
}

impl<E: DomainEvent> Journal<E> for SqliteJournal<E> {
    fn next_sequence(&self) -> Result<u64, JournalError> {
        let conn = self.shared.conn();
        let (last, _) = head(&conn, &self.stream).map_err(|e| self.shared.sql(&e))?;
        Ok(last.saturating_add(1))
    }

    fn append(&mut self, batch: &[Recorded<E>]) -> Result<(), JournalError> {
        self.append_batch(batch)
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
        let found: Option<(String, i64, i64)> = {
            let conn = self.shared.conn();
            conn.prepare_cached(
                "SELECT digest, first_sequence, last_sequence FROM requests
                 WHERE stream = ?1 AND request_id = ?2",
            )
            .and_then(|mut s| {
                s.query_row(params![self.stream, id.as_str()], |r| {
                    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
                })
                .optional()
            })
            .map_err(|e| self.shared.sql(&e))?
        };
        let Some((digest, first, last)) = found else { return Ok(None) };
        let digest =
            tangguh_core::CommandDigest::parse(&digest).map_err(|e| JournalError::Corrupt {
                stream: self.stream.clone(),
                sequence: to_u64(first),
                reason: format!("request {id}: {e}"),
            })?;
        Ok(Some(RequestRecord::new(digest, to_u64(first), to_u64(last))))
    }
}

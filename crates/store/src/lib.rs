//! Durable, crash-safe journals for Tangguh books: SQLite embedded, PostgreSQL
//! for scale-out.
//!
//! A [`Store`] is one SQLite file per deployment, a file a kelurahan office
//! can back up and an integrator can open with any SQLite tool. It holds the
//! journal of every book, one *stream* per book, named by the caller (say
//! `"registry/62.71.05"` or `"ledger/koperasi-mungku-baru"`).
//! [`Store::journal`] gives a [`SqliteJournal`] that implements core's
//! [`Journal`](tangguh_core::Journal), so a [`Book`](tangguh_core::Book)
//! runs on it unchanged; [`Store::open_book`] opens a book from its latest
//! snapshot and replays the rest.
//!
//! ```
//! use std::sync::Arc;
//! use tangguh_core::{Actor, Aggregate, Context, DomainEvent, FixedClock, RequestId, Submission};
//! use tangguh_store::Store;
//!
//! #[derive(Default, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
//! struct Tally(u64);
//! #[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
//! struct Add(u64);
//! #[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
//! struct Added(u64);
//! impl DomainEvent for Added {
//!     const SCHEMA_VERSION: u32 = 1;
//! }
//! #[derive(Debug, thiserror::Error)]
//! #[error("the tally would overflow")]
//! struct Overflow;
//! impl Aggregate for Tally {
//!     type Command = Add;
//!     type Event = Added;
//!     type Error = Overflow;
//!     fn decide(&self, c: &Add, _: &Context) -> Result<Vec<Added>, Overflow> {
//!         self.0.checked_add(c.0).ok_or(Overflow)?;
//!         Ok(vec![Added(c.0)])
//!     }
//!     fn apply(&mut self, e: &Added) {
//!         self.0 = self.0.saturating_add(e.0);
//!     }
//! }
//!
//! let dir = std::env::temp_dir().join(format!("tangguh-store-lib-{}", std::process::id()));
//! std::fs::create_dir_all(&dir)?;
//! let path = dir.join("rakumpit.db");
//! let clock = Arc::new(FixedClock::wib(2026, 11, 28, 9, 0));
//! let submission = Submission::new(Actor::try_new("kasir")?, Add(5))
//!     .with_request_id(RequestId::try_new("r-1")?);
//! {
//!     let store = Store::open(&path)?;
//!     let (mut book, _) = store.open_book::<Tally>("tally/mungku-baru", clock.clone())?;
//!     book.execute(submission.clone())?;
//!     store.snapshot_book(&book)?;
//! } // closed, as by a restart
//! let store = Store::open(&path)?;
//! let (mut book, report) = store.open_book::<Tally>("tally/mungku-baru", clock)?;
//! assert_eq!(book.state(), &Tally(5));
//! assert_eq!(report.snapshot, Some(1));
//! // The request id survived the restart: the retry is answered, not applied.
//! assert!(book.execute(submission)?.already_recorded);
//! assert_eq!(store.verify("tally/mungku-baru")?.records, 1);
//! # drop((book, store));
//! # std::fs::remove_dir_all(&dir)?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Overview
//!
//! | Type | What it is |
//! |---|---|
//! | [`Store`] | one SQLite file: open (writer or read-only), journals, snapshots, verify |
//! | [`SqliteJournal`] | one stream; core's `Journal` |
//! | [`StoreBook`] | a `Book` on a `SqliteJournal` |
//! | [`OpenReport`] | how `open_book` rebuilt the state (snapshot used, records replayed, snapshots rejected) |
//! | [`GroupCommitter`] | threads submit commands; one writer thread makes them durable in shared transactions |
//! | `PgJournal` (feature `postgres`) | the same `Journal` on PostgreSQL, with optimistic concurrency |
//! | [`StoreError`] | every failure, typed |
//!
//! # Durability
//!
//! The file is in WAL mode with `synchronous = FULL`: an
//! [`append`](tangguh_core::Journal::append) is one `BEGIN IMMEDIATE`
//! transaction, and it returns only after the WAL is synced, so an
//! acknowledged batch survives a crash or power cut, and a batch is never
//! there in part (the crash test kills a writer with SIGKILL at random
//! moments and checks exactly that). Sequence numbers per stream run from 1
//! without gaps. Group commit: core's
//! [`Book::execute_all`](tangguh_core::Book::execute_all) appends the events
//! of many commands in one batch, so one sync covers them all, and each
//! caller still gets its own outcome; [`GroupCommitter`] does it for
//! commands arriving from many threads.
//!
//! # One writer, many readers
//!
//! [`Store::open`] takes an exclusive advisory lock (`flock`) on
//! `<file>.lock` next to the database, waiting at most
//! [`StoreOptions::lock_wait`] (1 s by default) for it: a second writer — in
//! another process or in this one — gets [`StoreError::Locked`] naming the
//! holder's pid, never interleaved writes. The operating system releases the
//! lock when the holder exits or is killed, so there is no stale lock to
//! clear. [`Store::open_read_only`] takes no lock: readers may open the file
//! while the writer writes and see every committed batch. Other SQLite
//! tools writing the file bypass the lock; SQLite's own locking still keeps
//! their transactions whole. The lock needs a local file system.
//!
//! # Integrity
//!
//! Every record carries the hash of the record before it and its own hash:
//! SHA-256 over a domain tag, the previous hash and each column
//! (length-prefixed). Reads check both, so an edited or damaged record is a
//! [`StoreError::Corrupt`] (as a journal error,
//! [`JournalError::Corrupt`](tangguh_core::JournalError::Corrupt)) naming
//! the stream and sequence number, never skipped, never a panic.
//! [`Store::verify`] walks a whole chain and reports the first broken
//! record; [`Store::check_file`] runs SQLite's own page check.
//!
//! # Schema (format 1)
//!
//! ```sql
//! CREATE TABLE meta (             -- 'format' = '1', 'created_by' = 'tangguh-store x.y.z'
//!     key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
//! CREATE TABLE events (           -- one row per recorded event
//!     stream         TEXT    NOT NULL,  -- the book's stream name
//!     sequence       INTEGER NOT NULL,  -- 1, 2, 3… per stream, no gaps
//!     recorded_at    TEXT    NOT NULL,  -- RFC 3339, UTC, e.g. 2026-11-28T02:00:00Z
//!     actor          TEXT    NOT NULL,  -- who asked
//!     request_id     TEXT,              -- the client's request id, if any
//!     request_digest TEXT,              -- 32 hex digits: digest of the command's JSON
//!     schema_version INTEGER NOT NULL,  -- the event type's SCHEMA_VERSION when written
//!     event_json     TEXT    NOT NULL,  -- the event, serde JSON (snake_case)
//!     prev_hash      TEXT    NOT NULL,  -- hash of the record before (64 zeros for the first)
//!     hash           TEXT    NOT NULL,  -- SHA-256, 64 hex digits
//!     PRIMARY KEY (stream, sequence));
//! CREATE TABLE requests (         -- request ids, for idempotency across restarts
//!     stream TEXT NOT NULL, request_id TEXT NOT NULL, digest TEXT NOT NULL,
//!     first_sequence INTEGER NOT NULL, last_sequence INTEGER NOT NULL,
//!     PRIMARY KEY (stream, request_id));
//! CREATE TABLE snapshots (        -- a book's state after record `sequence`
//!     stream TEXT NOT NULL, sequence INTEGER NOT NULL,
//!     schema_version INTEGER NOT NULL,  -- the event schema version of the book
//!     chain_hash TEXT NOT NULL,         -- hash of record `sequence`
//!     state_json TEXT NOT NULL, hash TEXT NOT NULL,
//!     PRIMARY KEY (stream, sequence));
//! CREATE INDEX snapshot_heads     -- a snapshot without its state, to choose one
//!     ON snapshots (stream, sequence, schema_version, chain_hash, hash);
//! ```
//!
//! Events are read through
//! [`DomainEvent::upgrade`](tangguh_core::DomainEvent::upgrade) with the
//! version they were written under, so a newer build reads an older file; a
//! record written by a *newer* schema than the build knows is reported as
//! damaged rather than misread. A snapshot written for another event schema
//! version is passed over (the book replays instead).
//!
//! # PostgreSQL (feature `postgres`)
//!
//! `PgJournal` stores the same columns in `tangguh_events` /
//! `tangguh_requests`, with optimistic concurrency on each stream: an append
//! checks the stream's next sequence number inside its transaction, and the
//! unique `(stream, sequence)` key refuses the loser of a race, so several
//! application servers can write one deployment and a conflicting append
//! gets [`JournalError::SequenceConflict`](tangguh_core::JournalError::SequenceConflict)
//! (reopen the book and retry), never a merge. Shard by book: one stream per
//! kecamatan's registry (`registry/62.71.05`), per koperasi's ledger, per
//! incident's roster; streams never share a transaction, so servers writing
//! different streams never conflict, and one stream's writes are serialised
//! by its sequence numbers.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(clippy::print_stdout, clippy::print_stderr)]

mod codec;
mod error;
mod group;
mod lock;
#[cfg(feature = "postgres")]
mod pg;
mod snapshot;
mod sqlite;

pub use error::StoreError;
pub use group::{GroupCommitter, GroupOptions};
#[cfg(feature = "postgres")]
#[cfg_attr(docsrs, doc(cfg(feature = "postgres")))]
pub use pg::{PgJournal, PgStore};
pub use snapshot::{OpenReport, RejectedSnapshot, StoreBook};
pub use sqlite::{FORMAT_VERSION, SqliteJournal, Store, StoreOptions, StreamInfo, Verified};

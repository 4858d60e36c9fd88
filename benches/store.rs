//! tangguh-store: durable appends (one per transaction, group commit,
//! batches), each beside raw SQLite inserts of the same bytes in the same
//! run, and opening a store of 1,000,000 ledger-like events from a snapshot.
//!
//! Besides criterion's timings, the durable-append benches print latency
//! percentiles (p50/p99) and acknowledgements per second measured over a
//! fixed run (`store figures: ...` on stderr), since criterion reports means.

use std::collections::BTreeMap;
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use criterion::{BatchSize, Criterion, Throughput};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use tangguh::core::{
    Actor, Aggregate, Book, Clock, Context, DomainEvent, Journal, MemoryJournal, Recorded,
    Submission,
};
use tangguh::store::{GroupCommitter, GroupOptions, SqliteJournal, Store};

use crate::fixtures;

/// A ledger-like book: postings between numbered accounts.
#[derive(Debug, Default, Serialize, Deserialize)]
struct Cashbook {
    balances: BTreeMap<u32, Decimal>,
    postings: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Post {
    debit: u32,
    credit: u32,
    amount: Decimal,
    memo: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum CashEvent {
    Posted { debit: u32, credit: u32, amount: Decimal, memo: String },
}

impl DomainEvent for CashEvent {
    const SCHEMA_VERSION: u32 = 1;
}

#[derive(Debug)]
struct SameAccount;

impl std::fmt::Display for SameAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a posting needs two different accounts")
    }
}

impl std::error::Error for SameAccount {}

impl Aggregate for Cashbook {
    type Command = Post;
    type Event = CashEvent;
    type Error = SameAccount;

    fn decide(&self, c: &Post, _: &Context) -> Result<Vec<CashEvent>, SameAccount> {
        if c.debit == c.credit {
            return Err(SameAccount);
        }
        Ok(vec![CashEvent::Posted {
            debit: c.debit,
            credit: c.credit,
            amount: c.amount,
            memo: c.memo.clone(),
        }])
    }

    fn apply(&mut self, e: &CashEvent) {
        let CashEvent::Posted { debit, credit, amount, .. } = e;
        let d = self.balances.entry(*debit).or_default();
        *d = d.checked_add(*amount).unwrap_or(*d);
        let c = self.balances.entry(*credit).or_default();
        *c = c.checked_sub(*amount).unwrap_or(*c);
        self.postings += 1;
    }
}

fn post(i: u64) -> Post {
    Post {
        debit: u32::try_from(i % 1000).unwrap(),
        credit: u32::try_from((i * 7 + 1) % 1000).unwrap(),
        amount: Decimal::new(i64::try_from(10_000 + i % 90_000).unwrap() * 100, 2),
        memo: format!("angsuran pinjaman anggota {:05}", i % 10_000),
    }
}

fn actor() -> Actor {
    Actor::try_new("teller-koperasi").unwrap()
}

fn clock() -> Arc<dyn Clock> {
    fixtures::clock()
}

fn event(i: u64) -> CashEvent {
    let p = post(i);
    CashEvent::Posted { debit: p.debit, credit: p.credit, amount: p.amount, memo: p.memo }
}

/// A temp dir removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("tangguh-bench-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    fn file(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// One stored row, as the store wrote it: the baseline inserts these same
/// bytes.
#[derive(Clone)]
struct Row {
    stream: String,
    recorded_at: String,
    actor: String,
    schema_version: i64,
    event_json: String,
    prev_hash: String,
    hash: String,
}

/// `n` rows exactly as the store writes them (written once, read back).
fn store_rows(n: u64) -> Vec<Row> {
    let dir = Scratch::new("rows");
    let store = Store::open(dir.file("rows.db")).unwrap();
    let mut journal = store.journal::<CashEvent>("ledger/rows").unwrap();
    let at = clock().now();
    let batch: Vec<_> = (1..=n).map(|s| Recorded::new(s, at, actor(), None, event(s))).collect();
    journal.append(&batch).unwrap();
    drop((journal, store));
    let conn = rusqlite::Connection::open(dir.file("rows.db")).unwrap();
    let mut stmt = conn
        .prepare(
            "SELECT stream, recorded_at, actor, schema_version, event_json, prev_hash, hash
             FROM events ORDER BY sequence",
        )
        .unwrap();
    stmt.query_map([], |r| {
        Ok(Row {
            stream: r.get(0)?,
            recorded_at: r.get(1)?,
            actor: r.get(2)?,
            schema_version: r.get(3)?,
            event_json: r.get(4)?,
            prev_hash: r.get(5)?,
            hash: r.get(6)?,
        })
    })
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

/// A raw SQLite file with the same table, WAL and synchronous=FULL.
fn raw_db(path: &Path) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open(path).unwrap();
    conn.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(())).unwrap();
    conn.execute_batch(
        "PRAGMA synchronous = FULL;
         CREATE TABLE IF NOT EXISTS events (
            stream TEXT NOT NULL, sequence INTEGER NOT NULL, recorded_at TEXT NOT NULL,
            actor TEXT NOT NULL, request_id TEXT, request_digest TEXT,
            schema_version INTEGER NOT NULL, event_json TEXT NOT NULL,
            prev_hash TEXT NOT NULL, hash TEXT NOT NULL, PRIMARY KEY (stream, sequence));",
    )
    .unwrap();
    conn
}

/// Inserts `rows` in one transaction, renumbered from `first`.
fn raw_insert(conn: &mut rusqlite::Connection, rows: &[Row], first: i64) {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate).unwrap();
    {
        let mut stmt = tx
            .prepare_cached(
                "INSERT INTO events (stream, sequence, recorded_at, actor, request_id,
                    request_digest, schema_version, event_json, prev_hash, hash)
                 VALUES (?1, ?2, ?3, ?4, NULL, NULL, ?5, ?6, ?7, ?8)",
            )
            .unwrap();
        for (i, r) in rows.iter().enumerate() {
            stmt.execute(rusqlite::params![
                r.stream,
                first + i64::try_from(i).unwrap(),
                r.recorded_at,
                r.actor,
                r.schema_version,
                r.event_json,
                r.prev_hash,
                r.hash
            ])
            .unwrap();
        }
    }
    tx.commit().unwrap();
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx.min(sorted.len() - 1)]
}

/// Prints acks/s, p50 and p99 of `latencies` gathered over `elapsed`.
fn report(name: &str, acks: usize, elapsed: Duration, latencies: &mut [Duration]) {
    latencies.sort();
    eprintln!(
        "store figures: {name}: {acks} acknowledged in {:.2} s = {:.0}/s, p50 {:.2} ms, p99 {:.2} ms",
        elapsed.as_secs_f64(),
        acks as f64 / elapsed.as_secs_f64(),
        percentile(latencies, 0.50).as_secs_f64() * 1e3,
        percentile(latencies, 0.99).as_secs_f64() * 1e3,
    );
}

fn smoke() -> bool {
    std::env::args().any(|a| a == "--test")
}

pub(crate) fn define(c: &mut Criterion) {
    let smoke = smoke();
    let rows = store_rows(1000);

    // One event per transaction: each append waits for its own fsync.
    let mut group = c.benchmark_group("store/append");
    group.throughput(Throughput::Elements(1));
    group.sample_size(20).measurement_time(Duration::from_secs(5));
    {
        let dir = Scratch::new("single");
        let store = Store::open(dir.file("s.db")).unwrap();
        let (mut book, _) = store.open_book::<Cashbook>("ledger/single", clock()).unwrap();
        let mut i = 0u64;
        // The extra figures below run only when this bench was selected.
        let mut ran = false;
        group.bench_function("1-event-per-txn/store", |b| {
            ran = true;
            b.iter(|| {
                i += 1;
                black_box(book.execute(Submission::new(actor(), post(i))).unwrap());
            })
        });
        let mut raw = raw_db(&dir.file("raw.db"));
        let mut seq = 0i64;
        group.bench_function("1-event-per-txn/raw-sqlite", |b| {
            b.iter(|| {
                seq += 1;
                let row = &rows[usize::try_from(seq).unwrap() % rows.len()];
                raw_insert(&mut raw, std::slice::from_ref(row), seq);
            })
        });
        if ran && !smoke {
            let n = 1000;
            let mut lat = Vec::with_capacity(n);
            let start = Instant::now();
            for _ in 0..n {
                i += 1;
                let t = Instant::now();
                book.execute(Submission::new(actor(), post(i))).unwrap();
                lat.push(t.elapsed());
            }
            report("1 event per transaction (store)", n, start.elapsed(), &mut lat);
            let mut lat = Vec::with_capacity(n);
            let start = Instant::now();
            for _ in 0..n {
                seq += 1;
                let row = &rows[usize::try_from(seq).unwrap() % rows.len()];
                let t = Instant::now();
                raw_insert(&mut raw, std::slice::from_ref(row), seq);
                lat.push(t.elapsed());
            }
            report("1 insert per transaction (raw sqlite)", n, start.elapsed(), &mut lat);
        }
    }
    group.finish();

    // Group commit: 100 commands decided and made durable in one transaction
    // (Book::execute_all), against 100 raw inserts in one transaction.
    let mut group = c.benchmark_group("store/group-commit");
    group.throughput(Throughput::Elements(100));
    group.sample_size(20).measurement_time(Duration::from_secs(5));
    {
        let dir = Scratch::new("group");
        let store = Store::open(dir.file("g.db")).unwrap();
        let (mut book, _) = store.open_book::<Cashbook>("ledger/group", clock()).unwrap();
        let mut i = 0u64;
        let mut ran = false;
        group.bench_function("100-per-txn/store", |b| {
            ran = true;
            b.iter_batched(
                || {
                    (0..100)
                        .map(|_| {
                            i += 1;
                            Submission::new(actor(), post(i))
                        })
                        .collect::<Vec<_>>()
                },
                |subs| black_box(book.execute_all(subs)),
                BatchSize::SmallInput,
            )
        });
        // The same 100 commands on a MemoryJournal: what deciding and
        // applying cost, which raw inserts do not pay.
        let mut memory: Book<Cashbook, MemoryJournal<CashEvent>> =
            Book::open(MemoryJournal::new(), clock()).unwrap();
        let mut m = 0u64;
        group.bench_function("100-per-txn/book-on-memory-journal", |b| {
            b.iter_batched(
                || {
                    (0..100)
                        .map(|_| {
                            m += 1;
                            Submission::new(actor(), post(m))
                        })
                        .collect::<Vec<_>>()
                },
                |subs| black_box(memory.execute_all(subs)),
                BatchSize::SmallInput,
            )
        });
        drop(memory);
        let mut raw = raw_db(&dir.file("raw.db"));
        let mut seq = 1i64;
        group.bench_function("100-per-txn/raw-sqlite", |b| {
            b.iter(|| {
                raw_insert(&mut raw, &rows[..100], seq);
                seq += 100;
            })
        });
        // Store and raw interleaved, one transaction of 100 each per round:
        // on a disk shared with others both see the same fsync weather, so
        // the ratio of their medians is steadier than that of two criterion
        // runs taken one after the other.
        if ran && !smoke {
            let rounds = 300;
            let (mut store_t, mut raw_t) = (Vec::new(), Vec::new());
            for _ in 0..rounds {
                let subs: Vec<_> = (0..100)
                    .map(|_| {
                        i += 1;
                        Submission::new(actor(), post(i))
                    })
                    .collect();
                let t = Instant::now();
                let outcomes = book.execute_all(subs);
                store_t.push(t.elapsed());
                drop(black_box(outcomes));
                let t = Instant::now();
                raw_insert(&mut raw, &rows[..100], seq);
                raw_t.push(t.elapsed());
                seq += 100;
            }
            store_t.sort();
            raw_t.sort();
            let (s, r) = (percentile(&store_t, 0.5), percentile(&raw_t, 0.5));
            eprintln!(
                "store figures: group commit, 100 per transaction, {rounds} interleaved rounds: \
                 store p50 {:.3} ms, raw sqlite p50 {:.3} ms, raw/store {:.2}",
                s.as_secs_f64() * 1e3,
                r.as_secs_f64() * 1e3,
                r.as_secs_f64() / s.as_secs_f64(),
            );
        }
        drop(book);

        // Many threads, one writer: each caller waits for its own durable
        // outcome while the committer batches whoever is waiting.
        let (book, _) = store.open_book::<Cashbook>("ledger/committer", clock()).unwrap();
        let committer = GroupCommitter::start(book, GroupOptions::new()).unwrap();
        let threads = 128;
        let per_thread = if smoke { 2 } else { 100 };
        let next = std::sync::atomic::AtomicU64::new(0);
        let run = |record: bool| -> (Duration, Vec<Duration>) {
            let start = Instant::now();
            let lat = std::thread::scope(|s| {
                let handles: Vec<_> = (0..threads)
                    .map(|_| {
                        let (committer, next) = (&committer, &next);
                        s.spawn(move || {
                            let mut lat = Vec::new();
                            for _ in 0..per_thread {
                                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                                let t = Instant::now();
                                committer.submit(Submission::new(actor(), post(i))).unwrap();
                                if record {
                                    lat.push(t.elapsed());
                                }
                            }
                            lat
                        })
                    })
                    .collect();
                handles.into_iter().flat_map(|h| h.join().unwrap()).collect::<Vec<_>>()
            });
            (start.elapsed(), lat)
        };
        group.throughput(Throughput::Elements(u64::try_from(threads * per_thread).unwrap()));
        group.sample_size(10);
        let mut ran = false;
        group.bench_function(format!("committer-{threads}-threads/store"), |b| {
            ran = true;
            b.iter_custom(|iters| (0..iters).map(|_| run(false).0).sum())
        });
        if ran && !smoke {
            let (elapsed, mut lat) = run(true);
            report(
                &format!("group committer, {threads} threads"),
                threads * per_thread,
                elapsed,
                &mut lat,
            );
        }
        drop(committer.finish());
    }
    group.finish();

    // Batched appends: 1,000 recorded events in one journal append.
    let mut group = c.benchmark_group("store/batch");
    group.throughput(Throughput::Elements(1000));
    group.sample_size(20).measurement_time(Duration::from_secs(5));
    {
        let dir = Scratch::new("batch");
        let store = Store::open(dir.file("b.db")).unwrap();
        let mut journal: SqliteJournal<CashEvent> = store.journal("ledger/batch").unwrap();
        let at = clock().now();
        let mut next = 1u64;
        group.bench_function("1000-events/store", |b| {
            b.iter_batched(
                || {
                    let batch: Vec<_> = (next..next + 1000)
                        .map(|s| Recorded::new(s, at, actor(), None, event(s)))
                        .collect();
                    next += 1000;
                    batch
                },
                |batch| journal.append(&batch).unwrap(),
                BatchSize::LargeInput,
            )
        });
        let mut raw = raw_db(&dir.file("raw.db"));
        let mut seq = 1i64;
        group.bench_function("1000-events/raw-sqlite", |b| {
            b.iter(|| {
                raw_insert(&mut raw, &rows, seq);
                seq += 1000;
            })
        });
    }
    group.finish();

    // Opening a store of 1,000,000 ledger events with a snapshot at the end.
    let n: u64 = if smoke { 10_000 } else { 1_000_000 };
    let mut group = c.benchmark_group("store/open");
    group.sample_size(10);
    {
        let dir = Scratch::new("open");
        let path = dir.file("big.db");
        let label = if smoke { "10k-events-snapshot" } else { "1m-events-snapshot" };
        // Built on first use, so a run that filters this bench out skips it.
        let mut built = false;
        group.bench_function(label, |b| {
            if !built {
                build_big(&path, n, smoke);
                built = true;
            }
            b.iter(|| {
                let store = Store::open(&path).unwrap();
                let (book, report) = store.open_book::<Cashbook>("ledger/big", clock()).unwrap();
                assert_eq!(report.snapshot, Some(n));
                black_box(book.state().postings)
            })
        });
        // One full replay, for comparison (not a criterion sample: seconds).
        if built && !smoke {
            let conn = rusqlite::Connection::open(&path).unwrap();
            conn.execute("DELETE FROM snapshots", []).unwrap();
            drop(conn);
            let t = Instant::now();
            let store = Store::open(&path).unwrap();
            let (book, _) = store.open_book::<Cashbook>("ledger/big", clock()).unwrap();
            eprintln!(
                "store figures: open {n} events by full replay (no snapshot): {:.2} s ({} postings)",
                t.elapsed().as_secs_f64(),
                book.state().postings
            );
            let t = Instant::now();
            let verified = store.verify("ledger/big").unwrap();
            eprintln!(
                "store figures: verify {} records: {:.2} s",
                verified.records,
                t.elapsed().as_secs_f64()
            );
        }
    }
    group.finish();
}

/// Writes `n` ledger events to `path` in batches of 10,000 and a snapshot
/// of the state after the last one.
fn build_big(path: &Path, n: u64, smoke: bool) {
    let build = Instant::now();
    {
        let store = Store::open(path).unwrap();
        let mut journal: SqliteJournal<CashEvent> = store.journal("ledger/big").unwrap();
        let mut state = Cashbook::default();
        let at = clock().now();
        let mut s = 1u64;
        while s <= n {
            let end = (s + 10_000).min(n + 1);
            let batch: Vec<_> =
                (s..end).map(|q| Recorded::new(q, at, actor(), None, event(q))).collect();
            for r in &batch {
                state.apply(&r.event);
            }
            journal.append(&batch).unwrap();
            s = end;
        }
        store.save_snapshot("ledger/big", n, &state).unwrap();
    }
    if !smoke {
        eprintln!(
            "store figures: built {n} events + snapshot in {:.1} s, file {} MiB",
            build.elapsed().as_secs_f64(),
            std::fs::metadata(path).unwrap().len() / (1 << 20)
        );
    }
}

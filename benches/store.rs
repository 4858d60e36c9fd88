//! tangguh-store: durable appends (one per transaction, group commit,
//! batches), each beside raw SQLite inserts of the same bytes in the same
//! run, and (with the `ledger` feature) opening a store of 1,000,000 real
//! `tangguh_ledger` events from a snapshot of the `Ledger`, with nothing or
//! 1,000 events left to replay.
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

    #[cfg(feature = "ledger")]
    real_ledger::define_open(c, smoke);
}

/// Opening a store of 1,000,000 real ledger events (`tangguh_ledger`) with a
/// snapshot of the `Ledger` at the end.
#[cfg(feature = "ledger")]
mod real_ledger {
    use std::hint::black_box;
    use std::path::Path;
    use std::time::Instant;

    use chrono::{Days, NaiveDate};
    use criterion::{BatchSize, Criterion, SamplingMode};
    use rust_decimal::Decimal;
    use tangguh::core::{
        Aggregate, Context, Currency, Id, IdBits, Journal, Money, PersonId, Recorded,
    };
    use tangguh::ledger::{
        Account, AccountCode, AccountType, AllocationStrategy, EntryId, JournalEntry, Ledger,
        LedgerCommand, LedgerEvent, LoanApplication, LoanId, LoanProduct, LoanTerms, Posting,
        ProductId, Repayment, ScheduledInstallment,
    };
    use tangguh::store::{SqliteJournal, Store};

    use super::{Scratch, actor, clock};

    const STREAM: &str = "ledger/koperasi";

    const CHART: [(&str, &str, AccountType); 13] = [
        ("1101", "Kas", AccountType::Asset),
        ("1102", "Bank", AccountType::Asset),
        ("1201", "Pinjaman yang diberikan", AccountType::Asset),
        ("2101", "Simpanan sukarela", AccountType::Liability),
        ("2201", "Titipan kelebihan bayar", AccountType::Liability),
        ("3101", "Modal", AccountType::Equity),
        ("4101", "Pendapatan bunga", AccountType::Income),
        ("4102", "Pendapatan provisi", AccountType::Income),
        ("4103", "Pendapatan denda", AccountType::Income),
        ("4104", "Pemulihan piutang", AccountType::Income),
        ("5101", "Kerugian penghapusan", AccountType::Expense),
        ("5201", "Beban operasional", AccountType::Expense),
        ("5202", "Beban gaji", AccountType::Expense),
    ];

    /// Deterministic, realistic ledger events: mostly 2–3 line IDR entries
    /// between a handful of accounts dated over the year to 27 November
    /// 2026, with a loan disbursed every 1,000 steps and a repayment every
    /// 50. Each event is decided on the real aggregate, so it is valid.
    struct Events {
        state: Ledger,
        context: Context,
        codes: Vec<AccountCode>,
        n: u64,
        emitted: u64,
        step: u64,
        next_entry: u128,
        loans: Vec<LoanId>,
    }

    fn product_id() -> ProductId {
        ProductId::from_bits(IdBits::from_u128(1))
    }

    fn start() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 11, 28).unwrap()
    }

    impl Events {
        fn new(n: u64) -> Self {
            let context = Context::new(clock().now(), actor());
            let codes = CHART.iter().map(|(c, _, _)| c.parse().unwrap()).collect();
            Self {
                state: Ledger::new(),
                context,
                codes,
                n,
                emitted: 0,
                step: 0,
                next_entry: 1,
                loans: Vec::new(),
            }
        }

        /// Decides `command` and applies its events (none if refused).
        fn run(&mut self, command: &LedgerCommand) -> Vec<LedgerEvent> {
            let events = self.state.decide(command, &self.context).unwrap_or_default();
            for e in &events {
                self.state.apply(e);
            }
            self.emitted += events.len() as u64;
            events
        }

        fn entry_id(&mut self) -> EntryId {
            self.next_entry += 1;
            EntryId::from_u128(self.next_entry)
        }

        fn code(&self, c: &str) -> AccountCode {
            self.codes[CHART.iter().position(|(x, _, _)| *x == c).unwrap()].clone()
        }

        fn setup(&mut self) -> Vec<LedgerEvent> {
            let mut out = Vec::new();
            for (c, name, kind) in CHART {
                let account = Account::new(c.parse().unwrap(), name.parse().unwrap(), kind);
                out.extend(self.run(&LedgerCommand::OpenAccount(account)));
            }
            let rp = Money::idr(Decimal::from(50_000_000_000i64));
            let capital = JournalEntry::try_new(
                self.entry_id(),
                start(),
                "modal awal",
                vec![Posting::debit(self.code("1101"), rp), Posting::credit(self.code("3101"), rp)],
            )
            .unwrap();
            out.extend(self.run(&LedgerCommand::Post(capital)));
            let accounts = serde_json::from_value(serde_json::json!({
                "fund_source": "1101", "loan_portfolio": "1201", "interest_income": "4101",
                "fee_income": "4102", "penalty_income": "4103", "losses_written_off": "5101",
                "overpayment": "2201", "income_from_recovery": "4104",
            }))
            .unwrap();
            let terms = LoanTerms::new(Decimal::from(1_200_000), Decimal::from(12), 12, start());
            out.extend(self.run(&LedgerCommand::DefineProduct(LoanProduct::new(
                product_id(),
                "Pinjaman UMKM".parse().unwrap(),
                Currency::IDR,
                terms,
                AllocationStrategy::PenaltyFeeInterestPrincipal,
                accounts,
            ))));
            out
        }

        /// The events of the next command.
        fn next_events(&mut self) -> Vec<LedgerEvent> {
            self.step += 1;
            let k = self.step;
            let date = start() + Days::new(k * 364 / self.n.max(1));
            let near_end = self.emitted + 4 >= self.n;
            if !near_end && k.is_multiple_of(1000) {
                // A loan: submitted, approved and disbursed on `date`.
                let id = LoanId::from_bits(IdBits::from_u128(u128::from(k)));
                let mut app = LoanApplication::new(
                    id,
                    product_id(),
                    PersonId::from_bits(IdBits::from_u128(u128::from(k))),
                    date,
                    Decimal::from(1_200_000),
                    date,
                );
                app.schedule = Some(
                    (1..=12u32)
                        .map(|m| {
                            let due = date.checked_add_months(chrono::Months::new(m)).unwrap();
                            ScheduledInstallment::new(
                                due,
                                Decimal::from(100_000),
                                Decimal::from(12_000),
                            )
                        })
                        .collect(),
                );
                let mut out = self.run(&LedgerCommand::SubmitLoan(app));
                out.extend(self.run(&LedgerCommand::ApproveLoan { loan: id, date }));
                let entry = self.entry_id();
                out.extend(self.run(&LedgerCommand::DisburseLoan { loan: id, entry, date }));
                self.loans.push(id);
                return out;
            }
            if k.is_multiple_of(50) && !self.loans.is_empty() {
                let loan = self.loans[(k / 50) as usize % self.loans.len()];
                let entry = self.entry_id();
                let r = Repayment::new(loan, entry, date, Decimal::from(112_000));
                let out = self.run(&LedgerCommand::Repay(r));
                if !out.is_empty() {
                    return out;
                }
            }
            // An ordinary entry: 2 or 3 lines, whole rupiah in steps of 500.
            let amount = |x: u64| Money::idr(Decimal::from(10_000 + (x % 9_981) * 500));
            let a = amount(k.wrapping_mul(2_654_435_761));
            let (description, postings) = match k % 5 {
                0 => (
                    "setoran simpanan",
                    vec![
                        Posting::debit(self.code("1101"), a),
                        Posting::credit(self.code("2101"), a),
                    ],
                ),
                1 => (
                    "penarikan simpanan",
                    vec![
                        Posting::debit(self.code("2101"), a),
                        Posting::credit(self.code("1101"), a),
                    ],
                ),
                2 => (
                    "setor kas ke bank",
                    vec![
                        Posting::debit(self.code("1102"), a),
                        Posting::credit(self.code("1101"), a),
                    ],
                ),
                3 => {
                    let b = amount(k.wrapping_mul(40_503));
                    let total = Money::idr(a.amount() + b.amount());
                    (
                        "biaya operasional dan gaji",
                        vec![
                            Posting::debit(self.code("5201"), a),
                            Posting::debit(self.code("5202"), b),
                            Posting::credit(self.code("1102"), total),
                        ],
                    )
                }
                _ => {
                    let b = amount(k.wrapping_mul(7_919));
                    let total = Money::idr(a.amount() + b.amount());
                    (
                        "angsuran titipan dan denda",
                        vec![
                            Posting::debit(self.code("1101"), total),
                            Posting::credit(self.code("2201"), a),
                            Posting::credit(self.code("4103"), b),
                        ],
                    )
                }
            };
            let id = self.entry_id();
            let entry = JournalEntry::try_new(
                id,
                date,
                format!("{description} {:05}", k % 100_000),
                postings,
            )
            .unwrap();
            self.run(&LedgerCommand::Post(entry))
        }
    }

    /// Writes `n` real ledger events to `path` in batches of about 10,000;
    /// snapshots the ledger about `tail` events before the end; returns the
    /// ledger after all of them and the last sequence number.
    fn build(path: &Path, n: u64, tail: u64, smoke: bool) -> (Ledger, u64) {
        let built = Instant::now();
        let store = Store::open(path).unwrap();
        let mut journal: SqliteJournal<LedgerEvent> = store.journal(STREAM).unwrap();
        let at = clock().now();
        let mut events = Events::new(n);
        let mut batch: Vec<Recorded<LedgerEvent>> = Vec::new();
        let mut sequence = 0u64;
        let mut before_tail = None;
        let mut pending = events.setup();
        loop {
            for e in pending.drain(..) {
                sequence += 1;
                batch.push(Recorded::new(sequence, at, actor(), None, e));
            }
            if before_tail.is_none() && events.emitted + tail >= n {
                // Cut the journal where the early snapshot is taken.
                journal.append(&batch).unwrap();
                batch.clear();
                before_tail = Some((events.state.clone(), sequence));
            }
            if batch.len() >= 10_000 || (events.emitted >= n && !batch.is_empty()) {
                journal.append(&batch).unwrap();
                batch.clear();
            }
            if events.emitted >= n {
                break;
            }
            pending = events.next_events();
        }
        let (early, early_at) = before_tail.unwrap();
        store.save_snapshot(STREAM, early_at, &early).unwrap();
        if !smoke {
            eprintln!(
                "store figures: built {sequence} ledger events ({} entries, {} loans) + \
                 snapshot at {early_at} in {:.1} s, file {} MiB",
                events.state.entries().count(),
                events.state.loans().count(),
                built.elapsed().as_secs_f64(),
                std::fs::metadata(path).unwrap().len() / (1 << 20)
            );
        }
        (events.state, sequence)
    }

    fn snapshot_text(path: &Path, sequence: u64) -> String {
        let conn = rusqlite::Connection::open(path).unwrap();
        conn.query_row(
            "SELECT state_json FROM snapshots WHERE stream = ?1 AND sequence = ?2",
            rusqlite::params![STREAM, i64::try_from(sequence).unwrap()],
            |r| r.get(0),
        )
        .unwrap()
    }

    pub(super) fn define_open(c: &mut Criterion, smoke: bool) {
        let n: u64 = if smoke { 10_000 } else { 1_000_000 };
        let tail = 1_000u64;
        let mut group = c.benchmark_group("store/open");
        group.sample_size(10).sampling_mode(SamplingMode::Flat);
        let dir = Scratch::new("open");
        let path = dir.file("ledger.db");
        let big = if smoke { "10k-events" } else { "1m-events" };
        // Built on first use, so a run that filters these benches out skips it.
        let mut built: Option<(Ledger, u64)> = None;
        let build_once = |built: &mut Option<(Ledger, u64)>| {
            if built.is_none() {
                *built = Some(build(&path, n, tail, smoke));
            }
        };
        // The early snapshot plus 1,000 events replayed.
        group.bench_function(format!("{big}-snapshot-then-1k"), |b| {
            build_once(&mut built);
            let (last, sequence) = built.as_ref().unwrap();
            // Opening ends when the book is ready: dropping it (about 0.5 s
            // for 1M entries, printed below) is not timed; one book at a time
            // is held.
            b.iter_batched(
                || (),
                |()| {
                    let store = Store::open(&path).unwrap();
                    let (book, report) = store.open_book::<Ledger>(STREAM, clock()).unwrap();
                    assert_eq!(report.snapshot.map(|s| s + report.replayed), Some(*sequence));
                    assert!(report.replayed >= tail);
                    (store, book)
                },
                BatchSize::PerIteration,
            );
            let store = Store::open(&path).unwrap();
            let (book, _) = store.open_book::<Ledger>(STREAM, clock()).unwrap();
            assert_eq!(book.state(), last);
        });
        // A snapshot at the last event: nothing replayed.
        let mut at_end = false;
        group.bench_function(format!("{big}-snapshot"), |b| {
            build_once(&mut built);
            let (last, sequence) = built.as_ref().unwrap();
            if !at_end {
                let store = Store::open(&path).unwrap();
                store.save_snapshot(STREAM, *sequence, last).unwrap();
                at_end = true;
            }
            b.iter_batched(
                || (),
                |()| {
                    let store = Store::open(&path).unwrap();
                    let (book, report) = store.open_book::<Ledger>(STREAM, clock()).unwrap();
                    assert_eq!((report.snapshot, report.replayed), (Some(*sequence), 0));
                    (store, book)
                },
                BatchSize::PerIteration,
            )
        });
        group.finish();
        let Some((last, sequence)) = built else { return };
        if smoke {
            return;
        }
        if at_end {
            // Where the time goes: the snapshot's size and its parse alone.
            let text = snapshot_text(&path, sequence);
            let t = Instant::now();
            let parsed: Ledger = serde_json::from_str(&text).unwrap();
            let parse = t.elapsed();
            assert_eq!(parsed, last);
            let t = Instant::now();
            drop(black_box(parsed));
            let dropped = t.elapsed();
            let t = Instant::now();
            let store = Store::open(&path).unwrap();
            let (book, _) = store.open_book::<Ledger>(STREAM, clock()).unwrap();
            let open = t.elapsed();
            drop(book);
            eprintln!(
                "store figures: ledger snapshot of {} entries: {:.1} MiB of JSON; one open {:.3} s, \
                 of which deserialising the Ledger (parse + rebuild) {:.3} s; dropping it {:.3} s",
                last.entries().count(),
                text.len() as f64 / f64::from(1u32 << 20),
                open.as_secs_f64(),
                parse.as_secs_f64(),
                dropped.as_secs_f64(),
            );
        }
        // One full replay, for comparison (not a criterion sample: seconds).
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute("DELETE FROM snapshots", []).unwrap();
        drop(conn);
        let t = Instant::now();
        let store = Store::open(&path).unwrap();
        let (book, _) = store.open_book::<Ledger>(STREAM, clock()).unwrap();
        eprintln!(
            "store figures: open {sequence} ledger events by full replay (no snapshot): {:.2} s \
             ({} entries)",
            t.elapsed().as_secs_f64(),
            book.state().entries().count()
        );
        assert_eq!(book.state(), &last);
    }
}

//! Imports a CSV of transfers into double-entry books and prints the trial
//! balance.
//!
//! Input (a path argument, or stdin): a header `id,date,debit,credit,amount,currency`
//! and one transfer per row (`/work/shared/tools/gen_transfers.py --format csv`
//! writes this). Each account is opened on first use, its type taken from
//! the first segment of its name (`Assets`, `Liabilities`, `Equity`,
//! `Income`, `Expenses`); each row is posted as a two-posting
//! [`JournalEntry`] (debit, credit) with the row's id as its [`EntryId`].
//!
//! Output (stdout): `account,balance` sorted by account name, balance =
//! debits − credits as an exact decimal with the currency's minor digits.
//! When the file holds several currencies the header is
//! `account,currency,balance` with one line per account and currency.
//!
//! # How it scales
//!
//! Rows are streamed: each is parsed, validated by `JournalEntry::try_new`
//! (balanced, positive, no finer than the currency) and posted by
//! [`TrialBalanceBuilder`], which runs the same posting code and checks as
//! the `Ledger` aggregate (unknown accounts, overflow, never-negative) but
//! keeps only per-account totals, no entries and no history. Memory grows
//! with the number of accounts, plus the set of ids seen, kept as ranges of
//! consecutive numbers (one range for ids 1..=n), so a repeated id is
//! refused without keeping every id.
//!
//! ```text
//! python3 /work/shared/tools/gen_transfers.py --txns 1000000 --format csv --out j1m.csv
//! cargo run --release --example ledger_import --no-default-features --features ledger -- j1m.csv
//! ```
//!
//! # Into a durable store
//!
//! With `--store PATH` (feature `store`) the transfers are also imported
//! into the `ledger/import` stream of a Tangguh store (SQLite, created if
//! absent) through a `Book<Ledger, _>`: accounts opened and entries posted as
//! commands, 1,000 per transaction (group commit), and the trial balance
//! printed is the durable ledger's, read back from the store. The row ids
//! are the entries' client ids, so importing the same file again records
//! nothing ("already exists"). This path keeps every entry in memory, as the
//! `Ledger` does.
//!
//! ```text
//! cargo run --release --example ledger_import -- j1m.csv --store koperasi.db
//! ```

#[cfg(feature = "ledger")]
mod import {
    use std::collections::BTreeMap;
    use std::error::Error;
    use std::fs::File;
    use std::io::{self, BufWriter, Read, Write};

    use chrono::NaiveDate;
    use rust_decimal::Decimal;
    use tangguh::core::{Currency, Money, Name};
    use tangguh::ledger::{
        Account, AccountCode, AccountType, EntryId, JournalEntry, Posting, TrialBalanceBuilder,
    };

    type BoxError = Box<dyn Error + Send + Sync>;

    /// Ids seen, as disjoint inclusive ranges keyed by their start.
    #[derive(Default)]
    struct IdRanges(BTreeMap<u128, u128>);

    impl IdRanges {
        /// Adds `id`; `false` if it was already there.
        fn insert(&mut self, id: u128) -> bool {
            let below = self.0.range(..=id).next_back().map(|(&s, &e)| (s, e));
            if below.is_some_and(|(_, end)| id <= end) {
                return false;
            }
            let start = match below {
                Some((s, end)) if end.checked_add(1) == Some(id) => s,
                _ => id,
            };
            let end = match id.checked_add(1).and_then(|next| self.0.remove(&next)) {
                Some(next_end) => next_end,
                None => id,
            };
            self.0.insert(start, end);
            true
        }
    }

    fn err(line: u64, message: impl std::fmt::Display) -> BoxError {
        format!("line {line}: {message}").into()
    }

    pub(crate) fn run() -> Result<(), BoxError> {
        let mut path = None;
        let mut store_path: Option<std::path::PathBuf> = None;
        let mut args = std::env::args_os().skip(1);
        while let Some(arg) = args.next() {
            if arg == "--store" {
                store_path = Some(args.next().ok_or("--store needs a path")?.into());
            } else {
                path = Some(arg);
            }
        }
        let mut durable = match store_path {
            Some(p) => Some(crate::durable::Durable::open(&p)?),
            None => None,
        };
        let input: Box<dyn Read> = match path {
            Some(path) => Box::new(File::open(&path).map_err(|e| {
                format!("cannot open {}: {e}", std::path::Path::new(&path).display())
            })?),
            None => Box::new(io::stdin().lock()),
        };
        let mut reader =
            csv::ReaderBuilder::new().has_headers(true).buffer_capacity(1 << 20).from_reader(input);
        let header = reader.byte_headers()?.clone();
        let expected = ["id", "date", "debit", "credit", "amount", "currency"];
        if header.len() != expected.len()
            || header.iter().zip(expected).any(|(h, e)| h != e.as_bytes())
        {
            return Err(format!(
                "the header must be {}, not {}",
                expected.join(","),
                header.iter().map(String::from_utf8_lossy).collect::<Vec<_>>().join(",")
            )
            .into());
        }

        let mut books = TrialBalanceBuilder::new();
        let mut codes: BTreeMap<Box<str>, AccountCode> = BTreeMap::new();
        let mut currencies: Vec<(Box<str>, Currency)> = Vec::new();
        let mut seen = IdRanges::default();
        let mut opened: Vec<Account> = Vec::new();
        let mut record = csv::StringRecord::new();
        let mut rows: u64 = 0;
        while reader.read_record(&mut record)? {
            rows += 1;
            let line = record.position().map_or(rows + 1, |p| p.line());
            let field = |i: usize| record.get(i).unwrap_or_default();
            let id_text = field(0);
            let id = match id_text.parse::<u128>() {
                Ok(n) => EntryId::from_u128(n),
                Err(_) => id_text.parse::<EntryId>().map_err(|_| {
                    err(line, format!("id {id_text:?} is neither a number nor a UUID"))
                })?,
            };
            if !seen.insert(id.as_u128()) {
                return Err(err(line, format!("id {id_text} repeats an earlier transfer")));
            }
            let date: NaiveDate = field(1)
                .parse()
                .map_err(|_| err(line, format!("date {:?} is not YYYY-MM-DD", field(1))))?;
            let mut account = |name: &str| -> Result<AccountCode, BoxError> {
                if let Some(code) = codes.get(name) {
                    return Ok(code.clone());
                }
                let code: AccountCode = name.parse().map_err(|e| err(line, e))?;
                let kind = AccountType::from_name(name).ok_or_else(|| {
                    err(
                        line,
                        format!(
                            "account {name:?} does not start with Assets, Liabilities, Equity, Income or Expenses"
                        ),
                    )
                })?;
                let label: Name = name.parse().map_err(|e| err(line, e))?;
                let new = Account::new(code.clone(), label, kind);
                books.open(new.clone()).map_err(|e| err(line, e))?;
                opened.push(new);
                codes.insert(name.into(), code.clone());
                Ok(code)
            };
            let debit = account(field(2))?;
            let credit = account(field(3))?;
            let amount: Decimal = field(4)
                .parse()
                .map_err(|_| err(line, format!("amount {:?} is not a decimal", field(4))))?;
            let currency_text = field(5);
            let currency = match currencies.iter().find(|(t, _)| &**t == currency_text) {
                Some(&(_, c)) => c,
                None => {
                    let c: Currency = currency_text.parse().map_err(|e| err(line, e))?;
                    currencies.push((currency_text.into(), c));
                    c
                }
            };
            let money = Money::new(amount, currency);
            let entry = JournalEntry::try_new(
                id,
                date,
                "",
                vec![Posting::debit(debit, money), Posting::credit(credit, money)],
            )
            .map_err(|e| err(line, e))?;
            books.post(&entry).map_err(|e| err(line, e))?;
            if let Some(durable) = durable.as_mut() {
                durable.push(line, opened.drain(..), entry)?;
            } else {
                opened.clear();
            }
        }

        let trial = match durable {
            Some(durable) => durable.finish()?,
            None => books.trial_balance()?,
        };
        if !trial.is_balanced() {
            return Err(format!("the books do not balance: {:?}", trial.totals).into());
        }
        let mut out = BufWriter::new(io::stdout().lock());
        let several = currencies.len() > 1;
        writeln!(out, "{}", if several { "account,currency,balance" } else { "account,balance" })?;
        for line in &trial.lines {
            let mut balance = line.net;
            balance.rescale(line.currency.minor_digits());
            if several {
                writeln!(out, "{},{},{}", line.account, line.currency, balance)?;
            } else {
                writeln!(out, "{},{}", line.account, balance)?;
            }
        }
        out.flush()?;
        eprintln!("ledger_import: {rows} transfers, {} accounts, books balance", codes.len());
        Ok(())
    }
}

/// The `--store` path: the same rows as commands through a durable book.
#[cfg(feature = "ledger")]
mod durable {
    use std::path::Path;

    use tangguh::core::{Actor, Book, Submission};
    use tangguh::ledger::{Account, JournalEntry, Ledger, LedgerCommand, TrialBalance};

    type BoxError = Box<dyn std::error::Error + Send + Sync>;

    /// How many commands go into one durable transaction.
    const BATCH: usize = 1_000;

    #[cfg(feature = "store")]
    type Journal = tangguh::store::SqliteJournal<tangguh::ledger::LedgerEvent>;
    #[cfg(not(feature = "store"))]
    type Journal = tangguh::core::MemoryJournal<tangguh::ledger::LedgerEvent>;

    pub(crate) struct Durable {
        book: Book<Ledger, Journal>,
        actor: Actor,
        pending: Vec<(u64, LedgerCommand)>,
    }

    impl Durable {
        #[cfg(feature = "store")]
        pub(crate) fn open(path: &Path) -> Result<Self, BoxError> {
            let store = tangguh::store::Store::open(path)?;
            let journal = store.journal("ledger/import")?;
            let clock = std::sync::Arc::new(tangguh::core::SystemClock::new());
            let book = Book::open(journal, clock)?;
            Ok(Self { book, actor: Actor::try_new("ledger_import")?, pending: Vec::new() })
        }

        #[cfg(not(feature = "store"))]
        pub(crate) fn open(_: &Path) -> Result<Self, BoxError> {
            Err("--store needs the `store` feature".into())
        }

        pub(crate) fn push(
            &mut self,
            line: u64,
            accounts: impl Iterator<Item = Account>,
            entry: JournalEntry,
        ) -> Result<(), BoxError> {
            self.pending.extend(accounts.map(|a| (line, LedgerCommand::OpenAccount(a))));
            self.pending.push((line, LedgerCommand::Post(entry)));
            if self.pending.len() >= BATCH { self.flush() } else { Ok(()) }
        }

        fn flush(&mut self) -> Result<(), BoxError> {
            let batch = std::mem::take(&mut self.pending);
            let lines: Vec<u64> = batch.iter().map(|(line, _)| *line).collect();
            let submissions =
                batch.into_iter().map(|(_, c)| Submission::new(self.actor.clone(), c)).collect();
            for (line, result) in lines.into_iter().zip(self.book.execute_all(submissions)) {
                result.map_err(|e| -> BoxError { format!("line {line}: {e}").into() })?;
            }
            Ok(())
        }

        pub(crate) fn finish(mut self) -> Result<TrialBalance, BoxError> {
            self.flush()?;
            eprintln!(
                "ledger_import: the store's ledger/import stream holds {} events",
                self.book.last_sequence()
            );
            Ok(self.book.state().trial_balance()?)
        }
    }
}

#[cfg(feature = "ledger")]
fn main() {
    if let Err(err) = import::run() {
        eprintln!("ledger_import: {err}");
        std::process::exit(1);
    }
}

#[cfg(not(feature = "ledger"))]
fn main() {
    eprintln!("ledger_import needs the `ledger` feature");
    std::process::exit(1);
}

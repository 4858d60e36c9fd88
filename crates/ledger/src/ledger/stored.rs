//! The ledger's stored form (serde): what a snapshot holds.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use tangguh_core::{Currency, Money};

use super::Ledger;
use crate::account::{Account, AccountCode, Side};
use crate::books::Line;
use crate::entry::{JournalEntry, Posting};
use crate::ids::EntryId;
use crate::koperasi::Koperasi;
use crate::loan::{Loan, LoanProduct};

/// One posting: its key (the account's position in [`Stored::accounts`]
/// times 256 plus the currency's position in [`Stored::currencies`]) and the
/// amount signed as debits minus credits (a debit positive, a credit
/// negative). An entry's postings are stored as one flat list, `[key,
/// amount, key, amount, …]`: fewer tokens to read than a list of lists.
type StoredPosting = (u64, Amount);

/// The key of a posting to the account at `account` in the currency at
/// `currency`.
fn posting_key(account: u32, currency: u8) -> u64 {
    u64::from(account) << 8 | u64::from(currency)
}

/// The account and currency positions of a posting key (an account beyond
/// `u32` reads as `u32::MAX`, which names no account).
fn posting_positions(key: u64) -> (u32, u8) {
    let account = u32::try_from(key >> 8).unwrap_or(u32::MAX);
    (account, (key & 0xff) as u8)
}

/// An exact decimal: a JSON integer when it is whole with no decimal places
/// (most rupiah amounts: parsed without a decimal string), otherwise its
/// decimal string, so the scale is kept as well as the value.
#[derive(Clone, Copy, Debug)]
struct Amount(Decimal);

impl Serialize for Amount {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match i64::try_from(self.0) {
            Ok(whole) if self.0.scale() == 0 => serializer.serialize_i64(whole),
            _ => serializer.collect_str(&self.0),
        }
    }
}

impl<'de> Deserialize<'de> for Amount {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Amount;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an integer or a decimal string")
            }

            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Amount, E> {
                Ok(Amount(Decimal::from(v)))
            }

            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Amount, E> {
                Ok(Amount(Decimal::from(v)))
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Amount, E> {
                v.parse().map(Amount).map_err(E::custom)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// One entry: `[id, day, description, postings]`, with the value date as
/// days from 1 January of year 1 (day 1), and for a reversal a fifth
/// element, the id of the entry it reverses.
#[derive(Debug)]
struct StoredEntry {
    id: Id,
    day: i32,
    description: String,
    postings: Vec<StoredPosting>,
    reverses: Option<Id>,
}

impl Serialize for StoredEntry {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeTuple;
        let mut tuple = serializer.serialize_tuple(if self.reverses.is_some() { 5 } else { 4 })?;
        tuple.serialize_element(&self.id)?;
        tuple.serialize_element(&self.day)?;
        tuple.serialize_element(&self.description)?;
        tuple.serialize_element(&Flat(&self.postings))?;
        if let Some(reverses) = &self.reverses {
            tuple.serialize_element(reverses)?;
        }
        tuple.end()
    }
}

/// Postings serialised as one flat list, `[key, amount, key, amount, …]`.
struct Flat<'a>(&'a [StoredPosting]);

impl Serialize for Flat<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let mut seq = serializer.serialize_seq(Some(self.0.len().saturating_mul(2)))?;
        for (key, amount) in self.0 {
            seq.serialize_element(key)?;
            seq.serialize_element(amount)?;
        }
        seq.end()
    }
}

/// An entry id's number: a JSON integer when it fits in 64 bits (ids from
/// sequence numbers), else its decimal string (UUIDs), since JSON parsers
/// read big integers as floats.
#[derive(Clone, Copy, Debug)]
struct Id(u128);

impl Serialize for Id {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match u64::try_from(self.0) {
            Ok(small) => serializer.serialize_u64(small),
            Err(_) => serializer.collect_str(&self.0),
        }
    }
}

impl<'de> Deserialize<'de> for Id {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Id;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an entry id: an unsigned integer or its decimal string")
            }

            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Id, E> {
                Ok(Id(u128::from(v)))
            }

            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Id, E> {
                v.parse().map(Id).map_err(E::custom)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// The source of truth of a [`Ledger`], compact: the balances, per-day
/// deltas, account lines, entry index and reversal links are derived and
/// rebuilt on load by posting the entries again, in the stored order.
#[derive(Serialize)]
pub(super) struct Stored {
    /// The chart of accounts, in the order the accounts were opened.
    accounts: Vec<Account>,
    /// The currencies the postings name.
    currencies: Vec<Currency>,
    /// Every posted entry, in an order that gives each account its entries
    /// in the order they were posted there.
    entries: Vec<StoredEntry>,
    /// The loan products, by id.
    products: Vec<LoanProduct>,
    /// The loans, by id, as they are.
    loans: Vec<Loan>,
    /// Savings, groups and relief, as they are.
    koperasi: Koperasi,
}

/// Why a stored form is not a ledger (a damaged or hand-edited snapshot).
#[derive(Debug)]
pub(super) struct Damaged(String);

impl std::fmt::Display for Damaged {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "stored ledger is damaged: {}", self.0)
    }
}

fn damaged(what: impl Into<String>) -> Damaged {
    Damaged(what.into())
}

impl From<&Ledger> for Stored {
    fn from(ledger: &Ledger) -> Self {
        let accounts: Vec<Account> = ledger.books.opened().cloned().collect();
        let position: BTreeMap<&AccountCode, u32> = accounts
            .iter()
            .enumerate()
            .map(|(i, a)| (&a.code, u32::try_from(i).unwrap_or(u32::MAX)))
            .collect();
        let mut currencies: Vec<Currency> = Vec::new();
        let mut order = ledger.books.posting_order();
        // Entries the books have no line of (none, in a ledger built by
        // `apply`) go last, so none is lost.
        if order.len() < ledger.entries.len() {
            let seen: std::collections::BTreeSet<EntryId> = order.iter().copied().collect();
            order.extend(
                ledger.entries.values().map(JournalEntry::id).filter(|id| !seen.contains(id)),
            );
        }
        let entries = order
            .iter()
            .filter_map(|id| ledger.entries.get(id))
            .map(|e| {
                let postings = e
                    .postings()
                    .iter()
                    .map(|p| {
                        let currency = p.amount.currency();
                        let c = match currencies.iter().position(|c| *c == currency) {
                            Some(c) => c,
                            None => {
                                currencies.push(currency);
                                currencies.len().saturating_sub(1)
                            }
                        };
                        let key = posting_key(
                            position.get(&p.account).copied().unwrap_or(u32::MAX),
                            u8::try_from(c).unwrap_or(u8::MAX),
                        );
                        (key, Amount(p.signed_amount()))
                    })
                    .collect();
                StoredEntry {
                    id: Id(e.id().as_u128()),
                    day: e.date().num_days_from_ce(),
                    description: e.description().to_owned(),
                    postings,
                    reverses: e.reverses().map(|r| Id(r.as_u128())),
                }
            })
            .collect();
        Self {
            accounts,
            currencies,
            entries,
            products: ledger.products.values().cloned().collect(),
            loans: ledger.loans.values().cloned().collect(),
            koperasi: ledger.koperasi.clone(),
        }
    }
}

/// Loads a ledger from its stored form, posting each entry as it is read
/// (no list of all entries is built first). The accounts and currencies
/// must come before the entries, as [`Stored`] writes them.
pub(super) fn deserialize<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Ledger, D::Error> {
    const FIELDS: &[&str] = &["accounts", "currencies", "entries", "products", "loans", "koperasi"];
    deserializer.deserialize_struct("Stored", FIELDS, LedgerVisitor)
}

#[derive(Deserialize)]
#[serde(field_identifier, rename_all = "snake_case")]
enum Field {
    Accounts,
    Currencies,
    Entries,
    Products,
    Loans,
    Koperasi,
}

struct LedgerVisitor;

impl<'de> serde::de::Visitor<'de> for LedgerVisitor {
    type Value = Ledger;

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a stored ledger")
    }

    fn visit_map<M: serde::de::MapAccess<'de>>(self, mut map: M) -> Result<Ledger, M::Error> {
        use serde::de::Error;
        let mut ledger = Ledger::default();
        let mut codes: Option<Vec<AccountCode>> = None;
        let mut currencies: Option<Vec<Currency>> = None;
        let mut entries = false;
        let mut products: Option<Vec<LoanProduct>> = None;
        let mut loans: Option<Vec<Loan>> = None;
        let mut koperasi: Option<Koperasi> = None;
        let twice = |field: &'static str| M::Error::duplicate_field(field);
        while let Some(field) = map.next_key::<Field>()? {
            match field {
                Field::Accounts => {
                    if codes.is_some() {
                        return Err(twice("accounts"));
                    }
                    for account in map.next_value::<Vec<Account>>()? {
                        if ledger.books.account(&account.code).is_some() {
                            return Err(M::Error::custom(damaged(format!(
                                "account {} is opened twice",
                                account.code
                            ))));
                        }
                        ledger.books.open(account);
                    }
                    codes = Some(ledger.books.opened().map(|a| a.code.clone()).collect());
                }
                Field::Currencies => {
                    if currencies.is_some() {
                        return Err(twice("currencies"));
                    }
                    currencies = Some(map.next_value()?);
                }
                Field::Entries => {
                    if entries {
                        return Err(twice("entries"));
                    }
                    let (Some(codes), Some(currencies)) = (&codes, &currencies) else {
                        return Err(M::Error::custom(damaged(
                            "the entries come before the accounts and currencies",
                        )));
                    };
                    map.next_value_seed(EntriesSeed { ledger: &mut ledger, codes, currencies })?;
                    entries = true;
                }
                Field::Products => {
                    if products.is_some() {
                        return Err(twice("products"));
                    }
                    products = Some(map.next_value()?);
                }
                Field::Loans => {
                    if loans.is_some() {
                        return Err(twice("loans"));
                    }
                    loans = Some(map.next_value()?);
                }
                Field::Koperasi => {
                    if koperasi.is_some() {
                        return Err(twice("koperasi"));
                    }
                    koperasi = Some(map.next_value()?);
                }
            }
        }
        let missing = M::Error::missing_field;
        if codes.is_none() {
            return Err(missing("accounts"));
        }
        if !entries {
            return Err(missing("entries"));
        }
        for product in products.ok_or_else(|| missing("products"))? {
            if ledger.products.insert(product.id, product).is_some() {
                return Err(M::Error::custom(damaged("a loan product is stored twice")));
            }
        }
        for loan in loans.ok_or_else(|| missing("loans"))? {
            if !ledger.products.contains_key(&loan.product()) {
                return Err(M::Error::custom(damaged(format!(
                    "loan {} names no stored product",
                    loan.id()
                ))));
            }
            if let Some(loan) = ledger.loans.insert(loan.id(), loan) {
                return Err(M::Error::custom(damaged(format!(
                    "loan {} is stored twice",
                    loan.id()
                ))));
            }
        }
        ledger.koperasi = koperasi.ok_or_else(|| missing("koperasi"))?;
        Ok(ledger)
    }
}

/// The entries of a stored ledger, posted to `ledger` as they are read.
struct EntriesSeed<'a> {
    ledger: &'a mut Ledger,
    codes: &'a [AccountCode],
    currencies: &'a [Currency],
}

impl<'de> serde::de::DeserializeSeed<'de> for EntriesSeed<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> serde::de::Visitor<'de> for EntriesSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a list of stored entries")
    }

    fn visit_seq<S: serde::de::SeqAccess<'de>>(self, mut seq: S) -> Result<(), S::Error> {
        use serde::de::Error;
        let Self { ledger, codes, currencies } = self;
        if let Some(n) = seq.size_hint() {
            ledger.entries.reserve(n);
        }
        let mut read = Batch::default();
        let mut built = Built::default();
        // A small ledger is read and posted on this thread. The entries
        // built before a damaged one are posted first, so that the error
        // reported is always the first entry's that is damaged.
        let more = read.fill(&mut seq)?;
        let building = read.build(codes, currencies, &mut built);
        if building.is_err() || !more {
            built.post(ledger).map_err(S::Error::custom)?;
            return building.map_err(S::Error::custom);
        }
        // A large one is read, and its entries built and checked, on this
        // thread, and posted to the books on a second, batch by batch, so
        // the two halves of the work overlap. The poster hands each emptied
        // batch back, so that neither thread allocates for batches once
        // their buffers have grown.
        std::thread::scope(|scope| {
            let (full, filled) = std::sync::mpsc::sync_channel::<Built>(4);
            let (empty, emptied) = std::sync::mpsc::channel::<Built>();
            let poster = scope.spawn(move || {
                for mut batch in filled {
                    batch.post(ledger)?;
                    // The reader may have finished: the buffers are dropped.
                    let _ = empty.send(batch);
                }
                Ok::<(), Damaged>(())
            });
            let reading = (|| {
                loop {
                    // The poster stops taking batches at a damaged entry:
                    // its error is the one to report.
                    if full.send(built).is_err() {
                        return Ok(());
                    }
                    read.clear();
                    let more = read.fill(&mut seq)?;
                    built = emptied.try_recv().unwrap_or_default();
                    let building = read.build(codes, currencies, &mut built);
                    if building.is_err() || !more {
                        // The last, possibly empty, batch: up to a damaged
                        // entry, whose error counts only if the poster
                        // finds none before it.
                        let _ = full.send(built);
                        return building.map_err(S::Error::custom);
                    }
                }
            })();
            drop(full);
            let posted = poster.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            posted.map_err(S::Error::custom)?;
            reading
        })
    }
}

/// Entries per batch handed from the reading thread to the posting one.
const BATCH: usize = 4096;

/// A posting as read: account position, currency position, signed amount.
type ReadPosting = (u32, u8, Decimal);

/// Stored entries read but not yet built, column by column: the entries'
/// scalar fields, every posting of the batch in one list and every
/// description in one string.
#[derive(Debug, Default)]
struct Batch {
    heads: Vec<Head>,
    postings: Vec<ReadPosting>,
    text: String,
}

/// The scalar fields of one stored entry in a [`Batch`], and where its
/// postings and description end there.
#[derive(Debug)]
struct Head {
    id: u128,
    day: i32,
    reverses: Option<u128>,
    postings_end: usize,
    text_end: usize,
}

impl Batch {
    fn clear(&mut self) {
        self.heads.clear();
        self.postings.clear();
        self.text.clear();
    }

    /// Reads entries until the batch holds [`BATCH`]; whether it is full
    /// (false: the list ended).
    fn fill<'de, S: serde::de::SeqAccess<'de>>(&mut self, seq: &mut S) -> Result<bool, S::Error> {
        while self.heads.len() < BATCH {
            if seq.next_element_seed(EntrySeed(self))?.is_none() {
                return Ok(false);
            }
        }
        Ok(true)
    }

    /// Builds the batch's entries, with every check an entry makes of
    /// itself, into `built`; at a damaged entry, stops with the entries
    /// before it built.
    fn build(
        &self,
        codes: &[AccountCode],
        currencies: &[Currency],
        built: &mut Built,
    ) -> Result<(), Damaged> {
        let (mut postings, mut text) = (0, 0);
        for head in &self.heads {
            let lines = self.postings.get(postings..head.postings_end).unwrap_or_default();
            let description = self.text.get(text..head.text_end).unwrap_or_default();
            built.push(codes, currencies, head, lines, description)?;
            (postings, text) = (head.postings_end, head.text_end);
        }
        Ok(())
    }
}

/// Built entries ready to post. Beside each entry, what posting it to the
/// books needs (its id, date, reversal link and lines), so that the posting
/// thread reads these lists in order and never the entries themselves,
/// which were built in the other thread's cache.
#[derive(Debug, Default)]
struct Built {
    entries: Vec<JournalEntry>,
    heads: Vec<BuiltHead>,
    lines: Vec<Line>,
}

/// What posting one built entry needs besides its lines.
#[derive(Debug)]
struct BuiltHead {
    id: EntryId,
    date: NaiveDate,
    reverses: Option<EntryId>,
    /// The end of its lines in [`Built::lines`].
    lines_end: usize,
}

impl Built {
    /// Builds one stored entry; a damaged one adds nothing.
    fn push(
        &mut self,
        codes: &[AccountCode],
        currencies: &[Currency],
        head: &Head,
        postings: &[ReadPosting],
        description: &str,
    ) -> Result<(), Damaged> {
        let mark = self.lines.len();
        match self.build(codes, currencies, head, postings, description) {
            Ok(entry) => {
                self.heads.push(BuiltHead {
                    id: entry.id(),
                    date: entry.date(),
                    reverses: entry.reverses(),
                    lines_end: self.lines.len(),
                });
                self.entries.push(entry);
                Ok(())
            }
            Err(damage) => {
                self.lines.truncate(mark);
                Err(damage)
            }
        }
    }

    /// [`Built::push`]: the entry, its lines pushed.
    fn build(
        &mut self,
        codes: &[AccountCode],
        currencies: &[Currency],
        head: &Head,
        stored: &[ReadPosting],
        description: &str,
    ) -> Result<JournalEntry, Damaged> {
        let id = head.id;
        let date = NaiveDate::from_num_days_from_ce_opt(head.day)
            .ok_or_else(|| damaged(format!("entry {id} has no valid date")))?;
        let mut postings = Vec::with_capacity(stored.len());
        for &(account, currency, amount) in stored {
            let position = usize::try_from(account).unwrap_or(usize::MAX);
            let code = codes
                .get(position)
                .ok_or_else(|| damaged(format!("entry {id} names no account {account}")))?;
            let currency = *currencies
                .get(usize::from(currency))
                .ok_or_else(|| damaged(format!("entry {id} names no currency {currency}")))?;
            let side = if amount.is_sign_negative() { Side::Credit } else { Side::Debit };
            let amount = amount.abs();
            postings.push(Posting::new(code.clone(), side, Money::new(amount, currency)));
            self.lines.push(Line { account: position, currency, side, amount });
        }
        JournalEntry::try_from_parts(
            EntryId::from_u128(id),
            date,
            description.to_owned(),
            postings,
            head.reverses.map(EntryId::from_u128),
        )
        .map_err(|e| damaged(format!("entry {id}: {e}")))
    }

    /// Posts the built entries to `ledger`, in order, checking each against
    /// the entries before it, and empties the batch.
    fn post(&mut self, ledger: &mut Ledger) -> Result<(), Damaged> {
        let mut start = 0usize;
        for (head, entry) in self.heads.iter().zip(self.entries.drain(..)) {
            let lines = self.lines.get(start..head.lines_end).unwrap_or_default();
            post(ledger, head, entry, lines)?;
            start = head.lines_end;
        }
        self.heads.clear();
        self.lines.clear();
        Ok(())
    }
}

/// Reads one stored entry, `[id, day, description, postings]` or, for a
/// reversal, `[id, day, description, postings, reversed id]`, into a
/// [`Batch`].
struct EntrySeed<'a>(&'a mut Batch);

impl<'de> serde::de::DeserializeSeed<'de> for EntrySeed<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_tuple(5, self)
    }
}

impl<'de> serde::de::Visitor<'de> for EntrySeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a stored entry: [id, day, description, postings(, reversed id)]")
    }

    fn visit_seq<S: serde::de::SeqAccess<'de>>(self, mut seq: S) -> Result<(), S::Error> {
        use serde::de::Error;
        let batch = self.0;
        let short = |n: usize| S::Error::invalid_length(n, &"four or five fields");
        let Id(id) = seq.next_element()?.ok_or_else(|| short(0))?;
        let day: i32 = seq.next_element()?.ok_or_else(|| short(1))?;
        seq.next_element_seed(TextSeed(&mut batch.text))?.ok_or_else(|| short(2))?;
        seq.next_element_seed(PostingsSeed(&mut batch.postings))?.ok_or_else(|| short(3))?;
        let reverses: Option<Id> = seq.next_element()?;
        batch.heads.push(Head {
            id,
            day,
            reverses: reverses.map(|Id(r)| r),
            postings_end: batch.postings.len(),
            text_end: batch.text.len(),
        });
        Ok(())
    }
}

/// Appends a string to a [`Batch`]'s text.
struct TextSeed<'a>(&'a mut String);

impl<'de> serde::de::DeserializeSeed<'de> for TextSeed<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_str(self)
    }
}

impl serde::de::Visitor<'_> for TextSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a description")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<(), E> {
        self.0.push_str(v);
        Ok(())
    }
}

/// Appends a stored entry's postings to a [`Batch`]'s.
struct PostingsSeed<'a>(&'a mut Vec<ReadPosting>);

impl<'de> serde::de::DeserializeSeed<'de> for PostingsSeed<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_seq(self)
    }
}

impl<'de> serde::de::Visitor<'de> for PostingsSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a flat list of postings: [key, amount, …]")
    }

    fn visit_seq<S: serde::de::SeqAccess<'de>>(self, mut seq: S) -> Result<(), S::Error> {
        use serde::de::Error;
        while let Some(key) = seq.next_element::<u64>()? {
            let Amount(amount) = seq
                .next_element()?
                .ok_or_else(|| S::Error::custom("a posting key without its amount"))?;
            let (account, currency) = posting_positions(key);
            self.0.push((account, currency, amount));
        }
        Ok(())
    }
}

/// Posts one built stored entry to `ledger`, checking it against the entries
/// before it.
fn post(
    ledger: &mut Ledger,
    head: &BuiltHead,
    entry: JournalEntry,
    lines: &[Line],
) -> Result<(), Damaged> {
    let BuiltHead { id, date, reverses, .. } = *head;
    let number = id.as_u128();
    if ledger.entries.contains_key(&id) {
        return Err(damaged(format!("entry {number} is stored twice")));
    }
    if let Some(original) = reverses {
        if !ledger.entries.contains_key(&original) {
            return Err(damaged(format!("entry {number} reverses no earlier entry")));
        }
        ledger.reversed_by.insert(original, id);
    }
    ledger
        .books
        .restore_lines(id, date, lines)
        .map_err(|e| damaged(format!("entry {number}: {e}")))?;
    ledger.entries.insert(id, entry);
    Ok(())
}

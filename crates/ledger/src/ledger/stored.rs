//! The ledger's stored form (serde): what a snapshot holds.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use tangguh_core::{Currency, Money};

use super::Ledger;
use crate::account::{Account, AccountCode, Side};
use crate::entry::{JournalEntry, Posting};
use crate::ids::EntryId;
use crate::koperasi::Koperasi;
use crate::loan::{Loan, LoanProduct};

/// One posting: the account's position in [`Stored::accounts`], the
/// currency's position in [`Stored::currencies`], and the amount signed as
/// debits minus credits (a debit positive, a credit negative).
type StoredPosting = (u32, u8, Amount);

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

/// One entry: id, value date (days from 1 January of year 1, day 1),
/// description, postings, and the id of the entry it reverses.
type StoredEntry = (Id, i32, String, Vec<StoredPosting>, Option<Id>);

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
                        (
                            position.get(&p.account).copied().unwrap_or(u32::MAX),
                            u8::try_from(c).unwrap_or(u8::MAX),
                            Amount(p.signed_amount()),
                        )
                    })
                    .collect();
                (
                    Id(e.id().as_u128()),
                    e.date().num_days_from_ce(),
                    e.description().to_owned(),
                    postings,
                    e.reverses().map(|r| Id(r.as_u128())),
                )
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

/// The entries of a stored ledger, posted to `ledger` one by one as read.
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
        // A small ledger is posted as it is read.
        for _ in 0..BATCH {
            let Some(entry) = seq.next_element::<StoredEntry>()? else { return Ok(()) };
            post(ledger, codes, currencies, entry).map_err(S::Error::custom)?;
        }
        // A large one is read on this thread and posted on a second, batch
        // by batch, so parsing and rebuilding the books overlap.
        std::thread::scope(|scope| {
            let (batches, received) = std::sync::mpsc::sync_channel::<Vec<StoredEntry>>(4);
            let poster = scope.spawn(move || {
                for batch in received {
                    for entry in batch {
                        post(ledger, codes, currencies, entry)?;
                    }
                }
                Ok::<(), Damaged>(())
            });
            let read = (|| {
                loop {
                    let mut batch = Vec::with_capacity(BATCH);
                    while batch.len() < BATCH {
                        match seq.next_element::<StoredEntry>()? {
                            Some(entry) => batch.push(entry),
                            None => break,
                        }
                    }
                    let last = batch.len() < BATCH;
                    // The poster stops taking batches at a damaged entry:
                    // its error is the one to report.
                    if batches.send(batch).is_err() || last {
                        return Ok(());
                    }
                }
            })();
            drop(batches);
            let posted = poster.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            posted.map_err(S::Error::custom)?;
            read
        })
    }
}

/// Entries per batch handed from the reading thread to the posting one.
const BATCH: usize = 4096;

/// Posts one stored entry to `ledger` with every check of the stored form.
fn post(
    ledger: &mut Ledger,
    codes: &[AccountCode],
    currencies: &[Currency],
    (Id(id), day, description, postings, reverses): StoredEntry,
) -> Result<(), Damaged> {
    let date = NaiveDate::from_num_days_from_ce_opt(day)
        .ok_or_else(|| damaged(format!("entry {id} has no valid date")))?;
    let postings = postings
        .into_iter()
        .map(|(account, currency, Amount(amount))| {
            let code = usize::try_from(account)
                .ok()
                .and_then(|a| codes.get(a))
                .ok_or_else(|| damaged(format!("entry {id} names no account {account}")))?;
            let currency = currencies
                .get(usize::from(currency))
                .ok_or_else(|| damaged(format!("entry {id} names no currency {currency}")))?;
            let side = if amount.is_sign_negative() { Side::Credit } else { Side::Debit };
            Ok(Posting::new(code.clone(), side, Money::new(amount.abs(), *currency)))
        })
        .collect::<Result<Vec<_>, Damaged>>()?;
    let entry_id = EntryId::from_u128(id);
    let reverses = reverses.map(|Id(r)| EntryId::from_u128(r));
    let entry = JournalEntry::try_from_parts(entry_id, date, description, postings, reverses)
        .map_err(|e| damaged(format!("entry {id}: {e}")))?;
    if ledger.entries.contains_key(&entry_id) {
        return Err(damaged(format!("entry {id} is stored twice")));
    }
    if let Some(original) = reverses {
        if !ledger.entries.contains_key(&original) {
            return Err(damaged(format!("entry {id} reverses no earlier entry")));
        }
        ledger.reversed_by.insert(original, entry_id);
    }
    ledger.books.restore(&entry).map_err(|e| damaged(format!("entry {id}: {e}")))?;
    ledger.entries.insert(entry_id, entry);
    Ok(())
}

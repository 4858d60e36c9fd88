//! The books: the chart of accounts with balances kept incrementally (per
//! account and currency) and per day (for balances as of a date).

use std::collections::BTreeMap;
#[allow(clippy::disallowed_types)] // the account index: lookup only
use std::collections::HashMap;

use chrono::NaiveDate;
use foldhash::fast::RandomState;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use smallvec::SmallVec;
use tangguh_core::{Currency, Money};

use crate::account::{Account, AccountCode, AccountType, Side};
use crate::entry::{JournalEntry, Posting};
use crate::error::LedgerError;
use crate::ids::EntryId;

/// The totals of one account in one currency.
#[derive(Clone, Debug, PartialEq, Eq)]
struct CurrencyBook {
    currency: Currency,
    debits: Decimal,
    credits: Decimal,
    /// Debits minus credits.
    net: Decimal,
    /// Debits minus credits per value date, sorted by date (entries mostly
    /// arrive in date order, so this is usually an append).
    daily: Vec<(NaiveDate, Decimal)>,
}

/// One account with its balances and the entries that touched it.
#[derive(Clone, Debug, PartialEq, Eq)]
struct AccountBook {
    account: Account,
    currencies: Vec<CurrencyBook>,
    /// (value date, entry) for each entry that posted here, in posting order.
    lines: Vec<(NaiveDate, EntryId)>,
}

/// The new totals one entry would give one (account, currency).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Effect {
    account: usize,
    currency: Currency,
    debits: Decimal,
    credits: Decimal,
    net: Decimal,
    /// This entry's debits minus credits on the account.
    delta: Decimal,
}

/// One posting of an entry with its account's position in the books.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Line {
    /// The account's position in the books.
    pub(crate) account: usize,
    /// The posting's currency.
    pub(crate) currency: Currency,
    /// Debit or credit.
    pub(crate) side: Side,
    /// The amount, positive.
    pub(crate) amount: Decimal,
}

/// How many (account, currency) effects [`Effects`] holds without
/// allocating: most entries touch two to four accounts.
const INLINE_EFFECTS: usize = 4;

/// The effects of one entry, one per (account, currency) it touches, in
/// order of first posting. Kept inline for up to [`INLINE_EFFECTS`] (and not
/// initialised until used), so checking and posting an ordinary entry does
/// not allocate.
pub(crate) type Effects = SmallVec<[Effect; INLINE_EFFECTS]>;

/// The chart of accounts and its balances. Shared by [`crate::Ledger`] and by
/// [`TrialBalanceBuilder`], so both post with the same checks.
#[derive(Clone, Debug, PartialEq, Eq)]
#[allow(clippy::disallowed_types)] // the account index is lookup only, never iterated into output
pub(crate) struct Books {
    /// Account code to position in `accounts`, hashed with foldhash (every
    /// posting looks its accounts up, twice: deciding and applying).
    #[allow(clippy::disallowed_types)] // lookup only, never iterated into output
    index: HashMap<AccountCode, usize, RandomState>,
    accounts: Vec<AccountBook>,
    /// Whether to keep per-day deltas and per-account entry lines (for
    /// balances as of a date and statements). Off for streaming imports.
    history: bool,
}

impl Default for Books {
    #[allow(clippy::disallowed_types)] // the account index is lookup only
    fn default() -> Self {
        Self { index: HashMap::default(), accounts: Vec::new(), history: true }
    }
}

impl Books {
    pub(crate) fn account(&self, code: &AccountCode) -> Option<&Account> {
        self.index.get(code).and_then(|&i| self.accounts.get(i)).map(|b| &b.account)
    }

    /// The accounts, by code.
    pub(crate) fn accounts(&self) -> impl Iterator<Item = &Account> {
        let mut sorted: Vec<&Account> = self.accounts.iter().map(|b| &b.account).collect();
        sorted.sort_by(|a, b| a.code.cmp(&b.code));
        sorted.into_iter()
    }

    /// The accounts in the order they were opened (their positions in the
    /// books), for the ledger's stored form.
    pub(crate) fn opened(&self) -> impl Iterator<Item = &Account> {
        self.accounts.iter().map(|b| &b.account)
    }

    /// The posted entries in an order that reproduces these books when they
    /// are posted again in it: each account's entries in the order they were
    /// posted there (a topological merge of the per-account entry lines,
    /// ties to the entry first seen, scanning accounts in opening order).
    /// Entries only of accounts without history are not seen.
    pub(crate) fn posting_order(&self) -> Vec<EntryId> {
        #[allow(clippy::disallowed_types)] // lookup only, never iterated into output
        let mut node: HashMap<EntryId, usize, RandomState> = HashMap::default();
        let mut ids: Vec<EntryId> = Vec::new();
        // Each account's lines as node numbers; an edge from each line to
        // the next on the same account.
        let mut edges: Vec<(usize, usize)> = Vec::new();
        for book in &self.accounts {
            let mut prev: Option<usize> = None;
            for (_, id) in &book.lines {
                let n = *node.entry(*id).or_insert_with(|| {
                    ids.push(*id);
                    ids.len().saturating_sub(1)
                });
                if let Some(p) = prev
                    && p != n
                {
                    edges.push((p, n));
                }
                prev = Some(n);
            }
        }
        edges.sort_unstable();
        edges.dedup();
        let mut indegree = vec![0usize; ids.len()];
        for &(_, to) in &edges {
            if let Some(d) = indegree.get_mut(to) {
                *d = d.saturating_add(1);
            }
        }
        let mut ready: std::collections::BinaryHeap<std::cmp::Reverse<usize>> = indegree
            .iter()
            .enumerate()
            .filter(|(_, d)| **d == 0)
            .map(|(n, _)| std::cmp::Reverse(n))
            .collect();
        let mut order = Vec::with_capacity(ids.len());
        while let Some(std::cmp::Reverse(n)) = ready.pop() {
            if let Some(id) = ids.get(n) {
                order.push(*id);
            }
            let start = edges.partition_point(|&(from, _)| from < n);
            for &(_, to) in edges.get(start..).unwrap_or_default().iter().take_while(|e| e.0 == n) {
                if let Some(d) = indegree.get_mut(to) {
                    *d = d.saturating_sub(1);
                    if *d == 0 {
                        ready.push(std::cmp::Reverse(to));
                    }
                }
            }
        }
        order
    }

    /// Posts an entry given as its id, value date and lines (each posting
    /// with its account's position in the books), as `apply` does: every
    /// check but the never-negative one (the limits were checked when the
    /// entry was decided). For the ledger's stored form: the books never
    /// read the entry itself. Every position must be one of an opened
    /// account (the loader takes them from the chart it opened).
    pub(crate) fn restore_lines(
        &mut self,
        id: EntryId,
        date: NaiveDate,
        lines: &[Line],
    ) -> Result<(), LedgerError> {
        debug_assert!(lines.iter().all(|l| l.account < self.accounts.len()));
        let mut effects = Effects::new();
        self.effects_of(lines.iter().copied().map(Ok), &mut effects)?;
        self.commit_at(id, date, &effects);
        Ok(())
    }

    /// `posting` as a line of these books (its account looked up).
    fn line(&self, posting: &Posting) -> Result<Line, LedgerError> {
        let account = *self
            .index
            .get(&posting.account)
            .ok_or_else(|| LedgerError::UnknownAccount { account: posting.account.clone() })?;
        Ok(Line {
            account,
            currency: posting.amount.currency(),
            side: posting.side,
            amount: posting.amount.amount(),
        })
    }

    /// Opens `account` (the caller checked it is new).
    pub(crate) fn open(&mut self, account: Account) {
        if self.index.contains_key(&account.code) {
            return;
        }
        self.index.insert(account.code.clone(), self.accounts.len());
        self.accounts.push(AccountBook { account, currencies: Vec::new(), lines: Vec::new() });
    }

    /// The new totals `entry` would give each account it touches, into
    /// `effects` (new and empty; the caller owns it so that the inline
    /// buffer is not moved). Checks that every account exists and that no
    /// total overflows.
    pub(crate) fn effects(
        &self,
        entry: &JournalEntry,
        effects: &mut Effects,
    ) -> Result<(), LedgerError> {
        self.effects_of(entry.postings().iter().map(|p| self.line(p)), effects)
    }

    /// [`Books::effects`] of an entry's lines.
    fn effects_of(
        &self,
        lines: impl Iterator<Item = Result<Line, LedgerError>>,
        effects: &mut Effects,
    ) -> Result<(), LedgerError> {
        let overflow = || LedgerError::Overflow { operation: "account balance" };
        for line in lines {
            let Line { account, currency, side, amount } = line?;
            if let Some(effect) =
                effects.iter_mut().find(|e| e.account == account && e.currency == currency)
            {
                // A further posting to the same account and currency.
                match side {
                    Side::Debit => {
                        effect.debits = effect.debits.checked_add(amount).ok_or_else(overflow)?;
                        effect.net = effect.net.checked_add(amount).ok_or_else(overflow)?;
                        effect.delta = effect.delta.checked_add(amount).ok_or_else(overflow)?;
                    }
                    Side::Credit => {
                        effect.credits = effect.credits.checked_add(amount).ok_or_else(overflow)?;
                        effect.net = effect.net.checked_sub(amount).ok_or_else(overflow)?;
                        effect.delta = effect.delta.checked_sub(amount).ok_or_else(overflow)?;
                    }
                }
                continue;
            }
            let (mut debits, mut credits, mut net) = self
                .accounts
                .get(account)
                .and_then(|b| b.currencies.iter().find(|c| c.currency == currency))
                .map_or((Decimal::ZERO, Decimal::ZERO, Decimal::ZERO), |c| {
                    (c.debits, c.credits, c.net)
                });
            // The first posting to this account and currency: its delta is
            // the amount, signed (exactly what zero plus or minus the amount
            // gives, without the addition).
            let delta = match side {
                Side::Debit => {
                    debits = debits.checked_add(amount).ok_or_else(overflow)?;
                    net = net.checked_add(amount).ok_or_else(overflow)?;
                    amount
                }
                Side::Credit => {
                    credits = credits.checked_add(amount).ok_or_else(overflow)?;
                    net = net.checked_sub(amount).ok_or_else(overflow)?;
                    let mut negated = amount;
                    negated.set_sign_negative(amount.is_sign_positive());
                    negated
                }
            };
            effects.push(Effect { account, currency, debits, credits, net, delta });
        }
        Ok(())
    }

    /// Refuses effects that take a never-negative account below zero on its
    /// normal side.
    pub(crate) fn check_limits(&self, effects: &Effects) -> Result<(), LedgerError> {
        for e in effects.iter() {
            let Some(book) = self.accounts.get(e.account) else { continue };
            if !book.account.never_negative {
                continue;
            }
            let normal = |net: Decimal| match book.account.kind.normal_side() {
                Side::Debit => net,
                Side::Credit => Decimal::ZERO.saturating_sub(net),
            };
            let after = normal(e.net);
            if after < Decimal::ZERO {
                let before = e.net.checked_sub(e.delta).map(normal).unwrap_or_default();
                return Err(LedgerError::Overdrawn {
                    account: book.account.code.clone(),
                    available: Money::new(before, e.currency),
                    requested: Money::new(
                        Decimal::ZERO.saturating_sub(normal(e.delta)),
                        e.currency,
                    ),
                });
            }
        }
        Ok(())
    }

    /// Applies checked effects of `entry`.
    pub(crate) fn commit(&mut self, entry: &JournalEntry, effects: &Effects) {
        self.commit_at(entry.id(), entry.date(), effects);
    }

    /// [`Books::commit`] of the entry `id` dated `date`.
    fn commit_at(&mut self, id: EntryId, date: NaiveDate, effects: &Effects) {
        for e in effects.iter() {
            let Some(book) = self.accounts.get_mut(e.account) else { continue };
            let pos = match book.currencies.iter().position(|c| c.currency == e.currency) {
                Some(pos) => pos,
                None => {
                    book.currencies.push(CurrencyBook {
                        currency: e.currency,
                        debits: Decimal::ZERO,
                        credits: Decimal::ZERO,
                        net: Decimal::ZERO,
                        daily: Vec::new(),
                    });
                    book.currencies.len().saturating_sub(1)
                }
            };
            if let Some(c) = book.currencies.get_mut(pos) {
                c.debits = e.debits;
                c.credits = e.credits;
                c.net = e.net;
                if !self.history {
                    continue;
                }
                // Cannot overflow: a day's net is bounded by the account's
                // checked debit and credit totals.
                match c.daily.last_mut() {
                    Some((last, v)) if *last == date => *v = v.saturating_add(e.delta),
                    Some((last, _)) if *last > date => {
                        match c.daily.binary_search_by(|(d, _)| d.cmp(&date)) {
                            Ok(pos) => {
                                if let Some((_, v)) = c.daily.get_mut(pos) {
                                    *v = v.saturating_add(e.delta);
                                }
                            }
                            Err(pos) => c.daily.insert(pos, (date, e.delta)),
                        }
                    }
                    _ => c.daily.push((date, e.delta)),
                }
            }
            if book.lines.last() != Some(&(date, id)) {
                book.lines.push((date, id));
            }
        }
    }

    /// Posts `entry` with every check: unknown accounts, overflow, limits.
    pub(crate) fn post(&mut self, entry: &JournalEntry) -> Result<(), LedgerError> {
        let mut effects = Effects::new();
        self.effects(entry, &mut effects)?;
        self.check_limits(&effects)?;
        self.commit(entry, &effects);
        Ok(())
    }

    fn book(&self, code: &AccountCode) -> Result<&AccountBook, LedgerError> {
        self.index
            .get(code)
            .and_then(|&i| self.accounts.get(i))
            .ok_or_else(|| LedgerError::UnknownAccount { account: code.clone() })
    }

    pub(crate) fn balance(
        &self,
        code: &AccountCode,
        currency: Currency,
        as_of: Option<NaiveDate>,
    ) -> Result<Balance, LedgerError> {
        let book = self.book(code)?;
        let line = balance_line(book, currency, as_of)?;
        Ok(line)
    }

    pub(crate) fn entry_lines(
        &self,
        code: &AccountCode,
    ) -> Result<&[(NaiveDate, EntryId)], LedgerError> {
        Ok(&self.book(code)?.lines)
    }

    pub(crate) fn trial_balance(
        &self,
        as_of: Option<NaiveDate>,
    ) -> Result<TrialBalance, LedgerError> {
        let mut lines = Vec::new();
        let mut books: Vec<&AccountBook> = self.accounts.iter().collect();
        books.sort_by(|a, b| a.account.code.cmp(&b.account.code));
        for book in books {
            let mut currencies: Vec<Currency> =
                book.currencies.iter().map(|c| c.currency).collect();
            currencies.sort();
            for currency in currencies {
                lines.push(balance_line(book, currency, as_of)?);
            }
        }
        TrialBalance::from_lines(lines, as_of)
    }
}

fn balance_line(
    book: &AccountBook,
    currency: Currency,
    as_of: Option<NaiveDate>,
) -> Result<Balance, LedgerError> {
    let overflow = || LedgerError::Overflow { operation: "balance as of a date" };
    let (mut debits, mut credits, mut net) = (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
    if let Some(c) = book.currencies.iter().find(|c| c.currency == currency) {
        match as_of {
            None => (debits, credits, net) = (c.debits, c.credits, c.net),
            Some(date) => {
                let end = c.daily.partition_point(|(d, _)| *d <= date);
                for (_, delta) in c.daily.get(..end).unwrap_or_default() {
                    net = net.checked_add(*delta).ok_or_else(overflow)?;
                }
                // Per-day gross totals are not kept: as of a date, a line
                // shows the net on its side.
                if net >= Decimal::ZERO {
                    debits = net;
                } else {
                    credits = Decimal::ZERO.saturating_sub(net);
                }
            }
        }
    }
    Ok(Balance {
        account: book.account.code.clone(),
        kind: book.account.kind,
        currency,
        debits,
        credits,
        net,
    })
}

/// An account's balance in one currency.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Balance {
    /// The account.
    pub account: AccountCode,
    /// Its type.
    pub kind: AccountType,
    /// The currency.
    pub currency: Currency,
    /// Total debits (as of a date: the net, when it is a debit).
    pub debits: Decimal,
    /// Total credits (as of a date: the net, when it is a credit).
    pub credits: Decimal,
    /// Debits minus credits.
    pub net: Decimal,
}

impl Balance {
    /// The balance on the account's normal side (positive for an asset with
    /// more debits than credits, or a liability with more credits).
    #[must_use]
    pub fn normal(&self) -> Money {
        let amount = match self.kind.normal_side() {
            Side::Debit => self.net,
            Side::Credit => Decimal::ZERO.saturating_sub(self.net),
        };
        Money::new(amount, self.currency)
    }
}

/// The trial balance: every account's balance, sorted by account code, and
/// the total per currency (zero in balanced books).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TrialBalance {
    /// As of this date (end of day), or `None` for all postings.
    pub as_of: Option<NaiveDate>,
    /// One line per account and currency, by account code.
    pub lines: Vec<Balance>,
    /// Debits minus credits over all accounts, per currency.
    pub totals: BTreeMap<Currency, Decimal>,
}

impl TrialBalance {
    fn from_lines(lines: Vec<Balance>, as_of: Option<NaiveDate>) -> Result<Self, LedgerError> {
        let mut totals: BTreeMap<Currency, Decimal> = BTreeMap::new();
        for line in &lines {
            let total = totals.entry(line.currency).or_insert(Decimal::ZERO);
            *total = total
                .checked_add(line.net)
                .ok_or(LedgerError::Overflow { operation: "trial balance total" })?;
        }
        Ok(Self { as_of, lines, totals })
    }

    /// Whether every currency's total is zero.
    #[must_use]
    pub fn is_balanced(&self) -> bool {
        self.totals.values().all(Decimal::is_zero)
    }
}

/// Streaming trial balance: posts entries through the same checks as
/// [`crate::Ledger`] (unknown accounts, overflow, never-negative accounts)
/// but keeps only balances, not entries, so memory grows with the number of
/// accounts rather than entries. For bulk imports (see
/// `examples/ledger_import.rs`); it does not journal, reverse or deduplicate.
///
/// # Examples
///
/// ```
/// use chrono::NaiveDate;
/// use rust_decimal::Decimal;
/// use tangguh_core::Money;
/// use tangguh_ledger::{Account, AccountType, EntryId, JournalEntry, Posting, TrialBalanceBuilder};
///
/// let mut tb = TrialBalanceBuilder::new();
/// tb.open(Account::new("Assets:Cash".parse()?, "Cash".parse()?, AccountType::Asset))?;
/// tb.open(Account::new("Equity:Capital".parse()?, "Capital".parse()?, AccountType::Equity))?;
/// let rp = Money::idr(Decimal::from(1_000));
/// tb.post(&JournalEntry::try_new(
///     EntryId::from_u128(1),
///     NaiveDate::from_ymd_opt(2026, 1, 2).unwrap(),
///     "",
///     vec![Posting::debit("Assets:Cash".parse()?, rp), Posting::credit("Equity:Capital".parse()?, rp)],
/// )?)?;
/// let trial = tb.trial_balance()?;
/// assert!(trial.is_balanced());
/// assert_eq!(trial.lines[0].net, Decimal::from(1_000));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug)]
pub struct TrialBalanceBuilder {
    books: Books,
}

impl Default for TrialBalanceBuilder {
    fn default() -> Self {
        Self::new()
    }
}

impl TrialBalanceBuilder {
    /// Empty books.
    #[must_use]
    pub fn new() -> Self {
        Self { books: Books { history: false, ..Books::default() } }
    }

    /// Opens an account; opening the same account again is a no-op.
    ///
    /// # Errors
    ///
    /// [`LedgerError::ExistsWithDifferentField`] if the code is open with
    /// other settings.
    pub fn open(&mut self, account: Account) -> Result<(), LedgerError> {
        if let Some(existing) = self.books.account(&account.code) {
            if let Some(field) = account_difference(existing, &account) {
                return Err(LedgerError::ExistsWithDifferentField {
                    id: account.code.to_string(),
                    field,
                });
            }
            return Ok(());
        }
        self.books.open(account);
        Ok(())
    }

    /// Whether the account is open.
    #[must_use]
    pub fn is_open(&self, code: &AccountCode) -> bool {
        self.books.account(code).is_some()
    }

    /// Posts `entry`.
    ///
    /// # Errors
    ///
    /// [`LedgerError::UnknownAccount`], [`LedgerError::Overflow`],
    /// [`LedgerError::Overdrawn`]; nothing is posted.
    pub fn post(&mut self, entry: &JournalEntry) -> Result<(), LedgerError> {
        self.books.post(entry)
    }

    /// The trial balance so far.
    ///
    /// # Errors
    ///
    /// [`LedgerError::Overflow`] if a total does not fit.
    pub fn trial_balance(&self) -> Result<TrialBalance, LedgerError> {
        self.books.trial_balance(None)
    }
}

/// Posted entries by id, keyed by the id's number (iteration order is the
/// same as by [`EntryId`]).
///
/// Ids mostly arrive in increasing order (sequence numbers, time-ordered
/// UUIDs): such an id is appended to `tail`, a vector sorted by id, so
/// posting it costs a comparison and a push, and looking up a new id one
/// comparison. An id below the tail's last goes to the B-tree `rest`. The two
/// never hold the same id.
#[derive(Clone, Debug, Default)]
pub(crate) struct EntryIndex {
    /// Entries in increasing id order, each above every id in `rest` that
    /// was inserted before it.
    tail: Vec<(u128, JournalEntry)>,
    /// Entries that arrived out of order.
    rest: BTreeMap<u128, JournalEntry>,
}

impl EntryIndex {
    pub(crate) fn get(&self, id: &EntryId) -> Option<&JournalEntry> {
        let key = id.as_u128();
        match self.tail.last() {
            None => None,
            Some((last, _)) if key > *last => None,
            Some(_) => match self.tail.binary_search_by(|(k, _)| k.cmp(&key)) {
                Ok(i) => self.tail.get(i).map(|(_, e)| e),
                Err(_) => self.rest.get(&key),
            },
        }
    }

    /// Makes room for `additional` more entries in increasing id order.
    pub(crate) fn reserve(&mut self, additional: usize) {
        self.tail.reserve(additional);
    }

    /// How many entries there are.
    pub(crate) fn len(&self) -> usize {
        self.tail.len().saturating_add(self.rest.len())
    }

    pub(crate) fn contains_key(&self, id: &EntryId) -> bool {
        self.get(id).is_some()
    }

    pub(crate) fn insert(&mut self, id: EntryId, entry: JournalEntry) -> Option<JournalEntry> {
        let key = id.as_u128();
        match self.tail.last() {
            Some((last, _)) if key <= *last => {
                match self.tail.binary_search_by(|(k, _)| k.cmp(&key)) {
                    Ok(i) => self.tail.get_mut(i).map(|(_, e)| std::mem::replace(e, entry)),
                    Err(_) => self.rest.insert(key, entry),
                }
            }
            // Above every id in the tail, and so not in `rest` either (see
            // `get`).
            _ => {
                self.tail.push((key, entry));
                None
            }
        }
    }

    /// The entries by id.
    pub(crate) fn values(&self) -> impl Iterator<Item = &JournalEntry> {
        Merge { tail: self.tail.iter().peekable(), rest: self.rest.iter().peekable() }
    }
}

impl PartialEq for EntryIndex {
    /// The same entries, however they were split between tail and rest.
    fn eq(&self, other: &Self) -> bool {
        self.tail.len().saturating_add(self.rest.len())
            == other.tail.len().saturating_add(other.rest.len())
            && self.values().eq(other.values())
    }
}

impl Eq for EntryIndex {}

/// [`EntryIndex::values`]: the tail and the rest merged by id.
struct Merge<'a> {
    tail: std::iter::Peekable<std::slice::Iter<'a, (u128, JournalEntry)>>,
    rest: std::iter::Peekable<std::collections::btree_map::Iter<'a, u128, JournalEntry>>,
}

impl<'a> Iterator for Merge<'a> {
    type Item = &'a JournalEntry;

    fn next(&mut self) -> Option<Self::Item> {
        let take_tail = match (self.tail.peek(), self.rest.peek()) {
            (Some((t, _)), Some((r, _))) => t < *r,
            (Some(_), None) => true,
            (None, _) => false,
        };
        if take_tail { self.tail.next().map(|(_, e)| e) } else { self.rest.next().map(|(_, e)| e) }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let (t, r) = (self.tail.len(), self.rest.len());
        let n = t.saturating_add(r);
        (n, Some(n))
    }
}

/// The first setting, in TigerBeetle's order (flags, user data, code), in
/// which `new` differs from `existing`.
pub(crate) fn account_difference(existing: &Account, new: &Account) -> Option<&'static str> {
    if existing.never_negative != new.never_negative {
        Some("never_negative")
    } else if existing.name != new.name {
        Some("name")
    } else if existing.kind != new.kind {
        Some("kind")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn books() -> Books {
        let mut books = Books::default();
        for (code, kind) in [("1101", AccountType::Asset), ("3101", AccountType::Equity)] {
            books.open(Account::new(code.parse().unwrap(), "akun".parse().unwrap(), kind));
        }
        books
    }

    /// Restoring an entry by its lines leaves the books as posting the
    /// entry does: balances, per-day deltas and statement lines.
    #[test]
    fn restoring_by_lines_is_restoring_the_entry() {
        let code = |c: &str| -> AccountCode { c.parse().unwrap() };
        let date = NaiveDate::from_ymd_opt(2026, 1, 2).unwrap();
        let mut expected = books();
        let mut restored = books();
        for (id, amount) in [(1u128, 2_500), (2, 700), (3, 1_000)] {
            let rp = Money::idr(Decimal::from(amount));
            let entry = JournalEntry::try_new(
                EntryId::from_u128(id),
                date,
                "modal",
                vec![Posting::debit(code("1101"), rp), Posting::credit(code("3101"), rp)],
            )
            .unwrap();
            expected.post(&entry).unwrap();
            let lines: Vec<Line> =
                entry.postings().iter().map(|p| restored.line(p).unwrap()).collect();
            restored.restore_lines(entry.id(), entry.date(), &lines).unwrap();
        }
        assert_eq!(restored, expected);
        let cash = expected.balance(&code("1101"), Currency::IDR, None).unwrap();
        assert_eq!(cash.net, Decimal::from(4_200));
        assert_eq!(expected.entry_lines(&code("3101")).unwrap().len(), 3);
    }
}

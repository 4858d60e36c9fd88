//! Journal entries: two or more postings that sum to zero per currency.

use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use smallvec::SmallVec;
use tangguh_core::{Currency, Money};

use crate::account::{AccountCode, Side};
use crate::error::LedgerError;
use crate::ids::EntryId;

/// One leg of a journal entry: an amount on one side of one account.
///
/// # Examples
///
/// ```
/// use rust_decimal::Decimal;
/// use tangguh_core::Money;
/// use tangguh_ledger::{Posting, Side};
///
/// let p = Posting::debit("1101".parse()?, Money::idr(Decimal::from(50_000)));
/// assert_eq!(p.side, Side::Debit);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Posting {
    /// The account posted to.
    pub account: AccountCode,
    /// Debit or credit.
    pub side: Side,
    /// The amount: positive, at most the currency's minor digits.
    pub amount: Money,
}

impl Posting {
    /// A posting of `amount` on `side` of `account`.
    #[must_use]
    pub fn new(account: AccountCode, side: Side, amount: Money) -> Self {
        Self { account, side, amount }
    }

    /// A debit of `amount` to `account`.
    #[must_use]
    pub fn debit(account: AccountCode, amount: Money) -> Self {
        Self::new(account, Side::Debit, amount)
    }

    /// A credit of `amount` to `account`.
    #[must_use]
    pub fn credit(account: AccountCode, amount: Money) -> Self {
        Self::new(account, Side::Credit, amount)
    }

    /// The amount signed as debits minus credits (debit positive).
    #[must_use]
    pub fn signed_amount(&self) -> Decimal {
        match self.side {
            Side::Debit => self.amount.amount(),
            Side::Credit => Decimal::ZERO.saturating_sub(self.amount.amount()),
        }
    }
}

/// The longest accepted entry description, in characters.
pub const MAX_DESCRIPTION_LEN: usize = 500;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
struct EntryData {
    id: EntryId,
    date: NaiveDate,
    #[serde(default)]
    description: String,
    postings: Vec<Posting>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reverses: Option<EntryId>,
}

/// A balanced journal entry: two or more postings that sum to zero in every
/// currency, with the client's [`EntryId`], a value date, a description and,
/// for a correction, the id of the entry it reverses.
///
/// Built only by [`JournalEntry::try_new`] (or deserialised through the same
/// checks), so an unbalanced entry cannot exist. Immutable once built; cheap
/// to clone (shared).
///
/// # Examples
///
/// ```
/// use chrono::NaiveDate;
/// use rust_decimal::Decimal;
/// use tangguh_core::Money;
/// use tangguh_ledger::{EntryId, JournalEntry, LedgerError, Posting};
///
/// let date = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
/// let rp = |n: i64| Money::idr(Decimal::from(n));
/// let ok = JournalEntry::try_new(
///     EntryId::from_u128(1),
///     date,
///     "setoran modal",
///     vec![Posting::debit("1101".parse()?, rp(500_000)), Posting::credit("3100".parse()?, rp(500_000))],
/// )?;
/// assert_eq!(ok.postings().len(), 2);
///
/// let err = JournalEntry::try_new(
///     EntryId::from_u128(2),
///     date,
///     "typo",
///     vec![Posting::debit("1101".parse()?, rp(500_000)), Posting::credit("3100".parse()?, rp(50_000))],
/// );
/// assert!(matches!(err, Err(LedgerError::Unbalanced { .. })));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "EntryData", into = "EntryData")]
pub struct JournalEntry(Arc<EntryData>);

impl std::fmt::Debug for JournalEntry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(&*self.0, f)
    }
}

impl JournalEntry {
    /// A balanced entry.
    ///
    /// # Errors
    ///
    /// - [`LedgerError::TooFewPostings`] with fewer than two postings;
    /// - [`LedgerError::PostingNotPositive`] for a zero or negative amount;
    /// - [`LedgerError::TooManyDecimals`] for an amount finer than its
    ///   currency's minor unit;
    /// - [`LedgerError::InvalidDescription`] for a description longer than
    ///   [`MAX_DESCRIPTION_LEN`] or with control characters;
    /// - [`LedgerError::Unbalanced`] when debits and credits differ in a
    ///   currency;
    /// - [`LedgerError::Overflow`] when a sum does not fit in a decimal.
    pub fn try_new(
        id: EntryId,
        date: NaiveDate,
        description: impl Into<String>,
        postings: Vec<Posting>,
    ) -> Result<Self, LedgerError> {
        Self::from_data(EntryData {
            id,
            date,
            description: description.into(),
            postings,
            reverses: None,
        })
    }

    /// A balanced entry with every field, through the same checks as
    /// [`JournalEntry::try_new`] (for the ledger's stored form).
    pub(crate) fn try_from_parts(
        id: EntryId,
        date: NaiveDate,
        description: String,
        postings: Vec<Posting>,
        reverses: Option<EntryId>,
    ) -> Result<Self, LedgerError> {
        Self::from_data(EntryData { id, date, description, postings, reverses })
    }

    fn from_data(data: EntryData) -> Result<Self, LedgerError> {
        check_postings(&data.postings)?;
        check_description(&data.description)?;
        Ok(Self(Arc::new(data)))
    }

    /// The entry that reverses this one: every posting on the other side,
    /// linked to this entry by [`JournalEntry::reverses`].
    #[must_use]
    pub fn reversal(&self, id: EntryId, date: NaiveDate, description: impl Into<String>) -> Self {
        let postings = self
            .0
            .postings
            .iter()
            .map(|p| Posting::new(p.account.clone(), p.side.opposite(), p.amount))
            .collect();
        Self(Arc::new(EntryData {
            id,
            date,
            description: description.into(),
            postings,
            reverses: Some(self.0.id),
        }))
    }

    /// Whether `other` has exactly this entry's postings with the sides
    /// swapped, in the same order.
    #[must_use]
    pub fn mirrors(&self, other: &Self) -> bool {
        self.0.postings.len() == other.0.postings.len()
            && self.0.postings.iter().zip(&other.0.postings).all(|(a, b)| {
                a.account == b.account && a.amount == b.amount && a.side == b.side.opposite()
            })
    }

    /// The client's id.
    #[must_use]
    pub fn id(&self) -> EntryId {
        self.0.id
    }

    /// The value date.
    #[must_use]
    pub fn date(&self) -> NaiveDate {
        self.0.date
    }

    /// The description.
    #[must_use]
    pub fn description(&self) -> &str {
        &self.0.description
    }

    /// The postings, in the order given.
    #[must_use]
    pub fn postings(&self) -> &[Posting] {
        &self.0.postings
    }

    /// The entry this one reverses, if it is a correction.
    #[must_use]
    pub fn reverses(&self) -> Option<EntryId> {
        self.0.reverses
    }

    /// The first field, in TigerBeetle's order of precedence, in which
    /// `other` (a retry with the same id) differs from this entry: `reverses`
    /// (the link, as TB's flags and pending id), `date`, `accounts`,
    /// `amounts`, `description` (TB's user data), `currency` (TB's ledger).
    /// `None` when they are the same.
    #[must_use]
    pub fn first_difference(&self, other: &Self) -> Option<&'static str> {
        let (a, b) = (&*self.0, &*other.0);
        if a.reverses != b.reverses {
            return Some("reverses");
        }
        if a.date != b.date {
            return Some("date");
        }
        if a.postings.len() != b.postings.len()
            || a.postings
                .iter()
                .zip(&b.postings)
                .any(|(x, y)| x.account != y.account || x.side != y.side)
        {
            return Some("accounts");
        }
        if a.postings.iter().zip(&b.postings).any(|(x, y)| x.amount.amount() != y.amount.amount()) {
            return Some("amounts");
        }
        if a.description != b.description {
            return Some("description");
        }
        if a.postings
            .iter()
            .zip(&b.postings)
            .any(|(x, y)| x.amount.currency() != y.amount.currency())
        {
            return Some("currency");
        }
        None
    }
}

impl TryFrom<EntryData> for JournalEntry {
    type Error = LedgerError;

    fn try_from(data: EntryData) -> Result<Self, Self::Error> {
        Self::from_data(data)
    }
}

impl From<JournalEntry> for EntryData {
    fn from(entry: JournalEntry) -> Self {
        Arc::unwrap_or_clone(entry.0)
    }
}

fn check_description(description: &str) -> Result<(), LedgerError> {
    // The common case, ASCII text no longer in bytes than the limit in
    // characters, is checked byte by byte.
    let fine = if description.is_ascii() {
        description.len() <= MAX_DESCRIPTION_LEN
            && !description.bytes().any(|b| b.is_ascii_control())
    } else {
        !description.chars().any(char::is_control)
            && description.chars().count() <= MAX_DESCRIPTION_LEN
    };
    if !fine {
        return Err(LedgerError::InvalidDescription {
            excerpt: description.chars().take(40).collect(),
        });
    }
    Ok(())
}

/// Checks that `postings` form a balanced entry.
fn check_postings(postings: &[Posting]) -> Result<(), LedgerError> {
    if postings.len() < 2 {
        return Err(LedgerError::TooFewPostings { count: postings.len() });
    }
    // Few currencies per entry: a small inline vector, no allocation.
    let mut sums: SmallVec<[(Currency, Decimal); 2]> = SmallVec::new();
    for p in postings {
        let amount = p.amount.amount();
        // Not positive, without a full decimal comparison.
        if amount.is_zero() || amount.is_sign_negative() {
            return Err(LedgerError::PostingNotPositive {
                account: p.account.clone(),
                amount: p.amount,
            });
        }
        let currency = p.amount.currency();
        // Normalising only lowers the scale: most amounts need not be.
        if amount.scale() > currency.minor_digits()
            && amount.normalize().scale() > currency.minor_digits()
        {
            return Err(LedgerError::TooManyDecimals { amount: p.amount });
        }
        let signed = match p.side {
            Side::Debit => amount,
            Side::Credit => Decimal::ZERO.saturating_sub(amount),
        };
        match sums.iter_mut().find(|(c, _)| *c == currency) {
            Some((_, sum)) => {
                *sum = sum
                    .checked_add(signed)
                    .ok_or(LedgerError::Overflow { operation: "entry sum" })?;
            }
            None => sums.push((currency, signed)),
        }
    }
    if let Some(&(currency, difference)) = sums.iter().find(|(_, sum)| !sum.is_zero()) {
        return Err(LedgerError::Unbalanced { currency, difference });
    }
    Ok(())
}

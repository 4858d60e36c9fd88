//! The chart of accounts: account codes, types and flags.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use tangguh_core::{Name, Rule, ValidationError};

/// An account's code in the chart of accounts, e.g. `"1101"` or
/// `"Assets:Cash:Branch01"`: 1–128 ASCII letters, digits, `.`, `-`, `_`, `:`.
/// Cheap to clone (shared text).
///
/// # Examples
///
/// ```
/// use tangguh_ledger::AccountCode;
///
/// let code: AccountCode = "Assets:Cash:Branch01".parse()?;
/// assert_eq!(code.as_str(), "Assets:Cash:Branch01");
/// assert!("Kas Kecil".parse::<AccountCode>().is_err());
/// # Ok::<(), tangguh_core::ValidationError>(())
/// ```
#[derive(Clone, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct AccountCode(Arc<str>);

impl PartialEq for AccountCode {
    /// Equal text. Codes cloned from one another share their text, so the
    /// common case (a posting's code against the chart's, in the account
    /// index) is one pointer comparison.
    #[inline]
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0) || *self.0 == *other.0
    }
}

impl std::hash::Hash for AccountCode {
    /// The text's hash, as for `str` (consistent with `eq`).
    #[inline]
    fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
        self.0.hash(state);
    }
}

impl AccountCode {
    /// The longest accepted code, in characters.
    pub const MAX_LEN: usize = 128;

    /// Validates and wraps `s`.
    ///
    /// # Errors
    ///
    /// A [`ValidationError`] on field `"account code"`: empty, longer than
    /// [`AccountCode::MAX_LEN`], or a character outside the allowed set.
    pub fn try_new(s: &str) -> Result<Self, ValidationError> {
        const FIELD: &str = "account code";
        if s.is_empty() {
            return Err(ValidationError::new(FIELD, s, Rule::Empty));
        }
        if s.len() > Self::MAX_LEN {
            return Err(ValidationError::new(FIELD, s, Rule::TooLong { max: Self::MAX_LEN }));
        }
        if !s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b':')) {
            return Err(ValidationError::new(
                FIELD,
                s,
                Rule::Format { expected: "letters, digits, '.', '-', '_' or ':'" },
            ));
        }
        Ok(Self(Arc::from(s)))
    }

    /// The code as text.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The first `:`-separated segment (`"Assets"` for `"Assets:Cash"`).
    #[must_use]
    pub fn first_segment(&self) -> &str {
        self.0.split(':').next().unwrap_or_default()
    }
}

impl fmt::Display for AccountCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for AccountCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&*self.0, f)
    }
}

impl FromStr for AccountCode {
    type Err = ValidationError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::try_new(s)
    }
}

impl TryFrom<String> for AccountCode {
    type Error = ValidationError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::try_new(&s)
    }
}

impl From<AccountCode> for String {
    fn from(code: AccountCode) -> Self {
        code.0.to_string()
    }
}

/// The five account types of double entry. A closed set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(clippy::exhaustive_enums)] // closed set: double entry has exactly these five
pub enum AccountType {
    /// What the organisation owns: cash, bank, loan portfolio. Normal balance: debit.
    Asset,
    /// What it owes: savings, borrowings, overpayments. Normal balance: credit.
    Liability,
    /// Members' capital, retained surplus. Normal balance: credit.
    Equity,
    /// Interest, fees, penalties, recoveries. Normal balance: credit.
    Income,
    /// Salaries, losses written off. Normal balance: debit.
    Expense,
}

impl AccountType {
    /// The type named by the first segment of a hledger / ledger-cli style
    /// account name: `Assets`, `Liabilities`, `Equity`, `Income` (or
    /// `Revenue`), `Expenses` (singular forms accepted too).
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        match name.split(':').next().unwrap_or_default() {
            "Assets" | "Asset" => Some(Self::Asset),
            "Liabilities" | "Liability" => Some(Self::Liability),
            "Equity" => Some(Self::Equity),
            "Income" | "Revenue" | "Revenues" => Some(Self::Income),
            "Expenses" | "Expense" => Some(Self::Expense),
            _ => None,
        }
    }

    /// The side on which the account's balance normally grows.
    #[must_use]
    pub fn normal_side(self) -> Side {
        match self {
            Self::Asset | Self::Expense => Side::Debit,
            Self::Liability | Self::Equity | Self::Income => Side::Credit,
        }
    }
}

/// Which side of an account a posting lands on. A closed set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(clippy::exhaustive_enums)] // closed set: debit or credit
pub enum Side {
    /// Debit (left).
    Debit,
    /// Credit (right).
    Credit,
}

impl Side {
    /// The other side.
    #[must_use]
    pub fn opposite(self) -> Self {
        match self {
            Self::Debit => Self::Credit,
            Self::Credit => Self::Debit,
        }
    }
}

/// An account in the chart of accounts, as opened.
///
/// # Examples
///
/// ```
/// use tangguh_ledger::{Account, AccountType};
///
/// let kas = Account::new("1101".parse()?, "Kas".parse()?, AccountType::Asset).never_negative();
/// assert!(kas.is_never_negative());
/// # Ok::<(), tangguh_core::ValidationError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Account {
    /// The account's code: its identity in the chart.
    pub code: AccountCode,
    /// Its display name.
    pub name: Name,
    /// Asset, liability, equity, income or expense.
    pub kind: AccountType,
    /// When set, a posting that would take the balance below zero on the
    /// account's normal side is refused (cash, till, savings), like
    /// TigerBeetle's `debits_must_not_exceed_credits`.
    #[serde(default)]
    pub never_negative: bool,
}

impl Account {
    /// An account without flags.
    #[must_use]
    pub fn new(code: AccountCode, name: Name, kind: AccountType) -> Self {
        Self { code, name, kind, never_negative: false }
    }

    /// The same account flagged never-negative.
    #[must_use]
    pub fn never_negative(self) -> Self {
        Self { never_negative: true, ..self }
    }

    /// Whether the account refuses to go below zero.
    #[must_use]
    pub fn is_never_negative(&self) -> bool {
        self.never_negative
    }
}

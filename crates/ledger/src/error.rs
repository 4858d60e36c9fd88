//! The ledger's one error type.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use tangguh_core::{Currency, Money};

use crate::account::{AccountCode, AccountType};
use crate::ids::{EntryId, LoanId, ProductId};
use crate::loan::LoanStatus;

/// Why the ledger refused a command or a value. Nothing changed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum LedgerError {
    /// An entry needs at least two postings.
    #[error("an entry needs at least two postings, not {count}")]
    TooFewPostings {
        /// The number of postings given.
        count: usize,
    },
    /// A posting's amount is zero or negative.
    #[error("the posting to {account} must be positive, not {amount}")]
    PostingNotPositive {
        /// The account of the posting.
        account: AccountCode,
        /// The rejected amount.
        amount: Money,
    },
    /// An amount has more decimals than its currency's minor unit.
    #[error("{amount} has more decimals than its currency allows")]
    TooManyDecimals {
        /// The rejected amount.
        amount: Money,
    },
    /// Debits and credits of an entry differ in a currency.
    #[error("the entry does not balance in {currency}: debits exceed credits by {difference}")]
    Unbalanced {
        /// The currency that does not balance.
        currency: Currency,
        /// Debits minus credits in that currency.
        difference: Decimal,
    },
    /// An entry description is too long or has control characters.
    #[error("invalid entry description starting {excerpt:?}")]
    InvalidDescription {
        /// The first characters of the description.
        excerpt: String,
    },
    /// A sum does not fit in a decimal.
    #[error("{operation} overflowed")]
    Overflow {
        /// What was being computed.
        operation: &'static str,
    },
    /// The account is not in the chart of accounts.
    #[error("account {account} is not in the chart of accounts")]
    UnknownAccount {
        /// The unknown code.
        account: AccountCode,
    },
    /// A never-negative account would go below zero.
    #[error("account {account} would be overdrawn: {available} available, {requested} requested")]
    Overdrawn {
        /// The account.
        account: AccountCode,
        /// Its balance on its normal side before the entry.
        available: Money,
        /// What the entry takes from it.
        requested: Money,
    },
    /// The id is taken by a record with different content (TigerBeetle's
    /// `exists_with_different_*`): the first differing field is named.
    #[error("{id} already exists with a different {field}")]
    ExistsWithDifferentField {
        /// The id (entry, account code, product or loan).
        id: String,
        /// The first field that differs, in precedence order.
        field: &'static str,
    },
    /// No entry has this id.
    #[error("entry {entry} does not exist")]
    UnknownEntry {
        /// The unknown id.
        entry: EntryId,
    },
    /// The entry was already reversed: a correction happens at most once.
    #[error("entry {entry} was already reversed by {reversal}")]
    AlreadyReversed {
        /// The original entry.
        entry: EntryId,
        /// The entry that reversed it.
        reversal: EntryId,
    },
    /// An entry marked as a reversal does not mirror its original.
    #[error("entry {reversal} does not mirror entry {entry}, which it claims to reverse")]
    NotAMirror {
        /// The original entry.
        entry: EntryId,
        /// The claimed reversal.
        reversal: EntryId,
    },
    /// A reversal is dated before the entry it reverses.
    #[error("a reversal dated {date} cannot precede the original entry of {original_date}")]
    ReversalBeforeOriginal {
        /// The reversal's date.
        date: NaiveDate,
        /// The original's date.
        original_date: NaiveDate,
    },
    /// A date is later than today (WIB).
    #[error("date {date} is in the future (today is {today})")]
    FutureDate {
        /// The rejected date.
        date: NaiveDate,
        /// Today in WIB.
        today: NaiveDate,
    },
    /// An account mapped to a product role has the wrong type.
    #[error("account {account} for {role} must be {expected:?}, not {found:?}")]
    WrongAccountType {
        /// The account.
        account: AccountCode,
        /// The GL role it was mapped to.
        role: &'static str,
        /// The type the role needs.
        expected: AccountType,
        /// The account's type.
        found: AccountType,
    },
    /// A command's amount is zero or negative.
    #[error("{field} must be positive, not {amount}")]
    AmountNotPositive {
        /// The field.
        field: &'static str,
        /// The rejected amount.
        amount: Decimal,
    },
    /// A product setting is out of range.
    #[error("invalid product {field}: {value}")]
    InvalidProduct {
        /// The setting.
        field: &'static str,
        /// The rejected value.
        value: String,
    },
    /// No product has this id.
    #[error("loan product {product} does not exist")]
    UnknownProduct {
        /// The unknown id.
        product: ProductId,
    },
    /// No loan has this id.
    #[error("loan {loan} does not exist")]
    UnknownLoan {
        /// The unknown id.
        loan: LoanId,
    },
    /// The loan is not in a state that allows the action.
    #[error("loan {loan} is {status:?}: cannot {action}")]
    InvalidLoanState {
        /// The loan.
        loan: LoanId,
        /// Its status.
        status: LoanStatus,
        /// What was asked.
        action: &'static str,
    },
    /// A loan transaction is dated before the loan's latest one.
    #[error("date {date} is before {earliest}, the loan's latest transaction date")]
    DateOutOfOrder {
        /// The rejected date.
        date: NaiveDate,
        /// The earliest acceptable date.
        earliest: NaiveDate,
    },
    /// The schedule engine refused the loan's terms.
    #[error("the loan's schedule cannot be generated")]
    Schedule(#[source] crate::schedule::ScheduleError),
    /// A kolektibilitas table's day bounds are not increasing.
    #[error("kolektibilitas day bounds must increase: {bounds:?}")]
    InvalidKolektibilitasTable {
        /// The rejected upper bounds of classes 1–4.
        bounds: [u32; 4],
    },
    /// A savings command before the savings scheme is configured.
    #[error("the savings scheme is not configured")]
    SavingsNotConfigured,
    /// A savings scheme setting is out of range.
    #[error("invalid savings scheme {field}: {value}")]
    InvalidSavingsScheme {
        /// The setting.
        field: &'static str,
        /// The rejected value.
        value: String,
    },
    /// The person is not a koperasi member.
    #[error("{member} is not a koperasi member")]
    UnknownMember {
        /// The person.
        member: tangguh_core::PersonId,
    },
    /// The person is already a member.
    #[error("{member} is already a member since {joined_on}")]
    AlreadyMember {
        /// The person.
        member: tangguh_core::PersonId,
        /// When they joined.
        joined_on: NaiveDate,
    },
    /// The member has left.
    #[error("{member} left the koperasi on {date}")]
    MemberExited {
        /// The person.
        member: tangguh_core::PersonId,
        /// The exit date.
        date: NaiveDate,
    },
    /// A withdrawal beyond the member's sukarela balance.
    #[error("savings of {member} would be overdrawn: {available} available, {requested} requested")]
    SavingsOverdrawn {
        /// The member.
        member: tangguh_core::PersonId,
        /// Their sukarela balance.
        available: Money,
        /// The withdrawal.
        requested: Money,
    },
    /// No group has this id.
    #[error("group {group} does not exist")]
    UnknownGroup {
        /// The unknown id.
        group: tangguh_core::OrganizationId,
    },
    /// A group setting is invalid.
    #[error("invalid group {group} {field}: {value}")]
    InvalidGroup {
        /// The group.
        group: tangguh_core::OrganizationId,
        /// The setting.
        field: &'static str,
        /// The rejected value.
        value: String,
    },
    /// The person is not a member of the group.
    #[error("{person} is not a member of group {group}")]
    NotGroupMember {
        /// The group.
        group: tangguh_core::OrganizationId,
        /// The person.
        person: tangguh_core::PersonId,
    },
    /// The loan is not linked to the group.
    #[error("loan {loan} is not linked to group {group}")]
    LoanNotInGroup {
        /// The loan.
        loan: LoanId,
        /// The group.
        group: tangguh_core::OrganizationId,
    },
    /// The loan is linked to another group.
    #[error("loan {loan} is already linked to group {group}")]
    LoanInOtherGroup {
        /// The loan.
        loan: LoanId,
        /// The group it is linked to.
        group: tangguh_core::OrganizationId,
    },
    /// The group does not meet on that date.
    #[error("group {group} does not meet on {date}")]
    NotAMeetingDay {
        /// The group.
        group: tangguh_core::OrganizationId,
        /// The date.
        date: NaiveDate,
    },
    /// A meeting names the same loan, member's wajib or entry twice.
    #[error("the meeting names {value} twice")]
    DuplicateMeetingLine {
        /// What is repeated.
        value: String,
    },
    /// A relief policy or request setting is invalid.
    #[error("invalid relief {field}: {value}")]
    InvalidReliefPolicy {
        /// The setting.
        field: &'static str,
        /// The rejected value.
        value: String,
    },
    /// An SHU share has nothing to be allocated by.
    #[error("the SHU share for {pool} ({amount}) has no member {pool} to allocate it by")]
    NoShuBase {
        /// Which share: "savings" or "loans".
        pool: &'static str,
        /// The share.
        amount: Decimal,
    },
}

impl From<crate::schedule::ScheduleError> for LedgerError {
    fn from(err: crate::schedule::ScheduleError) -> Self {
        Self::Schedule(err)
    }
}

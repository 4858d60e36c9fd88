//! The koperasi's commands and events (savings, groups, relief), carried by
//! [`LedgerCommand::Koperasi`](crate::LedgerCommand::Koperasi) and
//! [`LedgerEvent::Koperasi`](crate::LedgerEvent::Koperasi), and their part
//! of the ledger's state.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use tangguh_core::{OrganizationId, PersonId, RegionCode};

use crate::entry::JournalEntry;
use crate::group::{Group, GroupCover, GroupSpec, MeetingLine};
use crate::ids::{EntryId, LoanId};
use crate::loan::{LoanTransaction, Repayment};
use crate::relief::{Relief, ReliefRequest};
use crate::savings::{Member, SavingsBalances, SavingsScheme, SavingsTransaction};

/// A savings payment or withdrawal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct SavingsPayment {
    /// The member.
    pub member: PersonId,
    /// The entry id (idempotency key).
    pub entry: EntryId,
    /// The value date.
    pub date: NaiveDate,
    /// The amount (positive).
    #[serde(with = "rust_decimal::serde::str")]
    pub amount: Decimal,
}

impl SavingsPayment {
    /// A payment.
    #[must_use]
    pub fn new(member: PersonId, entry: EntryId, date: NaiveDate, amount: Decimal) -> Self {
        Self { member, entry, date, amount }
    }
}

/// A koperasi command (savings, groups, relief). Serde data, snake_case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum KoperasiCommand {
    /// Sets the savings scheme (once; the same again records nothing).
    ConfigureSavings(SavingsScheme),
    /// A person joins and pays simpanan pokok (Dr cash, Cr pokok).
    Join {
        /// The person.
        member: PersonId,
        /// The entry id.
        entry: EntryId,
        /// The date.
        date: NaiveDate,
        /// The member's kelurahan, if known.
        kelurahan: Option<RegionCode>,
    },
    /// Simpanan wajib paid (Dr cash, Cr wajib); it covers the oldest
    /// periods first, and may be paid ahead.
    PayWajib(SavingsPayment),
    /// Simpanan sukarela deposited (Dr cash, Cr sukarela).
    Deposit(SavingsPayment),
    /// Simpanan sukarela withdrawn (Dr sukarela, Cr cash); never beyond the
    /// member's balance.
    Withdraw(SavingsPayment),
    /// Credits jasa on sukarela to every active member up to and including
    /// `through` (Dr jasa expense, Cr sukarela).
    PostJasa {
        /// The entry id.
        entry: EntryId,
        /// The last day earning jasa.
        through: NaiveDate,
    },
    /// A member leaves: all their savings are refunded less what they owe
    /// on their active loans (set off as repayments or payoffs), in one
    /// balanced entry. Unpaid wajib ends with the membership.
    Exit {
        /// The member.
        member: PersonId,
        /// The entry id.
        entry: EntryId,
        /// The date.
        date: NaiveDate,
    },
    /// Forms a joint-liability group.
    FormGroup(GroupSpec),
    /// Links a member's loan to the group (the loan stays individual).
    LinkLoan {
        /// The group.
        group: OrganizationId,
        /// The loan (its borrower must be a member).
        loan: LoanId,
    },
    /// Records a meeting's collections in one go: each line a repayment or
    /// a wajib payment with its own entry. All or nothing.
    RecordMeeting {
        /// The group.
        group: OrganizationId,
        /// The meeting date.
        date: NaiveDate,
        /// The collections (at most one line per loan and per member's
        /// wajib).
        lines: Vec<MeetingLine>,
    },
    /// The group pays for a member who cannot: a repayment with the group
    /// as payer (any payer in `repayment` is replaced).
    GroupPays {
        /// The group.
        group: OrganizationId,
        /// The repayment.
        repayment: Repayment,
    },
    /// Restructures the loans of borrowers an incident affected.
    Relieve(ReliefRequest),
}

/// A koperasi event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
#[allow(clippy::large_enum_variant)] // plain data, built once per event
pub enum KoperasiEvent {
    /// The savings scheme was set.
    SavingsConfigured(SavingsScheme),
    /// A member joined.
    MemberJoined {
        /// The person.
        member: PersonId,
        /// The date.
        date: NaiveDate,
        /// Kelurahan.
        kelurahan: Option<RegionCode>,
        /// The pokok posting.
        entry: JournalEntry,
    },
    /// A savings transaction.
    SavingsMoved {
        /// The member.
        member: PersonId,
        /// The transaction.
        transaction: SavingsTransaction,
        /// Its posting.
        entry: JournalEntry,
    },
    /// Jasa credited.
    JasaPosted {
        /// The last day earning jasa.
        through: NaiveDate,
        /// Per member.
        credits: Vec<(PersonId, Decimal)>,
        /// The posting (none when all credits are zero).
        entry: Option<JournalEntry>,
    },
    /// A member left.
    MemberExited {
        /// The person.
        member: PersonId,
        /// The date.
        date: NaiveDate,
        /// What their savings were.
        savings: SavingsBalances,
        /// Set-offs against their loans.
        loans: Vec<(LoanId, LoanTransaction)>,
        /// The one entry.
        entry: JournalEntry,
    },
    /// A group was formed.
    GroupFormed(GroupSpec),
    /// A loan was linked to a group.
    LoanLinked {
        /// The group.
        group: OrganizationId,
        /// The loan.
        loan: LoanId,
        /// Its borrower.
        member: PersonId,
    },
    /// A meeting was held (its collections follow as their own events).
    MeetingRecorded {
        /// The group.
        group: OrganizationId,
        /// The date.
        date: NaiveDate,
    },
    /// The group covered a member (the repayment follows).
    GroupCovered(GroupCover),
    /// A loan was restructured.
    LoanRelieved(Relief),
}

/// The koperasi part of the ledger's state (stored as is in the ledger's
/// stored form).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Koperasi {
    pub(crate) scheme: Option<SavingsScheme>,
    pub(crate) members: BTreeMap<PersonId, Member>,
    pub(crate) groups: BTreeMap<OrganizationId, Group>,
    pub(crate) group_of_loan: BTreeMap<LoanId, OrganizationId>,
    pub(crate) reliefs: BTreeMap<LoanId, Vec<Relief>>,
}

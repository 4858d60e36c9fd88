//! Joint-liability groups (kelompok tanggung renteng).
//!
//! A group has members, a chair and a meeting calendar. Each member's loan
//! stays an individual loan, linked to the group. A payment the group makes
//! for a member is a separate loan transaction with the group as
//! [`Payer::Group`](crate::Payer::Group): the loan's arrears (what the books
//! are owed) fall, but the member's own arrears, counted without group
//! payments, stay visible ([`Ledger::member_days_past_due`](crate::Ledger::member_days_past_due))
//! and each cover records the member's arrears at that moment.

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use tangguh_core::{Name, OrganizationId, PersonId};

use crate::ids::{EntryId, LoanId};
use crate::loan::Components;

/// How often a group meets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum MeetingFrequency {
    /// Every week.
    Weekly,
    /// Every two weeks.
    Fortnightly,
}

/// A group's meeting calendar: the first meeting and the frequency.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct MeetingCalendar {
    /// The first meeting.
    pub first_meeting: NaiveDate,
    /// How often.
    pub frequency: MeetingFrequency,
}

impl MeetingCalendar {
    /// A calendar.
    #[must_use]
    pub fn new(first_meeting: NaiveDate, frequency: MeetingFrequency) -> Self {
        Self { first_meeting, frequency }
    }

    /// Whether the group meets on `date`.
    #[must_use]
    pub fn is_meeting_day(&self, date: NaiveDate) -> bool {
        let step = match self.frequency {
            MeetingFrequency::Weekly => 7,
            MeetingFrequency::Fortnightly => 14,
        };
        let days = date.signed_duration_since(self.first_meeting).num_days();
        days >= 0 && days.checked_rem(step) == Some(0)
    }

    /// The first meeting on or after `date`.
    #[must_use]
    pub fn next_meeting(&self, date: NaiveDate) -> Option<NaiveDate> {
        if date <= self.first_meeting {
            return Some(self.first_meeting);
        }
        let step: u64 = match self.frequency {
            MeetingFrequency::Weekly => 7,
            MeetingFrequency::Fortnightly => 14,
        };
        let days = u64::try_from(date.signed_duration_since(self.first_meeting).num_days()).ok()?;
        let periods = days.div_ceil(step);
        self.first_meeting.checked_add_days(Days::new(periods.checked_mul(step)?))
    }
}

/// A group to form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GroupSpec {
    /// The group's id.
    pub id: OrganizationId,
    /// Its name.
    pub name: Name,
    /// The chair (one of the members).
    pub chair: PersonId,
    /// The members (no repeats).
    pub members: Vec<PersonId>,
    /// When it meets.
    pub calendar: MeetingCalendar,
}

impl GroupSpec {
    /// A group.
    #[must_use]
    pub fn new(
        id: OrganizationId,
        name: Name,
        chair: PersonId,
        members: Vec<PersonId>,
        calendar: MeetingCalendar,
    ) -> Self {
        Self { id, name, chair, members, calendar }
    }
}

/// What was recorded when a group paid for a member: the member's own
/// arrears just before (counted without group payments).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GroupCover {
    /// The group.
    pub group: OrganizationId,
    /// The loan.
    pub loan: LoanId,
    /// The member.
    pub member: PersonId,
    /// The date.
    pub date: NaiveDate,
    /// The payment's entry.
    pub entry: EntryId,
    /// The amount the group paid.
    #[serde(with = "rust_decimal::serde::str")]
    pub amount: Decimal,
    /// The member's own days past due before the payment.
    pub member_days_past_due: u32,
    /// The member's own overdue amounts before the payment.
    pub member_overdue: Components,
}

/// A group with its linked loans and history.
///
/// A group has members, a chair and a meeting calendar. Each member's loan
/// stays an individual loan, linked to the group. A payment the group makes
/// for a member is a separate loan transaction with the group as
/// [`Payer::Group`](crate::Payer::Group): the loan's arrears (what the books
/// are owed) fall, but the member's own arrears, counted without group
/// payments, stay visible ([`Ledger::member_days_past_due`](crate::Ledger::member_days_past_due))
/// and each cover records the member's arrears at that moment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Group {
    /// As formed.
    pub spec: GroupSpec,
    /// Linked loans per member.
    pub loans: BTreeMap<PersonId, Vec<LoanId>>,
    /// Dates of meetings recorded.
    pub meetings: Vec<NaiveDate>,
    /// Payments the group made for members.
    pub covers: Vec<GroupCover>,
}

impl Group {
    pub(crate) fn formed(spec: GroupSpec) -> Self {
        let loans = spec.members.iter().map(|m| (*m, Vec::new())).collect();
        Self { spec, loans, meetings: Vec::new(), covers: Vec::new() }
    }

    /// Whether `person` is a member.
    #[must_use]
    pub fn has_member(&self, person: PersonId) -> bool {
        self.loans.contains_key(&person)
    }

    /// Every linked loan.
    pub fn linked_loans(&self) -> impl Iterator<Item = LoanId> + '_ {
        self.loans.values().flatten().copied()
    }
}

/// One line of a meeting's collections.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum MeetingLine {
    /// An installment paid by the borrower on a linked loan.
    Loan {
        /// The loan.
        loan: LoanId,
        /// The entry id (idempotency key).
        entry: EntryId,
        /// The amount.
        #[serde(with = "rust_decimal::serde::str")]
        amount: Decimal,
    },
    /// Simpanan wajib paid by a member.
    Wajib {
        /// The member.
        member: PersonId,
        /// The entry id.
        entry: EntryId,
        /// The amount.
        #[serde(with = "rust_decimal::serde::str")]
        amount: Decimal,
    },
}

/// What one member owes at a meeting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CollectionLine {
    /// The member.
    pub member: PersonId,
    /// Per linked active loan: what is due on or before the meeting date
    /// (arrears included), per component.
    pub loans: Vec<(LoanId, Components)>,
    /// Loan total.
    #[serde(with = "rust_decimal::serde::str")]
    pub loan_due: Decimal,
    /// Simpanan wajib owed on or before the date (0 for non-members of the
    /// koperasi or when savings are not configured).
    #[serde(with = "rust_decimal::serde::str")]
    pub wajib_due: Decimal,
    /// Everything.
    #[serde(with = "rust_decimal::serde::str")]
    pub total: Decimal,
}

/// A group's collection sheet for a meeting date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CollectionSheet {
    /// The group.
    pub group: OrganizationId,
    /// The meeting date.
    pub date: NaiveDate,
    /// One line per member, by person id.
    pub lines: Vec<CollectionLine>,
    /// Sum of loan dues.
    #[serde(with = "rust_decimal::serde::str")]
    pub loan_due: Decimal,
    /// Sum of wajib dues.
    #[serde(with = "rust_decimal::serde::str")]
    pub wajib_due: Decimal,
    /// Sum of everything.
    #[serde(with = "rust_decimal::serde::str")]
    pub total: Decimal,
}

/// PAR of a group's loans, counted two ways.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct GroupPar {
    /// The group.
    pub group: OrganizationId,
    /// The date.
    pub as_of: NaiveDate,
    /// The days threshold (PAR-x).
    pub days: u32,
    /// Outstanding principal of the group's active loans.
    #[serde(with = "rust_decimal::serde::str")]
    pub gross_principal: Decimal,
    /// Principal at risk by the loans' arrears (group payments count: what
    /// the koperasi sees).
    #[serde(with = "rust_decimal::serde::str")]
    pub group_at_risk: Decimal,
    /// Principal at risk by the members' own arrears (group payments do not
    /// count).
    #[serde(with = "rust_decimal::serde::str")]
    pub member_at_risk: Decimal,
    /// `group_at_risk / gross` (none for an empty portfolio).
    pub group_ratio: Option<Decimal>,
    /// `member_at_risk / gross`.
    pub member_ratio: Option<Decimal>,
}

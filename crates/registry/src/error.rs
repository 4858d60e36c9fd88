//! Why the registry refused a command.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tangguh_core::{FamilyNumber, HouseholdId, Nik, PersonId, RegionCode};

use crate::model::Round;

/// Why a command was refused. Each variant names the rule and carries the
/// ids and values involved; personal numbers (NIK, No KK) show masked.
/// Nothing changes when a command is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RegistryError {
    /// A household with this id is already registered.
    #[error("household {household} is already registered")]
    HouseholdExists {
        /// The household.
        household: HouseholdId,
    },
    /// No household has this id.
    #[error("household {household} is not registered")]
    UnknownHousehold {
        /// The household.
        household: HouseholdId,
    },
    /// The household was dissolved (its last member left or it was merged).
    #[error("household {household} was dissolved on {on}")]
    HouseholdDissolved {
        /// The household.
        household: HouseholdId,
        /// When.
        on: NaiveDate,
    },
    /// A person with this id is already registered.
    #[error("person {person} is already registered")]
    PersonExists {
        /// The person.
        person: PersonId,
    },
    /// No person has this id.
    #[error("person {person} is not registered")]
    UnknownPerson {
        /// The person.
        person: PersonId,
    },
    /// The person record was merged into another one (use the survivor).
    #[error("person {person} was merged into {survivor}")]
    PersonMerged {
        /// The merged record.
        person: PersonId,
        /// The record that survives.
        survivor: PersonId,
    },
    /// The person has died.
    #[error("person {person} died on {on}")]
    PersonDeceased {
        /// The person.
        person: PersonId,
        /// Date of death.
        on: NaiveDate,
    },
    /// Rule "one active membership per person".
    #[error(
        "one active membership per person: {person} is already an active member of household {household}"
    )]
    AlreadyMember {
        /// The person.
        person: PersonId,
        /// Where they are a member.
        household: HouseholdId,
    },
    /// The person has no active membership.
    #[error("person {person} has no active household membership")]
    NotActiveMember {
        /// The person.
        person: PersonId,
    },
    /// The person is not an active member of this household.
    #[error("person {person} is not an active member of household {household}")]
    NotMemberOf {
        /// The person.
        person: PersonId,
        /// The household.
        household: HouseholdId,
    },
    /// Rule "a NIK belongs to at most one person".
    #[error("one person per NIK: NIK {nik} already belongs to person {person}")]
    NikTaken {
        /// The NIK (masked when shown).
        nik: Nik,
        /// Who has it.
        person: PersonId,
    },
    /// Rule "a KK number belongs to at most one active household".
    #[error("one active household per KK number: {number} is used by household {household}")]
    NumberTaken {
        /// The number (masked when shown).
        number: FamilyNumber,
        /// Which household uses it.
        household: HouseholdId,
    },
    /// Rule "exactly one active head per household": it already has one.
    #[error("one head per household: household {household} already has head {head}")]
    HeadExists {
        /// The household.
        household: HouseholdId,
        /// Its head.
        head: PersonId,
    },
    /// Rule "exactly one active head per household": a new household got
    /// `count` heads.
    #[error("one head per household: household {household} would get {count} heads")]
    HeadCount {
        /// The household.
        household: HouseholdId,
        /// How many heads it would get.
        count: usize,
    },
    /// The person is already the head.
    #[error("person {person} is already the head of household {household}")]
    AlreadyHead {
        /// The person.
        person: PersonId,
        /// The household.
        household: HouseholdId,
    },
    /// Rule "exactly one active head": the former head stays a member and
    /// must be given a relationship other than head.
    #[error(
        "one head per household: the former head {person} stays a member and needs a relationship other than head"
    )]
    FormerHeadRelationship {
        /// The former head.
        person: PersonId,
    },
    /// Rule "no event dated in the future".
    #[error("no future dates: {field} {date} is after today ({today}, WIB)")]
    FutureDate {
        /// Which date.
        field: &'static str,
        /// The date given.
        date: NaiveDate,
        /// Today.
        today: NaiveDate,
    },
    /// Rule "no event dated before the person's birth".
    #[error("no dates before birth: {field} {date} is before person {person}'s birth ({born})")]
    BeforeBirth {
        /// Which date.
        field: &'static str,
        /// The person.
        person: PersonId,
        /// The date given.
        date: NaiveDate,
        /// The birth date.
        born: NaiveDate,
    },
    /// A membership cannot end before it started.
    #[error("the membership of {person} started on {start}; it cannot end on {date}")]
    EndBeforeStart {
        /// The person.
        person: PersonId,
        /// When the membership started.
        start: NaiveDate,
        /// The end date given.
        date: NaiveDate,
    },
    /// Rule "one distribution per household per round, unless a top-up with
    /// a reason".
    #[error(
        "one distribution per round: household {household} already received {round}; record a top-up with a reason"
    )]
    AlreadyDistributed {
        /// The household.
        household: HouseholdId,
        /// The round.
        round: Round,
    },
    /// Source and target household are the same.
    #[error("household {household} is both source and target")]
    SameHousehold {
        /// The household.
        household: HouseholdId,
    },
    /// The two person ids are the same.
    #[error("person {person} cannot be paired with itself")]
    SamePerson {
        /// The person.
        person: PersonId,
    },
    /// A person appears twice in one command.
    #[error("person {person} appears twice in the command")]
    RepeatedPerson {
        /// The person.
        person: PersonId,
    },
    /// A merge must move exactly the active members of the merged household.
    #[error(
        "merging households: the members given are not exactly the active members of {household}"
    )]
    MembersMismatch {
        /// The household merged away.
        household: HouseholdId,
    },
    /// Two person records cannot be merged as they stand.
    #[error("merging persons {survivor} and {duplicate}: {conflict}")]
    MergeConflict {
        /// The survivor.
        survivor: PersonId,
        /// The duplicate.
        duplicate: PersonId,
        /// What is in the way.
        conflict: &'static str,
    },
    /// A household's kelurahan must be a village-level code.
    #[error("kelurahan {code} is not a village-level region code")]
    NotAVillage {
        /// The code given.
        code: RegionCode,
    },
    /// A value broke a field rule.
    #[error("invalid {field}: {reason}")]
    Invalid {
        /// The field.
        field: &'static str,
        /// What is wrong.
        reason: String,
    },
    /// CSV could not be read or written.
    #[error("csv line {line}: {message}")]
    Csv {
        /// The line (0 when unknown).
        line: u64,
        /// What went wrong.
        message: String,
    },
    /// An import was refused as a whole; nothing was applied.
    #[error("import refused, nothing applied: {}", summary(errors))]
    Import {
        /// Every row that failed, with its line number.
        errors: Vec<RowError>,
    },
}

fn summary(errors: &[RowError]) -> String {
    let mut s = format!("{} row error(s)", errors.len());
    if let Some(first) = errors.first() {
        s.push_str(&format!("; first: {first}"));
    }
    s
}

/// One failed row of an import.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[error("line {line}: {message}")]
#[non_exhaustive]
pub struct RowError {
    /// The line in the input (the header is line 1).
    pub line: u64,
    /// What was wrong (personal numbers masked).
    pub message: String,
}

impl RowError {
    /// A row error.
    #[must_use]
    pub fn new(line: u64, message: impl Into<String>) -> Self {
        Self { line, message: message.into() }
    }
}

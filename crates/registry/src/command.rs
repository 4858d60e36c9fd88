//! Commands (what a client asks for) and events (what was recorded).
//!
//! Each command carries the ids the client minted (with core's
//! `IdGenerator`), so deciding stays pure. Most events record the accepted
//! command's payload as is; an import records the events of its rows.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tangguh_core::{DomainEvent, FamilyNumber, HouseholdId, PersonId, RegionCode};

use crate::model::{
    Address, Consent, Distribution, Dwelling, DwellingId, EndReason, GeoPoint, IncidentImpact,
    JoinReason, MemberFacts, Neighbourhood, NewPerson, Note, Phone, Relationship, Welfare,
};

/// A member of a new household (other than the head) and their relationship
/// to the head.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[allow(clippy::exhaustive_structs)] // plain data that clients build field by field
pub struct NewMember {
    /// The person.
    pub person: NewPerson,
    /// SHDK relationship to the head (never [`Relationship::Head`]).
    pub relationship: Relationship,
}

impl NewMember {
    /// A new member.
    #[must_use]
    pub fn new(person: NewPerson, relationship: Relationship) -> Self {
        Self { person, relationship }
    }
}

/// A person moving into a household with their relationship there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[allow(clippy::exhaustive_structs)] // plain data that clients build field by field
pub struct MovingMember {
    /// The person.
    pub person: PersonId,
    /// SHDK relationship in the household they move into.
    pub relationship: Relationship,
}

impl MovingMember {
    /// A moving member.
    #[must_use]
    pub fn new(person: PersonId, relationship: Relationship) -> Self {
        Self { person, relationship }
    }
}

/// Who joins a household: a person new to the registry or one already in it
/// without an active membership (e.g. someone who moved out and back).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Joining {
    /// A new person record.
    New(NewPerson),
    /// A registered person.
    Existing(PersonId),
}

/// Registers a household (a Kartu Keluarga) with its head and, optionally,
/// its other members.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[allow(clippy::exhaustive_structs)] // plain data that clients build field by field
pub struct RegisterHousehold {
    /// The new household's id.
    pub household: HouseholdId,
    /// No KK or a temporary local number, if any.
    pub number: Option<FamilyNumber>,
    /// The kelurahan (village-level region code).
    pub kelurahan: RegionCode,
    /// RT.
    pub rt: Neighbourhood,
    /// RW.
    pub rw: Neighbourhood,
    /// Street address.
    pub address: Address,
    /// Contact phone.
    pub phone: Option<Phone>,
    /// Location.
    pub geo: Option<GeoPoint>,
    /// Consent record.
    pub consent: Option<Consent>,
    /// The head (Kepala Keluarga).
    pub head: NewPerson,
    /// Other members.
    #[serde(default)]
    pub members: Vec<NewMember>,
    /// Registration date.
    pub date: NaiveDate,
}

impl RegisterHousehold {
    /// A registration with only the required fields.
    #[must_use]
    pub fn new(
        household: HouseholdId,
        kelurahan: RegionCode,
        rt: Neighbourhood,
        rw: Neighbourhood,
        address: Address,
        head: NewPerson,
        date: NaiveDate,
    ) -> Self {
        Self {
            household,
            number: None,
            kelurahan,
            rt,
            rw,
            address,
            phone: None,
            geo: None,
            consent: None,
            head,
            members: Vec::new(),
            date,
        }
    }
}

/// Adds a member to a household (birth, moving in).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[allow(clippy::exhaustive_structs)] // plain data that clients build field by field
pub struct AddMember {
    /// The household.
    pub household: HouseholdId,
    /// Who joins.
    pub member: Joining,
    /// SHDK relationship to the head; head only if the household needs one.
    pub relationship: Relationship,
    /// Why.
    pub reason: JoinReason,
    /// When.
    pub date: NaiveDate,
}

impl AddMember {
    /// An add-member command.
    #[must_use]
    pub fn new(
        household: HouseholdId,
        member: Joining,
        relationship: Relationship,
        reason: JoinReason,
        date: NaiveDate,
    ) -> Self {
        Self { household, member, relationship, reason, date }
    }
}

/// Ends a person's active membership (death, moving out...). The membership
/// is kept as history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[allow(clippy::exhaustive_structs)] // plain data that clients build field by field
pub struct EndMembership {
    /// The person.
    pub person: PersonId,
    /// Why.
    pub reason: EndReason,
    /// When (date of death for [`EndReason::Death`]).
    pub date: NaiveDate,
    /// A note.
    pub note: Option<Note>,
}

impl EndMembership {
    /// An end-membership command.
    #[must_use]
    pub fn new(person: PersonId, reason: EndReason, date: NaiveDate) -> Self {
        Self { person, reason, date, note: None }
    }
}

/// Moves a member from their household to another.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[allow(clippy::exhaustive_structs)] // plain data that clients build field by field
pub struct TransferMember {
    /// The person.
    pub person: PersonId,
    /// The household they move to.
    pub to: HouseholdId,
    /// SHDK relationship there.
    pub relationship: Relationship,
    /// When.
    pub date: NaiveDate,
    /// A note.
    pub note: Option<Note>,
}

impl TransferMember {
    /// A transfer.
    #[must_use]
    pub fn new(
        person: PersonId,
        to: HouseholdId,
        relationship: Relationship,
        date: NaiveDate,
    ) -> Self {
        Self { person, to, relationship, date, note: None }
    }
}

/// Makes an active member the head (after the head's death or exit, or as a
/// change while the head stays).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[allow(clippy::exhaustive_structs)] // plain data that clients build field by field
pub struct ChangeHead {
    /// The household.
    pub household: HouseholdId,
    /// The new head, an active member.
    pub new_head: PersonId,
    /// If the former head is still an active member: their new relationship.
    pub former_head_relationship: Option<Relationship>,
    /// A new KK number, if one was issued.
    pub new_number: Option<FamilyNumber>,
    /// When.
    pub date: NaiveDate,
}

impl ChangeHead {
    /// A change of head.
    #[must_use]
    pub fn new(household: HouseholdId, new_head: PersonId, date: NaiveDate) -> Self {
        Self { household, new_head, former_head_relationship: None, new_number: None, date }
    }
}

/// Pecah: a new household from some members of an existing one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[allow(clippy::exhaustive_structs)] // plain data that clients build field by field
pub struct SplitHousehold {
    /// The household members leave.
    pub from: HouseholdId,
    /// The new household's id.
    pub new_household: HouseholdId,
    /// Who moves, with their relationship in the new household (exactly one
    /// head).
    pub members: Vec<MovingMember>,
    /// The new household's number, if any.
    pub number: Option<FamilyNumber>,
    /// The new household's kelurahan.
    pub kelurahan: RegionCode,
    /// RT.
    pub rt: Neighbourhood,
    /// RW.
    pub rw: Neighbourhood,
    /// Address.
    pub address: Address,
    /// When.
    pub date: NaiveDate,
}

/// Gabung: every member of one household joins another; the first is
/// dissolved and its number retired.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[allow(clippy::exhaustive_structs)] // plain data that clients build field by field
pub struct MergeHouseholds {
    /// The household merged away.
    pub from: HouseholdId,
    /// The household that stays.
    pub into: HouseholdId,
    /// Every active member of `from` with their relationship in `into`.
    pub members: Vec<MovingMember>,
    /// When.
    pub date: NaiveDate,
}

/// Records a dwelling's survey data and links households to it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[allow(clippy::exhaustive_structs)] // plain data that clients build field by field
pub struct UpdateDwelling {
    /// The dwelling (created if new).
    pub dwelling: DwellingId,
    /// Households living there (linked to this dwelling).
    pub households: Vec<HouseholdId>,
    /// The survey data (replaces the previous).
    pub details: Dwelling,
    /// When surveyed.
    pub date: NaiveDate,
}

/// Records a household's welfare decile from outside.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[allow(clippy::exhaustive_structs)] // plain data that clients build field by field
pub struct UpdateWelfare {
    /// The household.
    pub household: HouseholdId,
    /// The decile, source and as-of date.
    pub welfare: Welfare,
}

/// Replaces a household's contact data: phone, location and consent.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[allow(clippy::exhaustive_structs)] // plain data that clients build field by field
pub struct UpdateContact {
    /// The household.
    pub household: HouseholdId,
    /// Phone (None clears it).
    pub phone: Option<Phone>,
    /// Location (None clears it).
    pub geo: Option<GeoPoint>,
    /// Consent (None keeps the previous record).
    pub consent: Option<Consent>,
    /// When.
    pub date: NaiveDate,
}

/// Replaces a person's member facts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[allow(clippy::exhaustive_structs)] // plain data that clients build field by field
pub struct UpdateMemberFacts {
    /// The person.
    pub person: PersonId,
    /// The facts.
    pub facts: MemberFacts,
    /// When recorded.
    pub date: NaiveDate,
}

/// Records how an incident hit a household (replacing an earlier record for
/// the same incident).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[allow(clippy::exhaustive_structs)] // plain data that clients build field by field
pub struct RecordIncidentImpact {
    /// The household.
    pub household: HouseholdId,
    /// The impact.
    pub impact: IncidentImpact,
}

/// Records assistance handed to a household.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[allow(clippy::exhaustive_structs)] // plain data that clients build field by field
pub struct RecordDistribution {
    /// The household.
    pub household: HouseholdId,
    /// What, when, by whom, in which round.
    pub distribution: Distribution,
}

/// Merges a duplicate person record into a survivor, which keeps both
/// histories.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[allow(clippy::exhaustive_structs)] // plain data that clients build field by field
pub struct MergePersons {
    /// The record that stays.
    pub survivor: PersonId,
    /// The duplicate record.
    pub duplicate: PersonId,
    /// When reviewed.
    pub date: NaiveDate,
    /// A note.
    pub note: Option<Note>,
}

/// Records that a duplicate candidate was reviewed and is not a duplicate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[allow(clippy::exhaustive_structs)] // plain data that clients build field by field
pub struct DismissDuplicate {
    /// One person.
    pub first: PersonId,
    /// The other.
    pub second: PersonId,
    /// When reviewed.
    pub date: NaiveDate,
    /// A note.
    pub note: Option<Note>,
}

/// One row (or group of rows) of an import with its line number.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[allow(clippy::exhaustive_structs)] // plain data that clients build field by field
pub struct ImportRow {
    /// The line in the input.
    pub line: u64,
    /// The command the row became.
    pub command: RegistryCommand,
}

impl ImportRow {
    /// An import row.
    #[must_use]
    pub fn new(line: u64, command: RegistryCommand) -> Self {
        Self { line, command }
    }
}

/// What a client asks the registry to do.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum RegistryCommand {
    /// See [`RegisterHousehold`].
    RegisterHousehold(RegisterHousehold),
    /// See [`AddMember`].
    AddMember(AddMember),
    /// See [`EndMembership`].
    EndMembership(EndMembership),
    /// See [`TransferMember`].
    TransferMember(TransferMember),
    /// See [`ChangeHead`].
    ChangeHead(ChangeHead),
    /// See [`SplitHousehold`].
    SplitHousehold(SplitHousehold),
    /// See [`MergeHouseholds`].
    MergeHouseholds(MergeHouseholds),
    /// See [`UpdateDwelling`].
    UpdateDwelling(UpdateDwelling),
    /// See [`UpdateWelfare`].
    UpdateWelfare(UpdateWelfare),
    /// See [`UpdateContact`].
    UpdateContact(UpdateContact),
    /// See [`UpdateMemberFacts`].
    UpdateMemberFacts(UpdateMemberFacts),
    /// See [`RecordIncidentImpact`].
    RecordIncidentImpact(RecordIncidentImpact),
    /// See [`RecordDistribution`].
    RecordDistribution(RecordDistribution),
    /// See [`MergePersons`].
    MergePersons(MergePersons),
    /// See [`DismissDuplicate`].
    DismissDuplicate(DismissDuplicate),
    /// Many commands applied all or none (a CSV import): refused with
    /// [`RegistryError::Import`](crate::RegistryError::Import) listing every
    /// failing line.
    Import {
        /// The rows, in order.
        rows: Vec<ImportRow>,
    },
}

/// What happened. Recorded in the journal; replaying events rebuilds the
/// registry. JSON: internally tagged by `type`, snake_case.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
#[non_exhaustive]
pub enum RegistryEvent {
    /// A household was registered.
    HouseholdRegistered(RegisterHousehold),
    /// A member was added.
    MemberAdded(AddMember),
    /// A membership ended.
    MembershipEnded(EndMembership),
    /// A member moved to another household.
    MemberTransferred(TransferMember),
    /// The head changed.
    HeadChanged(ChangeHead),
    /// A household was split.
    HouseholdSplit(SplitHousehold),
    /// Two households were merged.
    HouseholdsMerged(MergeHouseholds),
    /// A dwelling was recorded.
    DwellingUpdated(UpdateDwelling),
    /// A welfare decile was recorded.
    WelfareUpdated(UpdateWelfare),
    /// Contact data changed.
    ContactUpdated(UpdateContact),
    /// Member facts changed.
    MemberFactsUpdated(UpdateMemberFacts),
    /// Incident impact was recorded.
    IncidentImpactRecorded(RecordIncidentImpact),
    /// Assistance was recorded.
    DistributionRecorded(RecordDistribution),
    /// Two person records were merged.
    PersonsMerged(MergePersons),
    /// A duplicate candidate was dismissed.
    DuplicateDismissed(DismissDuplicate),
}

impl DomainEvent for RegistryEvent {
    const SCHEMA_VERSION: u32 = 1;
}

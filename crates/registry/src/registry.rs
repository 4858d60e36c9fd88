//! The registry's state, its rules (`decide`) and its one mutator (`apply`).

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use tangguh_core::{
    Aggregate, Context, FamilyNumber, HouseholdId, Nik, Person, PersonId, RegionCode, RegionLevel,
    Sex,
};

use crate::command::{
    AddMember, ChangeHead, DismissDuplicate, Joining, MergeHouseholds, MergePersons,
    RecordDistribution, RegisterHousehold, RegistryCommand, RegistryEvent, SplitHousehold,
    TransferMember, UpdateDwelling, UpdateMemberFacts,
};
use crate::error::{RegistryError, RowError};
use crate::index::{IdIndex, Lookup};
use crate::model::{
    Address, Consent, Distribution, Dwelling, DwellingId, EndReason, GeoPoint, IncidentImpact,
    JoinReason, MaternalStatus, MemberFacts, Neighbourhood, NewPerson, Phone, Relationship, Round,
    Welfare,
};

/// A household: a family on one Kartu Keluarga, as the registry holds it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Household {
    /// Its id.
    pub id: HouseholdId,
    /// No KK or temporary number.
    pub number: Option<FamilyNumber>,
    /// Kelurahan.
    pub kelurahan: RegionCode,
    /// RT.
    pub rt: Neighbourhood,
    /// RW.
    pub rw: Neighbourhood,
    /// Address.
    pub address: Address,
    /// Contact phone (normalised).
    pub phone: Option<Phone>,
    /// Location.
    pub geo: Option<GeoPoint>,
    /// Consent.
    pub consent: Option<Consent>,
    /// The dwelling it lives in.
    pub dwelling: Option<DwellingId>,
    /// Latest welfare decile.
    pub welfare: Option<Welfare>,
    /// Incident impacts, one per incident.
    pub incidents: Vec<IncidentImpact>,
    /// Assistance received, in order.
    pub distributions: Vec<Distribution>,
    /// The active head; `None` means the household needs a head.
    pub head: Option<PersonId>,
    /// When registered.
    pub registered_on: NaiveDate,
    /// When dissolved (last member left, or merged away).
    pub dissolved_on: Option<NaiveDate>,
    /// Active memberships (indices into the membership table).
    pub(crate) active: Memberships,
    /// Every membership ever (indices).
    pub(crate) history: Memberships,
    /// Index of its dwelling.
    pub(crate) dwelling_ix: Option<u32>,
}

impl Household {
    /// Whether the household is active (not dissolved).
    #[must_use]
    pub fn is_active(&self) -> bool {
        self.dissolved_on.is_none()
    }

    /// The visible "needs head" state: active, but the head died or left and
    /// no new head was named yet.
    #[must_use]
    pub fn needs_head(&self) -> bool {
        self.is_active() && self.head.is_none()
    }

    /// The number of active members.
    #[must_use]
    pub fn member_count(&self) -> usize {
        self.active.len()
    }
}

/// A household's memberships by index: most households fit in place, so
/// registering one allocates nothing for them.
pub(crate) type Memberships = smallvec::SmallVec<[u32; 6]>;

/// A person as the registry holds them: core's [`Person`] plus member facts
/// and the record's own history.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct PersonRecord {
    /// Id, name, NIK, birth date, sex.
    pub person: Person,
    /// Member facts.
    pub facts: MemberFacts,
    /// Date of death, if recorded.
    pub died_on: Option<NaiveDate>,
    /// Set when this record was merged into another (the survivor).
    pub merged_into: Option<PersonId>,
    /// Records merged into this one.
    pub merged_from: Vec<PersonId>,
    /// The person's newest membership; each membership links to the one
    /// before it ([`Membership::previous`]), so a person costs no list of
    /// their own.
    pub(crate) last_membership: Option<u32>,
    pub(crate) active: Option<u32>,
    pub(crate) name_key: u64,
}

impl PersonRecord {
    /// Whether the record is current: not merged away and not deceased.
    #[must_use]
    pub fn is_current(&self) -> bool {
        self.merged_into.is_none() && self.died_on.is_none()
    }
}

/// A person's membership in a household. Ended, never deleted.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Membership {
    /// The person (the survivor, after a merge of duplicates).
    pub person: PersonId,
    /// The household.
    pub household: HouseholdId,
    /// SHDK relationship to the head.
    pub relationship: Relationship,
    /// Start date.
    pub start: NaiveDate,
    /// Why it started.
    pub joined: JoinReason,
    /// End date and reason, once ended.
    pub end: Option<(NaiveDate, EndReason)>,
    pub(crate) person_ix: u32,
    pub(crate) household_ix: u32,
    /// The same person's membership before this one.
    pub(crate) previous: Option<u32>,
}

impl Membership {
    /// Whether the membership is active.
    #[must_use]
    pub fn is_active(&self) -> bool {
        self.end.is_none()
    }
}

/// A dwelling and the households linked to it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct DwellingRecord {
    /// Its id.
    pub id: DwellingId,
    /// Survey data.
    pub details: Dwelling,
    /// When surveyed.
    pub surveyed_on: NaiveDate,
}

/// What vulnerability and targeting need per person, kept compact.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Hot {
    pub(crate) birth: NaiveDate,
    pub(crate) maternal_on: Option<NaiveDate>,
    pub(crate) flags: u8,
}

pub(crate) const DISABLED: u8 = 1;
pub(crate) const CHRONIC: u8 = 2;
pub(crate) const PREGNANT: u8 = 4;
pub(crate) const LACTATING: u8 = 8;
pub(crate) const FEMALE: u8 = 16;

impl Hot {
    pub(crate) fn of(person: &Person, facts: &MemberFacts) -> Self {
        let mut flags = 0;
        if facts.disability.is_some() {
            flags |= DISABLED;
        }
        if facts.chronic_illness.is_some() {
            flags |= CHRONIC;
        }
        if let Some(m) = facts.maternal {
            flags |= match m.status {
                MaternalStatus::Lactating => LACTATING,
                _ => PREGNANT,
            };
        }
        if person.sex == Sex::Female {
            flags |= FEMALE;
        }
        Self {
            birth: person.birth_date.date,
            maternal_on: facts.maternal.map(|m| m.recorded_on),
            flags,
        }
    }
}

/// What a full scan of the households reads first, kept compact
/// and in registration order: a targeting scan decides most households from
/// this row alone and loads the large [`Household`] record and its members
/// only for those that may match. Kept in step by `apply`; `violations`
/// checks it against a recomputation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ScanRow {
    pub(crate) kelurahan: RegionCode,
    pub(crate) active: bool,
    /// The welfare decile, 0 when none is recorded.
    pub(crate) desil: u8,
    /// Its as-of date (meaningful when `desil` is not 0).
    pub(crate) desil_as_of: NaiveDate,
    /// The earliest and latest birth date among the active members.
    pub(crate) births: Option<(NaiveDate, NaiveDate)>,
    /// The union of the active members' [`Hot`] flags.
    pub(crate) flags: u8,
    /// `(first membership, first person, n)` when the active memberships
    /// are exactly positions `first..first + n` in order and their people
    /// are persons `first person..first person + n` (as a registration
    /// leaves them), so a scan reads the members' facts without loading the
    /// household or its memberships; `None` otherwise.
    pub(crate) run: Option<(u32, u32, u16)>,
}

impl ScanRow {
    fn new(kelurahan: RegionCode) -> Self {
        Self {
            kelurahan,
            active: true,
            desil: 0,
            desil_as_of: NaiveDate::MIN,
            births: None,
            flags: 0,
            run: Some((0, 0, 0)),
        }
    }

    /// Adds membership `m` of person `p`, the household's newest active
    /// one, to the run.
    fn extend_run(&mut self, m: u32, p: u32) {
        self.run = match self.run {
            Some((_, _, 0)) => Some((m, p, 1)),
            Some((first, person, n))
                if first.checked_add(u32::from(n)) == Some(m)
                    && person.checked_add(u32::from(n)) == Some(p) =>
            {
                n.checked_add(1).map(|n| (first, person, n))
            }
            _ => None,
        };
    }

    /// Adds one active member's facts to the summary.
    fn add(&mut self, hot: &Hot) {
        self.births = Some(match self.births {
            None => (hot.birth, hot.birth),
            Some((first, last)) => (first.min(hot.birth), last.max(hot.birth)),
        });
        self.flags |= hot.flags;
    }
}

/// The lookup indexes: id → position, NIK → person, number → active household.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Index {
    pub(crate) households: IdIndex<HouseholdId>,
    pub(crate) people: IdIndex<PersonId>,
    pub(crate) dwellings: Lookup<DwellingId>,
    pub(crate) niks: Lookup<Nik>,
    pub(crate) numbers: Lookup<FamilyNumber>,
}

/// The household registry: households on the Kartu Keluarga, their members
/// and every change to them; the one state type of this crate.
///
/// Change it only through [`Aggregate::decide`] and [`Aggregate::apply`] (or
/// a [`Book`](tangguh_core::Book)); read it with the query methods.
///
/// It serialises with serde to a snapshot form that holds the records only
/// (households, people, memberships, dwellings, dismissed pairs); loading
/// rebuilds the indexes and scan data and refuses, with the reason, a
/// snapshot that does not pass [`Registry::audit`]. The form is internal,
/// for the store's snapshots (`tangguh_store::Store::save_snapshot`), which
/// tie it to the event schema version.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Registry {
    pub(crate) households: Vec<Household>,
    pub(crate) scan: Vec<ScanRow>,
    /// Household ids by position, beside the scan rows: what a scan
    /// reports without loading the household record.
    pub(crate) household_ids: Vec<HouseholdId>,
    pub(crate) people: Vec<PersonRecord>,
    pub(crate) hot: Vec<Hot>,
    pub(crate) memberships: Vec<Membership>,
    pub(crate) dwellings: Vec<DwellingRecord>,
    pub(crate) index: Index,
    pub(crate) dismissed: BTreeSet<(PersonId, PersonId)>,
    /// For each assistance round, the households (by position) that
    /// received it, one bit each: targeting's `received` and
    /// `not_received` without loading households.
    pub(crate) received: BTreeMap<Round, Vec<u64>>,
}

type R<T> = Result<T, RegistryError>;

pub(crate) fn ix(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn not_future(field: &'static str, date: NaiveDate, ctx: &Context) -> R<()> {
    let today = ctx.today();
    if date > today {
        return Err(RegistryError::FutureDate { field, date, today });
    }
    Ok(())
}

fn not_before_birth(
    field: &'static str,
    person: PersonId,
    date: NaiveDate,
    born: NaiveDate,
) -> R<()> {
    if date < born {
        return Err(RegistryError::BeforeBirth { field, person, date, born });
    }
    Ok(())
}

fn village(code: RegionCode) -> R<()> {
    if code.level() == RegionLevel::Village {
        Ok(())
    } else {
        Err(RegistryError::NotAVillage { code })
    }
}

/// Normalises a name for duplicate search: lower case letters and digits,
/// single spaces. (The reference for [`normalised_chars`] and [`name_key`].)
#[cfg(test)]
pub(crate) fn normalise_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for word in name.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

/// A name normalised for duplicate search, as characters, without
/// allocating: lower case letters and digits, words joined by single spaces.
pub(crate) fn normalised_chars(name: &str) -> impl Iterator<Item = char> + '_ {
    name.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).enumerate().flat_map(
        |(n, word)| {
            (n > 0).then_some(' ').into_iter().chain(word.chars().flat_map(char::to_lowercase))
        },
    )
}

/// FNV-1a of the normalised name (computed without allocating): a stable
/// blocking key. Equal to hashing [`normalised_chars`]'s output as UTF-8.
pub(crate) fn name_key(name: &str) -> u64 {
    if name.is_ascii() {
        // The common case, without decoding characters: the same bytes
        // `normalised_chars` would give.
        let mut h = FNV_OFFSET;
        let (mut started, mut gap) = (false, false);
        for b in name.bytes() {
            if b.is_ascii_alphanumeric() {
                if started && gap {
                    h = fnv_step(h, b' ');
                }
                (started, gap) = (true, false);
                h = fnv_step(h, b.to_ascii_lowercase());
            } else {
                gap = true;
            }
        }
        return h;
    }
    fnv1a(normalised_chars(name).flat_map(|c| {
        let mut buf = [0u8; 4];
        let len = c.encode_utf8(&mut buf).len();
        buf.into_iter().take(len)
    }))
}

/// FNV-1a over `bytes`: the stable, fast blocking key of the duplicate
/// scan (names, phones).
pub(crate) fn fnv1a(bytes: impl IntoIterator<Item = u8>) -> u64 {
    bytes.into_iter().fold(FNV_OFFSET, fnv_step)
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;

fn fnv_step(h: u64, b: u8) -> u64 {
    (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
}

impl Registry {
    /// An empty registry.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    // ---- lookups used by decide -------------------------------------------------

    pub(crate) fn household_ix(&self, id: HouseholdId) -> Option<u32> {
        self.index.households.get(&id)
    }

    pub(crate) fn person_ix(&self, id: PersonId) -> Option<u32> {
        self.index.people.get(&id)
    }

    pub(crate) fn hh_at(&self, i: u32) -> Option<&Household> {
        self.households.get(i as usize)
    }

    pub(crate) fn person_at(&self, i: u32) -> Option<&PersonRecord> {
        self.people.get(i as usize)
    }

    pub(crate) fn membership_at(&self, i: u32) -> Option<&Membership> {
        self.memberships.get(i as usize)
    }

    /// An active household, or why not.
    fn active_household(&self, id: HouseholdId) -> R<&Household> {
        let h = self
            .household_ix(id)
            .and_then(|i| self.hh_at(i))
            .ok_or(RegistryError::UnknownHousehold { household: id })?;
        if let Some(on) = h.dissolved_on {
            return Err(RegistryError::HouseholdDissolved { household: id, on });
        }
        Ok(h)
    }

    /// A current person (registered, not merged away, alive), or why not.
    fn current_person(&self, id: PersonId) -> R<&PersonRecord> {
        let p = self
            .person_ix(id)
            .and_then(|i| self.person_at(i))
            .ok_or(RegistryError::UnknownPerson { person: id })?;
        if let Some(survivor) = p.merged_into {
            return Err(RegistryError::PersonMerged { person: id, survivor });
        }
        if let Some(on) = p.died_on {
            return Err(RegistryError::PersonDeceased { person: id, on });
        }
        Ok(p)
    }

    /// The active membership of a person, if any.
    fn active_membership(&self, p: &PersonRecord) -> Option<&Membership> {
        p.active.and_then(|m| self.membership_at(m))
    }

    fn check_new_people<'a>(
        &self,
        people: impl Iterator<Item = &'a NewPerson> + Clone,
        date: NaiveDate,
        field: &'static str,
        ctx: &Context,
    ) -> R<()> {
        // Probe the NIK index for everyone first, in a loop that does
        // nothing else, so that the probes' cache misses overlap; the
        // checks below then look up only a NIK found taken.
        let mut maybe_taken = 0u64;
        for (n, p) in people.clone().enumerate().take(64) {
            if let Some(nik) = p.nik
                && self.index.niks.contains_key(&nik)
            {
                maybe_taken |= 1 << n;
            }
        }
        let mut ids: Vec<PersonId> = Vec::new();
        let mut niks: Vec<Nik> = Vec::new();
        for (n, p) in people.enumerate() {
            if self.index.people.contains(&p.id) {
                return Err(RegistryError::PersonExists { person: p.id });
            }
            if ids.contains(&p.id) {
                return Err(RegistryError::RepeatedPerson { person: p.id });
            }
            ids.push(p.id);
            if let Some(nik) = p.nik {
                if (n >= 64 || maybe_taken & (1 << n) != 0)
                    && let Some(other) = self.index.niks.get(&nik).and_then(|&i| self.person_at(i))
                {
                    return Err(RegistryError::NikTaken { nik, person: other.person.id });
                }
                if niks.contains(&nik) {
                    return Err(RegistryError::RepeatedPerson { person: p.id });
                }
                niks.push(nik);
            }
            not_future("birth date", p.birth_date.date, ctx)?;
            not_before_birth(field, p.id, date, p.birth_date.date)?;
            self.check_facts(p.id, p.sex, &p.facts, p.birth_date.date, ctx)?;
        }
        Ok(())
    }

    fn check_facts(
        &self,
        person: PersonId,
        sex: Sex,
        facts: &MemberFacts,
        born: NaiveDate,
        ctx: &Context,
    ) -> R<()> {
        if let Some(m) = facts.maternal {
            if sex != Sex::Female {
                return Err(RegistryError::Invalid {
                    field: "maternal",
                    reason: format!("person {person} is not recorded as female"),
                });
            }
            not_future("maternal recorded on", m.recorded_on, ctx)?;
            not_before_birth("maternal recorded on", person, m.recorded_on, born)?;
        }
        Ok(())
    }

    fn check_number(&self, number: Option<FamilyNumber>, except: Option<HouseholdId>) -> R<()> {
        if let Some(number) = number
            && let Some(h) = self.index.numbers.get(&number).and_then(|&i| self.hh_at(i))
            && Some(h.id) != except
        {
            return Err(RegistryError::NumberTaken { number, household: h.id });
        }
        Ok(())
    }

    fn check_household_is_new(&self, id: HouseholdId) -> R<()> {
        if self.index.households.contains(&id) {
            return Err(RegistryError::HouseholdExists { household: id });
        }
        Ok(())
    }

    // ---- decide --------------------------------------------------------------------

    fn decide_register(&self, c: &RegisterHousehold, ctx: &Context) -> R<()> {
        not_future("registration date", c.date, ctx)?;
        self.check_household_is_new(c.household)?;
        village(c.kelurahan)?;
        self.check_number(c.number, None)?;
        if let Some(consent) = &c.consent {
            not_future("consent recorded on", consent.recorded_on, ctx)?;
        }
        let heads = c.members.iter().filter(|m| m.relationship == Relationship::Head).count();
        if heads > 0 {
            return Err(RegistryError::HeadCount { household: c.household, count: heads + 1 });
        }
        self.check_new_people(
            std::iter::once(&c.head).chain(c.members.iter().map(|m| &m.person)),
            c.date,
            "registration date",
            ctx,
        )
    }

    fn decide_add(&self, c: &AddMember, ctx: &Context) -> R<()> {
        not_future("join date", c.date, ctx)?;
        let h = self.active_household(c.household)?;
        if c.relationship == Relationship::Head
            && let Some(head) = h.head
        {
            return Err(RegistryError::HeadExists { household: h.id, head });
        }
        match &c.member {
            Joining::New(p) => self.check_new_people(std::iter::once(p), c.date, "join date", ctx),
            Joining::Existing(id) => {
                let p = self.current_person(*id)?;
                if let Some(m) = self.active_membership(p) {
                    return Err(RegistryError::AlreadyMember {
                        person: *id,
                        household: m.household,
                    });
                }
                not_before_birth("join date", *id, c.date, p.person.birth_date.date)?;
                if let Some(last_end) = self
                    .membership_chain(p)
                    .into_iter()
                    .filter_map(|m| self.membership_at(m)?.end)
                    .map(|e| e.0)
                    .max()
                    && c.date < last_end
                {
                    return Err(RegistryError::EndBeforeStart {
                        person: *id,
                        start: last_end,
                        date: c.date,
                    });
                }
                Ok(())
            }
        }
    }

    /// Checks that `person` may leave their active membership on `date`;
    /// returns that membership.
    fn check_leaving(&self, person: PersonId, date: NaiveDate, ctx: &Context) -> R<&Membership> {
        let p = self.current_person(person)?;
        let m = self.active_membership(p).ok_or(RegistryError::NotActiveMember { person })?;
        not_future("end date", date, ctx)?;
        not_before_birth("end date", person, date, p.person.birth_date.date)?;
        if date < m.start {
            return Err(RegistryError::EndBeforeStart { person, start: m.start, date });
        }
        Ok(m)
    }

    fn decide_transfer(&self, c: &TransferMember, ctx: &Context) -> R<()> {
        let m = self.check_leaving(c.person, c.date, ctx)?;
        if m.household == c.to {
            return Err(RegistryError::SameHousehold { household: c.to });
        }
        let to = self.active_household(c.to)?;
        if c.relationship == Relationship::Head
            && let Some(head) = to.head
        {
            return Err(RegistryError::HeadExists { household: to.id, head });
        }
        Ok(())
    }

    fn decide_change_head(&self, c: &ChangeHead, ctx: &Context) -> R<()> {
        not_future("date", c.date, ctx)?;
        let h = self.active_household(c.household)?;
        let p = self.current_person(c.new_head)?;
        let m = self
            .active_membership(p)
            .filter(|m| m.household == c.household)
            .ok_or(RegistryError::NotMemberOf { person: c.new_head, household: c.household })?;
        if c.date < m.start {
            return Err(RegistryError::EndBeforeStart {
                person: c.new_head,
                start: m.start,
                date: c.date,
            });
        }
        if h.head == Some(c.new_head) {
            return Err(RegistryError::AlreadyHead { person: c.new_head, household: h.id });
        }
        if let Some(former) = h.head {
            match c.former_head_relationship {
                Some(r) if r != Relationship::Head => {}
                _ => return Err(RegistryError::FormerHeadRelationship { person: former }),
            }
        }
        self.check_number(c.new_number, Some(h.id))
    }

    fn check_moving(
        &self,
        from: &Household,
        members: &[crate::command::MovingMember],
        date: NaiveDate,
        ctx: &Context,
    ) -> R<()> {
        let mut seen = BTreeSet::new();
        for mm in members {
            if !seen.insert(mm.person) {
                return Err(RegistryError::RepeatedPerson { person: mm.person });
            }
            let m = self.check_leaving(mm.person, date, ctx)?;
            if m.household != from.id {
                return Err(RegistryError::NotMemberOf { person: mm.person, household: from.id });
            }
        }
        Ok(())
    }

    fn decide_split(&self, c: &SplitHousehold, ctx: &Context) -> R<()> {
        not_future("split date", c.date, ctx)?;
        let from = self.active_household(c.from)?;
        self.check_household_is_new(c.new_household)?;
        village(c.kelurahan)?;
        self.check_number(c.number, None)?;
        if c.members.is_empty() {
            return Err(RegistryError::Invalid {
                field: "members",
                reason: "a split moves at least one member".to_owned(),
            });
        }
        self.check_moving(from, &c.members, c.date, ctx)?;
        let heads = c.members.iter().filter(|m| m.relationship == Relationship::Head).count();
        if heads != 1 {
            return Err(RegistryError::HeadCount { household: c.new_household, count: heads });
        }
        Ok(())
    }

    fn decide_merge(&self, c: &MergeHouseholds, ctx: &Context) -> R<()> {
        not_future("merge date", c.date, ctx)?;
        if c.from == c.into {
            return Err(RegistryError::SameHousehold { household: c.from });
        }
        let from = self.active_household(c.from)?;
        let into = self.active_household(c.into)?;
        self.check_moving(from, &c.members, c.date, ctx)?;
        if c.members.len() != from.active.len() {
            return Err(RegistryError::MembersMismatch { household: from.id });
        }
        let heads = c.members.iter().filter(|m| m.relationship == Relationship::Head).count();
        if let (Some(head), true) = (into.head, heads > 0) {
            return Err(RegistryError::HeadExists { household: into.id, head });
        }
        if heads > 1 {
            return Err(RegistryError::HeadCount { household: into.id, count: heads });
        }
        Ok(())
    }

    fn decide_dwelling(&self, c: &UpdateDwelling, ctx: &Context) -> R<()> {
        not_future("survey date", c.date, ctx)?;
        if c.households.is_empty() {
            return Err(RegistryError::Invalid {
                field: "households",
                reason: "a dwelling is linked to at least one household".to_owned(),
            });
        }
        for h in &c.households {
            self.active_household(*h)?;
        }
        Ok(())
    }

    fn decide_facts(&self, c: &UpdateMemberFacts, ctx: &Context) -> R<()> {
        not_future("date", c.date, ctx)?;
        let p = self.current_person(c.person)?;
        not_before_birth("date", c.person, c.date, p.person.birth_date.date)?;
        self.check_facts(c.person, p.person.sex, &c.facts, p.person.birth_date.date, ctx)
    }

    fn decide_distribution(&self, c: &RecordDistribution, ctx: &Context) -> R<()> {
        let d = &c.distribution;
        not_future("distribution date", d.date, ctx)?;
        let h = self.active_household(c.household)?;
        if d.items.is_empty() {
            return Err(RegistryError::Invalid {
                field: "items",
                reason: "a distribution hands out at least one item".to_owned(),
            });
        }
        if let Some(item) = d.items.iter().find(|i| i.quantity <= Decimal::ZERO) {
            return Err(RegistryError::Invalid {
                field: "quantity",
                reason: format!("{} {} of {} is not positive", item.quantity, item.unit, item.name),
            });
        }
        if d.top_up.is_none() && h.distributions.iter().any(|x| x.round == d.round) {
            return Err(RegistryError::AlreadyDistributed {
                household: h.id,
                round: d.round.clone(),
            });
        }
        Ok(())
    }

    fn decide_merge_persons(&self, c: &MergePersons, ctx: &Context) -> R<()> {
        not_future("date", c.date, ctx)?;
        if c.survivor == c.duplicate {
            return Err(RegistryError::SamePerson { person: c.survivor });
        }
        let s = self.current_person(c.survivor)?;
        let d = self.current_person(c.duplicate)?;
        let conflict = |conflict| RegistryError::MergeConflict {
            survivor: c.survivor,
            duplicate: c.duplicate,
            conflict,
        };
        if s.active.is_some() && d.active.is_some() {
            return Err(conflict("both have an active membership; end one first"));
        }
        if let (Some(a), Some(b)) = (s.person.nik, d.person.nik)
            && a != b
        {
            return Err(conflict("they have different NIKs"));
        }
        Ok(())
    }

    fn decide_dismiss(&self, c: &DismissDuplicate, ctx: &Context) -> R<()> {
        not_future("date", c.date, ctx)?;
        if c.first == c.second {
            return Err(RegistryError::SamePerson { person: c.first });
        }
        for id in [c.first, c.second] {
            if !self.index.people.contains(&id) {
                return Err(RegistryError::UnknownPerson { person: id });
            }
        }
        Ok(())
    }

    fn decide_import(
        &self,
        rows: &[crate::command::ImportRow],
        ctx: &Context,
    ) -> R<Vec<RegistryEvent>> {
        let mut scratch = self.clone();
        let mut events = Vec::new();
        let mut errors = Vec::new();
        for row in rows {
            if matches!(row.command, RegistryCommand::Import { .. }) {
                errors.push(RowError::new(row.line, "an import cannot contain an import"));
                continue;
            }
            match scratch.decide(&row.command, ctx) {
                Ok(evs) => {
                    for e in &evs {
                        scratch.apply(e);
                    }
                    events.extend(evs);
                }
                Err(e) => errors.push(RowError::new(row.line, e.to_string())),
            }
        }
        if errors.is_empty() { Ok(events) } else { Err(RegistryError::Import { errors }) }
    }

    // ---- apply helpers ---------------------------------------------------------------

    /// Indexes the NIKs of `people`, about to be inserted in this order.
    fn index_niks<'a>(&mut self, people: impl Iterator<Item = &'a NewPerson> + Clone) {
        self.index.niks.reserve(people.clone().count());
        for (k, p) in people.enumerate() {
            if let Some(nik) = p.nik {
                self.index.niks.insert(nik, ix(self.people.len().saturating_add(k)));
            }
        }
    }

    fn insert_person(&mut self, p: &NewPerson) -> u32 {
        let i = ix(self.people.len());
        let mut person = Person::new(p.id, p.name.clone(), p.birth_date, p.sex);
        person.nik = p.nik;
        self.hot.push(Hot::of(&person, &p.facts));
        self.people.push(PersonRecord {
            name_key: name_key(p.name.as_str()),
            person,
            facts: p.facts.clone(),
            died_on: None,
            merged_into: None,
            merged_from: Vec::new(),
            last_membership: None,
            active: None,
        });
        self.index.people.insert(p.id, i);
        i
    }

    #[allow(clippy::too_many_arguments)]
    fn insert_household(
        &mut self,
        id: HouseholdId,
        number: Option<FamilyNumber>,
        kelurahan: RegionCode,
        rt: Neighbourhood,
        rw: Neighbourhood,
        address: Address,
        date: NaiveDate,
    ) -> u32 {
        let i = ix(self.households.len());
        self.households.push(Household {
            id,
            number,
            kelurahan,
            rt,
            rw,
            address,
            phone: None,
            geo: None,
            consent: None,
            dwelling: None,
            welfare: None,
            incidents: Vec::new(),
            distributions: Vec::new(),
            head: None,
            registered_on: date,
            dissolved_on: None,
            active: Memberships::new(),
            history: Memberships::new(),
            dwelling_ix: None,
        });
        self.scan.push(ScanRow::new(kelurahan));
        self.household_ids.push(id);
        self.index.households.insert(id, i);
        if let Some(n) = number {
            self.index.numbers.insert(n, i);
        }
        i
    }

    fn start(
        &mut self,
        p: u32,
        h: u32,
        relationship: Relationship,
        start: NaiveDate,
        joined: JoinReason,
    ) {
        let m = ix(self.memberships.len());
        let (Some(person), Some(household)) =
            (self.people.get_mut(p as usize), self.households.get_mut(h as usize))
        else {
            return;
        };
        self.memberships.push(Membership {
            person: person.person.id,
            household: household.id,
            relationship,
            start,
            joined,
            end: None,
            person_ix: p,
            household_ix: h,
            previous: person.last_membership,
        });
        person.last_membership = Some(m);
        person.active = Some(m);
        household.active.push(m);
        household.history.push(m);
        if relationship == Relationship::Head {
            household.head = Some(person.person.id);
        }
        if let (Some(row), Some(hot)) = (self.scan.get_mut(h as usize), self.hot.get(p as usize)) {
            row.add(hot);
            row.extend_run(m, p);
        }
    }

    /// The received-round bits the distributions imply.
    pub(crate) fn computed_received(&self) -> BTreeMap<Round, Vec<u64>> {
        let mut expected: BTreeMap<Round, Vec<u64>> = BTreeMap::new();
        for (h, household) in self.households.iter().enumerate() {
            for d in &household.distributions {
                let bits = expected.entry(d.round.clone()).or_default();
                bits.resize(bits.len().max(h / 64 + 1), 0);
                if let Some(w) = bits.get_mut(h / 64) {
                    *w |= 1 << (h % 64);
                }
            }
        }
        expected
    }

    /// The scan row `h` should have: from the household and the hot facts
    /// of its active members.
    pub(crate) fn computed_scan_row(&self, h: u32) -> Option<ScanRow> {
        let household = self.households.get(h as usize)?;
        let mut row = ScanRow::new(household.kelurahan);
        row.active = household.is_active();
        if let Some(w) = &household.welfare {
            row.desil = w.desil.get();
            row.desil_as_of = w.as_of;
        }
        for &m in &household.active {
            let Some(ms) = self.membership_at(m) else { continue };
            if let Some(hot) = self.hot.get(ms.person_ix as usize) {
                row.add(hot);
            }
            row.extend_run(m, ms.person_ix);
        }
        Some(row)
    }

    /// Recomputes household `h`'s scan row (after a member left or a
    /// member's facts changed).
    fn refresh_scan(&mut self, h: u32) {
        if let Some(row) = self.computed_scan_row(h)
            && let Some(slot) = self.scan.get_mut(h as usize)
        {
            *slot = row;
        }
    }

    /// Recomputes the scan row of the household `p` is an active member of.
    fn refresh_scan_of_person(&mut self, p: u32) {
        let h = self
            .people
            .get(p as usize)
            .and_then(|rec| rec.active)
            .and_then(|m| self.membership_at(m))
            .map(|ms| ms.household_ix);
        if let Some(h) = h {
            self.refresh_scan(h);
        }
    }

    fn end(&mut self, p: u32, date: NaiveDate, reason: EndReason) {
        let Some(person) = self.people.get_mut(p as usize) else { return };
        let Some(m) = person.active.take() else { return };
        let id = person.person.id;
        if reason == EndReason::Death {
            person.died_on = Some(date);
        }
        let Some(membership) = self.memberships.get_mut(m as usize) else { return };
        membership.end = Some((date, reason));
        let h = membership.household_ix;
        let Some(household) = self.households.get_mut(h as usize) else { return };
        household.active.retain(|x| *x != m);
        if household.head == Some(id) {
            household.head = None;
        }
        let dissolved = household.active.is_empty();
        if dissolved {
            household.dissolved_on = Some(date);
            household.head = None;
            if let Some(n) = household.number
                && self.index.numbers.get(&n) == Some(&h)
            {
                self.index.numbers.remove(&n);
            }
        }
        self.refresh_scan(h);
    }

    fn set_relationship(&mut self, p: u32, relationship: Relationship) {
        if let Some(m) = self.people.get(p as usize).and_then(|x| x.active)
            && let Some(ms) = self.memberships.get_mut(m as usize)
        {
            ms.relationship = relationship;
        }
    }

    fn apply_change_head(&mut self, c: &ChangeHead) {
        let Some(h) = self.household_ix(c.household) else { return };
        let former = self.hh_at(h).and_then(|x| x.head);
        if let (Some(former), Some(rel)) =
            (former.and_then(|f| self.person_ix(f)), c.former_head_relationship)
        {
            self.set_relationship(former, rel);
        }
        if let Some(p) = self.person_ix(c.new_head) {
            self.set_relationship(p, Relationship::Head);
        }
        if let Some(n) = c.new_number {
            self.renumber(h, n);
        }
        if let Some(household) = self.households.get_mut(h as usize) {
            household.head = Some(c.new_head);
        }
    }

    fn renumber(&mut self, h: u32, n: FamilyNumber) {
        let Some(household) = self.households.get_mut(h as usize) else { return };
        if let Some(old) = household.number.replace(n) {
            self.index.numbers.remove(&old);
        }
        self.index.numbers.insert(n, h);
    }

    fn apply_merge_persons(&mut self, c: &MergePersons) {
        let (Some(s), Some(d)) = (self.person_ix(c.survivor), self.person_ix(c.duplicate)) else {
            return;
        };
        let Some(dup) = self.people.get_mut(d as usize) else { return };
        dup.merged_into = Some(c.survivor);
        let moved_last = dup.last_membership.take();
        let active = dup.active.take();
        let dup_nik = dup.person.nik;
        let dup_facts = dup.facts.clone();
        let moved = self.chain_from(moved_last);
        for &m in &moved {
            if let Some(ms) = self.memberships.get_mut(m as usize) {
                ms.person = c.survivor;
                ms.person_ix = s;
                if ms.end.is_none()
                    && let Some(h) = self.households.get_mut(ms.household_ix as usize)
                    && h.head == Some(c.duplicate)
                {
                    h.head = Some(c.survivor);
                }
            }
        }
        // Both histories, relinked in creation order under the survivor.
        let mut all = self.chain_from(self.people.get(s as usize).and_then(|p| p.last_membership));
        all.extend(moved);
        all.sort_unstable();
        let mut previous = None;
        for &m in &all {
            if let Some(ms) = self.memberships.get_mut(m as usize) {
                ms.previous = previous;
            }
            previous = Some(m);
        }
        let Some(survivor) = self.people.get_mut(s as usize) else { return };
        survivor.last_membership = previous;
        if survivor.active.is_none() {
            survivor.active = active;
        }
        survivor.merged_from.push(c.duplicate);
        if survivor.person.nik.is_none()
            && let Some(nik) = dup_nik
        {
            survivor.person.nik = Some(nik);
            self.index.niks.insert(nik, s);
        }
        let f = &mut survivor.facts;
        f.disability = f.disability.or(dup_facts.disability);
        f.chronic_illness = f.chronic_illness.or(dup_facts.chronic_illness);
        f.maternal = f.maternal.or(dup_facts.maternal);
        f.education = f.education.or(dup_facts.education);
        f.occupation = f.occupation.or(dup_facts.occupation);
        let hot = Hot::of(&survivor.person, &survivor.facts);
        if let Some(x) = self.hot.get_mut(s as usize) {
            *x = hot;
        }
        // The moved memberships now read the survivor's facts.
        let households: Vec<u32> = all
            .iter()
            .filter_map(|&m| self.membership_at(m))
            .filter(|ms| ms.end.is_none())
            .map(|ms| ms.household_ix)
            .collect();
        for h in households {
            self.refresh_scan(h);
        }
    }

    /// The memberships linked from `last` back to the first, oldest first.
    pub(crate) fn chain_from(&self, last: Option<u32>) -> Vec<u32> {
        let mut out = Vec::new();
        let mut next = last;
        while let Some(m) = next {
            // A chain is at most as long as the memberships (guards a cycle).
            if out.len() >= self.memberships.len() {
                break;
            }
            out.push(m);
            next = self.membership_at(m).and_then(|ms| ms.previous);
        }
        out.reverse();
        out
    }

    /// Every membership of `person`, oldest first.
    pub(crate) fn membership_chain(&self, person: &PersonRecord) -> Vec<u32> {
        self.chain_from(person.last_membership)
    }

    fn with_household(&mut self, id: HouseholdId, f: impl FnOnce(&mut Household)) {
        if let Some(h) = self.household_ix(id).and_then(|i| self.households.get_mut(i as usize)) {
            f(h);
        }
    }
}

impl Aggregate for Registry {
    type Command = RegistryCommand;
    type Event = RegistryEvent;
    type Error = RegistryError;

    fn decide(&self, command: &RegistryCommand, ctx: &Context) -> R<Vec<RegistryEvent>> {
        use RegistryCommand as C;
        use RegistryEvent as E;
        let event = match command {
            C::RegisterHousehold(c) => {
                self.decide_register(c, ctx)?;
                E::HouseholdRegistered(c.clone())
            }
            C::AddMember(c) => {
                self.decide_add(c, ctx)?;
                E::MemberAdded(c.clone())
            }
            C::EndMembership(c) => {
                self.check_leaving(c.person, c.date, ctx)?;
                E::MembershipEnded(c.clone())
            }
            C::TransferMember(c) => {
                self.decide_transfer(c, ctx)?;
                E::MemberTransferred(c.clone())
            }
            C::ChangeHead(c) => {
                self.decide_change_head(c, ctx)?;
                E::HeadChanged(c.clone())
            }
            C::SplitHousehold(c) => {
                self.decide_split(c, ctx)?;
                E::HouseholdSplit(c.clone())
            }
            C::MergeHouseholds(c) => {
                self.decide_merge(c, ctx)?;
                E::HouseholdsMerged(c.clone())
            }
            C::UpdateDwelling(c) => {
                self.decide_dwelling(c, ctx)?;
                E::DwellingUpdated(c.clone())
            }
            C::UpdateWelfare(c) => {
                not_future("welfare as-of date", c.welfare.as_of, ctx)?;
                self.active_household(c.household)?;
                E::WelfareUpdated(c.clone())
            }
            C::UpdateContact(c) => {
                not_future("date", c.date, ctx)?;
                if let Some(consent) = &c.consent {
                    not_future("consent recorded on", consent.recorded_on, ctx)?;
                }
                self.active_household(c.household)?;
                E::ContactUpdated(c.clone())
            }
            C::UpdateMemberFacts(c) => {
                self.decide_facts(c, ctx)?;
                E::MemberFactsUpdated(c.clone())
            }
            C::RecordIncidentImpact(c) => {
                not_future("incident date", c.impact.date, ctx)?;
                self.active_household(c.household)?;
                E::IncidentImpactRecorded(c.clone())
            }
            C::RecordDistribution(c) => {
                self.decide_distribution(c, ctx)?;
                E::DistributionRecorded(c.clone())
            }
            C::MergePersons(c) => {
                self.decide_merge_persons(c, ctx)?;
                E::PersonsMerged(c.clone())
            }
            C::DismissDuplicate(c) => {
                self.decide_dismiss(c, ctx)?;
                E::DuplicateDismissed(c.clone())
            }
            C::Import { rows } => return self.decide_import(rows, ctx),
        };
        Ok(vec![event])
    }

    fn apply(&mut self, event: &RegistryEvent) {
        use RegistryEvent as E;
        match event {
            E::HouseholdRegistered(c) => {
                let h = self.insert_household(
                    c.household,
                    c.number,
                    c.kelurahan,
                    c.rt,
                    c.rw,
                    c.address.clone(),
                    c.date,
                );
                if let Some(x) = self.households.get_mut(h as usize) {
                    x.phone.clone_from(&c.phone);
                    x.geo = c.geo;
                    x.consent.clone_from(&c.consent);
                }
                // The NIKs first, together, so that the index's cache misses
                // overlap; the people take the next positions in order.
                let people = std::iter::once(&c.head).chain(c.members.iter().map(|m| &m.person));
                self.index_niks(people.clone());
                let p = self.insert_person(&c.head);
                self.start(p, h, Relationship::Head, c.date, JoinReason::Registration);
                for m in &c.members {
                    let p = self.insert_person(&m.person);
                    self.start(p, h, m.relationship, c.date, JoinReason::Registration);
                }
            }
            E::MemberAdded(c) => {
                let Some(h) = self.household_ix(c.household) else { return };
                let p = match &c.member {
                    Joining::New(p) => {
                        self.index_niks(std::iter::once(p));
                        self.insert_person(p)
                    }
                    Joining::Existing(id) => {
                        let Some(p) = self.person_ix(*id) else { return };
                        p
                    }
                };
                self.start(p, h, c.relationship, c.date, c.reason);
            }
            E::MembershipEnded(c) => {
                if let Some(p) = self.person_ix(c.person) {
                    self.end(p, c.date, c.reason);
                }
            }
            E::MemberTransferred(c) => {
                if let (Some(p), Some(h)) = (self.person_ix(c.person), self.household_ix(c.to)) {
                    self.end(p, c.date, EndReason::Transfer);
                    self.start(p, h, c.relationship, c.date, JoinReason::Transfer);
                }
            }
            E::HeadChanged(c) => self.apply_change_head(c),
            E::HouseholdSplit(c) => {
                let h = self.insert_household(
                    c.new_household,
                    c.number,
                    c.kelurahan,
                    c.rt,
                    c.rw,
                    c.address.clone(),
                    c.date,
                );
                for m in &c.members {
                    if let Some(p) = self.person_ix(m.person) {
                        self.end(p, c.date, EndReason::Split);
                        self.start(p, h, m.relationship, c.date, JoinReason::Split);
                    }
                }
            }
            E::HouseholdsMerged(c) => {
                let Some(h) = self.household_ix(c.into) else { return };
                for m in &c.members {
                    if let Some(p) = self.person_ix(m.person) {
                        self.end(p, c.date, EndReason::Merge);
                        self.start(p, h, m.relationship, c.date, JoinReason::Merge);
                    }
                }
            }
            E::DwellingUpdated(c) => {
                let d = if let Some(&d) = self.index.dwellings.get(&c.dwelling) {
                    if let Some(rec) = self.dwellings.get_mut(d as usize) {
                        rec.details = c.details.clone();
                        rec.surveyed_on = c.date;
                    }
                    d
                } else {
                    let d = ix(self.dwellings.len());
                    self.dwellings.push(DwellingRecord {
                        id: c.dwelling,
                        details: c.details.clone(),
                        surveyed_on: c.date,
                    });
                    self.index.dwellings.insert(c.dwelling, d);
                    d
                };
                for h in &c.households {
                    self.with_household(*h, |x| {
                        x.dwelling = Some(c.dwelling);
                        x.dwelling_ix = Some(d);
                    });
                }
            }
            E::WelfareUpdated(c) => {
                self.with_household(c.household, |x| x.welfare = Some(c.welfare.clone()));
                if let Some(row) =
                    self.household_ix(c.household).and_then(|h| self.scan.get_mut(h as usize))
                {
                    row.desil = c.welfare.desil.get();
                    row.desil_as_of = c.welfare.as_of;
                }
            }
            E::ContactUpdated(c) => self.with_household(c.household, |x| {
                x.phone.clone_from(&c.phone);
                x.geo = c.geo;
                if c.consent.is_some() {
                    x.consent.clone_from(&c.consent);
                }
            }),
            E::MemberFactsUpdated(c) => {
                if let Some(p) = self.person_ix(c.person)
                    && let Some(rec) = self.people.get_mut(p as usize)
                {
                    rec.facts = c.facts.clone();
                    let hot = Hot::of(&rec.person, &rec.facts);
                    if let Some(x) = self.hot.get_mut(p as usize) {
                        *x = hot;
                    }
                    self.refresh_scan_of_person(p);
                }
            }
            E::IncidentImpactRecorded(c) => self.with_household(c.household, |x| {
                if let Some(old) = x.incidents.iter_mut().find(|i| i.incident == c.impact.incident)
                {
                    *old = c.impact.clone();
                } else {
                    x.incidents.push(c.impact.clone());
                }
            }),
            E::DistributionRecorded(c) => {
                self.with_household(c.household, |x| x.distributions.push(c.distribution.clone()));
                if let Some(h) = self.household_ix(c.household) {
                    let bits = self.received.entry(c.distribution.round.clone()).or_default();
                    let word = h as usize / 64;
                    if bits.len() <= word {
                        bits.resize(word + 1, 0);
                    }
                    if let Some(w) = bits.get_mut(word) {
                        *w |= 1 << (h % 64);
                    }
                }
            }
            E::PersonsMerged(c) => self.apply_merge_persons(c),
            E::DuplicateDismissed(c) => {
                let pair =
                    if c.first < c.second { (c.first, c.second) } else { (c.second, c.first) };
                self.dismissed.insert(pair);
            }
        }
    }
}

impl Registry {
    /// Checks every rule over the whole state and lists what is violated: at
    /// most one active membership per person, a NIK on at most one current
    /// record, a number on at most one active household, exactly one active
    /// head per active household unless it needs one, and at least one
    /// active member per active household. A registry built through
    /// commands always passes; use it after loading foreign data.
    #[must_use]
    pub fn audit(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut active_count = vec![0u32; self.people.len()];
        for m in self.memberships.iter().filter(|m| m.is_active()) {
            if let Some(c) = active_count.get_mut(m.person_ix as usize) {
                *c += 1;
            }
        }
        for (p, c) in self.people.iter().zip(&active_count) {
            if *c > 1 {
                out.push(format!("person {} has {c} active memberships", p.person.id));
            }
        }
        let mut niks = BTreeSet::new();
        for p in self.people.iter().filter(|p| p.merged_into.is_none()) {
            if let Some(n) = p.person.nik
                && !niks.insert(n)
            {
                out.push(format!("NIK {n} is on more than one person"));
            }
        }
        let mut numbers = BTreeSet::new();
        for h in self.households.iter().filter(|h| h.is_active()) {
            if let Some(n) = h.number
                && !numbers.insert(n)
            {
                out.push(format!("number {n} is on more than one active household"));
            }
            let heads: Vec<PersonId> = h
                .active
                .iter()
                .filter_map(|&m| self.membership_at(m))
                .filter(|m| m.relationship == Relationship::Head)
                .map(|m| m.person)
                .collect();
            match (heads.as_slice(), h.head) {
                ([], None) => {}
                ([one], Some(head)) if *one == head => {}
                _ => out.push(format!(
                    "household {} has heads {heads:?}, head field {:?}",
                    h.id, h.head
                )),
            }
            if h.active.is_empty() {
                out.push(format!("active household {} has no members", h.id));
            }
        }
        let scan_ok = self.scan.len() == self.households.len()
            && self.household_ids.iter().eq(self.households.iter().map(|h| &h.id))
            && self
                .scan
                .iter()
                .enumerate()
                .all(|(h, r)| self.computed_scan_row(ix(h)).as_ref() == Some(r));
        if !scan_ok {
            out.push("the scan rows do not match the households".to_owned());
        }
        let indexed = self.index.households.len() == self.households.len()
            && self.index.people.len() == self.people.len()
            && self
                .households
                .iter()
                .enumerate()
                .all(|(i, h)| self.household_ix(h.id) == Some(ix(i)))
            && self.people.iter().enumerate().all(|(i, p)| {
                self.person_ix(p.person.id) == Some(ix(i))
                    && (p.merged_into.is_some()
                        || p.person.nik.is_none_or(|n| self.index.niks.get(&n) == Some(&ix(i))))
            });
        if !indexed {
            out.push("the lookup indexes do not match the records".to_owned());
        }
        if self.computed_received() != self.received {
            out.push("the received-round bits do not match the distributions".to_owned());
        }
        for h in self.households.iter().filter(|h| !h.is_active()) {
            if !h.active.is_empty() {
                out.push(format!("dissolved household {} has active members", h.id));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalised_chars_match_the_normalised_name() {
        for name in ["Siti  Rahayu", " SITI-rahayu ", "Ánh Đỗ", "x", "", "--", "İstanbul ß"] {
            assert_eq!(normalised_chars(name).collect::<String>(), normalise_name(name), "{name}");
        }
    }

    #[test]
    fn name_key_hashes_the_normalised_name() {
        for name in [
            "Siti  Rahayu",
            " SITI-rahayu ",
            "Ánh Đỗ",
            "x",
            "",
            "--",
            " a1 -- B2 ",
            "Nur'aini",
            "É x",
        ] {
            let expected = normalise_name(name).bytes().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
                (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
            });
            assert_eq!(name_key(name), expected, "{name}");
        }
        assert_eq!(name_key("Siti Rahayu"), name_key("siti, RAHAYU"));
    }

    proptest::proptest! {
        /// The ASCII fast path and the general path give the key of the
        /// normalised name, for any text.
        #[test]
        fn name_key_is_fnv_of_the_normalised_name(
            name in proptest::prop_oneof!["[ -~]{0,24}", ".{0,12}"]
        ) {
            proptest::prop_assert_eq!(name_key(&name), fnv1a(normalise_name(&name).bytes()));
        }
    }
}

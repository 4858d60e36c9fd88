//! The registry's serialised form, for snapshots.
//!
//! A snapshot holds the records only: households with their membership
//! history, people, memberships, dwellings and dismissed duplicate pairs.
//! Everything derived — the lookup indexes, the scan rows, the hot facts,
//! the received-round bits, the name keys and the active-member lists — is
//! rebuilt on load, and the rebuilt registry must pass
//! [`Registry::audit`], so a damaged or hand-edited snapshot is refused
//! with the reason rather than loaded half-right.
//!
//! The form is internal: the store writes it with the registry's event
//! schema version ([`tangguh_core::DomainEvent::SCHEMA_VERSION`]) and passes
//! over a snapshot written for another version, replaying the journal
//! instead.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use tangguh_core::{FamilyNumber, HouseholdId, Person, PersonId, RegionCode};

use crate::model::{
    Address, Consent, Distribution, Dwelling, DwellingId, EndReason, GeoPoint, IncidentImpact,
    JoinReason, MemberFacts, Neighbourhood, Phone, Relationship, Welfare,
};
use crate::registry::{
    DwellingRecord, Hot, Household, Membership, Memberships, PersonRecord, Registry, ix, name_key,
};

/// A household as stored: its record and every membership it ever had.
#[derive(Serialize, Deserialize)]
struct StoredHousehold {
    id: HouseholdId,
    number: Option<FamilyNumber>,
    kelurahan: RegionCode,
    rt: Neighbourhood,
    rw: Neighbourhood,
    address: Address,
    phone: Option<Phone>,
    geo: Option<GeoPoint>,
    consent: Option<Consent>,
    dwelling: Option<DwellingId>,
    welfare: Option<Welfare>,
    incidents: Vec<IncidentImpact>,
    distributions: Vec<Distribution>,
    head: Option<PersonId>,
    registered_on: NaiveDate,
    dissolved_on: Option<NaiveDate>,
    /// Membership positions, in the order they started.
    history: Vec<u32>,
}

/// A person as stored, with the positions of their newest and active
/// memberships.
#[derive(Serialize, Deserialize)]
struct StoredPerson {
    person: Person,
    facts: MemberFacts,
    died_on: Option<NaiveDate>,
    merged_into: Option<PersonId>,
    merged_from: Vec<PersonId>,
    last_membership: Option<u32>,
    active: Option<u32>,
}

/// A membership as stored: people and households by position.
#[derive(Serialize, Deserialize)]
struct StoredMembership {
    person: u32,
    household: u32,
    relationship: Relationship,
    start: NaiveDate,
    joined: JoinReason,
    end: Option<(NaiveDate, EndReason)>,
    previous: Option<u32>,
}

/// A dwelling as stored.
#[derive(Serialize, Deserialize)]
struct StoredDwelling {
    id: DwellingId,
    details: Dwelling,
    surveyed_on: NaiveDate,
}

/// The whole stored form.
#[derive(Deserialize)]
struct Stored {
    households: Vec<StoredHousehold>,
    people: Vec<StoredPerson>,
    memberships: Vec<StoredMembership>,
    dwellings: Vec<StoredDwelling>,
    dismissed: Vec<(PersonId, PersonId)>,
}

/// Serialises the items of a fresh iterator as a sequence, without
/// collecting them.
struct Seq<F>(F);

impl<F, I> Serialize for Seq<F>
where
    F: Fn() -> I,
    I: Iterator,
    I::Item: Serialize,
{
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq((self.0)())
    }
}

impl Serialize for Registry {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct as _;
        let mut out = s.serialize_struct("Registry", 5)?;
        out.serialize_field(
            "households",
            &Seq(|| {
                self.households.iter().map(|h| StoredHousehold {
                    id: h.id,
                    number: h.number,
                    kelurahan: h.kelurahan,
                    rt: h.rt,
                    rw: h.rw,
                    address: h.address.clone(),
                    phone: h.phone.clone(),
                    geo: h.geo,
                    consent: h.consent.clone(),
                    dwelling: h.dwelling,
                    welfare: h.welfare.clone(),
                    incidents: h.incidents.clone(),
                    distributions: h.distributions.clone(),
                    head: h.head,
                    registered_on: h.registered_on,
                    dissolved_on: h.dissolved_on,
                    history: h.history.to_vec(),
                })
            }),
        )?;
        out.serialize_field(
            "people",
            &Seq(|| {
                self.people.iter().map(|p| StoredPerson {
                    person: p.person.clone(),
                    facts: p.facts.clone(),
                    died_on: p.died_on,
                    merged_into: p.merged_into,
                    merged_from: p.merged_from.clone(),
                    last_membership: p.last_membership,
                    active: p.active,
                })
            }),
        )?;
        out.serialize_field(
            "memberships",
            &Seq(|| {
                self.memberships.iter().map(|m| StoredMembership {
                    person: m.person_ix,
                    household: m.household_ix,
                    relationship: m.relationship,
                    start: m.start,
                    joined: m.joined,
                    end: m.end,
                    previous: m.previous,
                })
            }),
        )?;
        out.serialize_field(
            "dwellings",
            &Seq(|| {
                self.dwellings.iter().map(|d| StoredDwelling {
                    id: d.id,
                    details: d.details.clone(),
                    surveyed_on: d.surveyed_on,
                })
            }),
        )?;
        out.serialize_field("dismissed", &self.dismissed)?;
        out.end()
    }
}

impl<'de> Deserialize<'de> for Registry {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        restore(Stored::deserialize(d)?).map_err(serde::de::Error::custom)
    }
}

/// Rebuilds a registry from its records, or says what is inconsistent.
fn restore(s: Stored) -> Result<Registry, String> {
    let mut r = Registry::new();
    let n_memberships = s.memberships.len();
    let position = |what: &str, at: Option<u32>, len: usize| match at {
        Some(i) if i as usize >= len => Err(format!("{what} {i} is out of range")),
        _ => Ok(()),
    };

    for d in s.dwellings {
        if r.index.dwellings.insert(d.id, ix(r.dwellings.len())).is_some() {
            return Err(format!("dwelling {} is stored twice", d.id));
        }
        r.dwellings.push(DwellingRecord {
            id: d.id,
            details: d.details,
            surveyed_on: d.surveyed_on,
        });
    }

    for p in s.people {
        position("membership", p.last_membership, n_memberships)?;
        position("membership", p.active, n_memberships)?;
        let at = ix(r.people.len());
        if r.index.people.contains(&p.person.id) {
            return Err(format!("person {} is stored twice", p.person.id));
        }
        r.index.people.insert(p.person.id, at);
        r.hot.push(Hot::of(&p.person, &p.facts));
        r.people.push(PersonRecord {
            name_key: name_key(p.person.name.as_str()),
            person: p.person,
            facts: p.facts,
            died_on: p.died_on,
            merged_into: p.merged_into,
            merged_from: p.merged_from,
            last_membership: p.last_membership,
            active: p.active,
        });
    }

    for h in s.households {
        let at = ix(r.households.len());
        let mut active = Memberships::new();
        for &m in &h.history {
            let Some(stored) = s.memberships.get(m as usize) else {
                return Err(format!("household {} lists membership {m}, out of range", h.id));
            };
            if stored.household != at {
                return Err(format!("household {} lists membership {m} of another", h.id));
            }
            if stored.end.is_none() {
                active.push(m);
            }
        }
        let dwelling_ix = match h.dwelling {
            Some(d) => {
                Some(*r.index.dwellings.get(&d).ok_or_else(|| format!("dwelling {d} is unknown"))?)
            }
            None => None,
        };
        if r.index.households.contains(&h.id) {
            return Err(format!("household {} is stored twice", h.id));
        }
        r.index.households.insert(h.id, at);
        if let (Some(n), None) = (h.number, h.dissolved_on)
            && r.index.numbers.insert(n, at).is_some()
        {
            return Err(format!("number {n} is on two active households"));
        }
        r.household_ids.push(h.id);
        r.households.push(Household {
            id: h.id,
            number: h.number,
            kelurahan: h.kelurahan,
            rt: h.rt,
            rw: h.rw,
            address: h.address,
            phone: h.phone,
            geo: h.geo,
            consent: h.consent,
            dwelling: h.dwelling,
            welfare: h.welfare,
            incidents: h.incidents,
            distributions: h.distributions,
            head: h.head,
            registered_on: h.registered_on,
            dissolved_on: h.dissolved_on,
            active,
            history: h.history.into_iter().collect(),
            dwelling_ix,
        });
    }

    for (m, stored) in s.memberships.into_iter().enumerate() {
        let (Some(person), Some(household)) =
            (r.people.get(stored.person as usize), r.households.get(stored.household as usize))
        else {
            return Err(format!("membership {m} names a person or household out of range"));
        };
        if stored.previous.is_some_and(|p| p as usize >= m) {
            return Err(format!("membership {m} links forward"));
        }
        r.memberships.push(Membership {
            person: person.person.id,
            household: household.id,
            relationship: stored.relationship,
            start: stored.start,
            joined: stored.joined,
            end: stored.end,
            person_ix: stored.person,
            household_ix: stored.household,
            previous: stored.previous,
        });
    }
    for (p, person) in r.people.iter().enumerate() {
        let own = |m: Option<u32>| {
            m.and_then(|m| r.memberships.get(m as usize)).is_none_or(|m| m.person_ix == ix(p))
        };
        if !own(person.last_membership) || !own(person.active) {
            return Err(format!("person {} points at another's membership", person.person.id));
        }
    }

    for (p, person) in r.people.iter().enumerate() {
        if let (Some(nik), None) = (person.person.nik, person.merged_into)
            && r.index.niks.insert(nik, ix(p)).is_some()
        {
            return Err("a NIK is on two current persons".to_owned());
        }
    }
    // A merged record's NIK passed to its survivor (merging refuses two
    // different NIKs), so a current record holds it.
    if r.people.iter().any(|p| p.person.nik.is_some_and(|n| !r.index.niks.contains_key(&n))) {
        return Err("a merged record's NIK is held by no current record".to_owned());
    }

    r.dismissed = s.dismissed.into_iter().collect::<BTreeSet<_>>();
    r.received = r.computed_received();
    r.scan = (0..r.households.len())
        .map(|h| r.computed_scan_row(ix(h)).ok_or_else(|| format!("household {h} is missing")))
        .collect::<Result<_, _>>()?;
    match r.audit().into_iter().next() {
        Some(problem) => Err(problem),
        None => Ok(r),
    }
}

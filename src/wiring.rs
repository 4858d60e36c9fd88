//! Cross-domain steps: what one domain's records mean for another's
//! commands. Domain crates never depend on each other; these functions read
//! one book's state and return commands (or facts) for another, so the
//! integrator still runs every change through a `Book` and its journal.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use tangguh_core::{HouseholdId, IncidentId, PersonId, RegionCode};
use tangguh_curriculum::Curriculum;
use tangguh_ledger::{Ledger, LoanId, LoanStatus};
use tangguh_registry::Registry;
use tangguh_roster::{Roster, RosterCommand};

/// The roster commands that record, for every volunteer, the credentials the
/// curriculum has certified them with and that are valid on `on` but not yet
/// on the roster (matched by competency and certificate number).
///
/// A certificate issued by the curriculum thus becomes a roster credential,
/// with its validity (and any revocation) carried over; the roster then
/// checks it for the whole of each shift.
#[must_use]
pub fn credential_commands(
    curriculum: &Curriculum,
    roster: &Roster,
    on: NaiveDate,
) -> Vec<RosterCommand> {
    let mut commands = Vec::new();
    for volunteer in roster.volunteers() {
        for credential in curriculum.credentials_on(volunteer.person(), on) {
            let known = volunteer.credentials.iter().any(|c| {
                c.competency == credential.competency
                    && c.certificate_number == credential.certificate_number
            });
            if !known {
                commands
                    .push(RosterCommand::RecordCredential { volunteer: volunteer.id, credential });
            }
        }
    }
    commands
}

/// A borrower whose household an incident hit: a candidate for loan relief.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
#[non_exhaustive]
pub struct ReliefCandidate {
    /// The loan.
    pub loan: LoanId,
    /// The borrower.
    pub borrower: PersonId,
    /// The borrower's household, as the registry knows it.
    pub household: HouseholdId,
    /// The household's kelurahan.
    pub kelurahan: RegionCode,
}

/// The active loans of borrowers living in households for which the registry
/// recorded an impact of `incident`: the ones a relief policy may
/// restructure. In loan order.
#[must_use]
pub fn relief_candidates(
    registry: &Registry,
    ledger: &Ledger,
    incident: IncidentId,
) -> Vec<ReliefCandidate> {
    let mut out = Vec::new();
    for loan in ledger.loans() {
        if loan.status() != LoanStatus::Active {
            continue;
        }
        let Some(household) = registry.household_of(loan.borrower()) else { continue };
        if household.incidents.iter().any(|impact| impact.incident == incident) {
            out.push(ReliefCandidate {
                loan: loan.id(),
                borrower: loan.borrower(),
                household: household.id,
                kelurahan: household.kelurahan,
            });
        }
    }
    out.sort();
    out
}

/// The person → household and household → kelurahan maps of the registry's
/// active households, as the curriculum's coverage report and the ledger's
/// portfolio report take them.
#[must_use]
pub fn household_maps(
    registry: &Registry,
) -> (BTreeMap<PersonId, HouseholdId>, BTreeMap<HouseholdId, RegionCode>) {
    let mut person_household = BTreeMap::new();
    let mut household_kelurahan = BTreeMap::new();
    for household in registry.households().filter(|h| h.is_active()) {
        household_kelurahan.insert(household.id, household.kelurahan);
        for (person, _) in registry.members(household.id) {
            person_household.insert(person.person.id, household.id);
        }
    }
    (person_household, household_kelurahan)
}

/// The households an incident hit, as the registry recorded them.
#[must_use]
pub fn affected_households(registry: &Registry, incident: IncidentId) -> BTreeSet<HouseholdId> {
    registry
        .households()
        .filter(|h| h.incidents.iter().any(|impact| impact.incident == incident))
        .map(|h| h.id)
        .collect()
}

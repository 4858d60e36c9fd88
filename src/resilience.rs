//! The resilience report: one function over the four books.
//!
//! For each kelurahan, the four pillars of the district's resilience plan:
//! **community** (active volunteers per 100 households), **education**
//! (households with a member holding a valid preparedness credential),
//! **economy** (households with an active loan, PAR30, restructured loans)
//! and **stakeholders** (organisations involved and what each did), plus the
//! response to an incident (affected households reached, shifts filled,
//! vulnerable households assisted).

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::Serialize;
use tangguh_core::{
    Currency, Gazetteer, HouseholdId, IncidentId, Organization, OrganizationId, RegionCode,
};
use tangguh_curriculum::Curriculum;
use tangguh_ledger::{KolektibilitasTable, Ledger, LedgerError, LoanStatus};
use tangguh_registry::{Criteria, Registry, Round, VulnerabilityThresholds};
use tangguh_roster::Roster;

use crate::wiring::{affected_households, household_maps};

/// What the report is computed over besides the books.
#[derive(Clone, Copy, Debug)]
#[non_exhaustive]
pub struct ReportScope<'a> {
    /// The report date.
    pub as_of: NaiveDate,
    /// Region names.
    pub gazetteer: &'a Gazetteer,
    /// The organisations taking part (the books refer to them by id).
    pub organizations: &'a [Organization],
    /// The incident whose response is reported, with its assistance round.
    pub incident: Option<(IncidentId, &'a Round)>,
    /// The loan currency.
    pub currency: Currency,
}

impl<'a> ReportScope<'a> {
    /// A scope without an incident, in rupiah.
    #[must_use]
    pub fn new(
        as_of: NaiveDate,
        gazetteer: &'a Gazetteer,
        organizations: &'a [Organization],
    ) -> Self {
        Self { as_of, gazetteer, organizations, incident: None, currency: Currency::IDR }
    }

    /// The same scope, reporting the response to `incident` and its
    /// assistance `round`.
    #[must_use]
    pub fn with_incident(self, incident: IncidentId, round: &'a Round) -> Self {
        Self { incident: Some((incident, round)), ..self }
    }
}

/// The response to one incident in one kelurahan.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Response {
    /// Households the registry recorded an impact for.
    pub affected: usize,
    /// Affected households that received the round's assistance.
    pub reached: usize,
    /// Affected households with a vulnerable member or desil 1–4.
    pub vulnerable_affected: usize,
    /// Of those, how many received the round's assistance.
    pub vulnerable_assisted: usize,
}

/// One kelurahan's line of the report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct KelurahanLine {
    /// The kelurahan.
    pub kelurahan: RegionCode,
    /// Its name.
    pub name: String,
    /// Active households.
    pub households: usize,
    /// Community: active volunteers living here (roster's activity rule).
    pub active_volunteers: usize,
    /// Community: active volunteers per 100 households, one decimal.
    pub volunteers_per_100_households: Decimal,
    /// Education: households with a member holding a valid preparedness
    /// credential on the report date.
    pub prepared_households: usize,
    /// Economy: households with an active loan or a koperasi member with
    /// savings.
    pub households_with_loan_or_savings: usize,
    /// Economy: active loans of borrowers living here.
    pub active_loans: usize,
    /// Economy: their outstanding principal.
    pub outstanding_principal: Decimal,
    /// Economy: outstanding principal of those loans more than 30 days late.
    pub principal_at_risk_30: Decimal,
    /// Economy: PAR30 in percent (two decimals), if anything is outstanding.
    pub par30_percent: Option<Decimal>,
    /// Economy: active loans restructured for disaster relief.
    pub restructured_loans: usize,
    /// The incident response, if the scope names an incident.
    pub response: Option<Response>,
}

/// What one organisation did, as the books record it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct StakeholderLine {
    /// The organisation.
    pub organization: OrganizationId,
    /// Its name.
    pub name: String,
    /// Its kind, in snake case.
    pub kind: String,
    /// Training cohorts it led.
    pub cohorts_led: usize,
    /// Training cohorts it supported as a partner.
    pub cohorts_partnered: usize,
    /// Volunteers engaged with it.
    pub volunteers: usize,
    /// Assistance distributions it handed out.
    pub distributions: usize,
}

/// Shift coverage of the incident.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ShiftCoverage {
    /// Shifts posted.
    pub shifts: usize,
    /// Seats required over all shifts.
    pub seats_required: u64,
    /// Seats filled by committed or completed assignments.
    pub seats_filled: u64,
}

/// The resilience report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct ResilienceReport {
    /// The report date.
    pub as_of: NaiveDate,
    /// One line per kelurahan with households, in code order.
    pub kelurahan: Vec<KelurahanLine>,
    /// One line per organisation, in the order given.
    pub stakeholders: Vec<StakeholderLine>,
    /// The incident's shift coverage, if the scope names one.
    pub shifts: Option<ShiftCoverage>,
    /// The ledger's own PAR30 over the whole portfolio, in percent.
    pub ledger_par30_percent: Option<Decimal>,
}

/// Computes the report over the four books.
///
/// # Errors
///
/// [`LedgerError::Overflow`] if loan amounts overflow.
pub fn resilience_report(
    registry: &Registry,
    roster: &Roster,
    curriculum: &Curriculum,
    ledger: &Ledger,
    scope: &ReportScope<'_>,
) -> Result<ResilienceReport, LedgerError> {
    let as_of = scope.as_of;
    let (person_household, household_kelurahan) = household_maps(registry);
    let coverage = curriculum.coverage(as_of, &person_household, &household_kelurahan);

    let mut lines: BTreeMap<RegionCode, KelurahanLine> = BTreeMap::new();
    for (household, kelurahan) in &household_kelurahan {
        let _ = household;
        let line = lines.entry(*kelurahan).or_insert_with(|| KelurahanLine {
            kelurahan: *kelurahan,
            name: scope.gazetteer.name(*kelurahan).unwrap_or("?").to_owned(),
            households: 0,
            active_volunteers: 0,
            volunteers_per_100_households: Decimal::ZERO,
            prepared_households: coverage
                .get(kelurahan)
                .map_or(0, |c| usize::try_from(c.covered).unwrap_or(usize::MAX)),
            households_with_loan_or_savings: 0,
            restructured_loans: 0,
            active_loans: 0,
            outstanding_principal: Decimal::ZERO,
            principal_at_risk_30: Decimal::ZERO,
            par30_percent: None,
            response: scope.incident.map(|_| Response::default()),
        });
        line.households += 1;
    }

    // Community.
    for volunteer in roster.active_volunteers(as_of) {
        let Some(v) = roster.volunteer(volunteer) else { continue };
        if let Some(line) = lines.get_mut(&v.profile.home) {
            line.active_volunteers += 1;
        }
    }

    // Economy.
    let mut with_loan: BTreeSet<HouseholdId> = BTreeSet::new();
    for loan in ledger.loans() {
        if loan.status() != LoanStatus::Active || loan.currency() != scope.currency {
            continue;
        }
        let Some(household) = person_household.get(&loan.borrower()) else { continue };
        let Some(line) = household_kelurahan.get(household).and_then(|k| lines.get_mut(k)) else {
            continue;
        };
        with_loan.insert(*household);
        let principal = loan.outstanding()?.principal;
        line.active_loans += 1;
        line.outstanding_principal = add(line.outstanding_principal, principal)?;
        if loan.days_past_due(as_of) > 30 {
            line.principal_at_risk_30 = add(line.principal_at_risk_30, principal)?;
        }
        if ledger.is_restructured(loan.id()) {
            line.restructured_loans += 1;
        }
    }
    for member in ledger.members().filter(|m| m.is_active()) {
        let has_savings = member.balances.total().is_ok_and(|t| t > Decimal::ZERO);
        if let Some(household) = person_household.get(&member.person).filter(|_| has_savings) {
            with_loan.insert(*household);
        }
    }
    for household in &with_loan {
        if let Some(line) = household_kelurahan.get(household).and_then(|k| lines.get_mut(k)) {
            line.households_with_loan_or_savings += 1;
        }
    }

    // Response.
    let mut shifts = None;
    if let Some((incident, round)) = scope.incident {
        let affected = affected_households(registry, incident);
        let vulnerable = Criteria::Any(vec![
            Criteria::AnyVulnerable,
            Criteria::DesilAtMost { desil: 4, max_age_days: None },
        ]);
        let vulnerable: BTreeSet<HouseholdId> = registry
            .target(&vulnerable, as_of, &VulnerabilityThresholds::default())
            .into_iter()
            .map(|e| e.household)
            .collect();
        for household in &affected {
            let Some(h) = registry.household(*household) else { continue };
            let Some(response) = lines.get_mut(&h.kelurahan).and_then(|l| l.response.as_mut())
            else {
                continue;
            };
            let reached = h.distributions.iter().any(|d| &d.round == round);
            response.affected += 1;
            response.reached += usize::from(reached);
            if vulnerable.contains(household) {
                response.vulnerable_affected += 1;
                response.vulnerable_assisted += usize::from(reached);
            }
        }
        let mut coverage = ShiftCoverage::default();
        for shift in roster.shifts_of(incident) {
            let (filled, required) = roster.seats(shift.id);
            coverage.shifts += 1;
            coverage.seats_required += u64::from(required);
            coverage.seats_filled += u64::from(filled);
        }
        shifts = Some(coverage);
    }

    for line in lines.values_mut() {
        if line.households > 0 {
            line.volunteers_per_100_households = Decimal::from(line.active_volunteers)
                .checked_mul(Decimal::ONE_HUNDRED)
                .and_then(|v| v.checked_div(Decimal::from(line.households)))
                .map_or(Decimal::ZERO, |v| {
                    v.round_dp_with_strategy(1, RoundingStrategy::MidpointNearestEven)
                });
        }
        line.par30_percent = percent(line.principal_at_risk_30, line.outstanding_principal);
    }

    // Stakeholders.
    let mut stakeholders = Vec::new();
    for org in scope.organizations {
        let cohorts_led = curriculum.cohorts().filter(|c| c.organisers.lead == org.id).count();
        let cohorts_partnered =
            curriculum.cohorts().filter(|c| c.organisers.partners.contains(&org.id)).count();
        let volunteers = roster.volunteers().filter(|v| v.profile.organization == org.id).count();
        let distributions = registry
            .households()
            .flat_map(|h| h.distributions.iter())
            .filter(|d| d.organization == org.id)
            .count();
        stakeholders.push(StakeholderLine {
            organization: org.id,
            name: org.name.to_string(),
            kind: serde_json::to_value(org.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            cohorts_led,
            cohorts_partnered,
            volunteers,
            distributions,
        });
    }

    let portfolio =
        ledger.portfolio_report(as_of, scope.currency, &KolektibilitasTable::default())?;
    let ledger_par30_percent = portfolio
        .par
        .iter()
        .find(|line| line.days == 30)
        .and_then(|line| percent(line.principal_at_risk, portfolio.gross_principal));

    Ok(ResilienceReport {
        as_of,
        kelurahan: lines.into_values().collect(),
        stakeholders,
        shifts,
        ledger_par30_percent,
    })
}

fn add(a: Decimal, b: Decimal) -> Result<Decimal, LedgerError> {
    a.checked_add(b).ok_or(LedgerError::Overflow { operation: "resilience report sum" })
}

/// `part / whole × 100` to two decimals, half-even; `None` if `whole` is 0.
fn percent(part: Decimal, whole: Decimal) -> Option<Decimal> {
    if whole.is_zero() {
        return None;
    }
    part.checked_mul(Decimal::ONE_HUNDRED)
        .and_then(|v| v.checked_div(whole))
        .map(|v| v.round_dp_with_strategy(2, RoundingStrategy::MidpointNearestEven))
}

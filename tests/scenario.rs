//! The Rakumpit scenario on a small seed: the report must agree with the
//! books, and a reopened store must continue exactly where it stopped.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use std::collections::BTreeSet;

use rust_decimal::Decimal;
use tangguh::core::{CompetencyCode, HouseholdId};
use tangguh::scenario::{Quiet, Rakumpit, ScenarioOptions};
use tangguh::wiring::{affected_households, household_maps};

fn options() -> ScenarioOptions {
    let mut options = ScenarioOptions::default();
    options.seed = 11;
    options.households = 120;
    options
}

fn temp_store(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("tangguh-scenario-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir.join("rakumpit.db")
}

#[test]
fn the_report_agrees_with_the_books_and_a_reopened_store_continues() {
    let path = temp_store("report");
    let mut district = Rakumpit::open(&path, options()).unwrap();
    assert_eq!(district.phase(), 0);
    let first = district.run_next(&mut Quiet).unwrap();
    assert_eq!(district.phase(), 1);
    let report = &first.report;
    let as_of = report.as_of;

    // Every kelurahan with households has a line; households add up.
    let households = district.registry().households().filter(|h| h.is_active()).count();
    assert_eq!(report.kelurahan.iter().map(|l| l.households).sum::<usize>(), households);
    assert_eq!(report.kelurahan.len(), 7);

    // Response: reached ≤ affected, assisted ≤ vulnerable, and the affected
    // count is the registry's own.
    let affected = affected_households(district.registry(), first.incident);
    assert!(!affected.is_empty());
    let mut total_affected = 0;
    for line in &report.kelurahan {
        let r = line.response.clone().unwrap();
        assert!(r.reached <= r.affected, "{}", line.name);
        assert!(r.vulnerable_assisted <= r.vulnerable_affected, "{}", line.name);
        assert!(r.vulnerable_affected <= r.affected, "{}", line.name);
        if !first.hit.contains(&line.kelurahan) {
            assert_eq!(r.affected, 0, "{} was not hit", line.name);
        }
        total_affected += r.affected;
    }
    assert_eq!(total_affected, affected.len());

    // Shifts: filled ≤ required, and some were filled by qualified people.
    let shifts = report.shifts.unwrap();
    assert!(shifts.seats_filled <= shifts.seats_required);
    assert!(shifts.seats_filled > 0);

    // Education: recount prepared households from the curriculum's
    // credentials valid on the report date.
    let preparedness = CompetencyCode::try_new("PB.SIAGA-BANJIR").unwrap();
    let (person_household, household_kelurahan) = household_maps(district.registry());
    let mut prepared: BTreeSet<HouseholdId> = BTreeSet::new();
    for (person, household) in &person_household {
        let credentials = district.curriculum().credentials_on(*person, as_of);
        if credentials.iter().any(|c| c.competency == preparedness && c.is_valid_on(as_of)) {
            prepared.insert(*household);
        }
    }
    for line in &report.kelurahan {
        let expected =
            prepared.iter().filter(|h| household_kelurahan.get(h) == Some(&line.kelurahan)).count();
        assert_eq!(line.prepared_households, expected, "{}", line.name);
        assert!(line.prepared_households <= line.households);
    }
    assert!(!prepared.is_empty());

    // Community: every counted volunteer is active by the roster's own rule.
    let active = district.roster().active_volunteers(as_of);
    assert_eq!(report.kelurahan.iter().map(|l| l.active_volunteers).sum::<usize>(), active.len());

    // Economy: the kelurahan lines add up to the ledger's own PAR30 (every
    // borrower lives in a registered household).
    let outstanding: Decimal = report.kelurahan.iter().map(|l| l.outstanding_principal).sum();
    let at_risk: Decimal = report.kelurahan.iter().map(|l| l.principal_at_risk_30).sum();
    assert!(outstanding > Decimal::ZERO);
    let district_par30 = (at_risk * Decimal::ONE_HUNDRED / outstanding).round_dp(2);
    assert_eq!(Some(district_par30), report.ledger_par30_percent);
    for line in &report.kelurahan {
        assert!(line.principal_at_risk_30 <= line.outstanding_principal);
        assert!(line.households_with_loan_or_savings <= line.households);
        assert!(line.restructured_loans <= line.active_loans);
    }

    // Relief: every candidate's loan was restructured, and the report counts
    // exactly those.
    assert!(first.relief_candidates > 0);
    assert_eq!(first.relieved_loans, first.relief_candidates);
    let restructured: usize = report.kelurahan.iter().map(|l| l.restructured_loans).sum();
    assert_eq!(restructured, first.relieved_loans);

    // Stakeholders: the Dinas Sosial handed out exactly the round.
    let reached: usize = report.kelurahan.iter().map(|l| l.response.clone().unwrap().reached).sum();
    let dinsos = report.stakeholders.iter().find(|s| s.name.starts_with("Dinas Sosial")).unwrap();
    assert_eq!(dinsos.distributions, reached);

    // Reopen: the same books, nothing lost, loaded from the snapshots the
    // phase ended with.
    let registry = district.registry().clone();
    let roster = district.roster().clone();
    let curriculum = district.curriculum().clone();
    let ledger = district.ledger().clone();
    let streams = district.streams().unwrap();
    drop(district);
    let same_books = |district: &Rakumpit| {
        assert_eq!(district.registry(), &registry);
        assert_eq!(district.roster(), &roster);
        assert_eq!(district.curriculum(), &curriculum);
        assert_eq!(district.ledger(), &ledger);
        assert_eq!(district.streams().unwrap(), streams);
        assert_eq!(district.phase(), 1);
    };
    let district = Rakumpit::open(&path, options()).unwrap();
    same_books(&district);
    assert_eq!(district.opened().len(), 4);
    for (stream, report) in district.opened() {
        let records = streams.iter().find(|(s, _)| s == stream).map(|&(_, n)| n);
        assert_eq!(report.snapshot, records, "{stream} opened from its snapshot");
        assert_eq!(report.replayed, 0, "{stream}");
        assert!(report.rejected.is_empty(), "{stream}: {:?}", report.rejected);
    }
    drop(district);
    // Without snapshots, replaying the journals gives the same books.
    let store = tangguh::store::Store::open(&path).unwrap();
    for (stream, _) in &streams {
        store.prune_snapshots(stream, 0).unwrap();
    }
    drop(store);
    let mut district = Rakumpit::open(&path, options()).unwrap();
    same_books(&district);
    for (stream, report) in district.opened() {
        assert_eq!(report.snapshot, None, "{stream}");
        let records = streams.iter().find(|(s, _)| s == stream).map(|&(_, n)| n);
        assert_eq!(Some(report.replayed), records, "{stream} replayed in full");
    }

    // And it continues: a second flood elsewhere.
    let second = district.run_next(&mut Quiet).unwrap();
    assert_eq!(district.phase(), 2);
    assert_ne!(second.incident, first.incident);
    assert!(second.report.as_of > first.report.as_of);
    let after: Vec<(String, u64)> = district.streams().unwrap();
    for ((name, before), (name_after, now)) in streams.iter().zip(&after) {
        assert_eq!(name, name_after);
        assert!(now >= before, "{name} lost records");
    }
    let _ = std::fs::remove_dir_all(path.parent().unwrap());
}

#[test]
fn a_second_writer_is_refused() {
    let path = temp_store("lock");
    let _first = Rakumpit::open(&path, options()).unwrap();
    let second = Rakumpit::open(&path, options());
    assert!(second.is_err(), "two writers on one store");
    let _ = std::fs::remove_dir_all(path.parent().unwrap());
}

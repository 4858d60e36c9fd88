//! Queries: lookups, regions, vulnerability, targeting.

use tangguh_core::{Nik, Sex};
use tangguh_registry::{
    Criteria, DamageLevel, Desil, Disability, DisabilityKind, Dwelling, DwellingFlag,
    IncidentImpact, Maternal, MaternalStatus, MemberFacts, Neighbourhood, Reason,
    RecordDistribution, RecordIncidentImpact, RegistryCommand as C, Relationship, Severity, Source,
    UpdateDwelling, UpdateMemberFacts, UpdateWelfare, Vulnerability, VulnerabilityThresholds,
    Welfare,
};

use crate::commands::sembako;
use crate::{MUNGKU_BARU, PETUK_BUKIT, T, d, today};

#[test]
fn lookups_by_id_nik_and_region() {
    let mut t = T::new();
    let nik: Nik = "6271054508900001".parse().unwrap();
    let head = t.person("Siti", d(1990, 8, 5), Sex::Female).with_nik(nik);
    let cmd = t.register_cmd(MUNGKU_BARU, head.clone());
    t.ok(C::RegisterHousehold(cmd.clone()));
    let (b, _) = t.household(PETUK_BUKIT);
    assert_eq!(t.reg.person_by_nik(&nik).unwrap().person.id, head.id);
    assert_eq!(t.reg.household(cmd.household).unwrap().kelurahan.to_string(), MUNGKU_BARU);
    assert_eq!(t.reg.households_in("62.71.05".parse().unwrap(), None).len(), 2);
    assert_eq!(t.reg.households_in(PETUK_BUKIT.parse().unwrap(), None)[0].id, b);
    assert_eq!(
        t.reg
            .households_in(MUNGKU_BARU.parse().unwrap(), Some(Neighbourhood::new(1).unwrap()))
            .len(),
        1
    );
    assert!(
        t.reg
            .households_in(MUNGKU_BARU.parse().unwrap(), Some(Neighbourhood::new(9).unwrap()))
            .is_empty()
    );
    t.add(b, "Anak", d(2024, 1, 1), Sex::Male, Relationship::Child);
    assert_eq!(t.reg.people_in(PETUK_BUKIT.parse().unwrap(), None).len(), 2);
    assert_eq!(t.reg.household_count(), 2);
    assert_eq!(t.reg.person_count(), 3);
}

#[test]
fn vulnerability_as_of_a_date_with_thresholds() {
    let mut t = T::new();
    let (h, head) = t.household(MUNGKU_BARU);
    let balita = t.add(h, "Bayi", d(2022, 1, 1), Sex::Female, Relationship::Child);
    let nenek = t.add(h, "Nenek", d(1963, 6, 1), Sex::Female, Relationship::Parent);
    let th = VulnerabilityThresholds::default();
    assert_eq!(t.reg.vulnerability(balita, today(), &th), vec![Vulnerability::Balita]);
    // turns five on 2027-01-01
    assert!(t.reg.vulnerability(balita, d(2027, 1, 1), &th).is_empty());
    assert_eq!(t.reg.vulnerability(nenek, today(), &th), vec![Vulnerability::Lansia]);
    let openspp = VulnerabilityThresholds { lansia_from: 65, ..th };
    assert!(t.reg.vulnerability(nenek, today(), &openspp).is_empty());
    assert!(t.reg.vulnerability(head, today(), &th).is_empty());
    let facts = MemberFacts {
        disability: Some(Disability::new(DisabilityKind::Visual, Severity::CannotDoAtAll)),
        chronic_illness: Some(tangguh_registry::ChronicIllness::Diabetes),
        ..MemberFacts::default()
    };
    t.ok(C::UpdateMemberFacts(UpdateMemberFacts { person: head, facts, date: d(2026, 2, 1) }));
    assert_eq!(
        t.reg.vulnerability(head, today(), &th),
        vec![Vulnerability::Disability, Vulnerability::ChronicIllness]
    );
    let no_chronic = VulnerabilityThresholds { chronic_illness: false, ..th };
    assert_eq!(t.reg.vulnerability(head, today(), &no_chronic), vec![Vulnerability::Disability]);
    let mother = t.add(h, "Ibu", d(1995, 1, 1), Sex::Female, Relationship::ChildInLaw);
    let facts = MemberFacts {
        maternal: Some(Maternal::new(MaternalStatus::Pregnant, d(2026, 2, 1))),
        ..MemberFacts::default()
    };
    t.ok(C::UpdateMemberFacts(UpdateMemberFacts { person: mother, facts, date: d(2026, 2, 1) }));
    assert_eq!(t.reg.vulnerability(mother, d(2026, 6, 1), &th), vec![Vulnerability::Pregnant]);
    // a pregnancy recorded in February is stale by December
    assert!(t.reg.vulnerability(mother, d(2026, 12, 31), &th).is_empty());
    assert!(t.reg.vulnerability(mother, d(2026, 1, 1), &th).is_empty());
    let members = t.reg.vulnerable_members(h, today(), &th);
    assert_eq!(members.len(), 4);
}

#[test]
fn targeting_from_json_with_reasons() {
    let mut t = T::new();
    let (poor, _) = t.household(MUNGKU_BARU);
    let (rich, _) = t.household(MUNGKU_BARU);
    let (far, _) = t.household(PETUK_BUKIT);
    let baby = t.add(poor, "Bayi", d(2025, 1, 1), Sex::Male, Relationship::Child);
    let src = Source::try_new("DTSEN 2026-Q3").unwrap();
    for (h, desil) in [(poor, 2), (rich, 9), (far, 1)] {
        let welfare = Welfare::new(Desil::new(desil).unwrap(), src.clone(), d(2026, 9, 30));
        t.ok(C::UpdateWelfare(UpdateWelfare { household: h, welfare }));
    }
    let flood = t.ids.next_id();
    let impact = IncidentImpact::new(flood, d(2026, 11, 20), 90, DamageLevel::Heavy);
    t.ok(C::RecordIncidentImpact(RecordIncidentImpact { household: poor, impact }));
    let dwelling = t.ids.next_id();
    let details = Dwelling {
        stilt_house: false,
        floor_height_cm: Some(20),
        distance_to_river_m: Some(50),
        river_only_access: true,
        ..Dwelling::default()
    };
    t.ok(C::UpdateDwelling(UpdateDwelling {
        dwelling,
        households: vec![poor],
        details,
        date: d(2026, 2, 1),
    }));
    let dist = sembako(&t, 1, d(2026, 11, 21));
    let round = dist.round.clone();
    t.ok(C::RecordDistribution(RecordDistribution { household: rich, distribution: dist }));

    let json = serde_json::json!({"all": [
        {"region": "62.71.05.1004"},
        {"desil_at_most": {"desil": 4, "max_age_days": 365}},
        {"any": [{"member": {"min_age": null, "max_age": null, "vulnerability": "balita"}}, {"member": {"min_age": 60, "max_age": null, "vulnerability": null}}]},
        {"affected_by": {"incident": flood.to_string(), "min_depth_cm": 50, "min_damage": "moderate", "displaced": null}},
        {"dwelling": "not_stilt_house"},
        {"dwelling": "river_only_access"},
        {"dwelling": {"floor_below_cm": 50}},
        {"dwelling": {"within_of_river_m": 100}},
        {"not_received": {"programme": "banjir Des 2026 sembako", "round": 1}},
        {"not": {"received": {"programme": "banjir Des 2026 sembako", "round": 1}}}
    ]});
    let criteria: Criteria = serde_json::from_value(json).unwrap();
    assert_eq!(
        serde_json::from_value::<Criteria>(serde_json::to_value(&criteria).unwrap()).unwrap(),
        criteria
    );
    let th = VulnerabilityThresholds::default();
    let eligible = t.reg.target(&criteria, today(), &th);
    assert_eq!(eligible.len(), 1);
    assert_eq!(eligible[0].household, poor);
    let reasons = &eligible[0].reasons;
    assert!(reasons.contains(&Reason::Desil { desil: 2, as_of: d(2026, 9, 30) }));
    assert!(
        reasons
            .iter()
            .any(|r| matches!(r, Reason::Member { person, age: 1, .. } if *person == baby))
    );
    assert!(reasons.iter().any(|r| matches!(r, Reason::Affected { water_depth_cm: 90, .. })));
    assert!(reasons.contains(&Reason::NotReceived(round.clone())));
    assert_eq!(t.reg.count_eligible(&criteria, today(), &th), 1);

    // stale desil
    let stale = Criteria::DesilAtMost { desil: 4, max_age_days: Some(30) };
    assert!(t.reg.target(&stale, today(), &th).is_empty());
    let received = Criteria::Received(round);
    assert_eq!(t.reg.target(&received, today(), &th)[0].household, rich);
    let any_empty = Criteria::Any(vec![]);
    assert!(t.reg.target(&any_empty, today(), &th).is_empty());
    assert_eq!(t.reg.target(&Criteria::All(vec![]), today(), &th).len(), 3);
    assert_eq!(t.reg.target(&Criteria::AnyVulnerable, today(), &th).len(), 1);
    assert!(t.reg.target(&Criteria::Dwelling(DwellingFlag::StiltHouse), today(), &th).is_empty());
}

#[test]
fn duplicate_candidates_are_scored_with_reasons_and_dismissable() {
    use tangguh_registry::{DismissDuplicate, DuplicateReason, UpdateContact};
    let mut t = T::new();
    // same name + birth date in the same kelurahan, different households
    let (a, budi1) = t.household(MUNGKU_BARU);
    let (b, budi2) = t.household(MUNGKU_BARU);
    // NIK encodes the other's recorded birth date (recorded date corrected)
    let nik: Nik = "6271054101800001".parse().unwrap();
    let x1 = t.person("Ani  Lestari", d(1980, 1, 2), Sex::Female).with_nik(nik);
    let x2 = t.person("ANI LESTARI", d(1980, 1, 1), Sex::Female);
    let (x1i, x2i) = (x1.id, x2.id);
    t.ok(C::RegisterHousehold(t.register_cmd(PETUK_BUKIT, x1)));
    t.ok(C::RegisterHousehold(t.register_cmd(MUNGKU_BARU, x2)));
    // same phone on two heads
    let phone: tangguh_registry::Phone = "0812 1111 2222".parse().unwrap();
    for h in [a, b] {
        t.ok(C::UpdateContact(UpdateContact {
            household: h,
            phone: Some(phone.clone()),
            geo: None,
            consent: None,
            date: d(2026, 3, 1),
        }));
    }
    let unrelated = t.add(a, "Lain", d(2001, 1, 1), Sex::Male, Relationship::Child);
    let candidates = t.reg.duplicate_candidates(today(), 0);
    assert_eq!(candidates.len(), 2, "{candidates:?}");
    let top = &candidates[0];
    assert_eq!((top.first, top.second), (budi1, budi2));
    assert_eq!(
        top.reasons,
        vec![
            DuplicateReason::SameNameAndBirthDate,
            DuplicateReason::SamePhone,
            DuplicateReason::SameKelurahan,
            DuplicateReason::SameSex
        ]
    );
    assert_eq!(top.score, 120);
    let second = &candidates[1];
    assert_eq!((second.first, second.second), (x1i, x2i));
    assert_eq!(
        second.reasons,
        vec![DuplicateReason::NikEncodesBirthDate, DuplicateReason::SameSex]
    );
    assert!(candidates.iter().all(|c| c.first != unrelated && c.second != unrelated));
    assert_eq!(t.reg.duplicate_candidates(today(), 100).len(), 1);
    t.ok(C::DismissDuplicate(DismissDuplicate {
        first: budi2,
        second: budi1,
        date: d(2026, 11, 1),
        note: None,
    }));
    let after = t.reg.duplicate_candidates(today(), 0);
    assert_eq!(after.len(), 1);
    assert_eq!(after[0].first, x1i);
}

#[test]
fn statistics_per_kelurahan_with_suppression() {
    use tangguh_registry::{Cell, StatsOptions};
    let mut t = T::new();
    let (a, head) = t.household(MUNGKU_BARU);
    t.add(a, "Bayi", d(2025, 1, 1), Sex::Female, Relationship::Child);
    t.add(a, "Nenek", d(1950, 1, 1), Sex::Female, Relationship::Parent);
    let (b, _) = t.household(MUNGKU_BARU);
    let (_, _) = t.household(PETUK_BUKIT);
    let flood = t.ids.next_id();
    let mut impact = IncidentImpact::new(flood, d(2026, 11, 20), 90, DamageLevel::Heavy);
    impact.displaced = true;
    t.ok(C::RecordIncidentImpact(RecordIncidentImpact { household: b, impact }));
    t.ok(C::RecordDistribution(RecordDistribution {
        household: a,
        distribution: sembako(&t, 1, d(2026, 11, 21)),
    }));
    t.ok(C::EndMembership(tangguh_registry::EndMembership::new(
        head,
        tangguh_registry::EndReason::Death,
        d(2026, 11, 1),
    )));
    let mut options = StatsOptions::on(today());
    options.incident = Some(flood);
    let stats = t.reg.statistics(&options);
    let mb = &stats[&MUNGKU_BARU.parse().unwrap()];
    assert_eq!(mb.households, Cell::Count(2));
    assert_eq!(mb.people, Cell::Count(3));
    assert_eq!(mb.female, Cell::Count(2));
    assert_eq!(mb.age_0_4, Cell::Count(1));
    assert_eq!(mb.age_60_plus, Cell::Count(1));
    assert_eq!(mb.vulnerable_people, Cell::Count(2));
    assert_eq!(mb.vulnerable_households, Cell::Count(1));
    assert_eq!(mb.needs_head, Cell::Count(1));
    assert_eq!(mb.affected_households, Cell::Count(1));
    assert_eq!(mb.displaced_households, Cell::Count(1));
    assert_eq!(mb.assisted_households, Cell::Count(1));
    options.suppress_below = Some(3);
    let public = t.reg.statistics(&options);
    let mb = &public[&MUNGKU_BARU.parse().unwrap()];
    assert_eq!(mb.people, Cell::Count(3));
    assert_eq!(mb.households.to_string(), "<3");
    let json = serde_json::to_value(mb).unwrap();
    assert_eq!(json["households"], "<3");
    assert_eq!(json["people"], 3);
    assert_eq!(json["age_5_17"], 0);
    assert_eq!(public.len(), 2);
}

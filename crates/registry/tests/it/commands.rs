//! Every command, accepted: what it records and what it changes.

use rust_decimal::Decimal;
use tangguh_core::{FamilyNumber, Sex};
use tangguh_registry::{
    AddMember, Address, ChangeHead, Consent, DamageLevel, Desil, Disability, DisabilityKind,
    DismissDuplicate, Distribution, Dwelling, EndMembership, EndReason, IncidentImpact, Item,
    ItemName, JoinReason, Joining, Maternal, MaternalStatus, MemberFacts, MergeHouseholds,
    MergePersons, MovingMember, Need, Neighbourhood, NewMember, Phone, Programme,
    RecordDistribution, RecordIncidentImpact, RegistryCommand as C, RegistryEvent, Relationship,
    Round, Severity, Source, SplitHousehold, TransferMember, Unit, UpdateContact, UpdateDwelling,
    UpdateMemberFacts, UpdateWelfare, Welfare,
};

use crate::{MUNGKU_BARU, PETUK_BUKIT, T, d};

#[test]
fn register_household_with_head_and_members() {
    let mut t = T::new();
    let head =
        t.person("Budi", d(1980, 1, 1), Sex::Male).with_nik("6271050101800001".parse().unwrap());
    let wife = t.person("Sari", d(1982, 2, 2), Sex::Female);
    let mut cmd = t.register_cmd(MUNGKU_BARU, head.clone());
    cmd.number = Some("6271051203150007".parse().unwrap());
    cmd.phone = Some("+62 812 3456 7890".parse().unwrap());
    cmd.consent = Some(Consent::new(true, d(2026, 1, 10)));
    cmd.members.push(NewMember::new(wife.clone(), Relationship::Wife));
    let events = t.ok(C::RegisterHousehold(cmd.clone()));
    assert!(matches!(&events[..], [RegistryEvent::HouseholdRegistered(_)]));
    let h = t.reg.household(cmd.household).unwrap();
    assert_eq!(h.head, Some(head.id));
    assert_eq!(h.member_count(), 2);
    assert!(!h.needs_head());
    assert_eq!(h.phone.as_ref().unwrap().expose(), "081234567890");
    let members = t.reg.members(cmd.household);
    assert_eq!(members[0].0.person.id, head.id);
    assert_eq!(members[1].1.relationship, Relationship::Wife);
    let number: FamilyNumber = "6271051203150007".parse().unwrap();
    assert_eq!(t.reg.household_by_number(&number).unwrap().id, cmd.household);
}

#[test]
fn add_member_by_birth_and_moving_back_in() {
    let mut t = T::new();
    let (h, _) = t.household(MUNGKU_BARU);
    let child = t.add(h, "Anak", d(2026, 5, 1), Sex::Female, Relationship::Child);
    assert_eq!(t.reg.household_of(child).unwrap().id, h);
    t.ok(C::EndMembership(EndMembership::new(child, EndReason::MovedOut, d(2026, 6, 1))));
    assert!(t.reg.household_of(child).is_none());
    t.ok(C::AddMember(AddMember::new(
        h,
        Joining::Existing(child),
        Relationship::Child,
        JoinReason::MovedIn,
        d(2026, 7, 1),
    )));
    assert_eq!(t.reg.memberships_of(child).len(), 2);
}

#[test]
fn end_membership_keeps_history_and_death_leaves_needs_head() {
    let mut t = T::new();
    let (h, head) = t.household(MUNGKU_BARU);
    let wife = t.add(h, "Sari", d(1982, 2, 2), Sex::Female, Relationship::Wife);
    t.ok(C::EndMembership(EndMembership::new(head, EndReason::Death, d(2026, 10, 1))));
    let hh = t.reg.household(h).unwrap();
    assert!(hh.needs_head());
    assert_eq!(t.reg.person(head).unwrap().died_on, Some(d(2026, 10, 1)));
    let history = t.reg.membership_history(h);
    assert_eq!(history.len(), 2);
    assert_eq!(history[0].end, Some((d(2026, 10, 1), EndReason::Death)));
    // change head ends the needs-head state
    t.ok(C::ChangeHead(ChangeHead::new(h, wife, d(2026, 10, 2))));
    let hh = t.reg.household(h).unwrap();
    assert_eq!(hh.head, Some(wife));
    assert_eq!(t.reg.members(h)[0].1.relationship, Relationship::Head);
}

#[test]
fn last_member_leaving_dissolves_and_frees_the_number() {
    let mut t = T::new();
    let head = t.person("Budi", d(1980, 1, 1), Sex::Male);
    let mut cmd = t.register_cmd(MUNGKU_BARU, head.clone());
    let number: FamilyNumber = "6271051203150007".parse().unwrap();
    cmd.number = Some(number);
    t.ok(C::RegisterHousehold(cmd.clone()));
    t.ok(C::EndMembership(EndMembership::new(head.id, EndReason::MovedOut, d(2026, 2, 1))));
    assert_eq!(t.reg.household(cmd.household).unwrap().dissolved_on, Some(d(2026, 2, 1)));
    assert!(t.reg.household_by_number(&number).is_none());
}

#[test]
fn transfer_member() {
    let mut t = T::new();
    let (a, _) = t.household(MUNGKU_BARU);
    let (b, _) = t.household(PETUK_BUKIT);
    let child = t.add(a, "Anak", d(2000, 1, 1), Sex::Male, Relationship::Child);
    t.ok(C::TransferMember(TransferMember::new(child, b, Relationship::ChildInLaw, d(2026, 3, 1))));
    assert_eq!(t.reg.household_of(child).unwrap().id, b);
    let ms = t.reg.memberships_of(child);
    assert_eq!(ms[0].end, Some((d(2026, 3, 1), EndReason::Transfer)));
    assert_eq!(ms[1].joined, JoinReason::Transfer);
}

#[test]
fn change_head_while_the_head_stays() {
    let mut t = T::new();
    let (h, head) = t.household(MUNGKU_BARU);
    let son = t.add(h, "Anak", d(2000, 1, 1), Sex::Male, Relationship::Child);
    let mut cmd = ChangeHead::new(h, son, d(2026, 3, 1));
    cmd.former_head_relationship = Some(Relationship::Parent);
    cmd.new_number = Some("6271051203150008".parse().unwrap());
    t.ok(C::ChangeHead(cmd));
    let members = t.reg.members(h);
    assert_eq!(members[0].0.person.id, son);
    assert_eq!(members[1].0.person.id, head);
    assert_eq!(members[1].1.relationship, Relationship::Parent);
}

#[test]
fn split_household() {
    let mut t = T::new();
    let (h, _) = t.household(MUNGKU_BARU);
    let son = t.add(h, "Anak", d(2000, 1, 1), Sex::Male, Relationship::Child);
    let dil = t.add(h, "Menantu", d(2001, 1, 1), Sex::Female, Relationship::ChildInLaw);
    let new = t.ids.next_id();
    t.ok(C::SplitHousehold(SplitHousehold {
        from: h,
        new_household: new,
        members: vec![
            MovingMember::new(son, Relationship::Head),
            MovingMember::new(dil, Relationship::Wife),
        ],
        number: None,
        kelurahan: PETUK_BUKIT.parse().unwrap(),
        rt: Neighbourhood::new(3).unwrap(),
        rw: Neighbourhood::new(1).unwrap(),
        address: Address::try_new("Gang Baru").unwrap(),
        date: d(2026, 4, 1),
    }));
    assert_eq!(t.reg.household(h).unwrap().member_count(), 1);
    let n = t.reg.household(new).unwrap();
    assert_eq!(n.head, Some(son));
    assert_eq!(n.member_count(), 2);
}

#[test]
fn merge_households() {
    let mut t = T::new();
    let (a, _) = t.household(MUNGKU_BARU);
    let (b, head_b) = t.household(MUNGKU_BARU);
    t.ok(C::MergeHouseholds(MergeHouseholds {
        from: b,
        into: a,
        members: vec![MovingMember::new(head_b, Relationship::OtherRelative)],
        date: d(2026, 4, 1),
    }));
    assert_eq!(t.reg.household(b).unwrap().dissolved_on, Some(d(2026, 4, 1)));
    assert_eq!(t.reg.household(a).unwrap().member_count(), 2);
}

#[test]
fn update_dwelling_welfare_contact_and_facts() {
    let mut t = T::new();
    let (a, head) = t.household(MUNGKU_BARU);
    let (b, _) = t.household(MUNGKU_BARU);
    let dwelling = t.ids.next_id();
    let details = Dwelling { stilt_house: true, floor_height_cm: Some(120), ..Dwelling::default() };
    t.ok(C::UpdateDwelling(UpdateDwelling {
        dwelling,
        households: vec![a, b],
        details: details.clone(),
        date: d(2026, 2, 1),
    }));
    assert_eq!(t.reg.household(b).unwrap().dwelling, Some(dwelling));
    assert_eq!(t.reg.dwelling(dwelling).unwrap().details, details);

    let welfare = Welfare::new(
        Desil::new(3).unwrap(),
        Source::try_new("DTSEN 2026-Q3").unwrap(),
        d(2026, 9, 30),
    );
    t.ok(C::UpdateWelfare(UpdateWelfare { household: a, welfare: welfare.clone() }));
    assert_eq!(t.reg.household(a).unwrap().welfare, Some(welfare));

    let phone: Phone = "0812-1111-2222".parse().unwrap();
    t.ok(C::UpdateContact(UpdateContact {
        household: a,
        phone: Some(phone.clone()),
        geo: None,
        consent: Some(Consent::new(false, d(2026, 3, 1))),
        date: d(2026, 3, 1),
    }));
    assert_eq!(t.reg.household(a).unwrap().phone, Some(phone));
    assert!(!t.reg.household(a).unwrap().consent.as_ref().unwrap().granted);

    let facts = MemberFacts {
        disability: Some(Disability::new(DisabilityKind::Physical, Severity::ALotOfDifficulty)),
        ..MemberFacts::default()
    };
    t.ok(C::UpdateMemberFacts(UpdateMemberFacts {
        person: head,
        facts: facts.clone(),
        date: d(2026, 3, 1),
    }));
    assert_eq!(t.reg.person(head).unwrap().facts, facts);
    let wife = t.add(a, "Sari", d(1990, 1, 1), Sex::Female, Relationship::Wife);
    let maternal = MemberFacts {
        maternal: Some(Maternal::new(MaternalStatus::Pregnant, d(2026, 11, 1))),
        ..MemberFacts::default()
    };
    t.ok(C::UpdateMemberFacts(UpdateMemberFacts {
        person: wife,
        facts: maternal,
        date: d(2026, 11, 1),
    }));
}

#[test]
fn incident_impact_is_replaced_per_incident() {
    let mut t = T::new();
    let (h, _) = t.household(MUNGKU_BARU);
    let flood = t.ids.next_id();
    let mut impact = IncidentImpact::new(flood, d(2026, 11, 20), 40, DamageLevel::Light);
    impact.needs.insert(Need::Food);
    t.ok(C::RecordIncidentImpact(RecordIncidentImpact { household: h, impact: impact.clone() }));
    impact.water_depth_cm = 80;
    impact.displaced = true;
    t.ok(C::RecordIncidentImpact(RecordIncidentImpact { household: h, impact: impact.clone() }));
    assert_eq!(t.reg.household(h).unwrap().incidents, vec![impact]);
}

pub(crate) fn sembako(t: &T, round: u16, date: chrono::NaiveDate) -> Distribution {
    Distribution::new(
        Round::new(Programme::try_new("banjir Des 2026 sembako").unwrap(), round),
        vec![Item::new(
            ItemName::try_new("beras").unwrap(),
            Decimal::from(10),
            Unit::try_new("kg").unwrap(),
        )],
        t.ids.next_id(),
        date,
    )
}

#[test]
fn distribution_and_top_up() {
    let mut t = T::new();
    let (h, _) = t.household(MUNGKU_BARU);
    let first = sembako(&t, 2, d(2026, 11, 25));
    t.ok(C::RecordDistribution(RecordDistribution { household: h, distribution: first }));
    let mut top_up = sembako(&t, 2, d(2026, 11, 26));
    top_up.top_up = Some("bayi baru lahir".parse().unwrap());
    t.ok(C::RecordDistribution(RecordDistribution { household: h, distribution: top_up }));
    assert_eq!(t.reg.household(h).unwrap().distributions.len(), 2);
}

#[test]
fn merge_duplicate_persons_keeps_both_histories() {
    let mut t = T::new();
    let (a, head_a) = t.household(MUNGKU_BARU);
    let (b, _) = t.household(PETUK_BUKIT);
    let dup = t.add(b, "Budi Santoso", d(1980, 3, 4), Sex::Male, Relationship::OtherRelative);
    t.ok(C::EndMembership(EndMembership::new(dup, EndReason::MovedOut, d(2026, 5, 1))));
    let nik_person = t.person("x", d(1980, 3, 4), Sex::Male);
    let _ = nik_person;
    t.ok(C::MergePersons(MergePersons {
        survivor: head_a,
        duplicate: dup,
        date: d(2026, 6, 1),
        note: None,
    }));
    assert_eq!(t.reg.person(dup).unwrap().merged_into, Some(head_a));
    assert_eq!(t.reg.person(head_a).unwrap().merged_from, vec![dup]);
    let ms = t.reg.memberships_of(head_a);
    assert_eq!(ms.len(), 2);
    assert!(ms.iter().any(|m| m.household == b));
    assert_eq!(t.reg.household_of(head_a).unwrap().id, a);
}

#[test]
fn merge_moves_the_active_membership_and_headship_to_the_survivor() {
    let mut t = T::new();
    let (_, head_a) = t.household(MUNGKU_BARU);
    t.ok(C::EndMembership(EndMembership::new(head_a, EndReason::MovedOut, d(2026, 5, 1))));
    let (b, head_b) = t.household(PETUK_BUKIT);
    t.ok(C::MergePersons(MergePersons {
        survivor: head_a,
        duplicate: head_b,
        date: d(2026, 6, 1),
        note: None,
    }));
    assert_eq!(t.reg.household(b).unwrap().head, Some(head_a));
    assert_eq!(t.reg.household_of(head_a).unwrap().id, b);
}

#[test]
fn dismiss_duplicate_is_recorded() {
    let mut t = T::new();
    let (_, a) = t.household(MUNGKU_BARU);
    let (_, b) = t.household(MUNGKU_BARU);
    let events = t.ok(C::DismissDuplicate(DismissDuplicate {
        first: b,
        second: a,
        date: d(2026, 6, 1),
        note: None,
    }));
    assert!(matches!(&events[..], [RegistryEvent::DuplicateDismissed(_)]));
}

#[test]
fn events_and_commands_have_a_stable_json_form() {
    let t = T::new();
    let cmd =
        C::EndMembership(EndMembership::new(t.ids.next_id(), EndReason::Death, d(2026, 1, 1)));
    let json = serde_json::to_value(&cmd).unwrap();
    assert_eq!(json["type"], "end_membership");
    assert_eq!(json["reason"], "death");
    let back: C = serde_json::from_value(json).unwrap();
    assert_eq!(back, cmd);
    let ev = RegistryEvent::MembershipEnded(EndMembership::new(
        t.ids.next_id(),
        EndReason::MovedOut,
        d(2026, 1, 1),
    ));
    let json = serde_json::to_string(&ev).unwrap();
    assert!(json.contains("\"type\":\"membership_ended\""));
    assert_eq!(serde_json::from_str::<RegistryEvent>(&json).unwrap(), ev);
}

//! Every rule: refused with the error that names it; nothing changes
//! (`T::run` asserts the state is untouched on refusal).

use tangguh_core::{FamilyNumber, Nik, Sex};
use tangguh_registry::{
    AddMember, Address, ChangeHead, DismissDuplicate, Dwelling, EndMembership, EndReason,
    ImportRow, JoinReason, Joining, Maternal, MaternalStatus, MemberFacts, MergeHouseholds,
    MergePersons, MovingMember, Neighbourhood, NewMember, RecordDistribution, RegistryCommand as C,
    RegistryError as E, Relationship, SplitHousehold, TransferMember, UpdateDwelling,
    UpdateMemberFacts,
};

use crate::commands::sembako;
use crate::{MUNGKU_BARU, PETUK_BUKIT, T, d};

fn end(p: tangguh_core::PersonId, reason: EndReason, date: chrono::NaiveDate) -> C {
    C::EndMembership(EndMembership::new(p, reason, date))
}

#[test]
fn ids_must_be_new_and_known() {
    let mut t = T::new();
    let head = t.person("Budi", d(1980, 1, 1), Sex::Male);
    let cmd = t.register_cmd(MUNGKU_BARU, head.clone());
    t.ok(C::RegisterHousehold(cmd.clone()));
    assert!(matches!(t.err(C::RegisterHousehold(cmd.clone())), E::HouseholdExists { .. }));
    let mut again = t.register_cmd(MUNGKU_BARU, head.clone());
    again.household = t.ids.next_id();
    assert!(
        matches!(t.err(C::RegisterHousehold(again)), E::PersonExists { person } if person == head.id)
    );
    let ghost = t.ids.next_id();
    let p = t.person("x", d(2000, 1, 1), Sex::Male);
    assert!(matches!(
        t.err(C::AddMember(AddMember::new(ghost, Joining::New(p), Relationship::Child, JoinReason::Birth, d(2026, 1, 1)))),
        E::UnknownHousehold { household } if household == ghost
    ));
    let nobody = t.ids.next_id();
    assert!(matches!(
        t.err(end(nobody, EndReason::MovedOut, d(2026, 1, 1))),
        E::UnknownPerson { .. }
    ));
    let x = t.ids.next_id();
    assert!(matches!(
        t.err(C::DismissDuplicate(DismissDuplicate {
            first: head.id,
            second: x,
            date: d(2026, 2, 1),
            note: None
        })),
        E::UnknownPerson { .. }
    ));
}

#[test]
fn one_active_membership_per_person() {
    let mut t = T::new();
    let (a, _) = t.household(MUNGKU_BARU);
    let (_, head_b) = t.household(MUNGKU_BARU);
    assert!(matches!(
        t.err(C::AddMember(AddMember::new(a, Joining::Existing(head_b), Relationship::Child, JoinReason::MovedIn, d(2026, 2, 1)))),
        E::AlreadyMember { person, .. } if person == head_b
    ));
    let child = t.add(a, "Anak", d(2010, 1, 1), Sex::Male, Relationship::Child);
    t.ok(end(child, EndReason::MovedOut, d(2026, 2, 1)));
    assert!(matches!(
        t.err(end(child, EndReason::MovedOut, d(2026, 3, 1))),
        E::NotActiveMember { .. }
    ));
    // rejoining before the last membership ended
    assert!(matches!(
        t.err(C::AddMember(AddMember::new(
            a,
            Joining::Existing(child),
            Relationship::Child,
            JoinReason::MovedIn,
            d(2026, 1, 20)
        ))),
        E::EndBeforeStart { .. }
    ));
}

#[test]
fn a_nik_belongs_to_one_person() {
    let mut t = T::new();
    let nik: Nik = "6271050101800001".parse().unwrap();
    let head = t.person("Budi", d(1980, 1, 1), Sex::Male).with_nik(nik);
    t.ok(C::RegisterHousehold(t.register_cmd(MUNGKU_BARU, head)));
    let other = t.person("Budi", d(1980, 1, 1), Sex::Male).with_nik(nik);
    let err = t.err(C::RegisterHousehold(t.register_cmd(MUNGKU_BARU, other)));
    assert!(matches!(err, E::NikTaken { .. }));
    assert!(!err.to_string().contains("0101800001"), "NIK is masked: {err}");
    assert!(!format!("{err:?}").contains("0101800001"));
    // twice in one command
    let nik2: Nik = "6271050202800001".parse().unwrap();
    let a = t.person("A", d(1980, 2, 2), Sex::Male).with_nik(nik2);
    let b = t.person("B", d(1980, 2, 2), Sex::Male).with_nik(nik2);
    let mut cmd = t.register_cmd(MUNGKU_BARU, a);
    cmd.members.push(NewMember::new(b, Relationship::Child));
    assert!(matches!(t.err(C::RegisterHousehold(cmd)), E::RepeatedPerson { .. }));
}

#[test]
fn a_taken_nik_is_found_anywhere_in_a_large_household() {
    let mut t = T::new();
    let nik: Nik = "6271050101800001".parse().unwrap();
    let head = t.person("Budi", d(1980, 1, 1), Sex::Male).with_nik(nik);
    t.ok(C::RegisterHousehold(t.register_cmd(MUNGKU_BARU, head)));
    // The NIK checks first probe up to 64 people at once; the 3rd and the
    // 70th person must be refused alike.
    for at in [3usize, 70] {
        let mut cmd = t.register_cmd(MUNGKU_BARU, t.person("Kepala", d(1970, 1, 1), Sex::Male));
        for k in 1..=at {
            let mut p = t.person(&format!("Anak {k}"), d(2000, 1, 1), Sex::Female);
            if k == at {
                p = p.with_nik(nik);
            }
            cmd.members.push(NewMember::new(p, Relationship::Child));
        }
        assert!(matches!(t.err(C::RegisterHousehold(cmd)), E::NikTaken { .. }), "member {at}");
    }
}

#[test]
fn ids_minted_out_of_order_are_indexed_alike() {
    // Ids minted earlier than ones already registered (another device, an
    // old record) take the index's other path: found, and refused again.
    let mut t = T::new();
    let early_head = t.person("Awal", d(1980, 1, 1), Sex::Male);
    let early = t.register_cmd(MUNGKU_BARU, early_head.clone());
    let (late, _) = t.household(MUNGKU_BARU);
    t.ok(C::RegisterHousehold(early.clone()));
    assert_eq!(t.reg.household(early.household).map(|h| h.id), Some(early.household));
    assert_eq!(t.reg.person(early_head.id).map(|p| p.person.id), Some(early_head.id));
    assert!(t.reg.household(late).is_some());
    let early_id = early.household;
    assert!(matches!(
        t.err(C::RegisterHousehold(early)),
        E::HouseholdExists { household } if household == early_id
    ));
    let mut again = t.register_cmd(MUNGKU_BARU, early_head.clone());
    again.household = t.ids.next_id();
    assert!(matches!(
        t.err(C::RegisterHousehold(again)),
        E::PersonExists { person } if person == early_head.id
    ));
}

#[test]
fn a_kk_number_belongs_to_one_active_household() {
    let mut t = T::new();
    let number: FamilyNumber = "6271051203150007".parse().unwrap();
    let mut cmd = t.register_cmd(MUNGKU_BARU, t.person("A", d(1980, 1, 1), Sex::Male));
    cmd.number = Some(number);
    t.ok(C::RegisterHousehold(cmd.clone()));
    let mut other = t.register_cmd(MUNGKU_BARU, t.person("B", d(1980, 1, 1), Sex::Male));
    other.number = Some(number);
    let err = t.err(C::RegisterHousehold(other.clone()));
    assert!(matches!(err, E::NumberTaken { household, .. } if household == cmd.household));
    assert!(!err.to_string().contains("1203150007"));
    // once the first household is dissolved the number is free again
    t.ok(end(cmd.head.id, EndReason::MovedOut, d(2026, 2, 1)));
    assert!(matches!(
        t.err(end(cmd.head.id, EndReason::MovedOut, d(2026, 2, 1))),
        E::PersonExists { .. } | E::NotActiveMember { .. }
    ));
    t.ok(C::RegisterHousehold(other));
}

#[test]
fn exactly_one_head() {
    let mut t = T::new();
    let (a, head) = t.household(MUNGKU_BARU);
    let p = t.person("x", d(2000, 1, 1), Sex::Male);
    assert!(matches!(
        t.err(C::AddMember(AddMember::new(a, Joining::New(p.clone()), Relationship::Head, JoinReason::MovedIn, d(2026, 2, 1)))),
        E::HeadExists { head: h, .. } if h == head
    ));
    let mut cmd = t.register_cmd(MUNGKU_BARU, t.person("y", d(1980, 1, 1), Sex::Male));
    cmd.members.push(NewMember::new(p, Relationship::Head));
    assert!(matches!(t.err(C::RegisterHousehold(cmd)), E::HeadCount { count: 2, .. }));
    let son = t.add(a, "Anak", d(2000, 1, 1), Sex::Male, Relationship::Child);
    // the former head stays: needs a relationship other than head
    assert!(matches!(
        t.err(C::ChangeHead(ChangeHead::new(a, son, d(2026, 3, 1)))),
        E::FormerHeadRelationship { .. }
    ));
    let mut c = ChangeHead::new(a, son, d(2026, 3, 1));
    c.former_head_relationship = Some(Relationship::Head);
    assert!(matches!(t.err(C::ChangeHead(c)), E::FormerHeadRelationship { .. }));
    let mut c = ChangeHead::new(a, head, d(2026, 3, 1));
    c.former_head_relationship = Some(Relationship::Child);
    assert!(matches!(t.err(C::ChangeHead(c)), E::AlreadyHead { .. }));
    let (b, head_b) = t.household(PETUK_BUKIT);
    assert!(matches!(
        t.err(C::ChangeHead(ChangeHead::new(a, head_b, d(2026, 3, 1)))),
        E::NotMemberOf { .. }
    ));
    assert!(matches!(
        t.err(C::TransferMember(TransferMember::new(son, b, Relationship::Head, d(2026, 3, 1)))),
        E::HeadExists { .. }
    ));
    // needs head: adding a head is then allowed
    t.ok(end(head, EndReason::Death, d(2026, 4, 1)));
    assert!(t.reg.household(a).unwrap().needs_head());
    let p = t.person("z", d(1970, 1, 1), Sex::Male);
    t.ok(C::AddMember(AddMember::new(
        a,
        Joining::New(p),
        Relationship::Head,
        JoinReason::MovedIn,
        d(2026, 4, 2),
    )));
    assert!(!t.reg.household(a).unwrap().needs_head());
}

#[test]
fn split_needs_exactly_one_head_and_members_of_the_household() {
    let mut t = T::new();
    let (a, _) = t.household(MUNGKU_BARU);
    let son = t.add(a, "Anak", d(2000, 1, 1), Sex::Male, Relationship::Child);
    let (_, other) = t.household(MUNGKU_BARU);
    let split = |t: &T, members: Vec<MovingMember>| SplitHousehold {
        from: a,
        new_household: t.ids.next_id(),
        members,
        number: None,
        kelurahan: MUNGKU_BARU.parse().unwrap(),
        rt: Neighbourhood::new(1).unwrap(),
        rw: Neighbourhood::new(1).unwrap(),
        address: Address::try_new("x").unwrap(),
        date: d(2026, 5, 1),
    };
    let s = split(&t, vec![MovingMember::new(son, Relationship::Child)]);
    assert!(matches!(t.err(C::SplitHousehold(s)), E::HeadCount { count: 0, .. }));
    let s = split(&t, vec![MovingMember::new(other, Relationship::Head)]);
    assert!(matches!(t.err(C::SplitHousehold(s)), E::NotMemberOf { .. }));
    let s = split(
        &t,
        vec![
            MovingMember::new(son, Relationship::Head),
            MovingMember::new(son, Relationship::Child),
        ],
    );
    assert!(matches!(t.err(C::SplitHousehold(s)), E::RepeatedPerson { .. }));
    let s = split(&t, vec![]);
    assert!(matches!(t.err(C::SplitHousehold(s)), E::Invalid { field: "members", .. }));
    let mut s = split(&t, vec![MovingMember::new(son, Relationship::Head)]);
    s.kelurahan = "62.71.05".parse().unwrap();
    assert!(matches!(t.err(C::SplitHousehold(s)), E::NotAVillage { .. }));
}

#[test]
fn merge_rules() {
    let mut t = T::new();
    let (a, _) = t.household(MUNGKU_BARU);
    let (b, head_b) = t.household(MUNGKU_BARU);
    let child = t.add(b, "Anak", d(2010, 1, 1), Sex::Male, Relationship::Child);
    let merge = |members| {
        C::MergeHouseholds(MergeHouseholds { from: b, into: a, members, date: d(2026, 5, 1) })
    };
    assert!(matches!(
        t.err(C::MergeHouseholds(MergeHouseholds {
            from: a,
            into: a,
            members: vec![],
            date: d(2026, 5, 1)
        })),
        E::SameHousehold { .. }
    ));
    assert!(matches!(
        t.err(merge(vec![MovingMember::new(head_b, Relationship::Child)])),
        E::MembersMismatch { .. }
    ));
    assert!(matches!(
        t.err(merge(vec![
            MovingMember::new(head_b, Relationship::Head),
            MovingMember::new(child, Relationship::Child)
        ])),
        E::HeadExists { .. }
    ));
    assert!(matches!(
        t.err(C::TransferMember(TransferMember::new(child, b, Relationship::Child, d(2026, 5, 1)))),
        E::SameHousehold { .. }
    ));
    t.ok(merge(vec![
        MovingMember::new(head_b, Relationship::Child),
        MovingMember::new(child, Relationship::Grandchild),
    ]));
    assert!(matches!(
        t.err(C::TransferMember(TransferMember::new(child, b, Relationship::Child, d(2026, 6, 1)))),
        E::HouseholdDissolved { .. }
    ));
}

#[test]
fn merge_into_a_household_that_needs_a_head_takes_at_most_one() {
    let mut t = T::new();
    let (a, head_a) = t.household(MUNGKU_BARU);
    let _wife = t.add(a, "Sari", d(1980, 1, 1), Sex::Female, Relationship::Wife);
    t.ok(end(head_a, EndReason::Death, d(2026, 3, 1)));
    let (b, head_b) = t.household(MUNGKU_BARU);
    let child = t.add(b, "Anak", d(2010, 1, 1), Sex::Male, Relationship::Child);
    let merge = |members| {
        C::MergeHouseholds(MergeHouseholds { from: b, into: a, members, date: d(2026, 5, 1) })
    };
    assert!(matches!(
        t.err(merge(vec![
            MovingMember::new(head_b, Relationship::Head),
            MovingMember::new(child, Relationship::Head)
        ])),
        E::HeadCount { count: 2, .. }
    ));
    t.ok(merge(vec![
        MovingMember::new(head_b, Relationship::Head),
        MovingMember::new(child, Relationship::Child),
    ]));
    assert_eq!(t.reg.household(a).unwrap().head, Some(head_b));
}

#[test]
fn no_future_dates_and_none_before_birth() {
    let mut t = T::new();
    let (a, head) = t.household(MUNGKU_BARU);
    let err = t.err(end(head, EndReason::MovedOut, d(2026, 11, 29)));
    assert!(
        matches!(err, E::FutureDate { date, today, .. } if date == d(2026, 11, 29) && today == d(2026, 11, 28))
    );
    // today (WIB) is fine
    let p = t.person("Bayi", d(2026, 11, 28), Sex::Female);
    t.ok(C::AddMember(AddMember::new(
        a,
        Joining::New(p),
        Relationship::Child,
        JoinReason::Birth,
        d(2026, 11, 28),
    )));
    let p = t.person("Bayi", d(2026, 11, 20), Sex::Female);
    assert!(matches!(
        t.err(C::AddMember(AddMember::new(a, Joining::New(p), Relationship::Child, JoinReason::Birth, d(2026, 11, 19)))),
        E::BeforeBirth { born, .. } if born == d(2026, 11, 20)
    ));
    let unborn = t.person("Nanti", d(2027, 1, 1), Sex::Female);
    assert!(matches!(
        t.err(C::AddMember(AddMember::new(
            a,
            Joining::New(unborn),
            Relationship::Child,
            JoinReason::Birth,
            d(2026, 11, 1)
        ))),
        E::FutureDate { field: "birth date", .. }
    ));
    let mut dist = sembako(&t, 1, d(2026, 12, 1));
    assert!(matches!(
        t.err(C::RecordDistribution(RecordDistribution {
            household: a,
            distribution: dist.clone()
        })),
        E::FutureDate { .. }
    ));
    dist.date = d(2026, 11, 1);
    dist.items.clear();
    assert!(matches!(
        t.err(C::RecordDistribution(RecordDistribution { household: a, distribution: dist })),
        E::Invalid { field: "items", .. }
    ));
    // membership cannot end before it started
    assert!(matches!(
        t.err(end(head, EndReason::MovedOut, d(2026, 1, 1))),
        E::EndBeforeStart { .. }
    ));
    let facts = MemberFacts {
        maternal: Some(Maternal::new(MaternalStatus::Pregnant, d(2026, 11, 1))),
        ..MemberFacts::default()
    };
    assert!(matches!(
        t.err(C::UpdateMemberFacts(UpdateMemberFacts {
            person: head,
            facts,
            date: d(2026, 11, 1)
        })),
        E::Invalid { field: "maternal", .. }
    ));
    assert!(matches!(
        t.err(C::UpdateDwelling(UpdateDwelling {
            dwelling: t.ids.next_id(),
            households: vec![],
            details: Dwelling::default(),
            date: d(2026, 1, 1)
        })),
        E::Invalid { field: "households", .. }
    ));
}

#[test]
fn one_distribution_per_round_unless_top_up() {
    let mut t = T::new();
    let (a, _) = t.household(MUNGKU_BARU);
    t.ok(C::RecordDistribution(RecordDistribution {
        household: a,
        distribution: sembako(&t, 1, d(2026, 11, 1)),
    }));
    let err = t.err(C::RecordDistribution(RecordDistribution {
        household: a,
        distribution: sembako(&t, 1, d(2026, 11, 2)),
    }));
    assert!(matches!(err, E::AlreadyDistributed { ref round, .. } if round.round == 1));
    // another round is fine
    t.ok(C::RecordDistribution(RecordDistribution {
        household: a,
        distribution: sembako(&t, 2, d(2026, 11, 2)),
    }));
    let mut dist = sembako(&t, 1, d(2026, 11, 3));
    dist.items[0].quantity = rust_decimal::Decimal::ZERO;
    dist.top_up = Some("x".parse().unwrap());
    assert!(matches!(
        t.err(C::RecordDistribution(RecordDistribution { household: a, distribution: dist })),
        E::Invalid { field: "quantity", .. }
    ));
}

#[test]
fn deceased_and_merged_people_are_refused() {
    let mut t = T::new();
    let (a, head) = t.household(MUNGKU_BARU);
    let wife = t.add(a, "Sari", d(1980, 1, 1), Sex::Female, Relationship::Wife);
    t.ok(end(head, EndReason::Death, d(2026, 3, 1)));
    assert!(matches!(
        t.err(C::AddMember(AddMember::new(
            a,
            Joining::Existing(head),
            Relationship::Child,
            JoinReason::MovedIn,
            d(2026, 4, 1)
        ))),
        E::PersonDeceased { .. }
    ));
    let (_, other) = t.household(PETUK_BUKIT);
    t.ok(end(other, EndReason::MovedOut, d(2026, 3, 1)));
    t.ok(C::MergePersons(MergePersons {
        survivor: wife,
        duplicate: other,
        date: d(2026, 4, 1),
        note: None,
    }));
    assert!(
        matches!(t.err(end(other, EndReason::MovedOut, d(2026, 4, 2))), E::PersonMerged { survivor, .. } if survivor == wife)
    );
}

#[test]
fn person_merge_conflicts() {
    let mut t = T::new();
    let (_, a) = t.household(MUNGKU_BARU);
    let (_, b) = t.household(MUNGKU_BARU);
    let merge = |s, dup| {
        C::MergePersons(MergePersons {
            survivor: s,
            duplicate: dup,
            date: d(2026, 4, 1),
            note: None,
        })
    };
    assert!(matches!(t.err(merge(a, a)), E::SamePerson { .. }));
    assert!(matches!(t.err(merge(a, b)), E::MergeConflict { .. }));
    assert!(matches!(
        t.err(C::DismissDuplicate(DismissDuplicate {
            first: a,
            second: a,
            date: d(2026, 4, 1),
            note: None
        })),
        E::SamePerson { .. }
    ));
    let x = t.person("X", d(1980, 1, 1), Sex::Male).with_nik("6271050101800001".parse().unwrap());
    let y = t.person("X", d(1980, 1, 1), Sex::Male).with_nik("6271050101800002".parse().unwrap());
    let (xi, yi) = (x.id, y.id);
    t.ok(C::RegisterHousehold(t.register_cmd(MUNGKU_BARU, x)));
    t.ok(C::RegisterHousehold(t.register_cmd(MUNGKU_BARU, y)));
    t.ok(end(yi, EndReason::MovedOut, d(2026, 2, 1)));
    let err = t.err(merge(xi, yi));
    assert!(matches!(err, E::MergeConflict { conflict, .. } if conflict.contains("NIK")));
}

#[test]
fn kelurahan_must_be_a_village() {
    let mut t = T::new();
    let cmd = t.register_cmd("62.71.05", t.person("A", d(1980, 1, 1), Sex::Male));
    assert!(matches!(t.err(C::RegisterHousehold(cmd)), E::NotAVillage { .. }));
}

#[test]
fn import_is_all_or_nothing_with_line_numbers() {
    let mut t = T::new();
    let a = t.register_cmd(MUNGKU_BARU, t.person("A", d(1980, 1, 1), Sex::Male));
    let mut bad = t.register_cmd(MUNGKU_BARU, t.person("B", d(1980, 1, 1), Sex::Male));
    bad.date = d(2027, 1, 1);
    let err = t.err(C::Import {
        rows: vec![
            ImportRow::new(2, C::RegisterHousehold(a.clone())),
            ImportRow::new(3, C::RegisterHousehold(bad)),
        ],
    });
    let E::Import { errors } = &err else { panic!("{err}") };
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].line, 3);
    assert!(t.reg.household(a.household).is_none());
    assert!(err.to_string().contains("line 3"));
    let nested = C::Import { rows: vec![ImportRow::new(2, C::Import { rows: vec![] })] };
    assert!(matches!(t.err(nested), E::Import { .. }));
    let events = t.ok(C::Import { rows: vec![ImportRow::new(2, C::RegisterHousehold(a.clone()))] });
    assert_eq!(events.len(), 1);
}

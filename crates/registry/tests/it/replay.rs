//! Properties: random command sequences keep every rule, and replaying the
//! journal gives the same registry.

use std::sync::Arc;

use proptest::prelude::*;
use rust_decimal::Decimal;
use tangguh_core::{
    Actor, BirthDate, Book, FamilyNumber, FixedClock, HouseholdId, IdGenerator, MemoryJournal,
    Name, Nik, PersonId, Sex, Submission,
};
use tangguh_registry::{
    AddMember, Address, ChangeHead, Desil, DismissDuplicate, Distribution, EndMembership,
    EndReason, Item, ItemName, JoinReason, Joining, MergeHouseholds, MergePersons, MovingMember,
    Neighbourhood, NewMember, NewPerson, Programme, RecordDistribution, RegisterHousehold,
    Registry, RegistryCommand as C, Relationship, Round, Source, SplitHousehold, TransferMember,
    Unit, UpdateWelfare, Welfare,
};
use tangguh_registry::{
    ChronicIllness, Criteria, Disability, DisabilityKind, Maternal, MaternalStatus, MemberFacts,
    Severity, UpdateMemberFacts, Vulnerability, VulnerabilityThresholds,
};

use crate::d;

/// Criteria touching every part of the scan-row first pass.
fn criteria_samples() -> Vec<Criteria> {
    let member =
        |min_age, max_age, vulnerability| Criteria::Member { min_age, max_age, vulnerability };
    let mut out = vec![
        Criteria::Region("62.71.05".parse().unwrap()),
        Criteria::DesilAtMost { desil: 4, max_age_days: Some(30) },
        Criteria::DesilAtMost { desil: 10, max_age_days: None },
        Criteria::AnyVulnerable,
        Criteria::Not(Box::new(Criteria::AnyVulnerable)),
        member(Some(18), Some(40), None),
        member(None, Some(30), None),
        member(Some(60), None, None),
        Criteria::Not(Box::new(member(Some(50), None, None))),
        Criteria::Any(vec![
            member(None, Some(10), None),
            Criteria::DesilAtMost { desil: 3, max_age_days: None },
        ]),
        Criteria::All(vec![
            Criteria::Region("62.71.05.1002".parse().unwrap()),
            Criteria::Not(Box::new(Criteria::DesilAtMost { desil: 5, max_age_days: None })),
        ]),
    ];
    out.extend(Vulnerability::ALL.iter().map(|v| member(None, None, Some(*v))));
    let round = |n| Round::new(Programme::try_new("sembako").unwrap(), n);
    out.push(Criteria::Received(round(1)));
    out.push(Criteria::NotReceived(round(2)));
    out.push(Criteria::All(vec![
        Criteria::AnyVulnerable,
        Criteria::Not(Box::new(Criteria::Received(round(1)))),
        Criteria::Any(vec![
            member(Some(60), None, None),
            member(None, None, Some(Vulnerability::Balita)),
        ]),
    ]));
    out
}

#[derive(Clone, Debug)]
enum Op {
    Register { kel: u16, members: u8, nik: Option<u8>, number: Option<u8> },
    Add { h: usize, nik: Option<u8>, head: bool },
    End { p: usize, reason: u8, day: u8 },
    Transfer { p: usize, h: usize, head: bool },
    ChangeHead { h: usize, p: usize },
    Split { h: usize, n: u8 },
    Merge { a: usize, b: usize },
    Distribute { h: usize, round: u8, top_up: bool },
    MergePersons { a: usize, b: usize },
    Dismiss { a: usize, b: usize },
    Welfare { h: usize, desil: u8 },
    Facts { p: usize, kind: u8 },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        3 => (1001u16..=1003, 0u8..3, proptest::option::of(0u8..6), proptest::option::of(0u8..4))
            .prop_map(|(kel, members, nik, number)| Op::Register { kel, members, nik, number }),
        2 => (any::<usize>(), proptest::option::of(0u8..6), any::<bool>()).prop_map(|(h, nik, head)| Op::Add { h, nik, head }),
        2 => (any::<usize>(), 0u8..4, 0u8..60).prop_map(|(p, reason, day)| Op::End { p, reason, day }),
        1 => (any::<usize>(), any::<usize>(), any::<bool>()).prop_map(|(p, h, head)| Op::Transfer { p, h, head }),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(h, p)| Op::ChangeHead { h, p }),
        1 => (any::<usize>(), 1u8..3).prop_map(|(h, n)| Op::Split { h, n }),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Op::Merge { a, b }),
        1 => (any::<usize>(), 1u8..3, any::<bool>()).prop_map(|(h, round, top_up)| Op::Distribute { h, round, top_up }),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Op::MergePersons { a, b }),
        1 => (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Op::Dismiss { a, b }),
        1 => (any::<usize>(), 1u8..=10).prop_map(|(h, desil)| Op::Welfare { h, desil }),
        1 => (any::<usize>(), 0u8..4).prop_map(|(p, kind)| Op::Facts { p, kind }),
    ]
}

const NIKS: [&str; 6] = [
    "6271050101800001",
    "6271050101800002",
    "6271054101900001",
    "6271050202000001",
    "6271050303100001",
    "6271054404040001",
];
const NUMBERS: [&str; 4] =
    ["6271051203150007", "6271051203150008", "0627105100400012", "0627105100400013"];

struct Gen {
    ids: IdGenerator,
    households: Vec<HouseholdId>,
    people: Vec<PersonId>,
    date: chrono::NaiveDate,
}

impl Gen {
    fn person(&mut self, nik: Option<u8>, seq: usize) -> NewPerson {
        let born = d(1950 + (seq % 60) as i32, 1 + (seq % 12) as u32, 1 + (seq % 28) as u32);
        let sex = if seq.is_multiple_of(2) { Sex::Male } else { Sex::Female };
        let mut p = NewPerson::new(
            self.ids.next_id(),
            Name::try_new(format!("Orang {}", seq % 5)).unwrap(),
            BirthDate::exact(born),
            sex,
        );
        if let Some(n) = nik {
            p = p.with_nik(NIKS[n as usize].parse::<Nik>().unwrap());
        }
        self.people.push(p.id);
        p
    }

    fn pick<T: Copy>(v: &[T], i: usize) -> Option<T> {
        if v.is_empty() { None } else { Some(v[i % v.len()]) }
    }

    fn command(&mut self, op: &Op, reg: &Registry, step: usize) -> Option<C> {
        let date = self.date;
        Some(match *op {
            Op::Register { kel, members, nik, number } => {
                let head = self.person(nik, step);
                let h = self.ids.next_id();
                self.households.push(h);
                let mut c = RegisterHousehold::new(
                    h,
                    format!("62.71.05.{kel}").parse().unwrap(),
                    Neighbourhood::new(1 + (step % 3) as u16).unwrap(),
                    Neighbourhood::new(1).unwrap(),
                    Address::try_new("Jl. Sungai").unwrap(),
                    head,
                    date,
                );
                c.number = number.map(|n| NUMBERS[n as usize].parse::<FamilyNumber>().unwrap());
                for i in 0..members {
                    let p = self.person(None, step + i as usize + 1);
                    c.members.push(NewMember::new(p, Relationship::Child));
                }
                C::RegisterHousehold(c)
            }
            Op::Add { h, nik, head } => {
                let h = Self::pick(&self.households, h)?;
                let p = self.person(nik, step);
                let rel = if head { Relationship::Head } else { Relationship::OtherRelative };
                C::AddMember(AddMember::new(h, Joining::New(p), rel, JoinReason::MovedIn, date))
            }
            Op::End { p, reason, day } => {
                let p = Self::pick(&self.people, p)?;
                let reason = [
                    EndReason::Death,
                    EndReason::MovedOut,
                    EndReason::MarriedOut,
                    EndReason::Correction,
                ][reason as usize];
                // sometimes in the future: refused
                C::EndMembership(EndMembership::new(
                    p,
                    reason,
                    date + chrono::Days::new(u64::from(day) / 50),
                ))
            }
            Op::Transfer { p, h, head } => {
                let rel = if head { Relationship::Head } else { Relationship::Other };
                C::TransferMember(TransferMember::new(
                    Self::pick(&self.people, p)?,
                    Self::pick(&self.households, h)?,
                    rel,
                    date,
                ))
            }
            Op::ChangeHead { h, p } => {
                let h = Self::pick(&self.households, h)?;
                let members: Vec<PersonId> =
                    reg.members(h).iter().map(|(p, _)| p.person.id).collect();
                let mut c = ChangeHead::new(
                    h,
                    Self::pick(&members, p).or_else(|| Self::pick(&self.people, p))?,
                    date,
                );
                c.former_head_relationship = Some(Relationship::Parent);
                C::ChangeHead(c)
            }
            Op::Split { h, n } => {
                let from = Self::pick(&self.households, h)?;
                let members: Vec<MovingMember> = reg
                    .members(from)
                    .iter()
                    .rev()
                    .take(n as usize)
                    .enumerate()
                    .map(|(i, (p, _))| {
                        MovingMember::new(
                            p.person.id,
                            if i == 0 { Relationship::Head } else { Relationship::Child },
                        )
                    })
                    .collect();
                let new = self.ids.next_id();
                self.households.push(new);
                C::SplitHousehold(SplitHousehold {
                    from,
                    new_household: new,
                    members,
                    number: None,
                    kelurahan: "62.71.05.1002".parse().unwrap(),
                    rt: Neighbourhood::new(1).unwrap(),
                    rw: Neighbourhood::new(1).unwrap(),
                    address: Address::try_new("Baru").unwrap(),
                    date,
                })
            }
            Op::Merge { a, b } => {
                let from = Self::pick(&self.households, a)?;
                let into = Self::pick(&self.households, b)?;
                let needs = reg.household(into).is_some_and(|h| h.needs_head());
                let members = reg
                    .members(from)
                    .iter()
                    .enumerate()
                    .map(|(i, (p, _))| {
                        MovingMember::new(
                            p.person.id,
                            if needs && i == 0 {
                                Relationship::Head
                            } else {
                                Relationship::OtherRelative
                            },
                        )
                    })
                    .collect();
                C::MergeHouseholds(MergeHouseholds { from, into, members, date })
            }
            Op::Distribute { h, round, top_up } => {
                let h = Self::pick(&self.households, h)?;
                let mut dist = Distribution::new(
                    Round::new(Programme::try_new("sembako").unwrap(), u16::from(round)),
                    vec![Item::new(
                        ItemName::try_new("beras").unwrap(),
                        Decimal::from(5),
                        Unit::try_new("kg").unwrap(),
                    )],
                    self.ids.next_id(),
                    date,
                );
                if top_up {
                    dist.top_up = Some("tambahan".parse().unwrap());
                }
                C::RecordDistribution(RecordDistribution { household: h, distribution: dist })
            }
            Op::MergePersons { a, b } => C::MergePersons(MergePersons {
                survivor: Self::pick(&self.people, a)?,
                duplicate: Self::pick(&self.people, b)?,
                date,
                note: None,
            }),
            Op::Dismiss { a, b } => C::DismissDuplicate(DismissDuplicate {
                first: Self::pick(&self.people, a)?,
                second: Self::pick(&self.people, b)?,
                date,
                note: None,
            }),
            Op::Facts { p, kind } => {
                let mut facts = MemberFacts::default();
                match kind {
                    0 => {
                        facts.disability = Some(Disability::new(
                            DisabilityKind::Physical,
                            Severity::ALotOfDifficulty,
                        ))
                    }
                    1 => facts.chronic_illness = Some(ChronicIllness::Diabetes),
                    2 => facts.maternal = Some(Maternal::new(MaternalStatus::Pregnant, date)),
                    _ => {}
                }
                C::UpdateMemberFacts(UpdateMemberFacts {
                    person: Self::pick(&self.people, p)?,
                    facts,
                    date,
                })
            }
            Op::Welfare { h, desil } => C::UpdateWelfare(UpdateWelfare {
                household: Self::pick(&self.households, h)?,
                welfare: Welfare::new(
                    Desil::new(desil).unwrap(),
                    Source::try_new("DTSEN").unwrap(),
                    date,
                ),
            }),
        })
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn random_commands_keep_the_rules_and_replay_to_the_same_registry(ops in proptest::collection::vec(op(), 1..40)) {
        let clock = Arc::new(FixedClock::wib(2026, 11, 28, 9, 0));
        let mut book: Book<Registry, _> = Book::open(MemoryJournal::new(), clock.clone()).unwrap();
        let actor = Actor::try_new("prop").unwrap();
        let mut g = Gen { ids: IdGenerator::deterministic(11), households: Vec::new(), people: Vec::new(), date: d(2026, 11, 1) };
        for (step, op) in ops.iter().enumerate() {
            g.date = d(2026, 11, 1) + chrono::Days::new(step as u64 / 3);
            let Some(cmd) = g.command(op, book.state(), step) else { continue };
            let before = book.state().clone();
            match book.execute(Submission::new(actor.clone(), cmd)) {
                Ok(_) => {}
                Err(_) => prop_assert_eq!(&before, book.state()),
            }
            let audit = book.state().audit();
            prop_assert!(audit.is_empty(), "{:?} after {:?}", audit, op);
        }
        let registered = ops.iter().any(|o| matches!(o, Op::Register { .. }));
        prop_assert!(!registered || !book.journal().is_empty());
        // every event survives its JSON form
        for r in book.journal().records() {
            let json = serde_json::to_string(&r.event).unwrap();
            prop_assert_eq!(&serde_json::from_str::<tangguh_registry::RegistryEvent>(&json).unwrap(), &r.event);
        }
        let replayed: Book<Registry, _> = Book::open(book.journal().clone(), clock).unwrap();
        prop_assert_eq!(replayed.state(), book.state());
        // The snapshot form restores the same registry, derived data and all.
        let snapshot = serde_json::to_string(book.state()).unwrap();
        let restored: Registry = serde_json::from_str(&snapshot).unwrap();
        prop_assert_eq!(&restored, book.state());
        // Targeting's scan-row first pass never changes the answer.
        let th = VulnerabilityThresholds::default();
        for on in [d(2026, 11, 28), d(2027, 6, 1), d(1990, 1, 1), d(1955, 6, 1)] {
            for criteria in criteria_samples() {
                let fast = book.state().target(&criteria, on, &th);
                prop_assert_eq!(&fast, &book.state().target_exhaustive(&criteria, on, &th), "{:?}", criteria);
                prop_assert_eq!(book.state().count_eligible(&criteria, on, &th), fast.len());
                prop_assert_eq!(&book.state().target_in(&criteria, on, &th, 3), &fast);
            }
        }
    }
}

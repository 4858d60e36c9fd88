//! The roster's invariants, checked independently of its index, and the
//! property that they hold after any sequence of commands.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use proptest::prelude::*;
use tangguh_core::PersonId;
use tangguh_roster::{
    Assignment, OverridableRule, Override, Roster, RosterCommand, RosterPolicy, ShiftId,
    VolunteerId, VolunteerStatus,
};

use crate::*;

fn overlap(a: (DateTime<Utc>, DateTime<Utc>), b: (DateTime<Utc>, DateTime<Utc>)) -> i64 {
    let s = a.0.max(b.0);
    let e = a.1.min(b.1);
    if e > s { (e - s).num_seconds() } else { 0 }
}

/// Checks, by brute force and without the roster's interval index:
/// 1. no person has two overlapping committed assignments;
/// 2. the index holds exactly the committed assignments;
/// 3. each committed assignment met rest and rolling-hours limits against
///    the assignments committed before it, unless its recorded override
///    lifts that rule;
/// 4. nobody inactive, unskilled or without the credentials is committed
///    (for assignments committed while that was so: the tests never change
///    skills or status after committing).
pub fn assert_invariants(roster: &Roster) {
    let policy = roster.policy();
    let mut by_person: BTreeMap<PersonId, Vec<&Assignment>> = BTreeMap::new();
    for a in roster.assignments().filter(|a| a.status.is_committed()) {
        by_person.entry(a.person).or_default().push(a);
    }
    let span = |a: &Assignment| {
        let s = roster.shift(a.shift).unwrap();
        (s.start, s.end)
    };
    for (person, list) in &by_person {
        // 1. Pairwise disjoint.
        for (i, a) in list.iter().enumerate() {
            for b in &list[i + 1..] {
                assert_eq!(overlap(span(a), span(b)), 0, "{person}: {} and {} overlap", a.id, b.id);
            }
        }
        // 2. The index agrees.
        let mut indexed: Vec<_> =
            roster.committed_intervals(*person).map(|(_, _, _, a)| a).collect();
        let mut expected: Vec<_> = list.iter().map(|a| a.id).collect();
        indexed.sort();
        expected.sort();
        assert_eq!(indexed, expected, "index of {person}");
        // 3. Rest and hours against earlier commitments.
        for a in list {
            let order = a.committed_order.unwrap();
            let lifted = |rule| a.override_.as_ref().is_some_and(|o: &Override| o.lifts(rule));
            let earlier: Vec<_> = list
                .iter()
                .filter(|b| b.committed_order.unwrap() < order)
                .map(|b| span(b))
                .collect();
            let me = span(a);
            for e in &earlier {
                let gap = if e.1 <= me.0 { me.0 - e.1 } else { e.0 - me.1 };
                if gap < Duration::minutes(i64::from(policy.min_rest_minutes)) {
                    assert!(
                        lifted(OverridableRule::Rest),
                        "rest broken by {} without override",
                        a.id
                    );
                }
            }
            for (window, max) in [
                (Duration::hours(24), policy.max_minutes_per_24h),
                (Duration::days(7), policy.max_minutes_per_7d),
            ] {
                let mut t = me.0 - window;
                while t < me.1 {
                    let w = (t, t + window);
                    if overlap(w, me) > 0 {
                        let total: i64 = earlier.iter().chain([&me]).map(|x| overlap(w, *x)).sum();
                        if total > i64::from(max) * 60 {
                            assert!(
                                lifted(OverridableRule::MaxHours),
                                "hours broken by {} without override",
                                a.id
                            );
                        }
                    }
                    t += Duration::minutes(30);
                }
            }
            // 4. Static rules.
            let v = roster.volunteer(a.volunteer).unwrap();
            let s = roster.shift(a.shift).unwrap();
            assert_ne!(v.status, VolunteerStatus::Applied);
            for (skill, level) in &s.required_skills {
                assert!(v.skill_level(skill) >= *level);
            }
        }
    }
}

/// One step of a random scenario. Indices are taken modulo what exists.
#[derive(Clone, Debug)]
pub enum Op {
    Assign { volunteer: usize, shift: usize, lifts: u8 },
    Invite { volunteer: usize, shift: usize },
    Confirm { assignment: usize, lifts: u8 },
    Cancel { assignment: usize },
    CheckIn { assignment: usize },
    CheckOut { assignment: usize, minutes: Option<u32> },
    NoShow { assignment: usize },
    AutoFill { confirm: bool },
    Advance { hours: i64 },
}

pub fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0usize..8, 0usize..8, 0u8..4).prop_map(|(volunteer, shift, lifts)| Op::Assign { volunteer, shift, lifts }),
        2 => (0usize..8, 0usize..8).prop_map(|(volunteer, shift)| Op::Invite { volunteer, shift }),
        2 => (0usize..16, 0u8..4).prop_map(|(assignment, lifts)| Op::Confirm { assignment, lifts }),
        1 => (0usize..16).prop_map(|assignment| Op::Cancel { assignment }),
        1 => (0usize..16).prop_map(|assignment| Op::CheckIn { assignment }),
        1 => (0usize..16, proptest::option::of(0u32..700)).prop_map(|(assignment, minutes)| Op::CheckOut { assignment, minutes }),
        1 => (0usize..16).prop_map(|assignment| Op::NoShow { assignment }),
        1 => any::<bool>().prop_map(|confirm| Op::AutoFill { confirm }),
        1 => (1i64..12).prop_map(|hours| Op::Advance { hours }),
    ]
}

/// Shifts: (start hour, length hours, headcount, needs the skill).
pub fn shifts() -> impl Strategy<Value = Vec<ShiftSpec>> {
    proptest::collection::vec((0i64..96, 1i64..10, 1u16..4, any::<bool>()), 1..8)
}

/// Runs a scenario: volunteers are two engagements of one person, two
/// single people, one never activated, one without the skill, and the
/// coordinator. Commands that are refused are simply refused.
pub fn run_scenario(shift_specs: &[ShiftSpec], ops: &[Op]) -> World {
    let policy = RosterPolicy::default().with_max_minutes(12 * 60, 30 * 60);
    let mut w = World::with_roster(Roster::with_policy(policy));
    let skilled = |p: VolunteerProfile| p.with_skill(code("S"), 2);
    let a = w.volunteer_with(skilled);
    let twin = w.engagement(w.person(a), skilled);
    let b = w.volunteer_with(skilled);
    let c = w.volunteer_with(skilled);
    let unskilled = w.volunteer();
    let inactive: VolunteerId = w.ids.next_id();
    let profile = VolunteerProfile::new(w.ids.next_id(), w.ids.next_id(), name("x"), petuk_bukit());
    w.run(RosterCommand::RegisterVolunteer { volunteer: inactive, profile: skilled(profile) })
        .unwrap();
    let volunteers = [a, twin, b, c, unskilled, inactive, w.coordinator];
    let shifts: Vec<ShiftId> =
        shift_specs
            .iter()
            .map(|&(start, len, headcount, needs)| {
                w.shift_with(start, len, headcount, |s| {
                    if needs { s.with_skill(code("S"), 1) } else { s }
                })
            })
            .collect();
    let mut assignments = Vec::new();
    let lifts = |w: &World, n: u8| match n {
        1 => Some(w.override_(&[OverridableRule::Rest])),
        2 => Some(w.override_(&[OverridableRule::MaxHours])),
        3 => Some(w.override_(&[OverridableRule::Rest, OverridableRule::MaxHours])),
        _ => None,
    };
    for op in ops {
        let pick = |i: usize, list: &[AssignmentId]| list.get(i % list.len().max(1)).copied();
        let command = match op {
            Op::Assign { volunteer, shift, lifts: n } => {
                let id = w.ids.next_id();
                assignments.push(id);
                RosterCommand::Assign {
                    assignment: id,
                    shift: shifts[shift % shifts.len()],
                    volunteer: volunteers[volunteer % volunteers.len()],
                    override_: lifts(&w, *n),
                }
            }
            Op::Invite { volunteer, shift } => {
                let id = w.ids.next_id();
                assignments.push(id);
                RosterCommand::Invite {
                    assignment: id,
                    shift: shifts[shift % shifts.len()],
                    volunteer: volunteers[volunteer % volunteers.len()],
                }
            }
            Op::Confirm { assignment, lifts: n } => match pick(*assignment, &assignments) {
                Some(a) => RosterCommand::Confirm { assignment: a, override_: lifts(&w, *n) },
                None => continue,
            },
            Op::Cancel { assignment } => match pick(*assignment, &assignments) {
                Some(a) => RosterCommand::Cancel { assignment: a, reason: name("batal") },
                None => continue,
            },
            Op::CheckIn { assignment } => match pick(*assignment, &assignments) {
                Some(a) => RosterCommand::CheckIn { assignment: a },
                None => continue,
            },
            Op::CheckOut { assignment, minutes } => match pick(*assignment, &assignments) {
                Some(a) => RosterCommand::CheckOut { assignment: a, minutes: *minutes },
                None => continue,
            },
            Op::NoShow { assignment } => match pick(*assignment, &assignments) {
                Some(a) => RosterCommand::RecordNoShow { assignment: a },
                None => continue,
            },
            Op::AutoFill { confirm } => {
                let seed = w.ids.next_id();
                // Reserve the ids auto-fill will derive from the seed.
                for _ in 0..64 {
                    let _: AssignmentId = w.ids.next_id();
                }
                RosterCommand::AutoFill { incident: w.incident, id_seed: seed, confirm: *confirm }
            }
            Op::Advance { hours } => {
                w.clock.advance(Duration::hours(*hours));
                continue;
            }
        };
        let _ = w.run(command);
        if let Op::AutoFill { .. } = op {
            assignments = w.roster().assignments().map(|a| a.id).collect();
        }
    }
    w
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn rules_hold_after_any_sequence(specs in shifts(), ops in proptest::collection::vec(op(), 0..40)) {
        let w = run_scenario(&specs, &ops);
        assert_invariants(w.roster());
    }
}

/// A shift of a scenario: start and length (as `World::shift_with` takes
/// them), headcount, and whether it needs skill `S`.
pub type ShiftSpec = (i64, i64, u16, bool);

/// Five overlapping shifts, eight volunteers assigned to each, then a
/// confirmed auto-fill: a busy fixed scenario.
pub fn busy_scenario() -> (Vec<ShiftSpec>, Vec<Op>) {
    let specs = vec![
        (0, 6, 3, true),
        (4, 6, 2, false),
        (10, 4, 2, true),
        (20, 8, 3, false),
        (30, 9, 2, true),
    ];
    let mut ops = Vec::new();
    for v in 0..8 {
        for s in 0..5 {
            ops.push(Op::Assign { volunteer: v, shift: s, lifts: ((v + s) % 4) as u8 });
        }
    }
    ops.push(Op::AutoFill { confirm: true });
    (specs, ops)
}

#[test]
fn a_fixed_busy_scenario_keeps_the_invariants() {
    let (specs, ops) = busy_scenario();
    let w = run_scenario(&specs, &ops);
    assert_invariants(w.roster());
    assert!(w.roster().assignments().filter(|a| a.status.is_committed()).count() >= 5);
}

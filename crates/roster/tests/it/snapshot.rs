//! The roster's serialised form (for snapshots): a round trip gives the
//! same roster, deciding the same way; damaged data is refused.

use proptest::prelude::*;
use serde_json::{Value, json};
use tangguh_core::{Aggregate, Context};
use tangguh_roster::{Roster, RosterCommand};

use crate::invariants::{Op, assert_invariants, busy_scenario, op, run_scenario, shifts};
use crate::*;

fn round_trip(roster: &Roster) -> Roster {
    let text = serde_json::to_string(roster).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// Every command the test can think of on `roster`: each lifecycle step of
/// each assignment, a new assignment of each volunteer to each shift, hours
/// and their reversal, team changes, and auto-fill.
fn candidates(w: &mut World) -> Vec<RosterCommand> {
    let roster = w.roster().clone();
    let mut out = Vec::new();
    for a in roster.assignments() {
        out.push(RosterCommand::Confirm { assignment: a.id, override_: None });
        out.push(RosterCommand::Confirm {
            assignment: a.id,
            override_: Some(w.override_(&[OverridableRule::Rest, OverridableRule::MaxHours])),
        });
        out.push(RosterCommand::Cancel { assignment: a.id, reason: name("batal") });
        out.push(RosterCommand::CheckIn { assignment: a.id });
        out.push(RosterCommand::CheckOut { assignment: a.id, minutes: None });
        out.push(RosterCommand::RecordNoShow { assignment: a.id });
    }
    let shifts: Vec<ShiftId> = roster.shifts_of(w.incident).map(|s| s.id).collect();
    for v in roster.volunteers() {
        for s in &shifts {
            out.push(RosterCommand::Assign {
                assignment: w.ids.next_id(),
                shift: *s,
                volunteer: v.id,
                override_: None,
            });
        }
        out.push(RosterCommand::RemoveTeamMember { team: w.team, volunteer: v.id });
    }
    for n in 1..=u64::try_from(roster.hours().len()).unwrap() + 1 {
        out.push(RosterCommand::ReverseHours { entry: n, reason: name("salah catat") });
    }
    for confirm in [false, true] {
        let seed = w.ids.next_id();
        for _ in 0..64 {
            let _: AssignmentId = w.ids.next_id();
        }
        out.push(RosterCommand::AutoFill { incident: w.incident, id_seed: seed, confirm });
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn a_roster_survives_a_json_round_trip(
        specs in shifts(),
        ops in proptest::collection::vec(op(), 0..40),
        extras in any::<bool>(),
    ) {
        let mut w = run_scenario(&specs, &ops);
        if extras {
            // Manual hours, a reversal and a team change: records the
            // scenario alone never makes.
            let v = w.coordinator;
            let incident = Some(w.incident);
            w.run(RosterCommand::RecordHours {
                volunteer: v, date: day(11, 30), minutes: 90, incident, note: name("rapat"),
            }).unwrap();
            let last = u64::try_from(w.roster().hours().len()).unwrap();
            let reason = name("salah catat");
            w.run(RosterCommand::ReverseHours { entry: last, reason }).unwrap();
            let member = w.roster().volunteers().map(|v| v.id).find(|id| *id != v).unwrap();
            w.run(RosterCommand::AddTeamMember { team: w.team, volunteer: member }).unwrap();
            w.run(RosterCommand::RemoveTeamMember { team: w.team, volunteer: member }).unwrap();
        }
        let original = w.roster().clone();
        let loaded = round_trip(&original);
        prop_assert_eq!(&loaded, &original);
        assert_invariants(&loaded);
        // Written again, it is the same text.
        prop_assert_eq!(
            serde_json::to_string(&loaded).unwrap(),
            serde_json::to_string(&original).unwrap()
        );
        // Every next command is decided the same way on both.
        let context = Context::new(w.now(), w.actor.clone());
        let commands = candidates(&mut w);
        let mut applied = false;
        for command in &commands {
            let a = original.decide(command, &context);
            let b = loaded.decide(command, &context);
            prop_assert_eq!(&a, &b, "{:?}", command);
            // Apply the first accepted auto-fill on both: still equal.
            if let (Ok(events), RosterCommand::AutoFill { .. }, false) = (&a, command, applied) {
                let (mut x, mut y) = (original.clone(), loaded.clone());
                for e in events {
                    x.apply(e);
                    y.apply(e);
                }
                prop_assert_eq!(&x, &y);
                prop_assert_eq!(round_trip(&x), x);
                applied = true;
            }
        }
    }
}

#[test]
fn a_busy_roster_round_trips() {
    let (specs, mut ops) = busy_scenario();
    for a in 0..16 {
        ops.push(Op::CheckIn { assignment: a });
        if a % 3 == 0 {
            ops.push(Op::CheckOut { assignment: a, minutes: Some(120) });
        }
    }
    let w = run_scenario(&specs, &ops);
    let roster = w.roster();
    assert!(roster.assignments().filter(|a| a.status.is_committed()).count() >= 5);
    assert!(!roster.hours().is_empty());
    let loaded = round_trip(roster);
    assert_eq!(&loaded, roster);
    assert_invariants(&loaded);
}

/// A roster with two committed assignments of one volunteer (shifts 0-4 h
/// and 12-16 h), manual hours and their reversal; and its JSON.
fn sample() -> (World, Value) {
    let mut w = World::new();
    let v = w.volunteer();
    let (s1, s2) = (w.shift(0, 4, 1), w.shift(12, 4, 1));
    w.assign(v, s1).unwrap();
    w.assign(v, s2).unwrap();
    w.run(RosterCommand::RecordHours {
        volunteer: v,
        date: day(11, 30),
        minutes: 60,
        incident: None,
        note: name("rapat"),
    })
    .unwrap();
    w.run(RosterCommand::ReverseHours { entry: 1, reason: name("salah catat") }).unwrap();
    let json = serde_json::to_value(w.roster()).unwrap();
    (w, json)
}

fn refused(json: Value) -> String {
    match serde_json::from_value::<Roster>(json) {
        Ok(_) => panic!("damaged roster was accepted"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn the_stored_form_holds_records_only() {
    let (w, json) = sample();
    let mut keys: Vec<&str> = json.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort_unstable();
    assert_eq!(
        keys,
        ["assignments", "hours", "incidents", "policy", "shifts", "teams", "volunteers"]
    );
    assert_eq!(json["assignments"].as_array().unwrap().len(), 2);
    let loaded: Roster = serde_json::from_value(json).unwrap();
    assert_eq!(&loaded, w.roster());
    assert_invariants(&loaded);
    // The reversed entry stays reversed: it cannot be reversed again.
    let context = Context::new(w.now(), w.actor.clone());
    let again = RosterCommand::ReverseHours { entry: 1, reason: name("lagi") };
    assert_eq!(loaded.decide(&again, &context), Err(RosterError::NotReversible(1)));
    // An empty roster round-trips too.
    assert_eq!(round_trip(&Roster::default()), Roster::default());
}

#[test]
fn an_assignment_naming_an_unknown_shift_is_refused() {
    let (w, mut json) = sample();
    let unknown: ShiftId = w.ids.next_id();
    json["assignments"][0]["shift"] = serde_json::to_value(unknown).unwrap();
    let message = refused(json);
    assert!(
        message.contains("unknown shift") && message.contains(&unknown.to_string()),
        "{message}"
    );
}

#[test]
fn an_assignment_naming_an_unknown_volunteer_is_refused() {
    let (w, mut json) = sample();
    let unknown: VolunteerId = w.ids.next_id();
    json["assignments"][1]["volunteer"] = serde_json::to_value(unknown).unwrap();
    let message = refused(json);
    assert!(message.contains("unknown volunteer"), "{message}");
}

#[test]
fn duplicate_ids_are_refused() {
    for list in ["volunteers", "teams", "incidents", "shifts", "assignments"] {
        let (_, mut json) = sample();
        let items = json[list].as_array_mut().unwrap();
        let first = items[0].clone();
        items.push(first);
        let message = refused(json);
        assert!(
            message.contains("appears twice") || message.contains("one engagement"),
            "{list}: {message}"
        );
    }
}

#[test]
fn overlapping_commitments_are_refused() {
    let (_, mut json) = sample();
    // Move the second shift onto the first: the volunteer is now committed
    // twice at once.
    let first = json["shifts"][0].clone();
    for key in ["start", "end"] {
        json["shifts"][1][key] = first[key].clone();
    }
    let message = refused(json);
    assert!(message.contains("overlap"), "{message}");
}

/// An edit of a stored roster.
type Damage = fn(&mut Value);

#[test]
fn inconsistent_hours_and_commitments_are_refused() {
    let damage: [(&str, Damage); 6] = [
        ("numbered", |j| j["hours"][1]["number"] = json!(5)),
        ("reverses 2", |j| j["hours"][1]["reverses"] = json!(2)),
        ("reversal of nothing", |j| j["hours"][1]["reverses"] = Value::Null),
        ("no commitment order", |j| j["assignments"][0]["committed_order"] = Value::Null),
        ("share commitment order", |j| {
            j["assignments"][0]["committed_order"] = j["assignments"][1]["committed_order"].clone();
        }),
        ("does not list", |j| {
            j["teams"][0]["members"] = json!([]);
            j["teams"][0]["coordinator"] = Value::Null;
        }),
    ];
    for (expected, damage) in damage {
        let (_, mut json) = sample();
        damage(&mut json);
        let message = refused(json);
        assert!(message.contains(expected), "{expected}: {message}");
    }
}

#[test]
fn malformed_json_is_an_error_not_a_panic() {
    let (_, mut json) = sample();
    json["assignments"] = json!(3);
    refused(json);
    assert!(serde_json::from_str::<Roster>("{\"policy\":").is_err());
    assert!(serde_json::from_str::<Roster>("[]").is_err());
}

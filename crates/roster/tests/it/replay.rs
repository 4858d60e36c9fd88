//! Replaying the journal gives the same roster; the JSON forms are stable.

use proptest::prelude::*;
use tangguh_core::{DomainEvent, MemoryJournal, Recorded};
use tangguh_roster::{Roster, RosterCommand, RosterEvent};

use crate::invariants::{op, run_scenario, shifts};
use crate::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn replay_gives_the_same_roster(specs in shifts(), ops in proptest::collection::vec(op(), 0..40)) {
        let w = run_scenario(&specs, &ops);
        let replayed = w.replayed();
        prop_assert_eq!(replayed.state(), w.roster());
        // Through JSON too: every event survives a round trip.
        let mut journal = MemoryJournal::new();
        let records: Vec<Recorded<RosterEvent>> = w
            .book
            .journal()
            .records()
            .iter()
            .map(|r| {
                let json = serde_json::to_value(&r.event).unwrap();
                let event = RosterEvent::upgrade(RosterEvent::SCHEMA_VERSION, json).unwrap();
                Recorded::new(r.sequence, r.recorded_at, r.actor.clone(), r.request.clone(), event)
            })
            .collect();
        tangguh_core::Journal::append(&mut journal, &records).unwrap();
        let from_json: RosterBook = Book::open_with(w.initial.clone(), journal, w.clock.clone()).unwrap();
        prop_assert_eq!(from_json.state(), w.roster());
    }
}

#[test]
fn json_forms_are_snake_case_and_tagged() {
    let mut w = World::new();
    let v = w.volunteer();
    let s = w.shift(8, 4, 1);
    let a = w.ids.next_id();
    let command = RosterCommand::Assign { assignment: a, shift: s, volunteer: v, override_: None };
    let json = serde_json::to_value(&command).unwrap();
    assert_eq!(json["type"], "assign");
    assert!(json.get("override").is_some());
    let back: RosterCommand = serde_json::from_value(json).unwrap();
    assert_eq!(back, command);
    let events = w.run(command).unwrap();
    let json = serde_json::to_value(&events[0]).unwrap();
    assert_eq!(json["type"], "assignment_created");
    assert_eq!(json["status"], "confirmed");
    assert_eq!(json["origin"], "direct");
    assert_eq!(RosterEvent::SCHEMA_VERSION, 1);
}

#[test]
fn nik_is_masked_in_debug_but_kept_in_json() {
    let nik: tangguh_core::Nik = "6271054508900001".parse().unwrap();
    let profile =
        VolunteerProfile::new(w_person(), w_org(), name("Siti"), petuk_bukit()).with_nik(nik);
    let debug = format!("{profile:?}");
    assert!(!debug.contains("6271054508900001"), "{debug}");
    let json = serde_json::to_string(&profile).unwrap();
    assert!(json.contains("6271054508900001"));
    let back: VolunteerProfile = serde_json::from_str(&json).unwrap();
    assert_eq!(back, profile);
}

fn w_person() -> PersonId {
    IdGenerator::deterministic(1).next_id()
}

fn w_org() -> tangguh_core::OrganizationId {
    IdGenerator::deterministic(2).next_id()
}

#[test]
fn a_book_opened_with_a_policy_replays_with_it() {
    let policy = tangguh_roster::RosterPolicy::default().with_min_rest_minutes(0);
    let mut w = World::with_roster(Roster::with_policy(policy));
    let v = w.volunteer();
    let (s1, s2) = (w.shift(0, 4, 1), w.shift(4, 4, 1));
    w.assign(v, s1).unwrap();
    w.assign(v, s2).unwrap();
    assert_eq!(w.replayed().state(), w.roster());
}

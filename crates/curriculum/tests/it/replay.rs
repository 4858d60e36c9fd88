//! Replaying the journal gives the same state; commands and events have a
//! stable JSON form.

use proptest::prelude::*;
use tangguh_core::{Book, Journal};
use tangguh_curriculum::{Curriculum, CurriculumCommand, CurriculumEvent};

use crate::enrollment::{Fixture, op};

fn assert_replays(f: &Fixture) {
    let journal = f.w.book.journal().clone();
    let replayed: Book<Curriculum, _> = Book::open(journal, f.w.clock.clone()).unwrap();
    assert_eq!(replayed.state(), f.w.state());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn replaying_the_journal_gives_the_same_state(ops in proptest::collection::vec(op(), 1..60)) {
        let mut f = Fixture::new();
        for op in &ops {
            for command in f.commands(op) {
                let _ = f.w.run(command);
            }
        }
        let journal = f.w.book.journal().clone();
        let replayed: Book<Curriculum, _> = Book::open(journal, f.w.clock.clone()).unwrap();
        prop_assert_eq!(replayed.state(), f.w.state());
        // A snapshot (the state as JSON) restores the same state, indexes
        // included: the same queries answer the same.
        let json = serde_json::to_string(f.w.state()).unwrap();
        let restored: Curriculum = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(&restored, f.w.state());
        for person in &f.people {
            let on = chrono::NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
            prop_assert_eq!(restored.is_prepared(*person, on), f.w.state().is_prepared(*person, on));
            prop_assert_eq!(restored.transcript(*person), f.w.state().transcript(*person));
        }
    }
}

#[test]
fn events_and_commands_round_trip_through_json() {
    let mut f = Fixture::new();
    let ops: Vec<_> = {
        use proptest::strategy::ValueTree;
        use proptest::test_runner::TestRunner;
        let mut runner = TestRunner::deterministic();
        (0..200).map(|_| op().new_tree(&mut runner).unwrap().current()).collect()
    };
    for command in ops.iter().flat_map(|op| f.commands(op)).collect::<Vec<_>>() {
        let json = serde_json::to_string(&command).unwrap();
        assert_eq!(serde_json::from_str::<CurriculumCommand>(&json).unwrap(), command);
        let _ = f.w.run(command);
    }
    let records = f.w.book.journal().read_range(1, u64::MAX).unwrap();
    assert!(records.len() > 20);
    for record in records {
        let json = serde_json::to_value(&record.event).unwrap();
        assert!(json["type"].is_string());
        let back: CurriculumEvent =
            <CurriculumEvent as tangguh_core::DomainEvent>::upgrade(1, json).unwrap();
        assert_eq!(back, record.event);
    }
    assert_replays(&f);
}

#[test]
fn the_json_form_is_snake_case() {
    let mut f = Fixture::new();
    let cohort = f.cohorts[0];
    let person = f.people[0];
    let cmd = CurriculumCommand::Enrol { cohort, person };
    let json = serde_json::to_value(&cmd).unwrap();
    assert_eq!(json["type"], "enrol");
    f.w.ok(cmd);
    let result =
        serde_json::to_value(tangguh_curriculum::AssessmentResult::NotYetCompetent).unwrap();
    assert_eq!(result, "belum_kompeten");
    let status = serde_json::to_value(tangguh_curriculum::AttendanceStatus::Excused).unwrap();
    assert_eq!(status, "excused");
    assert_replays(&f);
}

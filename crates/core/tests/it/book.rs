//! The decide/record/apply machinery, on a toy aggregate: named tallies that
//! can be raised and lowered but never go below zero.

use std::collections::BTreeMap;
use std::ops::ControlFlow;
use std::sync::Arc;

use proptest::prelude::*;
use serde::{Deserialize, Serialize};
use tangguh_core::{
    Actor, Aggregate, Book, BookError, Context, DomainEvent, FixedClock, Journal, JournalError,
    MemoryJournal, Recorded, RequestId, RequestRecord, Submission,
};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Tallies(BTreeMap<String, u64>);

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
enum Command {
    Raise { name: String, by: u64 },
    Lower { name: String, by: u64 },
    Nothing,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
enum Event {
    Raised { name: String, by: u64 },
    Lowered { name: String, by: u64 },
}

impl DomainEvent for Event {
    const SCHEMA_VERSION: u32 = 1;
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
enum TallyError {
    #[error("{name} would go below zero")]
    BelowZero { name: String },
    #[error("{name} would overflow")]
    Overflow { name: String },
}

impl Aggregate for Tallies {
    type Command = Command;
    type Event = Event;
    type Error = TallyError;

    fn decide(&self, command: &Command, _: &Context) -> Result<Vec<Event>, TallyError> {
        let current = |name: &str| self.0.get(name).copied().unwrap_or(0);
        match command {
            Command::Raise { name, by } => {
                current(name)
                    .checked_add(*by)
                    .ok_or_else(|| TallyError::Overflow { name: name.clone() })?;
                // Two events for one command, to exercise multi-event batches.
                let half = by / 2;
                Ok(vec![
                    Event::Raised { name: name.clone(), by: half },
                    Event::Raised { name: name.clone(), by: by - half },
                ])
            }
            Command::Lower { name, by } => {
                if current(name) < *by {
                    return Err(TallyError::BelowZero { name: name.clone() });
                }
                Ok(vec![Event::Lowered { name: name.clone(), by: *by }])
            }
            Command::Nothing => Ok(Vec::new()),
        }
    }

    fn apply(&mut self, event: &Event) {
        match event {
            Event::Raised { name, by } => {
                let v = self.0.entry(name.clone()).or_default();
                *v = v.saturating_add(*by);
            }
            Event::Lowered { name, by } => {
                let v = self.0.entry(name.clone()).or_default();
                *v = v.saturating_sub(*by);
            }
        }
    }
}

fn clock() -> Arc<FixedClock> {
    Arc::new(FixedClock::wib(2026, 11, 28, 9, 0))
}

fn actor() -> Actor {
    Actor::try_new("tester").unwrap()
}

fn raise(name: &str, by: u64) -> Command {
    Command::Raise { name: name.into(), by }
}

/// A journal that can be told to fail its next append.
#[derive(Clone, Debug, Default)]
struct Flaky {
    inner: MemoryJournal<Event>,
    fail_next: bool,
}

impl Journal<Event> for Flaky {
    fn next_sequence(&self) -> Result<u64, JournalError> {
        self.inner.next_sequence()
    }
    fn append(&mut self, batch: &[Recorded<Event>]) -> Result<(), JournalError> {
        if std::mem::take(&mut self.fail_next) {
            return Err(JournalError::Storage { message: "disk full".into(), source: None });
        }
        self.inner.append(batch)
    }
    fn for_each_from(
        &self,
        from: u64,
        visit: &mut dyn FnMut(Recorded<Event>) -> ControlFlow<()>,
    ) -> Result<(), JournalError> {
        self.inner.for_each_from(from, visit)
    }
    fn find_request(&self, id: &RequestId) -> Result<Option<RequestRecord>, JournalError> {
        self.inner.find_request(id)
    }
}

#[test]
fn a_command_is_decided_recorded_and_applied() {
    let mut book: Book<Tallies, _> = Book::open(MemoryJournal::new(), clock()).unwrap();
    let outcome = book.run(&actor(), raise("beras", 5)).unwrap();
    assert_eq!(outcome.records.len(), 2);
    assert_eq!(outcome.records[0].sequence, 1);
    assert_eq!(outcome.records[1].sequence, 2);
    assert_eq!(outcome.records[0].actor, actor());
    assert_eq!(outcome.records[0].recorded_at, clock().now_utc());
    assert_eq!(book.state().0["beras"], 5);
    assert_eq!(book.last_sequence(), 2);
}

trait NowUtc {
    fn now_utc(&self) -> chrono::DateTime<chrono::Utc>;
}
impl NowUtc for FixedClock {
    fn now_utc(&self) -> chrono::DateTime<chrono::Utc> {
        tangguh_core::Clock::now(self)
    }
}

#[test]
fn a_refused_command_changes_nothing() {
    let mut book: Book<Tallies, _> = Book::open(MemoryJournal::new(), clock()).unwrap();
    book.run(&actor(), raise("beras", 5)).unwrap();
    let err = book.run(&actor(), Command::Lower { name: "beras".into(), by: 6 }).unwrap_err();
    assert_eq!(err.rejection(), Some(&TallyError::BelowZero { name: "beras".into() }));
    assert_eq!(book.state().0["beras"], 5);
    assert_eq!(book.journal().len(), 2);
}

#[test]
fn a_command_without_events_records_nothing() {
    let mut book: Book<Tallies, _> = Book::open(MemoryJournal::new(), clock()).unwrap();
    let outcome = book.run(&actor(), Command::Nothing).unwrap();
    assert!(outcome.records.is_empty());
    assert!(book.journal().is_empty());
}

#[test]
fn a_failed_append_applies_nothing() {
    let mut book: Book<Tallies, _> = Book::open(Flaky::default(), clock()).unwrap();
    book.run(&actor(), raise("beras", 5)).unwrap();
    let mut journal = book.journal().clone();
    journal.fail_next = true;
    let (state, _) = book.into_parts();
    let mut book = Book::resume(state, 2, journal, clock()).unwrap();
    let err = book.run(&actor(), raise("beras", 1)).unwrap_err();
    assert!(matches!(err, BookError::Journal(JournalError::Storage { .. })));
    assert_eq!(book.state().0["beras"], 5);
    // The book goes on working after a failed single append.
    book.run(&actor(), raise("beras", 1)).unwrap();
    assert_eq!(book.state().0["beras"], 6);
    assert_eq!(book.last_sequence(), 4);
}

#[test]
fn retries_are_answered_and_reuse_is_refused() {
    let mut book: Book<Tallies, _> = Book::open(MemoryJournal::new(), clock()).unwrap();
    let id = RequestId::try_new("req-1").unwrap();
    let first =
        book.execute(Submission::new(actor(), raise("a", 3)).with_request_id(id.clone())).unwrap();
    let retry =
        book.execute(Submission::new(actor(), raise("a", 3)).with_request_id(id.clone())).unwrap();
    assert!(!first.already_recorded);
    assert!(retry.already_recorded);
    assert_eq!(retry.records, first.records);
    assert_eq!(book.state().0["a"], 3);
    let err = book
        .execute(Submission::new(actor(), raise("a", 4)).with_request_id(id.clone()))
        .unwrap_err();
    assert!(matches!(err, BookError::RequestIdReused { request_id } if request_id == id));
    assert_eq!(book.journal().len(), 2);

    // After a reopen the journal still answers for the id.
    let mut reopened: Book<Tallies, _> = Book::open(book.journal().clone(), clock()).unwrap();
    let again =
        reopened.execute(Submission::new(actor(), raise("a", 3)).with_request_id(id)).unwrap();
    assert!(again.already_recorded);
    assert_eq!(reopened.state(), book.state());
}

#[test]
fn group_commit_gives_each_submission_its_outcome() {
    let mut book: Book<Tallies, _> = Book::open(MemoryJournal::new(), clock()).unwrap();
    let id = RequestId::try_new("g-1").unwrap();
    let results = book.execute_all(vec![
        Submission::new(actor(), raise("a", 2)).with_request_id(id.clone()),
        Submission::new(actor(), Command::Lower { name: "a".into(), by: 1 }),
        Submission::new(actor(), Command::Lower { name: "a".into(), by: 5 }),
        Submission::new(actor(), raise("a", 2)).with_request_id(id.clone()),
        Submission::new(actor(), raise("a", 9)).with_request_id(id.clone()),
    ]);
    assert_eq!(results.len(), 5);
    let first = results[0].as_ref().unwrap();
    assert_eq!(first.records.iter().map(|r| r.sequence).collect::<Vec<_>>(), [1, 2]);
    assert_eq!(results[1].as_ref().unwrap().records[0].sequence, 3);
    assert!(matches!(results[2], Err(BookError::Rejected(TallyError::BelowZero { .. }))));
    let retry = results[3].as_ref().unwrap();
    assert!(retry.already_recorded);
    assert_eq!(retry.records, first.records);
    assert!(matches!(results[4], Err(BookError::RequestIdReused { .. })));
    assert_eq!(book.state().0["a"], 1);
    assert_eq!(book.journal().len(), 3);
}

#[test]
fn a_failed_group_commit_poisons_the_book_and_records_nothing() {
    let journal = Flaky { fail_next: true, ..Flaky::default() };
    let mut book: Book<Tallies, _> = Book::open(journal, clock()).unwrap();
    let results = book.execute_all(vec![
        Submission::new(actor(), raise("a", 2)),
        Submission::new(actor(), raise("b", 2)),
        Submission::new(actor(), Command::Lower { name: "c".into(), by: 1 }),
    ]);
    assert!(matches!(results[0], Err(BookError::Journal(_))));
    assert!(matches!(results[1], Err(BookError::Poisoned)));
    assert!(matches!(results[2], Err(BookError::Rejected(_))));
    assert!(matches!(book.run(&actor(), raise("a", 1)), Err(BookError::Poisoned)));
    let (_, journal) = book.into_parts();
    assert_eq!(journal.inner.len(), 0);
    let reopened: Book<Tallies, _> = Book::open(journal, clock()).unwrap();
    assert_eq!(reopened.state(), &Tallies::default());
}

#[test]
fn a_gap_in_the_journal_is_an_error_on_open() {
    #[derive(Clone, Debug, Default)]
    struct Gappy(Vec<Recorded<Event>>);
    impl Journal<Event> for Gappy {
        fn next_sequence(&self) -> Result<u64, JournalError> {
            Ok(4)
        }
        fn append(&mut self, _: &[Recorded<Event>]) -> Result<(), JournalError> {
            Ok(())
        }
        fn for_each_from(
            &self,
            _: u64,
            visit: &mut dyn FnMut(Recorded<Event>) -> ControlFlow<()>,
        ) -> Result<(), JournalError> {
            for r in &self.0 {
                let _ = visit(r.clone());
            }
            Ok(())
        }
        fn find_request(&self, _: &RequestId) -> Result<Option<RequestRecord>, JournalError> {
            Ok(None)
        }
    }
    let event = Event::Raised { name: "a".into(), by: 1 };
    let at = chrono::DateTime::UNIX_EPOCH;
    let gappy = Gappy(vec![
        Recorded::new(1, at, actor(), None, event.clone()),
        Recorded::new(3, at, actor(), None, event),
    ]);
    let err = Book::<Tallies, _>::open(gappy, clock()).unwrap_err();
    assert!(matches!(err, JournalError::Corrupt { sequence: 2, .. }), "{err}");
}

fn command() -> impl Strategy<Value = Command> {
    let name = prop::sample::select(vec!["a", "b", "c"]).prop_map(String::from);
    prop_oneof![
        (name.clone(), 0u64..20).prop_map(|(name, by)| Command::Raise { name, by }),
        (name, 0u64..20).prop_map(|(name, by)| Command::Lower { name, by }),
        Just(Command::Nothing),
        Just(Command::Raise { name: "a".into(), by: u64::MAX }),
    ]
}

fn request() -> impl Strategy<Value = Option<String>> {
    prop::option::of(prop::sample::select(vec!["r1", "r2", "r3", "r4"]).prop_map(String::from))
}

proptest! {
    #[test]
    fn replay_gives_the_same_state_and_retries_never_apply_twice(
        steps in prop::collection::vec((command(), request(), any::<bool>()), 0..60),
    ) {
        let mut book: Book<Tallies, _> = Book::open(MemoryJournal::new(), clock()).unwrap();
        // A model: the state each accepted request id first produced, and a
        // plain tally applied once per accepted, non-retried command.
        let mut model = Tallies::default();
        let mut seen: BTreeMap<String, Command> = BTreeMap::new();
        let mut pending_group = Vec::new();
        for (command, request, grouped) in steps {
            let mut submission = Submission::new(actor(), command.clone());
            if let Some(id) = &request {
                submission = submission.with_request_id(RequestId::try_new(id).unwrap());
            }
            if grouped {
                pending_group.push((submission, command, request));
                continue;
            }
            let outcome = book.execute(submission);
            check(&mut model, &mut seen, command, request, outcome)?;
        }
        let (submissions, rest): (Vec<_>, Vec<_>) =
            pending_group.into_iter().map(|(s, c, r)| (s, (c, r))).unzip();
        let outcomes = book.execute_all(submissions);
        for ((command, request), outcome) in rest.into_iter().zip(outcomes) {
            check(&mut model, &mut seen, command, request, outcome)?;
        }
        prop_assert_eq!(book.state(), &model);
        let replayed: Book<Tallies, _> = Book::open(book.journal().clone(), clock()).unwrap();
        prop_assert_eq!(replayed.state(), book.state());
        prop_assert_eq!(replayed.last_sequence(), book.last_sequence());
    }
}

fn check(
    model: &mut Tallies,
    seen: &mut BTreeMap<String, Command>,
    command: Command,
    request: Option<String>,
    outcome: Result<tangguh_core::Outcome<Event>, BookError<TallyError>>,
) -> Result<(), TestCaseError> {
    if let Some(first) = request.as_ref().and_then(|id| seen.get(id)) {
        if *first == command {
            prop_assert!(outcome.unwrap().already_recorded);
        } else {
            prop_assert!(
                matches!(outcome, Err(BookError::RequestIdReused { .. })),
                "{:?}",
                outcome
            );
        }
        return Ok(());
    }
    let expected = model.decide(&command, &Context::new(chrono::DateTime::UNIX_EPOCH, actor()));
    match (expected, outcome) {
        (Ok(events), Ok(outcome)) => {
            prop_assert!(!outcome.already_recorded);
            prop_assert_eq!(outcome.events().cloned().collect::<Vec<_>>(), events.clone());
            for e in &events {
                model.apply(e);
            }
            if let Some(id) = request.filter(|_| !events.is_empty()) {
                seen.insert(id, command);
            }
        }
        (Err(want), Err(BookError::Rejected(got))) => prop_assert_eq!(want, got),
        (want, got) => prop_assert!(false, "model {:?}, book {:?}", want, got),
    }
    Ok(())
}

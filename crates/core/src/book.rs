//! The book: runs commands (decide, record, apply) and holds the state.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::ControlFlow;
use std::sync::Arc;

use crate::aggregate::{Aggregate, Context};
use crate::error::{BookError, JournalError};
use crate::journal::{CommandDigest, Journal, Recorded, RequestRecord, RequestStamp};
use crate::text::{Actor, RequestId};
use crate::time::Clock;

/// A command with who sent it and, optionally, the client's request id.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Submission<C> {
    /// The command.
    pub command: C,
    /// Who sent it.
    pub actor: Actor,
    /// The client's request id: a retry with the same id is answered with the
    /// first outcome and records nothing.
    pub request_id: Option<RequestId>,
}

impl<C> Submission<C> {
    /// A submission without a request id.
    #[must_use]
    pub fn new(actor: Actor, command: C) -> Self {
        Self { command, actor, request_id: None }
    }

    /// The same submission with a request id.
    #[must_use]
    pub fn with_request_id(self, request_id: RequestId) -> Self {
        Self { request_id: Some(request_id), ..self }
    }
}

/// The result of executing one submission.
pub type Executed<A> = Result<Outcome<<A as Aggregate>::Event>, BookError<<A as Aggregate>::Error>>;

/// What executing a command recorded.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Outcome<E> {
    /// The recorded events (none if the command changed nothing).
    pub records: Vec<Recorded<E>>,
    /// `true` when this was a retry of a request id already recorded: the
    /// records are the original ones and nothing new was recorded
    /// (TigerBeetle's `exists`).
    pub already_recorded: bool,
}

impl<E> Outcome<E> {
    /// The events, without their recording data.
    pub fn events(&self) -> impl Iterator<Item = &E> {
        self.records.iter().map(|r| &r.event)
    }
}

/// A domain's state and its journal: the one way commands are run.
///
/// [`execute`](Book::execute) decides the command against the state, appends
/// the events to the journal, and only then applies them, so a refused
/// command or a failed append leaves both untouched. Opening a book replays
/// its journal. Queries go to [`state`](Book::state).
///
/// Idempotency: a submission with a request id that the journal already holds
/// gets the original outcome back and records nothing; the same id with a
/// different command is refused with [`BookError::RequestIdReused`]. Only
/// accepted commands are recorded, so a refused command may be retried with
/// the same id (and may succeed if the state has changed).
///
/// # Examples
///
/// ```
/// # use tangguh_core::{Aggregate, Context, DomainEvent};
/// # #[derive(Default, PartialEq, Debug)] struct Counter(u64);
/// # #[derive(Clone, Debug, serde::Serialize, serde::Deserialize)] struct Add(u64);
/// # #[derive(Clone, Debug, serde::Serialize, serde::Deserialize)] struct Added(u64);
/// # impl DomainEvent for Added { const SCHEMA_VERSION: u32 = 1; }
/// # #[derive(Debug, thiserror::Error)] #[error("overflow")] struct Overflow;
/// # impl Aggregate for Counter {
/// #     type Command = Add; type Event = Added; type Error = Overflow;
/// #     fn decide(&self, c: &Add, _: &Context) -> Result<Vec<Added>, Overflow> {
/// #         self.0.checked_add(c.0).ok_or(Overflow)?; Ok(vec![Added(c.0)]) }
/// #     fn apply(&mut self, e: &Added) { self.0 += e.0 }
/// # }
/// use std::sync::Arc;
/// use tangguh_core::{Actor, Book, FixedClock, MemoryJournal, RequestId, Submission};
///
/// let clock = Arc::new(FixedClock::wib(2026, 11, 28, 9, 0));
/// let mut book: Book<Counter, _> = Book::open(MemoryJournal::new(), clock.clone())?;
/// let actor = Actor::try_new("kasir")?;
/// let submission = Submission::new(actor, Add(5)).with_request_id(RequestId::try_new("r1")?);
/// book.execute(submission.clone())?;
/// // A retry is answered, not applied twice.
/// assert!(book.execute(submission)?.already_recorded);
/// assert_eq!(book.state(), &Counter(5));
///
/// // Replaying the journal gives the same state.
/// let replayed: Book<Counter, _> = Book::open(book.journal().clone(), clock)?;
/// assert_eq!(replayed.state(), book.state());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct Book<A: Aggregate, J> {
    state: A,
    journal: J,
    clock: Arc<dyn Clock>,
    next_sequence: u64,
    poisoned: bool,
}

impl<A, J> fmt::Debug for Book<A, J>
where
    A: Aggregate + fmt::Debug,
    J: fmt::Debug,
{
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Book")
            .field("state", &self.state)
            .field("journal", &self.journal)
            .field("next_sequence", &self.next_sequence)
            .field("poisoned", &self.poisoned)
            .finish_non_exhaustive()
    }
}

impl<A, J> Book<A, J>
where
    A: Aggregate,
    J: Journal<A::Event>,
{
    /// Opens a book on `journal`, replaying every record onto a default state.
    ///
    /// # Errors
    ///
    /// The journal's error if it cannot be read, or
    /// [`JournalError::Corrupt`] if its sequence numbers have a gap.
    pub fn open(journal: J, clock: Arc<dyn Clock>) -> Result<Self, JournalError>
    where
        A: Default,
    {
        Self::open_with(A::default(), journal, clock)
    }

    /// Opens a book on `journal`, replaying every record onto `initial` (a
    /// state carrying configuration, say).
    ///
    /// # Errors
    ///
    /// As [`Book::open`].
    pub fn open_with(initial: A, journal: J, clock: Arc<dyn Clock>) -> Result<Self, JournalError> {
        Self::resume(initial, 0, journal, clock)
    }

    /// Opens a book from a snapshot: `state` has every record up to and
    /// including `applied_through` applied; the rest are replayed.
    ///
    /// # Errors
    ///
    /// As [`Book::open`].
    pub fn resume(
        mut state: A,
        applied_through: u64,
        journal: J,
        clock: Arc<dyn Clock>,
    ) -> Result<Self, JournalError> {
        let mut expected = applied_through.saturating_add(1);
        let mut gap = None;
        journal.for_each_from(expected, &mut |record| {
            if record.sequence != expected {
                gap = Some(expected);
                return ControlFlow::Break(());
            }
            state.apply(&record.event);
            expected = expected.saturating_add(1);
            ControlFlow::Continue(())
        })?;
        if let Some(sequence) = gap {
            return Err(JournalError::Corrupt {
                stream: String::new(),
                sequence,
                reason: "a record is missing".into(),
            });
        }
        let next_sequence = journal.next_sequence()?;
        if next_sequence != expected {
            return Err(JournalError::Corrupt {
                stream: String::new(),
                sequence: expected,
                reason: format!(
                    "replay ended at {expected} but the journal continues to {next_sequence}"
                ),
            });
        }
        Ok(Self { state, journal, clock, next_sequence, poisoned: false })
    }

    /// The state, for queries.
    pub fn state(&self) -> &A {
        &self.state
    }

    /// The journal, for reading the record.
    pub fn journal(&self) -> &J {
        &self.journal
    }

    /// The clock commands are decided with.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// The sequence number of the last record applied (0 if none).
    pub fn last_sequence(&self) -> u64 {
        self.next_sequence.saturating_sub(1)
    }

    /// The state and the journal, consuming the book.
    pub fn into_parts(self) -> (A, J) {
        (self.state, self.journal)
    }

    /// Decides `command` for `actor` without recording anything: what would
    /// happen now.
    ///
    /// # Errors
    ///
    /// The domain's error if the command would be refused.
    pub fn preview(&self, actor: &Actor, command: &A::Command) -> Result<Vec<A::Event>, A::Error> {
        self.state.decide(command, &Context::new(self.clock.now(), actor.clone()))
    }

    /// Runs `command` for `actor` without a request id.
    ///
    /// # Errors
    ///
    /// As [`Book::execute`].
    pub fn run(
        &mut self,
        actor: &Actor,
        command: A::Command,
    ) -> Result<Outcome<A::Event>, BookError<A::Error>> {
        self.execute(Submission::new(actor.clone(), command))
    }

    /// Decides, records and applies one submission.
    ///
    /// # Errors
    ///
    /// [`BookError::Rejected`] when a rule refuses the command;
    /// [`BookError::RequestIdReused`]; [`BookError::Journal`] when the append
    /// fails; [`BookError::Poisoned`] after an earlier failed group commit. In
    /// every case nothing was recorded or applied.
    pub fn execute(&mut self, submission: Submission<A::Command>) -> Executed<A> {
        if self.poisoned {
            return Err(BookError::Poisoned);
        }
        let stamp = match self.check_request(submission.request_id.as_ref(), &submission.command)? {
            RequestCheck::Fresh(stamp) => stamp,
            RequestCheck::Recorded(outcome) => return Ok(outcome),
        };
        let records = self.decide_records(&submission, stamp, self.next_sequence)?;
        if records.is_empty() {
            return Ok(Outcome { records, already_recorded: false });
        }
        self.journal.append(&records).map_err(BookError::Journal)?;
        for record in &records {
            self.state.apply(&record.event);
        }
        self.next_sequence = self.next_sequence.saturating_add(len_u64(&records));
        Ok(Outcome { records, already_recorded: false })
    }

    /// Group commit: decides every submission in order (each sees the effects
    /// of the accepted ones before it) and appends all their events in one
    /// journal batch, so a durable journal makes them durable in one
    /// transaction. Each submission gets its own outcome, in order. A request
    /// id repeated within the batch with the same command is answered with
    /// the first one's outcome.
    ///
    /// If the one append fails, every submission that was to record something
    /// gets [`BookError::Journal`] (the first) or [`BookError::Poisoned`] (the
    /// rest), nothing is recorded, and the book is poisoned: its state has run
    /// ahead of its journal, so it must be reopened from the journal.
    pub fn execute_all(&mut self, submissions: Vec<Submission<A::Command>>) -> Vec<Executed<A>> {
        if self.poisoned {
            return submissions.iter().map(|_| Err(BookError::Poisoned)).collect();
        }
        let mut planned: Vec<Plan<A>> = Vec::with_capacity(submissions.len());
        let mut batch: Vec<Recorded<A::Event>> = Vec::new();
        let mut pending: BTreeMap<RequestId, (CommandDigest, usize, usize)> = BTreeMap::new();
        for submission in &submissions {
            let plan = (|| {
                let request = submission.request_id.as_ref();
                if let Some((id, &(digest, start, end))) =
                    request.and_then(|id| pending.get(id).map(|p| (id, p)))
                {
                    return if digest == self.digest(&submission.command)? {
                        Ok(Planned::Retry(start, end))
                    } else {
                        Err(BookError::RequestIdReused { request_id: id.clone() })
                    };
                }
                match self.check_request(request, &submission.command)? {
                    RequestCheck::Recorded(outcome) => Ok(Planned::Done(outcome)),
                    RequestCheck::Fresh(stamp) => {
                        let first = self.next_sequence.saturating_add(len_u64(&batch));
                        let records = self.decide_records(submission, stamp.clone(), first)?;
                        for record in &records {
                            self.state.apply(&record.event);
                        }
                        let start = batch.len();
                        batch.extend(records);
                        // Like a single execute, a command that records
                        // nothing leaves its request id unused.
                        if let Some(stamp) = stamp.filter(|_| batch.len() > start) {
                            pending.insert(stamp.id, (stamp.digest, start, batch.len()));
                        }
                        Ok(Planned::New(start, batch.len()))
                    }
                }
            })();
            planned.push(plan);
        }
        if !batch.is_empty() {
            if let Err(err) = self.journal.append(&batch) {
                self.poisoned = true;
                let mut first_error = Some(err);
                return planned
                    .into_iter()
                    .map(|plan| match plan {
                        Ok(Planned::Done(outcome)) => Ok(outcome),
                        Ok(Planned::New(start, end) | Planned::Retry(start, end))
                            if start == end =>
                        {
                            Ok(Outcome { records: Vec::new(), already_recorded: false })
                        }
                        Ok(_) => {
                            Err(first_error.take().map_or(BookError::Poisoned, BookError::Journal))
                        }
                        Err(e) => Err(e),
                    })
                    .collect();
            }
            self.next_sequence = self.next_sequence.saturating_add(len_u64(&batch));
        }
        let slice =
            |start: usize, end: usize| batch.get(start..end).map(<[_]>::to_vec).unwrap_or_default();
        planned
            .into_iter()
            .map(|plan| {
                plan.map(|p| match p {
                    Planned::Done(outcome) => outcome,
                    Planned::New(start, end) => {
                        Outcome { records: slice(start, end), already_recorded: false }
                    }
                    Planned::Retry(start, end) => {
                        Outcome { records: slice(start, end), already_recorded: true }
                    }
                })
            })
            .collect()
    }

    fn decide_records(
        &self,
        submission: &Submission<A::Command>,
        stamp: Option<RequestStamp>,
        first_sequence: u64,
    ) -> Result<Vec<Recorded<A::Event>>, BookError<A::Error>> {
        let now = self.clock.now();
        let context = Context::new(now, submission.actor.clone())
            .with_request_id(submission.request_id.clone());
        let events =
            self.state.decide(&submission.command, &context).map_err(BookError::Rejected)?;
        Ok(events
            .into_iter()
            .zip(first_sequence..)
            .map(|(event, sequence)| {
                Recorded::new(sequence, now, submission.actor.clone(), stamp.clone(), event)
            })
            .collect())
    }

    fn digest(&self, command: &A::Command) -> Result<CommandDigest, BookError<A::Error>> {
        let json = serde_json::to_vec(command)
            .map_err(|e| BookError::Serialize { message: e.to_string() })?;
        Ok(CommandDigest::of(&json))
    }

    fn check_request(
        &self,
        request_id: Option<&RequestId>,
        command: &A::Command,
    ) -> Result<RequestCheck<A::Event>, BookError<A::Error>> {
        let Some(id) = request_id else {
            return Ok(RequestCheck::Fresh(None));
        };
        let digest = self.digest(command)?;
        match self.journal.find_request(id).map_err(BookError::Journal)? {
            None => Ok(RequestCheck::Fresh(Some(RequestStamp::new(id.clone(), digest)))),
            Some(RequestRecord { digest: recorded, first_sequence, last_sequence, .. }) => {
                if recorded != digest {
                    return Err(BookError::RequestIdReused { request_id: id.clone() });
                }
                let records = self
                    .journal
                    .read_range(first_sequence, last_sequence)
                    .map_err(BookError::Journal)?;
                Ok(RequestCheck::Recorded(Outcome { records, already_recorded: true }))
            }
        }
    }
}

type Plan<A> = Result<Planned<<A as Aggregate>::Event>, BookError<<A as Aggregate>::Error>>;

enum Planned<E> {
    /// Already recorded before this batch.
    Done(Outcome<E>),
    /// Recorded by this batch at `start..end`.
    New(usize, usize),
    /// A retry, within this batch, of the request recorded at `start..end`.
    Retry(usize, usize),
}

enum RequestCheck<E> {
    Fresh(Option<RequestStamp>),
    Recorded(Outcome<E>),
}

fn len_u64<T>(items: &[T]) -> u64 {
    u64::try_from(items.len()).unwrap_or(u64::MAX)
}

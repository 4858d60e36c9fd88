//! Group commit across threads: many callers, one writer, shared transactions.

use std::sync::mpsc;
use std::thread::JoinHandle;

use tangguh_core::{Aggregate, Book, BookError, Executed, Journal, Submission};

use crate::error::StoreError;

/// How a [`GroupCommitter`] batches.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct GroupOptions {
    /// The most submissions made durable in one transaction. Default 1024.
    pub max_batch: usize,
}

impl Default for GroupOptions {
    fn default() -> Self {
        Self { max_batch: 1024 }
    }
}

impl GroupOptions {
    /// The defaults.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// The same options with at most `max_batch` submissions per transaction
    /// (at least 1).
    #[must_use]
    pub fn with_max_batch(self, max_batch: usize) -> Self {
        Self { max_batch: max_batch.max(1), ..self }
    }
}

struct Job<A: Aggregate> {
    submission: Submission<A::Command>,
    reply: mpsc::SyncSender<Executed<A>>,
}

/// Group commit for commands arriving from many threads: one writer thread
/// owns the [`Book`], takes every submission waiting (up to
/// [`GroupOptions::max_batch`]), runs them with
/// [`Book::execute_all`](tangguh_core::Book::execute_all) — one journal
/// append, so one durable transaction — and hands each caller its own
/// outcome. While one transaction syncs, the next batch queues up, so
/// throughput grows with the number of callers.
///
/// Share it between threads by reference (it is `Sync`).
/// After a failed append the book is poisoned (its state ran ahead of its
/// journal): every later submission gets [`BookError::Poisoned`];
/// [`finish`](GroupCommitter::finish) and reopen the book.
///
/// # Examples
///
/// ```
/// # use std::sync::Arc;
/// # use tangguh_core::{Actor, Aggregate, Book, Context, DomainEvent, FixedClock, MemoryJournal, Submission};
/// # #[derive(Default, Debug, PartialEq)] struct Tally(u64);
/// # #[derive(Debug, serde::Serialize, serde::Deserialize)] struct Add(u64);
/// # #[derive(Clone, Debug, serde::Serialize, serde::Deserialize)] struct Added(u64);
/// # impl DomainEvent for Added { const SCHEMA_VERSION: u32 = 1; }
/// # #[derive(Debug, thiserror::Error)] #[error("overflow")] struct Overflow;
/// # impl Aggregate for Tally {
/// #     type Command = Add; type Event = Added; type Error = Overflow;
/// #     fn decide(&self, c: &Add, _: &Context) -> Result<Vec<Added>, Overflow> { Ok(vec![Added(c.0)]) }
/// #     fn apply(&mut self, e: &Added) { self.0 += e.0; }
/// # }
/// use tangguh_store::{GroupCommitter, GroupOptions};
///
/// let book: Book<Tally, _> = Book::open(MemoryJournal::new(), Arc::new(FixedClock::wib(2026, 11, 28, 9, 0)))?;
/// let committer = GroupCommitter::start(book, GroupOptions::new())?;
/// let actor = Actor::try_new("teller")?;
/// std::thread::scope(|s| {
///     for _ in 0..4 {
///         s.spawn(|| committer.submit(Submission::new(actor.clone(), Add(1))).map(|_| ()));
///     }
/// });
/// let book = committer.finish().expect("the writer thread ran to the end");
/// assert_eq!(book.state(), &Tally(4));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub struct GroupCommitter<A: Aggregate, J> {
    sender: Option<mpsc::Sender<Job<A>>>,
    worker: Option<JoinHandle<Book<A, J>>>,
}

impl<A: Aggregate, J> std::fmt::Debug for GroupCommitter<A, J> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GroupCommitter").field("running", &self.worker.is_some()).finish()
    }
}

impl<A, J> GroupCommitter<A, J>
where
    A: Aggregate + Send + 'static,
    A::Command: Send,
    J: Journal<A::Event> + Send + 'static,
{
    /// Starts the writer thread, which owns `book` until
    /// [`finish`](GroupCommitter::finish).
    ///
    /// # Errors
    ///
    /// [`StoreError::Io`] if the thread cannot be started.
    pub fn start(book: Book<A, J>, options: GroupOptions) -> Result<Self, StoreError> {
        let (sender, receiver) = mpsc::channel::<Job<A>>();
        let max = options.max_batch.max(1);
        let worker = std::thread::Builder::new()
            .name("tangguh-group-commit".into())
            .spawn(move || run(book, &receiver, max))
            .map_err(|source| StoreError::Io { path: "(writer thread)".into(), source })?;
        Ok(Self { sender: Some(sender), worker: Some(worker) })
    }

    /// Submits one command and waits until it is durable (or refused).
    ///
    /// # Errors
    ///
    /// Whatever [`Book::execute_all`](tangguh_core::Book::execute_all) says
    /// about this submission; [`BookError::Poisoned`] if the writer thread
    /// has stopped.
    pub fn submit(&self, submission: Submission<A::Command>) -> Executed<A> {
        let (reply, answer) = mpsc::sync_channel(1);
        let sent = self.sender.as_ref().map(|s| s.send(Job { submission, reply }));
        if !matches!(sent, Some(Ok(()))) {
            return Err(BookError::Poisoned);
        }
        answer.recv().unwrap_or(Err(BookError::Poisoned))
    }

    /// Stops taking submissions, lets the writer finish what it holds and
    /// returns the book. `None` if the writer thread panicked.
    #[must_use]
    pub fn finish(mut self) -> Option<Book<A, J>> {
        drop(self.sender.take());
        self.worker.take().and_then(|w| w.join().ok())
    }
}

impl<A: Aggregate, J> Drop for GroupCommitter<A, J> {
    fn drop(&mut self) {
        drop(self.sender.take());
        if let Some(worker) = self.worker.take() {
            // The book goes down with the thread; a panic there is not ours
            // to re-raise from a destructor.
            let _ = worker.join();
        }
    }
}

fn run<A, J>(mut book: Book<A, J>, receiver: &mpsc::Receiver<Job<A>>, max: usize) -> Book<A, J>
where
    A: Aggregate,
    J: Journal<A::Event>,
{
    while let Ok(first) = receiver.recv() {
        let mut jobs = vec![first];
        while jobs.len() < max {
            match receiver.try_recv() {
                Ok(job) => jobs.push(job),
                Err(_) => break,
            }
        }
        let (submissions, replies): (Vec<_>, Vec<_>) =
            jobs.into_iter().map(|j| (j.submission, j.reply)).unzip();
        let results = book.execute_all(submissions);
        for (result, reply) in results.into_iter().zip(replies) {
            // A caller that stopped waiting is not an error.
            let _ = reply.send(result);
        }
    }
    book
}

//! Journals: the ordered, append-only record of a book's events.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::ControlFlow;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::error::{JournalError, Rule, ValidationError};
use crate::text::{Actor, RequestId};

/// A digest of a command's JSON (the first 128 bits of its SHA-256), kept
/// with its request id so that a retry can be told from a different command
/// that reuses the id.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CommandDigest([u8; 16]);

impl CommandDigest {
    /// The digest of `bytes`.
    #[must_use]
    pub fn of(bytes: &[u8]) -> Self {
        use sha2::Digest as _;
        let full = sha2::Sha256::digest(bytes);
        let mut out = [0u8; 16];
        for (o, b) in out.iter_mut().zip(full.iter()) {
            *o = *b;
        }
        Self(out)
    }

    /// Parses 32 lowercase hex digits.
    ///
    /// # Errors
    ///
    /// [`Rule::Format`] on field `"command digest"`.
    pub fn parse(s: &str) -> Result<Self, ValidationError> {
        let err = || {
            ValidationError::new("command digest", s, Rule::Format { expected: "32 hex digits" })
        };
        if s.len() != 32 {
            return Err(err());
        }
        let mut out = [0u8; 16];
        for (i, o) in out.iter_mut().enumerate() {
            let pair = s.get(2 * i..2 * i + 2).ok_or_else(err)?;
            *o = u8::from_str_radix(pair, 16).map_err(|_| err())?;
        }
        Ok(Self(out))
    }
}

impl fmt::Display for CommandDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.iter().try_for_each(|b| write!(f, "{b:02x}"))
    }
}

impl fmt::Debug for CommandDigest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CommandDigest({self})")
    }
}

impl TryFrom<String> for CommandDigest {
    type Error = ValidationError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<CommandDigest> for String {
    fn from(d: CommandDigest) -> Self {
        d.to_string()
    }
}

/// The request an event was recorded for: the client's id and the digest of
/// the command.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RequestStamp {
    /// The client's request id.
    pub id: RequestId,
    /// The digest of the command's JSON.
    pub digest: CommandDigest,
}

impl RequestStamp {
    /// A stamp for `id` and `digest`.
    #[must_use]
    pub fn new(id: RequestId, digest: CommandDigest) -> Self {
        Self { id, digest }
    }
}

/// An event as recorded: its place in the journal, when, by whom, for which
/// request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Recorded<E> {
    /// Position in the journal, from 1, without gaps.
    pub sequence: u64,
    /// When it was recorded (UTC, from the book's clock).
    pub recorded_at: DateTime<Utc>,
    /// Who asked for it.
    pub actor: Actor,
    /// The request it was recorded for, if the client gave a request id.
    pub request: Option<RequestStamp>,
    /// What happened.
    pub event: E,
}

impl<E> Recorded<E> {
    /// A recorded event.
    #[must_use]
    pub fn new(
        sequence: u64,
        recorded_at: DateTime<Utc>,
        actor: Actor,
        request: Option<RequestStamp>,
        event: E,
    ) -> Self {
        Self { sequence, recorded_at, actor, request, event }
    }
}

/// Where a request's events are in the journal.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct RequestRecord {
    /// The digest of the command the request id was first used for.
    pub digest: CommandDigest,
    /// The sequence number of its first event.
    pub first_sequence: u64,
    /// The sequence number of its last event.
    pub last_sequence: u64,
}

impl RequestRecord {
    /// A request record.
    #[must_use]
    pub fn new(digest: CommandDigest, first_sequence: u64, last_sequence: u64) -> Self {
        Self { digest, first_sequence, last_sequence }
    }
}

/// An append-only, ordered store of recorded events: one stream, one book.
///
/// Implementations are fallible and batched so that a durable store (SQLite,
/// PostgreSQL) fits: [`append`](Journal::append) makes a whole batch durable
/// or none of it, and refuses a batch that does not start at
/// [`next_sequence`](Journal::next_sequence), which gives optimistic
/// concurrency between writers for free.
pub trait Journal<E> {
    /// The sequence number the next record will get (1 for an empty journal).
    ///
    /// # Errors
    ///
    /// [`JournalError::Storage`] if the storage cannot be read.
    fn next_sequence(&self) -> Result<u64, JournalError>;

    /// Appends `batch` atomically. The batch's sequence numbers must start at
    /// [`next_sequence`](Journal::next_sequence) and be consecutive. The
    /// request stamps in the batch are indexed for
    /// [`find_request`](Journal::find_request).
    ///
    /// # Errors
    ///
    /// [`JournalError::SequenceConflict`] if another writer appended first;
    /// [`JournalError::NotConsecutive`]; [`JournalError::DuplicateRequest`] if
    /// a request id is already recorded; [`JournalError::Storage`]. On any
    /// error nothing is appended.
    fn append(&mut self, batch: &[Recorded<E>]) -> Result<(), JournalError>;

    /// Calls `visit` with every record from sequence `from` on, in order,
    /// until it returns [`ControlFlow::Break`].
    ///
    /// # Errors
    ///
    /// [`JournalError::Corrupt`] for a record that cannot be read back;
    /// [`JournalError::Storage`].
    fn for_each_from(
        &self,
        from: u64,
        visit: &mut dyn FnMut(Recorded<E>) -> ControlFlow<()>,
    ) -> Result<(), JournalError>;

    /// Where the events of a request are, if its id was recorded.
    ///
    /// # Errors
    ///
    /// [`JournalError::Storage`].
    fn find_request(&self, id: &RequestId) -> Result<Option<RequestRecord>, JournalError>;

    /// The records from `first` to `last` inclusive.
    ///
    /// # Errors
    ///
    /// As [`for_each_from`](Journal::for_each_from).
    fn read_range(&self, first: u64, last: u64) -> Result<Vec<Recorded<E>>, JournalError> {
        let mut out = Vec::new();
        if first > last {
            return Ok(out);
        }
        // Stop at `last` itself, so a durable journal never has to decode
        // (and so never trips over) the record after the range.
        self.for_each_from(first, &mut |record| {
            if record.sequence > last {
                return ControlFlow::Break(());
            }
            let done = record.sequence >= last;
            out.push(record);
            if done { ControlFlow::Break(()) } else { ControlFlow::Continue(()) }
        })?;
        Ok(out)
    }
}

/// Checks that `batch` starts at `expected` and is consecutive, and collects
/// its request records. For journal implementations.
///
/// # Errors
///
/// [`JournalError::SequenceConflict`] or [`JournalError::NotConsecutive`].
pub fn check_batch<E>(
    expected: u64,
    batch: &[Recorded<E>],
) -> Result<BTreeMap<RequestId, RequestRecord>, JournalError> {
    let mut requests: BTreeMap<RequestId, RequestRecord> = BTreeMap::new();
    for (i, record) in batch.iter().enumerate() {
        let want = expected.saturating_add(u64::try_from(i).unwrap_or(u64::MAX));
        if record.sequence != want {
            return Err(if i == 0 {
                JournalError::SequenceConflict { expected, found: record.sequence }
            } else {
                JournalError::NotConsecutive { sequence: record.sequence }
            });
        }
        if let Some(stamp) = &record.request {
            requests
                .entry(stamp.id.clone())
                .and_modify(|r| r.last_sequence = record.sequence)
                .or_insert(RequestRecord::new(stamp.digest, record.sequence, record.sequence));
        }
    }
    Ok(requests)
}

/// A journal in memory: for tests, benches, and books that need no
/// durability. Cloning it copies the records.
///
/// # Examples
///
/// ```
/// use tangguh_core::{Journal, MemoryJournal};
///
/// let journal: MemoryJournal<String> = MemoryJournal::new();
/// assert_eq!(journal.next_sequence()?, 1);
/// assert!(journal.is_empty());
/// # Ok::<(), tangguh_core::JournalError>(())
/// ```
#[derive(Clone, Debug)]
pub struct MemoryJournal<E> {
    records: Vec<Recorded<E>>,
    requests: BTreeMap<RequestId, RequestRecord>,
}

impl<E> Default for MemoryJournal<E> {
    fn default() -> Self {
        Self { records: Vec::new(), requests: BTreeMap::new() }
    }
}

impl<E> MemoryJournal<E> {
    /// An empty journal.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// The number of records.
    #[must_use]
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// Whether there are no records.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// All records, in order.
    #[must_use]
    pub fn records(&self) -> &[Recorded<E>] {
        &self.records
    }
}

impl<E: Clone> Journal<E> for MemoryJournal<E> {
    fn next_sequence(&self) -> Result<u64, JournalError> {
        Ok(u64::try_from(self.records.len()).unwrap_or(u64::MAX).saturating_add(1))
    }

    fn append(&mut self, batch: &[Recorded<E>]) -> Result<(), JournalError> {
        let requests = check_batch(self.next_sequence()?, batch)?;
        if let Some(id) = requests.keys().find(|id| self.requests.contains_key(*id)) {
            return Err(JournalError::DuplicateRequest { request_id: id.to_string() });
        }
        self.records.extend_from_slice(batch);
        self.requests.extend(requests);
        Ok(())
    }

    fn for_each_from(
        &self,
        from: u64,
        visit: &mut dyn FnMut(Recorded<E>) -> ControlFlow<()>,
    ) -> Result<(), JournalError> {
        let skip = usize::try_from(from.saturating_sub(1)).unwrap_or(usize::MAX);
        for record in self.records.iter().skip(skip) {
            if visit(record.clone()).is_break() {
                break;
            }
        }
        Ok(())
    }

    fn find_request(&self, id: &RequestId) -> Result<Option<RequestRecord>, JournalError> {
        Ok(self.requests.get(id).copied())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(sequence: u64, request: Option<&str>) -> Recorded<u32> {
        let stamp = request.map(|id| {
            RequestStamp::new(RequestId::try_new(id).unwrap(), CommandDigest::of(id.as_bytes()))
        });
        Recorded::new(sequence, DateTime::UNIX_EPOCH, Actor::try_new("t").unwrap(), stamp, 7)
    }

    #[test]
    fn append_checks_sequences_and_requests() {
        let mut j = MemoryJournal::new();
        assert!(matches!(
            j.append(&[record(2, None)]),
            Err(JournalError::SequenceConflict { expected: 1, found: 2 })
        ));
        assert!(matches!(
            j.append(&[record(1, None), record(3, None)]),
            Err(JournalError::NotConsecutive { sequence: 3 })
        ));
        j.append(&[record(1, Some("a")), record(2, Some("a"))]).unwrap();
        let found = j.find_request(&RequestId::try_new("a").unwrap()).unwrap().unwrap();
        assert_eq!((found.first_sequence, found.last_sequence), (1, 2));
        assert!(matches!(
            j.append(&[record(3, Some("a"))]),
            Err(JournalError::DuplicateRequest { .. })
        ));
        assert_eq!(j.len(), 2);
        assert_eq!(j.read_range(2, 2).unwrap().len(), 1);
    }

    #[test]
    fn digest_round_trips() {
        let d = CommandDigest::of(b"x");
        assert_eq!(CommandDigest::parse(&d.to_string()).unwrap(), d);
        assert!(CommandDigest::parse("zz").is_err());
        assert!(CommandDigest::parse(&"g".repeat(32)).is_err());
    }
}

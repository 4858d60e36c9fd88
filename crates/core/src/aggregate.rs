//! The decide/apply shape every domain follows.

use std::fmt::Debug;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::text::{Actor, RequestId};
use crate::time::wib_date;

/// A domain event: plain serde data with a schema version, so a journal
/// written by an older version of a crate can still be read.
pub trait DomainEvent:
    Serialize + DeserializeOwned + Clone + Debug + Send + Sync + 'static
{
    /// The version of this event type's JSON form. Bump it when the form
    /// changes, and teach [`DomainEvent::upgrade`] to read the older forms.
    const SCHEMA_VERSION: u32;

    /// Reads an event stored under `version` (at most
    /// [`DomainEvent::SCHEMA_VERSION`]). The default reads the JSON as the
    /// current form, which is right as long as every change was additive.
    ///
    /// # Errors
    ///
    /// The serde error when the JSON is not a valid event of that version.
    fn upgrade(version: u32, value: serde_json::Value) -> Result<Self, serde_json::Error> {
        let _ = version;
        serde_json::from_value(value)
    }
}

/// What a command is decided in: the time (from the book's clock), who asked,
/// and their request id. Deciding is a pure function of the state, the
/// command and this context.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Context {
    now: DateTime<Utc>,
    actor: Actor,
    request_id: Option<RequestId>,
}

impl Context {
    /// A context at `now` for `actor`.
    #[must_use]
    pub fn new(now: DateTime<Utc>, actor: Actor) -> Self {
        Self { now, actor, request_id: None }
    }

    /// The same context with a request id.
    #[must_use]
    pub fn with_request_id(self, request_id: Option<RequestId>) -> Self {
        Self { request_id, ..self }
    }

    /// The instant the command is decided at, in UTC.
    #[must_use]
    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }

    /// Today's date in WIB: the latest date an event may carry.
    #[must_use]
    pub fn today(&self) -> NaiveDate {
        wib_date(self.now)
    }

    /// Who asked.
    #[must_use]
    pub fn actor(&self) -> &Actor {
        &self.actor
    }

    /// The client's request id, if any.
    #[must_use]
    pub fn request_id(&self) -> Option<&RequestId> {
        self.request_id.as_ref()
    }
}

/// A domain's state with its rules: commands are decided into events, events
/// are applied to the state.
///
/// - [`decide`](Aggregate::decide) checks the rules and returns the events the
///   command would record, or the domain's error. It changes nothing.
/// - [`apply`](Aggregate::apply) is the only code that changes the state. It
///   cannot fail: an event that was recorded has happened.
///
/// So the state after running commands and the state after replaying their
/// journal are the same by construction.
///
/// # Examples
///
/// ```
/// use tangguh_core::{Aggregate, Context, DomainEvent};
///
/// #[derive(Default)]
/// struct Counter(u64);
///
/// #[derive(Debug, serde::Serialize, serde::Deserialize)]
/// struct Add(u64);
///
/// #[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
/// struct Added(u64);
///
/// impl DomainEvent for Added {
///     const SCHEMA_VERSION: u32 = 1;
/// }
///
/// #[derive(Debug, thiserror::Error)]
/// #[error("the counter would overflow")]
/// struct Overflow;
///
/// impl Aggregate for Counter {
///     type Command = Add;
///     type Event = Added;
///     type Error = Overflow;
///
///     fn decide(&self, cmd: &Add, _: &Context) -> Result<Vec<Added>, Overflow> {
///         self.0.checked_add(cmd.0).ok_or(Overflow)?;
///         Ok(vec![Added(cmd.0)])
///     }
///
///     fn apply(&mut self, event: &Added) {
///         self.0 = self.0.saturating_add(event.0);
///     }
/// }
/// ```
pub trait Aggregate {
    /// What a client asks for. Serde data, so a front end can send it as JSON.
    type Command: Serialize + DeserializeOwned + Debug;
    /// What happened. Recorded in the journal.
    type Event: DomainEvent;
    /// Why a command was refused.
    type Error: std::error::Error + Send + Sync + 'static;

    /// Checks `command` against the rules and returns the events it would
    /// record. Changes nothing.
    ///
    /// # Errors
    ///
    /// The domain's error naming the rule the command would break.
    fn decide(
        &self,
        command: &Self::Command,
        context: &Context,
    ) -> Result<Vec<Self::Event>, Self::Error>;

    /// Applies one recorded event. Infallible; the only mutator.
    fn apply(&mut self, event: &Self::Event);
}

//! The append-only hours record.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tangguh_core::{IncidentId, Name};

use crate::ids::{AssignmentId, VolunteerId};

/// Where an hours entry came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum HoursSource {
    /// A check-out.
    CheckOut,
    /// Entered by hand.
    Manual,
    /// The reversal of an earlier entry (negative minutes).
    Reversal,
}

/// One entry of the hours record. Entries are never edited or removed; a
/// correction is a reversal entry (negative minutes) plus, if needed, a new
/// entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct HoursEntry {
    /// Its number, from 1, in recording order.
    pub number: u64,
    /// The volunteer.
    pub volunteer: VolunteerId,
    /// The day served (WIB; for a shift, its first day).
    pub date: NaiveDate,
    /// Minutes (negative for a reversal).
    pub minutes: i64,
    /// Where it came from.
    pub source: HoursSource,
    /// The incident, if any.
    pub incident: Option<IncidentId>,
    /// The assignment, for a check-out.
    pub assignment: Option<AssignmentId>,
    /// The entry reversed, for a reversal.
    pub reverses: Option<u64>,
    /// A note (the reason, for a reversal).
    pub note: Option<Name>,
}

//! Assignments and their lifecycle, an explicit state machine.

use std::collections::BTreeSet;
use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use tangguh_core::{Name, PersonId};

use crate::ids::{AssignmentId, ShiftId, VolunteerId};

/// Where an assignment is in its lifecycle.
///
/// ```text
/// invited ─┐
///          ├─► confirmed ─► checked_in ─► checked_out (hours recorded)
/// applied ─┘       │    └─► no_show
///    │             └─► cancelled (reason)
///    └───────────────► cancelled (reason: declined, withdrawn…)
/// ```
///
/// **Committed** (occupies the person's time for the double-booking, rest and
/// maximum-hours rules): `confirmed`, `checked_in` and `checked_out` (time
/// spent is time spent). `invited` and `applied` do not commit anyone (two
/// invitations may overlap; only one can be confirmed); `no_show` and
/// `cancelled` free the time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AssignmentStatus {
    /// A coordinator invited the volunteer.
    Invited,
    /// The volunteer applied.
    Applied,
    /// Both agree: the volunteer is committed.
    Confirmed,
    /// The volunteer arrived.
    CheckedIn,
    /// The volunteer left; hours are recorded. Final.
    CheckedOut,
    /// The volunteer did not come. Final.
    NoShow,
    /// Cancelled with a reason. Final.
    Cancelled,
}

impl AssignmentStatus {
    /// Whether the state commits the volunteer's time (see the type docs).
    #[must_use]
    pub fn is_committed(self) -> bool {
        matches!(self, Self::Confirmed | Self::CheckedIn | Self::CheckedOut)
    }

    /// Whether the state holds a seat of the shift: every state but
    /// `no_show` and `cancelled`.
    #[must_use]
    pub fn holds_seat(self) -> bool {
        !matches!(self, Self::NoShow | Self::Cancelled)
    }

    /// Whether the lifecycle allows `self` → `to`.
    #[must_use]
    pub fn can_become(self, to: Self) -> bool {
        use AssignmentStatus::*;
        matches!(
            (self, to),
            (Invited | Applied, Confirmed | Cancelled)
                | (Confirmed, CheckedIn | NoShow | Cancelled)
                | (CheckedIn, CheckedOut)
        )
    }

    /// The snake_case name, as in JSON.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Invited => "invited",
            Self::Applied => "applied",
            Self::Confirmed => "confirmed",
            Self::CheckedIn => "checked_in",
            Self::CheckedOut => "checked_out",
            Self::NoShow => "no_show",
            Self::Cancelled => "cancelled",
        }
    }
}

impl fmt::Display for AssignmentStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who started an assignment.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AssignmentOrigin {
    /// A coordinator invited the volunteer.
    Invitation,
    /// The volunteer applied.
    Application,
    /// A coordinator assigned the volunteer directly (confirmed at once).
    Direct,
    /// Auto-fill planned it.
    AutoFill,
}

/// A rule a coordinator may lift for one assignment. Double booking is not
/// among them: nothing overrides it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum OverridableRule {
    /// The minimum rest between shifts.
    Rest,
    /// The maximum hours per rolling 24 h and 7 days.
    MaxHours,
}

/// A coordinator's recorded decision to lift rest or maximum-hours rules for
/// one assignment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Override {
    /// The coordinator (must coordinate a team).
    pub coordinator: VolunteerId,
    /// Why.
    pub reason: Name,
    /// The rules lifted.
    pub lifts: BTreeSet<OverridableRule>,
}

impl Override {
    /// An override of `lifts` by `coordinator` for `reason`.
    #[must_use]
    pub fn new(
        coordinator: VolunteerId,
        reason: Name,
        lifts: impl IntoIterator<Item = OverridableRule>,
    ) -> Self {
        Self { coordinator, reason, lifts: lifts.into_iter().collect() }
    }

    /// Whether it lifts `rule`.
    #[must_use]
    pub fn lifts(&self, rule: OverridableRule) -> bool {
        self.lifts.contains(&rule)
    }
}

/// An assignment of a volunteer to a shift.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Assignment {
    /// Its id.
    pub id: AssignmentId,
    /// The shift.
    pub shift: ShiftId,
    /// The volunteer engagement.
    pub volunteer: VolunteerId,
    /// The person (denormalised from the volunteer: the rules are per person).
    pub person: PersonId,
    /// Where it is.
    pub status: AssignmentStatus,
    /// Who started it.
    pub origin: AssignmentOrigin,
    /// The override it was committed under, if any.
    pub override_: Option<Override>,
    /// The order in which it became committed (for audits), if it did.
    pub committed_order: Option<u64>,
    /// When the volunteer checked in.
    pub checked_in_at: Option<DateTime<Utc>>,
    /// When the volunteer checked out.
    pub checked_out_at: Option<DateTime<Utc>>,
    /// Minutes recorded at check-out.
    pub minutes: Option<u32>,
    /// Why it was cancelled.
    pub cancel_reason: Option<Name>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn transitions() {
        use AssignmentStatus::*;
        let all = [Invited, Applied, Confirmed, CheckedIn, CheckedOut, NoShow, Cancelled];
        let allowed: Vec<(AssignmentStatus, AssignmentStatus)> = all
            .iter()
            .flat_map(|a| all.iter().map(move |b| (*a, *b)))
            .filter(|(a, b)| a.can_become(*b))
            .collect();
        assert_eq!(
            allowed,
            vec![
                (Invited, Confirmed),
                (Invited, Cancelled),
                (Applied, Confirmed),
                (Applied, Cancelled),
                (Confirmed, CheckedIn),
                (Confirmed, NoShow),
                (Confirmed, Cancelled),
                (CheckedIn, CheckedOut),
            ]
        );
        assert!(CheckedOut.is_committed() && !Invited.is_committed() && !NoShow.holds_seat());
        assert_eq!(CheckedIn.to_string(), "checked_in");
        assert_eq!(serde_json::to_string(&NoShow).unwrap(), "\"no_show\"");
    }
}

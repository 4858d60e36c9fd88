//! Credentials: what the curriculum issues and the roster checks.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::id::{OrganizationId, PersonId};
use crate::text::{CertificateNumber, CompetencyCode};

/// A credential held by a person: a competency at a level, evidenced by a
/// certificate, valid from its issue date until (and including) its expiry
/// date, if it has one. Validity is always computed for a date, never stored
/// as a flag.
///
/// # Examples
///
/// ```
/// use chrono::NaiveDate;
/// use tangguh_core::{CertificateNumber, CompetencyCode, Credential, IdGenerator};
///
/// let ids = IdGenerator::deterministic(1);
/// let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
/// let first_aid = Credential::new(
///     ids.next_id(),
///     CompetencyCode::try_new("PMI.PP.DASAR")?,
///     1,
///     CertificateNumber::try_new("PMI/PP/2026/0012")?,
///     ids.next_id(),
///     d(2026, 3, 1),
/// )
/// .valid_until(d(2028, 2, 29));
/// assert!(first_aid.is_valid_on(d(2028, 2, 29)));
/// assert!(!first_aid.is_valid_on(d(2028, 3, 1)));
/// assert!(!first_aid.is_valid_throughout(d(2028, 2, 28), d(2028, 3, 2)));
/// # Ok::<(), tangguh_core::ValidationError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Credential {
    /// Whom it was issued to.
    pub holder: PersonId,
    /// The competency it attests.
    pub competency: CompetencyCode,
    /// The level of the competency (1 = entry level; higher is more).
    pub level: u8,
    /// The certificate's number.
    pub certificate_number: CertificateNumber,
    /// The issuing organisation.
    pub issuer: OrganizationId,
    /// The day it was issued; valid from this day.
    pub issued_on: NaiveDate,
    /// The last day it is valid, if it expires.
    pub valid_until: Option<NaiveDate>,
    /// The day it was revoked, if it was: not valid from this day on.
    pub revoked_on: Option<NaiveDate>,
}

impl Credential {
    /// A credential that does not expire.
    #[must_use]
    pub fn new(
        holder: PersonId,
        competency: CompetencyCode,
        level: u8,
        certificate_number: CertificateNumber,
        issuer: OrganizationId,
        issued_on: NaiveDate,
    ) -> Self {
        Self {
            holder,
            competency,
            level,
            certificate_number,
            issuer,
            issued_on,
            valid_until: None,
            revoked_on: None,
        }
    }

    /// The same credential, valid up to and including `last_day`.
    #[must_use]
    pub fn valid_until(self, last_day: NaiveDate) -> Self {
        Self { valid_until: Some(last_day), ..self }
    }

    /// Whether it is valid on `date`: issued on or before it, not expired and
    /// not revoked.
    #[must_use]
    pub fn is_valid_on(&self, date: NaiveDate) -> bool {
        date >= self.issued_on
            && self.valid_until.is_none_or(|last| date <= last)
            && self.revoked_on.is_none_or(|revoked| date < revoked)
    }

    /// Whether it is valid on every day from `start` to `end` inclusive (a
    /// shift's first and last day).
    #[must_use]
    pub fn is_valid_throughout(&self, start: NaiveDate, end: NaiveDate) -> bool {
        self.is_valid_on(start) && self.is_valid_on(end)
    }

    /// Whether it attests `competency` at `level` or above.
    #[must_use]
    pub fn attests(&self, competency: &CompetencyCode, level: u8) -> bool {
        &self.competency == competency && self.level >= level
    }
}

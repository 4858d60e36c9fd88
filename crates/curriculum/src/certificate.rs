//! Certificates: issued from attendance and assessment under a course
//! version's rule, exposed to other crates as core [`Credential`]s.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tangguh_core::{CertificateNumber, Credential, Name, OrganizationId, PersonId};

use crate::course::GrantedCompetency;
use crate::ids::{CertificateId, CohortId, CourseId};

/// A certificate of completion of one course version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Certificate {
    /// Its id.
    pub id: CertificateId,
    /// The printed number (unique in the curriculum).
    pub number: CertificateNumber,
    /// Whom it was issued to.
    pub holder: PersonId,
    /// The course.
    pub course: CourseId,
    /// The course version it was earned under.
    pub version: u32,
    /// The cohort it was earned in.
    pub cohort: CohortId,
    /// The issuing organisation (the cohort's lead organiser).
    pub issuer: OrganizationId,
    /// The competencies it attests (the version's, copied at issue).
    pub competencies: Vec<GrantedCompetency>,
    /// The day it was issued; valid from this day.
    pub issued_on: NaiveDate,
    /// The last valid day, if it expires; moved on by renewals.
    pub valid_until: Option<NaiveDate>,
    /// Renewals by refresher certificates, oldest first.
    pub renewals: Vec<Renewal>,
    /// The revocation, if it was revoked.
    pub revoked: Option<Revocation>,
}

/// A renewal of a certificate by completing a refresher course.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Renewal {
    /// The refresher's certificate.
    pub by: CertificateId,
    /// The last valid day before the renewal.
    pub previous_valid_until: Option<NaiveDate>,
    /// The last valid day after it.
    pub valid_until: Option<NaiveDate>,
}

/// A revocation: not valid from `on` (inclusive).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Revocation {
    /// The first day it is no longer valid.
    pub on: NaiveDate,
    /// Why.
    pub reason: Name,
}

impl Certificate {
    /// Whether it is valid on `date`: issued on or before, not expired, not
    /// revoked.
    #[must_use]
    pub fn is_valid_on(&self, date: NaiveDate) -> bool {
        date >= self.issued_on
            && self.valid_until.is_none_or(|last| date <= last)
            && self.revoked.as_ref().is_none_or(|r| date < r.on)
    }

    /// The certificate as core [`Credential`]s, one per competency it
    /// attests: what the roster checks.
    #[must_use]
    pub fn credentials(&self) -> Vec<Credential> {
        self.competencies
            .iter()
            .map(|granted| {
                let mut credential = Credential::new(
                    self.holder,
                    granted.competency.clone(),
                    granted.level,
                    self.number.clone(),
                    self.issuer,
                    self.issued_on,
                );
                credential.valid_until = self.valid_until;
                credential.revoked_on = self.revoked.as_ref().map(|r| r.on);
                credential
            })
            .collect()
    }
}

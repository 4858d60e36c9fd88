//! Disaster relief: restructuring the loans of borrowers an incident
//! affected, after OJK's special treatment for disaster areas (POJK
//! 45/POJK.03/2017).
//!
//! # What a relief does to a loan
//!
//! On the relief date every installment not yet settled is closed at what
//! was paid on it (its `due` becomes `paid + waived`), and new installments,
//! numbered after the old ones, carry the rest:
//!
//! - the outstanding principal is rescheduled from the relief date by the
//!   schedule engine ([`LoanTerms::rescheduled`](crate::LoanTerms::rescheduled))
//!   over the installments not yet due, plus the policy's holiday and
//!   extension periods (at least one period);
//! - during the holiday no principal is due, and interest is either
//!   deferred (accrues, paid with the first installment after the holiday:
//!   Fineract's grace on interest payment) or waived (interest-free
//!   periods). A loan on the progressive generator is rescheduled on the
//!   cumulative one when a holiday is given (the progressive generator takes
//!   no grace);
//! - interest, fees and penalties already due and unpaid are carried, per
//!   component, onto the first new installment. Interest of the period
//!   running on the relief date that accrued before it is not carried (the
//!   new schedule charges interest from the relief date): relieve on a due
//!   date to lose nothing.
//!
//! Nothing is posted: the books are cash-based (interest is income when
//! collected), the principal in the loan portfolio does not change.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use tangguh_core::{IncidentId, PersonId};

use crate::arrears::{Kolektibilitas, KolektibilitasTable};
use crate::ids::LoanId;
use crate::loan::{Components, LoanInstallment};
use crate::schedule::LoanTerms;

/// What happens to interest during a payment holiday.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum HolidayInterest {
    /// Accrues and is paid after the holiday.
    Deferred,
    /// Not charged.
    Waived,
}

/// How a relieved loan is classified.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ClassificationTreatment {
    /// Kept at the class the loan had on the incident date until `until`
    /// (inclusive), then classified by its arrears again (the model: POJK
    /// 45/2017's special treatment).
    FrozenAtPreDisaster {
        /// The last day of the special treatment.
        until: NaiveDate,
    },
    /// Classified by its (new) arrears as any loan.
    ByArrears,
}

/// A relief policy.
///
/// # What a relief does to a loan
///
/// On the relief date every installment not yet settled is closed at what
/// was paid on it (its `due` becomes `paid + waived`), and new installments,
/// numbered after the old ones, carry the rest:
///
/// - the outstanding principal is rescheduled from the relief date by the
///   schedule engine ([`LoanTerms::rescheduled`](crate::LoanTerms::rescheduled))
///   over the installments not yet due, plus the policy's holiday and
///   extension periods (at least one period);
/// - during the holiday no principal is due, and interest is either
///   deferred (accrues, paid with the first installment after the holiday:
///   Fineract's grace on interest payment) or waived (interest-free
///   periods). A loan on the progressive generator is rescheduled on the
///   cumulative one when a holiday is given (the progressive generator takes
///   no grace);
/// - interest, fees and penalties already due and unpaid are carried, per
///   component, onto the first new installment. Interest of the period
///   running on the relief date that accrued before it is not carried (the
///   new schedule charges interest from the relief date): relieve on a due
///   date to lose nothing.
///
/// Nothing is posted: the books are cash-based (interest is income when
/// collected), the principal in the loan portfolio does not change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ReliefPolicy {
    /// Periods with no payment due.
    pub holiday_periods: u32,
    /// Interest during the holiday.
    pub holiday_interest: HolidayInterest,
    /// Periods added to the term besides the holiday.
    pub extension_periods: u32,
    /// Classification after relief.
    pub classification: ClassificationTreatment,
    /// The table for the pre-disaster class.
    pub table: KolektibilitasTable,
}

impl ReliefPolicy {
    /// A policy.
    #[must_use]
    pub fn new(
        holiday_periods: u32,
        holiday_interest: HolidayInterest,
        extension_periods: u32,
        classification: ClassificationTreatment,
    ) -> Self {
        Self {
            holiday_periods,
            holiday_interest,
            extension_periods,
            classification,
            table: KolektibilitasTable::OJK_BANK,
        }
    }
}

/// A relief request: an incident, its date, the borrowers it affected (as
/// the caller determined them) and the policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ReliefRequest {
    /// The incident.
    pub incident: IncidentId,
    /// When it struck: the pre-disaster class is taken the day before.
    pub incident_date: NaiveDate,
    /// The relief date: new schedules start here.
    pub date: NaiveDate,
    /// The affected borrowers; each one's active loans are relieved.
    pub borrowers: Vec<PersonId>,
    /// The policy.
    pub policy: ReliefPolicy,
}

impl ReliefRequest {
    /// A request.
    #[must_use]
    pub fn new(
        incident: IncidentId,
        incident_date: NaiveDate,
        date: NaiveDate,
        borrowers: Vec<PersonId>,
        policy: ReliefPolicy,
    ) -> Self {
        Self { incident, incident_date, date, borrowers, policy }
    }
}

/// One loan's relief, as recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Relief {
    /// The loan.
    pub loan: LoanId,
    /// The incident.
    pub incident: IncidentId,
    /// The policy.
    pub policy: ReliefPolicy,
    /// The relief date.
    pub date: NaiveDate,
    /// Days past due the day before the incident.
    pub pre_disaster_days_past_due: u32,
    /// The class then.
    pub pre_disaster_class: Kolektibilitas,
    /// Outstanding per component moved onto the new installments.
    pub rescheduled: Components,
    /// The terms the new installments were generated from.
    pub terms: LoanTerms,
    /// The new installments.
    pub installments: Vec<LoanInstallment>,
}

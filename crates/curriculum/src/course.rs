//! Courses and their versions: modules, competencies granted, certificate
//! validity and the completion rule.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use chrono::{Days, Months, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use tangguh_core::{CompetencyCode, Name, Rule, ValidationError};

use crate::ids::{CourseId, RequirementId};

/// A course's short code as printed in the catalogue, e.g. `PB-SIAGA-01`:
/// 1–32 ASCII letters, digits, `.`, `-`, `_` or `:`.
///
/// # Examples
///
/// ```
/// use tangguh_curriculum::CourseCode;
///
/// assert_eq!(CourseCode::try_new("PB-SIAGA-01")?.as_str(), "PB-SIAGA-01");
/// assert!(CourseCode::try_new("PB SIAGA").is_err());
/// # Ok::<(), tangguh_core::ValidationError>(())
/// ```
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CourseCode(String);

impl CourseCode {
    /// The longest accepted code, in characters.
    pub const MAX_LEN: usize = 32;

    /// Validates and wraps `s`.
    ///
    /// # Errors
    ///
    /// A [`ValidationError`] on field `"course code"`: empty, too long, or a
    /// character outside the allowed set.
    pub fn try_new(s: impl AsRef<str>) -> Result<Self, ValidationError> {
        let s = s.as_ref();
        if s.is_empty() {
            return Err(ValidationError::new("course code", s, Rule::Empty));
        }
        if s.chars().count() > Self::MAX_LEN {
            return Err(ValidationError::new(
                "course code",
                s,
                Rule::TooLong { max: Self::MAX_LEN },
            ));
        }
        if !s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b':')) {
            return Err(ValidationError::new(
                "course code",
                s,
                Rule::Format { expected: "letters, digits, '.', '-', '_' or ':'" },
            ));
        }
        Ok(Self(s.to_owned()))
    }

    /// The code as a string slice.
    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for CourseCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for CourseCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CourseCode({:?})", self.0)
    }
}

impl FromStr for CourseCode {
    type Err = ValidationError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::try_new(s)
    }
}

impl TryFrom<String> for CourseCode {
    type Error = ValidationError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::try_new(s)
    }
}

impl From<CourseCode> for String {
    fn from(code: CourseCode) -> Self {
        code.0
    }
}

/// The programme a course belongs to (a course may belong to several).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Programme {
    /// Disaster preparedness and evacuation (siaga bencana). Certificates of
    /// these courses count for the coverage report.
    Preparedness,
    /// First aid (pertolongan pertama).
    FirstAid,
    /// Psychosocial support (dukungan psikososial).
    Psychosocial,
    /// Small-business skills (UMKM): bookkeeping, digital marketing, NIB/OSS,
    /// PIRT and halal.
    Umkm,
    /// Health education (the pandemic's 3M → 7M).
    Health,
}

/// One module of a course version: a title, learning outcomes and hours.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[allow(clippy::exhaustive_structs)] // plain input data a front end fills in; a new field is a new schema version
pub struct Module {
    /// The module's title.
    pub title: Name,
    /// What a participant can do after it.
    pub outcomes: Vec<Name>,
    /// Planned teaching hours (non-negative).
    pub hours: Decimal,
}

/// A competency a course version grants, at a level (1 = entry).
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[allow(clippy::exhaustive_structs)] // plain input data; a code and a level is all a competency is
pub struct GrantedCompetency {
    /// The competency code (an SKKNI unit, a course outcome).
    pub competency: CompetencyCode,
    /// The level granted, 1 or more.
    pub level: u8,
}

/// How long a certificate of a course version stays valid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Validity {
    /// It never expires.
    Unlimited,
    /// Valid for this many months: through the day before the same calendar
    /// day that many months after issue (issued 1 March 2026 for 24 months →
    /// valid through 29 February 2028).
    Months(u16),
    /// Valid through this fixed date, whenever issued.
    Until(NaiveDate),
}

impl Validity {
    /// The last valid day of a certificate issued on `issued_on` (`None` when
    /// it never expires). Out-of-range arithmetic saturates to "never".
    #[must_use]
    pub fn last_day(self, issued_on: NaiveDate) -> Option<NaiveDate> {
        match self {
            Self::Unlimited => None,
            Self::Months(n) => issued_on
                .checked_add_months(Months::new(u32::from(n)))
                .and_then(|d| d.checked_sub_days(Days::new(1))),
            Self::Until(date) => Some(date),
        }
    }
}

/// What a participant must achieve for a course version to count as
/// completed and a certificate to be issued. Attendance, assessment and hours
/// are checked separately; all must hold.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[allow(clippy::exhaustive_structs)] // plain input data; a new criterion is a new schema version
pub struct CompletionRule {
    /// The share of the cohort's sessions attended (present or late; excused
    /// and absent do not count), in percent, 0–100.
    pub min_attendance_percent: u8,
    /// The minimum assessment score, 0–100, if the course is scored.
    pub pass_mark: Option<u8>,
    /// Whether a conditional pass (lulus bersyarat) completes the course.
    pub accept_conditional_pass: bool,
    /// The minimum hours credited to the participant, if any.
    pub min_hours: Option<Decimal>,
}

/// The content of one course version, as a client sends it. The version
/// number is assigned by the curriculum (1, 2, …).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[allow(clippy::exhaustive_structs)] // plain input data a front end fills in; a new field is a new schema version
pub struct VersionSpec {
    /// The modules, in teaching order.
    pub modules: Vec<Module>,
    /// The competencies a certificate of this version attests.
    pub competencies: Vec<GrantedCompetency>,
    /// How long its certificates stay valid.
    pub validity: Validity,
    /// What completion requires.
    pub rule: CompletionRule,
    /// If this version is a refresher: the course whose certificates its
    /// completion renews.
    pub refreshes: Option<CourseId>,
}

/// A course version as recorded: the spec and its number.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct CourseVersion {
    /// The version number, from 1.
    pub number: u32,
    /// The content.
    pub spec: VersionSpec,
}

impl CourseVersion {
    /// Version `number` with `spec`.
    #[must_use]
    pub fn new(number: u32, spec: VersionSpec) -> Self {
        Self { number, spec }
    }

    /// Total planned hours of the modules.
    #[must_use]
    pub fn planned_hours(&self) -> Decimal {
        self.spec.modules.iter().fold(Decimal::ZERO, |acc, m| acc.saturating_add(m.hours))
    }
}

/// A course in the catalogue with every version it has had.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Course {
    /// Its id.
    pub id: CourseId,
    /// Its catalogue code.
    pub code: CourseCode,
    /// Its title.
    pub title: Name,
    /// What it is about.
    pub description: String,
    /// The programmes it belongs to.
    pub programmes: BTreeSet<Programme>,
    /// Every version, oldest first; the last is current.
    pub versions: Vec<CourseVersion>,
    /// The requirement a person must meet to enrol, if any.
    pub prerequisite: Option<RequirementId>,
}

impl Course {
    /// The current (latest) version.
    #[must_use]
    pub fn current(&self) -> Option<&CourseVersion> {
        self.versions.last()
    }

    /// Version `number`, if it exists.
    #[must_use]
    pub fn version(&self, number: u32) -> Option<&CourseVersion> {
        let index = usize::try_from(number).ok()?.checked_sub(1)?;
        self.versions.get(index)
    }

    /// Whether it belongs to the preparedness programme.
    #[must_use]
    pub fn is_preparedness(&self) -> bool {
        self.programmes.contains(&Programme::Preparedness)
    }
}

/// The longest accepted course description, in characters.
pub const MAX_DESCRIPTION: usize = 4000;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validity_last_day() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(Validity::Months(24).last_day(d(2026, 3, 1)), Some(d(2028, 2, 29)));
        assert_eq!(Validity::Months(12).last_day(d(2026, 1, 31)), Some(d(2027, 1, 30)));
        assert_eq!(Validity::Unlimited.last_day(d(2026, 3, 1)), None);
        assert_eq!(Validity::Until(d(2027, 12, 31)).last_day(d(2026, 3, 1)), Some(d(2027, 12, 31)));
    }

    #[test]
    fn course_code_rules() {
        assert!(CourseCode::try_new("").is_err());
        assert!(CourseCode::try_new("x".repeat(33)).is_err());
        assert!(serde_json::from_str::<CourseCode>("\"a b\"").is_err());
        let c: CourseCode = "PP-01".parse().unwrap();
        assert_eq!(serde_json::to_string(&c).unwrap(), "\"PP-01\"");
        assert_eq!(format!("{c:?}"), "CourseCode(\"PP-01\")");
    }
}

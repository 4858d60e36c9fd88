//! Persons: the basics every domain shares.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::id::PersonId;
use crate::nik::Nik;
use crate::text::Name;

/// Sex as recorded on the KTP and KK (Dukcapil: laki-laki, perempuan).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(clippy::exhaustive_enums)] // closed: the two values of the civil register
pub enum Sex {
    /// Laki-laki.
    Male,
    /// Perempuan.
    Female,
}

impl Sex {
    /// The one-letter code used in exports: `M` or `F`.
    #[must_use]
    pub fn code(self) -> &'static str {
        match self {
            Self::Male => "M",
            Self::Female => "F",
        }
    }
}

/// A birth date, possibly estimated (many older residents know only the year).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct BirthDate {
    /// The date (for an estimate, the best guess, e.g. 1 July of the year).
    pub date: NaiveDate,
    /// Whether the date is an estimate.
    pub estimated: bool,
}

impl BirthDate {
    /// A known birth date.
    #[must_use]
    pub fn exact(date: NaiveDate) -> Self {
        Self { date, estimated: false }
    }

    /// An estimated birth date.
    #[must_use]
    pub fn estimated(date: NaiveDate) -> Self {
        Self { date, estimated: true }
    }

    /// Age in whole years on `on`; 0 if `on` is before the birth date.
    ///
    /// # Examples
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use tangguh_core::BirthDate;
    ///
    /// let born = BirthDate::exact(NaiveDate::from_ymd_opt(2000, 2, 29).unwrap());
    /// assert_eq!(born.age_on(NaiveDate::from_ymd_opt(2026, 2, 28).unwrap()), 25);
    /// assert_eq!(born.age_on(NaiveDate::from_ymd_opt(2026, 3, 1).unwrap()), 26);
    /// ```
    #[must_use]
    pub fn age_on(&self, on: NaiveDate) -> u32 {
        age_on(self.date, on)
    }
}

/// Whole years from `born` to `on` (0 if `on` is before `born`). A 29 February
/// birthday is reached on 1 March in common years.
#[must_use]
pub fn age_on(born: NaiveDate, on: NaiveDate) -> u32 {
    if on < born {
        return 0;
    }
    let mut years = on.year() - born.year();
    if (on.month(), on.day()) < (born.month(), born.day()) {
        years -= 1;
    }
    u32::try_from(years).unwrap_or(0)
}

/// A person: the basics every domain shares. Many residents have no NIK yet,
/// so it is optional; the birth date may be an estimate.
///
/// # Examples
///
/// ```
/// use chrono::NaiveDate;
/// use tangguh_core::{BirthDate, IdGenerator, Name, Person, Sex};
///
/// let ids = IdGenerator::deterministic(1);
/// let born = BirthDate::exact(NaiveDate::from_ymd_opt(1990, 8, 5).unwrap());
/// let siti = Person::new(ids.next_id(), Name::try_new("Siti")?, born, Sex::Female)
///     .with_nik("6271054508900001".parse()?);
/// assert_eq!(siti.age_on(NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()), 36);
/// assert!(format!("{siti:?}").contains("627105**********"));
/// # Ok::<(), tangguh_core::ValidationError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Person {
    /// The person's id.
    pub id: PersonId,
    /// Full name as on the KTP/KK.
    pub name: Name,
    /// NIK, if Dukcapil has issued one.
    pub nik: Option<Nik>,
    /// Birth date, possibly estimated.
    pub birth_date: BirthDate,
    /// Sex.
    pub sex: Sex,
}

impl Person {
    /// A person without a NIK.
    #[must_use]
    pub fn new(id: PersonId, name: Name, birth_date: BirthDate, sex: Sex) -> Self {
        Self { id, name, nik: None, birth_date, sex }
    }

    /// The same person with a NIK.
    #[must_use]
    pub fn with_nik(self, nik: Nik) -> Self {
        Self { nik: Some(nik), ..self }
    }

    /// Age in whole years on `on`.
    #[must_use]
    pub fn age_on(&self, on: NaiveDate) -> u32 {
        self.birth_date.age_on(on)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn ages() {
        assert_eq!(age_on(d(2021, 11, 28), d(2026, 11, 27)), 4);
        assert_eq!(age_on(d(2021, 11, 28), d(2026, 11, 28)), 5);
        assert_eq!(age_on(d(2026, 11, 28), d(2026, 1, 1)), 0);
        assert_eq!(Sex::Female.code(), "F");
    }
}

//! Kartu Keluarga numbers: the official No KK and the temporary local numbers
//! that village software issues while Dukcapil has not.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Rule, ValidationError};
use crate::nik::{check_region, date_in_either_century, sixteen_digits, two};
use crate::region::RegionCode;

/// A validated No KK (Kartu Keluarga number). Masked in `Debug` and `Display`
/// like a [`Nik`](crate::Nik); the full value through [`KkNumber::expose`] and
/// serde.
///
/// Layout (a secondary source and perl-Business-ID-NKK, not the regulation
/// text; see `reference/registry.md` §2): a 6-digit issuing district,
/// `ddmmyy` the date of recording (no +40), a 4-digit family serial from 0001.
///
/// # Examples
///
/// ```
/// use tangguh_core::KkNumber;
///
/// let kk: KkNumber = "6271051203150007".parse()?;
/// assert_eq!(kk.to_string(), "627105**********");
/// assert_eq!(kk.district(), "627105");
/// assert_eq!(kk.recorded_on(2026).to_string(), "2015-03-12");
/// // A temporary number is not a No KK.
/// assert!("0627105100100001".parse::<KkNumber>().is_err());
/// # Ok::<(), tangguh_core::ValidationError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct KkNumber([u8; 16]);

impl KkNumber {
    /// Validates `s` as a No KK.
    ///
    /// # Errors
    ///
    /// A [`ValidationError`] on field `"kk number"` (value masked) when `s` is
    /// not 16 ASCII digits, starts with `0` (a temporary number), has an
    /// unknown province or a `00` regency or district, an impossible date, or
    /// serial `0000`.
    pub fn parse(s: &str) -> Result<Self, ValidationError> {
        let err = |rule| ValidationError::masked("kk number", s, rule);
        let digits = sixteen_digits(s).ok_or_else(|| err(Rule::NotDigits { len: 16 }))?;
        if digits[0] == b'0' {
            return Err(err(Rule::TemporaryNumber));
        }
        check_region(&digits).map_err(err)?;
        let (day, month, yy) = (two(&digits, 6), two(&digits, 8), two(&digits, 10));
        if !(1..=31).contains(&day) {
            return Err(err(Rule::InvalidDay));
        }
        if !(1..=12).contains(&month) {
            return Err(err(Rule::InvalidMonth));
        }
        if date_in_either_century(day, month, yy).is_none() {
            return Err(err(Rule::InvalidDate));
        }
        if &digits[12..16] == b"0000" {
            return Err(err(Rule::ZeroSerial));
        }
        Ok(Self(digits))
    }

    /// The full 16 digits. Personal data.
    #[must_use]
    pub fn expose(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// The issuing district code, e.g. `"627105"`.
    #[must_use]
    pub fn district(&self) -> &str {
        self.expose().get(..6).unwrap_or_default()
    }

    /// The date of recording, century resolved against `reference_year` as for
    /// a NIK (20YY unless that is after the reference year).
    #[must_use]
    pub fn recorded_on(&self, reference_year: i32) -> NaiveDate {
        let (day, month, yy) = (two(&self.0, 6), two(&self.0, 8), i32::from(two(&self.0, 10)));
        let modern = 2000 + yy;
        let (first, second) =
            if modern <= reference_year { (modern, 1900 + yy) } else { (1900 + yy, modern) };
        NaiveDate::from_ymd_opt(first, u32::from(month), u32::from(day))
            .or_else(|| NaiveDate::from_ymd_opt(second, u32::from(month), u32::from(day)))
            .unwrap_or(NaiveDate::MIN)
    }
}

impl fmt::Display for KkNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}**********", self.district())
    }
}

impl fmt::Debug for KkNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KkNumber({self})")
    }
}

impl FromStr for KkNumber {
    type Err = ValidationError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for KkNumber {
    type Error = ValidationError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<KkNumber> for String {
    fn from(kk: KkNumber) -> Self {
        kk.expose().to_owned()
    }
}

/// A temporary local number, as village software (OpenSID `nik_sementara`,
/// `nokk_sementara`) issues it for a resident or family Dukcapil has not yet
/// numbered: `0`, the 10-digit village code, a 5-digit counter from 00001.
///
/// A separate scheme: a leading `0` is never a province, so a `LocalNumber`
/// is never accepted as a [`Nik`](crate::Nik) or a [`KkNumber`], and the other
/// way round. `Display` masks the counter.
///
/// # Examples
///
/// ```
/// use tangguh_core::LocalNumber;
///
/// let n: LocalNumber = "0627105100400012".parse()?;
/// assert_eq!(n.village().to_string(), "62.71.05.1004");
/// assert_eq!(n.counter(), 12);
/// assert_eq!(n.to_string(), "06271051004*****");
/// assert!("6271051004000012".parse::<LocalNumber>().is_err());
/// # Ok::<(), tangguh_core::ValidationError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct LocalNumber([u8; 16]);

impl LocalNumber {
    /// Validates `s` as a temporary local number.
    ///
    /// # Errors
    ///
    /// A [`ValidationError`] on field `"local number"` when `s` is not 16
    /// ASCII digits, does not start with `0`, does not carry a valid village
    /// code, or has counter `00000`.
    pub fn parse(s: &str) -> Result<Self, ValidationError> {
        let err = |rule| ValidationError::masked("local number", s, rule);
        let digits = sixteen_digits(s).ok_or_else(|| err(Rule::NotDigits { len: 16 }))?;
        if digits[0] != b'0' {
            return Err(err(Rule::NotTemporary));
        }
        let village = s.get(1..11).ok_or_else(|| err(Rule::NotDigits { len: 16 }))?;
        RegionCode::parse(village).map_err(|e| err(e.rule()))?;
        if &digits[11..16] == b"00000" {
            return Err(err(Rule::ZeroSerial));
        }
        Ok(Self(digits))
    }

    /// Builds the number for `counter` in `village`.
    ///
    /// # Errors
    ///
    /// [`Rule::WrongLevel`] if `village` is not a village-level code;
    /// [`Rule::OutOfRange`] if `counter` is 0 or above 99,999.
    pub fn new(village: RegionCode, counter: u32) -> Result<Self, ValidationError> {
        if village.level() != crate::RegionLevel::Village {
            return Err(ValidationError::new(
                "local number village",
                &village.to_string(),
                Rule::WrongLevel,
            ));
        }
        if !(1..=99_999).contains(&counter) {
            return Err(ValidationError::new(
                "local number counter",
                &counter.to_string(),
                Rule::OutOfRange,
            ));
        }
        Self::parse(&format!("0{}{counter:05}", village.undotted()))
    }

    /// The full 16 digits.
    #[must_use]
    pub fn expose(&self) -> &str {
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// The village that issued the number.
    #[must_use]
    pub fn village(&self) -> RegionCode {
        // Validated at construction; the fallback is never taken.
        RegionCode::parse(self.expose().get(1..11).unwrap_or_default())
            .unwrap_or(RegionCode::RAKUMPIT)
    }

    /// The counter, from 1.
    #[must_use]
    pub fn counter(&self) -> u32 {
        self.0
            .get(11..16)
            .map_or(0, |d| d.iter().fold(0u32, |acc, b| acc * 10 + u32::from(b.wrapping_sub(b'0'))))
    }
}

impl fmt::Display for LocalNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}*****", self.expose().get(..11).unwrap_or_default())
    }
}

impl fmt::Debug for LocalNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "LocalNumber({self})")
    }
}

impl FromStr for LocalNumber {
    type Err = ValidationError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for LocalNumber {
    type Error = ValidationError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<LocalNumber> for String {
    fn from(n: LocalNumber) -> Self {
        n.expose().to_owned()
    }
}

/// The number a household's Kartu Keluarga goes by: an official No KK, or a
/// temporary local number until Dukcapil issues one. Parsed by the first
/// digit; serialised as the bare 16 digits.
///
/// # Examples
///
/// ```
/// use tangguh_core::FamilyNumber;
///
/// let official: FamilyNumber = "6271051203150007".parse()?;
/// assert!(official.is_official());
/// let local: FamilyNumber = "0627105100400012".parse()?;
/// assert!(!local.is_official());
/// # Ok::<(), tangguh_core::ValidationError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
#[allow(clippy::exhaustive_enums)] // closed: Dukcapil's number or a local one
pub enum FamilyNumber {
    /// An official No KK.
    Official(KkNumber),
    /// A temporary local number.
    Temporary(LocalNumber),
}

impl FamilyNumber {
    /// Parses an official No KK or, with a leading `0`, a temporary number.
    ///
    /// # Errors
    ///
    /// The [`ValidationError`] of [`KkNumber::parse`] or
    /// [`LocalNumber::parse`].
    pub fn parse(s: &str) -> Result<Self, ValidationError> {
        if s.starts_with('0') {
            LocalNumber::parse(s).map(Self::Temporary)
        } else {
            KkNumber::parse(s).map(Self::Official)
        }
    }

    /// Whether this is an official No KK.
    #[must_use]
    pub fn is_official(&self) -> bool {
        matches!(self, Self::Official(_))
    }

    /// The full 16 digits. Personal data.
    #[must_use]
    pub fn expose(&self) -> &str {
        match self {
            Self::Official(kk) => kk.expose(),
            Self::Temporary(n) => n.expose(),
        }
    }
}

impl fmt::Display for FamilyNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Official(kk) => kk.fmt(f),
            Self::Temporary(n) => n.fmt(f),
        }
    }
}

impl fmt::Debug for FamilyNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FamilyNumber({self})")
    }
}

impl FromStr for FamilyNumber {
    type Err = ValidationError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for FamilyNumber {
    type Error = ValidationError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<FamilyNumber> for String {
    fn from(n: FamilyNumber) -> Self {
        n.expose().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Nik;

    #[test]
    fn kk_rules() {
        let rule = |s: &str| KkNumber::parse(s).unwrap_err().rule();
        assert_eq!(rule("0627105100400012"), Rule::TemporaryNumber);
        assert_eq!(rule("6271054508150007"), Rule::InvalidDay);
        assert_eq!(rule("6271051213150007"), Rule::InvalidMonth);
        assert_eq!(rule("6271053102150007"), Rule::InvalidDate);
        assert_eq!(rule("6271051203150000"), Rule::ZeroSerial);
        assert_eq!(rule("9971051203150007"), Rule::UnknownProvince);
    }

    #[test]
    fn a_temporary_number_is_never_a_nik() {
        let s = "0627105100400012";
        assert!(LocalNumber::parse(s).is_ok());
        assert_eq!(Nik::parse(s).unwrap_err().rule(), Rule::TemporaryNumber);
        assert_eq!(KkNumber::parse(s).unwrap_err().rule(), Rule::TemporaryNumber);
    }

    #[test]
    fn local_number_rules() {
        let rule = |s: &str| LocalNumber::parse(s).unwrap_err().rule();
        assert_eq!(rule("6271051004000012"), Rule::NotTemporary);
        assert_eq!(rule("0627105100400000"), Rule::ZeroSerial);
        assert_eq!(rule("0627105000000012"), Rule::InvalidVillage);
        let village = RegionCode::parse("62.71.05.1004").unwrap();
        assert_eq!(LocalNumber::new(village, 12).unwrap().expose(), "0627105100400012");
        assert!(LocalNumber::new(village, 0).is_err());
        assert!(LocalNumber::new(village, 100_000).is_err());
        assert!(LocalNumber::new(RegionCode::RAKUMPIT, 1).is_err());
    }

    #[test]
    fn family_number_round_trips_through_serde() {
        for s in ["6271051203150007", "0627105100400012"] {
            let n = FamilyNumber::parse(s).unwrap();
            let json = serde_json::to_string(&n).unwrap();
            assert_eq!(json, format!("\"{s}\""));
            assert_eq!(serde_json::from_str::<FamilyNumber>(&json).unwrap(), n);
        }
    }
}

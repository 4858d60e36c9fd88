//! The NIK (Nomor Induk Kependudukan), Indonesia's 16-digit population number.
//!
//! Layout (Dukcapil; see `reference/registry.md` §1): digits 1–2 province,
//! 3–4 regency (kabupaten/kota), 5–6 district (kecamatan) where the number was
//! first registered; 7–8 birth day (+40 for women); 9–10 birth month; 11–12
//! the last two digits of the birth year; 13–16 a serial from 0001.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::{Rule, ValidationError};
use crate::person::Sex;

const FIELD: &str = "nik";

/// Kemendagri province codes (Kepmendagri 300.2.2-2138/2025): Sumatra 11–19
/// and 21, Java 31–36, Bali–Nusa Tenggara 51–53, Kalimantan 61–65, Sulawesi
/// 71–76, Maluku 81–82, Papua 91–96.
pub const PROVINCE_CODES: [u8; 38] = [
    11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 31, 32, 33, 34, 35, 36, 51, 52, 53, 61, 62, 63, 64, 65,
    71, 72, 73, 74, 75, 76, 81, 82, 91, 92, 93, 94, 95, 96,
];

/// Whether `code` is a Kemendagri province code.
#[must_use]
pub fn is_province_code(code: u8) -> bool {
    PROVINCE_CODES.binary_search(&code).is_ok()
}

/// A validated NIK. Its `Debug` and `Display` are masked; the full number is
/// only reached through [`Nik::expose`] and serde.
///
/// Validation (all of it, also when deserialising):
///
/// 1. exactly 16 ASCII digits;
/// 2. a known province code ([`PROVINCE_CODES`]);
/// 3. regency and district not `00`;
/// 4. day 01–31 (male) or 41–71 (female), month 01–12;
/// 5. a real calendar date in 19YY or 20YY (29 February 00 is valid, as
///    2000 was a leap year);
/// 6. serial not `0000`.
///
/// A temporary local number (leading `0`, as village software issues them) is
/// never a NIK: see [`LocalNumber`](crate::LocalNumber).
///
/// The birth date encoded in a NIK may differ from a person's recorded one (a
/// NIK is not reissued when a date is corrected): [`Nik::encoded_birth_date`]
/// exposes it and nothing here compares the two.
///
/// # Examples
///
/// ```
/// use chrono::NaiveDate;
/// use tangguh_core::{Nik, Sex};
///
/// let nik: Nik = "6271054508900001".parse()?;
/// assert_eq!(nik.to_string(), "627105**********");
/// assert_eq!(nik.expose(), "6271054508900001");
/// assert_eq!(nik.province(), "62");
/// assert_eq!(nik.regency(), "6271");
/// assert_eq!(nik.district(), "627105");
/// assert_eq!(nik.sex(), Sex::Female);
/// assert_eq!(nik.encoded_birth_date(2026), NaiveDate::from_ymd_opt(1990, 8, 5).unwrap());
/// # Ok::<(), tangguh_core::ValidationError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Nik([u8; 16]);

impl Nik {
    /// Validates `s` as a NIK.
    ///
    /// # Errors
    ///
    /// A [`ValidationError`] on field `"nik"` naming the first rule broken
    /// (see the type's documentation); the value in it is masked.
    pub fn parse(s: &str) -> Result<Self, ValidationError> {
        let err = |rule| ValidationError::masked(FIELD, s, rule);
        let digits = sixteen_digits(s).ok_or_else(|| err(Rule::NotDigits { len: 16 }))?;
        if digits[0] == b'0' {
            return Err(err(Rule::TemporaryNumber));
        }
        check_region(&digits).map_err(err)?;
        let day = two(&digits, 6);
        let month = two(&digits, 8);
        let yy = two(&digits, 10);
        let day = match day {
            1..=31 => day,
            41..=71 => day - 40,
            _ => return Err(err(Rule::InvalidDay)),
        };
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

    /// The full 16 digits. Personal data: show it only to whom may see it.
    #[must_use]
    pub fn expose(&self) -> &str {
        // The bytes are ASCII digits by construction.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// The province code where the NIK was first registered, e.g. `"62"`.
    #[must_use]
    pub fn province(&self) -> &str {
        self.expose().get(..2).unwrap_or_default()
    }

    /// The regency (kabupaten/kota) code, province included, e.g. `"6271"`.
    #[must_use]
    pub fn regency(&self) -> &str {
        self.expose().get(..4).unwrap_or_default()
    }

    /// The district (kecamatan) code, province and regency included, e.g.
    /// `"627105"`. It is the place of first registration, which may be an
    /// obsolete code after a region split.
    #[must_use]
    pub fn district(&self) -> &str {
        self.expose().get(..6).unwrap_or_default()
    }

    /// The district as a [`RegionCode`](crate::RegionCode).
    #[must_use]
    pub fn district_code(&self) -> crate::RegionCode {
        crate::RegionCode::district_from_parts(two(&self.0, 0), two(&self.0, 2), two(&self.0, 4))
    }

    /// The sex encoded in the day digits (day + 40 for women).
    #[must_use]
    pub fn sex(&self) -> Sex {
        if two(&self.0, 6) > 40 { Sex::Female } else { Sex::Male }
    }

    /// The birth date encoded in the NIK, with the century resolved against
    /// `reference_year` (usually the current year from the
    /// [`Clock`](crate::Clock)): 20YY if that is not after `reference_year`,
    /// else 19YY. If the date does not exist in the chosen century (only 29
    /// February 1900), the other century's date is returned.
    #[must_use]
    pub fn encoded_birth_date(&self, reference_year: i32) -> NaiveDate {
        let day = two(&self.0, 6);
        let day = if day > 40 { day - 40 } else { day };
        let month = two(&self.0, 8);
        let yy = i32::from(two(&self.0, 10));
        let modern = 2000 + yy;
        let (first, second) =
            if modern <= reference_year { (modern, 1900 + yy) } else { (1900 + yy, modern) };
        NaiveDate::from_ymd_opt(first, u32::from(month), u32::from(day))
            .or_else(|| NaiveDate::from_ymd_opt(second, u32::from(month), u32::from(day)))
            .unwrap_or(NaiveDate::MIN)
    }

    /// The serial number (digits 13–16), from 1.
    #[must_use]
    pub fn serial(&self) -> u16 {
        u16::from(two(&self.0, 12)) * 100 + u16::from(two(&self.0, 14))
    }

    /// Whether the encoded birth date (century resolved against the year of
    /// `recorded`) equals `recorded`. A mismatch is a reason to check, never to
    /// reject: a NIK is not reissued when a birth date is corrected.
    #[must_use]
    pub fn matches_birth_date(&self, recorded: NaiveDate) -> bool {
        self.encoded_birth_date(recorded.year()) == recorded
    }
}

/// The 16 bytes of `s` if it is exactly 16 ASCII digits.
pub(crate) fn sixteen_digits(s: &str) -> Option<[u8; 16]> {
    let bytes: [u8; 16] = s.as_bytes().try_into().ok()?;
    bytes.iter().all(u8::is_ascii_digit).then_some(bytes)
}

/// The number formed by the two ASCII digits at `at`.
pub(crate) fn two(digits: &[u8; 16], at: usize) -> u8 {
    let d = |i: usize| digits.get(i).map_or(0, |b| b.wrapping_sub(b'0'));
    d(at) * 10 + d(at + 1)
}

/// Checks the province, regency and district digits of a 16-digit number.
pub(crate) fn check_region(digits: &[u8; 16]) -> Result<(), Rule> {
    if !is_province_code(two(digits, 0)) {
        return Err(Rule::UnknownProvince);
    }
    if two(digits, 2) == 0 {
        return Err(Rule::ZeroRegency);
    }
    if two(digits, 4) == 0 {
        return Err(Rule::ZeroDistrict);
    }
    Ok(())
}

/// The date (day, month, yy) in 20YY if it exists there, else in 19YY.
pub(crate) fn date_in_either_century(day: u8, month: u8, yy: u8) -> Option<NaiveDate> {
    let (d, m, y) = (u32::from(day), u32::from(month), i32::from(yy));
    NaiveDate::from_ymd_opt(2000 + y, m, d).or_else(|| NaiveDate::from_ymd_opt(1900 + y, m, d))
}

impl fmt::Display for Nik {
    /// Masked: the district prefix, then `*` for the ten personal digits.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}**********", self.district())
    }
}

impl fmt::Debug for Nik {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Nik({self})")
    }
}

impl FromStr for Nik {
    type Err = ValidationError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for Nik {
    type Error = ValidationError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Nik> for String {
    fn from(nik: Nik) -> Self {
        nik.expose().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(s: &str) -> Rule {
        Nik::parse(s).unwrap_err().rule()
    }

    #[test]
    fn accepts_a_valid_male_and_female_nik() {
        let m = Nik::parse("6271050508900001").unwrap();
        assert_eq!(m.sex(), Sex::Male);
        let f = Nik::parse("6271054508900001").unwrap();
        assert_eq!(f.sex(), Sex::Female);
        assert_eq!(f.serial(), 1);
        assert_eq!(f.district_code().to_string(), "62.71.05");
    }

    #[test]
    fn names_the_rule_that_failed() {
        assert_eq!(rule("627105450890000"), Rule::NotDigits { len: 16 });
        assert_eq!(rule("62710545089000011"), Rule::NotDigits { len: 16 });
        assert_eq!(rule("62710545089O0001"), Rule::NotDigits { len: 16 });
        assert_eq!(rule("６２71054508900001"), Rule::NotDigits { len: 16 });
        assert_eq!(rule("0271054508900001"), Rule::TemporaryNumber);
        assert_eq!(rule("2071054508900001"), Rule::UnknownProvince);
        assert_eq!(rule("6200054508900001"), Rule::ZeroRegency);
        assert_eq!(rule("6271004508900001"), Rule::ZeroDistrict);
        assert_eq!(rule("6271050008900001"), Rule::InvalidDay);
        assert_eq!(rule("6271053208900001"), Rule::InvalidDay);
        assert_eq!(rule("6271054008900001"), Rule::InvalidDay);
        assert_eq!(rule("6271057208900001"), Rule::InvalidDay);
        assert_eq!(rule("6271050500900001"), Rule::InvalidMonth);
        assert_eq!(rule("6271050513900001"), Rule::InvalidMonth);
        assert_eq!(rule("6271053104900001"), Rule::InvalidDate);
        assert_eq!(rule("6271053002900001"), Rule::InvalidDate);
        assert_eq!(rule("6271050508900000"), Rule::ZeroSerial);
    }

    #[test]
    fn leap_years_are_checked() {
        // 29 Feb 1996 / 2096: leap either way.
        assert!(Nik::parse("6271052902960001").is_ok());
        // 29 Feb 1997 exists in neither century.
        assert_eq!(rule("6271052902970001"), Rule::InvalidDate);
        // 29 Feb 00: 2000 was a leap year, so it is valid and resolves to 2000.
        let nik = Nik::parse("6271056902000001").unwrap();
        assert_eq!(nik.encoded_birth_date(1999), NaiveDate::from_ymd_opt(2000, 2, 29).unwrap());
    }

    #[test]
    fn century_follows_the_reference_year() {
        let nik = Nik::parse("6271050101260001").unwrap();
        assert_eq!(nik.encoded_birth_date(2026).year(), 2026);
        assert_eq!(nik.encoded_birth_date(2025).year(), 1926);
        assert!(nik.matches_birth_date(NaiveDate::from_ymd_opt(2026, 1, 1).unwrap()));
        assert!(!nik.matches_birth_date(NaiveDate::from_ymd_opt(2026, 1, 2).unwrap()));
    }

    #[test]
    fn errors_and_debug_are_masked() {
        let err = Nik::parse("6271053208901234").unwrap_err();
        assert!(!err.to_string().contains("3208901234"));
        let nik = Nik::parse("6271050508901234").unwrap();
        assert_eq!(format!("{nik:?}"), "Nik(627105**********)");
    }

    #[test]
    fn serde_carries_the_full_value_and_validates() {
        let nik = Nik::parse("6271050508901234").unwrap();
        let json = serde_json::to_string(&nik).unwrap();
        assert_eq!(json, "\"6271050508901234\"");
        assert_eq!(serde_json::from_str::<Nik>(&json).unwrap(), nik);
        assert!(serde_json::from_str::<Nik>("\"6271053208901234\"").is_err());
    }
}

//! Kemendagri region codes and a gazetteer of their names.
//!
//! Codes follow Permendagri 58/2021 as used by Dukcapil (and so by the NIK and
//! the No KK): province `62`, regency `62.71` (kabupaten 01–69, kota 71–99),
//! district (kecamatan) `62.71.05`, village `62.71.05.1001` (first digit 1
//! kelurahan, 2 desa, 3 desa adat). BPS codes are a different system and are
//! not accepted here.

use std::collections::BTreeMap;
use std::fmt;
use std::io::Read;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Rule, ValidationError};
use crate::nik::is_province_code;

const FIELD: &str = "region code";

/// The level of a [`RegionCode`] in the Kemendagri hierarchy.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(clippy::exhaustive_enums)] // closed: the four Kemendagri levels
pub enum RegionLevel {
    /// Provinsi.
    Province,
    /// Kabupaten or kota.
    Regency,
    /// Kecamatan.
    District,
    /// Desa or kelurahan.
    Village,
}

/// A validated Kemendagri region code at any level.
///
/// Parses the dotted form (`62.71.05.1001`) and the plain digits
/// (`6271051001`); displays dotted; serialises dotted. Ordered so that a
/// region sorts right before everything inside it.
///
/// # Examples
///
/// ```
/// use tangguh_core::{RegionCode, RegionLevel};
///
/// let petuk_bukit: RegionCode = "6271051001".parse()?;
/// assert_eq!(petuk_bukit.to_string(), "62.71.05.1001");
/// assert_eq!(petuk_bukit.level(), RegionLevel::Village);
/// assert_eq!(petuk_bukit.parent(), Some(RegionCode::RAKUMPIT));
/// assert!(RegionCode::RAKUMPIT.contains(petuk_bukit));
/// assert_eq!(petuk_bukit.undotted(), "6271051001");
/// # Ok::<(), tangguh_core::ValidationError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct RegionCode {
    province: u8,
    regency: u8,
    district: u8,
    village: u16,
}

impl RegionCode {
    /// Provinsi Kalimantan Tengah, `62`.
    pub const KALIMANTAN_TENGAH: Self = Self { province: 62, regency: 0, district: 0, village: 0 };
    /// Kota Palangka Raya, `62.71`.
    pub const PALANGKA_RAYA: Self = Self { province: 62, regency: 71, district: 0, village: 0 };
    /// Kecamatan Rakumpit, `62.71.05`.
    pub const RAKUMPIT: Self = Self { province: 62, regency: 71, district: 5, village: 0 };

    /// Parses a dotted or plain region code.
    ///
    /// # Errors
    ///
    /// A [`ValidationError`] on field `"region code"` when the text is neither
    /// form ([`Rule::Format`]), the province is unknown, the regency or
    /// district is `00`, or the village is not 1001–3999.
    pub fn parse(s: &str) -> Result<Self, ValidationError> {
        let err = |rule| ValidationError::new(FIELD, s, rule);
        let format = Rule::Format { expected: "62, 62.71, 62.71.05, 62.71.05.1001 or 6271051001" };
        let parts: Vec<&str> = if s.contains('.') {
            let parts: Vec<&str> = s.split('.').collect();
            let widths_ok = parts.len() <= 4
                && parts.iter().enumerate().all(|(i, p)| p.len() == if i == 3 { 4 } else { 2 });
            if !widths_ok {
                return Err(err(format));
            }
            parts
        } else {
            match s.len() {
                2 | 4 | 6 | 10 if s.is_ascii() => {
                    let mut parts = Vec::with_capacity(4);
                    let mut at = 0;
                    while at < s.len() {
                        let width = if at == 6 { 4 } else { 2 };
                        parts.push(s.get(at..at + width).ok_or_else(|| err(format))?);
                        at += width;
                    }
                    parts
                }
                _ => return Err(err(format)),
            }
        };
        if !parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit())) {
            return Err(err(format));
        }
        let num = |i: usize| -> u16 { parts.get(i).and_then(|p| p.parse().ok()).unwrap_or(0) };
        let province = u8::try_from(num(0)).map_err(|_| err(format))?;
        if !is_province_code(province) {
            return Err(err(Rule::UnknownProvince));
        }
        let regency = u8::try_from(num(1)).map_err(|_| err(format))?;
        if parts.len() >= 2 && regency == 0 {
            return Err(err(Rule::ZeroRegency));
        }
        let district = u8::try_from(num(2)).map_err(|_| err(format))?;
        if parts.len() >= 3 && district == 0 {
            return Err(err(Rule::ZeroDistrict));
        }
        let village = num(3);
        if parts.len() == 4 && !(1001..=3999).contains(&village) {
            return Err(err(Rule::InvalidVillage));
        }
        Ok(Self { province, regency, district, village })
    }

    /// A district code from its numeric parts, without validation; used for
    /// codes read from an already validated NIK.
    pub(crate) fn district_from_parts(province: u8, regency: u8, district: u8) -> Self {
        Self { province, regency, district, village: 0 }
    }

    /// The level of this code.
    #[must_use]
    pub fn level(&self) -> RegionLevel {
        if self.village != 0 {
            RegionLevel::Village
        } else if self.district != 0 {
            RegionLevel::District
        } else if self.regency != 0 {
            RegionLevel::Regency
        } else {
            RegionLevel::Province
        }
    }

    /// The region one level up, or `None` for a province.
    #[must_use]
    pub fn parent(&self) -> Option<Self> {
        let mut parent = *self;
        match self.level() {
            RegionLevel::Province => return None,
            RegionLevel::Regency => parent.regency = 0,
            RegionLevel::District => parent.district = 0,
            RegionLevel::Village => parent.village = 0,
        }
        Some(parent)
    }

    /// The ancestor at `level`, or `None` if `level` is below this code's.
    #[must_use]
    pub fn ancestor(&self, level: RegionLevel) -> Option<Self> {
        if level > self.level() {
            return None;
        }
        let mut code = *self;
        if level < RegionLevel::Village {
            code.village = 0;
        }
        if level < RegionLevel::District {
            code.district = 0;
        }
        if level < RegionLevel::Regency {
            code.regency = 0;
        }
        Some(code)
    }

    /// Whether `other` is this region or lies inside it.
    #[must_use]
    pub fn contains(&self, other: Self) -> bool {
        other.ancestor(self.level()) == Some(*self)
    }

    /// Whether this is a kelurahan (village code starting with 1), as opposed
    /// to a desa or desa adat.
    #[must_use]
    pub fn is_kelurahan(&self) -> bool {
        (1000..2000).contains(&self.village)
    }

    /// The plain-digit form, e.g. `"6271051001"`.
    #[must_use]
    pub fn undotted(&self) -> String {
        self.to_string().replace('.', "")
    }
}

impl fmt::Display for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}", self.province)?;
        let level = self.level();
        if level >= RegionLevel::Regency {
            write!(f, ".{:02}", self.regency)?;
        }
        if level >= RegionLevel::District {
            write!(f, ".{:02}", self.district)?;
        }
        if level >= RegionLevel::Village {
            write!(f, ".{:04}", self.village)?;
        }
        Ok(())
    }
}

impl fmt::Debug for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "RegionCode({self})")
    }
}

impl FromStr for RegionCode {
    type Err = ValidationError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for RegionCode {
    type Error = ValidationError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<RegionCode> for String {
    fn from(code: RegionCode) -> Self {
        code.to_string()
    }
}

/// Why a gazetteer CSV could not be loaded. Nothing is added on error.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum GazetteerError {
    /// The CSV itself could not be read (I/O, quoting, missing column).
    #[error("gazetteer CSV line {line}: {message}")]
    Csv {
        /// The 1-based line number (the header is line 1).
        line: u64,
        /// What was wrong.
        message: String,
    },
    /// A row's code is not a valid region code.
    #[error("gazetteer CSV line {line}")]
    Invalid {
        /// The 1-based line number.
        line: u64,
        /// The validation failure.
        #[source]
        source: ValidationError,
    },
}

/// Region names by code: Kota Palangka Raya's five kecamatan and Rakumpit's
/// seven kelurahan built in, more loaded from the Kemendagri list as CSV.
///
/// Built-in names and codes: Kepmendagri 300.2.2-2138/2025 (unchanged for
/// Rakumpit since 2016), as listed in `reference/registry.md` §4. Kemendagri
/// spells the city "Palangkaraya"; the built-in table uses the official
/// "Palangka Raya".
///
/// # Examples
///
/// ```
/// use tangguh_core::{Gazetteer, RegionCode};
///
/// let mut gazetteer = Gazetteer::palangka_raya();
/// assert_eq!(gazetteer.kelurahan_of(RegionCode::RAKUMPIT).count(), 7);
/// let mungku_baru: RegionCode = "62.71.05.1004".parse()?;
/// assert_eq!(gazetteer.name(mungku_baru), Some("Mungku Baru"));
///
/// let csv = "kode,nama\n62.71.01.1001,Pahandut\n";
/// assert_eq!(gazetteer.load_csv(csv.as_bytes())?, 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Gazetteer {
    names: BTreeMap<RegionCode, String>,
}

/// The built-in regions: (province, regency, district, village, name).
const BUILT_IN: [(u8, u8, u8, u16, &str); 14] = [
    (62, 0, 0, 0, "Kalimantan Tengah"),
    (62, 71, 0, 0, "Kota Palangka Raya"),
    (62, 71, 1, 0, "Pahandut"),
    (62, 71, 2, 0, "Bukit Batu"),
    (62, 71, 3, 0, "Jekan Raya"),
    (62, 71, 4, 0, "Sabangau"),
    (62, 71, 5, 0, "Rakumpit"),
    (62, 71, 5, 1001, "Petuk Bukit"),
    (62, 71, 5, 1002, "Panjehang"),
    (62, 71, 5, 1003, "Petuk Barunai"),
    (62, 71, 5, 1004, "Mungku Baru"),
    (62, 71, 5, 1005, "Pager"),
    (62, 71, 5, 1006, "Gaung Baru"),
    (62, 71, 5, 1007, "Bukit Sua"),
];

impl Gazetteer {
    /// An empty gazetteer.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    /// Kalimantan Tengah, Kota Palangka Raya, its five kecamatan and
    /// Rakumpit's seven kelurahan.
    #[must_use]
    pub fn palangka_raya() -> Self {
        let names = BUILT_IN
            .iter()
            .map(|&(province, regency, district, village, name)| {
                (RegionCode { province, regency, district, village }, name.to_owned())
            })
            .collect();
        Self { names }
    }

    /// Adds or renames one region.
    pub fn insert(&mut self, code: RegionCode, name: impl Into<String>) {
        self.names.insert(code, name.into());
    }

    /// Loads regions from a CSV with header `kode,nama` (the Kemendagri list:
    /// dotted or plain codes). Existing names are replaced. All rows are
    /// loaded or none.
    ///
    /// # Errors
    ///
    /// [`GazetteerError::Csv`] if the CSV cannot be read or lacks a column;
    /// [`GazetteerError::Invalid`] with the line of the first bad code.
    pub fn load_csv(&mut self, reader: impl Read) -> Result<usize, GazetteerError> {
        let mut csv = csv::ReaderBuilder::new().has_headers(true).from_reader(reader);
        let mut loaded = Vec::new();
        let mut record = csv::StringRecord::new();
        loop {
            let line = csv.position().line();
            match csv.read_record(&mut record) {
                Ok(false) => break,
                Ok(true) => {}
                Err(e) => return Err(GazetteerError::Csv { line, message: e.to_string() }),
            }
            let line = record.position().map_or(line, csv::Position::line);
            let (Some(code), Some(name)) = (record.get(0), record.get(1)) else {
                return Err(GazetteerError::Csv { line, message: "expected kode,nama".into() });
            };
            let code = RegionCode::parse(code.trim())
                .map_err(|source| GazetteerError::Invalid { line, source })?;
            loaded.push((code, name.trim().to_owned()));
        }
        let count = loaded.len();
        self.names.extend(loaded);
        Ok(count)
    }

    /// The name of `code`, if known.
    #[must_use]
    pub fn name(&self, code: RegionCode) -> Option<&str> {
        self.names.get(&code).map(String::as_str)
    }

    /// Whether `code` is known.
    #[must_use]
    pub fn contains(&self, code: RegionCode) -> bool {
        self.names.contains_key(&code)
    }

    /// The number of regions known.
    #[must_use]
    pub fn len(&self) -> usize {
        self.names.len()
    }

    /// Whether no region is known.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }

    /// The regions directly below `parent`, in code order.
    pub fn children(&self, parent: RegionCode) -> impl Iterator<Item = (RegionCode, &str)> + '_ {
        self.names
            .range(parent..)
            .take_while(move |(code, _)| parent.contains(**code))
            .filter(move |(code, _)| code.parent() == Some(parent))
            .map(|(code, name)| (*code, name.as_str()))
    }

    /// The kelurahan (village codes 1xxx) of a district, in code order.
    pub fn kelurahan_of(
        &self,
        district: RegionCode,
    ) -> impl Iterator<Item = (RegionCode, &str)> + '_ {
        self.children(district).filter(|(code, _)| code.is_kelurahan())
    }

    /// Every known region, in code order.
    pub fn iter(&self) -> impl Iterator<Item = (RegionCode, &str)> + '_ {
        self.names.iter().map(|(code, name)| (*code, name.as_str()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_level_both_ways() {
        for (plain, dotted, level) in [
            ("62", "62", RegionLevel::Province),
            ("6271", "62.71", RegionLevel::Regency),
            ("627105", "62.71.05", RegionLevel::District),
            ("6271051001", "62.71.05.1001", RegionLevel::Village),
        ] {
            let a = RegionCode::parse(plain).unwrap();
            let b = RegionCode::parse(dotted).unwrap();
            assert_eq!(a, b);
            assert_eq!(a.to_string(), dotted);
            assert_eq!(a.level(), level);
        }
    }

    #[test]
    fn refuses_bad_codes_with_the_rule() {
        let rule = |s: &str| RegionCode::parse(s).unwrap_err().rule();
        assert!(matches!(rule(""), Rule::Format { .. }));
        assert!(matches!(rule("62.7"), Rule::Format { .. }));
        assert!(matches!(rule("62710510"), Rule::Format { .. }));
        assert!(matches!(rule("62.71.05.1001.1"), Rule::Format { .. }));
        assert!(matches!(rule("6a"), Rule::Format { .. }));
        assert!(matches!(rule("62..05"), Rule::Format { .. }));
        assert!(matches!(rule("+2"), Rule::Format { .. }));
        assert_eq!(rule("20"), Rule::UnknownProvince);
        assert_eq!(rule("62.00"), Rule::ZeroRegency);
        assert_eq!(rule("62.71.00"), Rule::ZeroDistrict);
        assert_eq!(rule("62.71.05.0001"), Rule::InvalidVillage);
        assert_eq!(rule("62.71.05.4001"), Rule::InvalidVillage);
    }

    #[test]
    fn hierarchy() {
        let v = RegionCode::parse("62.71.05.1007").unwrap();
        assert_eq!(v.ancestor(RegionLevel::Regency), Some(RegionCode::PALANGKA_RAYA));
        assert_eq!(RegionCode::RAKUMPIT.ancestor(RegionLevel::Village), None);
        assert_eq!(RegionCode::KALIMANTAN_TENGAH.parent(), None);
        assert!(RegionCode::KALIMANTAN_TENGAH.contains(v));
        assert!(!v.contains(RegionCode::RAKUMPIT));
        assert!(v.is_kelurahan());
    }

    #[test]
    fn built_in_gazetteer() {
        let g = Gazetteer::palangka_raya();
        assert_eq!(g.children(RegionCode::PALANGKA_RAYA).count(), 5);
        let names: Vec<&str> = g.kelurahan_of(RegionCode::RAKUMPIT).map(|(_, n)| n).collect();
        assert_eq!(
            names,
            [
                "Petuk Bukit",
                "Panjehang",
                "Petuk Barunai",
                "Mungku Baru",
                "Pager",
                "Gaung Baru",
                "Bukit Sua"
            ]
        );
    }

    #[test]
    fn csv_load_is_all_or_nothing() {
        let mut g = Gazetteer::new();
        let err = g.load_csv("kode,nama\n62.71,Kota\n62.00,Bad\n".as_bytes()).unwrap_err();
        assert!(matches!(err, GazetteerError::Invalid { line: 3, .. }), "{err:?}");
        assert!(g.is_empty());
        let err = g.load_csv("kode,nama\n62.71\n".as_bytes()).unwrap_err();
        assert!(matches!(err, GazetteerError::Csv { .. }), "{err:?}");
    }
}

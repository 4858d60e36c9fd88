//! The registry's value types: code lists (Dukcapil, Regsosek), validated
//! text and numbers, and the records a household carries.

use std::collections::BTreeSet;
use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use tangguh_core::{
    BirthDate, IncidentId, Money, Name, Nik, OrganizationId, PersonId, Rule, Sex, ValidationError,
};

tangguh_core::define_id! {
    /// Identifies a dwelling (a building one or more households live in).
    pub struct DwellingId;
}

/// Normalises a SIAK text label for comparison: lower case, without
/// whitespace (so "/" is tightened), as OpenSID's importer does.
#[must_use]
pub fn normalise_label(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).flat_map(char::to_lowercase).collect()
}

macro_rules! coded {
    (
        $(#[$m:meta])*
        $name:ident, $field:literal {
            $($var:ident = $code:literal, $label:literal $(| $alias:literal)*;)+
        }
    ) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        #[non_exhaustive]
        pub enum $name {
            $(#[doc = $label] $var,)+
        }

        impl $name {
            /// Every value, in code order.
            pub const ALL: &'static [Self] = &[$(Self::$var),+];

            /// The numeric code.
            #[must_use]
            pub fn code(self) -> u8 {
                match self {
                    $(Self::$var => $code,)+
                }
            }

            /// The value with numeric `code`, if any.
            #[must_use]
            pub fn from_code(code: u8) -> Option<Self> {
                match code {
                    $($code => Some(Self::$var),)+
                    _ => None,
                }
            }

            /// The official label.
            #[must_use]
            pub fn label(self) -> &'static str {
                match self {
                    $(Self::$var => $label,)+
                }
            }

            /// Parses a numeric code, the official label or a known alias
            /// (case and spaces ignored, see [`normalise_label`]).
            ///
            /// # Errors
            ///
            /// [`Rule::Format`] naming the field when nothing matches.
            pub fn parse_label(s: &str) -> Result<Self, ValidationError> {
                let key = normalise_label(s);
                if let Ok(n) = key.parse::<u8>() {
                    if let Some(v) = Self::from_code(n) {
                        return Ok(v);
                    }
                }
                $(
                    if key == normalise_label($label) $(|| key == normalise_label($alias))* {
                        return Ok(Self::$var);
                    }
                )+
                Err(ValidationError::new($field, s, Rule::Format { expected: "a code or label of the list" }))
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.label())
            }
        }
    };
}

coded! {
    /// Status Hubungan Dalam Keluarga (SHDK): a member's relationship to the
    /// head of the family, Dukcapil's 11 values.
    Relationship, "shdk" {
        Head = 1, "Kepala Keluarga" | "kk" | "kepala";
        Husband = 2, "Suami";
        Wife = 3, "Istri" | "isteri";
        Child = 4, "Anak";
        ChildInLaw = 5, "Menantu";
        Grandchild = 6, "Cucu";
        Parent = 7, "Orangtua" | "orang tua";
        ParentInLaw = 8, "Mertua";
        OtherRelative = 9, "Famili Lain";
        Helper = 10, "Pembantu";
        Other = 11, "Lainnya";
    }
}

coded! {
    /// Pendidikan dalam KK: highest education, Dukcapil's 10 values.
    Education, "education" {
        NoSchooling = 1, "Tidak/Belum Sekolah" | "Tidak/Blm Sekolah";
        PrimaryIncomplete = 2, "Belum Tamat SD/Sederajat" | "Tidak Tamat SD/Sederajat";
        Primary = 3, "Tamat SD/Sederajat";
        JuniorSecondary = 4, "SLTP/Sederajat";
        SeniorSecondary = 5, "SLTA/Sederajat";
        Diploma1 = 6, "Diploma I/II";
        Diploma3 = 7, "Akademi/Diploma III/S. Muda" | "Akademi/Diploma III/Sarjana Muda";
        Bachelor = 8, "Diploma IV/Strata I" | "Strata-I" | "Strata I";
        Master = 9, "Strata II" | "Strata-II";
        Doctorate = 10, "Strata III" | "Strata-III";
    }
}

coded! {
    /// Cacat: the kind of disability, Dukcapil's list (without "Tidak Cacat",
    /// which is the absence of a [`Disability`]).
    DisabilityKind, "disability" {
        Physical = 1, "Fisik";
        Visual = 2, "Netra/Buta" | "netra" | "buta";
        HearingSpeech = 3, "Rungu/Wicara";
        Mental = 4, "Mental/Jiwa";
        PhysicalAndMental = 5, "Fisik dan Mental";
        Other = 6, "Lainnya";
    }
}

coded! {
    /// How severe a disability is (DCI FunctionalSeverity 2-4; Regsosek runs
    /// the other way).
    Severity, "disability severity" {
        SomeDifficulty = 2, "Some difficulty" | "ringan";
        ALotOfDifficulty = 3, "A lot of difficulty" | "sedang";
        CannotDoAtAll = 4, "Cannot do at all" | "berat";
    }
}

coded! {
    /// Sakit menahun: chronic illness, Dukcapil's list (without "Tidak ada").
    ChronicIllness, "chronic illness" {
        Heart = 1, "Jantung";
        Liver = 2, "Lever";
        Lung = 3, "Paru-paru";
        Cancer = 4, "Kanker";
        Stroke = 5, "Stroke";
        Diabetes = 6, "Diabetes Melitus" | "diabetes";
        Kidney = 7, "Ginjal";
        Malaria = 8, "Malaria";
        Leprosy = 9, "Lepra/Kusta";
        HivAids = 10, "HIV/AIDS";
        MentalIllness = 11, "Gila/Stress";
        Tuberculosis = 12, "TBC";
        Asthma = 13, "Asthma" | "asma";
    }
}

coded! {
    /// Regsosek 303: main floor material.
    FloorMaterial, "floor material" {
        Marble = 1, "Marmer/Granit";
        Ceramic = 2, "Keramik";
        Parquet = 3, "Parket/Vinil/Karpet";
        Tile = 4, "Ubin/Tegel/Teraso";
        Wood = 5, "Kayu/Papan";
        Cement = 6, "Semen/Bata Merah";
        Bamboo = 7, "Bambu";
        Earth = 8, "Tanah";
        Other = 9, "Lainnya";
    }
}

coded! {
    /// Regsosek 304: main wall material.
    WallMaterial, "wall material" {
        Masonry = 1, "Tembok";
        PlasteredBamboo = 2, "Plesteran Anyaman Bambu/Kawat";
        Board = 3, "Kayu/Papan/Gypsum/GRC/Calciboard";
        WovenBamboo = 4, "Anyaman Bambu";
        Logs = 5, "Batang Kayu";
        Bamboo = 6, "Bambu";
        Other = 7, "Lainnya";
    }
}

coded! {
    /// Regsosek 305: main roof material.
    RoofMaterial, "roof material" {
        Concrete = 1, "Beton";
        Clay = 2, "Genteng";
        Zinc = 3, "Seng";
        Asbestos = 4, "Asbes";
        Shingle = 5, "Kayu/Sirap";
        Bamboo = 6, "Bambu";
        Thatch = 7, "Jerami/Ijuk/Daun/Rumbia";
        Other = 8, "Lainnya";
    }
}

coded! {
    /// Regsosek 306a: main source of drinking water.
    WaterSource, "water source" {
        Bottled = 1, "Air Kemasan";
        Refill = 2, "Air Isi Ulang";
        Piped = 3, "Leding";
        Borehole = 4, "Sumur Bor";
        ProtectedWell = 5, "Sumur Terlindung";
        UnprotectedWell = 6, "Sumur Tak Terlindung";
        ProtectedSpring = 7, "Mata Air Terlindung";
        UnprotectedSpring = 8, "Mata Air Tak Terlindung";
        Surface = 9, "Air Permukaan" | "sungai";
        Rain = 10, "Air Hujan";
        Other = 11, "Lainnya";
    }
}

coded! {
    /// Regsosek 309a: toilet facility.
    Sanitation, "sanitation" {
        Own = 1, "Sendiri";
        SharedHouseholds = 2, "Bersama Rumah Tangga Tertentu";
        Communal = 3, "MCK Komunal";
        Public = 4, "MCK Umum";
        Other = 5, "Lainnya";
        NoFacility = 6, "Tidak Ada";
    }
}

coded! {
    /// Regsosek 307a: main lighting source.
    Lighting, "lighting" {
        PlnMetered = 1, "Listrik PLN Dengan Meteran";
        PlnUnmetered = 2, "Listrik PLN Tanpa Meteran";
        NonPln = 3, "Listrik Non-PLN";
        NotElectric = 4, "Bukan Listrik";
    }
}

coded! {
    /// How badly an incident damaged a household's dwelling (BNPB's classes).
    DamageLevel, "damage level" {
        Undamaged = 0, "Tidak Rusak";
        Light = 1, "Rusak Ringan";
        Moderate = 2, "Rusak Sedang";
        Heavy = 3, "Rusak Berat";
    }
}

coded! {
    /// What a household needs after an incident.
    Need, "need" {
        Food = 1, "Pangan";
        CleanWater = 2, "Air Bersih";
        Clothing = 3, "Sandang";
        Shelter = 4, "Hunian";
        Health = 5, "Kesehatan";
        Psychosocial = 6, "Psikososial";
        Cleanup = 7, "Pembersihan";
    }
}

coded! {
    /// Why a person joined a household.
    JoinReason, "join reason" {
        Registration = 1, "Registration";
        Birth = 2, "Lahir";
        MovedIn = 3, "Pindah Masuk";
        MarriedIn = 4, "Kawin Masuk";
        Split = 5, "Pecah";
        Merge = 6, "Gabung";
        Transfer = 7, "Pindah Antar KK";
        Correction = 8, "Koreksi";
    }
}

coded! {
    /// Why a membership ended. Ended memberships are kept, never deleted.
    EndReason, "end reason" {
        Death = 1, "Mati";
        MovedOut = 2, "Pindah Keluar";
        MarriedOut = 3, "Kawin Keluar";
        Split = 4, "Pecah";
        Merge = 5, "Gabung";
        Transfer = 6, "Pindah Antar KK";
        Correction = 7, "Koreksi";
        DuplicateMerged = 8, "Duplikat";
    }
}

coded! {
    /// Whether a woman is pregnant or lactating (kelompok rentan, UU 24/2007).
    MaternalStatus, "maternal status" {
        Pregnant = 1, "Hamil";
        Lactating = 2, "Menyusui";
    }
}

/// Pekerjaan: a Dukcapil occupation code, 1 (Belum/Tidak Bekerja) to 89
/// (Lainnya); see the reference for the list.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Occupation(u8);

impl Occupation {
    /// Validates an occupation code.
    ///
    /// # Errors
    ///
    /// [`Rule::OutOfRange`] on field `"occupation"` outside 1-89.
    pub fn new(code: u8) -> Result<Self, ValidationError> {
        if (1..=89).contains(&code) {
            Ok(Self(code))
        } else {
            Err(ValidationError::new("occupation", &code.to_string(), Rule::OutOfRange))
        }
    }

    /// The code.
    #[must_use]
    pub fn code(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for Occupation {
    type Error = ValidationError;
    fn try_from(code: u8) -> Result<Self, Self::Error> {
        Self::new(code)
    }
}

impl From<Occupation> for u8 {
    fn from(o: Occupation) -> Self {
        o.0
    }
}

/// Desil: the welfare decile from DTSEN, 1 (poorest 10 %) to 10. External
/// data: stored with its source and date, never computed here.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Desil(u8);

impl Desil {
    /// Validates a decile.
    ///
    /// # Errors
    ///
    /// [`Rule::OutOfRange`] on field `"desil"` outside 1-10.
    pub fn new(value: u8) -> Result<Self, ValidationError> {
        if (1..=10).contains(&value) {
            Ok(Self(value))
        } else {
            Err(ValidationError::new("desil", &value.to_string(), Rule::OutOfRange))
        }
    }

    /// The decile.
    #[must_use]
    pub fn get(self) -> u8 {
        self.0
    }
}

impl TryFrom<u8> for Desil {
    type Error = ValidationError;
    fn try_from(v: u8) -> Result<Self, Self::Error> {
        Self::new(v)
    }
}

impl From<Desil> for u8 {
    fn from(d: Desil) -> Self {
        d.0
    }
}

/// An RT or RW number (rukun tetangga / rukun warga), 1-999.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "u16", into = "u16")]
pub struct Neighbourhood(u16);

impl Neighbourhood {
    /// Validates an RT/RW number.
    ///
    /// # Errors
    ///
    /// [`Rule::OutOfRange`] on field `"rt/rw"` outside 1-999.
    pub fn new(value: u16) -> Result<Self, ValidationError> {
        if (1..=999).contains(&value) {
            Ok(Self(value))
        } else {
            Err(ValidationError::new("rt/rw", &value.to_string(), Rule::OutOfRange))
        }
    }

    /// The number.
    #[must_use]
    pub fn get(self) -> u16 {
        self.0
    }
}

impl TryFrom<u16> for Neighbourhood {
    type Error = ValidationError;
    fn try_from(v: u16) -> Result<Self, Self::Error> {
        Self::new(v)
    }
}

impl From<Neighbourhood> for u16 {
    fn from(n: Neighbourhood) -> Self {
        n.0
    }
}

impl fmt::Display for Neighbourhood {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:03}", self.0)
    }
}

tangguh_core::text_type! {
    /// A street address (jalan, gang, nomor), without RT/RW and kelurahan.
    Address, field = "address", max = 200, clean = clean_text
}

tangguh_core::text_type! {
    /// A free-text note or reason recorded with a change.
    Note, field = "note", max = 500, clean = clean_text
}

tangguh_core::text_type! {
    /// Where external data came from, e.g. `"DTSEN 2026-Q3"`.
    Source, field = "source", max = 100, clean = clean_text
}

tangguh_core::text_type! {
    /// An assistance programme, e.g. `"banjir Des 2026 sembako"`.
    Programme, field = "programme", max = 100, clean = clean_text
}

tangguh_core::text_type! {
    /// An item handed out, e.g. `"beras"`.
    ItemName, field = "item", max = 100, clean = clean_text
}

tangguh_core::text_type! {
    /// The unit an item is counted in, e.g. `"kg"`, `"paket"`.
    Unit, field = "unit", max = 20, clean = clean_text
}

/// A contact phone number, normalised so that duplicates can be found:
/// separators removed, `+62`/`62` written as `0`; 9 to 15 digits starting
/// with `0`. Personal data: `Debug` and `Display` show only the first four
/// digits.
///
/// # Examples
///
/// ```
/// use tangguh_registry::Phone;
///
/// let a: Phone = "+62 812-3456-7890".parse()?;
/// let b: Phone = "0812 3456 7890".parse()?;
/// assert_eq!(a, b);
/// assert_eq!(a.expose(), "081234567890");
/// assert_eq!(a.to_string(), "0812********");
/// # Ok::<(), tangguh_core::ValidationError>(())
/// ```
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Phone(String);

impl Phone {
    /// Normalises and validates `s`.
    ///
    /// # Errors
    ///
    /// [`Rule::Format`] on field `"phone"` (value masked).
    pub fn parse(s: &str) -> Result<Self, ValidationError> {
        let err = || {
            ValidationError::masked(
                "phone",
                s,
                Rule::Format { expected: "9-15 digits starting with 0 or +62" },
            )
        };
        let mut digits = String::with_capacity(16);
        for (i, c) in s.trim().chars().enumerate() {
            match c {
                '0'..='9' => digits.push(c),
                '+' if i == 0 => {}
                ' ' | '-' | '.' | '(' | ')' => {}
                _ => return Err(err()),
            }
        }
        let normalised =
            if let Some(rest) = digits.strip_prefix("62") { format!("0{rest}") } else { digits };
        if !normalised.starts_with('0') || !(9..=15).contains(&normalised.len()) {
            return Err(err());
        }
        Ok(Self(normalised))
    }

    /// The full normalised number. Personal data.
    #[must_use]
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let shown: String =
            self.0.chars().enumerate().map(|(i, c)| if i < 4 { c } else { '*' }).collect();
        f.write_str(&shown)
    }
}

impl fmt::Debug for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Phone({self})")
    }
}

impl FromStr for Phone {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for Phone {
    type Error = ValidationError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Phone> for String {
    fn from(p: Phone) -> Self {
        p.0
    }
}

/// A geographic point in decimal degrees (WGS 84), validated: latitude
/// -90..=90, longitude -180..=180. Decimals, never floats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "GeoPointData", into = "GeoPointData")]
pub struct GeoPoint {
    lat: Decimal,
    lon: Decimal,
}

#[derive(Serialize, Deserialize)]
struct GeoPointData {
    lat: Decimal,
    lon: Decimal,
}

impl GeoPoint {
    /// Validates a point.
    ///
    /// # Errors
    ///
    /// [`Rule::OutOfRange`] on field `"latitude"` or `"longitude"`.
    pub fn new(lat: Decimal, lon: Decimal) -> Result<Self, ValidationError> {
        if lat < Decimal::from(-90) || lat > Decimal::from(90) {
            return Err(ValidationError::new("latitude", &lat.to_string(), Rule::OutOfRange));
        }
        if lon < Decimal::from(-180) || lon > Decimal::from(180) {
            return Err(ValidationError::new("longitude", &lon.to_string(), Rule::OutOfRange));
        }
        Ok(Self { lat, lon })
    }

    /// Latitude in decimal degrees.
    #[must_use]
    pub fn lat(&self) -> Decimal {
        self.lat
    }

    /// Longitude in decimal degrees.
    #[must_use]
    pub fn lon(&self) -> Decimal {
        self.lon
    }
}

impl TryFrom<GeoPointData> for GeoPoint {
    type Error = ValidationError;
    fn try_from(d: GeoPointData) -> Result<Self, Self::Error> {
        Self::new(d.lat, d.lon)
    }
}

impl From<GeoPoint> for GeoPointData {
    fn from(p: GeoPoint) -> Self {
        Self { lat: p.lat, lon: p.lon }
    }
}

/// Whether the household agreed to its data being kept and shared, and when
/// that was recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[allow(clippy::exhaustive_structs)] // plain data that clients build field by field
pub struct Consent {
    /// Whether consent was given.
    pub granted: bool,
    /// When it was recorded.
    pub recorded_on: NaiveDate,
    /// For what, if stated.
    pub purpose: Option<Note>,
}

impl Consent {
    /// A consent record.
    #[must_use]
    pub fn new(granted: bool, recorded_on: NaiveDate) -> Self {
        Self { granted, recorded_on, purpose: None }
    }
}

/// A disability: its kind and severity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[allow(clippy::exhaustive_structs)] // plain data that clients build field by field
pub struct Disability {
    /// Kind (Dukcapil's Cacat list).
    pub kind: DisabilityKind,
    /// Severity.
    pub severity: Severity,
}

impl Disability {
    /// A disability.
    #[must_use]
    pub fn new(kind: DisabilityKind, severity: Severity) -> Self {
        Self { kind, severity }
    }
}

/// Pregnancy or lactation with the date it was recorded: it is only current
/// for a while (see [`VulnerabilityThresholds`](crate::VulnerabilityThresholds)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[allow(clippy::exhaustive_structs)] // plain data that clients build field by field
pub struct Maternal {
    /// Pregnant or lactating.
    pub status: MaternalStatus,
    /// When it was recorded.
    pub recorded_on: NaiveDate,
}

impl Maternal {
    /// A record.
    #[must_use]
    pub fn new(status: MaternalStatus, recorded_on: NaiveDate) -> Self {
        Self { status, recorded_on }
    }
}

/// Facts about a member that targeting and vulnerability use.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[allow(clippy::exhaustive_structs)] // plain data that clients build field by field
pub struct MemberFacts {
    /// Disability, if any.
    pub disability: Option<Disability>,
    /// Chronic illness, if any.
    pub chronic_illness: Option<ChronicIllness>,
    /// Pregnant or lactating, with the date recorded.
    pub maternal: Option<Maternal>,
    /// Highest education.
    pub education: Option<Education>,
    /// Occupation.
    pub occupation: Option<Occupation>,
}

/// A person as given to a command: a new person record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[allow(clippy::exhaustive_structs)] // plain data that clients build field by field
pub struct NewPerson {
    /// The id the client minted.
    pub id: PersonId,
    /// Full name.
    pub name: Name,
    /// NIK, if issued.
    pub nik: Option<Nik>,
    /// Birth date.
    pub birth_date: BirthDate,
    /// Sex.
    pub sex: Sex,
    /// Member facts.
    #[serde(default)]
    pub facts: MemberFacts,
}

impl NewPerson {
    /// A new person without NIK or facts.
    #[must_use]
    pub fn new(id: PersonId, name: Name, birth_date: BirthDate, sex: Sex) -> Self {
        Self { id, name, nik: None, birth_date, sex, facts: MemberFacts::default() }
    }

    /// With a NIK.
    #[must_use]
    pub fn with_nik(self, nik: Nik) -> Self {
        Self { nik: Some(nik), ..self }
    }

    /// With member facts.
    #[must_use]
    pub fn with_facts(self, facts: MemberFacts) -> Self {
        Self { facts, ..self }
    }
}

/// A dwelling's survey data (Regsosek categories plus flood exposure).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[allow(clippy::exhaustive_structs)] // plain data that clients build field by field
pub struct Dwelling {
    /// Floor material.
    pub floor: Option<FloorMaterial>,
    /// Wall material.
    pub wall: Option<WallMaterial>,
    /// Roof material.
    pub roof: Option<RoofMaterial>,
    /// Drinking water source.
    pub water: Option<WaterSource>,
    /// Toilet facility.
    pub sanitation: Option<Sanitation>,
    /// Lighting.
    pub lighting: Option<Lighting>,
    /// Rumah panggung: built on stilts.
    pub stilt_house: bool,
    /// Floor height above ground, in cm.
    pub floor_height_cm: Option<u16>,
    /// Distance to the river, in metres.
    pub distance_to_river_m: Option<u32>,
    /// Reachable only by river.
    pub river_only_access: bool,
}

/// A welfare decile from outside (DTSEN), with its source and as-of date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[allow(clippy::exhaustive_structs)] // plain data that clients build field by field
pub struct Welfare {
    /// The decile.
    pub desil: Desil,
    /// Where it came from.
    pub source: Source,
    /// The date it is valid for.
    pub as_of: NaiveDate,
}

impl Welfare {
    /// A welfare record.
    #[must_use]
    pub fn new(desil: Desil, source: Source, as_of: NaiveDate) -> Self {
        Self { desil, source, as_of }
    }
}

/// How an incident (a flood) hit a household.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[allow(clippy::exhaustive_structs)] // plain data that clients build field by field
pub struct IncidentImpact {
    /// The incident.
    pub incident: IncidentId,
    /// When the household was hit (or assessed).
    pub date: NaiveDate,
    /// Water depth inside the dwelling, in cm.
    pub water_depth_cm: u16,
    /// Damage to the dwelling.
    pub damage: DamageLevel,
    /// Whether the household had to leave.
    pub displaced: bool,
    /// What it needs.
    pub needs: BTreeSet<Need>,
}

impl IncidentImpact {
    /// An impact record.
    #[must_use]
    pub fn new(
        incident: IncidentId,
        date: NaiveDate,
        water_depth_cm: u16,
        damage: DamageLevel,
    ) -> Self {
        Self { incident, date, water_depth_cm, damage, displaced: false, needs: BTreeSet::new() }
    }
}

/// An assistance round: a programme and the round number within it.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[allow(clippy::exhaustive_structs)] // plain data that clients build field by field
pub struct Round {
    /// The programme.
    pub programme: Programme,
    /// The round, from 1.
    pub round: u16,
}

impl Round {
    /// A round.
    #[must_use]
    pub fn new(programme: Programme, round: u16) -> Self {
        Self { programme, round }
    }
}

impl fmt::Display for Round {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} round {}", self.programme, self.round)
    }
}

/// An item handed out and how much of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[allow(clippy::exhaustive_structs)] // plain data that clients build field by field
pub struct Item {
    /// What.
    pub name: ItemName,
    /// How much (positive).
    pub quantity: Decimal,
    /// In which unit.
    pub unit: Unit,
    /// Its value, if known.
    pub value: Option<Money>,
}

impl Item {
    /// An item.
    #[must_use]
    pub fn new(name: ItemName, quantity: Decimal, unit: Unit) -> Self {
        Self { name, quantity, unit, value: None }
    }
}

/// Assistance a household received.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[allow(clippy::exhaustive_structs)] // plain data that clients build field by field
pub struct Distribution {
    /// The round.
    pub round: Round,
    /// What was handed out.
    pub items: Vec<Item>,
    /// Who handed it out.
    pub organization: OrganizationId,
    /// When.
    pub date: NaiveDate,
    /// Set for a top-up within a round already received: the reason.
    pub top_up: Option<Note>,
}

impl Distribution {
    /// A distribution (not a top-up).
    #[must_use]
    pub fn new(
        round: Round,
        items: Vec<Item>,
        organization: OrganizationId,
        date: NaiveDate,
    ) -> Self {
        Self { round, items, organization, date, top_up: None }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_aliases() {
        assert_eq!(Relationship::parse_label("KEPALA KELUARGA").unwrap(), Relationship::Head);
        assert_eq!(Relationship::parse_label("4").unwrap(), Relationship::Child);
        assert_eq!(
            Relationship::parse_label(" famili  lain").unwrap(),
            Relationship::OtherRelative
        );
        assert!(Relationship::parse_label("12").is_err());
        assert_eq!(Education::parse_label("Strata-II").unwrap(), Education::Master);
        assert_eq!(Education::parse_label("Tidak/Blm Sekolah").unwrap(), Education::NoSchooling);
        assert_eq!(
            Education::parse_label("AKADEMI/DIPLOMA III/SARJANA MUDA").unwrap(),
            Education::Diploma3
        );
        assert_eq!(Education::parse_label("STRATA III").unwrap(), Education::Doctorate);
        assert_eq!(Relationship::ALL.len(), 11);
        for r in Relationship::ALL {
            assert_eq!(Relationship::from_code(r.code()), Some(*r));
            assert_eq!(Relationship::parse_label(r.label()).unwrap(), *r);
        }
    }

    #[test]
    fn phones_normalise() {
        assert_eq!(Phone::parse("62812345678").unwrap().expose(), "0812345678");
        assert!(Phone::parse("12345").is_err());
        assert!(Phone::parse("0812abc4567").is_err());
        assert!(!format!("{:?}", Phone::parse("081234567890").unwrap()).contains("567890"));
    }

    #[test]
    fn numbers_validate() {
        assert!(Desil::new(0).is_err());
        assert!(Desil::new(11).is_err());
        assert!(Neighbourhood::new(0).is_err());
        assert!(Occupation::new(90).is_err());
        assert!(GeoPoint::new(Decimal::from(91), Decimal::ZERO).is_err());
        assert!(GeoPoint::new(Decimal::ZERO, Decimal::from(-181)).is_err());
        assert!(serde_json::from_str::<Desil>("11").is_err());
        assert!(Address::try_new("  ").is_err());
    }
}

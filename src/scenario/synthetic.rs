//! A synthetic Rakumpit: households and residents from a fixed seed.
//!
//! Everything here is made up. NIKs and KK numbers use Rakumpit's real
//! district code (62.71.05) with serials from 9001 upwards, which are
//! obviously synthetic: no real resident of a small kecamatan has a serial
//! that high for one birth date. Names are common Dayak Ngaju, Banjar and
//! Javanese given names combined at random.

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use tangguh_core::{
    FamilyNumber, HouseholdId, IdGenerator, KkNumber, Name, Nik, PersonId, RegionCode, Sex,
};

/// Rakumpit's seven kelurahan with a relative size weight (Mungku Baru, the
/// kecamatan seat, the largest). The weights are illustrative: the real
/// household counts per kelurahan were not found (reference/registry.md §10).
pub const KELURAHAN: [(&str, &str, u32); 7] = [
    ("62.71.05.1001", "Petuk Bukit", 14),
    ("62.71.05.1002", "Panjehang", 10),
    ("62.71.05.1003", "Petuk Barunai", 12),
    ("62.71.05.1004", "Mungku Baru", 24),
    ("62.71.05.1005", "Pager", 14),
    ("62.71.05.1006", "Gaung Baru", 12),
    ("62.71.05.1007", "Bukit Sua", 14),
];

const MALE: [&str; 24] = [
    "Ahmad",
    "Budi",
    "Yohanes",
    "Rudi",
    "Agus",
    "Hendra",
    "Darius",
    "Usop",
    "Tambun",
    "Rahmat",
    "Slamet",
    "Eko",
    "Andreas",
    "Natalis",
    "Sabran",
    "Ardi",
    "Fajar",
    "Rizal",
    "Yusuf",
    "Markus",
    "Dedi",
    "Iwan",
    "Joko",
    "Kurniawan",
];
const FEMALE: [&str; 24] = [
    "Siti", "Nur", "Maria", "Rina", "Dewi", "Yuliana", "Marta", "Lestari", "Sri", "Wulan",
    "Rosita", "Elisabet", "Fitri", "Aminah", "Indah", "Dayang", "Rahayu", "Novita", "Yanti",
    "Sari", "Ratna", "Lusiana", "Kristina", "Halimah",
];
const FAMILY: [&str; 20] = [
    "Bungai", "Tuah", "Ranying", "Saputra", "Lewis", "Anggen", "Santoso", "Rahman", "Hidayat",
    "Simpei", "Nyahu", "Mahar", "Kuhu", "Lambung", "Sangen", "Pratama", "Wijaya", "Kusuma",
    "Utama", "Damang",
];

/// How a resident is related to the household's head (Dukcapil SHDK, the
/// subset a synthetic household needs).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum Relation {
    /// Kepala keluarga.
    Head,
    /// Istri or suami.
    Spouse,
    /// Anak.
    Child,
    /// Orang tua.
    Parent,
}

/// One synthetic resident.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Resident {
    /// Id.
    pub id: PersonId,
    /// Full name.
    pub name: Name,
    /// Sex.
    pub sex: Sex,
    /// Birth date.
    pub birth_date: NaiveDate,
    /// NIK; some residents (mostly small children) have none yet.
    pub nik: Option<Nik>,
    /// Relation to the head.
    pub relation: Relation,
    /// Has a disability.
    pub disability: bool,
    /// Has a chronic illness.
    pub chronic_illness: bool,
    /// Pregnant on the generation date.
    pub pregnant: bool,
}

/// One synthetic household.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct Household {
    /// Id.
    pub id: HouseholdId,
    /// No KK; a few households have none yet.
    pub kk: Option<FamilyNumber>,
    /// The kelurahan.
    pub kelurahan: RegionCode,
    /// RT (1–8).
    pub rt: u8,
    /// RW (1–3).
    pub rw: u8,
    /// Street address.
    pub address: String,
    /// Mobile phone of the head, if any.
    pub phone: Option<String>,
    /// Members, head first.
    pub members: Vec<Resident>,
    /// Welfare desil (1 poorest … 10).
    pub desil: u8,
    /// Rumah panggung (stilt house).
    pub stilt_house: bool,
    /// Floor height above ground, in centimetres.
    pub floor_height_cm: u16,
    /// Distance to the Rungan river, in metres.
    pub distance_to_river_m: u32,
    /// Reached only by river.
    pub river_only_access: bool,
}

/// Generates `households` households from `seed`, as of `today`.
///
/// The same seed, count and date give the same households, ids included
/// (ids come from a deterministic generator seeded with `seed`).
#[must_use]
pub fn population(seed: u64, households: usize, today: NaiveDate) -> Vec<Household> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let ids = IdGenerator::deterministic(seed);
    let mut serials: BTreeMap<String, u16> = BTreeMap::new();
    let total_weight: u32 = KELURAHAN.iter().map(|k| k.2).sum();
    let mut out = Vec::with_capacity(households);
    for i in 0..households {
        let mut draw = rng.random_range(0..total_weight);
        let mut kelurahan = RegionCode::RAKUMPIT;
        for (code, _, weight) in KELURAHAN {
            if draw < weight {
                kelurahan = code.parse().unwrap_or(RegionCode::RAKUMPIT);
                break;
            }
            draw -= weight;
        }
        let family = pick(&mut rng, &FAMILY);
        let head_sex = if rng.random_bool(0.82) { Sex::Male } else { Sex::Female };
        let head_age = rng.random_range(22..78);
        let mut members = Vec::new();
        let head_birth = birth_date(&mut rng, today, head_age);
        let Some(head) = resident(
            &mut rng,
            &ids,
            &mut serials,
            family,
            head_sex,
            head_birth,
            Relation::Head,
            today,
        ) else {
            continue;
        };
        members.push(head);
        let married = head_age > 24 && rng.random_bool(0.8);
        if married {
            let sex = if head_sex == Sex::Male { Sex::Female } else { Sex::Male };
            let age = (head_age + rng.random_range(0..7)).saturating_sub(3).max(19);
            let born = birth_date(&mut rng, today, age);
            if let Some(mut spouse) =
                resident(&mut rng, &ids, &mut serials, family, sex, born, Relation::Spouse, today)
            {
                spouse.pregnant = sex == Sex::Female && age < 40 && rng.random_bool(0.08);
                members.push(spouse);
            }
        }
        let children = if married { rng.random_range(0..5) } else { rng.random_range(0..2) };
        for _ in 0..children {
            let max_age = head_age.saturating_sub(18).clamp(1, 25);
            let age = rng.random_range(0..max_age);
            let sex = if rng.random_bool(0.5) { Sex::Male } else { Sex::Female };
            let born = birth_date(&mut rng, today, age);
            members.extend(resident(
                &mut rng,
                &ids,
                &mut serials,
                family,
                sex,
                born,
                Relation::Child,
                today,
            ));
        }
        if head_age < 50 && rng.random_bool(0.12) {
            let age = head_age + rng.random_range(22..32);
            let sex = if rng.random_bool(0.6) { Sex::Female } else { Sex::Male };
            let born = birth_date(&mut rng, today, age);
            members.extend(resident(
                &mut rng,
                &ids,
                &mut serials,
                family,
                sex,
                born,
                Relation::Parent,
                today,
            ));
        }
        let kk = rng.random_bool(0.95).then(|| {
            let issued = today - Duration::days(rng.random_range(30..6000));
            let key =
                format!("627105{:02}{:02}{:02}", issued.day(), issued.month(), issued.year() % 100);
            let serial = next_serial(&mut serials, &format!("kk{key}"));
            KkNumber::parse(&format!("{key}{serial:04}")).ok().map(FamilyNumber::Official)
        });
        let near_river = rng.random_bool(0.6);
        out.push(Household {
            id: ids.next_id(),
            kk: kk.flatten(),
            kelurahan,
            rt: rng.random_range(1..=8),
            rw: rng.random_range(1..=3),
            address: format!("Jl. Sungai Rungan No. {}", i % 300 + 1),
            phone: rng
                .random_bool(0.7)
                .then(|| format!("08{:010}", rng.random_range(1_000_000_000u64..9_999_999_999))),
            members,
            desil: rng.random_range(1..=10),
            stilt_house: rng.random_bool(0.7),
            floor_height_cm: rng.random_range(0..250),
            distance_to_river_m: if near_river {
                rng.random_range(5..200)
            } else {
                rng.random_range(200..3000)
            },
            river_only_access: rng.random_bool(0.25),
        });
    }
    out
}

/// One of `names`, uniformly.
fn pick(rng: &mut ChaCha8Rng, names: &[&'static str]) -> &'static str {
    names.get(rng.random_range(0..names.len())).copied().unwrap_or("Warga")
}

fn birth_date(rng: &mut ChaCha8Rng, today: NaiveDate, age: u32) -> NaiveDate {
    let days = i64::from(age) * 365 + rng.random_range(0..365);
    today - Duration::days(days)
}

fn next_serial(serials: &mut BTreeMap<String, u16>, key: &str) -> u16 {
    let serial = serials.entry(key.to_owned()).or_insert(9000);
    *serial = serial.saturating_add(1).min(9999);
    *serial
}

#[allow(clippy::too_many_arguments)] // a private builder
fn resident(
    rng: &mut ChaCha8Rng,
    ids: &IdGenerator,
    serials: &mut BTreeMap<String, u16>,
    family: &str,
    sex: Sex,
    birth_date: NaiveDate,
    relation: Relation,
    today: NaiveDate,
) -> Option<Resident> {
    let given = match sex {
        Sex::Male => pick(rng, &MALE),
        Sex::Female => pick(rng, &FEMALE),
    };
    // Both parts are short, non-empty words: the name is always valid.
    let name = Name::try_new(format!("{given} {family}")).ok()?;
    let age = tangguh_core::age_on(birth_date, today);
    let has_nik = age >= 17 || rng.random_bool(0.6);
    let nik = has_nik
        .then(|| {
            let day = birth_date.day() + if sex == Sex::Female { 40 } else { 0 };
            let key =
                format!("627105{day:02}{:02}{:02}", birth_date.month(), birth_date.year() % 100);
            let serial = next_serial(serials, &key);
            Nik::parse(&format!("{key}{serial:04}")).ok()
        })
        .flatten();
    Some(Resident {
        id: ids.next_id(),
        name,
        sex,
        birth_date,
        nik,
        relation,
        disability: rng.random_bool(if age >= 60 { 0.12 } else { 0.03 }),
        chronic_illness: rng.random_bool(if age >= 50 { 0.2 } else { 0.04 }),
        pregnant: false,
    })
}

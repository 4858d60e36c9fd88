//! Proptest strategies for the core types (feature `proptest`), for property
//! tests in this and other crates.

use chrono::NaiveDate;
use proptest::prelude::*;
use rust_decimal::Decimal;

use crate::{Currency, KkNumber, LocalNumber, Money, Nik, RegionCode, Sex};

/// Any Kemendagri province code.
pub fn province() -> impl Strategy<Value = u8> {
    proptest::sample::select(crate::PROVINCE_CODES.to_vec())
}

/// Any valid region code, at any level.
pub fn region_code() -> impl Strategy<Value = RegionCode> {
    (province(), 1u8..=99, 1u8..=99, 1001u16..=3999, 0usize..4).prop_filter_map(
        "valid region",
        |(p, r, d, v, level)| {
            let text = match level {
                0 => format!("{p:02}"),
                1 => format!("{p:02}.{r:02}"),
                2 => format!("{p:02}.{r:02}.{d:02}"),
                _ => format!("{p:02}.{r:02}.{d:02}.{v:04}"),
            };
            RegionCode::parse(&text).ok()
        },
    )
}

/// Any valid village code.
pub fn village_code() -> impl Strategy<Value = RegionCode> {
    (province(), 1u8..=99, 1u8..=99, 1001u16..=3999)
        .prop_filter_map("valid village", |(p, r, d, v)| {
            RegionCode::parse(&format!("{p:02}.{r:02}.{d:02}.{v:04}")).ok()
        })
}

/// Any date from 1900 to 2099.
pub fn date() -> impl Strategy<Value = NaiveDate> {
    (1900i32..=2099, 1u32..=366)
        .prop_filter_map("valid day", |(y, ordinal)| NaiveDate::from_yo_opt(y, ordinal))
}

/// Any valid NIK.
pub fn nik() -> impl Strategy<Value = Nik> {
    (province(), 1u8..=99, 1u8..=99, date(), any::<bool>(), 1u16..=9999).prop_filter_map(
        "valid nik",
        |(p, r, d, born, female, serial)| {
            use chrono::Datelike;
            let day = born.day() + if female { 40 } else { 0 };
            let text = format!(
                "{p:02}{r:02}{d:02}{day:02}{:02}{:02}{serial:04}",
                born.month(),
                born.year() % 100
            );
            Nik::parse(&text).ok()
        },
    )
}

/// Any valid No KK.
pub fn kk_number() -> impl Strategy<Value = KkNumber> {
    (province(), 1u8..=99, 1u8..=99, date(), 1u16..=9999).prop_filter_map(
        "valid kk",
        |(p, r, d, on, serial)| {
            use chrono::Datelike;
            let text = format!(
                "{p:02}{r:02}{d:02}{:02}{:02}{:02}{serial:04}",
                on.day(),
                on.month(),
                on.year() % 100
            );
            KkNumber::parse(&text).ok()
        },
    )
}

/// Any valid temporary local number.
pub fn local_number() -> impl Strategy<Value = LocalNumber> {
    (village_code(), 1u32..=99_999)
        .prop_filter_map("valid local number", |(v, c)| LocalNumber::new(v, c).ok())
}

/// Either sex.
pub fn sex() -> impl Strategy<Value = Sex> {
    prop_oneof![Just(Sex::Male), Just(Sex::Female)]
}

/// A known currency.
pub fn currency() -> impl Strategy<Value = Currency> {
    proptest::sample::select(vec!["IDR", "USD", "EUR", "JPY", "SGD"])
        .prop_filter_map("known", |c| Currency::parse(c).ok())
}

/// Any decimal: every mantissa (96 bits), sign and scale 0–28.
pub fn decimal() -> impl Strategy<Value = Decimal> {
    (any::<u32>(), any::<u32>(), any::<u32>(), any::<bool>(), 0u32..=28).prop_map(
        |(lo, mid, hi, negative, scale)| Decimal::from_parts(lo, mid, hi, negative, scale),
    )
}

/// An everyday amount: up to a trillion with up to 2 decimals.
pub fn everyday_decimal() -> impl Strategy<Value = Decimal> {
    (-100_000_000_000_000_i64..=100_000_000_000_000, 0u32..=2)
        .prop_map(|(units, scale)| Decimal::new(units, scale))
}

/// Money in any known currency with any decimal amount.
pub fn money() -> impl Strategy<Value = Money> {
    (decimal(), currency()).prop_map(|(amount, currency)| Money::new(amount, currency))
}

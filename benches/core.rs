//! tangguh-core: NIK parsing and Money arithmetic.

use std::hint::black_box;

use criterion::{BatchSize, Criterion, Throughput};
use rust_decimal::Decimal;
use tangguh::core::{Money, Nik, Rounding};

use crate::fixtures;

pub(crate) fn define(c: &mut Criterion) {
    let texts = fixtures::nik_texts(1000);
    let mut group = c.benchmark_group("core/nik");
    group.throughput(Throughput::Elements(1));
    group.bench_function("parse/valid", |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) % texts.len();
            black_box(Nik::parse(black_box(&texts[i])))
        })
    });
    group.bench_function("parse/invalid-date", |b| {
        b.iter(|| black_box(Nik::parse(black_box("6271053002900001"))))
    });
    group.bench_function("parse/not-digits", |b| {
        b.iter(|| black_box(Nik::parse(black_box("62710530029O0001"))))
    });
    group.bench_function("decode/birth-date", |b| {
        let nik = Nik::parse(&texts[0]).unwrap();
        b.iter(|| black_box(black_box(nik).encoded_birth_date(2026)))
    });
    group.finish();

    let mut group = c.benchmark_group("core/money");
    let a = Money::idr(Decimal::new(125_000_050, 2));
    let b2 = Money::idr(Decimal::new(33_333_333, 2));
    group.bench_function("checked_add", |b| {
        b.iter(|| black_box(black_box(a).checked_add(black_box(b2))))
    });
    group.bench_function("baseline/decimal-add", |b| {
        b.iter(|| black_box(black_box(a.amount()).checked_add(black_box(b2.amount()))))
    });
    group.bench_function("checked_mul-then-round-half-even", |b| {
        let rate = Decimal::new(125, 4);
        let r = Rounding::minor_units(a.currency());
        b.iter(|| black_box(black_box(a).checked_mul(rate).and_then(|m| m.round(r))))
    });
    group.bench_function("round/idr-cash", |b| {
        b.iter(|| black_box(black_box(a).round(Rounding::IDR_CASH)))
    });
    group.bench_function("format/indonesian", |b| b.iter(|| black_box(black_box(a).to_string())));
    group.bench_function("parse/indonesian", |b| {
        b.iter_batched(
            || "Rp1.250.000,50".to_owned(),
            |s| black_box(s.parse::<Money>()),
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

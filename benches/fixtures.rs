//! Deterministic inputs shared by the benches.

#![allow(dead_code)]

use std::sync::Arc;

use tangguh::core::{FixedClock, IdGenerator};

/// The clock every bench runs at: 28 November 2026, 09:00 WIB.
pub(crate) fn clock() -> Arc<FixedClock> {
    Arc::new(FixedClock::wib(2026, 11, 28, 9, 0))
}

/// An id generator whose ids depend only on `seed`.
pub(crate) fn ids(seed: u64) -> IdGenerator {
    IdGenerator::deterministic(seed)
}

/// `n` distinct valid NIKs (as text) from Rakumpit, synthetic serials.
pub(crate) fn nik_texts(n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            let day = 1 + i % 28 + if i % 2 == 0 { 40 } else { 0 };
            let month = 1 + (i / 28) % 12;
            let year = (i / 336) % 100;
            let serial = 1 + i % 9999;
            format!("627105{day:02}{month:02}{year:02}{serial:04}")
        })
        .collect()
}

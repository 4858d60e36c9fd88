//! tangguh-registry benches (being built).

use criterion::Criterion;

pub(crate) fn define(_c: &mut Criterion) {}

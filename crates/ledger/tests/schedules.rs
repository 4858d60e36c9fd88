//! Schedule engine tests: table tests per Fineract rule and property tests.
// Tests may unwrap, panic and index: a failure is the test's answer.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

use tangguh_ledger::{LoanTerms, ScheduleError};

#[test]
fn unknown_field_is_refused() {
    let err = LoanTerms::from_json(r#"{"principal":"1","bogus":1}"#).unwrap_err();
    assert!(matches!(err, ScheduleError::Json { .. }), "{err}");
}

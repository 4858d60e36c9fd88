//! The error types of `tangguh-core`.
//!
//! Every validated newtype fails with a [`ValidationError`]: it names the field,
//! shows the rejected value (masked when the field is personal data, such as a
//! NIK) and says which [`Rule`] was broken. Money arithmetic fails with a
//! [`MoneyError`]; journals with a [`JournalError`]; a [`Book`](crate::Book)
//! with a [`BookError`] that wraps the domain's own error.

/// The longest excerpt of a rejected value kept in a [`ValidationError`], in
/// characters. Longer input is cut and marked with `…`.
const MAX_SHOWN: usize = 40;

/// Why a value failed validation: the field, the (possibly masked) value and
/// the rule it broke.
///
/// # Examples
///
/// ```
/// use tangguh_core::{Nik, Rule};
///
/// let err = "6271053113900001".parse::<Nik>().unwrap_err();
/// assert_eq!(err.field(), "nik");
/// assert_eq!(err.rule(), Rule::InvalidMonth);
/// // The value is masked: only the region part is shown.
/// assert_eq!(err.value(), "627105**********");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("invalid {field} {value:?}: {rule}")]
pub struct ValidationError {
    field: &'static str,
    value: String,
    rule: Rule,
}

impl ValidationError {
    /// An error for a field that is not personal data; `value` is shown (cut to
    /// a short excerpt).
    #[must_use]
    pub fn new(field: &'static str, value: &str, rule: Rule) -> Self {
        Self { field, value: excerpt(value), rule }
    }

    /// An error for a personal-data field (a NIK, a KK number): only the first
    /// six characters of `value` are shown, the rest become `*`.
    #[must_use]
    pub fn masked(field: &'static str, value: &str, rule: Rule) -> Self {
        Self { field, value: mask(value, 6), rule }
    }

    /// The field that was validated, e.g. `"nik"` or `"region code"`.
    #[must_use]
    pub fn field(&self) -> &'static str {
        self.field
    }

    /// The rejected value as shown in the message (masked for personal data).
    #[must_use]
    pub fn value(&self) -> &str {
        &self.value
    }

    /// The rule that the value broke.
    #[must_use]
    pub fn rule(&self) -> Rule {
        self.rule
    }
}

/// The rule a value broke. Matched by callers that want to react to one
/// failure in particular (e.g. a NIK's date) without parsing messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, thiserror::Error)]
#[non_exhaustive]
pub enum Rule {
    /// The value is empty (after trimming, for text).
    #[error("it is empty")]
    Empty,
    /// The value is longer than allowed.
    #[error("it is longer than {max} characters")]
    TooLong {
        /// The largest accepted length, in characters.
        max: usize,
    },
    /// The value contains a control character.
    #[error("it contains a control character")]
    ControlCharacter,
    /// The value must be exactly `len` ASCII digits.
    #[error("it must be exactly {len} ASCII digits")]
    NotDigits {
        /// The required number of digits.
        len: usize,
    },
    /// The value does not have the expected shape.
    #[error("it is not of the form {expected}")]
    Format {
        /// A short description of the expected form.
        expected: &'static str,
    },
    /// The first two digits are not a Kemendagri province code.
    #[error("the province code is not a known Kemendagri province")]
    UnknownProvince,
    /// The regency (kabupaten/kota) digits are `00`.
    #[error("the regency code is 00")]
    ZeroRegency,
    /// The district (kecamatan) digits are `00`.
    #[error("the district code is 00")]
    ZeroDistrict,
    /// The village code is not 4 digits starting with 1 (kelurahan), 2 (desa)
    /// or 3 (desa adat), or is 0000.
    #[error("the village code must be 1001-3999 (1 kelurahan, 2 desa, 3 desa adat)")]
    InvalidVillage,
    /// The day digits are outside 01–31 (male) and 41–71 (female).
    #[error("the day must be 01-31, or 41-71 for a woman")]
    InvalidDay,
    /// The month digits are outside 01–12.
    #[error("the month must be 01-12")]
    InvalidMonth,
    /// The day, month and year do not make a real calendar date.
    #[error("the encoded date does not exist in the calendar")]
    InvalidDate,
    /// The serial digits are `0000` (serials start at 0001).
    #[error("the serial number is 0000")]
    ZeroSerial,
    /// A temporary local number (leading `0`) was given where an official
    /// Dukcapil number is required.
    #[error("it is a temporary local number (leading 0), not one issued by Dukcapil")]
    TemporaryNumber,
    /// A temporary local number does not start with `0`.
    #[error("a temporary local number starts with 0")]
    NotTemporary,
    /// The currency code is not one this crate knows.
    #[error("the currency is not a known ISO 4217 code")]
    UnknownCurrency,
    /// The amount is not a decimal number.
    #[error("it is not a decimal amount")]
    InvalidAmount,
    /// The region code was not found in the gazetteer.
    #[error("the region is not in the gazetteer")]
    UnknownRegion,
    /// The region code's level is not the one required here.
    #[error("the region is not at the required level")]
    WrongLevel,
    /// A number is outside its allowed range.
    #[error("it is out of range")]
    OutOfRange,
    /// The end of a period is before its start.
    #[error("it ends before it starts")]
    EndBeforeStart,
}

fn excerpt(value: &str) -> String {
    if value.chars().count() <= MAX_SHOWN {
        return value.to_owned();
    }
    let mut out: String = value.chars().take(MAX_SHOWN).collect();
    out.push('…');
    out
}

/// Keeps the first `keep` characters and replaces the rest with `*` (at most
/// [`MAX_SHOWN`] characters shown in all).
pub(crate) fn mask(value: &str, keep: usize) -> String {
    let mut out = String::new();
    for (i, c) in value.chars().enumerate() {
        if i >= MAX_SHOWN {
            out.push('…');
            break;
        }
        out.push(if i < keep { c } else { '*' });
    }
    out
}

/// Why money arithmetic or rounding failed. Nothing is computed on error.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MoneyError {
    /// The two amounts are in different currencies.
    #[error("cannot combine {left} with {right}")]
    CurrencyMismatch {
        /// The currency of the left operand.
        left: crate::Currency,
        /// The currency of the right operand.
        right: crate::Currency,
    },
    /// The result does not fit in a decimal (about 7.9 × 10²⁸).
    #[error("{operation} overflowed")]
    Overflow {
        /// The operation that overflowed, e.g. `"addition"`.
        operation: &'static str,
    },
    /// Division by zero.
    #[error("division by zero")]
    DivisionByZero,
    /// A rounding multiple was zero or negative.
    #[error("a rounding multiple must be positive, not {multiple}")]
    InvalidMultiple {
        /// The rejected multiple.
        multiple: rust_decimal::Decimal,
    },
    /// The scale is larger than a decimal supports (28).
    #[error("scale {scale} is larger than 28")]
    InvalidScale {
        /// The rejected scale.
        scale: u32,
    },
}

/// Why a journal could not append or read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum JournalError {
    /// The batch does not start at the journal's next sequence number: another
    /// writer appended first (optimistic concurrency), or the caller is out of
    /// date. Nothing was appended.
    #[error("sequence conflict: the journal expects {expected}, the batch starts at {found}")]
    SequenceConflict {
        /// The sequence number the journal would give the next record.
        expected: u64,
        /// The sequence number the batch started with.
        found: u64,
    },
    /// The batch's sequence numbers are not consecutive.
    #[error("the batch's sequence numbers are not consecutive at {sequence}")]
    NotConsecutive {
        /// The first out-of-order sequence number.
        sequence: u64,
    },
    /// A request id in the batch is already recorded.
    #[error("request id {request_id} is already recorded")]
    DuplicateRequest {
        /// The request id.
        request_id: String,
    },
    /// A stored record could not be decoded or failed an integrity check.
    #[error("record {sequence} of stream {stream:?} is damaged: {reason}")]
    Corrupt {
        /// The stream that holds the record.
        stream: String,
        /// The record's sequence number.
        sequence: u64,
        /// What is wrong with it.
        reason: String,
    },
    /// The storage below the journal failed (I/O, database, full disk…).
    #[error("journal storage failed: {message}")]
    Storage {
        /// What the storage said.
        message: String,
        /// The underlying error, when there is one.
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync + 'static>>,
    },
}

impl JournalError {
    /// A storage failure with its underlying cause.
    pub fn storage(
        message: impl Into<String>,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        Self::Storage { message: message.into(), source: Some(Box::new(source)) }
    }
}

/// Why a [`Book`](crate::Book) did not execute a command. In every case the
/// book's state and its journal are unchanged.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BookError<E> {
    /// The domain refused the command: a rule would be broken.
    #[error(transparent)]
    Rejected(E),
    /// The request id was already used for a different command.
    #[error("request id {request_id} was already used for a different command")]
    RequestIdReused {
        /// The reused request id.
        request_id: crate::RequestId,
    },
    /// The command could not be serialised to compute its digest.
    #[error("the command could not be serialised: {message}")]
    Serialize {
        /// What serde said.
        message: String,
    },
    /// The journal failed; nothing was applied.
    #[error("the journal failed")]
    Journal(#[source] JournalError),
    /// An earlier journal failure left the book unable to restore its state;
    /// reopen it from its journal.
    #[error("the book is out of step with its journal; reopen it")]
    Poisoned,
}

impl<E> BookError<E> {
    /// The domain error, if the command was refused by a rule.
    pub fn rejection(&self) -> Option<&E> {
        match self {
            Self::Rejected(err) => Some(err),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_all_but_the_first_six() {
        assert_eq!(mask("6271054508900001", 6), "627105**********");
        assert_eq!(mask("12", 6), "12");
    }

    #[test]
    fn long_values_are_cut() {
        let long = "x".repeat(100);
        let err = ValidationError::new("name", &long, Rule::TooLong { max: 10 });
        assert_eq!(err.value().chars().count(), MAX_SHOWN + 1);
        assert!(err.value().ends_with('…'));
    }

    #[test]
    fn message_names_field_value_and_rule() {
        let err = ValidationError::new("currency", "XYZ", Rule::UnknownCurrency);
        assert_eq!(
            err.to_string(),
            "invalid currency \"XYZ\": the currency is not a known ISO 4217 code"
        );
    }

    #[test]
    fn errors_stay_small() {
        assert!(size_of::<Rule>() <= 24);
        assert!(size_of::<ValidationError>() <= 64);
    }
}

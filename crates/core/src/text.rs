//! Small validated text types: names, actors, request ids, codes.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::error::{Rule, ValidationError};

/// Trims `s` and checks it is non-empty, at most `max` characters and free of
/// control characters.
pub(crate) fn clean_text(
    field: &'static str,
    s: &str,
    max: usize,
) -> Result<String, ValidationError> {
    let trimmed = s.trim();
    if trimmed.is_empty() {
        return Err(ValidationError::new(field, s, Rule::Empty));
    }
    if trimmed.chars().count() > max {
        return Err(ValidationError::new(field, s, Rule::TooLong { max }));
    }
    if trimmed.chars().any(char::is_control) {
        return Err(ValidationError::new(field, s, Rule::ControlCharacter));
    }
    Ok(trimmed.to_owned())
}

/// Checks `s` is a code: 1 to `max` characters of ASCII letters, digits, `.`,
/// `-`, `_` or `:` (no trimming: a code with spaces is refused).
pub(crate) fn clean_code(
    field: &'static str,
    s: &str,
    max: usize,
) -> Result<String, ValidationError> {
    if s.is_empty() {
        return Err(ValidationError::new(field, s, Rule::Empty));
    }
    if s.chars().count() > max {
        return Err(ValidationError::new(field, s, Rule::TooLong { max }));
    }
    if !s.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b':')) {
        return Err(ValidationError::new(
            field,
            s,
            Rule::Format { expected: "letters, digits, '.', '-', '_' or ':'" },
        ));
    }
    Ok(s.to_owned())
}

macro_rules! text_type {
    (
        $(#[$meta:meta])*
        $name:ident, field = $field:literal, max = $max:expr, clean = $clean:ident
    ) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// The longest accepted value, in characters.
            pub const MAX_LEN: usize = $max;

            /// Validates and wraps `s`.
            ///
            /// # Errors
            ///
            /// A [`ValidationError`] naming the broken rule (empty, too long,
            /// bad characters).
            pub fn try_new(s: impl AsRef<str>) -> Result<Self, ValidationError> {
                $clean($field, s.as_ref(), $max).map(Self)
            }

            /// The value as a string slice.
            #[must_use]
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:?})", stringify!($name), self.0)
            }
        }

        impl FromStr for $name {
            type Err = ValidationError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::try_new(s)
            }
        }

        impl TryFrom<String> for $name {
            type Error = ValidationError;

            fn try_from(s: String) -> Result<Self, Self::Error> {
                Self::try_new(s)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> Self {
                value.0
            }
        }
    };
}

text_type! {
    /// A display name of a person, organisation, course, team…: trimmed,
    /// non-empty, at most 200 characters, no control characters.
    ///
    /// # Examples
    ///
    /// ```
    /// use tangguh_core::Name;
    ///
    /// assert_eq!(Name::try_new("  Siti Rahayu ")?.as_str(), "Siti Rahayu");
    /// assert!(Name::try_new("   ").is_err());
    /// # Ok::<(), tangguh_core::ValidationError>(())
    /// ```
    Name, field = "name", max = 200, clean = clean_text
}

text_type! {
    /// Who did something, as the integrator names them (a user name, an
    /// officer's number, `"import:dtks-2026-q3"`): trimmed, non-empty, at most
    /// 128 characters.
    ///
    /// # Examples
    ///
    /// ```
    /// use tangguh_core::Actor;
    ///
    /// let actor: Actor = "operator:kel-petuk-bukit".parse()?;
    /// assert_eq!(actor.as_str(), "operator:kel-petuk-bukit");
    /// # Ok::<(), tangguh_core::ValidationError>(())
    /// ```
    Actor, field = "actor", max = 128, clean = clean_text
}

text_type! {
    /// A client's request id, chosen by the client so that a retry of the same
    /// request is recognised: 1–128 ASCII letters, digits, `.`, `-`, `_`, `:`.
    ///
    /// # Examples
    ///
    /// ```
    /// use tangguh_core::RequestId;
    ///
    /// assert!(RequestId::try_new("sms-20261128-0042").is_ok());
    /// assert!(RequestId::try_new("has space").is_err());
    /// ```
    RequestId, field = "request id", max = 128, clean = clean_code
}

text_type! {
    /// A competency code from a competency framework (an SKKNI unit, a course
    /// outcome): 1–64 ASCII letters, digits, `.`, `-`, `_`, `:`.
    ///
    /// # Examples
    ///
    /// ```
    /// use tangguh_core::CompetencyCode;
    ///
    /// assert!(CompetencyCode::try_new("PB.EVAKUASI.AIR").is_ok());
    /// ```
    CompetencyCode, field = "competency code", max = 64, clean = clean_code
}

text_type! {
    /// A certificate's number as printed on it: trimmed, non-empty, at most
    /// 64 characters.
    ///
    /// # Examples
    ///
    /// ```
    /// use tangguh_core::CertificateNumber;
    ///
    /// assert!(CertificateNumber::try_new("PMI/PP/2026/0012").is_ok());
    /// ```
    CertificateNumber, field = "certificate number", max = 64, clean = clean_text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_rules() {
        assert_eq!(Name::try_new("").unwrap_err().rule(), Rule::Empty);
        assert_eq!(Name::try_new("a\u{0}b").unwrap_err().rule(), Rule::ControlCharacter);
        assert_eq!(Name::try_new("x".repeat(201)).unwrap_err().rule(), Rule::TooLong { max: 200 });
        assert!(Name::try_new("x".repeat(200)).is_ok());
        assert_eq!(RequestId::try_new("").unwrap_err().rule(), Rule::Empty);
        assert!(matches!(RequestId::try_new("a b").unwrap_err().rule(), Rule::Format { .. }));
        assert_eq!(
            RequestId::try_new("a".repeat(129)).unwrap_err().rule(),
            Rule::TooLong { max: 128 }
        );
    }

    #[test]
    fn serde_validates() {
        assert!(serde_json::from_str::<Name>("\"  \"").is_err());
        let n: Name = serde_json::from_str("\" Budi \"").unwrap();
        assert_eq!(n.as_str(), "Budi");
        assert_eq!(serde_json::to_string(&n).unwrap(), "\"Budi\"");
    }
}

//! Small validated text types: names, actors, request ids, codes.

use crate::error::{Rule, ValidationError};

/// Trims `s` and checks it is non-empty, at most `max` characters and free of
/// control characters.
///
/// # Errors
///
/// A [`ValidationError`] on `field` naming the broken rule.
pub fn clean_text(field: &'static str, s: &str, max: usize) -> Result<String, ValidationError> {
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
///
/// # Errors
///
/// A [`ValidationError`] on `field` naming the broken rule.
pub fn clean_code(field: &'static str, s: &str, max: usize) -> Result<String, ValidationError> {
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

/// Defines a validated text newtype: a `struct $name` over a shared
/// `Arc<str>` (so a clone is a reference-count increment, and a value copied
/// from a command into a state shares its bytes), with `try_new` (validated by
/// `clean = clean_text`: trimmed, non-empty, at most `max` characters, no
/// control characters; or `clean = clean_code`: 1 to `max` ASCII letters,
/// digits, `.`, `-`, `_` or `:`), `as_str`, `MAX_LEN`, `Display`, `Debug`,
/// `FromStr`, `TryFrom<String>`, `From<$name> for String`, and serde as a
/// plain string validated on the way in. Every error is a
/// [`ValidationError`](crate::ValidationError) naming `field`.
///
/// The domain crates use it for their own text types, so all text in Tangguh
/// follows one set of rules.
///
/// # Examples
///
/// ```
/// tangguh_core::text_type! {
///     /// A village's informal name.
///     Nickname, field = "nickname", max = 40, clean = clean_text
/// }
///
/// let n = Nickname::try_new("  Kampung Lama ")?;
/// assert_eq!(n.as_str(), "Kampung Lama");
/// assert_eq!(serde_json::to_string(&n).unwrap(), r#""Kampung Lama""#);
/// assert!(Nickname::try_new("").is_err());
/// # Ok::<(), tangguh_core::ValidationError>(())
/// ```
#[macro_export]
macro_rules! text_type {
    (
        $(#[$meta:meta])*
        $name:ident, field = $field:literal, max = $max:expr, clean = $clean:ident
    ) => {
        $(#[$meta])*
        #[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(::std::sync::Arc<str>);

        impl $name {
            /// The longest accepted value, in characters.
            pub const MAX_LEN: usize = $max;

            /// Validates and wraps `s`.
            ///
            /// # Errors
            ///
            /// A [`ValidationError`]($crate::ValidationError) naming the broken
            /// rule (empty, too long, bad characters).
            pub fn try_new(s: impl AsRef<str>) -> ::std::result::Result<Self, $crate::ValidationError> {
                $crate::__private::$clean($field, s.as_ref(), $max).map(|s| Self(s.into()))
            }

            /// The value as a string slice.
            #[must_use]
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                write!(f, "{}({:?})", stringify!($name), &*self.0)
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::ValidationError;

            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                Self::try_new(s)
            }
        }

        impl ::std::convert::TryFrom<String> for $name {
            type Error = $crate::ValidationError;

            fn try_from(s: String) -> ::std::result::Result<Self, Self::Error> {
                Self::try_new(s)
            }
        }

        impl ::std::convert::From<$name> for String {
            fn from(value: $name) -> Self {
                String::from(&*value.0)
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S: $crate::__private::serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__private::serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                let s: ::std::borrow::Cow<'de, str> =
                    $crate::__private::serde::Deserialize::deserialize(deserializer)?;
                Self::try_new(&*s).map_err(<D::Error as $crate::__private::serde::de::Error>::custom)
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

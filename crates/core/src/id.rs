//! Entity identifiers: 128-bit, time-ordered (UUID version 7), minted offline
//! by an [`IdGenerator`] without coordination.
//!
//! Every entity has its own id type made by [`define_id!`](crate::define_id),
//! so a `PersonId` can never be passed where a `HouseholdId` is expected. The
//! `uuid` crate stays behind [`IdBits`]: no public signature names it.

use std::fmt;
use std::str::FromStr;
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};

use crate::error::{Rule, ValidationError};
use crate::time::Clock;

/// The 128 bits of an id: a UUID version 7 (48-bit Unix milliseconds, then a
/// counter and random bits). Shown in the canonical hyphenated form.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct IdBits(uuid::Uuid);

impl IdBits {
    /// The bits as one number.
    #[must_use]
    pub fn as_u128(&self) -> u128 {
        self.0.as_u128()
    }

    /// Bits from a number (no check that it is a version 7 UUID, so ids read
    /// from older systems are kept).
    #[must_use]
    pub fn from_u128(value: u128) -> Self {
        Self(uuid::Uuid::from_u128(value))
    }

    /// Parses the hyphenated (or plain hex) form.
    ///
    /// # Errors
    ///
    /// [`Rule::Format`] on field `"id"` if `s` is not a UUID.
    pub fn parse(s: &str) -> Result<Self, ValidationError> {
        uuid::Uuid::try_parse(s).map(Self).map_err(|_| {
            ValidationError::new("id", s, Rule::Format { expected: "a UUID (8-4-4-4-12 hex)" })
        })
    }

    /// The Unix time in milliseconds the id was minted at (version 7 ids).
    #[must_use]
    pub fn unix_millis(&self) -> u64 {
        u64::try_from(self.as_u128() >> 80).unwrap_or(0)
    }
}

impl fmt::Display for IdBits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0.hyphenated(), f)
    }
}

impl fmt::Debug for IdBits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl FromStr for IdBits {
    type Err = ValidationError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for IdBits {
    type Error = ValidationError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<IdBits> for String {
    fn from(bits: IdBits) -> Self {
        bits.to_string()
    }
}

/// An entity id type, as made by [`define_id!`](crate::define_id).
pub trait Id: Copy + Eq + Ord + std::hash::Hash + fmt::Debug + fmt::Display {
    /// Wraps bits as this id type.
    fn from_bits(bits: IdBits) -> Self;
    /// The bits of this id.
    fn bits(&self) -> IdBits;
}

/// Defines an entity id type: a `Copy` newtype over [`IdBits`] with
/// `Display`/`FromStr` (hyphenated UUID), serde as that string, ordering by
/// mint time, and the [`Id`](crate::Id) trait.
///
/// # Examples
///
/// ```
/// tangguh_core::define_id! {
///     /// Identifies a boat used for evacuation.
///     pub struct BoatId;
/// }
///
/// let ids = tangguh_core::IdGenerator::deterministic(7);
/// let boat: BoatId = ids.next_id();
/// let again: BoatId = boat.to_string().parse()?;
/// assert_eq!(boat, again);
/// # Ok::<(), tangguh_core::ValidationError>(())
/// ```
#[macro_export]
macro_rules! define_id {
    ($(#[$meta:meta])* $vis:vis struct $name:ident;) => {
        $(#[$meta])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        $vis struct $name($crate::IdBits);

        impl $crate::Id for $name {
            fn from_bits(bits: $crate::IdBits) -> Self {
                Self(bits)
            }
            fn bits(&self) -> $crate::IdBits {
                self.0
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&self.0, f)
            }
        }

        impl ::std::fmt::Debug for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0)
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::ValidationError;
            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                $crate::IdBits::parse(s).map(Self)
            }
        }

        impl $crate::__private::serde::Serialize for $name {
            fn serialize<S>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error>
            where
                S: $crate::__private::serde::Serializer,
            {
                $crate::__private::serde::Serialize::serialize(&self.0, serializer)
            }
        }

        impl<'de> $crate::__private::serde::Deserialize<'de> for $name {
            fn deserialize<D>(deserializer: D) -> ::std::result::Result<Self, D::Error>
            where
                D: $crate::__private::serde::Deserializer<'de>,
            {
                <$crate::IdBits as $crate::__private::serde::Deserialize>::deserialize(deserializer)
                    .map(Self)
            }
        }
    };
}

define_id! {
    /// Identifies a person: a resident, a volunteer, a trainee, a borrower.
    pub struct PersonId;
}

define_id! {
    /// Identifies a household (a family on one Kartu Keluarga).
    pub struct HouseholdId;
}

define_id! {
    /// Identifies an organisation: an agency, business, NGO, community group.
    pub struct OrganizationId;
}

define_id! {
    /// Identifies an incident, such as a flood, that the roster responds to,
    /// the registry records damage for and the ledger grants relief for.
    pub struct IncidentId;
}

/// Mints time-ordered ids (UUID version 7) without coordination, so a field
/// device can create records offline.
///
/// Ids from one generator are strictly increasing: within one millisecond a
/// 12-bit counter orders them, and past 4,096 in a millisecond the generator
/// borrows the next millisecond. The remaining 62 bits are random (from the
/// operating system for [`IdGenerator::new`], from the seed for
/// [`IdGenerator::deterministic`]).
///
/// # Examples
///
/// ```
/// use tangguh_core::{IdGenerator, PersonId};
///
/// let a = IdGenerator::deterministic(42);
/// let b = IdGenerator::deterministic(42);
/// let first: PersonId = a.next_id();
/// let second: PersonId = a.next_id();
/// assert!(first < second);
/// assert_eq!(first, b.next_id::<PersonId>());
/// ```
pub struct IdGenerator {
    source: TimeSource,
    state: Mutex<GeneratorState>,
}

enum TimeSource {
    Clock(Arc<dyn Clock>),
    /// Deterministic: starts at this Unix millisecond, one millisecond per id.
    Stepped,
}

struct GeneratorState {
    last_millis: u64,
    counter: u16,
    random: SplitMix64,
}

impl fmt::Debug for IdGenerator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mode = match self.source {
            TimeSource::Clock(_) => "clock",
            TimeSource::Stepped => "deterministic",
        };
        f.debug_struct("IdGenerator").field("mode", &mode).finish_non_exhaustive()
    }
}

/// 2026-01-01T00:00:00Z, where deterministic generators start.
const DETERMINISTIC_EPOCH_MILLIS: u64 = 1_767_225_600_000;

impl IdGenerator {
    /// A generator stamping ids with `clock`'s time and random bits from the
    /// operating system.
    #[must_use]
    pub fn new(clock: Arc<dyn Clock>) -> Self {
        let seed = uuid::Uuid::new_v4().as_u64_pair();
        Self {
            source: TimeSource::Clock(clock),
            state: Mutex::new(GeneratorState {
                last_millis: 0,
                counter: 0,
                random: SplitMix64(seed.0 ^ seed.1.rotate_left(17)),
            }),
        }
    }

    /// A generator whose ids depend only on `seed` and the order of calls:
    /// for tests, benches and synthetic data. Time starts at 2026-01-01 and
    /// advances one millisecond per id.
    #[must_use]
    pub fn deterministic(seed: u64) -> Self {
        Self {
            source: TimeSource::Stepped,
            state: Mutex::new(GeneratorState {
                last_millis: DETERMINISTIC_EPOCH_MILLIS.saturating_sub(1),
                counter: 0,
                random: SplitMix64(seed),
            }),
        }
    }

    /// Mints the next id's bits.
    pub fn next_bits(&self) -> IdBits {
        let mut state = match self.state.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        let now = match &self.source {
            TimeSource::Clock(clock) => u64::try_from(clock.now().timestamp_millis()).unwrap_or(0),
            TimeSource::Stepped => state.last_millis.saturating_add(1),
        };
        if now > state.last_millis {
            state.last_millis = now;
            state.counter = 0;
        } else if state.counter >= 0x0fff {
            state.last_millis = state.last_millis.saturating_add(1);
            state.counter = 0;
        } else {
            state.counter += 1;
        }
        let random = state.random.next().to_be_bytes();
        let counter = state.counter.to_be_bytes();
        let mut bytes = [0u8; 10];
        bytes[0] = counter[0];
        bytes[1] = counter[1];
        bytes[2..].copy_from_slice(&random);
        IdBits(uuid::Builder::from_unix_timestamp_millis(state.last_millis, &bytes).into_uuid())
    }

    /// Mints the next id of type `T`.
    pub fn next_id<T: Id>(&self) -> T {
        T::from_bits(self.next_bits())
    }
}

/// Steele, Lea and Flood's SplitMix64: a small, well-mixed sequence for the
/// random bits of an id (not for cryptography).
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::FixedClock;

    #[test]
    fn ids_are_version_7_and_increasing_within_one_millisecond() {
        let clock = Arc::new(FixedClock::wib(2026, 11, 28, 9, 0));
        let ids = IdGenerator::new(clock.clone());
        let mut previous: PersonId = ids.next_id();
        for _ in 0..10_000 {
            let next: PersonId = ids.next_id();
            assert!(next > previous);
            assert_eq!((next.bits().as_u128() >> 76) & 0xf, 7, "version 7");
            previous = next;
        }
        let expected = u64::try_from(clock.now().timestamp_millis()).unwrap();
        let first: PersonId = IdGenerator::new(clock).next_id();
        assert_eq!(first.bits().unix_millis(), expected);
    }

    #[test]
    fn deterministic_generators_repeat() {
        let a = IdGenerator::deterministic(1);
        let b = IdGenerator::deterministic(1);
        let c = IdGenerator::deterministic(2);
        let x: HouseholdId = a.next_id();
        assert_eq!(x, b.next_id::<HouseholdId>());
        assert_ne!(x, c.next_id::<HouseholdId>());
        assert_eq!(x.bits().unix_millis(), DETERMINISTIC_EPOCH_MILLIS);
    }

    #[test]
    fn display_parse_and_serde_round_trip() {
        let id: IncidentId = IdGenerator::deterministic(3).next_id();
        let text = id.to_string();
        assert_eq!(text.len(), 36);
        assert_eq!(text.parse::<IncidentId>().unwrap(), id);
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, format!("\"{text}\""));
        assert_eq!(serde_json::from_str::<IncidentId>(&json).unwrap(), id);
        assert!(format!("{id:?}").starts_with("IncidentId("));
        assert!("not-an-id".parse::<IncidentId>().is_err());
        assert_eq!(IdBits::from_u128(id.bits().as_u128()), id.bits());
    }
}

//! Money: an exact decimal amount with its currency, checked arithmetic and
//! named rounding. Never floating point.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use serde::{Deserialize, Serialize};

use crate::error::{MoneyError, Rule, ValidationError};

/// ISO 4217 currencies known to Tangguh, with their minor-unit digits
/// (ISO 4217 list; IDR has 2 minor digits on paper though cash uses none:
/// round with [`Rounding::IDR_CASH`] for that).
const CURRENCIES: [(&str, u8); 10] = [
    ("AUD", 2),
    ("CNY", 2),
    ("EUR", 2),
    ("GBP", 2),
    ("IDR", 2),
    ("JPY", 0),
    ("MYR", 2),
    ("SGD", 2),
    ("USD", 2),
    ("XXX", 0),
];

/// A currency: an ISO 4217 code with its number of minor digits.
///
/// # Examples
///
/// ```
/// use tangguh_core::Currency;
///
/// let idr: Currency = "IDR".parse()?;
/// assert_eq!(idr, Currency::IDR);
/// assert_eq!(idr.minor_digits(), 2);
/// assert!("RPX".parse::<Currency>().is_err());
/// # Ok::<(), tangguh_core::ValidationError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Currency {
    code: [u8; 3],
    minor: u8,
}

impl Currency {
    /// Indonesian rupiah.
    pub const IDR: Self = Self { code: *b"IDR", minor: 2 };
    /// US dollar.
    pub const USD: Self = Self { code: *b"USD", minor: 2 };

    /// Looks a code up in the table of known currencies.
    ///
    /// # Errors
    ///
    /// [`Rule::UnknownCurrency`] if the code is not known.
    pub fn parse(s: &str) -> Result<Self, ValidationError> {
        CURRENCIES
            .iter()
            .find(|(code, _)| *code == s)
            .and_then(|&(code, minor)| {
                let code: [u8; 3] = code.as_bytes().try_into().ok()?;
                Some(Self { code, minor })
            })
            .ok_or_else(|| ValidationError::new("currency", s, Rule::UnknownCurrency))
    }

    /// The three-letter code.
    #[must_use]
    pub fn code(&self) -> &str {
        std::str::from_utf8(&self.code).unwrap_or("XXX")
    }

    /// The number of minor-unit digits (2 for IDR and USD, 0 for JPY).
    #[must_use]
    pub fn minor_digits(&self) -> u32 {
        u32::from(self.minor)
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Currency {
    type Err = ValidationError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl TryFrom<String> for Currency {
    type Error = ValidationError;

    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<Currency> for String {
    fn from(c: Currency) -> Self {
        c.code().to_owned()
    }
}

/// How a rounding treats the digits it drops.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RoundingMode {
    /// To the nearest, ties to the even neighbour (banker's rounding;
    /// Fineract's default, `HALF_EVEN`).
    HalfEven,
    /// To the nearest, ties away from zero (`HALF_UP`).
    HalfUp,
    /// Towards zero (truncation, `DOWN`).
    Down,
    /// Away from zero (`UP`).
    Up,
}

impl RoundingMode {
    fn strategy(self) -> RoundingStrategy {
        match self {
            Self::HalfEven => RoundingStrategy::MidpointNearestEven,
            Self::HalfUp => RoundingStrategy::MidpointAwayFromZero,
            Self::Down => RoundingStrategy::ToZero,
            Self::Up => RoundingStrategy::AwayFromZero,
        }
    }
}

/// A named rounding: the number of decimal places, the mode, and optionally a
/// multiple to round to (IDR cash moves in multiples of 100).
///
/// # Examples
///
/// ```
/// use rust_decimal::Decimal;
/// use tangguh_core::{Money, Rounding, RoundingMode};
///
/// let m = Money::idr(Decimal::new(191_666, 0));
/// assert_eq!(m.round(Rounding::IDR_CASH)?.amount(), Decimal::new(191_700, 0));
/// let half = Money::idr(Decimal::new(12_50, 2));
/// assert_eq!(half.round(Rounding::new(0, RoundingMode::HalfEven))?.amount(), Decimal::new(12, 0));
/// assert_eq!(half.round(Rounding::new(0, RoundingMode::HalfUp))?.amount(), Decimal::new(13, 0));
/// # Ok::<(), tangguh_core::MoneyError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Rounding {
    /// Decimal places kept.
    pub scale: u32,
    /// How dropped digits are treated.
    pub mode: RoundingMode,
    /// Round to a multiple of this (positive) amount, if set.
    pub multiple: Option<Decimal>,
}

impl Rounding {
    /// Rupiah cash: whole rupiah, multiples of 100, ties up (as Fineract's
    /// currency `inMultiplesOf` does).
    pub const IDR_CASH: Self =
        Self { scale: 0, mode: RoundingMode::HalfUp, multiple: Some(Decimal::ONE_HUNDRED) };

    /// Rounding to `scale` places with `mode`, no multiple.
    #[must_use]
    pub const fn new(scale: u32, mode: RoundingMode) -> Self {
        Self { scale, mode, multiple: None }
    }

    /// Half-even rounding to the currency's minor digits.
    #[must_use]
    pub fn minor_units(currency: Currency) -> Self {
        Self::new(currency.minor_digits(), RoundingMode::HalfEven)
    }

    /// The same rounding, to multiples of `multiple`.
    ///
    /// # Errors
    ///
    /// [`MoneyError::InvalidMultiple`] if `multiple` is not positive.
    pub fn with_multiple(self, multiple: Decimal) -> Result<Self, MoneyError> {
        if multiple <= Decimal::ZERO {
            return Err(MoneyError::InvalidMultiple { multiple });
        }
        Ok(Self { multiple: Some(multiple), ..self })
    }

    /// Rounds a bare decimal.
    ///
    /// # Errors
    ///
    /// [`MoneyError::InvalidScale`] for a scale above 28;
    /// [`MoneyError::InvalidMultiple`] for a non-positive multiple;
    /// [`MoneyError::Overflow`] if the result does not fit.
    pub fn apply(&self, amount: Decimal) -> Result<Decimal, MoneyError> {
        if self.scale > 28 {
            return Err(MoneyError::InvalidScale { scale: self.scale });
        }
        let strategy = self.mode.strategy();
        let rounded = match self.multiple {
            None => amount.round_dp_with_strategy(self.scale, strategy),
            Some(m) if m <= Decimal::ZERO => {
                return Err(MoneyError::InvalidMultiple { multiple: m });
            }
            Some(m) => {
                let units = amount
                    .checked_div(m)
                    .ok_or(MoneyError::Overflow { operation: "rounding" })?
                    .round_dp_with_strategy(0, strategy);
                units
                    .checked_mul(m)
                    .ok_or(MoneyError::Overflow { operation: "rounding" })?
                    .round_dp_with_strategy(self.scale, strategy)
            }
        };
        let mut rounded = rounded;
        if rounded.scale() < self.scale {
            rounded.rescale(self.scale);
        }
        Ok(rounded.normalize_zero())
    }
}

trait NormalizeZero {
    fn normalize_zero(self) -> Self;
}

impl NormalizeZero for Decimal {
    /// Turns a negative zero into a positive one, keeping the scale.
    fn normalize_zero(mut self) -> Self {
        if self.is_zero() {
            self.set_sign_positive(true);
        }
        self
    }
}

/// An exact amount of money in one currency.
///
/// Arithmetic is checked: it returns a [`MoneyError`] on overflow, division by
/// zero or mixed currencies, and never panics. Rounding is always explicit,
/// with a [`Rounding`]. `Display` and `FromStr` use the Indonesian form
/// (`Rp1.250.000,50`); serde uses `{"amount":"1250000.50","currency":"IDR"}`
/// with the amount as a decimal string.
///
/// # Examples
///
/// ```
/// use rust_decimal::Decimal;
/// use tangguh_core::{Currency, Money};
///
/// let a: Money = "Rp1.250.000".parse()?;
/// let b: Money = "Rp 250.000,50".parse()?;
/// let sum = a.checked_add(b)?;
/// assert_eq!(sum.to_string(), "Rp1.500.000,50");
/// assert_eq!(sum.amount(), Decimal::new(1_500_000_50, 2));
/// assert!(sum.checked_add(Money::zero(Currency::USD)).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Money {
    #[serde(with = "rust_decimal::serde::str")]
    amount: Decimal,
    currency: Currency,
}

impl Money {
    /// `amount` in `currency`, exactly as given.
    #[must_use]
    pub const fn new(amount: Decimal, currency: Currency) -> Self {
        Self { amount, currency }
    }

    /// `amount` rupiah.
    #[must_use]
    pub const fn idr(amount: Decimal) -> Self {
        Self::new(amount, Currency::IDR)
    }

    /// Zero in `currency`.
    #[must_use]
    pub const fn zero(currency: Currency) -> Self {
        Self::new(Decimal::ZERO, currency)
    }

    /// The amount.
    #[must_use]
    pub fn amount(&self) -> Decimal {
        self.amount
    }

    /// The currency.
    #[must_use]
    pub fn currency(&self) -> Currency {
        self.currency
    }

    /// Whether the amount is zero.
    #[must_use]
    pub fn is_zero(&self) -> bool {
        self.amount.is_zero()
    }

    /// Whether the amount is below zero.
    #[must_use]
    pub fn is_negative(&self) -> bool {
        self.amount.is_sign_negative() && !self.amount.is_zero()
    }

    /// Whether the amount is above zero.
    #[must_use]
    pub fn is_positive(&self) -> bool {
        self.amount.is_sign_positive() && !self.amount.is_zero()
    }

    fn same_currency(&self, other: &Self) -> Result<(), MoneyError> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(MoneyError::CurrencyMismatch { left: self.currency, right: other.currency })
        }
    }

    /// `self + other`.
    ///
    /// # Errors
    ///
    /// [`MoneyError::CurrencyMismatch`] or [`MoneyError::Overflow`].
    pub fn checked_add(self, other: Self) -> Result<Self, MoneyError> {
        self.same_currency(&other)?;
        let amount = self
            .amount
            .checked_add(other.amount)
            .ok_or(MoneyError::Overflow { operation: "addition" })?;
        Ok(Self::new(amount, self.currency))
    }

    /// `self - other`.
    ///
    /// # Errors
    ///
    /// [`MoneyError::CurrencyMismatch`] or [`MoneyError::Overflow`].
    pub fn checked_sub(self, other: Self) -> Result<Self, MoneyError> {
        self.same_currency(&other)?;
        let amount = self
            .amount
            .checked_sub(other.amount)
            .ok_or(MoneyError::Overflow { operation: "subtraction" })?;
        Ok(Self::new(amount, self.currency))
    }

    /// `self × factor`, unrounded.
    ///
    /// # Errors
    ///
    /// [`MoneyError::Overflow`].
    pub fn checked_mul(self, factor: Decimal) -> Result<Self, MoneyError> {
        let amount = self
            .amount
            .checked_mul(factor)
            .ok_or(MoneyError::Overflow { operation: "multiplication" })?;
        Ok(Self::new(amount, self.currency))
    }

    /// `self ÷ divisor`, to the precision of a decimal (28 digits), unrounded.
    ///
    /// # Errors
    ///
    /// [`MoneyError::DivisionByZero`] or [`MoneyError::Overflow`].
    pub fn checked_div(self, divisor: Decimal) -> Result<Self, MoneyError> {
        if divisor.is_zero() {
            return Err(MoneyError::DivisionByZero);
        }
        let amount = self
            .amount
            .checked_div(divisor)
            .ok_or(MoneyError::Overflow { operation: "division" })?;
        Ok(Self::new(amount, self.currency))
    }

    /// `-self`. Cannot overflow.
    #[must_use]
    pub fn negated(self) -> Self {
        Self::new(-self.amount, self.currency)
    }

    /// The absolute value. Cannot overflow.
    #[must_use]
    pub fn abs(self) -> Self {
        Self::new(self.amount.abs(), self.currency)
    }

    /// Compares two amounts of the same currency.
    ///
    /// # Errors
    ///
    /// [`MoneyError::CurrencyMismatch`].
    pub fn checked_cmp(&self, other: &Self) -> Result<Ordering, MoneyError> {
        self.same_currency(other)?;
        Ok(self.amount.cmp(&other.amount))
    }

    /// Rounds with `rounding`.
    ///
    /// # Errors
    ///
    /// As [`Rounding::apply`].
    pub fn round(self, rounding: Rounding) -> Result<Self, MoneyError> {
        Ok(Self::new(rounding.apply(self.amount)?, self.currency))
    }

    /// Parses the Indonesian form: an optional `-`, then `Rp` (or `Rp.`, or
    /// a currency code such as `IDR` or `USD`) and optional spaces, then
    /// digits with `.` between groups of three and an optional `,` with the
    /// decimals: `Rp1.250.000`, `Rp 1.250.000,50`, `-Rp500`, `USD 12,50`.
    ///
    /// # Errors
    ///
    /// [`ValidationError`] on field `"money"` with [`Rule::Format`] when the
    /// text has no currency marker or badly grouped digits,
    /// [`Rule::UnknownCurrency`] for an unknown code, or
    /// [`Rule::InvalidAmount`] when the number does not fit a decimal.
    pub fn parse(s: &str) -> Result<Self, ValidationError> {
        const EXPECTED: Rule = Rule::Format { expected: "Rp1.250.000,50" };
        let err = |rule| ValidationError::new("money", s, rule);
        let text = s.trim();
        let (negative, text) = match text.strip_prefix('-') {
            Some(rest) => (true, rest.trim_start()),
            None => (false, text),
        };
        let (currency, number) = if let Some(rest) = text.strip_prefix("Rp") {
            (Currency::IDR, rest.strip_prefix('.').unwrap_or(rest))
        } else {
            let code = text.get(..3).ok_or_else(|| err(EXPECTED))?;
            if !code.bytes().all(|b| b.is_ascii_uppercase()) {
                return Err(err(EXPECTED));
            }
            let currency = Currency::parse(code).map_err(|_| err(Rule::UnknownCurrency))?;
            (currency, text.get(3..).unwrap_or_default())
        };
        let number = number.trim_start();
        let (whole, fraction) = match number.split_once(',') {
            Some((w, f)) => (w, Some(f)),
            None => (number, None),
        };
        let groups: Vec<&str> = whole.split('.').collect();
        let grouped_ok = match groups.as_slice() {
            [] => false,
            [only] => !only.is_empty(),
            [first, rest @ ..] => {
                (1..=3).contains(&first.len()) && rest.iter().all(|g| g.len() == 3)
            }
        };
        let digits_ok = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
        if !grouped_ok
            || !groups.iter().all(|g| digits_ok(g))
            || fraction.is_some_and(|f| f.is_empty() || !digits_ok(f))
        {
            return Err(err(EXPECTED));
        }
        let mut plain = String::with_capacity(number.len() + 1);
        if negative {
            plain.push('-');
        }
        plain.extend(groups);
        if let Some(f) = fraction {
            plain.push('.');
            plain.push_str(f);
        }
        let amount = Decimal::from_str_exact(&plain).map_err(|_| err(Rule::InvalidAmount))?;
        Ok(Self::new(amount, currency))
    }
}

impl fmt::Display for Money {
    /// The Indonesian form, keeping the amount's own decimals: `Rp1.250.000`,
    /// `-Rp1.250.000,50`, `USD 12,50`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let plain = self.amount.abs().to_string();
        let (whole, fraction) = match plain.split_once('.') {
            Some((w, fr)) => (w, Some(fr)),
            None => (plain.as_str(), None),
        };
        if self.is_negative() {
            f.write_str("-")?;
        }
        if self.currency == Currency::IDR {
            f.write_str("Rp")?;
        } else {
            write!(f, "{} ", self.currency)?;
        }
        let len = whole.len();
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && (len - i) % 3 == 0 {
                f.write_str(".")?;
            }
            write!(f, "{c}")?;
        }
        if let Some(fraction) = fraction {
            write!(f, ",{fraction}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Money({} {})", self.amount, self.currency)
    }
}

impl FromStr for Money {
    type Err = ValidationError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn idr(s: &str) -> Money {
        Money::idr(Decimal::from_str_exact(s).unwrap())
    }

    #[test]
    fn formats_indonesian() {
        assert_eq!(idr("1250000").to_string(), "Rp1.250.000");
        assert_eq!(idr("1250000.50").to_string(), "Rp1.250.000,50");
        assert_eq!(idr("-999").to_string(), "-Rp999");
        assert_eq!(idr("100").to_string(), "Rp100");
        assert_eq!(idr("0.00").to_string(), "Rp0,00");
        assert_eq!(Money::new(Decimal::new(1250, 2), Currency::USD).to_string(), "USD 12,50");
    }

    #[test]
    fn parses_indonesian() {
        assert_eq!(Money::parse("Rp1.250.000").unwrap(), idr("1250000"));
        assert_eq!(Money::parse("Rp 1.250.000,50").unwrap(), idr("1250000.50"));
        assert_eq!(Money::parse("Rp. 5.000").unwrap(), idr("5000"));
        assert_eq!(Money::parse("IDR 5000").unwrap(), idr("5000"));
        assert_eq!(Money::parse("-Rp500").unwrap(), idr("-500"));
        let bad = ["1.000", "Rp", "Rp1.2345", "Rp1,", "Rp1.25.000", "Rpx", "Rp1,2,3", "ABC 1"];
        for s in bad {
            assert!(Money::parse(s).is_err(), "{s}");
        }
        assert_eq!(Money::parse("ABC 1").unwrap_err().rule(), Rule::UnknownCurrency);
        assert_eq!(
            Money::parse("Rp99.999.999.999.999.999.999.999.999.999").unwrap_err().rule(),
            Rule::InvalidAmount
        );
    }

    #[test]
    fn arithmetic_is_checked() {
        let max = Money::idr(Decimal::MAX);
        assert_eq!(max.checked_add(idr("1")), Err(MoneyError::Overflow { operation: "addition" }));
        assert_eq!(
            Money::idr(Decimal::MIN).checked_sub(idr("1")),
            Err(MoneyError::Overflow { operation: "subtraction" })
        );
        assert_eq!(
            max.checked_mul(Decimal::TWO),
            Err(MoneyError::Overflow { operation: "multiplication" })
        );
        assert_eq!(idr("1").checked_div(Decimal::ZERO), Err(MoneyError::DivisionByZero));
        assert_eq!(
            idr("1").checked_cmp(&Money::zero(Currency::USD)),
            Err(MoneyError::CurrencyMismatch { left: Currency::IDR, right: Currency::USD })
        );
        assert_eq!(idr("10").checked_div(Decimal::from(4)).unwrap(), idr("2.5"));
        assert_eq!(idr("-3").abs(), idr("3"));
        assert_eq!(idr("3").negated(), idr("-3"));
    }

    #[test]
    fn roundings() {
        let r = |mode, s: &str| Rounding::new(0, mode).apply(Decimal::from_str_exact(s).unwrap());
        assert_eq!(r(RoundingMode::HalfEven, "2.5").unwrap(), Decimal::from(2));
        assert_eq!(r(RoundingMode::HalfEven, "3.5").unwrap(), Decimal::from(4));
        assert_eq!(r(RoundingMode::HalfUp, "2.5").unwrap(), Decimal::from(3));
        assert_eq!(r(RoundingMode::HalfUp, "-2.5").unwrap(), Decimal::from(-3));
        assert_eq!(r(RoundingMode::Down, "2.9").unwrap(), Decimal::from(2));
        assert_eq!(r(RoundingMode::Up, "2.1").unwrap(), Decimal::from(3));
        assert_eq!(idr("120").round(Rounding::IDR_CASH).unwrap(), idr("100"));
        assert_eq!(idr("150").round(Rounding::IDR_CASH).unwrap(), idr("200"));
        let scaled = Rounding::minor_units(Currency::IDR).apply(Decimal::from(5)).unwrap();
        assert_eq!(scaled.to_string(), "5.00");
        assert!(Rounding::new(0, RoundingMode::Up).with_multiple(Decimal::ZERO).is_err());
        assert_eq!(
            Rounding::new(29, RoundingMode::Up).apply(Decimal::ONE),
            Err(MoneyError::InvalidScale { scale: 29 })
        );
        let bad = Rounding { multiple: Some(Decimal::NEGATIVE_ONE), ..Rounding::IDR_CASH };
        assert!(matches!(bad.apply(Decimal::ONE), Err(MoneyError::InvalidMultiple { .. })));
        let tiny = Rounding::IDR_CASH.with_multiple(Decimal::new(1, 28)).unwrap();
        assert_eq!(tiny.apply(Decimal::MAX), Err(MoneyError::Overflow { operation: "rounding" }));
    }

    #[test]
    fn serde_uses_strings() {
        let m = idr("1250000.50");
        let json = serde_json::to_string(&m).unwrap();
        assert_eq!(json, r#"{"amount":"1250000.50","currency":"IDR"}"#);
        assert_eq!(serde_json::from_str::<Money>(&json).unwrap(), m);
        assert!(serde_json::from_str::<Money>(r#"{"amount":1.5,"currency":"IDR"}"#).is_err());
        assert!(serde_json::from_str::<Money>(r#"{"amount":"1","currency":"RP"}"#).is_err());
    }
}

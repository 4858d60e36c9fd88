//! Checked decimal arithmetic and Fineract's rounding model.
//!
//! Fineract rounds in three ways (`fineract-core/.../monetary/domain/Money.java`,
//! `MoneyHelper.getMathContext()`):
//!
//! - intermediate rates and products with `MathContext(12, HALF_EVEN)`: twelve
//!   *significant* digits ([`sig`]);
//! - every `Money` to the currency's digits with the global rounding mode,
//!   HALF_EVEN by default ([`Currency::money`]); when the currency has 0 digits
//!   and an `inMultiplesOf`, a positive amount first goes to the nearest
//!   multiple, ties up (`Money(CurrencyData, BigDecimal, MathContext)` and
//!   `Money.roundToMultiplesOf(double, Integer)`);
//! - installment multiples with `Money.roundToMultiplesOf(Money, Integer)`:
//!   divide to 0 dp HALF_EVEN and multiply back ([`Currency::installment_multiple`]).

use rust_decimal::{Decimal, RoundingStrategy};

use super::ScheduleError;

/// Significant digits of Fineract's `MathContext` (`MoneyHelper`).
pub(super) const MC_DIGITS: u32 = 12;

pub(super) type R<T> = Result<T, ScheduleError>;

fn overflow(what: &'static str) -> ScheduleError {
    ScheduleError::Overflow { what }
}

pub(super) fn add(a: Decimal, b: Decimal, what: &'static str) -> R<Decimal> {
    a.checked_add(b).ok_or_else(|| overflow(what))
}
pub(super) fn sub(a: Decimal, b: Decimal, what: &'static str) -> R<Decimal> {
    a.checked_sub(b).ok_or_else(|| overflow(what))
}
pub(super) fn mul(a: Decimal, b: Decimal, what: &'static str) -> R<Decimal> {
    a.checked_mul(b).ok_or_else(|| overflow(what))
}
pub(super) fn div(a: Decimal, b: Decimal, what: &'static str) -> R<Decimal> {
    a.checked_div(b).ok_or_else(|| overflow(what))
}

/// `x > 0` without rescaling.
pub(super) fn pos(x: Decimal) -> bool {
    !x.is_zero() && x.is_sign_positive()
}

/// `x < 0` without rescaling.
pub(super) fn neg(x: Decimal) -> bool {
    !x.is_zero() && x.is_sign_negative()
}

/// `10^k` as a decimal (k ≤ 28).
fn pow10(k: u32, what: &'static str) -> R<Decimal> {
    let mut p = Decimal::ONE;
    for _ in 0..k {
        p = mul(p, Decimal::TEN, what)?;
    }
    Ok(p)
}

/// Powers of ten that fit a `u128` (10^0 … 10^38).
// Evaluated at compile time: an out-of-range index or overflow fails the build.
#[allow(clippy::indexing_slicing, clippy::arithmetic_side_effects)]
const POW10: [u128; 39] = {
    let mut table = [1u128; 39];
    let mut i = 1;
    while i < 39 {
        table[i] = table[i - 1] * 10;
        i += 1;
    }
    table
};

/// Number of decimal digits of `m` (0 for 0).
fn digit_count(m: u128) -> u32 {
    // floor(bits × log10 2) is the digit count or one less.
    let bits = 128u32.saturating_sub(m.leading_zeros());
    let guess = bits.saturating_mul(1233) >> 12;
    match POW10.get(usize::try_from(guess).unwrap_or(usize::MAX)) {
        Some(&p) if m >= p => guess.saturating_add(1),
        Some(_) => guess,
        None => 39,
    }
}

/// Rounds to `dp` decimal places, HALF_EVEN (`setScale(dp, HALF_EVEN)`),
/// on the integer mantissa (one division instead of rust_decimal's loop).
pub(super) fn round_he(x: Decimal, dp: u32) -> Decimal {
    let scale = x.scale();
    if scale <= dp {
        return x;
    }
    let k = usize::try_from(scale.saturating_sub(dp)).unwrap_or(usize::MAX);
    let Some(&p) = POW10.get(k) else {
        return x.round_dp_with_strategy(dp, RoundingStrategy::MidpointNearestEven);
    };
    let m = x.mantissa();
    let a = m.unsigned_abs();
    let (Some(q), Some(r)) = (a.checked_div(p), a.checked_rem(p)) else {
        return x.round_dp_with_strategy(dp, RoundingStrategy::MidpointNearestEven);
    };
    let half = p >> 1;
    let q = if r > half || (r == half && q & 1 == 1) { q.saturating_add(1) } else { q };
    let signed = i128::try_from(q).ok().map(|v| if m < 0 { v.saturating_neg() } else { v });
    match signed.map(|v| Decimal::try_from_i128_with_scale(v, dp)) {
        Some(Ok(d)) => d,
        _ => x.round_dp_with_strategy(dp, RoundingStrategy::MidpointNearestEven),
    }
}

/// Rounds to `digits` significant digits, HALF_EVEN: Java's
/// `BigDecimal.round(new MathContext(digits, HALF_EVEN))`.
pub(super) fn sig_n(x: Decimal, digits: u32, what: &'static str) -> R<Decimal> {
    let m = x.mantissa().unsigned_abs();
    let limit =
        POW10.get(usize::try_from(digits).unwrap_or(usize::MAX)).copied().unwrap_or(u128::MAX);
    if m < limit {
        return Ok(x);
    }
    let d = digit_count(m);
    let excess = d.saturating_sub(digits);
    let scale = x.scale();
    if excess <= scale {
        Ok(round_he(x, scale.saturating_sub(excess)))
    } else {
        // Rounding to tens, hundreds, …: shift, round, shift back.
        let k = excess.saturating_sub(scale);
        let p = pow10(k, what)?;
        let q = div(x, p, what)?.round_dp_with_strategy(0, RoundingStrategy::MidpointNearestEven);
        mul(q, p, what)
    }
}

/// Twelve significant digits (Fineract's `MathContext`).
pub(super) fn sig(x: Decimal, what: &'static str) -> R<Decimal> {
    sig_n(x, MC_DIGITS, what)
}

/// `a × b` with the `MathContext`: `a.multiply(b, mc)`.
pub(super) fn mul_mc(a: Decimal, b: Decimal, what: &'static str) -> R<Decimal> {
    sig(mul(a, b, what)?, what)
}

/// `a ÷ b` with the `MathContext`: `a.divide(b, mc)`.
pub(super) fn div_mc(a: Decimal, b: Decimal, what: &'static str) -> R<Decimal> {
    sig(div(a, b, what)?, what)
}

/// `base^exp` by squaring, with checked multiplication (28-digit precision).
pub(super) fn powi(base: Decimal, exp: u32, what: &'static str) -> R<Decimal> {
    let mut result = Decimal::ONE;
    let mut b = base;
    let mut e = exp;
    while e > 0 {
        if e & 1 == 1 {
            result = mul(result, b, what)?;
        }
        e >>= 1;
        if e > 0 {
            b = mul(b, b, what)?;
        }
    }
    Ok(result)
}

/// A currency as Fineract's `CurrencyData` sees it: digits after the decimal
/// point and `inMultiplesOf` (0 = none).
#[derive(Debug, Clone, Copy)]
pub(super) struct Currency {
    pub(super) digits: u32,
    pub(super) multiple: Decimal,
    /// Product `installmentAmountInMultiplesOf`, if any.
    pub(super) installment_multiple: Option<Decimal>,
}

impl Currency {
    /// `Money.of(currency, x)`: multiples (0 digits, positive amounts, ties
    /// up) then `setScale(digits, HALF_EVEN)`.
    pub(super) fn money(&self, x: Decimal) -> R<Decimal> {
        // Already at currency scale and no currency multiple to apply.
        if x.scale() <= self.digits && (self.digits > 0 || self.multiple.is_zero()) {
            return Ok(x);
        }
        let mut v = x;
        if self.digits == 0 && pos(self.multiple) && pos(v) {
            let q = div(v, self.multiple, "currency multiple")?;
            let floor = mul(q.floor(), self.multiple, "currency multiple")?;
            let ceil = mul(q.ceil(), self.multiple, "currency multiple")?;
            let floor_diff = sub(v, floor, "currency multiple")?;
            let ceil_diff = sub(ceil, v, "currency multiple")?;
            v = if ceil_diff > floor_diff { floor } else { ceil };
        }
        Ok(round_he(v, self.digits))
    }

    /// `Money.multiplyRetainScale(rate, mc)`: product to 12 significant
    /// digits, to currency scale, then `Money.of`.
    pub(super) fn times_rate(&self, amount: Decimal, rate: Decimal) -> R<Decimal> {
        if rate == Decimal::ONE {
            return Ok(amount);
        }
        let p = mul_mc(amount, rate, "amount times rate")?;
        self.money(round_he(p, self.digits))
    }

    /// `Money.dividedBy(n, mc)`.
    pub(super) fn divided_by(&self, amount: Decimal, n: Decimal) -> R<Decimal> {
        if n == Decimal::ONE {
            return Ok(amount);
        }
        self.money(div_mc(amount, n, "amount divided")?)
    }

    /// `Money.roundToMultiplesOf(money, installmentAmountInMultiplesOf)`
    /// (identity when the product has none).
    pub(super) fn installment_multiple(&self, amount: Decimal) -> R<Decimal> {
        match self.installment_multiple {
            Some(m) if m > Decimal::ZERO => {
                let q = round_he(div(amount, m, "installment multiple")?, 0);
                self.money(mul(q, m, "installment multiple")?)
            }
            _ => Ok(amount),
        }
    }

    /// Rounds a `BigDecimal` to installment multiples without `Money.of`
    /// (`Money.roundToMultiplesOf(BigDecimal, Integer)`, used on the EMI).
    pub(super) fn installment_multiple_raw(&self, amount: Decimal) -> R<Decimal> {
        match self.installment_multiple {
            Some(m) if m > Decimal::ZERO => {
                let q = round_he(div(amount, m, "installment multiple")?, 0);
                mul(q, m, "installment multiple")
            }
            _ => Ok(amount),
        }
    }

    /// An amount at currency scale as an integer of the smallest unit.
    pub(super) fn units(&self, x: Decimal) -> R<i128> {
        let mut v = round_he(x, self.digits);
        if v.scale() != self.digits {
            v.rescale(self.digits);
        }
        if v.scale() != self.digits {
            return Err(ScheduleError::Overflow { what: "amount scale" });
        }
        Ok(v.mantissa())
    }

    /// The inverse of [`Currency::units`].
    pub(super) fn decimal(&self, u: i128) -> R<Decimal> {
        Decimal::try_from_i128_with_scale(u, self.digits)
            .map_err(|_| ScheduleError::Overflow { what: "amount" })
    }

    /// Presents an amount with exactly `digits` decimals.
    pub(super) fn present(&self, x: Decimal) -> Decimal {
        if x.scale() == self.digits {
            return x;
        }
        let mut v = round_he(x, self.digits);
        v.rescale(self.digits);
        v
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn significant_digits_half_even() {
        assert_eq!(sig(d("41.66666666665"), "t").unwrap(), d("41.6666666666"));
        assert_eq!(sig(d("41.66666666675"), "t").unwrap(), d("41.6666666668"));
        assert_eq!(sig(d("0.000833333333333333"), "t").unwrap(), d("0.000833333333333"));
        assert_eq!(sig(d("1234567890123456"), "t").unwrap(), d("1234567890120000"));
        assert_eq!(sig(d("999999999999.5"), "t").unwrap(), d("1000000000000"));
        assert_eq!(sig(d("123456789012"), "t").unwrap(), d("123456789012"));
        for k in 0..38u32 {
            let p = 10u128.pow(k);
            assert_eq!(digit_count(p), k + 1);
            assert_eq!(digit_count(p - 1), k);
        }
    }

    #[test]
    fn currency_multiples_tie_up_and_interest_too() {
        let idr = Currency { digits: 0, multiple: d("100"), installment_multiple: None };
        assert_eq!(idr.money(d("191666")).unwrap(), d("191700"));
        assert_eq!(idr.money(d("120")).unwrap(), d("100"));
        assert_eq!(idr.money(d("150")).unwrap(), d("200"));
        assert_eq!(idr.money(d("-150")).unwrap(), d("-150"));
    }

    #[test]
    fn installment_multiples_half_even() {
        let c = Currency { digits: 2, multiple: d("0"), installment_multiple: Some(d("1")) };
        assert_eq!(c.installment_multiple(d("12.50")).unwrap(), d("12"));
        assert_eq!(c.installment_multiple(d("13.50")).unwrap(), d("14"));
        assert_eq!(c.installment_multiple(d("312.50")).unwrap(), d("312"));
    }
}

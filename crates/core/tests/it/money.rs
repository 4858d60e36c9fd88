use proptest::prelude::*;
use rust_decimal::Decimal;
use tangguh_core::strategy;
use tangguh_core::{Currency, Money, Rounding, RoundingMode};

fn rounding_mode() -> impl Strategy<Value = RoundingMode> {
    prop_oneof![
        Just(RoundingMode::HalfEven),
        Just(RoundingMode::HalfUp),
        Just(RoundingMode::Down),
        Just(RoundingMode::Up),
    ]
}

proptest! {
    #[test]
    fn arithmetic_never_panics(a in strategy::money(), b in strategy::money(), f in strategy::decimal()) {
        let _ = a.checked_add(b);
        let _ = a.checked_sub(b);
        let _ = a.checked_mul(f);
        let _ = a.checked_div(f);
        let _ = a.checked_cmp(&b);
        let _ = a.negated().abs();
    }

    #[test]
    fn rounding_never_panics(
        a in strategy::decimal(),
        scale in 0u32..=30,
        mode in rounding_mode(),
        multiple in strategy::decimal(),
    ) {
        let _ = Rounding::new(scale, mode).apply(a);
        if let Ok(r) = Rounding::new(scale.min(28), mode).with_multiple(multiple) {
            let _ = r.apply(a);
        }
    }

    #[test]
    fn addition_and_subtraction_agree(a in strategy::everyday_decimal(), b in strategy::everyday_decimal()) {
        let (a, b) = (Money::idr(a), Money::idr(b));
        let sum = a.checked_add(b).unwrap();
        prop_assert_eq!(sum.checked_sub(b).unwrap().amount(), a.amount());
    }

    #[test]
    fn mixing_currencies_is_refused(a in strategy::money(), b in strategy::money()) {
        if a.currency() != b.currency() {
            prop_assert!(a.checked_add(b).is_err());
            prop_assert!(a.checked_sub(b).is_err());
        }
    }

    #[test]
    fn indonesian_form_round_trips(m in strategy::money()) {
        let text = m.to_string();
        let back: Money = text.parse().unwrap();
        prop_assert_eq!(back.amount(), m.amount());
        prop_assert_eq!(back.amount().scale(), m.amount().scale());
        prop_assert_eq!(back.currency(), m.currency());
    }

    #[test]
    fn serde_round_trips(m in strategy::money()) {
        let json = serde_json::to_string(&m).unwrap();
        let back: Money = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(back, m);
        prop_assert_eq!(back.amount().scale(), m.amount().scale());
    }

    #[test]
    fn currency_round_trips(c in strategy::currency()) {
        prop_assert_eq!(c.to_string().parse::<Currency>().unwrap(), c);
    }

    #[test]
    fn cash_rounding_gives_multiples_of_100(a in strategy::everyday_decimal()) {
        let r = Rounding::IDR_CASH.apply(a).unwrap();
        prop_assert!((r % Decimal::ONE_HUNDRED).is_zero());
        prop_assert!((r - a).abs() <= Decimal::from(50));
    }

    #[test]
    fn rounding_respects_its_mode(a in strategy::everyday_decimal()) {
        let down = Rounding::new(0, RoundingMode::Down).apply(a).unwrap();
        let up = Rounding::new(0, RoundingMode::Up).apply(a).unwrap();
        prop_assert!(down.abs() <= a.abs() && a.abs() <= up.abs());
        prop_assert!((up - down).abs() <= Decimal::ONE);
    }
}

//! The ledger's stored form (what a snapshot holds): a round trip gives the
//! same ledger, and a damaged form is an error, never a panic.

use proptest::prelude::*;
use rust_decimal::Decimal;
use serde_json::{Value, json};
use tangguh_core::{Aggregate, Currency, Money};
use tangguh_ledger::{EntryId, JournalEntry, Ledger, LedgerCommand, Posting};

use crate::loans::{loan_id, repay};
use crate::*;

/// Serialises `ledger`, deserialises it, and checks that the result is the
/// same in everything observable, and stays the same under one more
/// command. Used by the replay property tests.
pub(crate) fn check_round_trip(ledger: &Ledger, accounts: &[&str]) -> Result<(), TestCaseError> {
    let text = serde_json::to_string(ledger).unwrap();
    let mut restored: Ledger = serde_json::from_str(&text).unwrap();
    prop_assert_eq!(&restored, ledger);
    // The form is canonical: the restored ledger stores the same text.
    prop_assert_eq!(serde_json::to_string(&restored).unwrap(), text.clone());
    prop_assert_eq!(restored.trial_balance().unwrap(), ledger.trial_balance().unwrap());
    for day in [d(2026, 1, 1), d(2026, 3, 31), d(2026, 11, 28)] {
        prop_assert_eq!(
            restored.trial_balance_as_of(day).unwrap(),
            ledger.trial_balance_as_of(day).unwrap()
        );
    }
    for a in accounts {
        let (from, to) = (d(2026, 1, 1), d(2026, 12, 31));
        prop_assert_eq!(
            restored.statement(&code(a), Currency::IDR, from, to).unwrap(),
            ledger.statement(&code(a), Currency::IDR, from, to).unwrap()
        );
    }
    for e in ledger.entries() {
        prop_assert_eq!(restored.reversal_of(e.id()), ledger.reversal_of(e.id()));
    }

    // One more command decides and applies the same on both.
    let mut original = ledger.clone();
    for command in [
        LedgerCommand::Post(entry(77_777, d(2026, 11, 27), KAS, BANK, 1_000)),
        LedgerCommand::Repay(repay(1, 77_778, d(2026, 11, 27), 50_000)),
    ] {
        let (a, b) = (original.decide(&command, &ctx()), restored.decide(&command, &ctx()));
        prop_assert_eq!(format!("{a:?}"), format!("{b:?}"));
        for e in a.unwrap_or_default() {
            original.apply(&e);
            restored.apply(&e);
        }
        prop_assert_eq!(&restored, &original);
    }
    Ok(())
}

/// A ledger with a loan, a reversal and entries out of id order.
fn busy() -> Ledger {
    let mut l = chart();
    run(
        &mut l,
        LedgerCommand::DefineProduct(loans::product(
            tangguh_ledger::AllocationStrategy::OverdueInterestFirst,
        )),
    )
    .unwrap();
    run(&mut l, LedgerCommand::SubmitLoan(loans::application(1))).unwrap();
    run(&mut l, LedgerCommand::ApproveLoan { loan: loan_id(1), date: d(2025, 12, 22) }).unwrap();
    run(
        &mut l,
        LedgerCommand::DisburseLoan {
            loan: loan_id(1),
            entry: EntryId::from_u128(1001),
            date: d(2026, 1, 1),
        },
    )
    .unwrap();
    run(&mut l, LedgerCommand::Post(entry(30, d(2026, 2, 1), KAS, BANK, 5_000))).unwrap();
    run(&mut l, LedgerCommand::Post(entry(20, d(2026, 1, 15), BANK, KAS, 2_000))).unwrap();
    run(
        &mut l,
        LedgerCommand::Reverse {
            entry: EntryId::from_u128(30),
            reversal: EntryId::from_u128(40),
            date: d(2026, 2, 2),
            description: "salah akun".to_owned(),
        },
    )
    .unwrap();
    run(&mut l, LedgerCommand::Repay(repay(1, 50, d(2026, 2, 1), 100_000))).unwrap();
    // An amount with a scale (Rp 1,500.00): stored as a string, scale kept.
    let scaled = Money::idr(Decimal::new(150_000, 2));
    let e = JournalEntry::try_new(
        EntryId::from_u128(60),
        d(2026, 2, 3),
        "",
        vec![Posting::debit(code(BANK), scaled), Posting::credit(code(KAS), scaled)],
    )
    .unwrap();
    run(&mut l, LedgerCommand::Post(e)).unwrap();
    // An id beyond 64 bits (a UUID's number).
    run(&mut l, LedgerCommand::Post(entry(1 << 100, d(2026, 2, 4), KAS, BANK, 700))).unwrap();
    l
}

#[test]
fn a_busy_ledger_round_trips() {
    check_round_trip(&busy(), &[KAS, BANK, PINJAMAN, MODAL, BUNGA]).unwrap();
}

#[test]
fn an_entry_in_two_currencies_round_trips_with_its_currency_keys() {
    let mut l = chart();
    run(&mut l, LedgerCommand::Post(entry(1, d(2026, 1, 2), KAS, BANK, 5_000))).unwrap();
    let usd = Money::new(Decimal::new(12_50, 2), Currency::USD);
    let e = JournalEntry::try_new(
        EntryId::from_u128(2),
        d(2026, 1, 3),
        "kas valas",
        vec![
            Posting::debit(code(KAS), rp(1_000)),
            Posting::debit(code(BANK), usd),
            Posting::credit(code(MODAL), rp(1_000)),
            Posting::credit(code(MODAL), usd),
        ],
    )
    .unwrap();
    run(&mut l, LedgerCommand::Post(e)).unwrap();
    let v = serde_json::to_value(&l).unwrap();
    assert_eq!(v["currencies"], json!(["IDR", "USD"]));
    let position = |c: &str| {
        let accounts = v["accounts"].as_array().unwrap();
        accounts.iter().position(|a| a["code"] == json!(c)).unwrap() as u64
    };
    let two = v["entries"].as_array().unwrap().iter().find(|e| e[0] == json!(2)).unwrap();
    assert_eq!(
        two[3],
        json!([
            position(KAS) << 8,
            1000,
            position(BANK) << 8 | 1,
            "12.50",
            position(MODAL) << 8,
            -1000,
            position(MODAL) << 8 | 1,
            "-12.50"
        ])
    );
    check_round_trip(&l, &[KAS, BANK, MODAL]).unwrap();
    let back: Ledger = serde_json::from_value(v).unwrap();
    assert_eq!(back.balance(&code(MODAL), Currency::USD).unwrap().net, Decimal::new(-12_50, 2));
}

#[test]
fn an_empty_ledger_round_trips() {
    let text = serde_json::to_string(&Ledger::new()).unwrap();
    assert_eq!(serde_json::from_str::<Ledger>(&text).unwrap(), Ledger::new());
}

/// The stored form of `busy()` changed by `edit`, loaded.
fn load_edited(edit: impl FnOnce(&mut Value)) -> Result<Ledger, String> {
    let mut v = serde_json::to_value(busy()).unwrap();
    edit(&mut v);
    serde_json::from_value::<Ledger>(v).map_err(|e| e.to_string())
}

#[test]
fn the_stored_form_is_compact() {
    let v = serde_json::to_value(busy()).unwrap();
    // [id, day, description, [key, signed amount, key, signed amount, ...]]
    // with key = account position * 256 + currency position, and a fifth
    // element only for a reversal: the id it reverses.
    let first = &v["entries"][0];
    assert_eq!(first[0], json!(999_999));
    assert_eq!(first.as_array().unwrap().len(), 4, "{first}");
    let reversal = v["entries"].as_array().unwrap().iter().find(|e| e[4] == json!(30)).unwrap();
    assert_eq!(reversal.as_array().unwrap().len(), 5, "{reversal}");
    // Whole rupiah as integers; other amounts as decimal strings.
    assert!(first[3][1].is_i64(), "{first}");
    assert_eq!(v["currencies"], json!(["IDR"]));
    let scaled = v["entries"].as_array().unwrap().iter().find(|e| e[0] == json!(60)).unwrap();
    assert_eq!(scaled[3], json!([256, "1500.00", 0, "-1500.00"]));
    // Ids beyond 64 bits as decimal strings (JSON readers take big integers
    // for floats).
    let big = (1u128 << 100).to_string();
    assert!(v["entries"].as_array().unwrap().iter().any(|e| e[0] == json!(big)));
    let back: Ledger = serde_json::from_value(v).unwrap();
    assert!(back.entry(EntryId::from_u128(1 << 100)).is_some());
    let amount = back.entry(EntryId::from_u128(60)).unwrap().postings()[0].amount.amount();
    assert_eq!(amount.scale(), 2);
    // A fractional JSON number is refused (money is never a float).
    let e = load_edited(|v| v["entries"][0][3][1] = json!(1.5)).unwrap_err();
    assert!(e.contains("floating point"), "{e}");
}

#[test]
fn a_damaged_stored_form_is_an_error_not_a_panic() {
    let err = |e: Result<Ledger, String>| e.expect_err("a damaged form must not load");
    // An entry naming an account that is not in the chart.
    let e = err(load_edited(|v| v["entries"][0][3][0] = json!(999 << 8)));
    assert!(e.contains("names no account 999"), "{e}");
    // A key too large for any account position.
    let e = err(load_edited(|v| v["entries"][0][3][0] = json!(u64::MAX)));
    assert!(e.contains("names no account"), "{e}");
    // An unbalanced entry.
    let e = err(load_edited(|v| v["entries"][0][3][1] = json!("1")));
    assert!(e.contains("unbalanced") || e.contains("balance"), "{e}");
    // A currency that is not listed.
    let e = err(load_edited(|v| {
        let key = v["entries"][0][3][0].as_u64().unwrap();
        v["entries"][0][3][0] = json!(key & !0xff | 7);
    }));
    assert!(e.contains("names no currency 7"), "{e}");
    // A key without its amount.
    let e = err(load_edited(|v| v["entries"][0][3].as_array_mut().unwrap().truncate(3)));
    assert!(e.contains("without its amount"), "{e}");
    // An entry of three fields, or of six.
    let e = err(load_edited(|v| v["entries"][0].as_array_mut().unwrap().truncate(3)));
    assert!(e.contains("invalid length 3"), "{e}");
    let e = err(load_edited(|v| {
        let entry = v["entries"][0].as_array_mut().unwrap();
        entry.push(json!(30));
        entry.push(json!(1));
    }));
    assert!(e.contains("trailing") || e.contains("length"), "{e}");
    // A zero amount.
    let e = err(load_edited(|v| {
        v["entries"][0][3][1] = json!("0");
        v["entries"][0][3][3] = json!("0");
    }));
    assert!(e.contains("entry 999999"), "{e}");
    // An account opened twice.
    let e = err(load_edited(|v| {
        let first = v["accounts"][0].clone();
        v["accounts"].as_array_mut().unwrap().push(first);
    }));
    assert!(e.contains("opened twice"), "{e}");
    // The same entry twice.
    let e = err(load_edited(|v| {
        let first = v["entries"][0].clone();
        v["entries"].as_array_mut().unwrap().push(first);
    }));
    assert!(e.contains("stored twice"), "{e}");
    // A reversal of an entry that is not (yet) posted.
    let e = err(load_edited(|v| {
        let entries = v["entries"].as_array_mut().unwrap();
        let at = entries.iter().position(|e| e[4] == json!(30)).unwrap();
        let reversal = entries.remove(at);
        entries.insert(0, reversal);
    }));
    assert!(e.contains("reverses no earlier entry"), "{e}");
    // A date out of range.
    let e = err(load_edited(|v| v["entries"][0][1] = json!(i32::MAX)));
    assert!(e.contains("no valid date"), "{e}");
    // A loan whose product is missing.
    let e = err(load_edited(|v| v["products"] = json!([])));
    assert!(e.contains("names no stored product"), "{e}");
    // A loan stored twice.
    let e = err(load_edited(|v| {
        let first = v["loans"][0].clone();
        v["loans"].as_array_mut().unwrap().push(first);
    }));
    assert!(e.contains("stored twice"), "{e}");
    // An overflowing balance.
    let e = err(load_edited(|v| {
        v["entries"][0][3][1] = json!("79228162514264337593543950335");
        v["entries"][0][3][3] = json!("-79228162514264337593543950335");
        let second = v["entries"][0].clone();
        let mut second = second;
        second[0] = json!(123_456_789);
        v["entries"].as_array_mut().unwrap().insert(1, second);
    }));
    assert!(e.contains("overflow") || e.contains("entry"), "{e}");
    // The entries before the chart they post to; a field twice, unknown or
    // missing.
    let parts = r#""currencies": [], "products": [], "loans": [], "koperasi": {"scheme": null,
        "members": {}, "groups": {}, "group_of_loan": {}, "reliefs": {}}"#;
    let text = format!(r#"{{"entries": [], "accounts": [], {parts}}}"#);
    let e = serde_json::from_str::<Ledger>(&text).unwrap_err().to_string();
    assert!(e.contains("entries come before the accounts"), "{e}");
    let empty = format!(r#"{{"accounts": [], {parts}, "entries": []}}"#);
    assert_eq!(serde_json::from_str::<Ledger>(&empty).unwrap(), Ledger::new());
    let text = format!(r#"{{"accounts": [], "accounts": [], {parts}, "entries": []}}"#);
    assert!(serde_json::from_str::<Ledger>(&text).unwrap_err().to_string().contains("duplicate"));
    let text = format!(r#"{{"accounts": [], {parts}, "entries": [], "extra": 1}}"#);
    assert!(serde_json::from_str::<Ledger>(&text).is_err());
    let text = format!(r#"{{"accounts": [], {parts}}}"#);
    assert!(serde_json::from_str::<Ledger>(&text).unwrap_err().to_string().contains("entries"));
    // Not a ledger at all.
    assert!(serde_json::from_str::<Ledger>("[1, 2]").is_err());
    assert!(serde_json::from_str::<Ledger>("{\"accounts\": 3}").is_err());
}

/// A ledger of more entries than the loader posts before it hands the rest
/// to a second thread.
fn large() -> Ledger {
    let mut l = chart();
    for i in 1..=10_000u128 {
        let day = d(2026, 1, 1) + chrono::Days::new(u64::try_from(i % 300).unwrap());
        let (from, to) = if i % 3 == 0 { (BANK, KAS) } else { (KAS, BANK) };
        let amount = i64::try_from(1_000 + i % 977).unwrap();
        run(&mut l, LedgerCommand::Post(entry(i, day, from, to, amount))).unwrap();
    }
    l
}

#[test]
fn a_large_ledger_loads_on_two_threads_the_same() {
    let ledger = large();
    let text = serde_json::to_string(&ledger).unwrap();
    let restored: Ledger = serde_json::from_str(&text).unwrap();
    assert_eq!(restored, ledger);
    assert_eq!(serde_json::to_string(&restored).unwrap(), text);
}

#[test]
fn a_large_ledger_damaged_late_is_an_error_not_a_panic() {
    let ledger = large();
    let mut v = serde_json::to_value(&ledger).unwrap();
    // Past the first batch, and the very last entry.
    for at in [6_000usize, 9_999] {
        let mut broken = v.clone();
        broken["entries"][at][3][0] = json!(999 << 8);
        let text = serde_json::to_string(&broken).unwrap();
        let e = serde_json::from_str::<Ledger>(&text).unwrap_err().to_string();
        assert!(e.contains("names no account 999"), "{e}");
    }
    // Two damaged entries in one batch, the first only against the entries
    // before it (an id stored twice), the second in itself (an unknown
    // account): the first is the one reported, as one thread would.
    for at in [100usize, 6_000] {
        let mut broken = v.clone();
        broken["entries"][at] = broken["entries"][at - 1].clone();
        broken["entries"][at + 1][3][0] = json!(999 << 8);
        let text = serde_json::to_string(&broken).unwrap();
        let e = serde_json::from_str::<Ledger>(&text).unwrap_err().to_string();
        assert!(e.contains("stored twice"), "{e}");
    }
    // Text cut off in the middle of the entries.
    let text = serde_json::to_string(&v).unwrap();
    let cut = text.len() * 3 / 4;
    assert!(serde_json::from_str::<Ledger>(&text[..cut]).is_err());
    // A syntax error late in the entries.
    v["entries"][8_000][1] = json!("not a day");
    let e = serde_json::from_str::<Ledger>(&serde_json::to_string(&v).unwrap()).unwrap_err();
    assert!(e.to_string().contains("invalid type"), "{e}");
}

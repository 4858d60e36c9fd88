//! Posting rules, one test per rule and error.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use tangguh_core::{Currency, Money};
use tangguh_ledger::{
    Account, AccountType, EntryId, EntryStatus, JournalEntry, Ledger, LedgerCommand, LedgerError,
    LedgerEvent, Posting, TrialBalanceBuilder,
};

use crate::*;

fn post(ledger: &mut Ledger, e: JournalEntry) -> Result<Vec<LedgerEvent>, LedgerError> {
    run(ledger, LedgerCommand::Post(e))
}

#[test]
fn a_balanced_entry_moves_both_accounts_and_keeps_the_trial_balance_at_zero() {
    let mut l = chart();
    post(&mut l, entry(1, d(2026, 2, 1), BANK, KAS, 40_000_000)).unwrap();
    assert_eq!(idr_net(&l, KAS), dec(60_000_000));
    assert_eq!(idr_net(&l, BANK), dec(40_000_000));
    let tb = l.trial_balance().unwrap();
    assert!(tb.is_balanced());
    assert_eq!(tb.lines.len(), 3);
    // Sorted by account code.
    let codes: Vec<_> = tb.lines.iter().map(|b| b.account.to_string()).collect();
    assert_eq!(codes, ["1101", "1102", "3101"]);
    assert_eq!(l.balance(&code(MODAL), Currency::IDR).unwrap().normal(), rp(100_000_000));
}

#[test]
fn entry_construction_rules() {
    let date = d(2026, 2, 1);
    let id = EntryId::from_u128(7);
    let one = |acc: &str, side_debit: bool, m: Money| {
        if side_debit { Posting::debit(code(acc), m) } else { Posting::credit(code(acc), m) }
    };
    assert!(matches!(
        JournalEntry::try_new(id, date, "", vec![one(KAS, true, rp(1))]),
        Err(LedgerError::TooFewPostings { count: 1 })
    ));
    assert!(matches!(
        JournalEntry::try_new(id, date, "", vec![one(KAS, true, rp(0)), one(BANK, false, rp(0))]),
        Err(LedgerError::PostingNotPositive { .. })
    ));
    assert!(matches!(
        JournalEntry::try_new(id, date, "", vec![one(KAS, true, rp(-5)), one(BANK, true, rp(5))]),
        Err(LedgerError::PostingNotPositive { .. })
    ));
    let fine = Money::idr(Decimal::new(1_001, 3));
    assert!(matches!(
        JournalEntry::try_new(id, date, "", vec![one(KAS, true, fine), one(BANK, false, fine)]),
        Err(LedgerError::TooManyDecimals { .. })
    ));
    // Trailing zeros are not extra precision.
    let whole = Money::idr(Decimal::new(1_000, 3));
    assert!(
        JournalEntry::try_new(id, date, "", vec![one(KAS, true, whole), one(BANK, false, whole)])
            .is_ok()
    );
    match JournalEntry::try_new(id, date, "", vec![one(KAS, true, rp(10)), one(BANK, false, rp(7))])
    {
        Err(LedgerError::Unbalanced { currency, difference }) => {
            assert_eq!(currency, Currency::IDR);
            assert_eq!(difference, dec(3));
        }
        other => panic!("{other:?}"),
    }
    // Per currency: 10 IDR against 10 USD does not balance.
    let usd = Money::new(dec(10), Currency::USD);
    assert!(matches!(
        JournalEntry::try_new(id, date, "", vec![one(KAS, true, rp(10)), one(BANK, false, usd)]),
        Err(LedgerError::Unbalanced { .. })
    ));
    assert!(matches!(
        JournalEntry::try_new(
            id,
            date,
            "a\u{7}b",
            vec![one(KAS, true, rp(1)), one(BANK, false, rp(1))]
        ),
        Err(LedgerError::InvalidDescription { .. })
    ));
    let long = "x".repeat(501);
    assert!(matches!(
        JournalEntry::try_new(id, date, long, vec![one(KAS, true, rp(1)), one(BANK, false, rp(1))]),
        Err(LedgerError::InvalidDescription { .. })
    ));
    let max = Money::new(Decimal::MAX, Currency::parse("JPY").unwrap());
    assert!(matches!(
        JournalEntry::try_new(
            id,
            date,
            "",
            vec![one(KAS, true, max), one(BANK, true, max), one(MODAL, false, max)]
        ),
        Err(LedgerError::Overflow { .. })
    ));
}

#[test]
fn unbalanced_json_is_refused_on_deserialisation() {
    let json = serde_json::json!({
        "id": EntryId::from_u128(5).to_string(),
        "date": "2026-02-01",
        "postings": [
            {"account": KAS, "side": "debit", "amount": {"amount": "10", "currency": "IDR"}},
            {"account": BANK, "side": "credit", "amount": {"amount": "9", "currency": "IDR"}},
        ]
    });
    assert!(serde_json::from_value::<JournalEntry>(json).is_err());
    let e = entry(3, d(2026, 2, 1), BANK, KAS, 5);
    let back: JournalEntry = serde_json::from_str(&serde_json::to_string(&e).unwrap()).unwrap();
    assert_eq!(back, e);
}

#[test]
fn unknown_accounts_and_future_dates_are_refused() {
    let mut l = chart();
    assert!(matches!(
        post(&mut l, entry(1, d(2026, 2, 1), "9999", KAS, 1)),
        Err(LedgerError::UnknownAccount { account }) if account.as_str() == "9999"
    ));
    assert!(matches!(
        post(&mut l, entry(2, d(2026, 11, 29), BANK, KAS, 1)),
        Err(LedgerError::FutureDate { .. })
    ));
    assert!(l.entry(EntryId::from_u128(1)).is_none());
}

#[test]
fn never_negative_accounts_refuse_to_be_overdrawn() {
    let mut l = chart();
    match post(&mut l, entry(1, d(2026, 2, 1), BANK, KAS, 100_000_001)) {
        Err(LedgerError::Overdrawn { account, available, requested }) => {
            assert_eq!(account.as_str(), KAS);
            assert_eq!(available, rp(100_000_000));
            assert_eq!(requested, rp(100_000_001));
        }
        other => panic!("{other:?}"),
    }
    // Exactly to zero is fine.
    post(&mut l, entry(2, d(2026, 2, 1), BANK, KAS, 100_000_000)).unwrap();
    assert_eq!(idr_net(&l, KAS), Decimal::ZERO);
    // A savings liability cannot be debited below zero either.
    assert!(matches!(
        post(&mut l, entry(3, d(2026, 2, 1), SIMPANAN, BANK, 1)),
        Err(LedgerError::Overdrawn { .. })
    ));
}

#[test]
fn account_totals_overflow_is_an_error_not_a_panic() {
    let mut l = Ledger::new();
    let jpy = Currency::parse("JPY").unwrap();
    for c in ["A", "B"] {
        run(
            &mut l,
            LedgerCommand::OpenAccount(Account::new(
                code(c),
                c.parse().unwrap(),
                AccountType::Asset,
            )),
        )
        .unwrap();
    }
    let big = Money::new(Decimal::MAX, jpy);
    let e = |id| {
        JournalEntry::try_new(
            EntryId::from_u128(id),
            d(2026, 1, 1),
            "",
            vec![Posting::debit(code("A"), big), Posting::credit(code("B"), big)],
        )
        .unwrap()
    };
    post(&mut l, e(1)).unwrap();
    assert!(matches!(post(&mut l, e(2)), Err(LedgerError::Overflow { .. })));
    assert_eq!(l.balance(&code("A"), jpy).unwrap().net, Decimal::MAX);
}

#[test]
fn a_retry_with_the_same_id_and_content_is_already_exists() {
    let mut l = chart();
    let e = entry(1, d(2026, 2, 1), BANK, KAS, 10);
    assert_eq!(post(&mut l, e.clone()).unwrap().len(), 1);
    assert!(post(&mut l, e.clone()).unwrap().is_empty());
    assert_eq!(l.entry_status(&e).unwrap(), EntryStatus::Exists(l.entry(e.id()).unwrap()));
    assert_eq!(idr_net(&l, BANK), dec(10));
}

#[test]
fn a_retry_with_different_content_names_the_first_differing_field() {
    let mut l = chart();
    let date = d(2026, 2, 1);
    let id = EntryId::from_u128(1);
    post(&mut l, entry(1, date, BANK, KAS, 10)).unwrap();
    let field = |e: JournalEntry| match l.entry_status(&e) {
        Err(LedgerError::ExistsWithDifferentField { field, .. }) => field,
        other => panic!("{other:?}"),
    };
    let mk = |date: NaiveDate, desc: &str, dr: &str, cr: &str, m: Money| {
        JournalEntry::try_new(
            id,
            date,
            desc,
            vec![Posting::debit(code(dr), m), Posting::credit(code(cr), m)],
        )
        .unwrap()
    };
    let original = l.entry(id).unwrap().clone();
    assert_eq!(field(original.reversal(id, date, "entry 1")), "reverses");
    // Date outranks everything after it.
    assert_eq!(field(mk(d(2026, 2, 2), "other", MODAL, KAS, rp(11))), "date");
    assert_eq!(field(mk(date, "entry 1", MODAL, KAS, rp(10))), "accounts");
    assert_eq!(field(mk(date, "entry 1", BANK, KAS, rp(11))), "amounts");
    assert_eq!(field(mk(date, "other", BANK, KAS, rp(10))), "description");
    assert_eq!(
        field(mk(date, "entry 1", BANK, KAS, Money::new(dec(10), Currency::USD))),
        "currency"
    );
    assert!(matches!(
        post(&mut l, mk(date, "other", BANK, KAS, rp(10))),
        Err(LedgerError::ExistsWithDifferentField { field: "description", .. })
    ));
}

#[test]
fn a_reversal_restores_balances_once() {
    let mut l = chart();
    post(&mut l, entry(1, d(2026, 2, 1), BANK, KAS, 700)).unwrap();
    let before = l.trial_balance().unwrap();
    let reverse = |reversal: u128, date| LedgerCommand::Reverse {
        entry: EntryId::from_u128(1),
        reversal: EntryId::from_u128(reversal),
        date,
        description: "salah input".into(),
    };
    run(&mut l, reverse(2, d(2026, 2, 3))).unwrap();
    assert_eq!(idr_net(&l, BANK), Decimal::ZERO);
    assert_eq!(idr_net(&l, KAS), dec(100_000_000));
    assert_eq!(l.reversal_of(EntryId::from_u128(1)), Some(EntryId::from_u128(2)));
    assert_eq!(l.entry(EntryId::from_u128(2)).unwrap().reverses(), Some(EntryId::from_u128(1)));
    // The original is untouched.
    assert_eq!(l.entry(EntryId::from_u128(1)).unwrap(), &entry(1, d(2026, 2, 1), BANK, KAS, 700));
    // Retried: already exists.
    assert!(run(&mut l, reverse(2, d(2026, 2, 3))).unwrap().is_empty());
    // Reversed again under a new id: refused.
    assert!(matches!(
        run(&mut l, reverse(3, d(2026, 2, 3))),
        Err(LedgerError::AlreadyReversed { reversal, .. }) if reversal == EntryId::from_u128(2)
    ));
    // As of the day in between, the original still counts.
    let mid = l.trial_balance_as_of(d(2026, 2, 2)).unwrap();
    assert_eq!(
        mid.lines,
        before
            .lines
            .iter()
            .map(|b| {
                let mut b = b.clone();
                if b.net >= Decimal::ZERO {
                    b.debits = b.net;
                    b.credits = Decimal::ZERO
                } else {
                    b.credits = -b.net;
                    b.debits = Decimal::ZERO
                }
                b
            })
            .collect::<Vec<_>>()
    );
}

#[test]
fn reversal_errors() {
    let mut l = chart();
    post(&mut l, entry(1, d(2026, 2, 5), BANK, KAS, 700)).unwrap();
    assert!(matches!(
        run(
            &mut l,
            LedgerCommand::Reverse {
                entry: EntryId::from_u128(42),
                reversal: EntryId::from_u128(2),
                date: d(2026, 2, 5),
                description: String::new(),
            }
        ),
        Err(LedgerError::UnknownEntry { .. })
    ));
    assert!(matches!(
        run(
            &mut l,
            LedgerCommand::Reverse {
                entry: EntryId::from_u128(1),
                reversal: EntryId::from_u128(2),
                date: d(2026, 2, 4),
                description: String::new(),
            }
        ),
        Err(LedgerError::ReversalBeforeOriginal { .. })
    ));
    // A posted "reversal" that does not mirror its original.
    let fake = serde_json::json!({
        "id": EntryId::from_u128(3).to_string(),
        "date": "2026-02-06",
        "postings": [
            {"account": KAS, "side": "debit", "amount": {"amount": "1", "currency": "IDR"}},
            {"account": BANK, "side": "credit", "amount": {"amount": "1", "currency": "IDR"}},
        ],
        "reverses": EntryId::from_u128(1).to_string(),
    });
    let fake: JournalEntry = serde_json::from_value(fake).unwrap();
    assert!(matches!(post(&mut l, fake), Err(LedgerError::NotAMirror { .. })));
    // Reversing can overdraw a never-negative account: refused.
    let mut l = chart();
    post(&mut l, entry(1, d(2026, 2, 5), KAS, BANK, 5)).unwrap();
    post(&mut l, entry(2, d(2026, 2, 5), BANK, KAS, 100_000_005)).unwrap();
    assert!(matches!(
        run(
            &mut l,
            LedgerCommand::Reverse {
                entry: EntryId::from_u128(1),
                reversal: EntryId::from_u128(3),
                date: d(2026, 2, 5),
                description: String::new(),
            }
        ),
        Err(LedgerError::Overdrawn { .. })
    ));
}

#[test]
fn accounts_open_idempotently() {
    let mut l = chart();
    let kas = chart_accounts().remove(0);
    assert!(run(&mut l, LedgerCommand::OpenAccount(kas.clone())).unwrap().is_empty());
    let flagless = Account::new(kas.code.clone(), kas.name.clone(), kas.kind);
    assert!(matches!(
        run(&mut l, LedgerCommand::OpenAccount(flagless)),
        Err(LedgerError::ExistsWithDifferentField { field: "never_negative", .. })
    ));
    let renamed =
        Account::new(kas.code.clone(), "Kas besar".parse().unwrap(), kas.kind).never_negative();
    assert!(matches!(
        run(&mut l, LedgerCommand::OpenAccount(renamed)),
        Err(LedgerError::ExistsWithDifferentField { field: "name", .. })
    ));
    let retyped =
        Account::new(kas.code.clone(), kas.name.clone(), AccountType::Expense).never_negative();
    assert!(matches!(
        run(&mut l, LedgerCommand::OpenAccount(retyped)),
        Err(LedgerError::ExistsWithDifferentField { field: "kind", .. })
    ));
    assert_eq!(l.accounts().count(), chart_accounts().len());
}

#[test]
fn balances_as_of_a_date_and_statements() {
    let mut l = chart();
    post(&mut l, entry(1, d(2026, 3, 1), BANK, KAS, 100)).unwrap();
    post(&mut l, entry(2, d(2026, 3, 10), BANK, KAS, 50)).unwrap();
    // Back-dated entry.
    post(&mut l, entry(3, d(2026, 3, 5), KAS, BANK, 30)).unwrap();
    let bank = code(BANK);
    let as_of = |y, m, day| l.balance_as_of(&bank, Currency::IDR, d(y, m, day)).unwrap().net;
    assert_eq!(as_of(2026, 2, 28), dec(0));
    assert_eq!(as_of(2026, 3, 1), dec(100));
    assert_eq!(as_of(2026, 3, 5), dec(70));
    assert_eq!(as_of(2026, 12, 31), dec(120));
    let s = l.statement(&bank, Currency::IDR, d(2026, 3, 2), d(2026, 3, 31)).unwrap();
    assert_eq!(s.opening, dec(100));
    let amounts: Vec<_> = s.lines.iter().map(|x| (x.date, x.amount, x.running)).collect();
    assert_eq!(amounts, [(d(2026, 3, 5), dec(-30), dec(70)), (d(2026, 3, 10), dec(50), dec(120))]);
    assert_eq!(s.closing, dec(120));
    assert!(l.trial_balance_as_of(d(2026, 3, 5)).unwrap().is_balanced());
    assert!(matches!(
        l.statement(&code("0000"), Currency::IDR, d(2026, 1, 1), d(2026, 1, 2)),
        Err(LedgerError::UnknownAccount { .. })
    ));
}

#[test]
fn the_streaming_trial_balance_uses_the_same_checks() {
    let mut tb = TrialBalanceBuilder::new();
    for a in chart_accounts() {
        tb.open(a).unwrap();
    }
    assert!(tb.is_open(&code(KAS)));
    assert!(matches!(
        tb.open(Account::new(code(KAS), "Kas".parse().unwrap(), AccountType::Asset)),
        Err(LedgerError::ExistsWithDifferentField { .. })
    ));
    assert!(matches!(
        tb.post(&entry(1, d(2026, 1, 1), BANK, KAS, 1)),
        Err(LedgerError::Overdrawn { .. })
    ));
    tb.post(&entry(2, d(2026, 1, 1), KAS, MODAL, 5)).unwrap();
    let t = tb.trial_balance().unwrap();
    assert!(t.is_balanced());
    assert_eq!(t.lines.len(), 2);
}

#[test]
fn account_codes_are_validated() {
    assert!("Assets:Cash:Branch01".parse::<AccountCode>().is_ok());
    for bad in ["", "has space", "ü", &"x".repeat(129)] {
        assert!(bad.parse::<AccountCode>().is_err(), "{bad:?}");
    }
    assert_eq!(AccountType::from_name("Liabilities:Savings"), Some(AccountType::Liability));
    assert_eq!(AccountType::from_name("Foo:Bar"), None);
}

#[test]
fn entries_posted_out_of_id_order_are_found_listed_by_id_and_retried() {
    let mut l = Ledger::new();
    for a in chart_accounts() {
        run(&mut l, LedgerCommand::OpenAccount(a)).unwrap();
    }
    // Rising ids and ids below ones already posted, interleaved.
    let ids = [10u128, 20, 15, 30, 5, 25, 40, 1, 35];
    for (i, &id) in ids.iter().enumerate() {
        let events = post(&mut l, entry(id, d(2026, 2, 1), BANK, MODAL, 1_000 + i as i64)).unwrap();
        assert_eq!(events.len(), 1, "entry {id} is new");
    }
    let mut sorted = ids.to_vec();
    sorted.sort_unstable();
    let listed: Vec<u128> = l.entries().map(|e| e.id().as_u128()).collect();
    assert_eq!(listed, sorted);
    for (i, &id) in ids.iter().enumerate() {
        let e = l.entry(EntryId::from_u128(id)).unwrap();
        assert_eq!(e.postings()[0].amount, rp(1_000 + i as i64));
        // The same entry again is "already exists"; other content is refused.
        assert!(
            post(&mut l, entry(id, d(2026, 2, 1), BANK, MODAL, 1_000 + i as i64))
                .unwrap()
                .is_empty()
        );
        assert!(matches!(
            post(&mut l, entry(id, d(2026, 2, 1), BANK, MODAL, 7)),
            Err(LedgerError::ExistsWithDifferentField { field: "amounts", .. })
        ));
    }
    for missing in [0u128, 2, 12, 36, 41] {
        assert!(l.entry(EntryId::from_u128(missing)).is_none(), "{missing} was never posted");
    }
    let total: i64 = (0..ids.len() as i64).map(|i| 1_000 + i).sum();
    assert_eq!(idr_net(&l, BANK), dec(total));
    assert_eq!(l.clone(), l);
}

#[test]
fn an_entry_touching_more_accounts_than_fit_inline_posts_every_leg() {
    let mut l = chart();
    let legs = vec![
        Posting::debit(code(BANK), rp(1)),
        Posting::debit(code(PINJAMAN), rp(2)),
        Posting::debit(code(TITIPAN), rp(3)),
        Posting::debit(code(KERUGIAN), rp(4)),
        Posting::debit(code(DENDA), rp(5)),
        Posting::debit(code(BANK), rp(6)),
        Posting::credit(code(MODAL), rp(21)),
    ];
    let e = JournalEntry::try_new(EntryId::from_u128(1), d(2026, 2, 1), "", legs).unwrap();
    post(&mut l, e).unwrap();
    assert_eq!(idr_net(&l, BANK), dec(7));
    assert_eq!(idr_net(&l, PINJAMAN), dec(2));
    assert_eq!(idr_net(&l, TITIPAN), dec(3));
    assert_eq!(idr_net(&l, KERUGIAN), dec(4));
    assert_eq!(idr_net(&l, DENDA), dec(5));
    assert_eq!(idr_net(&l, MODAL), dec(-100_000_021));
    assert!(l.trial_balance().unwrap().is_balanced());
    let bank = l.statement(&code(BANK), Currency::IDR, d(2026, 2, 1), d(2026, 2, 1)).unwrap();
    assert_eq!(bank.lines.len(), 1, "one line per entry, however many legs");
    assert_eq!(bank.lines[0].amount, dec(7));

    // A never-negative account overdrawn by a leg past the inline ones:
    // refused, and nothing moves.
    let before = l.clone();
    let legs = vec![
        Posting::debit(code(BANK), rp(100_000_000)),
        Posting::debit(code(PINJAMAN), rp(1)),
        Posting::debit(code(TITIPAN), rp(1)),
        Posting::debit(code(KERUGIAN), rp(1)),
        Posting::credit(code(MODAL), rp(1)),
        Posting::credit(code(KAS), rp(100_000_002)),
    ];
    let e = JournalEntry::try_new(EntryId::from_u128(2), d(2026, 2, 1), "", legs).unwrap();
    assert!(matches!(post(&mut l, e), Err(LedgerError::Overdrawn { .. })));
    assert_eq!(l, before);
}

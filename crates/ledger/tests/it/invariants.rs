//! Property tests of the ledger's invariants.

use std::collections::BTreeMap;

use proptest::prelude::*;
use rust_decimal::Decimal;
use tangguh_core::Currency;
use tangguh_ledger::{
    AllocationStrategy, EntryId, JournalEntry, Ledger, LedgerCommand, LoanStatus, Posting, Side,
};

use crate::loans::{disbursed, loan_id, repay, with_product};
use crate::*;

const ACCOUNTS: [&str; 11] =
    [KAS, BANK, PINJAMAN, SIMPANAN, TITIPAN, MODAL, BUNGA, PROVISI, DENDA, PEMULIHAN, KERUGIAN];

#[derive(Clone, Debug)]
enum Op {
    /// Debit legs (account, amount in rupiah) against one credit account.
    Post { debits: Vec<(usize, i64)>, credit: usize, day: u32 },
    /// Reverse the k-th posted entry (modulo).
    Reverse { k: usize, day: u32 },
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (prop::collection::vec((0..11usize, 1..50_000_000i64), 1..4), 0..11usize, 0..300u32)
            .prop_map(|(debits, credit, day)| Op::Post { debits, credit, day }),
        1 => (0..64usize, 0..300u32).prop_map(|(k, day)| Op::Reverse { k, day }),
    ]
}

fn normal(l: &Ledger, account: &str) -> Decimal {
    l.balance(&code(account), Currency::IDR).unwrap().normal().amount()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn books_stay_balanced_never_negative_and_equal_to_the_sum_of_postings(ops in prop::collection::vec(op(), 1..40)) {
        let mut l = chart();
        let mut posted: Vec<EntryId> = vec![EntryId::from_u128(999_999)];
        let mut model: BTreeMap<String, Decimal> = BTreeMap::new();
        model.insert(KAS.into(), dec(100_000_000));
        model.insert(MODAL.into(), dec(-100_000_000));
        let start = d(2026, 1, 1);
        for (i, op) in ops.into_iter().enumerate() {
            let id = EntryId::from_u128(i as u128 + 1);
            let command = match op {
                Op::Post { debits, credit, day } => {
                    let total: i64 = debits.iter().map(|(_, a)| a).sum();
                    let mut postings: Vec<Posting> =
                        debits.iter().map(|&(a, amt)| Posting::debit(code(ACCOUNTS[a]), rp(amt))).collect();
                    postings.push(Posting::credit(code(ACCOUNTS[credit]), rp(total)));
                    let date = start + chrono::Days::new(u64::from(day));
                    LedgerCommand::Post(JournalEntry::try_new(id, date, "", postings).unwrap())
                }
                Op::Reverse { k, day } => LedgerCommand::Reverse {
                    entry: posted[k % posted.len()],
                    reversal: id,
                    date: start + chrono::Days::new(u64::from(day)),
                    description: "koreksi".into(),
                },
            };
            let before = l.clone();
            match run(&mut l, command) {
                Ok(events) => {
                    prop_assert_eq!(events.len(), 1);
                    let e = l.entry(id).unwrap().clone();
                    posted.push(id);
                    for p in e.postings() {
                        let v = model.entry(p.account.to_string()).or_default();
                        *v += p.signed_amount();
                    }
                }
                Err(_) => prop_assert_eq!(&l, &before, "a refused command changed nothing"),
            }
            // 1. Every entry balances per currency.
            for e in l.entries() {
                let sum: Decimal = e.postings().iter().map(|p| p.signed_amount()).sum();
                prop_assert_eq!(sum, Decimal::ZERO);
            }
            // 2. The sum over all accounts is zero.
            let tb = l.trial_balance().unwrap();
            prop_assert!(tb.is_balanced());
            // 3. Never-negative accounts never go negative.
            prop_assert!(normal(&l, KAS) >= Decimal::ZERO);
            prop_assert!(normal(&l, SIMPANAN) >= Decimal::ZERO);
            // 4. Each balance equals the sum of its postings (model).
            for line in &tb.lines {
                prop_assert_eq!(line.net, model.get(line.account.as_str()).copied().unwrap_or_default());
            }
            // 5. At most one reversal per entry, always linked.
            for e in l.entries() {
                if let Some(original) = e.reverses() {
                    prop_assert_eq!(l.reversal_of(original), Some(e.id()));
                }
            }
        }
        // 6. As of the last possible date, balances equal the running ones.
        let end = l.trial_balance_as_of(d(2026, 12, 31)).unwrap();
        let now = l.trial_balance().unwrap();
        prop_assert_eq!(
            end.lines.iter().map(|b| b.net).collect::<Vec<_>>(),
            now.lines.iter().map(|b| b.net).collect::<Vec<_>>()
        );
    }

    #[test]
    fn allocations_never_exceed_what_is_due_and_outstanding_never_goes_negative(
        strategy in prop_oneof![
            Just(AllocationStrategy::PenaltyFeeInterestPrincipal),
            Just(AllocationStrategy::InterestPrincipalPenaltyFee),
            Just(AllocationStrategy::OverdueInterestFirst),
        ],
        payments in prop::collection::vec((0..45u32, 1..400_000i64, any::<bool>()), 1..12),
        pay_off in any::<bool>(),
    ) {
        let mut l = with_product(strategy);
        disbursed(&mut l, 1);
        let mut date = d(2026, 1, 1);
        for (i, (gap, amount, penalties)) in payments.into_iter().enumerate() {
            date = date + chrono::Days::new(u64::from(gap));
            if l.loan(loan_id(1)).unwrap().status() != LoanStatus::Active {
                break;
            }
            if penalties {
                run(&mut l, LedgerCommand::ChargePenalties { loan: loan_id(1), as_of: date }).unwrap();
            }
            let before = l.loan(loan_id(1)).unwrap().outstanding().unwrap();
            run(&mut l, LedgerCommand::Repay(repay(1, 5000 + i as u128, date, amount))).unwrap();
            let loan = l.loan(loan_id(1)).unwrap();
            let tx = loan.transactions().last().unwrap();
            // The allocation plus the overpayment is exactly the amount received.
            prop_assert_eq!(tx.allocation.total.total().unwrap() + tx.allocation.overpayment, dec(amount));
            // Never more to a component than was outstanding.
            prop_assert!(tx.allocation.total.principal <= before.principal);
            prop_assert!(tx.allocation.total.interest <= before.interest);
            prop_assert!(tx.allocation.total.penalty <= before.penalty);
            prop_assert!(tx.allocation.total.fee <= before.fee);
            for inst in loan.installments() {
                let o = inst.outstanding().unwrap();
                for v in [o.principal, o.interest, o.fee, o.penalty] {
                    prop_assert!(v >= Decimal::ZERO, "outstanding went negative: {:?}", inst);
                }
            }
            // The loan portfolio account equals the outstanding principal.
            prop_assert_eq!(idr_net(&l, PINJAMAN), loan.outstanding().unwrap().principal);
            prop_assert_eq!(loan.outstanding_principal(), loan.outstanding().unwrap().principal);
            prop_assert!(l.trial_balance().unwrap().is_balanced());
        }
        if pay_off && l.loan(loan_id(1)).unwrap().status() == LoanStatus::Active {
            date = date + chrono::Days::new(1);
            run(&mut l, LedgerCommand::PayOff(repay(1, 9000, date, 0))).unwrap();
            let loan = l.loan(loan_id(1)).unwrap();
            prop_assert_eq!(loan.status(), LoanStatus::Closed);
            prop_assert_eq!(idr_net(&l, PINJAMAN), Decimal::ZERO);
        }
        let _ = Side::Debit;
    }
}

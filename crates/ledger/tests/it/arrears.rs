//! Days past due, kolektibilitas and PAR.

use rust_decimal::Decimal;
use tangguh_core::Currency;
use tangguh_ledger::{
    AllocationStrategy, EntryId, Kolektibilitas, KolektibilitasTable, LedgerCommand, LedgerError,
};

use crate::loans::{disbursed, loan_id, repay, with_product};
use crate::*;

#[test]
fn days_past_due_count_from_the_oldest_unpaid_installment() {
    let mut l = with_product(AllocationStrategy::PenaltyFeeInterestPrincipal);
    disbursed(&mut l, 1);
    let loan = l.loan(loan_id(1)).unwrap();
    assert_eq!(loan.days_past_due(d(2026, 2, 1)), 0, "due today is not late");
    assert_eq!(loan.days_past_due(d(2026, 2, 2)), 1);
    assert_eq!(loan.days_past_due(d(2026, 3, 20)), 47);
    let a = loan.arrears(d(2026, 3, 20)).unwrap();
    assert_eq!(a.overdue_since, Some(d(2026, 2, 1)));
    assert_eq!(a.overdue.principal, dec(500_000));
    assert_eq!(a.overdue.interest, dec(17_500));
    assert_eq!(a.outstanding.principal, dec(1_000_000));
    // A partial payment leaves the installment unpaid: still counted from it.
    run(&mut l, LedgerCommand::Repay(repay(1, 2001, d(2026, 3, 20), 200_000))).unwrap();
    assert_eq!(l.loan(loan_id(1)).unwrap().days_past_due(d(2026, 3, 20)), 47);
    // Paying installment 1 in full moves the count to installment 2.
    run(&mut l, LedgerCommand::Repay(repay(1, 2002, d(2026, 3, 20), 60_000))).unwrap();
    let loan = l.loan(loan_id(1)).unwrap();
    assert_eq!(loan.days_past_due(d(2026, 3, 20)), 19);
    assert_eq!(
        loan.kolektibilitas(d(2026, 3, 20), &KolektibilitasTable::OJK_BANK),
        Kolektibilitas::DalamPerhatianKhusus
    );
    assert_eq!(
        loan.kolektibilitas(d(2026, 11, 28), &KolektibilitasTable::OJK_BANK),
        Kolektibilitas::Macet
    );
}

#[test]
fn kolektibilitas_tables() {
    let ojk = KolektibilitasTable::default();
    let classes: Vec<u8> = [0, 1, 90, 91, 120, 121, 180, 181, 10_000]
        .iter()
        .map(|&d| ojk.classify(d).number())
        .collect();
    assert_eq!(classes, [1, 2, 2, 3, 3, 4, 4, 5, 5]);
    assert!(!Kolektibilitas::DalamPerhatianKhusus.is_non_performing());
    assert!(Kolektibilitas::KurangLancar.is_non_performing());
    // A BPR-like table: Lancar up to 30 days.
    let bpr = KolektibilitasTable::try_new([30, 90, 180, 360]).unwrap();
    assert_eq!(bpr.classify(30), Kolektibilitas::Lancar);
    assert_eq!(bpr.max_days(), [30, 90, 180, 360]);
    assert!(matches!(
        KolektibilitasTable::try_new([0, 90, 80, 180]),
        Err(LedgerError::InvalidKolektibilitasTable { bounds: [0, 90, 80, 180] })
    ));
}

#[test]
fn par_counts_the_whole_outstanding_principal_of_late_loans() {
    let mut l = with_product(AllocationStrategy::PenaltyFeeInterestPrincipal);
    for n in 1..=4 {
        disbursed(&mut l, n);
    }
    // Loan 1 pays everything due by March; loan 2 pays February only;
    // loans 3 and 4 pay nothing. Loan 4 is then written off.
    run(&mut l, LedgerCommand::Repay(repay(1, 2001, d(2026, 3, 1), 517_500))).unwrap();
    run(&mut l, LedgerCommand::Repay(repay(2, 2002, d(2026, 2, 1), 260_000))).unwrap();
    run(
        &mut l,
        LedgerCommand::WriteOff {
            loan: loan_id(4),
            entry: EntryId::from_u128(2004),
            date: d(2026, 3, 2),
        },
    )
    .unwrap();
    let r =
        l.portfolio_report(d(2026, 4, 15), Currency::IDR, &KolektibilitasTable::OJK_BANK).unwrap();
    assert_eq!(r.loans, 3);
    // Gross: 500,000 + 750,000 + 1,000,000.
    assert_eq!(r.gross_principal, dec(2_250_000));
    let par = |days| r.par.iter().find(|p| p.days == days).unwrap().clone();
    // Loan 1: April due 1 Apr, 14 days late. Loan 2: March, 45 days. Loan 3: Feb, 73 days.
    assert_eq!(par(1).principal_at_risk, dec(2_250_000));
    assert_eq!(par(30).principal_at_risk, dec(1_750_000));
    assert_eq!(par(30).loans, 2);
    assert_eq!(par(60).principal_at_risk, dec(1_000_000));
    assert_eq!(par(90).principal_at_risk, Decimal::ZERO);
    assert_eq!(par(60).ratio.unwrap().round_dp(4), Decimal::new(4444, 4));
    assert_eq!(r.classes.iter().map(|c| c.loans).collect::<Vec<_>>(), [0, 3, 0, 0, 0]);
    assert_eq!(r.npl_ratio, Some(Decimal::ZERO));
    let later =
        l.portfolio_report(d(2026, 7, 1), Currency::IDR, &KolektibilitasTable::OJK_BANK).unwrap();
    // Loan 3: 150 days (Diragukan); loan 2: 122 days (Diragukan); loan 1: 91 (Kurang Lancar).
    assert_eq!(later.classes.iter().map(|c| c.loans).collect::<Vec<_>>(), [0, 0, 1, 2, 0]);
    assert_eq!(later.npl_ratio, Some(Decimal::ONE));
    let empty =
        l.portfolio_report(d(2026, 7, 1), Currency::USD, &KolektibilitasTable::OJK_BANK).unwrap();
    assert_eq!(empty.par[0].ratio, None);
}

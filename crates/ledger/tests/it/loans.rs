//! Loan products and the loan lifecycle.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use tangguh_core::{Currency, Id, IdBits, OrganizationId, PersonId};
use tangguh_ledger::{
    AllocationStrategy, ChargeAmount, Components, DisbursementFee, EntryId, LatePenalty, Ledger,
    LedgerCommand, LedgerError, LedgerEvent, LoanApplication, LoanId, LoanProduct, LoanStatus,
    LoanTerms, LoanTransactionKind, Payer, ProductId, Repayment, ScheduledInstallment,
};

use crate::*;

pub(crate) fn product_id() -> ProductId {
    ProductId::from_bits(IdBits::from_u128(7))
}

pub(crate) fn loan_id(n: u128) -> LoanId {
    LoanId::from_bits(IdBits::from_u128(n))
}

pub(crate) fn borrower(n: u128) -> PersonId {
    PersonId::from_bits(IdBits::from_u128(n))
}

pub(crate) fn product(strategy: AllocationStrategy) -> LoanProduct {
    let terms = LoanTerms::new(dec(1_000_000), dec(12), 4, d(2026, 1, 1));
    let mut p = LoanProduct::new(
        product_id(),
        "Pinjaman UMKM".parse().unwrap(),
        Currency::IDR,
        terms,
        strategy,
        loan_accounts(),
    );
    p.fees = vec![DisbursementFee::new("Provisi".parse().unwrap(), ChargeAmount::Percent(dec(1)))];
    p.late_penalty = Some(LatePenalty::new(ChargeAmount::Flat(dec(10_000)), 3));
    p
}

/// Rp 1,000,000 over four months from 1 Jan 2026: principal 250,000 each,
/// interest 10,000 / 7,500 / 5,000 / 2,500 (1 % a month on the balance).
pub(crate) fn schedule() -> Vec<ScheduledInstallment> {
    [(2, 10_000), (3, 7_500), (4, 5_000), (5, 2_500)]
        .into_iter()
        .map(|(m, i)| ScheduledInstallment::new(d(2026, m, 1), dec(250_000), dec(i)))
        .collect()
}

pub(crate) fn application(n: u128) -> LoanApplication {
    let mut app = LoanApplication::new(
        loan_id(n),
        product_id(),
        borrower(n),
        d(2025, 12, 20),
        dec(1_000_000),
        d(2026, 1, 1),
    );
    app.schedule = Some(schedule());
    app
}

/// A chart with the product defined.
pub(crate) fn with_product(strategy: AllocationStrategy) -> Ledger {
    let mut l = chart();
    run(&mut l, LedgerCommand::DefineProduct(product(strategy))).unwrap();
    l
}

/// Submits, approves and disburses loan `n` on 1 Jan 2026 (entry id 1000 + n).
pub(crate) fn disbursed(l: &mut Ledger, n: u128) {
    run(l, LedgerCommand::SubmitLoan(application(n))).unwrap();
    run(l, LedgerCommand::ApproveLoan { loan: loan_id(n), date: d(2025, 12, 22) }).unwrap();
    run(
        l,
        LedgerCommand::DisburseLoan {
            loan: loan_id(n),
            entry: EntryId::from_u128(1000 + n),
            date: d(2026, 1, 1),
        },
    )
    .unwrap();
}

pub(crate) fn repay(n: u128, entry: u128, date: NaiveDate, amount: i64) -> Repayment {
    Repayment::new(loan_id(n), EntryId::from_u128(entry), date, dec(amount))
}

#[test]
fn the_whole_lifecycle_posts_by_role_and_keeps_the_books_balanced() {
    let mut l = with_product(AllocationStrategy::PenaltyFeeInterestPrincipal);
    disbursed(&mut l, 1);
    let loan = l.loan(loan_id(1)).unwrap();
    assert_eq!(loan.status(), LoanStatus::Active);
    assert_eq!(loan.installments().len(), 4);
    // Disbursement: portfolio against cash; the 1 % fee in cash to fee income.
    assert_eq!(idr_net(&l, PINJAMAN), dec(1_000_000));
    assert_eq!(idr_net(&l, KAS), dec(100_000_000 - 1_000_000 + 10_000));
    assert_eq!(idr_net(&l, PROVISI), dec(-10_000));

    run(&mut l, LedgerCommand::Repay(repay(1, 2001, d(2026, 2, 1), 260_000))).unwrap();
    let loan = l.loan(loan_id(1)).unwrap();
    let first = &loan.installments()[0];
    assert_eq!(first.paid.principal, dec(250_000));
    assert_eq!(first.paid.interest, dec(10_000));
    assert!(first.outstanding().unwrap().is_zero());
    assert_eq!(idr_net(&l, BUNGA), dec(-10_000));
    assert_eq!(idr_net(&l, PINJAMAN), dec(750_000));

    // Payoff on 15 Feb: the current period's interest is owed, later periods' waived.
    let quote = loan.payoff_quote(d(2026, 2, 15)).unwrap();
    assert_eq!(quote.owed.principal, dec(750_000));
    assert_eq!(quote.owed.interest, dec(7_500));
    assert_eq!(quote.total, dec(757_500));
    assert_eq!(quote.waived_interest, dec(7_500));
    let mut payoff = repay(1, 2002, d(2026, 2, 15), 0);
    payoff.payer = Payer::Person(borrower(99));
    run(&mut l, LedgerCommand::PayOff(payoff)).unwrap();
    let loan = l.loan(loan_id(1)).unwrap();
    assert_eq!(loan.status(), LoanStatus::Closed);
    assert_eq!(loan.closed_on(), Some(d(2026, 2, 15)));
    assert!(loan.outstanding().unwrap().is_zero());
    let tx = loan.transactions().last().unwrap();
    assert_eq!(tx.kind, LoanTransactionKind::Payoff);
    assert_eq!(tx.amount, dec(757_500));
    assert_eq!(tx.payer, Some(Payer::Person(borrower(99))));
    assert_eq!(idr_net(&l, PINJAMAN), Decimal::ZERO);
    assert_eq!(idr_net(&l, BUNGA), dec(-17_500));
    assert!(l.trial_balance().unwrap().is_balanced());
    // Closed loans take no more repayments.
    assert!(matches!(
        run(&mut l, LedgerCommand::Repay(repay(1, 2003, d(2026, 3, 1), 1))),
        Err(LedgerError::InvalidLoanState { status: LoanStatus::Closed, .. })
    ));
}

fn overdue_ledger(strategy: AllocationStrategy) -> Ledger {
    let mut l = with_product(strategy);
    disbursed(&mut l, 1);
    let charged =
        run(&mut l, LedgerCommand::ChargePenalties { loan: loan_id(1), as_of: d(2026, 3, 20) })
            .unwrap();
    assert_eq!(charged.len(), 1);
    // Charging again adds nothing.
    assert!(
        run(&mut l, LedgerCommand::ChargePenalties { loan: loan_id(1), as_of: d(2026, 3, 20) })
            .unwrap()
            .is_empty()
    );
    l
}

fn allocated(l: &mut Ledger, amount: i64) -> Vec<(u32, Components)> {
    run(l, LedgerCommand::Repay(repay(1, 3001, d(2026, 3, 20), amount))).unwrap();
    let tx = l.loan(loan_id(1)).unwrap().transactions().last().unwrap().clone();
    tx.allocation.installments.iter().map(|a| (a.n, a.amounts)).collect()
}

fn c(principal: i64, interest: i64, penalty: i64) -> Components {
    let mut x = Components::ZERO;
    x.principal = dec(principal);
    x.interest = dec(interest);
    x.penalty = dec(penalty);
    x
}

#[test]
fn penalties_are_charged_once_per_late_installment() {
    let l = overdue_ledger(AllocationStrategy::PenaltyFeeInterestPrincipal);
    let loan = l.loan(loan_id(1)).unwrap();
    let penalties: Vec<_> = loan.installments().iter().map(|i| i.due.penalty).collect();
    assert_eq!(penalties, [dec(10_000), dec(10_000), dec(0), dec(0)]);
    // Not income until collected (cash-based).
    assert_eq!(idr_net(&l, DENDA), Decimal::ZERO);
}

#[test]
fn mifos_standard_pays_penalty_fee_interest_principal_oldest_first() {
    let mut l = overdue_ledger(AllocationStrategy::PenaltyFeeInterestPrincipal);
    assert_eq!(allocated(&mut l, 30_000), [(1, c(10_000, 10_000, 10_000))]);
    assert_eq!(idr_net(&l, DENDA), dec(-10_000));
    assert_eq!(idr_net(&l, BUNGA), dec(-10_000));
    assert_eq!(idr_net(&l, PINJAMAN), dec(990_000));
}

#[test]
fn interest_principal_penalty_fee_order() {
    let mut l = overdue_ledger(AllocationStrategy::InterestPrincipalPenaltyFee);
    assert_eq!(allocated(&mut l, 30_000), [(1, c(20_000, 10_000, 0))]);
}

#[test]
fn overdue_interest_first_is_vertical() {
    let mut l = overdue_ledger(AllocationStrategy::OverdueInterestFirst);
    // Penalty and interest of installments 1, 2 (overdue) and 3 (current),
    // then principal of the oldest.
    assert_eq!(
        allocated(&mut l, 50_000),
        [(1, c(7_500, 10_000, 10_000)), (2, c(0, 7_500, 10_000)), (3, c(0, 5_000, 0))]
    );
}

#[test]
fn overpayment_goes_to_the_overpayment_liability() {
    let mut l = with_product(AllocationStrategy::PenaltyFeeInterestPrincipal);
    disbursed(&mut l, 1);
    run(&mut l, LedgerCommand::Repay(repay(1, 2001, d(2026, 2, 1), 1_100_000))).unwrap();
    let loan = l.loan(loan_id(1)).unwrap();
    assert_eq!(loan.status(), LoanStatus::Overpaid);
    assert_eq!(loan.overpaid(), dec(75_000));
    assert_eq!(idr_net(&l, TITIPAN), dec(-75_000));
    assert_eq!(idr_net(&l, BUNGA), dec(-25_000));
    assert!(l.trial_balance().unwrap().is_balanced());
}

#[test]
fn write_off_recovery_and_close() {
    let mut l = with_product(AllocationStrategy::PenaltyFeeInterestPrincipal);
    disbursed(&mut l, 1);
    run(&mut l, LedgerCommand::Repay(repay(1, 2001, d(2026, 2, 1), 260_000))).unwrap();
    let write_off = LedgerCommand::WriteOff {
        loan: loan_id(1),
        entry: EntryId::from_u128(2002),
        date: d(2026, 9, 1),
    };
    run(&mut l, write_off.clone()).unwrap();
    assert!(run(&mut l, write_off).unwrap().is_empty(), "a retried write-off records nothing");
    let loan = l.loan(loan_id(1)).unwrap();
    assert_eq!(loan.status(), LoanStatus::WrittenOff);
    assert_eq!(loan.written_off(), dec(750_000));
    assert!(loan.outstanding().unwrap().is_zero());
    assert_eq!(idr_net(&l, KERUGIAN), dec(750_000));
    assert_eq!(idr_net(&l, PINJAMAN), Decimal::ZERO);

    let group = OrganizationId::from_bits(IdBits::from_u128(55));
    let recovery = repay(1, 2003, d(2026, 10, 1), 100_000).paid_by(Payer::Group(group));
    run(&mut l, LedgerCommand::Recover(recovery)).unwrap();
    let loan = l.loan(loan_id(1)).unwrap();
    assert_eq!(loan.recovered(), dec(100_000));
    assert_eq!(loan.transactions().last().unwrap().payer, Some(Payer::Group(group)));
    assert_eq!(idr_net(&l, PEMULIHAN), dec(-100_000));
    run(&mut l, LedgerCommand::CloseLoan { loan: loan_id(1), date: d(2026, 10, 2) }).unwrap();
    assert_eq!(l.loan(loan_id(1)).unwrap().status(), LoanStatus::ClosedWrittenOff);
    assert!(matches!(
        run(&mut l, LedgerCommand::Recover(repay(1, 2004, d(2026, 10, 3), 1))),
        Err(LedgerError::InvalidLoanState { .. })
    ));
    assert!(l.trial_balance().unwrap().is_balanced());
}

#[test]
fn a_group_payment_is_recorded_with_its_payer() {
    let mut l = with_product(AllocationStrategy::PenaltyFeeInterestPrincipal);
    disbursed(&mut l, 1);
    let group = OrganizationId::from_bits(IdBits::from_u128(55));
    run(
        &mut l,
        LedgerCommand::Repay(repay(1, 2001, d(2026, 2, 1), 260_000).paid_by(Payer::Group(group))),
    )
    .unwrap();
    let tx = l.loan(loan_id(1)).unwrap().transactions().last().unwrap().clone();
    assert_eq!(tx.payer, Some(Payer::Group(group)));
    assert_eq!(tx.kind, LoanTransactionKind::Repayment);
}

#[test]
fn loan_commands_are_idempotent_on_their_entry_id() {
    let mut l = with_product(AllocationStrategy::PenaltyFeeInterestPrincipal);
    disbursed(&mut l, 1);
    let r = repay(1, 2001, d(2026, 2, 1), 100_000);
    assert_eq!(run(&mut l, LedgerCommand::Repay(r.clone())).unwrap().len(), 1);
    assert!(run(&mut l, LedgerCommand::Repay(r)).unwrap().is_empty());
    assert!(matches!(
        run(&mut l, LedgerCommand::Repay(repay(1, 2001, d(2026, 2, 1), 100_001))),
        Err(LedgerError::ExistsWithDifferentField { field: "amount", .. })
    ));
    assert!(matches!(
        run(&mut l, LedgerCommand::Repay(repay(1, 2001, d(2026, 2, 2), 100_000))),
        Err(LedgerError::ExistsWithDifferentField { field: "date", .. })
    ));
    // The id of the capital entry is not this loan's.
    assert!(matches!(
        run(&mut l, LedgerCommand::Repay(repay(1, 999_999, d(2026, 2, 1), 1))),
        Err(LedgerError::ExistsWithDifferentField { field: "loan", .. })
    ));
    // Submitting the same application again records nothing; changing it is refused.
    assert!(run(&mut l, LedgerCommand::SubmitLoan(application(1))).unwrap().is_empty());
    let mut other = application(1);
    other.borrower = borrower(2);
    assert!(matches!(
        run(&mut l, LedgerCommand::SubmitLoan(other)),
        Err(LedgerError::ExistsWithDifferentField { field: "borrower", .. })
    ));
    // Same for products.
    assert!(
        run(
            &mut l,
            LedgerCommand::DefineProduct(product(AllocationStrategy::PenaltyFeeInterestPrincipal))
        )
        .unwrap()
        .is_empty()
    );
    assert!(matches!(
        run(
            &mut l,
            LedgerCommand::DefineProduct(product(AllocationStrategy::OverdueInterestFirst))
        ),
        Err(LedgerError::ExistsWithDifferentField { field: "allocation", .. })
    ));
}

#[test]
fn loan_errors() {
    let mut l = chart();
    // Products check their GL roles and settings.
    let mut p = product(AllocationStrategy::PenaltyFeeInterestPrincipal);
    p.accounts.fund_source = code(MODAL);
    assert!(matches!(
        run(&mut l, LedgerCommand::DefineProduct(p)),
        Err(LedgerError::WrongAccountType { role: "fund_source", .. })
    ));
    let mut p = product(AllocationStrategy::PenaltyFeeInterestPrincipal);
    p.accounts.penalty_income = code("4999");
    assert!(matches!(
        run(&mut l, LedgerCommand::DefineProduct(p)),
        Err(LedgerError::UnknownAccount { .. })
    ));
    let mut p = product(AllocationStrategy::PenaltyFeeInterestPrincipal);
    p.fees[0].amount = ChargeAmount::Percent(dec(150));
    assert!(matches!(
        run(&mut l, LedgerCommand::DefineProduct(p)),
        Err(LedgerError::InvalidProduct { .. })
    ));
    assert!(matches!(
        run(&mut l, LedgerCommand::SubmitLoan(application(1))),
        Err(LedgerError::UnknownProduct { .. })
    ));
    run(
        &mut l,
        LedgerCommand::DefineProduct(product(AllocationStrategy::PenaltyFeeInterestPrincipal)),
    )
    .unwrap();
    assert!(matches!(
        run(&mut l, LedgerCommand::ApproveLoan { loan: loan_id(9), date: d(2026, 1, 1) }),
        Err(LedgerError::UnknownLoan { .. })
    ));
    // Bad terms reach the schedule engine's error.
    let mut bad = application(2);
    bad.schedule = None;
    bad.number_of_repayments = Some(0);
    assert!(matches!(run(&mut l, LedgerCommand::SubmitLoan(bad)), Err(LedgerError::Schedule(_))));
    // An explicit schedule must add up.
    let mut bad = application(2);
    bad.principal = dec(999_999);
    assert!(matches!(
        run(&mut l, LedgerCommand::SubmitLoan(bad)),
        Err(LedgerError::InvalidProduct { .. })
    ));
    let mut bad = application(2);
    bad.principal = dec(0);
    assert!(matches!(
        run(&mut l, LedgerCommand::SubmitLoan(bad)),
        Err(LedgerError::AmountNotPositive { .. })
    ));
    let mut bad = application(2);
    bad.submitted_on = d(2027, 1, 1);
    assert!(matches!(
        run(&mut l, LedgerCommand::SubmitLoan(bad)),
        Err(LedgerError::FutureDate { .. })
    ));

    run(&mut l, LedgerCommand::SubmitLoan(application(1))).unwrap();
    assert!(matches!(
        run(
            &mut l,
            LedgerCommand::DisburseLoan {
                loan: loan_id(1),
                entry: EntryId::from_u128(5),
                date: d(2026, 1, 1)
            }
        ),
        Err(LedgerError::InvalidLoanState { status: LoanStatus::Submitted, .. })
    ));
    assert!(matches!(
        run(&mut l, LedgerCommand::ApproveLoan { loan: loan_id(1), date: d(2025, 12, 1) }),
        Err(LedgerError::DateOutOfOrder { .. })
    ));
    run(&mut l, LedgerCommand::ApproveLoan { loan: loan_id(1), date: d(2025, 12, 22) }).unwrap();
    run(
        &mut l,
        LedgerCommand::DisburseLoan {
            loan: loan_id(1),
            entry: EntryId::from_u128(5),
            date: d(2026, 1, 1),
        },
    )
    .unwrap();
    assert!(matches!(
        run(&mut l, LedgerCommand::Repay(repay(1, 6, d(2026, 2, 1), 0))),
        Err(LedgerError::AmountNotPositive { .. })
    ));
    let mut fine = repay(1, 6, d(2026, 2, 1), 0);
    fine.amount = Decimal::new(1_001, 3);
    assert!(matches!(
        run(&mut l, LedgerCommand::Repay(fine)),
        Err(LedgerError::TooManyDecimals { .. })
    ));
    assert!(matches!(
        run(&mut l, LedgerCommand::Repay(repay(1, 6, d(2025, 12, 31), 10))),
        Err(LedgerError::DateOutOfOrder { .. })
    ));
    assert!(matches!(
        run(&mut l, LedgerCommand::CloseLoan { loan: loan_id(1), date: d(2026, 2, 1) }),
        Err(LedgerError::InvalidLoanState { .. })
    ));
}

#[test]
fn disbursing_more_than_the_cash_on_hand_is_refused() {
    let mut l = with_product(AllocationStrategy::PenaltyFeeInterestPrincipal);
    let mut big = application(1);
    big.principal = dec(200_000_000);
    big.schedule = Some(vec![ScheduledInstallment::new(d(2026, 2, 1), dec(200_000_000), dec(0))]);
    run(&mut l, LedgerCommand::SubmitLoan(big)).unwrap();
    run(&mut l, LedgerCommand::ApproveLoan { loan: loan_id(1), date: d(2025, 12, 22) }).unwrap();
    assert!(matches!(
        run(
            &mut l,
            LedgerCommand::DisburseLoan {
                loan: loan_id(1),
                entry: EntryId::from_u128(5),
                date: d(2026, 1, 1)
            }
        ),
        Err(LedgerError::Overdrawn { .. })
    ));
}

#[test]
fn commands_and_events_round_trip_through_json() {
    let cmd = LedgerCommand::Repay(repay(1, 2001, d(2026, 2, 1), 260_000));
    let json = serde_json::to_string(&cmd).unwrap();
    assert!(json.starts_with("{\"repay\":"), "{json}");
    assert_eq!(serde_json::from_str::<LedgerCommand>(&json).unwrap(), cmd);
    let mut l = with_product(AllocationStrategy::PenaltyFeeInterestPrincipal);
    run(&mut l, LedgerCommand::SubmitLoan(application(1))).unwrap();
    run(&mut l, LedgerCommand::ApproveLoan { loan: loan_id(1), date: d(2025, 12, 22) }).unwrap();
    let events = run(
        &mut l,
        LedgerCommand::DisburseLoan {
            loan: loan_id(1),
            entry: EntryId::from_u128(5),
            date: d(2026, 1, 1),
        },
    )
    .unwrap();
    let json = serde_json::to_string(&events).unwrap();
    assert_eq!(serde_json::from_str::<Vec<LedgerEvent>>(&json).unwrap(), events);
}

#[test]
fn without_an_explicit_schedule_the_engine_generates_it_again_at_disbursement() {
    let mut l = with_product(AllocationStrategy::PenaltyFeeInterestPrincipal);
    let mut app = application(1);
    app.schedule = None;
    run(&mut l, LedgerCommand::SubmitLoan(app.clone())).unwrap();
    let terms = app.terms(l.product(product_id()).unwrap());
    let expected = tangguh_ledger::generate_schedule(&terms).unwrap();
    let loan = l.loan(loan_id(1)).unwrap();
    assert!(!loan.has_imported_schedule());
    assert_eq!(loan.installments().len(), expected.installments.len());
    assert_eq!(loan.installments()[0].due_date, expected.installments[0].due_date);
    run(&mut l, LedgerCommand::ApproveLoan { loan: loan_id(1), date: d(2025, 12, 22) }).unwrap();
    // Disbursed two weeks late: the schedule follows the actual date.
    run(
        &mut l,
        LedgerCommand::DisburseLoan {
            loan: loan_id(1),
            entry: EntryId::from_u128(5),
            date: d(2026, 1, 15),
        },
    )
    .unwrap();
    let mut late = terms.clone();
    late.disbursement_date = d(2026, 1, 15);
    let regenerated = tangguh_ledger::generate_schedule(&late).unwrap();
    let loan = l.loan(loan_id(1)).unwrap();
    let dues: Vec<_> =
        loan.installments().iter().map(|i| (i.due_date, i.due.principal, i.due.interest)).collect();
    let want: Vec<_> =
        regenerated.installments.iter().map(|i| (i.due_date, i.principal, i.interest)).collect();
    assert_eq!(dues, want);
    let principal: Decimal = loan.installments().iter().map(|i| i.due.principal).sum();
    assert_eq!(principal, dec(1_000_000));
    assert_eq!(loan.terms().disbursement_date, d(2026, 1, 15));
}

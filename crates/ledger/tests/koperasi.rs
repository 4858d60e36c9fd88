//! Integration tests of the koperasi part of tangguh-ledger: savings, member
//! exit, joint-liability groups, disaster relief, reports; property tests
//! and replay.

// Tests may unwrap, panic and index: a failure is the test failing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
#![allow(clippy::arithmetic_side_effects)]

use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use proptest::prelude::*;
use rust_decimal::Decimal;
use tangguh_core::{
    Actor, Aggregate, Book, Context, Currency, FixedClock, IdBits, MemoryJournal, Money,
    OrganizationId, PersonId,
};
use tangguh_ledger::{
    Account, AccountCode, AccountType, AllocationStrategy, EntryId, JournalEntry, KoperasiCommand,
    Ledger, LedgerCommand, LedgerError, LedgerEvent, LoanAccounts, LoanApplication, LoanId,
    LoanProduct, LoanStatus, LoanTerms, Posting, ProductId, SavingsAccounts, SavingsKind,
    SavingsPayment, SavingsScheme,
};

// ------------------------------------------------------------------ fixtures

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn dec(n: i64) -> Decimal {
    Decimal::from(n)
}

fn code(s: &str) -> AccountCode {
    s.parse().unwrap()
}

fn now() -> DateTime<Utc> {
    use tangguh_core::Clock;
    FixedClock::wib(2026, 11, 28, 9, 0).now()
}

fn ctx() -> Context {
    Context::new(now(), Actor::try_new("test").unwrap())
}

fn run(l: &mut Ledger, command: LedgerCommand) -> Result<Vec<LedgerEvent>, LedgerError> {
    let events = l.decide(&command, &ctx())?;
    for e in &events {
        l.apply(e);
    }
    Ok(events)
}

fn kop(l: &mut Ledger, c: KoperasiCommand) -> Result<Vec<LedgerEvent>, LedgerError> {
    run(l, LedgerCommand::Koperasi(c))
}

const KAS: &str = "1101";
const PINJAMAN: &str = "1201";
const SUKARELA: &str = "2101";
const TITIPAN: &str = "2201";
const POKOK: &str = "3201";
const WAJIB: &str = "3202";
const MODAL: &str = "3101";
const BUNGA: &str = "4101";
const PROVISI: &str = "4102";
const DENDA: &str = "4103";
const PEMULIHAN: &str = "4104";
const KERUGIAN: &str = "5101";
const JASA: &str = "5201";

fn accounts() -> Vec<Account> {
    let a = |c: &str, n: &str, k| Account::new(code(c), n.parse().unwrap(), k);
    vec![
        a(KAS, "Kas", AccountType::Asset).never_negative(),
        a(PINJAMAN, "Pinjaman", AccountType::Asset),
        a(SUKARELA, "Simpanan sukarela", AccountType::Liability).never_negative(),
        a(TITIPAN, "Titipan", AccountType::Liability),
        a(POKOK, "Simpanan pokok", AccountType::Equity),
        a(WAJIB, "Simpanan wajib", AccountType::Equity),
        a(MODAL, "Modal", AccountType::Equity),
        a(BUNGA, "Pendapatan bunga", AccountType::Income),
        a(PROVISI, "Provisi", AccountType::Income),
        a(DENDA, "Denda", AccountType::Income),
        a(PEMULIHAN, "Pemulihan", AccountType::Income),
        a(KERUGIAN, "Kerugian", AccountType::Expense),
        a(JASA, "Beban jasa simpanan", AccountType::Expense),
    ]
}

fn savings_accounts() -> SavingsAccounts {
    serde_json::from_value(serde_json::json!({
        "cash": KAS, "pokok": POKOK, "wajib": WAJIB, "sukarela": SUKARELA, "jasa_expense": JASA,
    }))
    .unwrap()
}

/// Pokok Rp 100,000; wajib Rp 25,000 a month; jasa 3.65 % a year (so
/// Rp 1,000,000 earns Rp 100 a day).
fn scheme() -> SavingsScheme {
    SavingsScheme::new(
        Currency::IDR,
        dec(100_000),
        dec(25_000),
        1,
        "3.65".parse().unwrap(),
        savings_accounts(),
    )
}

fn loan_accounts() -> LoanAccounts {
    serde_json::from_value(serde_json::json!({
        "fund_source": KAS, "loan_portfolio": PINJAMAN, "interest_income": BUNGA,
        "fee_income": PROVISI, "penalty_income": DENDA, "losses_written_off": KERUGIAN,
        "overpayment": TITIPAN, "income_from_recovery": PEMULIHAN,
    }))
    .unwrap()
}

fn person(n: u128) -> PersonId {
    PersonId::from_bits(IdBits::from_u128(n))
}

fn loan_id(n: u128) -> LoanId {
    LoanId::from_bits(IdBits::from_u128(n))
}

fn group_id(n: u128) -> OrganizationId {
    OrganizationId::from_bits(IdBits::from_u128(n))
}

fn e(n: u128) -> EntryId {
    EntryId::from_u128(n)
}

use tangguh_core::Id as _;

/// Monthly product: Rp 1,200,000 over 12 months at 12 % declining.
fn monthly_product() -> LoanProduct {
    let terms = LoanTerms::new(dec(1_200_000), dec(12), 12, d(2026, 1, 1));
    LoanProduct::new(
        ProductId::from_bits(IdBits::from_u128(1)),
        "Pinjaman anggota".parse().unwrap(),
        Currency::IDR,
        terms,
        AllocationStrategy::PenaltyFeeInterestPrincipal,
        loan_accounts(),
    )
}

/// Weekly product for groups: Rp 500,000 over 25 weeks, flat 24 %.
fn weekly_product() -> LoanProduct {
    let mut terms = LoanTerms::new(dec(500_000), dec(24), 25, d(2026, 1, 5));
    terms.repayment_unit = tangguh_ledger::RepaymentUnit::Weeks;
    terms.interest_method = tangguh_ledger::InterestMethod::Flat;
    LoanProduct::new(
        ProductId::from_bits(IdBits::from_u128(2)),
        "Pinjaman kelompok".parse().unwrap(),
        Currency::IDR,
        terms,
        AllocationStrategy::PenaltyFeeInterestPrincipal,
        loan_accounts(),
    )
}

/// The chart, Rp 1,000,000,000 of capital, both products and the savings
/// scheme.
fn koperasi() -> Ledger {
    let mut l = Ledger::new();
    for c in setup() {
        run(&mut l, c).unwrap();
    }
    l
}

fn setup() -> Vec<LedgerCommand> {
    let mut cs: Vec<LedgerCommand> =
        accounts().into_iter().map(LedgerCommand::OpenAccount).collect();
    cs.push(LedgerCommand::Post(
        JournalEntry::try_new(
            e(1),
            d(2025, 12, 1),
            "modal",
            vec![
                Posting::debit(code(KAS), Money::idr(dec(1_000_000_000))),
                Posting::credit(code(MODAL), Money::idr(dec(1_000_000_000))),
            ],
        )
        .unwrap(),
    ));
    cs.push(LedgerCommand::DefineProduct(monthly_product()));
    cs.push(LedgerCommand::DefineProduct(weekly_product()));
    cs.push(LedgerCommand::Koperasi(KoperasiCommand::ConfigureSavings(scheme())));
    cs
}

fn join(l: &mut Ledger, n: u128, date: NaiveDate) {
    kop(
        l,
        KoperasiCommand::Join { member: person(n), entry: e(10_000 + n), date, kelurahan: None },
    )
    .unwrap();
}

fn pay(n: u128, entry: u128, date: NaiveDate, amount: i64) -> SavingsPayment {
    SavingsPayment::new(person(n), e(entry), date, dec(amount))
}

/// Submits, approves and disburses a loan of `product` (1 monthly, 2
/// weekly) for borrower `b` on `date`; entry id 20,000 + n.
fn disburse(l: &mut Ledger, n: u128, b: u128, product: u128, date: NaiveDate) {
    let principal = if product == 1 { 1_200_000 } else { 500_000 };
    let app = LoanApplication::new(
        loan_id(n),
        ProductId::from_bits(IdBits::from_u128(product)),
        person(b),
        date,
        dec(principal),
        date,
    );
    run(l, LedgerCommand::SubmitLoan(app)).unwrap();
    run(l, LedgerCommand::ApproveLoan { loan: loan_id(n), date }).unwrap();
    run(l, LedgerCommand::DisburseLoan { loan: loan_id(n), entry: e(20_000 + n), date }).unwrap();
}

fn net(l: &Ledger, account: &str) -> Decimal {
    l.balance(&code(account), Currency::IDR).unwrap().net
}

fn balanced(l: &Ledger) -> bool {
    l.trial_balance().unwrap().is_balanced()
}

/// Members' balances of a kind sum to the GL account (credit-normal: −net).
fn sub_ledger_matches(l: &Ledger) {
    for (kind, account) in [
        (SavingsKind::Pokok, POKOK),
        (SavingsKind::Wajib, WAJIB),
        (SavingsKind::Sukarela, SUKARELA),
    ] {
        let sum: Decimal = l.members().map(|m| m.balances.get(kind)).sum();
        assert_eq!(sum, -net(l, account), "{kind:?}");
    }
}

// ------------------------------------------------------------------ savings

#[test]
fn joining_pays_pokok_once_and_it_stays_locked() {
    let mut l = koperasi();
    join(&mut l, 1, d(2026, 1, 10));
    assert_eq!(net(&l, POKOK), dec(-100_000));
    assert_eq!(net(&l, KAS), dec(1_000_100_000));
    // A retry records nothing; joining again on another date is refused.
    assert!(
        kop(
            &mut l,
            KoperasiCommand::Join {
                member: person(1),
                entry: e(10_001),
                date: d(2026, 1, 10),
                kelurahan: None
            }
        )
        .unwrap()
        .is_empty()
    );
    let err = kop(
        &mut l,
        KoperasiCommand::Join {
            member: person(1),
            entry: e(9),
            date: d(2026, 2, 1),
            kelurahan: None,
        },
    )
    .unwrap_err();
    assert!(matches!(err, LedgerError::AlreadyMember { .. }));
    // Pokok and wajib cannot be withdrawn: only sukarela has a withdrawal.
    let err = kop(&mut l, KoperasiCommand::Withdraw(pay(1, 11, d(2026, 1, 11), 1))).unwrap_err();
    assert!(matches!(err, LedgerError::SavingsOverdrawn { .. }), "{err}");
    assert_eq!(l.member(person(1)).unwrap().balances.pokok, dec(100_000));
    sub_ledger_matches(&l);
}

#[test]
fn savings_commands_need_a_scheme_and_a_member() {
    let mut l = Ledger::new();
    for a in accounts() {
        run(&mut l, LedgerCommand::OpenAccount(a)).unwrap();
    }
    let err = kop(
        &mut l,
        KoperasiCommand::Join {
            member: person(1),
            entry: e(2),
            date: d(2026, 1, 1),
            kelurahan: None,
        },
    )
    .unwrap_err();
    assert!(matches!(err, LedgerError::SavingsNotConfigured));
    let mut bad = scheme();
    bad.pokok = dec(0);
    let err = kop(&mut l, KoperasiCommand::ConfigureSavings(bad)).unwrap_err();
    assert!(matches!(err, LedgerError::InvalidSavingsScheme { field: "pokok", .. }));
    let mut bad = scheme();
    bad.accounts.sukarela = code(TITIPAN); // not never-negative
    let err = kop(&mut l, KoperasiCommand::ConfigureSavings(bad)).unwrap_err();
    assert!(matches!(err, LedgerError::InvalidSavingsScheme { field: "accounts.sukarela", .. }));
    let mut bad = scheme();
    bad.accounts.pokok = code(KAS);
    let err = kop(&mut l, KoperasiCommand::ConfigureSavings(bad)).unwrap_err();
    assert!(matches!(err, LedgerError::WrongAccountType { role: "pokok", .. }));
    kop(&mut l, KoperasiCommand::ConfigureSavings(scheme())).unwrap();
    assert!(kop(&mut l, KoperasiCommand::ConfigureSavings(scheme())).unwrap().is_empty());
    let mut other = scheme();
    other.wajib = dec(30_000);
    let err = kop(&mut l, KoperasiCommand::ConfigureSavings(other)).unwrap_err();
    assert!(matches!(err, LedgerError::ExistsWithDifferentField { field: "scheme", .. }));
    let err = kop(&mut l, KoperasiCommand::Deposit(pay(5, 3, d(2026, 1, 1), 1_000))).unwrap_err();
    assert!(matches!(err, LedgerError::UnknownMember { .. }));
    assert!(matches!(
        l.wajib_arrears(person(5), d(2026, 1, 1)),
        Err(LedgerError::UnknownMember { .. })
    ));
}

#[test]
fn sukarela_deposits_withdrawals_never_overdraw() {
    let mut l = koperasi();
    join(&mut l, 1, d(2026, 1, 10));
    kop(&mut l, KoperasiCommand::Deposit(pay(1, 100, d(2026, 1, 10), 500_000))).unwrap();
    kop(&mut l, KoperasiCommand::Withdraw(pay(1, 101, d(2026, 1, 12), 200_000))).unwrap();
    assert_eq!(l.member(person(1)).unwrap().balances.sukarela, dec(300_000));
    let err =
        kop(&mut l, KoperasiCommand::Withdraw(pay(1, 102, d(2026, 1, 13), 300_001))).unwrap_err();
    match err {
        LedgerError::SavingsOverdrawn { available, requested, .. } => {
            assert_eq!(available, Money::idr(dec(300_000)));
            assert_eq!(requested, Money::idr(dec(300_001)));
        }
        other => panic!("{other}"),
    }
    // Idempotent by entry id; other content under the same id is refused.
    assert!(
        kop(&mut l, KoperasiCommand::Deposit(pay(1, 100, d(2026, 1, 10), 500_000)))
            .unwrap()
            .is_empty()
    );
    let err = kop(&mut l, KoperasiCommand::Deposit(pay(1, 100, d(2026, 1, 10), 1))).unwrap_err();
    assert!(matches!(err, LedgerError::ExistsWithDifferentField { field: "amount", .. }));
    let err = kop(&mut l, KoperasiCommand::Deposit(pay(1, 1, d(2026, 1, 14), 1))).unwrap_err();
    assert!(matches!(err, LedgerError::ExistsWithDifferentField { field: "entry", .. }));
    // Bad amounts, out-of-order and future dates.
    let err = kop(&mut l, KoperasiCommand::Deposit(pay(1, 103, d(2026, 1, 14), 0))).unwrap_err();
    assert!(matches!(err, LedgerError::AmountNotPositive { .. }));
    let err = kop(
        &mut l,
        KoperasiCommand::Deposit(SavingsPayment::new(
            person(1),
            e(104),
            d(2026, 1, 14),
            "0.005".parse().unwrap(),
        )),
    )
    .unwrap_err();
    assert!(matches!(err, LedgerError::TooManyDecimals { .. }));
    let err = kop(&mut l, KoperasiCommand::Deposit(pay(1, 105, d(2026, 1, 11), 1))).unwrap_err();
    assert!(matches!(err, LedgerError::DateOutOfOrder { .. }));
    let err = kop(&mut l, KoperasiCommand::Deposit(pay(1, 106, d(2027, 1, 1), 1))).unwrap_err();
    assert!(matches!(err, LedgerError::FutureDate { .. }));
    sub_ledger_matches(&l);
    assert!(balanced(&l));
}

#[test]
fn wajib_arrears_are_tracked_like_a_loan() {
    let mut l = koperasi();
    join(&mut l, 1, d(2026, 1, 10));
    // Due 10 Feb, 10 Mar, 10 Apr, ...; one period paid.
    kop(&mut l, KoperasiCommand::PayWajib(pay(1, 100, d(2026, 2, 10), 25_000))).unwrap();
    let a = l.wajib_arrears(person(1), d(2026, 4, 20)).unwrap();
    assert_eq!(a.periods_due, 3);
    assert_eq!(a.obligation, dec(75_000));
    assert_eq!(a.paid, dec(25_000));
    assert_eq!(a.owed, dec(50_000));
    assert_eq!(a.overdue_since, Some(d(2026, 3, 10)));
    assert_eq!(a.days_past_due, 41);
    // Paying two periods clears it; paying ahead leaves no arrears.
    kop(&mut l, KoperasiCommand::PayWajib(pay(1, 101, d(2026, 4, 20), 75_000))).unwrap();
    let a = l.wajib_arrears(person(1), d(2026, 5, 10)).unwrap();
    assert_eq!((a.owed, a.days_past_due), (dec(0), 0));
    assert_eq!(net(&l, WAJIB), dec(-100_000));
    sub_ledger_matches(&l);
}

#[test]
fn jasa_is_daily_balance_times_rate_over_365_rounded_half_even_and_posted() {
    let mut l = koperasi();
    join(&mut l, 1, d(2026, 1, 1));
    join(&mut l, 2, d(2026, 1, 1));
    // Member 1: Rp 1,000,000 from 1 Jan (end of day) → Rp 100 a day.
    kop(&mut l, KoperasiCommand::Deposit(pay(1, 100, d(2026, 1, 1), 1_000_000))).unwrap();
    // Member 2: Rp 12,345 on 22 Jan: 10 days × 1.2345 = 12.345 → 12.34
    // (half-even; half-up would give 12.35).
    kop(&mut l, KoperasiCommand::Deposit(pay(2, 101, d(2026, 1, 22), 12_345))).unwrap();
    kop(&mut l, KoperasiCommand::PostJasa { entry: e(200), through: d(2026, 1, 31) }).unwrap();
    // Member 1: days 2..=31 = 30 days × 100.
    assert_eq!(l.member(person(1)).unwrap().balances.sukarela, dec(1_003_000));
    assert_eq!(
        l.member(person(2)).unwrap().balances.sukarela,
        "12357.34".parse::<Decimal>().unwrap()
    );
    assert_eq!(net(&l, JASA), "3012.34".parse::<Decimal>().unwrap());
    sub_ledger_matches(&l);
    // Again through the same day: nothing to do.
    assert!(
        kop(&mut l, KoperasiCommand::PostJasa { entry: e(201), through: d(2026, 1, 31) })
            .unwrap()
            .is_empty()
    );
    // Deposits dated on or before the jasa date are refused.
    let err = kop(&mut l, KoperasiCommand::Deposit(pay(1, 103, d(2026, 1, 31), 1))).unwrap_err();
    assert!(matches!(err, LedgerError::DateOutOfOrder { .. }));
}

#[test]
fn exit_refunds_pokok_wajib_and_sukarela_less_loans_in_one_entry() {
    let mut l = koperasi();
    join(&mut l, 1, d(2026, 1, 1));
    kop(&mut l, KoperasiCommand::PayWajib(pay(1, 100, d(2026, 2, 1), 50_000))).unwrap();
    kop(&mut l, KoperasiCommand::Deposit(pay(1, 101, d(2026, 2, 1), 2_000_000))).unwrap();
    disburse(&mut l, 1, 1, 1, d(2026, 2, 1));
    let cash_before = net(&l, KAS);
    let quote = l.loan(loan_id(1)).unwrap().payoff_quote(d(2026, 2, 15)).unwrap();
    let events = kop(
        &mut l,
        KoperasiCommand::Exit { member: person(1), entry: e(300), date: d(2026, 2, 15) },
    )
    .unwrap();
    assert_eq!(events.len(), 1);
    let savings = dec(100_000 + 50_000 + 2_000_000);
    assert_eq!(net(&l, KAS) - cash_before, -(savings - quote.total));
    assert_eq!(l.loan(loan_id(1)).unwrap().status(), LoanStatus::Closed);
    assert_eq!(net(&l, PINJAMAN), dec(0));
    let m = l.member(person(1)).unwrap();
    assert_eq!(m.exited_on, Some(d(2026, 2, 15)));
    assert_eq!(m.balances.total().unwrap(), dec(0));
    assert_eq!(l.entry(e(300)).unwrap().postings().len(), 6); // 3 Dr savings, Cr principal, interest, cash
    sub_ledger_matches(&l);
    assert!(balanced(&l));
    // Retry records nothing; anything else for an exited member is refused.
    assert!(
        kop(
            &mut l,
            KoperasiCommand::Exit { member: person(1), entry: e(300), date: d(2026, 2, 15) }
        )
        .unwrap()
        .is_empty()
    );
    let err = kop(&mut l, KoperasiCommand::Deposit(pay(1, 102, d(2026, 3, 1), 1))).unwrap_err();
    assert!(matches!(err, LedgerError::MemberExited { .. }));
}

#[test]
fn exit_with_more_debt_than_savings_sets_off_what_there_is() {
    let mut l = koperasi();
    join(&mut l, 1, d(2026, 1, 1));
    disburse(&mut l, 1, 1, 1, d(2026, 1, 1));
    kop(&mut l, KoperasiCommand::Exit { member: person(1), entry: e(300), date: d(2026, 2, 1) })
        .unwrap();
    let loan = l.loan(loan_id(1)).unwrap();
    assert_eq!(loan.status(), LoanStatus::Active);
    // The Rp 100,000 pokok paid the first installment's interest then principal.
    let paid: Decimal = loan.installments().iter().map(|i| i.paid.total().unwrap()).sum();
    assert_eq!(paid, dec(100_000));
    assert_eq!(net(&l, PINJAMAN), dec(1_200_000) - loan.installments()[0].paid.principal);
    assert!(l.entry(e(300)).unwrap().postings().iter().all(|p| p.account != code(KAS)));
    assert!(balanced(&l));
    sub_ledger_matches(&l);
}

// ------------------------------------------------------------------ groups

use tangguh_ledger::{
    ClassificationTreatment, GroupSpec, HolidayInterest, Kolektibilitas, KolektibilitasTable,
    MeetingCalendar, MeetingFrequency, MeetingLine, Payer, ReliefPolicy, ReliefRequest, Repayment,
};

/// Monday 12 January 2026, the group's first meeting.
fn first_meeting() -> NaiveDate {
    d(2026, 1, 12)
}

fn spec(members: &[u128], chair: u128) -> GroupSpec {
    GroupSpec::new(
        group_id(1),
        "Kelompok Melati".parse().unwrap(),
        person(chair),
        members.iter().map(|m| person(*m)).collect(),
        MeetingCalendar::new(first_meeting(), MeetingFrequency::Weekly),
    )
}

/// Members 1..=n join on 5 Jan, form a group, and each takes a weekly loan
/// (loan id = member) disbursed 5 Jan, linked to the group.
fn group_of(n: u128) -> Ledger {
    let mut l = koperasi();
    let members: Vec<u128> = (1..=n).collect();
    for m in &members {
        join(&mut l, *m, d(2026, 1, 5));
    }
    kop(&mut l, KoperasiCommand::FormGroup(spec(&members, 1))).unwrap();
    for m in &members {
        disburse(&mut l, *m, *m, 2, d(2026, 1, 5));
        kop(&mut l, KoperasiCommand::LinkLoan { group: group_id(1), loan: loan_id(*m) }).unwrap();
    }
    l
}

fn week(k: u64) -> NaiveDate {
    first_meeting() + chrono::Days::new(7 * k)
}

#[test]
fn forming_a_group_checks_members_and_chair() {
    let mut l = koperasi();
    let err = kop(&mut l, KoperasiCommand::FormGroup(spec(&[1, 2], 3))).unwrap_err();
    assert!(matches!(err, LedgerError::InvalidGroup { field: "chair", .. }));
    let err = kop(&mut l, KoperasiCommand::FormGroup(spec(&[1, 1], 1))).unwrap_err();
    assert!(matches!(err, LedgerError::InvalidGroup { field: "members", .. }));
    let err = kop(&mut l, KoperasiCommand::FormGroup(spec(&[], 1))).unwrap_err();
    assert!(matches!(err, LedgerError::InvalidGroup { field: "members", .. }));
    kop(&mut l, KoperasiCommand::FormGroup(spec(&[1, 2], 1))).unwrap();
    assert!(kop(&mut l, KoperasiCommand::FormGroup(spec(&[1, 2], 1))).unwrap().is_empty());
    let err = kop(&mut l, KoperasiCommand::FormGroup(spec(&[1, 2], 2))).unwrap_err();
    assert!(matches!(err, LedgerError::ExistsWithDifferentField { field: "chair", .. }));
    // Loans: only a member's, only one group.
    disburse(&mut l, 7, 7, 2, d(2026, 1, 5));
    let err = kop(&mut l, KoperasiCommand::LinkLoan { group: group_id(1), loan: loan_id(7) })
        .unwrap_err();
    assert!(matches!(err, LedgerError::NotGroupMember { .. }));
    let err = kop(&mut l, KoperasiCommand::LinkLoan { group: group_id(9), loan: loan_id(7) })
        .unwrap_err();
    assert!(matches!(err, LedgerError::UnknownGroup { .. }));
    disburse(&mut l, 1, 1, 2, d(2026, 1, 5));
    kop(&mut l, KoperasiCommand::LinkLoan { group: group_id(1), loan: loan_id(1) }).unwrap();
    assert!(
        kop(&mut l, KoperasiCommand::LinkLoan { group: group_id(1), loan: loan_id(1) })
            .unwrap()
            .is_empty()
    );
    let mut other = spec(&[1], 1);
    other.id = group_id(2);
    kop(&mut l, KoperasiCommand::FormGroup(other)).unwrap();
    let err = kop(&mut l, KoperasiCommand::LinkLoan { group: group_id(2), loan: loan_id(1) })
        .unwrap_err();
    assert!(matches!(err, LedgerError::LoanInOtherGroup { .. }));
    assert_eq!(l.loan_group(loan_id(1)), Some(group_id(1)));
    let cal = l.group(group_id(1)).unwrap().spec.calendar;
    assert!(cal.is_meeting_day(week(3)) && !cal.is_meeting_day(d(2026, 1, 13)));
    assert_eq!(cal.next_meeting(d(2026, 1, 13)), Some(week(1)));
}

#[test]
fn collection_sheet_and_a_meeting_recorded_in_one_go() {
    let mut l = group_of(3);
    // The weekly loan: 25 × (20,000 principal + 9,615/9,616 flat interest).
    let sheet = l.collection_sheet(group_id(1), week(0)).unwrap();
    assert_eq!(sheet.lines.len(), 3);
    let one = sheet.lines[0].loans[0].1.total().unwrap();
    assert!(one > dec(20_000) && one < dec(30_000), "{one}");
    // Wajib: first due 5 Feb, so nothing yet.
    assert_eq!(sheet.wajib_due, dec(0));
    assert_eq!(sheet.total, sheet.lines.iter().map(|x| x.total).sum::<Decimal>());
    let cash = net(&l, KAS);
    let lines: Vec<MeetingLine> = sheet
        .lines
        .iter()
        .enumerate()
        .map(|(k, x)| MeetingLine::Loan {
            loan: x.loans[0].0,
            entry: e(500 + k as u128),
            amount: x.loan_due,
        })
        .collect();
    let events = kop(
        &mut l,
        KoperasiCommand::RecordMeeting { group: group_id(1), date: week(0), lines: lines.clone() },
    )
    .unwrap();
    assert_eq!(events.len(), 4);
    assert_eq!(net(&l, KAS) - cash, sheet.total);
    assert_eq!(l.collection_sheet(group_id(1), week(0)).unwrap().total, dec(0));
    // Retried: nothing. Errors: not a meeting day, a loan twice, a foreign loan.
    assert!(
        kop(&mut l, KoperasiCommand::RecordMeeting { group: group_id(1), date: week(0), lines })
            .unwrap()
            .is_empty()
    );
    let err = kop(
        &mut l,
        KoperasiCommand::RecordMeeting { group: group_id(1), date: d(2026, 1, 13), lines: vec![] },
    )
    .unwrap_err();
    assert!(matches!(err, LedgerError::NotAMeetingDay { .. }));
    let twice = vec![
        MeetingLine::Loan { loan: loan_id(1), entry: e(600), amount: dec(1_000) },
        MeetingLine::Loan { loan: loan_id(1), entry: e(601), amount: dec(1_000) },
    ];
    let err = kop(
        &mut l,
        KoperasiCommand::RecordMeeting { group: group_id(1), date: week(1), lines: twice },
    )
    .unwrap_err();
    assert!(matches!(err, LedgerError::DuplicateMeetingLine { .. }));
    disburse(&mut l, 9, 9, 2, d(2026, 1, 5));
    let foreign = vec![MeetingLine::Loan { loan: loan_id(9), entry: e(602), amount: dec(1_000) }];
    let err = kop(
        &mut l,
        KoperasiCommand::RecordMeeting { group: group_id(1), date: week(1), lines: foreign },
    )
    .unwrap_err();
    assert!(matches!(err, LedgerError::LoanNotInGroup { .. }));
    let outsider =
        vec![MeetingLine::Wajib { member: person(9), entry: e(603), amount: dec(25_000) }];
    let err = kop(
        &mut l,
        KoperasiCommand::RecordMeeting { group: group_id(1), date: week(1), lines: outsider },
    )
    .unwrap_err();
    assert!(matches!(err, LedgerError::NotGroupMember { .. }));
    // Four weeks on, wajib (due 5 Feb) appears and member 2's arrears add up.
    let sheet = l.collection_sheet(group_id(1), week(4)).unwrap();
    assert_eq!(sheet.wajib_due, dec(75_000));
    assert_eq!(sheet.lines[1].loans[0].1.principal, dec(80_000));
    let wajib = vec![MeetingLine::Wajib { member: person(2), entry: e(604), amount: dec(25_000) }];
    kop(&mut l, KoperasiCommand::RecordMeeting { group: group_id(1), date: week(4), lines: wajib })
        .unwrap();
    assert_eq!(l.collection_sheet(group_id(1), week(4)).unwrap().wajib_due, dec(50_000));
    assert!(balanced(&l));
    sub_ledger_matches(&l);
}

#[test]
fn a_group_payment_is_the_groups_and_the_members_arrears_stay_visible() {
    let mut l = group_of(2);
    // Member 2 misses weeks 0..=3; member 1 pays at each meeting.
    for k in 0..4 {
        let due = l.collection_sheet(group_id(1), week(k)).unwrap().lines[0].loan_due;
        let lines = vec![MeetingLine::Loan {
            loan: loan_id(1),
            entry: e(650 + u128::from(k as u8)),
            amount: due,
        }];
        kop(&mut l, KoperasiCommand::RecordMeeting { group: group_id(1), date: week(k), lines })
            .unwrap();
    }
    let as_of = week(4);
    let owed = l.collection_sheet(group_id(1), week(3)).unwrap().lines[1].loan_due;
    let before = l.member_arrears(loan_id(2), as_of).unwrap();
    assert_eq!(before.0, 28);
    let r = Repayment::new(loan_id(2), e(700), week(4), owed);
    let events =
        kop(&mut l, KoperasiCommand::GroupPays { group: group_id(1), repayment: r.clone() })
            .unwrap();
    assert_eq!(events.len(), 2);
    let loan = l.loan(loan_id(2)).unwrap();
    assert_eq!(loan.days_past_due(as_of), 0);
    assert_eq!(loan.transactions().last().unwrap().payer, Some(Payer::Group(group_id(1))));
    assert_eq!(l.member_arrears(loan_id(2), as_of).unwrap(), before);
    let cover = &l.group(group_id(1)).unwrap().covers[0];
    assert_eq!((cover.member, cover.member_days_past_due), (person(2), 28));
    // Group PAR-7 shows nothing; member PAR-7 shows member 2's loan.
    let par = l.group_par(group_id(1), as_of, 7).unwrap();
    assert_eq!(par.group_at_risk, dec(0));
    assert_eq!(par.member_at_risk, l.loan(loan_id(2)).unwrap().outstanding().unwrap().principal);
    assert!(par.member_ratio.unwrap() > dec(0));
    // Retry records nothing; a loan of another group is refused.
    assert!(
        kop(&mut l, KoperasiCommand::GroupPays { group: group_id(1), repayment: r })
            .unwrap()
            .is_empty()
    );
    disburse(&mut l, 9, 9, 2, d(2026, 1, 5));
    let err = kop(
        &mut l,
        KoperasiCommand::GroupPays {
            group: group_id(1),
            repayment: Repayment::new(loan_id(9), e(701), week(4), dec(1)),
        },
    )
    .unwrap_err();
    assert!(matches!(err, LedgerError::LoanNotInGroup { .. }));
    assert!(balanced(&l));
}

// ------------------------------------------------------------------ relief

fn incident() -> tangguh_core::IncidentId {
    tangguh_core::IncidentId::from_bits(IdBits::from_u128(77))
}

/// Loan 1 (monthly, Rp 1,200,000 × 12 from 1 Jan) pays February only; the
/// flood strikes 15 April; relief on 1 May.
fn flooded() -> Ledger {
    let mut l = koperasi();
    disburse(&mut l, 1, 1, 1, d(2026, 1, 1));
    let first = l.loan(loan_id(1)).unwrap().installments()[0].due.total().unwrap();
    run(&mut l, LedgerCommand::Repay(Repayment::new(loan_id(1), e(800), d(2026, 2, 1), first)))
        .unwrap();
    l
}

fn relief(policy: ReliefPolicy) -> KoperasiCommand {
    KoperasiCommand::Relieve(ReliefRequest::new(
        incident(),
        d(2026, 4, 15),
        d(2026, 5, 1),
        vec![person(1), person(99)],
        policy,
    ))
}

#[test]
fn relief_reschedules_from_the_relief_date_and_freezes_the_class() {
    let mut l = flooded();
    let principal = l.loan(loan_id(1)).unwrap().outstanding().unwrap().principal;
    let books = l.trial_balance().unwrap();
    let until = d(2027, 4, 30);
    let policy = ReliefPolicy::new(
        3,
        HolidayInterest::Deferred,
        2,
        ClassificationTreatment::FrozenAtPreDisaster { until },
    );
    let events = kop(&mut l, relief(policy)).unwrap();
    assert_eq!(events.len(), 1);
    let r = &l.reliefs(loan_id(1))[0];
    assert_eq!(r.incident, incident());
    // 8 installments were not yet due (Jun..Jan), + 3 holiday + 2 extension.
    assert_eq!(r.installments.len(), 13);
    assert_eq!(r.terms.disbursement_date, d(2026, 5, 1));
    assert_eq!(r.rescheduled.principal, principal);
    // 44 days past due on the incident date (1 Mar unpaid): DPK.
    assert_eq!(r.pre_disaster_days_past_due, 45);
    assert_eq!(r.pre_disaster_class, Kolektibilitas::DalamPerhatianKhusus);
    let loan = l.loan(loan_id(1)).unwrap();
    assert_eq!(loan.outstanding().unwrap().principal, principal);
    assert_eq!(loan.days_past_due(d(2026, 5, 2)), 0);
    // No principal in the holiday; arrears interest is carried after it.
    let new = &loan.installments()[12..];
    assert_eq!(new[0].n, 13);
    assert!(new[..3].iter().all(|i| i.due.principal.is_zero() && i.due.interest.is_zero()));
    assert!(new[3].due.interest > new[4].due.interest);
    // Nothing posted: the books are as they were.
    assert_eq!(l.trial_balance().unwrap(), books);
    assert!(l.is_restructured(loan_id(1)));
    // Class frozen at DPK until `until`, whatever the arrears.
    let table = KolektibilitasTable::OJK_BANK;
    assert_eq!(
        l.classification(loan_id(1), d(2026, 11, 28), &table).unwrap(),
        Kolektibilitas::DalamPerhatianKhusus
    );
    // Same incident again: nothing.
    assert!(kop(&mut l, relief(policy)).unwrap().is_empty());
}

#[test]
fn waived_holiday_interest_costs_less_than_deferred_and_bad_policies_are_refused() {
    let total = |h| {
        let mut l = flooded();
        kop(&mut l, relief(ReliefPolicy::new(3, h, 0, ClassificationTreatment::ByArrears)))
            .unwrap();
        l.reliefs(loan_id(1))[0].installments.iter().map(|i| i.due.interest).sum::<Decimal>()
    };
    assert!(total(HolidayInterest::Waived) < total(HolidayInterest::Deferred));
    let mut l = flooded();
    kop(
        &mut l,
        relief(ReliefPolicy::new(
            0,
            HolidayInterest::Waived,
            0,
            ClassificationTreatment::ByArrears,
        )),
    )
    .unwrap();
    assert_eq!(
        l.classification(loan_id(1), d(2026, 5, 2), &KolektibilitasTable::OJK_BANK).unwrap(),
        Kolektibilitas::Lancar
    );
    let mut l = flooded();
    let err = kop(
        &mut l,
        relief(ReliefPolicy::new(
            200,
            HolidayInterest::Waived,
            0,
            ClassificationTreatment::ByArrears,
        )),
    )
    .unwrap_err();
    assert!(matches!(err, LedgerError::InvalidReliefPolicy { field: "holiday_periods", .. }));
    let frozen = ClassificationTreatment::FrozenAtPreDisaster { until: d(2026, 4, 1) };
    let err =
        kop(&mut l, relief(ReliefPolicy::new(1, HolidayInterest::Waived, 0, frozen))).unwrap_err();
    assert!(matches!(err, LedgerError::InvalidReliefPolicy { field: "classification.until", .. }));
    let bad = ReliefRequest::new(
        incident(),
        d(2026, 5, 2),
        d(2026, 5, 1),
        vec![person(1)],
        ReliefPolicy::new(1, HolidayInterest::Waived, 0, ClassificationTreatment::ByArrears),
    );
    let err = kop(&mut l, KoperasiCommand::Relieve(bad)).unwrap_err();
    assert!(matches!(err, LedgerError::InvalidReliefPolicy { field: "incident_date", .. }));
}

// ------------------------------------------------------------------ properties

#[derive(Clone, Debug)]
enum Step {
    Deposit { m: u128, amount: i64, day: u32 },
    Withdraw { m: u128, amount: i64, day: u32 },
    Wajib { m: u128, amount: i64, day: u32 },
    Jasa { day: u32 },
    Exit { m: u128, day: u32 },
    Repay { m: u128, amount: i64, day: u32 },
    GroupPays { m: u128, amount: i64, day: u32 },
    Meeting { week: u32, amount: i64 },
    Relief { holiday: u32, waived: bool, day: u32 },
}

fn step() -> impl Strategy<Value = Step> {
    let m = 1..=4u128;
    prop_oneof![
        3 => (m.clone(), 1..3_000_000i64, 0..300u32).prop_map(|(m, amount, day)| Step::Deposit { m, amount, day }),
        2 => (m.clone(), 1..3_000_000i64, 0..300u32).prop_map(|(m, amount, day)| Step::Withdraw { m, amount, day }),
        2 => (m.clone(), 1..100_000i64, 0..300u32).prop_map(|(m, amount, day)| Step::Wajib { m, amount, day }),
        1 => (0..300u32).prop_map(|day| Step::Jasa { day }),
        1 => (m.clone(), 0..300u32).prop_map(|(m, day)| Step::Exit { m, day }),
        2 => (m.clone(), 1..100_000i64, 0..300u32).prop_map(|(m, amount, day)| Step::Repay { m, amount, day }),
        2 => (m, 1..100_000i64, 0..300u32).prop_map(|(m, amount, day)| Step::GroupPays { m, amount, day }),
        1 => (0..40u32, 1..60_000i64).prop_map(|(week, amount)| Step::Meeting { week, amount }),
        1 => (0..4u32, any::<bool>(), 0..300u32).prop_map(|(holiday, waived, day)| Step::Relief { holiday, waived, day }),
    ]
}

fn check_invariants(l: &Ledger) -> Result<(), TestCaseError> {
    prop_assert!(balanced(l));
    for m in l.members() {
        for kind in [SavingsKind::Pokok, SavingsKind::Wajib, SavingsKind::Sukarela] {
            prop_assert!(m.balances.get(kind) >= Decimal::ZERO, "{kind:?} of {}", m.person);
        }
    }
    prop_assert!(-net(l, SUKARELA) >= Decimal::ZERO);
    sub_ledger_matches(l);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// The books balance, savings never go negative, a group payment never
    /// lowers the member's own arrears, and replaying the journal (also
    /// through JSON) or loading a snapshot gives the same state.
    #[test]
    fn koperasi_invariants_and_replay(steps in prop::collection::vec(step(), 0..25)) {
        let clock = Arc::new(FixedClock::wib(2026, 11, 28, 9, 0));
        let mut book: Book<Ledger, _> = Book::open(MemoryJournal::new(), clock.clone()).unwrap();
        let actor = Actor::try_new("kasir").unwrap();
        let mut all = setup();
        for m in 1..=4u128 {
            all.push(LedgerCommand::Koperasi(KoperasiCommand::Join { member: person(m), entry: e(10_000 + m), date: d(2026, 1, 5), kelurahan: None }));
        }
        all.push(LedgerCommand::Koperasi(KoperasiCommand::FormGroup(spec(&[1, 2, 3, 4], 1))));
        for m in 1..=4u128 {
            let app = LoanApplication::new(loan_id(m), ProductId::from_bits(IdBits::from_u128(2)), person(m), d(2026, 1, 5), dec(500_000), d(2026, 1, 5));
            all.push(LedgerCommand::SubmitLoan(app));
            all.push(LedgerCommand::ApproveLoan { loan: loan_id(m), date: d(2026, 1, 5) });
            all.push(LedgerCommand::DisburseLoan { loan: loan_id(m), entry: e(20_000 + m), date: d(2026, 1, 5) });
            all.push(LedgerCommand::Koperasi(KoperasiCommand::LinkLoan { group: group_id(1), loan: loan_id(m) }));
        }
        for c in all {
            book.run(&actor, c).unwrap();
        }
        let day = |n: u32| d(2026, 1, 5) + chrono::Days::new(u64::from(n));
        for (i, s) in steps.into_iter().enumerate() {
            let id = 100_000 + 100 * i as u128;
            let command = match &s {
                Step::Deposit { m, amount, day: n } => KoperasiCommand::Deposit(pay(*m, id, day(*n), *amount)),
                Step::Withdraw { m, amount, day: n } => KoperasiCommand::Withdraw(pay(*m, id, day(*n), *amount)),
                Step::Wajib { m, amount, day: n } => KoperasiCommand::PayWajib(pay(*m, id, day(*n), *amount)),
                Step::Jasa { day: n } => KoperasiCommand::PostJasa { entry: e(id), through: day(*n) },
                Step::Exit { m, day: n } => KoperasiCommand::Exit { member: person(*m), entry: e(id), date: day(*n) },
                Step::Repay { m, amount, day: n } => {
                    let _ = book.run(&actor, LedgerCommand::Repay(Repayment::new(loan_id(*m), e(id), day(*n), dec(*amount))));
                    check_invariants(book.state())?;
                    continue;
                }
                Step::GroupPays { m, amount, day: n } => KoperasiCommand::GroupPays {
                    group: group_id(1),
                    repayment: Repayment::new(loan_id(*m), e(id), day(*n), dec(*amount)),
                },
                Step::Meeting { week: k, amount } => {
                    let lines = (1..=4u128)
                        .map(|m| MeetingLine::Loan { loan: loan_id(m), entry: e(id + m), amount: dec(*amount) })
                        .collect();
                    KoperasiCommand::RecordMeeting { group: group_id(1), date: week(u64::from(*k)), lines }
                }
                Step::Relief { holiday, waived, day: n } => {
                    let h = if *waived { HolidayInterest::Waived } else { HolidayInterest::Deferred };
                    let policy = ReliefPolicy::new(*holiday, h, 1, ClassificationTreatment::ByArrears);
                    let inc = tangguh_core::IncidentId::from_bits(IdBits::from_u128(id));
                    KoperasiCommand::Relieve(ReliefRequest::new(inc, day(*n), day(*n), vec![person(1), person(3)], policy))
                }
            };
            let before: Vec<(u32, tangguh_ledger::Components)> =
                (1..=4u128).map(|m| book.state().member_arrears(loan_id(m), day(299)).unwrap()).collect();
            // Refusals are fine; they must change nothing (checked by replay).
            let ok = book.run(&actor, LedgerCommand::Koperasi(command)).is_ok();
            check_invariants(book.state())?;
            if let (true, Step::GroupPays { m, .. }) = (ok, &s) {
                let after = book.state().member_arrears(loan_id(*m), day(299)).unwrap();
                let b = before[(*m - 1) as usize];
                prop_assert!(after.0 >= b.0 && after.1.total().unwrap() >= b.1.total().unwrap());
            }
        }
        let replayed: Book<Ledger, _> = Book::open(book.journal().clone(), clock).unwrap();
        prop_assert_eq!(replayed.state(), book.state());
        let mut from_json = Ledger::new();
        for r in book.journal().records() {
            let text = serde_json::to_string(&r.event).unwrap();
            let event: LedgerEvent = serde_json::from_str(&text).unwrap();
            from_json.apply(&event);
        }
        prop_assert_eq!(&from_json, book.state());

        // Through the ledger's stored form (a snapshot): the same state, and
        // the same text when stored again.
        let text = serde_json::to_string(book.state()).unwrap();
        let restored: Ledger = serde_json::from_str(&text).unwrap();
        prop_assert_eq!(&restored, book.state());
        prop_assert_eq!(serde_json::to_string(&restored).unwrap(), text);
    }
}

// ------------------------------------------------------------------ reports

use std::collections::BTreeMap;
use tangguh_core::RegionCode;

fn kel(n: u32) -> RegionCode {
    format!("62.71.05.{}", 1000 + n).parse().unwrap()
}

/// Three members (kelurahan 1, 1, 2) with savings and monthly loans, some
/// repayments in 2026, loan 2 relieved.
fn busy() -> Ledger {
    let mut l = koperasi();
    for m in 1..=3u128 {
        let k = if m == 3 { 2 } else { 1 };
        kop(
            &mut l,
            KoperasiCommand::Join {
                member: person(m),
                entry: e(10_000 + m),
                date: d(2026, 1, 1),
                kelurahan: Some(kel(k)),
            },
        )
        .unwrap();
        kop(&mut l, KoperasiCommand::Deposit(pay(m, 100 + m, d(2026, 1, 1), 333_333 * m as i64)))
            .unwrap();
        disburse(&mut l, m, m, 1, d(2026, 1, 1));
    }
    for m in [1u128, 3] {
        for (k, month) in (2..=5u32).enumerate() {
            let due = l.loan(loan_id(m)).unwrap().installments()[k].due.total().unwrap();
            run(
                &mut l,
                LedgerCommand::Repay(Repayment::new(
                    loan_id(m),
                    e(1_000 * m + k as u128),
                    d(2026, month, 1),
                    due,
                )),
            )
            .unwrap();
        }
        kop(&mut l, KoperasiCommand::PayWajib(pay(m, 200 + m, d(2026, 5, 1), 100_000))).unwrap();
    }
    let policy =
        ReliefPolicy::new(2, HolidayInterest::Waived, 0, ClassificationTreatment::ByArrears);
    kop(
        &mut l,
        KoperasiCommand::Relieve(ReliefRequest::new(
            incident(),
            d(2026, 5, 20),
            d(2026, 6, 1),
            vec![person(2)],
            policy,
        )),
    )
    .unwrap();
    kop(&mut l, KoperasiCommand::PostJasa { entry: e(300), through: d(2026, 6, 30) }).unwrap();
    l
}

#[test]
fn member_statements_add_up_to_the_books() {
    let l = busy();
    let (from, to) = (d(2026, 3, 1), d(2026, 6, 30));
    let statements: Vec<_> =
        (1..=3u128).map(|m| l.member_statement(person(m), from, to).unwrap()).collect();
    for (k, (kind, account)) in [
        (SavingsKind::Pokok, POKOK),
        (SavingsKind::Wajib, WAJIB),
        (SavingsKind::Sukarela, SUKARELA),
    ]
    .into_iter()
    .enumerate()
    {
        let closing: Decimal = statements.iter().map(|s| s.savings[k].closing).sum();
        let opening: Decimal = statements.iter().map(|s| s.savings[k].opening).sum();
        assert_eq!(statements[0].savings[k].kind, kind);
        assert_eq!(closing, -l.balance_as_of(&code(account), Currency::IDR, to).unwrap().net);
        assert_eq!(
            opening,
            -l.balance_as_of(&code(account), Currency::IDR, d(2026, 2, 28)).unwrap().net
        );
        for s in &statements {
            let moved: Decimal = s.savings[k].lines.iter().map(|t| t.amount).sum();
            assert_eq!(s.savings[k].opening + moved, s.savings[k].closing);
        }
    }
    let principal: Decimal =
        statements.iter().flat_map(|s| &s.loans).map(|x| x.closing_principal).sum();
    assert_eq!(principal, l.balance_as_of(&code(PINJAMAN), Currency::IDR, to).unwrap().net);
    let opening: Decimal =
        statements.iter().flat_map(|s| &s.loans).map(|x| x.opening_principal).sum();
    assert_eq!(
        opening,
        l.balance_as_of(&code(PINJAMAN), Currency::IDR, d(2026, 2, 28)).unwrap().net
    );
    let interest: Decimal = statements.iter().flat_map(|s| &s.loans).map(|x| x.paid.interest).sum();
    let income = l.balance_as_of(&code(BUNGA), Currency::IDR, to).unwrap().net
        - l.balance_as_of(&code(BUNGA), Currency::IDR, d(2026, 2, 28)).unwrap().net;
    assert_eq!(interest, -income);
    assert!(statements[1].loans[0].restructured);
    assert!(matches!(
        l.member_statement(person(9), from, to),
        Err(LedgerError::UnknownMember { .. })
    ));
}

#[test]
fn portfolio_per_kelurahan_adds_up_to_the_loan_portfolio() {
    let l = busy();
    let mut supplied = BTreeMap::new();
    supplied.insert(person(1), kel(3)); // supplied beats recorded
    let p = l.portfolio_by_kelurahan(d(2026, 6, 2), Currency::IDR, &supplied).unwrap();
    assert_eq!(p.lines.len(), 3);
    assert_eq!(p.outstanding, net(&l, PINJAMAN));
    assert_eq!(p.lines.iter().map(|x| x.outstanding).sum::<Decimal>(), p.outstanding);
    let k1 = p.lines.iter().find(|x| x.kelurahan == Some(kel(1))).unwrap();
    assert_eq!((k1.loans, k1.restructured_loans), (1, 1));
    // Restructured counts in PAR30.
    assert_eq!(k1.par30, k1.outstanding);
    assert_eq!(p.par30, k1.par30);
    let classes = l.classes_with_relief(d(2026, 6, 2), &KolektibilitasTable::OJK_BANK);
    assert_eq!(classes.len(), 3);
}

#[test]
fn shu_shares_sum_exactly_and_follow_savings_and_interest() {
    let l = busy();
    let shu = l.shu_allocation(2026, "1000000.01".parse().unwrap(), dec(500_000)).unwrap();
    let total: Decimal = shu.lines.iter().map(|x| x.total).sum();
    assert_eq!(total, "1500000.01".parse::<Decimal>().unwrap());
    assert_eq!(shu.lines.iter().map(|x| x.savings_part).sum::<Decimal>(), shu.savings_share);
    // Member 2 paid no interest: no loan part.
    assert_eq!(shu.lines[1].loan_part, dec(0));
    // Interest paid by members is the year's interest income.
    let year_income = l.balance_as_of(&code(BUNGA), Currency::IDR, d(2026, 12, 31)).unwrap().net;
    assert_eq!(shu.total_interest, -year_income);
    let savings: Decimal = [POKOK, WAJIB, SUKARELA].iter().map(|a| -net(&l, a)).sum();
    assert_eq!(shu.total_savings, savings);
    let err = l.shu_allocation(2025, dec(0), dec(1)).unwrap_err();
    assert!(matches!(err, LedgerError::NoShuBase { pool: "loans", .. }));
    let err = l.shu_allocation(2026, dec(-1), dec(0)).unwrap_err();
    assert!(matches!(err, LedgerError::AmountNotPositive { .. }));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Largest-remainder shares always sum exactly to the amount and are
    /// never negative.
    #[test]
    fn shu_shares_sum_to_the_distributable_amount(
        total in 0..10_000_000_000i64,
        weights in prop::collection::vec(0..1_000_000_000i64, 1..40),
        digits in 0..3u32,
    ) {
        let total = Decimal::new(total, digits);
        let weights: Vec<Decimal> = weights.into_iter().map(|w| Decimal::new(w, 2)).collect();
        match tangguh_ledger::allocate_largest_remainder(total, &weights, digits) {
            Ok(parts) => {
                prop_assert_eq!(parts.iter().copied().sum::<Decimal>(), total);
                prop_assert!(parts.iter().all(|p| *p >= Decimal::ZERO));
            }
            Err(LedgerError::NoShuBase { .. }) => prop_assert!(weights.iter().all(|w| w.is_zero())),
            Err(other) => prop_assert!(false, "{}", other),
        }
    }
}

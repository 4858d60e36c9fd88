//! The ledger's koperasi part: deciding and applying savings, group and
//! relief commands, and their queries. A child of the ledger module so the
//! postings go through the same books and loan machinery.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use tangguh_core::{Context, Money, OrganizationId, PersonId};

use super::Ledger;
use crate::account::AccountType;
use crate::arrears::{Kolektibilitas, KolektibilitasTable};
use crate::entry::{JournalEntry, Posting};
use crate::error::LedgerError;
use crate::event::LedgerEvent;
use crate::group::{CollectionLine, CollectionSheet, Group, GroupCover, GroupPar, MeetingLine};
use crate::ids::{EntryId, LoanId};
use crate::koperasi::{KoperasiCommand, KoperasiEvent, SavingsPayment};
use crate::loan::{
    Allocation, Components, Loan, LoanStatus, LoanTransaction, LoanTransactionKind, Payer,
    Repayment, add, installments_from_schedule,
};
use crate::relief::{ClassificationTreatment, HolidayInterest, Relief, ReliefRequest};
use crate::savings::{
    Member, SavingsKind, SavingsMovement, SavingsScheme, SavingsTransaction, WajibArrears,
};
use crate::schedule::{ScheduleType, generate_schedule};

fn ev(e: KoperasiEvent) -> LedgerEvent {
    LedgerEvent::Koperasi(e)
}

fn overflow(operation: &'static str) -> LedgerError {
    LedgerError::Overflow { operation }
}

/// The most periods a relief may add (holiday plus extension).
const MAX_RELIEF_PERIODS: u32 = 120;

impl Ledger {
    // ---------------------------------------------------------------- queries

    /// The savings scheme, once configured.
    #[must_use]
    pub fn savings_scheme(&self) -> Option<&SavingsScheme> {
        self.koperasi.scheme.as_ref()
    }

    /// A koperasi member (also after exit).
    #[must_use]
    pub fn member(&self, person: PersonId) -> Option<&Member> {
        self.koperasi.members.get(&person)
    }

    /// Every member, by person id.
    pub fn members(&self) -> impl Iterator<Item = &Member> {
        self.koperasi.members.values()
    }

    /// A group.
    #[must_use]
    pub fn group(&self, id: OrganizationId) -> Option<&Group> {
        self.koperasi.groups.get(&id)
    }

    /// Every group, by id.
    pub fn groups(&self) -> impl Iterator<Item = &Group> {
        self.koperasi.groups.values()
    }

    /// The group a loan is linked to.
    #[must_use]
    pub fn loan_group(&self, loan: LoanId) -> Option<OrganizationId> {
        self.koperasi.group_of_loan.get(&loan).copied()
    }

    /// The reliefs granted on a loan, oldest first.
    #[must_use]
    pub fn reliefs(&self, loan: LoanId) -> &[Relief] {
        self.koperasi.reliefs.get(&loan).map_or(&[], Vec::as_slice)
    }

    /// Whether a loan was restructured by a relief.
    #[must_use]
    pub fn is_restructured(&self, loan: LoanId) -> bool {
        self.koperasi.reliefs.contains_key(&loan)
    }

    /// A member's simpanan wajib arrears as of `as_of`.
    ///
    /// # Errors
    ///
    /// [`LedgerError::SavingsNotConfigured`]; [`LedgerError::UnknownMember`];
    /// [`LedgerError::Overflow`].
    pub fn wajib_arrears(
        &self,
        member: PersonId,
        as_of: NaiveDate,
    ) -> Result<WajibArrears, LedgerError> {
        let scheme = self.scheme()?;
        self.known_member(member)?.wajib_arrears(scheme, as_of)
    }

    /// The member's own arrears on a loan as of `as_of`: days past due and
    /// overdue amounts counting only what the borrower (or another person)
    /// paid, not what a group paid for them.
    ///
    /// # Errors
    ///
    /// [`LedgerError::UnknownLoan`]; [`LedgerError::Overflow`].
    pub fn member_arrears(
        &self,
        loan: LoanId,
        as_of: NaiveDate,
    ) -> Result<(u32, Components), LedgerError> {
        let loan = self.loans.get(&loan).ok_or(LedgerError::UnknownLoan { loan })?;
        member_arrears(loan, as_of)
    }

    /// The member's own days past due on a loan (see [`Self::member_arrears`]).
    ///
    /// # Errors
    ///
    /// As [`Self::member_arrears`].
    pub fn member_days_past_due(&self, loan: LoanId, as_of: NaiveDate) -> Result<u32, LedgerError> {
        Ok(self.member_arrears(loan, as_of)?.0)
    }

    /// The class of a loan as of `as_of`, relief treatment included: a loan
    /// relieved under [`ClassificationTreatment::FrozenAtPreDisaster`] keeps
    /// its pre-disaster class from the relief date to `until`.
    ///
    /// # Errors
    ///
    /// [`LedgerError::UnknownLoan`].
    pub fn classification(
        &self,
        loan: LoanId,
        as_of: NaiveDate,
        table: &KolektibilitasTable,
    ) -> Result<Kolektibilitas, LedgerError> {
        let l = self.loans.get(&loan).ok_or(LedgerError::UnknownLoan { loan })?;
        Ok(self.class_of(l, as_of, table))
    }

    pub(crate) fn class_of(
        &self,
        loan: &Loan,
        as_of: NaiveDate,
        table: &KolektibilitasTable,
    ) -> Kolektibilitas {
        if let Some(r) = self.reliefs(loan.id()).last()
            && let ClassificationTreatment::FrozenAtPreDisaster { until } = r.policy.classification
            && as_of >= r.date
            && as_of <= until
        {
            return r.pre_disaster_class;
        }
        loan.kolektibilitas(as_of, table)
    }

    /// The collection sheet of a group for a meeting on `date`: per member,
    /// what is due on their linked active loans on or before the date
    /// (arrears included) and the simpanan wajib they owe.
    ///
    /// # Errors
    ///
    /// [`LedgerError::UnknownGroup`]; [`LedgerError::Overflow`].
    pub fn collection_sheet(
        &self,
        group: OrganizationId,
        date: NaiveDate,
    ) -> Result<CollectionSheet, LedgerError> {
        let g = self.known_group(group)?;
        let mut lines = Vec::with_capacity(g.loans.len());
        let (mut loan_total, mut wajib_total) = (Decimal::ZERO, Decimal::ZERO);
        for (member, loans) in &g.loans {
            let mut per_loan = Vec::with_capacity(loans.len());
            let mut loan_due = Decimal::ZERO;
            for id in loans {
                let Some(loan) = self.loans.get(id) else { continue };
                if loan.status() != LoanStatus::Active {
                    continue;
                }
                let due = due_by(loan, date)?;
                if !due.is_zero() {
                    loan_due = add(loan_due, due.total()?)?;
                    per_loan.push((*id, due));
                }
            }
            let wajib_due = match (&self.koperasi.scheme, self.koperasi.members.get(member)) {
                (Some(s), Some(m)) if m.is_active() => m.wajib_arrears(s, date)?.owed,
                _ => Decimal::ZERO,
            };
            loan_total = add(loan_total, loan_due)?;
            wajib_total = add(wajib_total, wajib_due)?;
            lines.push(CollectionLine {
                member: *member,
                loans: per_loan,
                loan_due,
                wajib_due,
                total: add(loan_due, wajib_due)?,
            });
        }
        Ok(CollectionSheet {
            group,
            date,
            lines,
            loan_due: loan_total,
            wajib_due: wajib_total,
            total: add(loan_total, wajib_total)?,
        })
    }

    /// PAR-`days` of a group's active loans, by the loans' arrears (what the
    /// koperasi sees once the group paid) and by the members' own arrears.
    ///
    /// # Errors
    ///
    /// [`LedgerError::UnknownGroup`]; [`LedgerError::Overflow`].
    pub fn group_par(
        &self,
        group: OrganizationId,
        as_of: NaiveDate,
        days: u32,
    ) -> Result<GroupPar, LedgerError> {
        let g = self.known_group(group)?;
        let (mut gross, mut group_risk, mut member_risk) =
            (Decimal::ZERO, Decimal::ZERO, Decimal::ZERO);
        for id in g.linked_loans() {
            let Some(loan) = self.loans.get(&id) else { continue };
            if loan.status() != LoanStatus::Active {
                continue;
            }
            let p = loan.outstanding()?.principal;
            gross = add(gross, p)?;
            if loan.days_past_due(as_of) > days {
                group_risk = add(group_risk, p)?;
            }
            if member_arrears(loan, as_of)?.0 > days {
                member_risk = add(member_risk, p)?;
            }
        }
        let ratio = |x: Decimal| if gross.is_zero() { None } else { x.checked_div(gross) };
        Ok(GroupPar {
            group,
            as_of,
            days,
            gross_principal: gross,
            group_at_risk: group_risk,
            member_at_risk: member_risk,
            group_ratio: ratio(group_risk),
            member_ratio: ratio(member_risk),
        })
    }

    // ---------------------------------------------------------------- helpers

    fn scheme(&self) -> Result<&SavingsScheme, LedgerError> {
        self.koperasi.scheme.as_ref().ok_or(LedgerError::SavingsNotConfigured)
    }

    fn known_member(&self, member: PersonId) -> Result<&Member, LedgerError> {
        self.koperasi.members.get(&member).ok_or(LedgerError::UnknownMember { member })
    }

    fn known_group(&self, group: OrganizationId) -> Result<&Group, LedgerError> {
        self.koperasi.groups.get(&group).ok_or(LedgerError::UnknownGroup { group })
    }

    fn active_member(&self, member: PersonId) -> Result<&Member, LedgerError> {
        let m = self.known_member(member)?;
        if let Some(date) = m.exited_on {
            return Err(LedgerError::MemberExited { member, date });
        }
        Ok(m)
    }

    fn amount_ok(
        amount: Decimal,
        scheme: &SavingsScheme,
        field: &'static str,
    ) -> Result<Money, LedgerError> {
        if amount <= Decimal::ZERO {
            return Err(LedgerError::AmountNotPositive { field, amount });
        }
        let m = Money::new(amount, scheme.currency);
        if amount.normalize().scale() > scheme.currency.minor_digits() {
            return Err(LedgerError::TooManyDecimals { amount: m });
        }
        Ok(m)
    }

    fn entry_taken(&self, entry: EntryId) -> Result<(), LedgerError> {
        if self.entries.contains_key(&entry) {
            return Err(LedgerError::ExistsWithDifferentField {
                id: entry.to_string(),
                field: "entry",
            });
        }
        Ok(())
    }

    fn check_accounts(&self, scheme: &SavingsScheme) -> Result<(), LedgerError> {
        let a = &scheme.accounts;
        for (role, code, expected) in [
            ("cash", &a.cash, AccountType::Asset),
            ("pokok", &a.pokok, AccountType::Equity),
            ("wajib", &a.wajib, AccountType::Equity),
            ("sukarela", &a.sukarela, AccountType::Liability),
            ("jasa_expense", &a.jasa_expense, AccountType::Expense),
        ] {
            let account = self
                .books
                .account(code)
                .ok_or_else(|| LedgerError::UnknownAccount { account: code.clone() })?;
            if account.kind != expected {
                return Err(LedgerError::WrongAccountType {
                    account: code.clone(),
                    role,
                    expected,
                    found: account.kind,
                });
            }
            if role == "sukarela" && !account.never_negative {
                return Err(LedgerError::InvalidSavingsScheme {
                    field: "accounts.sukarela",
                    value: format!("{code} is not flagged never-negative"),
                });
            }
        }
        Ok(())
    }

    // ---------------------------------------------------------------- deciding

    pub(crate) fn decide_koperasi(
        &self,
        command: &KoperasiCommand,
        context: &Context,
    ) -> Result<Vec<LedgerEvent>, LedgerError> {
        match command {
            KoperasiCommand::ConfigureSavings(s) => self.decide_configure(s),
            KoperasiCommand::Join { member, entry, date, kelurahan } => {
                self.decide_join(*member, *entry, *date, *kelurahan, context)
            }
            KoperasiCommand::PayWajib(p) => {
                self.decide_savings(p, SavingsKind::Wajib, false, context)
            }
            KoperasiCommand::Deposit(p) => {
                self.decide_savings(p, SavingsKind::Sukarela, false, context)
            }
            KoperasiCommand::Withdraw(p) => {
                self.decide_savings(p, SavingsKind::Sukarela, true, context)
            }
            KoperasiCommand::PostJasa { entry, through } => {
                self.decide_jasa(*entry, *through, context)
            }
            KoperasiCommand::Exit { member, entry, date } => {
                self.decide_exit(*member, *entry, *date, context)
            }
            KoperasiCommand::FormGroup(spec) => self.decide_form_group(spec),
            KoperasiCommand::LinkLoan { group, loan } => self.decide_link(*group, *loan),
            KoperasiCommand::RecordMeeting { group, date, lines } => {
                self.decide_meeting(*group, *date, lines, context)
            }
            KoperasiCommand::GroupPays { group, repayment } => {
                self.decide_group_pays(*group, repayment, context)
            }
            KoperasiCommand::Relieve(request) => self.decide_relief(request, context),
        }
    }

    fn decide_configure(&self, scheme: &SavingsScheme) -> Result<Vec<LedgerEvent>, LedgerError> {
        if let Some(existing) = &self.koperasi.scheme {
            if existing == scheme {
                return Ok(Vec::new());
            }
            return Err(LedgerError::ExistsWithDifferentField {
                id: "savings scheme".into(),
                field: "scheme",
            });
        }
        scheme.check()?;
        self.check_accounts(scheme)?;
        Ok(vec![ev(KoperasiEvent::SavingsConfigured(scheme.clone()))])
    }

    fn decide_join(
        &self,
        member: PersonId,
        entry: EntryId,
        date: NaiveDate,
        kelurahan: Option<tangguh_core::RegionCode>,
        context: &Context,
    ) -> Result<Vec<LedgerEvent>, LedgerError> {
        let scheme = self.scheme()?;
        if let Some(m) = self.koperasi.members.get(&member) {
            if m.joined_on == date && m.transactions.first().and_then(|t| t.entry) == Some(entry) {
                return Ok(Vec::new());
            }
            return Err(LedgerError::AlreadyMember { member, joined_on: m.joined_on });
        }
        Self::not_future(date, context)?;
        self.entry_taken(entry)?;
        let pokok = Money::new(scheme.pokok, scheme.currency);
        let je = JournalEntry::try_new(
            entry,
            date,
            "simpanan pokok",
            vec![
                Posting::debit(scheme.accounts.cash.clone(), pokok),
                Posting::credit(scheme.accounts.pokok.clone(), pokok),
            ],
        )?;
        self.check_new_entry(&je)?;
        Ok(vec![ev(KoperasiEvent::MemberJoined { member, date, kelurahan, entry: je })])
    }

    fn decide_savings(
        &self,
        p: &SavingsPayment,
        kind: SavingsKind,
        withdrawal: bool,
        context: &Context,
    ) -> Result<Vec<LedgerEvent>, LedgerError> {
        let scheme = self.scheme()?;
        let m = self.known_member(p.member)?;
        let movement =
            if withdrawal { SavingsMovement::Withdrawal } else { SavingsMovement::Deposit };
        let signed = if withdrawal { Decimal::ZERO.saturating_sub(p.amount) } else { p.amount };
        if let Some(t) = m.transactions.iter().find(|t| t.entry == Some(p.entry)) {
            let field = if t.kind != kind || t.movement != movement {
                Some("kind")
            } else if t.date != p.date {
                Some("date")
            } else if t.amount != signed {
                Some("amount")
            } else {
                None
            };
            return match field {
                None => Ok(Vec::new()),
                Some(field) => {
                    Err(LedgerError::ExistsWithDifferentField { id: p.entry.to_string(), field })
                }
            };
        }
        self.active_member(p.member)?;
        Self::not_future(p.date, context)?;
        if p.date < m.earliest_next {
            return Err(LedgerError::DateOutOfOrder { date: p.date, earliest: m.earliest_next });
        }
        self.entry_taken(p.entry)?;
        let money = Self::amount_ok(p.amount, scheme, "amount")?;
        if withdrawal && m.balances.sukarela < p.amount {
            return Err(LedgerError::SavingsOverdrawn {
                member: p.member,
                available: Money::new(m.balances.sukarela, scheme.currency),
                requested: money,
            });
        }
        let a = &scheme.accounts;
        let account = match kind {
            SavingsKind::Pokok => &a.pokok,
            SavingsKind::Wajib => &a.wajib,
            SavingsKind::Sukarela => &a.sukarela,
        };
        let (dr, cr, what) = if withdrawal {
            (account, &a.cash, "penarikan simpanan sukarela")
        } else if kind == SavingsKind::Wajib {
            (&a.cash, account, "simpanan wajib")
        } else {
            (&a.cash, account, "setoran simpanan sukarela")
        };
        let entry = JournalEntry::try_new(
            p.entry,
            p.date,
            what,
            vec![Posting::debit(dr.clone(), money), Posting::credit(cr.clone(), money)],
        )?;
        self.check_new_entry(&entry)?;
        let transaction = SavingsTransaction {
            entry: Some(p.entry),
            date: p.date,
            kind,
            movement,
            amount: signed,
        };
        Ok(vec![ev(KoperasiEvent::SavingsMoved { member: p.member, transaction, entry })])
    }

    fn decide_jasa(
        &self,
        entry: EntryId,
        through: NaiveDate,
        context: &Context,
    ) -> Result<Vec<LedgerEvent>, LedgerError> {
        let scheme = self.scheme()?;
        let due: Vec<&Member> = self
            .koperasi
            .members
            .values()
            .filter(|m| m.is_active() && m.jasa_through < through)
            .collect();
        if due.is_empty() {
            return Ok(Vec::new());
        }
        Self::not_future(through, context)?;
        self.entry_taken(entry)?;
        let mut credits = Vec::with_capacity(due.len());
        let mut total = Decimal::ZERO;
        for m in due {
            let jasa = m.jasa(scheme, through)?;
            total = add(total, jasa)?;
            credits.push((m.person, jasa));
        }
        let entry = if total > Decimal::ZERO {
            let money = Money::new(total, scheme.currency);
            let je = JournalEntry::try_new(
                entry,
                through,
                "jasa simpanan sukarela",
                vec![
                    Posting::debit(scheme.accounts.jasa_expense.clone(), money),
                    Posting::credit(scheme.accounts.sukarela.clone(), money),
                ],
            )?;
            self.check_new_entry(&je)?;
            Some(je)
        } else {
            None
        };
        Ok(vec![ev(KoperasiEvent::JasaPosted { through, credits, entry })])
    }

    fn decide_exit(
        &self,
        member: PersonId,
        entry: EntryId,
        date: NaiveDate,
        context: &Context,
    ) -> Result<Vec<LedgerEvent>, LedgerError> {
        let scheme = self.scheme()?;
        let m = self.known_member(member)?;
        if m.exited_on == Some(date)
            && m.transactions
                .iter()
                .any(|t| t.movement == SavingsMovement::Exit && t.entry == Some(entry))
        {
            return Ok(Vec::new());
        }
        self.active_member(member)?;
        Self::not_future(date, context)?;
        if date < m.earliest_next {
            return Err(LedgerError::DateOutOfOrder { date, earliest: m.earliest_next });
        }
        self.entry_taken(entry)?;
        let currency = scheme.currency;
        let money = |a: Decimal| Money::new(a, currency);
        let savings = m.balances;
        let mut remaining = savings.total()?;
        let a = &scheme.accounts;
        let mut postings = Vec::new();
        for (code, amount) in
            [(&a.pokok, savings.pokok), (&a.wajib, savings.wajib), (&a.sukarela, savings.sukarela)]
        {
            if amount > Decimal::ZERO {
                postings.push(Posting::debit(code.clone(), money(amount)));
            }
        }
        let mut loans = Vec::new();
        for loan in self.loans.values() {
            if remaining <= Decimal::ZERO {
                break;
            }
            if loan.borrower() != member
                || loan.status() != LoanStatus::Active
                || loan.currency() != currency
            {
                continue;
            }
            let (_, product) = self.loan_and_product(loan.id())?;
            loan.check_date(date)?;
            let quote = loan.payoff_quote(date)?;
            let transaction = if quote.total <= remaining {
                LoanTransaction {
                    entry: Some(entry),
                    kind: LoanTransactionKind::Payoff,
                    date,
                    amount: quote.total,
                    payer: Some(Payer::Borrower),
                    allocation: Allocation {
                        installments: quote.installments,
                        total: quote.owed,
                        overpayment: Decimal::ZERO,
                    },
                    waived: quote.waived,
                }
            } else {
                LoanTransaction {
                    entry: Some(entry),
                    kind: LoanTransactionKind::Repayment,
                    date,
                    amount: remaining,
                    payer: Some(Payer::Borrower),
                    allocation: loan.allocate(remaining, date, product.allocation)?,
                    waived: Vec::new(),
                }
            };
            remaining = remaining
                .checked_sub(transaction.amount)
                .ok_or_else(|| overflow("exit set-off"))?;
            let acc = &product.accounts;
            let al = &transaction.allocation;
            for (code, amount) in [
                (&acc.loan_portfolio, al.total.principal),
                (&acc.interest_income, al.total.interest),
                (&acc.fee_income, al.total.fee),
                (&acc.penalty_income, al.total.penalty),
                (&acc.overpayment, al.overpayment),
            ] {
                if amount > Decimal::ZERO {
                    postings.push(Posting::credit(code.clone(), money(amount)));
                }
            }
            loans.push((loan.id(), transaction));
        }
        if remaining > Decimal::ZERO {
            postings.push(Posting::credit(a.cash.clone(), money(remaining)));
        }
        let je = JournalEntry::try_new(entry, date, format!("keluar anggota {member}"), postings)?;
        self.check_new_entry(&je)?;
        Ok(vec![ev(KoperasiEvent::MemberExited { member, date, savings, loans, entry: je })])
    }

    fn decide_form_group(
        &self,
        spec: &crate::group::GroupSpec,
    ) -> Result<Vec<LedgerEvent>, LedgerError> {
        if let Some(existing) = self.koperasi.groups.get(&spec.id) {
            if &existing.spec == spec {
                return Ok(Vec::new());
            }
            let field = if existing.spec.name != spec.name {
                "name"
            } else if existing.spec.chair != spec.chair {
                "chair"
            } else if existing.spec.members != spec.members {
                "members"
            } else {
                "calendar"
            };
            return Err(LedgerError::ExistsWithDifferentField { id: spec.id.to_string(), field });
        }
        let bad = |field: &'static str, value: String| LedgerError::InvalidGroup {
            group: spec.id,
            field,
            value,
        };
        if spec.members.is_empty() {
            return Err(bad("members", "none".into()));
        }
        let mut seen = BTreeSet::new();
        for m in &spec.members {
            if !seen.insert(*m) {
                return Err(bad("members", format!("{m} twice")));
            }
        }
        if !seen.contains(&spec.chair) {
            return Err(bad("chair", format!("{} is not a member", spec.chair)));
        }
        Ok(vec![ev(KoperasiEvent::GroupFormed(spec.clone()))])
    }

    fn decide_link(
        &self,
        group: OrganizationId,
        loan: LoanId,
    ) -> Result<Vec<LedgerEvent>, LedgerError> {
        let g = self.known_group(group)?;
        let l = self.loans.get(&loan).ok_or(LedgerError::UnknownLoan { loan })?;
        match self.koperasi.group_of_loan.get(&loan) {
            Some(existing) if *existing == group => return Ok(Vec::new()),
            Some(existing) => {
                return Err(LedgerError::LoanInOtherGroup { loan, group: *existing });
            }
            None => {}
        }
        if !g.has_member(l.borrower()) {
            return Err(LedgerError::NotGroupMember { group, person: l.borrower() });
        }
        Ok(vec![ev(KoperasiEvent::LoanLinked { group, loan, member: l.borrower() })])
    }

    fn linked(&self, group: OrganizationId, loan: LoanId) -> Result<(), LedgerError> {
        if self.koperasi.group_of_loan.get(&loan) == Some(&group) {
            Ok(())
        } else {
            Err(LedgerError::LoanNotInGroup { loan, group })
        }
    }

    fn decide_meeting(
        &self,
        group: OrganizationId,
        date: NaiveDate,
        lines: &[MeetingLine],
        context: &Context,
    ) -> Result<Vec<LedgerEvent>, LedgerError> {
        let g = self.known_group(group)?;
        if !g.spec.calendar.is_meeting_day(date) {
            return Err(LedgerError::NotAMeetingDay { group, date });
        }
        Self::not_future(date, context)?;
        let (mut loans, mut members, mut entries) =
            (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
        let mut events = Vec::new();
        for line in lines {
            let dup = |value: String| LedgerError::DuplicateMeetingLine { value };
            match line {
                MeetingLine::Loan { loan, entry, amount } => {
                    if !loans.insert(*loan) {
                        return Err(dup(format!("loan {loan}")));
                    }
                    if !entries.insert(*entry) {
                        return Err(dup(format!("entry {entry}")));
                    }
                    self.linked(group, *loan)?;
                    let r = Repayment::new(*loan, *entry, date, *amount);
                    events.extend(self.decide_repay(&r, false, context)?);
                }
                MeetingLine::Wajib { member, entry, amount } => {
                    if !members.insert(*member) {
                        return Err(dup(format!("wajib of {member}")));
                    }
                    if !entries.insert(*entry) {
                        return Err(dup(format!("entry {entry}")));
                    }
                    if !g.has_member(*member) {
                        return Err(LedgerError::NotGroupMember { group, person: *member });
                    }
                    let p = SavingsPayment::new(*member, *entry, date, *amount);
                    events.extend(self.decide_savings(&p, SavingsKind::Wajib, false, context)?);
                }
            }
        }
        if events.is_empty() && g.meetings.contains(&date) {
            return Ok(Vec::new());
        }
        events.insert(0, ev(KoperasiEvent::MeetingRecorded { group, date }));
        Ok(events)
    }

    fn decide_group_pays(
        &self,
        group: OrganizationId,
        repayment: &Repayment,
        context: &Context,
    ) -> Result<Vec<LedgerEvent>, LedgerError> {
        self.known_group(group)?;
        self.linked(group, repayment.loan)?;
        let r = repayment.clone().paid_by(Payer::Group(group));
        let events = self.decide_repay(&r, false, context)?;
        if events.is_empty() {
            return Ok(events);
        }
        let loan = self.loans.get(&r.loan).ok_or(LedgerError::UnknownLoan { loan: r.loan })?;
        let (days, overdue) = member_arrears(loan, r.date)?;
        let cover = GroupCover {
            group,
            loan: r.loan,
            member: loan.borrower(),
            date: r.date,
            entry: r.entry,
            amount: r.amount,
            member_days_past_due: days,
            member_overdue: overdue,
        };
        let mut out = vec![ev(KoperasiEvent::GroupCovered(cover))];
        out.extend(events);
        Ok(out)
    }

    fn decide_relief(
        &self,
        req: &ReliefRequest,
        context: &Context,
    ) -> Result<Vec<LedgerEvent>, LedgerError> {
        let policy = &req.policy;
        let bad =
            |field: &'static str, value: String| LedgerError::InvalidReliefPolicy { field, value };
        let periods = policy
            .holiday_periods
            .checked_add(policy.extension_periods)
            .filter(|p| *p <= MAX_RELIEF_PERIODS)
            .ok_or_else(|| {
                bad(
                    "holiday_periods",
                    format!("{} + {} extension", policy.holiday_periods, policy.extension_periods),
                )
            })?;
        if let ClassificationTreatment::FrozenAtPreDisaster { until } = policy.classification
            && until < req.date
        {
            return Err(bad("classification.until", until.to_string()));
        }
        if req.incident_date > req.date {
            return Err(bad("incident_date", req.incident_date.to_string()));
        }
        Self::not_future(req.date, context)?;
        let borrowers: BTreeSet<PersonId> = req.borrowers.iter().copied().collect();
        let mut events = Vec::new();
        for loan in self.loans.values() {
            if loan.status() != LoanStatus::Active || !borrowers.contains(&loan.borrower()) {
                continue;
            }
            if self.reliefs(loan.id()).iter().any(|r| r.incident == req.incident) {
                continue;
            }
            loan.check_date(req.date)?;
            if let Some(relief) = relieve(loan, req, periods)? {
                events.push(ev(KoperasiEvent::LoanRelieved(relief)));
            }
        }
        Ok(events)
    }

    // ---------------------------------------------------------------- applying

    pub(crate) fn apply_koperasi(&mut self, event: &KoperasiEvent) {
        match event {
            KoperasiEvent::SavingsConfigured(s) => self.koperasi.scheme = Some(s.clone()),
            KoperasiEvent::MemberJoined { member, date, kelurahan, entry } => {
                self.apply_entry(entry);
                let pokok = self.koperasi.scheme.as_ref().map_or(Decimal::ZERO, |s| s.pokok);
                self.koperasi
                    .members
                    .insert(*member, Member::joined(*member, *date, *kelurahan, pokok, entry.id()));
            }
            KoperasiEvent::SavingsMoved { member, transaction, entry } => {
                self.apply_entry(entry);
                if let Some(m) = self.koperasi.members.get_mut(member) {
                    m.push(transaction.clone());
                }
            }
            KoperasiEvent::JasaPosted { through, credits, entry } => {
                if let Some(entry) = entry {
                    self.apply_entry(entry);
                }
                for (person, amount) in credits {
                    if let Some(m) = self.koperasi.members.get_mut(person) {
                        if *amount > Decimal::ZERO {
                            m.push(SavingsTransaction {
                                entry: entry.as_ref().map(JournalEntry::id),
                                date: *through,
                                kind: SavingsKind::Sukarela,
                                movement: SavingsMovement::Jasa,
                                amount: *amount,
                            });
                        }
                        m.jasa_through = *through;
                        if let Some(next) = through.succ_opt() {
                            m.earliest_next = m.earliest_next.max(next);
                        }
                    }
                }
            }
            KoperasiEvent::MemberExited { member, date, savings, loans, entry } => {
                self.apply_entry(entry);
                for (id, t) in loans {
                    if let Some(l) = self.loans.get_mut(id) {
                        l.apply_repayment(t);
                    }
                }
                if let Some(m) = self.koperasi.members.get_mut(member) {
                    for kind in [SavingsKind::Pokok, SavingsKind::Wajib, SavingsKind::Sukarela] {
                        let amount = savings.get(kind);
                        if amount > Decimal::ZERO {
                            m.push(SavingsTransaction {
                                entry: Some(entry.id()),
                                date: *date,
                                kind,
                                movement: SavingsMovement::Exit,
                                amount: Decimal::ZERO.saturating_sub(amount),
                            });
                        }
                    }
                    m.exited_on = Some(*date);
                }
            }
            KoperasiEvent::GroupFormed(spec) => {
                self.koperasi.groups.insert(spec.id, Group::formed(spec.clone()));
            }
            KoperasiEvent::LoanLinked { group, loan, member } => {
                if let Some(g) = self.koperasi.groups.get_mut(group) {
                    g.loans.entry(*member).or_default().push(*loan);
                }
                self.koperasi.group_of_loan.insert(*loan, *group);
            }
            KoperasiEvent::MeetingRecorded { group, date } => {
                if let Some(g) = self.koperasi.groups.get_mut(group)
                    && !g.meetings.contains(date)
                {
                    g.meetings.push(*date);
                }
            }
            KoperasiEvent::GroupCovered(cover) => {
                if let Some(g) = self.koperasi.groups.get_mut(&cover.group) {
                    g.covers.push(cover.clone());
                }
            }
            KoperasiEvent::LoanRelieved(relief) => {
                if let Some(l) = self.loans.get_mut(&relief.loan) {
                    l.apply_restructured(relief.date, &relief.installments);
                }
                self.koperasi.reliefs.entry(relief.loan).or_default().push(relief.clone());
            }
        }
    }
}

/// Scale of the fast integer path in [`due_by`].
const FAST_SCALE: u32 = 6;

fn minor(d: Decimal) -> Option<i128> {
    let shift = FAST_SCALE.checked_sub(d.scale())?;
    d.mantissa().checked_mul(10i128.checked_pow(shift)?)
}

/// What is owed on installments due on or before `date`, per component.
/// Installments are settled oldest first, so only the unsettled tail of
/// the due prefix is read (backwards); amounts are summed as integers at a
/// fixed scale, with checked decimals as the fallback.
fn due_by(loan: &Loan, date: NaiveDate) -> Result<Components, LedgerError> {
    let installments = loan.installments();
    let due_prefix = installments.partition_point(|i| i.due_date <= date);
    let prefix = installments.get(..due_prefix).unwrap_or_default();
    let fast = || -> Option<[i128; 4]> {
        let mut sum = [0i128; 4];
        for i in prefix.iter().rev() {
            let mut owed = [0i128; 4];
            let parts = [
                (i.due.principal, i.paid.principal, i.waived.principal),
                (i.due.interest, i.paid.interest, i.waived.interest),
                (i.due.fee, i.paid.fee, i.waived.fee),
                (i.due.penalty, i.paid.penalty, i.waived.penalty),
            ];
            for (slot, (due, paid, waived)) in owed.iter_mut().zip(parts) {
                *slot = minor(due)?.checked_sub(minor(paid)?)?.checked_sub(minor(waived)?)?;
            }
            if owed == [0; 4] {
                break;
            }
            for (s, o) in sum.iter_mut().zip(owed) {
                *s = s.checked_add(o)?;
            }
        }
        Some(sum)
    };
    if let Some([principal, interest, fee, penalty]) = fast() {
        let d = |v: i128| Decimal::try_from_i128_with_scale(v, FAST_SCALE).map(|x| x.normalize());
        if let (Ok(principal), Ok(interest), Ok(fee), Ok(penalty)) =
            (d(principal), d(interest), d(fee), d(penalty))
        {
            return Ok(Components { principal, interest, fee, penalty });
        }
    }
    let mut due = Components::ZERO;
    for i in prefix {
        due = due.checked_add(&i.outstanding()?)?;
    }
    Ok(due)
}

/// The member's own arrears on a loan: group payments do not count.
fn member_arrears(loan: &Loan, as_of: NaiveDate) -> Result<(u32, Components), LedgerError> {
    if loan.disbursed_on().is_none() {
        return Ok((0, Components::ZERO));
    }
    let mut by_group: std::collections::BTreeMap<u32, Components> =
        std::collections::BTreeMap::new();
    for t in loan.transactions() {
        if matches!(t.payer, Some(Payer::Group(_))) {
            for a in &t.allocation.installments {
                let slot = by_group.entry(a.n).or_insert(Components::ZERO);
                *slot = slot.checked_add(&a.amounts)?;
            }
        }
    }
    let mut overdue = Components::ZERO;
    let mut since = None;
    for i in loan.installments().iter().take_while(|i| i.due_date < as_of) {
        let mut own = i.outstanding()?;
        if let Some(g) = by_group.get(&i.n) {
            own = own.checked_add(g)?;
        }
        if !own.is_zero() {
            since = since.or(Some(i.due_date));
            overdue = overdue.checked_add(&own)?;
        }
    }
    let days = since.map_or(0, |d| {
        u32::try_from(as_of.signed_duration_since(d).num_days()).unwrap_or(u32::MAX)
    });
    Ok((days, overdue))
}

/// One loan's relief (none when no principal is left to reschedule).
fn relieve(loan: &Loan, req: &ReliefRequest, periods: u32) -> Result<Option<Relief>, LedgerError> {
    let policy = &req.policy;
    let date = req.date;
    let mut principal = Decimal::ZERO;
    let mut carried = Components::ZERO;
    let mut future = 0u32;
    let mut last_n = 0u32;
    for i in loan.installments() {
        last_n = last_n.max(i.n);
        let o = i.outstanding()?;
        if o.is_zero() {
            continue;
        }
        principal = add(principal, o.principal)?;
        let mut rest = Components { principal: Decimal::ZERO, ..o };
        if i.due_date > date {
            future = future.saturating_add(1);
            rest.interest = Decimal::ZERO; // replaced by the new schedule's
        }
        carried = carried.checked_add(&rest)?;
    }
    if principal <= Decimal::ZERO {
        return Ok(None);
    }
    let count = future.max(1).saturating_add(periods);
    let mut terms = loan.terms().rescheduled(date, principal, count, None);
    terms.grace_on_principal_periods = policy.holiday_periods;
    match policy.holiday_interest {
        HolidayInterest::Deferred => terms.grace_on_interest_periods = policy.holiday_periods,
        HolidayInterest::Waived => terms.interest_free_periods = policy.holiday_periods,
    }
    if policy.holiday_periods > 0 {
        terms.schedule_type = ScheduleType::Cumulative;
    }
    let schedule = generate_schedule(&terms)?;
    let mut installments = installments_from_schedule(&schedule);
    for i in &mut installments {
        i.n = i.n.saturating_add(last_n);
    }
    let first_paying = usize::try_from(policy.holiday_periods).unwrap_or(usize::MAX);
    let target = installments.len().saturating_sub(1).min(first_paying);
    if let Some(i) = installments.get_mut(target) {
        i.due = i.due.checked_add(&carried)?;
    }
    let pre_dpd = loan.days_past_due(req.incident_date);
    Ok(Some(Relief {
        loan: loan.id(),
        incident: req.incident,
        policy: *policy,
        date,
        pre_disaster_days_past_due: pre_dpd,
        pre_disaster_class: policy.table.classify(pre_dpd),
        rescheduled: Components { principal, ..carried },
        terms,
        installments,
    }))
}

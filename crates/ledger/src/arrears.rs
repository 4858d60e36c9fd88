//! Arrears: days past due, kolektibilitas (OJK asset-quality classes) and
//! portfolio at risk.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use tangguh_core::Currency;

use crate::error::LedgerError;
use crate::loan::{Components, Loan, LoanStatus, add};

/// Kolektibilitas: the OJK credit-quality class of a loan, 1 (Lancar) to 5
/// (Macet). A closed set fixed by regulation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[allow(clippy::exhaustive_enums)] // closed set: the five classes of POJK 40/2019
pub enum Kolektibilitas {
    /// 1, Lancar: current.
    Lancar,
    /// 2, Dalam Perhatian Khusus: special mention.
    DalamPerhatianKhusus,
    /// 3, Kurang Lancar: substandard.
    KurangLancar,
    /// 4, Diragukan: doubtful.
    Diragukan,
    /// 5, Macet: loss.
    Macet,
}

impl Kolektibilitas {
    /// All five, in order.
    pub const ALL: [Self; 5] = [
        Self::Lancar,
        Self::DalamPerhatianKhusus,
        Self::KurangLancar,
        Self::Diragukan,
        Self::Macet,
    ];

    /// The class number, 1–5.
    #[must_use]
    pub fn number(self) -> u8 {
        match self {
            Self::Lancar => 1,
            Self::DalamPerhatianKhusus => 2,
            Self::KurangLancar => 3,
            Self::Diragukan => 4,
            Self::Macet => 5,
        }
    }

    /// Whether the class counts as non-performing (3–5).
    #[must_use]
    pub fn is_non_performing(self) -> bool {
        self.number() >= 3
    }
}

/// Days-past-due bands for kolektibilitas: the largest DPD of classes 1–4;
/// anything later is class 5.
///
/// # Examples
///
/// ```
/// use tangguh_ledger::{Kolektibilitas, KolektibilitasTable};
///
/// let ojk = KolektibilitasTable::OJK_BANK;
/// assert_eq!(ojk.classify(0), Kolektibilitas::Lancar);
/// assert_eq!(ojk.classify(90), Kolektibilitas::DalamPerhatianKhusus);
/// assert_eq!(ojk.classify(91), Kolektibilitas::KurangLancar);
/// assert_eq!(ojk.classify(181), Kolektibilitas::Macet);
/// assert!(KolektibilitasTable::try_new([0, 90, 90, 180]).is_err());
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KolektibilitasTable {
    max_days: [u32; 4],
}

impl KolektibilitasTable {
    /// Bank umum, POJK 40/POJK.03/2019 (payment timeliness): Lancar no
    /// arrears, DPK 1–90, Kurang Lancar 91–120, Diragukan 121–180, Macet
    /// over 180 days.
    pub const OJK_BANK: Self = Self { max_days: [0, 90, 120, 180] };

    /// A table from the largest DPD of classes 1–4.
    ///
    /// # Errors
    ///
    /// [`LedgerError::InvalidKolektibilitasTable`] unless strictly increasing.
    pub fn try_new(max_days: [u32; 4]) -> Result<Self, LedgerError> {
        if max_days.windows(2).all(|w| matches!(w, [a, b] if a < b)) {
            Ok(Self { max_days })
        } else {
            Err(LedgerError::InvalidKolektibilitasTable { bounds: max_days })
        }
    }

    /// The largest DPD of classes 1–4.
    #[must_use]
    pub fn max_days(&self) -> [u32; 4] {
        self.max_days
    }

    /// The class for `days_past_due`.
    #[must_use]
    pub fn classify(&self, days_past_due: u32) -> Kolektibilitas {
        let [a, b, c, d] = self.max_days;
        if days_past_due <= a {
            Kolektibilitas::Lancar
        } else if days_past_due <= b {
            Kolektibilitas::DalamPerhatianKhusus
        } else if days_past_due <= c {
            Kolektibilitas::KurangLancar
        } else if days_past_due <= d {
            Kolektibilitas::Diragukan
        } else {
            Kolektibilitas::Macet
        }
    }
}

impl Default for KolektibilitasTable {
    fn default() -> Self {
        Self::OJK_BANK
    }
}

/// A loan's arrears as of a date.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Arrears {
    /// The date.
    pub as_of: NaiveDate,
    /// Days since the due date of the oldest unpaid installment due before
    /// `as_of` (0 when none).
    pub days_past_due: u32,
    /// That installment's due date.
    pub overdue_since: Option<NaiveDate>,
    /// Owed on installments due before `as_of`.
    pub overdue: Components,
    /// Owed in total.
    pub outstanding: Components,
}

impl Loan {
    /// Days past due as of `as_of`: from the oldest installment due before
    /// that date and not fully paid (Fineract's `pastDueDays`, without
    /// arrears-ageing grace).
    #[must_use]
    pub fn days_past_due(&self, as_of: NaiveDate) -> u32 {
        if self.status() != LoanStatus::Active {
            return 0;
        }
        self.oldest_overdue(as_of).map_or(0, |i| {
            u32::try_from(as_of.signed_duration_since(i.due_date).num_days()).unwrap_or(u32::MAX)
        })
    }

    /// The loan's arrears as of `as_of`.
    ///
    /// # Errors
    ///
    /// [`LedgerError::Overflow`].
    pub fn arrears(&self, as_of: NaiveDate) -> Result<Arrears, LedgerError> {
        let mut overdue = Components::ZERO;
        for i in self.installments().iter().take_while(|i| i.due_date < as_of) {
            overdue = overdue.checked_add(&i.outstanding()?)?;
        }
        Ok(Arrears {
            as_of,
            days_past_due: self.days_past_due(as_of),
            overdue_since: self.oldest_overdue(as_of).map(|i| i.due_date),
            overdue,
            outstanding: self.outstanding()?,
        })
    }

    /// The loan's kolektibilitas as of `as_of` under `table`.
    #[must_use]
    pub fn kolektibilitas(&self, as_of: NaiveDate, table: &KolektibilitasTable) -> Kolektibilitas {
        table.classify(self.days_past_due(as_of))
    }
}

/// Portfolio at risk over `days`: outstanding principal of loans with an
/// installment more than `days` days late.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ParLine {
    /// The threshold x of PAR-x.
    pub days: u32,
    /// The whole outstanding principal of loans more than x days late.
    pub principal_at_risk: Decimal,
    /// How many such loans.
    pub loans: usize,
    /// At-risk principal / gross outstanding principal (None if no portfolio).
    pub ratio: Option<Decimal>,
}

/// Loans in one kolektibilitas class.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct ClassLine {
    /// The class.
    pub class: Kolektibilitas,
    /// How many loans.
    pub loans: usize,
    /// Their outstanding principal.
    pub principal: Decimal,
}

/// Portfolio quality as of a date, for one currency: gross outstanding
/// principal, PAR-1/30/60/90 as the industry defines it (whole outstanding
/// principal of late loans over the gross portfolio, not Fineract's arrears
/// ratio), kolektibilitas classes and the NPL ratio (classes 3–5).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PortfolioReport {
    /// The date.
    pub as_of: NaiveDate,
    /// The currency.
    pub currency: Currency,
    /// Active loans counted.
    pub loans: usize,
    /// Gross outstanding principal of active loans.
    pub gross_principal: Decimal,
    /// PAR-1, PAR-30, PAR-60, PAR-90.
    pub par: Vec<ParLine>,
    /// Classes 1–5.
    pub classes: Vec<ClassLine>,
    /// Principal in classes 3–5 / gross (None if no portfolio).
    pub npl_ratio: Option<Decimal>,
}

/// The PAR thresholds reported.
pub const PAR_DAYS: [u32; 4] = [1, 30, 60, 90];

pub(crate) fn portfolio_report<'a>(
    loans: impl Iterator<Item = &'a Loan>,
    as_of: NaiveDate,
    currency: Currency,
    table: &KolektibilitasTable,
) -> Result<PortfolioReport, LedgerError> {
    let mut count = 0usize;
    let mut gross = Decimal::ZERO;
    let mut par = PAR_DAYS.map(|days| ParLine {
        days,
        principal_at_risk: Decimal::ZERO,
        loans: 0,
        ratio: None,
    });
    let mut classes =
        Kolektibilitas::ALL.map(|class| ClassLine { class, loans: 0, principal: Decimal::ZERO });
    for loan in loans {
        if loan.status() != LoanStatus::Active || loan.currency() != currency {
            continue;
        }
        let principal = loan.outstanding_principal();
        let dpd = loan.days_past_due(as_of);
        count = count.saturating_add(1);
        gross = add(gross, principal)?;
        for line in &mut par {
            if dpd > line.days {
                line.principal_at_risk = add(line.principal_at_risk, principal)?;
                line.loans = line.loans.saturating_add(1);
            }
        }
        let class = table.classify(dpd);
        if let Some(line) = classes.iter_mut().find(|l| l.class == class) {
            line.loans = line.loans.saturating_add(1);
            line.principal = add(line.principal, principal)?;
        }
    }
    let ratio = |part: Decimal| if gross.is_zero() { None } else { part.checked_div(gross) };
    for line in &mut par {
        line.ratio = ratio(line.principal_at_risk);
    }
    let mut npl = Decimal::ZERO;
    for line in classes.iter().filter(|l| l.class.is_non_performing()) {
        npl = add(npl, line.principal)?;
    }
    Ok(PortfolioReport {
        as_of,
        currency,
        loans: count,
        gross_principal: gross,
        par: par.to_vec(),
        classes: classes.to_vec(),
        npl_ratio: ratio(npl),
    })
}

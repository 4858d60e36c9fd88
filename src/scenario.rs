//! The Rakumpit scenario: a synthetic year of the district on the embedded
//! SQLite store, run through the four books.
//!
//! [`Rakumpit::open`] creates or reopens a store file. [`Rakumpit::run_next`]
//! runs the next phase: on a new store, the first year (registration,
//! training cohorts, volunteers, UMKM loans, monthly repayments and community
//! hours, then a flood on the Rungan river hitting three kelurahan, with
//! impact recording, auto-filled shifts and an assistance round); on a store
//! that already holds a year, the next quarter (repayments resumed, another
//! flood elsewhere). Every change goes through a [`Book`](tangguh_core::Book) and is durable in
//! the store before it is applied, so a second run starts from exactly where
//! the first stopped. After each phase the four books are snapshotted, so
//! reopening loads the snapshots and replays only what came after them.
//!
//! The same code runs the main example (`cargo run --release --example
//! rakumpit`) and the scenario's integration test (smaller seed).

pub mod synthetic;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use rust_decimal::Decimal;
use tangguh_core::{
    Actor, Aggregate, BirthDate, BookError, CertificateNumber, Clock, CompetencyCode, Currency,
    FixedClock, Gazetteer, Hazard, IdGenerator, IncidentId, Money, Name, Organization,
    OrganizationId, OrganizationKind, PersonId, RegionCode, Submission, ValidationError, wib,
};
use tangguh_curriculum::{
    AssessmentResult, AttendanceStatus, CohortId, CohortSpec, CompletionRule, CourseCode, CourseId,
    Curriculum, CurriculumCommand, CurriculumError, GrantedCompetency, Module, Organisers,
    Programme, Session, Validity, VersionSpec,
};
use tangguh_ledger::{
    Account, AccountCode, AccountType, ClassificationTreatment, EntryId, GroupSpec,
    HolidayInterest, JournalEntry, KoperasiCommand, KoperasiEvent, Ledger, LedgerCommand,
    LedgerError, LedgerEvent, LoanApplication, LoanId, LoanProduct, LoanStatus, MeetingCalendar,
    MeetingFrequency, Posting, ProductId, ReliefPolicy, ReliefRequest, Repayment, SavingsAccounts,
    SavingsPayment, SavingsScheme, Side,
};
use tangguh_registry::{
    Address, ChronicIllness, Criteria, DamageLevel, Desil, Disability, DisabilityKind,
    Distribution, Dwelling, DwellingId, IncidentImpact, Item, ItemName, Maternal, MaternalStatus,
    MemberFacts, Need, Neighbourhood, NewMember, NewPerson, Phone, Programme as AidProgramme,
    RecordDistribution, RecordIncidentImpact, RegisterHousehold, Registry, RegistryCommand,
    RegistryError, Relationship, Round, Severity, Source, Unit, UpdateDwelling, UpdateWelfare,
    VulnerabilityThresholds, Welfare,
};
use tangguh_roster::{
    AssignmentId, AssignmentStatus, BackgroundCheck, Post, PostKind, Roster, RosterCommand,
    RosterError, Shift, VolunteerId, VolunteerProfile, VolunteerStatus,
};
use tangguh_store::{OpenReport, Store, StoreError};

use crate::resilience::{ReportScope, ResilienceReport, resilience_report};
use crate::wiring::{credential_commands, relief_candidates};

/// A book of the scenario, on its SQLite stream.
pub use tangguh_store::StoreBook;

/// Why the scenario stopped. Every change before it is durable.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ScenarioError {
    /// The store failed.
    #[error("store")]
    Store(#[from] StoreError),
    /// The registry refused or failed.
    #[error("registry")]
    Registry(#[from] BookError<RegistryError>),
    /// The roster refused or failed.
    #[error("roster")]
    Roster(#[from] BookError<RosterError>),
    /// The curriculum refused or failed.
    #[error("curriculum")]
    Curriculum(#[from] BookError<CurriculumError>),
    /// The ledger refused or failed.
    #[error("ledger")]
    Ledger(#[from] BookError<LedgerError>),
    /// A ledger computation failed.
    #[error("ledger computation")]
    LedgerQuery(#[from] LedgerError),
    /// Reading a journal failed.
    #[error("journal")]
    Journal(#[from] tangguh_core::JournalError),
    /// A value built by the scenario was invalid (a bug in the scenario).
    #[error("invalid scenario value")]
    Validation(#[from] ValidationError),
    /// Scenario data could not be built.
    #[error("scenario data: {0}")]
    Data(String),
}

/// Reports progress of long steps, e.g. to a progress bar.
pub trait Progress {
    /// A step with `total` units begins.
    fn start(&mut self, step: &str, total: u64);
    /// `n` more units are done.
    fn advance(&mut self, n: u64);
    /// The step is done.
    fn finish(&mut self);
}

/// Progress that is not shown.
#[derive(Clone, Copy, Debug, Default)]
#[allow(clippy::exhaustive_structs)] // a unit marker, nothing to add
pub struct Quiet;

impl Progress for Quiet {
    fn start(&mut self, _: &str, _: u64) {}
    fn advance(&mut self, _: u64) {}
    fn finish(&mut self) {}
}

/// How big a Rakumpit to make.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ScenarioOptions {
    /// The seed of everything synthetic.
    pub seed: u64,
    /// How many households to register.
    pub households: usize,
}

impl Default for ScenarioOptions {
    fn default() -> Self {
        Self { seed: 20_261_210, households: 3_000 }
    }
}

/// What one phase did, with the report at its end.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub struct PhaseSummary {
    /// The phase number (0 = the first year).
    pub phase: u32,
    /// The flood of this phase.
    pub incident: IncidentId,
    /// Its name.
    pub incident_name: String,
    /// The kelurahan it hit.
    pub hit: Vec<RegionCode>,
    /// The assistance round of the response.
    pub round: Round,
    /// Loans restructured for relief after this flood.
    pub relieved_loans: usize,
    /// Borrowers the flood's impact made relief candidates.
    pub relief_candidates: usize,
    /// The report at the end of the phase.
    pub report: ResilienceReport,
}

/// The district's four books on one store.
pub struct Rakumpit {
    store: Store,
    clock: Arc<FixedClock>,
    registry: StoreBook<Registry>,
    roster: StoreBook<Roster>,
    curriculum: StoreBook<Curriculum>,
    ledger: StoreBook<Ledger>,
    organizations: Organizations,
    gazetteer: Gazetteer,
    actor: Actor,
    options: ScenarioOptions,
    opened: Vec<(&'static str, OpenReport)>,
}

/// The four books' streams.
const REGISTRY: &str = "registry/62.71.05";
const ROSTER: &str = "roster/62.71.05";
const CURRICULUM: &str = "curriculum/62.71";
const LEDGER: &str = "ledger/koperasi-tangguh";
/// Snapshots kept per stream: the newest, and one before it in case the
/// newest is found damaged.
const SNAPSHOTS_KEPT: u64 = 2;

impl std::fmt::Debug for Rakumpit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rakumpit")
            .field("store", &self.store.path())
            .field("phase", &self.phase())
            .field("options", &self.options)
            .finish_non_exhaustive()
    }
}

/// The organisations of the scenario: the same ids in every run.
#[derive(Clone, Debug)]
struct Organizations {
    pemkot: Organization,
    bpbd: Organization,
    dinsos: Organization,
    bank: Organization,
    pmi: Organization,
    relawan: Organization,
    koperasi: Organization,
}

impl Organizations {
    fn new(seed: u64) -> Result<Self, ValidationError> {
        let ids = IdGenerator::deterministic(seed ^ 0x0a6a_0000);
        let org = |name: &str, kind| -> Result<Organization, ValidationError> {
            Ok(Organization::new(ids.next_id(), Name::try_new(name)?, kind))
        };
        Ok(Self {
            pemkot: org("Pemerintah Kota Palangka Raya", OrganizationKind::GovernmentAgency)?,
            bpbd: org("BPBD Kota Palangka Raya", OrganizationKind::GovernmentAgency)?,
            dinsos: org("Dinas Sosial Kota Palangka Raya", OrganizationKind::GovernmentAgency)?,
            bank: org("Bank Kalteng (program CSR)", OrganizationKind::PrivateBusiness)?,
            pmi: org("PMI Kota Palangka Raya", OrganizationKind::Ngo)?,
            relawan: org("Relawan Siaga Rakumpit", OrganizationKind::CommunityGroup)?,
            koperasi: org("Koperasi Tangguh Rakumpit", OrganizationKind::Cooperative)?,
        })
    }

    fn all(&self) -> Vec<Organization> {
        vec![
            self.pemkot.clone(),
            self.bpbd.clone(),
            self.dinsos.clone(),
            self.bank.clone(),
            self.pmi.clone(),
            self.relawan.clone(),
            self.koperasi.clone(),
        ]
    }
}

/// Competencies the courses grant and the shifts require.
mod competency {
    pub(super) const PREPAREDNESS: &str = "PB.SIAGA-BANJIR";
    pub(super) const FIRST_AID: &str = "PMI.PP-DASAR";
    pub(super) const PSYCHOSOCIAL: &str = "PSS.DASAR";
    pub(super) const BOOKKEEPING: &str = "UMKM.PEMBUKUAN";
    pub(super) const BOAT: &str = "EVAKUASI.PERAHU";
    pub(super) const KITCHEN: &str = "DAPUR.UMUM";
}

/// The kelurahan each phase's flood hits: first the upstream three, then the
/// kecamatan seat and its neighbours, and so on in turn.
const FLOOD_SETS: [[&str; 3]; 3] = [
    ["62.71.05.1001", "62.71.05.1002", "62.71.05.1003"],
    ["62.71.05.1004", "62.71.05.1005", "62.71.05.1006"],
    ["62.71.05.1007", "62.71.05.1001", "62.71.05.1004"],
];

const BATCH: usize = 256;

fn date(y: i32, m: u32, d: u32) -> Result<NaiveDate, ScenarioError> {
    NaiveDate::from_ymd_opt(y, m, d).ok_or_else(|| ScenarioError::Data(format!("{y}-{m}-{d}")))
}

fn at_wib(day: NaiveDate, hour: u32) -> Result<DateTime<Utc>, ScenarioError> {
    wib()
        .from_local_datetime(&day.and_hms_opt(hour, 0, 0).unwrap_or_default())
        .single()
        .map(|t| t.with_timezone(&Utc))
        .ok_or_else(|| ScenarioError::Data(format!("{day} {hour}:00 WIB")))
}

fn code(s: &str) -> Result<CompetencyCode, ScenarioError> {
    Ok(CompetencyCode::try_new(s)?)
}

/// Runs submissions in group-commit batches, failing on the first refusal.
fn run_all<A: Aggregate>(
    book: &mut StoreBook<A>,
    actor: &Actor,
    commands: Vec<A::Command>,
    progress: &mut dyn Progress,
) -> Result<(), BookError<A::Error>> {
    let mut commands = commands.into_iter().peekable();
    while commands.peek().is_some() {
        let chunk: Vec<Submission<A::Command>> =
            commands.by_ref().take(BATCH).map(|c| Submission::new(actor.clone(), c)).collect();
        let n = u64::try_from(chunk.len()).unwrap_or(0);
        for result in book.execute_all(chunk) {
            result?;
        }
        progress.advance(n);
    }
    Ok(())
}

impl Rakumpit {
    /// Creates or reopens the store at `path` and opens its four books, each
    /// from its newest usable snapshot plus the records after it (see
    /// [`Rakumpit::opened`]).
    ///
    /// # Errors
    ///
    /// [`ScenarioError::Store`] if the file cannot be opened (another process
    /// writing it, a damaged file) or a journal cannot be replayed.
    pub fn open(path: &Path, options: ScenarioOptions) -> Result<Self, ScenarioError> {
        let store = Store::open(path)?;
        let clock = Arc::new(FixedClock::new(at_wib(date(2026, 1, 5)?, 8)?));
        let dyn_clock: Arc<dyn Clock> = clock.clone();
        let (registry, registry_opened) = store.open_book(REGISTRY, dyn_clock.clone())?;
        let (roster, roster_opened) = store.open_book(ROSTER, dyn_clock.clone())?;
        let (curriculum, curriculum_opened) = store.open_book(CURRICULUM, dyn_clock.clone())?;
        let (ledger, ledger_opened) = store.open_book(LEDGER, dyn_clock)?;
        let opened = vec![
            (REGISTRY, registry_opened),
            (ROSTER, roster_opened),
            (CURRICULUM, curriculum_opened),
            (LEDGER, ledger_opened),
        ];
        let this = Self {
            store,
            clock,
            registry,
            roster,
            curriculum,
            ledger,
            organizations: Organizations::new(options.seed)?,
            gazetteer: Gazetteer::palangka_raya(),
            actor: Actor::try_new("scenario:rakumpit")?,
            options,
            opened,
        };
        // Reopened: the clock resumes at the latest recorded time.
        if let Some(last) = this.last_recorded_at()? {
            this.clock.set(last);
        }
        Ok(this)
    }

    fn last_recorded_at(&self) -> Result<Option<DateTime<Utc>>, ScenarioError> {
        let mut latest: Option<DateTime<Utc>> = None;
        let mut note = |t: Option<DateTime<Utc>>| {
            if let Some(t) = t {
                latest = Some(latest.map_or(t, |l| l.max(t)));
            }
        };
        note(last_time(&self.registry)?);
        note(last_time(&self.roster)?);
        note(last_time(&self.curriculum)?);
        note(last_time(&self.ledger)?);
        Ok(latest)
    }

    /// How each book was opened: its stream, the snapshot it was loaded
    /// from (if any) and how many records were replayed after it.
    #[must_use]
    pub fn opened(&self) -> &[(&'static str, OpenReport)] {
        &self.opened
    }

    /// Saves a snapshot of each of the four books at its last record and
    /// keeps the newest two per stream.
    ///
    /// # Errors
    ///
    /// [`ScenarioError::Store`] if a snapshot cannot be written.
    pub fn snapshot(&self) -> Result<(), ScenarioError> {
        self.store.snapshot_book(&self.registry)?;
        self.store.snapshot_book(&self.roster)?;
        self.store.snapshot_book(&self.curriculum)?;
        self.store.snapshot_book(&self.ledger)?;
        for stream in [REGISTRY, ROSTER, CURRICULUM, LEDGER] {
            self.store.prune_snapshots(stream, SNAPSHOTS_KEPT)?;
        }
        Ok(())
    }

    /// The store's file.
    #[must_use]
    pub fn path(&self) -> &str {
        self.store.path()
    }

    /// How many phases have run: the floods the registry recorded impact for.
    #[must_use]
    pub fn phase(&self) -> u32 {
        let floods: BTreeSet<IncidentId> = self
            .registry
            .state()
            .households()
            .flat_map(|h| h.incidents.iter().map(|i| i.incident))
            .collect();
        u32::try_from(floods.len()).unwrap_or(u32::MAX)
    }

    /// The registry.
    #[must_use]
    pub fn registry(&self) -> &Registry {
        self.registry.state()
    }

    /// The roster.
    #[must_use]
    pub fn roster(&self) -> &Roster {
        self.roster.state()
    }

    /// The curriculum.
    #[must_use]
    pub fn curriculum(&self) -> &Curriculum {
        self.curriculum.state()
    }

    /// The ledger.
    #[must_use]
    pub fn ledger(&self) -> &Ledger {
        self.ledger.state()
    }

    /// The scenario's clock.
    #[must_use]
    pub fn today(&self) -> NaiveDate {
        self.clock.today()
    }

    /// The organisations taking part.
    #[must_use]
    pub fn organizations(&self) -> Vec<Organization> {
        self.organizations.all()
    }

    /// The gazetteer used for names.
    #[must_use]
    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    /// Counts of recorded events per stream, in stream order.
    ///
    /// # Errors
    ///
    /// [`ScenarioError::Store`].
    pub fn streams(&self) -> Result<Vec<(String, u64)>, ScenarioError> {
        Ok(self.store.streams()?.into_iter().map(|s| (s.name, s.last_sequence)).collect())
    }

    fn set_today(&self, day: NaiveDate, hour: u32) -> Result<(), ScenarioError> {
        let target = at_wib(day, hour)?;
        if target > self.clock.now() {
            self.clock.set(target);
        }
        Ok(())
    }

    /// Runs the next phase, snapshots the four books and returns the
    /// phase's summary.
    ///
    /// # Errors
    ///
    /// The first refusal or store failure; what was recorded before it stays.
    pub fn run_next(&mut self, progress: &mut dyn Progress) -> Result<PhaseSummary, ScenarioError> {
        let phase = self.phase();
        if phase == 0 {
            self.first_year(progress)?;
        } else {
            self.next_quarter(phase, progress)?;
        }
        let summary = self.flood(phase, progress)?;
        self.snapshot()?;
        Ok(summary)
    }

    // ------------------------------------------------------------ the year

    fn first_year(&mut self, progress: &mut dyn Progress) -> Result<(), ScenarioError> {
        let seed = self.options.seed;
        let start = date(2026, 1, 5)?;
        self.set_today(start, 8)?;
        let households = synthetic::population(seed, self.options.households, start);
        self.register(&households, start, progress)?;

        let ids = IdGenerator::deterministic(seed ^ 0x7a1);
        let courses = self.courses(&ids)?;
        let trainees = self.train(&ids, &courses, &households, progress)?;
        self.volunteers(&ids, &trainees, progress)?;
        self.lend(&ids, &households, &trainees, progress)?;
        // February to November: monthly repayments and community hours.
        for month in 2..=11 {
            let day = date(2026, month, 28)?;
            self.set_today(day, 17)?;
            self.repay_due(&ids, day, seed.wrapping_add(u64::from(month)))?;
            if month >= 3 {
                // Members joined on 2 March.
                self.save(&ids, day)?;
            }
            self.community_hours(day)?;
        }
        Ok(())
    }

    fn next_quarter(
        &mut self,
        phase: u32,
        progress: &mut dyn Progress,
    ) -> Result<(), ScenarioError> {
        let seed = self.options.seed.wrapping_add(u64::from(phase) * 1_000_003);
        let ids = IdGenerator::deterministic(seed ^ 0x9e37);
        let start = self.today();
        // The quarter's DTSEN re-ranking arrives: desil data as of today.
        let source = Source::try_new("DTSEN pembaruan triwulanan (sintetis)")?;
        let refresh: Vec<RegistryCommand> = self
            .registry
            .state()
            .households()
            .filter(|h| h.is_active())
            .filter_map(|h| h.welfare.as_ref().map(|w| (h.id, w.desil)))
            .map(|(household, desil)| {
                RegistryCommand::UpdateWelfare(UpdateWelfare {
                    household,
                    welfare: Welfare::new(desil, source.clone(), start),
                })
            })
            .collect();
        run_all(&mut self.registry, &self.actor, refresh, &mut Quiet)?;
        progress.start("repayments resumed", 3);
        for month in 1..=3 {
            let day = start
                .checked_add_months(chrono::Months::new(month))
                .ok_or_else(|| ScenarioError::Data("date overflow".into()))?;
            self.set_today(day, 17)?;
            self.repay_due(&ids, day, seed.wrapping_add(u64::from(month)))?;
            self.save(&ids, day)?;
            self.community_hours(day)?;
            progress.advance(1);
        }
        progress.finish();
        Ok(())
    }

    fn register(
        &mut self,
        households: &[synthetic::Household],
        on: NaiveDate,
        progress: &mut dyn Progress,
    ) -> Result<(), ScenarioError> {
        let source = Source::try_new("DTSEN 2025 triwulan IV (sintetis)")?;
        let mut commands = Vec::new();
        let mut details = Vec::new();
        let dwellings = IdGenerator::deterministic(self.options.seed ^ 0xd3e1);
        for h in households {
            let mut members = h.members.iter().map(|r| {
                let relationship = match r.relation {
                    synthetic::Relation::Head => Relationship::Head,
                    synthetic::Relation::Spouse => {
                        if r.sex == tangguh_core::Sex::Female {
                            Relationship::Wife
                        } else {
                            Relationship::Husband
                        }
                    }
                    synthetic::Relation::Child => Relationship::Child,
                    synthetic::Relation::Parent => Relationship::Parent,
                };
                let facts = MemberFacts {
                    disability: r.disability.then(|| {
                        Disability::new(DisabilityKind::Physical, Severity::ALotOfDifficulty)
                    }),
                    chronic_illness: r.chronic_illness.then_some(ChronicIllness::Diabetes),
                    maternal: r.pregnant.then(|| Maternal::new(MaternalStatus::Pregnant, on)),
                    ..MemberFacts::default()
                };
                let mut person =
                    NewPerson::new(r.id, r.name.clone(), BirthDate::exact(r.birth_date), r.sex)
                        .with_facts(facts);
                if let Some(nik) = r.nik {
                    person = person.with_nik(nik);
                }
                (person, relationship)
            });
            let Some((head, _)) = members.next() else { continue };
            let mut register = RegisterHousehold::new(
                h.id,
                h.kelurahan,
                Neighbourhood::new(u16::from(h.rt))?,
                Neighbourhood::new(u16::from(h.rw))?,
                Address::try_new(&h.address)?,
                head,
                on,
            );
            register.number = h.kk;
            register.phone = h.phone.as_deref().map(Phone::parse).transpose()?;
            register.members = members.map(|(p, r)| NewMember::new(p, r)).collect();
            commands.push(RegistryCommand::RegisterHousehold(register));
            let dwelling: DwellingId = dwellings.next_id();
            details.push(RegistryCommand::UpdateDwelling(UpdateDwelling {
                dwelling,
                households: vec![h.id],
                details: Dwelling {
                    stilt_house: h.stilt_house,
                    floor_height_cm: Some(h.floor_height_cm),
                    distance_to_river_m: Some(h.distance_to_river_m),
                    river_only_access: h.river_only_access,
                    ..Dwelling::default()
                },
                date: on,
            }));
            details.push(RegistryCommand::UpdateWelfare(UpdateWelfare {
                household: h.id,
                welfare: Welfare::new(Desil::new(h.desil)?, source.clone(), on),
            }));
        }
        progress.start(
            "registering households",
            u64::try_from(commands.len() + details.len()).unwrap_or(0),
        );
        run_all(&mut self.registry, &self.actor, commands, progress)?;
        run_all(&mut self.registry, &self.actor, details, progress)?;
        progress.finish();
        Ok(())
    }

    fn courses(&mut self, ids: &IdGenerator) -> Result<Courses, ScenarioError> {
        self.set_today(date(2026, 1, 20)?, 9)?;
        let rule = CompletionRule {
            min_attendance_percent: 75,
            pass_mark: Some(60),
            accept_conditional_pass: true,
            min_hours: None,
        };
        let course = |title: &str,
                      competency: &str,
                      validity: Validity,
                      hours: i64|
         -> Result<VersionSpec, ScenarioError> {
            Ok(VersionSpec {
                modules: vec![Module {
                    title: Name::try_new(title)?,
                    outcomes: vec![Name::try_new(format!("kompeten: {competency}"))?],
                    hours: Decimal::from(hours),
                }],
                competencies: vec![GrantedCompetency { competency: code(competency)?, level: 1 }],
                validity,
                rule: rule.clone(),
                refreshes: None,
            })
        };
        let specs = [
            (
                "KSB-01",
                "Kesiapsiagaan Banjir",
                Programme::Preparedness,
                course("Evakuasi dan posko", competency::PREPAREDNESS, Validity::Months(24), 8)?,
            ),
            (
                "PP-01",
                "Pertolongan Pertama",
                Programme::FirstAid,
                course(
                    "Pertolongan pertama dasar",
                    competency::FIRST_AID,
                    Validity::Months(24),
                    8,
                )?,
            ),
            (
                "DPS-01",
                "Dukungan Psikososial Awal",
                Programme::Psychosocial,
                course(
                    "Dukungan psikososial awal",
                    competency::PSYCHOSOCIAL,
                    Validity::Months(36),
                    8,
                )?,
            ),
            (
                "UMKM-01",
                "Pembukuan Sederhana UMKM",
                Programme::Umkm,
                course("Pembukuan sederhana", competency::BOOKKEEPING, Validity::Unlimited, 8)?,
            ),
        ];
        let mut out = Vec::new();
        let mut commands = Vec::new();
        for (code_text, title, programme, version) in specs {
            let id: CourseId = ids.next_id();
            commands.push(CurriculumCommand::CreateCourse {
                course: id,
                code: CourseCode::try_new(code_text)?,
                title: Name::try_new(title)?,
                description: format!("{title} untuk warga Kecamatan Rakumpit"),
                programmes: BTreeSet::from([programme]),
                version,
            });
            out.push(id);
        }
        run_all(&mut self.curriculum, &self.actor, commands, &mut Quiet)?;
        match out.as_slice() {
            [preparedness, first_aid, psychosocial, bookkeeping] => Ok(Courses {
                preparedness: *preparedness,
                first_aid: *first_aid,
                psychosocial: *psychosocial,
                bookkeeping: *bookkeeping,
            }),
            _ => Err(ScenarioError::Data("four courses".into())),
        }
    }

    /// Runs the cohorts of the year and returns who was trained in what.
    fn train(
        &mut self,
        ids: &IdGenerator,
        courses: &Courses,
        households: &[synthetic::Household],
        progress: &mut dyn Progress,
    ) -> Result<Trainees, ScenarioError> {
        // Candidates: adults 18–55, about one in six, per kelurahan.
        let on = date(2026, 2, 1)?;
        let mut by_kelurahan: BTreeMap<RegionCode, Vec<(PersonId, NaiveDate)>> = BTreeMap::new();
        let mut heads = Vec::new();
        for (i, h) in households.iter().enumerate() {
            for r in &h.members {
                let age = tangguh_core::age_on(r.birth_date, on);
                if (18..=55).contains(&age)
                    && (r.id.to_string().as_bytes().last().copied().unwrap_or(0) % 6 == 0)
                {
                    by_kelurahan.entry(h.kelurahan).or_default().push((r.id, r.birth_date));
                }
            }
            if let Some(head) = h.members.first().filter(|_| i % 9 == 0) {
                heads.push((h.kelurahan, head.id, head.birth_date));
            }
        }
        let mut trainees = Trainees::default();
        let mut registered: BTreeSet<PersonId> = BTreeSet::new();
        // The city organises: BPBD leads preparedness, the city government
        // first aid and psychosocial support; the bank (CSR) and PMI partner.
        let bpbd_led = Organisers {
            lead: self.organizations.bpbd.id,
            partners: vec![self.organizations.bank.id, self.organizations.pmi.id],
        };
        let city_led = Organisers {
            lead: self.organizations.pemkot.id,
            partners: vec![self.organizations.bank.id, self.organizations.pmi.id],
        };
        let total: u64 = by_kelurahan.values().map(|v| v.len() as u64).sum::<u64>() * 3
            + u64::try_from(heads.len()).unwrap_or(0);
        progress.start("training cohorts", total);
        let mut week = 0i64;
        for (kelurahan, people) in &by_kelurahan {
            let learners: Vec<CurriculumCommand> = people
                .iter()
                .filter(|(person, _)| registered.insert(*person))
                .map(|(person, born)| CurriculumCommand::RegisterLearner {
                    person: *person,
                    birth_date: *born,
                })
                .collect();
            self.set_today(on, 8)?;
            run_all(&mut self.curriculum, &self.actor, learners, &mut Quiet)?;
            for (course, organisers, list) in [
                (courses.preparedness, &bpbd_led, &mut trainees.preparedness),
                (courses.first_aid, &city_led, &mut trainees.first_aid),
                (courses.psychosocial, &city_led, &mut trainees.psychosocial),
            ] {
                let start = on + Duration::weeks(week);
                week += 1;
                let passed = self.cohort(
                    ids,
                    course,
                    *kelurahan,
                    organisers,
                    start,
                    people.iter().map(|p| p.0).collect(),
                    progress,
                )?;
                list.extend(passed);
            }
        }
        // UMKM bookkeeping for a tenth of the heads, led by the city with the
        // bank and the koperasi.
        let umkm_organisers = Organisers {
            lead: self.organizations.pemkot.id,
            partners: vec![self.organizations.bank.id, self.organizations.koperasi.id],
        };
        let learners: Vec<CurriculumCommand> = heads
            .iter()
            .filter(|(_, person, _)| registered.insert(*person))
            .map(|(_, person, born)| CurriculumCommand::RegisterLearner {
                person: *person,
                birth_date: *born,
            })
            .collect();
        run_all(&mut self.curriculum, &self.actor, learners, &mut Quiet)?;
        for chunk in heads.chunks(30) {
            let start = on + Duration::weeks(week);
            week += 1;
            let venue = chunk.first().map_or(RegionCode::RAKUMPIT, |h| h.0);
            let passed = self.cohort(
                ids,
                courses.bookkeeping,
                venue,
                &umkm_organisers,
                start,
                chunk.iter().map(|h| h.1).collect(),
                progress,
            )?;
            trainees.bookkeeping.extend(passed);
        }
        progress.finish();
        Ok(trainees)
    }

    /// One cohort: schedule, enrol, attend two sessions, assess, certify.
    /// Returns who was certified.
    #[allow(clippy::too_many_arguments)] // a private step of the scenario
    fn cohort(
        &mut self,
        ids: &IdGenerator,
        course: CourseId,
        venue: RegionCode,
        organisers: &Organisers,
        start: NaiveDate,
        people: Vec<PersonId>,
        progress: &mut dyn Progress,
    ) -> Result<Vec<PersonId>, ScenarioError> {
        let mut certified = Vec::new();
        for group in people.chunks(30) {
            let cohort: CohortId = ids.next_id();
            let sessions: Vec<Session> = (0..2)
                .map(|k| -> Result<Session, ScenarioError> {
                    let day = start + Duration::days(k);
                    Ok(Session {
                        id: ids.next_id(),
                        starts_at: at_wib(day, 8)?,
                        ends_at: at_wib(day, 12)?,
                    })
                })
                .collect::<Result<_, _>>()?;
            self.set_today(start - Duration::days(7), 9)?;
            let spec = CohortSpec {
                course,
                organisers: organisers.clone(),
                trainers: Vec::new(),
                venue,
                sessions: sessions.clone(),
                capacity: 30,
            };
            let mut commands = vec![CurriculumCommand::ScheduleCohort { cohort, spec }];
            commands.extend(group.iter().map(|p| CurriculumCommand::Enrol { cohort, person: *p }));
            run_all(&mut self.curriculum, &self.actor, commands, &mut Quiet)?;
            self.set_today(start + Duration::days(2), 9)?;
            let mut commands = Vec::new();
            let mut passing = Vec::new();
            for (i, person) in group.iter().enumerate() {
                // One in eight misses the second session; one in ten fails.
                let misses = i % 8 == 7;
                for (k, session) in sessions.iter().enumerate() {
                    let status = if misses && k == 1 {
                        AttendanceStatus::Absent
                    } else {
                        AttendanceStatus::Present
                    };
                    commands.push(CurriculumCommand::RecordAttendance {
                        cohort,
                        session: session.id,
                        person: *person,
                        status,
                    });
                }
                let fails = i % 10 == 3;
                let result = if fails { AssessmentResult::Fail } else { AssessmentResult::Pass };
                commands.push(CurriculumCommand::RecordAssessment {
                    cohort,
                    person: *person,
                    result,
                    score: Some(if fails { 45 } else { 78 }),
                });
                if !misses && !fails {
                    passing.push(*person);
                }
            }
            run_all(&mut self.curriculum, &self.actor, commands, &mut Quiet)?;
            let issued_on = start + Duration::days(2);
            let commands: Vec<CurriculumCommand> = passing
                .iter()
                .map(|person| -> Result<CurriculumCommand, ScenarioError> {
                    let certificate: tangguh_curriculum::CertificateId = ids.next_id();
                    Ok(CurriculumCommand::IssueCertificate {
                        cohort,
                        person: *person,
                        certificate,
                        number: CertificateNumber::try_new(format!(
                            "RKP/{}/{}",
                            issued_on.format("%Y%m%d"),
                            &certificate.to_string()[24..]
                        ))?,
                        issued_on,
                    })
                })
                .collect::<Result<_, _>>()?;
            run_all(&mut self.curriculum, &self.actor, commands, &mut Quiet)?;
            certified.extend(passing);
            progress.advance(u64::try_from(group.len()).unwrap_or(0));
        }
        Ok(certified)
    }

    fn volunteers(
        &mut self,
        ids: &IdGenerator,
        trainees: &Trainees,
        progress: &mut dyn Progress,
    ) -> Result<(), ScenarioError> {
        let on = date(2026, 5, 4)?;
        self.set_today(on, 9)?;
        let prepared: BTreeSet<PersonId> = trainees.preparedness.iter().copied().collect();
        let psychosocial: BTreeSet<PersonId> = trainees.psychosocial.iter().copied().collect();
        let first_aid: BTreeSet<PersonId> = trainees.first_aid.iter().copied().collect();
        let mut commands = Vec::new();
        for (i, person) in prepared.iter().enumerate() {
            let Some(record) = self.registry.state().person(*person) else { continue };
            let Some(household) = self.registry.state().household_of(*person) else { continue };
            let volunteer: VolunteerId = ids.next_id();
            let organization =
                if i % 4 == 0 { self.organizations.pmi.id } else { self.organizations.relawan.id };
            let mut profile = VolunteerProfile::new(
                *person,
                organization,
                record.person.name.clone(),
                household.kelurahan,
            )
            .with_language(Name::try_new("Bahasa Indonesia")?)
            .with_language(Name::try_new(if i % 3 == 0 {
                "Banjar"
            } else {
                "Dayak Ngaju"
            })?);
            if let Some(nik) = record.person.nik {
                profile = profile.with_nik(nik);
            }
            commands.push(RosterCommand::RegisterVolunteer { volunteer, profile });
            commands.push(RosterCommand::ChangeVolunteerStatus {
                volunteer,
                status: VolunteerStatus::Active,
                reason: None,
            });
            commands.push(RosterCommand::RecordBackgroundCheck {
                volunteer,
                check: BackgroundCheck::new(on, on + Duration::days(730)),
            });
            // Skills: boats for river people, kitchens, psychosocial support.
            commands.push(RosterCommand::SetSkill {
                volunteer,
                skill: code(competency::BOAT)?,
                level: u8::try_from(1 + i % 3).unwrap_or(1),
            });
            commands.push(RosterCommand::SetSkill {
                volunteer,
                skill: code(competency::KITCHEN)?,
                level: u8::try_from(1 + (i + 1) % 3).unwrap_or(1),
            });
            if psychosocial.contains(person) {
                commands.push(RosterCommand::SetSkill {
                    volunteer,
                    skill: code(competency::PSYCHOSOCIAL)?,
                    level: 2,
                });
            }
            let _ = first_aid.contains(person);
        }
        progress.start("volunteers", u64::try_from(commands.len()).unwrap_or(0));
        run_all(&mut self.roster, &self.actor, commands, progress)?;
        progress.finish();
        // Certificates become roster credentials.
        let credentials = credential_commands(self.curriculum.state(), self.roster.state(), on);
        run_all(&mut self.roster, &self.actor, credentials, &mut Quiet)?;
        Ok(())
    }

    fn lend(
        &mut self,
        ids: &IdGenerator,
        households: &[synthetic::Household],
        trainees: &Trainees,
        progress: &mut dyn Progress,
    ) -> Result<(), ScenarioError> {
        let on = date(2026, 3, 2)?;
        self.set_today(on, 9)?;
        let account =
            |code_text: &str, name: &str, kind: AccountType| -> Result<Account, ScenarioError> {
                Ok(Account::new(AccountCode::try_new(code_text)?, Name::try_new(name)?, kind))
            };
        let mut commands = vec![
            LedgerCommand::OpenAccount(
                account("Assets:Kas", "Kas koperasi", AccountType::Asset)?.never_negative(),
            ),
            LedgerCommand::OpenAccount(account(
                "Assets:Pinjaman",
                "Piutang pinjaman anggota",
                AccountType::Asset,
            )?),
            LedgerCommand::OpenAccount(account(
                "Equity:Modal",
                "Modal penyertaan",
                AccountType::Equity,
            )?),
            LedgerCommand::OpenAccount(account(
                "Income:Bunga",
                "Pendapatan jasa pinjaman",
                AccountType::Income,
            )?),
            LedgerCommand::OpenAccount(account(
                "Income:Provisi",
                "Pendapatan provisi",
                AccountType::Income,
            )?),
            LedgerCommand::OpenAccount(account(
                "Income:Denda",
                "Pendapatan denda",
                AccountType::Income,
            )?),
            LedgerCommand::OpenAccount(account(
                "Income:Pemulihan",
                "Pemulihan piutang dihapus",
                AccountType::Income,
            )?),
            LedgerCommand::OpenAccount(account(
                "Expenses:Penghapusan",
                "Beban penghapusan piutang",
                AccountType::Expense,
            )?),
            LedgerCommand::OpenAccount(account(
                "Liabilities:Titipan",
                "Titipan kelebihan bayar",
                AccountType::Liability,
            )?),
            // Member savings (UU 25/1992 Pasal 41: pokok and wajib are the
            // koperasi's own capital; sukarela is a deposit it owes).
            LedgerCommand::OpenAccount(account(
                "Equity:SimpananPokok",
                "Simpanan pokok anggota",
                AccountType::Equity,
            )?),
            LedgerCommand::OpenAccount(account(
                "Equity:SimpananWajib",
                "Simpanan wajib anggota",
                AccountType::Equity,
            )?),
            LedgerCommand::OpenAccount(
                account(
                    "Liabilities:SimpananSukarela",
                    "Simpanan sukarela",
                    AccountType::Liability,
                )?
                .never_negative(),
            ),
            LedgerCommand::OpenAccount(account(
                "Expenses:JasaSimpanan",
                "Beban jasa simpanan",
                AccountType::Expense,
            )?),
        ];
        let capital = Money::new(Decimal::from(5_000_000_000_i64), Currency::IDR);
        commands.push(LedgerCommand::Post(JournalEntry::try_new(
            ids.next_id(),
            on,
            "Modal penyertaan Pemkot dan CSR Bank Kalteng",
            vec![
                Posting::new(AccountCode::try_new("Assets:Kas")?, Side::Debit, capital),
                Posting::new(AccountCode::try_new("Equity:Modal")?, Side::Credit, capital),
            ],
        )?));
        let product_id: ProductId = ids.next_id();
        let product: LoanProduct = serde_json::from_value(serde_json::json!({
            "id": product_id,
            "name": "Kredit Usaha Mikro Tangguh",
            "currency": "IDR",
            "terms": {
                "principal": "5000000",
                "annual_interest_rate_percent": "6",
                "interest_method": "declining_balance",
                "amortization": "equal_installments",
                "repayment_every": 1,
                "repayment_unit": "months",
                "number_of_repayments": 12,
                "disbursement_date": "2026-03-02",
                "days_in_year": "actual",
                "days_in_month": "actual",
                "interest_calculation_period": "same_as_repayment",
                "digits_after_decimal": 0,
                "in_multiples_of": "100"
            },
            "allocation": "penalty_fee_interest_principal",
            "accounts": {
                "fund_source": "Assets:Kas",
                "loan_portfolio": "Assets:Pinjaman",
                "interest_income": "Income:Bunga",
                "fee_income": "Income:Provisi",
                "penalty_income": "Income:Denda",
                "losses_written_off": "Expenses:Penghapusan",
                "overpayment": "Liabilities:Titipan",
                "income_from_recovery": "Income:Pemulihan"
            }
        }))
        .map_err(|e| ScenarioError::Data(format!("loan product: {e}")))?;
        commands.push(LedgerCommand::DefineProduct(product));
        let savings_accounts: SavingsAccounts = serde_json::from_value(serde_json::json!({
            "cash": "Assets:Kas",
            "pokok": "Equity:SimpananPokok",
            "wajib": "Equity:SimpananWajib",
            "sukarela": "Liabilities:SimpananSukarela",
            "jasa_expense": "Expenses:JasaSimpanan"
        }))
        .map_err(|e| ScenarioError::Data(format!("savings accounts: {e}")))?;
        commands.push(LedgerCommand::Koperasi(KoperasiCommand::ConfigureSavings(
            SavingsScheme::new(
                Currency::IDR,
                Decimal::from(100_000),
                Decimal::from(20_000),
                1,
                Decimal::from(3),
                savings_accounts,
            ),
        )));
        run_all(&mut self.ledger, &self.actor, commands, &mut Quiet)?;

        // Borrowers: the bookkeeping graduates and one head in eight.
        let mut borrowers: BTreeSet<PersonId> = trainees.bookkeeping.iter().copied().collect();
        for (i, h) in households.iter().enumerate() {
            if let Some(head) = h.members.first().filter(|_| i % 8 == 5) {
                borrowers.insert(head.id);
            }
        }
        // Koperasi members: the borrowers and one head in four, paying
        // simpanan pokok on joining.
        let mut members: BTreeSet<PersonId> = borrowers.clone();
        for (i, h) in households.iter().enumerate() {
            if let Some(head) = h.members.first().filter(|_| i % 4 == 1) {
                members.insert(head.id);
            }
        }
        let joins = members
            .iter()
            .map(|member| {
                LedgerCommand::Koperasi(KoperasiCommand::Join {
                    member: *member,
                    entry: ids.next_id(),
                    date: on,
                    kelurahan: self.registry.state().household_of(*member).map(|h| h.kelurahan),
                })
            })
            .collect();
        run_all(&mut self.ledger, &self.actor, joins, &mut Quiet)?;
        progress.start("UMKM loans", u64::try_from(borrowers.len()).unwrap_or(0) * 3);
        let mut loans = Vec::new();
        let mut commands = Vec::new();
        for (i, borrower) in borrowers.iter().enumerate() {
            let loan: LoanId = ids.next_id();
            let principal = Decimal::from(3_000_000 + (i % 8) * 1_000_000);
            commands.push(LedgerCommand::SubmitLoan(LoanApplication::new(
                loan, product_id, *borrower, on, principal, on,
            )));
            loans.push(loan);
        }
        run_all(&mut self.ledger, &self.actor, commands, progress)?;
        let approvals =
            loans.iter().map(|loan| LedgerCommand::ApproveLoan { loan: *loan, date: on }).collect();
        run_all(&mut self.ledger, &self.actor, approvals, progress)?;
        let disbursals = loans
            .iter()
            .map(|loan| LedgerCommand::DisburseLoan { loan: *loan, entry: ids.next_id(), date: on })
            .collect();
        run_all(&mut self.ledger, &self.actor, disbursals, progress)?;
        progress.finish();

        // Tanggung renteng: borrowers meet weekly in groups of up to 20 per
        // kelurahan; each loan stays individual, linked to its group.
        let mut by_kelurahan: BTreeMap<RegionCode, Vec<(PersonId, LoanId)>> = BTreeMap::new();
        for (borrower, loan) in borrowers.iter().zip(&loans) {
            if let Some(household) = self.registry.state().household_of(*borrower) {
                by_kelurahan.entry(household.kelurahan).or_default().push((*borrower, *loan));
            }
        }
        let mut commands = Vec::new();
        for (kelurahan, pairs) in &by_kelurahan {
            let kname = self.gazetteer.name(*kelurahan).unwrap_or("?").to_owned();
            for (n, chunk) in pairs.chunks(20).enumerate() {
                let Some((chair, _)) = chunk.first() else { continue };
                let group: OrganizationId = ids.next_id();
                let spec = GroupSpec::new(
                    group,
                    Name::try_new(format!("Kelompok Usaha {kname} {}", n + 1))?,
                    *chair,
                    chunk.iter().map(|(person, _)| *person).collect(),
                    MeetingCalendar::new(on + Duration::days(7), MeetingFrequency::Weekly),
                );
                commands.push(LedgerCommand::Koperasi(KoperasiCommand::FormGroup(spec)));
                for (_, loan) in chunk {
                    commands.push(LedgerCommand::Koperasi(KoperasiCommand::LinkLoan {
                        group,
                        loan: *loan,
                    }));
                }
            }
        }
        run_all(&mut self.ledger, &self.actor, commands, &mut Quiet)?;
        Ok(())
    }

    /// Every active borrower pays what is due by `day`, except one in twelve
    /// (by loan id and `salt`), who has stopped paying.
    fn repay_due(
        &mut self,
        ids: &IdGenerator,
        day: NaiveDate,
        salt: u64,
    ) -> Result<(), ScenarioError> {
        let mut commands = Vec::new();
        for loan in self.ledger.state().loans() {
            if loan.status() != LoanStatus::Active {
                continue;
            }
            let stopped = (loan.id().to_string().as_bytes().last().copied().map_or(0, u64::from)
                ^ (salt % 3))
                .is_multiple_of(12);
            if stopped {
                continue;
            }
            let mut due = Decimal::ZERO;
            for installment in loan.installments().iter().filter(|i| i.due_date <= day) {
                due = due
                    .checked_add(installment.outstanding()?.total()?)
                    .ok_or(LedgerError::Overflow { operation: "scenario repayment" })?;
            }
            if due > Decimal::ZERO {
                let entry: EntryId = ids.next_id();
                commands.push(LedgerCommand::Repay(Repayment::new(loan.id(), entry, day, due)));
            }
        }
        run_all(&mut self.ledger, &self.actor, commands, &mut Quiet)?;
        Ok(())
    }

    /// The month's savings: simpanan wajib from five members in six, and a
    /// sukarela deposit from one in three.
    fn save(&mut self, ids: &IdGenerator, day: NaiveDate) -> Result<(), ScenarioError> {
        let mut commands = Vec::new();
        for (i, member) in self.ledger.state().members().filter(|m| m.is_active()).enumerate() {
            if i % 6 != 5 {
                let wajib =
                    SavingsPayment::new(member.person, ids.next_id(), day, Decimal::from(20_000));
                commands.push(LedgerCommand::Koperasi(KoperasiCommand::PayWajib(wajib)));
            }
            if i % 3 == 0 {
                let deposit =
                    SavingsPayment::new(member.person, ids.next_id(), day, Decimal::from(50_000));
                commands.push(LedgerCommand::Koperasi(KoperasiCommand::Deposit(deposit)));
            }
        }
        run_all(&mut self.ledger, &self.actor, commands, &mut Quiet)?;
        Ok(())
    }

    /// Community hours for the month of `day`: drills, posyandu, gotong
    /// royong. Every active volunteer but one in five logs 10 hours.
    fn community_hours(&mut self, day: NaiveDate) -> Result<(), ScenarioError> {
        let note = Name::try_new(format!("kegiatan komunitas {}", day.format("%Y-%m")))?;
        let commands = self
            .roster
            .state()
            .volunteers()
            .filter(|v| v.status == VolunteerStatus::Active)
            .enumerate()
            .filter(|(i, _)| i % 5 != 4)
            .map(|(_, v)| RosterCommand::RecordHours {
                volunteer: v.id,
                date: day,
                minutes: 600,
                incident: None,
                note: note.clone(),
            })
            .collect();
        run_all(&mut self.roster, &self.actor, commands, &mut Quiet)?;
        Ok(())
    }

    // ----------------------------------------------------------- the flood

    fn flood(
        &mut self,
        phase: u32,
        progress: &mut dyn Progress,
    ) -> Result<PhaseSummary, ScenarioError> {
        let seed = self.options.seed.wrapping_add(u64::from(phase) * 7_919);
        let ids = IdGenerator::deterministic(seed ^ 0xf100d);
        let day = if phase == 0 { date(2026, 12, 10)? } else { self.today() + Duration::days(5) };
        self.set_today(day, 6)?;
        let set = FLOOD_SETS
            .get(usize::try_from(phase).unwrap_or(0) % FLOOD_SETS.len())
            .copied()
            .unwrap_or(FLOOD_SETS[0]);
        let hit: Vec<RegionCode> = set.iter().map(|c| c.parse()).collect::<Result<_, _>>()?;
        let incident: IncidentId = ids.next_id();
        let incident_name = format!("Banjir Sungai Rungan {}", day.format("%B %Y"));

        // The roster opens the incident, its posts and the shifts it needs.
        let start = at_wib(day, 6)?;
        let mut commands = vec![RosterCommand::OpenIncident {
            incident,
            name: Name::try_new(&incident_name)?,
            hazard: Hazard::Flood,
            affected: hit.iter().copied().collect(),
            start,
        }];
        let mut shifts: Vec<Shift> = Vec::new();
        for kelurahan in &hit {
            let kname = self.gazetteer.name(*kelurahan).unwrap_or("?").to_owned();
            let posko = Post::new(
                ids.next_id(),
                PostKind::Posko,
                Name::try_new(format!("Posko {kname}"))?,
                *kelurahan,
            );
            let dapur = Post::new(
                ids.next_id(),
                PostKind::DapurUmum,
                Name::try_new(format!("Dapur Umum {kname}"))?,
                *kelurahan,
            );
            let shelter = Post::new(
                ids.next_id(),
                PostKind::Shelter,
                Name::try_new(format!("Pengungsian {kname}"))?,
                *kelurahan,
            );
            for post in [&posko, &dapur, &shelter] {
                commands.push(RosterCommand::OpenPost { incident, post: (*post).clone() });
            }
            for d in 0..3i64 {
                for (from, to) in [(6i64, 14i64), (14, 22)] {
                    let s = start + Duration::days(d) + Duration::hours(from - 6);
                    let e = start + Duration::days(d) + Duration::hours(to - 6);
                    shifts.push(
                        Shift::new(
                            ids.next_id(),
                            incident,
                            posko.id,
                            Name::try_new("evakuasi perahu")?,
                            s,
                            e,
                            3,
                        )
                        .with_skill(code(competency::BOAT)?, 1)
                        .with_credential(code(competency::PREPAREDNESS)?, 1),
                    );
                    shifts.push(
                        Shift::new(
                            ids.next_id(),
                            incident,
                            dapur.id,
                            Name::try_new("dapur umum")?,
                            s,
                            e,
                            2,
                        )
                        .with_skill(code(competency::KITCHEN)?, 1),
                    );
                }
                let s = start + Duration::days(d) + Duration::hours(3);
                shifts.push(
                    Shift::new(
                        ids.next_id(),
                        incident,
                        shelter.id,
                        Name::try_new("dukungan psikososial")?,
                        s,
                        s + Duration::hours(6),
                        1,
                    )
                    .with_credential(code(competency::PSYCHOSOCIAL)?, 1),
                );
            }
        }
        commands
            .extend(shifts.iter().map(|shift| RosterCommand::PostShift { shift: shift.clone() }));
        let id_seed: AssignmentId = ids.next_id();
        commands.push(RosterCommand::AutoFill { incident, id_seed, confirm: true });
        run_all(&mut self.roster, &self.actor, commands, &mut Quiet)?;

        // The registry records the impact, household by household.
        let mut impacts = Vec::new();
        for h in self
            .registry
            .state()
            .households()
            .filter(|h| h.is_active() && hit.contains(&h.kelurahan))
        {
            let dwelling = h.dwelling.and_then(|d| self.registry.state().dwelling(d));
            let (near, floor) = dwelling.map_or((true, 50), |d| {
                (
                    d.details.distance_to_river_m.is_none_or(|m| m < 1_500),
                    d.details.floor_height_cm.unwrap_or(50),
                )
            });
            if !near {
                continue;
            }
            let water =
                60 + u16::from(h.id.to_string().as_bytes().last().copied().unwrap_or(0) % 16) * 15;
            let depth_inside = water.saturating_sub(floor);
            let damage = match depth_inside {
                0 => DamageLevel::Undamaged,
                1..=50 => DamageLevel::Light,
                51..=120 => DamageLevel::Moderate,
                _ => DamageLevel::Heavy,
            };
            let mut impact = IncidentImpact::new(incident, day, water, damage);
            impact.displaced = depth_inside > 80;
            impact.needs = BTreeSet::from([Need::Food, Need::CleanWater]);
            if impact.displaced {
                impact.needs.insert(Need::Shelter);
                impact.needs.insert(Need::Psychosocial);
            }
            impacts.push(RegistryCommand::RecordIncidentImpact(RecordIncidentImpact {
                household: h.id,
                impact,
            }));
        }
        progress.start("flood impact", u64::try_from(impacts.len()).unwrap_or(0));
        run_all(&mut self.registry, &self.actor, impacts, progress)?;
        progress.finish();

        // Volunteers serve their shifts: in at the start, out at the end.
        let mut moments: BTreeMap<DateTime<Utc>, Vec<RosterCommand>> = BTreeMap::new();
        for a in
            self.roster.state().assignments().filter(|a| a.status == AssignmentStatus::Confirmed)
        {
            let Some(shift) = self.roster.state().shift(a.shift) else { continue };
            if shift.incident != incident {
                continue;
            }
            moments
                .entry(shift.start)
                .or_default()
                .push(RosterCommand::CheckIn { assignment: a.id });
            moments
                .entry(shift.end)
                .or_default()
                .push(RosterCommand::CheckOut { assignment: a.id, minutes: None });
        }
        for (at, commands) in moments {
            if at > self.clock.now() {
                self.clock.set(at);
            }
            run_all(&mut self.roster, &self.actor, commands, &mut Quiet)?;
        }

        // The assistance round: affected households that are vulnerable, poor
        // (desil 1–4) or displaced receive sembako from the Dinas Sosial.
        let round =
            Round::new(AidProgramme::try_new(format!("banjir {}", day.format("%b %Y")))?, 1);
        let criteria = Criteria::All(vec![
            Criteria::AffectedBy {
                incident,
                min_depth_cm: None,
                min_damage: None,
                displaced: None,
            },
            Criteria::Any(vec![
                Criteria::AnyVulnerable,
                Criteria::DesilAtMost { desil: 4, max_age_days: Some(365) },
            ]),
        ]);
        let eligible =
            self.registry.state().target(&criteria, day, &VulnerabilityThresholds::default());
        let items = vec![
            Item::new(ItemName::try_new("beras")?, Decimal::from(10), Unit::try_new("kg")?),
            Item::new(
                ItemName::try_new("minyak goreng")?,
                Decimal::from(2),
                Unit::try_new("liter")?,
            ),
            Item::new(ItemName::try_new("air minum")?, Decimal::from(2), Unit::try_new("dus")?),
        ];
        let distributions: Vec<RegistryCommand> = eligible
            .iter()
            .map(|e| {
                RegistryCommand::RecordDistribution(RecordDistribution {
                    household: e.household,
                    distribution: Distribution::new(
                        round.clone(),
                        items.clone(),
                        self.organizations.dinsos.id,
                        day + Duration::days(2),
                    ),
                })
            })
            .collect();
        progress.start("assistance round", u64::try_from(distributions.len()).unwrap_or(0));
        run_all(&mut self.registry, &self.actor, distributions, progress)?;
        progress.finish();

        // Borrowers in affected households get relief: a three-month payment
        // holiday with interest deferred, the term extended by three months,
        // and the class frozen at its pre-flood level for a year (the model
        // of OJK's special treatment for disaster areas, POJK 45/2017).
        let candidates = relief_candidates(self.registry.state(), self.ledger.state(), incident);
        let borrowers: Vec<PersonId> =
            candidates.iter().map(|c| c.borrower).collect::<BTreeSet<_>>().into_iter().collect();
        let mut relieved_loans = 0;
        if !borrowers.is_empty() {
            let relief_day = day + Duration::days(5);
            self.set_today(relief_day, 10)?;
            let policy = ReliefPolicy::new(
                3,
                HolidayInterest::Deferred,
                3,
                ClassificationTreatment::FrozenAtPreDisaster {
                    until: relief_day + Duration::days(365),
                },
            );
            let request = ReliefRequest::new(incident, day, relief_day, borrowers, policy);
            let outcome = self.ledger.execute(Submission::new(
                self.actor.clone(),
                LedgerCommand::Koperasi(KoperasiCommand::Relieve(request)),
            ))?;
            relieved_loans = outcome
                .events()
                .filter(|e| matches!(e, LedgerEvent::Koperasi(KoperasiEvent::LoanRelieved(_))))
                .count();
        }

        let report_day = day + Duration::days(10);
        self.set_today(report_day, 17)?;
        let report = self.report(Some((incident, &round)))?;
        Ok(PhaseSummary {
            phase,
            incident,
            incident_name,
            hit,
            round,
            relieved_loans,
            relief_candidates: candidates.len(),
            report,
        })
    }

    /// The resilience report as of today, with the response to `incident`.
    ///
    /// # Errors
    ///
    /// [`ScenarioError::LedgerQuery`] if a loan sum overflows.
    pub fn report(
        &self,
        incident: Option<(IncidentId, &Round)>,
    ) -> Result<ResilienceReport, ScenarioError> {
        let organizations = self.organizations.all();
        let mut scope = ReportScope::new(self.today(), &self.gazetteer, &organizations);
        if let Some((incident, round)) = incident {
            scope = scope.with_incident(incident, round);
        }
        Ok(resilience_report(
            self.registry.state(),
            self.roster.state(),
            self.curriculum.state(),
            self.ledger.state(),
            &scope,
        )?)
    }
}

fn last_time<A: Aggregate>(book: &StoreBook<A>) -> Result<Option<DateTime<Utc>>, ScenarioError>
where
    A::Event: Clone,
{
    let last = book.last_sequence();
    if last == 0 {
        return Ok(None);
    }
    use tangguh_core::Journal as _;
    Ok(book.journal().read_range(last, last)?.first().map(|r| r.recorded_at))
}

#[derive(Clone, Copy, Debug)]
struct Courses {
    preparedness: CourseId,
    first_aid: CourseId,
    psychosocial: CourseId,
    bookkeeping: CourseId,
}

#[derive(Clone, Debug, Default)]
struct Trainees {
    preparedness: Vec<PersonId>,
    first_aid: Vec<PersonId>,
    psychosocial: Vec<PersonId>,
    bookkeeping: Vec<PersonId>,
}

//! Integration tests of `tangguh-curriculum`.

// Test helpers outside `#[test]` functions may panic: a panic is a failure.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]

mod attendance;
mod certificates;
mod enrollment;
mod exports;
mod prerequisites;
mod queries;
mod replay;

use std::collections::BTreeSet;
use std::sync::Arc;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use tangguh_core::{
    Actor, Book, CertificateNumber, FixedClock, IdGenerator, MemoryJournal, Name, OrganizationId,
    PersonId, RegionCode, wib,
};
use tangguh_curriculum::{
    AssessmentResult, AttendanceStatus, CertificateId, CohortId, CohortSpec, CompletionRule,
    CourseCode, CourseId, Curriculum, CurriculumCommand as C, CurriculumError, CurriculumEvent,
    GrantedCompetency, Organisers, Programme, RequirementId, RequirementNode, Session, SessionId,
    Validity, VersionSpec,
};

pub(crate) fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

/// `hour`:00 WIB on the day, in UTC.
pub(crate) fn at(day: NaiveDate, hour: u32) -> DateTime<Utc> {
    wib().from_local_datetime(&day.and_hms_opt(hour, 0, 0).unwrap()).unwrap().with_timezone(&Utc)
}

pub(crate) fn rule(percent: u8) -> CompletionRule {
    CompletionRule {
        min_attendance_percent: percent,
        pass_mark: None,
        accept_conditional_pass: false,
        min_hours: None,
    }
}

pub(crate) fn spec(validity: Validity) -> VersionSpec {
    VersionSpec { modules: vec![], competencies: vec![], validity, rule: rule(75), refreshes: None }
}

pub(crate) fn granting(validity: Validity, competency: &str, level: u8) -> VersionSpec {
    VersionSpec {
        competencies: vec![GrantedCompetency { competency: competency.parse().unwrap(), level }],
        ..spec(validity)
    }
}

pub(crate) fn kelurahan() -> RegionCode {
    "62.71.05.1004".parse().unwrap()
}

/// A curriculum book at 28 November 2026, 09:00 WIB, with helpers.
pub(crate) struct World {
    pub(crate) book: Book<Curriculum, MemoryJournal<CurriculumEvent>>,
    pub(crate) clock: Arc<FixedClock>,
    pub(crate) ids: IdGenerator,
    pub(crate) actor: Actor,
    pub(crate) lead: OrganizationId,
    next_day: NaiveDate,
    codes: u32,
}

impl World {
    pub(crate) fn new() -> Self {
        let clock = Arc::new(FixedClock::wib(2026, 11, 28, 9, 0));
        let book = Book::open(MemoryJournal::new(), clock.clone()).unwrap();
        let ids = IdGenerator::deterministic(5);
        let lead = ids.next_id();
        Self {
            book,
            clock,
            ids,
            actor: Actor::try_new("tester").unwrap(),
            lead,
            next_day: d(2026, 1, 5),
            codes: 0,
        }
    }

    pub(crate) fn state(&self) -> &Curriculum {
        self.book.state()
    }

    pub(crate) fn id<T: tangguh_core::Id>(&self) -> T {
        self.ids.next_id()
    }

    pub(crate) fn run(&mut self, cmd: C) -> Result<Vec<CurriculumEvent>, CurriculumError> {
        match self.book.run(&self.actor, cmd) {
            Ok(outcome) => Ok(outcome.events().cloned().collect()),
            Err(e) => Err(e.rejection().cloned().expect("a domain rejection")),
        }
    }

    pub(crate) fn ok(&mut self, cmd: C) -> Vec<CurriculumEvent> {
        self.run(cmd).unwrap()
    }

    /// Runs a command that must be refused, and checks nothing changed.
    pub(crate) fn err(&mut self, cmd: C) -> CurriculumError {
        let before = self.state().clone();
        let sequence = self.book.last_sequence();
        let e = self.run(cmd).unwrap_err();
        assert_eq!(self.state(), &before);
        assert_eq!(self.book.last_sequence(), sequence);
        e
    }

    pub(crate) fn course_with(
        &mut self,
        programmes: &[Programme],
        version: VersionSpec,
    ) -> CourseId {
        let course = self.id();
        self.codes += 1;
        self.ok(C::CreateCourse {
            course,
            code: CourseCode::try_new(format!("C-{}", self.codes)).unwrap(),
            title: Name::try_new(format!("Course {}", self.codes)).unwrap(),
            description: "A course".into(),
            programmes: programmes.iter().copied().collect::<BTreeSet<_>>(),
            version,
        });
        course
    }

    pub(crate) fn course(&mut self) -> CourseId {
        self.course_with(&[Programme::Preparedness], spec(Validity::Months(24)))
    }

    pub(crate) fn requirement(&mut self, node: RequirementNode) -> RequirementId {
        let id = self.id();
        self.ok(C::DefineRequirement { requirement: id, node });
        id
    }

    pub(crate) fn requires(&mut self, course: CourseId, node: RequirementNode) -> RequirementId {
        let r = self.requirement(node);
        self.ok(C::SetPrerequisite { course, requirement: Some(r) });
        r
    }

    /// A cohort spec with `sessions` daily sessions 08:00–12:00 WIB from `day`.
    pub(crate) fn cohort_spec(
        &self,
        course: CourseId,
        day: NaiveDate,
        sessions: usize,
        capacity: u32,
    ) -> CohortSpec {
        CohortSpec {
            course,
            organisers: Organisers { lead: self.lead, partners: vec![self.id()] },
            trainers: vec![self.id()],
            venue: kelurahan(),
            sessions: (0..sessions)
                .map(|i| {
                    let start = at(day, 8) + Duration::days(i64::try_from(i).unwrap());
                    Session { id: self.id(), starts_at: start, ends_at: start + Duration::hours(4) }
                })
                .collect(),
            capacity,
        }
    }

    /// Schedules a cohort on the next free days (in the past of the clock).
    pub(crate) fn cohort(&mut self, course: CourseId, sessions: usize, capacity: u32) -> CohortId {
        let day = self.next_day;
        self.next_day = day + Duration::days(i64::try_from(sessions).unwrap() + 1);
        self.cohort_on(course, day, sessions, capacity)
    }

    pub(crate) fn cohort_on(
        &mut self,
        course: CourseId,
        day: NaiveDate,
        sessions: usize,
        capacity: u32,
    ) -> CohortId {
        let cohort = self.id();
        let spec = self.cohort_spec(course, day, sessions, capacity);
        self.ok(C::ScheduleCohort { cohort, spec });
        cohort
    }

    pub(crate) fn sessions(&self, cohort: CohortId) -> Vec<SessionId> {
        self.state().cohort(cohort).unwrap().sessions.iter().map(|s| s.id).collect()
    }

    pub(crate) fn attend_all(&mut self, cohort: CohortId, person: PersonId) {
        for session in self.sessions(cohort) {
            self.ok(C::RecordAttendance {
                cohort,
                session,
                person,
                status: AttendanceStatus::Present,
            });
        }
    }

    pub(crate) fn pass(&mut self, cohort: CohortId, person: PersonId) {
        self.ok(C::RecordAssessment {
            cohort,
            person,
            result: AssessmentResult::Pass,
            score: Some(90),
        });
    }

    pub(crate) fn issue(
        &mut self,
        cohort: CohortId,
        person: PersonId,
        issued_on: NaiveDate,
    ) -> Result<CertificateId, CurriculumError> {
        let certificate = self.id();
        self.codes += 1;
        self.run(C::IssueCertificate {
            cohort,
            person,
            certificate,
            number: CertificateNumber::try_new(format!("CERT/{}", self.codes)).unwrap(),
            issued_on,
        })
        .map(|_| certificate)
    }

    /// Enrols, attends everything, passes and gets the certificate of
    /// `course` in a fresh one-session cohort; issued on the session's day.
    pub(crate) fn complete(&mut self, person: PersonId, course: CourseId) -> CertificateId {
        let cohort = self.cohort(course, 1, 30);
        self.ok(C::Enrol { cohort, person });
        self.attend_all(cohort, person);
        self.pass(cohort, person);
        let day = self.state().cohort(cohort).unwrap().end_date().unwrap();
        self.issue(cohort, person, day).unwrap()
    }

    /// The WIB day of the last cohort scheduled by [`World::cohort`] helper.
    pub(crate) fn last_day(&self, cohort: CohortId) -> NaiveDate {
        self.state().cohort(cohort).unwrap().end_date().unwrap()
    }
}

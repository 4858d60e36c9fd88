//! tangguh-curriculum: courses, prerequisites, cohorts, attendance, results
//! and certificates that expire.
//!
//! Local government and its partners train residents of Rakumpit: flood
//! preparedness and evacuation, first aid, psychosocial support, UMKM skills,
//! health education. This crate keeps the catalogue (versioned courses), the
//! requirement graph (prerequisites that can never form a cycle), cohorts with
//! capacity and a waitlist, attendance, assessment and hours as three separate
//! facts, walk-ins, and certificates issued only when a course version's
//! completion rule is met. Certificates are exposed as core
//! [`Credential`](tangguh_core::Credential)s for the roster, and exported as
//! Open Badges 3.0 credentials and xAPI statements.
//!
//! ```
//! use std::collections::BTreeSet;
//! use std::sync::Arc;
//! use chrono::{NaiveDate, TimeZone, Utc};
//! use rust_decimal::Decimal;
//! use tangguh_core::{Actor, Book, CertificateNumber, FixedClock, IdGenerator, MemoryJournal, Name};
//! use tangguh_curriculum::{
//!     AssessmentResult, AttendanceStatus, CohortSpec, CompletionRule, CourseCode, Curriculum,
//!     CurriculumCommand as C, Organisers, Programme, Session, Validity, VersionSpec,
//! };
//!
//! let clock = Arc::new(FixedClock::wib(2026, 11, 28, 9, 0));
//! let mut book: Book<Curriculum, _> = Book::open(MemoryJournal::new(), clock)?;
//! let actor = Actor::try_new("bpbd-admin")?;
//! let ids = IdGenerator::deterministic(1);
//! let (course, cohort, session, siti) = (ids.next_id(), ids.next_id(), ids.next_id(), ids.next_id());
//!
//! book.run(&actor, C::CreateCourse {
//!     course,
//!     code: CourseCode::try_new("PB-SIAGA-01")?,
//!     title: Name::try_new("Siaga Banjir Dasar")?,
//!     description: "Flood preparedness and evacuation".into(),
//!     programmes: BTreeSet::from([Programme::Preparedness]),
//!     version: VersionSpec {
//!         modules: vec![],
//!         competencies: vec![],
//!         validity: Validity::Months(24),
//!         rule: CompletionRule {
//!             min_attendance_percent: 100,
//!             pass_mark: None,
//!             accept_conditional_pass: false,
//!             min_hours: None,
//!         },
//!         refreshes: None,
//!     },
//! })?;
//! let starts_at = Utc.with_ymd_and_hms(2026, 11, 20, 1, 0, 0).unwrap();
//! book.run(&actor, C::ScheduleCohort {
//!     cohort,
//!     spec: CohortSpec {
//!         course,
//!         organisers: Organisers { lead: ids.next_id(), partners: vec![] },
//!         trainers: vec![],
//!         venue: "62.71.05.1004".parse()?,
//!         sessions: vec![Session { id: session, starts_at, ends_at: starts_at + chrono::Duration::hours(3) }],
//!         capacity: 25,
//!     },
//! })?;
//! book.run(&actor, C::Enrol { cohort, person: siti })?;
//! book.run(&actor, C::RecordAttendance { cohort, session, person: siti, status: AttendanceStatus::Present })?;
//! book.run(&actor, C::RecordAssessment { cohort, person: siti, result: AssessmentResult::Pass, score: None })?;
//! book.run(&actor, C::IssueCertificate {
//!     cohort,
//!     person: siti,
//!     certificate: ids.next_id(),
//!     number: CertificateNumber::try_new("BPBD/PB/2026/0001")?,
//!     issued_on: NaiveDate::from_ymd_opt(2026, 11, 21).unwrap(),
//! })?;
//! assert!(book.state().is_prepared(siti, NaiveDate::from_ymd_opt(2028, 11, 20).unwrap()));
//! assert!(!book.state().is_prepared(siti, NaiveDate::from_ymd_opt(2028, 11, 21).unwrap()));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Overview
//!
//! | Area | Types |
//! |---|---|
//! | state | [`Curriculum`] (queries are its methods), [`CurriculumCommand`], [`CurriculumEvent`], [`CurriculumError`] |
//! | catalogue | [`Course`], [`CourseCode`], [`CourseVersion`], [`VersionSpec`], [`Module`], [`GrantedCompetency`], [`Validity`], [`CompletionRule`], [`Programme`] |
//! | requirements | [`RequirementNode`], [`GraphNode`], [`Track`], [`Eligibility`], [`Unmet`], [`PathTarget`], [`LearningPath`] |
//! | cohorts | [`Cohort`], [`CohortSpec`], [`Session`], [`Organisers`], [`Participation`], [`ParticipantStatus`], [`AttendanceStatus`], [`AssessmentResult`], [`Assessment`], [`WalkIn`], [`Shortfall`] |
//! | certificates | [`Certificate`], [`Renewal`], [`Revocation`] |
//! | reports | [`Transcript`], [`AttendanceSheet`], [`Coverage`] |
//! | exports | [`open_badge`], [`xapi_statements`], [`ExportConfig`]; JSON shapes in [`export`] |
//!
//! # Rules
//!
//! - The requirement graph has no cycle and no dangling reference: a
//!   [`CurriculumCommand::DefineRequirement`] or
//!   [`CurriculumCommand::SetPrerequisite`] that would close one is refused
//!   with [`CurriculumError::Cycle`] naming the path.
//! - Enrolment checks the prerequisites on the cohort's start date, refuses a
//!   double enrolment and sessions overlapping another cohort the person takes
//!   part in; with no free seat the person joins the waitlist, and a freed
//!   seat goes to the first waiting person who still qualifies.
//! - A certificate is issued only when the cohort's course version's
//!   [`CompletionRule`] is met by the recorded attendance, assessment and
//!   hours; it is pinned to that version.
#![cfg_attr(docsrs, feature(doc_cfg))]
#![deny(clippy::print_stdout, clippy::print_stderr)]

mod certificate;
mod cohort;
mod command;
mod compiled;
mod course;
mod curriculum;
mod digest;
mod error;
mod event;
pub mod export;
mod ids;
mod query;
mod requirement;

pub use certificate::{Certificate, Renewal, Revocation};
pub use cohort::{
    Assessment, AssessmentResult, AttendanceStatus, Cohort, CohortSpec, Organisers,
    ParticipantStatus, Participation, PinnedVersion, Session, Shortfall, WalkIn,
};
pub use command::CurriculumCommand;
pub use course::{
    CompletionRule, Course, CourseCode, CourseVersion, GrantedCompetency, MAX_DESCRIPTION, Module,
    Programme, Validity, VersionSpec,
};
pub use curriculum::Curriculum;
pub use error::CurriculumError;
pub use event::CurriculumEvent;
pub use export::{ExportConfig, open_badge, xapi_statements};
pub use ids::{CertificateId, CohortId, CourseId, RequirementId, SessionId, TrackId, WalkInId};
pub use query::{AttendanceRow, AttendanceSheet, Attendee, Coverage, Transcript, TranscriptLine};
pub use requirement::{
    Eligibility, GraphNode, LearningPath, PathTarget, RequirementNode, Track, Unmet,
};

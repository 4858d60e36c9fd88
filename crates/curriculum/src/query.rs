//! Queries: eligibility, learning paths, transcripts, attendance sheets,
//! expiring certificates and preparedness coverage.

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Days, NaiveDate};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use tangguh_core::{CompetencyCode, Credential, HouseholdId, Name, PersonId, RegionCode, age_on};

use crate::certificate::Certificate;
use crate::cohort::{AssessmentResult, AttendanceStatus, Cohort, ParticipantStatus, PinnedVersion};
use crate::compiled::Node;
use crate::course::Course;
use crate::curriculum::{Curriculum, Held, Learner, Validity};
use crate::digest::Digest;
use crate::error::CurriculumError;
use crate::ids::{CertificateId, CohortId, CourseId, RequirementId, SessionId, TrackId, WalkInId};
use crate::requirement::{Eligibility, LearningPath, PathTarget, RequirementNode, Track, Unmet};

/// One line of a transcript: a cohort the person enrolled in, waited for or
/// walked into, pinned to the course version it ran.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct TranscriptLine {
    /// The cohort.
    pub cohort: CohortId,
    /// The course and version.
    pub course: PinnedVersion,
    /// Where the person stands in it.
    pub status: Option<ParticipantStatus>,
    /// Sessions attended (present or late).
    pub attended: u32,
    /// Sessions in the cohort.
    pub sessions: u32,
    /// Hours credited.
    pub hours: Option<Decimal>,
    /// Assessment result.
    pub result: Option<AssessmentResult>,
    /// Score.
    pub score: Option<u8>,
    /// Certificate earned.
    pub certificate: Option<CertificateId>,
}

/// Everything a person did in the curriculum.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Transcript {
    /// The person.
    pub person: PersonId,
    /// Cohorts, by cohort id (mint order).
    pub lines: Vec<TranscriptLine>,
    /// Certificates, in issue order.
    pub certificates: Vec<Certificate>,
    /// Credentials recorded from other issuers.
    pub external: Vec<Credential>,
}

/// Who a row of an attendance sheet is.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Attendee {
    /// A person in the cohort.
    Person {
        /// The person.
        person: PersonId,
        /// Their status.
        status: Option<ParticipantStatus>,
    },
    /// A walk-in not yet linked.
    WalkIn {
        /// The walk-in.
        walk_in: WalkInId,
        /// The name on the sheet.
        name: Name,
    },
}

/// One row of an attendance sheet.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AttendanceRow {
    /// Who.
    pub attendee: Attendee,
    /// The mark per session, in the sheet's session order (`None` = not
    /// recorded).
    pub marks: Vec<Option<AttendanceStatus>>,
    /// Sessions attended.
    pub attended: u32,
}

/// A cohort's attendance sheet: seated and linked participants, then
/// unlinked walk-ins.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct AttendanceSheet {
    /// The cohort.
    pub cohort: CohortId,
    /// The sessions, in time order.
    pub sessions: Vec<SessionId>,
    /// The rows.
    pub rows: Vec<AttendanceRow>,
}

/// Coverage of one kelurahan.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Coverage {
    /// Households in the kelurahan (from the caller's map).
    pub households: u32,
    /// Those with at least one member holding a valid preparedness
    /// certificate.
    pub covered: u32,
}

impl Coverage {
    /// `covered / households` as an exact decimal (0 for no households),
    /// rounded to 4 places half-even.
    #[must_use]
    pub fn share(&self) -> Decimal {
        if self.households == 0 {
            return Decimal::ZERO;
        }
        Decimal::from(self.covered)
            .checked_div(Decimal::from(self.households))
            .map_or(Decimal::ZERO, |d| d.round_dp(4))
    }
}

impl Curriculum {
    /// A course.
    #[must_use]
    pub fn course(&self, id: CourseId) -> Option<&Course> {
        self.courses.get(&id)
    }

    /// Every course, by id.
    pub fn courses(&self) -> impl Iterator<Item = &Course> {
        self.courses.values()
    }

    /// A requirement node.
    #[must_use]
    pub fn requirement(&self, id: RequirementId) -> Option<&RequirementNode> {
        self.requirements.get(&id)
    }

    /// A track.
    #[must_use]
    pub fn track(&self, id: TrackId) -> Option<&Track> {
        self.tracks.get(&id)
    }

    /// A cohort.
    #[must_use]
    pub fn cohort(&self, id: CohortId) -> Option<&Cohort> {
        self.cohorts.get(&id)
    }

    /// Every cohort, by id.
    pub fn cohorts(&self) -> impl Iterator<Item = &Cohort> {
        self.cohorts.values()
    }

    /// A certificate.
    #[must_use]
    pub fn certificate(&self, id: CertificateId) -> Option<&Certificate> {
        self.certificates.get(&id)
    }

    /// Every certificate, by id.
    pub fn certificates(&self) -> impl Iterator<Item = &Certificate> {
        self.certificates.values()
    }

    /// A learner's recorded birth date.
    #[must_use]
    pub fn birth_date(&self, person: PersonId) -> Option<NaiveDate> {
        self.learner(person).and_then(|l| l.birth_date)
    }

    /// The person's credentials valid on `on`: from this curriculum's
    /// certificates (one per competency) and recorded from other issuers.
    /// What the roster checks before it sends a volunteer.
    #[must_use]
    pub fn credentials_on(&self, person: PersonId, on: NaiveDate) -> Vec<Credential> {
        let Some(learner) = self.learner(person) else { return Vec::new() };
        let mut out: Vec<Credential> = learner
            .held
            .iter()
            .filter(|h| h.is_valid_on(on))
            .filter_map(|h| self.certificates.get(&h.id))
            .flat_map(Certificate::credentials)
            .collect();
        out.extend(learner.external.iter().filter(|c| c.is_valid_on(on)).cloned());
        out
    }

    /// The person's learner record and digest (none for a person never
    /// seen).
    pub(crate) fn subject(&self, person: PersonId) -> Subject<'_> {
        match self.learner_index.get(&person) {
            Some(&i) => {
                Subject { cur: self, learner: self.learners.get(i), digest: self.digests.get(i) }
            }
            None => Subject { cur: self, learner: None, digest: None },
        }
    }

    /// Evaluates requirement `id` for `subject` on `on`. With a sink, the
    /// unmet requirements are pushed to it.
    pub(crate) fn evaluate(
        &self,
        id: RequirementId,
        subject: Subject<'_>,
        on: NaiveDate,
        sink: Option<&mut Vec<Unmet>>,
    ) -> bool {
        self.compiled.position(id).is_some_and(|p| self.evaluate_at(p, subject, on, sink))
    }

    /// Evaluates the compiled node at `position`. With a sink, the unmet
    /// requirements are pushed to it; a node that is met pushes nothing, so
    /// one pass with a sink answers both "whether" and "why not".
    fn evaluate_at(
        &self,
        position: usize,
        subject: Subject<'_>,
        on: NaiveDate,
        mut sink: Option<&mut Vec<Unmet>>,
    ) -> bool {
        let Some(node) = self.compiled.node(position) else { return false };
        match node {
            Node::Course { course, still_valid } => {
                let rank = self.course_table.node_rank(position);
                subject.course_met(*course, rank, *still_valid, on, sink)
            }
            Node::Credential { competency, level } => {
                let met = subject.holds(competency, *level, on);
                if !met && let Some(out) = sink {
                    out.push(Unmet::CredentialMissing {
                        competency: competency.clone(),
                        level: *level,
                    });
                }
                met
            }
            Node::Age { years } => {
                let age = subject.birth_date().map(|b| age_on(b, on));
                let met = age.is_some_and(|a| a >= u32::from(*years));
                if !met && let Some(out) = sink {
                    out.push(Unmet::TooYoung { minimum: *years, age });
                }
                met
            }
            Node::All { of } => {
                let mut met = true;
                for child in of {
                    met &= self.evaluate_at(*child, subject, on, sink.as_deref_mut());
                    if !met && sink.is_none() {
                        return false;
                    }
                }
                met
            }
            Node::AtLeast { id, n, of } => {
                let mut met = 0u32;
                for child in of {
                    if self.evaluate_at(*child, subject, on, None) {
                        met = met.saturating_add(1);
                        if met >= *n {
                            return true;
                        }
                    }
                }
                if let Some(out) = sink {
                    out.push(Unmet::GroupShort { requirement: *id, needed: *n, met });
                    for child in of {
                        if !self.evaluate_at(*child, subject, on, None) {
                            self.evaluate_at(*child, subject, on, Some(out));
                        }
                    }
                }
                false
            }
            Node::Missing => false,
        }
    }

    /// Whether `person` meets requirement `id` on `on` (no allocation: the
    /// fast check).
    #[must_use]
    pub fn meets(&self, person: PersonId, id: RequirementId, on: NaiveDate) -> bool {
        self.evaluate(id, self.subject(person), on, None)
    }

    /// Whether `person` may enrol in `course` on `on`: its prerequisite, and
    /// what is unmet.
    ///
    /// # Errors
    ///
    /// [`CurriculumError::UnknownReference`] for an unknown course.
    pub fn course_eligibility(
        &self,
        person: PersonId,
        course: CourseId,
        on: NaiveDate,
    ) -> Result<Eligibility, CurriculumError> {
        let prerequisite = self
            .course_table
            .prerequisite(course)
            .ok_or_else(|| CurriculumError::unknown("course", course))?;
        let mut unmet = Vec::new();
        if let Some(position) = prerequisite {
            // One pass with the sink: nothing is pushed when it is met.
            self.evaluate_at(position, self.subject(person), on, Some(&mut unmet));
        }
        Ok(Eligibility { on, unmet })
    }

    /// Whether `person` holds `track` on `on`: every course completed with a
    /// certificate valid that day, and the track's extra requirement.
    ///
    /// # Errors
    ///
    /// [`CurriculumError::UnknownReference`] for an unknown track.
    pub fn track_eligibility(
        &self,
        person: PersonId,
        track: TrackId,
        on: NaiveDate,
    ) -> Result<Eligibility, CurriculumError> {
        let t = self.tracks.get(&track).ok_or_else(|| CurriculumError::unknown("track", track))?;
        let subject = self.subject(person);
        let mut unmet = Vec::new();
        for course in &t.courses {
            subject.course_met(*course, None, true, on, Some(&mut unmet));
        }
        if let Some(req) = t.requirement {
            self.evaluate(req, subject, on, Some(&mut unmet));
        }
        Ok(Eligibility { on, unmet })
    }

    /// The courses `person` should take, in a valid order, to reach `target`
    /// as of `on`, and what no course can fix.
    ///
    /// Greedy and explainable rather than globally optimal: for an any-of or
    /// n-of-m group it picks the members needing the fewest new courses (ties:
    /// the order listed); for a credential, the course granting it (at the
    /// level) needing the fewest new courses (ties: course code). Courses
    /// already planned count as completed for what follows.
    ///
    /// # Errors
    ///
    /// [`CurriculumError::UnknownReference`] for an unknown course or track.
    pub fn learning_path(
        &self,
        person: PersonId,
        target: &PathTarget,
        on: NaiveDate,
    ) -> Result<LearningPath, CurriculumError> {
        let planner = Planner { cur: self, subject: self.subject(person), on };
        let mut plan = Plan::default();
        match target {
            PathTarget::Course { course } => {
                if !self.courses.contains_key(course) {
                    return Err(CurriculumError::unknown("course", course));
                }
                planner.course_node(*course, true, &mut plan);
            }
            PathTarget::Track { track } => {
                let t = self
                    .tracks
                    .get(track)
                    .ok_or_else(|| CurriculumError::unknown("track", track))?;
                for course in &t.courses {
                    planner.course_node(*course, true, &mut plan);
                }
                if let Some(req) = t.requirement {
                    planner.node(req, &mut plan);
                }
            }
            PathTarget::Credential { competency, level } => {
                planner.credential(competency, *level, &mut plan);
            }
        }
        Ok(LearningPath { courses: plan.courses, blockers: plan.blockers })
    }

    /// A person's transcript: every cohort pinned to its course version, the
    /// certificates earned, and credentials recorded from elsewhere.
    #[must_use]
    pub fn transcript(&self, person: PersonId) -> Transcript {
        let Some(learner) = self.learner(person) else {
            return Transcript {
                person,
                lines: Vec::new(),
                certificates: Vec::new(),
                external: Vec::new(),
            };
        };
        let lines = learner
            .cohorts
            .iter()
            .filter_map(|id| self.cohorts.get(id))
            .filter_map(|c| {
                let p = c.participants.get(&person)?;
                Some(TranscriptLine {
                    cohort: c.id,
                    course: PinnedVersion::new(c.course, c.version),
                    status: p.status,
                    attended: p.attended(),
                    sessions: u32::try_from(c.sessions.len()).unwrap_or(u32::MAX),
                    hours: p.hours,
                    result: p.assessment.map(|a| a.result),
                    score: p.assessment.and_then(|a| a.score),
                    certificate: p.certificate,
                })
            })
            .collect();
        let certificates =
            learner.held.iter().filter_map(|h| self.certificates.get(&h.id)).cloned().collect();
        Transcript { person, lines, certificates, external: learner.external.clone() }
    }

    /// A cohort's attendance sheet.
    ///
    /// # Errors
    ///
    /// [`CurriculumError::UnknownReference`] for an unknown cohort.
    pub fn attendance_sheet(&self, cohort: CohortId) -> Result<AttendanceSheet, CurriculumError> {
        let c =
            self.cohorts.get(&cohort).ok_or_else(|| CurriculumError::unknown("cohort", cohort))?;
        let sessions: Vec<SessionId> = c.sessions.iter().map(|s| s.id).collect();
        let row = |attendee, attendance: &BTreeMap<SessionId, AttendanceStatus>| {
            let marks: Vec<Option<AttendanceStatus>> =
                sessions.iter().map(|s| attendance.get(s).copied()).collect();
            let attended = u32::try_from(marks.iter().flatten().filter(|m| m.attended()).count())
                .unwrap_or(u32::MAX);
            AttendanceRow { attendee, marks, attended }
        };
        let mut rows: Vec<AttendanceRow> = c
            .participants
            .iter()
            .filter(|(_, p)| p.status.is_some_and(ParticipantStatus::takes_part))
            .map(|(person, p)| {
                row(Attendee::Person { person: *person, status: p.status }, &p.attendance)
            })
            .collect();
        rows.extend(
            c.walk_ins
                .iter()
                .filter_map(|w| self.walk_ins.get(w))
                .filter(|w| w.linked_to.is_none())
                .map(|w| {
                    row(Attendee::WalkIn { walk_in: w.id, name: w.name.clone() }, &w.attendance)
                }),
        );
        Ok(AttendanceSheet { cohort, sessions, rows })
    }

    /// Certificates valid on `today` whose last valid day is within `days`
    /// days of it (inclusive), soonest first (ties by number).
    #[must_use]
    pub fn expiring_within(&self, today: NaiveDate, days: u32) -> Vec<&Certificate> {
        let horizon = today.checked_add_days(Days::new(u64::from(days))).unwrap_or(NaiveDate::MAX);
        let mut out: Vec<&Certificate> = self
            .certificates
            .values()
            .filter(|c| c.is_valid_on(today))
            .filter(|c| c.valid_until.is_some_and(|last| last <= horizon))
            .collect();
        out.sort_by(|a, b| (a.valid_until, &a.number).cmp(&(b.valid_until, &b.number)));
        out
    }

    /// Whether `person` holds a certificate of a preparedness course valid on
    /// `on`.
    #[must_use]
    pub fn is_prepared(&self, person: PersonId, on: NaiveDate) -> bool {
        self.learner(person).is_some_and(|l| prepared(l, on))
    }

    /// Preparedness coverage per kelurahan on `on`: of the households the
    /// caller maps to each kelurahan, how many have at least one member (by
    /// the caller's person → household map) holding a valid preparedness
    /// certificate. Households and people missing from the maps are not
    /// counted.
    #[must_use]
    pub fn coverage(
        &self,
        on: NaiveDate,
        household_of: &BTreeMap<PersonId, HouseholdId>,
        kelurahan_of: &BTreeMap<HouseholdId, RegionCode>,
    ) -> BTreeMap<RegionCode, Coverage> {
        // Merge join: both maps are ordered by person id.
        let mut prepared = self.prepared.iter().peekable();
        let mut covered: Vec<HouseholdId> = Vec::new();
        for (person, household) in household_of {
            while prepared.next_if(|(p, _)| *p < person).is_some() {}
            if let Some((p, spans)) = prepared.peek()
                && *p == person
                && spans.contains(on)
            {
                covered.push(*household);
            }
        }
        covered.sort_unstable();
        covered.dedup();
        let mut out: BTreeMap<RegionCode, Coverage> = BTreeMap::new();
        for (household, kelurahan) in kelurahan_of {
            let entry = out.entry(*kelurahan).or_insert(Coverage { households: 0, covered: 0 });
            entry.households = entry.households.saturating_add(1);
            if covered.binary_search(household).is_ok() {
                entry.covered = entry.covered.saturating_add(1);
            }
        }
        out
    }
}

fn prepared(learner: &Learner, on: NaiveDate) -> bool {
    learner.held.iter().any(|h| h.preparedness && h.is_valid_on(on))
}

fn holds(learner: &Learner, competency: &CompetencyCode, level: u8, on: NaiveDate) -> bool {
    learner.held.iter().any(|h| {
        h.is_valid_on(on)
            && h.competencies.iter().any(|g| &g.competency == competency && g.level >= level)
    }) || learner.external.iter().any(|c| c.is_valid_on(on) && c.attests(competency, level))
}

/// Whom a requirement is evaluated for: the learner record and its digest,
/// which answers first (both `None` for a person never seen).
#[derive(Clone, Copy)]
pub(crate) struct Subject<'a> {
    cur: &'a Curriculum,
    learner: Option<&'a Learner>,
    digest: Option<&'a Digest>,
}

impl Subject<'_> {
    fn birth_date(&self) -> Option<NaiveDate> {
        match self.digest {
            Some(d) => d.birth_date(),
            None => self.learner.and_then(|l| l.birth_date),
        }
    }

    fn holds(&self, competency: &CompetencyCode, level: u8, on: NaiveDate) -> bool {
        self.digest.is_none_or(Digest::may_hold_credentials)
            && self.learner.is_some_and(|l| holds(l, competency, level, on))
    }

    /// Whether the person completed `course` (with `still_valid`, holds a
    /// certificate of it valid on `on`); if not, why, to the sink. `rank` is
    /// the course's rank if the caller knows it.
    fn course_met(
        &self,
        course: CourseId,
        rank: Option<u32>,
        still_valid: bool,
        on: NaiveDate,
        sink: Option<&mut Vec<Unmet>>,
    ) -> bool {
        let inline = self
            .digest
            .zip(rank.or_else(|| self.cur.course_table.rank(course)))
            .and_then(|(d, rank)| d.certificates_of(rank));
        let (met, completed, last_valid) = match inline {
            Some(certificates) => course_check(certificates, still_valid, on),
            None => course_check(
                self.learner
                    .into_iter()
                    .flat_map(|l| l.held.iter().filter(|h| h.course == course))
                    .map(Held::validity),
                still_valid,
                on,
            ),
        };
        if !met && let Some(out) = sink {
            out.push(if completed {
                Unmet::CourseLapsed { course, last_valid }
            } else {
                Unmet::CourseNotCompleted { course }
            });
        }
        met
    }
}

/// Over the certificates of one course: whether one issued by `on` meets
/// the requirement, else whether one was issued by then and the last day
/// any of those was valid.
fn course_check(
    certificates: impl Iterator<Item = Validity>,
    still_valid: bool,
    on: NaiveDate,
) -> (bool, bool, Option<NaiveDate>) {
    let mut completed = false;
    let mut last_valid: Option<NaiveDate> = None;
    for v in certificates.filter(|v| v.issued_on <= on) {
        if !still_valid || v.is_valid_on(on) {
            return (true, true, last_valid);
        }
        completed = true;
        last_valid = last_valid.max(v.last_valid());
    }
    (false, completed, last_valid)
}

#[derive(Clone, Default)]
struct Plan {
    courses: Vec<CourseId>,
    blockers: Vec<Unmet>,
}

struct Planner<'a> {
    cur: &'a Curriculum,
    subject: Subject<'a>,
    on: NaiveDate,
}

impl Planner<'_> {
    fn planned(plan: &Plan, course: CourseId) -> bool {
        plan.courses.contains(&course)
    }

    /// Plans `course`'s prerequisites, then the course.
    fn take_course(&self, course: CourseId, plan: &mut Plan) {
        if Self::planned(plan, course) {
            return;
        }
        if let Some(req) = self.cur.courses.get(&course).and_then(|c| c.prerequisite) {
            self.node(req, plan);
        }
        if !Self::planned(plan, course) {
            plan.courses.push(course);
        }
    }

    fn course_node(&self, course: CourseId, still_valid: bool, plan: &mut Plan) {
        if Self::planned(plan, course)
            || self.subject.course_met(course, None, still_valid, self.on, None)
        {
            return;
        }
        self.take_course(course, plan);
    }

    fn credential(&self, competency: &CompetencyCode, level: u8, plan: &mut Plan) {
        let planned_grants = plan.courses.iter().any(|c| self.grants(*c, competency, level));
        if planned_grants || self.subject.holds(competency, level, self.on) {
            return;
        }
        let mut best: Option<Plan> = None;
        let mut candidates: Vec<&Course> =
            self.cur.courses.values().filter(|c| self.grants(c.id, competency, level)).collect();
        candidates.sort_by(|a, b| a.code.cmp(&b.code));
        for course in candidates {
            let mut trial = plan.clone();
            self.take_course(course.id, &mut trial);
            let better = best.as_ref().is_none_or(|b| {
                (trial.blockers.len(), trial.courses.len()) < (b.blockers.len(), b.courses.len())
            });
            if better {
                best = Some(trial);
            }
        }
        match best {
            Some(b) => *plan = b,
            None => plan
                .blockers
                .push(Unmet::CredentialMissing { competency: competency.clone(), level }),
        }
    }

    fn grants(&self, course: CourseId, competency: &CompetencyCode, level: u8) -> bool {
        self.cur.courses.get(&course).and_then(Course::current).is_some_and(|v| {
            v.spec.competencies.iter().any(|g| &g.competency == competency && g.level >= level)
        })
    }

    /// Whether the node is met counting the planned courses as completed
    /// (approximation: planned courses satisfy course nodes and grant their
    /// current version's competencies).
    fn met_with(&self, id: RequirementId, plan: &Plan) -> bool {
        match self.cur.requirements.get(&id) {
            Some(RequirementNode::CourseCompleted { course, still_valid }) => {
                Self::planned(plan, *course)
                    || self.subject.course_met(*course, None, *still_valid, self.on, None)
            }
            Some(RequirementNode::CredentialHeld { competency, level }) => {
                plan.courses.iter().any(|c| self.grants(*c, competency, *level))
                    || self.subject.holds(competency, *level, self.on)
            }
            Some(RequirementNode::AllOf { of }) => of.iter().all(|c| self.met_with(*c, plan)),
            Some(RequirementNode::AnyOf { of }) => of.iter().any(|c| self.met_with(*c, plan)),
            Some(RequirementNode::AtLeast { n, of }) => {
                let met = of.iter().filter(|c| self.met_with(**c, plan)).count();
                usize::try_from(*n).is_ok_and(|n| met >= n)
            }
            Some(RequirementNode::MinimumAge { .. }) | None => {
                self.cur.evaluate(id, self.subject, self.on, None)
            }
        }
    }

    fn node(&self, id: RequirementId, plan: &mut Plan) {
        if self.met_with(id, plan) {
            return;
        }
        let Some(node) = self.cur.requirements.get(&id) else { return };
        match node {
            RequirementNode::CourseCompleted { course, still_valid } => {
                self.course_node(*course, *still_valid, plan);
            }
            RequirementNode::CredentialHeld { competency, level } => {
                self.credential(competency, *level, plan);
            }
            RequirementNode::MinimumAge { .. } => {
                self.cur.evaluate(id, self.subject, self.on, Some(&mut plan.blockers));
            }
            RequirementNode::AllOf { of } => {
                for child in of {
                    self.node(*child, plan);
                }
            }
            RequirementNode::AnyOf { of } => self.group(1, of, plan),
            RequirementNode::AtLeast { n, of } => self.group(*n, of, plan),
        }
    }

    fn group(&self, needed: u32, of: &[RequirementId], plan: &mut Plan) {
        let mut tried: BTreeSet<RequirementId> = BTreeSet::new();
        loop {
            let met = of.iter().filter(|c| self.met_with(**c, plan)).count();
            if usize::try_from(needed).is_ok_and(|n| met >= n) {
                return;
            }
            let mut best: Option<(RequirementId, Plan)> = None;
            for child in of.iter().filter(|c| !tried.contains(c) && !self.met_with(**c, plan)) {
                let mut trial = plan.clone();
                self.node(*child, &mut trial);
                let better = best.as_ref().is_none_or(|(_, b)| {
                    (trial.blockers.len(), trial.courses.len())
                        < (b.blockers.len(), b.courses.len())
                });
                if better {
                    best = Some((*child, trial));
                }
            }
            match best {
                Some((child, b)) => {
                    *plan = b;
                    tried.insert(child);
                }
                None => return,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coverage_share_is_exact_and_safe() {
        assert_eq!(Coverage { households: 0, covered: 0 }.share(), Decimal::ZERO);
        assert_eq!(Coverage { households: 3, covered: 2 }.share(), Decimal::new(6667, 4));
        assert_eq!(Coverage { households: 4, covered: 4 }.share(), Decimal::ONE);
    }
}

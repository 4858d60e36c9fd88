//! The curriculum's state: deciding commands and applying events.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use tangguh_core::{Aggregate, CertificateNumber, Context, Credential, PersonId};

use crate::certificate::{Certificate, Renewal, Revocation};
use crate::cohort::{Cohort, CohortSpec, ParticipantStatus, Participation, Shortfall, WalkIn};
use crate::command::CurriculumCommand;
use crate::course::{
    Course, CourseCode, CourseVersion, GrantedCompetency, MAX_DESCRIPTION, VersionSpec,
};
use crate::digest::{CourseTable, Digest};
use crate::error::CurriculumError;
use crate::event::CurriculumEvent;
use crate::ids::{CertificateId, CohortId, CourseId, RequirementId, TrackId, WalkInId};
use crate::requirement::{GraphNode, RequirementNode, Track};

/// Courses, the requirement graph, tracks, cohorts, learners and
/// certificates: the curriculum's one state type.
///
/// Change it only through a [`Book`](tangguh_core::Book) (or
/// [`Aggregate::decide`] then [`Aggregate::apply`]); query it with its
/// methods. Per-person indexes (certificates held, credentials, birth date,
/// cohorts taken) are kept up to date in `apply`, so eligibility and coverage
/// are read without scanning the journal.
///
/// It serialises (for snapshots) as its records and indexes in snake_case
/// JSON; the person lookup index is rebuilt on deserialisation.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(from = "Stored", into = "Stored")]
pub struct Curriculum {
    pub(crate) courses: BTreeMap<CourseId, Course>,
    pub(crate) course_codes: BTreeMap<CourseCode, CourseId>,
    pub(crate) requirements: BTreeMap<RequirementId, RequirementNode>,
    /// The requirement graph compiled for evaluation.
    pub(crate) compiled: crate::compiled::Compiled,
    pub(crate) tracks: BTreeMap<TrackId, Track>,
    pub(crate) cohorts: BTreeMap<CohortId, Cohort>,
    pub(crate) walk_ins: BTreeMap<WalkInId, WalkIn>,
    pub(crate) certificates: BTreeMap<CertificateId, Certificate>,
    pub(crate) certificate_numbers: BTreeMap<CertificateNumber, CertificateId>,
    /// Learners, dense, in the order they first appeared in the journal.
    pub(crate) learners: Vec<Learner>,
    /// Where each person's learner record is in `learners`.
    pub(crate) learner_index: LearnerIndex,
    /// Each learner's digest, parallel to `learners` (derived, not
    /// serialised).
    pub(crate) digests: Vec<Digest>,
    /// The courses in id order with their prerequisites' compiled positions
    /// (derived, not serialised).
    pub(crate) course_table: CourseTable,
    /// For people with a preparedness certificate: the days some such
    /// certificate is valid, by person, so the coverage report walks it
    /// alongside the caller's person map.
    pub(crate) prepared: BTreeMap<PersonId, Spans>,
}

/// Person → position in `Curriculum::learners`, hashed with foldhash (ids
/// are random bits; SipHash cost more than the rest of a lookup).
#[allow(clippy::disallowed_types)] // lookup only, never iterated into output
type LearnerIndex = std::collections::HashMap<PersonId, usize, foldhash::fast::RandomState>;

/// The serialised form of [`Curriculum`]: everything but the derived
/// indexes (person lookup, digests, course table), which are rebuilt from
/// the records.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct Stored {
    courses: BTreeMap<CourseId, Course>,
    course_codes: BTreeMap<CourseCode, CourseId>,
    requirements: BTreeMap<RequirementId, RequirementNode>,
    compiled: crate::compiled::Compiled,
    tracks: BTreeMap<TrackId, Track>,
    cohorts: BTreeMap<CohortId, Cohort>,
    walk_ins: BTreeMap<WalkInId, WalkIn>,
    certificates: BTreeMap<CertificateId, Certificate>,
    certificate_numbers: BTreeMap<CertificateNumber, CertificateId>,
    learners: Vec<Learner>,
    prepared: BTreeMap<PersonId, Spans>,
}

impl From<Stored> for Curriculum {
    fn from(s: Stored) -> Self {
        let learner_index =
            s.learners.iter().enumerate().filter_map(|(i, l)| l.person.map(|p| (p, i))).collect();
        let course_table = CourseTable::build(&s.courses, &s.compiled);
        let digests = s.learners.iter().map(|l| Digest::of(l, &course_table)).collect();
        Self {
            courses: s.courses,
            course_codes: s.course_codes,
            requirements: s.requirements,
            compiled: s.compiled,
            tracks: s.tracks,
            cohorts: s.cohorts,
            walk_ins: s.walk_ins,
            certificates: s.certificates,
            certificate_numbers: s.certificate_numbers,
            learners: s.learners,
            learner_index,
            digests,
            course_table,
            prepared: s.prepared,
        }
    }
}

impl From<Curriculum> for Stored {
    fn from(c: Curriculum) -> Self {
        Self {
            courses: c.courses,
            course_codes: c.course_codes,
            requirements: c.requirements,
            compiled: c.compiled,
            tracks: c.tracks,
            cohorts: c.cohorts,
            walk_ins: c.walk_ins,
            certificates: c.certificates,
            certificate_numbers: c.certificate_numbers,
            learners: c.learners,
            prepared: c.prepared,
        }
    }
}

/// A union of validity spans `(first day, last day or open)`, disjoint and
/// in order; the first is kept inline (most people have one), so checking a
/// date usually reads no heap memory.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Spans {
    first: (NaiveDate, Option<NaiveDate>),
    rest: Vec<(NaiveDate, Option<NaiveDate>)>,
}

impl Spans {
    /// The union of `spans` (`None` when empty or all empty).
    fn union(mut spans: Vec<(NaiveDate, Option<NaiveDate>)>) -> Option<Self> {
        spans.retain(|(from, until)| until.is_none_or(|u| u >= *from));
        spans.sort();
        let mut merged: Vec<(NaiveDate, Option<NaiveDate>)> = Vec::new();
        for (from, until) in spans {
            match merged.last_mut() {
                Some((_, last)) if last.is_none_or(|l| l.succ_opt().is_none_or(|n| from <= n)) => {
                    *last = match (*last, until) {
                        (Some(a), Some(b)) => Some(a.max(b)),
                        _ => None,
                    };
                }
                _ => merged.push((from, until)),
            }
        }
        let mut merged = merged.into_iter();
        merged.next().map(|first| Self { first, rest: merged.collect() })
    }

    /// Whether `on` is in one of the spans.
    pub(crate) fn contains(&self, on: NaiveDate) -> bool {
        let within = |(from, until): &(NaiveDate, Option<NaiveDate>)| {
            *from <= on && until.is_none_or(|u| on <= u)
        };
        within(&self.first) || (!self.rest.is_empty() && self.rest.iter().any(within))
    }
}

/// The per-person index kept by `apply`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Learner {
    pub(crate) person: Option<PersonId>,
    pub(crate) birth_date: Option<NaiveDate>,
    pub(crate) held: Vec<Held>,
    pub(crate) external: Vec<Credential>,
    /// Every cohort the person enrolled in, waited for or walked into.
    pub(crate) cohorts: BTreeSet<CohortId>,
    /// Cohorts the person currently takes part in (a seat or a linked
    /// walk-in): their sessions are the person's commitments.
    pub(crate) active: BTreeSet<CohortId>,
}

/// A certificate as the person's index holds it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Held {
    pub(crate) id: CertificateId,
    pub(crate) course: CourseId,
    pub(crate) issued_on: NaiveDate,
    pub(crate) valid_until: Option<NaiveDate>,
    pub(crate) revoked_on: Option<NaiveDate>,
    pub(crate) preparedness: bool,
    pub(crate) competencies: Vec<GrantedCompetency>,
}

impl Held {
    /// Its validity.
    pub(crate) fn validity(&self) -> Validity {
        Validity {
            issued_on: self.issued_on,
            valid_until: self.valid_until,
            revoked_on: self.revoked_on,
        }
    }

    pub(crate) fn is_valid_on(&self, date: NaiveDate) -> bool {
        self.validity().is_valid_on(date)
    }

    /// The last day it was valid (for "lapsed" answers).
    pub(crate) fn last_valid(&self) -> Option<NaiveDate> {
        self.validity().last_valid()
    }
}

/// When a certificate is valid: from its issue date to its last day (open
/// when `None`), up to the day before a revocation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Validity {
    pub(crate) issued_on: NaiveDate,
    pub(crate) valid_until: Option<NaiveDate>,
    pub(crate) revoked_on: Option<NaiveDate>,
}

impl Validity {
    pub(crate) fn is_valid_on(&self, date: NaiveDate) -> bool {
        date >= self.issued_on
            && self.valid_until.is_none_or(|last| date <= last)
            && self.revoked_on.is_none_or(|r| date < r)
    }

    /// The last day it was valid (for "lapsed" answers).
    pub(crate) fn last_valid(&self) -> Option<NaiveDate> {
        let revoked = self.revoked_on.and_then(|r| r.pred_opt());
        match (self.valid_until, revoked) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        }
    }
}

type Decided = Result<Vec<CurriculumEvent>, CurriculumError>;

impl Curriculum {
    /// An empty curriculum.
    #[must_use]
    pub fn new() -> Self {
        Self::default()
    }

    fn course_ref(&self, id: CourseId) -> Result<&Course, CurriculumError> {
        self.courses.get(&id).ok_or_else(|| CurriculumError::unknown("course", id))
    }

    fn cohort_ref(&self, id: CohortId) -> Result<&Cohort, CurriculumError> {
        self.cohorts.get(&id).ok_or_else(|| CurriculumError::unknown("cohort", id))
    }

    fn requirement_exists(&self, id: RequirementId) -> Result<(), CurriculumError> {
        if self.requirements.contains_key(&id) {
            Ok(())
        } else {
            Err(CurriculumError::unknown("requirement", id))
        }
    }

    /// The version of `course` a cohort runs.
    pub(crate) fn cohort_version(&self, cohort: &Cohort) -> Option<&CourseVersion> {
        self.courses.get(&cohort.course).and_then(|c| c.version(cohort.version))
    }

    /// The graph nodes `node` points at now.
    fn successors(&self, node: GraphNode) -> Vec<GraphNode> {
        match node {
            GraphNode::Course(c) => self
                .courses
                .get(&c)
                .and_then(|c| c.prerequisite)
                .map(GraphNode::Requirement)
                .into_iter()
                .collect(),
            GraphNode::Requirement(r) => {
                self.requirements.get(&r).map(RequirementNode::targets).unwrap_or_default()
            }
        }
    }

    /// A path from `start` to `goal` in the current graph, both included.
    fn path(&self, start: GraphNode, goal: GraphNode) -> Option<Vec<GraphNode>> {
        if start == goal {
            return Some(vec![start]);
        }
        let mut parent: BTreeMap<GraphNode, GraphNode> = BTreeMap::new();
        let mut seen: BTreeSet<GraphNode> = BTreeSet::from([start]);
        let mut stack = vec![start];
        while let Some(node) = stack.pop() {
            for next in self.successors(node) {
                if !seen.insert(next) {
                    continue;
                }
                parent.insert(next, node);
                if next == goal {
                    let mut path = vec![goal];
                    let mut at = goal;
                    while let Some(&p) = parent.get(&at) {
                        path.push(p);
                        at = p;
                    }
                    path.reverse();
                    return Some(path);
                }
                stack.push(next);
            }
        }
        None
    }

    /// The cycle that giving `from` the outgoing edges `targets` would close,
    /// if any: `[from, …, from]`. Paths from a target back to `from` stop at
    /// `from`, so `from`'s old edges do not matter.
    pub(crate) fn cycle_through(
        &self,
        from: GraphNode,
        targets: &[GraphNode],
    ) -> Option<Vec<GraphNode>> {
        targets.iter().find_map(|&t| {
            self.path(t, from).map(|rest| {
                let mut path = vec![from];
                path.extend(rest);
                path
            })
        })
    }

    fn check_spec(&self, spec: &VersionSpec, course: CourseId) -> Result<(), CurriculumError> {
        for module in &spec.modules {
            if module.hours.is_sign_negative() {
                return Err(CurriculumError::invalid("module hours", module.hours, "negative"));
            }
        }
        let mut codes = BTreeSet::new();
        for granted in &spec.competencies {
            if granted.level == 0 {
                return Err(CurriculumError::invalid("competency level", 0, "levels start at 1"));
            }
            if !codes.insert(&granted.competency) {
                return Err(CurriculumError::invalid(
                    "competency",
                    &granted.competency,
                    "granted twice",
                ));
            }
        }
        if let crate::course::Validity::Months(0) = spec.validity {
            return Err(CurriculumError::invalid("validity months", 0, "must be at least 1"));
        }
        let rule = &spec.rule;
        if rule.min_attendance_percent > 100 {
            return Err(CurriculumError::invalid(
                "minimum attendance percent",
                rule.min_attendance_percent,
                "must be 0-100",
            ));
        }
        if let Some(mark) = rule.pass_mark.filter(|m| *m > 100) {
            return Err(CurriculumError::invalid("pass mark", mark, "must be 0-100"));
        }
        if let Some(hours) = rule.min_hours.filter(|h| h.is_sign_negative()) {
            return Err(CurriculumError::invalid("minimum hours", hours, "negative"));
        }
        if let Some(refreshed) = spec.refreshes {
            if refreshed == course {
                return Err(CurriculumError::invalid(
                    "refreshes",
                    refreshed,
                    "a course cannot refresh itself",
                ));
            }
            self.course_ref(refreshed)?;
        }
        Ok(())
    }

    fn check_members(of: &[RequirementId]) -> Result<(), CurriculumError> {
        if of.is_empty() {
            return Err(CurriculumError::invalid("group members", "[]", "a group needs members"));
        }
        let mut seen = BTreeSet::new();
        for id in of {
            if !seen.insert(id) {
                return Err(CurriculumError::invalid("group member", id, "listed twice"));
            }
        }
        Ok(())
    }

    fn decide_requirement(&self, id: RequirementId, node: &RequirementNode) -> Decided {
        match node {
            RequirementNode::CourseCompleted { course, .. } => {
                self.course_ref(*course)?;
            }
            RequirementNode::CredentialHeld { level, .. } => {
                if *level == 0 {
                    return Err(CurriculumError::invalid(
                        "credential level",
                        0,
                        "levels start at 1",
                    ));
                }
            }
            RequirementNode::MinimumAge { .. } => {}
            RequirementNode::AllOf { of } | RequirementNode::AnyOf { of } => {
                Self::check_members(of)?;
            }
            RequirementNode::AtLeast { n, of } => {
                Self::check_members(of)?;
                if *n == 0 || usize::try_from(*n).map_or(true, |n| n > of.len()) {
                    return Err(CurriculumError::invalid(
                        "at least n",
                        n,
                        "must be 1 to the number of members",
                    ));
                }
            }
        }
        for target in node.targets() {
            if let GraphNode::Requirement(r) = target {
                // A node may name itself only if it already exists: then it
                // is a cycle, reported as such below.
                if r != id {
                    self.requirement_exists(r)?;
                } else if !self.requirements.contains_key(&id) {
                    return Err(CurriculumError::unknown("requirement", r));
                }
            }
        }
        if let Some(path) = self.cycle_through(GraphNode::Requirement(id), &node.targets()) {
            return Err(CurriculumError::Cycle { path });
        }
        Ok(vec![CurriculumEvent::RequirementDefined { requirement: id, node: node.clone() }])
    }

    fn check_schedule(&self, spec: &CohortSpec) -> Result<u32, CurriculumError> {
        let course = self.course_ref(spec.course)?;
        let version = course.current().map_or(0, |v| v.number);
        if spec.capacity == 0 {
            return Err(CurriculumError::invalid("capacity", 0, "at least one seat"));
        }
        if !spec.venue.is_kelurahan() {
            return Err(CurriculumError::invalid("venue", spec.venue, "must be a kelurahan"));
        }
        if spec.sessions.is_empty() {
            return Err(CurriculumError::invalid("sessions", "[]", "at least one session"));
        }
        let mut ids = BTreeSet::new();
        for (i, s) in spec.sessions.iter().enumerate() {
            if s.ends_at <= s.starts_at {
                return Err(CurriculumError::invalid(
                    "session end",
                    s.ends_at,
                    "not after its start",
                ));
            }
            if !ids.insert(s.id) {
                return Err(CurriculumError::exists("session", s.id));
            }
            if spec.sessions.iter().skip(i + 1).any(|o| o.overlaps(s)) {
                return Err(CurriculumError::invalid(
                    "session",
                    s.id,
                    "overlaps another session of the cohort",
                ));
            }
        }
        let mut trainers = BTreeSet::new();
        if let Some(t) = spec.trainers.iter().find(|t| !trainers.insert(**t)) {
            return Err(CurriculumError::invalid("trainer", t, "listed twice"));
        }
        Ok(version)
    }

    /// Refuses unless `person` meets `cohort`'s course prerequisites on its
    /// start date and none of its sessions overlaps a cohort they take part in.
    fn check_can_join(&self, cohort: &Cohort, person: PersonId) -> Result<(), CurriculumError> {
        let on = cohort.start_date().unwrap_or_default();
        let course = self.course_ref(cohort.course)?;
        if let Some(req) = course.prerequisite {
            let mut unmet = Vec::new();
            if !self.evaluate(req, self.subject(person), on, Some(&mut unmet)) {
                return Err(CurriculumError::PrerequisitesUnmet {
                    person,
                    course: cohort.course,
                    on,
                    unmet,
                });
            }
        }
        if let Some(learner) = self.learner(person) {
            for other_id in learner.active.iter().filter(|c| **c != cohort.id) {
                let Some(other) = self.cohorts.get(other_id) else { continue };
                for s in &cohort.sessions {
                    if let Some(o) = other.sessions.iter().find(|o| o.overlaps(s)) {
                        return Err(CurriculumError::SessionsOverlap {
                            person,
                            cohort: cohort.id,
                            session: s.id,
                            other_cohort: other.id,
                            other_session: o.id,
                        });
                    }
                }
            }
        }
        Ok(())
    }

    fn participation(cohort: &Cohort, person: PersonId) -> Result<&Participation, CurriculumError> {
        cohort
            .participants
            .get(&person)
            .filter(|p| p.status.is_some_and(ParticipantStatus::takes_part))
            .ok_or(CurriculumError::NotParticipating { person, cohort: cohort.id })
    }

    /// What `person` still lacks to meet the completion rule of `cohort`'s
    /// course version (empty when met).
    ///
    /// # Errors
    ///
    /// [`CurriculumError::UnknownReference`] for an unknown cohort;
    /// [`CurriculumError::NotParticipating`] if the person takes no part in it.
    pub fn shortfalls(
        &self,
        cohort: CohortId,
        person: PersonId,
    ) -> Result<Vec<Shortfall>, CurriculumError> {
        let cohort = self.cohort_ref(cohort)?;
        let participation = Self::participation(cohort, person)?;
        let version = self
            .cohort_version(cohort)
            .ok_or_else(|| CurriculumError::unknown("course version", cohort.version))?;
        Ok(rule_shortfalls(cohort, participation, &version.spec.rule))
    }

    fn decide_issue(
        &self,
        cohort_id: CohortId,
        person: PersonId,
        certificate: CertificateId,
        number: &CertificateNumber,
        issued_on: NaiveDate,
        ctx: &Context,
    ) -> Decided {
        let cohort = self.cohort_ref(cohort_id)?;
        let participation = Self::participation(cohort, person)?;
        if let Some(existing) = participation.certificate {
            return Err(CurriculumError::AlreadyCertified {
                person,
                cohort: cohort_id,
                certificate: existing,
            });
        }
        if self.certificates.contains_key(&certificate) {
            return Err(CurriculumError::exists("certificate", certificate));
        }
        if self.certificate_numbers.contains_key(number) {
            return Err(CurriculumError::DuplicateCertificateNumber { number: number.clone() });
        }
        if cohort.end_date().is_some_and(|end| issued_on < end) {
            return Err(CurriculumError::invalid(
                "issued on",
                issued_on,
                "before the cohort's last session",
            ));
        }
        if issued_on > ctx.today() {
            return Err(CurriculumError::invalid("issued on", issued_on, "in the future"));
        }
        let version = self
            .cohort_version(cohort)
            .ok_or_else(|| CurriculumError::unknown("course version", cohort.version))?;
        let shortfalls = rule_shortfalls(cohort, participation, &version.spec.rule);
        if !shortfalls.is_empty() {
            return Err(CurriculumError::CompletionRuleNotMet {
                person,
                cohort: cohort_id,
                shortfalls,
            });
        }
        let valid_until = version.spec.validity.last_day(issued_on);
        if valid_until.is_some_and(|last| last < issued_on) {
            return Err(CurriculumError::invalid(
                "issued on",
                issued_on,
                "after the version's fixed validity date",
            ));
        }
        let mut events = vec![CurriculumEvent::CertificateIssued {
            certificate: Certificate {
                id: certificate,
                number: number.clone(),
                holder: person,
                course: cohort.course,
                version: cohort.version,
                cohort: cohort_id,
                issuer: cohort.organisers.lead,
                competencies: version.spec.competencies.clone(),
                issued_on,
                valid_until,
                renewals: Vec::new(),
                revoked: None,
            },
        }];
        if let Some(refreshed) = version.spec.refreshes {
            events.extend(self.renewal(person, refreshed, certificate, issued_on));
        }
        Ok(events)
    }

    /// The renewal a refresher certificate issued on `on` gives: the person's
    /// certificate of `refreshed` valid on `on` with the latest end gets the
    /// validity of its own version counted from `on`, if that is later.
    fn renewal(
        &self,
        person: PersonId,
        refreshed: CourseId,
        by: CertificateId,
        on: NaiveDate,
    ) -> Option<CurriculumEvent> {
        let learner = self.learner(person)?;
        let best = learner
            .held
            .iter()
            .filter(|h| h.course == refreshed && h.is_valid_on(on))
            .filter_map(|h| h.valid_until.map(|until| (until, h.id)))
            .max()?;
        let original = self.certificates.get(&best.1)?;
        let version = self.courses.get(&refreshed)?.version(original.version)?;
        let renewed = version.spec.validity.last_day(on)?;
        (renewed > best.0).then_some(CurriculumEvent::CertificateRenewed {
            certificate: best.1,
            by,
            valid_until: Some(renewed),
        })
    }

    #[allow(clippy::too_many_lines)] // one arm per command, each short
    fn decide_command(&self, command: &CurriculumCommand, ctx: &Context) -> Decided {
        use CurriculumCommand as C;
        use CurriculumEvent as E;
        match command {
            C::CreateCourse { course, code, title, description, programmes, version } => {
                if self.courses.contains_key(course) {
                    return Err(CurriculumError::exists("course", course));
                }
                if self.course_codes.contains_key(code) {
                    return Err(CurriculumError::exists("course code", code));
                }
                if description.chars().count() > MAX_DESCRIPTION {
                    return Err(CurriculumError::invalid(
                        "description",
                        description.chars().take(40).collect::<String>(),
                        "longer than 4000 characters",
                    ));
                }
                self.check_spec(version, *course)?;
                Ok(vec![E::CourseCreated {
                    course: *course,
                    code: code.clone(),
                    title: title.clone(),
                    description: description.clone(),
                    programmes: programmes.clone(),
                    version: CourseVersion::new(1, version.clone()),
                }])
            }
            C::ReviseCourse { course, version } => {
                let existing = self.course_ref(*course)?;
                self.check_spec(version, *course)?;
                let number =
                    u32::try_from(existing.versions.len()).unwrap_or(u32::MAX).saturating_add(1);
                Ok(vec![E::CourseRevised {
                    course: *course,
                    version: CourseVersion::new(number, version.clone()),
                }])
            }
            C::SetPrerequisite { course, requirement } => {
                self.course_ref(*course)?;
                if let Some(r) = requirement {
                    self.requirement_exists(*r)?;
                    let from = GraphNode::Course(*course);
                    if let Some(path) = self.cycle_through(from, &[GraphNode::Requirement(*r)]) {
                        return Err(CurriculumError::Cycle { path });
                    }
                }
                Ok(vec![E::PrerequisiteSet { course: *course, requirement: *requirement }])
            }
            C::DefineRequirement { requirement, node } => {
                self.decide_requirement(*requirement, node)
            }
            C::DefineTrack { track, name, courses, requirement } => {
                if courses.is_empty() {
                    return Err(CurriculumError::invalid("track courses", "[]", "at least one"));
                }
                let mut seen = BTreeSet::new();
                for c in courses {
                    self.course_ref(*c)?;
                    if !seen.insert(c) {
                        return Err(CurriculumError::invalid("track course", c, "listed twice"));
                    }
                }
                if let Some(r) = requirement {
                    self.requirement_exists(*r)?;
                }
                Ok(vec![E::TrackDefined {
                    track: *track,
                    name: name.clone(),
                    courses: courses.clone(),
                    requirement: *requirement,
                }])
            }
            C::RegisterLearner { person, birth_date } => {
                if *birth_date > ctx.today() {
                    return Err(CurriculumError::invalid(
                        "birth date",
                        birth_date,
                        "in the future",
                    ));
                }
                Ok(vec![E::LearnerRegistered { person: *person, birth_date: *birth_date }])
            }
            C::RecordExternalCredential { credential } => {
                if credential.level == 0 {
                    return Err(CurriculumError::invalid(
                        "credential level",
                        0,
                        "levels start at 1",
                    ));
                }
                if credential.valid_until.is_some_and(|u| u < credential.issued_on) {
                    return Err(CurriculumError::invalid(
                        "credential valid until",
                        credential.valid_until.unwrap_or_default(),
                        "before its issue date",
                    ));
                }
                let duplicate = self.learner(credential.holder).is_some_and(|l| {
                    l.external.iter().any(|c| {
                        c.certificate_number == credential.certificate_number
                            && c.competency == credential.competency
                    })
                });
                if duplicate {
                    return Err(CurriculumError::exists(
                        "credential",
                        &credential.certificate_number,
                    ));
                }
                Ok(vec![E::ExternalCredentialRecorded { credential: credential.clone() }])
            }
            C::ScheduleCohort { cohort, spec } => {
                if self.cohorts.contains_key(cohort) {
                    return Err(CurriculumError::exists("cohort", cohort));
                }
                let version = self.check_schedule(spec)?;
                let mut spec = spec.clone();
                spec.sessions.sort_by_key(|s| (s.starts_at, s.id));
                Ok(vec![E::CohortScheduled { cohort: *cohort, version, spec }])
            }
            C::Enrol { cohort, person } => {
                let c = self.cohort_ref(*cohort)?;
                if matches!(
                    c.status_of(*person),
                    Some(
                        ParticipantStatus::Enrolled
                            | ParticipantStatus::Waitlisted
                            | ParticipantStatus::WalkIn
                    )
                ) {
                    return Err(CurriculumError::AlreadyEnrolled {
                        person: *person,
                        cohort: *cohort,
                    });
                }
                self.check_can_join(c, *person)?;
                if c.free_seats() > 0 {
                    Ok(vec![E::Enrolled { cohort: *cohort, person: *person }])
                } else {
                    Ok(vec![E::Waitlisted { cohort: *cohort, person: *person }])
                }
            }
            C::Withdraw { cohort, person } => {
                let c = self.cohort_ref(*cohort)?;
                let status = c.status_of(*person);
                let withdrawn = E::Withdrawn { cohort: *cohort, person: *person };
                match status {
                    Some(ParticipantStatus::Enrolled) => {
                        let mut events = vec![withdrawn];
                        let next = c
                            .waitlist
                            .iter()
                            .find(|p| **p != *person && self.check_can_join(c, **p).is_ok());
                        if let Some(next) = next {
                            events.push(E::PromotedFromWaitlist { cohort: *cohort, person: *next });
                        }
                        Ok(events)
                    }
                    Some(ParticipantStatus::Waitlisted | ParticipantStatus::WalkIn) => {
                        Ok(vec![withdrawn])
                    }
                    _ => {
                        Err(CurriculumError::NotParticipating { person: *person, cohort: *cohort })
                    }
                }
            }
            C::RecordAttendance { cohort, session, person, status } => {
                let c = self.cohort_ref(*cohort)?;
                let s = c
                    .session(*session)
                    .ok_or_else(|| CurriculumError::unknown("session", session))?;
                if s.starts_at > ctx.now() {
                    return Err(CurriculumError::SessionNotHeld {
                        session: *session,
                        starts_at: s.starts_at,
                    });
                }
                Self::participation(c, *person)?;
                Ok(vec![E::AttendanceRecorded {
                    cohort: *cohort,
                    session: *session,
                    person: *person,
                    status: *status,
                    recorded_at: ctx.now(),
                }])
            }
            C::RecordWalkIn { cohort, session, walk_in, name, status } => {
                let c = self.cohort_ref(*cohort)?;
                let s = c
                    .session(*session)
                    .ok_or_else(|| CurriculumError::unknown("session", session))?;
                if s.starts_at > ctx.now() {
                    return Err(CurriculumError::SessionNotHeld {
                        session: *session,
                        starts_at: s.starts_at,
                    });
                }
                if let Some(existing) = self.walk_ins.get(walk_in) {
                    if existing.cohort != *cohort {
                        return Err(CurriculumError::exists("walk-in", walk_in));
                    }
                    if let Some(p) = existing.linked_to {
                        return Err(CurriculumError::WalkInAlreadyLinked {
                            walk_in: *walk_in,
                            person: p,
                        });
                    }
                }
                Ok(vec![E::WalkInRecorded {
                    cohort: *cohort,
                    session: *session,
                    walk_in: *walk_in,
                    name: name.clone(),
                    status: *status,
                }])
            }
            C::LinkWalkIn { walk_in, person } => {
                let w = self
                    .walk_ins
                    .get(walk_in)
                    .ok_or_else(|| CurriculumError::unknown("walk-in", walk_in))?;
                if let Some(p) = w.linked_to {
                    return Err(CurriculumError::WalkInAlreadyLinked {
                        walk_in: *walk_in,
                        person: p,
                    });
                }
                let c = self.cohort_ref(w.cohort)?;
                if !c.status_of(*person).is_some_and(ParticipantStatus::takes_part) {
                    self.check_can_join(c, *person)?;
                }
                Ok(vec![E::WalkInLinked { walk_in: *walk_in, cohort: w.cohort, person: *person }])
            }
            C::RecordAssessment { cohort, person, result, score } => {
                let c = self.cohort_ref(*cohort)?;
                Self::participation(c, *person)?;
                if let Some(s) = score.filter(|s| *s > 100) {
                    return Err(CurriculumError::invalid("score", s, "must be 0-100"));
                }
                Ok(vec![E::AssessmentRecorded {
                    cohort: *cohort,
                    person: *person,
                    result: *result,
                    score: *score,
                    recorded_at: ctx.now(),
                }])
            }
            C::RecordHours { cohort, person, hours } => {
                let c = self.cohort_ref(*cohort)?;
                Self::participation(c, *person)?;
                if hours.is_sign_negative() && !hours.is_zero() {
                    return Err(CurriculumError::invalid("hours", hours, "negative"));
                }
                if *hours > c.scheduled_hours() {
                    return Err(CurriculumError::invalid(
                        "hours",
                        hours,
                        "more than the cohort's scheduled hours",
                    ));
                }
                Ok(vec![E::HoursRecorded { cohort: *cohort, person: *person, hours: *hours }])
            }
            C::IssueCertificate { cohort, person, certificate, number, issued_on } => {
                self.decide_issue(*cohort, *person, *certificate, number, *issued_on, ctx)
            }
            C::RevokeCertificate { certificate, on, reason } => {
                let cert = self
                    .certificates
                    .get(certificate)
                    .ok_or_else(|| CurriculumError::unknown("certificate", certificate))?;
                if let Some(r) = &cert.revoked {
                    return Err(CurriculumError::AlreadyRevoked {
                        certificate: *certificate,
                        on: r.on,
                    });
                }
                if *on < cert.issued_on {
                    return Err(CurriculumError::invalid(
                        "revoked on",
                        on,
                        "before its issue date",
                    ));
                }
                Ok(vec![E::CertificateRevoked {
                    certificate: *certificate,
                    on: *on,
                    reason: reason.clone(),
                }])
            }
        }
    }

    /// The person's learner record, if they have one.
    pub(crate) fn learner(&self, person: PersonId) -> Option<&Learner> {
        self.learner_index.get(&person).and_then(|i| self.learners.get(*i))
    }

    /// Recomputes `prepared` for `person` from their certificates.
    fn refresh_prepared(&mut self, person: PersonId) {
        let spans: Vec<(NaiveDate, Option<NaiveDate>)> = self
            .learner(person)
            .map(|l| {
                l.held
                    .iter()
                    .filter(|h| h.preparedness)
                    .map(|h| (h.issued_on, h.last_valid()))
                    .collect()
            })
            .unwrap_or_default();
        match Spans::union(spans) {
            Some(union) => self.prepared.insert(person, union),
            None => self.prepared.remove(&person),
        };
    }

    /// Changes the person's learner record, creating it if needed, and
    /// refreshes its digest.
    fn update_learner(&mut self, person: PersonId, change: impl FnOnce(&mut Learner)) {
        let next = self.learners.len();
        let index = *self.learner_index.entry(person).or_insert(next);
        if index == next {
            self.learners.push(Learner { person: Some(person), ..Learner::default() });
            self.digests.push(Digest::EMPTY);
        }
        if let Some(learner) = self.learners.get_mut(index) {
            change(learner);
            if let Some(digest) = self.digests.get_mut(index) {
                *digest = Digest::of(learner, &self.course_table);
            }
        }
    }

    fn set_status(&mut self, cohort: CohortId, person: PersonId, status: ParticipantStatus) {
        let Some(c) = self.cohorts.get_mut(&cohort) else { return };
        let previous = c.status_of(person);
        if previous == Some(ParticipantStatus::Enrolled) {
            c.enrolled = c.enrolled.saturating_sub(1);
        }
        if status == ParticipantStatus::Enrolled {
            c.enrolled = c.enrolled.saturating_add(1);
        }
        if previous == Some(ParticipantStatus::Waitlisted) {
            c.waitlist.retain(|p| *p != person);
        }
        if status == ParticipantStatus::Waitlisted {
            c.waitlist.push(person);
        }
        c.participants.entry(person).or_default().status = Some(status);
        self.update_learner(person, |learner| {
            learner.cohorts.insert(cohort);
            if status.takes_part() {
                learner.active.insert(cohort);
            } else {
                learner.active.remove(&cohort);
            }
        });
    }

    fn participant_mut(
        &mut self,
        cohort: CohortId,
        person: PersonId,
    ) -> Option<&mut Participation> {
        self.cohorts.get_mut(&cohort).and_then(|c| c.participants.get_mut(&person))
    }

    #[allow(clippy::too_many_lines)] // one arm per event, each short
    fn apply_event(&mut self, event: &CurriculumEvent) {
        use CurriculumEvent as E;
        match event {
            E::CourseCreated { course, code, title, description, programmes, version } => {
                self.course_codes.insert(code.clone(), *course);
                self.courses.insert(
                    *course,
                    Course {
                        id: *course,
                        code: code.clone(),
                        title: title.clone(),
                        description: description.clone(),
                        programmes: programmes.clone(),
                        versions: vec![version.clone()],
                        prerequisite: None,
                    },
                );
                if self.course_table.insert(*course, &self.compiled) {
                    // Ranks moved: every digest names courses by rank.
                    self.digests =
                        self.learners.iter().map(|l| Digest::of(l, &self.course_table)).collect();
                }
            }
            E::CourseRevised { course, version } => {
                if let Some(c) = self.courses.get_mut(course) {
                    c.versions.push(version.clone());
                }
            }
            E::PrerequisiteSet { course, requirement } => {
                if let Some(c) = self.courses.get_mut(course) {
                    c.prerequisite = *requirement;
                    self.course_table.set_prerequisite(*course, *requirement, &self.compiled);
                }
            }
            E::RequirementDefined { requirement, node } => {
                self.compiled.define(*requirement, node);
                self.course_table.requirement_defined(*requirement, &self.compiled);
                self.requirements.insert(*requirement, node.clone());
            }
            E::TrackDefined { track, name, courses, requirement } => {
                self.tracks.insert(
                    *track,
                    Track {
                        id: *track,
                        name: name.clone(),
                        courses: courses.clone(),
                        requirement: *requirement,
                    },
                );
            }
            E::LearnerRegistered { person, birth_date } => {
                self.update_learner(*person, |l| l.birth_date = Some(*birth_date));
            }
            E::ExternalCredentialRecorded { credential } => {
                self.update_learner(credential.holder, |l| l.external.push(credential.clone()));
            }
            E::CohortScheduled { cohort, version, spec } => {
                self.cohorts.insert(
                    *cohort,
                    Cohort {
                        id: *cohort,
                        course: spec.course,
                        version: *version,
                        organisers: spec.organisers.clone(),
                        trainers: spec.trainers.clone(),
                        venue: spec.venue,
                        sessions: spec.sessions.clone(),
                        capacity: spec.capacity,
                        enrolled: 0,
                        waitlist: Vec::new(),
                        participants: BTreeMap::new(),
                        walk_ins: Vec::new(),
                    },
                );
            }
            E::Enrolled { cohort, person } | E::PromotedFromWaitlist { cohort, person } => {
                self.set_status(*cohort, *person, ParticipantStatus::Enrolled);
            }
            E::Waitlisted { cohort, person } => {
                self.set_status(*cohort, *person, ParticipantStatus::Waitlisted);
            }
            E::Withdrawn { cohort, person } => {
                self.set_status(*cohort, *person, ParticipantStatus::Withdrawn);
            }
            E::AttendanceRecorded { cohort, session, person, status, .. } => {
                if let Some(p) = self.participant_mut(*cohort, *person) {
                    p.attendance.insert(*session, *status);
                }
            }
            E::WalkInRecorded { cohort, session, walk_in, name, status } => {
                let w = self.walk_ins.entry(*walk_in).or_insert_with(|| WalkIn {
                    id: *walk_in,
                    cohort: *cohort,
                    name: name.clone(),
                    attendance: BTreeMap::new(),
                    linked_to: None,
                });
                w.attendance.insert(*session, *status);
                if let Some(c) = self.cohorts.get_mut(cohort)
                    && !c.walk_ins.contains(walk_in)
                {
                    c.walk_ins.push(*walk_in);
                }
            }
            E::WalkInLinked { walk_in, cohort, person } => {
                let attendance = match self.walk_ins.get_mut(walk_in) {
                    Some(w) => {
                        w.linked_to = Some(*person);
                        w.attendance.clone()
                    }
                    None => BTreeMap::new(),
                };
                let takes_part = self
                    .cohorts
                    .get(cohort)
                    .and_then(|c| c.status_of(*person))
                    .is_some_and(ParticipantStatus::takes_part);
                if !takes_part {
                    self.set_status(*cohort, *person, ParticipantStatus::WalkIn);
                }
                if let Some(p) = self.participant_mut(*cohort, *person) {
                    for (session, status) in attendance {
                        p.attendance.entry(session).or_insert(status);
                    }
                }
            }
            E::AssessmentRecorded { cohort, person, result, score, recorded_at } => {
                if let Some(p) = self.participant_mut(*cohort, *person) {
                    p.assessment = Some(crate::cohort::Assessment {
                        result: *result,
                        score: *score,
                        recorded_at: *recorded_at,
                    });
                }
            }
            E::HoursRecorded { cohort, person, hours } => {
                if let Some(p) = self.participant_mut(*cohort, *person) {
                    p.hours = Some(*hours);
                }
            }
            E::CertificateIssued { certificate } => {
                let preparedness =
                    self.courses.get(&certificate.course).is_some_and(Course::is_preparedness);
                if let Some(p) = self.participant_mut(certificate.cohort, certificate.holder) {
                    p.certificate = Some(certificate.id);
                }
                let held = Held {
                    id: certificate.id,
                    course: certificate.course,
                    issued_on: certificate.issued_on,
                    valid_until: certificate.valid_until,
                    revoked_on: certificate.revoked.as_ref().map(|r| r.on),
                    preparedness,
                    competencies: certificate.competencies.clone(),
                };
                self.update_learner(certificate.holder, |l| l.held.push(held));
                self.refresh_prepared(certificate.holder);
                self.certificate_numbers.insert(certificate.number.clone(), certificate.id);
                self.certificates.insert(certificate.id, certificate.clone());
            }
            E::CertificateRenewed { certificate, by, valid_until } => {
                let Some(cert) = self.certificates.get_mut(certificate) else { return };
                cert.renewals.push(Renewal {
                    by: *by,
                    previous_valid_until: cert.valid_until,
                    valid_until: *valid_until,
                });
                cert.valid_until = *valid_until;
                let holder = cert.holder;
                self.update_learner(holder, |l| {
                    if let Some(h) = l.held.iter_mut().find(|h| h.id == *certificate) {
                        h.valid_until = *valid_until;
                    }
                });
                self.refresh_prepared(holder);
            }
            E::CertificateRevoked { certificate, on, reason } => {
                let Some(cert) = self.certificates.get_mut(certificate) else { return };
                cert.revoked = Some(Revocation { on: *on, reason: reason.clone() });
                let holder = cert.holder;
                self.update_learner(holder, |l| {
                    if let Some(h) = l.held.iter_mut().find(|h| h.id == *certificate) {
                        h.revoked_on = Some(*on);
                    }
                });
                self.refresh_prepared(holder);
            }
        }
    }
}

/// What `participation` lacks under `rule` in `cohort`.
pub(crate) fn rule_shortfalls(
    cohort: &Cohort,
    participation: &Participation,
    rule: &crate::course::CompletionRule,
) -> Vec<Shortfall> {
    let mut out = Vec::new();
    let sessions = u32::try_from(cohort.sessions.len()).unwrap_or(u32::MAX);
    let attended = u32::try_from(
        cohort
            .sessions
            .iter()
            .filter(|s| participation.attendance.get(&s.id).is_some_and(|a| a.attended()))
            .count(),
    )
    .unwrap_or(0);
    let required = u64::from(rule.min_attendance_percent) * u64::from(sessions);
    if u64::from(attended) * 100 < required {
        out.push(Shortfall::Attendance {
            attended,
            sessions,
            required_percent: rule.min_attendance_percent,
        });
    }
    match participation.assessment {
        None => out.push(Shortfall::NotAssessed),
        Some(a) => {
            if !a.result.succeeds(rule.accept_conditional_pass) {
                out.push(Shortfall::NotPassed { result: a.result });
            }
            if let Some(mark) = rule.pass_mark
                && a.score.is_none_or(|s| s < mark)
            {
                out.push(Shortfall::BelowPassMark { score: a.score, pass_mark: mark });
            }
        }
    }
    if let Some(required) = rule.min_hours {
        let credited = participation.hours.unwrap_or(Decimal::ZERO);
        if credited < required {
            out.push(Shortfall::Hours { credited, required });
        }
    }
    out
}

impl Aggregate for Curriculum {
    type Command = CurriculumCommand;
    type Event = CurriculumEvent;
    type Error = CurriculumError;

    fn decide(&self, command: &CurriculumCommand, context: &Context) -> Decided {
        self.decide_command(command, context)
    }

    fn apply(&mut self, event: &CurriculumEvent) {
        self.apply_event(event);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use tangguh_core::IdGenerator;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn held_validity_and_last_day() {
        let ids = IdGenerator::deterministic(1);
        let mut held = Held {
            id: ids.next_id(),
            course: ids.next_id(),
            issued_on: d(2026, 1, 1),
            valid_until: Some(d(2026, 12, 31)),
            revoked_on: None,
            preparedness: true,
            competencies: vec![],
        };
        assert!(held.is_valid_on(d(2026, 12, 31)));
        assert!(!held.is_valid_on(d(2025, 12, 31)));
        assert_eq!(held.last_valid(), Some(d(2026, 12, 31)));
        held.revoked_on = Some(d(2026, 6, 1));
        assert_eq!(held.last_valid(), Some(d(2026, 5, 31)));
        assert!(!held.is_valid_on(d(2026, 6, 1)));
        held.valid_until = None;
        assert_eq!(held.last_valid(), Some(d(2026, 5, 31)));
    }

    #[test]
    fn spans_union() {
        assert_eq!(Spans::union(vec![]), None);
        assert_eq!(Spans::union(vec![(d(2026, 2, 1), Some(d(2026, 1, 31)))]), None);
        let u = Spans::union(vec![
            (d(2026, 3, 1), Some(d(2026, 3, 31))),
            (d(2026, 1, 1), Some(d(2026, 1, 31))),
            (d(2026, 2, 1), Some(d(2026, 2, 10))),
            (d(2026, 6, 1), None),
            (d(2026, 7, 1), Some(d(2026, 7, 2))),
        ])
        .unwrap();
        assert_eq!(u.first, (d(2026, 1, 1), Some(d(2026, 2, 10))));
        assert_eq!(u.rest, vec![(d(2026, 3, 1), Some(d(2026, 3, 31))), (d(2026, 6, 1), None)]);
        assert!(u.contains(d(2026, 2, 10)));
        assert!(!u.contains(d(2026, 2, 11)));
        assert!(u.contains(d(2030, 1, 1)));
        assert!(!u.contains(d(2025, 12, 31)));
    }

    #[test]
    fn an_empty_graph_has_no_cycle_but_a_self_edge_is_one() {
        let ids = IdGenerator::deterministic(2);
        let state = Curriculum::new();
        let r = GraphNode::Requirement(ids.next_id());
        let c = GraphNode::Course(ids.next_id());
        assert_eq!(state.cycle_through(r, &[c]), None);
        assert_eq!(state.cycle_through(r, &[r]), Some(vec![r, r]));
    }
}

//! Enrolment: capacity, waitlist and its deterministic promotion, double
//! enrolment, overlapping sessions; and a property test that random
//! enrol/attend/assess/issue sequences never exceed capacity or certify
//! without meeting the rule.

use chrono::Duration;
use proptest::prelude::*;
use tangguh_core::{CertificateNumber, PersonId};
use tangguh_curriculum::{
    AssessmentResult, AttendanceStatus, CertificateId, CohortId, CompletionRule, Curriculum,
    CurriculumCommand as C, CurriculumError, ParticipantStatus, RequirementNode, Validity,
    VersionSpec,
};

use crate::{World, at, d, spec};

#[test]
fn full_cohorts_waitlist_and_promote_in_order() {
    let mut w = World::new();
    let course = w.course();
    let cohort = w.cohort(course, 2, 2);
    let people: Vec<PersonId> = (0..5).map(|_| w.id()).collect();
    for p in &people[..2] {
        assert!(matches!(
            w.ok(C::Enrol { cohort, person: *p })[0],
            tangguh_curriculum::CurriculumEvent::Enrolled { .. }
        ));
    }
    for p in &people[2..] {
        assert!(matches!(
            w.ok(C::Enrol { cohort, person: *p })[0],
            tangguh_curriculum::CurriculumEvent::Waitlisted { .. }
        ));
    }
    let c = w.state().cohort(cohort).unwrap();
    assert_eq!((c.enrolled, c.free_seats()), (2, 0));
    assert_eq!(c.waitlist, people[2..].to_vec());
    // A waiting person leaves: no seat moves.
    assert_eq!(w.ok(C::Withdraw { cohort, person: people[3] }).len(), 1);
    // A seated person leaves: the first in line gets the seat.
    let events = w.ok(C::Withdraw { cohort, person: people[0] });
    assert_eq!(events.len(), 2);
    let c = w.state().cohort(cohort).unwrap();
    assert_eq!(c.status_of(people[2]), Some(ParticipantStatus::Enrolled));
    assert_eq!(c.status_of(people[0]), Some(ParticipantStatus::Withdrawn));
    assert_eq!(c.waitlist, vec![people[4]]);
    assert_eq!(c.enrolled, 2);
    // Withdrawn people may come back (to the waitlist, as it is full).
    w.ok(C::Enrol { cohort, person: people[0] });
    assert_eq!(w.state().cohort(cohort).unwrap().waitlist, vec![people[4], people[0]]);
    let stranger: PersonId = w.id();
    assert!(matches!(
        w.err(C::Withdraw { cohort, person: stranger }),
        CurriculumError::NotParticipating { .. }
    ));
}

#[test]
fn no_double_enrolment() {
    let mut w = World::new();
    let course = w.course();
    let cohort = w.cohort(course, 1, 1);
    let (a, b): (PersonId, PersonId) = (w.id(), w.id());
    w.ok(C::Enrol { cohort, person: a });
    w.ok(C::Enrol { cohort, person: b });
    for p in [a, b] {
        assert_eq!(
            w.err(C::Enrol { cohort, person: p }),
            CurriculumError::AlreadyEnrolled { person: p, cohort }
        );
    }
    let ghost: CohortId = w.id();
    assert!(matches!(
        w.err(C::Enrol { cohort: ghost, person: a }),
        CurriculumError::UnknownReference { kind: "cohort", .. }
    ));
}

#[test]
fn overlapping_cohorts_are_refused_for_one_person() {
    let mut w = World::new();
    let course = w.course();
    let first = w.cohort_on(course, d(2026, 2, 2), 2, 10);
    let second = w.cohort_on(course, d(2026, 2, 3), 1, 10);
    let touching = w.id();
    let mut spec = w.cohort_spec(course, d(2026, 2, 3), 1, 10);
    // 12:00–14:00 on the 3rd touches the 08:00–12:00 session but does not overlap.
    spec.sessions[0].starts_at = at(d(2026, 2, 3), 12);
    spec.sessions[0].ends_at = at(d(2026, 2, 3), 14);
    w.ok(C::ScheduleCohort { cohort: touching, spec });
    let siti: PersonId = w.id();
    w.ok(C::Enrol { cohort: first, person: siti });
    match w.err(C::Enrol { cohort: second, person: siti }) {
        CurriculumError::SessionsOverlap { other_cohort, cohort, .. } => {
            assert_eq!((cohort, other_cohort), (second, first));
        }
        other => panic!("{other:?}"),
    }
    w.ok(C::Enrol { cohort: touching, person: siti });
    // After withdrawing from the first, the second is free.
    w.ok(C::Withdraw { cohort: first, person: siti });
    w.ok(C::Enrol { cohort: second, person: siti });
}

#[test]
fn promotion_skips_people_who_no_longer_fit() {
    let mut w = World::new();
    let course = w.course();
    let full = w.cohort_on(course, d(2026, 3, 2), 1, 1);
    let clash = w.cohort_on(course, d(2026, 3, 2), 1, 5);
    let (seated, busy, next): (PersonId, PersonId, PersonId) = (w.id(), w.id(), w.id());
    w.ok(C::Enrol { cohort: full, person: seated });
    w.ok(C::Enrol { cohort: full, person: busy });
    w.ok(C::Enrol { cohort: full, person: next });
    // Waiting does not block: `busy` takes a seat in an overlapping cohort.
    w.ok(C::Enrol { cohort: clash, person: busy });
    w.ok(C::Withdraw { cohort: full, person: seated });
    let c = w.state().cohort(full).unwrap();
    assert_eq!(c.status_of(next), Some(ParticipantStatus::Enrolled));
    assert_eq!(c.status_of(busy), Some(ParticipantStatus::Waitlisted));
}

#[test]
fn scheduling_is_validated() {
    let mut w = World::new();
    let course = w.course();
    let base = w.cohort_spec(course, d(2026, 4, 1), 2, 10);
    let mut cases = Vec::new();
    let mut s = base.clone();
    s.capacity = 0;
    cases.push(s);
    let mut s = base.clone();
    s.venue = "62.71.05".parse().unwrap();
    cases.push(s);
    let mut s = base.clone();
    s.sessions.clear();
    cases.push(s);
    let mut s = base.clone();
    s.sessions[0].ends_at = s.sessions[0].starts_at;
    cases.push(s);
    let mut s = base.clone();
    s.sessions[1].starts_at = s.sessions[0].starts_at + Duration::hours(1);
    cases.push(s);
    let mut s = base.clone();
    s.trainers = vec![s.trainers[0], s.trainers[0]];
    cases.push(s);
    for spec in cases {
        let cohort = w.id();
        assert!(matches!(
            w.err(C::ScheduleCohort { cohort, spec }),
            CurriculumError::Invalid { .. }
        ));
    }
    let mut s = base.clone();
    s.sessions[1].id = s.sessions[0].id;
    let cohort = w.id();
    assert!(matches!(
        w.err(C::ScheduleCohort { cohort, spec: s }),
        CurriculumError::AlreadyExists { .. }
    ));
    let mut s = base.clone();
    s.course = w.id();
    assert!(matches!(
        w.err(C::ScheduleCohort { cohort, spec: s }),
        CurriculumError::UnknownReference { .. }
    ));
    w.ok(C::ScheduleCohort { cohort, spec: base.clone() });
    assert!(matches!(
        w.err(C::ScheduleCohort { cohort, spec: base }),
        CurriculumError::AlreadyExists { kind: "cohort", .. }
    ));
}

// ---- property: capacity and certification under random sequences

/// A small fixed world for random sequences: course A (2 sessions, 50 %
/// attendance, pass mark 60) with two overlapping cohorts of 2 seats; course
/// B requiring A, with one later cohort; five people.
pub(crate) struct Fixture {
    pub(crate) w: World,
    pub(crate) cohorts: Vec<CohortId>,
    pub(crate) people: Vec<PersonId>,
    pub(crate) walk_ins: Vec<tangguh_curriculum::WalkInId>,
    pub(crate) certificates: Vec<CertificateId>,
    pub(crate) households: Vec<tangguh_core::HouseholdId>,
    numbers: u32,
}

impl Fixture {
    pub(crate) fn new() -> Self {
        let mut w = World::new();
        let strict = VersionSpec {
            rule: CompletionRule {
                min_attendance_percent: 50,
                pass_mark: Some(60),
                accept_conditional_pass: false,
                min_hours: None,
            },
            ..spec(Validity::Months(12))
        };
        let a = w.course_with(&[], strict);
        let b = w.course();
        w.requires(b, RequirementNode::CourseCompleted { course: a, still_valid: true });
        let a1 = w.cohort_on(a, d(2026, 5, 4), 2, 2);
        let a2 = w.cohort_on(a, d(2026, 5, 5), 2, 2);
        let b1 = w.cohort_on(b, d(2026, 8, 3), 1, 2);
        let people = (0..5).map(|_| w.id()).collect();
        let walk_ins = (0..2).map(|_| w.id()).collect();
        let households = (0..2).map(|_| w.id()).collect();
        Self {
            w,
            cohorts: vec![a1, a2, b1],
            people,
            walk_ins,
            certificates: vec![],
            households,
            numbers: 0,
        }
    }

    /// The commands for `op`: one, or for [`Kind::Complete`] the whole run
    /// (enrol, attend every session, pass, issue), each of which may still
    /// be refused.
    pub(crate) fn commands(&mut self, op: &Op) -> Vec<C> {
        if let Kind::Complete = op.kind {
            let cohort = self.cohorts[op.cohort % self.cohorts.len()];
            let person = self.people[op.person % self.people.len()];
            let mut out = vec![C::Enrol { cohort, person }];
            for session in self.w.sessions(cohort) {
                out.push(C::RecordAttendance {
                    cohort,
                    session,
                    person,
                    status: AttendanceStatus::Present,
                });
            }
            out.push(C::RecordAssessment {
                cohort,
                person,
                result: AssessmentResult::Pass,
                score: Some(75),
            });
            out.push(self.command(&Op { kind: Kind::Issue, ..op.clone() }));
            return out;
        }
        vec![self.command(op)]
    }

    fn command(&mut self, op: &Op) -> C {
        let cohort = self.cohorts[op.cohort % self.cohorts.len()];
        let person = self.people[op.person % self.people.len()];
        let sessions = self.w.sessions(cohort);
        let session = sessions[op.session % sessions.len()];
        match op.kind {
            Kind::Enrol => C::Enrol { cohort, person },
            Kind::Withdraw => C::Withdraw { cohort, person },
            Kind::Attend(status) => C::RecordAttendance { cohort, session, person, status },
            Kind::Assess(result, score) => C::RecordAssessment { cohort, person, result, score },
            Kind::Hours(h) => C::RecordHours { cohort, person, hours: h.into() },
            Kind::Issue => {
                self.numbers += 1;
                let certificate = self.w.id();
                self.certificates.push(certificate);
                C::IssueCertificate {
                    cohort,
                    person,
                    certificate,
                    number: CertificateNumber::try_new(format!("N{}", self.numbers)).unwrap(),
                    issued_on: self.w.last_day(cohort),
                }
            }
            Kind::WalkIn(status) => C::RecordWalkIn {
                cohort,
                session,
                walk_in: self.walk_ins[op.session % self.walk_ins.len()],
                name: tangguh_core::Name::try_new("Tamu").unwrap(),
                status,
            },
            Kind::Link => {
                C::LinkWalkIn { walk_in: self.walk_ins[op.session % self.walk_ins.len()], person }
            }
            Kind::Complete => unreachable!("expanded by commands()"),
            Kind::Revoke => C::RevokeCertificate {
                certificate: self
                    .certificates
                    .get(op.session % self.certificates.len().max(1))
                    .copied()
                    .unwrap_or_else(|| self.w.id()),
                on: d(2026, 11, 1),
                reason: tangguh_core::Name::try_new("fraud").unwrap(),
            },
        }
    }
}

#[derive(Clone, Debug)]
pub(crate) enum Kind {
    Enrol,
    Withdraw,
    Attend(AttendanceStatus),
    Assess(AssessmentResult, Option<u8>),
    Hours(u32),
    Issue,
    WalkIn(AttendanceStatus),
    Link,
    Revoke,
    Complete,
}

#[derive(Clone, Debug)]
pub(crate) struct Op {
    pub(crate) kind: Kind,
    pub(crate) cohort: usize,
    pub(crate) person: usize,
    pub(crate) session: usize,
}

pub(crate) fn op() -> impl Strategy<Value = Op> {
    let status = prop_oneof![
        Just(AttendanceStatus::Present),
        Just(AttendanceStatus::Late),
        Just(AttendanceStatus::Excused),
        Just(AttendanceStatus::Absent),
    ];
    let result = prop_oneof![
        Just(AssessmentResult::Pass),
        Just(AssessmentResult::Fail),
        Just(AssessmentResult::ConditionalPass),
        Just(AssessmentResult::Competent),
        Just(AssessmentResult::NotYetCompetent),
    ];
    let kind = prop_oneof![
        4 => Just(Kind::Enrol),
        1 => Just(Kind::Withdraw),
        4 => status.clone().prop_map(Kind::Attend),
        2 => (result, proptest::option::of(0u8..=100)).prop_map(|(r, s)| Kind::Assess(r, s)),
        1 => (0u32..12).prop_map(Kind::Hours),
        3 => Just(Kind::Issue),
        1 => status.prop_map(Kind::WalkIn),
        1 => Just(Kind::Link),
        1 => Just(Kind::Revoke),
        2 => Just(Kind::Complete),
    ];
    (kind, 0..3usize, 0..5usize, 0..4usize).prop_map(|(kind, cohort, person, session)| Op {
        kind,
        cohort,
        person,
        session,
    })
}

/// Independent check of the completion rule from the raw records.
fn meets_rule(state: &Curriculum, cohort: CohortId, person: PersonId) -> bool {
    let c = state.cohort(cohort).unwrap();
    let rule = &state.course(c.course).unwrap().version(c.version).unwrap().spec.rule;
    let p = &c.participants[&person];
    let attended = c
        .sessions
        .iter()
        .filter(|s| {
            matches!(
                p.attendance.get(&s.id),
                Some(AttendanceStatus::Present | AttendanceStatus::Late)
            )
        })
        .count();
    let attendance_ok =
        attended * 100 >= usize::from(rule.min_attendance_percent) * c.sessions.len();
    let result_ok = p.assessment.is_some_and(|a| match a.result {
        AssessmentResult::Pass | AssessmentResult::Competent => true,
        AssessmentResult::ConditionalPass => rule.accept_conditional_pass,
        _ => false,
    });
    let score_ok =
        rule.pass_mark.is_none_or(|m| p.assessment.and_then(|a| a.score).is_some_and(|s| s >= m));
    let hours_ok = rule.min_hours.is_none_or(|h| p.hours.is_some_and(|x| x >= h));
    let takes_part =
        matches!(p.status, Some(ParticipantStatus::Enrolled | ParticipantStatus::WalkIn));
    attendance_ok && result_ok && score_ok && hours_ok && takes_part
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn capacity_holds_and_certificates_follow_the_rule(ops in proptest::collection::vec(op(), 1..60)) {
        let mut f = Fixture::new();
        for command in ops.iter().flat_map(|op| f.commands(op)).collect::<Vec<_>>() {
            let before = f.w.state().clone();
            let result = f.w.run(command.clone());
            match (&command, &result) {
                (C::IssueCertificate { cohort, person, .. }, Ok(_)) => {
                    prop_assert!(meets_rule(&before, *cohort, *person), "certified without the rule");
                }
                (_, Err(_)) => prop_assert_eq!(f.w.state(), &before),
                _ => {}
            }
            for c in f.w.state().cohorts() {
                let seated = c.participants.values().filter(|p| p.status == Some(ParticipantStatus::Enrolled)).count();
                prop_assert!(c.enrolled <= c.capacity);
                prop_assert_eq!(usize::try_from(c.enrolled).unwrap(), seated);
                for p in &c.waitlist {
                    prop_assert_eq!(c.status_of(*p), Some(ParticipantStatus::Waitlisted));
                }
            }
            // Coverage agrees with a person-by-person check.
            let household_of: std::collections::BTreeMap<_, _> = f.people.iter().enumerate().map(|(i, p)| (*p, f.households[i % 2])).collect();
            let kelurahan_of: std::collections::BTreeMap<_, _> = f.households.iter().map(|h| (*h, crate::kelurahan())).collect();
            for on in [d(2026, 8, 3), d(2026, 11, 2), d(2027, 9, 1)] {
                let report = f.w.state().coverage(on, &household_of, &kelurahan_of);
                let naive = f.households.iter().filter(|h| household_of.iter().any(|(p, hh)| hh == *h && f.w.state().is_prepared(*p, on))).count();
                prop_assert_eq!(usize::try_from(report[&crate::kelurahan()].covered).unwrap(), naive);
            }
            for cert in f.w.state().certificates() {
                let c = f.w.state().cohort(cert.cohort).unwrap();
                prop_assert_eq!(c.participants[&cert.holder].certificate, Some(cert.id));
            }
        }
    }
}

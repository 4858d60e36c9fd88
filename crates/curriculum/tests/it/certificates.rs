//! Completion rules, certificates, versions, revocation and renewal.

use std::collections::BTreeSet;

use rust_decimal::Decimal;
use tangguh_core::{CertificateNumber, Name, PersonId};
use tangguh_curriculum::{
    AssessmentResult as R, CompletionRule, CourseCode, CurriculumCommand as C, CurriculumError,
    GrantedCompetency, Module, Shortfall, Validity, VersionSpec,
};

use crate::{World, d, granting, spec};

#[test]
fn certificates_follow_the_rule_never_a_flag() {
    let mut w = World::new();
    let mut version = spec(Validity::Months(24));
    version.rule = CompletionRule {
        min_attendance_percent: 100,
        pass_mark: Some(70),
        accept_conditional_pass: false,
        min_hours: None,
    };
    let course = w.course_with(&[], version);
    let cohort = w.cohort(course, 2, 10);
    let day = w.last_day(cohort);
    let siti: PersonId = w.id();
    w.ok(C::Enrol { cohort, person: siti });
    match w.issue(cohort, siti, day).unwrap_err() {
        CurriculumError::CompletionRuleNotMet { shortfalls, .. } => assert_eq!(
            shortfalls,
            vec![
                Shortfall::Attendance { attended: 0, sessions: 2, required_percent: 100 },
                Shortfall::NotAssessed
            ]
        ),
        other => panic!("{other:?}"),
    }
    w.attend_all(cohort, siti);
    w.ok(C::RecordAssessment { cohort, person: siti, result: R::ConditionalPass, score: Some(65) });
    match w.issue(cohort, siti, day).unwrap_err() {
        CurriculumError::CompletionRuleNotMet { shortfalls, .. } => assert_eq!(
            shortfalls,
            vec![
                Shortfall::NotPassed { result: R::ConditionalPass },
                Shortfall::BelowPassMark { score: Some(65), pass_mark: 70 }
            ]
        ),
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        w.err(C::RecordAssessment { cohort, person: siti, result: R::Pass, score: Some(101) }),
        CurriculumError::Invalid { field: "score", .. }
    ));
    w.ok(C::RecordAssessment { cohort, person: siti, result: R::Pass, score: Some(80) });
    let cert = w.issue(cohort, siti, day).unwrap();
    let c = w.state().certificate(cert).unwrap();
    assert_eq!((c.version, c.issued_on), (1, day));
    assert_eq!(c.valid_until, Some(d(2028, 1, 5)));
    assert_eq!(c.issuer, w.lead);
    // Once is enough.
    assert!(matches!(w.issue(cohort, siti, day), Err(CurriculumError::AlreadyCertified { .. })));
}

#[test]
fn conditional_pass_and_competency_words() {
    let mut w = World::new();
    let mut version = spec(Validity::Unlimited);
    version.rule.accept_conditional_pass = true;
    let course = w.course_with(&[], version);
    let cohort = w.cohort(course, 1, 10);
    let day = w.last_day(cohort);
    let people: Vec<PersonId> = (0..4).map(|_| w.id()).collect();
    let results = [R::ConditionalPass, R::Competent, R::NotYetCompetent, R::Fail];
    for (p, r) in people.iter().zip(results) {
        w.ok(C::Enrol { cohort, person: *p });
        w.attend_all(cohort, *p);
        w.ok(C::RecordAssessment { cohort, person: *p, result: r, score: None });
    }
    assert!(w.issue(cohort, people[0], day).is_ok());
    assert!(w.issue(cohort, people[1], day).is_ok());
    assert!(matches!(
        w.issue(cohort, people[2], day),
        Err(CurriculumError::CompletionRuleNotMet { .. })
    ));
    assert!(matches!(
        w.issue(cohort, people[3], day),
        Err(CurriculumError::CompletionRuleNotMet { .. })
    ));
    assert_eq!(
        w.state()
            .certificate(
                w.state().cohort(cohort).unwrap().participants[&people[0]].certificate.unwrap()
            )
            .unwrap()
            .valid_until,
        None
    );
}

#[test]
fn issuing_is_validated() {
    let mut w = World::new();
    let course = w.course();
    let cohort = w.cohort(course, 2, 10);
    let day = w.last_day(cohort);
    let (siti, budi, stranger): (PersonId, PersonId, PersonId) = (w.id(), w.id(), w.id());
    for p in [siti, budi] {
        w.ok(C::Enrol { cohort, person: p });
        w.attend_all(cohort, p);
        w.pass(cohort, p);
    }
    assert!(matches!(
        w.issue(cohort, siti, day.pred_opt().unwrap()),
        Err(CurriculumError::Invalid { field: "issued on", .. })
    ));
    assert!(matches!(
        w.issue(cohort, siti, d(2026, 12, 1)),
        Err(CurriculumError::Invalid { field: "issued on", .. })
    ));
    assert!(matches!(
        w.issue(cohort, stranger, day),
        Err(CurriculumError::NotParticipating { .. })
    ));
    let first = w.issue(cohort, siti, day).unwrap();
    let number = w.state().certificate(first).unwrap().number.clone();
    assert_eq!(
        w.err(C::IssueCertificate {
            cohort,
            person: budi,
            certificate: w.id(),
            number: number.clone(),
            issued_on: day
        }),
        CurriculumError::DuplicateCertificateNumber { number }
    );
    assert!(matches!(
        w.err(C::IssueCertificate {
            cohort,
            person: budi,
            certificate: first,
            number: CertificateNumber::try_new("NEW/1").unwrap(),
            issued_on: day
        }),
        CurriculumError::AlreadyExists { kind: "certificate", .. }
    ));
}

#[test]
fn records_stay_pinned_to_their_version() {
    let mut w = World::new();
    let course = w.course_with(&[], granting(Validity::Months(12), "PB.EVAKUASI", 1));
    let old = w.cohort(course, 1, 10);
    let mut v2 = granting(Validity::Months(36), "PB.EVAKUASI", 2);
    v2.rule.min_attendance_percent = 100;
    v2.modules = vec![Module {
        title: Name::try_new("Evakuasi perahu").unwrap(),
        outcomes: vec![Name::try_new("Memakai pelampung").unwrap()],
        hours: Decimal::from(4),
    }];
    w.ok(C::ReviseCourse { course, version: v2 });
    let new = w.cohort(course, 1, 10);
    assert_eq!(w.state().cohort(old).unwrap().version, 1);
    assert_eq!(w.state().cohort(new).unwrap().version, 2);
    let c = w.state().course(course).unwrap();
    assert_eq!(c.current().unwrap().number, 2);
    assert_eq!(c.version(2).unwrap().planned_hours(), Decimal::from(4));
    let siti: PersonId = w.id();
    w.ok(C::Enrol { cohort: old, person: siti });
    w.attend_all(old, siti);
    w.pass(old, siti);
    let day = w.last_day(old);
    let cert = w.issue(old, siti, day).unwrap();
    let cert = w.state().certificate(cert).unwrap();
    assert_eq!(cert.version, 1);
    assert_eq!(cert.competencies[0].level, 1);
    assert_eq!(cert.valid_until, Some(day + chrono::Months::new(12) - chrono::Days::new(1)));
    let line = &w.state().transcript(siti).lines[0];
    assert_eq!(line.course.version, 1);
}

#[test]
fn revocation() {
    let mut w = World::new();
    let course = w.course_with(&[], granting(Validity::Months(24), "PB.SIAGA", 1));
    let siti: PersonId = w.id();
    let cert = w.complete(siti, course);
    assert_eq!(w.state().credentials_on(siti, d(2026, 6, 1)).len(), 1);
    let reason = Name::try_new("certificate number forged").unwrap();
    assert!(matches!(
        w.err(C::RevokeCertificate {
            certificate: cert,
            on: d(2025, 1, 1),
            reason: reason.clone()
        }),
        CurriculumError::Invalid { field: "revoked on", .. }
    ));
    w.ok(C::RevokeCertificate { certificate: cert, on: d(2026, 7, 1), reason: reason.clone() });
    assert_eq!(
        w.err(C::RevokeCertificate {
            certificate: cert,
            on: d(2026, 8, 1),
            reason: reason.clone()
        }),
        CurriculumError::AlreadyRevoked { certificate: cert, on: d(2026, 7, 1) }
    );
    let ghost = w.id();
    assert!(matches!(
        w.err(C::RevokeCertificate { certificate: ghost, on: d(2026, 8, 1), reason }),
        CurriculumError::UnknownReference { kind: "certificate", .. }
    ));
    assert_eq!(w.state().credentials_on(siti, d(2026, 6, 30)).len(), 1);
    assert!(w.state().credentials_on(siti, d(2026, 7, 1)).is_empty());
    let credential = &w.state().certificate(cert).unwrap().credentials()[0];
    assert_eq!(credential.revoked_on, Some(d(2026, 7, 1)));
    assert!(!credential.is_valid_on(d(2026, 7, 1)));
}

#[test]
fn a_refresher_renews_validity() {
    let mut w = World::new();
    let basic = w.course_with(&[], spec(Validity::Months(12)));
    let mut refresher = spec(Validity::Months(12));
    refresher.refreshes = Some(basic);
    let refresher = w.course_with(&[], refresher);
    let siti: PersonId = w.id();
    let cert = w.complete(siti, basic);
    let issued = w.state().certificate(cert).unwrap().issued_on;
    assert_eq!(w.state().certificate(cert).unwrap().valid_until, Some(d(2027, 1, 4)));
    let by = w.complete(siti, refresher);
    let renewed = w.state().certificate(cert).unwrap();
    let refresher_day = w.state().certificate(by).unwrap().issued_on;
    assert!(refresher_day > issued);
    assert_eq!(
        renewed.valid_until,
        Some(refresher_day + chrono::Months::new(12) - chrono::Days::new(1))
    );
    assert_eq!(renewed.renewals.len(), 1);
    assert_eq!(renewed.renewals[0].by, by);
    assert_eq!(renewed.renewals[0].previous_valid_until, Some(d(2027, 1, 4)));
    // No valid certificate to renew: nothing is renewed.
    let budi: PersonId = w.id();
    let events = {
        let cohort = w.cohort(refresher, 1, 5);
        w.ok(C::Enrol { cohort, person: budi });
        w.attend_all(cohort, budi);
        w.pass(cohort, budi);
        let day = w.last_day(cohort);
        w.issue(cohort, budi, day).unwrap();
        w.state().certificates().filter(|c| c.holder == budi).count()
    };
    assert_eq!(events, 1);
}

#[test]
fn fixed_validity_dates() {
    let mut w = World::new();
    let course = w.course_with(&[], spec(Validity::Until(d(2026, 1, 31))));
    let siti: PersonId = w.id();
    let cert = w.complete(siti, course);
    assert_eq!(w.state().certificate(cert).unwrap().valid_until, Some(d(2026, 1, 31)));
    // Issued after the fixed date: refused.
    let late = w.cohort_on(course, d(2026, 3, 2), 1, 5);
    let budi: PersonId = w.id();
    w.ok(C::Enrol { cohort: late, person: budi });
    w.attend_all(late, budi);
    w.pass(late, budi);
    assert!(matches!(
        w.issue(late, budi, d(2026, 3, 2)),
        Err(CurriculumError::Invalid { field: "issued on", .. })
    ));
}

#[test]
fn course_definitions_are_validated() {
    let mut w = World::new();
    let existing = w.course();
    let bad_specs = {
        let mut v = Vec::new();
        let mut s = spec(Validity::Months(0));
        v.push(s.clone());
        s = spec(Validity::Unlimited);
        s.rule.min_attendance_percent = 101;
        v.push(s.clone());
        s = spec(Validity::Unlimited);
        s.rule.pass_mark = Some(101);
        v.push(s.clone());
        s = spec(Validity::Unlimited);
        s.rule.min_hours = Some(Decimal::from(-1));
        v.push(s.clone());
        s = granting(Validity::Unlimited, "X", 0);
        v.push(s.clone());
        s = granting(Validity::Unlimited, "X", 1);
        s.competencies.push(GrantedCompetency { competency: "X".parse().unwrap(), level: 2 });
        v.push(s.clone());
        s = spec(Validity::Unlimited);
        s.modules.push(Module {
            title: Name::try_new("M").unwrap(),
            outcomes: vec![],
            hours: Decimal::from(-2),
        });
        v.push(s);
        v
    };
    for (i, version) in bad_specs.into_iter().enumerate() {
        let course = w.id();
        assert!(
            matches!(
                w.err(C::CreateCourse {
                    course,
                    code: CourseCode::try_new(format!("BAD-{i}")).unwrap(),
                    title: Name::try_new("Bad").unwrap(),
                    description: String::new(),
                    programmes: BTreeSet::new(),
                    version,
                }),
                CurriculumError::Invalid { .. }
            ),
            "case {i}"
        );
    }
    let create = |course, code: &str, description: String, version: VersionSpec| C::CreateCourse {
        course,
        code: CourseCode::try_new(code).unwrap(),
        title: Name::try_new("T").unwrap(),
        description,
        programmes: BTreeSet::new(),
        version,
    };
    let fresh = w.id();
    assert!(matches!(
        w.err(create(fresh, "LONG", "x".repeat(4001), spec(Validity::Unlimited))),
        CurriculumError::Invalid { field: "description", .. }
    ));
    assert!(matches!(
        w.err(create(existing, "OTHER", String::new(), spec(Validity::Unlimited))),
        CurriculumError::AlreadyExists { kind: "course", .. }
    ));
    assert!(matches!(
        w.err(create(fresh, "C-1", String::new(), spec(Validity::Unlimited))),
        CurriculumError::AlreadyExists { kind: "course code", .. }
    ));
    let mut own = spec(Validity::Unlimited);
    own.refreshes = Some(existing);
    assert!(matches!(
        w.err(C::ReviseCourse { course: existing, version: own }),
        CurriculumError::Invalid { field: "refreshes", .. }
    ));
    let mut ghost = spec(Validity::Unlimited);
    ghost.refreshes = Some(w.id());
    assert!(matches!(
        w.err(create(fresh, "NEW", String::new(), ghost)),
        CurriculumError::UnknownReference { kind: "course", .. }
    ));
    assert!(matches!(
        w.err(C::ReviseCourse { course: fresh, version: spec(Validity::Unlimited) }),
        CurriculumError::UnknownReference { kind: "course", .. }
    ));
    // A core validation error converts.
    let err: CurriculumError = CourseCode::try_new("a b").unwrap_err().into();
    assert!(matches!(err, CurriculumError::Validation(_)));
}

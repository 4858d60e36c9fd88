//! Eligibility, learning paths, transcripts, expiring certificates and
//! coverage.

use std::collections::BTreeMap;

use tangguh_core::{HouseholdId, Name, PersonId, RegionCode};
use tangguh_curriculum::{
    CurriculumCommand as C, CurriculumError, PathTarget, Programme, RequirementNode, TrackId,
    Unmet, Validity,
};

use crate::{World, d, granting, spec};

#[test]
fn track_eligibility_names_what_is_missing() {
    let mut w = World::new();
    let siaga = w.course();
    let first_aid = w.course_with(&[Programme::FirstAid], spec(Validity::Until(d(2026, 6, 30))));
    let adult = w.requirement(RequirementNode::MinimumAge { years: 18 });
    let track: TrackId = w.id();
    w.ok(C::DefineTrack {
        track,
        name: Name::try_new("Relawan Siaga Banjir").unwrap(),
        courses: vec![siaga, first_aid],
        requirement: Some(adult),
    });
    let siti: PersonId = w.id();
    w.ok(C::RegisterLearner { person: siti, birth_date: d(1995, 1, 1) });
    w.complete(siti, first_aid);
    let on = d(2026, 5, 1);
    let e = w.state().track_eligibility(siti, track, on).unwrap();
    assert_eq!(e.unmet, vec![Unmet::CourseNotCompleted { course: siaga }]);
    w.complete(siti, siaga);
    assert!(w.state().track_eligibility(siti, track, on).unwrap().is_eligible());
    let later = w.state().track_eligibility(siti, track, d(2026, 7, 1)).unwrap();
    assert_eq!(
        later.unmet,
        vec![Unmet::CourseLapsed { course: first_aid, last_valid: Some(d(2026, 6, 30)) }]
    );
    let ghost: TrackId = w.id();
    assert!(matches!(
        w.state().track_eligibility(siti, ghost, on),
        Err(CurriculumError::UnknownReference { kind: "track", .. })
    ));
    assert!(matches!(
        w.state().course_eligibility(siti, w.id(), on),
        Err(CurriculumError::UnknownReference { kind: "course", .. })
    ));
    // Tracks are validated.
    assert!(matches!(
        w.err(C::DefineTrack {
            track,
            name: Name::try_new("x").unwrap(),
            courses: vec![],
            requirement: None
        }),
        CurriculumError::Invalid { .. }
    ));
    assert!(matches!(
        w.err(C::DefineTrack {
            track,
            name: Name::try_new("x").unwrap(),
            courses: vec![siaga, siaga],
            requirement: None
        }),
        CurriculumError::Invalid { .. }
    ));
    assert!(matches!(
        w.err(C::DefineTrack {
            track,
            name: Name::try_new("x").unwrap(),
            courses: vec![siaga],
            requirement: Some(w.id())
        }),
        CurriculumError::UnknownReference { .. }
    ));
}

#[test]
fn learning_paths_put_prerequisites_first() {
    let mut w = World::new();
    // basic → intermediate → advanced; first aid grants PMI.PP 2; the
    // rescue course needs advanced, and PMI.PP 2, and age 18.
    let basic = w.course();
    let intermediate = w.course();
    let advanced = w.course();
    let first_aid = w.course_with(&[], granting(Validity::Months(24), "PMI.PP", 2));
    let also_first_aid = w.course_with(&[], granting(Validity::Months(24), "PMI.PP", 1));
    w.requires(
        intermediate,
        RequirementNode::CourseCompleted { course: basic, still_valid: false },
    );
    w.requires(
        advanced,
        RequirementNode::CourseCompleted { course: intermediate, still_valid: false },
    );
    let rescue = w.course();
    let needs_adv =
        w.requirement(RequirementNode::CourseCompleted { course: advanced, still_valid: true });
    let needs_pp = w.requirement(RequirementNode::CredentialHeld {
        competency: "PMI.PP".parse().unwrap(),
        level: 2,
    });
    let adult = w.requirement(RequirementNode::MinimumAge { years: 18 });
    let all = w.requirement(RequirementNode::AllOf { of: vec![needs_adv, needs_pp, adult] });
    w.ok(C::SetPrerequisite { course: rescue, requirement: Some(all) });
    let siti: PersonId = w.id();
    w.ok(C::RegisterLearner { person: siti, birth_date: d(1990, 1, 1) });
    w.complete(siti, basic);
    let on = d(2026, 11, 28);
    let path = w.state().learning_path(siti, &PathTarget::Course { course: rescue }, on).unwrap();
    assert!(path.is_reachable());
    assert_eq!(path.courses, vec![intermediate, advanced, first_aid, rescue]);
    let _ = also_first_aid;
    // A child cannot get there by courses alone.
    let kid: PersonId = w.id();
    w.ok(C::RegisterLearner { person: kid, birth_date: d(2015, 1, 1) });
    let path = w.state().learning_path(kid, &PathTarget::Course { course: rescue }, on).unwrap();
    assert!(!path.is_reachable());
    assert_eq!(path.blockers, vec![Unmet::TooYoung { minimum: 18, age: Some(11) }]);
    assert_eq!(path.courses, vec![basic, intermediate, advanced, first_aid, rescue]);
    // A credential no course grants is a blocker.
    let none = w
        .state()
        .learning_path(
            siti,
            &PathTarget::Credential { competency: "NOPE".parse().unwrap(), level: 1 },
            on,
        )
        .unwrap();
    assert!(matches!(none.blockers[..], [Unmet::CredentialMissing { .. }]));
    // Credential paths choose a granting course.
    let pp = w
        .state()
        .learning_path(
            siti,
            &PathTarget::Credential { competency: "PMI.PP".parse().unwrap(), level: 1 },
            on,
        )
        .unwrap();
    assert_eq!(pp.courses.len(), 1);
}

#[test]
fn learning_paths_pick_the_cheapest_group_members() {
    let mut w = World::new();
    let a = w.course();
    let b = w.course();
    let c = w.course();
    // b needs a; so "any of b, c" is cheapest through c.
    w.requires(b, RequirementNode::CourseCompleted { course: a, still_valid: false });
    let rb = w.requirement(RequirementNode::CourseCompleted { course: b, still_valid: true });
    let rc = w.requirement(RequirementNode::CourseCompleted { course: c, still_valid: true });
    let ra = w.requirement(RequirementNode::CourseCompleted { course: a, still_valid: true });
    let any = w.requirement(RequirementNode::AnyOf { of: vec![rb, rc] });
    let two = w.requirement(RequirementNode::AtLeast { n: 2, of: vec![rb, rc, ra] });
    let target = w.course();
    let track: TrackId = w.id();
    w.ok(C::DefineTrack {
        track,
        name: Name::try_new("T").unwrap(),
        courses: vec![target],
        requirement: Some(two),
    });
    w.ok(C::SetPrerequisite { course: target, requirement: Some(any) });
    let siti: PersonId = w.id();
    let on = d(2026, 11, 28);
    let path = w.state().learning_path(siti, &PathTarget::Course { course: target }, on).unwrap();
    assert_eq!(path.courses, vec![c, target]);
    // The track needs the target (c, target) and two of b, c, a: c is
    // planned, a is the cheapest other.
    let path = w.state().learning_path(siti, &PathTarget::Track { track }, on).unwrap();
    assert_eq!(path.courses, vec![c, target, a]);
    // Already done: nothing to take.
    w.complete(siti, c);
    w.complete(siti, target);
    w.complete(siti, a);
    let path = w.state().learning_path(siti, &PathTarget::Track { track }, on).unwrap();
    assert!(path.courses.is_empty());
    let path = w.state().learning_path(siti, &PathTarget::Course { course: target }, on).unwrap();
    assert!(path.courses.is_empty(), "a valid certificate needs nothing more");
    assert!(matches!(
        w.state().learning_path(siti, &PathTarget::Track { track: w.id() }, on),
        Err(CurriculumError::UnknownReference { .. })
    ));
    assert!(matches!(
        w.state().learning_path(siti, &PathTarget::Course { course: w.id() }, on),
        Err(CurriculumError::UnknownReference { .. })
    ));
}

#[test]
fn transcript_and_expiry() {
    let mut w = World::new();
    let short = w.course_with(&[], spec(Validity::Months(12)));
    let long = w.course_with(&[], spec(Validity::Unlimited));
    let siti: PersonId = w.id();
    let c1 = w.complete(siti, short);
    let c2 = w.complete(siti, long);
    let waiting = w.cohort(long, 1, 1);
    let other: PersonId = w.id();
    w.ok(C::Enrol { cohort: waiting, person: other });
    w.ok(C::Enrol { cohort: waiting, person: siti });
    let t = w.state().transcript(siti);
    assert_eq!(t.lines.len(), 3);
    assert_eq!(t.certificates.iter().map(|c| c.id).collect::<Vec<_>>(), vec![c1, c2]);
    assert_eq!(t.lines[0].certificate, Some(c1));
    assert_eq!(t.lines[0].attended, 1);
    assert_eq!(t.lines[2].status, Some(tangguh_curriculum::ParticipantStatus::Waitlisted));
    assert!(w.state().transcript(w.id()).lines.is_empty());
    let last = w.state().certificate(c1).unwrap().valid_until.unwrap();
    assert_eq!(w.state().expiring_within(last - chrono::Days::new(30), 30).len(), 1);
    assert!(w.state().expiring_within(last - chrono::Days::new(31), 30).is_empty());
    assert!(w.state().expiring_within(last + chrono::Days::new(1), 30).is_empty());
}

#[test]
fn coverage_per_kelurahan() {
    let mut w = World::new();
    let prep = w.course();
    let umkm = w.course_with(&[Programme::Umkm], spec(Validity::Unlimited));
    let k1: RegionCode = "62.71.05.1001".parse().unwrap();
    let k2: RegionCode = "62.71.05.1002".parse().unwrap();
    let households: Vec<HouseholdId> = (0..4).map(|_| w.id()).collect();
    let people: Vec<PersonId> = (0..6).map(|_| w.id()).collect();
    let kelurahan_of: BTreeMap<_, _> =
        [(households[0], k1), (households[1], k1), (households[2], k1), (households[3], k2)].into();
    let household_of: BTreeMap<_, _> = [
        (people[0], households[0]),
        (people[1], households[0]),
        (people[2], households[1]),
        (people[3], households[3]),
        (people[4], households[2]),
    ]
    .into();
    w.complete(people[0], prep);
    w.complete(people[1], prep); // same household: counted once
    w.complete(people[4], umkm); // not preparedness
    let revoked_later = w.complete(people[3], prep);
    w.complete(people[5], prep); // in no household
    let report = w.state().coverage(d(2026, 11, 28), &household_of, &kelurahan_of);
    assert_eq!((report[&k1].households, report[&k1].covered), (3, 1));
    assert_eq!(report[&k1].share(), rust_decimal::Decimal::new(3333, 4));
    assert_eq!((report[&k2].households, report[&k2].covered), (1, 1));
    assert!(w.state().is_prepared(people[0], d(2026, 11, 28)));
    assert!(!w.state().is_prepared(people[4], d(2026, 11, 28)));
    // Revocation uncovers a household.
    w.ok(C::RevokeCertificate {
        certificate: revoked_later,
        on: d(2026, 11, 1),
        reason: Name::try_new("error").unwrap(),
    });
    let report = w.state().coverage(d(2026, 11, 28), &household_of, &kelurahan_of);
    assert_eq!(report[&k2].covered, 0);
    // Long after, the two-year certificates lapse.
    let later = w.state().coverage(d(2030, 1, 1), &household_of, &kelurahan_of);
    assert_eq!(later[&k1].covered, 0);
}

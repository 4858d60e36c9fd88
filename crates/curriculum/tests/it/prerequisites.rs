//! The requirement graph: evaluation on enrolment, cycle and dangling
//! reference refusal (with a property test against an independent check).

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use tangguh_core::{CertificateNumber, Credential, PersonId};
use tangguh_curriculum::{
    CurriculumCommand as C, CurriculumError, GraphNode, RequirementId, RequirementNode, Unmet,
    Validity,
};

use crate::{World, d, granting, spec};

#[test]
fn course_completed_is_checked_on_enrolment() {
    let mut w = World::new();
    let basic = w.course();
    let advanced = w.course();
    w.requires(advanced, RequirementNode::CourseCompleted { course: basic, still_valid: false });
    let siti: PersonId = w.id();
    let cohort = w.cohort(advanced, 1, 10);
    let err = w.err(C::Enrol { cohort, person: siti });
    match &err {
        CurriculumError::PrerequisitesUnmet { person, course, unmet, .. } => {
            assert_eq!(*person, siti);
            assert_eq!(*course, advanced);
            assert_eq!(unmet, &vec![Unmet::CourseNotCompleted { course: basic }]);
        }
        other => panic!("{other:?}"),
    }
    assert!(err.to_string().contains("not completed"));
    w.complete(siti, basic);
    let later = w.cohort(advanced, 1, 10);
    w.ok(C::Enrol { cohort: later, person: siti });
}

#[test]
fn prerequisites_are_judged_on_the_cohort_start() {
    let mut w = World::new();
    let basic = w.course();
    let advanced = w.course();
    w.requires(advanced, RequirementNode::CourseCompleted { course: basic, still_valid: true });
    let siti: PersonId = w.id();
    // The advanced cohort starts before the basic certificate is issued.
    let early = w.cohort_on(advanced, d(2025, 6, 1), 1, 10);
    w.complete(siti, basic);
    let err = w.err(C::Enrol { cohort: early, person: siti });
    assert!(matches!(err, CurriculumError::PrerequisitesUnmet { on, .. } if on == d(2025, 6, 1)));
}

#[test]
fn a_lapsed_certificate_is_named() {
    let mut w = World::new();
    let basic = w.course_with(&[], spec(Validity::Until(d(2026, 3, 1))));
    let advanced = w.course();
    w.requires(advanced, RequirementNode::CourseCompleted { course: basic, still_valid: true });
    let siti: PersonId = w.id();
    w.complete(siti, basic);
    let cohort = w.cohort_on(advanced, d(2026, 6, 1), 1, 10);
    match w.err(C::Enrol { cohort, person: siti }) {
        CurriculumError::PrerequisitesUnmet { unmet, .. } => assert_eq!(
            unmet,
            vec![Unmet::CourseLapsed { course: basic, last_valid: Some(d(2026, 3, 1)) }]
        ),
        other => panic!("{other:?}"),
    }
    // Completed-ever is enough when validity is not asked for.
    let r = w.requirement(RequirementNode::CourseCompleted { course: basic, still_valid: false });
    w.ok(C::SetPrerequisite { course: advanced, requirement: Some(r) });
    w.ok(C::Enrol { cohort, person: siti });
}

#[test]
fn credentials_from_here_and_elsewhere_count() {
    let mut w = World::new();
    let first_aid = w.course_with(&[], granting(Validity::Months(24), "PMI.PP", 2));
    let rescue = w.course();
    w.requires(
        rescue,
        RequirementNode::CredentialHeld { competency: "PMI.PP".parse().unwrap(), level: 2 },
    );
    let (a, b, c): (PersonId, PersonId, PersonId) = (w.id(), w.id(), w.id());
    w.complete(a, first_aid);
    let external = |holder, level| {
        Credential::new(
            holder,
            "PMI.PP".parse().unwrap(),
            level,
            CertificateNumber::try_new("PMI/1").unwrap(),
            w.lead,
            d(2026, 1, 1),
        )
    };
    let (cb, cc) = (external(b, 3), external(c, 1));
    w.ok(C::RecordExternalCredential { credential: cb.clone() });
    w.ok(C::RecordExternalCredential { credential: cc });
    assert!(matches!(
        w.err(C::RecordExternalCredential { credential: cb }),
        CurriculumError::AlreadyExists { .. }
    ));
    let cohort = w.cohort(rescue, 1, 10);
    w.ok(C::Enrol { cohort, person: a });
    w.ok(C::Enrol { cohort, person: b });
    match w.err(C::Enrol { cohort, person: c }) {
        CurriculumError::PrerequisitesUnmet { unmet, .. } => {
            assert!(matches!(&unmet[0], Unmet::CredentialMissing { level: 2, .. }));
            assert!(unmet[0].to_string().contains("PMI.PP"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn minimum_age() {
    let mut w = World::new();
    let course = w.course();
    w.requires(course, RequirementNode::MinimumAge { years: 17 });
    let (old, young, unknown): (PersonId, PersonId, PersonId) = (w.id(), w.id(), w.id());
    w.ok(C::RegisterLearner { person: old, birth_date: d(2000, 5, 5) });
    w.ok(C::RegisterLearner { person: young, birth_date: d(2010, 5, 5) });
    let cohort = w.cohort(course, 1, 10);
    w.ok(C::Enrol { cohort, person: old });
    match w.err(C::Enrol { cohort, person: young }) {
        CurriculumError::PrerequisitesUnmet { unmet, .. } => {
            assert_eq!(unmet, vec![Unmet::TooYoung { minimum: 17, age: Some(15) }]);
        }
        other => panic!("{other:?}"),
    }
    match w.err(C::Enrol { cohort, person: unknown }) {
        CurriculumError::PrerequisitesUnmet { unmet, .. } => {
            assert_eq!(unmet, vec![Unmet::TooYoung { minimum: 17, age: None }]);
            assert!(unmet[0].to_string().contains("unknown"));
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        w.err(C::RegisterLearner { person: young, birth_date: d(2030, 1, 1) }),
        CurriculumError::Invalid { field: "birth date", .. }
    ));
}

#[test]
fn any_of_and_n_of_m_groups() {
    let mut w = World::new();
    let courses: Vec<_> = (0..3).map(|_| w.course()).collect();
    let leaves: Vec<RequirementId> = courses
        .iter()
        .map(|c| w.requirement(RequirementNode::CourseCompleted { course: *c, still_valid: true }))
        .collect();
    let two_of = w.requirement(RequirementNode::AtLeast { n: 2, of: leaves.clone() });
    let any = w.requirement(RequirementNode::AnyOf { of: leaves.clone() });
    let target = w.course();
    w.ok(C::SetPrerequisite { course: target, requirement: Some(two_of) });
    let siti: PersonId = w.id();
    w.complete(siti, courses[0]);
    let on = d(2026, 11, 1);
    assert!(w.state().meets(siti, any, on));
    assert!(!w.state().meets(siti, two_of, on));
    let e = w.state().course_eligibility(siti, target, on).unwrap();
    assert!(!e.is_eligible());
    assert_eq!(e.unmet[0], Unmet::GroupShort { requirement: two_of, needed: 2, met: 1 });
    assert_eq!(e.unmet.len(), 3, "the group and its two unmet members: {:?}", e.unmet);
    assert!(e.unmet[0].to_string().contains("1 of 2"));
    w.complete(siti, courses[2]);
    assert!(w.state().course_eligibility(siti, target, on).unwrap().is_eligible());
    let all = w.requirement(RequirementNode::AllOf { of: leaves });
    assert!(!w.state().meets(siti, all, on));
}

#[test]
fn a_cycle_is_refused_and_named() {
    let mut w = World::new();
    let a = w.course();
    let b = w.course();
    let ra = w.requirement(RequirementNode::CourseCompleted { course: a, still_valid: false });
    // b requires a; a requiring b would close a → rb → b → ra → a.
    w.ok(C::SetPrerequisite { course: b, requirement: Some(ra) });
    let rb = w.requirement(RequirementNode::CourseCompleted { course: b, still_valid: false });
    let err = w.err(C::SetPrerequisite { course: a, requirement: Some(rb) });
    assert_eq!(
        err,
        CurriculumError::Cycle {
            path: vec![
                GraphNode::Course(a),
                GraphNode::Requirement(rb),
                GraphNode::Course(b),
                GraphNode::Requirement(ra),
                GraphNode::Course(a),
            ]
        }
    );
    assert!(err.to_string().contains(&format!("course {a} → requirement {rb}")));
    // Redefining a node to name itself is a cycle of one.
    let group = w.requirement(RequirementNode::AnyOf { of: vec![ra] });
    assert_eq!(
        w.err(C::DefineRequirement {
            requirement: group,
            node: RequirementNode::AnyOf { of: vec![ra, group] },
        }),
        CurriculumError::Cycle {
            path: vec![GraphNode::Requirement(group), GraphNode::Requirement(group)]
        }
    );
    // Through a group: a requires (any of rb), rb needs b, b requires ra → a.
    let via = w.requirement(RequirementNode::AllOf { of: vec![rb] });
    assert!(matches!(
        w.err(C::SetPrerequisite { course: a, requirement: Some(via) }),
        CurriculumError::Cycle { path } if path.len() == 6
    ));
}

#[test]
fn dangling_and_malformed_nodes_are_refused() {
    let mut w = World::new();
    let course = w.course();
    let missing: RequirementId = w.id();
    let ghost_course = w.id();
    let cases = [
        RequirementNode::CourseCompleted { course: ghost_course, still_valid: true },
        RequirementNode::AllOf { of: vec![missing] },
    ];
    for node in cases {
        let requirement = w.id();
        assert!(matches!(
            w.err(C::DefineRequirement { requirement, node }),
            CurriculumError::UnknownReference { .. }
        ));
    }
    // A new node cannot name itself: it does not exist yet.
    let fresh: RequirementId = w.id();
    assert!(matches!(
        w.err(C::DefineRequirement {
            requirement: fresh,
            node: RequirementNode::AnyOf { of: vec![fresh] }
        }),
        CurriculumError::UnknownReference { kind: "requirement", .. }
    ));
    assert!(matches!(
        w.err(C::SetPrerequisite { course, requirement: Some(missing) }),
        CurriculumError::UnknownReference { kind: "requirement", .. }
    ));
    assert!(matches!(
        w.err(C::SetPrerequisite { course: ghost_course, requirement: None }),
        CurriculumError::UnknownReference { kind: "course", .. }
    ));
    let leaf = w.requirement(RequirementNode::MinimumAge { years: 17 });
    let malformed = [
        RequirementNode::AnyOf { of: vec![] },
        RequirementNode::AllOf { of: vec![leaf, leaf] },
        RequirementNode::AtLeast { n: 2, of: vec![leaf] },
        RequirementNode::AtLeast { n: 0, of: vec![leaf] },
        RequirementNode::CredentialHeld { competency: "X".parse().unwrap(), level: 0 },
    ];
    for node in malformed {
        let requirement = w.id();
        assert!(matches!(
            w.err(C::DefineRequirement { requirement, node }),
            CurriculumError::Invalid { .. }
        ));
    }
    w.ok(C::SetPrerequisite { course, requirement: Some(leaf) });
    w.ok(C::SetPrerequisite { course, requirement: None });
    assert_eq!(w.state().course(course).unwrap().prerequisite, None);
}

// ---- property: inserts never leave a cycle, and exactly the cyclic ones are refused

const COURSES: usize = 3;
const REQS: usize = 6;

#[derive(Clone, Debug)]
enum Op {
    Define { r: usize, node: ModelNode },
    Prereq { c: usize, r: Option<usize> },
}

#[derive(Clone, Debug)]
enum ModelNode {
    Course(usize),
    Age,
    All(Vec<usize>),
    Any(Vec<usize>),
}

fn op() -> impl Strategy<Value = Op> {
    let members = proptest::sample::subsequence((0..REQS).collect::<Vec<_>>(), 1..=3);
    let node = prop_oneof![
        (0..COURSES).prop_map(ModelNode::Course),
        Just(ModelNode::Age),
        members.clone().prop_map(ModelNode::All),
        members.prop_map(ModelNode::Any),
    ];
    prop_oneof![
        3 => (0..REQS, node).prop_map(|(r, node)| Op::Define { r, node }),
        2 => (0..COURSES, proptest::option::of(0..REQS)).prop_map(|(c, r)| Op::Prereq { c, r }),
    ]
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum N {
    C(usize),
    R(usize),
}

/// Independent check: Kahn's algorithm on the whole model graph.
fn acyclic(edges: &BTreeMap<N, Vec<N>>) -> bool {
    let mut indegree: BTreeMap<N, usize> = BTreeMap::new();
    for (from, tos) in edges {
        indegree.entry(*from).or_default();
        for to in tos {
            *indegree.entry(*to).or_default() += 1;
        }
    }
    let mut ready: Vec<N> = indegree.iter().filter(|(_, d)| **d == 0).map(|(n, _)| *n).collect();
    let mut seen = 0;
    while let Some(n) = ready.pop() {
        seen += 1;
        for to in edges.get(&n).into_iter().flatten() {
            let d = indegree.get_mut(to).unwrap();
            *d -= 1;
            if *d == 0 {
                ready.push(*to);
            }
        }
    }
    seen == indegree.len()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn inserts_never_leave_a_cycle(ops in proptest::collection::vec(op(), 1..40)) {
        let mut w = World::new();
        let courses: Vec<_> = (0..COURSES).map(|_| w.course()).collect();
        let reqs: Vec<RequirementId> = (0..REQS).map(|_| w.id()).collect();
        let mut edges: BTreeMap<N, Vec<N>> = BTreeMap::new();
        let mut defined: BTreeSet<usize> = BTreeSet::new();
        for op in ops {
            let (from, targets, command) = match &op {
                Op::Define { r, node } => {
                    let (targets, node) = match node {
                        ModelNode::Course(c) => (
                            vec![N::C(*c)],
                            RequirementNode::CourseCompleted { course: courses[*c], still_valid: true },
                        ),
                        ModelNode::Age => (vec![], RequirementNode::MinimumAge { years: 10 }),
                        ModelNode::All(m) => (
                            m.iter().map(|i| N::R(*i)).collect(),
                            RequirementNode::AllOf { of: m.iter().map(|i| reqs[*i]).collect() },
                        ),
                        ModelNode::Any(m) => (
                            m.iter().map(|i| N::R(*i)).collect(),
                            RequirementNode::AnyOf { of: m.iter().map(|i| reqs[*i]).collect() },
                        ),
                    };
                    (N::R(*r), targets, C::DefineRequirement { requirement: reqs[*r], node })
                }
                Op::Prereq { c, r } => (
                    N::C(*c),
                    r.map(N::R).into_iter().collect(),
                    C::SetPrerequisite { course: courses[*c], requirement: r.map(|i| reqs[i]) },
                ),
            };
            let dangling = targets.iter().any(|t| matches!(t, N::R(i) if !defined.contains(i)));
            let mut proposed = edges.clone();
            proposed.insert(from, targets.clone());
            let result = w.run(command);
            if dangling {
                let refused = matches!(result, Err(CurriculumError::UnknownReference { .. }));
                prop_assert!(refused, "{result:?}");
            } else if acyclic(&proposed) {
                prop_assert!(result.is_ok(), "{op:?} refused: {result:?}");
                edges = proposed;
                if let N::R(i) = from { defined.insert(i); }
            } else {
                match result {
                    Err(CurriculumError::Cycle { path }) => {
                        // The path is a real cycle of the proposed graph through `from`.
                        let to_n = |g: &GraphNode| match g {
                            GraphNode::Course(c) => N::C(courses.iter().position(|x| x == c).unwrap()),
                            GraphNode::Requirement(r) => N::R(reqs.iter().position(|x| x == r).unwrap()),
                            _ => unreachable!(),
                        };
                        let path: Vec<N> = path.iter().map(to_n).collect();
                        prop_assert_eq!(path.first(), Some(&from));
                        prop_assert_eq!(path.last(), Some(&from));
                        for pair in path.windows(2) {
                            prop_assert!(proposed.get(&pair[0]).is_some_and(|t| t.contains(&pair[1])));
                        }
                    }
                    other => prop_assert!(false, "{op:?} should close a cycle: {other:?}"),
                }
            }
            prop_assert!(acyclic(&edges));
        }
        // The state's graph equals the model's.
        for (i, c) in courses.iter().enumerate() {
            let prereq = w.state().course(*c).unwrap().prerequisite;
            let model = edges.get(&N::C(i)).and_then(|t| t.first()).map(|n| match n {
                N::R(r) => reqs[*r],
                N::C(_) => unreachable!(),
            });
            prop_assert_eq!(prereq, model);
        }
    }
}

#[test]
fn redefining_a_node_changes_what_is_checked() {
    let mut w = World::new();
    let course = w.course();
    let age = w.requires(course, RequirementNode::MinimumAge { years: 17 });
    let siti: PersonId = w.id();
    w.ok(C::RegisterLearner { person: siti, birth_date: d(2000, 1, 1) });
    let on = d(2026, 11, 28);
    assert!(w.state().course_eligibility(siti, course, on).unwrap().is_eligible());
    w.ok(C::DefineRequirement {
        requirement: age,
        node: RequirementNode::MinimumAge { years: 30 },
    });
    assert_eq!(
        w.state().course_eligibility(siti, course, on).unwrap().unmet,
        vec![Unmet::TooYoung { minimum: 30, age: Some(26) }]
    );
    assert_eq!(w.state().requirement(age), Some(&RequirementNode::MinimumAge { years: 30 }));
}

/// Eligibility reads a compact digest of each learner first: its answers
/// must not depend on how many certificates a person holds, on a course
/// created later with an id ordered before the others, on a revocation, or
/// on a snapshot restore.
#[test]
fn eligibility_is_the_same_however_certificates_are_held() {
    let mut w = World::new();
    // Minted first, created last: it orders before every other course.
    let early: tangguh_curriculum::CourseId = w.id();
    let courses: Vec<_> = (0..5).map(|_| w.course()).collect();
    let leaves: Vec<RequirementId> = courses
        .iter()
        .map(|c| w.requirement(RequirementNode::CourseCompleted { course: *c, still_valid: true }))
        .collect();
    let target = w.course();
    let all = w.requires(target, RequirementNode::AllOf { of: leaves.clone() });
    let (many, few, none): (PersonId, PersonId, PersonId) = (w.id(), w.id(), w.id());
    let many_certs: Vec<_> = courses[..4].iter().map(|c| w.complete(many, *c)).collect();
    w.complete(few, courses[0]);
    let few_second = w.complete(few, courses[1]);
    let on = d(2026, 11, 1);
    let unmet = |w: &World, p| w.state().course_eligibility(p, target, on).unwrap().unmet;
    let not_completed = |i: usize| Unmet::CourseNotCompleted { course: courses[i] };
    assert_eq!(unmet(&w, many), vec![not_completed(4)]);
    assert_eq!(unmet(&w, few), vec![not_completed(2), not_completed(3), not_completed(4)]);
    assert_eq!(unmet(&w, none).len(), 5);

    w.ok(C::CreateCourse {
        course: early,
        code: "EARLY-1".parse().unwrap(),
        title: tangguh_core::Name::try_new("Early").unwrap(),
        description: String::new(),
        programmes: BTreeSet::new(),
        version: spec(Validity::Months(24)),
    });
    let early_leaf =
        w.requirement(RequirementNode::CourseCompleted { course: early, still_valid: false });
    let with_early = w.requirement(RequirementNode::AllOf { of: vec![all, early_leaf] });
    w.ok(C::SetPrerequisite { course: target, requirement: Some(with_early) });
    assert_eq!(
        unmet(&w, few),
        vec![
            not_completed(2),
            not_completed(3),
            not_completed(4),
            Unmet::CourseNotCompleted { course: early }
        ]
    );
    w.complete(few, early);
    assert_eq!(unmet(&w, few), vec![not_completed(2), not_completed(3), not_completed(4)]);

    let reason = tangguh_core::Name::try_new("issued in error").unwrap();
    let revoked = Unmet::CourseLapsed { course: courses[1], last_valid: Some(d(2026, 6, 30)) };
    w.ok(C::RevokeCertificate {
        certificate: few_second,
        on: d(2026, 7, 1),
        reason: reason.clone(),
    });
    w.ok(C::RevokeCertificate { certificate: many_certs[1], on: d(2026, 7, 1), reason });
    assert_eq!(unmet(&w, few)[0], revoked);
    assert_eq!(
        unmet(&w, many),
        vec![revoked.clone(), not_completed(4), Unmet::CourseNotCompleted { course: early }]
    );
    // Before the revocation, the certificate still counted.
    let before = w.state().course_eligibility(many, target, d(2026, 6, 30)).unwrap().unmet;
    assert_eq!(before, vec![not_completed(4), Unmet::CourseNotCompleted { course: early }]);
    assert!(w.state().meets(many, leaves[0], on));
    assert!(!w.state().meets(many, leaves[1], on));

    let json = serde_json::to_string(w.state()).unwrap();
    let restored: tangguh_curriculum::Curriculum = serde_json::from_str(&json).unwrap();
    assert_eq!(&restored, w.state());
    for p in [many, few, none] {
        assert_eq!(restored.course_eligibility(p, target, on).unwrap().unmet, unmet(&w, p));
    }
}

//! tangguh-curriculum: eligibility checks and the preparedness coverage
//! report over 100,000 people and 50 courses.
//!
//! The data is built once, lazily (only when a `curriculum/` bench runs), by
//! deciding and applying real commands: 50 courses (8 entry courses, the rest
//! requiring all-of(any-of(previous course valid, course i/2 ever), age 17));
//! person i completes courses k, k+1 (and k+2 for a third of them), k = i mod
//! 8, in one-session cohorts of up to 1,000; 25,000 households of four in the
//! seven kelurahan of Rakumpit.

use std::cell::OnceCell;
use std::collections::{BTreeMap, BTreeSet};
use std::hint::black_box;

use chrono::{Duration, NaiveDate, TimeZone, Utc};
use criterion::Criterion;
use tangguh::core::{
    Actor, Aggregate, CertificateNumber, Clock, Context, HouseholdId, IdGenerator, Name, PersonId,
    RegionCode,
};
use tangguh::curriculum::{
    AssessmentResult, AttendanceStatus, CohortSpec, CompletionRule, CourseCode, CourseId,
    Curriculum, CurriculumCommand as C, Organisers, PathTarget, Programme, RequirementNode,
    Session, Validity, VersionSpec,
};

use crate::fixtures;

const PEOPLE: usize = 100_000;
const COURSES: usize = 50;
const COHORT_SIZE: usize = 1_000;

struct Data {
    state: Curriculum,
    people: Vec<PersonId>,
    courses: Vec<CourseId>,
    household_of: BTreeMap<PersonId, HouseholdId>,
    kelurahan_of: BTreeMap<HouseholdId, RegionCode>,
    on: NaiveDate,
}

fn run(state: &mut Curriculum, ctx: &Context, command: C) {
    let events = state.decide(&command, ctx).unwrap();
    for e in &events {
        state.apply(e);
    }
}

fn build() -> Data {
    let clock = fixtures::clock();
    let ctx = Context::new(clock.now(), Actor::try_new("bench").unwrap());
    let ids: IdGenerator = fixtures::ids(55);
    let mut state = Curriculum::new();
    let lead = ids.next_id();
    let rule = CompletionRule {
        min_attendance_percent: 100,
        pass_mark: None,
        accept_conditional_pass: false,
        min_hours: None,
    };
    let mut courses: Vec<CourseId> = Vec::new();
    for i in 0..COURSES {
        let course = ids.next_id();
        let programmes = if i < 10 {
            BTreeSet::from([Programme::Preparedness])
        } else {
            BTreeSet::from([Programme::Umkm])
        };
        run(
            &mut state,
            &ctx,
            C::CreateCourse {
                course,
                code: CourseCode::try_new(format!("K-{i:02}")).unwrap(),
                title: Name::try_new(format!("Kursus {i}")).unwrap(),
                description: String::new(),
                programmes,
                version: VersionSpec {
                    modules: vec![],
                    competencies: vec![],
                    validity: Validity::Months(24),
                    rule: rule.clone(),
                    refreshes: None,
                },
            },
        );
        // Courses 0-7 are entry courses; course i >= 8 needs (course i-1
        // valid, or course i/2 ever) and age 17.
        if i >= 8 {
            let prev = ids.next_id();
            run(
                &mut state,
                &ctx,
                C::DefineRequirement {
                    requirement: prev,
                    node: RequirementNode::CourseCompleted {
                        course: courses[i - 1],
                        still_valid: true,
                    },
                },
            );
            let half = ids.next_id();
            run(
                &mut state,
                &ctx,
                C::DefineRequirement {
                    requirement: half,
                    node: RequirementNode::CourseCompleted {
                        course: courses[i / 2],
                        still_valid: false,
                    },
                },
            );
            let any = ids.next_id();
            run(
                &mut state,
                &ctx,
                C::DefineRequirement {
                    requirement: any,
                    node: RequirementNode::AnyOf { of: vec![prev, half] },
                },
            );
            let age = ids.next_id();
            run(
                &mut state,
                &ctx,
                C::DefineRequirement {
                    requirement: age,
                    node: RequirementNode::MinimumAge { years: 17 },
                },
            );
            let all = ids.next_id();
            run(
                &mut state,
                &ctx,
                C::DefineRequirement {
                    requirement: all,
                    node: RequirementNode::AllOf { of: vec![any, age] },
                },
            );
            run(&mut state, &ctx, C::SetPrerequisite { course, requirement: Some(all) });
        }
        courses.push(course);
    }
    let people: Vec<PersonId> = (0..PEOPLE).map(|_| ids.next_id()).collect();
    for (i, p) in people.iter().enumerate() {
        let year = 1950 + i32::try_from(i % 50).unwrap();
        run(
            &mut state,
            &ctx,
            C::RegisterLearner {
                person: *p,
                birth_date: NaiveDate::from_ymd_opt(year, 1 + u32::try_from(i % 12).unwrap(), 1)
                    .unwrap(),
            },
        );
    }
    // Person i takes course k, then k+1 (and k+2 for a third of people),
    // where k = i % 8: a chain the prerequisites accept.
    let mut number = 0u64;
    let first_day = NaiveDate::from_ymd_opt(2025, 1, 6).unwrap();
    for step in 0..3usize {
        for start in (0..PEOPLE).step_by(COHORT_SIZE) {
            for k in 0..8usize {
                let course_index = k + step;
                let members: Vec<PersonId> = (start..(start + COHORT_SIZE).min(PEOPLE))
                    .filter(|i| i % 8 == k && (step < 2 || i % 3 == 0))
                    .map(|i| people[i])
                    .collect();
                if members.is_empty() {
                    continue;
                }
                let day = first_day + Duration::days(i64::try_from(course_index * 7).unwrap());
                let starts_at = tangguh::core::wib()
                    .from_local_datetime(&day.and_hms_opt(8, 0, 0).unwrap())
                    .unwrap()
                    .with_timezone(&Utc);
                let cohort = ids.next_id();
                let session = ids.next_id();
                run(
                    &mut state,
                    &ctx,
                    C::ScheduleCohort {
                        cohort,
                        spec: CohortSpec {
                            course: courses[course_index],
                            organisers: Organisers { lead, partners: vec![] },
                            trainers: vec![],
                            venue: "62.71.05.1001".parse().unwrap(),
                            sessions: vec![Session {
                                id: session,
                                starts_at,
                                ends_at: starts_at + Duration::hours(4),
                            }],
                            capacity: u32::try_from(COHORT_SIZE).unwrap(),
                        },
                    },
                );
                for person in members {
                    run(&mut state, &ctx, C::Enrol { cohort, person });
                    run(
                        &mut state,
                        &ctx,
                        C::RecordAttendance {
                            cohort,
                            session,
                            person,
                            status: AttendanceStatus::Present,
                        },
                    );
                    run(
                        &mut state,
                        &ctx,
                        C::RecordAssessment {
                            cohort,
                            person,
                            result: AssessmentResult::Pass,
                            score: None,
                        },
                    );
                    number += 1;
                    run(
                        &mut state,
                        &ctx,
                        C::IssueCertificate {
                            cohort,
                            person,
                            certificate: ids.next_id(),
                            number: CertificateNumber::try_new(format!("B/{number}")).unwrap(),
                            issued_on: day,
                        },
                    );
                }
            }
        }
    }
    let kelurahan: Vec<RegionCode> =
        (1..=7).map(|v| format!("62.71.05.100{v}").parse().unwrap()).collect();
    let households: Vec<HouseholdId> = (0..PEOPLE / 4).map(|_| ids.next_id()).collect();
    let household_of = people.iter().enumerate().map(|(i, p)| (*p, households[i / 4])).collect();
    let kelurahan_of =
        households.iter().enumerate().map(|(i, h)| (*h, kelurahan[i % kelurahan.len()])).collect();
    Data {
        state,
        people,
        courses,
        household_of,
        kelurahan_of,
        on: NaiveDate::from_ymd_opt(2026, 11, 28).unwrap(),
    }
}

pub(crate) fn define(c: &mut Criterion) {
    let data: OnceCell<Data> = OnceCell::new();
    let get = || data.get_or_init(build);

    let mut group = c.benchmark_group("curriculum/eligibility");
    group.bench_function("course/100k-people-50-courses", |b| {
        let d = get();
        let mut i = 0usize;
        b.iter(|| {
            i = (i + 7_919) % PEOPLE;
            let course = d.courses[8 + i % 8];
            black_box(d.state.course_eligibility(d.people[i], course, d.on).unwrap())
        })
    });
    group.bench_function("meets/100k-people-50-courses", |b| {
        let d = get();
        let req = d.state.course(d.courses[9]).unwrap().prerequisite.unwrap();
        let mut i = 0usize;
        b.iter(|| {
            i = (i + 7_919) % PEOPLE;
            black_box(d.state.meets(d.people[i], req, d.on))
        })
    });
    group.bench_function("baseline/btreemap-lookup-100k", |b| {
        let d = get();
        let mut i = 0usize;
        b.iter(|| {
            i = (i + 7_919) % PEOPLE;
            black_box(d.household_of.get(&d.people[i]))
        })
    });
    group.bench_function("baseline/hashmap-lookup-100k", |b| {
        let d = get();
        #[allow(clippy::disallowed_types)] // lookup only: the baseline of the learner index
        let index: std::collections::HashMap<PersonId, usize> =
            d.people.iter().enumerate().map(|(i, p)| (*p, i)).collect();
        let mut i = 0usize;
        b.iter(|| {
            i = (i + 7_919) % PEOPLE;
            black_box(index.get(&d.people[i]))
        })
    });
    group.bench_function("learning-path/course-40", |b| {
        let d = get();
        let mut i = 0usize;
        b.iter(|| {
            i = (i + 7_919) % PEOPLE;
            let target = PathTarget::Course { course: d.courses[40] };
            black_box(d.state.learning_path(d.people[i], &target, d.on).unwrap())
        })
    });
    group.finish();

    let mut group = c.benchmark_group("curriculum/coverage");
    group.sample_size(10);
    group.bench_function("100k-people-25k-households", |b| {
        let d = get();
        b.iter(|| black_box(d.state.coverage(d.on, &d.household_of, &d.kelurahan_of)))
    });
    group.bench_function("baseline/walk-person-map-100k", |b| {
        let d = get();
        b.iter(|| {
            black_box(d.household_of.iter().filter(|(_, h)| d.kelurahan_of.contains_key(h)).count())
        })
    });
    group.finish();
}

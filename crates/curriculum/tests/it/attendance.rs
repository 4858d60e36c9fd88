//! Attendance, walk-ins, hours and the attendance sheet.

use rust_decimal::Decimal;
use tangguh_core::{Name, PersonId};
use tangguh_curriculum::{
    AttendanceStatus as A, Attendee, CurriculumCommand as C, CurriculumError, ParticipantStatus,
    RequirementNode, SessionId, Shortfall, WalkInId,
};

use crate::{World, d};

#[test]
fn attendance_is_per_session_and_correctable() {
    let mut w = World::new();
    let course = w.course();
    let cohort = w.cohort(course, 4, 10);
    let s = w.sessions(cohort);
    let (siti, budi): (PersonId, PersonId) = (w.id(), w.id());
    w.ok(C::Enrol { cohort, person: siti });
    w.ok(C::Enrol { cohort, person: budi });
    for (session, status) in s.iter().zip([A::Present, A::Late, A::Excused, A::Absent]) {
        w.ok(C::RecordAttendance { cohort, session: *session, person: siti, status });
    }
    let p = &w.state().cohort(cohort).unwrap().participants[&siti];
    assert_eq!(p.attended(), 2, "present and late count; excused and absent do not");
    // The completion rule wants 75 %: two of four falls short.
    let shortfalls = w.state().shortfalls(cohort, siti).unwrap();
    assert!(shortfalls.contains(&Shortfall::Attendance {
        attended: 2,
        sessions: 4,
        required_percent: 75
    }));
    // A correction replaces the mark.
    w.ok(C::RecordAttendance { cohort, session: s[3], person: siti, status: A::Present });
    assert_eq!(w.state().cohort(cohort).unwrap().participants[&siti].attended(), 3);
    let sheet = w.state().attendance_sheet(cohort).unwrap();
    assert_eq!(sheet.sessions, s);
    assert_eq!(sheet.rows.len(), 2);
    let row = sheet
        .rows
        .iter()
        .find(|r| matches!(r.attendee, Attendee::Person { person, .. } if person == siti))
        .unwrap();
    assert_eq!(
        row.marks,
        vec![Some(A::Present), Some(A::Late), Some(A::Excused), Some(A::Present)]
    );
    assert_eq!(row.attended, 3);
}

#[test]
fn attendance_needs_a_participant_and_a_held_session() {
    let mut w = World::new();
    let course = w.course();
    let cohort = w.cohort(course, 1, 10);
    let session = w.sessions(cohort)[0];
    let (siti, stranger): (PersonId, PersonId) = (w.id(), w.id());
    w.ok(C::Enrol { cohort, person: siti });
    assert_eq!(
        w.err(C::RecordAttendance { cohort, session, person: stranger, status: A::Present }),
        CurriculumError::NotParticipating { person: stranger, cohort }
    );
    let ghost: SessionId = w.id();
    assert!(matches!(
        w.err(C::RecordAttendance { cohort, session: ghost, person: siti, status: A::Present }),
        CurriculumError::UnknownReference { kind: "session", .. }
    ));
    // A cohort next month: its session has not been held.
    let future = w.cohort_on(course, d(2026, 12, 20), 1, 10);
    let fs = w.sessions(future)[0];
    w.ok(C::Enrol { cohort: future, person: siti });
    assert!(matches!(
        w.err(C::RecordAttendance {
            cohort: future,
            session: fs,
            person: siti,
            status: A::Present
        }),
        CurriculumError::SessionNotHeld { .. }
    ));
    let walk_in: WalkInId = w.id();
    assert!(matches!(
        w.err(C::RecordWalkIn {
            cohort: future,
            session: fs,
            walk_in,
            name: Name::try_new("Tamu").unwrap(),
            status: A::Present
        }),
        CurriculumError::SessionNotHeld { .. }
    ));
    // Withdrawn people take no part.
    w.ok(C::Withdraw { cohort, person: siti });
    assert!(matches!(
        w.err(C::RecordAttendance { cohort, session, person: siti, status: A::Present }),
        CurriculumError::NotParticipating { .. }
    ));
}

#[test]
fn walk_ins_are_recorded_then_linked() {
    let mut w = World::new();
    let course = w.course();
    let cohort = w.cohort(course, 2, 1);
    let s = w.sessions(cohort);
    let (seated, rahmat): (PersonId, PersonId) = (w.id(), w.id());
    w.ok(C::Enrol { cohort, person: seated });
    let walk_in: WalkInId = w.id();
    let name = Name::try_new("Rahmat (tanpa NIK)").unwrap();
    for session in &s {
        w.ok(C::RecordWalkIn {
            cohort,
            session: *session,
            walk_in,
            name: name.clone(),
            status: A::Present,
        });
    }
    let sheet = w.state().attendance_sheet(cohort).unwrap();
    assert!(
        matches!(&sheet.rows[1].attendee, Attendee::WalkIn { walk_in: id, .. } if *id == walk_in)
    );
    assert_eq!(sheet.rows[1].attended, 2);
    w.ok(C::LinkWalkIn { walk_in, person: rahmat });
    let c = w.state().cohort(cohort).unwrap();
    assert_eq!(c.status_of(rahmat), Some(ParticipantStatus::WalkIn));
    assert_eq!(c.participants[&rahmat].attended(), 2);
    assert_eq!(c.enrolled, 1, "a walk-in holds no seat");
    let sheet = w.state().attendance_sheet(cohort).unwrap();
    assert_eq!(sheet.rows.len(), 2, "the linked walk-in appears once, as a person");
    // The linked walk-in can be assessed and certified like anyone.
    w.pass(cohort, rahmat);
    let day = w.last_day(cohort);
    w.issue(cohort, rahmat, day).unwrap();
    // Linking twice, or recording more for a linked walk-in, is refused.
    assert_eq!(
        w.err(C::LinkWalkIn { walk_in, person: seated }),
        CurriculumError::WalkInAlreadyLinked { walk_in, person: rahmat }
    );
    assert!(matches!(
        w.err(C::RecordWalkIn {
            cohort,
            session: s[0],
            walk_in,
            name: name.clone(),
            status: A::Late
        }),
        CurriculumError::WalkInAlreadyLinked { .. }
    ));
    // A walk-in id belongs to one cohort.
    let other = w.cohort(course, 1, 5);
    let os = w.sessions(other)[0];
    assert!(matches!(
        w.err(C::RecordWalkIn { cohort: other, session: os, walk_in, name, status: A::Present }),
        CurriculumError::AlreadyExists { kind: "walk-in", .. }
    ));
    let ghost: WalkInId = w.id();
    assert!(matches!(
        w.err(C::LinkWalkIn { walk_in: ghost, person: rahmat }),
        CurriculumError::UnknownReference { kind: "walk-in", .. }
    ));
}

#[test]
fn linking_merges_into_an_enrolled_person_and_checks_prerequisites() {
    let mut w = World::new();
    let basic = w.course();
    let course = w.course();
    let cohort = w.cohort(course, 2, 5);
    let s = w.sessions(cohort);
    let siti: PersonId = w.id();
    w.ok(C::Enrol { cohort, person: siti });
    w.ok(C::RecordAttendance { cohort, session: s[0], person: siti, status: A::Absent });
    let walk_in: WalkInId = w.id();
    for session in &s {
        w.ok(C::RecordWalkIn {
            cohort,
            session: *session,
            walk_in,
            name: Name::try_new("Siti").unwrap(),
            status: A::Present,
        });
    }
    w.ok(C::LinkWalkIn { walk_in, person: siti });
    let p = &w.state().cohort(cohort).unwrap().participants[&siti];
    assert_eq!(p.status, Some(ParticipantStatus::Enrolled));
    assert_eq!(p.attendance[&s[0]], A::Absent, "the person's own mark is kept");
    assert_eq!(p.attendance[&s[1]], A::Present);
    // A walk-in who lacks the prerequisites cannot be linked in.
    w.requires(course, RequirementNode::CourseCompleted { course: basic, still_valid: true });
    let other: WalkInId = w.id();
    w.ok(C::RecordWalkIn {
        cohort,
        session: s[0],
        walk_in: other,
        name: Name::try_new("Budi").unwrap(),
        status: A::Present,
    });
    let budi: PersonId = w.id();
    assert!(matches!(
        w.err(C::LinkWalkIn { walk_in: other, person: budi }),
        CurriculumError::PrerequisitesUnmet { .. }
    ));
}

#[test]
fn hours_are_a_separate_fact() {
    let mut w = World::new();
    let mut version = crate::spec(tangguh_curriculum::Validity::Unlimited);
    version.rule.min_hours = Some(Decimal::from(6));
    let course = w.course_with(&[], version);
    let cohort = w.cohort(course, 2, 5);
    let siti: PersonId = w.id();
    w.ok(C::Enrol { cohort, person: siti });
    w.attend_all(cohort, siti);
    w.pass(cohort, siti);
    assert_eq!(
        w.state().shortfalls(cohort, siti).unwrap(),
        vec![Shortfall::Hours { credited: Decimal::ZERO, required: Decimal::from(6) }]
    );
    assert!(matches!(
        w.err(C::RecordHours { cohort, person: siti, hours: Decimal::from(-1) }),
        CurriculumError::Invalid { field: "hours", .. }
    ));
    assert!(matches!(
        w.err(C::RecordHours { cohort, person: siti, hours: Decimal::from(9) }),
        CurriculumError::Invalid { field: "hours", .. }
    ));
    w.ok(C::RecordHours { cohort, person: siti, hours: Decimal::new(65, 1) });
    assert!(w.state().shortfalls(cohort, siti).unwrap().is_empty());
    assert_eq!(w.state().cohort(cohort).unwrap().scheduled_hours(), Decimal::from(8));
}

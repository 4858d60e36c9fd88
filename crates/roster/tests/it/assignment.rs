//! The assignment lifecycle.

use chrono::Duration;
use tangguh_roster::{AssignmentStatus, HoursSource, RosterCommand, RosterError, VolunteerStatus};

use crate::*;

#[test]
fn invite_confirm_check_in_check_out_records_hours() {
    let mut w = World::new();
    let v = w.volunteer();
    let s = w.shift(8, 6, 2);
    let a = w.invite(v, s).unwrap();
    assert_eq!(w.roster().assignment(a).unwrap().status, AssignmentStatus::Invited);
    assert_eq!(
        w.roster().committed_intervals(w.person(v)).count(),
        0,
        "an invitation commits nothing"
    );
    w.run(RosterCommand::Confirm { assignment: a, override_: None }).unwrap();
    assert_eq!(w.roster().committed_intervals(w.person(v)).count(), 1);
    w.clock.set(at(8));
    w.run(RosterCommand::CheckIn { assignment: a }).unwrap();
    w.clock.advance(Duration::minutes(330));
    let events = w.run(RosterCommand::CheckOut { assignment: a, minutes: None }).unwrap();
    assert!(matches!(events[0], RosterEvent::CheckedOut { minutes: 330, .. }));
    let got = w.roster().assignment(a).unwrap();
    assert_eq!((got.status, got.minutes), (AssignmentStatus::CheckedOut, Some(330)));
    let entry = &w.roster().hours()[0];
    assert_eq!((entry.number, entry.minutes, entry.source), (1, 330, HoursSource::CheckOut));
    assert_eq!(entry.date, day(12, 2));
    assert_eq!(w.roster().volunteer(v).unwrap().completed, 1);
    // Checked-out time still counts as committed.
    assert_eq!(w.roster().committed_intervals(w.person(v)).count(), 1);
}

#[test]
fn apply_then_confirm_and_stated_minutes() {
    let mut w = World::new();
    let v = w.volunteer();
    let s = w.shift(8, 6, 1);
    let a = w.ids.next_id();
    w.run(RosterCommand::Apply { assignment: a, shift: s, volunteer: v }).unwrap();
    assert_eq!(w.roster().assignment(a).unwrap().status, AssignmentStatus::Applied);
    w.run(RosterCommand::Confirm { assignment: a, override_: None }).unwrap();
    w.run(RosterCommand::CheckIn { assignment: a }).unwrap();
    w.run(RosterCommand::CheckOut { assignment: a, minutes: Some(360) }).unwrap();
    assert_eq!(w.roster().hours()[0].minutes, 360);
    let err = w.run(RosterCommand::CheckOut { assignment: a, minutes: Some(10) }).unwrap_err();
    assert!(matches!(err, RosterError::IllegalTransition { .. }));
}

#[test]
fn check_out_over_a_day_is_refused() {
    let mut w = World::new();
    let v = w.volunteer();
    let s = w.shift(8, 6, 1);
    let a = w.assign(v, s).unwrap();
    w.run(RosterCommand::CheckIn { assignment: a }).unwrap();
    let err =
        w.run(RosterCommand::CheckOut { assignment: a, minutes: Some(24 * 60 + 1) }).unwrap_err();
    assert!(matches!(err, RosterError::InvalidInput { field: "minutes", .. }), "{err}");
}

#[test]
fn no_show_frees_the_time_and_counts_against_reliability() {
    let mut w = World::new();
    let v = w.volunteer();
    let s = w.shift(8, 6, 1);
    let a = w.assign(v, s).unwrap();
    w.run(RosterCommand::RecordNoShow { assignment: a }).unwrap();
    assert_eq!(w.roster().committed_intervals(w.person(v)).count(), 0);
    let vol = w.roster().volunteer(v).unwrap();
    assert_eq!((vol.no_shows, vol.reliability_permille()), (1, 0));
    // The seat is free again.
    let other = w.volunteer();
    w.assign(other, s).unwrap();
}

#[test]
fn cancel_with_reason_from_invited_and_confirmed() {
    let mut w = World::new();
    let v = w.volunteer();
    let s1 = w.shift(8, 4, 1);
    let s2 = w.shift(30, 4, 1);
    let a1 = w.invite(v, s1).unwrap();
    let a2 = w.assign(v, s2).unwrap();
    for a in [a1, a2] {
        w.run(RosterCommand::Cancel { assignment: a, reason: name("sakit") }).unwrap();
        let got = w.roster().assignment(a).unwrap();
        assert_eq!(got.status, AssignmentStatus::Cancelled);
        assert_eq!(got.cancel_reason, Some(name("sakit")));
    }
    assert_eq!(w.roster().committed_intervals(w.person(v)).count(), 0);
}

#[test]
fn illegal_transitions_are_refused_with_from_and_to() {
    let mut w = World::new();
    let v = w.volunteer();
    let s = w.shift(8, 4, 3);
    let invited = w.invite(v, s).unwrap();
    let cases = [
        (
            RosterCommand::CheckIn { assignment: invited },
            AssignmentStatus::Invited,
            AssignmentStatus::CheckedIn,
        ),
        (
            RosterCommand::RecordNoShow { assignment: invited },
            AssignmentStatus::Invited,
            AssignmentStatus::NoShow,
        ),
        (
            RosterCommand::CheckOut { assignment: invited, minutes: None },
            AssignmentStatus::Invited,
            AssignmentStatus::CheckedOut,
        ),
    ];
    for (command, from, to) in cases {
        let err = w.run(command).unwrap_err();
        assert_eq!(err, RosterError::IllegalTransition { assignment: invited, from, to });
    }
    w.run(RosterCommand::Confirm { assignment: invited, override_: None }).unwrap();
    let err = w.run(RosterCommand::Confirm { assignment: invited, override_: None }).unwrap_err();
    assert!(matches!(
        err,
        RosterError::IllegalTransition { from: AssignmentStatus::Confirmed, .. }
    ));
    w.run(RosterCommand::CheckIn { assignment: invited }).unwrap();
    let err = w.run(RosterCommand::Cancel { assignment: invited, reason: name("x") }).unwrap_err();
    assert!(matches!(
        err,
        RosterError::IllegalTransition {
            from: AssignmentStatus::CheckedIn,
            to: AssignmentStatus::Cancelled,
            ..
        }
    ));
    let err = w.run(RosterCommand::RecordNoShow { assignment: invited }).unwrap_err();
    assert!(matches!(err, RosterError::IllegalTransition { .. }));
    let ghost = w.ids.next_id();
    assert_eq!(
        w.run(RosterCommand::CheckIn { assignment: ghost }).unwrap_err(),
        RosterError::UnknownAssignment(ghost)
    );
}

#[test]
fn seats_ids_and_duplicates() {
    let mut w = World::new();
    let (v1, v2) = (w.volunteer(), w.volunteer());
    let s = w.shift(8, 4, 1);
    let a = w.invite(v1, s).unwrap();
    assert!(matches!(
        w.run(RosterCommand::Invite { assignment: a, shift: s, volunteer: v2 }).unwrap_err(),
        RosterError::DuplicateId { kind: "assignment", .. }
    ));
    assert_eq!(w.invite(v2, s).unwrap_err(), RosterError::ShiftFull { shift: s, headcount: 1 });
    let s2 = w.shift(40, 4, 2);
    let existing = w.invite(v1, s2).unwrap();
    assert_eq!(
        w.invite(v1, s2).unwrap_err(),
        RosterError::AlreadyAssigned { volunteer: v1, shift: s2, existing }
    );
    let ghost = w.ids.next_id();
    assert_eq!(w.invite(v1, ghost).unwrap_err(), RosterError::UnknownShift(ghost));
    let nobody = w.ids.next_id();
    assert_eq!(w.invite(nobody, s2).unwrap_err(), RosterError::UnknownVolunteer(nobody));
}

#[test]
fn cancelling_a_shift_cancels_its_assignments() {
    let mut w = World::new();
    let (v1, v2) = (w.volunteer(), w.volunteer());
    let s = w.shift(8, 4, 2);
    let a1 = w.assign(v1, s).unwrap();
    let a2 = w.invite(v2, s).unwrap();
    let events = w.run(RosterCommand::CancelShift { shift: s, reason: name("air surut") }).unwrap();
    assert_eq!(events.len(), 3);
    for a in [a1, a2] {
        assert_eq!(w.roster().assignment(a).unwrap().status, AssignmentStatus::Cancelled);
    }
    assert_eq!(w.assign(v1, s).unwrap_err(), RosterError::ShiftCancelled(s));
    assert_eq!(
        w.run(RosterCommand::CancelShift { shift: s, reason: name("again") }).unwrap_err(),
        RosterError::ShiftCancelled(s)
    );
    assert_eq!(w.roster().committed_intervals(w.person(v1)).count(), 0);
}

#[test]
fn a_confirmation_on_a_cancelled_shift_is_refused() {
    let mut w = World::new();
    let v = w.volunteer();
    let s = w.shift(8, 4, 2);
    let a = w.invite(v, s).unwrap();
    // Cancelling the shift cancels the invitation, so confirming is illegal.
    w.run(RosterCommand::CancelShift { shift: s, reason: name("x") }).unwrap();
    assert!(matches!(
        w.run(RosterCommand::Confirm { assignment: a, override_: None }).unwrap_err(),
        RosterError::IllegalTransition { .. }
    ));
}

#[test]
fn suspending_cancels_future_assignments_only() {
    let mut w = World::new();
    let v = w.volunteer();
    let past = w.shift(-30, 4, 1); // before the clock
    let future = w.shift(8, 4, 1);
    let a_past = w.assign(v, past).unwrap();
    let a_future = w.assign(v, future).unwrap();
    w.run(RosterCommand::ChangeVolunteerStatus {
        volunteer: v,
        status: VolunteerStatus::Suspended,
        reason: Some(name("investigasi")),
    })
    .unwrap();
    assert_eq!(w.roster().assignment(a_past).unwrap().status, AssignmentStatus::Confirmed);
    assert_eq!(w.roster().assignment(a_future).unwrap().status, AssignmentStatus::Cancelled);
    let vol = w.roster().volunteer(v).unwrap();
    assert_eq!(
        (vol.status, vol.status_reason.clone()),
        (VolunteerStatus::Suspended, Some(name("investigasi")))
    );
    let err = w
        .run(RosterCommand::ChangeVolunteerStatus {
            volunteer: v,
            status: VolunteerStatus::Applied,
            reason: None,
        })
        .unwrap_err();
    assert_eq!(
        err,
        RosterError::IllegalStatusChange {
            volunteer: v,
            from: VolunteerStatus::Suspended,
            to: VolunteerStatus::Applied
        }
    );
    w.run(RosterCommand::ChangeVolunteerStatus {
        volunteer: v,
        status: VolunteerStatus::Retired,
        reason: Some(name("pindah")),
    })
    .unwrap();
    assert!(
        w.run(RosterCommand::ChangeVolunteerStatus {
            volunteer: v,
            status: VolunteerStatus::Active,
            reason: None
        })
        .is_err()
    );
}

#[test]
fn closed_incident_takes_no_new_work() {
    let mut w = World::new();
    let v = w.volunteer();
    let s = w.shift(8, 4, 1);
    w.run(RosterCommand::CloseIncident { incident: w.incident }).unwrap();
    assert_eq!(w.assign(v, s).unwrap_err(), RosterError::IncidentClosed(w.incident));
    assert_eq!(
        w.run(RosterCommand::CloseIncident { incident: w.incident }).unwrap_err(),
        RosterError::IncidentClosed(w.incident)
    );
    assert!(w.roster().incident(w.incident).unwrap().is_closed());
}

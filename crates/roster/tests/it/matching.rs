//! Matching, call-out and auto-fill.

use chrono::Weekday;
use proptest::prelude::*;
use tangguh_roster::{
    AssignmentOrigin, AssignmentStatus, Availability, AvailabilityException, Proximity, Roster,
    RosterCommand, RosterError, RosterPolicy, WeeklyWindow,
};

use crate::*;

#[test]
fn proximity_between_regions() {
    assert_eq!(Proximity::between(petuk_bukit(), petuk_bukit()), Proximity::SameKelurahan);
    assert_eq!(Proximity::between(mungku_baru(), petuk_bukit()), Proximity::SameKecamatan);
    assert_eq!(Proximity::between(elsewhere(), petuk_bukit()), Proximity::SameRegency);
    let far: RegionCode = "63.71.01.1001".parse().unwrap();
    assert_eq!(Proximity::between(far, petuk_bukit()), Proximity::Elsewhere);
}

#[test]
fn eligible_are_ranked_and_excluded_say_why() {
    let mut w = World::new();
    let near = w.volunteer();
    let kecamatan = w.volunteer_with(|mut p| {
        p.home = mungku_baru();
        p
    });
    let far = w.volunteer_with(|mut p| {
        p.home = elsewhere();
        p
    });
    let unreliable = w.volunteer();
    let busy = w.volunteer();
    let away = w.volunteer();
    let unskilled_shift_holder = w.volunteer();
    // `unreliable` has a no-show on record.
    let earlier = w.shift(-40, 2, 1);
    let a = w.assign(unreliable, earlier).unwrap();
    w.run(RosterCommand::RecordNoShow { assignment: a }).unwrap();
    let s = w.shift(8, 4, 5);
    // `busy` is committed at an overlapping time.
    let other = w.shift(9, 2, 1);
    w.assign(busy, other).unwrap();
    // `away` is travelling.
    w.run(RosterCommand::SetAvailability {
        volunteer: away,
        availability: Availability::new(
            vec![],
            vec![AvailabilityException::new(at(0), at(24), false)],
        ),
    })
    .unwrap();
    let held = w.invite(unskilled_shift_holder, s).unwrap();
    let m = w.roster().match_shift(s).unwrap();
    let ranked: Vec<_> = m.eligible.iter().map(|c| c.volunteer).collect();
    // The coordinator lives in Petuk Bukit too, with a clean record.
    let mut same_kelurahan = [near, w.coordinator];
    same_kelurahan.sort();
    assert_eq!(&ranked[..2], &same_kelurahan[..]);
    assert_eq!(&ranked[2..], &[unreliable, kecamatan, far]);
    assert_eq!(m.eligible[2].reliability_permille, 0);
    let why = |v| m.excluded.iter().find(|e| e.volunteer == v).map(|e| e.reason.clone());
    assert!(matches!(why(busy), Some(RosterError::DoubleBooked { .. })));
    assert_eq!(why(away), Some(RosterError::Unavailable { volunteer: away, shift: s }));
    assert_eq!(
        why(unskilled_shift_holder),
        Some(RosterError::AlreadyAssigned {
            volunteer: unskilled_shift_holder,
            shift: s,
            existing: held
        })
    );
    assert_eq!(m.eligible.len() + m.excluded.len(), w.roster().volunteers().count());
    let ghost = w.ids.next_id();
    assert_eq!(w.roster().match_shift(ghost).unwrap_err(), RosterError::UnknownShift(ghost));
}

#[test]
fn weekly_windows_filter_matching_but_not_direct_assignment() {
    let mut w = World::new();
    let v = w.volunteer();
    // 2 Dec 2026 is a Wednesday; only Saturdays declared.
    w.run(RosterCommand::SetAvailability {
        volunteer: v,
        availability: Availability::new(vec![WeeklyWindow::new(Weekday::Sat, 0, 1440)], vec![]),
    })
    .unwrap();
    let s = w.shift(8, 4, 1);
    let m = w.roster().match_shift(s).unwrap();
    assert!(
        m.excluded
            .iter()
            .any(|e| e.volunteer == v && matches!(e.reason, RosterError::Unavailable { .. }))
    );
    w.assign(v, s).unwrap();
}

#[test]
fn call_out_puts_the_nearest_reliable_first() {
    let mut w = World::new();
    let far = w.volunteer_with(|mut p| {
        p.home = elsewhere();
        p
    });
    let near = w.volunteer();
    let inactive = w.volunteer();
    w.run(RosterCommand::ChangeVolunteerStatus {
        volunteer: inactive,
        status: VolunteerStatus::Suspended,
        reason: None,
    })
    .unwrap();
    w.shift(8, 4, 2);
    w.shift(30, 4, 2);
    let list = w.roster().call_out(w.incident, w.now()).unwrap();
    let order: Vec<_> = list.iter().map(|c| c.volunteer).collect();
    assert_eq!(*order.last().unwrap(), far);
    assert!(order.contains(&near) && !order.contains(&inactive));
    assert_eq!(list[0].open_shifts, 2);
    let ghost = w.ids.next_id();
    assert_eq!(
        w.roster().call_out(ghost, w.now()).unwrap_err(),
        RosterError::UnknownIncident(ghost)
    );
}

#[test]
fn auto_fill_records_confirmed_assignments_under_the_rules() {
    let mut w = World::new();
    let vols: Vec<_> = (0..5).map(|_| w.volunteer()).collect();
    let skilled = w.volunteer_with(|p| p.with_skill(code("PB.EVAKUASI.AIR"), 2));
    let boat = w.shift_with(8, 4, 1, |s| s.with_skill(code("PB.EVAKUASI.AIR"), 1));
    let kitchen = w.shift(8, 4, 3);
    let later = w.shift(14, 4, 3); // within rest of the morning
    let plan = w.roster().plan_auto_fill(w.incident, w.now()).unwrap();
    assert_eq!(plan.open_seats, 7);
    let events = w
        .run(RosterCommand::AutoFill {
            incident: w.incident,
            id_seed: w.ids.next_id(),
            confirm: true,
        })
        .unwrap();
    assert_eq!(events.len(), plan.placements.len());
    // 7 volunteers (incl. coordinator), 7 seats, morning and afternoon too close
    // for one person: 1 + 3 morning, 3 afternoon.
    assert_eq!(plan.filled(), 7);
    assert!(plan.unfilled.is_empty());
    let boat_crew: Vec<_> = w.roster().assignments_to(boat).map(|a| a.volunteer).collect();
    assert_eq!(boat_crew, vec![skilled]);
    for a in w.roster().assignments() {
        assert_eq!((a.status, a.origin), (AssignmentStatus::Confirmed, AssignmentOrigin::AutoFill));
    }
    assert_eq!(w.roster().seats(kitchen), (3, 3));
    assert_eq!(w.roster().seats(later), (3, 3));
    invariants::assert_invariants(w.roster());
    let _ = vols;
    // Nothing left to fill: a second run records nothing.
    let events = w
        .run(RosterCommand::AutoFill {
            incident: w.incident,
            id_seed: w.ids.next_id(),
            confirm: true,
        })
        .unwrap();
    assert!(events.is_empty());
}

#[test]
fn auto_fill_may_invite_instead() {
    let mut w = World::new();
    w.volunteer();
    let s = w.shift(8, 4, 2);
    w.run(RosterCommand::AutoFill {
        incident: w.incident,
        id_seed: w.ids.next_id(),
        confirm: false,
    })
    .unwrap();
    let statuses: Vec<_> = w.roster().assignments_to(s).map(|a| a.status).collect();
    assert_eq!(statuses, vec![AssignmentStatus::Invited, AssignmentStatus::Invited]);
    let ghost = w.ids.next_id();
    assert_eq!(
        w.run(RosterCommand::AutoFill { incident: ghost, id_seed: w.ids.next_id(), confirm: true })
            .unwrap_err(),
        RosterError::UnknownIncident(ghost)
    );
}

#[test]
fn auto_fill_refuses_a_seed_that_collides() {
    let mut w = World::new();
    w.volunteer();
    let s = w.shift(8, 4, 1);
    let v = w.volunteer();
    let taken = w.invite(v, s).unwrap();
    w.run(RosterCommand::Cancel { assignment: taken, reason: name("x") }).unwrap();
    assert!(matches!(
        w.run(RosterCommand::AutoFill { incident: w.incident, id_seed: taken, confirm: true })
            .unwrap_err(),
        RosterError::DuplicateId { kind: "assignment", .. }
    ));
}

/// Builds a random small instance: `n` volunteers, shifts given as
/// (start hour, length, headcount, needs skill).
fn instance(n: usize, skilled: &[bool], shifts: &[(i64, i64, u16, bool)], rest: u32) -> World {
    let mut w = World::with_roster(Roster::with_policy(
        RosterPolicy::default().with_min_rest_minutes(rest).with_max_minutes(10 * 60, 40 * 60),
    ));
    for i in 0..n {
        let has = skilled.get(i).copied().unwrap_or(false);
        w.volunteer_with(|p| if has { p.with_skill(code("S"), 1) } else { p });
    }
    for &(start, len, headcount, needs) in shifts {
        w.shift_with(start, len, headcount, |s| if needs { s.with_skill(code("S"), 1) } else { s });
    }
    w
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// The heuristic never beats the exact search (sanity of both), is
    /// valid, and its gap on these instances is small.
    #[test]
    fn heuristic_is_valid_and_close_to_exact(
        n in 1usize..5,
        skilled in proptest::collection::vec(any::<bool>(), 5),
        shifts in proptest::collection::vec((0i64..30, 2i64..7, 1u16..3, any::<bool>()), 1..5),
        rest in prop_oneof![Just(0u32), Just(240), Just(480)],
    ) {
        let w = instance(n, &skilled, &shifts, rest);
        let heuristic = w.roster().plan_auto_fill(w.incident, w.now()).unwrap();
        let exact = w.roster().plan_auto_fill_exact(w.incident, w.now(), 2_000_000).unwrap().unwrap();
        prop_assert!(heuristic.filled() <= exact.filled());
        prop_assert!(exact.filled() - heuristic.filled() <= 1, "gap {} vs {}", heuristic.filled(), exact.filled());
        let mut w = w;
        w.run(RosterCommand::AutoFill { incident: w.incident, id_seed: w.ids.next_id(), confirm: true }).unwrap();
        invariants::assert_invariants(w.roster());
    }
}

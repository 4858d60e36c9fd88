//! The hard rules, one by one, and every refusal's error.

use std::collections::BTreeSet;

use chrono::Weekday;
use tangguh_core::{Hazard, PersonId};
use tangguh_roster::{
    Availability, BackgroundCheck, HoursWindow, OverridableRule, Post, PostKind, Roster,
    RosterCommand, RosterError, RosterPolicy, Shift, VolunteerStatus, WeeklyWindow,
};

use crate::*;

#[test]
fn overlapping_shifts_are_double_booking_and_touching_ones_are_not() {
    let mut w =
        World::with_roster(Roster::with_policy(RosterPolicy::default().with_min_rest_minutes(0)));
    let v = w.volunteer();
    let s1 = w.shift(8, 6, 2);
    let s2 = w.shift(13, 4, 2);
    let s3 = w.shift(14, 4, 2);
    w.assign(v, s1).unwrap();
    assert_eq!(
        w.assign(v, s2).unwrap_err(),
        RosterError::DoubleBooked { volunteer: v, shift: s2, conflicting_shift: s1 }
    );
    // [8, 14) and [14, 18) touch but do not overlap.
    w.assign(v, s3).unwrap();
}

#[test]
fn no_override_lifts_double_booking() {
    let mut w = World::new();
    let v = w.volunteer();
    let s1 = w.shift(8, 6, 2);
    let s2 = w.shift(10, 2, 2);
    w.assign(v, s1).unwrap();
    let all = w.override_(&[OverridableRule::Rest, OverridableRule::MaxHours]);
    assert!(matches!(
        w.assign_with(v, s2, Some(all)).unwrap_err(),
        RosterError::DoubleBooked { .. }
    ));
}

#[test]
fn double_booking_is_per_person_across_engagements() {
    let mut w = World::new();
    let first = w.volunteer();
    let person: PersonId = w.person(first);
    let second = w.engagement(person, |p| p);
    let s1 = w.shift(8, 6, 2);
    let s2 = w.shift(10, 6, 2);
    w.assign(first, s1).unwrap();
    assert_eq!(
        w.assign(second, s2).unwrap_err(),
        RosterError::DoubleBooked { volunteer: second, shift: s2, conflicting_shift: s1 }
    );
}

#[test]
fn invitations_may_overlap_but_only_one_is_confirmed() {
    let mut w = World::new();
    let v = w.volunteer();
    let s1 = w.shift(8, 6, 2);
    let s2 = w.shift(10, 6, 2);
    let a1 = w.invite(v, s1).unwrap();
    let a2 = w.invite(v, s2).unwrap();
    w.run(RosterCommand::Confirm { assignment: a1, override_: None }).unwrap();
    assert!(matches!(
        w.run(RosterCommand::Confirm { assignment: a2, override_: None }).unwrap_err(),
        RosterError::DoubleBooked { .. }
    ));
    // A new invitation overlapping a commitment is refused outright.
    let s3 = w.shift(9, 1, 2);
    assert!(matches!(w.invite(v, s3).unwrap_err(), RosterError::DoubleBooked { .. }));
}

#[test]
fn rest_between_shifts_on_both_sides() {
    let mut w = World::new();
    let v = w.volunteer();
    let s1 = w.shift(8, 4, 2); // ends 12
    let too_soon = w.shift(15, 4, 2); // 3 h after
    let before = w.shift(0, 4, 2); // ends 4, 4 h before s1
    let back_to_back = w.shift(12, 2, 2);
    let exactly = w.shift(20, 4, 2); // 8 h after
    w.assign(v, s1).unwrap();
    assert_eq!(
        w.assign(v, too_soon).unwrap_err(),
        RosterError::RestTooShort {
            volunteer: v,
            shift: too_soon,
            other_shift: s1,
            rest_minutes: 180,
            min_minutes: 480
        }
    );
    assert!(matches!(
        w.assign(v, before).unwrap_err(),
        RosterError::RestTooShort { rest_minutes: 240, .. }
    ));
    assert!(matches!(
        w.assign(v, back_to_back).unwrap_err(),
        RosterError::RestTooShort { rest_minutes: 0, .. }
    ));
    w.assign(v, exactly).unwrap();
}

#[test]
fn a_coordinator_override_lifts_rest_and_is_recorded() {
    let mut w = World::new();
    let v = w.volunteer();
    let s1 = w.shift(8, 4, 2);
    let s2 = w.shift(14, 4, 2);
    w.assign(v, s1).unwrap();
    let hours_only = w.override_(&[OverridableRule::MaxHours]);
    assert!(matches!(
        w.assign_with(v, s2, Some(hours_only)).unwrap_err(),
        RosterError::RestTooShort { .. }
    ));
    let o = w.override_(&[OverridableRule::Rest]);
    let a = w.assign_with(v, s2, Some(o.clone())).unwrap();
    assert_eq!(w.roster().assignment(a).unwrap().override_, Some(o));
}

#[test]
fn only_a_coordinator_may_override() {
    let mut w = World::new();
    let v = w.volunteer();
    let s1 = w.shift(8, 4, 2);
    let s2 = w.shift(14, 4, 2);
    w.assign(v, s1).unwrap();
    let o = Override::new(v, name("saya sendiri"), [OverridableRule::Rest]);
    assert_eq!(w.assign_with(v, s2, Some(o)).unwrap_err(), RosterError::NotCoordinator(v));
}

#[test]
fn max_hours_per_24h_and_7d() {
    let policy =
        RosterPolicy::default().with_min_rest_minutes(60).with_max_minutes(10 * 60, 20 * 60);
    let mut w = World::with_roster(Roster::with_policy(policy));
    let v = w.volunteer();
    let s1 = w.shift(0, 6, 2);
    let s2 = w.shift(7, 6, 2); // 12 h within 24 h
    w.assign(v, s1).unwrap();
    assert_eq!(
        w.assign(v, s2).unwrap_err(),
        RosterError::TooManyHours {
            volunteer: v,
            window: HoursWindow::Day,
            minutes: 720,
            max_minutes: 600
        }
    );
    let o = w.override_(&[OverridableRule::MaxHours]);
    w.assign_with(v, s2, Some(o)).unwrap();
    // Week: 12 h so far; 6 + 6 more on later days reach 24 h > 20 h.
    let s3 = w.shift(48, 6, 2);
    w.assign(v, s3).unwrap();
    let s4 = w.shift(96, 6, 2);
    assert!(matches!(
        w.assign(v, s4).unwrap_err(),
        RosterError::TooManyHours {
            window: HoursWindow::Week,
            minutes: 1440,
            max_minutes: 1200,
            ..
        }
    ));
    // A single shift longer than the daily maximum.
    let long = w.shift(200, 11, 1);
    let other = w.volunteer();
    assert!(matches!(
        w.assign(other, long).unwrap_err(),
        RosterError::TooManyHours { window: HoursWindow::Day, .. }
    ));
}

#[test]
fn policy_can_be_set_by_command() {
    let mut w = World::new();
    let policy = RosterPolicy::default().with_min_rest_minutes(0);
    w.run(RosterCommand::SetPolicy { policy }).unwrap();
    assert_eq!(w.roster().policy(), &policy);
    let v = w.volunteer();
    let (s1, s2) = (w.shift(8, 4, 1), w.shift(12, 4, 1));
    w.assign(v, s1).unwrap();
    w.assign(v, s2).unwrap();
}

#[test]
fn skills_credentials_background_check_and_status() {
    let mut w = World::new();
    let boat =
        |s: Shift| s.with_skill(code("PB.EVAKUASI.AIR"), 2).with_credential(code("PMI.PP"), 1);
    let s = w.shift_with(8, 4, 3, boat);
    // Missing skill.
    let novice = w.volunteer_with(|p| p.with_skill(code("PB.EVAKUASI.AIR"), 1));
    assert_eq!(
        w.assign(novice, s).unwrap_err(),
        RosterError::SkillTooLow {
            volunteer: novice,
            skill: code("PB.EVAKUASI.AIR"),
            required: 2,
            actual: 1
        }
    );
    // Skill but no credential.
    let skipper = w.volunteer_with(|p| p.with_skill(code("PB.EVAKUASI.AIR"), 3));
    assert!(matches!(
        w.assign(skipper, s).unwrap_err(),
        RosterError::CredentialInvalid { level: 1, .. }
    ));
    // A credential that lapses on the shift's first day is not enough; the
    // shift is 2 Dec 08:00-12:00 WIB.
    w.credential(skipper, "PMI.PP", 1, day(12, 1));
    assert!(matches!(w.assign(skipper, s).unwrap_err(), RosterError::CredentialInvalid { .. }));
    w.credential(skipper, "PMI.PP", 2, day(12, 2));
    w.assign(skipper, s).unwrap();
    // Background check expired / missing.
    let lapsed = w.volunteer_with(|p| p.with_skill(code("PB.EVAKUASI.AIR"), 2));
    w.credential(lapsed, "PMI.PP", 1, day(12, 31));
    w.run(RosterCommand::RecordBackgroundCheck {
        volunteer: lapsed,
        check: BackgroundCheck::new(day(1, 1), day(11, 30)),
    })
    .unwrap();
    assert!(matches!(
        w.assign(lapsed, s).unwrap_err(),
        RosterError::BackgroundCheckExpired { valid_until: Some(_), .. }
    ));
    // Never checked, and not yet active.
    let fresh = w.ids.next_id();
    let profile =
        VolunteerProfile::new(w.ids.next_id(), w.ids.next_id(), name("Baru"), petuk_bukit());
    w.run(RosterCommand::RegisterVolunteer { volunteer: fresh, profile }).unwrap();
    let plain = w.shift(30, 4, 2);
    assert_eq!(
        w.assign(fresh, plain).unwrap_err(),
        RosterError::NotActive { volunteer: fresh, status: VolunteerStatus::Applied }
    );
    w.run(RosterCommand::ChangeVolunteerStatus {
        volunteer: fresh,
        status: VolunteerStatus::Active,
        reason: None,
    })
    .unwrap();
    assert!(matches!(
        w.assign(fresh, plain).unwrap_err(),
        RosterError::BackgroundCheckExpired { valid_until: None, .. }
    ));
}

#[test]
fn a_night_shift_needs_validity_on_both_wib_days() {
    let mut w = World::new();
    let s = w.shift_with(22, 4, 1, |s| s.with_credential(code("PMI.PP"), 1)); // 2 Dec 22:00 - 3 Dec 02:00 WIB
    let v = w.volunteer();
    w.credential(v, "PMI.PP", 1, day(12, 2));
    assert!(matches!(
        w.assign(v, s).unwrap_err(),
        RosterError::CredentialInvalid { first_day, last_day, .. } if first_day == day(12, 2) && last_day == day(12, 3)
    ));
}

#[test]
fn check_assignment_is_the_same_rule_set() {
    let mut w = World::new();
    let v = w.volunteer();
    let s1 = w.shift(8, 4, 2);
    let s2 = w.shift(9, 4, 2);
    w.assign(v, s1).unwrap();
    assert!(matches!(
        w.roster().check_assignment(v, s2, None),
        Err(RosterError::DoubleBooked { .. })
    ));
    let ghost = w.ids.next_id();
    assert_eq!(
        w.roster().check_assignment(ghost, s2, None),
        Err(RosterError::UnknownVolunteer(ghost))
    );
    assert!(
        RosterError::DoubleBooked { volunteer: v, shift: s2, conflicting_shift: s1 }.is_hard_rule()
    );
    assert!(!RosterError::UnknownVolunteer(v).is_hard_rule());
}

#[test]
fn malformed_and_unknown_records_are_refused() {
    let mut w = World::new();
    let id = w.ids.next_id();
    let bad = |start: i64, end: i64, headcount| {
        Shift::new(id, w.incident, w.post, name("x"), at(start), at(end), headcount)
    };
    for (shift, field) in [
        (bad(4, 4, 1), "shift end"),
        (bad(4, 400, 1), "shift end"),
        (bad(4, 6, 0), "headcount"),
        (bad(4, 6, 1).with_skill(code("A"), 10), "required level"),
    ] {
        assert!(
            matches!(w.run(RosterCommand::PostShift { shift }).unwrap_err(), RosterError::InvalidInput { field: f, .. } if f == field)
        );
    }
    let ghost_post = w.ids.next_id();
    let shift = Shift::new(id, w.incident, ghost_post, name("x"), at(1), at(2), 1);
    assert_eq!(
        w.run(RosterCommand::PostShift { shift }).unwrap_err(),
        RosterError::UnknownPost { incident: w.incident, post: ghost_post }
    );
    let ghost_incident = w.ids.next_id();
    let shift = Shift::new(id, ghost_incident, w.post, name("x"), at(1), at(2), 1);
    assert_eq!(
        w.run(RosterCommand::PostShift { shift }).unwrap_err(),
        RosterError::UnknownIncident(ghost_incident)
    );
    let s = w.shift(1, 2, 1);
    let dup = Shift::new(s, w.incident, w.post, name("x"), at(1), at(2), 1);
    assert!(matches!(
        w.run(RosterCommand::PostShift { shift: dup }).unwrap_err(),
        RosterError::DuplicateId { kind: "shift", .. }
    ));
    // Volunteers.
    let v = w.volunteer();
    let person = w.person(v);
    let org = w.roster().volunteer(v).unwrap().profile.organization;
    let again = VolunteerProfile::new(person, org, name("x"), petuk_bukit());
    assert_eq!(
        w.run(RosterCommand::RegisterVolunteer {
            volunteer: w.ids.next_id(),
            profile: again.clone()
        })
        .unwrap_err(),
        RosterError::DuplicateEngagement { existing: v }
    );
    assert!(matches!(
        w.run(RosterCommand::RegisterVolunteer { volunteer: v, profile: again }).unwrap_err(),
        RosterError::DuplicateId { kind: "volunteer", .. }
    ));
    let not_village =
        VolunteerProfile::new(w.ids.next_id(), w.ids.next_id(), name("x"), RegionCode::RAKUMPIT);
    assert!(matches!(
        w.run(RosterCommand::RegisterVolunteer {
            volunteer: w.ids.next_id(),
            profile: not_village
        })
        .unwrap_err(),
        RosterError::InvalidInput { field: "home", .. }
    ));
    assert!(matches!(
        w.run(RosterCommand::SetSkill { volunteer: v, skill: code("A"), level: 10 }).unwrap_err(),
        RosterError::InvalidInput { .. }
    ));
    w.run(RosterCommand::SetSkill { volunteer: v, skill: code("A"), level: 3 }).unwrap();
    assert_eq!(w.roster().volunteer(v).unwrap().skill_level(&code("A")), 3);
    w.run(RosterCommand::SetSkill { volunteer: v, skill: code("A"), level: 0 }).unwrap();
    assert_eq!(w.roster().volunteer(v).unwrap().skill_level(&code("A")), 0);
    assert!(matches!(
        w.run(RosterCommand::RecordBackgroundCheck {
            volunteer: v,
            check: BackgroundCheck::new(day(5, 1), day(4, 1))
        })
        .unwrap_err(),
        RosterError::InvalidInput { .. }
    ));
    let other = w.volunteer();
    let foreign = Credential::new(
        w.person(other),
        code("A"),
        1,
        CertificateNumber::try_new("1").unwrap(),
        w.ids.next_id(),
        day(1, 1),
    );
    assert!(matches!(
        w.run(RosterCommand::RecordCredential { volunteer: v, credential: foreign }).unwrap_err(),
        RosterError::InvalidInput { field: "credential holder", .. }
    ));
    let bad_window = Availability::new(vec![WeeklyWindow::new(Weekday::Mon, 600, 500)], vec![]);
    assert!(matches!(
        w.run(RosterCommand::SetAvailability { volunteer: v, availability: bad_window })
            .unwrap_err(),
        RosterError::InvalidInput { field: "weekly window", .. }
    ));
    // Teams.
    let ghost_team = w.ids.next_id();
    assert_eq!(
        w.run(RosterCommand::AddTeamMember { team: ghost_team, volunteer: v }).unwrap_err(),
        RosterError::UnknownTeam(ghost_team)
    );
    assert!(matches!(
        w.run(RosterCommand::SetTeamCoordinator { team: w.team, coordinator: v }).unwrap_err(),
        RosterError::InvalidInput { field: "coordinator", .. }
    ));
    assert!(matches!(
        w.run(RosterCommand::FormTeam {
            team: w.team,
            name: name("x"),
            capabilities: BTreeSet::new()
        })
        .unwrap_err(),
        RosterError::DuplicateId { kind: "team", .. }
    ));
    w.run(RosterCommand::RemoveTeamMember { team: w.team, volunteer: w.coordinator }).unwrap();
    assert!(!w.roster().is_coordinator(w.coordinator));
    assert!(
        w.run(RosterCommand::RemoveTeamMember { team: w.team, volunteer: w.coordinator }).is_err()
    );
    // Incidents and posts.
    assert!(matches!(
        w.run(RosterCommand::OpenIncident {
            incident: w.incident,
            name: name("x"),
            hazard: Hazard::Flood,
            affected: BTreeSet::new(),
            start: at(0)
        })
        .unwrap_err(),
        RosterError::DuplicateId { kind: "incident", .. }
    ));
    assert!(matches!(
        w.run(RosterCommand::OpenIncident {
            incident: w.ids.next_id(),
            name: name("x"),
            hazard: Hazard::Flood,
            affected: BTreeSet::from([RegionCode::RAKUMPIT]),
            start: at(0)
        })
        .unwrap_err(),
        RosterError::InvalidInput { field: "affected", .. }
    ));
    let post = Post::new(w.post, PostKind::Shelter, name("x"), petuk_bukit());
    assert!(matches!(
        w.run(RosterCommand::OpenPost { incident: w.incident, post }).unwrap_err(),
        RosterError::DuplicateId { kind: "post", .. }
    ));
    let post = Post::new(w.ids.next_id(), PostKind::Shelter, name("x"), RegionCode::RAKUMPIT);
    assert!(matches!(
        w.run(RosterCommand::OpenPost { incident: w.incident, post }).unwrap_err(),
        RosterError::InvalidInput { .. }
    ));
}

#[test]
fn refused_commands_change_nothing() {
    let mut w = World::new();
    let v = w.volunteer();
    let s1 = w.shift(8, 4, 2);
    let s2 = w.shift(9, 4, 2);
    w.assign(v, s1).unwrap();
    let before = w.roster().clone();
    let len = w.book.journal().len();
    assert!(w.assign(v, s2).is_err());
    assert_eq!(w.roster(), &before);
    assert_eq!(w.book.journal().len(), len);
}

#[test]
fn error_messages_name_the_rule_and_values() {
    let mut w = World::new();
    let v = w.volunteer();
    let s1 = w.shift(8, 4, 2);
    let s2 = w.shift(14, 4, 2);
    w.assign(v, s1).unwrap();
    let msg = w.assign(v, s2).unwrap_err().to_string();
    assert!(msg.contains("rest 120 min") && msg.contains("at least 480 min"), "{msg}");
}

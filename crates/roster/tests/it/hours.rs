//! The hours record and the reports.

use chrono::{Duration, Months, NaiveDate};
use tangguh_roster::{
    ActivityPolicy, ExpiringItem, HoursSource, Roster, RosterCommand, RosterError, RosterPolicy,
};

use crate::*;

fn manual(w: &mut World, v: VolunteerId, date: NaiveDate, minutes: u32) {
    w.run(RosterCommand::RecordHours {
        volunteer: v,
        date,
        minutes,
        incident: None,
        note: name("pelatihan"),
    })
    .unwrap();
}

#[test]
fn manual_entries_and_reversals_are_append_only() {
    let mut w = World::new();
    let v = w.volunteer();
    manual(&mut w, v, day(11, 20), 120);
    w.run(RosterCommand::ReverseHours { entry: 1, reason: name("salah input") }).unwrap();
    manual(&mut w, v, day(11, 20), 90);
    let hours = w.roster().hours();
    assert_eq!(hours.len(), 3);
    assert_eq!(
        (hours[1].minutes, hours[1].source, hours[1].reverses),
        (-120, HoursSource::Reversal, Some(1))
    );
    assert_eq!(w.roster().minutes_of_volunteer(v, day(11, 1), day(11, 30)), 90);
    assert_eq!(
        w.run(RosterCommand::ReverseHours { entry: 1, reason: name("x") }).unwrap_err(),
        RosterError::NotReversible(1)
    );
    assert_eq!(
        w.run(RosterCommand::ReverseHours { entry: 2, reason: name("x") }).unwrap_err(),
        RosterError::NotReversible(2)
    );
    assert_eq!(
        w.run(RosterCommand::ReverseHours { entry: 9, reason: name("x") }).unwrap_err(),
        RosterError::UnknownHoursEntry(9)
    );
    assert_eq!(
        w.run(RosterCommand::ReverseHours { entry: 0, reason: name("x") }).unwrap_err(),
        RosterError::UnknownHoursEntry(0)
    );
}

#[test]
fn manual_entries_are_checked() {
    let mut w = World::new();
    let v = w.volunteer();
    let bad = |minutes, date| RosterCommand::RecordHours {
        volunteer: v,
        date,
        minutes,
        incident: None,
        note: name("x"),
    };
    assert!(matches!(
        w.run(bad(0, day(11, 1))).unwrap_err(),
        RosterError::InvalidInput { field: "minutes", .. }
    ));
    assert!(matches!(
        w.run(bad(60, day(12, 5))).unwrap_err(),
        RosterError::InvalidInput { field: "date", .. }
    ));
    let ghost = w.ids.next_id();
    assert_eq!(
        w.run(RosterCommand::RecordHours {
            volunteer: v,
            date: day(11, 1),
            minutes: 5,
            incident: Some(ghost),
            note: name("x")
        })
        .unwrap_err(),
        RosterError::UnknownIncident(ghost)
    );
}

#[test]
fn active_volunteer_is_derived_from_hours() {
    let mut w = World::new();
    let (steady, sporadic) = (w.volunteer(), w.volunteer());
    // Today is 1 Dec 2026: the window is Dec 2025 - Nov 2026.
    for m in 0..12 {
        let d = day(11, 15).checked_sub_months(Months::new(m)).unwrap();
        manual(&mut w, steady, d, 8 * 60);
    }
    manual(&mut w, sporadic, day(6, 1), 60 * 60);
    manual(&mut w, sporadic, day(12, 1), 60 * 60); // this month: not counted yet
    let today = w.clock.today();
    assert_eq!(
        w.roster().activity_period(today),
        (NaiveDate::from_ymd_opt(2025, 12, 1).unwrap(), day(11, 30))
    );
    assert!(w.roster().is_active_volunteer(steady, today));
    assert!(!w.roster().is_active_volunteer(sporadic, today));
    assert_eq!(w.roster().active_volunteers(today), vec![steady]);
    // Reversing one month drops below the average.
    w.run(RosterCommand::ReverseHours { entry: 1, reason: name("koreksi") }).unwrap();
    assert!(!w.roster().is_active_volunteer(steady, today));
    // A looser policy (2 h a month over 6 months, 1 month lag) counts both.
    let policy = RosterPolicy::default().with_activity(ActivityPolicy::new(6, 2 * 60, 1));
    let mut w2 = World::with_roster(Roster::with_policy(policy));
    let v = w2.volunteer();
    manual(&mut w2, v, day(6, 10), 12 * 60);
    assert!(w2.roster().is_active_volunteer(v, w2.clock.today()));
}

#[test]
fn hours_per_team_incident_and_range() {
    let mut w = World::new();
    let member = w.coordinator;
    let outsider = w.volunteer();
    let s = w.shift(-30, 4, 2);
    let a = w.assign(member, s).unwrap();
    let b = w.assign(outsider, s).unwrap();
    for x in [a, b] {
        w.run(RosterCommand::CheckIn { assignment: x }).unwrap();
        w.run(RosterCommand::CheckOut { assignment: x, minutes: Some(240) }).unwrap();
    }
    manual(&mut w, member, day(11, 1), 60);
    let (from, to) = (day(11, 1), day(11, 30));
    assert_eq!(w.roster().minutes_of_team(w.team, from, to), 300);
    assert_eq!(w.roster().minutes_of_incident(w.incident, from, to), 480);
    assert_eq!(w.roster().minutes_of_volunteer(outsider, from, to), 240);
    assert_eq!(w.roster().minutes_of_volunteer(outsider, day(12, 1), day(12, 31)), 0);
    let by = w.roster().minutes_by_volunteer(from, to);
    assert_eq!(by.get(&member), Some(&300));
    let ghost = w.ids.next_id();
    assert_eq!(w.roster().minutes_of_team(ghost, from, to), 0);
}

#[test]
fn coverage_and_csv() {
    let mut w = World::new();
    let (v1, v2) = (w.volunteer(), w.volunteer());
    let s = w.shift(8, 4, 3);
    w.assign(v1, s).unwrap();
    w.invite(v2, s).unwrap();
    let cancelled = w.shift(30, 4, 1);
    w.run(RosterCommand::CancelShift { shift: cancelled, reason: name("x") }).unwrap();
    let cov = w.roster().coverage(w.incident);
    assert_eq!(cov.len(), 1);
    assert_eq!((cov[0].required, cov[0].held, cov[0].filled), (3, 2, 1));
    let mut out = Vec::new();
    w.roster().write_coverage_csv(&mut out, w.incident).unwrap();
    let text = String::from_utf8(out).unwrap();
    assert!(text.starts_with("shift,role,start,end,required,held,filled\n"));
    assert!(text.contains(",juru masak,") && text.trim_end().ends_with(",3,2,1"));

    manual(&mut w, v1, day(11, 2), 45);
    w.run(RosterCommand::ReverseHours { entry: 1, reason: name("dobel, \"koreksi\"") }).unwrap();
    let mut out = Vec::new();
    w.roster().write_hours_csv(&mut out, day(11, 1), day(11, 30)).unwrap();
    let text = String::from_utf8(out).unwrap();
    let lines: Vec<_> = text.lines().collect();
    assert_eq!(lines[0], "number,volunteer,date,minutes,source,incident,assignment,reverses,note");
    assert_eq!(lines.len(), 3);
    assert!(lines[2].contains(",-45,reversal,,,1,\"dobel, \"\"koreksi\"\"\""), "{}", lines[2]);
}

#[test]
fn export_failures_are_typed() {
    struct Broken;
    impl std::io::Write for Broken {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::Error::other("disk full"))
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Err(std::io::Error::other("disk full"))
        }
    }
    let w = World::new();
    assert!(matches!(
        w.roster().write_hours_csv(Broken, day(1, 1), day(12, 31)),
        Err(RosterError::Export(_))
    ));
    assert!(matches!(
        w.roster().write_coverage_csv(Broken, w.incident),
        Err(RosterError::Export(_))
    ));
}

#[test]
fn expiring_credentials_and_checks() {
    let mut w = World::new();
    let v = w.volunteer(); // check valid until 31 Dec
    w.credential(v, "PMI.PP", 1, day(12, 10));
    w.credential(v, "PMI.LAMA", 1, day(11, 1)); // already expired
    let today = w.clock.today();
    let soon = w.roster().expiring_within(today, 14);
    assert_eq!(soon.iter().filter(|e| e.volunteer == v).count(), 1);
    assert_eq!(soon[0].item, ExpiringItem::Credential { competency: code("PMI.PP"), level: 1 });
    assert_eq!(soon[0].last_valid_day, day(12, 10));
    let month = w.roster().expiring_within(today, 30);
    assert!(month.iter().any(|e| e.volunteer == v && e.item == ExpiringItem::BackgroundCheck));
    assert!(month.windows(2).all(|p| p[0].last_valid_day <= p[1].last_valid_day));
    let _ = Duration::zero();
}

//! tangguh-roster: auto-fill, the single assignment check, matching, and the
//! auto-fill heuristic's gap to an exact search on small instances.

use std::hint::black_box;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use criterion::Criterion;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use tangguh::core::{
    Actor, Aggregate, CertificateNumber, Clock, CompetencyCode, Context, Credential, Hazard,
    IdGenerator, IncidentId, Name, RegionCode,
};
use tangguh::roster::{
    AssignmentId, BackgroundCheck, Post, PostKind, Roster, RosterCommand, RosterPolicy, Shift,
    ShiftId, VolunteerId, VolunteerProfile, VolunteerStatus,
};

use crate::fixtures;

/// A roster built by deciding and applying commands directly (no journal).
struct Builder {
    roster: Roster,
    context: Context,
    ids: IdGenerator,
}

impl Builder {
    fn new(policy: RosterPolicy, seed: u64) -> Self {
        let clock = fixtures::clock();
        Self {
            roster: Roster::with_policy(policy),
            context: Context::new(clock.now(), Actor::try_new("bench").unwrap()),
            ids: fixtures::ids(seed),
        }
    }

    fn run(&mut self, command: RosterCommand) -> bool {
        match self.roster.decide(&command, &self.context) {
            Ok(events) => {
                for e in &events {
                    self.roster.apply(e);
                }
                true
            }
            Err(_) => false,
        }
    }

    fn incident(&mut self, kelurahan: &[RegionCode]) -> (IncidentId, Vec<tangguh::roster::PostId>) {
        let incident = self.ids.next_id();
        assert!(self.run(RosterCommand::OpenIncident {
            incident,
            name: Name::try_new("Banjir Rakumpit").unwrap(),
            hazard: Hazard::Flood,
            affected: kelurahan.iter().copied().collect(),
            start: start(),
        }));
        let kinds = [PostKind::Posko, PostKind::Shelter, PostKind::DapurUmum, PostKind::HealthPost];
        let mut posts = Vec::new();
        for (i, k) in kelurahan.iter().enumerate() {
            for (j, kind) in kinds.iter().enumerate() {
                if (i + j) % 2 == 0 {
                    let post =
                        Post::new(self.ids.next_id(), *kind, Name::try_new("Pos").unwrap(), *k);
                    posts.push(post.id);
                    assert!(self.run(RosterCommand::OpenPost { incident, post }));
                }
            }
        }
        (incident, posts)
    }

    fn volunteer(
        &mut self,
        home: RegionCode,
        skills: &[(&str, u8)],
        credential: Option<(&str, NaiveDate)>,
    ) -> VolunteerId {
        let id = self.ids.next_id();
        let person = self.ids.next_id();
        let mut profile = VolunteerProfile::new(
            person,
            self.ids.next_id(),
            Name::try_new("Relawan").unwrap(),
            home,
        );
        for (s, l) in skills {
            profile = profile.with_skill(code(s), *l);
        }
        assert!(self.run(RosterCommand::RegisterVolunteer { volunteer: id, profile }));
        assert!(self.run(RosterCommand::ChangeVolunteerStatus {
            volunteer: id,
            status: VolunteerStatus::Active,
            reason: None
        }));
        assert!(self.run(RosterCommand::RecordBackgroundCheck {
            volunteer: id,
            check: BackgroundCheck::new(day(2026, 1, 1), day(2027, 12, 31))
        }));
        if let Some((c, until)) = credential {
            let credential = Credential::new(
                person,
                code(c),
                1,
                CertificateNumber::try_new("PMI/1").unwrap(),
                self.ids.next_id(),
                day(2026, 1, 1),
            )
            .valid_until(until);
            assert!(self.run(RosterCommand::RecordCredential { volunteer: id, credential }));
        }
        id
    }
}

fn code(s: &str) -> CompetencyCode {
    CompetencyCode::try_new(s).unwrap()
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// 29 November 2026 00:00 WIB: the day after the bench clock.
fn start() -> DateTime<Utc> {
    tangguh::core::wib().with_ymd_and_hms(2026, 11, 29, 0, 0, 0).unwrap().with_timezone(&Utc)
}

fn rakumpit() -> Vec<RegionCode> {
    (1001..=1007).map(|v| format!("62.71.05.{v}").parse().unwrap()).collect()
}

/// The big instance: `volunteers` across Rakumpit's seven kelurahan (30 %
/// boat crew with levels 1-3, 20 % health with a PMI credential, some of
/// which lapse mid-fortnight), `shifts` over 14 days at the incident's posts
/// (boat, health, kitchen, logistics; 4-8 h; headcount 1-5).
fn big(volunteers: usize, shifts: usize) -> (Builder, IncidentId) {
    let mut rng = ChaCha8Rng::seed_from_u64(42);
    let mut b = Builder::new(RosterPolicy::default(), 7);
    let kel = rakumpit();
    let (incident, posts) = b.incident(&kel);
    for i in 0..volunteers {
        let home = kel[i % kel.len()];
        let r: f64 = rng.random();
        if r < 0.3 {
            let level = rng.random_range(1..=3);
            b.volunteer(home, &[("PB.EVAKUASI.AIR", level)], None);
        } else if r < 0.5 {
            let until = day(2026, 12, rng.random_range(1..=31));
            b.volunteer(
                home,
                &[("KES.PERTOLONGAN", rng.random_range(1..=2))],
                Some(("PMI.PP", until)),
            );
        } else {
            b.volunteer(home, &[], None);
        }
    }
    for _ in 0..shifts {
        let id: ShiftId = b.ids.next_id();
        let begin = start() + Duration::hours(2 * rng.random_range(0..(14 * 12)));
        let len = rng.random_range(4..=8);
        let post = posts[rng.random_range(0..posts.len())];
        let headcount = rng.random_range(1..=5);
        let mut shift = Shift::new(
            id,
            incident,
            post,
            Name::try_new("peran").unwrap(),
            begin,
            begin + Duration::hours(len),
            headcount,
        );
        match rng.random_range(0..4) {
            0 => shift = shift.with_skill(code("PB.EVAKUASI.AIR"), 2),
            1 => {
                shift =
                    shift.with_skill(code("KES.PERTOLONGAN"), 1).with_credential(code("PMI.PP"), 1)
            }
            _ => {}
        }
        assert!(b.run(RosterCommand::PostShift { shift }));
    }
    (b, incident)
}

/// A small random instance for the exact comparison.
fn small(seed: u64) -> (Roster, IncidentId, DateTime<Utc>) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let policy = RosterPolicy::default().with_max_minutes(10 * 60, 30 * 60);
    let mut b = Builder::new(policy, seed);
    let kel = rakumpit();
    let (incident, posts) = b.incident(&kel[..1]);
    for _ in 0..rng.random_range(3..=6) {
        let skilled = rng.random_bool(0.5);
        b.volunteer(kel[0], if skilled { &[("S", 1)] } else { &[] }, None);
    }
    for _ in 0..rng.random_range(3..=6) {
        let id: ShiftId = b.ids.next_id();
        let begin = start() + Duration::hours(rng.random_range(0..48));
        let mut shift = Shift::new(
            id,
            incident,
            posts[0],
            Name::try_new("peran").unwrap(),
            begin,
            begin + Duration::hours(rng.random_range(2..=8)),
            rng.random_range(1..=3),
        );
        if rng.random_bool(0.4) {
            shift = shift.with_skill(code("S"), 1);
        }
        assert!(b.run(RosterCommand::PostShift { shift }));
    }
    let now = b.context.now();
    (b.roster, incident, now)
}

pub(crate) fn define(c: &mut Criterion) {
    // Heuristic vs exact on small instances (a figure, not a timing).
    let (mut heuristic, mut exact, mut gaps, mut worst, mut solved) =
        (0u32, 0u32, 0u32, 0u32, 0u32);
    for seed in 0..300 {
        let (roster, incident, now) = small(seed);
        let h = roster.plan_auto_fill(incident, now).unwrap().filled();
        if let Some(e) = roster.plan_auto_fill_exact(incident, now, 5_000_000).unwrap() {
            solved += 1;
            heuristic += h;
            exact += e.filled();
            if e.filled() > h {
                gaps += 1;
                worst = worst.max(e.filled() - h);
            }
        }
    }
    eprintln!(
        "roster/auto_fill gap: {solved} small instances solved exactly; heuristic filled {heuristic} of the exact {exact} seats; {gaps} instances with a gap, worst gap {worst}"
    );

    let (b, incident) = big(5_000, 1_000);
    let now = b.context.now();
    let plan = b.roster.plan_auto_fill(incident, now).unwrap();
    eprintln!(
        "roster/auto_fill 5k/1k: filled {} of {} open seats ({} shifts left with open seats)",
        plan.filled(),
        plan.open_seats,
        plan.unfilled.len()
    );
    // A scarce variant: the same 1,000 shifts (about 3,000 seats) for 300
    // volunteers, where not every seat can be filled.
    let (scarce, scarce_incident) = big(300, 1_000);
    let scarce_plan = scarce.roster.plan_auto_fill(scarce_incident, now).unwrap();
    eprintln!(
        "roster/auto_fill 300/1k (scarce): filled {} of {} open seats",
        scarce_plan.filled(),
        scarce_plan.open_seats
    );
    let mut group = c.benchmark_group("roster/auto_fill");
    group.sample_size(10);
    group.bench_function("plan/300-volunteers-1k-shifts-scarce", |bench| {
        bench.iter(|| black_box(scarce.roster.plan_auto_fill(scarce_incident, now).unwrap()))
    });
    group.bench_function("plan/5k-volunteers-1k-shifts", |bench| {
        bench.iter(|| black_box(b.roster.plan_auto_fill(incident, now).unwrap()))
    });
    group.bench_function("decide/5k-volunteers-1k-shifts", |bench| {
        let seed: AssignmentId = fixtures::ids(99).next_id();
        let command = RosterCommand::AutoFill { incident, id_seed: seed, confirm: true };
        bench.iter(|| black_box(b.roster.decide(&command, &b.context).unwrap()))
    });
    group.finish();

    // The single check, on the roster after auto-fill (about 3,000 committed
    // assignments), over random volunteer x shift pairs.
    let mut filled = b;
    let seed: AssignmentId = fixtures::ids(98).next_id();
    assert!(filled.run(RosterCommand::AutoFill { incident, id_seed: seed, confirm: true }));
    let volunteers: Vec<VolunteerId> = filled.roster.volunteers().map(|v| v.id).collect();
    let shifts: Vec<ShiftId> = filled.roster.shifts_of(incident).map(|s| s.id).collect();
    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let pairs: Vec<(VolunteerId, ShiftId)> = (0..4096)
        .map(|_| {
            (
                volunteers[rng.random_range(0..volunteers.len())],
                shifts[rng.random_range(0..shifts.len())],
            )
        })
        .collect();
    // Volunteers with commitments (their interval index is not empty).
    let committed: Vec<VolunteerId> = filled.roster.assignments().map(|a| a.volunteer).collect();
    let busy: Vec<(VolunteerId, ShiftId)> = (0..4096)
        .map(|_| {
            let v = committed[rng.random_range(0..committed.len())];
            (v, shifts[rng.random_range(0..shifts.len())])
        })
        .collect();
    let refused =
        busy.iter().filter(|(v, s)| filled.roster.check_assignment(*v, *s, None).is_err()).count();
    eprintln!(
        "roster/check_assignment: {refused} of {} committed-volunteer pairs refused",
        busy.len()
    );
    let mut group = c.benchmark_group("roster/check_assignment");
    group.bench_function("random-pair/5k-volunteers-1k-shifts", |bench| {
        let mut i = 0;
        bench.iter(|| {
            i = (i + 1) % pairs.len();
            let (v, s) = pairs[i];
            black_box(filled.roster.check_assignment(v, s, None))
        })
    });
    group.bench_function("committed-volunteer/5k-volunteers-1k-shifts", |bench| {
        let mut i = 0;
        bench.iter(|| {
            i = (i + 1) % busy.len();
            let (v, s) = busy[i];
            black_box(filled.roster.check_assignment(v, s, None))
        })
    });
    group.bench_function("decide-assign/5k-volunteers-1k-shifts", |bench| {
        let mut i = 0;
        let ids = fixtures::ids(97);
        let commands: Vec<RosterCommand> = pairs
            .iter()
            .map(|&(volunteer, shift)| RosterCommand::Assign {
                assignment: ids.next_id(),
                shift,
                volunteer,
                override_: None,
            })
            .collect();
        bench.iter(|| {
            i = (i + 1) % commands.len();
            black_box(filled.roster.decide(&commands[i], &filled.context).ok())
        })
    });
    group.finish();

    let mut group = c.benchmark_group("roster/match_shift");
    group.sample_size(10);
    group.bench_function("rank-and-explain/5k-volunteers", |bench| {
        let mut i = 0;
        bench.iter(|| {
            i = (i + 1) % shifts.len();
            black_box(filled.roster.match_shift(shifts[i]).unwrap())
        })
    });
    group.finish();

    let mut group = c.benchmark_group("roster/auto_fill_exact");
    group.sample_size(10);
    let (roster, small_incident, small_now) = small(1);
    group.bench_function("small-instance", |bench| {
        bench.iter(|| {
            black_box(roster.plan_auto_fill_exact(small_incident, small_now, 5_000_000).unwrap())
        })
    });
    group.bench_function("small-instance-heuristic", |bench| {
        bench.iter(|| black_box(roster.plan_auto_fill(small_incident, small_now).unwrap()))
    });
    group.finish();
}

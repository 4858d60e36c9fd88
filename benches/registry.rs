//! tangguh-registry: building a synthetic registry through commands, NIK
//! lookup, targeting (against SQLite in memory as the baseline, same data,
//! same run), the duplicate scan and statistics.
//!
//! The synthetic registry (fixed seed, ChaCha8): 1,000,000 households of
//! 1-7 people (about 4,000,000), spread over 35 kelurahan of Kota Palangka
//! Raya, 85 % with a NIK, 0.5 % of households carrying a copy of the previous
//! household's head (a duplicate to find). A smoke run (`-- --test`) uses
//! 10,000 households. Data is built once, lazily, per bench that needs it.

use std::hint::black_box;
use std::sync::{Arc, OnceLock};

use chrono::{Datelike, Days, Months, NaiveDate};
use criterion::{BatchSize, Criterion, Throughput};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rust_decimal::Decimal;
use tangguh::core::{
    Actor, Aggregate, BirthDate, Book, Context, IdGenerator, MemoryJournal, Name, Nik, PersonId,
    Sex, Submission,
};
use tangguh::registry::{
    Address, ChronicIllness, Criteria, Desil, Disability, DisabilityKind, Distribution, Item,
    ItemName, Maternal, MaternalStatus, MemberFacts, Neighbourhood, NewMember, NewPerson, Phone,
    Programme, RecordDistribution, RegisterHousehold, Registry, RegistryCommand, Relationship,
    Round, Severity, Source, StatsOptions, Unit, UpdateWelfare, Vulnerability,
    VulnerabilityThresholds, Welfare,
};

use crate::fixtures;

const GIVEN: [&str; 40] = [
    "Siti", "Budi", "Agus", "Dewi", "Sri", "Eko", "Yuni", "Rina", "Joko", "Wati", "Andi", "Nur",
    "Putri", "Rudi", "Tini", "Dedi", "Lina", "Hadi", "Fitri", "Asep", "Ratna", "Bambang", "Ika",
    "Yanto", "Maya", "Iwan", "Sari", "Hendra", "Nia", "Dian", "Rahmat", "Ani", "Supri", "Lestari",
    "Teguh", "Wulan", "Indra", "Desi", "Arif", "Ayu",
];
const FAMILY: [&str; 30] = [
    "Santoso",
    "Rahayu",
    "Saputra",
    "Lestari",
    "Hidayat",
    "Wijaya",
    "Kurniawan",
    "Pratama",
    "Setiawan",
    "Susanti",
    "Nugroho",
    "Handoko",
    "Gunawan",
    "Purnomo",
    "Siregar",
    "Nasution",
    "Harahap",
    "Simanjuntak",
    "Sinaga",
    "Tarigan",
    "Ginting",
    "Bangun",
    "Damanik",
    "Hutapea",
    "Marpaung",
    "Pardede",
    "Panjaitan",
    "Sitompul",
    "Tambunan",
    "Lubis",
];

struct Synth {
    register: Vec<RegistryCommand>,
    welfare: Vec<RegistryCommand>,
    distributions: Vec<RegistryCommand>,
    niks: Vec<Nik>,
    round: Round,
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 28).unwrap()
}

fn context() -> Context {
    use tangguh::core::Clock;
    Context::new(fixtures::clock().now(), Actor::try_new("bench").unwrap())
}

fn households() -> usize {
    if std::env::args().any(|a| a == "--test") { 10_000 } else { 1_000_000 }
}

struct NikMint {
    serials: Vec<u16>,
}

impl NikMint {
    fn mint(&mut self, district: u8, born: NaiveDate, sex: Sex) -> Option<Nik> {
        let epoch = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap();
        let day = usize::try_from((born - epoch).num_days()).ok()?;
        let slot = (day * 5 + usize::from(district - 1)) * 2 + usize::from(sex == Sex::Female);
        if slot >= self.serials.len() {
            self.serials.resize(slot + 1, 0);
        }
        self.serials[slot] += 1;
        let dd = born.day() + if sex == Sex::Female { 40 } else { 0 };
        let text = format!(
            "6271{district:02}{dd:02}{:02}{:02}{:04}",
            born.month(),
            born.year() % 100,
            self.serials[slot]
        );
        Nik::parse(&text).ok()
    }
}

fn synth(n: usize) -> Synth {
    let mut rng = ChaCha8Rng::seed_from_u64(2026);
    let ids = IdGenerator::deterministic(2026);
    let mut mint = NikMint { serials: Vec::new() };
    let mut niks = Vec::new();
    let round = Round::new(Programme::try_new("banjir Des 2026 sembako").unwrap(), 1);
    let organization = ids.next_id();
    let source = Source::try_new("DTSEN 2026-Q3").unwrap();
    let address = Address::try_new("Jl. Tjilik Riwut").unwrap();
    let mut register = Vec::with_capacity(n);
    let mut welfare = Vec::with_capacity(n);
    let mut distributions = Vec::new();
    let mut previous_head: Option<(Name, BirthDate, Sex)> = None;
    let mut person = |rng: &mut ChaCha8Rng,
                      district: u8,
                      born: NaiveDate,
                      sex: Sex,
                      family: &str|
     -> NewPerson {
        let given = GIVEN[rng.random_range(0..GIVEN.len())];
        let name = Name::try_new(format!("{given} {family}")).unwrap();
        let mut p = NewPerson::new(ids.next_id(), name, BirthDate::exact(born), sex);
        if rng.random_bool(0.85)
            && let Some(nik) = mint.mint(district, born, sex)
        {
            niks.push(nik);
            p = p.with_nik(nik);
        }
        let mut facts = MemberFacts::default();
        if rng.random_bool(0.03) {
            facts.disability =
                Some(Disability::new(DisabilityKind::Physical, Severity::ALotOfDifficulty));
        }
        if rng.random_bool(0.05) {
            facts.chronic_illness = Some(ChronicIllness::Diabetes);
        }
        let age = tangguh::core::age_on(born, today());
        if sex == Sex::Female && (18..=40).contains(&age) && rng.random_bool(0.06) {
            let status = if rng.random_bool(0.5) {
                MaternalStatus::Pregnant
            } else {
                MaternalStatus::Lactating
            };
            facts.maternal =
                Some(Maternal::new(status, NaiveDate::from_ymd_opt(2026, 9, 1).unwrap()));
        }
        p.with_facts(facts)
    };
    let day = |rng: &mut ChaCha8Rng, from_years: u32, to_years: u32, registered: NaiveDate| {
        let days = rng.random_range(from_years * 365..=to_years * 365 + 364);
        registered.checked_sub_days(Days::new(u64::from(days))).unwrap()
    };
    for i in 0..n {
        let district = rng.random_range(1..=5u8);
        let village = rng.random_range(1001..=1007u16);
        let kelurahan = format!("62.71.{district:02}.{village}").parse().unwrap();
        let registered =
            NaiveDate::from_ymd_opt(2026, 1, 1).unwrap() + Days::new(rng.random_range(0..300));
        let family = FAMILY[rng.random_range(0..FAMILY.len())];
        let head_sex = if rng.random_bool(0.85) { Sex::Male } else { Sex::Female };
        let head_born = day(&mut rng, 22, 80, registered);
        let head = person(&mut rng, district, head_born, head_sex, family);
        let mut cmd = RegisterHousehold::new(
            ids.next_id(),
            kelurahan,
            Neighbourhood::new(rng.random_range(1..=30)).unwrap(),
            Neighbourhood::new(rng.random_range(1..=10)).unwrap(),
            address.clone(),
            head.clone(),
            registered,
        );
        if rng.random_bool(0.6) {
            let phone = format!("08{:010}", rng.random_range(0..10_000_000_000u64));
            cmd.phone = Some(Phone::parse(&phone).unwrap());
        }
        let others = rng.random_range(0..=6u32);
        for k in 0..others {
            let (rel, born, sex) = match k {
                0 if rng.random_bool(0.8) => {
                    let sex = if head_sex == Sex::Male { Sex::Female } else { Sex::Male };
                    let rel =
                        if sex == Sex::Female { Relationship::Wife } else { Relationship::Husband };
                    (rel, day(&mut rng, 20, 75, registered), sex)
                }
                5 => (Relationship::Parent, day(&mut rng, 60, 90, registered), Sex::Female),
                _ => {
                    let sex = if rng.random_bool(0.5) { Sex::Male } else { Sex::Female };
                    (Relationship::Child, day(&mut rng, 0, 25, registered), sex)
                }
            };
            let p = person(&mut rng, district, born, sex, family);
            cmd.members.push(NewMember::new(p, rel));
        }
        if let (Some((name, born, sex)), true) = (&previous_head, rng.random_bool(0.005))
            && born.date <= registered
        {
            let dup = NewPerson::new(ids.next_id(), name.clone(), *born, *sex);
            cmd.members.push(NewMember::new(dup, Relationship::OtherRelative));
        }
        previous_head = Some((head.name.clone(), head.birth_date, head.sex));
        let as_of = if rng.random_bool(0.8) {
            NaiveDate::from_ymd_opt(2026, 9, 30).unwrap()
        } else {
            NaiveDate::from_ymd_opt(2025, 6, 30).unwrap()
        };
        let desil = Desil::new(rng.random_range(1..=10)).unwrap();
        welfare.push(RegistryCommand::UpdateWelfare(UpdateWelfare {
            household: cmd.household,
            welfare: Welfare::new(desil, source.clone(), as_of),
        }));
        if rng.random_bool(0.15) {
            let items = vec![Item::new(
                ItemName::try_new("beras").unwrap(),
                Decimal::from(10),
                Unit::try_new("kg").unwrap(),
            )];
            distributions.push(RegistryCommand::RecordDistribution(RecordDistribution {
                household: cmd.household,
                distribution: Distribution::new(
                    round.clone(),
                    items,
                    organization,
                    NaiveDate::from_ymd_opt(2026, 11, 20).unwrap(),
                ),
            }));
        }
        register.push(RegistryCommand::RegisterHousehold(cmd));
        let _ = i;
    }
    Synth { register, welfare, distributions, niks, round }
}

fn run(registry: &mut Registry, commands: &[RegistryCommand], ctx: &Context) {
    for c in commands {
        let events = registry.decide(c, ctx).unwrap();
        for e in &events {
            registry.apply(e);
        }
    }
}

fn data() -> &'static Synth {
    static DATA: OnceLock<Synth> = OnceLock::new();
    DATA.get_or_init(|| synth(households()))
}

fn built() -> &'static Registry {
    static BUILT: OnceLock<Registry> = OnceLock::new();
    BUILT.get_or_init(|| {
        let d = data();
        let ctx = context();
        let mut r = Registry::new();
        run(&mut r, &d.register, &ctx);
        run(&mut r, &d.welfare, &ctx);
        run(&mut r, &d.distributions, &ctx);
        r
    })
}

fn criteria(round: &Round) -> Criteria {
    Criteria::All(vec![
        Criteria::Region("62.71.05".parse().unwrap()),
        Criteria::DesilAtMost { desil: 4, max_age_days: Some(365) },
        Criteria::Any(vec![
            Criteria::Member {
                min_age: None,
                max_age: None,
                vulnerability: Some(Vulnerability::Balita),
            },
            Criteria::Member { min_age: Some(60), max_age: None, vulnerability: None },
        ]),
        Criteria::NotReceived(round.clone()),
    ])
}

const SQL: &str = "SELECT h.ix FROM households h
    WHERE h.kelurahan >= '62.71.05' AND h.kelurahan < '62.71.06'
      AND h.desil <= 4 AND h.desil_as_of >= ?1
      AND EXISTS (SELECT 1 FROM members m WHERE m.household = h.ix AND (m.birth > ?2 OR m.birth <= ?3))
      AND NOT EXISTS (SELECT 1 FROM distributions d WHERE d.household = h.ix AND d.programme = ?4 AND d.round = ?5)";

fn sqlite(registry: &Registry) -> rusqlite::Connection {
    let conn = rusqlite::Connection::open_in_memory().unwrap();
    conn.execute_batch(
        "CREATE TABLE households (ix INTEGER PRIMARY KEY, kelurahan TEXT NOT NULL, desil INTEGER, desil_as_of INTEGER);
         CREATE TABLE members (household INTEGER NOT NULL, birth INTEGER NOT NULL, flags INTEGER NOT NULL);
         CREATE TABLE distributions (household INTEGER NOT NULL, programme TEXT NOT NULL, round INTEGER NOT NULL);",
    )
    .unwrap();
    let tx = conn.unchecked_transaction().unwrap();
    {
        let mut h_ins = tx.prepare("INSERT INTO households VALUES (?1, ?2, ?3, ?4)").unwrap();
        let mut m_ins = tx.prepare("INSERT INTO members VALUES (?1, ?2, 0)").unwrap();
        let mut d_ins = tx.prepare("INSERT INTO distributions VALUES (?1, ?2, ?3)").unwrap();
        for (ix, h) in registry.households().enumerate() {
            let ix = ix as i64;
            let (desil, as_of) = h
                .welfare
                .as_ref()
                .map(|w| (i64::from(w.desil.get()), i64::from(w.as_of.num_days_from_ce())))
                .unzip();
            h_ins.execute(rusqlite::params![ix, h.kelurahan.to_string(), desil, as_of]).unwrap();
            for (p, _) in registry.members(h.id) {
                m_ins
                    .execute(rusqlite::params![ix, p.person.birth_date.date.num_days_from_ce()])
                    .unwrap();
            }
            for d in &h.distributions {
                d_ins
                    .execute(rusqlite::params![ix, d.round.programme.as_str(), d.round.round])
                    .unwrap();
            }
        }
    }
    tx.commit().unwrap();
    conn.execute_batch(
        "CREATE INDEX h_kel ON households (kelurahan, desil);
         CREATE INDEX m_household ON members (household, birth);
         CREATE INDEX d_household ON distributions (household, programme, round);
         ANALYZE;",
    )
    .unwrap();
    conn
}

fn sql_params(round: &Round) -> (i32, i32, i32, String, u16) {
    let on = today();
    let desil_cutoff = on.checked_sub_days(Days::new(365)).unwrap().num_days_from_ce();
    let balita_cutoff = on.checked_sub_months(Months::new(60)).unwrap().num_days_from_ce();
    let lansia_cutoff = on.checked_sub_months(Months::new(720)).unwrap().num_days_from_ce();
    (desil_cutoff, balita_cutoff, lansia_cutoff, round.programme.as_str().to_owned(), round.round)
}

fn sql_query(conn: &rusqlite::Connection, round: &Round) -> Vec<i64> {
    let (a, b, c, p, r) = sql_params(round);
    let mut stmt = conn.prepare_cached(SQL).unwrap();
    stmt.query_map(rusqlite::params![a, b, c, p, r], |row| row.get(0))
        .unwrap()
        .collect::<Result<Vec<i64>, _>>()
        .unwrap()
}

pub(crate) fn define(c: &mut Criterion) {
    let n = households();
    let label =
        if n >= 1_000_000 { format!("{}m", n / 1_000_000) } else { format!("{}k", n / 1000) };

    let mut group = c.benchmark_group("registry/build");
    group.sample_size(10);
    group.throughput(Throughput::Elements(n as u64));
    group.bench_function(format!("commands/{label}-households"), |b| {
        let d = data();
        let ctx = context();
        b.iter_batched(
            Registry::new,
            |mut r| {
                run(&mut r, &d.register, &ctx);
                r
            },
            BatchSize::PerIteration,
        );
    });
    let book_n = (n / 10).max(1);
    group.throughput(Throughput::Elements(book_n as u64));
    group.bench_function(format!("book/{}k-households", book_n / 1000), |b| {
        let d = data();
        let actor = Actor::try_new("bench").unwrap();
        let clock: Arc<dyn tangguh::core::Clock> = fixtures::clock();
        b.iter_batched(
            || Book::<Registry, _>::open(MemoryJournal::new(), clock.clone()).unwrap(),
            |mut book| {
                for c in d.register.iter().take(book_n) {
                    book.execute(Submission::new(actor.clone(), c.clone())).unwrap();
                }
                book
            },
            BatchSize::PerIteration,
        );
    });
    group.finish();

    let mut group = c.benchmark_group("registry/lookup");
    group.throughput(Throughput::Elements(1));
    group.bench_function(format!("nik/{label}-households"), |b| {
        let r = built();
        let niks = &data().niks;
        let mut i = 0usize;
        b.iter(|| {
            i = (i + 7919) % niks.len();
            black_box(r.person_by_nik(black_box(&niks[i])))
        })
    });
    // By id, in an order unrelated to registration: what a command on an
    // existing person pays (ids are looked up in a sorted column).
    group.bench_function(format!("person-id/{label}-households"), |b| {
        let r = built();
        let ids: Vec<PersonId> = data()
            .register
            .iter()
            .filter_map(|c| match c {
                RegistryCommand::RegisterHousehold(c) => Some(c),
                _ => None,
            })
            .flat_map(|c| std::iter::once(c.head.id).chain(c.members.iter().map(|m| m.person.id)))
            .collect();
        let mut i = 0usize;
        b.iter(|| {
            i = (i + 7919) % ids.len();
            black_box(r.person(black_box(ids[i])))
        })
    });
    group.finish();

    let mut group = c.benchmark_group("registry/target");
    group.sample_size(10);
    let th = VulnerabilityThresholds::default();
    group.bench_function(format!("with-reasons/{label}-households"), |b| {
        let (r, q) = (built(), criteria(&data().round));
        b.iter(|| black_box(r.target(&q, today(), &th)))
    });
    group.bench_function(format!("count/{label}-households"), |b| {
        let (r, q) = (built(), criteria(&data().round));
        b.iter(|| black_box(r.count_eligible(&q, today(), &th)))
    });
    let mut conn: Option<rusqlite::Connection> = None;
    group.bench_function(format!("sqlite-baseline/{label}-households"), |b| {
        let round = &data().round;
        let conn = conn.get_or_insert_with(|| {
            let conn = sqlite(built());
            let ours = built().count_eligible(&criteria(round), today(), &th);
            let theirs = sql_query(&conn, round).len();
            assert_eq!(ours, theirs, "targeting and SQLite agree");
            eprintln!("registry/target: {ours} of {n} households eligible");
            conn
        });
        b.iter(|| black_box(sql_query(conn, round)))
    });
    group.finish();

    let mut group = c.benchmark_group("registry/dedup");
    group.sample_size(10);
    group.bench_function(format!("scan/{label}-households"), |b| {
        let r = built();
        b.iter(|| black_box(r.duplicate_candidates(today(), 60)))
    });
    group.finish();

    let mut group = c.benchmark_group("registry/stats");
    group.sample_size(10);
    group.bench_function(format!("per-kelurahan/{label}-households"), |b| {
        let r = built();
        let mut options = StatsOptions::on(today());
        options.suppress_below = Some(5);
        b.iter(|| black_box(r.statistics(&options)))
    });
    group.finish();
}

//! The Rakumpit scenario: a synthetic year of Kecamatan Rakumpit on the
//! embedded SQLite store, and its resilience report.
//!
//! ```text
//! cargo run --release --example rakumpit                    # rakumpit.db here
//! cargo run --release --example rakumpit -- --store /tmp/r.db --households 1000 --seed 7
//! ```
//!
//! The first run registers the households, trains volunteers, lends to UMKM,
//! runs a year of repayments and community hours, then a flood on the Rungan
//! hits three kelurahan. Running it again reopens the store and continues:
//! repayments resume and a second flood hits three other kelurahan.

use std::path::PathBuf;
use std::process;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use tangguh::scenario::{PhaseSummary, Progress, Rakumpit, ScenarioOptions};

fn main() {
    if let Err(err) = try_main() {
        eprintln!("error: {err}");
        let mut source = std::error::Error::source(&*err);
        while let Some(cause) = source {
            eprintln!("  caused by: {cause}");
            source = cause.source();
        }
        process::exit(1);
    }
}

struct Bars {
    bar: Option<ProgressBar>,
}

impl Progress for Bars {
    fn start(&mut self, step: &str, total: u64) {
        let bar = ProgressBar::new(total);
        if let Ok(style) =
            ProgressStyle::with_template("{msg:>24} [{bar:40}] {pos}/{len} ({elapsed})")
        {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(step.to_owned());
        bar.enable_steady_tick(Duration::from_millis(200));
        self.bar = Some(bar);
    }
    fn advance(&mut self, n: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(n);
        }
    }
    fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish();
        }
    }
}

fn try_main() -> Result<(), Box<dyn std::error::Error>> {
    let mut path = PathBuf::from("rakumpit.db");
    let mut options = ScenarioOptions::default();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--store" => path = PathBuf::from(value("--store")?),
            "--households" => options.households = value("--households")?.parse()?,
            "--seed" => options.seed = value("--seed")?.parse()?,
            "-h" | "--help" => {
                println!("usage: rakumpit [--store PATH] [--households N] [--seed S]");
                return Ok(());
            }
            other => return Err(format!("unknown argument {other:?} (try --help)").into()),
        }
    }

    let started = std::time::Instant::now();
    let mut district = Rakumpit::open(&path, options)?;
    let phase = district.phase();
    if phase == 0 {
        println!(
            "New store {}: a synthetic Rakumpit of {} households (seed {}).",
            district.path(),
            options.households,
            options.seed
        );
    } else {
        println!(
            "Reopened {}: {} flood(s) on record, continuing from {}.",
            district.path(),
            phase,
            district.today()
        );
        for (stream, opened) in district.opened() {
            match opened.snapshot {
                Some(at) => println!(
                    "  {stream:<28} from its snapshot at record {at}, {} replayed",
                    opened.replayed
                ),
                None => println!("  {stream:<28} replayed in full ({} records)", opened.replayed),
            }
        }
    }
    let summary = district.run_next(&mut Bars { bar: None })?;
    print_report(&district, &summary);
    println!();
    println!("Done in {:.1} s. The store is {}.", started.elapsed().as_secs_f64(), district.path());
    for (stream, records) in district.streams()? {
        println!("  {stream:<28} {records:>8} events");
    }
    println!(
        "Open it with any SQLite tool, e.g.: sqlite3 {} 'SELECT stream, count(*) FROM events GROUP BY stream'",
        district.path()
    );
    println!("Run this example again to continue the year on the same store.");
    Ok(())
}

fn print_report(district: &Rakumpit, summary: &PhaseSummary) {
    let report = &summary.report;
    let hit: Vec<&str> =
        summary.hit.iter().map(|k| district.gazetteer().name(*k).unwrap_or("?")).collect();
    println!();
    println!("{} — hit {}", summary.incident_name, hit.join(", "));
    println!("Resilience report, Kecamatan Rakumpit, as of {}", report.as_of);
    println!();
    println!(
        "{:<14} {:>5} | {:>6} {:>7} | {:>8} | {:>5} {:>13} {:>6} {:>6} | {:>8} {:>7} {:>10}",
        "kelurahan",
        "KK",
        "vol.",
        "/100 KK",
        "prepared",
        "loans",
        "outstanding",
        "PAR30",
        "restr.",
        "affected",
        "reached",
        "vuln. aid"
    );
    for line in &report.kelurahan {
        let response = line.response.clone().unwrap_or_default();
        println!(
            "{:<14} {:>5} | {:>6} {:>7} | {:>8} | {:>5} {:>13} {:>6} {:>6} | {:>8} {:>7} {:>10}",
            line.name,
            line.households,
            line.active_volunteers,
            line.volunteers_per_100_households,
            line.prepared_households,
            line.active_loans,
            format!("Rp{}", line.outstanding_principal.round()),
            line.par30_percent.map_or("-".to_owned(), |p| format!("{p}%")),
            line.restructured_loans,
            response.affected,
            response.reached,
            format!("{}/{}", response.vulnerable_assisted, response.vulnerable_affected),
        );
    }
    if let Some(shifts) = report.shifts {
        println!();
        println!(
            "Flood response: {} shifts, {}/{} seats filled by qualified volunteers (boat evacuation, dapur umum, psychosocial support).",
            shifts.shifts, shifts.seats_filled, shifts.seats_required
        );
    }
    println!(
        "Economy: portfolio PAR30 {} (the ledger's own figure); {} loans of borrowers in flooded households restructured for relief ({} candidates).",
        report.ledger_par30_percent.map_or("-".to_owned(), |p| format!("{p}%")),
        summary.relieved_loans,
        summary.relief_candidates,
    );
    println!();
    println!("Stakeholders:");
    for s in &report.stakeholders {
        println!(
            "  {:<34} {:<18} cohorts led {:>2}, partnered {:>2}; volunteers {:>4}; aid distributions {:>4}",
            s.name, s.kind, s.cohorts_led, s.cohorts_partnered, s.volunteers, s.distributions
        );
    }
}

//! Checks NIKs read from standard input, one per line, and writes one JSON
//! object per line, in order:
//!
//! ```text
//! {"valid":true,"province":"62","regency":"6271","district":"627105","birth_date":"1990-08-05","sex":"F"}
//! {"valid":false,"error":"invalid nik \"627105**********\": the month must be 01-12"}
//! ```
//!
//! The century of the birth date is resolved against the current year (WIB)
//! from the system clock. An integrator checks a DTKS export this way before
//! importing it: `cut -d, -f2 export.csv | cargo run --example nik`.

use std::io::{self, BufRead, BufWriter, Write};
use std::process;

use chrono::Datelike;
use serde::Serialize;
use tangguh::core::{Clock, Nik, SystemClock};

/// One answer line; fields in the documented order.
#[derive(Serialize)]
#[serde(untagged)]
enum Answer {
    Valid {
        valid: bool,
        province: String,
        regency: String,
        district: String,
        birth_date: String,
        sex: &'static str,
    },
    Invalid {
        valid: bool,
        error: String,
    },
}

fn main() {
    if let Err(err) = try_main() {
        eprintln!("{err}");
        process::exit(1);
    }
}

fn try_main() -> Result<(), Box<dyn std::error::Error>> {
    let reference_year = SystemClock::new().today().year();
    let stdin = io::stdin().lock();
    let mut out = BufWriter::new(io::stdout().lock());
    for line in stdin.lines() {
        let line = line?;
        let input = line.trim_end_matches('\r');
        let answer = match Nik::parse(input) {
            Ok(nik) => Answer::Valid {
                valid: true,
                province: nik.province().to_owned(),
                regency: nik.regency().to_owned(),
                district: nik.district().to_owned(),
                birth_date: nik.encoded_birth_date(reference_year).format("%Y-%m-%d").to_string(),
                sex: nik.sex().code(),
            },
            Err(err) => Answer::Invalid { valid: false, error: err.to_string() },
        };
        serde_json::to_writer(&mut out, &answer)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}

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
use serde_json::json;
use tangguh::core::{Clock, Nik, Sex, SystemClock};

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
            Ok(nik) => json!({
                "valid": true,
                "province": nik.province(),
                "regency": nik.regency(),
                "district": nik.district(),
                "birth_date": nik.encoded_birth_date(reference_year).format("%Y-%m-%d").to_string(),
                "sex": match nik.sex() { Sex::Male => "M", Sex::Female => "F" },
            }),
            Err(err) => json!({ "valid": false, "error": err.to_string() }),
        };
        serde_json::to_writer(&mut out, &answer)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}

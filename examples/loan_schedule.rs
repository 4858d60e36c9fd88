//! Reads one loan-terms JSON object on standard input and writes its
//! repayment schedule as JSON on standard output:
//!
//! ```text
//! $ echo '{"principal":"5000","annual_interest_rate_percent":"12","repayment_every":1,
//!          "repayment_unit":"months","number_of_repayments":18,"disbursement_date":"2024-01-15"}' \
//!   | cargo run --example loan_schedule --no-default-features --features ledger
//! {"installments":[{"n":1,"due_date":"2024-02-15","principal":"…", …}], "total_principal":"5000.00", …}
//! ```
//!
//! Bad terms (unknown field, wrong type, invalid value) give a one-line error
//! on standard error and exit status 1.

use std::io::{self, Read, Write};
use std::process;

use tangguh::ledger::{LoanTerms, generate_schedule};

fn main() {
    if let Err(err) = try_main() {
        eprintln!("loan_schedule: {err}");
        process::exit(1);
    }
}

fn try_main() -> Result<(), Box<dyn std::error::Error>> {
    let mut text = String::new();
    io::stdin().lock().read_to_string(&mut text)?;
    let terms = LoanTerms::from_json(&text)?;
    let schedule = generate_schedule(&terms)?;
    let mut out = io::stdout().lock();
    serde_json::to_writer(&mut out, &schedule)?;
    writeln!(out)?;
    out.flush()?;
    Ok(())
}

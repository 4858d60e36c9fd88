//! Integration tests of tangguh-store.

// Tests may unwrap, panic and index: a failure is a test failure.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
// Test helpers are not a public API: no docs, no forward-compatibility attributes.
#![allow(missing_docs, unreachable_pub, clippy::missing_panics_doc, clippy::exhaustive_enums)]

mod crash;
mod faults;
mod idempotency;
mod ledger;
#[cfg(feature = "postgres")]
mod postgres;
mod props;
mod reopen;
mod roundtrip;
mod snapshot;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};
use tangguh_core::{Actor, Aggregate, Clock, Context, DomainEvent, FixedClock, Submission};

/// A directory under the system temp dir, removed when dropped.
#[derive(Debug)]
pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(name: &str) -> Self {
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir()
            .join(format!("tangguh-store-it-{}-{name}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Self(dir)
    }

    pub fn path(&self) -> &Path {
        &self.0
    }

    pub fn db(&self) -> PathBuf {
        self.0.join("store.db")
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Says why the PostgreSQL tests did not run in this build.
#[cfg(not(feature = "postgres"))]
#[test]
fn postgres_tests_need_the_feature() {
    eprintln!(
        "the PostgreSQL tests are not compiled in: run `cargo test -p tangguh-store \
         --features postgres` with TANGGUH_PG_URL set (.ci/run does)"
    );
}

pub fn clock() -> Arc<dyn Clock> {
    Arc::new(FixedClock::wib(2026, 11, 28, 9, 0))
}

pub fn actor() -> Actor {
    Actor::try_new("kasir-rakumpit").unwrap()
}

/// A tiny savings book: balances per member; a transfer records two events.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Savings {
    balances: BTreeMap<String, u64>,
    events: u64,
}

impl Savings {
    pub fn balances_len(&self) -> usize {
        self.balances.len()
    }

    pub fn balance(&self, member: &str) -> u64 {
        self.balances.get(member).copied().unwrap_or(0)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SavingsCommand {
    Deposit { member: String, amount: u64 },
    Withdraw { member: String, amount: u64 },
    Transfer { from: String, to: String, amount: u64 },
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SavingsEvent {
    Deposited { member: String, amount: u64 },
    Withdrawn { member: String, amount: u64 },
}

impl DomainEvent for SavingsEvent {
    const SCHEMA_VERSION: u32 = 1;
}

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SavingsError {
    #[error("member {member} has {available}, not {requested}")]
    Insufficient { member: String, available: u64, requested: u64 },
    #[error("an amount must be positive")]
    Zero,
}

impl Aggregate for Savings {
    type Command = SavingsCommand;
    type Event = SavingsEvent;
    type Error = SavingsError;

    fn decide(&self, cmd: &SavingsCommand, _: &Context) -> Result<Vec<SavingsEvent>, SavingsError> {
        let take = |member: &str, amount: u64| {
            let available = self.balance(member);
            if available < amount {
                return Err(SavingsError::Insufficient {
                    member: member.to_owned(),
                    available,
                    requested: amount,
                });
            }
            Ok(SavingsEvent::Withdrawn { member: member.to_owned(), amount })
        };
        match cmd {
            SavingsCommand::Deposit { amount: 0, .. }
            | SavingsCommand::Withdraw { amount: 0, .. }
            | SavingsCommand::Transfer { amount: 0, .. } => Err(SavingsError::Zero),
            SavingsCommand::Deposit { member, amount } => {
                Ok(vec![SavingsEvent::Deposited { member: member.clone(), amount: *amount }])
            }
            SavingsCommand::Withdraw { member, amount } => Ok(vec![take(member, *amount)?]),
            SavingsCommand::Transfer { from, to, amount } => Ok(vec![
                take(from, *amount)?,
                SavingsEvent::Deposited { member: to.clone(), amount: *amount },
            ]),
        }
    }

    fn apply(&mut self, event: &SavingsEvent) {
        self.events += 1;
        match event {
            SavingsEvent::Deposited { member, amount } => {
                *self.balances.entry(member.clone()).or_default() += amount;
            }
            SavingsEvent::Withdrawn { member, amount } => {
                let b = self.balances.entry(member.clone()).or_default();
                *b = b.saturating_sub(*amount);
            }
        }
    }
}

pub fn deposit(member: &str, amount: u64) -> Submission<SavingsCommand> {
    Submission::new(actor(), SavingsCommand::Deposit { member: member.into(), amount })
}

pub fn transfer(from: &str, to: &str, amount: u64) -> Submission<SavingsCommand> {
    Submission::new(actor(), SavingsCommand::Transfer { from: from.into(), to: to.into(), amount })
}

//! Integration tests of tangguh-registry.

// Tests may unwrap, index and panic: a failure is the test's report.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, clippy::indexing_slicing)]
#![allow(missing_docs, unreachable_pub)]

mod commands;
mod csv;
mod queries;
mod replay;
mod rules;
mod snapshot;

use chrono::NaiveDate;
use tangguh_core::{
    Actor, Aggregate, BirthDate, Clock, Context, FixedClock, HouseholdId, IdGenerator, Name,
    PersonId, Sex,
};
use tangguh_registry::{
    AddMember, Address, JoinReason, Joining, Neighbourhood, NewPerson, RegisterHousehold, Registry,
    RegistryCommand, RegistryError, RegistryEvent, Relationship,
};

pub(crate) const MUNGKU_BARU: &str = "62.71.05.1004";
pub(crate) const PETUK_BUKIT: &str = "62.71.05.1001";

pub(crate) fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub(crate) fn today() -> NaiveDate {
    d(2026, 11, 28)
}

pub(crate) fn context() -> Context {
    let clock = FixedClock::wib(2026, 11, 28, 9, 0);
    Context::new(clock.now(), Actor::try_new("test").unwrap())
}

/// A registry driven directly through decide + apply.
#[derive(Debug)]
pub(crate) struct T {
    pub(crate) reg: Registry,
    pub(crate) ids: IdGenerator,
    pub(crate) ctx: Context,
}

impl T {
    pub(crate) fn new() -> Self {
        Self { reg: Registry::new(), ids: IdGenerator::deterministic(7), ctx: context() }
    }

    pub(crate) fn run(&mut self, c: RegistryCommand) -> Result<Vec<RegistryEvent>, RegistryError> {
        let before = self.reg.clone();
        match self.reg.decide(&c, &self.ctx) {
            Ok(events) => {
                for e in &events {
                    self.reg.apply(e);
                }
                assert!(self.reg.audit().is_empty(), "{:?}", self.reg.audit());
                let snapshot = serde_json::to_string(&self.reg).unwrap();
                let restored: Registry = serde_json::from_str(&snapshot).unwrap();
                assert_eq!(restored, self.reg, "the snapshot form restores the registry");
                Ok(events)
            }
            Err(e) => {
                assert_eq!(before, self.reg, "a refused command changed nothing");
                Err(e)
            }
        }
    }

    pub(crate) fn ok(&mut self, c: RegistryCommand) -> Vec<RegistryEvent> {
        self.run(c).unwrap()
    }

    pub(crate) fn err(&mut self, c: RegistryCommand) -> RegistryError {
        self.run(c).unwrap_err()
    }

    pub(crate) fn person(&self, name: &str, born: NaiveDate, sex: Sex) -> NewPerson {
        NewPerson::new(
            self.ids.next_id(),
            Name::try_new(name).unwrap(),
            BirthDate::exact(born),
            sex,
        )
    }

    pub(crate) fn register_cmd(&self, kelurahan: &str, head: NewPerson) -> RegisterHousehold {
        RegisterHousehold::new(
            self.ids.next_id(),
            kelurahan.parse().unwrap(),
            Neighbourhood::new(1).unwrap(),
            Neighbourhood::new(2).unwrap(),
            Address::try_new("Jl. Tjilik Riwut").unwrap(),
            head,
            d(2026, 1, 10),
        )
    }

    /// Registers a household in `kelurahan` with a head born 1980.
    pub(crate) fn household(&mut self, kelurahan: &str) -> (HouseholdId, PersonId) {
        let head = self.person("Budi Santoso", d(1980, 3, 4), Sex::Male);
        let id = head.id;
        let cmd = self.register_cmd(kelurahan, head);
        let h = cmd.household;
        self.ok(RegistryCommand::RegisterHousehold(cmd));
        (h, id)
    }

    pub(crate) fn add(
        &mut self,
        h: HouseholdId,
        name: &str,
        born: NaiveDate,
        sex: Sex,
        rel: Relationship,
    ) -> PersonId {
        let p = self.person(name, born, sex);
        let id = p.id;
        let date = born.max(d(2026, 1, 10));
        self.ok(RegistryCommand::AddMember(AddMember::new(
            h,
            Joining::New(p),
            rel,
            JoinReason::Birth,
            date,
        )));
        id
    }
}

//! CSV export and import of households and their active members; the
//! columns are documented in the crate docs ([`CSV_COLUMNS`]).

use std::collections::BTreeMap;
use std::io::{Read, Write};

use chrono::NaiveDate;
use tangguh_core::{BirthDate, FamilyNumber, HouseholdId, Name, Nik, PersonId, RegionCode, Sex};

use crate::RegistryCommand;
use crate::command::{AddMember, ImportRow, Joining, NewMember, RegisterHousehold};
use crate::error::{RegistryError, RowError};
use crate::model::{
    Address, ChronicIllness, Disability, DisabilityKind, Education, JoinReason, Maternal,
    MaternalStatus, MemberFacts, Neighbourhood, NewPerson, Occupation, Phone, Relationship,
    Severity, normalise_label,
};
use crate::registry::Registry;

/// The CSV columns, in order. One row per active member; household columns
/// repeat on each member's row.
pub const CSV_COLUMNS: [&str; 23] = [
    "household_id",
    "kk_number",
    "kelurahan",
    "rt",
    "rw",
    "address",
    "phone",
    "registered_on",
    "person_id",
    "nik",
    "name",
    "sex",
    "birth_date",
    "birth_date_estimated",
    "shdk",
    "member_since",
    "disability",
    "disability_severity",
    "chronic_illness",
    "maternal",
    "maternal_recorded_on",
    "education",
    "occupation",
];

fn csv_err(e: &csv::Error) -> RegistryError {
    let line = e.position().map_or(0, csv::Position::line);
    RegistryError::Csv { line, message: e.to_string() }
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

impl Registry {
    /// Writes every active household and its active members as CSV (header
    /// [`CSV_COLUMNS`]), households in registration order, head first.
    /// Labels are the official SIAK labels; dates are `YYYY-MM-DD`; sex is
    /// `L` or `P`. The CSV carries the current state, not the history
    /// (ended memberships, welfare, dwellings, incidents and assistance stay
    /// in the journal).
    ///
    /// # Errors
    ///
    /// [`RegistryError::Csv`] when writing fails.
    pub fn write_csv<W: Write>(&self, writer: W) -> Result<(), RegistryError> {
        let mut w = csv::Writer::from_writer(writer);
        w.write_record(CSV_COLUMNS).map_err(|e| csv_err(&e))?;
        for h in self.households.iter().filter(|h| h.is_active()) {
            for (p, m) in self.members(h.id) {
                let f = &p.facts;
                let record = [
                    h.id.to_string(),
                    h.number.map(|n| n.expose().to_owned()).unwrap_or_default(),
                    h.kelurahan.to_string(),
                    h.rt.get().to_string(),
                    h.rw.get().to_string(),
                    h.address.to_string(),
                    h.phone.as_ref().map(|x| x.expose().to_owned()).unwrap_or_default(),
                    h.registered_on.to_string(),
                    p.person.id.to_string(),
                    p.person.nik.map(|n| n.expose().to_owned()).unwrap_or_default(),
                    p.person.name.to_string(),
                    if p.person.sex == Sex::Female { "P" } else { "L" }.to_owned(),
                    p.person.birth_date.date.to_string(),
                    p.person.birth_date.estimated.to_string(),
                    m.relationship.label().to_owned(),
                    m.start.to_string(),
                    opt(f.disability.map(|d| d.kind.label())),
                    opt(f.disability.map(|d| d.severity.label())),
                    opt(f.chronic_illness.map(ChronicIllness::label)),
                    opt(f.maternal.map(|x| x.status.label())),
                    opt(f.maternal.map(|x| x.recorded_on)),
                    opt(f.education.map(Education::label)),
                    opt(f.occupation.map(Occupation::code)),
                ];
                w.write_record(&record).map_err(|e| csv_err(&e))?;
            }
        }
        w.flush().map_err(|e| RegistryError::Csv { line: 0, message: e.to_string() })
    }
}

struct Row {
    line: u64,
    household: HouseholdId,
    number: Option<FamilyNumber>,
    kelurahan: RegionCode,
    rt: Neighbourhood,
    rw: Neighbourhood,
    address: Address,
    phone: Option<Phone>,
    registered_on: NaiveDate,
    person: NewPerson,
    relationship: Relationship,
    member_since: NaiveDate,
}

fn date(field: &'static str, s: &str) -> Result<NaiveDate, String> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d-%m-%Y"))
        .or_else(|_| NaiveDate::parse_from_str(s, "%d/%m/%Y"))
        .map_err(|_| format!("{field} {s:?} is not a date (YYYY-MM-DD or DD-MM-YYYY)"))
}

fn sex(s: &str) -> Result<Sex, String> {
    match normalise_label(s).as_str() {
        "l" | "lk" | "laki-laki" | "lakilaki" | "m" | "1" => Ok(Sex::Male),
        "p" | "pr" | "perempuan" | "f" | "2" => Ok(Sex::Female),
        _ => Err(format!("sex {s:?} is not L/LK/Laki-laki or P/Pr/Perempuan")),
    }
}

fn parse_row(line: u64, get: &dyn Fn(usize) -> String) -> Result<Row, String> {
    let text = |i: usize| get(i).trim().to_owned();
    let optional = |i: usize| Some(text(i)).filter(|s| !s.is_empty());
    let e = |e: tangguh_core::ValidationError| e.to_string();
    let n = |field: &str, s: String| -> Result<u16, String> {
        s.parse().map_err(|_| format!("{field} {s:?} is not a number"))
    };
    let birth = date("birth_date", &text(12))?;
    let estimated = matches!(normalise_label(&text(13)).as_str(), "true" | "ya" | "1" | "y");
    let mut facts = MemberFacts::default();
    if let Some(kind) = optional(16) {
        let kind = DisabilityKind::parse_label(&kind).map_err(e)?;
        let severity = match optional(17) {
            Some(s) => Severity::parse_label(&s).map_err(e)?,
            None => Severity::SomeDifficulty,
        };
        facts.disability = Some(Disability::new(kind, severity));
    }
    facts.chronic_illness =
        optional(18).map(|s| ChronicIllness::parse_label(&s)).transpose().map_err(e)?;
    if let Some(status) = optional(19) {
        let status = MaternalStatus::parse_label(&status).map_err(e)?;
        let on = date("maternal_recorded_on", &text(20))?;
        facts.maternal = Some(Maternal::new(status, on));
    }
    facts.education = optional(21).map(|s| Education::parse_label(&s)).transpose().map_err(e)?;
    facts.occupation = optional(22)
        .map(|s| {
            s.parse::<u8>()
                .map_err(|_| format!("occupation {s:?} is not a Dukcapil code 1-89"))
                .and_then(|c| Occupation::new(c).map_err(e))
        })
        .transpose()?;
    let mut person = NewPerson::new(
        text(8).parse::<PersonId>().map_err(e)?,
        Name::try_new(text(10)).map_err(e)?,
        if estimated { BirthDate::estimated(birth) } else { BirthDate::exact(birth) },
        sex(&text(11))?,
    )
    .with_facts(facts);
    person.nik = optional(9).map(|s| s.parse::<Nik>()).transpose().map_err(e)?;
    Ok(Row {
        line,
        household: text(0).parse().map_err(e)?,
        number: optional(1).map(|s| s.parse::<FamilyNumber>()).transpose().map_err(e)?,
        kelurahan: text(2).parse().map_err(e)?,
        rt: Neighbourhood::new(n("rt", text(3))?).map_err(e)?,
        rw: Neighbourhood::new(n("rw", text(4))?).map_err(e)?,
        address: Address::try_new(text(5)).map_err(e)?,
        phone: optional(6).map(|s| s.parse::<Phone>()).transpose().map_err(e)?,
        registered_on: date("registered_on", &text(7))?,
        person,
        relationship: Relationship::parse_label(&text(14)).map_err(e)?,
        member_since: date("member_since", &text(15))?,
    })
}

/// Reads households and members from CSV (columns [`CSV_COLUMNS`], by
/// header name, in any order; SIAK text labels and their aliases accepted)
/// into the rows of an import command. Submit the result as
/// [`RegistryCommand::Import`] so that all rows apply or none.
///
/// Each household becomes a [`RegisterHousehold`] (on its head's line) with
/// the members who joined on the registration date; members who joined later
/// become [`AddMember`] commands (moved in) on their own line.
///
/// # Errors
///
/// [`RegistryError::Import`] listing every line that cannot be read (a bad
/// value, a missing column, a household without a head row);
/// [`RegistryError::Csv`] if the CSV itself is malformed.
pub fn read_csv<R: Read>(reader: R) -> Result<RegistryCommand, RegistryError> {
    let mut r = csv::Reader::from_reader(reader);
    let headers = r.headers().map_err(|e| csv_err(&e))?.clone();
    let mut columns = [0usize; CSV_COLUMNS.len()];
    let mut errors = Vec::new();
    for (slot, name) in columns.iter_mut().zip(CSV_COLUMNS) {
        match headers.iter().position(|h| h.trim().eq_ignore_ascii_case(name)) {
            Some(i) => *slot = i,
            None => errors.push(RowError::new(1, format!("missing column {name:?}"))),
        }
    }
    if !errors.is_empty() {
        return Err(RegistryError::Import { errors });
    }
    let mut rows: Vec<Row> = Vec::new();
    for record in r.records() {
        let record = record.map_err(|e| csv_err(&e))?;
        let line = record.position().map_or(0, csv::Position::line);
        let get =
            |i: usize| columns.get(i).and_then(|&c| record.get(c)).unwrap_or_default().to_owned();
        match parse_row(line, &get) {
            Ok(row) => rows.push(row),
            Err(message) => errors.push(RowError::new(line, message)),
        }
    }
    let mut groups: BTreeMap<HouseholdId, Vec<Row>> = BTreeMap::new();
    let mut order = Vec::new();
    for row in rows {
        let group = groups.entry(row.household).or_default();
        if group.is_empty() {
            order.push(row.household);
        }
        group.push(row);
    }
    let mut out = Vec::new();
    for id in order {
        let Some(group) = groups.remove(&id) else { continue };
        let Some(head_at) = group.iter().position(|r| r.relationship == Relationship::Head) else {
            let line = group.first().map_or(0, |r| r.line);
            errors.push(RowError::new(line, format!("household {id} has no head row")));
            continue;
        };
        let mut members = Vec::new();
        let mut later = Vec::new();
        let mut head = None;
        for (i, row) in group.into_iter().enumerate() {
            if i == head_at {
                head = Some(row);
            } else {
                later.push(row);
            }
        }
        let Some(head) = head else { continue };
        let mut cmd = RegisterHousehold::new(
            head.household,
            head.kelurahan,
            head.rt,
            head.rw,
            head.address.clone(),
            head.person.clone(),
            head.registered_on,
        );
        cmd.number = head.number;
        cmd.phone.clone_from(&head.phone);
        let mut adds = Vec::new();
        for row in later {
            if row.member_since == head.registered_on && row.relationship != Relationship::Head {
                members.push(NewMember::new(row.person, row.relationship));
            } else {
                adds.push(ImportRow::new(
                    row.line,
                    RegistryCommand::AddMember(AddMember::new(
                        head.household,
                        Joining::New(row.person),
                        row.relationship,
                        JoinReason::MovedIn,
                        row.member_since,
                    )),
                ));
            }
        }
        cmd.members = members;
        out.push(ImportRow::new(head.line, RegistryCommand::RegisterHousehold(cmd)));
        out.extend(adds);
    }
    if errors.is_empty() {
        Ok(RegistryCommand::Import { rows: out })
    } else {
        errors.sort_by_key(|e| e.line);
        Err(RegistryError::Import { errors })
    }
}

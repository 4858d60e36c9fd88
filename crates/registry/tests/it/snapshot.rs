//! The registry's snapshot form: a damaged or hand-edited snapshot is
//! refused with the reason, never loaded half-right and never a panic.
//! (Every command test also round-trips the registry through it: see
//! `T::run`.)

use proptest::prelude::*;
use serde_json::{Value, json};
use tangguh_core::{FamilyNumber, Sex};
use tangguh_registry::{
    Dwelling, DwellingId, EndMembership, EndReason, MergePersons, Registry, RegistryCommand as C,
    Relationship, UpdateDwelling,
};

use crate::{MUNGKU_BARU, PETUK_BUKIT, T, d};

/// A small registry touching every kind of record: two households sharing
/// a dwelling, a numbered one, an ended membership and merged duplicates.
fn sample() -> Value {
    let mut t = T::new();
    let (a, _) = t.household(MUNGKU_BARU);
    let (b, _) = t.household(PETUK_BUKIT);
    let child = t.add(a, "Anak", d(2012, 5, 1), Sex::Female, Relationship::Child);
    t.ok(C::EndMembership(EndMembership::new(child, EndReason::MovedOut, d(2026, 3, 1))));
    let dwelling: DwellingId = t.ids.next_id();
    t.ok(C::UpdateDwelling(UpdateDwelling {
        dwelling,
        households: vec![a, b],
        details: Dwelling { stilt_house: true, ..Dwelling::default() },
        date: d(2026, 2, 1),
    }));
    let number: FamilyNumber = "6271051203150007".parse().unwrap();
    let mut numbered = t.register_cmd(MUNGKU_BARU, t.person("Siti", d(1990, 1, 1), Sex::Female));
    numbered.number = Some(number);
    let mut twin = t.register_cmd(MUNGKU_BARU, t.person("Siti", d(1990, 1, 1), Sex::Female));
    twin.number = None;
    let (s, dup) = (numbered.head.id, twin.head.id);
    t.ok(C::RegisterHousehold(numbered));
    t.ok(C::RegisterHousehold(twin));
    t.ok(C::EndMembership(EndMembership::new(dup, EndReason::Correction, d(2026, 4, 1))));
    t.ok(C::MergePersons(MergePersons {
        survivor: s,
        duplicate: dup,
        date: d(2026, 4, 2),
        note: None,
    }));
    serde_json::to_value(&t.reg).unwrap()
}

fn load(v: &Value) -> Result<Registry, String> {
    serde_json::from_value::<Registry>(v.clone()).map_err(|e| e.to_string())
}

#[test]
fn the_sample_loads() {
    let v = sample();
    let r = load(&v).unwrap();
    assert!(r.audit().is_empty());
    assert_eq!(serde_json::to_value(&r).unwrap(), v, "the form is stable");
}

/// An edit of a snapshot's JSON.
type Damage = fn(&mut Value);

#[test]
fn damaged_snapshots_are_refused_with_the_reason() {
    let cases: Vec<(&str, Damage)> = vec![
        ("out of range", |v| v["memberships"][0]["person"] = json!(99)),
        ("of another", |v| v["memberships"][0]["household"] = json!(99)),
        ("out of range", |v| v["people"][0]["active"] = json!(99)),
        ("links forward", |v| v["memberships"][0]["previous"] = json!(3)),
        ("another", |v| v["households"][0]["history"] = json!([1])),
        ("stored twice", |v| v["people"][1]["person"] = v["people"][0]["person"].clone()),
        ("stored twice", |v| {
            let first = v["households"][0]["id"].clone();
            v["households"][1]["id"] = first;
        }),
        ("unknown", |v| v["dwellings"] = json!([])),
        ("points at another's", |v| v["people"][0]["last_membership"] = json!(1)),
        ("two active households", |v| {
            v["households"][1]["number"] = v["households"][2]["number"].clone()
        }),
        // a member left out of the scan's picture: the audit names it
        ("heads", |v| v["memberships"][0]["relationship"] = json!("child")),
        ("missing field", |v| v.as_object_mut().unwrap().remove("people").map(drop).unwrap()),
    ];
    let v = sample();
    for (expected, damage) in cases {
        let mut broken = v.clone();
        damage(&mut broken);
        let err = load(&broken).expect_err(expected);
        assert!(err.contains(expected), "{expected:?} not in {err:?}");
    }
}

proptest! {
    /// Any number in the snapshot replaced by any other: loaded into a
    /// registry that passes its audit, or refused; never a panic.
    #[test]
    fn any_edited_number_loads_consistently_or_is_refused(at in any::<usize>(), to in 0u64..12) {
        let mut v = sample();
        let mut numbers = Vec::new();
        collect_numbers(&mut v, &mut numbers);
        if !numbers.is_empty() {
            let target = at % numbers.len();
            *numbers.swap_remove(target) = json!(to);
        }
        if let Ok(r) = load(&v) {
            prop_assert!(r.audit().is_empty());
        }
    }
}

fn collect_numbers<'a>(v: &'a mut Value, out: &mut Vec<&'a mut Value>) {
    match v {
        Value::Number(_) => out.push(v),
        Value::Array(items) => items.iter_mut().for_each(|x| collect_numbers(x, out)),
        Value::Object(map) => map.values_mut().for_each(|x| collect_numbers(x, out)),
        _ => {}
    }
}

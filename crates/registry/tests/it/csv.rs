//! CSV export and import: the columns of the crate docs, SIAK labels, all
//! rows or none, and export → import → export gives the same CSV.

use proptest::prelude::*;
use tangguh_core::Sex;
use tangguh_registry::{
    ChronicIllness, Disability, DisabilityKind, Education, Maternal, MaternalStatus, MemberFacts,
    NewMember, Occupation, Registry, RegistryCommand as C, RegistryError, Relationship, Severity,
    read_csv,
};

use crate::{MUNGKU_BARU, PETUK_BUKIT, T, d};

fn export(reg: &Registry) -> String {
    let mut out = Vec::new();
    reg.write_csv(&mut out).unwrap();
    String::from_utf8(out).unwrap()
}

fn import(csv: &str) -> Registry {
    let mut t = T::new();
    let cmd = read_csv(csv.as_bytes()).unwrap();
    t.ok(cmd);
    t.reg
}

#[test]
fn siak_labels_and_aliases_are_accepted() {
    let csv = "\
HOUSEHOLD_ID,kk_number,kelurahan,rt,rw,address,phone,registered_on,person_id,nik,name,sex,birth_date,birth_date_estimated,shdk,member_since,disability,disability_severity,chronic_illness,maternal,maternal_recorded_on,education,occupation
019c0000-0000-7000-8000-000000000001,6271051203150007,6271051004,2,1,Jl. Sungai,+62 812 3456 7890,10-01-2026,019c0000-0000-7000-8000-0000000000a1,6271050101800001,Budi,LK,01/01/1980,,KEPALA KELUARGA,2026-01-10,Fisik,berat,,,,Tidak/Blm Sekolah,9
019c0000-0000-7000-8000-000000000001,6271051203150007,6271051004,2,1,Jl. Sungai,,2026-01-10,019c0000-0000-7000-8000-0000000000a2,,Sari,Pr,1985-05-05,true,istri,2026-01-10,,,tbc,hamil,2026-10-01,Strata-II,2
019c0000-0000-7000-8000-000000000001,6271051203150007,6271051004,2,1,Jl. Sungai,,2026-01-10,019c0000-0000-7000-8000-0000000000a3,,Bayi,P,2026-06-01,,4,2026-06-01,,,,,,,
";
    let reg = import(csv);
    let h = reg.households().next().unwrap();
    assert_eq!(h.kelurahan.to_string(), MUNGKU_BARU);
    assert_eq!(h.phone.as_ref().unwrap().expose(), "081234567890");
    let members = reg.members(h.id);
    assert_eq!(members.len(), 3);
    let (budi, _) = members[0];
    assert_eq!(
        budi.facts.disability,
        Some(Disability::new(DisabilityKind::Physical, Severity::CannotDoAtAll))
    );
    assert_eq!(budi.facts.education, Some(Education::NoSchooling));
    let (sari, m) = members[1];
    assert_eq!(m.relationship, Relationship::Wife);
    assert!(sari.person.birth_date.estimated);
    assert_eq!(sari.facts.chronic_illness, Some(ChronicIllness::Tuberculosis));
    assert_eq!(sari.facts.education, Some(Education::Master));
    assert_eq!(sari.facts.maternal, Some(Maternal::new(MaternalStatus::Pregnant, d(2026, 10, 1))));
    let (_, bayi) = members[2];
    assert_eq!(bayi.start, d(2026, 6, 1));
    assert_eq!(bayi.relationship, Relationship::Child);
}

#[test]
fn bad_rows_are_all_reported_and_nothing_applies() {
    let csv = "\
household_id,kk_number,kelurahan,rt,rw,address,phone,registered_on,person_id,nik,name,sex,birth_date,birth_date_estimated,shdk,member_since,disability,disability_severity,chronic_illness,maternal,maternal_recorded_on,education,occupation
019c0000-0000-7000-8000-000000000001,,6271051004,2,1,Jl,,2026-01-10,019c0000-0000-7000-8000-0000000000a1,6271053201800001,Budi,L,1980-01-01,,Kepala Keluarga,2026-01-10,,,,,,,
019c0000-0000-7000-8000-000000000001,,6271051004,2,1,Jl,,2026-01-10,019c0000-0000-7000-8000-0000000000a2,,Sari,X,1985-05-05,,Istri,2026-01-10,,,,,,,
019c0000-0000-7000-8000-000000000002,,6271051004,0,1,Jl,,2026-01-10,019c0000-0000-7000-8000-0000000000a3,,Ani,P,1985-05-05,,Istri,2026-01-10,,,,,,,99
";
    let RegistryError::Import { errors } = read_csv(csv.as_bytes()).unwrap_err() else { panic!() };
    let lines: Vec<u64> = errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, vec![2, 3, 4]);
    assert!(!errors[0].message.contains("3201800001"), "NIK masked: {}", errors[0].message);
    assert!(errors[1].message.contains("sex"));
    let missing = "household_id,name\n";
    let RegistryError::Import { errors } = read_csv(missing.as_bytes()).unwrap_err() else {
        panic!()
    };
    assert_eq!(errors[0].line, 1);
    // parsed fine, refused by a rule (head born after registration): nothing applied
    let csv = "\
household_id,kk_number,kelurahan,rt,rw,address,phone,registered_on,person_id,nik,name,sex,birth_date,birth_date_estimated,shdk,member_since,disability,disability_severity,chronic_illness,maternal,maternal_recorded_on,education,occupation
019c0000-0000-7000-8000-000000000001,,6271051004,2,1,Jl,,2026-01-10,019c0000-0000-7000-8000-0000000000a1,,Budi,L,1980-01-01,,Kepala Keluarga,2026-01-10,,,,,,,
019c0000-0000-7000-8000-000000000002,,6271051004,2,1,Jl,,2026-01-10,019c0000-0000-7000-8000-0000000000a2,,Ani,P,2026-05-05,,Kepala Keluarga,2026-01-10,,,,,,,
019c0000-0000-7000-8000-000000000003,,6271051004,2,1,Jl,,2026-01-10,019c0000-0000-7000-8000-0000000000a3,,Tuti,P,1990-05-05,,Istri,2026-01-10,,,,,,,
";
    let cmd = read_csv(csv.as_bytes());
    let RegistryError::Import { errors } = cmd.unwrap_err() else { panic!() };
    assert_eq!(errors.len(), 1, "household 3 has no head: {errors:?}");
    let csv2 = csv.lines().take(3).collect::<Vec<_>>().join("\n");
    let mut t = T::new();
    let RegistryError::Import { errors } = t.err(read_csv(csv2.as_bytes()).unwrap()) else {
        panic!()
    };
    assert_eq!(errors[0].line, 3);
    assert_eq!(t.reg.household_count(), 0);
    assert!(matches!(
        read_csv("a,\"b\nc".as_bytes()),
        Err(RegistryError::Csv { .. }) | Err(RegistryError::Import { .. })
    ));
}

fn facts(i: u8) -> MemberFacts {
    let mut f = MemberFacts::default();
    if i.is_multiple_of(3) {
        f.disability = Some(Disability::new(
            DisabilityKind::ALL[usize::from(i) % 6],
            Severity::ALL[usize::from(i) % 3],
        ));
    }
    if i % 4 == 1 {
        f.chronic_illness = Some(ChronicIllness::ALL[usize::from(i) % 13]);
    }
    if i % 5 == 2 {
        f.education = Some(Education::ALL[usize::from(i) % 10]);
        f.occupation = Some(Occupation::new(1 + i % 89).unwrap());
    }
    f
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn export_import_export_is_the_same(households in proptest::collection::vec((0u8..3, proptest::collection::vec((any::<u8>(), any::<bool>(), 1u8..11), 0..4)), 1..6)) {
        let mut t = T::new();
        for (k, (kel, members)) in households.iter().enumerate() {
            let kel = [MUNGKU_BARU, PETUK_BUKIT, "62.71.05.1002"][usize::from(*kel)];
            let head = t.person(&format!("Kepala {k}"), d(1970 + k as i32, 1, 1), Sex::Male).with_facts(facts(k as u8));
            let mut cmd = t.register_cmd(kel, head);
            let mut later = Vec::new();
            for (i, (f, at_registration, rel)) in members.iter().enumerate() {
                let sex = if f.is_multiple_of(2) { Sex::Female } else { Sex::Male };
                let mut p = t.person(&format!("Anggota {k}-{i}"), d(1990 + i32::from(*f % 30), 1 + u32::from(*f % 12), 1), sex).with_facts(facts(*f));
                if sex == Sex::Female && f.is_multiple_of(7) {
                    p.facts.maternal = Some(Maternal::new(MaternalStatus::Lactating, d(2026, 2, 1)));
                }
                let rel = Relationship::from_code(*rel + 1).unwrap();
                if *at_registration { cmd.members.push(NewMember::new(p, rel)); } else { later.push((p, rel)); }
            }
            let h = cmd.household;
            t.ok(C::RegisterHousehold(cmd));
            for (p, rel) in later {
                t.ok(C::AddMember(tangguh_registry::AddMember::new(h, tangguh_registry::Joining::New(p), rel, tangguh_registry::JoinReason::MovedIn, d(2026, 3, 1))));
            }
        }
        let first = export(&t.reg);
        let again = import(&first);
        prop_assert_eq!(export(&again), first);
    }
}

use proptest::prelude::*;
use tangguh_core::strategy;
use tangguh_core::{Gazetteer, RegionCode, RegionLevel};

proptest! {
    #[test]
    fn region_codes_round_trip(code in strategy::region_code()) {
        prop_assert_eq!(code.to_string().parse::<RegionCode>().unwrap(), code);
        prop_assert_eq!(code.undotted().parse::<RegionCode>().unwrap(), code);
        let json = serde_json::to_string(&code).unwrap();
        prop_assert_eq!(serde_json::from_str::<RegionCode>(&json).unwrap(), code);
        if let Some(parent) = code.parent() {
            prop_assert!(parent.contains(code));
            prop_assert!(parent < code);
            prop_assert!(parent.level() < code.level());
        } else {
            prop_assert_eq!(code.level(), RegionLevel::Province);
        }
    }
}

#[test]
fn loads_the_whole_kemendagri_list_when_present() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/data/wilayah.csv");
    let Ok(file) = std::fs::File::open(path) else {
        eprintln!("skipped: {path} is absent (it lives beside the project, not in it)");
        return;
    };
    let mut gazetteer = Gazetteer::new();
    let loaded = gazetteer.load_csv(std::io::BufReader::new(file)).unwrap();
    assert_eq!(loaded, 91_599);
    let levels = |level| gazetteer.iter().filter(|(c, _)| c.level() == level).count();
    assert_eq!(levels(RegionLevel::Province), 38);
    assert_eq!(levels(RegionLevel::Regency), 514);
    assert_eq!(levels(RegionLevel::District), 7_285);
    assert_eq!(levels(RegionLevel::Village), 83_762);
    // The built-in names agree with the list (but for the city's spelling).
    let built_in = Gazetteer::palangka_raya();
    for (code, name) in built_in.kelurahan_of(RegionCode::RAKUMPIT) {
        assert_eq!(gazetteer.name(code), Some(name));
    }
    assert_eq!(gazetteer.name(RegionCode::PALANGKA_RAYA), Some("Kota Palangkaraya"));
}

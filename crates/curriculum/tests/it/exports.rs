//! Open Badges 3.0 and xAPI exports.

use serde_json::Value;
use tangguh_core::{Name, PersonId};
use tangguh_curriculum::{
    AssessmentResult, AttendanceStatus, CurriculumCommand as C, CurriculumError, ExportConfig,
    Validity, open_badge, xapi_statements,
};

use crate::{World, d, granting};

fn config(w: &World) -> ExportConfig {
    ExportConfig::new("https://tangguh.example.id/", "garam-rahasia")
        .unwrap()
        .with_issuer_name(w.lead, Name::try_new("BPBD Kota Palangka Raya").unwrap())
}

#[test]
fn open_badge_shape() {
    let mut w = World::new();
    let course = w.course_with(&[], granting(Validity::Months(24), "PB.EVAKUASI", 2));
    let siti: PersonId = w.id();
    let cert = w.complete(siti, course);
    let cfg = config(&w);
    let badge = open_badge(w.state(), cert, &cfg).unwrap();
    assert_eq!(badge["type"], serde_json::json!(["VerifiableCredential", "OpenBadgeCredential"]));
    assert_eq!(badge["@context"][0], "https://www.w3.org/ns/credentials/v2");
    assert_eq!(badge["id"], format!("urn:uuid:{cert}"));
    assert_eq!(badge["issuer"]["name"], "BPBD Kota Palangka Raya");
    assert_eq!(
        badge["issuer"]["id"],
        format!("https://tangguh.example.id/organizations/{}", w.lead)
    );
    assert_eq!(badge["validFrom"], "2026-01-05T00:00:00+07:00");
    assert_eq!(badge["validUntil"], "2028-01-04T23:59:59+07:00");
    let subject = &badge["credentialSubject"];
    let identifier = &subject["identifier"][0];
    assert_eq!(identifier["hashed"], true);
    assert_eq!(identifier["identityHash"], cfg.identity_hash(siti));
    let hash = identifier["identityHash"].as_str().unwrap();
    assert!(hash.starts_with("sha256$") && hash.len() == 7 + 64);
    assert!(!badge.to_string().contains(&siti.to_string()), "the recipient id is never in clear");
    let achievement = &subject["achievement"];
    assert_eq!(achievement["achievementType"], "Certificate");
    assert_eq!(achievement["humanCode"], "C-1");
    assert_eq!(achievement["alignment"][0]["targetCode"], "PB.EVAKUASI");
    assert!(achievement["id"].as_str().unwrap().ends_with("/versions/1"));
    assert!(
        achievement["criteria"]["narrative"].as_str().unwrap().starts_with("Attend at least 75%")
    );
    // Revoked: validUntil moves to the day before revocation.
    w.ok(C::RevokeCertificate {
        certificate: cert,
        on: d(2026, 6, 1),
        reason: Name::try_new("x").unwrap(),
    });
    let badge = open_badge(w.state(), cert, &cfg).unwrap();
    assert_eq!(badge["validUntil"], "2026-05-31T23:59:59+07:00");
    assert!(matches!(
        open_badge(w.state(), w.id(), &cfg),
        Err(CurriculumError::UnknownReference { kind: "certificate", .. })
    ));
}

#[test]
fn unlimited_badges_have_no_valid_until() {
    let mut w = World::new();
    let course = w.course_with(&[], granting(Validity::Unlimited, "X", 1));
    let siti: PersonId = w.id();
    let cert = w.complete(siti, course);
    let cfg = ExportConfig::new("https://t.example", "s").unwrap();
    let badge = open_badge(w.state(), cert, &cfg).unwrap();
    assert!(badge.get("validUntil").is_none());
    assert!(badge["issuer"]["name"].as_str().unwrap().starts_with("organisation "));
}

#[test]
fn xapi_statements_shape() {
    let mut w = World::new();
    let course = w.course_with(&[], granting(Validity::Months(24), "PB.EVAKUASI", 1));
    let cohort = w.cohort(course, 3, 10);
    let s = w.sessions(cohort);
    let (siti, budi): (PersonId, PersonId) = (w.id(), w.id());
    w.ok(C::Enrol { cohort, person: siti });
    w.ok(C::Enrol { cohort, person: budi });
    for (session, status) in
        s.iter().zip([AttendanceStatus::Present, AttendanceStatus::Late, AttendanceStatus::Excused])
    {
        w.ok(C::RecordAttendance { cohort, session: *session, person: siti, status });
        w.ok(C::RecordAttendance {
            cohort,
            session: *session,
            person: budi,
            status: AttendanceStatus::Absent,
        });
    }
    w.ok(C::RecordAttendance {
        cohort,
        session: s[2],
        person: siti,
        status: AttendanceStatus::Present,
    });
    w.ok(C::RecordAssessment {
        cohort,
        person: siti,
        result: AssessmentResult::Competent,
        score: Some(88),
    });
    w.ok(C::RecordAssessment {
        cohort,
        person: budi,
        result: AssessmentResult::NotYetCompetent,
        score: None,
    });
    let day = w.last_day(cohort);
    w.issue(cohort, siti, day).unwrap();
    let cfg = config(&w);
    let statements = xapi_statements(w.state(), cohort, &cfg).unwrap();
    let verbs = |who: PersonId| -> Vec<String> {
        statements
            .iter()
            .filter(|st| st["actor"]["account"]["name"] == who.to_string())
            .map(|st| st["verb"]["display"]["en-US"].as_str().unwrap().to_owned())
            .collect()
    };
    assert_eq!(verbs(siti), ["attended", "attended", "attended", "passed", "completed"]);
    assert_eq!(verbs(budi), ["failed"]);
    let attended: Vec<&Value> = statements
        .iter()
        .filter(|st| st["verb"]["id"] == "http://adlnet.gov/expapi/verbs/attended")
        .collect();
    assert_eq!(
        attended[1]["result"]["extensions"]["https://tangguh.example.id/xapi/attendance"],
        "late"
    );
    assert_eq!(
        attended[0]["object"]["definition"]["type"],
        "http://adlnet.gov/expapi/activities/meeting"
    );
    assert!(attended[0]["timestamp"].as_str().unwrap().ends_with('Z'));
    let passed = statements.iter().find(|st| st["verb"]["display"]["en-US"] == "passed").unwrap();
    assert_eq!(passed["result"]["success"], true);
    assert_eq!(passed["result"]["score"]["raw"], 88);
    assert_eq!(
        passed["result"]["extensions"]["https://tangguh.example.id/xapi/assessment"],
        "kompeten"
    );
    assert_eq!(
        passed["context"]["contextActivities"]["grouping"][0]["id"],
        format!("https://tangguh.example.id/cohorts/{cohort}")
    );
    let completed =
        statements.iter().find(|st| st["verb"]["display"]["en-US"] == "completed").unwrap();
    assert_eq!(completed["result"]["completion"], true);
    assert!(matches!(
        xapi_statements(w.state(), w.id(), &cfg),
        Err(CurriculumError::UnknownReference { kind: "cohort", .. })
    ));
}

#[test]
fn export_config_is_validated() {
    assert!(ExportConfig::new("ftp://x", "s").is_err());
    assert!(ExportConfig::new("https://", "s").is_err());
    assert!(matches!(
        ExportConfig::new("https://x.id", ""),
        Err(CurriculumError::Invalid { field: "salt", .. })
    ));
    assert_eq!(ExportConfig::new("https://x.id///", "s").unwrap().base_url, "https://x.id");
}

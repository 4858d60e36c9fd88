//! Standards exports: a certificate as an Open Badges 3.0
//! `OpenBadgeCredential`, a cohort's attendance and results as xAPI
//! statements.
//!
//! # Open Badges 3.0 shape
//!
//! [`open_badge`] returns an unsigned credential (signing it, as a VC-JWT or
//! with a Data Integrity proof, is the integrator's job):
//!
//! ```json
//! {
//!   "@context": ["https://www.w3.org/ns/credentials/v2",
//!                "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
//!   "id": "urn:uuid:<certificate id>",
//!   "type": ["VerifiableCredential", "OpenBadgeCredential"],
//!   "issuer": {"id": "<base>/organizations/<org id>", "type": ["Profile"], "name": "<issuer name>"},
//!   "name": "<course title>",
//!   "validFrom": "2026-11-21T00:00:00+07:00",
//!   "validUntil": "2028-11-20T23:59:59+07:00",
//!   "credentialSubject": {
//!     "type": ["AchievementSubject"],
//!     "identifier": [{"type": "IdentityObject", "identityType": "systemId", "hashed": true,
//!                     "identityHash": "sha256$<hex of SHA-256(person id + salt)>", "salt": "<salt>"}],
//!     "achievement": {
//!       "id": "<base>/courses/<course id>/versions/<n>", "type": ["Achievement"],
//!       "achievementType": "Certificate", "humanCode": "<course code>",
//!       "name": "<course title>", "description": "<course description>",
//!       "criteria": {"narrative": "<the version's completion rule in words>"},
//!       "alignment": [{"type": ["Alignment"], "targetName": "<competency> level <n>",
//!                      "targetCode": "<competency>", "targetUrl": "<base>/competencies/<competency>"}]
//!     }
//!   }
//! }
//! ```
//!
//! Dates are WIB (UTC+7): `validFrom` is the start of the issue day,
//! `validUntil` the end of the last valid day (absent when the certificate
//! never expires). A revoked certificate is exported with `validUntil` at
//! the end of the day before revocation; publish a `credentialStatus` list if
//! verifiers must learn of revocations after export. The recipient is never
//! named: only the salted hash of the person id is given.
//!
//! # xAPI shape
//!
//! [`xapi_statements`] returns, for each person taking part in a cohort (in
//! person-id order): one `attended` statement per session marked present or
//! late (excused and absent give none), then `passed` or `failed` for the
//! assessment, then `completed` if a certificate was issued. Unlinked
//! walk-ins have no actor and give none.
//!
//! ```json
//! {
//!   "actor": {"objectType": "Agent", "account": {"homePage": "<base>", "name": "<person id>"}},
//!   "verb": {"id": "http://adlnet.gov/expapi/verbs/attended", "display": {"en-US": "attended"}},
//!   "object": {"objectType": "Activity", "id": "<base>/cohorts/<cohort id>/sessions/<session id>",
//!              "definition": {"type": "http://adlnet.gov/expapi/activities/meeting",
//!                             "name": {"id-ID": "<course title>"}}},
//!   "result": {"extensions": {"<base>/xapi/attendance": "late"}},
//!   "context": {"contextActivities": {
//!       "parent": [{"objectType": "Activity", "id": "<base>/courses/<course id>/versions/<n>"}],
//!       "grouping": [{"objectType": "Activity", "id": "<base>/cohorts/<cohort id>"}]}},
//!   "timestamp": "<session start, RFC 3339 UTC>"
//! }
//! ```
//!
//! `passed`/`failed` statements have the course version as object, `result`
//! `{"success": bool, "score": {"raw": n, "min": 0, "max": 100}` (when
//! scored)`, "extensions": {"<base>/xapi/assessment": "<result>"}}` and the
//! time the assessment was recorded; `completed` has `result`
//! `{"completion": true, "success": true}` and the issue day (start, WIB).
//! Verbs are the ADL ones (`http://adlnet.gov/expapi/verbs/…`).

use std::collections::BTreeMap;

use chrono::{DateTime, FixedOffset, NaiveDate, SecondsFormat, TimeZone, Utc};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tangguh_core::{Name, OrganizationId, PersonId, wib};

use crate::cohort::{AttendanceStatus, Cohort, ParticipantStatus};
use crate::course::{CompletionRule, Course};
use crate::curriculum::Curriculum;
use crate::error::CurriculumError;
use crate::ids::{CertificateId, CohortId};

/// Where exported identifiers live and how recipients are hashed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct ExportConfig {
    /// The base URL of the deployment's identifiers, without a trailing `/`
    /// (e.g. `https://tangguh.palangkaraya.go.id`).
    pub base_url: String,
    /// The salt for hashed recipient identifiers (keep it per deployment).
    pub salt: String,
    /// Issuer names by organisation; an unnamed issuer is shown by id.
    pub issuer_names: BTreeMap<OrganizationId, Name>,
}

impl ExportConfig {
    /// A configuration with `base_url` (a trailing `/` is dropped) and
    /// `salt`.
    ///
    /// # Errors
    ///
    /// [`CurriculumError::Invalid`] if `base_url` is not an `http(s)://` URL
    /// or `salt` is empty.
    pub fn new(base_url: &str, salt: &str) -> Result<Self, CurriculumError> {
        let base = base_url.trim().trim_end_matches('/');
        if !(base.starts_with("https://") || base.starts_with("http://"))
            || base.len() <= "https://".len()
        {
            return Err(CurriculumError::invalid("base url", base_url, "not an http(s) URL"));
        }
        if salt.is_empty() {
            return Err(CurriculumError::invalid("salt", "", "empty"));
        }
        Ok(Self { base_url: base.to_owned(), salt: salt.to_owned(), issuer_names: BTreeMap::new() })
    }

    /// The same configuration, naming `issuer`.
    #[must_use]
    pub fn with_issuer_name(mut self, issuer: OrganizationId, name: Name) -> Self {
        self.issuer_names.insert(issuer, name);
        self
    }

    /// The salted SHA-256 of a person id, as `sha256$<hex>`.
    #[must_use]
    pub fn identity_hash(&self, person: PersonId) -> String {
        let digest = Sha256::digest(format!("{person}{}", self.salt).as_bytes());
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        format!("sha256${hex}")
    }
}

fn day_start(date: NaiveDate) -> Option<DateTime<FixedOffset>> {
    wib().from_local_datetime(&date.and_hms_opt(0, 0, 0)?).single()
}

fn day_end(date: NaiveDate) -> Option<DateTime<FixedOffset>> {
    wib().from_local_datetime(&date.and_hms_opt(23, 59, 59)?).single()
}

fn rfc3339<Tz: TimeZone>(t: &DateTime<Tz>) -> String
where
    Tz::Offset: std::fmt::Display,
{
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn narrative(rule: &CompletionRule) -> String {
    let mut parts = vec![format!(
        "attend at least {}% of the sessions (present or late)",
        rule.min_attendance_percent
    )];
    parts.push(if rule.accept_conditional_pass {
        "pass the assessment (a conditional pass counts)".to_owned()
    } else {
        "pass the assessment".to_owned()
    });
    if let Some(mark) = rule.pass_mark {
        parts.push(format!("score at least {mark} of 100"));
    }
    if let Some(hours) = rule.min_hours {
        parts.push(format!("be credited at least {hours} hours"));
    }
    let mut text = parts.join("; ");
    text.push('.');
    let mut chars = text.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

fn version_iri(config: &ExportConfig, course: &Course, version: u32) -> String {
    format!("{}/courses/{}/versions/{version}", config.base_url, course.id)
}

/// A certificate as an unsigned Open Badges 3.0 `OpenBadgeCredential`
/// (shape in the [module docs](self)).
///
/// # Errors
///
/// [`CurriculumError::UnknownReference`] for an unknown certificate (or its
/// course).
pub fn open_badge(
    curriculum: &Curriculum,
    certificate: CertificateId,
    config: &ExportConfig,
) -> Result<Value, CurriculumError> {
    let cert = curriculum
        .certificate(certificate)
        .ok_or_else(|| CurriculumError::unknown("certificate", certificate))?;
    let course = curriculum
        .course(cert.course)
        .ok_or_else(|| CurriculumError::unknown("course", cert.course))?;
    let version = course
        .version(cert.version)
        .ok_or_else(|| CurriculumError::unknown("course version", cert.version))?;
    let issuer_name = config
        .issuer_names
        .get(&cert.issuer)
        .map_or_else(|| format!("organisation {}", cert.issuer), |n| n.as_str().to_owned());
    let last_day = match (cert.valid_until, cert.revoked.as_ref().and_then(|r| r.on.pred_opt())) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    let description = if course.description.trim().is_empty() {
        course.title.as_str()
    } else {
        &course.description
    };
    let alignment: Vec<Value> = cert
        .competencies
        .iter()
        .map(|g| {
            json!({
                "type": ["Alignment"],
                "targetName": format!("{} level {}", g.competency, g.level),
                "targetCode": g.competency.as_str(),
                "targetUrl": format!("{}/competencies/{}", config.base_url, g.competency),
            })
        })
        .collect();
    let mut badge = json!({
        "@context": [
            "https://www.w3.org/ns/credentials/v2",
            "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
        ],
        "id": format!("urn:uuid:{}", cert.id),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {
            "id": format!("{}/organizations/{}", config.base_url, cert.issuer),
            "type": ["Profile"],
            "name": issuer_name,
        },
        "name": course.title.as_str(),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [{
                "type": "IdentityObject",
                "identityType": "systemId",
                "hashed": true,
                "identityHash": config.identity_hash(cert.holder),
                "salt": config.salt,
            }],
            "achievement": {
                "id": version_iri(config, course, cert.version),
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "humanCode": course.code.as_str(),
                "name": course.title.as_str(),
                "description": description,
                "criteria": { "narrative": narrative(&version.spec.rule) },
                "alignment": alignment,
            },
        },
    });
    if let Some(map) = badge.as_object_mut() {
        if let Some(from) = day_start(cert.issued_on) {
            map.insert("validFrom".into(), Value::String(rfc3339(&from)));
        }
        if let Some(until) = last_day.and_then(day_end) {
            map.insert("validUntil".into(), Value::String(rfc3339(&until)));
        }
    }
    Ok(badge)
}

fn verb(name: &str) -> Value {
    json!({
        "id": format!("http://adlnet.gov/expapi/verbs/{name}"),
        "display": { "en-US": name },
    })
}

fn attendance_word(status: AttendanceStatus) -> &'static str {
    match status {
        AttendanceStatus::Present => "present",
        AttendanceStatus::Late => "late",
        AttendanceStatus::Excused => "excused",
        AttendanceStatus::Absent => "absent",
    }
}

fn to_snake<T: serde::Serialize>(value: &T) -> Value {
    serde_json::to_value(value).unwrap_or(Value::Null)
}

/// A cohort's attendance and results as xAPI statements (shape in the
/// [module docs](self)).
///
/// # Errors
///
/// [`CurriculumError::UnknownReference`] for an unknown cohort (or its
/// course).
pub fn xapi_statements(
    curriculum: &Curriculum,
    cohort: CohortId,
    config: &ExportConfig,
) -> Result<Vec<Value>, CurriculumError> {
    let c: &Cohort =
        curriculum.cohort(cohort).ok_or_else(|| CurriculumError::unknown("cohort", cohort))?;
    let course =
        curriculum.course(c.course).ok_or_else(|| CurriculumError::unknown("course", c.course))?;
    let version = course
        .version(c.version)
        .ok_or_else(|| CurriculumError::unknown("course version", c.version))?;
    let course_iri = version_iri(config, course, c.version);
    let cohort_iri = format!("{}/cohorts/{}", config.base_url, c.id);
    let context = json!({
        "contextActivities": {
            "parent": [{ "objectType": "Activity", "id": course_iri }],
            "grouping": [{ "objectType": "Activity", "id": cohort_iri }],
        }
    });
    let course_object = json!({
        "objectType": "Activity",
        "id": course_iri,
        "definition": {
            "type": "http://adlnet.gov/expapi/activities/course",
            "name": { "id-ID": course.title.as_str() },
        },
    });
    let mut out = Vec::new();
    for (person, p) in &c.participants {
        if !p.status.is_some_and(ParticipantStatus::takes_part) {
            continue;
        }
        let actor = json!({
            "objectType": "Agent",
            "account": { "homePage": config.base_url, "name": person.to_string() },
        });
        for session in &c.sessions {
            let Some(status) = p.attendance.get(&session.id).filter(|s| s.attended()) else {
                continue;
            };
            out.push(json!({
                "actor": actor,
                "verb": verb("attended"),
                "object": {
                    "objectType": "Activity",
                    "id": format!("{cohort_iri}/sessions/{}", session.id),
                    "definition": {
                        "type": "http://adlnet.gov/expapi/activities/meeting",
                        "name": { "id-ID": course.title.as_str() },
                    },
                },
                "result": {
                    "extensions": {
                        format!("{}/xapi/attendance", config.base_url): attendance_word(*status),
                    },
                },
                "context": context,
                "timestamp": rfc3339(&session.starts_at),
            }));
        }
        if let Some(a) = p.assessment {
            let success = a.result.succeeds(version.spec.rule.accept_conditional_pass);
            let mut result = json!({
                "success": success,
                "extensions": {
                    format!("{}/xapi/assessment", config.base_url): to_snake(&a.result),
                },
            });
            if let (Some(score), Some(map)) = (a.score, result.as_object_mut()) {
                map.insert("score".into(), json!({ "raw": score, "min": 0, "max": 100 }));
            }
            out.push(json!({
                "actor": actor,
                "verb": verb(if success { "passed" } else { "failed" }),
                "object": course_object,
                "result": result,
                "context": context,
                "timestamp": rfc3339(&a.recorded_at),
            }));
        }
        if let Some(cert) = p.certificate.and_then(|id| curriculum.certificate(id)) {
            let timestamp = day_start(cert.issued_on)
                .map_or_else(|| rfc3339(&DateTime::<Utc>::UNIX_EPOCH), |t| rfc3339(&t));
            out.push(json!({
                "actor": actor,
                "verb": verb("completed"),
                "object": course_object,
                "result": { "completion": true, "success": true },
                "context": context,
                "timestamp": timestamp,
            }));
        }
    }
    Ok(out)
}

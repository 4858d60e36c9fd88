//! How a recorded event becomes a stored row and back, and the hash chain.
//!
//! Shared by the SQLite and PostgreSQL journals, so both store the same
//! columns and compute the same hashes.

use chrono::{DateTime, SecondsFormat, Utc};
use sha2::{Digest as _, Sha256};
use tangguh_core::{Actor, CommandDigest, DomainEvent, Recorded, RequestId, RequestStamp};

use crate::error::StoreError;

/// The hash a stream's first record chains from: 64 zeros.
pub(crate) const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// A record as stored: the columns of the `events` table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct StoredRecord {
    pub(crate) sequence: u64,
    pub(crate) recorded_at: String,
    pub(crate) actor: String,
    pub(crate) request_id: Option<String>,
    pub(crate) request_digest: Option<String>,
    pub(crate) schema_version: u32,
    pub(crate) event_json: String,
    pub(crate) prev_hash: String,
    pub(crate) hash: String,
}

/// Lowercase hex of `bytes`.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS.get(usize::from(b >> 4)).copied().unwrap_or(b'0')));
        out.push(char::from(DIGITS.get(usize::from(b & 0xf)).copied().unwrap_or(b'0')));
    }
    out
}

fn field(hasher: &mut Sha256, bytes: &[u8]) {
    hasher.update(u64::try_from(bytes.len()).unwrap_or(u64::MAX).to_be_bytes());
    hasher.update(bytes);
}

fn optional(hasher: &mut Sha256, value: Option<&str>) {
    match value {
        None => hasher.update([0u8]),
        Some(v) => {
            hasher.update([1u8]);
            field(hasher, v.as_bytes());
        }
    }
}

fn finish(hasher: Sha256) -> String {
    hex(&hasher.finalize())
}

/// The hash of a record: SHA-256 over a domain tag, the previous record's
/// hash and every column of the record, each length-prefixed.
pub(crate) fn record_hash(stream: &str, row: &StoredRecord) -> String {
    let mut hasher = Sha256::new();
    hasher.update(b"tangguh-store/record/v1\0");
    field(&mut hasher, row.prev_hash.as_bytes());
    field(&mut hasher, stream.as_bytes());
    hasher.update(row.sequence.to_be_bytes());
    field(&mut hasher, row.recorded_at.as_bytes());
    field(&mut hasher, row.actor.as_bytes());
    optional(&mut hasher, row.request_id.as_deref());
    optional(&mut hasher, row.request_digest.as_deref());
    hasher.update(row.schema_version.to_be_bytes());
    field(&mut hasher, row.event_json.as_bytes());
    finish(hasher)
}

/// The hash of a snapshot: binds the state to its stream, sequence, state
/// version and the hash of the record it was taken at.
pub(crate) fn snapshot_hash(
    stream: &str,
    sequence: u64,
    version: u32,
    chain_hash: &str,
    state_json: &str,
) -> String {
    let mut hasher = Sha256::new();
    hasher.update(b"tangguh-store/snapshot/v1\0");
    field(&mut hasher, stream.as_bytes());
    hasher.update(sequence.to_be_bytes());
    hasher.update(version.to_be_bytes());
    field(&mut hasher, chain_hash.as_bytes());
    field(&mut hasher, state_json.as_bytes());
    finish(hasher)
}

/// The stored form of `time`: RFC 3339 in UTC, with as many fraction digits
/// as it needs.
pub(crate) fn time_text(time: DateTime<Utc>) -> String {
    time.to_rfc3339_opts(SecondsFormat::AutoSi, true)
}

/// Encodes `record` of `stream` chained after `prev_hash`.
pub(crate) fn encode<E: DomainEvent>(
    stream: &str,
    record: &Recorded<E>,
    prev_hash: &str,
) -> Result<StoredRecord, StoreError> {
    let event_json = serde_json::to_string(&record.event).map_err(|e| StoreError::Serialize {
        stream: stream.to_owned(),
        message: format!("event {}: {e}", record.sequence),
    })?;
    let mut row = StoredRecord {
        sequence: record.sequence,
        recorded_at: time_text(record.recorded_at),
        actor: record.actor.as_str().to_owned(),
        request_id: record.request.as_ref().map(|r| r.id.as_str().to_owned()),
        request_digest: record.request.as_ref().map(|r| r.digest.to_string()),
        schema_version: E::SCHEMA_VERSION,
        event_json,
        prev_hash: prev_hash.to_owned(),
        hash: String::new(),
    };
    row.hash = record_hash(stream, &row);
    Ok(row)
}

/// Checks a stored row's hash and decodes it. `expected_prev` is the hash of
/// the record before it when the caller read that one too.
pub(crate) fn decode<E: DomainEvent>(
    stream: &str,
    row: StoredRecord,
    expected_prev: Option<&str>,
) -> Result<Recorded<E>, StoreError> {
    let corrupt = |reason: String| StoreError::Corrupt {
        stream: stream.to_owned(),
        sequence: row.sequence,
        reason,
    };
    if expected_prev.is_some_and(|prev| prev != row.prev_hash) {
        return Err(corrupt("its previous-hash does not match the record before it".into()));
    }
    if record_hash(stream, &row) != row.hash {
        return Err(corrupt("its hash does not match its content".into()));
    }
    let recorded_at = DateTime::parse_from_rfc3339(&row.recorded_at)
        .map_err(|e| corrupt(format!("recorded_at {:?}: {e}", row.recorded_at)))?
        .with_timezone(&Utc);
    let actor = Actor::try_new(&row.actor).map_err(|e| corrupt(format!("actor: {e}")))?;
    let request = match (&row.request_id, &row.request_digest) {
        (None, None) => None,
        (Some(id), Some(digest)) => Some(RequestStamp::new(
            RequestId::try_new(id).map_err(|e| corrupt(format!("request id: {e}")))?,
            CommandDigest::parse(digest).map_err(|e| corrupt(format!("request digest: {e}")))?,
        )),
        _ => return Err(corrupt("it has a request id without a digest, or the reverse".into())),
    };
    if row.schema_version > E::SCHEMA_VERSION {
        return Err(corrupt(format!(
            "its schema version {} is newer than this build reads ({})",
            row.schema_version,
            E::SCHEMA_VERSION
        )));
    }
    let value: serde_json::Value = serde_json::from_str(&row.event_json)
        .map_err(|e| corrupt(format!("its event is not JSON: {e}")))?;
    let event = E::upgrade(row.schema_version, value).map_err(|e| {
        corrupt(format!("its event is not a valid version-{} event: {e}", row.schema_version))
    })?;
    Ok(Recorded::new(row.sequence, recorded_at, actor, request, event))
}

/// Checks a stream name: 1 to 200 characters, no control characters, not
/// padded with spaces.
pub(crate) fn check_stream(name: &str) -> Result<(), StoreError> {
    let invalid =
        |reason| StoreError::InvalidStream { name: name.chars().take(60).collect(), reason };
    if name.is_empty() {
        return Err(invalid("it is empty"));
    }
    if name.chars().count() > 200 {
        return Err(invalid("it is longer than 200 characters"));
    }
    if name.chars().any(char::is_control) {
        return Err(invalid("it contains a control character"));
    }
    if name.trim() != name {
        return Err(invalid("it starts or ends with whitespace"));
    }
    Ok(())
}

/// `u64` → SQL integer.
pub(crate) fn to_i64(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// SQL integer → `u64` (negative values, which this crate never writes, read as 0).
pub(crate) fn to_u64(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_is_lowercase() {
        assert_eq!(hex(&[0x00, 0xab, 0x7f]), "00ab7f");
        assert_eq!(GENESIS.len(), 64);
    }

    #[test]
    fn stream_names_are_checked() {
        assert!(check_stream("registry/rakumpit").is_ok());
        assert!(check_stream("").is_err());
        assert!(check_stream(" x").is_err());
        assert!(check_stream("a\nb").is_err());
        assert!(check_stream(&"x".repeat(201)).is_err());
    }

    #[test]
    fn a_changed_column_changes_the_hash() {
        let row = StoredRecord {
            sequence: 1,
            recorded_at: "2026-11-28T02:00:00Z".into(),
            actor: "a".into(),
            request_id: None,
            request_digest: None,
            schema_version: 1,
            event_json: "1".into(),
            prev_hash: GENESIS.into(),
            hash: String::new(),
        };
        let h = record_hash("s", &row);
        assert_ne!(h, record_hash("t", &row));
        assert_ne!(h, record_hash("s", &StoredRecord { event_json: "2".into(), ..row.clone() }));
        assert_ne!(h, record_hash("s", &StoredRecord { request_id: Some(String::new()), ..row }));
    }
}

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
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let [hi, lo] = hex_pair(*b);
        out.push(char::from(hi));
        out.push(char::from(lo));
    }
    out
}

/// The two lowercase hex digits of `b`.
fn hex_pair(b: u8) -> [u8; 2] {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let digit = |n: u8| DIGITS.get(usize::from(n)).copied().unwrap_or(b'0');
    [digit(b >> 4), digit(b & 0xf)]
}

/// A record hash as 64 lowercase hex digits, on the stack.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct HashHex([u8; 64]);

impl HashHex {
    fn of(digest: &[u8]) -> Self {
        let mut out = [b'0'; 64];
        for (pair, b) in out.chunks_exact_mut(2).zip(digest) {
            pair.copy_from_slice(&hex_pair(*b));
        }
        Self(out)
    }

    /// The digits as text.
    pub(crate) fn as_str(&self) -> &str {
        // Only ASCII hex digits are ever written into it.
        std::str::from_utf8(&self.0).unwrap_or(GENESIS)
    }
}

impl std::fmt::Debug for HashHex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
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

/// The hashed columns of a record, borrowed: what [`record_hash`] and the
/// appends share, so a record is hashed the same way written and read.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Columns<'a> {
    pub(crate) sequence: u64,
    pub(crate) recorded_at: &'a str,
    pub(crate) actor: &'a str,
    pub(crate) request_id: Option<&'a str>,
    pub(crate) request_digest: Option<&'a str>,
    pub(crate) schema_version: u32,
    pub(crate) event_json: &'a str,
    pub(crate) prev_hash: &'a str,
}

impl StoredRecord {
    fn columns(&self) -> Columns<'_> {
        Columns {
            sequence: self.sequence,
            recorded_at: &self.recorded_at,
            actor: &self.actor,
            request_id: self.request_id.as_deref(),
            request_digest: self.request_digest.as_deref(),
            schema_version: self.schema_version,
            event_json: &self.event_json,
            prev_hash: &self.prev_hash,
        }
    }
}

/// The hash of a record: SHA-256 over a domain tag, the previous record's
/// hash and every column of the record, each length-prefixed.
pub(crate) fn columns_hash(stream: &str, row: &Columns<'_>) -> HashHex {
    let mut hasher = Sha256::new();
    hasher.update(b"tangguh-store/record/v1\0");
    field(&mut hasher, row.prev_hash.as_bytes());
    field(&mut hasher, stream.as_bytes());
    hasher.update(row.sequence.to_be_bytes());
    field(&mut hasher, row.recorded_at.as_bytes());
    field(&mut hasher, row.actor.as_bytes());
    optional(&mut hasher, row.request_id);
    optional(&mut hasher, row.request_digest);
    hasher.update(row.schema_version.to_be_bytes());
    field(&mut hasher, row.event_json.as_bytes());
    HashHex::of(&hasher.finalize())
}

/// The hash of a stored record, as [`columns_hash`].
#[cfg_attr(not(any(test, feature = "postgres")), allow(dead_code))]
pub(crate) fn record_hash(stream: &str, row: &StoredRecord) -> String {
    columns_hash(stream, &row.columns()).as_str().to_owned()
}

/// Whether a stored record's hash matches its content.
pub(crate) fn hash_matches(stream: &str, row: &StoredRecord) -> bool {
    columns_hash(stream, &row.columns()).as_str() == row.hash
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

/// A record encoded for an insert: its columns (borrowed from the record,
/// the [`Encoder`] and the previous hash) and its hash.
#[derive(Debug)]
pub(crate) struct Encoded<'a> {
    pub(crate) columns: Columns<'a>,
    pub(crate) hash: HashHex,
}

/// Encodes the records of a batch into reused buffers: the event JSON, the
/// request digest, and the time text, formatted once for a run of records
/// recorded at the same time.
#[derive(Debug, Default)]
pub(crate) struct Encoder {
    json: Vec<u8>,
    time: Option<(DateTime<Utc>, String)>,
    digest: String,
}

impl Encoder {
    /// An encoder with empty buffers.
    pub(crate) fn new() -> Self {
        Self { json: Vec::with_capacity(256), time: None, digest: String::new() }
    }

    /// Encodes `record` of `stream` chained after `prev_hash`.
    pub(crate) fn encode<'a, E: DomainEvent>(
        &'a mut self,
        stream: &str,
        record: &'a Recorded<E>,
        prev_hash: &'a str,
    ) -> Result<Encoded<'a>, StoreError> {
        let serialize = |message: String| StoreError::Serialize {
            stream: stream.to_owned(),
            message: format!("event {}: {message}", record.sequence),
        };
        self.json.clear();
        serde_json::to_writer(&mut self.json, &record.event)
            .map_err(|e| serialize(e.to_string()))?;
        let event_json = std::str::from_utf8(&self.json).map_err(|e| serialize(e.to_string()))?;
        if self.time.as_ref().is_none_or(|(at, _)| *at != record.recorded_at) {
            self.time = Some((record.recorded_at, time_text(record.recorded_at)));
        }
        let recorded_at = self.time.as_ref().map_or("", |(_, text)| text.as_str());
        let request_digest = match &record.request {
            Some(stamp) => {
                use std::fmt::Write as _;
                self.digest.clear();
                write!(self.digest, "{}", stamp.digest)
                    .map_err(|e| serialize(format!("request digest: {e}")))?;
                Some(self.digest.as_str())
            }
            None => None,
        };
        let columns = Columns {
            sequence: record.sequence,
            recorded_at,
            actor: record.actor.as_str(),
            request_id: record.request.as_ref().map(|r| r.id.as_str()),
            request_digest,
            schema_version: E::SCHEMA_VERSION,
            event_json,
            prev_hash,
        };
        let hash = columns_hash(stream, &columns);
        Ok(Encoded { columns, hash })
    }
}

/// Encodes `record` of `stream` chained after `prev_hash`, as an owned row.
#[cfg_attr(not(any(test, feature = "postgres")), allow(dead_code))]
pub(crate) fn encode<E: DomainEvent>(
    stream: &str,
    record: &Recorded<E>,
    prev_hash: &str,
) -> Result<StoredRecord, StoreError> {
    let mut encoder = Encoder::new();
    let Encoded { columns: c, hash } = encoder.encode(stream, record, prev_hash)?;
    Ok(StoredRecord {
        sequence: c.sequence,
        recorded_at: c.recorded_at.to_owned(),
        actor: c.actor.to_owned(),
        request_id: c.request_id.map(str::to_owned),
        request_digest: c.request_digest.map(str::to_owned),
        schema_version: c.schema_version,
        event_json: c.event_json.to_owned(),
        prev_hash: c.prev_hash.to_owned(),
        hash: hash.as_str().to_owned(),
    })
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
    if !hash_matches(stream, &row) {
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

    #[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
    struct Noted {
        text: String,
    }

    impl DomainEvent for Noted {
        const SCHEMA_VERSION: u32 = 2;
    }

    /// The chain format is fixed: stores written by earlier builds must still
    /// verify. These hashes were computed independently (Python's hashlib
    /// over the documented layout) and by the build before the encoder
    /// reused its buffers.
    #[test]
    fn the_record_hash_format_is_pinned() {
        use chrono::TimeZone as _;
        let at = Utc
            .with_ymd_and_hms(2026, 11, 28, 2, 0, 0)
            .single()
            .map(|t| t.checked_add_signed(chrono::TimeDelta::milliseconds(500)).unwrap_or(t));
        let Some(at) = at else { panic!("a valid time") };
        let actor = Actor::try_new("kasir").ok();
        let id = RequestId::try_new("req-7").ok();
        let digest = CommandDigest::parse("00112233445566778899aabbccddeeff").ok();
        let (Some(actor), Some(id), Some(digest)) = (actor, id, digest) else {
            panic!("valid test values")
        };
        let stream = "tabungan/mungku-baru";
        let first = Recorded::new(
            1,
            at,
            actor.clone(),
            Some(RequestStamp::new(id, digest)),
            Noted { text: "banjir surut".into() },
        );
        let second = Recorded::new(2, at, actor, None, Noted { text: "rumah 12".into() });
        let want_first = "56ec6c53ce2cc5484c42c5d3a34b9c79f60211d514f2cba517b5a052b0d8f0a4";
        let want_second = "9fa3a90a4e78df6ba2123d93a9128350bd59ce438778b43862c0297d73d46178";

        let row = encode(stream, &first, GENESIS).map_err(|e| e.to_string());
        assert_eq!(row.as_ref().map(|r| r.recorded_at.as_str()), Ok("2026-11-28T02:00:00.500Z"));
        assert_eq!(row.as_ref().map(|r| r.event_json.as_str()), Ok(r#"{"text":"banjir surut"}"#));
        assert_eq!(row.as_ref().map(|r| r.hash.as_str()), Ok(want_first));
        let row = encode(stream, &second, want_first).map_err(|e| e.to_string());
        assert_eq!(row.as_ref().map(|r| r.hash.as_str()), Ok(want_second));
        assert_eq!(row.as_ref().map(|r| record_hash(stream, r)), Ok(want_second.to_owned()));

        // The batch encoder, reusing its buffers across records, agrees.
        let mut encoder = Encoder::new();
        let hash = encoder.encode(stream, &first, GENESIS).map(|e| e.hash);
        assert_eq!(hash.as_ref().map(HashHex::as_str).ok(), Some(want_first));
        let hash = encoder.encode(stream, &second, want_first).map(|e| e.hash);
        assert_eq!(hash.as_ref().map(HashHex::as_str).ok(), Some(want_second));
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

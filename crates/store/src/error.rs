//! The error type of `tangguh-store`.

use tangguh_core::JournalError;

/// Why the store could not open, read or write.
///
/// Inside a [`Journal`](tangguh_core::Journal) implementation a `StoreError`
/// becomes a [`JournalError`]: a damaged record becomes
/// [`JournalError::Corrupt`] (same stream and sequence), everything else
/// [`JournalError::Storage`] with the `StoreError` as its source, so a caller
/// holding a `BookError` can still find out that the disk was full.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// Another writer (another process, or another `Store` in this one) holds
    /// the store's writer lock. Nothing was opened.
    #[error("store {path} is locked by another writer{}", holder_note(.holder))]
    Locked {
        /// The database file.
        path: String,
        /// What the lock file says about the holder (e.g. `pid 1234`), if it
        /// could be read.
        holder: Option<String>,
    },
    /// The store was opened read-only, or its file cannot be written.
    #[error("store {path} is read-only")]
    ReadOnly {
        /// The database file.
        path: String,
    },
    /// The disk (or the store's configured size limit) is full. The
    /// transaction was rolled back: nothing was written.
    #[error("store {path} is full: the disk or the configured size limit is reached")]
    DiskFull {
        /// The database file.
        path: String,
    },
    /// A stored record could not be read back or failed its hash check.
    #[error("record {sequence} of stream {stream:?} is damaged: {reason}")]
    Corrupt {
        /// The stream that holds the record.
        stream: String,
        /// The record's sequence number.
        sequence: u64,
        /// What is wrong with it.
        reason: String,
    },
    /// The file is not a readable SQLite database (truncated, overwritten,
    /// or not a store at all).
    #[error("store file {path} is damaged: {reason}")]
    DamagedFile {
        /// The database file.
        path: String,
        /// What SQLite said.
        reason: String,
    },
    /// The file was written by a newer version of this crate.
    #[error("store format {found} is newer than this version reads ({supported})")]
    UnsupportedFormat {
        /// The format version in the file.
        found: u32,
        /// The newest format version this crate reads.
        supported: u32,
    },
    /// A stream name is not usable.
    #[error("invalid stream name {name:?}: {reason}")]
    InvalidStream {
        /// The rejected name (cut to 60 characters).
        name: String,
        /// Why it was refused.
        reason: &'static str,
    },
    /// A snapshot's state could not be turned into JSON.
    #[error("the snapshot state of stream {stream:?} could not be serialised: {message}")]
    Serialize {
        /// The stream the snapshot was for.
        stream: String,
        /// What serde said.
        message: String,
    },
    /// A snapshot names a sequence number the stream has not reached.
    #[error("stream {stream:?} has no record {sequence} to snapshot at (it ends at {last})")]
    SnapshotAhead {
        /// The stream.
        stream: String,
        /// The sequence number asked for.
        sequence: u64,
        /// The stream's last sequence number.
        last: u64,
    },
    /// The operating system refused a file operation.
    #[error("i/o on {path} failed")]
    Io {
        /// The file.
        path: String,
        /// The operating system's error.
        #[source]
        source: std::io::Error,
    },
    /// SQLite failed for another reason.
    #[error("sqlite failed: {message}")]
    Sqlite {
        /// What SQLite said.
        message: String,
    },
    /// PostgreSQL failed (connection, query, transaction).
    #[error("postgresql failed: {message}")]
    Postgres {
        /// What the server or the client said.
        message: String,
    },
}

fn holder_note(holder: &Option<String>) -> String {
    holder.as_ref().map(|h| format!(" ({h})")).unwrap_or_default()
}

impl StoreError {
    /// Maps a rusqlite error on the file at `path` to a store error.
    pub(crate) fn sqlite(path: &str, err: &rusqlite::Error) -> Self {
        use rusqlite::ErrorCode;
        if let rusqlite::Error::SqliteFailure(failure, message) = err {
            let path = path.to_owned();
            match failure.code {
                ErrorCode::DiskFull => return Self::DiskFull { path },
                ErrorCode::ReadOnly => return Self::ReadOnly { path },
                ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked => {
                    return Self::Locked { path, holder: None };
                }
                ErrorCode::DatabaseCorrupt | ErrorCode::NotADatabase => {
                    return Self::DamagedFile {
                        path,
                        reason: message.clone().unwrap_or_else(|| failure.to_string()),
                    };
                }
                ErrorCode::SystemIoFailure | ErrorCode::CannotOpen => {
                    return Self::Io {
                        path,
                        source: std::io::Error::other(
                            message.clone().unwrap_or_else(|| failure.to_string()),
                        ),
                    };
                }
                _ => {}
            }
        }
        Self::Sqlite { message: err.to_string() }
    }

    /// This error as a journal error: damaged records keep their stream and
    /// sequence, everything else is a storage failure with this as source.
    #[must_use]
    pub fn into_journal_error(self) -> JournalError {
        match self {
            Self::Corrupt { stream, sequence, reason } => {
                JournalError::Corrupt { stream, sequence, reason }
            }
            other => {
                JournalError::Storage { message: other.to_string(), source: Some(Box::new(other)) }
            }
        }
    }

    /// A journal error of `stream` as a store error: a damaged record keeps
    /// its sequence (and gets the stream's name if it had none), a storage
    /// failure gives back the store error inside it.
    pub(crate) fn from_journal(err: JournalError, stream: &str) -> Self {
        match err {
            JournalError::Corrupt { stream: s, sequence, reason } => Self::Corrupt {
                stream: if s.is_empty() { stream.to_owned() } else { s },
                sequence,
                reason,
            },
            JournalError::Storage { source: Some(source), message } => {
                match source.downcast::<Self>() {
                    Ok(inner) => *inner,
                    Err(_) => Self::Sqlite { message },
                }
            }
            other => Self::Sqlite { message: other.to_string() },
        }
    }

    /// The store error inside a journal error, if there is one: the
    /// reverse of [`into_journal_error`](Self::into_journal_error), for
    /// callers that hold a [`JournalError`] (or a `BookError` wrapping one).
    #[must_use]
    pub fn from_journal_error(err: &JournalError) -> Option<&Self> {
        match err {
            JournalError::Storage { source: Some(source), .. } => source.downcast_ref::<Self>(),
            _ => None,
        }
    }
}

impl From<StoreError> for JournalError {
    fn from(err: StoreError) -> Self {
        err.into_journal_error()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_lowercase_and_name_the_values() {
        let err = StoreError::Locked { path: "/x.db".into(), holder: Some("pid 7".into()) };
        assert_eq!(err.to_string(), "store /x.db is locked by another writer (pid 7)");
        let err = StoreError::Corrupt { stream: "s".into(), sequence: 3, reason: "bad".into() };
        assert_eq!(err.to_string(), "record 3 of stream \"s\" is damaged: bad");
    }

    #[test]
    fn journal_errors_keep_the_store_error() {
        let err: JournalError = StoreError::DiskFull { path: "/x.db".into() }.into();
        assert!(matches!(StoreError::from_journal_error(&err), Some(StoreError::DiskFull { .. })));
        let err: JournalError =
            StoreError::Corrupt { stream: "s".into(), sequence: 2, reason: "r".into() }.into();
        assert!(matches!(err, JournalError::Corrupt { sequence: 2, .. }));
    }
}

//! The writer lock: an exclusive advisory lock on `<database>.lock`.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read as _, Seek as _, SeekFrom, Write as _};
use std::path::Path;
use std::time::{Duration, Instant};

use crate::error::StoreError;

/// Holds the exclusive lock on a store's lock file until dropped (or until
/// the process dies: the operating system releases it, so a killed writer
/// never leaves a stale lock).
#[derive(Debug)]
pub(crate) struct WriterLock {
    _file: File,
}

impl WriterLock {
    /// Takes the lock on `<db_path>.lock`, waiting at most `wait` for it.
    pub(crate) fn acquire(db_path: &Path, wait: Duration) -> Result<Self, StoreError> {
        let mut lock_path = db_path.as_os_str().to_owned();
        lock_path.push(".lock");
        let lock_path = std::path::PathBuf::from(lock_path);
        let shown = lock_path.display().to_string();
        let io = |source| StoreError::Io { path: shown.clone(), source };
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&lock_path)
            .map_err(io)?;
        let deadline = Instant::now().checked_add(wait);
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(TryLockError::WouldBlock) if deadline.is_some_and(|d| Instant::now() < d) => {
                    std::thread::sleep(Duration::from_millis(10));
                }
                Err(TryLockError::WouldBlock) => {
                    let mut holder = String::new();
                    let holder = file
                        .read_to_string(&mut holder)
                        .ok()
                        .map(|_| holder.trim().to_owned())
                        .filter(|h| !h.is_empty());
                    return Err(StoreError::Locked { path: db_path.display().to_string(), holder });
                }
                Err(TryLockError::Error(source)) => return Err(io(source)),
            }
        }
        // Who holds it, for the message a second writer gets.
        file.set_len(0).map_err(io)?;
        file.seek(SeekFrom::Start(0)).map_err(io)?;
        write!(file, "pid {}", std::process::id()).map_err(io)?;
        Ok(Self { _file: file })
    }
}

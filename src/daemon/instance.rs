//! One daemon per database: `jobhound run` holds an OS file lock on
//! `<database>.lock` (with its pid written inside) for as long as it runs. A
//! second `run` on the same database is refused at once, naming the first;
//! `fetch` and the read commands take no such lock and may run beside it.
//! The lock dies with the process, so a daemon killed with SIGKILL never
//! blocks its restart.

use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

/// The held lock; released when dropped (or when the process ends, however).
#[derive(Debug)]
pub struct Instance {
    _file: File,
}

/// Another `jobhound run` holds the database.
#[derive(Debug, thiserror::Error)]
#[error(
    "another `jobhound run` (pid {pid}) is already running on the database {}; stop it first \
     (`jobhound fetch` and read commands may run beside it)",
    database.display()
)]
pub struct AlreadyRunning {
    /// The running instance's pid, as it wrote it ("unknown" if it had not yet).
    pub pid: String,
    /// The database it runs on.
    pub database: PathBuf,
}

/// The lock file of the database at `database`: `<database>.lock` beside it.
pub fn lock_path(database: &Path) -> PathBuf {
    let mut name = database.file_name().unwrap_or_default().to_os_string();
    name.push(".lock");
    database.with_file_name(name)
}

/// Takes the database's instance lock, or says who holds it.
pub fn acquire(database: &Path) -> anyhow::Result<Instance> {
    use anyhow::Context as _;
    let path = lock_path(database);
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("cannot create the directory {}", dir.display()))?;
    }
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .with_context(|| format!("cannot open the lock file {}", path.display()))?;
    match file.try_lock() {
        Ok(()) => {
            let write = |f: &mut File| -> std::io::Result<()> {
                f.set_len(0)?;
                f.rewind()?;
                writeln!(f, "{}", std::process::id())?;
                f.sync_data()
            };
            write(&mut file)
                .with_context(|| format!("cannot write the lock file {}", path.display()))?;
            Ok(Instance { _file: file })
        }
        Err(TryLockError::WouldBlock) => {
            let mut text = String::new();
            let _ = file.read_to_string(&mut text);
            let pid = text.trim();
            let pid = if !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()) {
                pid.to_string()
            } else {
                "unknown".to_string()
            };
            Err(AlreadyRunning {
                pid,
                database: database.to_path_buf(),
            }
            .into())
        }
        Err(TryLockError::Error(e)) => {
            Err(e).with_context(|| format!("cannot lock {}", path.display()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_second_holder_is_refused_with_the_first_ones_pid_until_it_lets_go() {
        let dir = tempfile::tempdir().expect("tempdir");
        let db = dir.path().join("state").join("jobhound.db");
        assert_eq!(lock_path(&db), dir.path().join("state/jobhound.db.lock"));
        let first = acquire(&db).expect("first");
        let err = acquire(&db).expect_err("second is refused");
        let running = err.downcast_ref::<AlreadyRunning>().expect("typed");
        assert_eq!(running.pid, std::process::id().to_string());
        assert!(
            err.to_string()
                .contains(&format!("pid {}", std::process::id())),
            "{err}"
        );
        drop(first);
        acquire(&db).expect("free again once the first lets go");
    }
}

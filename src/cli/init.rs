//! `jobhound init [PATH]`: write the commented starter config.

use std::io::Write;
use std::path::Path;

use anyhow::Context;

use super::{CliError, Exit};
use crate::config::EXAMPLE;

/// Writes the example config to `path` (default `./jobhound.toml`), never over an existing file.
pub fn run(path: Option<&Path>) -> Result<Exit, CliError> {
    let path = path.unwrap_or(Path::new("jobhound.toml"));
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    let mut file = match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
    {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            return Err(CliError::new(
                Exit::Failure,
                anyhow::anyhow!("{} already exists; not overwriting it", path.display()),
            ));
        }
        Err(e) => {
            return Err(anyhow::Error::new(e)
                .context(format!("cannot create {}", path.display()))
                .into());
        }
    };
    file.write_all(EXAMPLE.as_bytes())
        .with_context(|| format!("cannot write {}", path.display()))?;
    outln!("wrote {}", path.display())?;
    outln!(
        "next: edit it, then `jobhound check-config --config {0}` and `jobhound run --config {0}`",
        path.display()
    )?;
    Ok(Exit::Ok)
}

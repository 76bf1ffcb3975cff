//! `errdex cache path|clear`: the persistent index's directory (it needs no configuration).

use super::exit;
use crate::cli::CacheAction;
use std::io::Write;

/// `errdex cache path|clear`.
pub fn run(
    action: &CacheAction,
    out: &mut impl Write,
    err: &mut impl Write,
) -> std::io::Result<u8> {
    let Some(dir) = crate::config::paths::cache_dir() else {
        writeln!(err, "errdex: this system has no cache directory")?;
        return Ok(exit::PROBLEMS);
    };
    match action {
        CacheAction::Path => writeln!(out, "{}", dir.display())?,
        CacheAction::Clear => {
            let mut removed = 0;
            if let Ok(entries) = std::fs::read_dir(&dir) {
                for entry in entries.flatten() {
                    let path = entry.path();
                    // Only what errdex writes there: index files and their temporary twins.
                    let ours = path
                        .file_name()
                        .and_then(|n| n.to_str())
                        .is_some_and(|n| n.ends_with(".idx") || n.contains(".tmp."));
                    if ours && std::fs::remove_file(&path).is_ok() {
                        removed += 1;
                    }
                }
            }
            writeln!(out, "removed {removed} index files from {}", dir.display())?;
        }
    }
    Ok(exit::OK)
}

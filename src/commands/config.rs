//! `errdex config path` and `errdex config init`: where the configuration file is, and a commented default.

use super::exit;
use std::io::Write;
use std::path::Path;

/// Prints the file in effect (`--config`, `ERRDEX_CONFIG`, or the platform's default), existing or not.
pub fn path(
    file: Option<&Path>,
    out: &mut impl Write,
    err: &mut impl Write,
) -> std::io::Result<u8> {
    match file {
        Some(p) => {
            writeln!(out, "{}", p.display())?;
            Ok(exit::OK)
        }
        None => {
            writeln!(
                err,
                "errdex: no home directory, so no configuration file; use --config FILE"
            )?;
            Ok(exit::USAGE)
        }
    }
}

/// Writes the commented default to `file`, creating its directory; an existing file is kept unless `force`.
pub fn init(
    file: Option<&Path>,
    force: bool,
    out: &mut impl Write,
    err: &mut impl Write,
) -> std::io::Result<u8> {
    let Some(file) = file else {
        return path(None, out, err);
    };
    if file.exists() && !force {
        writeln!(
            err,
            "errdex: {} already exists; left as it is (--force overwrites it)",
            file.display()
        )?;
        return Ok(exit::PROBLEMS);
    }
    if let Some(dir) = file.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(file, crate::config::TEMPLATE)?;
    writeln!(out, "{}", file.display())?;
    Ok(exit::OK)
}

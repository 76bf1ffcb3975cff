//! `errdex outcomes`: the user's "worked for me" marks, exported for a catalogue's maintainers, and where they
//! are kept.

use super::error::CommandError;
use super::exit;
use crate::outcomes;
use std::io::Write;
use std::path::Path;

/// Prints the marks in effect as a JSON array (record id, item, outcome, errdex version, date). A file with
/// unreadable lines is set aside as the browser does, and said on `err`.
pub fn export(
    path: Option<&Path>,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<u8, CommandError> {
    let Some(path) = path else {
        writeln!(out, "[]")?;
        return Ok(exit::OK);
    };
    let loaded = outcomes::load(path)?;
    if let Some((aside, line, why)) = &loaded.set_aside {
        writeln!(
            err,
            "errdex: {}: line {line} does not read ({why}); kept as {}",
            path.display(),
            aside.display()
        )?;
    }
    serde_json::to_writer_pretty(&mut *out, &loaded.marks.all()).map_err(std::io::Error::from)?;
    writeln!(out)?;
    Ok(exit::OK)
}

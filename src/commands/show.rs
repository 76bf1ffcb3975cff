//! `errdex show ID`: one record, as text in the chosen language or as JSON.

use super::exit;
use crate::catalog::{Catalog, Lang};
use crate::i18n::t;
use crate::report::{self, Detail, Style};
use crate::text::sanitize_line;
use std::io::Write;

pub fn run(
    catalog: &Catalog,
    id: &str,
    json: bool,
    lang: Lang,
    style: Style,
    out: &mut impl Write,
    err: &mut impl Write,
) -> std::io::Result<u8> {
    let Some(record) = catalog.get(id) else {
        write!(
            err,
            "errdex: {} `{}`",
            t(lang, "cli.no_record"),
            sanitize_line(id)
        )?;
        let near = nearest_ids(catalog, id, NEAREST);
        if !near.is_empty() {
            write!(
                err,
                "; {}: {}",
                t(lang, "cli.did_you_mean"),
                near.join(", ")
            )?;
        }
        writeln!(err)?;
        return Ok(exit::PROBLEMS);
    };
    if json {
        writeln!(
            out,
            "{}",
            crate::text::json_for_terminal(
                &serde_json::to_string_pretty(record).unwrap_or_default()
            )
        )?;
    } else {
        write!(out, "{}", report::record(record, lang, style, Detail::Full))?;
    }
    Ok(exit::OK)
}

/// How many ids "did you mean" names.
pub const NEAREST: usize = 3;

/// Ids that contain what was asked (or its last part), for a helpful "did you mean".
pub fn nearest_ids(catalog: &Catalog, id: &str, n: usize) -> Vec<String> {
    let near = near(id);
    catalog
        .iter()
        .map(|r| &r.id)
        .filter(|i| near(i))
        .take(n)
        .map(|i| sanitize_line(i).into_owned())
        .collect()
}

/// Whether a record's id comes near `id`: it contains `id`, or its last part.
pub fn near(id: &str) -> impl Fn(&str) -> bool {
    let want = id.to_lowercase();
    let tail = want.rsplit('/').next().unwrap_or(&want).to_string();
    move |i| {
        let i = i.to_lowercase();
        !tail.is_empty() && (i.contains(&want) || i.contains(&tail))
    }
}

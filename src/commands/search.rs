//! `errdex search QUERY`: the browser's fuzzy search from the command line.

use super::exit;
use crate::catalog::localized::Field;
use crate::catalog::{Lang, Record};
use crate::report::Style;
use crate::search::fuzzy::{Query, positions};
use crate::text::{json_for_terminal, percent, sanitize_line, truncate, width};
use std::io::Write;

/// Prints `hits` (records and scores, best first) found for `query`.
pub fn run(
    hits: &[(Record, i64)],
    query: &Query,
    json: bool,
    lang: Lang,
    style: Style,
    out: &mut impl Write,
) -> std::io::Result<u8> {
    if json {
        let items: Vec<serde_json::Value> = hits
            .iter()
            .map(|(r, score)| crate::report::json::search_hit(r, *score, Lang::En))
            .collect();
        writeln!(
            out,
            "{}",
            json_for_terminal(&serde_json::to_string_pretty(&items).unwrap_or_default())
        )?;
    } else {
        let id_width = hits
            .iter()
            .map(|(r, _)| width(&r.id))
            .max()
            .unwrap_or(0)
            .min(48);
        for (r, _) in hits {
            let id = truncate(&sanitize_line(&r.id), id_width).into_owned();
            let pad = " ".repeat(id_width.saturating_sub(width(&id)));
            let sig = r.text(Field::Signature, lang).map_or("", |l| l.text);
            let sig = crate::text::clip(sig, 500);
            let positions = if style.color {
                positions(r, query, lang)
            } else {
                Vec::new()
            };
            let sig = highlight(&sanitize_line(&sig), &positions, style);
            let rate = r
                .fix_success_rate
                .map(|x| format!("  {}", percent(x)))
                .unwrap_or_default();
            writeln!(
                out,
                "{}{pad}  {sig}{}",
                style.heading(&id),
                style.dim(&rate)
            )?;
        }
    }
    Ok(if hits.is_empty() {
        exit::PROBLEMS
    } else {
        exit::OK
    })
}

/// Matched characters in bold yellow when colour is on.
fn highlight(text: &str, positions: &[usize], style: Style) -> String {
    if !style.color || positions.is_empty() {
        return text.to_string();
    }
    text.chars()
        .enumerate()
        .map(|(i, c)| {
            if positions.contains(&i) {
                format!("\x1b[1;33m{c}\x1b[0m")
            } else {
                c.to_string()
            }
        })
        .collect()
}

//! `errdex lookup [MESSAGE]`: the records that explain an error message or a log, best first.

use super::exit;
use crate::catalog::{Catalog, Lang};
use crate::report::{self, Detail, Style};
use crate::search::lookup::{LookupEnv, LookupIndex, MatchKind};
use crate::text::{json_for_terminal, sanitize_line};
use std::io::Write;

/// What `run` looks up: the message argument, or standard input when it is absent or `-`.
pub fn message_from(arg: Option<&str>, err: &mut impl Write) -> std::io::Result<String> {
    match arg {
        Some(m) if m != "-" => Ok(m.to_string()),
        _ => {
            let (text, cut) = crate::stdin::read_capped(std::io::stdin().lock())?;
            if cut {
                writeln!(
                    err,
                    "errdex: standard input was cut at 1 MiB; looking up the first 1 MiB"
                )?;
            }
            Ok(text)
        }
    }
}

/// How a lookup runs and prints.
#[derive(Debug, Clone)]
pub struct Options {
    pub json: bool,
    pub limit: usize,
    pub lang: Lang,
    pub style: Style,
    pub env: LookupEnv,
}

pub fn run(
    catalog: &Catalog,
    message: &str,
    o: &Options,
    out: &mut impl Write,
    err: &mut impl Write,
) -> std::io::Result<u8> {
    let (json, limit, lang, style) = (o.json, o.limit, o.lang, o.style);
    // Never freed, as the catalogue: the process ends right after, and freeing took 8% of a corpus lookup.
    let index = std::mem::ManuallyDrop::new(LookupIndex::for_message(catalog, message));
    // The exit code speaks of every match, not only the ones `--limit` lets through.
    let mut hits = index.lookup_in(catalog, message, usize::MAX, &o.env);
    let any_regex = hits.iter().any(|h| h.kind == MatchKind::Regex);
    hits.truncate(limit);
    if json {
        let items: Vec<serde_json::Value> = hits
            .iter()
            .enumerate()
            .map(|(rank, h)| {
                // English whatever --lang says: scripts read these fields, and `signature_zh` has the Chinese.
                report::json::hit(&catalog[h.index], message, rank, h, Lang::En, 3)
            })
            .collect();
        let text = serde_json::to_string_pretty(&items).unwrap_or_default();
        writeln!(out, "{}", json_for_terminal(&text))?;
    } else if !hits.first().is_some_and(|h| h.kind.answers()) {
        writeln!(err, "errdex: no record matches this message")?;
        if !hits.is_empty() {
            // Not answers: said so before any of them, and kept to one line each.
            writeln!(
                out,
                "{}",
                style.heading(
                    "nearest, unrelated? (no record matches; these only share words with it)"
                )
            )?;
            for h in &hits {
                let r = &catalog[h.index];
                writeln!(
                    out,
                    "  {}  {}  {}",
                    sanitize_line(&r.id),
                    style.dim(&sanitize_line(&r.signature)),
                    style.dim(&format!("similarity {:.2}", h.parts.similarity))
                )?;
            }
        }
    } else {
        for (rank, h) in hits.iter().enumerate() {
            let r = &catalog[h.index];
            let how = match h.kind {
                MatchKind::Regex => style.good("regex match"),
                MatchKind::Approximate => style.dim("≈ approximate (no regex matched)"),
                MatchKind::Nearest => style.dim("nearest, unrelated?"),
            };
            if rank > 0 {
                writeln!(out, "\n{}", style.dim(&"─".repeat(60)))?;
            }
            writeln!(out, "#{} {how} · score {:.2}", rank + 1, h.score)?;
            write!(
                out,
                "{}",
                report::record(r, lang, style, Detail::Summary(2))
            )?;
        }
    }
    Ok(if any_regex { exit::OK } else { exit::PROBLEMS })
}

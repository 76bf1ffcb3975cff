//! One raw JSON object to one record: format detection, duplicate keys, required fields, regex syntax.

use super::diagnostic::{Diagnostic, Position};
use super::environment::RecordEnvironment;
use super::record::Record;
use super::source::{Fields, Text};
use super::{canon, lean, seed};
use serde_json::value::RawValue;

pub use super::regex_facts::REGEX_NEST_LIMIT;

/// Parses one object. `Err` means the record is unusable and skipped; warnings go to `diagnostics` either way.
pub fn record(
    text: &Text,
    raw: &str,
    check_regex: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<(Record, Position), Diagnostic> {
    read_record(text, raw, lean::parse(raw), check_regex, diagnostics)
}

/// `record`, given what `lean::parse` made of `raw` already.
pub fn read_record(
    text: &Text,
    raw: &str,
    lean: Option<lean::Lean>,
    check_regex: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<(Record, Position), Diagnostic> {
    match lean {
        Some(lean) => {
            let at = text.position(text.offset_of(raw.trim_start()));
            Ok(checked(lean.into_record(), at, check_regex, diagnostics))
        }
        None => match canon::quick(raw) {
            Some(r) => {
                let at = text.position(text.offset_of(raw.trim_start()));
                finish(r, at, check_regex, diagnostics)
            }
            None => general(text, raw, check_regex, diagnostics),
        },
    }
}

/// `record` for any object, lean or not: the fields taken apart raw first, for exact positions.
pub(crate) fn general(
    text: &Text,
    raw: &str,
    check_regex: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<(Record, Position), Diagnostic> {
    let at = text.position(text.offset_of(raw.trim_start()));
    let mut fields = Fields::of(text, raw)?.fields;
    dedupe_keys(text, &mut fields, diagnostics);
    let r = if canon::is_canon(&fields) {
        canon::record(text, &fields, diagnostics)?
    } else {
        seed::record(text, &fields, diagnostics)?
    };
    finish(r, at, check_regex, diagnostics)
}

/// A record read from its fields: refused without its required fields, its domain and environment filled in.
fn finish(
    mut r: Record,
    at: Position,
    check_regex: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<(Record, Position), Diagnostic> {
    let missing: Vec<&str> = [
        ("id", &r.id),
        ("signature", &r.signature),
        ("regex", &r.regex),
    ]
    .into_iter()
    .filter(|(_, v)| v.trim().is_empty())
    .map(|(k, _)| k)
    .collect();
    if !missing.is_empty() {
        let what = if missing.len() == 1 {
            "field"
        } else {
            "fields"
        };
        return Err(Diagnostic::error(
            &at,
            format!(
                "record is missing required {what} `{}`",
                missing.join("`, `")
            ),
        ));
    }
    if r.domain.as_deref().is_none_or(str::is_empty) {
        r.domain = r.id.split_once('/').map(|(d, _)| d.to_string());
    }
    let d = r.details();
    r.environment = RecordEnvironment::of(&r.id, r.domain(), &d.tags, &d.extra);
    Ok(checked(r, at, check_regex, diagnostics))
}

/// The warning for a record whose regex does not compile, if it does not.
pub fn regex_warning(id: &str, regex: &str, at: &Position) -> Option<Diagnostic> {
    let e = regex_syntax::ParserBuilder::new()
        .nest_limit(REGEX_NEST_LIMIT)
        .build()
        .parse(regex)
        .err()?;
    Some(Diagnostic::warning(
        at,
        format!(
            "record `{id}`: regex does not compile: {}",
            one_line(&e.to_string())
        ),
    ))
}

/// The record, after a warning when its regex does not compile (if asked to check).
fn checked(
    r: Record,
    at: Position,
    check_regex: bool,
    diagnostics: &mut Vec<Diagnostic>,
) -> (Record, Position) {
    if check_regex {
        diagnostics.extend(regex_warning(&r.id, &r.regex, &at));
    }
    (r, at)
}

/// JSON leaves duplicate keys undefined; we keep the first, as we do for duplicate ids, and say so.
fn dedupe_keys(
    text: &Text,
    fields: &mut Vec<(std::borrow::Cow<str>, &RawValue)>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    // Records have a few dozen keys: comparing with the ones kept so far beats hashing them, up to a
    // point (a hostile object may have millions).
    let mut seen = (fields.len() > 32).then(std::collections::HashSet::<String>::new);
    let mut kept = 0;
    for i in 0..fields.len() {
        let duplicate = match &mut seen {
            Some(seen) => !seen.insert(fields[i].0.to_string()),
            None => fields[..kept].iter().any(|(k, _)| *k == fields[i].0),
        };
        if duplicate {
            let (k, raw) = &fields[i];
            diagnostics.push(Diagnostic::warning(
                &text.position(text.offset_of(raw.get())),
                format!("duplicate key `{k}`: the first one is kept"),
            ));
        } else {
            fields.swap(kept, i);
            kept += 1;
        }
    }
    fields.truncate(kept);
}

/// regex-syntax errors span several lines (pattern, caret, message); diagnostics are one line each.
pub fn one_line(s: &str) -> String {
    let message = s
        .lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or(s)
        .trim();
    message
        .strip_prefix("error: ")
        .unwrap_or(message)
        .to_string()
}

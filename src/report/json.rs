//! Records as JSON for programs (`lookup --json`, `search --json`, the MCP server), in the chosen language.
//!
//! One shape for a lookup hit and one for a search hit, so the CLI and the MCP tools cannot drift apart. Text
//! fields go through `report::loc`: sanitized, and in Chinese marked `[英]` where the record has no Chinese.

use super::{Style, loc};
use crate::catalog::localized::Field;
use crate::catalog::{Lang, Record};
use crate::search::lookup::LookupHit;
use crate::text::{sanitize, sanitize_line};
use serde_json::{Value, json};

const PLAIN: Style = Style { color: false };

/// Field `f` of `r` in `lang`: sanitized, marked when it fell back to English.
pub fn text(r: &Record, f: Field, lang: Lang) -> Option<String> {
    r.text(f, lang).map(|l| loc(PLAIN, lang, l))
}

/// The first `n` dead ends: what not to try, why it fails and how often.
pub fn dead_ends(r: &Record, lang: Lang, n: usize) -> Vec<Value> {
    (0..r.details().dead_ends.len().min(n))
        .map(|i| {
            json!({
                "action": text(r, Field::DeadEndAction(i), lang),
                "why_fails": text(r, Field::DeadEndWhy(i), lang),
                "fail_rate": r.details().dead_ends[i].fail_rate,
                "condition": text(r, Field::DeadEndCondition(i), lang),
            })
        })
        .collect()
}

/// The first `n` workarounds: what to do, the commands (`how`) and how often it works.
pub fn workarounds(r: &Record, lang: Lang, n: usize) -> Vec<Value> {
    (0..r.details().workarounds.len().min(n))
        .map(|i| {
            json!({
                "action": text(r, Field::WorkaroundAction(i), lang),
                "how": text(r, Field::WorkaroundHow(i), lang),
                "success_rate": r.details().workarounds[i].success_rate,
                "condition": text(r, Field::WorkaroundCondition(i), lang),
            })
        })
        .collect()
}

/// A lookup hit ranked `rank` (from 0) for `message`, with the record's first `items` dead ends and
/// workarounds.
pub fn hit(
    r: &Record,
    message: &str,
    rank: usize,
    h: &LookupHit,
    lang: Lang,
    items: usize,
) -> Value {
    json!({
        "rank": rank + 1,
        "id": sanitize_line(&r.id),
        "domain": sanitize_line(r.domain()),
        "signature": text(r, Field::Signature, lang),
        "signature_zh": r.text(Field::Signature, Lang::Zh).filter(|l| !l.fell_back).map(|l| sanitize_line(l.text)),
        "score": (h.score * 1000.0).round() / 1000.0,
        "match": h.kind,
        "score_parts": score_parts(h),
        "matched_text": h.matched.clone().and_then(|m| message.get(m)).map(sanitize_line),
        "root_cause": text(r, Field::RootCause, lang),
        "fix_success_rate": r.fix_success_rate,
        "resolvable": r.details().resolvable.map(|v| v.key()),
        "dead_ends": dead_ends(r, lang, items),
        "workarounds": workarounds(r, lang, items),
        "official_doc_url": r.details().official_doc_url.as_deref().map(sanitize_line),
    })
}

/// What a hit's score is made of (rounded to 3 places): regex literalness, line weight, coverage,
/// similarity, closeness and environment fit.
fn score_parts(h: &LookupHit) -> Value {
    let p = &h.parts;
    let r = |x: f64| (x * 1000.0).round() / 1000.0;
    json!({
        "regex": r(p.regex),
        "line_weight": r(p.line_weight),
        "coverage": r(p.coverage),
        "similarity": r(p.similarity),
        "closeness": r(p.closeness),
        "environment": r(p.environment),
    })
}

/// A fuzzy search hit.
pub fn search_hit(r: &Record, score: i64, lang: Lang) -> Value {
    json!({
        "id": sanitize_line(&r.id),
        "domain": sanitize_line(r.domain()),
        "signature": text(r, Field::Signature, lang),
        "signature_zh": r.signature_zh.as_deref().map(sanitize_line),
        "score": score,
        "match": "approximate",
        "fix_success_rate": r.fix_success_rate,
    })
}

/// `value` with every string (and key) sanitized: for JSON built from a record's raw fields.
pub fn sanitized(value: Value) -> Value {
    match value {
        Value::String(s) => Value::String(sanitize(&s).into_owned()),
        Value::Array(items) => Value::Array(items.into_iter().map(sanitized).collect()),
        Value::Object(map) => Value::Object(
            map.into_iter()
                .map(|(k, v)| (sanitize_line(&k).into_owned(), sanitized(v)))
                .collect(),
        ),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitized_cleans_strings_and_keys_at_any_depth() {
        let v =
            json!({"a\u{1b}[31m": ["x\u{9b}2Jy", {"k": "\u{202e}z\u{7}"}], "n": 1.5, "b": null});
        assert_eq!(
            sanitized(v),
            json!({"a": ["xy", {"k": "z"}], "n": 1.5, "b": null})
        );
    }

    #[test]
    fn chinese_text_falls_back_to_marked_english() {
        let mut r = Record::new("x/y", "boom", "boom");
        r.signature_zh = Some("爆炸".into());
        r.details_mut().root_cause = Some("because\u{1b}]52;c;AAAA\u{7}".into());
        assert_eq!(
            text(&r, Field::Signature, Lang::Zh).as_deref(),
            Some("爆炸")
        );
        assert_eq!(
            text(&r, Field::RootCause, Lang::Zh).as_deref(),
            Some("[英] because")
        );
        assert_eq!(
            text(&r, Field::RootCause, Lang::En).as_deref(),
            Some("because")
        );
    }
}

//! The seed format: flat JSON, English fields with `_zh` twins (see `seeds/docker/exec-format-error-arm64.json`).

use super::diagnostic::Diagnostic;
use super::fields::{graph, list, map, optional, rate, value};
use super::record::Record;
use super::source::Text;
use serde_json::value::RawValue;
use std::borrow::Cow;

/// Builds a record from a seed object's fields. Unknown fields are kept in `extra`. Only the required fields
/// are strict; a bad value elsewhere is dropped with a warning (see `fields`).
pub fn record(
    text: &Text,
    fields: &[(Cow<str>, &RawValue)],
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Record, Diagnostic> {
    let mut r = Record::new("", "", "");
    for (key, raw) in fields {
        let (k, raw) = (key.as_ref(), *raw);
        let d = &mut *diagnostics;
        match k {
            "id" => r.id = value(text, k, raw)?,
            "signature" => r.signature = value(text, k, raw)?,
            "regex" => r.regex = value(text, k, raw)?,
            "signature_zh" => r.signature_zh = optional(text, k, raw, d),
            "domain" => r.domain = optional(text, k, raw, d),
            "category" => r.category = optional(text, k, raw, d),
            "subcategory" => r.subcategory = optional(text, k, raw, d),
            "root_cause" => r.root_cause = optional(text, k, raw, d),
            "root_cause_type" => r.root_cause_type = optional(text, k, raw, d),
            "root_cause_zh" => r.root_cause_zh = optional(text, k, raw, d),
            "versions" => r.versions = list(text, k, raw, d),
            "os_specific" => r.os_specific = map(text, k, raw, d),
            "dead_ends" => r.dead_ends = list(text, k, raw, d),
            "dead_ends_zh" => r.dead_ends_zh = list(text, k, raw, d),
            "workarounds" => r.workarounds = list(text, k, raw, d),
            "workarounds_zh" => r.workarounds_zh = list(text, k, raw, d),
            "transition_graph" => r.transition_graph = graph(text, k, raw, d),
            "official_doc_url" => r.official_doc_url = optional(text, k, raw, d),
            "official_doc_section" => r.official_doc_section = optional(text, k, raw, d),
            "error_code" => r.error_code = optional(text, k, raw, d),
            "verification_tier" => r.verification_tier = optional(text, k, raw, d),
            "confidence" => r.confidence = rate(text, k, raw, d),
            "fix_success_rate" => r.fix_success_rate = rate(text, k, raw, d),
            "resolvable" => r.resolvable = optional(text, k, raw, d),
            "first_seen" => r.first_seen = optional(text, k, raw, d),
            "last_confirmed" => r.last_confirmed = optional(text, k, raw, d),
            "last_updated" => r.last_updated = optional(text, k, raw, d),
            "evidence_count" => r.evidence_count = optional(text, k, raw, d),
            "tags" => r.tags = list(text, k, raw, d),
            "locale" => r.locale = optional(text, k, raw, d),
            "aliases" => r.aliases = list(text, k, raw, d),
            "sources" => r.sources = list(text, k, raw, d),
            _ => {
                r.extra.insert(k.to_string(), value(text, k, raw)?);
            }
        }
    }
    Ok(r)
}

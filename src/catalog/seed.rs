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
            "root_cause" => r.details_mut().root_cause = optional(text, k, raw, d),
            "root_cause_type" => r.details_mut().root_cause_type = optional(text, k, raw, d),
            "root_cause_zh" => r.details_mut().root_cause_zh = optional(text, k, raw, d),
            "versions" => r.details_mut().versions = list(text, k, raw, d),
            "os_specific" => r.details_mut().os_specific = map(text, k, raw, d),
            "dead_ends" => r.details_mut().dead_ends = list(text, k, raw, d),
            "dead_ends_zh" => r.details_mut().dead_ends_zh = list(text, k, raw, d),
            "workarounds" => r.details_mut().workarounds = list(text, k, raw, d),
            "workarounds_zh" => r.details_mut().workarounds_zh = list(text, k, raw, d),
            "transition_graph" => r.details_mut().transition_graph = graph(text, k, raw, d),
            "official_doc_url" => r.details_mut().official_doc_url = optional(text, k, raw, d),
            "official_doc_section" => {
                r.details_mut().official_doc_section = optional(text, k, raw, d)
            }
            "error_code" => r.details_mut().error_code = optional(text, k, raw, d),
            "verification_tier" => r.verification_tier = optional(text, k, raw, d),
            "confidence" => r.confidence = rate(text, k, raw, d),
            "fix_success_rate" => r.fix_success_rate = rate(text, k, raw, d),
            "resolvable" => r.details_mut().resolvable = optional(text, k, raw, d),
            "first_seen" => r.details_mut().first_seen = optional(text, k, raw, d),
            "last_confirmed" => r.details_mut().last_confirmed = optional(text, k, raw, d),
            "last_updated" => r.last_updated = optional(text, k, raw, d),
            "evidence_count" => r.details_mut().evidence_count = optional(text, k, raw, d),
            "tags" => r.details_mut().tags = list(text, k, raw, d),
            "locale" => r.details_mut().locale = optional(text, k, raw, d),
            "aliases" => r.aliases = list(text, k, raw, d),
            "sources" => r.details_mut().sources = list(text, k, raw, d),
            _ => {
                r.details_mut()
                    .extra
                    .insert(k.to_string(), value(text, k, raw)?);
            }
        }
    }
    Ok(r)
}

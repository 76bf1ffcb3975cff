//! The seed format: flat JSON, English fields with `_zh` twins (see `seeds/docker/exec-format-error-arm64.json`).

use super::diagnostic::Diagnostic;
use super::fields::{list, map, value};
use super::record::Record;
use super::source::Text;
use serde_json::value::RawValue;
use std::borrow::Cow;

/// Builds a record from a seed object's fields. Unknown fields are kept in `extra`.
pub fn record(text: &Text, fields: &[(Cow<str>, &RawValue)]) -> Result<Record, Diagnostic> {
    let mut r = Record::new("", "", "");
    for (key, raw) in fields {
        let (k, raw) = (key.as_ref(), *raw);
        match k {
            "id" => r.id = value(text, k, raw)?,
            "signature" => r.signature = value(text, k, raw)?,
            "signature_zh" => r.signature_zh = value(text, k, raw)?,
            "regex" => r.regex = value(text, k, raw)?,
            "domain" => r.domain = value(text, k, raw)?,
            "category" => r.category = value(text, k, raw)?,
            "subcategory" => r.subcategory = value(text, k, raw)?,
            "root_cause" => r.root_cause = value(text, k, raw)?,
            "root_cause_type" => r.root_cause_type = value(text, k, raw)?,
            "root_cause_zh" => r.root_cause_zh = value(text, k, raw)?,
            "versions" => r.versions = list(text, k, raw)?,
            "os_specific" => r.os_specific = map(text, k, raw)?,
            "dead_ends" => r.dead_ends = list(text, k, raw)?,
            "dead_ends_zh" => r.dead_ends_zh = list(text, k, raw)?,
            "workarounds" => r.workarounds = list(text, k, raw)?,
            "workarounds_zh" => r.workarounds_zh = list(text, k, raw)?,
            "transition_graph" => {
                r.transition_graph = value::<Option<_>>(text, k, raw)?.unwrap_or_default()
            }
            "official_doc_url" => r.official_doc_url = value(text, k, raw)?,
            "official_doc_section" => r.official_doc_section = value(text, k, raw)?,
            "error_code" => r.error_code = value(text, k, raw)?,
            "verification_tier" => r.verification_tier = value(text, k, raw)?,
            "confidence" => r.confidence = value(text, k, raw)?,
            "fix_success_rate" => r.fix_success_rate = value(text, k, raw)?,
            "resolvable" => r.resolvable = value(text, k, raw)?,
            "first_seen" => r.first_seen = value(text, k, raw)?,
            "last_confirmed" => r.last_confirmed = value(text, k, raw)?,
            "last_updated" => r.last_updated = value(text, k, raw)?,
            "evidence_count" => r.evidence_count = value(text, k, raw)?,
            "tags" => r.tags = list(text, k, raw)?,
            "locale" => r.locale = value(text, k, raw)?,
            "aliases" => r.aliases = list(text, k, raw)?,
            _ => {
                r.extra.insert(k.to_string(), value(text, k, raw)?);
            }
        }
    }
    Ok(r)
}

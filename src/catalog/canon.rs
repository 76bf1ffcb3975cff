//! The public deadends.dev "canon" format (schema_version 1.0.0), mapped onto the record model:
//! `error.*` gives signature, regex and dates; `verdict.summary` the root cause; `environment` the versions and
//! OS notes; `metadata.review_status` the verification tier; `url` the source link (kept as `url`).
//! `environment` and `metadata` are also kept whole, and unmapped keys of `error` and `verdict` are kept, so
//! nothing read is lost.

use super::diagnostic::Diagnostic;
use super::fields::{Lenient, graph, item, list, value};
use super::record::{Format, Record, Resolvable, Version};
use super::source::Text;
use serde::Deserialize;
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use std::borrow::Cow;

/// Whether an object's fields look like a canon rather than a seed record.
pub fn is_canon(fields: &[(Cow<str>, &RawValue)]) -> bool {
    fields
        .iter()
        .any(|(k, raw)| k == "schema_version" || (k == "error" && raw.get().starts_with('{')))
}

#[derive(Deserialize)]
struct ErrorPart {
    signature: Option<String>,
    regex: Option<String>,
    domain: Option<String>,
    category: Option<String>,
    subcategory: Option<String>,
    first_seen: Option<String>,
    last_confirmed: Option<String>,
    #[serde(flatten)]
    extra: Map<String, Value>,
}

#[derive(Deserialize)]
struct VerdictPart {
    resolvable: Option<Resolvable>,
    fix_success_rate: Option<f64>,
    confidence: Option<f64>,
    last_updated: Option<String>,
    summary: Option<String>,
    #[serde(flatten)]
    extra: Map<String, Value>,
}

#[derive(Deserialize)]
struct MetadataPart {
    review_status: Option<String>,
    evidence_count: Option<u64>,
}

#[derive(Deserialize)]
struct EnvironmentPart {
    runtime: Option<Runtime>,
    os: Option<String>,
    python: Option<String>,
    framework: Option<String>,
    hardware: Option<Map<String, Value>>,
}

#[derive(Deserialize)]
struct Runtime {
    name: Option<String>,
    version_range: Option<String>,
}

/// Builds a record from a canon's fields. `id`, `error.signature` and `error.regex` are strict; a bad value
/// elsewhere is dropped with a warning (see `fields`).
pub fn record(
    text: &Text,
    fields: &[(Cow<str>, &RawValue)],
    diagnostics: &mut Vec<Diagnostic>,
) -> Result<Record, Diagnostic> {
    let mut r = Record::new("", "", "");
    r.format = Format::Canon;
    for (key, raw) in fields {
        let (k, raw) = (key.as_ref(), *raw);
        let d = &mut *diagnostics;
        match k {
            "id" => r.id = value(text, k, raw)?,
            "error" => {
                let Some(e) = item::<ErrorPart>(text, &k, raw, d) else {
                    continue;
                };
                r.signature = e.signature.unwrap_or_default();
                r.regex = e.regex.unwrap_or_default();
                r.domain = e.domain;
                r.category = e.category;
                r.subcategory = e.subcategory;
                r.details_mut().first_seen = e.first_seen;
                r.details_mut().last_confirmed = e.last_confirmed;
                keep_rest(&mut r, k, e.extra);
            }
            "verdict" => {
                let Some(v) = item::<VerdictPart>(text, &k, raw, d) else {
                    continue;
                };
                r.details_mut().resolvable = v.resolvable;
                r.fix_success_rate = v.fix_success_rate;
                r.confidence = v.confidence;
                r.last_updated = v.last_updated;
                r.details_mut().root_cause = v.summary;
                keep_rest(&mut r, k, v.extra);
            }
            "environment" => {
                if let Some(env) = item::<EnvironmentPart>(text, &k, raw, d) {
                    map_environment(&mut r, env);
                }
                r.details_mut()
                    .extra
                    .insert(k.to_string(), value(text, k, raw)?);
            }
            "metadata" => {
                if let Some(m) = item::<MetadataPart>(text, &k, raw, d) {
                    r.verification_tier = m.review_status;
                    r.details_mut().evidence_count = m.evidence_count;
                }
                r.details_mut()
                    .extra
                    .insert(k.to_string(), value(text, k, raw)?);
            }
            "dead_ends" => r.details_mut().dead_ends = list(text, k, raw, d),
            "workarounds" => r.details_mut().workarounds = list(text, k, raw, d),
            "transition_graph" => r.details_mut().transition_graph = graph(text, k, raw, d),
            "aliases" => r.aliases = list(text, k, raw, d),
            "tags" => r.details_mut().tags = list(text, k, raw, d),
            _ => {
                r.details_mut()
                    .extra
                    .insert(k.to_string(), value(text, k, raw)?);
            }
        }
    }
    Ok(r)
}

impl Lenient for ErrorPart {}

impl Lenient for VerdictPart {
    fn rates(&mut self) -> Vec<(&'static str, &mut Option<f64>)> {
        vec![
            ("fix_success_rate", &mut self.fix_success_rate),
            ("confidence", &mut self.confidence),
        ]
    }
}

impl Lenient for MetadataPart {}
impl Lenient for EnvironmentPart {}

fn keep_rest(r: &mut Record, key: &str, rest: Map<String, Value>) {
    if !rest.is_empty() {
        r.details_mut()
            .extra
            .insert(key.to_string(), Value::Object(rest));
    }
}

/// The runtime and its version range become a version entry; OS, Python and hardware become OS notes.
fn map_environment(r: &mut Record, env: EnvironmentPart) {
    if let Some(rt) = env.runtime {
        let version = [rt.name, rt.version_range]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ");
        if !version.is_empty() {
            r.details_mut().versions.push(version_entry(version));
        }
    }
    for (name, range) in [("python", env.python), ("framework", env.framework)] {
        if let Some(range) = range {
            r.details_mut()
                .versions
                .push(version_entry(format!("{name} {range}")));
        }
    }
    if let Some(os) = env.os {
        r.details_mut()
            .os_specific
            .insert("os".into(), Value::String(os));
    }
    for (k, v) in env.hardware.unwrap_or_default() {
        r.details_mut().os_specific.insert(k, v);
    }
}

fn version_entry(version: String) -> Version {
    Version {
        version: Some(version),
        introduced: None,
        deprecated: None,
        removed: None,
        behavior_change: None,
        status: None,
        extra: Map::new(),
    }
}

//! The public deadends.dev "canon" format (schema_version 1.0.0), mapped onto the record model:
//! `error.*` gives signature, regex and dates; `verdict.summary` the root cause; `environment` the versions and
//! OS notes; `metadata.review_status` the verification tier; `url` the source link (kept as `url`).
//! `environment` and `metadata` are also kept whole, and unmapped keys of `error` and `verdict` are kept, so
//! nothing read is lost.

use super::diagnostic::Diagnostic;
use super::fields::{Lenient, graph, item, list, value};
use super::record::{DeadEnd, Format, Record, Resolvable, Transition, Version, Workaround};
use super::source::{BorrowedStr, Text};
use serde::Deserialize;
use serde::de::{Error as _, MapAccess, Visitor};
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
                if let Some(e) = item::<ErrorPart>(text, &k, raw, d) {
                    map_error(&mut r, e);
                }
            }
            "verdict" => {
                if let Some(v) = item::<VerdictPart>(text, &k, raw, d) {
                    map_verdict(&mut r, v);
                }
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
                    map_metadata(&mut r, m);
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

fn map_error(r: &mut Record, e: ErrorPart) {
    r.signature = e.signature.unwrap_or_default();
    r.regex = e.regex.unwrap_or_default();
    r.domain = e.domain;
    r.category = e.category;
    r.subcategory = e.subcategory;
    r.details_mut().first_seen = e.first_seen;
    r.details_mut().last_confirmed = e.last_confirmed;
    keep_rest(r, "error", e.extra);
}

fn map_verdict(r: &mut Record, v: VerdictPart) {
    r.details_mut().resolvable = v.resolvable;
    r.fix_success_rate = v.fix_success_rate;
    r.confidence = v.confidence;
    r.last_updated = v.last_updated;
    r.details_mut().root_cause = v.summary;
    keep_rest(r, "verdict", v.extra);
}

fn map_metadata(r: &mut Record, m: MetadataPart) {
    r.verification_tier = m.review_status;
    r.details_mut().evidence_count = m.evidence_count;
}

/// A canon read in one pass, when nothing in it is to be warned about; `None` sends it the general way
/// (`record`), which takes it apart field by field to point at what is wrong. The general way reads each
/// value twice (raw, then typed) and each list item three times: most of the time a first load of the
/// deadends corpus spent parsing. It gives the same record as `record` would, with no diagnostic (tested).
pub fn quick(raw: &str) -> Option<Record> {
    // Only objects with a `schema_version` key (every canon in the wild): without one, an object is a canon
    // when its `error` is an object, which a typed read does not tell from an array.
    memchr::memmem::find(raw.as_bytes(), b"\"schema_version\"")?;
    let mut de = serde_json::Deserializer::from_str(raw);
    let r = serde::Deserializer::deserialize_map(&mut de, Quick).ok()?;
    de.end().ok()?;
    Some(r)
}

/// The transition graph as `quick` reads it: keys other than these three are ignored, as `graph` does.
#[derive(Deserialize)]
struct QuickGraph {
    #[serde(default)]
    leads_to: Option<Vec<Transition>>,
    #[serde(default)]
    preceded_by: Option<Vec<Transition>>,
    #[serde(default)]
    frequently_confused_with: Option<Vec<Transition>>,
}

/// `quick`'s reader: fails (sending the object the general way) wherever `record` would warn.
struct Quick;

impl<'de> Visitor<'de> for Quick {
    type Value = Record;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a canon")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Record, A::Error> {
        let declined = || A::Error::custom("not for the quick path");
        let mut r = Record::new("", "", "");
        r.format = Format::Canon;
        let mut keys: Vec<Cow<'de, str>> = Vec::with_capacity(16);
        while let Some(BorrowedStr(key)) = map.next_key::<BorrowedStr<'de>>()? {
            // The general way keeps the first of duplicate keys, with a warning.
            if keys.contains(&key) {
                return Err(declined());
            }
            match key.as_ref() {
                "id" => r.id = map.next_value()?,
                "error" => map_error(&mut r, map.next_value()?),
                "verdict" => {
                    let mut v: VerdictPart = map.next_value()?;
                    if !within(v.rates()) {
                        return Err(declined());
                    }
                    map_verdict(&mut r, v);
                }
                "environment" | "metadata" => {
                    // Mapped, and kept whole as well.
                    let raw: &'de RawValue = map.next_value()?;
                    if key == "environment" {
                        let env = serde_json::from_str(raw.get()).map_err(A::Error::custom)?;
                        map_environment(&mut r, env);
                    } else {
                        let m = serde_json::from_str(raw.get()).map_err(A::Error::custom)?;
                        map_metadata(&mut r, m);
                    }
                    let whole = serde_json::from_str(raw.get()).map_err(A::Error::custom)?;
                    r.details_mut().extra.insert(key.to_string(), whole);
                }
                "dead_ends" => {
                    let mut items: Vec<DeadEnd> = quick_list(&mut map)?;
                    if !items.iter_mut().all(|i| within(i.rates())) {
                        return Err(declined());
                    }
                    r.details_mut().dead_ends = items;
                }
                "workarounds" => {
                    let mut items: Vec<Workaround> = quick_list(&mut map)?;
                    if !items.iter_mut().all(|i| within(i.rates())) {
                        return Err(declined());
                    }
                    r.details_mut().workarounds = items;
                }
                "transition_graph" => {
                    // `graph` reads an object's fields (warning about anything else), where a typed read
                    // would take an array too.
                    let raw: &'de RawValue = map.next_value()?;
                    let text = raw.get().trim_start();
                    if text != "null" {
                        if !text.starts_with('{') {
                            return Err(declined());
                        }
                        let g: QuickGraph =
                            serde_json::from_str(raw.get()).map_err(A::Error::custom)?;
                        let mut lists = [g.leads_to, g.preceded_by, g.frequently_confused_with]
                            .map(Option::unwrap_or_default);
                        if !lists.iter_mut().flatten().all(|t| within(t.rates())) {
                            return Err(declined());
                        }
                        let graph = &mut r.details_mut().transition_graph;
                        let [leads_to, preceded_by, confused] = lists;
                        graph.leads_to = leads_to;
                        graph.preceded_by = preceded_by;
                        graph.frequently_confused_with = confused;
                    }
                }
                "aliases" => r.aliases = quick_list(&mut map)?,
                "tags" => r.details_mut().tags = quick_list(&mut map)?,
                _ => {
                    let v: Value = map.next_value()?;
                    r.details_mut().extra.insert(key.to_string(), v);
                }
            }
            keys.push(key);
        }
        match keys.iter().any(|k| k == "schema_version") {
            true => Ok(r),
            false => Err(declined()),
        }
    }
}

/// A list field as `list` reads it when every item reads: `null` is empty.
fn quick_list<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    map: &mut A,
) -> Result<Vec<T>, A::Error> {
    Ok(map.next_value::<Option<Vec<T>>>()?.unwrap_or_default())
}

/// Whether every rate is within 0..1 (`item` warns about one that is not).
fn within(rates: Vec<(&'static str, &mut Option<f64>)>) -> bool {
    rates
        .into_iter()
        .all(|(_, rate)| rate.is_none_or(|v| (0.0..=1.0).contains(&v)))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::parse;
    use proptest::prelude::*;
    use std::sync::Arc;

    /// Whether `quick` takes `raw`; when it does, reading `raw` gives what the general parser gives, record
    /// or error (a blank id is refused either way), without a warning.
    fn agree(raw: &str) -> bool {
        let Some(quick) = quick(raw) else {
            return false;
        };
        let text = Text::new(Arc::from("c.json"), raw, 1);
        let (mut found, mut expected) = (Vec::new(), Vec::new());
        let read = parse::read_record(&text, raw, None, false, &mut found);
        let general = parse::general(&text, raw, false, &mut expected);
        assert_eq!(found, expected, "{raw}");
        assert!(found.is_empty(), "{found:?}");
        match (read, general) {
            (Ok((r, at)), Ok((g, g_at))) => {
                assert_eq!((&r, &at), (&g, &g_at), "{raw}");
                // `read_record` fills in the domain and environment after `quick`.
                assert_eq!((quick.id, quick.signature), (r.id, r.signature));
            }
            (Err(e), Err(g)) => assert_eq!(e, g, "{raw}"),
            (read, general) => panic!("{raw}: {read:?} against {general:?}"),
        }
        true
    }

    fn canon() -> Value {
        serde_json::json!({
            "schema_version": "1.0.0",
            "id": "docker/exec-format/arm64",
            "url": "https://deadends.dev/docker/exec-format/arm64",
            "error": {"signature": "exec format error", "regex": "exec format error", "domain": "docker",
                      "category": "c", "first_seen": "2026-01-01", "extra_key": [1, 2]},
            "environment": {"runtime": {"name": "docker", "version_range": ">=20"}, "os": "linux",
                            "hardware": {"arch": "arm64"}},
            "verdict": {"resolvable": "true", "fix_success_rate": 0.8, "confidence": 0.9,
                        "summary": "wrong architecture", "other": "kept"},
            "dead_ends": [{"action": "chmod +x", "why_fails": "not permissions", "fail_rate": 0.9}],
            "workarounds": [{"action": "build for arm64", "success_rate": 0.95, "how": "buildx"}],
            "transition_graph": {"leads_to": [{"error_id": "docker/x/y", "probability": 0.3}],
                                 "preceded_by": [], "note": "ignored"},
            "metadata": {"review_status": "reviewed", "evidence_count": 3, "more": true},
            "aliases": ["exec user process caused: exec format error"],
            "tags": ["arm64"]
        })
    }

    #[test]
    fn takes_a_clean_canon_and_gives_the_general_record() {
        assert!(agree(&serde_json::to_string_pretty(&canon()).unwrap()));
        let mut c = canon();
        for key in [
            "dead_ends",
            "workarounds",
            "transition_graph",
            "aliases",
            "tags",
        ] {
            c[key] = Value::Null;
        }
        assert!(agree(&c.to_string()), "null lists are empty lists");
    }

    /// Everything the general parser warns about, or reads differently, goes its way.
    #[test]
    fn declines_what_the_general_parser_warns_about() {
        type Edit = Box<dyn Fn(&mut Value)>;
        let edits: Vec<(&str, Edit)> = vec![
            (
                "rate above 1",
                Box::new(|c| c["verdict"]["confidence"] = 1.5.into()),
            ),
            (
                "rate a string",
                Box::new(|c| c["verdict"]["fix_success_rate"] = "x".into()),
            ),
            (
                "fail rate",
                Box::new(|c| c["dead_ends"][0]["fail_rate"] = (-0.1).into()),
            ),
            (
                "success rate",
                Box::new(|c| c["workarounds"][0]["success_rate"] = 2.into()),
            ),
            (
                "probability",
                Box::new(|c| c["transition_graph"]["leads_to"][0]["probability"] = 7.into()),
            ),
            (
                "graph an array",
                Box::new(|c| c["transition_graph"] = serde_json::json!([[], []])),
            ),
            ("item of a list", Box::new(|c| c["dead_ends"][0] = 5.into())),
            (
                "list an object",
                Box::new(|c| c["aliases"] = serde_json::json!({"a": 1})),
            ),
            ("alias a number", Box::new(|c| c["aliases"][0] = 5.into())),
            ("error null", Box::new(|c| c["error"] = Value::Null)),
            (
                "signature a number",
                Box::new(|c| c["error"]["signature"] = 5.into()),
            ),
            (
                "evidence negative",
                Box::new(|c| c["metadata"]["evidence_count"] = (-1).into()),
            ),
            (
                "os a list",
                Box::new(|c| c["environment"]["os"] = serde_json::json!([])),
            ),
            ("id a number", Box::new(|c| c["id"] = 5.into())),
            (
                "no schema_version",
                Box::new(|c| {
                    c.as_object_mut().unwrap().shift_remove("schema_version");
                }),
            ),
        ];
        for (what, edit) in edits {
            let mut c = canon();
            edit(&mut c);
            let raw = c.to_string();
            assert!(quick(&raw).is_none(), "{what}: {raw}");
        }
        let raw = canon().to_string();
        let duplicate = raw.replacen("\"url\"", "\"id\":\"a/b\",\"url\"", 1);
        assert!(quick(&duplicate).is_none(), "a duplicate key");
        assert!(
            quick(&format!("{raw} x")).is_none(),
            "text after the object"
        );
        assert!(quick(&raw[..raw.len() - 1]).is_none(), "cut short");
        assert!(quick(&format!(" {raw}\n")).is_some(), "blanks around it");
    }

    /// The deadends corpus (skipped when absent): nearly every canon is read in one pass, as the general
    /// parser reads it.
    #[test]
    fn the_corpus_reads_in_one_pass_as_the_general_way() {
        let dir =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/deadends");
        if !dir.exists() {
            eprintln!("notice: {} is absent; skipping this test", dir.display());
            return;
        }
        let mut files = Vec::new();
        let mut stack = vec![dir];
        while let Some(d) = stack.pop() {
            for entry in std::fs::read_dir(d).unwrap() {
                let path = entry.unwrap().path();
                match path.is_dir() {
                    true => stack.push(path),
                    false if path.extension().is_some_and(|e| e == "json") => files.push(path),
                    false => {}
                }
            }
        }
        let taken = files
            .iter()
            .filter(|f| agree(&std::fs::read_to_string(f).unwrap()))
            .count();
        assert!(files.len() > 1000, "{} files", files.len());
        assert!(
            taken * 100 >= files.len() * 95,
            "{taken} of {}",
            files.len()
        );
    }

    fn value() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(Value::Null),
            Just(serde_json::json!("text")),
            Just(serde_json::json!(0.5)),
            Just(serde_json::json!(1.5)),
            Just(serde_json::json!(-3)),
            Just(serde_json::json!(true)),
            Just(serde_json::json!([])),
            Just(serde_json::json!(["a", "b"])),
            Just(serde_json::json!([{"action": "a", "fail_rate": 0.2}])),
            Just(serde_json::json!([{"error_id": "a/b", "probability": 2}])),
            Just(serde_json::json!(["a/b"])),
            Just(serde_json::json!({})),
            Just(serde_json::json!({"signature": "s", "regex": "r"})),
            Just(serde_json::json!({"leads_to": ["a/b"], "preceded_by": null})),
            Just(serde_json::json!({"review_status": "x", "evidence_count": 2})),
            Just(serde_json::json!({"runtime": {"name": "n"}, "os": 3})),
        ]
    }

    fn path() -> impl Strategy<Value = (&'static str, Option<&'static str>)> {
        let top = [
            "id",
            "error",
            "verdict",
            "environment",
            "metadata",
            "dead_ends",
            "workarounds",
            "transition_graph",
            "aliases",
            "tags",
            "schema_version",
            "url",
        ];
        let inner = [
            None,
            Some("signature"),
            Some("regex"),
            Some("fix_success_rate"),
            Some("confidence"),
            Some("summary"),
            Some("leads_to"),
            Some("review_status"),
            Some("evidence_count"),
            Some("os"),
            Some("runtime"),
        ];
        (
            prop::sample::select(top.to_vec()),
            prop::sample::select(inner.to_vec()),
        )
    }

    proptest! {
        /// A canon with fields replaced by values of every kind: whatever `quick` takes is the general
        /// parser's record, without a warning.
        #[test]
        fn agrees_with_the_general_parser(edits in prop::collection::vec((path(), value()), 0..5)) {
            let mut c = canon();
            for ((top, inner), v) in edits {
                match inner {
                    Some(inner) if c[top].is_object() => c[top][inner] = v,
                    _ => c[top] = v,
                }
            }
            agree(&c.to_string());
        }
    }
}

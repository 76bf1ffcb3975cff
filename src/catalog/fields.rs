//! Typed reading of one raw field, with errors that point into the file.
//!
//! Required fields are strict (`value`): without them there is no record. Every other field is lenient: a
//! wrong-typed or out-of-range value is dropped with a warning that names the field and points at it, and
//! the record keeps everything else. Catalogues are written by hand and by scripts; one typo in a rate must
//! not make a record vanish. Lists are read item by item, and an item of the wrong shape loses only the
//! field that is wrong (or, failing that, only itself).

use super::diagnostic::Diagnostic;
use super::record::{DeadEnd, Transition, TransitionGraph, Workaround};
use super::source::{Fields, Text, error_offset};
use serde::de::DeserializeOwned;
use serde_json::value::RawValue;
use std::fmt::Display;

/// Parses a field's raw text as `T`; the error names the field and its exact position.
pub fn value<T: DeserializeOwned>(text: &Text, key: &str, raw: &RawValue) -> Result<T, Diagnostic> {
    serde_json::from_str(raw.get()).map_err(|e| {
        let mut d = text.parse_error(raw.get(), &e);
        d.message = format!("field `{key}`: {}", d.message);
        d
    })
}

/// An optional field: `null` is `None`, and so is a value of the wrong type, after a warning.
pub fn optional<T: DeserializeOwned>(
    text: &Text,
    key: &str,
    raw: &RawValue,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<T> {
    match serde_json::from_str::<Option<T>>(raw.get()) {
        Ok(v) => v,
        Err(e) => {
            diagnostics.push(ignored(text, key, raw, &e));
            None
        }
    }
}

/// The warning that a field's value was ignored, at the start of the value.
fn ignored(text: &Text, key: &str, raw: &RawValue, e: &serde_json::Error) -> Diagnostic {
    Diagnostic::warning(
        &text.position(text.offset_of(raw.get())),
        format!("field `{key}`: {}; ignored", super::source::json_message(e)),
    )
}

/// A rate or probability: a number from 0 to 1, or `None` after a warning.
pub fn rate(
    text: &Text,
    key: &str,
    raw: &RawValue,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<f64> {
    let v = optional::<f64>(text, key, raw, diagnostics)?;
    in_range(text, key, raw, v, diagnostics)
}

/// `Some(v)` for a rate within 0..1; otherwise a warning quoting the value as written (`1e308`, not its 309
/// digits), and `None`.
fn in_range(
    text: &Text,
    key: &str,
    raw: &RawValue,
    v: f64,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<f64> {
    if (0.0..=1.0).contains(&v) {
        return Some(v);
    }
    diagnostics.push(Diagnostic::warning(
        &text.position(text.offset_of(raw.get())),
        format!(
            "field `{key}` is {}, outside 0..1; ignored",
            raw.get().trim()
        ),
    ));
    None
}

/// A map field, where `null` (or a value that is no object, after a warning) means empty.
pub fn map(
    text: &Text,
    key: &str,
    raw: &RawValue,
    diagnostics: &mut Vec<Diagnostic>,
) -> serde_json::Map<String, serde_json::Value> {
    optional(text, key, raw, diagnostics).unwrap_or_default()
}

/// A list field, read item by item (see `item`); `null` is empty, and so is a value that is no list, after
/// a warning.
pub fn list<T: Lenient>(
    text: &Text,
    key: &str,
    raw: &RawValue,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<T> {
    let items: Vec<&RawValue> = match serde_json::from_str::<Option<Vec<&RawValue>>>(raw.get()) {
        Ok(items) => items.unwrap_or_default(),
        Err(e) => {
            diagnostics.push(ignored(text, key, raw, &e));
            return Vec::new();
        }
    };
    items
        .into_iter()
        .enumerate()
        .filter_map(|(i, raw)| item(text, &Indexed(key, i), raw, diagnostics))
        .collect()
}

/// The transition graph: each of its lists read by `list`; `null` is empty, and so is a value that is no
/// object, after a warning.
pub fn graph(
    text: &Text,
    key: &str,
    raw: &RawValue,
    diagnostics: &mut Vec<Diagnostic>,
) -> TransitionGraph {
    let mut graph = TransitionGraph::default();
    if raw.get().trim() == "null" {
        return graph;
    }
    let Ok(fields) = Fields::of(text, raw.get()) else {
        diagnostics.push(Diagnostic::warning(
            &text.position(text.offset_of(raw.get())),
            format!("field `{key}`: expected an object; ignored"),
        ));
        return graph;
    };
    for (k, v) in fields.fields {
        let path = format!("{key}.{k}");
        match k.as_ref() {
            "leads_to" => graph.leads_to = list(text, &path, v, diagnostics),
            "preceded_by" => graph.preceded_by = list(text, &path, v, diagnostics),
            "frequently_confused_with" => {
                graph.frequently_confused_with = list(text, &path, v, diagnostics)
            }
            _ => {}
        }
    }
    graph
}

/// One value of type `T`. When it does not read as `T` and is an object, the field the error points into
/// is dropped (with a warning at that field) and the rest read again, until it reads; when no single field
/// is to blame (a required field missing, the wrong kind of value), the whole value is dropped with a
/// warning. Rates inside are checked too.
pub fn item<T: Lenient>(
    text: &Text,
    key: &dyn Display,
    raw: &RawValue,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<T> {
    let mut read = match serde_json::from_str::<T>(raw.get()) {
        Ok(v) => v,
        Err(e) => repaired::<T>(text, key, raw, e, diagnostics)?,
    };
    for (name, rate) in read.rates() {
        if let Some(v) = *rate
            && !(0.0..=1.0).contains(&v)
        {
            // Only on this rare path are the fields taken apart again, to point at the one out of range.
            let field = field_of(text, raw, name);
            let (at, quoted) = field.map_or((raw, v.to_string()), |f| (f, f.get().to_string()));
            diagnostics.push(Diagnostic::warning(
                &text.position(text.offset_of(at.get())),
                format!("field `{key}.{name}` is {quoted}, outside 0..1; ignored"),
            ));
            *rate = None;
        }
    }
    Some(read)
}

/// The raw value of field `name` of the object `raw`, if it has one.
fn field_of<'a>(text: &Text<'a>, raw: &'a RawValue, name: &str) -> Option<&'a RawValue> {
    let fields = Fields::of(text, raw.get()).ok()?.fields;
    fields.into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

/// `item`'s way back from an error: drop the field to blame and read the rest, as often as it takes.
fn repaired<T: Lenient>(
    text: &Text,
    key: &dyn Display,
    raw: &RawValue,
    error: serde_json::Error,
    diagnostics: &mut Vec<Diagnostic>,
) -> Option<T> {
    let whole = |error: &serde_json::Error, diagnostics: &mut Vec<Diagnostic>| {
        let why = T::SHAPE.map_or_else(
            || super::source::json_message(error),
            |shape| format!("expected {shape}"),
        );
        diagnostics.push(Diagnostic::warning(
            &text.position(text.offset_of(raw.get())),
            format!("field `{key}`: {why}; dropped"),
        ));
        None
    };
    let Ok(fields) = Fields::of(text, raw.get()) else {
        return whole(&error, diagnostics);
    };
    let mut kept = fields.fields;
    loop {
        // The object again without the fields dropped so far, and where each kept value lies in it.
        let mut rebuilt = String::from("{");
        let mut spans = Vec::with_capacity(kept.len());
        for (i, (k, v)) in kept.iter().enumerate() {
            if i > 0 {
                rebuilt.push(',');
            }
            rebuilt.push_str(&serde_json::to_string(k.as_ref()).unwrap_or_default());
            rebuilt.push(':');
            let start = rebuilt.len();
            rebuilt.push_str(v.get());
            spans.push(start..=rebuilt.len());
        }
        rebuilt.push('}');
        let error = match serde_json::from_str::<T>(&rebuilt) {
            Ok(v) => return Some(v),
            Err(e) => e,
        };
        let at = error_offset(&rebuilt, &error);
        // A missing field is reported where the object ends, right after its last value: no field's fault.
        let missing = error.to_string().starts_with("missing field");
        let Some(blame) = spans
            .iter()
            .position(|s| s.contains(&at))
            .filter(|_| !missing)
        else {
            return whole(&error, diagnostics);
        };
        let (name, bad) = kept.remove(blame);
        diagnostics.push(Diagnostic::warning(
            &text.position(text.offset_of(bad.get())),
            format!(
                "field `{key}.{name}`: {}; ignored",
                super::source::json_message(&error)
            ),
        ));
    }
}

/// For `#[serde(deserialize_with)]`: a list or object where `null` means empty.
pub fn nullable<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de> + Default,
{
    Ok(<Option<T> as serde::Deserialize>::deserialize(d)?.unwrap_or_default())
}

/// `key[index]`, written out only when a warning names it: formatting it for every item of every list was a
/// tenth of loading the embedded catalogue.
struct Indexed<'a>(&'a str, usize);

impl Display for Indexed<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}[{}]", self.0, self.1)
    }
}

/// A value read leniently: what it holds that must lie within 0..1.
pub trait Lenient: DeserializeOwned {
    /// What the value must look like, for the warning when it is dropped whole (`None`: serde's words).
    const SHAPE: Option<&'static str> = None;

    fn rates(&mut self) -> Vec<(&'static str, &mut Option<f64>)> {
        Vec::new()
    }
}

impl Lenient for DeadEnd {
    fn rates(&mut self) -> Vec<(&'static str, &mut Option<f64>)> {
        vec![("fail_rate", &mut self.fail_rate)]
    }
}

impl Lenient for Workaround {
    fn rates(&mut self) -> Vec<(&'static str, &mut Option<f64>)> {
        vec![("success_rate", &mut self.success_rate)]
    }
}

impl Lenient for Transition {
    const SHAPE: Option<&'static str> = Some("a record id or an object with `error_id`");

    fn rates(&mut self) -> Vec<(&'static str, &mut Option<f64>)> {
        vec![("probability", &mut self.probability)]
    }
}

impl Lenient for String {}
impl Lenient for super::record::Version {
    const SHAPE: Option<&'static str> = Some("an object with `version`");
}
impl Lenient for super::record::ZhItem {}

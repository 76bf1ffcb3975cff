//! The record model: one error, what does not fix it, what does, and how it relates to others.
//!
//! Field names and order follow the seed format (`seeds/docker/exec-format-error-arm64.json`), so a seed
//! record serializes back to what was read. Nullable fields are `Option`; absent and `null` read the same.

use super::environment::RecordEnvironment;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::sync::{Arc, OnceLock};

/// One error record, whatever format it was read from.
///
/// What lists, searches, filters and sorts read sits inline; everything else (`RecordDetails`, reached
/// through `details()`) is one allocation, made only when a record
/// has any of it. A record loaded from a file does not even keep that: it keeps where its text is in the
/// file, and parses its details again the first time they are read (see `Details`). A catalogue then costs
/// about its file's size plus what lists read, not the several times more of every field parsed.
#[derive(Debug, Clone, PartialEq)]
pub struct Record {
    pub id: String,
    pub signature: String,
    pub signature_zh: Option<String>,
    pub regex: String,
    pub domain: Option<String>,
    pub category: Option<String>,
    pub subcategory: Option<String>,
    pub verification_tier: Option<String>,
    pub confidence: Option<f64>,
    pub fix_success_rate: Option<f64>,
    /// Inline because the list sorts by it: from the details, sorting parsed every record's.
    pub last_updated: Option<String>,
    pub aliases: Vec<String>,
    /// Where the record applies, read once from its details and id when it is parsed (lookup ranks by it
    /// without parsing deferred details again).
    pub environment: RecordEnvironment,
    details: Details,
    /// Which format the record was read from.
    pub format: Format,
}

/// A record's inline fields, borrowed (`Record::inline`).
pub struct Inline<'a> {
    pub id: &'a str,
    pub signature: &'a str,
    pub signature_zh: Option<&'a str>,
    pub regex: &'a str,
    pub domain: Option<&'a str>,
    pub category: Option<&'a str>,
    pub subcategory: Option<&'a str>,
    pub verification_tier: Option<&'a str>,
    pub confidence: Option<f64>,
    pub fix_success_rate: Option<f64>,
    pub last_updated: Option<&'a str>,
    pub aliases: &'a [String],
    pub environment: &'a RecordEnvironment,
    pub format: Format,
}

/// The rest of a record (serialized with it, through `Ordered`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct RecordDetails {
    pub root_cause: Option<String>,
    pub root_cause_type: Option<String>,
    pub root_cause_zh: Option<String>,
    pub versions: Vec<Version>,
    pub os_specific: Map<String, Value>,
    pub dead_ends: Vec<DeadEnd>,
    /// Our extension: Chinese twins of `dead_ends`, index for index; left out when empty, so records without it
    /// read back unchanged.
    pub dead_ends_zh: Vec<ZhItem>,
    pub workarounds: Vec<Workaround>,
    pub workarounds_zh: Vec<ZhItem>,
    pub transition_graph: TransitionGraph,
    pub official_doc_url: Option<String>,
    pub official_doc_section: Option<String>,
    pub error_code: Option<String>,
    pub resolvable: Option<Resolvable>,
    pub first_seen: Option<String>,
    pub last_confirmed: Option<String>,
    pub evidence_count: Option<u64>,
    pub tags: Vec<String>,
    pub locale: Option<String>,
    /// Our extension: where the record's facts (its signature's exact wording first) were verified.
    pub sources: Vec<String>,
    /// Fields this model does not know, kept so `show --json` gives back what was read.
    pub extra: Map<String, Value>,
}

/// A record serialized in the seed format's field order, inline fields and details interleaved.
#[derive(Serialize)]
struct Ordered<'a> {
    id: &'a str,
    signature: &'a str,
    signature_zh: &'a Option<String>,
    regex: &'a str,
    domain: &'a Option<String>,
    category: &'a Option<String>,
    subcategory: &'a Option<String>,
    root_cause: &'a Option<String>,
    root_cause_type: &'a Option<String>,
    root_cause_zh: &'a Option<String>,
    versions: &'a [Version],
    os_specific: &'a Map<String, Value>,
    dead_ends: &'a [DeadEnd],
    #[serde(skip_serializing_if = "<[ZhItem]>::is_empty")]
    dead_ends_zh: &'a [ZhItem],
    workarounds: &'a [Workaround],
    workarounds_zh: &'a [ZhItem],
    transition_graph: &'a TransitionGraph,
    official_doc_url: &'a Option<String>,
    official_doc_section: &'a Option<String>,
    error_code: &'a Option<String>,
    verification_tier: &'a Option<String>,
    confidence: &'a Option<f64>,
    fix_success_rate: &'a Option<f64>,
    resolvable: &'a Option<Resolvable>,
    first_seen: &'a Option<String>,
    last_confirmed: &'a Option<String>,
    last_updated: &'a Option<String>,
    evidence_count: &'a Option<u64>,
    tags: &'a [String],
    locale: &'a Option<String>,
    aliases: &'a [String],
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    sources: &'a [String],
    #[serde(flatten)]
    extra: &'a Map<String, Value>,
}

impl Serialize for Record {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let d = self.details.get();
        Ordered {
            id: &self.id,
            signature: &self.signature,
            signature_zh: &self.signature_zh,
            regex: &self.regex,
            domain: &self.domain,
            category: &self.category,
            subcategory: &self.subcategory,
            root_cause: &d.root_cause,
            root_cause_type: &d.root_cause_type,
            root_cause_zh: &d.root_cause_zh,
            versions: &d.versions,
            os_specific: &d.os_specific,
            dead_ends: &d.dead_ends,
            dead_ends_zh: &d.dead_ends_zh,
            workarounds: &d.workarounds,
            workarounds_zh: &d.workarounds_zh,
            transition_graph: &d.transition_graph,
            official_doc_url: &d.official_doc_url,
            official_doc_section: &d.official_doc_section,
            error_code: &d.error_code,
            verification_tier: &self.verification_tier,
            confidence: &self.confidence,
            fix_success_rate: &self.fix_success_rate,
            resolvable: &d.resolvable,
            first_seen: &d.first_seen,
            last_confirmed: &d.last_confirmed,
            last_updated: &self.last_updated,
            evidence_count: &d.evidence_count,
            tags: &d.tags,
            locale: &d.locale,
            aliases: &self.aliases,
            sources: &d.sources,
            extra: &d.extra,
        }
        .serialize(s)
    }
}

/// `RecordDetails`: absent until something is written to it (reads of an absent one see the empty one), or
/// deferred: known to be in a file's text, and parsed from there when first read.
#[derive(Clone, Default)]
struct Details {
    parsed: OnceLock<Box<RecordDetails>>,
    deferred: Option<Source>,
}

/// Where a record's text is: a range of a file's bytes, which the file's records share, and the parser that
/// read it, handed in by the loader so the model depends on no format.
#[derive(Clone)]
pub struct Source {
    pub bytes: Bytes,
    pub start: usize,
    pub end: usize,
    /// Where `bytes` start in their file (a JSONL file is read in parts): `start + file_offset` is the
    /// record's place in the file, which the persistent index keeps.
    pub file_offset: u64,
    pub parse: fn(&str) -> Option<Record>,
}

/// The bytes a record's text is in.
#[derive(Clone)]
pub enum Bytes {
    /// A file read into memory, shared by its records.
    Shared(Arc<Vec<u8>>),
    /// The catalogue compiled into the binary.
    Static(&'static [u8]),
    /// A file not read yet (a record from the persistent index): `start..end` are read from it when the
    /// details are first needed.
    File(Arc<std::path::Path>),
}

impl Bytes {
    fn get(&self, start: usize, end: usize) -> Option<std::borrow::Cow<'_, [u8]>> {
        use std::borrow::Cow;
        match self {
            Bytes::Shared(b) => b.get(start..end).map(Cow::Borrowed),
            Bytes::Static(b) => b.get(start..end).map(Cow::Borrowed),
            Bytes::File(path) => {
                use std::io::{Read, Seek};
                let mut file = std::fs::File::open(path).ok()?;
                // The range comes from the index, outside this process: never past the file's end.
                if end as u64 > file.metadata().ok()?.len() {
                    return None;
                }
                file.seek(std::io::SeekFrom::Start(start as u64)).ok()?;
                let mut bytes = vec![0; end.checked_sub(start)?];
                file.read_exact(&mut bytes).ok()?;
                Some(Cow::Owned(bytes))
            }
        }
    }
}

impl Source {
    /// The details the record's text holds; empty if it no longer parses (it did when loaded).
    fn parse(&self) -> Box<RecordDetails> {
        let bytes = self.bytes.get(self.start, self.end);
        let raw = bytes
            .as_deref()
            .and_then(|b| std::str::from_utf8(b).ok())
            .unwrap_or("");
        (self.parse)(raw)
            .and_then(|mut r| r.details.parsed.take())
            .unwrap_or_default()
    }
}

impl Details {
    fn get(&self) -> &RecordDetails {
        static EMPTY: std::sync::LazyLock<RecordDetails> =
            std::sync::LazyLock::new(RecordDetails::default);
        match &self.deferred {
            Some(source) => self.parsed.get_or_init(|| source.parse()),
            None => self.parsed.get().map_or(&EMPTY, |d| d),
        }
    }

    fn get_mut(&mut self) -> &mut RecordDetails {
        if let Some(source) = self.deferred.take()
            && self.parsed.get().is_none()
        {
            let _ = self.parsed.set(source.parse());
        }
        if self.parsed.get().is_none() {
            let _ = self.parsed.set(Box::default());
        }
        self.parsed.get_mut().expect("set just above")
    }
}

impl PartialEq for Details {
    fn eq(&self, other: &Self) -> bool {
        self.get() == other.get()
    }
}

impl std::fmt::Debug for Details {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.get().fmt(f)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Flat JSON with `_zh` twins (our catalogue's format).
    #[default]
    Seed,
    /// deadends.dev's nested format; it has no place for translations.
    Canon,
}

impl Record {
    /// A record with only the three required fields; the rest empty.
    pub fn new(
        id: impl Into<String>,
        signature: impl Into<String>,
        regex: impl Into<String>,
    ) -> Self {
        Record {
            id: id.into(),
            signature: signature.into(),
            signature_zh: None,
            regex: regex.into(),
            domain: None,
            category: None,
            subcategory: None,
            verification_tier: None,
            confidence: None,
            fix_success_rate: None,
            last_updated: None,
            aliases: Vec::new(),
            environment: RecordEnvironment::default(),
            details: Details::default(),
            format: Format::Seed,
        }
    }

    /// Every inline field, borrowed: what a record is without its details. Destructured whole, so a field
    /// added to `Record` fails to compile here until the persistent index (`catalog::index`) keeps it too.
    pub fn inline(&self) -> Inline<'_> {
        let Record {
            id,
            signature,
            signature_zh,
            regex,
            domain,
            category,
            subcategory,
            verification_tier,
            confidence,
            fix_success_rate,
            last_updated,
            aliases,
            environment,
            details: _,
            format,
        } = self;
        Inline {
            id,
            signature,
            signature_zh: signature_zh.as_deref(),
            regex,
            domain: domain.as_deref(),
            category: category.as_deref(),
            subcategory: subcategory.as_deref(),
            verification_tier: verification_tier.as_deref(),
            confidence: *confidence,
            fix_success_rate: *fix_success_rate,
            last_updated: last_updated.as_deref(),
            aliases,
            environment,
            format: *format,
        }
    }

    /// Everything lists do not read. For a record loaded from a file, the first call parses its text (once;
    /// later calls return the same parse), which is why this is a call and not a field.
    pub fn details(&self) -> &RecordDetails {
        self.details.get()
    }

    /// The details, to change; parses them first if they are still only in the file's text.
    pub fn details_mut(&mut self) -> &mut RecordDetails {
        self.details.get_mut()
    }

    pub fn domain(&self) -> &str {
        self.domain.as_deref().unwrap_or("")
    }

    /// Whether the details are still only in the file's text (not parsed since loading).
    pub fn details_deferred(&self) -> bool {
        self.details.deferred.is_some() && self.details.parsed.get().is_none()
    }

    /// Keeps only where the details are in `source` (the record's own text), to parse them again when read.
    /// A record without details keeps nothing.
    pub fn defer_details(&mut self, source: Source) {
        if self.details.parsed.take().is_some() {
            self.details.deferred = Some(source);
        }
    }

    /// Where the record's text is in its file (bytes), when its details are still there.
    pub fn text_range(&self) -> Option<(u64, u64)> {
        let s = self.details.deferred.as_ref()?;
        Some((s.file_offset + s.start as u64, s.file_offset + s.end as u64))
    }

    /// The record without its details (and without reading them): what lists read.
    pub fn without_details(&self) -> Record {
        Record {
            details: Details::default(),
            ..self.clone()
        }
    }

    /// Takes the details from `source` when first read, whatever this record holds now (a record built from
    /// its list fields alone, whose details were never read).
    pub fn details_from(&mut self, source: Source) {
        self.details.parsed.take();
        self.details.deferred = Some(source);
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Version {
    pub version: Option<String>,
    #[serde(default)]
    pub introduced: Option<String>,
    #[serde(default)]
    pub deprecated: Option<String>,
    #[serde(default)]
    pub removed: Option<String>,
    #[serde(default)]
    pub behavior_change: Option<String>,
    #[serde(default)]
    pub status: Option<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

impl Version {
    /// The lifecycle fields that are set, as (name, value), in display order.
    pub fn details(&self) -> Vec<(&'static str, &str)> {
        [
            ("introduced", &self.introduced),
            ("deprecated", &self.deprecated),
            ("removed", &self.removed),
            ("status", &self.status),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.as_deref().map(|v| (k, v)))
        .collect()
    }
}

/// Something people try that does not fix the error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeadEnd {
    pub action: String,
    #[serde(default)]
    pub why_fails: Option<String>,
    #[serde(default)]
    pub fail_rate: Option<f64>,
    #[serde(default)]
    pub condition: Option<String>,
    #[serde(default, deserialize_with = "super::fields::nullable")]
    pub sources: Vec<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// Something that does fix the error.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Workaround {
    pub action: String,
    #[serde(default)]
    pub success_rate: Option<f64>,
    #[serde(default)]
    pub how: Option<String>,
    #[serde(default)]
    pub condition: Option<String>,
    #[serde(default, deserialize_with = "super::fields::nullable")]
    pub sources: Vec<String>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A Chinese twin of a dead end or workarounds: either one string (the reference record's form, translating
/// `action`) or the translated fields one by one (our catalogue's form).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ZhItem {
    Text(String),
    Fields(ZhFields),
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct ZhFields {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub action: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why_fails: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub how: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct TransitionGraph {
    #[serde(default)]
    pub leads_to: Vec<Transition>,
    #[serde(default)]
    pub preceded_by: Vec<Transition>,
    #[serde(default)]
    pub frequently_confused_with: Vec<Transition>,
}

impl TransitionGraph {
    /// Every edge with the kind it is listed under, in the order errors happen: what precedes, what follows, what
    /// it is confused with.
    pub fn edges(&self) -> impl Iterator<Item = (EdgeKind, &Transition)> {
        self.preceded_by
            .iter()
            .map(|t| (EdgeKind::PrecededBy, t))
            .chain(self.leads_to.iter().map(|t| (EdgeKind::LeadsTo, t)))
            .chain(
                self.frequently_confused_with
                    .iter()
                    .map(|t| (EdgeKind::ConfusedWith, t)),
            )
    }

    pub fn len(&self) -> usize {
        self.leads_to.len() + self.preceded_by.len() + self.frequently_confused_with.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EdgeKind {
    LeadsTo,
    PrecededBy,
    ConfusedWith,
}

impl EdgeKind {
    pub fn key(self) -> &'static str {
        match self {
            EdgeKind::LeadsTo => "leads_to",
            EdgeKind::PrecededBy => "preceded_by",
            EdgeKind::ConfusedWith => "frequently_confused_with",
        }
    }
}

/// An edge of the transition graph. Written either as a bare id or as an object; a bare id serializes back bare.
#[derive(Debug, Clone, PartialEq)]
pub struct Transition {
    pub error_id: String,
    pub probability: Option<f64>,
    pub condition: Option<String>,
    /// deadends.dev writes how to tell two confusable errors apart here.
    pub distinction: Option<String>,
    pub extra: Map<String, Value>,
    pub bare: bool,
}

impl Transition {
    /// The text that explains the edge, whichever key held it.
    pub fn note(&self) -> Option<&str> {
        self.condition
            .as_deref()
            .filter(|c| !c.is_empty())
            .or(self.distinction.as_deref())
    }
}

#[derive(Serialize, Deserialize)]
struct TransitionObject {
    error_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    probability: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    condition: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    distinction: Option<String>,
    #[serde(flatten)]
    extra: Map<String, Value>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum TransitionForm {
    Bare(String),
    Object(TransitionObject),
}

impl<'de> Deserialize<'de> for Transition {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(match TransitionForm::deserialize(d)? {
            TransitionForm::Bare(error_id) => Transition {
                error_id,
                probability: None,
                condition: None,
                distinction: None,
                extra: Map::new(),
                bare: true,
            },
            TransitionForm::Object(o) => Transition {
                error_id: o.error_id,
                probability: o.probability,
                condition: o.condition,
                distinction: o.distinction,
                extra: o.extra,
                bare: false,
            },
        })
    }
}

impl Serialize for Transition {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.bare {
            return s.serialize_str(&self.error_id);
        }
        TransitionObject {
            error_id: self.error_id.clone(),
            probability: self.probability,
            condition: self.condition.clone(),
            distinction: self.distinction.clone(),
            extra: self.extra.clone(),
        }
        .serialize(s)
    }
}

/// Whether the error can be fixed. Read from `"true"`/`"partial"`/`"false"` or a bool; written back as it came.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Resolvable {
    pub level: Resolvability,
    pub as_bool: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolvability {
    Yes,
    Partial,
    No,
}

impl Resolvable {
    pub fn key(self) -> &'static str {
        match self.level {
            Resolvability::Yes => "true",
            Resolvability::Partial => "partial",
            Resolvability::No => "false",
        }
    }
}

impl<'de> Deserialize<'de> for Resolvable {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Form {
            Bool(bool),
            Text(String),
        }
        let (level, as_bool) = match Form::deserialize(d)? {
            Form::Bool(true) => (Resolvability::Yes, true),
            Form::Bool(false) => (Resolvability::No, true),
            Form::Text(t) => match t.trim().to_ascii_lowercase().as_str() {
                "true" | "yes" => (Resolvability::Yes, false),
                "partial" | "partially" => (Resolvability::Partial, false),
                "false" | "no" => (Resolvability::No, false),
                other => {
                    return Err(serde::de::Error::custom(format!(
                        "resolvable must be \"true\", \"partial\", \"false\" or a bool, not {other:?}"
                    )));
                }
            },
        };
        Ok(Resolvable { level, as_bool })
    }
}

impl Serialize for Resolvable {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        if self.as_bool {
            s.serialize_bool(self.level == Resolvability::Yes)
        } else {
            s.serialize_str(self.key())
        }
    }
}

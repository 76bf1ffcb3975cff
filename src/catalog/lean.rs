//! The fast path for lean records: an object made only of the fields a list needs (id, signature, regex,
//! domain and a few more), read in one pass and borrowed from the input.
//!
//! The general parser takes every object apart twice (raw fields first, for positions and duplicate keys,
//! then each field) and owns every string. Large catalogues are mostly lean records, which need none of
//! that: `parse` reads them directly and declines everything else (an unknown or duplicate key, a wrong
//! type, a missing or blank required field, broken JSON), which then goes the general way. So it accepts a
//! record only when the general parser would give the same record and no diagnostic (tested).

use super::environment::RecordEnvironment;
use super::record::Record;
use super::source::BorrowedStr;
use serde::Deserialize;
use serde_json::value::RawValue;

/// A lean record, its strings borrowed from the input where they hold no escapes.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lean<'a> {
    #[serde(borrow)]
    id: BorrowedStr<'a>,
    #[serde(borrow)]
    signature: BorrowedStr<'a>,
    #[serde(borrow, default)]
    signature_zh: Option<BorrowedStr<'a>>,
    /// Kept raw (quotes and escapes included): a search only asks whether it is blank, and decoding the
    /// escapes every regex has would cost an allocation a record.
    #[serde(borrow)]
    regex: &'a RawValue,
    #[serde(borrow, default)]
    domain: Option<BorrowedStr<'a>>,
    #[serde(borrow, default)]
    category: Option<BorrowedStr<'a>>,
    #[serde(borrow, default)]
    subcategory: Option<BorrowedStr<'a>>,
    #[serde(borrow, default)]
    verification_tier: Option<BorrowedStr<'a>>,
    #[serde(borrow, default)]
    aliases: Option<Vec<BorrowedStr<'a>>>,
    /// A detail, but a record's environment is read from it (and the embedded catalogue's list lines keep it).
    #[serde(borrow, default)]
    tags: Option<Vec<BorrowedStr<'a>>>,
    #[serde(default)]
    fix_success_rate: Option<f64>,
    #[serde(default)]
    confidence: Option<f64>,
    #[serde(borrow, default)]
    last_updated: Option<BorrowedStr<'a>>,
    /// A record's environment as `RecordEnvironment::to_text` writes it, for a cache of lean records: the
    /// general parser keeps it as an unknown field, and a record's environment is read from there.
    /// `null` is declined (the general parser would keep it as written).
    #[serde(borrow, default, deserialize_with = "some_string")]
    environment: Option<BorrowedStr<'a>>,
}

/// A string, never `null`.
fn some_string<'de: 'a, 'a, D: serde::Deserializer<'de>>(
    d: D,
) -> Result<Option<BorrowedStr<'a>>, D::Error> {
    BorrowedStr::deserialize(d).map(Some)
}

/// Reads `raw` (one JSON object, blanks around it allowed) if it is a lean record; `None` sends it to the
/// general parser.
pub fn parse(raw: &str) -> Option<Lean<'_>> {
    serde_json::from_str(raw).ok().and_then(complete)
}

/// `parse` over the lines of a JSONL text, given in order by their byte ranges (every line but blank ones):
/// `each` gets what `parse` would make of each. One reader goes from line to line while they are lean records;
/// serde_json decodes escaped strings in a buffer of its reader, grown from nothing for a new reader, and
/// that was a tenth of `errdex search`'s time when each line had its own.
pub fn parse_lines<'a>(
    text: &'a str,
    lines: impl IntoIterator<Item = std::ops::Range<usize>>,
    mut each: impl FnMut(Option<Lean<'a>>),
) {
    type Reader<'a> = serde_json::StreamDeserializer<'a, serde_json::de::StrRead<'a>, Lean<'a>>;
    let reader_at = |at: usize| {
        (
            at,
            serde_json::Deserializer::from_str(&text[at..]).into_iter(),
        )
    };
    // The next value must end on this line with only JSON blanks after it: then `parse(line)` reads the same.
    let read = |(base, reader): &mut (usize, Reader<'a>), line: &std::ops::Range<usize>| {
        let lean = reader.next()?.ok()?;
        let end = *base + reader.byte_offset();
        let ends_here = end <= line.end
            && text.as_bytes()[end..line.end]
                .iter()
                .all(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'));
        ends_here.then_some(lean).and_then(complete)
    };
    let mut reader = None;
    for line in lines {
        let r = reader.get_or_insert_with(|| reader_at(line.start));
        let from_before = r.0 != line.start;
        let mut lean = read(r, &line);
        if lean.is_none() && from_before {
            // Between the last line and this one lay blank lines that JSON does not count as blank (form
            // feeds): read this line alone.
            lean = read(reader.insert(reader_at(line.start)), &line);
        }
        if lean.is_none() {
            reader = None;
        }
        each(lean);
    }
}

/// A read record if its required fields hold more than blanks.
fn complete(lean: Lean) -> Option<Lean> {
    let blank = |s: &BorrowedStr| s.0.trim().is_empty();
    if blank(&lean.id) || blank(&lean.signature) || blank_string(lean.regex)? {
        return None;
    }
    // A rate out of range is dropped with a warning, which only the general parser gives.
    let out_of_range = |r: Option<f64>| r.is_some_and(|r| !(0.0..=1.0).contains(&r));
    if out_of_range(lean.fix_success_rate) || out_of_range(lean.confidence) {
        return None;
    }
    Some(lean)
}

/// Whether a raw JSON value is a blank string; `None` when it is no string at all.
fn blank_string(raw: &RawValue) -> Option<bool> {
    let inner = raw.get().strip_prefix('"')?.strip_suffix('"')?;
    // Most regexes hold escapes (`\\.`); a printable ASCII character outside them answers without decoding.
    let mut bytes = inner.bytes();
    while let Some(b) = bytes.next() {
        match b {
            b'\\' if bytes.next() == Some(b'u') => {
                bytes.nth(3);
            }
            b'\\' => {}
            b'!'..=b'~' => return Some(false),
            _ => {}
        }
    }
    // Only blanks, escapes (which may stand for blanks: `\n`, `\u0020`) or other characters: decode.
    let text: String = serde_json::from_str(raw.get()).ok()?;
    Some(text.trim().is_empty())
}

fn text<'s>(s: &'s Option<BorrowedStr>) -> Option<&'s str> {
    s.as_ref().map(|s| s.0.as_ref())
}

impl<'a> Lean<'a> {
    pub fn id(&self) -> &str {
        &self.id.0
    }

    /// The domain as the general parser sets it: the id's first part when the field is missing or empty.
    pub fn domain(&self) -> Option<&str> {
        text(&self.domain)
            .filter(|d| !d.is_empty())
            .or_else(|| self.id.0.split_once('/').map(|(d, _)| d))
    }

    pub fn category(&self) -> Option<&str> {
        text(&self.category)
    }

    pub fn subcategory(&self) -> Option<&str> {
        text(&self.subcategory)
    }

    pub fn verification_tier(&self) -> Option<&str> {
        text(&self.verification_tier)
    }

    pub fn signature(&self) -> &str {
        &self.signature.0
    }

    pub fn signature_zh(&self) -> Option<&str> {
        text(&self.signature_zh)
    }

    pub fn aliases(&self) -> impl Iterator<Item = &str> + Clone {
        self.aliases.iter().flatten().map(|a| a.0.as_ref())
    }

    /// The record the general parser would build from the same object.
    pub fn into_record(self) -> Record {
        let domain = self.domain().map(str::to_string);
        let own = |s: BorrowedStr| s.0.into_owned();
        // A string (checked by `parse`), so it decodes.
        let regex: String = serde_json::from_str(self.regex.get()).unwrap_or_default();
        let mut r = Record::new(own(self.id), own(self.signature), regex);
        r.signature_zh = self.signature_zh.map(own);
        r.domain = domain;
        r.category = self.category.map(own);
        r.subcategory = self.subcategory.map(own);
        r.verification_tier = self.verification_tier.map(own);
        r.fix_success_rate = self.fix_success_rate;
        r.confidence = self.confidence;
        r.last_updated = self.last_updated.map(own);
        r.aliases = self.aliases.into_iter().flatten().map(own).collect();
        let tags: Vec<String> = self.tags.into_iter().flatten().map(own).collect();
        if !tags.is_empty() {
            r.details_mut().tags = tags;
        }
        if let Some(env) = self.environment {
            r.details_mut()
                .extra
                .insert("environment".into(), serde_json::Value::String(own(env)));
        }
        let d = r.details();
        r.environment = RecordEnvironment::of(&r.id, r.domain(), &d.tags, &d.extra);
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::parse;
    use crate::catalog::source::Text;
    use proptest::prelude::*;
    use std::sync::Arc;

    /// What the general parser makes of `raw`, if it is a record with no diagnostic at all.
    fn general(raw: &str) -> Option<Record> {
        let text = Text::new(Arc::from("t.jsonl"), raw, 1);
        let mut found = Vec::new();
        let record = parse::general(&text, raw, true, &mut found).ok()?.0;
        found.is_empty().then_some(record)
    }

    fn agree(raw: &str) -> bool {
        let lean = parse(raw).map(Lean::into_record);
        if let Some(r) = &lean {
            assert_eq!(Some(r), general(raw).as_ref(), "{raw}");
        }
        lean.is_some()
    }

    #[test]
    fn takes_lean_records_and_declines_the_rest() {
        let taken = [
            r#"{"id":"a/b","signature":"x","regex":"x","domain":"d"}"#,
            r#" {"regex":"x\\d","signature":"sig \u00e9\n","id":"a/b"} "#,
            r#"{"id":"a/b","signature":"x","regex":"x","domain":"","aliases":null,"signature_zh":null}"#,
            r#"{"id":"ab","signature":"x","regex":"x","aliases":["p","q"],"fix_success_rate":1}"#,
            r#"{"id":"a/b","signature":"x","regex":"x","category":"c","subcategory":"s","verification_tier":"t"}"#,
            r#"{"id":"a/b","signature":"x","regex":"\\n\u0020"}"#,
            r#"{"id":"a/b","signature":"x","regex":"\u00e9"}"#,
            r#"{"id":"a/b","signature":"x","regex":"x","environment":"only=wsl;runtime=docker>=27.0"}"#,
        ];
        for raw in taken {
            assert!(agree(raw), "should be lean: {raw}");
        }
        let declined = [
            r#"{"id":"a/b","signature":"x","regex":"x","id":"c/d"}"#,
            r#"{"id":"a/b","signature":"x","regex":"x","root_cause":"r"}"#,
            r#"{"id":" ","signature":"x","regex":"x"}"#,
            r#"{"id":"a/b","signature":"x","regex":" \u0020\n\t\u3000"}"#,
            r#"{"id":"a/b","signature":"x"}"#,
            r#"{"id":"a/b","signature":"x","regex":"x","domain":5}"#,
            r#"{"id":"a/b","signature":"x","regex":"x","aliases":[null]}"#,
            r#"{"id":"a/b","signature":"x","regex":"x","environment":null}"#,
            r#"{"id":"a/b","signature":"x","regex":"x","environment":{"os":"linux"}}"#,
            r#"{"id":"a/b","signature":"x","regex":"x"} x"#,
            r#"{"id":"a/b","signature":"x","regex":"x","#,
            r#"{"schema_version":"1.0.0","id":"a/b","error":{"signature":"x","regex":"x"}}"#,
            r#"["id"]"#,
        ];
        for raw in declined {
            assert!(!agree(raw), "should not be lean: {raw}");
        }
    }

    #[test]
    fn every_minimal_synthetic_record_is_lean() {
        let mut out = Vec::new();
        crate::synth::write(&mut out, 500, 7, true).unwrap();
        let text = String::from_utf8(out).unwrap();
        for line in text.lines() {
            assert!(agree(line), "{line}");
        }
    }

    fn value() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("null".to_string()),
            Just("\"\"".to_string()),
            Just("\" \"".to_string()),
            Just("3".to_string()),
            Just("0.5".to_string()),
            Just("true".to_string()),
            Just("{}".to_string()),
            Just("[\"a\", \"b\"]".to_string()),
            Just("[]".to_string()),
            Just("[1]".to_string()),
            "[a-z/ ]{1,6}".prop_map(|s| format!("\"{s}\"")),
            Just("\"a\\u00e9\\\"/x\"".to_string()),
        ]
    }

    fn key() -> impl Strategy<Value = &'static str> {
        prop::sample::select(vec![
            "id",
            "signature",
            "signature_zh",
            "regex",
            "domain",
            "category",
            "subcategory",
            "verification_tier",
            "aliases",
            "fix_success_rate",
            "environment",
            "tags",
            "schema_version",
            "error",
        ])
    }

    /// `parse_lines` over a text made of `lines` against `parse` on each non-blank line.
    fn lines_agree(lines: &[String]) {
        let text = lines.join("\n");
        let mut ranges = Vec::new();
        let mut at = 0;
        for line in lines {
            if !line.bytes().all(|b| b.is_ascii_whitespace()) {
                ranges.push(at..at + line.len());
            }
            at += line.len() + 1;
        }
        let mut got = Vec::new();
        parse_lines(&text, ranges.clone(), |l| {
            got.push(l.map(Lean::into_record))
        });
        let want: Vec<_> = ranges
            .iter()
            .map(|r| parse(&text[r.clone()]).map(Lean::into_record))
            .collect();
        assert_eq!(got, want, "{text}");
    }

    #[test]
    fn lines_read_as_each_line_alone() {
        let good = r#"{"id":"a/b","signature":"s \"q\"","regex":"x\\."}"#;
        let cases: Vec<Vec<&str>> = vec![
            vec![good, good, "", good],
            vec![
                good,
                r#"{"id":"a/b","#,
                r#""signature":"x","regex":"x"}"#,
                good,
            ],
            vec![good, "\u{c}", good],
            vec![
                r#"{"id":"a/b","signature":"x","regex":"x"} {"id":"c/d","signature":"x","regex":"x"}"#,
                good,
            ],
            vec![r#"{"id":"a/b","signature":"x","regex":"x"}  "#, " \t", good],
            vec![r#"{"id":"a/b","signature":"x","regex":"x"}\u{a0}"#, good],
            vec![
                r#"{"id":"a/b","signature":"x","regex":"x","tags":[]}"#,
                good,
                "[1]",
                good,
            ],
            vec![good, "{", good],
        ];
        for lines in cases {
            lines_agree(&lines.iter().map(|l| l.to_string()).collect::<Vec<_>>());
        }
    }

    /// A cache of lean records keeps each record's environment: written with `to_text`, read back the same,
    /// whichever parser reads it.
    #[test]
    fn the_environment_survives_a_lean_cache() {
        use crate::catalog::environment::{Platforms, RecordEnvironment};
        let raw = r#"{"id":"docker/x/docker27-wsl2","signature":"x","regex":"x","environment":"only=wsl;mentions=windows;runtime=docker>=27.0,<28.0"}"#;
        let text = Text::new(Arc::from("t.jsonl"), raw, 1);
        let (r, _) = parse::record(&text, raw, true, &mut Vec::new()).expect("a record");
        assert_eq!(r.environment.only, Platforms::WSL);
        assert_eq!(r.environment.mentions, Platforms::WINDOWS);
        assert_eq!(
            RecordEnvironment::from_text(&r.environment.to_text()).as_ref(),
            Some(&r.environment)
        );
        assert!(agree(raw));
    }

    proptest! {
        /// Lines good and bad, blank or spread over two lines, read in one pass as they read alone.
        #[test]
        fn lines_agree_with_each_line(
            lines in prop::collection::vec(
                prop_oneof![
                    4 => "[a-z]{1,4}".prop_map(|s| format!(r#"{{"id":"d/{s}","signature":"{s} \"x\"","regex":"{s}\\d"}}"#)),
                    1 => Just(r#"{"id":"a/b","signature":"x","regex":"x","root_cause":"r"}"#.to_string()),
                    1 => Just(r#"{"id":"a/b","#.to_string()),
                    1 => Just(r#""signature":"x","regex":"x"}"#.to_string()),
                    1 => Just(String::new()),
                    1 => Just(" \u{c} ".to_string()),
                    1 => Just("}{".to_string()),
                    1 => Just(r#"{"id":"a/b","signature":"x","regex":"x"} 1"#.to_string()),
                ],
                0..12,
            ),
        ) {
            lines_agree(&lines);
        }

        /// Whatever the object, a record taken here is the one the general parser builds, without a warning.
        #[test]
        fn agrees_with_the_general_parser(
            fields in prop::collection::vec((key(), value()), 0..9),
            // Mostly good required fields, so that many objects are lean.
            required in prop::collection::vec(
                prop_oneof![3 => "[a-z]{1,4}/[a-z]{1,4}".prop_map(|s| format!("\"{s}\"")), 1 => value()],
                3,
            ),
        ) {
            let mut all: Vec<(String, String)> = ["id", "signature", "regex"]
                .iter()
                .zip(required)
                .map(|(k, v)| (k.to_string(), v))
                .collect();
            all.extend(fields.into_iter().map(|(k, v)| (k.to_string(), v)));
            let body: Vec<String> = all.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
            agree(&format!("{{{}}}", body.join(",")));
        }
    }
}

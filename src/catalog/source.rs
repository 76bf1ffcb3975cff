//! From a file's bytes to the JSON objects in it, each with its place in the file.
//!
//! Objects are first taken as raw text, so a record's fields can later be parsed one by one with exact line
//! and column numbers, and a broken line of a JSONL file costs only that line. A JSONL file is only cut into
//! lines here; each line is read as text and parsed where the records are parsed, in parallel.

use super::diagnostic::{Diagnostic, Position};
use serde::de::{Deserializer as _, MapAccess, Visitor};
use serde_json::value::RawValue;
use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;

/// How a file holds its records.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// One object, or an array of objects.
    Json,
    /// One object per line.
    JsonLines,
}

/// A piece of a file as text, able to turn byte offsets inside it into positions in the file.
pub struct Text<'a> {
    pub path: Arc<str>,
    pub text: &'a str,
    /// Where each line of `text` starts (borrowed `[0]` for one line of a JSONL file: no allocation).
    line_starts: Cow<'a, [usize]>,
    first_line: usize,
}

impl<'a> Text<'a> {
    pub fn new(path: Arc<str>, text: &'a str, first_line: usize) -> Self {
        // memchr: `match_indices` took a tenth of parsing a canon.
        let line_starts = std::iter::once(0)
            .chain(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1))
            .collect();
        Text {
            path,
            text,
            line_starts: Cow::Owned(line_starts),
            first_line,
        }
    }

    /// Line `line` of a JSONL file, as text (it holds no newline: the file was cut at them).
    pub fn line(path: &Arc<str>, bytes: &'a [u8], line: usize) -> Result<Self, Diagnostic> {
        Ok(Text::of_line(path, utf8(path, bytes, line)?, line))
    }

    /// `line` for a line already known to be UTF-8.
    pub fn of_line(path: &Arc<str>, text: &'a str, line: usize) -> Self {
        Text {
            path: path.clone(),
            text,
            line_starts: Cow::Borrowed(&[0]),
            first_line: line,
        }
    }

    /// The position of a byte offset into `text`.
    pub fn position(&self, offset: usize) -> Position {
        let offset = offset.min(self.text.len());
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let column = self
            .text
            .get(start..offset)
            .map_or(offset - start, |s| s.chars().count())
            + 1;
        Position {
            path: self.path.clone(),
            line: self.first_line + line,
            column,
        }
    }

    /// The byte offset of a slice of `text` (one that serde borrowed from it).
    pub fn offset_of(&self, slice: &str) -> usize {
        (slice.as_ptr() as usize).saturating_sub(self.text.as_ptr() as usize)
    }

    /// Where a serde_json error, raised while parsing `slice` of this text, points.
    pub fn error_position(&self, slice: &str, err: &serde_json::Error) -> Position {
        let at = self.offset_of(slice) + error_offset(slice, err);
        self.position(floor_char_boundary(self.text, at))
    }

    pub fn parse_error(&self, slice: &str, err: &serde_json::Error) -> Diagnostic {
        let at = self.error_position(slice, err);
        let mut message = json_message(err);
        // serde_json calls `{"a": 1,}` a non-string key; say what the user did.
        if message == "key must be a string" && self.comma_before(&at) {
            message = "trailing comma before `}`".to_string();
        }
        Diagnostic::error(&at, message)
    }

    /// Whether the last non-blank character before `at` is a comma.
    fn comma_before(&self, at: &Position) -> bool {
        let line = at.line - self.first_line;
        let Some(&start) = self.line_starts.get(line) else {
            return false;
        };
        let offset: usize = self.text[start..]
            .chars()
            .take(at.column - 1)
            .map(char::len_utf8)
            .sum();
        self.text[..start + offset].trim_end().ends_with(',')
    }
}

/// The byte offset into `slice` where a serde_json error, raised while parsing `slice`, points.
pub fn error_offset(slice: &str, err: &serde_json::Error) -> usize {
    let line = err.line().max(1) - 1;
    let start = if line == 0 {
        Some(0)
    } else {
        slice.match_indices('\n').nth(line - 1).map(|(i, _)| i + 1)
    };
    match start {
        Some(start) => (start + err.column().saturating_sub(1)).min(slice.len()),
        None => slice.len(),
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// serde_json's message without its own " at line L column C" suffix, which we replace with ours.
pub fn json_message(err: &serde_json::Error) -> String {
    let text = err.to_string();
    match text.rfind(" at line ") {
        Some(i) => text[..i].to_string(),
        None => text,
    }
}

/// A file cut into the pieces its records are parsed from.
pub enum Pieces<'a> {
    /// A JSON file: its text and the objects in it (one, or each item of a top-level array).
    Objects(Text<'a>, Vec<&'a str>),
    /// A JSONL file: each non-blank line with its number, still bytes (see `Text::line`).
    Lines(Vec<(usize, &'a [u8])>),
}

impl Pieces<'_> {
    pub fn len(&self) -> usize {
        match self {
            Pieces::Objects(_, objects) => objects.len(),
            Pieces::Lines(lines) => lines.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Cuts a file's bytes into pieces. Good values come back even when others are broken.
pub fn split<'a>(
    path: &Arc<str>,
    bytes: &'a [u8],
    layout: Layout,
    diagnostics: &mut Vec<Diagnostic>,
) -> Pieces<'a> {
    split_from(path, bytes, layout, 1, diagnostics)
}

/// `split` for a part of a JSONL file read in parts (whole lines), `first_line` the number of its first line;
/// only the file's start (`first_line` 1) may carry a byte-order mark.
pub fn split_from<'a>(
    path: &Arc<str>,
    bytes: &'a [u8],
    layout: Layout,
    first_line: usize,
    diagnostics: &mut Vec<Diagnostic>,
) -> Pieces<'a> {
    if first_line > 1 {
        let mut lines = lines(bytes);
        for (n, _) in &mut lines {
            *n += first_line - 1;
        }
        return Pieces::Lines(lines);
    }
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if is_utf16(bytes) {
        diagnostics.push(Diagnostic::error(
            &Position::file(path),
            "the file is UTF-16, which is not supported; save it as UTF-8",
        ));
        return Pieces::Lines(Vec::new());
    }
    match layout {
        Layout::Json => match utf8(path, bytes, 1) {
            Ok(text) => {
                let text = Text::new(path.clone(), text, 1);
                let values = json_values(&text, diagnostics);
                Pieces::Objects(text, values)
            }
            Err(d) => {
                diagnostics.push(d);
                Pieces::Lines(Vec::new())
            }
        },
        Layout::JsonLines => Pieces::Lines(lines(bytes)),
    }
}

/// The non-blank lines of a JSONL file with their numbers. A large file is cut at newlines into parts that
/// are scanned on every core, then joined with their numbers shifted.
fn lines(bytes: &[u8]) -> Vec<(usize, &[u8])> {
    use rayon::prelude::*;
    const PART: usize = 1024 * 1024;
    let mut parts = Vec::new();
    let mut start = 0;
    while start < bytes.len() {
        let end = match memchr::memchr(b'\n', &bytes[(start + PART).min(bytes.len())..]) {
            Some(i) => (start + PART).min(bytes.len()) + i + 1,
            None => bytes.len(),
        };
        parts.push(&bytes[start..end]);
        start = end;
    }
    let scanned: Vec<_> = parts.par_iter().map(|p| lines_of(p)).collect();
    let mut all = Vec::with_capacity(scanned.iter().map(|(l, _)| l.len()).sum());
    let mut before = 0;
    for (part, count) in scanned {
        all.extend(part.into_iter().map(|(n, l)| (n + before, l)));
        before += count;
    }
    all
}

/// The non-blank lines of `bytes`, numbered from 1, and how many lines it has (a final newline ends the
/// last one).
fn lines_of(bytes: &[u8]) -> (Vec<(usize, &[u8])>, usize) {
    let mut lines = Vec::new();
    let mut start = 0;
    let mut count = 0;
    for end in memchr::memchr_iter(b'\n', bytes).chain(std::iter::once(bytes.len())) {
        if end == bytes.len() && start == end && count > 0 {
            break;
        }
        count += 1;
        let line = &bytes[start..end];
        if !line.iter().all(u8::is_ascii_whitespace) {
            lines.push((count, line));
        }
        start = end + 1;
    }
    (lines, count)
}

/// A UTF-16 byte-order mark, or a NUL in the first two bytes: JSON text in UTF-8 has no NUL, while UTF-16
/// puts one beside every ASCII character (`{\0` or `\0{`).
fn is_utf16(bytes: &[u8]) -> bool {
    match bytes {
        [0xFF, 0xFE, ..] | [0xFE, 0xFF, ..] => true,
        [a, b, ..] => (*a == 0) != (*b == 0),
        _ => false,
    }
}

fn utf8<'a>(path: &Arc<str>, bytes: &'a [u8], first_line: usize) -> Result<&'a str, Diagnostic> {
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = &bytes[..e.valid_up_to()];
        // The prefix is valid UTF-8 by construction, so this cannot fail; fall back to the file start anyway.
        let at = std::str::from_utf8(valid)
            .map(|v| Text::new(path.clone(), v, first_line).position(v.len()))
            .unwrap_or_else(|_| Position::file(path));
        Diagnostic::error(
            &at,
            format!("invalid UTF-8 (byte 0x{:02X})", bytes[e.valid_up_to()]),
        )
    })
}

fn json_values<'a>(text: &Text<'a>, diagnostics: &mut Vec<Diagnostic>) -> Vec<&'a str> {
    if text.text.trim().is_empty() {
        diagnostics.push(Diagnostic::error(&text.position(0), "empty file"));
        return Vec::new();
    }
    // One object (a canon, most often): parsed once, by `Fields::of`, which reports broken JSON at the same
    // place with the same words. Checking it here first read every such file twice.
    // Blanks after it stay: an error at the end of the file is reported there.
    let object = text
        .text
        .trim_start_matches(|c: char| c.is_ascii_whitespace());
    if object.starts_with('{') {
        return vec![object];
    }
    let raw: &'a RawValue = match serde_json::from_str(text.text) {
        Ok(raw) => raw,
        Err(e) => {
            diagnostics.push(text.parse_error(text.text, &e));
            return Vec::new();
        }
    };
    if raw.get().starts_with('[') {
        match serde_json::from_str::<Vec<&'a RawValue>>(raw.get()) {
            Ok(items) => items.into_iter().map(RawValue::get).collect(),
            Err(e) => {
                diagnostics.push(text.parse_error(raw.get(), &e));
                Vec::new()
            }
        }
    } else {
        vec![raw.get()]
    }
}

/// The top-level fields of one object, in file order, each still raw.
pub struct Fields<'a> {
    pub fields: Vec<(Cow<'a, str>, &'a RawValue)>,
}

impl<'a> Fields<'a> {
    /// Reads an object's fields; a value that is not an object is an error at its position. `raw` is one
    /// JSON value, possibly with blanks around it (a JSONL line).
    pub fn of(text: &Text<'a>, raw: &'a str) -> Result<Self, Diagnostic> {
        let value = raw.trim_start();
        if !value.starts_with('{') {
            // Not an object: say what it is, or where its JSON breaks.
            return Err(match serde_json::from_str::<&RawValue>(raw) {
                Ok(_) => Diagnostic::error(
                    &text.position(text.offset_of(value)),
                    format!("expected a record object, found {}", kind_of(value)),
                ),
                Err(e) => text.parse_error(raw, &e),
            });
        }
        let mut de = serde_json::Deserializer::from_str(raw);
        match de
            .deserialize_map(FieldsVisitor)
            .and_then(|f| de.end().map(|()| f))
        {
            Ok(fields) => Ok(Fields { fields }),
            // Broken JSON is reported as skipping the value reports it (`json_values`, where a JSON file's
            // objects used to be checked first): its words and places are the more exact ("EOF while
            // parsing an object", at a control character rather than after it).
            Err(e) => {
                let e = serde_json::from_str::<&RawValue>(raw).err().unwrap_or(e);
                Err(text.parse_error(raw, &e))
            }
        }
    }
}

fn kind_of(raw: &str) -> &'static str {
    match raw.as_bytes().first() {
        Some(b'[') => "an array",
        Some(b'"') => "a string",
        Some(b't' | b'f') => "a bool",
        Some(b'n') => "null",
        _ => "a number",
    }
}

struct FieldsVisitor;

impl<'de> Visitor<'de> for FieldsVisitor {
    type Value = Vec<(Cow<'de, str>, &'de RawValue)>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut fields = Vec::with_capacity(32);
        while let Some(key) = map.next_key::<BorrowedStr<'de>>()? {
            fields.push((key.0, map.next_value::<&'de RawValue>()?));
        }
        Ok(fields)
    }
}

/// A string borrowed from the input when it has no escapes (keys, and the fields of lean records).
pub struct BorrowedStr<'a>(pub Cow<'a, str>);

impl<'de: 'a, 'a> serde::Deserialize<'de> for BorrowedStr<'a> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = BorrowedStr<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(BorrowedStr(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
                Ok(BorrowedStr(Cow::Owned(v.to_string())))
            }
        }
        d.deserialize_str(V(std::marker::PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_large_file_cut_in_parts_gives_the_lines_and_numbers_of_one_pass() {
        let mut text = String::new();
        for i in 0..200_000 {
            match i % 7 {
                0 => text.push('\n'),
                1 => text.push_str("   \r\n"),
                _ => text.push_str(&format!(
                    "{{\"line\": {i}, \"pad\": \"{}\"}}\n",
                    "x".repeat(i % 13)
                )),
            }
        }
        assert!(text.len() > 4 * 1024 * 1024, "several parts");
        for bytes in [
            text.as_bytes(),
            text.trim_end().as_bytes(),
            b"",
            b"\n\n",
            b"a",
            b"a\n\nb",
        ] {
            assert_eq!(lines(bytes), lines_of(bytes).0);
        }
    }
}

//! Embeds every record under `seeds/` into the binary, so an installed errdex works anywhere, with what a
//! one-off command would otherwise read out of it at every start: each record's list fields as a small JSON
//! object (its details stay in the seed text, parsed when shown), where the record sits in its file, and
//! what its regex requires (`regex_facts`, the file the crate itself uses). Parsing the 4 MB of seeds and
//! their regexes was most of `errdex lookup`'s time.

use serde::de::{Deserializer as _, MapAccess, Visitor};
use serde_json::value::RawValue;
use std::fmt::Write as _;
use std::fs;
use std::path::{Path, PathBuf};

#[allow(dead_code)]
#[path = "src/catalog/regex_facts.rs"]
mod regex_facts;

/// Seed fields that only the detail pane reads: left out of the list objects. Any other field is kept, so
/// a field added to the record's inline part needs nothing here (a detail missing from this list only costs
/// a few bytes: details are parsed from the seed text anyway).
const DETAIL_KEYS: &[&str] = &[
    "root_cause",
    "root_cause_type",
    "root_cause_zh",
    "versions",
    "os_specific",
    "dead_ends",
    "dead_ends_zh",
    "workarounds",
    "workarounds_zh",
    "transition_graph",
    "official_doc_url",
    "official_doc_section",
    "error_code",
    "resolvable",
    "first_seen",
    "last_confirmed",
    "evidence_count",
    // Not "tags": a record's environment (which lookup ranks by) is read from its tags when it is parsed.
    "locale",
    "sources",
];

fn main() {
    println!("cargo:rerun-if-changed=seeds");
    println!("cargo:rerun-if-changed=src/catalog/regex_facts.rs");
    println!("cargo:rerun-if-changed=src/catalog/regex_simple.rs");
    let mut files = Vec::new();
    collect(Path::new("seeds"), &mut files);
    let mut ascii = Vec::new();
    files.sort();
    let mut out = String::from(
        "/// Every seed file, as (path, text, what the build read of it), in path order.\n\
         pub static SEEDS: &[(&str, &str, Option<Prebuilt>)] = &[\n",
    );
    for f in &files {
        let rel = f.to_string_lossy().replace('\\', "/");
        let abs = fs::canonicalize(f).expect("seed path");
        let text = fs::read_to_string(f).unwrap_or_default();
        let prebuilt = prebuilt(&text, &mut ascii).unwrap_or_else(|| "None".into());
        writeln!(
            out,
            "    ({rel:?}, include_str!({:?}), {prebuilt}),",
            abs.to_string_lossy()
        )
        .unwrap();
    }
    out.push_str("];\n");
    ascii.sort();
    ascii.dedup();
    writeln!(
        out,
        "/// The seeds' regexes that are ASCII and compile as lookup compiles them (in order, for a binary \
         search).\npub static ASCII_COMPILING: &[&str] = &{ascii:?};"
    )
    .unwrap();
    // What names the embedded catalogue's index in the cache: it changes whenever a seed does.
    let mut hash = std::hash::DefaultHasher::new();
    for f in &files {
        std::hash::Hash::hash(&f.to_string_lossy(), &mut hash);
        std::hash::Hash::hash(&fs::read(f).unwrap_or_default(), &mut hash);
    }
    writeln!(
        out,
        "/// A hash of every seed file's path and text.\npub const SEEDS_HASH: u64 = {};",
        std::hash::Hasher::finish(&hash)
    )
    .unwrap();
    let dest = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR")).join("seeds.rs");
    fs::write(dest, out).expect("write seeds.rs");
}

/// The `Some(Prebuilt { .. })` expression for a seed file's text, or `None` when its JSON does not parse
/// (the loader then reads it the usual way and reports where it breaks).
fn prebuilt(text: &str, ascii: &mut Vec<String>) -> Option<String> {
    let body = text.strip_prefix('\u{feff}').unwrap_or(text);
    let top: &RawValue = serde_json::from_str(body).ok()?;
    let objects: Vec<&RawValue> = if top.get().starts_with('[') {
        serde_json::from_str(top.get()).ok()?
    } else {
        vec![top]
    };
    let mut lean = String::new();
    let mut records = String::new();
    for object in objects {
        let raw = object.get();
        let start = raw.as_ptr() as usize - text.as_ptr() as usize;
        let before = &text[..start];
        let line = before.matches('\n').count() + 1;
        let column = before[before.rfind('\n').map_or(0, |i| i + 1)..]
            .chars()
            .count()
            + 1;
        // Not an object: the loader reads the file itself (and says what it is).
        if !raw.starts_with('{') {
            return None;
        }
        let fields = fields(raw)?;
        let kept: Vec<String> = fields
            .iter()
            .filter(|(k, _)| !DETAIL_KEYS.contains(&k.as_str()))
            // A raw line break can only be a blank between tokens (JSON strings escape theirs): one line each.
            .map(|(k, v)| {
                format!(
                    "{}:{}",
                    serde_json::to_string(k).unwrap(),
                    v.get().replace(['\n', '\r'], " ")
                )
            })
            .collect();
        let facts = fields
            .iter()
            .find(|(k, _)| k == "regex")
            .and_then(|(_, v)| serde_json::from_str::<String>(v.get()).ok())
            .inspect(|re| {
                if re.is_ascii() && regex_facts::compile(re).is_ok() {
                    ascii.push(re.clone());
                }
            })
            .map_or(
                "Facts::Unknown".to_string(),
                |re| match regex_facts::facts(&re) {
                    None => "Facts::Unparsable".into(),
                    Some(f) => format!(
                        "Facts::Known {{ required: {}, literalness: {:?} }}",
                        f.required.map_or("None".into(), |branches| {
                            let branches: Vec<String> = branches
                                .iter()
                                .map(|b| {
                                    let items: Vec<String> = b
                                        .iter()
                                        .map(|l| format!("b\"{}\"", l.escape_ascii()))
                                        .collect();
                                    format!("&[{}]", items.join(", "))
                                })
                                .collect();
                            format!("Some(&[{}])", branches.join(", "))
                        }),
                        f.literalness
                    ),
                },
            );
        writeln!(lean, "{{{}}}", kept.join(",")).unwrap();
        writeln!(
            records,
            "        Seed {{ start: {start}, end: {}, line: {line}, column: {column}, facts: {facts} }},",
            start + raw.len()
        )
        .unwrap();
    }
    Some(format!(
        "Some(Prebuilt {{\n        lean: {lean:?},\n        records: &[\n{records}        ],\n    }})"
    ))
}

/// An object's fields in file order, duplicates included, values raw.
fn fields(raw: &str) -> Option<Vec<(String, &RawValue)>> {
    struct V;
    impl<'de> Visitor<'de> for V {
        type Value = Vec<(String, &'de RawValue)>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(k) = map.next_key::<String>()? {
                out.push((k, map.next_value::<&RawValue>()?));
            }
            Ok(out)
        }
    }
    serde_json::Deserializer::from_str(raw)
        .deserialize_map(V)
        .ok()
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        println!("cargo:rerun-if-changed={}", path.display());
        if path.is_dir() {
            collect(&path, files);
        } else if path.extension().is_some_and(|e| e == "json") {
            files.push(path);
        }
    }
}

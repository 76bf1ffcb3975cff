//! The fast path of `regex_facts::parse` (`parse_simple`): whatever it builds is exactly what regex_syntax
//! parses, and it takes nearly every real catalogue regex (a regression to regex_syntax's pace fails here).

mod common;

use errdex::catalog::regex_facts::{parse_in_full as slow, parse_simple};
use proptest::prelude::*;
use proptest::sample::{Index, select};
use std::path::Path;

/// Every string under a `"regex"` key in the JSON files under `dir`: a file of one object, an array, or JSON
/// lines.
fn regexes(dir: &Path) -> Vec<String> {
    fn walk(value: &serde_json::Value, out: &mut Vec<String>) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, v) in map {
                    match v {
                        serde_json::Value::String(s) if key == "regex" => out.push(s.clone()),
                        _ => walk(v, out),
                    }
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    let mut dirs = vec![dir.to_path_buf()];
    while let Some(dir) = dirs.pop() {
        for entry in std::fs::read_dir(&dir).expect("read dir") {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                dirs.push(path);
                continue;
            }
            if !path
                .extension()
                .is_some_and(|e| e == "json" || e == "jsonl")
            {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("read");
            match serde_json::from_str(&text) {
                Ok(value) => walk(&value, &mut out),
                Err(_) => text
                    .lines()
                    .filter_map(|line| serde_json::from_str(line).ok())
                    .for_each(|value| walk(&value, &mut out)),
            }
        }
    }
    out
}

/// Checks the fast path against regex_syntax on every pattern; the share it takes.
fn share_taken(patterns: &[String]) -> f64 {
    let mut taken = 0;
    for pattern in patterns {
        if let Some(hir) = parse_simple(pattern) {
            assert_eq!(Some(hir), slow(pattern), "{pattern:?}");
            taken += 1;
        }
    }
    taken as f64 / patterns.len() as f64
}

#[test]
fn the_fast_path_equals_regex_syntax_on_the_seeds() {
    let patterns = regexes(&Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds"));
    assert!(patterns.len() > 500, "{} regexes", patterns.len());
    // All 623 when this was written.
    let share = share_taken(&patterns);
    assert!(share >= 0.95, "the fast path takes {share:.3} of the seeds");
}

#[test]
fn the_fast_path_equals_regex_syntax_on_the_corpus() {
    let Some(corpus) = common::shared("corpus/deadends") else {
        return;
    };
    let patterns = regexes(&corpus);
    assert!(patterns.len() > 1000, "{} regexes", patterns.len());
    // All 2,023 when this was written.
    let share = share_taken(&patterns);
    assert!(
        share >= 0.95,
        "the fast path takes {share:.3} of the corpus"
    );
}

/// Pieces of the subset the fast path handles.
fn atom() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9 :'\"/_,=@%#&~-]{1,6}",
        select(vec![
            ".",
            r"\s",
            r"\d",
            r"\w",
            r"\S",
            r"\D",
            r"\W",
            r"\.",
            r"\(",
            r"\)",
            r"\[",
            r"\]",
            r"\{",
            r"\}",
            r"\|",
            r"\*",
            r"\+",
            r"\?",
            r"\^",
            r"\$",
            r"\\",
            r"\-",
            r"\ ",
            r"\/",
            r"\n",
            "]",
            "}",
            "找不到",
            "é",
            "K",
            "k",
            "ſ",
            "ß",
            "Σ",
            "컨",
        ])
        .prop_map(String::from),
        r"\[\^?-?([a-z0-9_ .:/é找]|[a-f]-[g-z]|\\[sdwSDW.\]\[-]){1,4}\]",
    ]
}

/// Patterns of the subset: atoms and groups, repeated, concatenated, alternated, under flags.
fn simple_pattern() -> impl Strategy<Value = String> {
    let repeat = select(vec![
        "", "", "", "*", "+", "?", "*?", "+?", "??", "{2}", "{0,15}", "{3,}", "{1}", "{0}",
        "{2,3}?",
    ]);
    let repeated = (atom(), repeat.clone()).prop_map(|(a, r)| a + r);
    // Assertions take no counted repetition (`\b{2}` is another syntax).
    let assertion = select(vec!["^", "$", r"\b", r"\B", r"\A", r"\z"]).prop_map(String::from);
    prop_oneof![4 => repeated, 1 => assertion].prop_recursive(4, 32, 4, move |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 1..4).prop_map(|v| v.concat()),
            proptest::collection::vec(inner.clone(), 2..4).prop_map(|v| v.join("|")),
            (
                select(vec!["(", "(?:", "(?i:", "(?i)(", "(?m:", "(?s:", "(?is:"]),
                inner.clone(),
                repeat.clone(),
            )
                .prop_map(|(open, s, r)| format!("{open}{s}){r}")),
            (select(vec!["(?i)", "(?m)", "(?s)", "(?im)"]), inner)
                .prop_map(|(flags, s)| flags.to_string() + &s),
        ]
    })
}

/// A pattern with a few characters deleted or inserted: mostly near misses of the subset, often errors.
fn mutated_pattern() -> impl Strategy<Value = String> {
    let edit = (
        any::<Index>(),
        any::<bool>(),
        select(vec![
            '(', ')', '[', ']', '{', '}', '|', '*', '+', '?', '\\', '^', '$', '-', ',', ':', '2',
            'i', 'P', '<', '&', '~', 'é',
        ]),
    );
    (simple_pattern(), proptest::collection::vec(edit, 1..4)).prop_map(|(pattern, edits)| {
        let mut chars: Vec<char> = pattern.chars().collect();
        for (at, insert, c) in edits {
            if insert {
                chars.insert(at.index(chars.len() + 1), c);
            } else if !chars.is_empty() {
                chars.remove(at.index(chars.len()));
            }
        }
        chars.into_iter().collect()
    })
}

fn agrees(pattern: &str) -> Result<(), TestCaseError> {
    if let Some(hir) = parse_simple(pattern) {
        prop_assert_eq!(Some(hir), slow(pattern), "{:?}", pattern);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1024))]

    #[test]
    fn the_fast_path_takes_the_subset_and_equals_regex_syntax(pattern in simple_pattern()) {
        prop_assert!(parse_simple(&pattern).is_some(), "{:?}", pattern);
        agrees(&pattern)?;
    }

    #[test]
    fn the_fast_path_is_none_or_equals_regex_syntax_on_mutations(pattern in mutated_pattern()) {
        agrees(&pattern)?;
    }

    #[test]
    fn the_fast_path_is_none_or_equals_regex_syntax_on_syntax_soup(
        pattern in r"[()\[\]{}|*+?\\^$.,:\-&~<>PiIms0-9aKk é]{0,24}"
    ) {
        agrees(&pattern)?;
    }

    #[test]
    fn the_fast_path_is_none_or_equals_regex_syntax_on_any_text(pattern in any::<String>()) {
        agrees(&pattern)?;
    }
}

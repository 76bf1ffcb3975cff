//! `errdex search` scores records straight from the files (`search::scan`); it must find exactly what
//! loading the catalogue and filtering it finds.

mod common;

use errdex::catalog::load::Options;
use errdex::catalog::{Catalog, Lang, Record, Severity};
use errdex::search::fuzzy::{FuzzyIndex, Query};
use errdex::search::scan;
use std::path::PathBuf;

/// The straightforward computation: the whole catalogue loaded, every record scored.
fn loaded(
    embedded: bool,
    paths: &[PathBuf],
    q: &Query,
    lang: Lang,
    limit: usize,
) -> (Vec<(Record, i64)>, usize) {
    let c = Catalog::load_with(
        embedded,
        paths,
        &Options {
            check_regexes: false,
        },
    );
    let hits = FuzzyIndex::new(&c).filter_uncached(&c, q, lang);
    let hits = hits
        .iter()
        .take(limit)
        .map(|h| (c[h.index].clone(), h.score))
        .collect();
    (hits, c.count(Severity::Error))
}

/// Compares scanning the files, and scoring them from the persistent index (built first, by loading the
/// catalogue through it), with the loaded catalogue. The files must be old enough for the index to keep them
/// (`common::age`).
fn same(embedded: bool, paths: &[PathBuf], queries: &[&str], limits: &[usize]) -> usize {
    let cache = tempfile::tempdir().expect("cache");
    Catalog::load_cached(
        embedded,
        paths,
        &Options {
            check_regexes: false,
        },
        cache.path(),
    );
    let mut compared = 0;
    for text in queries {
        let q = Query::parse(text);
        for lang in [Lang::En, Lang::Zh] {
            for &limit in limits {
                let (hits, errors) = loaded(embedded, paths, &q, lang, limit);
                let indexed = scan::search(embedded, paths, &q, lang, limit, Some(cache.path()));
                assert!(indexed.indexed > 0, "the index was used");
                let found = scan::search(embedded, paths, &q, lang, limit, None);
                assert_eq!(found.indexed, 0);
                for found in [found, indexed] {
                    assert_eq!(found.errors, errors, "{text:?} {lang:?}");
                    let ids = |h: &[(Record, i64)]| {
                        h.iter()
                            .map(|(r, s)| (r.id.clone(), *s))
                            .collect::<Vec<_>>()
                    };
                    assert_eq!(
                        ids(&found.hits),
                        ids(&hits),
                        "{text:?} {lang:?} limit {limit}"
                    );
                    assert!(found.hits == hits, "records differ for {text:?} {lang:?}");
                }
                compared += hits.len();
            }
        }
    }
    compared
}

const QUERIES: &[&str] = &[
    "conn",
    "module named",
    "conection refused",
    "domain:python mod",
    "",
    "cat:net",
    "pushrej",
    "连接",
    "exec format",
    "zzzzqqq",
];

#[test]
fn finds_what_the_loaded_catalogue_finds() {
    let dir = tempfile::tempdir().unwrap();
    let mut minimal = Vec::new();
    errdex::synth::write(&mut minimal, 3000, 1, true).unwrap();
    let minimal = String::from_utf8(minimal).unwrap();
    let first = minimal.lines().next().unwrap();
    let first_id = serde_json::from_str::<serde_json::Value>(first).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    // A later record with the first one's id that every query would rank first: loading skips it.
    let dup = format!(
        r#"{{"id":"{first_id}","signature":"conn module named conection refused exec format pushrej 连接","regex":"x"}}"#
    );
    let extra = [
        dup.as_str(),
        r#"{"id":"x/broken","signature":"connection"#,
        r#"{"id":"x/broken-dup","signature":"connection refused","regex":"x","signature":"dup key"}"#,
        r#"{"id":"x/full","signature":"connection reset","regex":"x","root_cause":"r","aliases":["conn reset"]}"#,
        r#"{"id":"x/escaped","signature":"conn\u0065ction \"refused\"","signature_zh":"连接被拒绝","regex":"x"}"#,
        r#"{"id":"x/no-regex","signature":"connection refused"}"#,
        "[1, 2]",
        r#"{"id":"x/zh","signature":"module not found","signature_zh":"找不到模块 连接","regex":"x","category":"network_error"}"#,
    ];
    std::fs::write(
        dir.path().join("a.jsonl"),
        format!("{minimal}{}\n", extra.join("\n")),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("b.json"),
            r#"[{"id":"x/full","signature":"conn dup in another file","regex":"x"},
               {"schema_version":"1.0.0","id":"canon/conn","error":{"signature":"connection timed out","regex":"x","domain":"net"}},
               {"id":"y/in-json","signature":"module named y","regex":"y"}]"#
    )
    .unwrap();
    let mut full = Vec::new();
    errdex::synth::write(&mut full, 300, 2, false).unwrap();
    std::fs::write(dir.path().join("c.jsonl"), full).unwrap();
    common::age(dir.path());
    std::fs::write(dir.path().join("d.json"), "{ broken").unwrap();

    let paths = [dir.path().to_path_buf()];
    let compared = same(false, &paths, QUERIES, &[20, 3, usize::MAX]);
    assert!(
        compared > 1000,
        "the queries should match many records ({compared})"
    );
    same(true, &paths, &["conn", "exec format", ""], &[20]);
    let found = scan::search(
        false,
        &paths,
        &Query::parse("conn module named"),
        Lang::En,
        5,
        None,
    );
    assert_ne!(
        found.hits[0].0.signature,
        "conn module named conection refused exec format pushrej 连接"
    );
}

#[test]
fn finds_what_the_loaded_catalogue_finds_in_the_deadends_corpus() {
    let Some(dir) = common::shared("corpus/deadends") else {
        return;
    };
    let compared = same(
        false,
        &[dir],
        &["permission denied", "modul not fond", "docker", ""],
        &[20, usize::MAX],
    );
    assert!(compared > 100);
}

#[test]
fn counts_unreadable_paths_as_errors() {
    let found = scan::search(
        false,
        &[PathBuf::from("/nonexistent/x.jsonl")],
        &Query::parse("x"),
        Lang::En,
        5,
        None,
    );
    assert_eq!((found.hits.len(), found.errors), (0, 1));
}

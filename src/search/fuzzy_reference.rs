//! The fuzzy filter against the straightforward computation: every record, one by one, no pre-filter, no
//! cache, no threads; each term scored by SkimMatcherV2 on every searchable field, the best field counting,
//! every term required. `FuzzyIndex::filter` must give the same records, scores and order, whatever its
//! shortcuts, including for text whose lower case is not one character per character (final sigma, dotted
//! capital I, KELVIN SIGN).

use super::fuzzy::{FuzzyIndex, Query};
use crate::catalog::{Catalog, Lang, Position, Record};
use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;

/// (index, score), best first, ties in catalogue order; an empty text keeps catalogue order.
fn straightforward(catalog: &Catalog, query: &Query, lang: Lang) -> Vec<(usize, i64)> {
    // A new matcher per field: a reused one answers differently after other calls (see `search::score`).
    let matcher = || SkimMatcherV2::default().smart_case();
    let terms: Vec<&str> = query.text.split_whitespace().collect();
    let mut hits = Vec::new();
    for (index, r) in catalog.iter().enumerate() {
        if !passes(r, query) {
            continue;
        }
        let mut fields = vec![r.signature.as_str()];
        if lang == Lang::Zh {
            fields.extend(r.signature_zh.as_deref());
        }
        fields.extend(r.aliases.iter().map(String::as_str));
        fields.push(&r.id);
        let score: Option<i64> = terms
            .iter()
            .map(|t| {
                fields
                    .iter()
                    .filter_map(|f| matcher().fuzzy_match(f, t))
                    .max()
            })
            .sum();
        if let Some(score) = score {
            hits.push((index, score));
        }
    }
    if !terms.is_empty() {
        hits.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    }
    hits
}

/// The documented filters: `domain:` and `tier:` are case-insensitive prefixes, `cat:` a case-insensitive
/// substring of category or subcategory.
fn passes(r: &Record, q: &Query) -> bool {
    let lower = |s: &Option<String>| s.as_deref().map(str::to_lowercase);
    let prefix = |field: &Option<String>, want: &Option<String>| {
        want.as_ref()
            .is_none_or(|w| lower(field).is_some_and(|f| f.starts_with(w.as_str())))
    };
    let within = |field: &Option<String>, want: &Option<String>| {
        want.as_ref()
            .is_none_or(|w| lower(field).is_some_and(|f| f.contains(w.as_str())))
    };
    prefix(&r.domain, &q.domain)
        && (within(&r.category, &q.category) || within(&r.subcategory, &q.category))
        && prefix(&r.verification_tier, &q.tier)
}

fn catalogue() -> Catalog {
    let path: std::sync::Arc<str> = "synthetic.jsonl".into();
    let mut c = crate::synth::catalog(5000, 11, false);
    // Text whose case mapping changes length or depends on context.
    for (id, sig) in [
        ("greek/odos", "ΟΔΟΣ closed error"),
        ("turkish/istanbul", "İSTANBUL host unreachable"),
        ("units/kelvin", "temperature 300\u{212a} exceeded"),
        ("german/strasse", "STRASSE straße not found"),
    ] {
        let mut r = Record::new(id, sig, "x");
        r.aliases.push(format!("alias of {id}"));
        c.add(r, Position::file(&path));
    }
    c
}

#[test]
fn filter_equals_the_straightforward_computation() {
    let c = catalogue();
    let index = FuzzyIndex::new(&c);
    let queries = [
        "",
        "conn",
        "Conn refused",
        "mod nam",
        "module named",
        "modnotfound",
        "domain:python",
        "domain:PY KeyError",
        "cat:network timeout",
        "tier:ai err",
        "eaddrinuse 30",
        "找不到",
        "Σ",
        "σ",
        "odos",
        "İstanbul",
        "i̇stanbul",
        "300K",
        "k exceeded",
        "straße",
        "zzzz",
    ];
    let mut nonempty = 0;
    for lang in [Lang::En, Lang::Zh] {
        // Typed one character at a time too, so incremental narrowing is exercised.
        for text in queries {
            let mut typed = String::new();
            for ch in text.chars() {
                typed.push(ch);
                let q = Query::parse(&typed);
                let got: Vec<(usize, i64)> = index
                    .filter(&c, &q, lang)
                    .iter()
                    .map(|h| (h.index, h.score))
                    .collect();
                let want = straightforward(&c, &q, lang);
                nonempty += usize::from(!want.is_empty());
                assert_eq!(got, want, "{typed:?} in {lang:?}");
            }
        }
    }
    assert!(nonempty > 50, "the queries must match records");
}

/// The real corpus, when `../shared` is present: its signatures are longer and more varied than the
/// synthetic ones.
#[test]
fn filter_equals_the_straightforward_computation_on_the_corpus() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/deadends");
    if !dir.exists() {
        eprintln!("skipped: {} is absent", dir.display());
        return;
    }
    let c = Catalog::load(false, &[dir]);
    assert!(c.len() > 1000);
    let index = FuzzyIndex::new(&c);
    for text in [
        "permission denied",
        "npm ERR",
        "cuda",
        "E0",
        "modnotfound",
        "x",
    ] {
        for lang in [Lang::En, Lang::Zh] {
            let q = Query::parse(text);
            let got: Vec<(usize, i64)> = index
                .filter_uncached(&c, &q, lang)
                .iter()
                .map(|h| (h.index, h.score))
                .collect();
            assert_eq!(got, straightforward(&c, &q, lang), "{text:?}");
        }
    }
}

//! The search engines: the fuzzy filter per keystroke, lookup per message and the lookup index's build,
//! over the embedded catalogue, the deadends corpus (when `../shared` is present) and synthetic catalogues
//! of 2,500 to 1,000,000 records.
//! `cargo bench --bench search`; `cargo bench --bench search -- lookup` for one group.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use errdex::catalog::{Catalog, Lang};
use errdex::search::fuzzy::{FuzzyIndex, Query};
use errdex::search::lookup::LookupIndex;
use std::path::PathBuf;

fn synthetic(count: usize, minimal: bool) -> Catalog {
    errdex::synth::catalog(count, 1, minimal)
}

fn corpus() -> Option<Catalog> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/deadends");
    p.exists().then(|| Catalog::load(false, &[p]))
}

fn messages() -> Vec<String> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/scenarios/deadends-public-20.json");
    let from_file = std::fs::read(p)
        .ok()
        .and_then(|b| serde_json::from_slice::<Vec<serde_json::Value>>(&b).ok());
    match from_file {
        Some(s) => s
            .iter()
            .filter_map(|x| x["error_message"].as_str().map(str::to_string))
            .collect(),
        None => vec![
            "ModuleNotFoundError: No module named 'torch'".into(),
            "Error: listen EADDRINUSE: address already in use :::3000".into(),
        ],
    }
}

fn fuzzy(c: &mut Criterion) {
    let mut g = c.benchmark_group("fuzzy");
    g.sample_size(20);
    // The real catalogues: every prefix of a typed query, as the browser filters on each keystroke.
    let mut real = vec![("embedded".to_string(), Catalog::embedded())];
    real.extend(corpus().map(|c| ("deadends_corpus".to_string(), c)));
    for (name, catalog) in &real {
        let index = FuzzyIndex::new(catalog);
        let typed = "permission denied";
        let prefixes: Vec<Query> = (1..=typed.len())
            .map(|n| Query::parse(&typed[..n]))
            .collect();
        g.bench_function(BenchmarkId::new("typing_17_keystrokes", name), |b| {
            b.iter(|| {
                for q in &prefixes {
                    std::hint::black_box(index.filter(catalog, q, Lang::En));
                }
            })
        });
    }
    for count in [2_500usize, 100_000, 1_000_000] {
        let catalog = synthetic(count, true);
        let index = FuzzyIndex::new(&catalog);
        // A keystroke from scratch, and the next keystroke narrowing the previous result.
        let cold = Query::parse("conn");
        g.bench_with_input(
            BenchmarkId::new("first_keystroke", count),
            &count,
            |b, _| b.iter(|| index.filter_uncached(&catalog, &cold, Lang::En)),
        );
        // Typing a query from nothing, one keystroke at a time: the browser's real work per keystroke
        // (the first ones score everything, the later ones only narrow). Divide by the 18 keystrokes.
        let typed = "connection refused";
        let prefixes: Vec<Query> = (1..=typed.len())
            .map(|n| Query::parse(&typed[..n]))
            .collect();
        g.bench_with_input(
            BenchmarkId::new("typing_18_keystrokes", count),
            &count,
            |b, _| {
                b.iter(|| {
                    index.forget();
                    for q in &prefixes {
                        std::hint::black_box(index.filter(&catalog, q, Lang::En));
                    }
                })
            },
        );
        let prev = Query::parse("module nam");
        let next = Query::parse("module name");
        g.bench_with_input(BenchmarkId::new("next_keystroke", count), &count, |b, _| {
            b.iter(|| {
                index.filter(&catalog, &prev, Lang::En);
                index.filter(&catalog, &next, Lang::En)
            })
        });
    }
    g.finish();
}

fn lookup(c: &mut Criterion) {
    let mut g = c.benchmark_group("lookup");
    g.sample_size(20);
    let msgs = messages();
    // Each iteration looks up every message; the throughput line gives the time per message.
    g.throughput(Throughput::Elements(msgs.len() as u64));
    let mut catalogs: Vec<(String, Catalog)> = Vec::new();
    match corpus() {
        Some(cat) => catalogs.push(("deadends_corpus".into(), cat)),
        None => eprintln!(
            "notice: ../shared/corpus/deadends is absent; skipping the corpus lookup benchmark"
        ),
    }
    catalogs.push(("embedded".into(), Catalog::embedded()));
    catalogs.push(("synthetic_2500".into(), synthetic(2_500, false)));
    catalogs.push(("synthetic_100000".into(), synthetic(100_000, false)));
    // Records of id, signature, regex and domain: what lookup reads, a million of them in memory.
    catalogs.push((
        "synthetic_1000000_minimal".into(),
        synthetic(1_000_000, true),
    ));
    for (name, catalog) in &catalogs {
        let index = LookupIndex::new(catalog);
        if catalog.len() >= 1_000_000 {
            g.sample_size(10);
        }
        g.bench_function(BenchmarkId::new("per_message", name), |b| {
            b.iter(|| {
                for m in &msgs {
                    std::hint::black_box(index.lookup(catalog, m, 10));
                }
            })
        });
    }
    g.finish();
    // What the first lookup pays before it: parsing every regex (none is compiled until a lookup needs
    // it), the literal scanner and the word index.
    let mut g = c.benchmark_group("lookup_index");
    g.sample_size(10);
    for (name, catalog) in catalogs.iter().filter(|(_, c)| c.len() <= 100_000) {
        g.bench_function(BenchmarkId::new("build", name), |b| {
            b.iter(|| LookupIndex::new(catalog))
        });
    }
    g.finish();
}

criterion_group!(benches, fuzzy, lookup);
criterion_main!(benches);

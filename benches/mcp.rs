//! `errdex mcp` as an agent sees it: one `lookup_error` round trip over stdio (request written, JSON answer
//! read back and parsed) on the deadends corpus, the embedded catalogue, and the two together; and the time
//! from starting the server to its first answer. Skips the corpus when `../shared` is absent.
//! `cargo bench --bench mcp`.

#[path = "../tests/common/mcp_client.rs"]
mod client;

use client::Client;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use serde_json::json;
use std::path::PathBuf;

const BIN: &str = env!("CARGO_BIN_EXE_errdex");

fn corpus() -> Option<String> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/deadends");
    if !p.exists() {
        eprintln!(
            "notice: {} is absent; benchmarking the embedded catalogue only",
            p.display()
        );
        return None;
    }
    Some(p.to_string_lossy().into_owned())
}

/// One message per kind of log the scenarios hold: a traceback line, a node error, a docker error.
const MESSAGES: &[&str] = &[
    "ModuleNotFoundError: No module named 'torch'",
    "Error: listen EADDRINUSE: address already in use :::3000",
    "exec /usr/bin/python3: exec format error",
];

fn round_trip(c: &mut Criterion) {
    let mut setups: Vec<(&str, Vec<String>)> = vec![("embedded", vec![])];
    if let Some(corpus) = corpus() {
        setups.push((
            "deadends_corpus",
            vec!["--no-default".into(), "-c".into(), corpus.clone()],
        ));
        setups.push(("embedded_and_corpus", vec!["-c".into(), corpus]));
    }
    let mut g = c.benchmark_group("mcp");
    g.sample_size(30);
    for (name, args) in &setups {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let mut server = Client::start(BIN, &args);
        server.initialize();
        let mut k = 0;
        g.bench_function(BenchmarkId::new("lookup_error_round_trip", name), |b| {
            b.iter(|| {
                k += 1;
                let r = server.call(
                    "lookup_error",
                    json!({"message": MESSAGES[k % MESSAGES.len()]}),
                );
                assert!(
                    r["result"]["structuredContent"]["matches"].is_array(),
                    "{r}"
                );
            })
        });
        assert!(server.finish().success());
        // Start, load and index, handshake, first answer: what an agent waits for on its first error.
        g.bench_function(BenchmarkId::new("start_to_first_answer", name), |b| {
            b.iter(|| {
                let mut server = Client::start(BIN, &args);
                server.initialize();
                server.call("lookup_error", json!({"message": MESSAGES[0]}));
                server.finish()
            })
        });
    }
    g.finish();
}

criterion_group!(benches, round_trip);
criterion_main!(benches);

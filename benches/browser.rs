//! The browser's costs that do not depend on the search engines: loading catalogues, start-up to the first
//! frame, and drawing one frame. `cargo bench --bench browser`.

use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use errdex::catalog::Catalog;
use errdex::catalog::load::Options as LoadOptions;
use errdex::tui::action::{Action, Tab};
use errdex::tui::app::{App, Options};
use errdex::tui::update::update;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use std::path::PathBuf;

/// Writes `count` synthetic records as JSONL shards of 50,000 (each shard stays under the file size cap).
fn synthetic(count: usize, minimal: bool) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut rng = errdex::synth::Rng::new(1);
    let mut i = 0;
    while i < count {
        let n = (count - i).min(50_000);
        let mut out = std::io::BufWriter::new(
            std::fs::File::create(dir.path().join(format!("shard-{i:08}.jsonl"))).expect("create"),
        );
        for j in i..i + n {
            use std::io::Write;
            writeln!(out, "{}", errdex::synth::record(&mut rng, j, minimal)).expect("write");
        }
        i += n;
    }
    let path = dir.path().to_path_buf();
    (dir, path)
}

fn corpus() -> Option<PathBuf> {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/corpus/deadends");
    p.exists().then_some(p)
}

fn load(c: &mut Criterion) {
    let mut g = c.benchmark_group("load");
    g.sample_size(10);
    g.bench_function("embedded", |b| b.iter(Catalog::embedded));
    match corpus() {
        Some(p) => {
            g.bench_function("deadends_corpus", |b| {
                b.iter(|| Catalog::load(false, std::slice::from_ref(&p)))
            });
        }
        None => {
            eprintln!("notice: ../shared/corpus/deadends is absent; skipping its load benchmark")
        }
    }
    // With the regexes checked (as `check` loads), and without (as the browser, which checks them after its
    // first frame, and `show` and `lookup` load).
    let browser = LoadOptions {
        check_regexes: false,
    };
    let (_dir, path) = synthetic(2_500, false);
    g.bench_function("synthetic_2500_jsonl", |b| {
        b.iter(|| Catalog::load(false, std::slice::from_ref(&path)))
    });
    let (_dir, path) = synthetic(100_000, false);
    g.bench_function("synthetic_100k_jsonl", |b| {
        b.iter(|| Catalog::load(false, std::slice::from_ref(&path)))
    });
    g.bench_function("synthetic_100k_jsonl_browser", |b| {
        b.iter(|| Catalog::load_with(false, std::slice::from_ref(&path), &browser))
    });
    let (_dir, path) = synthetic(1_000_000, true);
    g.bench_function("synthetic_1m_minimal_jsonl_browser", |b| {
        b.iter(|| Catalog::load_with(false, std::slice::from_ref(&path), &browser))
    });
    g.finish();
}

fn draw(app: &App, terminal: &mut Terminal<TestBackend>) {
    terminal
        .draw(|f| errdex::tui::view::draw(app, f))
        .expect("draw");
}

fn frames(c: &mut Criterion) {
    let mut g = c.benchmark_group("frame");
    g.sample_size(30);
    g.bench_function("startup_to_first_frame_embedded", |b| {
        b.iter(|| {
            let mut app = App::new(Catalog::embedded(), Options::default());
            update(
                &mut app,
                Action::Resize {
                    width: 120,
                    height: 40,
                },
            );
            let mut t = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
            draw(&app, &mut t);
        })
    });
    // Full records up to 100,000; minimal ones at a million (a million full ones would be 1 GB on disk).
    for count in [2_500usize, 100_000, 1_000_000] {
        let (_dir, path) = synthetic(count, count >= 1_000_000);
        let mut app = App::new(Catalog::load(false, &[path]), Options::default());
        update(
            &mut app,
            Action::Resize {
                width: 120,
                height: 40,
            },
        );
        update(&mut app, Action::Last);
        let mut t = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
        g.bench_with_input(BenchmarkId::new("draw_120x40", count), &count, |b, _| {
            b.iter(|| draw(&app, &mut t))
        });
    }
    g.finish();
}

/// Start-up to the first frame with the list at 1,000,000 minimal records in one JSONL file, its index current
/// (what `errdex -c FILE` does on a second run): the first records read from the index while the whole loads
/// on a thread of its own, against waiting for the whole.
fn first_frame_at_a_million(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut out = std::io::BufWriter::new(
        std::fs::File::create(dir.path().join("one.jsonl")).expect("create"),
    );
    errdex::synth::write(&mut out, 1_000_000, 1, true).expect("write");
    drop(out);
    // The index leaves out what changed within 2 s of its writing.
    std::thread::sleep(std::time::Duration::from_millis(2_200));
    let cache = tempfile::tempdir().expect("cache");
    let paths = [dir.path().to_path_buf()];
    let browser = LoadOptions {
        check_regexes: false,
    };
    Catalog::load_cached(false, &paths, &browser, cache.path());
    let first_frame = |app: &mut App| {
        update(
            app,
            Action::Resize {
                width: 120,
                height: 40,
            },
        );
        let mut t = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
        draw(app, &mut t);
    };
    let mut g = c.benchmark_group("first_frame_1m_indexed");
    g.sample_size(10);
    g.bench_function("first_records", |b| {
        b.iter(|| {
            let (first, total) =
                errdex::commands::browse::first_records(false, &paths, cache.path())
                    .expect("the index is current");
            first_frame(&mut App::preview(first, total, Options::default()));
        })
    });
    g.bench_function("whole", |b| {
        b.iter(|| {
            let whole = Catalog::load_cached(false, &paths, &browser, cache.path());
            first_frame(&mut App::new(whole, Options::default()));
        })
    });
    g.finish();
}

/// One hostile 12 MB record: 25,000 dead ends and 25,000 workarounds, a 200 KB root cause. Each tab is laid
/// out once (its first frame); what is measured is a later frame there: a key that moves within the tab
/// (next item, or the wheel on the overview), then the draw.
fn huge_record(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("tempdir");
    let item = |i: usize| {
        serde_json::json!({"action": format!("step {i} of a long list"), "why_fails": "w".repeat(200),
            "how": "h".repeat(200), "fail_rate": 0.5, "success_rate": 0.5})
    };
    let record = serde_json::json!({
        "id": "bench/twelve-mb", "signature": "twelve megabytes", "regex": "twelve",
        "root_cause": "cause ".repeat(200_000 / 6),
        "dead_ends": (0..25_000).map(item).collect::<Vec<_>>(),
        "workarounds": (0..25_000).map(item).collect::<Vec<_>>(),
    });
    let path = dir.path().join("huge.json");
    std::fs::write(&path, record.to_string()).expect("write");
    let size = std::fs::metadata(&path).expect("size").len();
    assert!(size > 12_000_000, "the record is {size} bytes");
    let mut g = c.benchmark_group("frame_12mb_record");
    g.sample_size(30);
    for (name, tab, key) in [
        ("overview", Tab::Overview, None),
        ("dead_ends", Tab::DeadEnds, Some(Action::Next)),
        ("workarounds", Tab::Workarounds, Some(Action::Next)),
    ] {
        let mut app = App::new(
            Catalog::load(false, std::slice::from_ref(&path)),
            Options::default(),
        );
        update(
            &mut app,
            Action::Resize {
                width: 120,
                height: 40,
            },
        );
        update(&mut app, Action::Tab(tab));
        update(&mut app, Action::EnterDetail);
        let mut t = Terminal::new(TestBackend::new(120, 40)).expect("terminal");
        draw(&app, &mut t);
        let key = key.unwrap_or(Action::Wheel {
            column: 100,
            row: 20,
            down: true,
        });
        g.bench_function(name, |b| {
            b.iter(|| {
                update(&mut app, key.clone());
                draw(&app, &mut t);
            })
        });
    }
    g.finish();
}

criterion_group!(benches, load, frames, first_frame_at_a_million, huge_record);
criterion_main!(benches);

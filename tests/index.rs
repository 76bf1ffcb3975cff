//! The persistent index: a catalogue loaded through it gives what parsing the files gives (records with
//! their details, positions, diagnostics, lookups), first run and next; a changed file is parsed again; a
//! damaged or foreign index is ignored and rebuilt; `--no-cache` and `errdex cache` do what they say.
//! Every test keeps its index in a temporary directory.

mod common;

use assert_cmd::Command;
use errdex::catalog::load::Options;
use errdex::catalog::{Catalog, index};
use errdex::search::lookup::LookupIndex;
use std::path::{Path, PathBuf};

const NO_CHECKS: Options = Options {
    check_regexes: false,
};

/// The two catalogues hold the same records, details included, at the same places, with the same
/// diagnostics, and look the same messages up the same way.
fn assert_same(a: &Catalog, b: &Catalog, messages: &[String]) {
    assert_eq!(a.len(), b.len());
    if let Some(i) = (0..a.len()).find(|&i| a[i] != b[i]) {
        panic!("record {i} differs:\n{:?}\n{:?}", a[i], b[i]);
    }
    assert_eq!(a.origins, b.origins);
    assert_eq!(a.diagnostics, b.diagnostics);
    let (ia, ib) = (LookupIndex::new(a), LookupIndex::new(b));
    for m in messages {
        assert_eq!(ia.lookup(a, m, 10), ib.lookup(b, m, 10), "{m:?}");
        assert_eq!(
            LookupIndex::for_message(a, m).lookup(a, m, 10),
            ib.lookup(b, m, 10)
        );
    }
}

fn messages(c: &Catalog) -> Vec<String> {
    c.iter().step_by(37).map(|r| r.signature.clone()).collect()
}

fn synthetic_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut text = Vec::new();
    errdex::synth::write(&mut text, 3_000, 9, false).unwrap();
    text.extend_from_slice(b"{\"id\": broken}\n");
    std::fs::write(dir.path().join("a.jsonl"), text).unwrap();
    std::fs::create_dir(dir.path().join("sub")).unwrap();
    std::fs::write(
        dir.path().join("sub/b.json"),
        r#"[{"id": "x/one", "signature": "boom: one", "regex": "boom: (o", "dead_ends": [{"action": "retry"}]},
 {"id": "x/two", "signature": "two", "regex": "two", "confidence": 7}, 42]"#,
    )
    .unwrap();
    common::age(dir.path());
    dir
}

fn index_file(cache: &Path, source: &Path) -> PathBuf {
    index::file_for(cache, source)
}

#[test]
fn synthetic_catalogues_load_the_same_through_the_index() {
    let dir = synthetic_dir();
    let cache = tempfile::tempdir().expect("cache");
    let paths = [dir.path().to_path_buf()];
    let fresh = Catalog::load_with(false, &paths, &NO_CHECKS);
    assert!(fresh.len() > 2_000 && !fresh.diagnostics.is_empty());
    let msgs = messages(&fresh);
    let cold = Catalog::load_cached(false, &paths, &NO_CHECKS, cache.path());
    let written = index_file(cache.path(), dir.path());
    assert!(written.exists(), "the first run writes the index");
    let warm = Catalog::load_cached(false, &paths, &NO_CHECKS, cache.path());
    assert!(
        warm.iter().filter(|r| r.details_deferred()).count() > 2_000,
        "details are read from the files only when shown"
    );
    assert_same(&fresh, &cold, &msgs);
    assert_same(&fresh, &warm, &msgs);
}

/// A file of several loading chunks (8,192 records) whose ids repeat within a chunk, across chunks and
/// across files: the first of each id is kept, each repeat warned about where it is, with every record's
/// position and regex facts still its own, parsed or through the index (which lets go of its pages chunk by
/// chunk).
#[test]
fn a_file_of_many_chunks_with_repeated_ids_loads_the_same_through_the_index() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut text = Vec::new();
    errdex::synth::write(&mut text, 20_000, 3, true).unwrap();
    let mut lines: Vec<serde_json::Value> = text
        .split(|&b| b == b'\n')
        .filter(|l| !l.is_empty())
        .map(|l| serde_json::from_slice(l).unwrap())
        .collect();
    let id = |lines: &[serde_json::Value], k: usize| lines[k]["id"].as_str().unwrap().to_string();
    // (repeat, of): within the first chunk, into the second and third, and twice in the third.
    for (repeat, of) in [
        (200, 100),
        (9_000, 5),
        (17_000, 5),
        (17_001, 8_191),
        (16_400, 16_399),
    ] {
        lines[repeat]["id"] = id(&lines, of).into();
    }
    let jsonl: String = lines.iter().map(|l| format!("{l}\n")).collect();
    std::fs::write(dir.path().join("a.jsonl"), jsonl).unwrap();
    let other = format!(
        r#"[{{"id": "{}", "signature": "again", "regex": "again"}}, {{"id": "z/own", "signature": "own", "regex": "own"}}]"#,
        id(&lines, 10)
    );
    std::fs::write(dir.path().join("b.json"), other).unwrap();
    common::age(dir.path());
    let cache = tempfile::tempdir().expect("cache");
    let paths = [dir.path().to_path_buf()];
    let fresh = Catalog::load_with(false, &paths, &NO_CHECKS);
    assert_eq!(fresh.len(), 20_000 - 5 + 1);
    let repeats: Vec<(usize, &str)> = fresh
        .diagnostics
        .iter()
        .filter(|d| d.message.starts_with("duplicate id"))
        .map(|d| (d.line, d.path.rsplit('/').next().unwrap()))
        .collect();
    assert_eq!(
        repeats,
        [
            (201, "a.jsonl"),
            (9_001, "a.jsonl"),
            (16_401, "a.jsonl"),
            (17_001, "a.jsonl"),
            (17_002, "a.jsonl"),
            (1, "b.json")
        ]
    );
    // Each record where it is in the file, and found by its id.
    for k in [0, 199, 200, 8_191, 8_192, 9_000, 16_399, 19_994] {
        let r = &fresh[k];
        assert_eq!(fresh.index_of(&r.id), Some(k), "{}", r.id);
        let line = fresh.origins.get(k).line;
        assert_eq!(lines[line - 1]["id"].as_str(), Some(r.id.as_str()));
    }
    assert_eq!(fresh.index_of("z/own"), Some(fresh.len() - 1));
    let msgs = [0, 200, 4_099, 8_191, 9_000, 9_001, 16_401, 17_002, 19_999]
        .map(|k| lines[k]["signature"].as_str().unwrap().to_string());
    let cold = Catalog::load_cached(false, &paths, &NO_CHECKS, cache.path());
    // The file changed in place, same size and time: only the index gives what it had.
    let file = dir.path().join("a.jsonl");
    let modified = std::fs::metadata(&file).unwrap().modified().unwrap();
    let changed = std::fs::read_to_string(&file)
        .unwrap()
        .replace("error", "ERROR");
    std::fs::write(&file, changed).unwrap();
    std::fs::File::options()
        .write(true)
        .open(&file)
        .unwrap()
        .set_modified(modified)
        .unwrap();
    assert_ne!(Catalog::load_with(false, &paths, &NO_CHECKS)[0], fresh[0]);
    let warm = Catalog::load_cached(false, &paths, &NO_CHECKS, cache.path());
    assert_same(&fresh, &cold, &msgs);
    assert_same(&fresh, &warm, &msgs);
}

#[test]
fn a_changed_file_is_parsed_again() {
    let dir = synthetic_dir();
    let cache = tempfile::tempdir().expect("cache");
    let paths = [dir.path().to_path_buf()];
    Catalog::load_cached(false, &paths, &NO_CHECKS, cache.path());
    let written = std::fs::read(index_file(cache.path(), dir.path())).unwrap();
    // A different size (and time): the file's entry is stale.
    std::fs::write(
        dir.path().join("sub/b.json"),
        r#"{"id": "x/new", "signature": "brand new", "regex": "brand new"}"#,
    )
    .unwrap();
    let warm = Catalog::load_cached(false, &paths, &NO_CHECKS, cache.path());
    let fresh = Catalog::load_with(false, &paths, &NO_CHECKS);
    assert!(warm.get("x/new").is_some() && warm.get("x/two").is_none());
    assert_same(&fresh, &warm, &messages(&fresh));
    assert_ne!(
        std::fs::read(index_file(cache.path(), dir.path())).unwrap(),
        written,
        "the index was rewritten"
    );
}

/// A directory's entries come from the index while its time is unchanged: a file added or removed changes
/// it, and is seen.
#[test]
fn a_file_added_or_removed_is_seen() {
    let dir = synthetic_dir();
    let cache = tempfile::tempdir().expect("cache");
    let paths = [dir.path().to_path_buf()];
    // A directory's status change time cannot be set back: the index keeps its entries only once it is more
    // than 2 s old.
    std::thread::sleep(std::time::Duration::from_millis(2_500));
    let before = Catalog::load_cached(false, &paths, &NO_CHECKS, cache.path());
    let file = index_file(cache.path(), dir.path());
    let bytes = std::fs::read(&file).unwrap();
    assert_eq!(
        index::validate(&bytes).expect("valid").dirs.len(),
        2,
        "both directories are kept"
    );
    // Nothing changed: the index is read, not written again (a new file would have a new inode).
    use std::os::unix::fs::MetadataExt;
    let inode = std::fs::metadata(&file).unwrap().ino();
    Catalog::load_cached(false, &paths, &NO_CHECKS, cache.path());
    assert_eq!(std::fs::metadata(&file).unwrap().ino(), inode);
    std::fs::write(
        dir.path().join("sub/c.json"),
        r#"{"id": "x/added", "signature": "added", "regex": "added"}"#,
    )
    .unwrap();
    let added = Catalog::load_cached(false, &paths, &NO_CHECKS, cache.path());
    assert_eq!(added.len(), before.len() + 1);
    assert!(added.get("x/added").is_some());
    std::fs::remove_file(dir.path().join("sub/b.json")).unwrap();
    let removed = Catalog::load_cached(false, &paths, &NO_CHECKS, cache.path());
    assert!(removed.get("x/two").is_none() && removed.get("x/added").is_some());
    assert_same(
        &Catalog::load_with(false, &paths, &NO_CHECKS),
        &removed,
        &[],
    );
}

/// A change within the file system's clock tick keeps a file's time (and a same-size change its size): what
/// changed just before the index was written is not kept in it, so such a change is never missed.
#[test]
fn age_is_required_for_the_index() {
    let dir = tempfile::tempdir().expect("tempdir");
    let cache = tempfile::tempdir().expect("cache");
    let file = dir.path().join("one.json");
    // One time for both versions, as within one tick, and not before the index's writing however slow
    // the machine: a minute ahead.
    let tick = std::time::SystemTime::now() + std::time::Duration::from_secs(60);
    let write = |id: &str| {
        std::fs::write(
            &file,
            format!(r#"{{"id": "x/{id}", "signature": "s", "regex": "s"}}"#),
        )
        .unwrap();
        std::fs::File::open(&file)
            .unwrap()
            .set_modified(tick)
            .unwrap();
    };
    let paths = [dir.path().to_path_buf()];
    write("aaa");
    assert!(
        Catalog::load_cached(false, &paths, &NO_CHECKS, cache.path())
            .get("x/aaa")
            .is_some()
    );
    write("bbb");
    let c = Catalog::load_cached(false, &paths, &NO_CHECKS, cache.path());
    assert!(c.get("x/bbb").is_some(), "the same size and time, new text");
}

#[test]
fn a_damaged_index_is_ignored_and_rebuilt() {
    let dir = synthetic_dir();
    let cache = tempfile::tempdir().expect("cache");
    let paths = [dir.path().to_path_buf()];
    Catalog::load_cached(false, &paths, &NO_CHECKS, cache.path());
    let file = index_file(cache.path(), dir.path());
    let good = std::fs::read(&file).unwrap();
    let fresh = Catalog::load_with(false, &paths, &NO_CHECKS);
    for damaged in [
        good[..good.len() / 2].to_vec(),
        b"not an index at all".to_vec(),
        Vec::new(),
    ] {
        std::fs::write(&file, &damaged).unwrap();
        let c = Catalog::load_cached(false, &paths, &NO_CHECKS, cache.path());
        assert_same(&fresh, &c, &[]);
        assert!(
            index::validate(&std::fs::read(&file).unwrap()).is_some(),
            "rebuilt"
        );
    }
}

/// The deadends corpus gives the same records and lookups through the index (skipped when absent).
#[test]
fn the_corpus_loads_and_looks_up_the_same_through_the_index() {
    let Some(corpus) = common::shared("corpus/deadends") else {
        return;
    };
    let cache = tempfile::tempdir().expect("cache");
    let paths = [corpus.clone()];
    let fresh = Catalog::load_with(false, &paths, &NO_CHECKS);
    let mut msgs = messages(&fresh);
    msgs.push("ModuleNotFoundError: No module named 'flask'".into());
    msgs.push("Error: listen EADDRINUSE: address already in use :::3000".into());
    let cold = Catalog::load_cached(false, &paths, &NO_CHECKS, cache.path());
    let warm = Catalog::load_cached(false, &paths, &NO_CHECKS, cache.path());
    assert_same(&fresh, &cold, &msgs);
    assert_same(&fresh, &warm, &msgs);
}

fn errdex(cache: &Path) -> Command {
    let mut c = Command::cargo_bin("errdex").expect("binary");
    c.env("XDG_CACHE_HOME", cache).env("NO_COLOR", "1");
    c
}

#[test]
fn the_cli_writes_reads_clears_and_skips_the_index() {
    let dir = synthetic_dir();
    let cache = tempfile::tempdir().expect("cache");
    let errdex_dir = cache.path().join("errdex");
    let out = errdex(cache.path())
        .args(["cache", "path"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        errdex_dir.display().to_string()
    );
    let lookup = |extra: &[&str]| {
        let mut c = errdex(cache.path());
        c.args(extra)
            .args(["--no-default", "-c"])
            .arg(dir.path())
            .args(["lookup", "--json", "boom: one two"]);
        c.output().unwrap()
    };
    let uncached = lookup(&["--no-cache"]);
    assert!(!errdex_dir.exists(), "--no-cache writes nothing");
    let cold = lookup(&[]);
    let count = || std::fs::read_dir(&errdex_dir).map_or(0, |d| d.count());
    assert_eq!(count(), 1, "one index for the one source");
    // Written beside the lookup, and whole before the process ended.
    let written = std::fs::read(index_file(&errdex_dir, dir.path())).expect("the index");
    assert!(index::validate(&written).is_some());
    let warm = lookup(&[]);
    assert_eq!(cold.stdout, uncached.stdout);
    assert_eq!(warm.stdout, uncached.stdout);
    assert_eq!(warm.stderr, uncached.stderr);
    let out = errdex(cache.path())
        .args(["cache", "clear"])
        .output()
        .unwrap();
    assert!(out.status.success());
    assert_eq!(count(), 0);
}

/// A large file's records come from a current index unbuilt (its entries), and what the browser does over
/// every record reads them there and builds none: the search index and searches (filters too), the
/// overview, the regex check, and each field lists and sorts read, all as over the records parsed. A record
/// read whole is built with its run of records, and only them.
#[test]
fn records_left_in_the_index_read_as_built_ones_and_stay_unbuilt() {
    use errdex::catalog::view::View;
    use errdex::search::fuzzy::{FuzzyIndex, Query};
    let dir = tempfile::tempdir().expect("tempdir");
    let mut rng = errdex::synth::Rng::new(11);
    let lines: String = (0..12_000)
        .map(|k| {
            let mut r = errdex::synth::record(&mut rng, k, k % 3 == 0);
            match k % 7 {
                0 => r["aliases"] = serde_json::json!([format!("alias {k}"), "conection refused"]),
                1 => r["category"] = "network".into(),
                2 => r["verification_tier"] = "community".into(),
                3 if k % 1_000 == 3 => r["regex"] = "broken: (unclosed".into(),
                _ => {}
            }
            format!("{r}\n")
        })
        .collect();
    std::fs::write(dir.path().join("big.jsonl"), lines).unwrap();
    common::age(dir.path());
    let cache = tempfile::tempdir().expect("cache");
    let paths = [dir.path().to_path_buf()];
    let fresh = Catalog::load_with(false, &paths, &NO_CHECKS);
    Catalog::load_cached(false, &paths, &NO_CHECKS, cache.path());
    let warm = Catalog::load_cached(false, &paths, &NO_CHECKS, cache.path());
    let unbuilt = |c: &Catalog| {
        (0..c.len())
            .filter(|&i| matches!(c.view(i), View::Entry(_)))
            .count()
    };
    assert_eq!(unbuilt(&warm), 12_000, "nothing built yet");

    for i in 0..fresh.len() {
        let (v, r) = (warm.view(i), &fresh[i]);
        assert_eq!(
            (v.id(), v.signature(), v.signature_zh(), v.regex()),
            (&*r.id, &*r.signature, r.signature_zh.as_deref(), &*r.regex)
        );
        assert_eq!(
            (
                v.domain(),
                v.category(),
                v.subcategory(),
                v.verification_tier()
            ),
            (
                r.domain.as_deref(),
                r.category.as_deref(),
                r.subcategory.as_deref(),
                r.verification_tier.as_deref()
            )
        );
        assert_eq!(
            (v.confidence(), v.fix_success_rate(), v.last_updated()),
            (r.confidence, r.fix_success_rate, r.last_updated.as_deref())
        );
        assert!(v.aliases().eq(r.aliases.iter().map(String::as_str)));
        assert_eq!(warm.index_of(&r.id), Some(i));
    }
    let (fa, fb) = (FuzzyIndex::new(&fresh), FuzzyIndex::new(&warm));
    for q in [
        "conection refused",
        "domain:git push",
        "cat:network timeout",
        "tier:community",
        "",
        "zzqxv",
    ] {
        let q = Query::parse(q);
        let lang = errdex::catalog::Lang::En;
        assert_eq!(
            fa.filter(&fresh, &q, lang),
            fb.filter(&warm, &q, lang),
            "{q:?}"
        );
    }
    assert_eq!(
        errdex::catalog::stats::Stats::of(&fresh, 0),
        errdex::catalog::stats::Stats::of(&warm, 0)
    );
    let warnings = fresh.regex_warnings();
    assert_eq!(warnings.len(), 2);
    assert_eq!(warm.regex_warnings(), warnings);
    assert_eq!(unbuilt(&warm), 12_000, "scans build nothing");

    assert_eq!(warm[9_000], fresh[9_000]);
    assert_eq!(warm[9_000].details(), fresh[9_000].details());
    // Record 9,000 is in the second run (8,192 to the end).
    assert_eq!(unbuilt(&warm), 8_192, "its run built, only");
}

/// A JSONL file of `n` minimal synthetic records, with a broken line and a repeated id among them, in a
/// directory of its own (aged, so the index keeps it); its lines.
fn large_file(n: usize) -> (tempfile::TempDir, Vec<String>) {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut text = Vec::new();
    errdex::synth::write(&mut text, n, 17, true).unwrap();
    let mut lines: Vec<String> = String::from_utf8(text)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    lines[n / 2] = "{\"id\": broken".to_string();
    let first: serde_json::Value = serde_json::from_str(&lines[3]).unwrap();
    let mut repeat: serde_json::Value = serde_json::from_str(&lines[n - 3]).unwrap();
    repeat["id"] = first["id"].clone();
    // Found by nothing but the record skipped.
    repeat["signature"] = "qqzzy skipped record".into();
    repeat["regex"] = "qqzzy skipped".into();
    lines[n - 3] = repeat.to_string();
    let file = dir.path().join("big.jsonl");
    std::fs::write(&file, lines.join("\n") + "\n").unwrap();
    assert!(std::fs::metadata(&file).unwrap().len() >= index::DEFER_FROM);
    common::age(dir.path());
    (dir, lines)
}

/// A large JSONL file met for the first time is parsed into its index a part at a time, and its records are
/// read from there, none built: the records, positions, diagnostics (a broken line, a repeated id) and
/// lookups are what parsing gives. Where no index can be written, it is parsed as any other file.
#[test]
fn a_large_file_loaded_the_first_time_goes_through_its_index() {
    let n = 12_000;
    let (dir, _) = large_file(n);
    let paths = [dir.path().to_path_buf()];
    let fresh = Catalog::load_with(false, &paths, &NO_CHECKS);
    assert_eq!(fresh.len(), n - 2);
    assert_eq!(fresh.diagnostics.len(), 2, "{:?}", fresh.diagnostics);
    let msgs: Vec<String> = fresh
        .iter()
        .step_by(401)
        .map(|r| r.signature.clone())
        .collect();
    let cache = tempfile::tempdir().expect("cache");
    let cold = Catalog::load_cached(false, &paths, &NO_CHECKS, cache.path());
    assert!(index_file(cache.path(), dir.path()).exists());
    assert!(cold.has_unbuilt(), "the first run builds no record");
    assert_same(&fresh, &cold, &msgs);
    // A file where the cache directory would be: no index, the file parsed.
    let blocked = tempfile::tempdir().expect("blocked");
    let not_a_dir = blocked.path().join("errdex");
    std::fs::write(&not_a_dir, "").unwrap();
    let parsed = Catalog::load_cached(false, &paths, &NO_CHECKS, &not_a_dir);
    assert!(!parsed.has_unbuilt());
    assert_same(&fresh, &parsed, &msgs);
}

/// `errdex lookup` in a large file: its first run (which writes the index, then looks up through it),
/// the next one and one without the index print the same. The file is named, not its directory: a new
/// directory's time cannot be set back, so the index would leave it out for two seconds, and the lookup
/// would not go through the indexes.
#[test]
fn a_first_lookup_in_a_large_file_prints_what_the_others_print() {
    let (dir, lines) = large_file(12_000);
    let file = dir.path().join("big.jsonl");
    let signature = |k: usize| {
        let line: serde_json::Value = serde_json::from_str(&lines[k]).unwrap();
        line["signature"].as_str().unwrap().to_string()
    };
    // The last but two repeats an id: it is skipped, and never found.
    let messages = [
        signature(10),
        signature(9_000),
        signature(12_000 - 3),
        "zzqxv nothing".into(),
    ];
    assert_eq!(messages[2], "qqzzy skipped record");
    for message in messages {
        let cache = tempfile::tempdir().expect("cache");
        let lookup = |extra: &[&str]| {
            let mut c = errdex(cache.path());
            c.args(extra)
                .args(["--no-default", "-c"])
                .arg(&file)
                .args(["lookup", "--json", "--limit", "5"])
                .arg(&message);
            c.output().unwrap()
        };
        let uncached = lookup(&["--no-cache"]);
        let cold = lookup(&[]);
        let warm = lookup(&[]);
        assert!(index_file(&cache.path().join("errdex"), &file).exists());
        assert_eq!(
            String::from_utf8_lossy(&cold.stdout),
            String::from_utf8_lossy(&uncached.stdout)
        );
        assert_eq!(cold.stderr, uncached.stderr);
        assert_eq!(warm.stdout, uncached.stdout);
        assert_eq!(warm.stderr, uncached.stderr);
    }
    // `errdex run` explains a failure the same way, through the indexes.
    let cache = tempfile::tempdir().expect("cache");
    for output in [signature(9_000), "zzqxv nothing".to_string()] {
        let run = |extra: &[&str]| {
            let mut c = errdex(cache.path());
            c.args(extra).args(["--no-default", "-c"]).arg(&file);
            let quoted = output.replace('\'', "'\\''");
            let script = format!("echo '{quoted}' >&2; exit 3");
            c.args(["run", "--", "sh", "-c", &script]).output().unwrap()
        };
        let uncached = run(&["--no-cache"]);
        assert_eq!(uncached.status.code(), Some(3));
        assert!(!uncached.stderr.is_empty());
        assert_eq!(run(&[]).stderr, uncached.stderr, "{output}");
        assert_eq!(run(&[]).stderr, uncached.stderr, "{output}");
        let explained = String::from_utf8_lossy(&uncached.stderr).contains("regex match");
        assert_eq!(explained, !output.starts_with("zzqxv"), "{output}");
    }
    // `errdex ids` (shell completion) reads the ids where they are, the same.
    let cache = tempfile::tempdir().expect("cache");
    let ids = |extra: &[&str]| {
        let mut c = errdex(cache.path());
        c.args(extra).args(["--no-default", "-c"]).arg(&file);
        c.arg("ids").output().unwrap().stdout
    };
    let uncached = ids(&["--no-cache"]);
    assert_eq!(
        String::from_utf8_lossy(&uncached).lines().count(),
        12_000 - 2
    );
    assert_eq!(ids(&[]), uncached);
    assert_eq!(ids(&[]), uncached);
}

/// The browser's lookup list over records left in the indexes goes through them, as `errdex lookup` does:
/// nothing of the catalogue is built, and it lists what the lookup index over the whole catalogue lists
/// first (all of it, up to `NARROWED_ROWS`).
#[test]
fn the_browsers_lookups_through_the_indexes_list_what_the_whole_lists() {
    use errdex::catalog::view::View;
    use errdex::search::lookup::LookupEnv;
    use errdex::tui::rows::{NARROWED_ROWS, lookup_rows};
    use std::sync::OnceLock;
    let (dir, lines) = large_file(12_000);
    let signature = |k: usize| {
        let line: serde_json::Value = serde_json::from_str(&lines[k]).unwrap();
        line["signature"].as_str().unwrap().to_string()
    };
    let cache = tempfile::tempdir().expect("cache");
    // The file, not its directory (see the test above).
    let paths = [dir.path().join("big.jsonl")];
    Catalog::load_cached(false, &paths, &NO_CHECKS, cache.path());
    let catalog = Catalog::load_cached(false, &paths, &NO_CHECKS, cache.path());
    // (The two records after the skipped repeat are built at load: see `shelf`.)
    let built = |c: &Catalog| {
        (0..c.len())
            .filter(|&i| !matches!(c.view(i), View::Entry(_)))
            .count()
    };
    let loaded = built(&catalog);
    assert!(loaded < 10, "{loaded}");
    let warm = index::warm(false, &paths, cache.path()).expect("current indexes");
    let narrowing = errdex::search::narrow::Narrowing::new(warm).expect("no id shared");
    let env = LookupEnv::default();
    let messages = [
        signature(10),
        signature(9_000),
        format!(
            "Traceback (most recent call last):\n  boom\n{}",
            signature(4_321)
        ),
        // Many lines, each of another kind: more hits than are listed (1,068).
        (0..40)
            .map(|k| signature(k * 293))
            .collect::<Vec<_>>()
            .join("\n"),
        "qqzzy skipped record".into(),
        "error".into(),
        "zzqxv".into(),
    ];
    let through: Vec<_> = (messages.iter())
        .map(|m| lookup_rows(&OnceLock::new(), Some(&narrowing), &catalog, m, &env))
        .collect();
    assert_eq!(built(&catalog), loaded, "no record built");
    let whole = OnceLock::new();
    for (m, through) in messages.iter().zip(through) {
        let all = lookup_rows(&whole, None, &catalog, m, &env);
        assert_eq!(through, all[..all.len().min(NARROWED_ROWS)], "{m:?}");
    }
}

//! A lookup through current indexes (`search::narrow`) builds only the records a message can reach, and
//! finds what a lookup over the whole catalogue finds: the same records, in the same order, with the same
//! scores. On synthetic catalogues (duplicate ids, broken files, several sources) and the deadends corpus.

mod common;

use errdex::catalog::load::Options;
use errdex::catalog::{Catalog, Record, index};
use errdex::search::environment::Environment;
use errdex::search::lookup::{LookupEnv, LookupHit, LookupIndex};
use errdex::search::narrow;
use std::path::{Path, PathBuf};

const NO_CHECKS: Options = Options {
    check_regexes: false,
};

/// What a lookup found, by record id.
fn found(c: &Catalog, hits: &[LookupHit]) -> Vec<(String, String, f64)> {
    hits.iter()
        .map(|h| {
            (
                c[h.index].id.clone(),
                format!("{:?} {:?}", h.kind, h.matched),
                h.score,
            )
        })
        .collect()
}

/// Looks every message up over the whole catalogue and through the indexes (which must be current), for its
/// best hits (one, five, all) in two environments, and compares. Returns how many records the narrowed
/// catalogues held at most for five hits.
fn assert_narrowed_finds_the_same(paths: &[PathBuf], cache: &Path, messages: &[String]) -> usize {
    assert_narrowed_finds_the_same_with(false, paths, cache, messages)
}

/// `assert_narrowed_finds_the_same`, the embedded catalogue first when `embedded`.
fn assert_narrowed_finds_the_same_with(
    embedded: bool,
    paths: &[PathBuf],
    cache: &Path,
    messages: &[String],
) -> usize {
    let whole = Catalog::load_with(embedded, paths, &NO_CHECKS);
    let envs = [
        LookupEnv::default(),
        LookupEnv {
            given: Environment::parse_overrides("os=windows,python=2.7").unwrap(),
            ..LookupEnv::default()
        },
    ];
    // One index for every message (`for_message` finds what it finds: tested in `lookup`).
    let whole_index = LookupIndex::new(&whole);
    let mut largest = 0;
    let warm = index::warm(embedded, paths, cache).expect("the indexes are current");
    let narrowing = narrow::Narrowing::new(warm).expect("no id shared between sources");
    for m in messages {
        for env in &envs {
            let all = whole_index.lookup_in(&whole, m, usize::MAX, env);
            for limit in [1, 5, usize::MAX] {
                let narrowed = narrowing.catalog(m, limit, env);
                if limit == 5 {
                    largest = largest.max(narrowed.len());
                }
                assert_eq!(
                    narrowed.count(errdex::catalog::Severity::Error),
                    whole.count(errdex::catalog::Severity::Error)
                );
                let a = &all[..all.len().min(limit)];
                let b = LookupIndex::for_message(&narrowed, m).lookup_in(&narrowed, m, limit, env);
                let (a, b) = (found(&whole, a), found(&narrowed, &b));
                // Exactly: word weights are summed in fixed point, in any order the same.
                assert_eq!(a, b, "{m:?} limit {limit}");
                // The details are read from the files, as loading gives them.
                for h in b.iter().take(3) {
                    let (x, y) = (whole.get(&h.0).unwrap(), narrowed.get(&h.0).unwrap());
                    assert_eq!(x, y);
                    assert_eq!(x.details(), y.details());
                }
            }
        }
    }
    largest
}

/// Messages for a catalogue: signatures, the same inside a log, aliases, and text nothing matches.
fn messages(c: &Catalog, step: usize) -> Vec<String> {
    let mut out: Vec<String> = c
        .iter()
        .step_by(step)
        .map(|r| r.signature.clone())
        .collect();
    out.extend(c.iter().skip(3).step_by(step * 3).map(|r| {
        format!(
            "$ make build\nstep 3/7 running\n{}\n    at main.rs:12\nexit status 1",
            r.signature
        )
    }));
    out.extend(
        c.iter()
            .filter_map(|r| r.aliases.first().cloned())
            .step_by(step),
    );
    out.extend(
        [
            "zzqxv nothing at all",
            "error",
            "Error: permission denied",
            "ModuleNotFoundError: No module named 'numpy'",
            "fatal: not a git repository (or any of the parent directories): .git",
            "KeyError: 'ſtatus'",
            "找不到模块",
        ]
        .map(String::from),
    );
    out
}

/// The browser's first records through the indexes (`Narrowing::first`) are the whole catalogue's first, in
/// its order, as loading gives them: the browser keeps pointing at them by place when the whole arrives. `n`
/// is tried at the ends, past the end, and across each boundary between sources and files.
fn assert_first_records_are_the_whole_ones(embedded: bool, paths: &[PathBuf], cache: &Path) {
    let whole = Catalog::load_with(embedded, paths, &NO_CHECKS);
    let records: Vec<&Record> = whole.iter().collect();
    let warm = index::warm(embedded, paths, cache).expect("the indexes are current");
    let narrowing = narrow::Narrowing::new(warm).expect("no id shared between sources");
    assert_eq!(narrowing.len(), whole.len());
    let mut sizes = vec![0, 1, 2, whole.len(), whole.len() + 10];
    // The first few boundaries (a corpus has thousands of files).
    let boundaries = (0..whole.len().saturating_sub(1))
        .filter(|&i| !whole.origins.same_file(i, i + 1))
        .take(4);
    for i in boundaries {
        sizes.extend([i + 1, i + 2]);
    }
    assert!(
        sizes.len() > 5 || paths.len() < 2,
        "boundaries between files"
    );
    for n in sizes {
        let first = narrowing.first(n);
        let expected = &records[..n.min(whole.len())];
        assert_eq!(first.len(), expected.len(), "first {n}");
        for (a, b) in first.iter().zip(expected) {
            assert_eq!(a, *b, "first {n}");
        }
        assert_eq!(
            first.origins.iter().collect::<Vec<_>>(),
            whole
                .origins
                .iter()
                .take(expected.len())
                .collect::<Vec<_>>(),
            "first {n}"
        );
        if let (Some(a), Some(b)) = (first.iter().last(), expected.last()) {
            assert_eq!(a.details(), b.details(), "first {n}");
        }
        // The errors; warnings found while adding records (a duplicate id) come with the whole.
        let errors = |c: &Catalog| {
            c.diagnostics
                .iter()
                .filter(|d| d.severity == errdex::catalog::Severity::Error)
                .cloned()
                .collect::<Vec<_>>()
        };
        assert_eq!(errors(&first), errors(&whole), "first {n}");
    }
}

/// Waits until what was just made is older than the index's margin for racy changes (2 s): a directory's
/// status change time cannot be set back, and a directory changed within the margin is read again.
fn settle() {
    std::thread::sleep(std::time::Duration::from_millis(2_200));
}

/// A source of one file, `c.jsonl` holding `text`, aged, settled and indexed in a cache of its own: its
/// directory, the cache, and the source's paths.
fn indexed_source(text: &[u8]) -> (tempfile::TempDir, tempfile::TempDir, [PathBuf; 1]) {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(dir.path().join("c.jsonl"), text).unwrap();
    common::age(dir.path());
    settle();
    let cache = tempfile::tempdir().expect("cache");
    let paths = [dir.path().to_path_buf()];
    index(&paths, cache.path());
    (dir, cache, paths)
}

/// Makes the indexes of `paths` and checks they are current.
fn index(paths: &[PathBuf], cache: &Path) {
    Catalog::load_cached(false, paths, &NO_CHECKS, cache);
    assert!(index::warm(false, paths, cache).is_some());
    assert!(
        index::warm(true, paths, cache).is_none(),
        "no embedded index yet"
    );
}

#[test]
fn synthetic_sources_look_up_the_same_through_the_indexes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    std::fs::create_dir_all(a.join("sub")).unwrap();
    std::fs::create_dir_all(&b).unwrap();
    let mut text = Vec::new();
    errdex::synth::write(&mut text, 4_000, 5, false).unwrap();
    // A broken line, and a record whose id came earlier in the same source (loading keeps the first).
    text.extend_from_slice(b"{\"id\": broken}\n");
    std::fs::write(a.join("one.jsonl"), &text).unwrap();
    std::fs::write(
        a.join("sub/two.json"),
        r#"[{"id": "x/one", "signature": "boom: disk quota exceeded", "regex": "boom: (o", "dead_ends": [{"action": "retry"}]},
 {"id": "x/two", "signature": "two things failed", "regex": "two", "aliases": ["deux choses"]},
 {"id": "x/two", "signature": "a duplicate of two", "regex": "duplicate"},
 {"id": "x/any", "signature": "anything at all", "regex": "(?i)[a-z]+ at all"},
 {"id": "x/short", "signature": "zq7 broke", "regex": "zq\\d"}]"#,
    )
    .unwrap();
    let mut other = Vec::new();
    errdex::synth::write(&mut other, 1_000, 77, true).unwrap();
    let other = String::from_utf8(other)
        .unwrap()
        .replace("synthetic-", "other-");
    std::fs::write(b.join("three.jsonl"), other).unwrap();
    common::age(dir.path());
    settle();
    let cache = tempfile::tempdir().expect("cache");
    let paths = [a.clone(), b.clone()];
    index(&paths, cache.path());
    let whole = Catalog::load_with(false, &paths, &NO_CHECKS);
    let mut msgs = messages(&whole, 197);
    msgs.extend(
        [
            "two things failed",
            "deux choses",
            "a duplicate of two",
            "it said ZQ9 and stopped",
        ]
        .map(String::from),
    );
    let largest = assert_narrowed_finds_the_same(&paths, cache.path(), &msgs);
    assert_first_records_are_the_whole_ones(false, &paths, cache.path());
    assert!(
        largest < whole.len() / 2,
        "a lookup builds few records: {largest} of {}",
        whole.len()
    );
}

/// Sources sharing an id are not narrowed (loading keeps the first and counts its words once).
#[test]
fn sources_sharing_an_id_are_loaded_whole() {
    let dir = tempfile::tempdir().expect("tempdir");
    let record = r#"{"id": "x/same", "signature": "same", "regex": "same"}"#;
    for name in ["a", "b"] {
        std::fs::create_dir(dir.path().join(name)).unwrap();
        std::fs::write(dir.path().join(name).join("c.jsonl"), record).unwrap();
    }
    common::age(dir.path());
    settle();
    let cache = tempfile::tempdir().expect("cache");
    let paths = [dir.path().join("a"), dir.path().join("b")];
    index(&paths, cache.path());
    let warm = index::warm(false, &paths, cache.path()).unwrap();
    assert!(narrow::Narrowing::new(warm).is_none());
}

/// A file changed since the index was written makes the indexes stale: the lookup loads the catalogue.
#[test]
fn a_changed_file_is_not_current() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("c.jsonl");
    std::fs::write(
        &file,
        r#"{"id": "x/a", "signature": "aaa", "regex": "aaa"}"#,
    )
    .unwrap();
    common::age(dir.path());
    settle();
    let cache = tempfile::tempdir().expect("cache");
    let paths = [dir.path().to_path_buf()];
    index(&paths, cache.path());
    std::fs::write(
        &file,
        r#"{"id": "x/b", "signature": "bbbb", "regex": "bbbb"}"#,
    )
    .unwrap();
    assert!(index::warm(false, &paths, cache.path()).is_none());
    std::fs::write(dir.path().join("new.jsonl"), "").unwrap();
    common::age(dir.path());
    settle();
    Catalog::load_cached(false, &paths, &NO_CHECKS, cache.path());
    assert!(index::warm(false, &paths, cache.path()).is_some());
    std::fs::write(dir.path().join("another.jsonl"), "").unwrap();
    common::age(dir.path());
    assert!(
        index::warm(false, &paths, cache.path()).is_none(),
        "a file added"
    );
}

#[test]
fn the_corpus_looks_up_the_same_through_its_index() {
    let Some(corpus) = common::shared("corpus/deadends") else {
        eprintln!("skipped: ../shared/corpus/deadends is absent");
        return;
    };
    let cache = tempfile::tempdir().expect("cache");
    let paths = [corpus];
    index(&paths, cache.path());
    let whole = Catalog::load_with(false, &paths, &NO_CHECKS);
    let msgs = messages(&whole, 53);
    let largest = assert_narrowed_finds_the_same(&paths, cache.path(), &msgs);
    assert!(largest < whole.len() / 4, "{largest} of {}", whole.len());
    assert_first_records_are_the_whole_ones(false, &paths, cache.path());
}

/// Indexes a source of `lines`, looks `message` up for its best `limit` hits over the whole catalogue, checks
/// that a lookup through the index finds the same, and returns the ids the whole found.
fn ids_found_both_ways(lines: &[String], message: &str, limit: usize) -> Vec<String> {
    let (_dir, cache, paths) = indexed_source(lines.join("\n").as_bytes());
    let whole = Catalog::load_with(false, &paths, &NO_CHECKS);
    let hits = LookupIndex::new(&whole).lookup(&whole, message, limit);
    assert_narrowed_finds_the_same(&paths, cache.path(), &[message.to_string()]);
    found(&whole, &hits).into_iter().map(|h| h.0).collect()
}

/// A record whose regex matches but ranks low (a one-letter regex, far from the line) must not take the
/// place of a record found by similarity alone: the best hits by similarity are chosen among the records
/// whose regex cannot match.
#[test]
fn a_weak_regex_match_does_not_take_the_place_of_a_similar_record() {
    let mut lines = vec![
        r#"{"id": "t/weak", "signature": "alpha beta gamma delta zeta", "regex": "a"}"#.to_string(),
    ];
    for (i, w) in ["eta", "theta", "iota", "kappa"].iter().enumerate() {
        lines.push(format!(
            r#"{{"id": "t/near-{i}", "signature": "alpha beta gamma delta {w}", "regex": "nomatch{i}zz"}}"#
        ));
    }
    for i in 0..40 {
        lines.push(format!(
            r#"{{"id": "t/other-{i}", "signature": "unrelated words number {i}", "regex": "other{i}zz"}}"#
        ));
    }
    assert_eq!(
        ids_found_both_ways(&lines, "alpha beta gamma delta epsilon", 2),
        ["t/near-0", "t/near-1"],
        "the weak regex match ranks below both"
    );
}

/// Words too common to follow are still counted: a record having only the line's two commonest words can
/// reach the floor when the rest of the line is unknown words, and a narrowed lookup finds it.
#[test]
fn a_record_with_only_common_words_is_found() {
    let mut lines =
        vec![r#"{"id": "t/common", "signature": "c1 c2", "regex": "nomatchzz"}"#.to_string()];
    for i in 0..30 {
        lines.push(format!(
            r#"{{"id": "t/other-{i}", "signature": "c1 c2 word{i}", "regex": "other{i}zz"}}"#
        ));
    }
    assert_eq!(
        ids_found_both_ways(&lines, "c1 c2 u1 u2 u3 u4 u5 u6 u7", 1)[0],
        "t/common"
    );
}

/// The embedded catalogue gets an index too (the first time it is loaded with a cache), and looks up through
/// it as it does loaded, alone and before other sources.
#[test]
fn the_embedded_catalogue_looks_up_the_same_through_its_index() {
    let cache = tempfile::tempdir().expect("cache");
    assert!(index::warm(true, &[], cache.path()).is_none());
    Catalog::load_cached(true, &[], &NO_CHECKS, cache.path());
    assert!(index::embedded_file(cache.path()).exists());
    let whole = Catalog::embedded();
    let msgs = messages(&whole, 31);
    let largest = assert_narrowed_finds_the_same_with(true, &[], cache.path(), &msgs);
    assert!(largest < whole.len() / 4, "{largest} of {}", whole.len());

    let dir = tempfile::tempdir().expect("tempdir");
    let mut text = Vec::new();
    errdex::synth::write(&mut text, 500, 3, false).unwrap();
    std::fs::write(dir.path().join("c.jsonl"), text).unwrap();
    common::age(dir.path());
    settle();
    let paths = [dir.path().to_path_buf()];
    Catalog::load_cached(true, &paths, &NO_CHECKS, cache.path());
    assert_narrowed_finds_the_same_with(true, &paths, cache.path(), &msgs[..20]);
    assert_first_records_are_the_whole_ones(true, &paths, cache.path());
}

/// A damaged embedded index, or one an errdex of another index format wrote under the same name, is
/// replaced by the next load: left in place, it would never be current, and every run would parse the seeds.
#[test]
fn a_damaged_or_foreign_embedded_index_is_rebuilt() {
    let cache = tempfile::tempdir().expect("cache");
    Catalog::load_cached(true, &[], &NO_CHECKS, cache.path());
    let file = index::embedded_file(cache.path());
    let good = std::fs::read(&file).unwrap();
    let mut foreign = good.clone();
    foreign[8..12].copy_from_slice(&(index::FORMAT - 1).to_le_bytes());
    for damaged in [good[..good.len() / 3].to_vec(), foreign, Vec::new()] {
        std::fs::write(&file, &damaged).unwrap();
        assert!(index::warm(true, &[], cache.path()).is_none());
        Catalog::load_cached(true, &[], &NO_CHECKS, cache.path());
        assert!(
            index::warm(true, &[], cache.path()).is_some(),
            "rebuilt after {} bytes",
            damaged.len()
        );
    }
}

/// `errdex show` through current indexes builds the one record, as loading gives it.
#[test]
fn show_through_the_indexes_builds_the_one_record() {
    let mut text = Vec::new();
    errdex::synth::write(&mut text, 300, 4, false).unwrap();
    let (_dir, cache, paths) = indexed_source(&text);
    // With the embedded catalogue: its index is written now.
    Catalog::load_cached(true, &paths, &NO_CHECKS, cache.path());
    let whole = Catalog::load_with(true, &paths, &NO_CHECKS);
    let warm = index::warm(true, &paths, cache.path()).expect("current");
    let narrowing = narrow::Narrowing::new(warm).expect("no shared id");
    for r in whole.iter().step_by(41) {
        let one = narrowing.with_id(&r.id).expect("found");
        assert_eq!(one.len(), 1);
        assert_eq!(&one[0], r);
        assert_eq!(one[0].details(), r.details());
        assert_eq!(
            one.origins.get(0),
            whole.origins.get(whole.index_of(&r.id).unwrap())
        );
    }
    assert!(narrowing.with_id("no/such-record").is_none());
    // What "did you mean" names, read from the indexes: the first records near the id, in catalogue order.
    let tail = |r: &errdex::catalog::Record| r.id.rsplit('/').next().unwrap().to_string();
    let mut asked = vec![
        "no/such-record".to_string(),
        "synthetic".to_string(),
        "x/".to_string(),
        String::new(),
    ];
    for r in whole.iter().step_by(59) {
        asked.push(format!("nope/{}", tail(r).to_uppercase()));
        asked.push(r.id[..r.id.len() - 2].to_string());
    }
    let mut named = 0;
    for id in &asked {
        let expected = errdex::commands::show::nearest_ids(&whole, id, 3);
        let near = narrowing.with_ids_where(errdex::commands::show::near(id), 3);
        let ids: Vec<&str> = near.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, expected, "{id:?}");
        assert_eq!(near.diagnostics, narrowing.first(0).diagnostics);
        named += expected.len();
    }
    assert!(named > asked.len(), "most ids asked come near some");
}

/// The command line through the indexes prints what it prints without them: `lookup` (text and JSON) and
/// `show`, on the first run (which writes the indexes) and the next (which reads them).
#[test]
fn the_cli_prints_the_same_through_the_indexes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut text = Vec::new();
    errdex::synth::write(&mut text, 800, 6, false).unwrap();
    std::fs::write(dir.path().join("c.jsonl"), &text).unwrap();
    common::age(dir.path());
    settle();
    let cache = tempfile::tempdir().expect("cache");
    let whole = Catalog::load_with(false, &[dir.path().to_path_buf()], &NO_CHECKS);
    let run = |args: &[&str], cached: bool| {
        let mut cmd = assert_cmd::Command::cargo_bin("errdex").unwrap();
        common::isolate(&mut cmd);
        cmd.env("XDG_CACHE_HOME", cache.path());
        if !cached {
            cmd.arg("--no-cache");
        }
        let out = cmd
            .args(["--color", "never", "-c"])
            .arg(dir.path())
            .args(args)
            .output()
            .unwrap();
        (out.status.code(), out.stdout, out.stderr)
    };
    let mut commands: Vec<Vec<String>> = Vec::new();
    for r in whole.iter().step_by(97) {
        commands.push(vec!["lookup".into(), r.signature.clone()]);
        commands.push(vec!["lookup".into(), "--json".into(), r.signature.clone()]);
        commands.push(vec!["show".into(), r.id.clone()]);
    }
    commands.push(vec!["lookup".into(), "zzqxv".into()]);
    commands.push(vec!["show".into(), "no/such-record".into()]);
    // "Did you mean", from the indexes.
    for r in whole.iter().step_by(211) {
        let tail = r.id.rsplit('/').next().unwrap();
        commands.push(vec!["show".into(), format!("nope/{tail}")]);
        commands.push(vec!["show".into(), r.id[..r.id.len() - 3].to_uppercase()]);
    }
    for (round, cached) in [(0, true), (1, true)] {
        for c in &commands {
            let args: Vec<&str> = c.iter().map(String::as_str).collect();
            assert_eq!(
                run(&args, cached),
                run(&args, false),
                "round {round}: {c:?}"
            );
        }
        assert!(index::embedded_file(&cache.path().join("errdex")).exists());
    }
}

/// A walk that met a problem is not replayed from the indexes: a dangling link in a source is reported
/// through the indexes as when loading (the `stat`s of what the index names all succeed, but the link gave
/// nothing).
#[cfg(unix)]
#[test]
fn a_dangling_link_is_reported_through_the_indexes() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::write(
        dir.path().join("c.jsonl"),
        r#"{"id": "x/a", "signature": "aaa", "regex": "aaa"}"#,
    )
    .unwrap();
    common::age(dir.path());
    std::os::unix::fs::symlink(dir.path().join("nowhere"), dir.path().join("dead")).unwrap();
    settle();
    let cache = tempfile::tempdir().expect("cache");
    let paths = [dir.path().to_path_buf()];
    index(&paths, cache.path());
    let loaded = Catalog::load_with(false, &paths, &NO_CHECKS);
    let warm = index::warm(false, &paths, cache.path()).unwrap();
    let messages = |d: &[errdex::catalog::Diagnostic]| -> Vec<String> {
        d.iter()
            .map(|d| format!("{}: {}", d.path, d.message))
            .collect()
    };
    assert_eq!(messages(&warm.diagnostics), messages(&loaded.diagnostics));
    assert!(
        messages(&warm.diagnostics)[0].contains("dead: cannot follow symlink"),
        "{:?}",
        warm.diagnostics
    );
}

/// Sources that overlap (a directory and one inside it) are not replayed from indexes made for each alone:
/// the walk reaches the inner files once, so they are not counted twice.
#[test]
fn overlapping_sources_are_not_replayed_from_their_own_indexes() {
    let dir = tempfile::tempdir().expect("tempdir");
    let inner = dir.path().join("inner");
    std::fs::create_dir(&inner).unwrap();
    for (file, word) in [
        (dir.path().join("a.jsonl"), "aaa"),
        (inner.join("b.jsonl"), "bbb"),
    ] {
        let record = format!(r#"{{"id": "x/{word}", "signature": "{word}", "regex": "{word}"}}"#);
        std::fs::write(file, record).unwrap();
    }
    common::age(dir.path());
    settle();
    let cache = tempfile::tempdir().expect("cache");
    index(std::slice::from_ref(&inner), cache.path());
    index(&[dir.path().to_path_buf()], cache.path());
    let both = [dir.path().to_path_buf(), inner.clone()];
    assert!(
        index::warm(false, &both, cache.path()).is_none(),
        "the inner index holds files the walk reaches through the outer source"
    );
    index(&both, cache.path());
    let messages = ["aaa".to_string(), "bbb".to_string()];
    assert_narrowed_finds_the_same(&both, cache.path(), &messages);
    let warm = index::warm(false, &both, cache.path()).unwrap();
    let catalog = narrow::Narrowing::new(warm)
        .unwrap()
        .catalog("bbb", 5, &LookupEnv::default());
    assert_eq!(catalog.len(), 1, "{:?}", catalog.iter().collect::<Vec<_>>());
}

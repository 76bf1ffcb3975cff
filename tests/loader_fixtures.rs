//! Broken and odd catalogue files: each is reported with its path and exact position, the good records next to
//! it still load, and nothing panics or hangs.

mod common;

use errdex::catalog::{Catalog, Diagnostic, Severity};
use std::fs;
use std::path::Path;

fn good(id: &str) -> String {
    format!(
        r#"{{"id": "{id}", "signature": "boom: {id}", "regex": "boom: .*", "domain": "fixture"}}"#
    )
}

/// (file name, contents) written into a temp directory.
fn fixtures() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("good.json", good("fixture/good").into_bytes()),
        ("truncated.json", br#"{"id": "fixture/t", "signature": "x""#.to_vec()),
        ("trailing_comma.json", b"{\"id\": \"fixture/tc\",\n \"signature\": \"s\", \"regex\": \"r\",\n}".to_vec()),
        ("invalid_utf8.json", b"{\"id\": \"fixture/u\",\n \"signature\": \"bad \xff byte\", \"regex\": \"r\"}".to_vec()),
        ("empty.json", Vec::new()),
        ("deep_open.json", "[".repeat(100_000).into_bytes()),
        (
            "deep_field.json",
            format!(r#"{{"id": "fixture/deep", "signature": "s", "regex": "r", "x": {}{}}}"#, "[".repeat(100_000), "]".repeat(100_000))
                .into_bytes(),
        ),
        ("nan.json", b"{\"id\": \"fixture/nan\", \"signature\": \"s\", \"regex\": \"r\",\n \"confidence\": NaN}".to_vec()),
        ("huge_number.json", b"{\"id\": \"fixture/inf\", \"signature\": \"s\", \"regex\": \"r\", \"confidence\": 1e999}".to_vec()),
        (
            "lines.jsonl",
            format!("{}\n{{\"id\": broken}}\n\n{}\n", good("fixture/line1"), good("fixture/line4")).into_bytes(),
        ),
        (
            "array.json",
            format!("[\n  {},\n  {},\n  42\n]", good("fixture/arr1"), good("fixture/arr2")).into_bytes(),
        ),
        ("dup_id_a.json", good("fixture/dup").into_bytes()),
        ("dup_id_b.json", good("fixture/dup").into_bytes()),
        (
            "dup_keys.json",
            b"{\"id\": \"fixture/dk\",\n \"signature\": \"s\", \"regex\": \"r\",\n \"signature\": \"second\"}".to_vec(),
        ),
        ("missing.json", br#"{"id": "fixture/missing", "domain": "x"}"#.to_vec()),
        (
            "bad_regex.json",
            br#"{"id": "fixture/badre", "signature": "s", "regex": "(unclosed"}"#.to_vec(),
        ),
        ("bom.json", [b"\xEF\xBB\xBF".as_slice(), good("fixture/bom").as_bytes()].concat()),
        (
            "wrong_type.json",
            b"{\"id\": \"fixture/wt\", \"signature\": \"s\", \"regex\": \"r\",\n  \"confidence\": \"high\"}".to_vec(),
        ),
        ("not_object.json", b"\"just a string\"".to_vec()),
        ("cut_after_comma.json", b"{\"id\": \"fixture/cc\",\n".to_vec()),
        ("control_in_key.json", b"{\"id\": \"fixture/ck\",\n \"sig\nnature\": \"s\"}".to_vec()),
        (
            "comma.jsonl",
            b"{\"id\": \"fixture/lc\", \"signature\": \"s\", \"regex\": \"r\",}\n".to_vec(),
        ),
        ("notes.txt", b"not a catalogue file, ignored".to_vec()),
    ]
}

struct Loaded {
    catalog: Catalog,
    dir: tempfile::TempDir,
}

fn load_fixtures() -> Loaded {
    let dir = tempfile::tempdir().expect("tempdir");
    for (name, bytes) in fixtures() {
        fs::write(dir.path().join(name), bytes).expect("write fixture");
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::symlink;
        symlink("loop.json", dir.path().join("loop.json")).expect("symlink loop");
        symlink("/dev/zero", dir.path().join("zero.json")).expect("link to /dev/zero");
        fs::create_dir(dir.path().join("sub")).expect("subdir");
        symlink("..", dir.path().join("sub/parent")).expect("dir loop");
    }
    let catalog = Catalog::load(false, &[dir.path().to_path_buf()]);
    Loaded { catalog, dir }
}

fn find<'a>(c: &'a Catalog, file: &str) -> Vec<&'a Diagnostic> {
    c.diagnostics
        .iter()
        .filter(|d| Path::new(&d.path).file_name().is_some_and(|n| n == file))
        .collect()
}

/// Asserts exactly one diagnostic for `file`, at `line:column`, of `severity`, containing `text`.
fn expect(c: &Catalog, file: &str, line: usize, column: usize, severity: Severity, text: &str) {
    let found = find(c, file);
    assert_eq!(
        found.len(),
        1,
        "{file}: want one diagnostic, got {found:#?}"
    );
    let d = found[0];
    assert_eq!(
        (d.line, d.column, d.severity),
        (line, column, severity),
        "{file}: {d}"
    );
    assert!(
        d.message.contains(text),
        "{file}: {d} should mention {text:?}"
    );
    assert!(
        d.to_string().starts_with(&d.path),
        "display starts with the path: {d}"
    );
}

#[test]
fn each_broken_file_is_reported_at_its_position() {
    let l = load_fixtures();
    let c = &l.catalog;
    expect(c, "truncated.json", 1, 36, Severity::Error, "EOF");
    expect(
        c,
        "trailing_comma.json",
        3,
        1,
        Severity::Error,
        "trailing comma before `}`",
    );
    expect(
        c,
        "invalid_utf8.json",
        2,
        20,
        Severity::Error,
        "invalid UTF-8 (byte 0xFF)",
    );
    expect(c, "empty.json", 1, 1, Severity::Error, "empty file");
    // Said the same whether a file holds one object, an array or lines, and at the character at fault.
    expect(
        c,
        "cut_after_comma.json",
        2,
        1,
        Severity::Error,
        "EOF while parsing an object",
    );
    expect(
        c,
        "control_in_key.json",
        2,
        5,
        Severity::Error,
        "control character (\\u0000-\\u001F) found while parsing a string",
    );
    expect(
        c,
        "comma.jsonl",
        1,
        53,
        Severity::Error,
        "trailing comma before `}`",
    );
    expect(
        c,
        "deep_open.json",
        1,
        100_000,
        Severity::Error,
        "EOF while parsing a list",
    );
    expect(
        c,
        "deep_field.json",
        1,
        188,
        Severity::Error,
        "field `x`: recursion limit exceeded",
    );
    expect(c, "nan.json", 2, 16, Severity::Error, "expected value");
    expect(
        c,
        "huge_number.json",
        1,
        69,
        Severity::Warning,
        "field `confidence`: number out of range; ignored",
    );
    expect(c, "lines.jsonl", 2, 8, Severity::Error, "expected value");
    expect(
        c,
        "array.json",
        4,
        3,
        Severity::Error,
        "expected a record object, found a number",
    );
    expect(
        c,
        "dup_keys.json",
        3,
        15,
        Severity::Warning,
        "duplicate key `signature`",
    );
    expect(
        c,
        "missing.json",
        1,
        1,
        Severity::Error,
        "missing required fields `signature`, `regex`",
    );
    expect(
        c,
        "bad_regex.json",
        1,
        1,
        Severity::Warning,
        "regex does not compile",
    );
    expect(
        c,
        "wrong_type.json",
        2,
        17,
        Severity::Warning,
        "field `confidence`: invalid type: string \"high\", expected f64; ignored",
    );
    expect(
        c,
        "not_object.json",
        1,
        1,
        Severity::Error,
        "expected a record object, found a string",
    );
    expect(
        c,
        "dup_id_b.json",
        1,
        1,
        Severity::Warning,
        "duplicate id `fixture/dup`: already defined at",
    );
    assert!(
        find(c, "dup_id_b.json")[0]
            .message
            .contains("dup_id_a.json:1:1")
    );
    assert!(
        find(c, "notes.txt").is_empty(),
        "non-catalogue files are ignored"
    );
    assert!(find(c, "bom.json").is_empty(), "a BOM is accepted");
    assert!(find(c, "good.json").is_empty());
}

#[cfg(unix)]
#[test]
fn links_that_loop_or_lead_to_devices_are_refused() {
    let l = load_fixtures();
    expect(
        &l.catalog,
        "loop.json",
        1,
        1,
        Severity::Error,
        "symlink loop",
    );
    expect(
        &l.catalog,
        "zero.json",
        1,
        1,
        Severity::Error,
        "not a regular file",
    );
}

#[test]
fn good_records_next_to_broken_ones_still_load() {
    let l = load_fixtures();
    let mut ids: Vec<&str> = l.catalog.iter().map(|r| r.id.as_str()).collect();
    ids.sort_unstable();
    assert_eq!(
        ids,
        [
            "fixture/arr1",
            "fixture/arr2",
            "fixture/badre",
            "fixture/bom",
            "fixture/dk",
            "fixture/dup",
            "fixture/good",
            // A bad optional field costs the field, not the record.
            "fixture/inf",
            "fixture/line1",
            "fixture/line4",
            "fixture/wt",
        ]
    );
    let dk = l.catalog.get("fixture/dk").expect("dup_keys record");
    assert_eq!(dk.signature, "s", "the first of duplicate keys is kept");
    assert_eq!(
        l.catalog.get("fixture/dup").map(|r| r.signature.as_str()),
        Some("boom: fixture/dup")
    );
}

#[test]
fn loading_is_deterministic() {
    let a = load_fixtures();
    let b = load_fixtures();
    let ids = |c: &Catalog| c.iter().map(|r| r.id.clone()).collect::<Vec<_>>();
    assert_eq!(ids(&a.catalog), ids(&b.catalog));
    let msgs = |l: &Loaded| {
        let dir = l.dir.path().display().to_string();
        l.catalog
            .diagnostics
            .iter()
            .map(|d| d.to_string().replace(&dir, "DIR"))
            .collect::<Vec<_>>()
    };
    assert_eq!(msgs(&a), msgs(&b));
}

#[test]
fn oversized_json_documents_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("big.json");
    let file = fs::File::create(&path).expect("create");
    file.set_len(errdex::catalog::load::MAX_FILE_BYTES + 1)
        .expect("sparse file");
    let c = Catalog::load(false, &[path]);
    expect(
        &c,
        "big.json",
        1,
        1,
        Severity::Error,
        "over the 1024 MiB limit",
    );
}

/// A JSONL file has no size cap, only one a line: a file over the old 64 MiB cap whose second line is a
/// 65 MiB run of NULs loads the records around that line, which is one error at its number.
#[test]
fn a_jsonl_file_has_a_cap_a_line_not_a_file() {
    use std::io::{Seek, Write};
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("big.jsonl");
    let mut file = fs::File::create(&path).expect("create");
    writeln!(file, "{}", good("fixture/before")).expect("write");
    let long = errdex::catalog::load::MAX_LINE_BYTES as u64 + 1024 * 1024;
    let end = file.stream_position().expect("position") + long;
    file.set_len(end).expect("sparse line");
    file.seek(std::io::SeekFrom::End(0)).expect("seek");
    writeln!(file, "\n{}", good("fixture/after")).expect("write");
    drop(file);
    let c = Catalog::load(false, &[path]);
    expect(&c, "big.jsonl", 2, 1, Severity::Error, "over 64 MiB");
    let ids: Vec<&str> = c.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(ids, ["fixture/before", "fixture/after"]);
    assert_eq!(c.origins.get(1).line, 3);
}

#[test]
fn a_missing_path_is_an_error_not_a_panic() {
    let c = Catalog::load(false, &["/nonexistent/errdex/catalog".into()]);
    expect(
        &c,
        "catalog",
        1,
        1,
        Severity::Error,
        "no such file or directory",
    );
}

#[test]
fn regex_checks_can_be_skipped_for_commands_that_run_no_regex() {
    use errdex::catalog::load::{Options, parse_bytes_with};
    use errdex::catalog::source::Layout;
    let text = br#"{"id": "fixture/badre", "signature": "s", "regex": "(unclosed"}"#;
    let checked = parse_bytes_with(&"b.json".into(), text, Layout::Json, &Options::default());
    assert_eq!(checked.diagnostics.len(), 1);
    let skipped = parse_bytes_with(
        &"b.json".into(),
        text,
        Layout::Json,
        &Options {
            check_regexes: false,
        },
    );
    assert!(skipped.diagnostics.is_empty());
    assert_eq!(skipped.records.len(), 1, "the record loads either way");
}

#[test]
fn records_from_files_parse_their_details_when_first_read_and_equal_eager_ones() {
    use errdex::catalog::load::parse_bytes;
    use errdex::catalog::source::Layout;
    let dir = tempfile::tempdir().unwrap();
    let mut jsonl = Vec::new();
    errdex::synth::write(&mut jsonl, 200, 5, false).unwrap();
    std::fs::write(dir.path().join("full.jsonl"), &jsonl).unwrap();
    let seed = std::fs::read(common::repo("seeds/docker/exec-format-error-arm64.json")).unwrap();
    std::fs::write(dir.path().join("seed.json"), &seed).unwrap();
    // Lean records have no details: they keep nothing of their file.
    let mut minimal = Vec::new();
    errdex::synth::write(&mut minimal, 50, 6, true).unwrap();
    let lean_dir = tempfile::tempdir().unwrap();
    std::fs::write(lean_dir.path().join("minimal.jsonl"), &minimal).unwrap();
    let lean = Catalog::load(false, &[lean_dir.path().to_path_buf()]);
    assert_eq!(lean.len(), 50);
    assert!(lean.iter().all(|r| !r.details_deferred()));

    let lazy = Catalog::load(false, &[dir.path().to_path_buf()]);
    let mut eager = parse_bytes(&"seed.json".into(), &seed, Layout::Json).records;
    eager.extend(parse_bytes(&"full.jsonl".into(), &jsonl, Layout::JsonLines).records);
    assert_eq!(lazy.len(), 201);
    assert!(
        lazy.iter().all(|r| r.details_deferred()),
        "nothing read yet"
    );
    assert!(eager.iter().all(|(r, _)| !r.details_deferred()));
    assert!(
        !lazy[0].details().dead_ends.is_empty(),
        "the seed has dead ends"
    );
    assert!(!lazy[0].details_deferred(), "read once, kept");
    let lazy_by_id = |id: &str| lazy.get(id).unwrap();
    for (r, _) in &eager {
        assert_eq!(lazy_by_id(&r.id), r);
        assert_eq!(
            serde_json::to_string(lazy_by_id(&r.id)).unwrap(),
            serde_json::to_string(r).unwrap()
        );
    }
}

/// The walk's system calls are made ahead in parallel (`load::prefetch`); what it finds must not depend on
/// which thread reached a directory first. Here `a` links to `z`: in name order `a` comes first, so `z`'s
/// files are read as `a/...` and `z` itself is skipped, whichever path the parallel pass listed it by (and
/// `y/again.json`, a link, before `y/y.json`).
#[cfg(unix)]
#[test]
fn a_directory_reached_by_two_paths_is_read_by_the_first_in_name_order() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path();
    for sub in ["m", "z/deeper/deepest", "y"] {
        fs::create_dir_all(root.join(sub)).expect("subdir");
    }
    fs::write(root.join("m/m.json"), good("m")).expect("write");
    fs::write(root.join("z/z.json"), good("z")).expect("write");
    fs::write(root.join("z/deeper/d.json"), good("d")).expect("write");
    fs::write(root.join("z/deeper/deepest/e.json"), good("e")).expect("write");
    fs::write(root.join("y/y.json"), good("y")).expect("write");
    symlink("z", root.join("a")).expect("link to a sibling");
    symlink("../z/deeper", root.join("y/deeper")).expect("link to a cousin");
    symlink("y.json", root.join("y/again.json")).expect("link to a file");
    let expected = [
        "a/deeper/d.json",
        "a/deeper/deepest/e.json",
        "a/z.json",
        "m/m.json",
        "y/again.json",
    ];
    // Many times: the parallel pass races differently from one run to the next.
    for _ in 0..20 {
        let catalog = Catalog::load(false, &[root.to_path_buf()]);
        let prefix = format!("{}/", root.display());
        let files: Vec<String> = (catalog.origins.iter())
            .map(|o| o.path.strip_prefix(&prefix).unwrap_or(&o.path).to_string())
            .collect();
        assert_eq!(files, expected);
        assert!(catalog.diagnostics.is_empty(), "{:?}", catalog.diagnostics);
    }
}

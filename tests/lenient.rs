//! One bad field costs that field, not the record: each fixture in `tests/fixtures/lenient/` holds one kind of
//! bad value, and its record still loads, shows, searches and looks up, while `check` names the field and
//! where it is. `null` where a list or object belongs is simply empty. Only a missing id, signature or regex
//! loses the record.

mod common;

use assert_cmd::Command;

fn errdex() -> Command {
    let mut c = Command::cargo_bin("errdex").expect("binary");
    c.current_dir(common::repo("")).env("NO_COLOR", "1");
    // The persistent index goes under target/, never into the real home.
    c.env(
        "XDG_CACHE_HOME",
        concat!(env!("CARGO_TARGET_TMPDIR"), "/xdg-cache"),
    );
    c
}

const DIR: &str = "tests/fixtures/lenient";

/// `errdex check` on one fixture: its output and exit code.
fn check(file: &str) -> (String, i32) {
    let out = errdex()
        .args(["check", &format!("{DIR}/{file}")])
        .output()
        .expect("run");
    (
        String::from_utf8(out.stdout).expect("utf8"),
        out.status.code().unwrap_or(-1),
    )
}

/// The record loads and is usable by every command: shown, found by search and by lookup.
fn usable(file: &str, id: &str, signature: &str) {
    let path = format!("{DIR}/{file}");
    let show = errdex()
        .args(["--no-default", "-c", &path, "show", id])
        .output()
        .expect("run");
    assert!(show.status.success(), "show {id}: {show:?}");
    assert!(String::from_utf8_lossy(&show.stdout).contains(signature));
    let search = errdex()
        .args(["--no-default", "-c", &path, "search", "lenient"])
        .output()
        .expect("run");
    assert!(
        String::from_utf8_lossy(&search.stdout).contains(id),
        "search finds {id}"
    );
    let lookup = errdex()
        .args(["--no-default", "-c", &path, "lookup", signature])
        .output()
        .expect("run");
    assert!(lookup.status.success(), "lookup {id}: {lookup:?}");
    assert!(String::from_utf8_lossy(&lookup.stdout).contains(id));
}

#[test]
fn null_lists_and_objects_read_as_empty_without_a_warning() {
    let (out, code) = check("null-lists.json");
    assert_eq!(code, 0, "{out}");
    assert!(!out.contains("null"), "no warning about null: {out}");
    usable(
        "null-lists.json",
        "lenient/null-lists",
        "lenient: null lists happen",
    );
}

#[test]
fn a_rate_written_as_text_is_dropped_with_a_warning_at_the_field() {
    let (out, code) = check("rate-as-text.json");
    assert_eq!(code, 0, "warnings only: {out}");
    assert!(
        out.contains(&format!(
            "{DIR}/rate-as-text.json:6:77: warning: field `dead_ends[0].fail_rate`: invalid type: string \"high\", expected f64; ignored"
        )),
        "{out}"
    );
    usable(
        "rate-as-text.json",
        "lenient/rate-as-text",
        "lenient: a rate written as text",
    );
    // The dead end itself stays, without its rate; the other keeps its rate.
    let show = errdex()
        .args(["--no-default", "-c", &format!("{DIR}/rate-as-text.json")])
        .args(["show", "lenient/rate-as-text"])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&show.stdout);
    assert!(text.contains("✗ Reboot\n"), "{text}");
    assert!(text.contains("✗ Reinstall (fails 90%)"), "{text}");
}

#[test]
fn a_rate_out_of_range_is_dropped_and_quoted_as_written() {
    let (out, code) = check("rate-out-of-range.json");
    assert_eq!(code, 0, "warnings only: {out}");
    let file = format!("{DIR}/rate-out-of-range.json");
    assert!(
        out.contains(&format!(
            "{file}:5:76: warning: field `workarounds[0].success_rate` is 1e308, outside 0..1; ignored"
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "{file}:6:17: warning: field `confidence` is 1.5, outside 0..1; ignored"
        )),
        "{out}"
    );
    usable(
        "rate-out-of-range.json",
        "lenient/rate-out-of-range",
        "lenient: a rate out of range",
    );
}

#[test]
fn graph_entries_that_are_no_link_are_dropped_and_the_good_ones_kept() {
    let (out, _) = check("graph-entries.json");
    let file = format!("{DIR}/graph-entries.json");
    for (at, field) in [
        ("6:18", "transition_graph.leads_to[0]"),
        ("6:21", "transition_graph.leads_to[1]"),
    ] {
        assert!(
            out.contains(&format!(
                "{file}:{at}: warning: field `{field}`: expected a record id or an object with `error_id`; dropped"
            )),
            "{field}: {out}"
        );
    }
    assert!(
        out.contains(&format!(
            "{file}:7:73: warning: field `transition_graph.preceded_by[0].probability` is 2, outside 0..1; ignored"
        )),
        "{out}"
    );
    usable(
        "graph-entries.json",
        "lenient/graph-entries",
        "lenient: odd graph entries",
    );
    let show = errdex()
        .args(["--no-default", "-c", &file, "show", "lenient/graph-entries"])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&show.stdout);
    assert!(text.contains("→ lenient/null-lists"), "{text}");
    assert!(text.contains("→ lenient/rate-as-text"), "{text}");
}

#[test]
fn a_version_that_is_no_object_is_dropped_and_the_others_kept() {
    let (out, code) = check("version-not-object.json");
    assert_eq!(code, 0, "warnings only: {out}");
    let file = format!("{DIR}/version-not-object.json");
    assert!(
        out.contains(&format!(
            "{file}:5:16: warning: field `versions[0]`: expected an object with `version`; dropped"
        )),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "{file}:6:21: warning: field `evidence_count`: invalid type: string \"five\", expected u64; ignored"
        )),
        "{out}"
    );
    usable(
        "version-not-object.json",
        "lenient/version-not-object",
        "lenient: a version that is a string",
    );
    let show = errdex()
        .args([
            "--no-default",
            "-c",
            &file,
            "show",
            "lenient/version-not-object",
        ])
        .output()
        .expect("run");
    assert!(String::from_utf8_lossy(&show.stdout).contains("- Tool 2.0 (status active)"));
}

#[test]
fn a_record_without_its_regex_is_still_an_error_and_skipped() {
    let (out, code) = check("no-regex.json");
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains(&format!(
            "{DIR}/no-regex.json:1:1: error: record is missing required field `regex`"
        )),
        "{out}"
    );
    assert!(
        out.ends_with("0 records from 1 files: 1 errors, 0 warnings\n"),
        "{out}"
    );
}

/// Every fixture together: the good records of all of them load side by side.
#[test]
fn the_whole_directory_loads_every_record_but_the_one_without_a_regex() {
    let out = errdex().args(["check", DIR]).output().expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("5 records from 6 files: 1 errors,"), "{text}");
}

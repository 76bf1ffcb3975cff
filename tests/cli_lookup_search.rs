//! The real binary: `lookup` and `search`, text and JSON, standard input, limits and exit codes. The
//! catalogue is written here, to a temporary directory, so these tests do not move with the seeds or with
//! other tests' fixtures.

mod common;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

const REFERENCE: &str = "seeds/docker/exec-format-error-arm64.json";

/// Five records: a specific Python error and a generic one that also matches it, a git error with Chinese
/// text, a record whose signature carries escape sequences, and one whose regex does not compile.
const CATALOGUE: &str = r#"[
  {"id": "python/module-not-found", "signature": "ModuleNotFoundError: No module named 'requests'",
   "signature_zh": "ModuleNotFoundError：找不到模块 'requests'",
   "regex": "ModuleNotFoundError: No module named '[^']+'", "domain": "python", "category": "import_error",
   "verification_tier": "ai_generated",
   "dead_ends": [{"action": "Reinstall Python", "why_fails": "The package is still not installed in the active environment.", "fail_rate": 0.9}],
   "workarounds": [{"action": "Install the package into the interpreter that runs the script", "how": "python -m pip install requests", "success_rate": 0.95}],
   "workarounds_zh": [{"action": "把包装进运行脚本的解释器", "how": "python -m pip install requests"}]},
  {"id": "python/generic-error", "signature": "Error: something failed", "regex": "error",
   "domain": "python", "category": "runtime_error"},
  {"id": "git/merge-conflict", "signature": "CONFLICT (content): Merge conflict in src/main.py",
   "signature_zh": "冲突（内容）：src/main.py 中的合并冲突",
   "regex": "CONFLICT \\(content\\): Merge conflict in \\S+", "domain": "git", "category": "sync_error",
   "verification_tier": "human_verified",
   "aliases": ["CONFLICT (content): Merge conflict in README.md"],
   "dead_ends": [{"action": "git push --force", "why_fails": "The conflict is local; pushing does not resolve it.", "fail_rate": 0.8}],
   "workarounds": [{"action": "Edit the file, keep the right lines, mark it resolved", "how": "git add src/main.py && git commit", "success_rate": 0.97}]},
  {"id": "term/hostile", "signature": "\u001b]52;c;SGVsbG8=\u0007clipboard \u001b[31mhijack\u001b[0m warning \u202eevil",
   "regex": "clipboard hijack", "domain": "term",
   "workarounds": [{"action": "\u001b]8;;http://evil\u001b\\click\u001b]8;;\u001b\\ here"}]},
  {"id": "broken/regex", "signature": "unclosed group", "regex": "(unclosed", "domain": "broken"}
]"#;

/// The catalogue above in a temporary directory, and a command loading only it.
struct Fixture {
    dir: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Fixture {
        Fixture {
            dir: common::catalogue_dir(CATALOGUE),
        }
    }

    fn errdex(&self) -> Command {
        let mut cmd = errdex();
        cmd.arg("--no-default")
            .arg("-c")
            .arg(self.dir.path().join("catalogue.json"));
        cmd
    }
}

fn errdex() -> Command {
    let mut cmd = Command::cargo_bin("errdex").expect("binary");
    // The persistent index goes under target/, never into the real home.
    cmd.env(
        "XDG_CACHE_HOME",
        concat!(env!("CARGO_TARGET_TMPDIR"), "/xdg-cache"),
    );
    cmd.env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .current_dir(common::repo(""));
    cmd
}

fn json(out: &[u8]) -> Vec<Value> {
    serde_json::from_slice(out).expect("a JSON array")
}

fn stdout(assert: assert_cmd::assert::Assert) -> Vec<u8> {
    assert.get_output().stdout.clone()
}

fn ids(hits: &[Value]) -> Vec<&str> {
    hits.iter()
        .map(|h| h["id"].as_str().unwrap_or(""))
        .collect()
}

const TRACEBACK: &str = "Traceback (most recent call last):\n  File \"app.py\", line 3, in <module>\n    import requests\nModuleNotFoundError: No module named 'requests'\n";

#[test]
fn lookup_prints_id_signature_dead_ends_and_workarounds() {
    let f = Fixture::new();
    f.errdex()
        .args(["lookup", "CONFLICT (content): Merge conflict in lib/app.rs"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("#1 regex match"))
        .stdout(predicate::str::contains(
            "git/merge-conflict\nCONFLICT (content): Merge conflict in src/main.py\n",
        ))
        .stdout(predicate::str::contains("✗ git push --force (fails 80%)"))
        .stdout(predicate::str::contains(
            "✓ Edit the file, keep the right lines, mark it resolved",
        ));
}

#[test]
fn lookup_reads_a_log_from_standard_input_when_the_message_is_absent_or_a_dash() {
    let f = Fixture::new();
    for args in [vec!["lookup", "--json"], vec!["lookup", "--json", "-"]] {
        let hits = json(&stdout(
            f.errdex()
                .args(&args)
                .write_stdin(TRACEBACK)
                .assert()
                .success(),
        ));
        // The generic `error` regex matches too, but explains less of the key line.
        assert_eq!(
            ids(&hits)[..2],
            ["python/module-not-found", "python/generic-error"],
            "{args:?}"
        );
        let top = &hits[0];
        assert_eq!(top["match"], "regex");
        assert_eq!(top["domain"], "python");
        assert_eq!(
            top["matched_text"],
            "ModuleNotFoundError: No module named 'requests'"
        );
        assert!(
            top["score"]
                .as_f64()
                .is_some_and(|s| s > hits[1]["score"].as_f64().unwrap_or(1.0))
        );
        for key in ["id", "domain", "signature", "score", "match"] {
            assert!(hits.iter().all(|h| h.get(key).is_some()), "{key}");
        }
    }
}

#[test]
fn lookup_in_chinese_prints_the_chinese_text() {
    let f = Fixture::new();
    f.errdex()
        .args(["--lang", "zh", "lookup", "--limit", "1"])
        .write_stdin(TRACEBACK)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "ModuleNotFoundError：找不到模块 'requests'",
        ))
        .stdout(predicate::str::contains("把包装进运行脚本的解释器"));
}

#[test]
fn lookup_without_a_regex_match_labels_approximate_hits_and_exits_one() {
    let f = Fixture::new();
    let message = "merge conflict while rebasing main.py";
    let hits = json(&stdout(
        f.errdex()
            .args(["lookup", "--json", message])
            .assert()
            .code(1),
    ));
    assert_eq!(ids(&hits)[0], "git/merge-conflict");
    assert!(hits.iter().all(|h| h["match"] == "approximate"));
    f.errdex()
        .args(["lookup", message])
        .assert()
        .code(1)
        .stdout(predicate::str::contains("approximate"));
    f.errdex()
        .args(["lookup", "nothing like any record here"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains("no record matches"));
}

#[test]
fn lookup_limit_cuts_the_list_but_not_the_exit_code() {
    let f = Fixture::new();
    let all = json(&stdout(
        f.errdex()
            .args(["lookup", "--json"])
            .write_stdin(TRACEBACK)
            .assert()
            .success(),
    ));
    assert!(all.len() >= 2);
    let one = json(&stdout(
        f.errdex()
            .args(["lookup", "--json", "--limit", "1"])
            .write_stdin(TRACEBACK)
            .assert()
            .success(),
    ));
    assert_eq!(one, all[..1]);
    // 0 would print nothing and look like "no match": refused with the reason.
    f.errdex()
        .args(["lookup", "--json", "--limit", "0"])
        .write_stdin(TRACEBACK)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("0 would print nothing"));
    f.errdex()
        .args(["lookup", "--limit", "many", "x"])
        .assert()
        .code(2);
}

#[test]
fn standard_input_is_cut_at_one_mebibyte_with_a_notice() {
    let f = Fixture::new();
    let filler = "x".repeat(2 * 1024 * 1024);
    // The error line comes after the cap: it is never read.
    f.errdex()
        .args(["lookup", "--json"])
        .write_stdin(format!(
            "{filler}\nModuleNotFoundError: No module named 'torch'\n"
        ))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cut at 1 MiB"));
    // Before the cap it is found, and the notice is still given.
    let hits = json(&stdout(
        f.errdex()
            .args(["lookup", "--json"])
            .write_stdin(format!(
                "ModuleNotFoundError: No module named 'torch'\n{filler}"
            ))
            .assert()
            .success()
            .stderr(predicate::str::contains("cut at 1 MiB")),
    ));
    assert_eq!(ids(&hits)[0], "python/module-not-found");
}

#[test]
fn catalogue_text_reaches_the_terminal_sanitized() {
    let f = Fixture::new();
    for args in [
        vec!["lookup", "clipboard hijack"],
        vec!["lookup", "--json", "clipboard hijack"],
        vec!["search", "clipboard"],
        vec!["search", "--json", "clipboard"],
        vec!["--color", "always", "search", "clipboard"],
    ] {
        let out = stdout(f.errdex().args(&args).assert().success());
        let text = String::from_utf8(out).expect("utf8");
        assert!(text.contains("term/hostile"), "{args:?}: {text}");
        let raw_escape =
            |c: char| (c.is_control() && c != '\n' && c != '\u{1b}') || c == '\u{202e}';
        assert!(!text.chars().any(raw_escape), "{args:?}: {text:?}");
        // Only our own colour codes may carry ESC.
        let without_sgr = text
            .replace("\u{1b}[0m", "")
            .replace("\u{1b}[1;33m", "")
            .replace("\u{1b}[1m", "")
            .replace("\u{1b}[2m", "")
            .replace("\u{1b}[32m", "");
        assert!(!without_sgr.contains('\u{1b}'), "{args:?}: {text:?}");
    }
}

#[test]
fn lookup_finds_the_reference_record() {
    let hits = json(&stdout(
        errdex()
            .args(["--no-default", "-c", REFERENCE, "lookup", "--json"])
            .arg("standard_init_linux.go:228: exec user process caused: exec /usr/bin/python3: exec format error")
            .assert()
            .success(),
    ));
    assert_eq!(ids(&hits), ["docker/exec-format-error-arm64"]);
    assert_eq!(hits[0]["match"], "regex");
}

#[test]
fn search_prints_matching_records_best_first() {
    let f = Fixture::new();
    f.errdex()
        .args(["search", "merge", "conflict"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "git/merge-conflict  CONFLICT (content): Merge conflict in src/main.py",
        ));
    f.errdex()
        .args(["--lang", "zh", "search", "合并冲突"])
        .assert()
        .success()
        .stdout(predicate::str::contains("git/merge-conflict"));
}

#[test]
fn search_json_filters_and_limit() {
    let f = Fixture::new();
    let hits = json(&stdout(
        f.errdex()
            .args(["search", "--json", "modnotfound"])
            .assert()
            .success(),
    ));
    assert_eq!(ids(&hits), ["python/module-not-found"]);
    for key in ["id", "domain", "signature", "score", "match"] {
        assert!(hits[0].get(key).is_some(), "{key}");
    }
    assert!(hits[0]["score"].as_i64().is_some_and(|s| s > 0));
    // Filters alone list every record that passes them, in catalogue order.
    let python = json(&stdout(
        f.errdex()
            .args(["search", "--json", "domain:PY"])
            .assert()
            .success(),
    ));
    assert_eq!(
        ids(&python),
        ["python/module-not-found", "python/generic-error"]
    );
    let filtered = json(&stdout(
        f.errdex()
            .args(["search", "--json", "cat:import", "error"])
            .assert()
            .success(),
    ));
    assert_eq!(ids(&filtered), ["python/module-not-found"]);
    let verified = json(&stdout(
        f.errdex()
            .args(["search", "--json", "tier:human"])
            .assert()
            .success(),
    ));
    assert_eq!(ids(&verified), ["git/merge-conflict"]);
    let limited = json(&stdout(
        f.errdex()
            .args(["search", "--json", "--limit", "1", "domain:python"])
            .assert()
            .success(),
    ));
    assert_eq!(ids(&limited), ["python/module-not-found"]);
}

#[test]
fn search_without_hits_exits_one_and_without_a_query_is_a_usage_error() {
    let f = Fixture::new();
    f.errdex()
        .args(["search", "zzzzqqq"])
        .assert()
        .code(1)
        .stdout("");
    f.errdex()
        .args(["search", "--json", "domain:nowhere"])
        .assert()
        .code(1)
        .stdout("[]\n");
    f.errdex().arg("search").assert().code(2);
}

#[test]
fn the_browser_refuses_a_pipe_for_stdout() {
    Fixture::new()
        .errdex()
        .assert()
        .code(2)
        .stderr(predicate::str::contains("the browser needs a terminal"));
}

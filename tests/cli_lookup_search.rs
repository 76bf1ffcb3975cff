//! The real binary: `lookup` and `search`, text and JSON, standard input, limits and exit codes.

mod common;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

const FIXTURE: &str = "tests/fixtures/browser.json";

fn errdex() -> Command {
    let mut cmd = Command::cargo_bin("errdex").expect("binary");
    cmd.env_remove("LANG")
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .current_dir(common::repo(""));
    cmd.args(["--no-default", "-c", FIXTURE]);
    cmd
}

fn json(out: &[u8]) -> Vec<Value> {
    serde_json::from_slice(out).expect("JSON array")
}

#[test]
fn lookup_of_a_message_argument() {
    errdex()
        .args(["lookup", "CONFLICT (content): Merge conflict in lib/app.rs"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("#1 regex match"))
        .stdout(predicate::str::contains(
            "git/merge-conflict\nCONFLICT (content): Merge conflict in src/main.py",
        ))
        .stdout(predicate::str::contains(
            "✓ Edit the file, keep the right lines, mark it resolved",
        ));
}

#[test]
fn lookup_reads_a_whole_log_from_standard_input() {
    let log = "$ git push\nTo github.com:me/app.git\n ! [rejected]        main -> main (non-fast-forward)\nerror: failed to push some refs\nhint: Updates were rejected\n";
    for args in [vec!["lookup"], vec!["lookup", "-"]] {
        let out = errdex()
            .args(&args)
            .args(["--json"])
            .write_stdin(log)
            .assert()
            .success()
            .get_output()
            .stdout
            .clone();
        let hits = json(&out);
        assert_eq!(hits[0]["id"], "git/push-rejected");
        assert_eq!(hits[0]["match"], "regex");
        assert_eq!(
            hits[0]["matched_text"],
            "[rejected]        main -> main (non-fast-forward)"
        );
        for key in ["id", "domain", "signature", "score", "match", "rank"] {
            assert!(hits[0].get(key).is_some(), "{key}");
        }
    }
}

#[test]
fn lookup_without_a_regex_match_gives_approximate_hits_and_exit_one() {
    let out = errdex()
        .args([
            "lookup",
            "--json",
            "fs.inotify watchers limit reached for the system",
        ])
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let hits = json(&out);
    assert_eq!(hits[0]["id"], "node/enospc-watchers");
    assert_eq!(hits[0]["match"], "approximate");
    errdex()
        .args(["lookup", "nothing like any record"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no record matches"));
}

#[test]
fn lookup_limit_and_oversized_stdin() {
    let out = errdex().args(["lookup", "--json", "--limit", "1", "Merge conflict in x; ENOSPC: System limit for number of file watchers reached; CONFLICT (content): Merge conflict in y"]).assert().success().get_output().stdout.clone();
    assert_eq!(json(&out).len(), 1);
    let big = format!(
        "{}\nError: ENOSPC: System limit for number of file watchers reached\n",
        "x".repeat(2 * 1024 * 1024)
    );
    errdex()
        .args(["lookup", "--json"])
        .write_stdin(big)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("cut at 1 MiB"));
}

#[test]
fn search_text_and_json() {
    errdex()
        .args(["search", "enospc"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "node/enospc-watchers  Error: ENOSPC",
        ));
    let out = errdex()
        .args(["search", "--json", "domain:git"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let ids: Vec<String> = json(&out)
        .iter()
        .map(|h| h["id"].as_str().unwrap_or("").to_string())
        .collect();
    assert_eq!(ids, ["git/push-rejected", "git/merge-conflict"]);
    let out = errdex()
        .args(["search", "--json", "--limit", "1", "merge", "conflict"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let hits = json(&out);
    assert_eq!(
        (hits.len(), hits[0]["id"].as_str()),
        (1, Some("git/merge-conflict"))
    );
    assert!(hits[0]["score"].as_i64().is_some_and(|s| s > 0));
    errdex()
        .args(["search", "zzzzqqq"])
        .assert()
        .code(1)
        .stdout("");
}

#[test]
fn search_in_chinese_matches_chinese_signatures() {
    errdex()
        .args(["--lang", "zh", "search", "合并冲突"])
        .assert()
        .success()
        .stdout(predicate::str::contains("git/merge-conflict"));
}

#[test]
fn the_browser_refuses_a_pipe_for_stdout() {
    errdex()
        .assert()
        .code(2)
        .stderr(predicate::str::contains("the browser needs a terminal"));
}

//! The real binary: `check` and `show`, text and JSON, and their exit codes.

mod common;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

const REFERENCE: &str = "seeds/docker/exec-format-error-arm64.json";

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
        .env_remove("NO_COLOR");
    cmd
}

fn write(dir: &std::path::Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).expect("write");
}

#[test]
fn check_of_a_clean_catalogue_exits_zero_with_a_summary() {
    errdex()
        .args(["check", REFERENCE])
        .current_dir(common::repo(""))
        .assert()
        .success()
        .stdout("1 records from 1 files: 0 errors, 0 warnings\n");
}

#[test]
fn check_reports_errors_and_warnings_and_exits_one() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "a.json",
        r#"{"id": "t/a", "signature": "boom 1", "regex": "boom \\d", "signature_zh": "爆 1",
        "transition_graph": {"leads_to": ["t/nowhere"]}, "confidence": 1.5}"#,
    );
    write(dir.path(), "b.jsonl", "{\"id\": \"t/b\"\n");
    let out = errdex()
        .arg("check")
        .arg(dir.path())
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).expect("utf8");
    let a = dir.path().join("a.json").display().to_string();
    let b = dir.path().join("b.jsonl").display().to_string();
    assert!(
        text.contains(&format!(
            "{a}:2:72: warning: field `confidence` is 1.5, outside 0..1; ignored"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "{a}:1:1: warning: record `t/a`: leads_to links to `t/nowhere`"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!("{b}:1:12: error: EOF while parsing an object")),
        "{text}"
    );
    assert!(
        text.ends_with("1 records from 2 files: 1 errors, 2 warnings\n"),
        "{text}"
    );
}

#[test]
fn check_warns_about_regexes_that_miss_their_signature_and_missing_chinese() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(
        dir.path(),
        "a.json",
        r#"{"id": "t/a", "signature": "boom", "regex": "bang", "aliases": ["boom!"],
        "root_cause": "r", "workarounds": [{"action": "x"}], "workarounds_zh": []}"#,
    );
    let assert = errdex().arg("check").arg(dir.path()).assert().success();
    let text = String::from_utf8_lossy(&assert.get_output().stdout).into_owned();
    for want in [
        "regex does not match the record's own signature",
        "regex does not match alias \"boom!\"",
        "missing signature_zh",
        "missing root_cause_zh",
        "workarounds_zh has 0 entries for 1 workarounds",
        "0 errors, 5 warnings",
    ] {
        assert!(text.contains(want), "missing {want:?} in\n{text}");
    }
}

#[test]
fn check_json_has_counts_and_positions() {
    let dir = tempfile::tempdir().expect("tempdir");
    write(dir.path(), "bad.json", "{\n  \"id\": 7\n}");
    let out = errdex()
        .args(["check", "--json"])
        .arg(dir.path())
        .assert()
        .code(1)
        .get_output()
        .stdout
        .clone();
    let v: Value = serde_json::from_slice(&out).expect("json");
    assert_eq!(
        (
            v["records"].as_u64(),
            v["files"].as_u64(),
            v["errors"].as_u64()
        ),
        (Some(0), Some(1), Some(1))
    );
    let d = &v["diagnostics"][0];
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(2), Some(9))
    );
    assert_eq!(d["severity"], "error");
    assert!(
        d["message"]
            .as_str()
            .is_some_and(|m| m.starts_with("field `id`: invalid type"))
    );
}

#[test]
fn check_without_paths_checks_the_embedded_catalogue() {
    errdex().arg("check").assert().success().stdout(
        predicate::str::is_match(r"^\d+ records from \d+ files: 0 errors, 0 warnings\n$")
            .expect("regex"),
    );
}

#[test]
fn show_prints_every_section_in_english() {
    let out = errdex()
        .args([
            "--no-default",
            "-c",
            REFERENCE,
            "show",
            "docker/exec-format-error-arm64",
        ])
        .current_dir(common::repo(""))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).expect("utf8");
    for want in [
        "docker/exec-format-error-arm64\nexec /usr/bin/python3: exec format error\n",
        "Root cause\n  The container image is built",
        "Dead ends\n  ✗ Reinstall Docker on the host (fails 95%)",
        "Workarounds\n  ✓ Pull the correct architecture image",
        "(works 85%)",
        "  - Docker 25.0.0 (status active)",
        "Official docs: https://docs.docker.com/build/building/multi-platform/",
        "Fix rate: 92%",
        "Regex: exec .*: exec format error",
    ] {
        assert!(text.contains(want), "missing {want:?} in\n{text}");
    }
    assert!(!text.contains('\u{1b}'), "no colour when piped");
}

/// `errdex show ID` on one catalogue file, under a Chinese locale.
fn show_in_chinese(catalogue: &str, id: &str) -> String {
    let out = errdex()
        .args(["--no-default", "-c", catalogue, "show", id])
        .env("LANG", "zh_CN.UTF-8")
        .current_dir(common::repo(""))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out).expect("utf8")
}

#[test]
fn show_in_chinese_translates_labels_and_text_and_marks_fallbacks() {
    let text = show_in_chinese(REFERENCE, "docker/exec-format-error-arm64");
    assert!(
        text.contains("执行 /usr/bin/python3：执行格式错误"),
        "{text}"
    );
    assert!(
        text.contains("根本原因\n  容器镜像是为不同 CPU 架构"),
        "{text}"
    );
    assert!(
        text.contains("✗ 在宿主机上重装 Docker (失败率 95%)"),
        "{text}"
    );
    assert!(text.contains("✓ 拉取正确架构的镜像"), "{text}");
    // A record without Chinese twins shows its English, marked.
    let fallback = show_in_chinese(
        "tests/fixtures/lenient/rate-as-text.json",
        "lenient/rate-as-text",
    );
    assert!(
        fallback.contains("✗ [英] Reinstall (失败率 90%)"),
        "{fallback}"
    );
    // --lang beats the locale.
    let en = errdex()
        .args([
            "--no-default",
            "-c",
            REFERENCE,
            "--lang",
            "en",
            "show",
            "docker/exec-format-error-arm64",
        ])
        .env("LANG", "zh_CN.UTF-8")
        .current_dir(common::repo(""))
        .output()
        .expect("run");
    assert!(String::from_utf8_lossy(&en.stdout).contains("Root cause"));
}

#[test]
fn show_json_gives_back_what_was_read() {
    let out = errdex()
        .args([
            "--no-default",
            "-c",
            REFERENCE,
            "show",
            "--json",
            "docker/exec-format-error-arm64",
        ])
        .current_dir(common::repo(""))
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let shown: Value = serde_json::from_slice(&out).expect("json");
    let file: Value =
        serde_json::from_slice(&std::fs::read(common::repo(REFERENCE)).expect("read"))
            .expect("json");
    assert_eq!(shown, file);
}

#[test]
fn show_of_an_unknown_id_exits_one_with_suggestions() {
    errdex()
        .args(["show", "exec-format-error-arm64"])
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicate::str::contains(
            "errdex: no record with id `exec-format-error-arm64`; did you mean: docker/exec-format-error-arm64",
        ));
}

#[test]
fn usage_errors_exit_two() {
    errdex().args(["show"]).assert().code(2);
    errdex().args(["--lang", "fr", "check"]).assert().code(2);
    errdex().args(["frobnicate"]).assert().code(2);
}

//! Hostile catalogues: escape sequences, controls, bidi and zero-width characters inside otherwise valid
//! records, and broken files of every kind. Nothing panics or hangs, bad files are reported with their
//! position, good records load, and no escape sequence from a record reaches the terminal, piped or not.

mod common;

#[path = "pty/mod.rs"]
mod pty;

use assert_cmd::Command;
use std::fs;
use std::path::Path;

/// Payloads a record may carry; none may come out.
const PAYLOADS: &[(&str, &str)] = &[
    ("csi", "\u{1b}[31mPWN-CSI\u{1b}[0m"),
    ("osc52", "\u{1b}]52;c;UFdOLU9TQzUy\u{7}"),
    (
        "osc8",
        "\u{1b}]8;;https://evil.example/\u{1b}\\PWN-LINK\u{1b}]8;;\u{1b}\\",
    ),
    ("dcs", "\u{1b}P1$rPWN-DCS\u{1b}\\"),
    ("c1csi", "\u{9b}2JPWN-C1"),
    ("c1osc", "\u{9d}0;PWN-TITLE\u{9c}"),
    ("c0", "PWN\u{7}\u{8}\u{8}\u{8}BEL\rCR\u{0}NUL\u{7f}DEL"),
    ("bidi", "PWN-\u{202e}gnp.exe\u{202c}-\u{2066}iso\u{2069}"),
    ("zerowidth", "P\u{200b}W\u{200d}N\u{feff}-ZW\u{2060}"),
    ("title", "\u{1b}]0;PWN-WINDOW-TITLE\u{7}"),
    ("clear", "\u{1b}[2J\u{1b}[H\u{1b}c"),
];

/// Byte sequences that must never appear in output.
const FORBIDDEN: &[&str] = &[
    "\u{1b}[31mPWN-CSI",
    "\u{1b}]52;c;UFdO",
    "\u{1b}]8;;https://evil",
    "\u{1b}P1$r",
    "\u{1b}]0;PWN",
    "\u{1b}[2J\u{1b}[H\u{1b}c",
    "\u{9b}",
    "\u{9d}",
    "\u{202e}",
    "\u{2066}",
    "\u{200b}",
    "\u{feff}",
];

fn record(id: &str, payload: &str) -> serde_json::Value {
    serde_json::json!({
        "id": id,
        "signature": format!("hostile {payload} signature"),
        "signature_zh": format!("恶意 {payload} 签名"),
        "regex": "hostile .* signature",
        "domain": "hostile",
        "root_cause": format!("cause {payload}\tend"),
        "root_cause_zh": format!("原因 {payload}"),
        "dead_ends": [{"action": format!("try {payload}"), "why_fails": format!("why {payload}"), "fail_rate": 0.5,
                       "condition": payload, "sources": [format!("https://x.example/{payload}")]}],
        "dead_ends_zh": [{"action": format!("尝试 {payload}"), "why_fails": payload}],
        "workarounds": [{"action": format!("fix {payload}"), "how": format!("run {payload}"), "success_rate": 0.9}],
        "workarounds_zh": [{"action": format!("修复 {payload}"), "how": payload}],
        "transition_graph": {"leads_to": [{"error_id": format!("hostile/{payload}"), "condition": payload}]},
        "official_doc_url": format!("https://docs.example/{payload}"),
        "tags": [payload],
        "aliases": [format!("hostile {payload} signature")],
        "custom_field": payload,
    })
}

/// Writes the hostile fixture tree; returns (good record ids, broken file names).
fn write_fixtures(dir: &Path) -> (Vec<String>, Vec<&'static str>) {
    let mut good = Vec::new();
    for (name, payload) in PAYLOADS {
        let id = format!("hostile/{name}");
        fs::write(
            dir.join(format!("{name}.json")),
            record(&id, payload).to_string(),
        )
        .expect("write");
        good.push(id);
    }
    let huge = "x".repeat(10 * 1024 * 1024);
    let mut big = record("hostile/ten-mb", "big");
    big["root_cause"] = serde_json::Value::String(huge.clone());
    big["signature"] = serde_json::Value::String(format!("hostile {huge} signature"));
    fs::write(dir.join("ten_mb.json"), big.to_string()).expect("write");
    good.push("hostile/ten-mb".into());
    let bom = [
        b"\xEF\xBB\xBF".as_slice(),
        record("hostile/bom", "bom").to_string().as_bytes(),
    ]
    .concat();
    fs::write(dir.join("bom.json"), bom).expect("write");
    good.push("hostile/bom".into());
    let lines = format!(
        "{}\n{{broken\n\u{1b}[31m\n{}\n",
        record("hostile/line1", "l1"),
        record("hostile/line4", "\u{1b}]52;c;UFdOLU9TQzUy\u{7}")
    );
    fs::write(dir.join("lines.jsonl"), lines).expect("write");
    good.extend(["hostile/line1".to_string(), "hostile/line4".to_string()]);
    fs::write(
        dir.join("dup_id.json"),
        record("hostile/csi", "dup").to_string(),
    )
    .expect("write");
    let broken: Vec<(&str, Vec<u8>)> = vec![
        ("invalid_utf8.json", b"{\"id\": \"h/u\", \"signature\": \"\xff\xfe\", \"regex\": \"x\"}".to_vec()),
        ("truncated.json", b"{\"id\": \"h/t\", \"signature\": \"x".to_vec()),
        ("deep.json", format!("{}{}", "[".repeat(100_000), "]".repeat(100_000)).into_bytes()),
        ("deep_field.json", format!("{{\"id\": \"h/d\", \"signature\": \"s\", \"regex\": \"s\", \"x\": {}{}}}", "{\"a\":".repeat(100_000), "}".repeat(100_000)).into_bytes()),
        ("nan.json", b"{\"id\": \"h/n\", \"signature\": \"s\", \"regex\": \"s\", \"confidence\": NaN}".to_vec()),
        ("inf.json", b"{\"id\": \"h/i\", \"signature\": \"s\", \"regex\": \"s\", \"confidence\": 1e999}".to_vec()),
        ("dup_keys.json", b"{\"id\": \"h/k\", \"id\": \"h/k2\", \"signature\": \"s\", \"regex\": \"s\", \"regex\": 5}".to_vec()),
        ("empty.json", Vec::new()),
        ("escape_in_key.json", b"{\"id\": \"h/e\", \"signature\": \"s\", \"regex\": \"s\", \"\\u001b[31mkey\": 1, \"confidence\": \"\\u001b]52;c;UFdO\\u0007\"}".to_vec()),
        ("unreadable.json", record("hostile/unreadable", "u").to_string().into_bytes()),
    ];
    let mut names = Vec::new();
    for (name, bytes) in broken {
        fs::write(dir.join(name), bytes).expect("write");
        names.push(name);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::{PermissionsExt, symlink};
        fs::set_permissions(
            dir.join("unreadable.json"),
            fs::Permissions::from_mode(0o000),
        )
        .expect("chmod");
        symlink("loop_a.json", dir.join("loop_b.json")).expect("symlink");
        symlink("loop_b.json", dir.join("loop_a.json")).expect("symlink");
        symlink("/dev/zero", dir.join("zero.json")).expect("symlink");
        names.extend(["loop_a.json", "loop_b.json", "zero.json"]);
    }
    (good, names)
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
        .timeout(std::time::Duration::from_secs(60));
    cmd
}

fn assert_clean(what: &str, bytes: &[u8]) {
    let text = String::from_utf8_lossy(bytes);
    for bad in FORBIDDEN {
        assert!(!text.contains(bad), "{what}: output contains {bad:?}");
    }
}

fn assert_no_escapes(what: &str, bytes: &[u8]) {
    assert_clean(what, bytes);
    assert!(
        !bytes.contains(&0x1b),
        "{what}: piped output has an ESC byte"
    );
    let text = String::from_utf8_lossy(bytes);
    assert!(
        !text.chars().any(|c| c.is_control() && c != '\n'),
        "{what}: a control character came out"
    );
}

#[test]
fn piped_cli_output_is_clean_and_bad_files_are_reported() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (good, broken) = write_fixtures(dir.path());
    assert!(
        good.len() + broken.len() + 1 >= 25,
        "at least 25 fixture files"
    );
    let out = errdex()
        .args(["--no-default", "check"])
        .arg(dir.path())
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1), "errors found, no panic");
    assert_no_escapes("check", &out.stdout);
    let report = String::from_utf8_lossy(&out.stdout);
    for name in &broken {
        if *name == "unreadable.json" && report.contains("hostile/unreadable") {
            continue; // root reads anything; an unreadable file is then simply a good one
        }
        let path = dir.path().join(name).display().to_string();
        let needle = format!("{path}:");
        let line = report
            .lines()
            .find(|l| l.starts_with(&needle))
            .unwrap_or_else(|| panic!("{name} not reported:\n{report}"));
        let rest = &line[needle.len()..];
        let mut parts = rest.splitn(3, ':');
        let (l, c) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
        assert!(
            l.parse::<usize>().is_ok() && c.parse::<usize>().is_ok(),
            "{name}: no line:column in {line}"
        );
    }
    let dup = dir.path().join("dup_id.json").display().to_string();
    assert!(
        report.contains(&format!("{dup}:1:1: warning: duplicate id `hostile/csi`")),
        "{report}"
    );
    let summary = report.lines().last().unwrap_or("");
    let records: usize = summary
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(records >= good.len(), "{summary}");

    for id in &good {
        for lang in ["en", "zh"] {
            let out = errdex()
                .args(["--no-default", "-c"])
                .arg(dir.path())
                .args(["--lang", lang, "show", id])
                .output()
                .expect("run");
            assert_eq!(out.status.code(), Some(0), "show {id}");
            assert_no_escapes(&format!("show {id} --lang {lang}"), &out.stdout);
        }
        let out = errdex()
            .args(["--no-default", "-c"])
            .arg(dir.path())
            .args(["show", "--json", id])
            .output()
            .expect("run");
        assert_no_escapes(&format!("show --json {id}"), &out.stdout);
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("valid JSON");
        assert_eq!(v["id"], id.as_str(), "JSON keeps the data, escaped");
    }
    for args in [
        vec!["search", "hostile"],
        vec!["search", "--json", "PWN"],
        vec!["lookup", "hostile PWN signature"],
        vec!["lookup", "--json", "hostile x signature"],
    ] {
        let out = errdex()
            .args(["--no-default", "-c"])
            .arg(dir.path())
            .args(&args)
            .output()
            .expect("run");
        assert!(
            out.status.code().is_some_and(|c| c <= 1),
            "{args:?}: {:?}",
            out.status
        );
        assert!(!out.stdout.is_empty(), "{args:?} printed nothing");
        assert_no_escapes(&format!("{args:?}"), &out.stdout);
    }
    // Even with colour forced, the only escapes are our own SGR codes.
    let out = errdex()
        .args(["--no-default", "-c"])
        .arg(dir.path())
        .args(["--color", "always", "show", "hostile/osc52"])
        .output()
        .expect("run");
    assert_clean("show --color always", &out.stdout);
}

#[test]
fn the_browser_never_sends_a_records_escape_sequences_to_the_terminal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (good, _) = write_fixtures(dir.path());
    let mut s = pty::Session::start(pty::errdex_cmd(&[
        "--no-default",
        "-c",
        &dir.path().display().to_string(),
    ]));
    s.wait_for("hostile/");
    for _ in 0..good.len() + 2 {
        for key in ["1", "2", "3", "4", "L", "j"] {
            s.send(key);
        }
    }
    s.send("d");
    s.send("\u{1b}");
    s.send("/");
    s.send("PWN");
    // Ctrl-C quits from any focus, whatever the keys above left focused on a loaded machine.
    s.send("\u{3}");
    assert!(s.wait_exit().success());
    s.assert_restored();
    let raw = s.raw();
    assert_clean("browser", &raw);
}

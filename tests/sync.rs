//! `errdex sync` against a real HTTP server on 127.0.0.1 started by each test (tests/http), in a temporary
//! home: first sync, a 304 re-sync, a changed catalogue, a broken one refused with the old copy kept, a
//! server that is down, one that never answers (a short --timeout), an oversized body (a small --max-bytes),
//! plain http refused, `--list`, and deadends.dev's corpus served as the JSONL stream deadends.dev publishes.

mod common;
mod home;
mod http;
#[path = "pty/mod.rs"]
mod pty;

use home::{Home, record};
use http::{Mode, Server};
use predicates::prelude::*;
use serde_json::Value;

fn jsonl(records: &[(&str, &str)]) -> Vec<u8> {
    let lines: Vec<String> = records.iter().map(|(id, s)| record(id, s)).collect();
    format!("{}\n", lines.join("\n")).into_bytes()
}

/// A home whose config names `local`, served by `server`.
fn home_for(server: &Server) -> Home {
    let home = Home::new();
    home.config(&format!(
        "[sources.local]\nurl = \"{}\"\n",
        server.url("team.jsonl")
    ));
    home
}

fn sync_json(home: &Home, extra: &[&str]) -> (Option<i32>, Vec<Value>, String) {
    let out = home
        .errdex()
        .args(["sync", "local", "--json"])
        .args(extra)
        .output()
        .expect("run");
    let summary: Vec<Value> = serde_json::from_slice(&out.stdout).expect("json summary");
    (
        out.status.code(),
        summary,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn stored(home: &Home) -> std::path::PathBuf {
    home.data_dir().join("catalogs/local.jsonl")
}

/// The catalogue directory holds only the finished copies: no temporary file is left behind.
fn no_leftovers(home: &Home) {
    let names: Vec<String> = std::fs::read_dir(home.data_dir().join("catalogs"))
        .expect("catalogs")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.starts_with('.')), "{names:?}");
}

#[test]
fn first_sync_stores_the_catalogue_and_it_loads_by_default() {
    let body = jsonl(&[
        ("team/a", "team error alpha"),
        ("team/b", "team error beta"),
    ]);
    let server = Server::start(&body, Some("\"v1\""));
    let home = home_for(&server);
    home.errdex().args(["show", "team/a"]).assert().code(1);
    let (code, summary, stderr) = sync_json(&home, &[]);
    assert_eq!(code, Some(0), "{stderr}");
    // Quiet when stderr is not a terminal: no progress bar.
    assert_eq!(stderr, "");
    assert_eq!(summary.len(), 1);
    assert_eq!(summary[0]["source"], "local");
    assert_eq!(summary[0]["records"], 2);
    assert_eq!(summary[0]["bytes"], body.len());
    assert_eq!(summary[0]["changed"], true);
    assert_eq!(std::fs::read(stored(&home)).expect("stored"), body);
    no_leftovers(&home);
    // Loaded by default afterwards, with the embedded catalogue; --no-synced leaves it out.
    home.errdex()
        .args(["show", "team/a"])
        .assert()
        .success()
        .stdout(predicate::str::contains("team error alpha"));
    home.errdex()
        .args(["show", "docker/exec-format-error-arm64"])
        .assert()
        .success();
    home.errdex()
        .args(["--no-synced", "show", "team/a"])
        .assert()
        .code(1);
    // Text output: one line per source.
    server.set(|s| s.etag = Some("\"v2\"".into()));
    home.errdex()
        .args(["sync", "local"])
        .assert()
        .success()
        .stdout(format!("local: unchanged, 2 records, {} B\n", body.len()));
}

#[test]
fn an_unchanged_catalogue_costs_one_conditional_request() {
    let body = jsonl(&[("team/a", "team error alpha")]);
    let server = Server::start(&body, Some("\"v1\""));
    let home = home_for(&server);
    assert_eq!(sync_json(&home, &[]).0, Some(0));
    let before = std::fs::metadata(stored(&home))
        .expect("stored")
        .modified()
        .expect("mtime");
    let (code, summary, _) = sync_json(&home, &[]);
    assert_eq!(code, Some(0));
    assert_eq!(summary[0]["changed"], false);
    assert_eq!(summary[0]["records"], 1);
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].header("if-none-match"), None);
    assert_eq!(seen[1].header("if-none-match"), Some("\"v1\""));
    assert_eq!(seen[1].status, 304);
    let after = std::fs::metadata(stored(&home))
        .expect("stored")
        .modified()
        .expect("mtime");
    assert_eq!(before, after, "a 304 leaves the copy alone");

    // Last-Modified alone works the same way.
    server.set(|s| {
        s.etag = None;
        s.last_modified = Some("Sat, 05 Dec 2026 10:00:00 GMT".into());
    });
    // New validators: downloaded in full, the same bytes, so nothing changed.
    assert_eq!(sync_json(&home, &[]).1[0]["changed"], false);
    assert_eq!(server.seen().pop().expect("request").status, 200);
    let (_, summary, _) = sync_json(&home, &[]);
    assert_eq!(summary[0]["changed"], false);
    let last = server.seen().pop().expect("request");
    assert_eq!(
        last.header("if-modified-since"),
        Some("Sat, 05 Dec 2026 10:00:00 GMT")
    );
    assert_eq!(last.status, 304);
}

#[test]
fn a_changed_catalogue_replaces_the_old_copy() {
    let server = Server::start(&jsonl(&[("team/a", "team error alpha")]), Some("\"v1\""));
    let home = home_for(&server);
    assert_eq!(sync_json(&home, &[]).0, Some(0));
    let new = jsonl(&[
        ("team/a", "team error alpha"),
        ("team/c", "team error gamma"),
    ]);
    server.set(|s| {
        s.body = new.clone();
        s.etag = Some("\"v2\"".into());
    });
    let (code, summary, _) = sync_json(&home, &[]);
    assert_eq!(code, Some(0));
    assert_eq!(summary[0]["changed"], true);
    assert_eq!(summary[0]["records"], 2);
    assert_eq!(std::fs::read(stored(&home)).expect("stored"), new);
    home.errdex().args(["show", "team/c"]).assert().success();
    // The same bytes again without validators: downloaded, but nothing changed.
    server.set(|s| s.etag = None);
    assert_eq!(sync_json(&home, &[]).1[0]["changed"], false);
}

#[test]
fn a_broken_catalogue_is_refused_and_the_old_copy_kept() {
    let good = jsonl(&[("team/a", "team error alpha")]);
    let server = Server::start(&good, Some("\"v1\""));
    let home = home_for(&server);
    assert_eq!(sync_json(&home, &[]).0, Some(0));
    server.set(|s| {
        s.body =
            b"{\"id\": \"team/a\", \"signature\": \"x\", \"regex\": \"x\"}\n{not json\n".to_vec();
        s.etag = Some("\"v2\"".into());
    });
    let out = home.errdex().args(["sync", "local"]).output().expect("run");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("errdex: sync local: "), "{stderr}");
    assert!(stderr.contains("refused, 1 errors"), "{stderr}");
    assert!(
        stderr.contains(&format!("{}:2:", server.url("team.jsonl"))),
        "{stderr}"
    );
    assert!(
        stderr.contains("the last good copy is still used"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(stored(&home)).expect("kept"), good);
    no_leftovers(&home);
    home.errdex()
        .args(["show", "team/a"])
        .assert()
        .success()
        .stdout(predicate::str::contains("team error alpha"));
    // Not a catalogue at all (an HTML error page with 200) is refused the same way.
    server.set(|s| s.body = b"<html>maintenance</html>".to_vec());
    home.errdex().args(["sync", "local"]).assert().code(1);
    assert_eq!(std::fs::read(stored(&home)).expect("kept"), good);
    // The --json summary says what went wrong.
    let (code, summary, _) = sync_json(&home, &[]);
    assert_eq!(code, Some(1));
    assert!(
        summary[0]["error"]
            .as_str()
            .expect("error")
            .contains("refused")
    );
}

#[test]
fn a_server_that_is_down_or_failing_is_one_line_and_exit_1() {
    let server = Server::start(&jsonl(&[("team/a", "team error alpha")]), None);
    let home = home_for(&server);
    assert_eq!(sync_json(&home, &[]).0, Some(0));
    // An error status.
    server.set(|s| s.mode = Mode::Status(503));
    home.errdex()
        .args(["sync", "local"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("HTTP 503").and(predicate::str::contains("still used")));
    // Nothing listening.
    let down = http::closed_port();
    home.config(&format!(
        "[sources.local]\nurl = \"http://127.0.0.1:{down}/team.jsonl\"\n"
    ));
    let out = home.errdex().args(["sync", "local"]).output().expect("run");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("connection refused"), "{stderr}");
}

#[test]
fn a_server_that_never_answers_times_out() {
    let server = Server::start(&jsonl(&[("team/a", "team error alpha")]), None);
    let home = home_for(&server);
    assert_eq!(sync_json(&home, &[]).0, Some(0));
    server.set(|s| s.mode = Mode::Hang);
    // The server accepts and reads the request, then never answers: only the timeout can end this.
    home.errdex()
        .args(["sync", "local", "--timeout", "1"])
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("timed out").and(predicate::str::contains("still used")));
    home.errdex().args(["show", "team/a"]).assert().success();
}

#[test]
fn an_oversized_catalogue_is_refused() {
    let body = jsonl(&[
        ("team/a", "team error alpha"),
        ("team/b", "team error beta"),
    ]);
    let server = Server::start(&body, None);
    let home = home_for(&server);
    // Announced by Content-Length: refused before reading.
    let (code, summary, stderr) = sync_json(&home, &["--max-bytes", "64"]);
    assert_eq!(code, Some(1));
    assert!(
        summary[0]["error"]
            .as_str()
            .expect("error")
            .contains("limit"),
        "{stderr}"
    );
    assert!(!stored(&home).exists());
    // Without Content-Length: cut while streaming.
    server.set(|s| s.mode = Mode::NoLength);
    let (code, _, stderr) = sync_json(&home, &["--max-bytes", "64"]);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("over the 64 B limit"), "{stderr}");
    assert!(!stored(&home).exists());
    // Under the cap, the same stream is fine.
    let (code, summary, _) = sync_json(&home, &[]);
    assert_eq!(code, Some(0));
    assert_eq!(summary[0]["records"], 2);
    no_leftovers(&home);
}

#[test]
fn plain_http_is_only_for_this_machine() {
    let home = Home::new();
    home.config("[sources.far]\nurl = \"http://example.invalid/x.jsonl\"\n");
    home.errdex()
        .args(["sync", "far"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "plain http is only used for localhost",
        ));
    home.errdex()
        .args(["sync", "nosuch"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no source named `nosuch`"));
}

#[test]
fn list_shows_sources_ages_and_counts() {
    let body = jsonl(&[("team/a", "team error alpha")]);
    let server = Server::start(&body, None);
    let home = home_for(&server);
    home.errdex()
        .args(["sync", "--list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("deadends     never synced"));
    assert_eq!(sync_json(&home, &[]).0, Some(0));
    let out = home
        .errdex()
        .args(["sync", "--list"])
        .output()
        .expect("run");
    let text = String::from_utf8_lossy(&out.stdout);
    let line = format!("local        1 records, {} B, fetched ", body.len());
    assert!(text.contains(&line), "{text}");
    assert!(text.contains(&server.url("team.jsonl")), "{text}");
    let out = home
        .errdex()
        .args(["sync", "--list", "--json"])
        .output()
        .expect("run");
    let list: Vec<Value> = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(list[0]["source"], "deadends");
    assert_eq!(list[0]["records"], Value::Null);
    assert_eq!(list[1]["source"], "local");
    assert_eq!(list[1]["records"], 1);
}

#[test]
fn deadends_corpus_as_its_published_stream() {
    let Some(dir) = common::shared("corpus/deadends") else {
        return;
    };
    // deadends.dev publishes one canon per line; build that stream from the corpus files.
    let mut files = Vec::new();
    fn walk(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for e in std::fs::read_dir(dir).expect("dir").flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "json") {
                out.push(p);
            }
        }
    }
    walk(&dir, &mut files);
    files.sort();
    let mut body = Vec::new();
    for f in &files {
        let v: Value = serde_json::from_slice(&std::fs::read(f).expect("read")).expect("json");
        serde_json::to_writer(&mut body, &v).expect("write");
        body.push(b'\n');
    }
    let server = Server::start(&body, Some("\"corpus\""));
    let home = Home::new();
    // The built-in source, pointed at the local server.
    home.config(&format!(
        "[sources.deadends]\nurl = \"{}\"\n",
        server.url("api/v1/errors.ndjson")
    ));
    let out = home
        .errdex()
        .args(["sync", "--json"])
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let summary: Vec<Value> = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(summary[0]["source"], "deadends");
    assert_eq!(summary[0]["records"], files.len());
    assert!(home.data_dir().join("catalogs/deadends.jsonl").is_file());
    home.errdex()
        .args(["show", "docker/build-arg-not-set/docker24-linux"])
        .assert()
        .success();
}

#[test]
fn on_a_terminal_a_progress_bar_is_drawn_and_cleared() {
    let body = jsonl(&[
        ("team/a", "team error alpha"),
        ("team/b", "team error beta"),
    ]);
    let server = Server::start(&body, None);
    let home = home_for(&server);
    let mut cmd = pty::errdex_cmd(&["sync", "local"]);
    cmd.env("XDG_CONFIG_HOME", home.path().join("config"));
    cmd.env("XDG_DATA_HOME", home.path().join("data"));
    let mut s = pty::Session::start(cmd);
    assert!(s.wait_exit().success());
    let raw = String::from_utf8_lossy(&s.raw()).into_owned();
    // Drawn on stderr (the terminal), then the line cleared before the result.
    assert!(raw.contains("\r\x1b[2Klocal ["), "{raw:?}");
    assert!(raw.contains("█"), "{raw:?}");
    assert!(
        raw.contains("\r\x1b[2Klocal: updated, 2 records"),
        "{raw:?}"
    );
}

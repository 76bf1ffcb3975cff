//! "It worked for me" marks: set and taken back in the browser, shown beside the rate, kept in the outcomes
//! file across runs (the real binary in a pseudo-terminal), exported as JSON, and a corrupt file set aside.

mod common;
mod pty;

use assert_cmd::Command;
use errdex::tui::action::{Action, Tab};
use errdex::tui::app::Effect;
use errdex::tui::update::update;
use pty::{Session, errdex_cmd};

#[test]
fn a_mark_shows_beside_the_rate_is_saved_by_the_edge_and_the_same_key_takes_it_back() {
    let mut app = common::app(120, 40);
    update(&mut app, Action::Tab(Tab::Workarounds));
    // Outside the detail pane there is no item to mark.
    update(&mut app, Action::MarkWorked);
    assert!(app.effects.is_empty());
    update(&mut app, Action::EnterDetail);
    update(&mut app, Action::MarkWorked);
    let saved: Vec<_> = app
        .effects
        .iter()
        .filter_map(|e| match e {
            Effect::SaveMark(m) => Some(m.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(saved.len(), 1);
    assert_eq!(saved[0].record_id, "git/push-rejected");
    let text = common::screen_text(&app);
    assert!(text.contains("works · you: worked"), "{text}");
    app.effects.clear();
    update(&mut app, Action::MarkWorked);
    assert!(
        matches!(&app.effects[..], [Effect::SaveMark(m)] if m.outcome == errdex::outcomes::Verdict::Cleared)
    );
    assert!(!common::screen_text(&app).contains("you: worked"));
    update(&mut app, Action::MarkFailed);
    assert!(common::screen_text(&app).contains("you: did not work"));
}

fn browse(state: &std::path::Path) -> Session {
    let mut cmd = errdex_cmd(&["--no-default", "-c", "tests/fixtures/browser.json"]);
    cmd.env("XDG_STATE_HOME", state);
    let s = Session::start(cmd);
    s.wait_for("4/4");
    s
}

fn export(state: &std::path::Path) -> serde_json::Value {
    let out = common::isolate(&mut Command::cargo_bin("errdex").expect("binary"))
        .args(["outcomes", "export"])
        .env("XDG_STATE_HOME", state)
        .output()
        .expect("run");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("JSON")
}

#[test]
fn marks_persist_across_runs_and_export_as_json() {
    let state = tempfile::tempdir().expect("dir");
    let mut s = browse(state.path());
    s.send("3");
    s.send("l");
    s.send("w");
    s.wait_for("you: worked");
    s.send("q");
    assert!(s.wait_exit().success());
    let file = state.path().join("errdex/outcomes.jsonl");
    assert_eq!(
        std::fs::read_to_string(&file)
            .expect("saved")
            .lines()
            .count(),
        1
    );
    let marks = export(state.path());
    assert_eq!(marks[0]["record_id"], "git/push-rejected");
    assert_eq!(marks[0]["kind"], "workaround");
    assert_eq!(marks[0]["outcome"], "worked");
    assert_eq!(marks[0]["errdex_version"], env!("CARGO_PKG_VERSION"));
    // A new run shows the mark again.
    let mut s = browse(state.path());
    s.send("3");
    s.wait_for("you: worked");
    s.send("q");
    assert!(s.wait_exit().success());
}

#[test]
fn a_corrupt_outcomes_file_is_reported_and_kept_aside_not_deleted() {
    let state = tempfile::tempdir().expect("dir");
    let dir = state.path().join("errdex");
    std::fs::create_dir_all(&dir).expect("dir");
    let good = r#"{"record_id":"git/push-rejected","kind":"workaround","index":0,"action":"Pull, then push","outcome":"worked","errdex_version":"0.1.0","date":"2026-12-01"}"#;
    std::fs::write(dir.join("outcomes.jsonl"), format!("{good}\nnot json\n")).expect("write");
    let out = common::isolate(&mut Command::cargo_bin("errdex").expect("binary"))
        .args(["outcomes", "export"])
        .env("XDG_STATE_HOME", state.path())
        .output()
        .expect("run");
    assert!(out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("line 2 does not read"), "{stderr}");
    let aside: Vec<_> = std::fs::read_dir(&dir)
        .expect("list")
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().contains("corrupt"))
        .collect();
    assert_eq!(aside.len(), 1);
    assert!(
        std::fs::read_to_string(aside[0].path())
            .expect("kept")
            .contains("not json")
    );
    let marks: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(marks.as_array().map(Vec::len), Some(1));
}

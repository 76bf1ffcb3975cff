//! Pastes of a megabyte and more into every field of the real browser: each is taken in one go (a paste
//! into the search box used to take minutes, queuing every key behind it), cut at the field's cap with a
//! message, and the keys after it answer.

mod common;

#[path = "pty/mod.rs"]
mod pty;

use pty::{Session, errdex_cmd};

/// 1.2 MB of a realistic log line, over every field's cap.
fn big_paste() -> String {
    let line = "2026-12-06T06:00:00Z app[web.1]: connect ECONNREFUSED 127.0.0.1:5432 ";
    let mut text = String::new();
    while text.len() < 1_200_000 {
        text.push_str(line);
    }
    text
}

fn paste_into(keys: &str, cut_message: &str) {
    let mut s = Session::start(errdex_cmd(&[
        "--no-default",
        "-c",
        "tests/fixtures/browser.json",
        "--lang",
        "en",
    ]));
    s.wait_for("4/4");
    s.send(keys);
    s.send(&format!("\u{1b}[200~{}\u{1b}[201~", big_paste()));
    // Generous: a debug build on a loaded machine; a freeze never gets there.
    s.wait_until(cut_message, pty::PATIENCE, |t| t.contains(cut_message));
    // Keys after the paste are answered: leave the field, then quit.
    s.send("\u{1b}");
    s.send("q");
    let status = s.wait_exit();
    assert!(status.success(), "{status:?}");
    s.assert_restored();
}

#[test]
fn a_megabyte_pasted_into_the_search_box_is_cut_and_keys_still_answer() {
    paste_into("/", "cut at 64 KiB");
}

#[test]
fn a_megabyte_pasted_into_the_regex_field_is_cut_and_keys_still_answer() {
    paste_into("e", "cut at 64 KiB");
}

#[test]
fn a_megabyte_pasted_into_the_tester_text_is_cut_and_keys_still_answer() {
    paste_into("t", "cut at 1 MiB");
}

//! The browser's keys and layout from the configuration file, in the real binary: a rebound key works and the
//! help shows it, a clash is refused and reported with its line, `[layout]` opens without the tester.

mod pty;

use pty::{Session, errdex_cmd};

fn browse_with(config: &str) -> (Session, tempfile::TempDir) {
    let home = tempfile::tempdir().expect("home");
    let file = home.path().join("config/errdex/config.toml");
    std::fs::create_dir_all(file.parent().expect("dir")).expect("mkdir");
    std::fs::write(&file, config).expect("config");
    let mut cmd = errdex_cmd(&[
        "--no-default",
        "-c",
        "tests/fixtures/browser.json",
        "--theme",
        "dark",
    ]);
    cmd.env("XDG_CONFIG_HOME", home.path().join("config"));
    cmd.env("XDG_DATA_HOME", home.path().join("data"));
    cmd.env("XDG_STATE_HOME", home.path().join("state"));
    let s = Session::start(cmd);
    s.wait_for("4/4");
    (s, home)
}

#[test]
fn a_rebound_key_works_the_old_one_does_not_and_the_help_shows_it() {
    let (mut s, _home) = browse_with("[keys]\ntoggle-lang = \"ctrl-l\"\n");
    // The status bar's hint shows the new key.
    s.wait_for("Ctrl-L 中文");
    s.send("L");
    s.send("?");
    s.wait_for("Ctrl-L");
    assert!(
        !s.text().contains("条记录"),
        "L still switched the language"
    );
    s.send("\x1b");
    s.send("\x0c");
    s.wait_for("条记录");
    s.send("q");
    assert!(s.wait_exit().success());
}

#[test]
fn a_clash_is_refused_with_its_line_and_the_defaults_stay() {
    let (mut s, _home) = browse_with("# my keys\n[keys]\ncycle-sort = \"j\"\n");
    // The status bar says so while browsing.
    s.wait_for("line 3");
    // `j` still moves down (the override was refused).
    s.send("j");
    s.wait_for("git/merge-conflict");
    s.send("q");
    assert!(s.wait_exit().success());
    // And it is on the terminal after quitting.
    s.wait_until("the warning after quitting", pty::PATIENCE, |t| {
        t.contains("keys: line 3: `j` would do both `cycle-sort` and `next`")
    });
}

#[test]
fn the_layout_section_opens_without_the_tester() {
    let (mut s, _home) = browse_with("[layout]\ntester = false\nsplit = 50\n");
    assert!(!s.text().contains("Regex tester"), "{}", s.text());
    s.send("T");
    s.wait_for("Regex tester");
    s.send("q");
    assert!(s.wait_exit().success());
}

#[test]
fn the_chosen_layout_is_remembered_in_the_configuration_file() {
    let (mut s, home) = browse_with("# mine\nlang = \"en\"\n");
    s.send("T");
    s.send("=");
    s.send("q");
    assert!(s.wait_exit().success());
    let text =
        std::fs::read_to_string(home.path().join("config/errdex/config.toml")).expect("config");
    assert!(text.starts_with("# mine\nlang = \"en\"\n"), "{text}");
    assert!(text.contains("tester = false"), "{text}");
    assert!(text.contains("split = 50"), "{text}");
    // Next time the browser opens that way.
    let (mut s, _home2) = browse_with(&text);
    assert!(!s.text().contains("Regex tester"), "{}", s.text());
    s.send("q");
    assert!(s.wait_exit().success());
}

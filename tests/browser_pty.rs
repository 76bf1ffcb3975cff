//! The real binary in a pseudo-terminal: typing, language, tabs, links, history, quitting, and a terminal
//! left as it was found (main screen, cursor visible).

mod common;

#[path = "pty/mod.rs"]
mod pty;

use portable_pty::CommandBuilder;
use pty::{Session, errdex_cmd};

#[test]
fn a_user_session_from_search_to_history_and_quit() {
    let mut s = Session::start(errdex_cmd(&[
        "--no-default",
        "-c",
        "tests/fixtures/browser.json",
    ]));
    s.wait_for("4/4");
    s.wait_for("! [rejected] main -> main (non-fast-forward)");
    s.send("/");
    s.send("enospc");
    s.wait_for("1/4");
    s.wait_for("node/enospc-watchers");
    s.send("\u{1b}");
    s.send("L");
    s.wait_for("中文");
    s.wait_for("已达到文件监视器数量的系统上限");
    s.send("2");
    s.wait_for("清理磁盘空间");
    s.send("\u{1b}");
    s.wait_for("4/4");
    s.send("L");
    s.wait_for("Free disk space");
    s.send("g");
    s.send("4");
    s.wait_for("Leads to");
    s.send("l");
    s.send("\r");
    s.wait_for("┌ git/merge-conflict");
    s.wait_for("Both sides changed the same lines");
    s.send("b");
    s.wait_for("┌ git/push-rejected");
    s.wait_for("git/not-in-this-catalogue");
    s.send("q");
    let status = s.wait_exit();
    assert!(status.success(), "{status:?}");
    s.assert_restored();
}

#[test]
fn ctrl_c_quits_from_an_input_and_restores_the_terminal() {
    let mut s = Session::start(errdex_cmd(&[
        "--no-default",
        "-c",
        "tests/fixtures/browser.json",
    ]));
    s.wait_for("4/4");
    s.send("/");
    s.send("rejected");
    s.wait_for("1/4");
    s.send("\u{3}");
    assert!(s.wait_exit().success());
    s.assert_restored();
}

#[test]
fn a_piped_error_opens_the_browser_on_its_lookup() {
    let script = format!(
        "printf 'Pushing to github.com:me/app.git\\nTo github.com:me/app.git\\n ! [rejected]        main -> main (non-fast-forward)\\nerror: failed to push some refs\\n' | {} --no-default -c tests/fixtures/browser.json",
        env!("CARGO_BIN_EXE_errdex")
    );
    let mut cmd = CommandBuilder::new("sh");
    cmd.args(["-c", &script]);
    cmd.cwd(common::repo(""));
    cmd.env("TERM", "xterm-256color");
    let mut s = Session::start(cmd);
    s.wait_for("Lookup results");
    s.wait_for("1/4");
    s.wait_for("┌ git/push-rejected");
    s.wait_for("error: failed to push some refs");
    s.wait_for("1 match");
    s.send("q");
    assert!(s.wait_exit().success());
    s.assert_restored();
}

#[test]
fn an_empty_standard_input_opens_the_plain_browser() {
    let script = format!(
        "{} --no-default -c tests/fixtures/browser.json < /dev/null",
        env!("CARGO_BIN_EXE_errdex")
    );
    let mut cmd = CommandBuilder::new("sh");
    cmd.args(["-c", &script]);
    cmd.cwd(common::repo(""));
    cmd.env("TERM", "xterm-256color");
    let mut s = Session::start(cmd);
    s.wait_for("4/4");
    assert!(
        s.text().contains("┌ Search"),
        "search mode, not lookup:\n{}",
        s.text()
    );
    s.send("q");
    assert!(s.wait_exit().success());
    s.assert_restored();
}

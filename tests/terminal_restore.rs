//! The terminal is restored however errdex ends: panic, SIGTERM, SIGHUP; and Ctrl-Z suspends to the shell
//! with the terminal restored, `fg` bringing the browser back.

mod common;

#[path = "pty/mod.rs"]
mod pty;

use pty::{Session, errdex_cmd};

#[test]
fn a_panic_restores_the_terminal_and_prints_its_message() {
    let mut cmd = errdex_cmd(&["--no-default", "-c", "tests/fixtures/browser.json"]);
    cmd.env("ERRDEX_TEST_PANIC", "1");
    let mut s = Session::start(cmd);
    let status = s.wait_exit();
    assert!(!status.success());
    s.assert_restored();
    assert!(
        s.text().contains("ERRDEX_TEST_PANIC is set"),
        "the panic message is readable:\n{}",
        s.text()
    );
}

#[cfg(unix)]
#[test]
fn sigterm_and_sighup_restore_the_terminal() {
    for signal in ["TERM", "HUP"] {
        let mut s = Session::start(errdex_cmd(&[
            "--no-default",
            "-c",
            "tests/fixtures/browser.json",
        ]));
        s.wait_for("4/4");
        let pid = s.child.process_id().expect("pid");
        let ok = std::process::Command::new("kill")
            .args([&format!("-{signal}"), &pid.to_string()])
            .status()
            .expect("kill");
        assert!(ok.success());
        s.wait_exit();
        s.assert_restored();
    }
}

#[cfg(unix)]
#[test]
fn ctrl_z_suspends_to_the_shell_and_fg_brings_the_browser_back() {
    let mut cmd = portable_pty::CommandBuilder::new("bash");
    cmd.args(["--norc", "--noprofile", "-i"]);
    cmd.cwd(common::repo(""));
    cmd.env("TERM", "xterm-256color");
    cmd.env("PS1", "PROMPT$ ");
    let mut s = Session::start(cmd);
    s.wait_for("PROMPT$");
    s.send(&format!(
        "{} --no-default -c tests/fixtures/browser.json\r",
        env!("CARGO_BIN_EXE_errdex")
    ));
    s.wait_for("4/4");
    s.send("j");
    s.send("\u{1a}");
    s.wait_for("Stopped");
    let parser = s.screen();
    assert!(
        !parser.screen().alternate_screen(),
        "suspended: back on the main screen"
    );
    assert!(!parser.screen().hide_cursor());
    s.send("fg\r");
    s.wait_for("┌ git/merge-conflict");
    s.send("q");
    s.wait_for("PROMPT$ ");
    s.assert_restored();
    s.send("exit\r");
    s.wait_exit();
}

//! The terminal is restored however errdex ends: panic, and every signal that ends a process; Ctrl-Z and a
//! SIGTSTP from outside stop it with the terminal restored, and SIGCONT (`fg`) brings the browser back redrawn.

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
fn kill(signal: &str, pid: u32) {
    let ok = std::process::Command::new("kill")
        .args([&format!("-{signal}"), &pid.to_string()])
        .status()
        .expect("kill");
    assert!(ok.success(), "kill -{signal}");
}

#[cfg(unix)]
#[test]
fn every_signal_that_ends_errdex_restores_the_terminal() {
    for signal in ["TERM", "HUP", "INT", "QUIT", "USR1", "USR2", "PIPE"] {
        let mut s = pty::browse_fixture();
        kill(signal, s.child.process_id().expect("pid"));
        let status = s.wait_exit();
        assert!(!status.success(), "SIG{signal} ends errdex: {status:?}");
        s.assert_restored();
    }
}

/// SIGTERM while a paste is still arriving (its end marker not yet sent): the signal is handled on its own
/// thread, whatever the main thread is doing.
#[cfg(unix)]
#[test]
fn sigterm_during_a_paste_restores_the_terminal() {
    let mut s = pty::browse_fixture();
    s.send("/");
    s.send(&format!("\u{1b}[200~{}", "x".repeat(200_000)));
    kill("TERM", s.child.process_id().expect("pid"));
    s.wait_exit();
    s.assert_restored();
}

/// The state letter of a process in /proc (`T` for stopped).
#[cfg(target_os = "linux")]
fn state(pid: u32) -> char {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    stat.rsplit(") ")
        .next()
        .and_then(|rest| rest.chars().next())
        .unwrap_or('?')
}

#[cfg(target_os = "linux")]
#[test]
fn sigtstp_from_outside_restores_the_terminal_and_sigcont_takes_it_back_redrawn() {
    let mut s = pty::browse_fixture();
    let pid = s.child.process_id().expect("pid");
    kill("TSTP", pid);
    let start = std::time::Instant::now();
    while state(pid) != 'T' && start.elapsed() < pty::PATIENCE {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert_eq!(state(pid), 'T', "errdex stopped");
    // What errdex wrote before it stopped may still be on its way through the terminal to our reader.
    s.wait_until("every mode off", pty::PATIENCE, |_| s.modes_off());
    assert!(s.canonical(), "stopped: the terminal is cooked again");
    assert!(!s.screen().screen().alternate_screen());
    let before = s.raw().len();
    kill("CONT", pid);
    s.wait_until("the modes on again", pty::PATIENCE, |_| s.modes_on());
    // A full redraw: the list comes back in what was written after the process continued.
    s.wait_until("a full redraw", pty::PATIENCE, |_| {
        String::from_utf8_lossy(&s.raw()[before..]).contains("Records")
    });
    assert!(!s.canonical(), "continued: raw mode again");
    s.wait_for("4/4");
    s.send("q");
    assert!(s.wait_exit().success());
    s.assert_restored();
}

/// Whether a process whose command line contains `marker` is alive (zombies count as gone).
#[cfg(target_os = "linux")]
fn running(marker: &str) -> bool {
    std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .any(|e| {
            let dir = e.path();
            let cmdline = std::fs::read(dir.join("cmdline")).unwrap_or_default();
            let state = std::fs::read_to_string(dir.join("stat")).unwrap_or_default();
            String::from_utf8_lossy(&cmdline).contains(marker)
                && !state.contains(") Z ")
                && String::from_utf8_lossy(&cmdline).starts_with(env!("CARGO_BIN_EXE_errdex"))
        })
}

/// A terminal that goes away (window closed, SSH dropped) must end errdex, not leave it spinning. tmux gives
/// a terminal whose every master handle we can close; the test is skipped where tmux is missing.
#[cfg(target_os = "linux")]
#[test]
fn a_vanished_terminal_ends_errdex_instead_of_spinning() {
    if std::process::Command::new("tmux")
        .arg("-V")
        .output()
        .is_err()
    {
        eprintln!("notice: tmux is absent; skipping the hang-up test");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let catalog = dir.path().join("hangup-marker.json");
    std::fs::copy(common::repo("tests/fixtures/browser.json"), &catalog).expect("copy");
    let socket = format!("errdex-test-{}", std::process::id());
    // The persistent index goes under target/, never into the real home.
    let cmd = format!(
        "XDG_CACHE_HOME={} {} --no-default -c {}",
        concat!(env!("CARGO_TARGET_TMPDIR"), "/xdg-cache"),
        env!("CARGO_BIN_EXE_errdex"),
        catalog.display()
    );
    let tmux = |args: &[&str]| {
        std::process::Command::new("tmux")
            .args(["-L", &socket])
            .args(args)
            .output()
            .expect("tmux")
    };
    tmux(&["new-session", "-d", "-x", "100", "-y", "30", &cmd]);
    let marker = catalog.display().to_string();
    let start = std::time::Instant::now();
    while !running(&marker) && start.elapsed() < pty::PATIENCE {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(running(&marker), "errdex did not start under tmux");
    std::thread::sleep(std::time::Duration::from_millis(500));
    tmux(&["kill-server"]);
    let start = std::time::Instant::now();
    while running(&marker) && start.elapsed() < pty::PATIENCE {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    assert!(
        !running(&marker),
        "errdex kept running after its terminal went away"
    );
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
    s.assert_screen_restored();
    s.send("exit\r");
    s.wait_exit();
}

//! Shell integration with real shells and the real binary: `errdex init bash|zsh|fish` parses and its widget
//! runs the last command again into errdex (bash always; zsh and fish where installed, skipped otherwise),
//! Alt-E in an interactive bash in a pseudo-terminal opens the browser on that output, and `errdex run`
//! passes output and exit status through and explains a failure.

mod common;
mod home;
#[path = "pty/mod.rs"]
mod pty;

use home::Home;
use predicates::prelude::*;
use std::path::Path;
use std::process::Command;

const ERRDEX: &str = env!("CARGO_BIN_EXE_errdex");
const UNRELATED: &str = "fatal: refusing to merge unrelated histories";

fn installed(shell: &str) -> bool {
    let found = Command::new(shell)
        .args(["-c", "exit 0"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !found {
        eprintln!("notice: {shell} is not installed; skipping this test");
    }
    found
}

fn snippet(home: &Home, shell: &str) -> String {
    let out = home.errdex().args(["init", shell]).output().expect("run");
    assert!(out.status.success(), "{out:?}");
    String::from_utf8(out.stdout).expect("utf8")
}

/// A directory with a stand-in `errdex` that saves what it reads, for a widget to pipe into.
fn recorder(dir: &Path) -> std::path::PathBuf {
    let bin = dir.join("bin");
    std::fs::create_dir_all(&bin).expect("mkdir");
    let script = bin.join("errdex");
    std::fs::write(
        &script,
        format!("#!/bin/sh\ncat > '{}'\n", dir.join("got.txt").display()),
    )
    .expect("write");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    }
    bin
}

fn path_with(bin: &Path) -> std::ffi::OsString {
    let mut paths = vec![bin.to_path_buf()];
    paths.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(paths).expect("join")
}

/// Runs `script` in `shell` with the snippet in $SNIPPET, and returns what the recorder got.
fn run_widget(home: &Home, shell: &str, args: &[&str], script: &str) -> String {
    let text = snippet(home, shell);
    let file = home.write(&format!("snippet.{shell}"), &text);
    let bin = recorder(home.path());
    let out = Command::new(shell)
        .args(args)
        .arg(script)
        .env("SNIPPET", &file)
        .env("PATH", path_with(&bin))
        .env("HOME", home.path())
        .output()
        .expect("shell");
    assert!(out.status.success(), "{shell}: {out:?}");
    std::fs::read_to_string(home.path().join("got.txt")).expect("the widget ran errdex")
}

#[test]
fn bash_snippet_parses_and_its_widget_reruns_the_last_command_into_errdex() {
    let home = Home::new();
    let file = home.write("snippet.bash", &snippet(&home, "bash"));
    let check = Command::new("bash")
        .arg("-n")
        .arg(&file)
        .output()
        .expect("bash");
    assert!(check.status.success(), "{check:?}");
    let got = run_widget(
        &home,
        "bash",
        &["--norc", "--noprofile", "-c"],
        r#"source "$SNIPPET"
history -s "echo 'on stdout'; echo 'fatal: refusing to merge unrelated histories' >&2; false"
__errdex_rerun
# A history whose newest entry is the widget itself runs nothing (no endless recursion).
history -s "__errdex_rerun"
__errdex_rerun"#,
    );
    assert_eq!(got, format!("on stdout\n{UNRELATED}\n"));
}

#[test]
fn the_key_is_configurable() {
    let home = Home::new();
    assert!(snippet(&home, "bash").contains(r#"bind -x '"\ee": __errdex_rerun'"#));
    home.config("shell_key = \"alt-r\"\n");
    assert!(snippet(&home, "bash").contains(r#"bind -x '"\er": __errdex_rerun'"#));
    assert!(snippet(&home, "zsh").contains("bindkey '^[r' __errdex_rerun"));
    // The flag beats the file.
    home.errdex()
        .args(["init", "fish", "--key", "ctrl-x"])
        .assert()
        .success()
        .stdout(predicate::str::contains(r"bind \cx __errdex_rerun"));
    home.errdex()
        .args(["init", "bash", "--key", "hyper-x"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "expected alt-LETTER or ctrl-LETTER",
        ));
}

fn parses(shell: &str, check: &[&str]) {
    let home = Home::new();
    let file = home.write(&format!("snippet.{shell}"), &snippet(&home, shell));
    let out = Command::new(shell)
        .args(check)
        .arg(&file)
        .output()
        .expect("shell");
    assert!(out.status.success(), "{shell}: {out:?}");
}

#[test]
fn zsh_snippet_parses() {
    if installed("zsh") {
        parses("zsh", &["-n"]);
    }
}

#[test]
fn fish_snippet_parses() {
    if installed("fish") {
        parses("fish", &["--no-execute"]);
    }
}

/// An interactive `shell` (started with `args`, no user configuration) in a pseudo-terminal: the snippet is
/// evaluated as a user would (`setup`), a failing command runs, and Alt-E opens the browser on its output.
fn alt_e_opens_the_browser(shell: &str, args: &[&str], setup: &str) {
    let home = Home::new();
    let dir = Path::new(ERRDEX).parent().expect("bin dir");
    let mut cmd = portable_pty::CommandBuilder::new(shell);
    cmd.args(args);
    pty::isolate(&mut cmd);
    let mut paths = vec![dir.to_path_buf()];
    paths.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    cmd.env("PATH", std::env::join_paths(paths).expect("join"));
    cmd.env("TERM", "xterm-256color");
    cmd.env("LANG", "C.UTF-8");
    cmd.env("PS1", "$ ");
    cmd.env("HOME", home.path());
    cmd.env("XDG_CONFIG_HOME", home.path().join("config"));
    cmd.env("XDG_DATA_HOME", home.path().join("data"));
    cmd.env("HISTFILE", home.path().join("history"));
    cmd.cwd(home.path());
    let mut s = pty::Session::start(cmd);
    s.send(&format!("{setup}\r"));
    s.send("echo 'fatal: refusing to merge' 'unrelated histories'; false\r");
    // The command's output line (the typed line has the words apart).
    s.wait_for(UNRELATED);
    s.send("\u{1b}e");
    s.wait_for("git/refusing-to-merge-unrelated-histories");
    s.wait_for("Regex tester");
    s.send("q");
    s.wait_until("the browser closed", pty::PATIENCE, |t| {
        !t.contains("Regex tester")
    });
    s.send("exit\r");
    s.wait_exit();
}

#[test]
fn alt_e_in_an_interactive_bash_opens_the_browser_on_the_last_output() {
    alt_e_opens_the_browser(
        "bash",
        &["--norc", "--noprofile", "-i"],
        r#"eval "$(errdex init bash)""#,
    );
}

#[test]
fn alt_e_in_an_interactive_zsh_opens_the_browser_on_the_last_output() {
    if installed("zsh") {
        alt_e_opens_the_browser("zsh", &["-f", "-i"], r#"eval "$(errdex init zsh)""#);
    }
}

#[test]
fn alt_e_in_an_interactive_fish_opens_the_browser_on_the_last_output() {
    if installed("fish") {
        alt_e_opens_the_browser("fish", &["--no-config", "-i"], "errdex init fish | source");
    }
}

#[test]
fn run_passes_output_and_status_through_and_adds_nothing_on_success() {
    let home = Home::new();
    home.errdex()
        .args(["run", "--", "sh", "-c"])
        .arg(format!("echo 'all good'; echo '{UNRELATED}' >&2"))
        .assert()
        .code(0)
        .stdout("all good\n")
        .stderr(format!("{UNRELATED}\n"));
    home.errdex()
        .args(["run", "--", "sh", "-c", "exit 7"])
        .assert()
        .code(7)
        .stdout("")
        .stderr("");
    home.errdex()
        .args([
            "run",
            "--",
            "sh",
            "-c",
            "echo 'nothing known about this'; exit 5",
        ])
        .assert()
        .code(5)
        .stdout("nothing known about this\n")
        .stderr(predicate::str::contains("no record matches"));
    // Arguments that look like errdex's own options belong to the command.
    home.errdex()
        .args(["run", "--", "echo", "--json", "-c", "x"])
        .assert()
        .success()
        .stdout("--json -c x\n");
    home.errdex()
        .args(["run", "--", "no-such-command-errdex-test"])
        .assert()
        .code(127)
        .stderr(predicate::str::contains(
            "cannot run no-such-command-errdex-test",
        ));
    #[cfg(unix)]
    home.errdex()
        .args(["run", "--", "sh", "-c", "kill -TERM $$"])
        .assert()
        .code(128 + 15);
}

#[test]
fn run_explains_a_failure_on_stderr_with_dead_ends_and_workarounds() {
    let home = Home::new();
    let out = home
        .errdex()
        .args(["run", "--", "sh", "-c"])
        .arg(format!("echo building; echo '{UNRELATED}' >&2; exit 128"))
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(128));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "building\n");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.starts_with(&format!("{UNRELATED}\n")), "{err}");
    assert!(
        err.contains("errdex: the command failed (status 128) · regex match"),
        "{err}"
    );
    assert!(
        err.contains("git/refusing-to-merge-unrelated-histories"),
        "{err}"
    );
    assert!(err.contains("Dead ends") && err.contains("✗"), "{err}");
    assert!(
        err.contains("Workarounds") && err.contains("--allow-unrelated-histories"),
        "{err}"
    );
}

#[test]
fn run_interactive_opens_the_browser_on_a_failure_and_keeps_the_status() {
    let home = Home::new();
    let mut cmd = pty::errdex_cmd(&["run", "-i", "--", "sh", "-c"]);
    cmd.arg(format!("echo '{UNRELATED}'; exit 3"));
    cmd.env("XDG_CONFIG_HOME", home.path().join("config"));
    cmd.env("XDG_DATA_HOME", home.path().join("data"));
    let mut s = pty::Session::start(cmd);
    s.wait_for("git/refusing-to-merge-unrelated-histories");
    s.send("q");
    let status = s.wait_exit();
    assert_eq!(status.exit_code(), 3);
    s.assert_restored();
}

//! `errdex completions SHELL` and `errdex man` from the real binary: non-empty, valid for the shells that
//! are installed (bash always), and covering every subcommand.

mod home;

use home::Home;
use std::process::Command;

const SUBCOMMANDS: [&str; 11] = [
    "check",
    "show",
    "lookup",
    "search",
    "config",
    "sync",
    "init",
    "run",
    "completions",
    "man",
    "mcp",
];

fn output(args: &[&str]) -> String {
    let out = Home::new().errdex().args(args).output().expect("run");
    assert!(out.status.success(), "{out:?}");
    assert!(out.stderr.is_empty(), "{out:?}");
    String::from_utf8(out.stdout).expect("utf8")
}

/// Checks a script with `shell CHECK FILE` when the shell is installed.
fn valid_in(shell: &str, check: &str, script: &str) {
    if Command::new(shell).args(["-c", "exit 0"]).output().is_err() {
        eprintln!("notice: {shell} is not installed; skipping its check");
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("completion");
    std::fs::write(&file, script).expect("write");
    let out = Command::new(shell)
        .arg(check)
        .arg(&file)
        .output()
        .expect("shell");
    assert!(out.status.success(), "{shell}: {out:?}");
}

#[test]
fn bash_completion_is_valid_and_complete() {
    let script = output(&["completions", "bash"]);
    valid_in("bash", "-n", &script);
    for sub in SUBCOMMANDS {
        assert!(script.contains(sub), "{sub} missing");
    }
    assert!(script.contains("--print") && script.contains("--no-synced"));
    // Sourced in a real bash, it registers itself for errdex.
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("errdex.bash");
    std::fs::write(&file, &script).expect("write");
    let out = Command::new("bash")
        .args([
            "--norc",
            "--noprofile",
            "-c",
            r#"source "$1" && complete -p errdex"#,
            "bash",
        ])
        .arg(&file)
        .output()
        .expect("bash");
    assert!(out.status.success(), "{out:?}");
    assert!(String::from_utf8_lossy(&out.stdout).contains("errdex"));
}

#[test]
fn zsh_fish_and_powershell_completions_are_valid() {
    let zsh = output(&["completions", "zsh"]);
    assert!(zsh.starts_with("#compdef errdex"), "{zsh}");
    valid_in("zsh", "-n", &zsh);
    let fish = output(&["completions", "fish"]);
    assert!(fish.contains("complete -c errdex"), "{fish}");
    valid_in("fish", "--no-execute", &fish);
    let ps = output(&["completions", "powershell"]);
    assert!(ps.contains("Register-ArgumentCompleter"), "{ps}");
    for script in [&zsh, &fish, &ps] {
        assert!(script.contains("sync") && script.contains("completions"));
    }
}

#[test]
fn the_man_page_has_a_title_and_every_subcommand() {
    let page = output(&["man"]);
    assert!(
        page.lines().any(|l| l.starts_with(".TH errdex 1")),
        "{page}"
    );
    assert!(page.contains(".SH SUBCOMMANDS"), "{page}");
    for sub in SUBCOMMANDS {
        assert!(
            page.contains(&format!("errdex\\-{sub}(1)")),
            "{sub} missing from the man page"
        );
    }
    // Hidden commands stay hidden.
    assert!(!page.contains("synth"));
}

#[test]
fn each_subcommand_has_its_own_page() {
    let page = output(&["man", "sync"]);
    assert!(
        page.lines().any(|l| l.starts_with(".TH errdex-sync 1")),
        "{page}"
    );
    assert!(page.contains("allow\\-http"), "{page}");
    Home::new()
        .errdex()
        .args(["man", "nosuch"])
        .assert()
        .code(2);
}

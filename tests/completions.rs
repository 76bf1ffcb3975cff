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

/// The directory of the binary first on PATH, so completion scripts find `errdex`.
fn path_with_errdex() -> std::ffi::OsString {
    let dir = std::path::Path::new(env!("CARGO_BIN_EXE_errdex"))
        .parent()
        .expect("dir")
        .to_path_buf();
    let mut paths = vec![dir];
    paths.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    std::env::join_paths(paths).expect("join")
}

#[test]
fn bash_completes_record_ids_for_show_and_commands_elsewhere() {
    let home = Home::new();
    let script = home.write("errdex.bash", &output(&["completions", "bash"]));
    let complete = |line: &str| -> String {
        let out = Command::new("bash")
            .args(["--norc", "--noprofile", "-c"])
            .arg(format!(
                r#"source "$1"; COMP_WORDS=({line}); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1)); COMP_LINE="${{COMP_WORDS[*]}}"; COMP_POINT=${{#COMP_LINE}}; _errdex_with_ids errdex; printf '%s\n' "${{COMPREPLY[@]}}""#
            ))
            .arg("bash")
            .arg(&script)
            .env("PATH", path_with_errdex())
            .env("XDG_CONFIG_HOME", home.path().join("config"))
            .env("XDG_DATA_HOME", home.path().join("data"))
            .output()
            .expect("bash");
        assert!(out.status.success(), "{out:?}");
        String::from_utf8(out.stdout).expect("utf8")
    };
    let ids = complete("errdex show docker/exec-format");
    assert!(
        ids.lines().any(|l| l == "docker/exec-format-error-arm64"),
        "{ids}"
    );
    assert!(
        ids.lines().all(|l| l.starts_with("docker/exec-format")),
        "{ids}"
    );
    let ids = complete("errdex --lang zh show git/merge-con");
    assert!(ids.lines().any(|l| l == "git/merge-conflict"), "{ids}");
    let commands = complete("errdex sy");
    assert!(commands.lines().any(|l| l == "sync"), "{commands}");
    let options = complete("errdex show --js");
    assert!(options.lines().any(|l| l == "--json"), "{options}");
}

#[test]
fn fish_completes_record_ids_for_show() {
    if Command::new("fish")
        .args(["-c", "exit 0"])
        .output()
        .is_err()
    {
        eprintln!("notice: fish is not installed; skipping this test");
        return;
    }
    let home = Home::new();
    let script = home.write("errdex.fish", &output(&["completions", "fish"]));
    let out = Command::new("fish")
        .args(["--no-config", "-c"])
        .arg(format!(
            "source '{}'; complete -C 'errdex show docker/exec-format'",
            script.display()
        ))
        .env("PATH", path_with_errdex())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .output()
        .expect("fish");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.lines()
            .any(|l| l.starts_with("docker/exec-format-error-arm64")),
        "{text}"
    );
}

#[test]
fn ids_lists_every_record_of_the_loaded_catalogues() {
    let home = Home::new();
    let out = home
        .errdex()
        .args(["--no-default", "-c", "tests/fixtures/browser.json", "ids"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("run");
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "git/push-rejected\ngit/merge-conflict\npython/module-not-found\nnode/enospc-watchers\n"
    );
}

#[test]
fn zsh_completes_record_ids_for_show() {
    let script = output(&["completions", "zsh"]);
    assert!(
        script.contains("docker/exec-format-error-arm64:_errdex_ids' \\"),
        "show's id is not completed by _errdex_ids"
    );
    if Command::new("zsh").args(["-c", "exit 0"]).output().is_err() {
        eprintln!("notice: zsh is not installed; skipping this test");
        return;
    }
    let home = Home::new();
    let file = home.write("_errdex", &script);
    // The completion system, loaded as a user's .zshrc would; `compadd` then stands in for the widget's own
    // and prints what it was given.
    let out = Command::new("zsh")
        .args(["-f", "-c"])
        .arg(format!(
            "autoload -Uz compinit && compinit -u -d '{}/zcompdump' && source '{}' && \
             compadd() {{ print -l -- \"${{(@P)2}}\" }} && _errdex_ids",
            home.path().display(),
            file.display()
        ))
        .env("PATH", path_with_errdex())
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .output()
        .expect("zsh");
    assert!(out.status.success(), "{out:?}");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.lines().any(|l| l == "docker/exec-format-error-arm64"),
        "{text}"
    );
}

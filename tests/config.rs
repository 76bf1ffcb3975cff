//! The configuration file and its precedence, through the real binary in a temporary home: `config path` and
//! `config init`, every key, flags over environment over file over defaults, broken and unknown keys, and a
//! missing configuration that costs nothing.

mod home;

use home::{Home, record};
use predicates::prelude::*;

const REFERENCE: &str = "docker/exec-format-error-arm64";

#[test]
fn config_path_follows_xdg_then_env_then_flag() {
    let home = Home::new();
    let default = home.config_file();
    home.errdex()
        .args(["config", "path"])
        .assert()
        .success()
        .stdout(format!("{}\n", default.display()));
    home.errdex()
        .args(["config", "path"])
        .env("ERRDEX_CONFIG", "/elsewhere/env.toml")
        .assert()
        .success()
        .stdout("/elsewhere/env.toml\n");
    home.errdex()
        .args(["--config", "/elsewhere/flag.toml", "config", "path"])
        .env("ERRDEX_CONFIG", "/elsewhere/env.toml")
        .assert()
        .success()
        .stdout("/elsewhere/flag.toml\n");
    assert!(home.files().is_empty(), "{:?}", home.files());
}

#[test]
fn config_init_writes_the_commented_default_once() {
    let home = Home::new();
    let file = home.config_file();
    home.errdex()
        .args(["config", "init"])
        .assert()
        .success()
        .stdout(format!("{}\n", file.display()));
    let written = std::fs::read_to_string(&file).expect("written");
    assert!(written.contains("# [sources.team]"), "{written}");
    assert!(written.lines().all(|l| l.is_empty() || l.starts_with('#')));
    // The default file is valid and changes nothing.
    home.errdex()
        .args(["show", REFERENCE])
        .assert()
        .success()
        .stderr("");

    std::fs::write(&file, "lang = \"zh\"\n").expect("edit");
    home.errdex()
        .args(["config", "init"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("already exists"));
    assert_eq!(
        std::fs::read_to_string(&file).expect("kept"),
        "lang = \"zh\"\n"
    );
    home.errdex()
        .args(["config", "init", "--force"])
        .assert()
        .success();
    assert_eq!(std::fs::read_to_string(&file).expect("rewritten"), written);
}

#[test]
fn config_init_mends_a_broken_file_with_force() {
    let home = Home::new();
    home.config("lang = [");
    home.errdex().args(["show", REFERENCE]).assert().code(2);
    home.errdex()
        .args(["config", "init", "--force"])
        .assert()
        .success();
    home.errdex().args(["show", REFERENCE]).assert().success();
}

#[test]
fn every_key_applies() {
    let home = Home::new();
    home.write("cfg/team/a.jsonl", &record("team/a", "team error one"));
    home.config(
        r#"
catalogs = ["../../cfg/team"]
default = false
lang = "zh"
theme = "light"
shell_key = "ctrl-g"
[sources.team]
url = "https://example.com/team.jsonl"
"#,
    );
    // Relative to the file's directory ($XDG_CONFIG_HOME/errdex).
    home.errdex()
        .args(["show", "team/a"])
        .assert()
        .success()
        .stdout(predicate::str::contains("team error one"));
    // default = false: the embedded catalogue is not loaded.
    home.errdex().args(["show", REFERENCE]).assert().code(1);
    // lang = "zh".
    home.errdex()
        .args(["--no-default", "-c", "seeds/docker", "show", REFERENCE])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .assert()
        .success()
        .stdout(predicate::str::contains("根本原因"));
    home.errdex()
        .args(["init", "bash"])
        .assert()
        .success()
        .stdout(predicate::str::contains(r#""\C-g": __errdex_rerun"#));
    home.errdex()
        .args(["sync", "--list"])
        .assert()
        .success()
        .stdout(predicate::str::contains("team").and(predicate::str::contains("example.com")));
}

#[test]
fn flags_beat_environment_beat_file_beat_defaults() {
    let home = Home::new();
    let show = |cmd: &mut assert_cmd::Command| -> String {
        let out = cmd.args(["show", REFERENCE]).output().expect("run");
        assert!(out.status.success(), "{out:?}");
        String::from_utf8(out.stdout).expect("utf8")
    };
    let english = |s: &str| s.contains("Root cause");
    let chinese = |s: &str| s.contains("根本原因");
    // Defaults: the locale (none here) means English.
    assert!(english(&show(&mut home.errdex())));
    assert!(chinese(&show(home.errdex().env("LANG", "zh_CN.UTF-8"))));
    // The file beats the locale.
    home.config("lang = \"zh\"\n");
    assert!(chinese(&show(home.errdex().env("LANG", "en_US.UTF-8"))));
    // The environment beats the file.
    assert!(english(&show(home.errdex().env("ERRDEX_LANG", "en"))));
    // The flag beats the environment.
    assert!(chinese(&show(
        home.errdex()
            .env("ERRDEX_LANG", "en")
            .args(["--lang", "zh"])
    )));
    assert!(english(&show(home.errdex().args(["--lang", "en"]))));

    // --config beats ERRDEX_CONFIG, which beats the default file.
    let other = home.write("other.toml", "lang = \"en\"\n");
    let third = home.write("third.toml", "lang = \"zh\"\n");
    assert!(english(&show(home.errdex().env("ERRDEX_CONFIG", &other))));
    assert!(chinese(&show(
        home.errdex()
            .env("ERRDEX_CONFIG", &other)
            .arg("--config")
            .arg(&third)
    )));

    // default: --no-default beats the file's `default = true`.
    home.config("default = true\n");
    home.errdex()
        .args(["--no-default", "show", REFERENCE])
        .assert()
        .code(1);
}

#[test]
fn catalogues_add_up_in_precedence_order() {
    let home = Home::new();
    // The same id in three places: the first loaded is kept, and flags load before the environment, which
    // loads before the file.
    let flag = home.write("flag/a.jsonl", &record("t/same", "from the flag"));
    let env = home.write("env/a.jsonl", &record("t/same", "from the environment"));
    let env2 = home.write("env2/b.jsonl", &record("t/env2", "second env entry"));
    let file = home.write("file/a.jsonl", &record("t/same", "from the file"));
    home.write("file/b.jsonl", &record("t/file", "only in the file"));
    home.config(&format!(
        "catalogs = [{:?}]\n",
        file.parent().expect("dir").display().to_string()
    ));
    let list = std::env::join_paths([env.parent().expect("dir"), env2.parent().expect("dir")])
        .expect("join");
    let signature = |cmd: &mut assert_cmd::Command, id: &str| -> String {
        let out = cmd.args(["show", "--json", id]).output().expect("run");
        assert!(out.status.success(), "{out:?}");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
        v["signature"].as_str().expect("signature").to_string()
    };
    assert_eq!(signature(&mut home.errdex(), "t/same"), "from the file");
    assert_eq!(
        signature(home.errdex().env("ERRDEX_CATALOG", &list), "t/same"),
        "from the environment"
    );
    assert_eq!(
        signature(home.errdex().env("ERRDEX_CATALOG", &list), "t/env2"),
        "second env entry"
    );
    assert_eq!(
        signature(
            home.errdex()
                .env("ERRDEX_CATALOG", &list)
                .arg("-c")
                .arg(flag.parent().expect("dir")),
            "t/same"
        ),
        "from the flag"
    );
    // Every source still adds its own records.
    assert_eq!(
        signature(home.errdex().arg("-c").arg(&flag), "t/file"),
        "only in the file"
    );
    // The embedded catalogue is there too, by default.
    home.errdex().args(["show", REFERENCE]).assert().success();
}

#[test]
fn a_broken_file_names_file_line_column_and_key_and_exits_2() {
    let home = Home::new();
    let file = home.config("lang = \"en\"\ntheme = \"neon\"\n");
    home.errdex()
        .args(["show", REFERENCE])
        .assert()
        .code(2)
        .stdout("")
        .stderr(format!(
            "errdex: {}:2:9: key `theme`: expected \"auto\", \"dark\", \"light\" or \"mono\"\n",
            file.display()
        ));
    home.config("catalogs = \"not a list\"\n");
    home.errdex()
        .args(["lookup", "x"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            ":1:12: key `catalogs`: expected a list of paths",
        ));
    // A syntax error: line and column, no panic.
    home.config("default = true\n[sources.team\nurl = 1\n");
    let out = home
        .errdex()
        .args(["show", REFERENCE])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains(&format!("{}:2:", file.display())), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    // Not UTF-8.
    std::fs::write(&file, b"lang = \"\xff\"").expect("write");
    home.errdex()
        .args(["show", REFERENCE])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(":1:9: not UTF-8"));
    // A named file that is missing is an error too (the default one is not).
    home.errdex()
        .args(["--config", "/no/such/errdex.toml", "show", REFERENCE])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("/no/such/errdex.toml"));
    // A bad environment value is refused the same way.
    std::fs::remove_file(&file).expect("rm");
    home.errdex()
        .args(["show", REFERENCE])
        .env("ERRDEX_THEME", "neon")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("ERRDEX_THEME"));
}

#[test]
fn an_unknown_key_is_a_warning_and_the_rest_applies() {
    let home = Home::new();
    let file = home.config("colour = \"red\"\nlang = \"zh\"\n");
    home.errdex()
        .args(["show", REFERENCE])
        .assert()
        .success()
        .stdout(predicate::str::contains("根本原因"))
        .stderr(format!(
            "errdex: warning: {}:1:1: unknown key `colour` ignored\n",
            file.display()
        ));
}

#[test]
fn no_config_and_no_data_directory_cost_nothing() {
    let home = Home::new();
    home.errdex()
        .args(["lookup", "CONFLICT (content): Merge conflict in a.py"])
        .assert()
        .success()
        .stderr("");
    home.errdex().args(["search", "merge"]).assert().success();
    home.errdex().args(["check"]).assert().success();
    home.errdex().args(["sync", "--list"]).assert().success();
    // Only the cache: the embedded catalogue's index, written by the first lookup (`index::embedded_file`).
    let created: Vec<String> = home
        .files()
        .into_iter()
        .filter(|f| !matches!(f.as_str(), ".cache/" | ".cache/errdex/"))
        .filter(|f| !(f.starts_with(".cache/errdex/embedded-") && f.ends_with(".idx")))
        .collect();
    assert!(created.is_empty(), "created: {:?}", home.files());
}

#[test]
fn the_configuration_sets_the_lookup_environment_and_env_overrides_it() {
    let home = Home::new();
    home.config("env = \"os=windows,python=3.11\"\n");
    let shown = home.errdex().args(["env", "--json"]).output().expect("run");
    let json: serde_json::Value = serde_json::from_slice(&shown.stdout).expect("JSON");
    assert_eq!(json["os"], "windows");
    assert_eq!(json["versions"]["python"], "3.11");
    let flag = home
        .errdex()
        .args(["env", "--json", "--env", "os=macos"])
        .output()
        .expect("run");
    let json: serde_json::Value = serde_json::from_slice(&flag.stdout).expect("JSON");
    assert_eq!(json["os"], "macos");
    // A bad value names the file, line, column and key.
    home.config("\nenv = \"os=beos\"\n");
    home.errdex()
        .args(["env"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(":2:7: key `env`: os `beos`"));
}

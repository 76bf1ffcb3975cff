//! A temporary home for tests of the real binary: `XDG_CONFIG_HOME`, `XDG_DATA_HOME` and `HOME` point into a
//! directory of its own, and the `ERRDEX_*` variables and locale are cleared, so no test reads or writes the
//! real user's configuration or synced catalogues.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

pub struct Home {
    pub dir: tempfile::TempDir,
}

impl Home {
    pub fn new() -> Home {
        Home {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `$XDG_CONFIG_HOME/errdex/config.toml`.
    pub fn config_file(&self) -> PathBuf {
        self.path().join("config/errdex/config.toml")
    }

    pub fn data_dir(&self) -> PathBuf {
        self.path().join("data/errdex")
    }

    /// Writes the configuration file.
    pub fn config(&self, text: &str) -> PathBuf {
        let file = self.config_file();
        std::fs::create_dir_all(file.parent().expect("parent")).expect("mkdir");
        std::fs::write(&file, text).expect("write config");
        file
    }

    /// Writes `text` at `rel` under the home (directories created).
    pub fn write(&self, rel: &str, text: &str) -> PathBuf {
        let path = self.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, text).expect("write");
        path
    }

    /// The binary with this home as its environment.
    pub fn errdex(&self) -> assert_cmd::Command {
        let mut cmd = assert_cmd::Command::cargo_bin("errdex").expect("binary");
        self.apply(&mut cmd);
        cmd
    }

    pub fn apply(&self, cmd: &mut assert_cmd::Command) {
        cmd.env("XDG_CONFIG_HOME", self.path().join("config"))
            .env("XDG_DATA_HOME", self.path().join("data"))
            .env("HOME", self.path())
            .env_remove("ERRDEX_CONFIG")
            .env_remove("ERRDEX_CATALOG")
            .env_remove("ERRDEX_LANG")
            .env_remove("ERRDEX_THEME")
            .env_remove("LANG")
            .env_remove("LC_ALL")
            .env_remove("LC_MESSAGES")
            .env_remove("NO_COLOR");
    }

    /// Every file under the home, relative, sorted (to prove a command created nothing).
    pub fn files(&self) -> Vec<String> {
        fn walk(dir: &Path, base: &Path, out: &mut Vec<String>) {
            for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
                let p = e.path();
                if p.is_dir() {
                    out.push(format!(
                        "{}/",
                        p.strip_prefix(base).expect("under").display()
                    ));
                    walk(&p, base, out);
                } else {
                    out.push(p.strip_prefix(base).expect("under").display().to_string());
                }
            }
        }
        let mut out = Vec::new();
        walk(self.path(), self.path(), &mut out);
        out.sort();
        out
    }
}

/// One seed-format record as JSON.
pub fn record(id: &str, signature: &str) -> String {
    serde_json::json!({"id": id, "signature": signature, "regex": regex::escape(signature)})
        .to_string()
}

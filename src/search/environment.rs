//! The environment a lookup is for: the machine errdex runs on, what the user says (`--env os=macos,python=3.12`)
//! and what the log itself shows (a `C:\` path, `/Users/…`, `microsoft-standard-WSL2`, `Python 3.11`).
//! Lookup ranks a record whose environment contradicts it below the ones that fit or say nothing, and gives a
//! record for this platform a small boost (`fit`).
//!
//! Detection reads three small files once (`/etc/os-release`, `/proc/version`, `/proc/1/cgroup`) and
//! checks two for existence; no subprocess. The parsing is separate from the reading, so tests feed text.

use crate::catalog::environment::{
    Platforms, RecordEnvironment, Ver, canonical_runtime, parse_version,
};
use regex::Regex;
use serde::Serialize;
use std::collections::BTreeMap;
use std::sync::{LazyLock, OnceLock};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Os {
    Linux,
    Macos,
    Windows,
}

impl Os {
    pub fn name(self) -> &'static str {
        match self {
            Os::Linux => "linux",
            Os::Macos => "macos",
            Os::Windows => "windows",
        }
    }
}

/// What a phrase in a log tells of where it was written.
#[derive(Clone, Copy)]
enum Clue {
    Wsl,
    /// `/mnt/c/`: WSL, unless the log is a Windows one naming both.
    MntC,
    Macos,
    Windows,
    /// `C:\Users`: Windows, and not macOS's `/Users/`.
    WindowsUsers,
    Linux,
    Container,
}

/// Each part `None` when unknown.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Environment {
    pub os: Option<Os>,
    /// `ubuntu 22.04`, from `/etc/os-release`.
    pub distribution: Option<String>,
    pub wsl: Option<bool>,
    pub container: Option<bool>,
    pub arch: Option<String>,
    /// Runtime versions (`python` → 3.12), by canonical name.
    #[serde(serialize_with = "versions_as_text")]
    pub versions: BTreeMap<String, Ver>,
}

fn versions_as_text<S: serde::Serializer>(
    v: &BTreeMap<String, Ver>,
    s: S,
) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeMap;
    let mut m = s.serialize_map(Some(v.len()))?;
    for (k, (major, minor)) in v {
        m.serialize_entry(k, &format!("{major}.{minor}"))?;
    }
    m.end()
}

/// A `--env` value that does not read.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum EnvError {
    #[error("`{0}`: expected key=value (e.g. os=macos,python=3.12)")]
    NotKeyValue(String),
    #[error("os `{0}`: expected linux, macos, windows or wsl")]
    Os(String),
    #[error("{0} `{1}`: expected yes or no")]
    YesNo(String, String),
    #[error("{0} `{1}`: expected a version such as 3.12")]
    Version(String, String),
}

impl Environment {
    /// The machine errdex runs on, detected once per process.
    pub fn detected() -> &'static Environment {
        static DETECTED: OnceLock<Environment> = OnceLock::new();
        DETECTED.get_or_init(Environment::detect)
    }

    fn detect() -> Environment {
        let read = |p: &str| std::fs::read_to_string(p).ok();
        let mut env = Environment {
            arch: Some(std::env::consts::ARCH.to_string()),
            ..Environment::default()
        };
        if cfg!(target_os = "macos") {
            env.os = Some(Os::Macos);
        } else if cfg!(windows) {
            env.os = Some(Os::Windows);
        } else if cfg!(target_os = "linux") {
            env.os = Some(Os::Linux);
            env.distribution = read("/etc/os-release")
                .or_else(|| read("/usr/lib/os-release"))
                .and_then(|t| distribution(&t));
            env.wsl = read("/proc/version").map(|t| is_wsl(&t));
            let marker = ["/.dockerenv", "/run/.containerenv"]
                .iter()
                .any(|p| std::path::Path::new(p).exists());
            env.container = Some(
                marker
                    || std::env::var_os("container").is_some()
                    || read("/proc/1/cgroup").is_some_and(|t| cgroup_is_container(&t)),
            );
        }
        env
    }

    /// The platforms a record may be for and still fit: WSL fits Linux records too, Windows fits WSL ones
    /// (Docker Desktop's errors are printed on Windows about WSL).
    fn platforms(&self) -> Option<Platforms> {
        Some(match (self.os?, self.wsl == Some(true)) {
            (Os::Linux, true) => Platforms::LINUX.with(Platforms::WSL),
            (Os::Linux, false) => Platforms::LINUX,
            (Os::Macos, _) => Platforms::MACOS,
            (Os::Windows, _) => Platforms::WINDOWS.with(Platforms::WSL),
        })
    }

    /// `self` with every part `other` knows taken from `other`.
    pub fn overridden_by(&self, other: &Environment) -> Environment {
        let mut env = self.clone();
        if other.os.is_some() {
            env.os = other.os;
            // A new platform makes the old one's details meaningless.
            env.wsl = other.wsl;
            env.distribution = other.distribution.clone();
        }
        env.wsl = other.wsl.or(env.wsl);
        env.distribution = other.distribution.clone().or(env.distribution);
        env.container = other.container.or(env.container);
        env.arch = other.arch.clone().or(env.arch);
        env.versions
            .extend(other.versions.iter().map(|(k, v)| (k.clone(), *v)));
        env
    }

    /// Reads `--env`: `os=macos,python=3.12,wsl=yes,container=no,arch=arm64,distro=ubuntu` (any subset; any
    /// other key is a runtime version, `node=20`).
    pub fn parse_overrides(text: &str) -> Result<Environment, EnvError> {
        let mut env = Environment::default();
        let yes_no = |k: &str, v: &str| match v.to_ascii_lowercase().as_str() {
            "yes" | "true" | "1" => Ok(true),
            "no" | "false" | "0" => Ok(false),
            _ => Err(EnvError::YesNo(k.to_string(), v.to_string())),
        };
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let Some((k, v)) = part.split_once('=') else {
                return Err(EnvError::NotKeyValue(part.to_string()));
            };
            let (k, v) = (k.trim().to_ascii_lowercase(), v.trim());
            match k.as_str() {
                "os" => match v.to_ascii_lowercase().as_str() {
                    "linux" => env.os = Some(Os::Linux),
                    "macos" | "mac" | "darwin" | "osx" => env.os = Some(Os::Macos),
                    "windows" | "win" => env.os = Some(Os::Windows),
                    "wsl" | "wsl2" => {
                        env.os = Some(Os::Linux);
                        env.wsl = Some(true);
                    }
                    _ => return Err(EnvError::Os(v.to_string())),
                },
                "wsl" => env.wsl = Some(yes_no(&k, v)?),
                "container" => env.container = Some(yes_no(&k, v)?),
                "arch" => env.arch = Some(v.to_string()),
                "distro" | "distribution" => env.distribution = Some(v.to_string()),
                _ => {
                    let ver = parse_version(v)
                        .ok_or_else(|| EnvError::Version(k.clone(), v.to_string()))?;
                    env.versions.insert(canonical_runtime(&k).to_string(), ver);
                }
            }
        }
        Ok(env)
    }

    /// What a log shows of where it was written: platform paths and banners, container build steps, and the
    /// runtime versions it names. Unknown parts stay `None`.
    pub fn from_log(log: &str) -> Environment {
        static VERSIONS: LazyLock<Regex> = LazyLock::new(|| {
            Regex::new(
                r"(?xi)
                \b(?:python\ |python/|/python|cpython-?|py)(?P<python>3\.\d{1,2})\b
                | \b(?:node(?:\.js)?\ v?|node/v|node-v)(?P<node>\d{1,2}\.\d{1,2})
                | \brustc\ (?P<rust>1\.\d{1,3})
                | \bgo(?P<go>1\.\d{1,2})\b
                | \b(?:openjdk|java)\ (?:version\ )?\x22?(?:1\.)?(?P<java>\d{1,2})[.\x22_]
                | \bdocker\ version\ (?P<docker>\d{1,2}\.\d{1,2})",
            )
            .expect("valid")
        });
        static WINDOWS_PATH: LazyLock<Regex> =
            LazyLock::new(|| Regex::new(r"(?:^|[\s'\x22(=])[A-Za-z]:\\[^\\\s]").expect("valid"));
        // Every clue in one case-insensitive pass (a log may be a megabyte).
        const CLUES: [(&str, Clue); 30] = [
            ("microsoft-standard-wsl", Clue::Wsl),
            ("wsl2", Clue::Wsl),
            ("wsl.exe", Clue::Wsl),
            ("\\\\wsl$", Clue::Wsl),
            ("\\\\wsl.localhost", Clue::Wsl),
            ("/mnt/wsl", Clue::Wsl),
            ("/mnt/c/", Clue::MntC),
            ("/users/", Clue::Macos),
            ("/opt/homebrew", Clue::Macos),
            ("/library/", Clue::Macos),
            ("darwin", Clue::Macos),
            ("macos", Clue::Macos),
            (".dylib", Clue::Macos),
            ("xcode", Clue::Macos),
            ("c:\\users", Clue::WindowsUsers),
            ("c:/users", Clue::WindowsUsers),
            ("ps c:\\", Clue::Windows),
            ("winerror", Clue::Windows),
            ("powershell", Clue::Windows),
            (".exe", Clue::Windows),
            ("windows", Clue::Windows),
            ("/home/", Clue::Linux),
            ("/usr/lib/", Clue::Linux),
            ("apt-get", Clue::Linux),
            ("ubuntu", Clue::Linux),
            ("debian", Clue::Linux),
            ("/.dockerenv", Clue::Container),
            ("#0 building with", Clue::Container),
            ("dockerfile:", Clue::Container),
            ("kubepods", Clue::Container),
        ];
        static FINDER: LazyLock<aho_corasick::AhoCorasick> = LazyLock::new(|| {
            // An NFA: a DFA took three times as long to build, more than a one-off lookup's search saves.
            aho_corasick::AhoCorasick::builder()
                .ascii_case_insensitive(true)
                .kind(Some(aho_corasick::AhoCorasickKind::ContiguousNFA))
                .build(CLUES.iter().map(|(n, _)| n))
                .expect("valid")
        });
        let mut seen = 0u32;
        for m in FINDER.find_overlapping_iter(log) {
            seen |= 1 << CLUES[m.pattern().as_usize()].1 as u32;
        }
        let has = |c: Clue| seen & (1 << c as u32) != 0;
        let mut env = Environment::default();
        if has(Clue::Wsl) || (has(Clue::MntC) && !has(Clue::WindowsUsers)) {
            env.os = Some(Os::Linux);
            env.wsl = Some(true);
        } else if has(Clue::Macos) && !has(Clue::WindowsUsers) {
            env.os = Some(Os::Macos);
        } else if has(Clue::Windows)
            || has(Clue::WindowsUsers)
            // Compiled only for a log that can match it (compiling took a millisecond of a lookup).
            || (log.contains(":\\") && WINDOWS_PATH.is_match(log))
        {
            env.os = Some(Os::Windows);
        } else if has(Clue::Linux) {
            env.os = Some(Os::Linux);
        }
        if has(Clue::Container) {
            env.container = Some(true);
        }
        // Every version the regex reads has a digit followed by `.`, `"` or `_`: a log without one is not
        // searched, and the regex not compiled (a millisecond and a half of a lookup).
        let numbered = log
            .as_bytes()
            .windows(2)
            .any(|w| w[0].is_ascii_digit() && matches!(w[1], b'.' | b'"' | b'_'));
        if !numbered {
            return env;
        }
        for c in VERSIONS.captures_iter(log).take(64) {
            for name in ["python", "node", "rust", "go", "java", "docker"] {
                if let Some(v) = c.name(name).and_then(|m| parse_version(m.as_str())) {
                    env.versions.entry(name.to_string()).or_insert(v);
                }
            }
        }
        env
    }

    /// How a record's environment sits with this one, in -1..=1: -1 when it contradicts (a platform the
    /// record is limited to is not this one, or its runtime range excludes the version here), up to +1 the
    /// more it fits (this platform named or mentioned, this runtime version in range); 0 when either says
    /// nothing.
    pub fn fit(&self, r: &RecordEnvironment) -> f64 {
        let mut fit: f64 = 0.0;
        if let Some(here) = self.platforms() {
            // Linux is where most records apply anyway; a match on WSL, macOS or Windows says much more.
            let specific = |p: Platforms| p.meets(Platforms(here.0 & !Platforms::LINUX.0));
            if !r.only.is_empty() {
                if !r.only.meets(here) {
                    return -1.0;
                }
                fit += if specific(r.only) { 1.0 } else { 0.3 };
            } else if r.mentions.meets(here) {
                fit += if specific(r.mentions) { 1.0 } else { 0.1 };
            }
        }
        if let Some(rt) = &r.runtime
            && let Some(&v) = self.versions.get(&rt.name)
        {
            if !rt.contains(v) {
                return -1.0;
            }
            fit += 0.5;
        }
        fit.min(1.0)
    }

    /// One line a part, for `errdex env`.
    pub fn lines(&self) -> Vec<(&'static str, String)> {
        let unknown = || "unknown".to_string();
        let yes_no =
            |b: Option<bool>| b.map_or_else(unknown, |b| if b { "yes" } else { "no" }.into());
        let mut out = vec![
            ("os", self.os.map_or_else(unknown, |o| o.name().to_string())),
            (
                "distribution",
                self.distribution.clone().unwrap_or_else(unknown),
            ),
            ("wsl", yes_no(self.wsl)),
            ("container", yes_no(self.container)),
            ("arch", self.arch.clone().unwrap_or_else(unknown)),
        ];
        for (k, (major, minor)) in &self.versions {
            out.push(("version", format!("{k} {major}.{minor}")));
        }
        out
    }
}

/// `ID` and `VERSION_ID` of an os-release file (`ubuntu 22.04`), or its `NAME`.
pub fn distribution(os_release: &str) -> Option<String> {
    let field = |key: &str| {
        os_release.lines().find_map(|l| {
            let v = l.trim().strip_prefix(key)?.strip_prefix('=')?;
            let v = v.trim().trim_matches(['"', '\'']);
            (!v.is_empty()).then(|| v.to_string())
        })
    };
    match (field("ID"), field("VERSION_ID")) {
        (Some(id), Some(v)) => Some(format!("{id} {v}")),
        (Some(id), None) => Some(id),
        (None, _) => field("NAME"),
    }
}

/// Whether `/proc/version` is a WSL kernel's (`…-microsoft-standard-WSL2`, WSL1's `Microsoft`).
pub fn is_wsl(proc_version: &str) -> bool {
    let lower = proc_version.to_ascii_lowercase();
    lower.contains("microsoft") || lower.contains("wsl")
}

/// Whether `/proc/1/cgroup` places the first process in a container (cgroup v1 paths; v2 shows `0::/`, for
/// which the marker files answer).
pub fn cgroup_is_container(cgroup: &str) -> bool {
    [
        "docker",
        "kubepods",
        "containerd",
        "lxc",
        "libpod",
        "podman",
    ]
    .iter()
    .any(|k| cgroup.contains(k))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::environment::Runtime;

    #[test]
    fn os_release_gives_the_distribution() {
        let ubuntu = "PRETTY_NAME=\"Ubuntu 22.04.4 LTS\"\nNAME=\"Ubuntu\"\nVERSION_ID=\"22.04\"\nID=ubuntu\nID_LIKE=debian\n";
        assert_eq!(distribution(ubuntu).as_deref(), Some("ubuntu 22.04"));
        let arch = "NAME=\"Arch Linux\"\nID=arch\nBUILD_ID=rolling\n";
        assert_eq!(distribution(arch).as_deref(), Some("arch"));
        assert_eq!(distribution("NAME=Plain\n").as_deref(), Some("Plain"));
        assert_eq!(distribution("garbage"), None);
    }

    #[test]
    fn proc_version_and_cgroup_tell_wsl_and_containers() {
        assert!(is_wsl(
            "Linux version 5.15.153.1-microsoft-standard-WSL2 (root@1c602f52c2e4) (gcc (GCC) 11.2.0) #1 SMP"
        ));
        assert!(is_wsl(
            "Linux version 4.4.0-19041-Microsoft (Microsoft@Microsoft.com) (gcc version 5.4.0) #1237"
        ));
        assert!(!is_wsl(
            "Linux version 6.8.0-45-generic (buildd@lcy02-amd64-075) (x86_64-linux-gnu-gcc-13)"
        ));
        assert!(cgroup_is_container("12:memory:/docker/3f2a9c1e8b7d\n"));
        assert!(cgroup_is_container("0::/kubepods/besteffort/pod1234\n"));
        assert!(!cgroup_is_container("0::/init.scope\n"));
    }

    #[test]
    fn overrides_read_and_bad_ones_are_named() {
        let env = Environment::parse_overrides("os=macos, python=3.12,node=v20.11.0,container=no")
            .expect("reads");
        assert_eq!(env.os, Some(Os::Macos));
        assert_eq!(env.versions["python"], (3, 12));
        assert_eq!(env.versions["node"], (20, 11));
        assert_eq!(env.container, Some(false));
        let wsl = Environment::parse_overrides("os=wsl").expect("reads");
        assert_eq!((wsl.os, wsl.wsl), (Some(Os::Linux), Some(true)));
        assert_eq!(
            Environment::parse_overrides("os=beos"),
            Err(EnvError::Os("beos".into()))
        );
        assert_eq!(
            Environment::parse_overrides("macos"),
            Err(EnvError::NotKeyValue("macos".into()))
        );
        assert!(Environment::parse_overrides("python=three").is_err());
    }

    #[test]
    fn a_log_shows_its_platform_and_versions() {
        let wsl = Environment::from_log(
            "Linux DESKTOP 5.15.153.1-microsoft-standard-WSL2\n$ docker ps\nCannot connect",
        );
        assert_eq!((wsl.os, wsl.wsl), (Some(Os::Linux), Some(true)));
        let mac = Environment::from_log(
            "  File \"/Users/ana/venv/lib/python3.11/site-packages/x.py\", line 3",
        );
        assert_eq!(mac.os, Some(Os::Macos));
        assert_eq!(mac.versions["python"], (3, 11));
        let win = Environment::from_log("PS C:\\Users\\ana\\app> npm start\nError: spawn ENOENT");
        assert_eq!(win.os, Some(Os::Windows));
        let linux = Environment::from_log(
            "  File \"/usr/lib/python3.10/runpy.py\", line 196\nnode v20.11.0\nrustc 1.79.0 (129f3b996 2024-06-10)\ngo: go1.22.1 linux/amd64",
        );
        assert_eq!(linux.os, Some(Os::Linux));
        assert_eq!(linux.versions["python"], (3, 10));
        assert_eq!(linux.versions["node"], (20, 11));
        assert_eq!(linux.versions["rust"], (1, 79));
        assert_eq!(linux.versions["go"], (1, 22));
        assert_eq!(
            Environment::from_log("error: something failed"),
            Environment::default()
        );
    }

    #[test]
    fn a_contradicting_record_fits_least() {
        let linux = Environment::parse_overrides("os=linux,python=3.10").expect("reads");
        let wsl_record = RecordEnvironment {
            only: Platforms::WSL,
            ..Default::default()
        };
        let linux_record = RecordEnvironment {
            only: Platforms::LINUX,
            ..Default::default()
        };
        let silent = RecordEnvironment::default();
        assert_eq!(linux.fit(&wsl_record), -1.0);
        assert!(linux.fit(&linux_record) > linux.fit(&silent));
        assert_eq!(linux.fit(&silent), 0.0);
        let wsl = Environment::parse_overrides("os=wsl").expect("reads");
        assert!(wsl.fit(&wsl_record) > wsl.fit(&linux_record) && wsl.fit(&linux_record) > 0.0);
        let py311 = RecordEnvironment {
            runtime: Runtime::parse("python", ">=3.11,<3.13").map(Box::new),
            ..Default::default()
        };
        assert_eq!(linux.fit(&py311), -1.0);
        assert_eq!(
            Environment::default().fit(&wsl_record),
            0.0,
            "nothing known: nothing contradicts"
        );
    }
}

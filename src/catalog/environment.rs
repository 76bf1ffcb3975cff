//! Where a record applies, as far as its source says: the platforms it is limited to, the ones it mentions,
//! its architecture and the runtime version range it was seen with. Lookup ranks a record whose environment
//! contradicts the user's below one that fits or says nothing (`search::environment`).
//!
//! Read once, when a record is parsed, from what it carries: a canon's `environment` (`os`, `runtime.name`
//! and `version_range`, `additional.architecture`), the last part of its id (`docker27-wsl2`,
//! `py310-macos`, `node20-linux-arm64`), a seed's domain (`windows/…`) and tags (`macos`, `wsl`,
//! `apple-silicon`). Canons name one environment each, so their `os` limits; a seed's tags only say which
//! platforms its notes are about, so they never rule a platform out.

use serde_json::{Map, Value};

/// A set of platforms, as bits.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Platforms(pub u8);

impl Platforms {
    pub const LINUX: Platforms = Platforms(1);
    pub const MACOS: Platforms = Platforms(2);
    pub const WINDOWS: Platforms = Platforms(4);
    /// Linux under Windows: a Linux error there may be a WSL one, and a WSL record is no plain Linux one.
    pub const WSL: Platforms = Platforms(8);
    pub const NONE: Platforms = Platforms(0);

    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    pub fn meets(self, other: Platforms) -> bool {
        self.0 & other.0 != 0
    }

    pub fn with(self, other: Platforms) -> Platforms {
        Platforms(self.0 | other.0)
    }

    /// The platform a word names: `macos`, `wsl2`, `win`, `ubuntu`…
    pub fn of_word(word: &str) -> Platforms {
        match word.to_ascii_lowercase().as_str() {
            "linux" | "ubuntu" | "debian" | "alpine" | "centos" | "rhel" | "fedora" => {
                Platforms::LINUX
            }
            "macos" | "mac" | "osx" | "darwin" | "apple-silicon" | "xcode" => Platforms::MACOS,
            "windows" | "win" | "win32" | "win64" | "powershell" => Platforms::WINDOWS,
            "wsl" | "wsl1" | "wsl2" => Platforms::WSL,
            _ => Platforms::NONE,
        }
    }

    /// Lower-case names, for display.
    pub fn names(self) -> Vec<&'static str> {
        [
            (Platforms::LINUX, "linux"),
            (Platforms::MACOS, "macos"),
            (Platforms::WINDOWS, "windows"),
            (Platforms::WSL, "wsl"),
        ]
        .into_iter()
        .filter(|(p, _)| self.meets(*p))
        .map(|(_, n)| n)
        .collect()
    }
}

/// A version as major and minor (`3.11` is `(3, 11)`, `20` is `(20, 0)`).
pub type Ver = (u32, u32);

/// Reads `3.11`, `20`, `1.79.0`, `v20.11.0` (major and minor; the rest is ignored).
pub fn parse_version(text: &str) -> Option<Ver> {
    let text = text.trim().trim_start_matches(['v', 'V']);
    let mut parts = text.split('.');
    let major: u32 = parts.next()?.parse().ok()?;
    let minor = parts
        .next()
        .map(|m| {
            let digits: String = m.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().unwrap_or(0)
        })
        .unwrap_or(0);
    Some((major, minor))
}

/// A runtime and the versions a record was seen with (`>=3.11,<3.13`): from `min` up to, not including,
/// `below`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Runtime {
    /// Canonical name: `python`, `node`, `rust`, `go`, `java`, `docker`…
    pub name: String,
    pub min: Option<Ver>,
    pub below: Option<Ver>,
}

impl Runtime {
    /// `name` and a range such as `>=3.11,<3.13`, `>=20`, `<2.0`; `None` when the range holds no version
    /// (`>=humble`).
    pub fn parse(name: &str, range: &str) -> Option<Runtime> {
        let mut rt = Runtime {
            name: canonical_runtime(name).to_string(),
            min: None,
            below: None,
        };
        for part in range.split(',') {
            let part = part.trim();
            if let Some(v) = part.strip_prefix(">=") {
                rt.min = parse_version(v);
            } else if let Some(v) = part.strip_prefix('<') {
                rt.below = parse_version(v.trim_start_matches('='));
            }
        }
        (rt.min.is_some() || rt.below.is_some()).then_some(rt)
    }

    pub fn contains(&self, v: Ver) -> bool {
        self.min.is_none_or(|m| v >= m) && self.below.is_none_or(|b| v < b)
    }
}

/// One name per runtime: `cpython` is `python`, `nodejs` is `node`, `golang` is `go`.
pub fn canonical_runtime(name: &str) -> &str {
    match name.to_ascii_lowercase().as_str() {
        "cpython" | "python3" | "py" => "python",
        "nodejs" | "node.js" => "node",
        "golang" => "go",
        "rustc" | "cargo" => "rust",
        "jdk" | "openjdk" => "java",
        _ => name,
    }
}

/// What a record says of the environment it applies to; all empty when it says nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RecordEnvironment {
    /// The platforms the record is limited to (empty: any).
    pub only: Platforms,
    /// Platforms the record's notes are about, without limiting it to them.
    pub mentions: Platforms,
    /// `arm64` or `x86_64` when the record is about one.
    pub arch: Option<&'static str>,
    pub runtime: Option<Box<Runtime>>,
}

impl RecordEnvironment {
    pub fn is_empty(&self) -> bool {
        self.only.is_empty()
            && self.mentions.is_empty()
            && self.arch.is_none()
            && self.runtime.is_none()
    }

    /// What a record says of its environment (see the module doc), from its id, domain, tags and unmapped
    /// fields (where a canon's `environment` is kept).
    pub fn of(
        id: &str,
        domain: &str,
        tags: &[String],
        extra: &Map<String, Value>,
    ) -> RecordEnvironment {
        let mut env = RecordEnvironment::default();
        // What a cache of lean records kept (`to_text`): the whole answer.
        if let Some(Value::String(kept)) = extra.get("environment") {
            return RecordEnvironment::from_text(kept).unwrap_or_default();
        }
        // A canon's environment: one os, one runtime.
        if let Some(Value::Object(e)) = extra.get("environment") {
            if let Some(os) = e.get("os").and_then(Value::as_str) {
                env.only = Platforms::of_word(os);
            }
            if let Some(Value::Object(rt)) = e.get("runtime")
                && let (Some(name), Some(range)) = (
                    rt.get("name").and_then(Value::as_str),
                    rt.get("version_range").and_then(Value::as_str),
                )
            {
                env.runtime = Runtime::parse(name, range).map(Box::new);
            }
            if let Some(arch) = e
                .get("additional")
                .and_then(|a| a.get("architecture"))
                .and_then(Value::as_str)
            {
                env.arch = arch_of(arch);
            }
        }
        // The last part of the id names a canon's environment (`docker27-wsl2`) or a seed's subject
        // (`wsl2-kernel-update-required`, `exec-format-error-arm64`).
        let last = id.rsplit('/').next().unwrap_or("");
        let mut named = Platforms::NONE;
        for word in last.split(['-', '_', '.']) {
            named = named.with(Platforms::of_word(word));
            env.arch = env.arch.or(arch_of(word));
        }
        if !named.is_empty() {
            env.only = named;
        }
        if domain == "windows" {
            env.only = env.only.with(Platforms::WINDOWS);
        }
        // WSL is a Linux of its own: a record for it is no plain Linux one.
        if env.only.meets(Platforms::WSL) {
            env.only = Platforms(env.only.0 & !Platforms::LINUX.0);
        }
        for tag in tags {
            env.mentions = env.mentions.with(Platforms::of_word(tag));
            if tag == "apple-silicon" {
                env.arch = env.arch.or(Some("arm64"));
            }
        }
        env
    }
}

impl RecordEnvironment {
    /// One line that `from_text` reads back, for a cache of lean records (their `environment` field):
    /// `only=wsl;mentions=windows+wsl;arch=arm64;runtime=docker>=27.0,<28.0`, parts left out when empty.
    pub fn to_text(&self) -> String {
        let mut parts = Vec::new();
        for (key, p) in [("only", self.only), ("mentions", self.mentions)] {
            if !p.is_empty() {
                parts.push(format!("{key}={}", p.names().join("+")));
            }
        }
        if let Some(arch) = self.arch {
            parts.push(format!("arch={arch}"));
        }
        if let Some(rt) = &self.runtime {
            let bound = |op: &str, v: Option<Ver>| v.map(|(a, b)| format!("{op}{a}.{b}"));
            let range: Vec<String> = [bound(">=", rt.min), bound("<", rt.below)]
                .into_iter()
                .flatten()
                .collect();
            parts.push(format!("runtime={}{}", rt.name, range.join(",")));
        }
        parts.join(";")
    }

    /// Reads what `to_text` wrote; `None` for anything else.
    pub fn from_text(text: &str) -> Option<RecordEnvironment> {
        let mut env = RecordEnvironment::default();
        for part in text.split(';').filter(|p| !p.is_empty()) {
            let (key, value) = part.split_once('=')?;
            let platforms = || {
                value.split('+').try_fold(Platforms::NONE, |acc, w| {
                    let p = Platforms::of_word(w);
                    (!p.is_empty()).then_some(acc.with(p))
                })
            };
            match key {
                "only" => env.only = platforms()?,
                "mentions" => env.mentions = platforms()?,
                "arch" => env.arch = Some(arch_of(value)?),
                "runtime" => {
                    let at = value.find(['>', '<'])?;
                    env.runtime = Some(Box::new(Runtime::parse(&value[..at], &value[at..])?));
                }
                _ => return None,
            }
        }
        Some(env)
    }
}

/// `arm64` or `x86_64` for the words that name them.
pub fn arch_of(word: &str) -> Option<&'static str> {
    match word.to_ascii_lowercase().as_str() {
        "arm64" | "aarch64" | "arm" => Some("arm64"),
        "x64" | "x86_64" | "amd64" => Some("x86_64"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Record;

    fn env_of(r: &Record) -> RecordEnvironment {
        let d = r.details();
        RecordEnvironment::of(&r.id, r.domain(), &d.tags, &d.extra)
    }

    #[test]
    fn version_ranges_read_as_canons_write_them() {
        let rt = Runtime::parse("cpython", ">=3.11,<3.13").expect("range");
        assert_eq!(rt.name, "python");
        assert!(rt.contains((3, 11)) && rt.contains((3, 12)));
        assert!(!rt.contains((3, 10)) && !rt.contains((3, 13)));
        assert!(Runtime::parse("ros2", ">=humble,<rolling").is_none());
        assert_eq!(parse_version("v20.11.0"), Some((20, 11)));
        assert_eq!(parse_version("1.79"), Some((1, 79)));
        assert_eq!(parse_version("27"), Some((27, 0)));
    }

    #[test]
    fn a_canon_says_where_it_applies_and_its_id_may_say_more() {
        let mut r = Record::new("docker/wsl2-docker-connect-failed/docker27-wsl2", "x", "x");
        r.details_mut().extra.insert(
            "environment".into(),
            serde_json::json!({"os": "linux", "runtime": {"name": "docker", "version_range": ">=27,<28"}}),
        );
        let env = env_of(&r);
        assert_eq!(env.only, Platforms::WSL, "wsl2 in the id: not plain Linux");
        assert_eq!(env.runtime.expect("runtime").min, Some((27, 0)));
        let mut r = Record::new("node/enoent-no-such-file/node20-linux-arm64", "x", "x");
        r.details_mut()
            .extra
            .insert("environment".into(), serde_json::json!({"os": "linux"}));
        let env = env_of(&r);
        assert_eq!((env.only, env.arch), (Platforms::LINUX, Some("arm64")));
    }

    #[test]
    fn the_text_form_reads_back() {
        let env = RecordEnvironment {
            only: Platforms::WINDOWS.with(Platforms::WSL),
            mentions: Platforms::MACOS,
            arch: Some("arm64"),
            runtime: Runtime::parse("cpython", ">=3.11,<3.13").map(Box::new),
        };
        let text = env.to_text();
        assert_eq!(
            text,
            "only=windows+wsl;mentions=macos;arch=arm64;runtime=python>=3.11,<3.13"
        );
        assert_eq!(RecordEnvironment::from_text(&text), Some(env));
        assert_eq!(
            RecordEnvironment::from_text(""),
            Some(RecordEnvironment::default())
        );
        assert_eq!(RecordEnvironment::from_text("only=beos"), None);
        assert_eq!(RecordEnvironment::from_text("colour=red"), None);
    }

    #[test]
    fn a_seed_is_limited_by_its_domain_and_id_and_tags_only_mention() {
        let mut r = Record::new("windows/wsl2-kernel-update-required", "x", "x");
        r.domain = Some("windows".into());
        assert_eq!(env_of(&r).only, Platforms::WINDOWS.with(Platforms::WSL));
        let mut r = Record::new("ssh/unprotected-private-key-file", "x", "x");
        r.details_mut().tags = vec!["windows".into(), "wsl".into(), "ssh".into()];
        let env = env_of(&r);
        assert!(env.only.is_empty());
        assert_eq!(env.mentions, Platforms::WINDOWS.with(Platforms::WSL));
        assert!(env_of(&Record::new("python/x", "x", "x")).is_empty());
    }
}

//! The configuration file (`config.toml`): which catalogues load by default, the language, the theme, the
//! shell key binding and the sync sources. Read leniently: a syntax error or a wrong-typed value is an error
//! naming the file, line, column and key; an unknown key is only a warning and the rest still applies.
//! `resolve` merges it with the flags and the environment.

pub mod paths;
pub mod remember;
pub mod resolve;

use crate::catalog::Lang;
use std::collections::BTreeMap;
use std::ops::Range;
use std::path::{Path, PathBuf};
use toml::de::{DeTable, DeValue};

/// The browser's colour theme (`auto`, `dark`, `light`, `mono`).
pub use crate::tui::theme::ThemeName as Theme;

/// A key for the shell binding: Alt or Ctrl with a letter, which every shell can bind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShellKey {
    pub ctrl: bool,
    pub letter: char,
}

impl Default for ShellKey {
    /// Alt-E, free in bash, zsh and fish by default.
    fn default() -> ShellKey {
        ShellKey {
            ctrl: false,
            letter: 'e',
        }
    }
}

impl ShellKey {
    /// `alt-e`, `ctrl-g` (any case).
    pub fn parse(s: &str) -> Option<ShellKey> {
        let s = s.to_ascii_lowercase();
        let (ctrl, rest) = if let Some(r) = s.strip_prefix("alt-") {
            (false, r)
        } else {
            (true, s.strip_prefix("ctrl-")?)
        };
        let mut chars = rest.chars();
        let letter = chars.next().filter(char::is_ascii_lowercase)?;
        chars.next().is_none().then_some(ShellKey { ctrl, letter })
    }
}

impl std::fmt::Display for ShellKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let m = if self.ctrl { "ctrl" } else { "alt" };
        write!(f, "{m}-{}", self.letter)
    }
}

/// What a configuration file said; every field is optional (absent means "the default").
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Config {
    /// Catalogue paths, relative ones resolved against the file's directory, `~/` against the home directory.
    pub catalogs: Vec<PathBuf>,
    /// Whether the embedded catalogue loads.
    pub default: Option<bool>,
    pub lang: Option<Lang>,
    pub theme: Option<Theme>,
    /// The key `errdex init` binds.
    pub shell_key: Option<ShellKey>,
    /// `[sources.NAME] url = "..."`, by name.
    pub sources: BTreeMap<String, String>,
    /// `[keys] ACTION = "KEY"` or a list of keys, with their lines; checked when the browser starts.
    pub keys: Vec<crate::tui::remap::Override>,
    /// `env = "os=wsl,python=3.11"`: the environment lookup ranks for, over the detected one (`--env` wins).
    pub env: Option<crate::search::environment::Environment>,
    /// `[layout]`: the panes the browser opens with.
    pub panes: Option<crate::tui::layout::Panes>,
}

/// A configuration file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: {reason}")]
    Read { path: String, reason: String },
    /// `key` is empty for a syntax error that belongs to no key.
    #[error("{path}:{line}:{column}: {}{message}", key_prefix(.key))]
    Invalid {
        path: String,
        line: usize,
        column: usize,
        key: String,
        message: String,
    },
}

fn key_prefix(key: &str) -> String {
    if key.is_empty() {
        String::new()
    } else {
        format!("key `{key}`: ")
    }
}

/// A configuration read, and what was wrong but not fatal in it.
#[derive(Debug, Default)]
pub struct Loaded {
    pub config: Config,
    /// `path:line:column: unknown key ...`, one per unknown key.
    pub warnings: Vec<String>,
}

/// The commented default `errdex config init` writes.
pub const TEMPLATE: &str = include_str!("../../assets/config.toml");

/// Reads the file at `path`. `Ok(None)` when it does not exist and `required` is false (the default location:
/// a missing file costs one failed open and nothing else).
pub fn read(path: &Path, required: bool) -> Result<Option<Loaded>, ConfigError> {
    let text = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => return Ok(None),
        Err(e) => {
            return Err(ConfigError::Read {
                path: path.display().to_string(),
                reason: crate::catalog::error::io_reason(&e),
            });
        }
    };
    let text = String::from_utf8(text).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let bytes = e.into_bytes();
        let (line, column) = line_column(&String::from_utf8_lossy(&bytes[..at]), at);
        ConfigError::Invalid {
            path: path.display().to_string(),
            line,
            column,
            key: String::new(),
            message: "not UTF-8".into(),
        }
    })?;
    let base = path.parent().unwrap_or(Path::new("."));
    parse(&text, base)
        .map(Some)
        .map_err(|e| e.at(&path.display().to_string(), &text))
}

/// An error found while parsing, before it is placed in a file.
#[derive(Debug, PartialEq)]
pub struct Problem {
    pub span: Range<usize>,
    pub key: String,
    pub message: String,
}

impl Problem {
    fn at(self, path: &str, text: &str) -> ConfigError {
        let (line, column) = line_column(text, self.span.start);
        ConfigError::Invalid {
            path: path.to_string(),
            line,
            column,
            key: self.key,
            message: self.message,
        }
    }
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let mut end = offset;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

/// Parses a configuration's text; relative catalogue paths are taken from `base`. Unknown keys are warnings
/// (their positions are filled in as `line:column`).
pub fn parse(text: &str, base: &Path) -> Result<Loaded, Problem> {
    let table = DeTable::parse(text).map_err(|e| Problem {
        span: e.span().unwrap_or(0..0),
        key: String::new(),
        message: e.message().trim().to_string(),
    })?;
    let mut loaded = Loaded::default();
    let mut unknown = Vec::new();
    for (key, value) in table.get_ref().iter() {
        let name = key.get_ref().as_ref();
        let span = value.span();
        match name {
            "catalogs" => {
                let DeValue::Array(items) = value.get_ref() else {
                    return Err(wrong(name, span, "a list of paths"));
                };
                for item in items.iter() {
                    let DeValue::String(s) = item.get_ref() else {
                        return Err(wrong(name, item.span(), "a list of paths"));
                    };
                    loaded.config.catalogs.push(expand_path(s, base));
                }
            }
            "default" => loaded.config.default = Some(boolean(name, value)?),
            "lang" => {
                let s = string(name, value)?;
                loaded.config.lang = Some(match s {
                    "en" => Lang::En,
                    "zh" => Lang::Zh,
                    _ => return Err(wrong(name, span, "\"en\" or \"zh\"")),
                });
            }
            "theme" => {
                let s = string(name, value)?;
                let theme = Theme::parse(s).ok_or_else(|| {
                    wrong(
                        name,
                        span.clone(),
                        "\"auto\", \"dark\", \"light\" or \"mono\"",
                    )
                })?;
                loaded.config.theme = Some(theme);
            }
            "shell_key" => {
                let s = string(name, value)?;
                let key = ShellKey::parse(s).ok_or_else(|| {
                    wrong(name, span.clone(), "\"alt-LETTER\" or \"ctrl-LETTER\"")
                })?;
                loaded.config.shell_key = Some(key);
            }
            "sources" => {
                let DeValue::Table(sources) = value.get_ref() else {
                    return Err(wrong(name, span, "a table of [sources.NAME] tables"));
                };
                for (source, entry) in sources.iter() {
                    let source_name = source.get_ref().as_ref();
                    let full = format!("sources.{source_name}");
                    if !valid_source_name(source_name) {
                        return Err(Problem {
                            span: source.span(),
                            key: full,
                            message: "a source name is letters, digits, `-` and `_`".into(),
                        });
                    }
                    let DeValue::Table(fields) = entry.get_ref() else {
                        return Err(wrong(&full, entry.span(), "a table with `url`"));
                    };
                    let mut url = None;
                    for (field, v) in fields.iter() {
                        let field_name = field.get_ref().as_ref();
                        if field_name == "url" {
                            url = Some(string(&format!("{full}.url"), v)?.to_string());
                        } else {
                            unknown.push((format!("{full}.{field_name}"), field.span()));
                        }
                    }
                    let Some(url) = url else {
                        return Err(Problem {
                            span: source.span(),
                            key: full,
                            message: "missing `url`".into(),
                        });
                    };
                    loaded.config.sources.insert(source_name.to_string(), url);
                }
            }
            "env" => {
                let s = string(name, value)?;
                let env =
                    crate::search::environment::Environment::parse_overrides(s).map_err(|e| {
                        Problem {
                            span: span.clone(),
                            key: name.to_string(),
                            message: e.to_string(),
                        }
                    })?;
                loaded.config.env = Some(env);
            }
            "keys" => {
                let DeValue::Table(keys) = value.get_ref() else {
                    return Err(wrong(name, span, "a table of ACTION = \"KEY\" entries"));
                };
                for (action, v) in keys.iter() {
                    let full = format!("keys.{}", action.get_ref());
                    let keys = match v.get_ref() {
                        DeValue::String(s) => vec![s.to_string()],
                        DeValue::Array(items) => items
                            .iter()
                            .map(|i| match i.get_ref() {
                                DeValue::String(s) => Ok(s.to_string()),
                                _ => Err(wrong(&full, i.span(), "a key or a list of keys")),
                            })
                            .collect::<Result<_, _>>()?,
                        _ => return Err(wrong(&full, v.span(), "a key or a list of keys")),
                    };
                    loaded.config.keys.push(crate::tui::remap::Override {
                        action: action.get_ref().to_string(),
                        keys,
                        line: line_column(text, action.span().start).0,
                    });
                }
            }
            "layout" => {
                let DeValue::Table(fields) = value.get_ref() else {
                    return Err(wrong(name, span, "a table (tester, detail, split)"));
                };
                let mut panes = crate::tui::layout::Panes::default();
                for (field, v) in fields.iter() {
                    let full = format!("layout.{}", field.get_ref());
                    match field.get_ref().as_ref() {
                        "tester" => panes.tester = boolean(&full, v)?,
                        "detail" => panes.detail = boolean(&full, v)?,
                        "split" => {
                            panes.split = match v.get_ref() {
                                DeValue::Integer(i) if i.as_str() == "30" => {
                                    crate::tui::layout::Split::Narrow
                                }
                                DeValue::Integer(i) if i.as_str() == "40" => {
                                    crate::tui::layout::Split::Default
                                }
                                DeValue::Integer(i) if i.as_str() == "50" => {
                                    crate::tui::layout::Split::Even
                                }
                                _ => return Err(wrong(&full, v.span(), "30, 40 or 50")),
                            }
                        }
                        _ => unknown.push((full, field.span())),
                    }
                }
                loaded.config.panes = Some(panes);
            }
            _ => unknown.push((name.to_string(), key.span())),
        }
    }
    loaded.warnings = unknown
        .into_iter()
        .map(|(key, span)| {
            let (line, column) = line_column(text, span.start);
            format!("{line}:{column}: unknown key `{key}` ignored")
        })
        .collect();
    Ok(loaded)
}

/// Source names become file names: nothing that could leave the data directory.
fn valid_source_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

fn wrong(key: &str, span: Range<usize>, expected: &str) -> Problem {
    Problem {
        span,
        key: key.to_string(),
        message: format!("expected {expected}"),
    }
}

fn boolean(key: &str, value: &toml::Spanned<DeValue<'_>>) -> Result<bool, Problem> {
    match value.get_ref() {
        DeValue::Boolean(b) => Ok(*b),
        _ => Err(wrong(key, value.span(), "true or false")),
    }
}

fn string<'a>(key: &str, value: &'a toml::Spanned<DeValue<'_>>) -> Result<&'a str, Problem> {
    match value.get_ref() {
        DeValue::String(s) => Ok(s.as_ref()),
        _ => Err(wrong(key, value.span(), "a string")),
    }
}

/// `~/x` is under the home directory; a relative path is relative to the configuration file's directory.
fn expand_path(s: &str, base: &Path) -> PathBuf {
    if let Some(rest) = s.strip_prefix("~/")
        && let Ok(home) = etcetera::home_dir()
    {
        return home.join(rest);
    }
    let path = PathBuf::from(s);
    if path.is_absolute() {
        path
    } else {
        base.join(path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(text: &str) -> Loaded {
        parse(text, Path::new("/cfg")).expect("parses")
    }

    #[test]
    fn every_key_is_read() {
        let loaded = ok(r#"
catalogs = ["team", "/abs/x.jsonl"]
default = false
lang = "zh"
theme = "mono"
shell_key = "ctrl-g"

[sources.team]
url = "https://example.com/team.jsonl"
"#);
        let c = loaded.config;
        assert_eq!(
            c.catalogs,
            [PathBuf::from("/cfg/team"), PathBuf::from("/abs/x.jsonl")]
        );
        assert_eq!(c.default, Some(false));
        assert_eq!(c.lang, Some(Lang::Zh));
        assert_eq!(c.theme, Some(Theme::Mono));
        assert_eq!(c.shell_key, ShellKey::parse("Ctrl-G"));
        assert_eq!(
            c.shell_key.map(|k| k.to_string()).as_deref(),
            Some("ctrl-g")
        );
        assert_eq!(c.sources["team"], "https://example.com/team.jsonl");
        assert!(loaded.warnings.is_empty());
    }

    #[test]
    fn the_template_parses_to_the_defaults() {
        let loaded = ok(TEMPLATE);
        assert_eq!(loaded.config, Config::default());
        assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    }

    #[test]
    fn unknown_keys_warn_and_the_rest_applies() {
        let loaded = ok(
            "colour = \"red\"\nlang = \"zh\"\n[sources.t]\nurl = \"https://x/y.json\"\nttl = 3\n",
        );
        assert_eq!(loaded.config.lang, Some(Lang::Zh));
        assert_eq!(
            loaded.warnings,
            [
                "1:1: unknown key `colour` ignored",
                "5:1: unknown key `sources.t.ttl` ignored"
            ]
        );
    }

    #[test]
    fn a_wrong_type_names_key_line_and_column() {
        let e = parse("lang = \"en\"\ntheme = \"neon\"\n", Path::new("/")).unwrap_err();
        let e = e.at("c.toml", "lang = \"en\"\ntheme = \"neon\"\n");
        assert_eq!(
            e.to_string(),
            "c.toml:2:9: key `theme`: expected \"auto\", \"dark\", \"light\" or \"mono\""
        );
        let text = "default = \"yes\"";
        let e = parse(text, Path::new("/")).unwrap_err().at("c.toml", text);
        assert_eq!(
            e.to_string(),
            "c.toml:1:11: key `default`: expected true or false"
        );
        let text = "catalogs = [\"a\", 3]";
        let e = parse(text, Path::new("/")).unwrap_err().at("c.toml", text);
        assert_eq!(
            e.to_string(),
            "c.toml:1:18: key `catalogs`: expected a list of paths"
        );
    }

    #[test]
    fn a_syntax_error_has_a_position() {
        let text = "lang = \"en\"\ntheme = \n";
        let e = parse(text, Path::new("/")).unwrap_err().at("c.toml", text);
        let ConfigError::Invalid { line, .. } = e else {
            panic!("not invalid")
        };
        assert_eq!(line, 2);
    }

    #[test]
    fn source_names_cannot_leave_the_data_directory() {
        let text = "[sources.\"../x\"]\nurl = \"https://a/b\"";
        let e = parse(text, Path::new("/")).unwrap_err();
        assert_eq!(e.key, "sources.../x");
        let text = "[sources.t]\nname = 1";
        assert_eq!(
            parse(text, Path::new("/")).unwrap_err().message,
            "missing `url`"
        );
    }

    #[test]
    fn positions_count_characters() {
        assert_eq!(line_column("ab\n中文x", 9), (2, 3));
        assert_eq!(line_column("", 5), (1, 1));
    }
}

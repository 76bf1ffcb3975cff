//! The settings in effect: command-line flags over environment variables over the configuration file over
//! the defaults. Lists add up instead: the catalogues load in the order embedded, synced, `-c`,
//! `ERRDEX_CATALOG`, `catalogs` from the file (where two records share an id, the first loaded is kept).

use super::{Config, ConfigError, Theme, paths};
use crate::catalog::Lang;
use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// deadends.dev's published stream: one canon per line, which errdex reads as JSONL.
pub const DEADENDS_URL: &str = "https://deadends.dev/api/v1/errors.ndjson";

/// What the command line said, before the environment and the file are consulted.
#[derive(Debug, Default, Clone)]
pub struct Flags {
    /// `--config FILE` (clap already falls back to `ERRDEX_CONFIG`).
    pub config: Option<PathBuf>,
    pub catalogs: Vec<PathBuf>,
    pub no_default: bool,
    pub no_synced: bool,
    /// `--no-cache`: no persistent index is read or written.
    pub no_cache: bool,
    pub lang: Option<Lang>,
}

/// A remote catalogue `errdex sync` fetches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    pub name: String,
    pub url: String,
}

/// Everything the commands need to know about where records come from and how to show them.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The configuration file in effect (it may not exist).
    pub config_file: Option<PathBuf>,
    pub config: Config,
    /// Unknown keys in the file, `path:line:column: ...`: printed as warnings, never fatal.
    pub warnings: Vec<String>,
    /// Whether the embedded catalogue loads.
    pub default: bool,
    /// The catalogues to load after the embedded one, in order.
    pub catalogs: Vec<PathBuf>,
    pub lang: Lang,
    pub theme: Theme,
    /// `$XDG_DATA_HOME/errdex`, where synced catalogues are kept.
    pub data_dir: Option<PathBuf>,
    /// `$XDG_CACHE_HOME/errdex`, where the persistent index is kept; `None` with `--no-cache`.
    pub cache_dir: Option<PathBuf>,
    /// The built-in `deadends` source, then the file's sources by name.
    pub sources: Vec<Source>,
}

/// Merges flags, environment (read through `env`, so tests need not change the process's) and the file.
pub fn resolve(
    flags: &Flags,
    env: &dyn Fn(&str) -> Option<OsString>,
) -> Result<Settings, ConfigError> {
    let (config_file, required) = match &flags.config {
        Some(path) => (Some(path.clone()), true),
        None => (paths::default_config_file(), false),
    };
    let loaded = match &config_file {
        Some(path) => super::read(path, required)?.unwrap_or_default(),
        None => super::Loaded::default(),
    };
    let shown = config_file
        .as_deref()
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    let warnings = loaded
        .warnings
        .iter()
        .map(|w| format!("{shown}:{w}"))
        .collect();
    let config = loaded.config;

    let lang = match (flags.lang, env_value(env, "ERRDEX_LANG")) {
        (Some(lang), _) => lang,
        (None, Some(v)) => match v.as_str() {
            "en" => Lang::En,
            "zh" => Lang::Zh,
            _ => return Err(env_error("ERRDEX_LANG", "expected en or zh")),
        },
        (None, None) => config.lang.unwrap_or_else(Lang::from_env),
    };
    let theme = match env_value(env, "ERRDEX_THEME") {
        Some(v) => Theme::parse(&v)
            .ok_or_else(|| env_error("ERRDEX_THEME", "expected auto, dark, light or mono"))?,
        None => config.theme.unwrap_or_default(),
    };
    let default = !flags.no_default && config.default.unwrap_or(true);

    let mut sources = vec![Source {
        name: "deadends".into(),
        url: DEADENDS_URL.into(),
    }];
    for (name, url) in &config.sources {
        match sources.iter_mut().find(|s| &s.name == name) {
            Some(s) => s.url.clone_from(url),
            None => sources.push(Source {
                name: name.clone(),
                url: url.clone(),
            }),
        }
    }
    let data_dir = paths::data_dir();
    let mut catalogs = Vec::new();
    if !flags.no_synced
        && let Some(data) = &data_dir
    {
        catalogs.extend(synced(data, &sources));
    }
    catalogs.extend(flags.catalogs.iter().cloned());
    if let Some(list) = env(ERRDEX_CATALOG) {
        catalogs.extend(std::env::split_paths(&list).filter(|p| !p.as_os_str().is_empty()));
    }
    catalogs.extend(config.catalogs.iter().cloned());
    Ok(Settings {
        config_file,
        config,
        warnings,
        default,
        catalogs,
        lang,
        theme,
        data_dir,
        cache_dir: if flags.no_cache {
            None
        } else {
            paths::cache_dir()
        },
        sources,
    })
}

const ERRDEX_CATALOG: &str = "ERRDEX_CATALOG";

/// The synced catalogues present on disk, in source order: one `stat` per source, nothing when the data
/// directory does not exist.
pub fn synced(data: &Path, sources: &[Source]) -> Vec<PathBuf> {
    sources
        .iter()
        .map(|s| paths::catalog_file(data, &s.name, &s.url))
        .filter(|p| p.is_file())
        .collect()
}

fn env_value(env: &dyn Fn(&str) -> Option<OsString>, name: &str) -> Option<String> {
    env(name)
        .map(|v| v.to_string_lossy().into_owned())
        .filter(|v| !v.is_empty())
}

fn env_error(var: &str, message: &str) -> ConfigError {
    ConfigError::Read {
        path: format!("${var}"),
        reason: message.into(),
    }
}

/// The process's own environment.
pub fn process_env(name: &str) -> Option<OsString> {
    std::env::var_os(name)
}

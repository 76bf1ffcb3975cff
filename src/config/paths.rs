//! Where errdex keeps its files: the configuration under the platform's config directory
//! (`$XDG_CONFIG_HOME/errdex/config.toml`), synced catalogues and their HTTP validators under its data
//! directory (`$XDG_DATA_HOME/errdex/`), the persistent index under its cache directory
//! (`$XDG_CACHE_HOME/errdex/`). Nothing here touches the disk: paths are computed, never created.

use etcetera::BaseStrategy;
use std::path::PathBuf;

/// `$XDG_CONFIG_HOME/errdex/config.toml` (`~/.config/errdex/config.toml` on Linux and macOS,
/// `%APPDATA%\errdex\config.toml` on Windows); `None` without a home directory.
pub fn default_config_file() -> Option<PathBuf> {
    let base = etcetera::choose_base_strategy().ok()?;
    Some(base.config_dir().join("errdex").join("config.toml"))
}

/// `$XDG_DATA_HOME/errdex` (`~/.local/share/errdex`; `%APPDATA%\errdex` on Windows).
pub fn data_dir() -> Option<PathBuf> {
    let base = etcetera::choose_base_strategy().ok()?;
    Some(base.data_dir().join("errdex"))
}

/// `$XDG_CACHE_HOME/errdex` (`~/.cache/errdex`; the platform's cache directory elsewhere): the persistent
/// index of catalogue files, which errdex rebuilds whenever it is missing or stale.
pub fn cache_dir() -> Option<PathBuf> {
    let base = etcetera::choose_base_strategy().ok()?;
    Some(base.cache_dir().join("errdex"))
}

/// The directory synced catalogues live in: one file per source, plus hidden temporary files while a sync runs
/// (the catalogue walker skips hidden entries).
pub fn catalogs_dir(data: &std::path::Path) -> PathBuf {
    data.join("catalogs")
}

/// The stored HTTP validators (ETag, Last-Modified) and counts of each synced source.
pub fn state_dir(data: &std::path::Path) -> PathBuf {
    data.join("state")
}

/// The file a source's catalogue is stored as: `.json` when its URL names a `.json` file (one record or an
/// array), `.jsonl` otherwise (deadends.dev's `.ndjson` stream is JSONL).
pub fn catalog_file(data: &std::path::Path, name: &str, url: &str) -> PathBuf {
    let path = url.split(['?', '#']).next().unwrap_or(url);
    let ext = if path.to_ascii_lowercase().ends_with(".json") {
        "json"
    } else {
        "jsonl"
    };
    catalogs_dir(data).join(format!("{name}.{ext}"))
}

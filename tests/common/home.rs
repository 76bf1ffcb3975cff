//! The empty home every binary under test runs in (shared by `common` and `pty`): no configuration, no synced
//! catalogues, no marks, no index and no `ERRDEX_*` settings of the developer's. The directory is never
//! created by the tests, as on a new user's machine.

use std::path::PathBuf;

/// The XDG directories, each pointed into `empty_home`.
pub const EMPTY_HOME_VARS: [&str; 4] = [
    "XDG_CONFIG_HOME",
    "XDG_DATA_HOME",
    "XDG_STATE_HOME",
    "XDG_CACHE_HOME",
];

/// The developer's settings, cleared.
pub const ERRDEX_VARS: [&str; 4] = [
    "ERRDEX_CONFIG",
    "ERRDEX_CATALOG",
    "ERRDEX_LANG",
    "ERRDEX_THEME",
];

pub fn empty_home() -> PathBuf {
    PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("no-home")
}

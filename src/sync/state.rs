//! What is remembered about a synced source, beside its catalogue (`state/NAME.json`): the URL it came from,
//! the server's validators for the next conditional request, when it was fetched and checked, and its counts
//! for `errdex sync --list`.

use std::path::{Path, PathBuf};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct State {
    pub url: String,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// When the copy in use was downloaded (seconds since the Unix epoch).
    pub synced: u64,
    /// When the server last confirmed it (a 304 or a new download).
    pub checked: u64,
    pub records: usize,
    pub bytes: u64,
}

pub fn file(data: &Path, name: &str) -> PathBuf {
    crate::config::paths::state_dir(data).join(format!("{name}.json"))
}

impl State {
    /// The stored state, or `None` when absent or unreadable (the next sync then downloads in full).
    pub fn read(path: &Path) -> Option<State> {
        serde_json::from_slice(&std::fs::read(path).ok()?).ok()
    }

    /// Written to a temporary file and renamed, so a crash leaves the old state or the new one.
    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        let dir = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)?;
        let mut tmp = tempfile::Builder::new().prefix(".state").tempfile_in(dir)?;
        serde_json::to_writer_pretty(&mut tmp, self)?;
        tmp.persist(path).map_err(|e| e.error)?;
        Ok(())
    }
}

/// Seconds since the Unix epoch.
pub fn now() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs())
}

/// An age in the largest whole unit: `42 s`, `5 min`, `3 h`, `12 d`.
pub fn age(seconds: u64) -> String {
    match seconds {
        s if s < 60 => format!("{s} s"),
        s if s < 3_600 => format!("{} min", s / 60),
        s if s < 86_400 => format!("{} h", s / 3_600),
        s => format!("{} d", s / 86_400),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn ages_read_in_one_unit() {
        assert_eq!(super::age(5), "5 s");
        assert_eq!(super::age(600), "10 min");
        assert_eq!(super::age(7_200), "2 h");
        assert_eq!(super::age(3 * 86_400 + 5), "3 d");
    }

    #[test]
    fn state_round_trips_through_its_file() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("state/x.json");
        let state = super::State {
            url: "https://a/b.jsonl".into(),
            etag: Some("\"1\"".into()),
            last_modified: None,
            synced: 1,
            checked: 2,
            records: 3,
            bytes: 4,
        };
        state.write(&path).expect("write");
        assert_eq!(super::State::read(&path), Some(state));
    }
}

//! "It worked for me" marks: the user's own outcome for a workaround or a dead end, kept locally in
//! `$XDG_STATE_HOME/errdex/outcomes.jsonl`, one JSON object a line, appended and never rewritten (the last
//! line for an item wins), and exported for a catalogue's maintainers (`errdex outcomes export`).
//!
//! A line is written whole in one `write` to a file opened for appending, then synced, so a crash loses at
//! most the mark being written and never corrupts the ones before it. A file with lines that do not read is
//! moved aside (`outcomes.jsonl.corrupt-<seconds>`), reported, and its good lines carried over.

use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    Workaround,
    DeadEnd,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Worked,
    Failed,
    /// The mark taken back.
    Cleared,
}

/// One mark, as stored and as exported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Mark {
    pub record_id: String,
    pub kind: ItemKind,
    /// The item's position in the record when marked (its action identifies it across catalogue updates).
    pub index: usize,
    pub action: String,
    pub outcome: Verdict,
    pub errdex_version: String,
    /// `YYYY-MM-DD`, UTC.
    pub date: String,
}

/// What an item is, for looking its mark up: the record, the list it is in, and its action text.
pub type ItemKey = (String, ItemKind, String);

impl Mark {
    pub fn key(&self) -> ItemKey {
        (self.record_id.clone(), self.kind, self.action.clone())
    }
}

/// The marks in effect: the last one for each item, cleared ones left out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Marks {
    latest: HashMap<ItemKey, Mark>,
    /// Counts changes, so a view laid out with the marks can tell it is stale.
    version: u64,
}

impl Marks {
    pub fn from_log(log: impl IntoIterator<Item = Mark>) -> Marks {
        let mut marks = Marks::default();
        for m in log {
            marks.record(m);
        }
        marks
    }

    pub fn version(&self) -> u64 {
        self.version
    }

    pub fn record(&mut self, mark: Mark) {
        self.version += 1;
        if mark.outcome == Verdict::Cleared {
            self.latest.remove(&mark.key());
        } else {
            self.latest.insert(mark.key(), mark);
        }
    }

    pub fn get(&self, record_id: &str, kind: ItemKind, action: &str) -> Option<Verdict> {
        self.latest
            .get(&(record_id.to_string(), kind, action.to_string()))
            .map(|m| m.outcome)
    }

    /// The marks in effect, by record and position, for export.
    pub fn all(&self) -> Vec<&Mark> {
        let mut all: Vec<&Mark> = self.latest.values().collect();
        all.sort_by(|a, b| {
            (&a.record_id, a.kind as u8, a.index).cmp(&(&b.record_id, b.kind as u8, b.index))
        });
        all
    }
}

/// Today's date, UTC, as `YYYY-MM-DD` (days since 1970 to a civil date: Howard Hinnant's algorithm).
pub fn today() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    civil_date(secs / 86_400)
}

fn civil_date(days: u64) -> String {
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

/// Where the marks are kept: `$XDG_STATE_HOME/errdex/outcomes.jsonl`, else `~/.local/state/errdex/...`.
pub fn default_path() -> Option<PathBuf> {
    let state = std::env::var_os("XDG_STATE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/state")))?;
    Some(state.join("errdex").join("outcomes.jsonl"))
}

/// What reading the file found.
#[derive(Debug, Default)]
pub struct Loaded {
    pub marks: Marks,
    /// Lines that did not read: where the file was moved, and the first bad line's number and why.
    pub set_aside: Option<(PathBuf, usize, String)>,
}

/// Reads the marks. A missing file is no marks. A file with unreadable lines is renamed aside (never
/// deleted) and its good lines written back, so new marks append to a clean file.
pub fn load(path: &Path) -> std::io::Result<Loaded> {
    let text = match std::fs::read(path) {
        Ok(bytes) => bytes,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Loaded::default()),
        Err(e) => return Err(e),
    };
    let mut good = Vec::new();
    let mut first_bad = None;
    for (i, line) in text.split(|b| *b == b'\n').enumerate() {
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        match serde_json::from_slice::<Mark>(line) {
            Ok(m) => good.push(m),
            Err(e) => {
                first_bad.get_or_insert((i + 1, e.to_string()));
            }
        }
    }
    let set_aside = match first_bad {
        None => None,
        Some((line, why)) => {
            let secs = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |d| d.as_secs());
            let aside = path.with_extension(format!("jsonl.corrupt-{secs}"));
            std::fs::rename(path, &aside)?;
            for m in &good {
                append(path, m)?;
            }
            Some((aside, line, why))
        }
    };
    Ok(Loaded {
        marks: Marks::from_log(good),
        set_aside,
    })
}

/// Appends one mark as one line, written in one call and synced.
pub fn append(path: &Path, mark: &Mark) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let mut line = serde_json::to_vec(mark).map_err(std::io::Error::other)?;
    line.push(b'\n');
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    file.write_all(&line)?;
    file.sync_data()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mark(id: &str, action: &str, outcome: Verdict) -> Mark {
        Mark {
            record_id: id.into(),
            kind: ItemKind::Workaround,
            index: 0,
            action: action.into(),
            outcome,
            errdex_version: "0.1.0".into(),
            date: "2026-12-06".into(),
        }
    }

    #[test]
    fn the_last_mark_for_an_item_wins_and_clearing_removes_it() {
        let marks = Marks::from_log([
            mark("a/b", "pull", Verdict::Failed),
            mark("a/b", "pull", Verdict::Worked),
            mark("a/b", "push", Verdict::Worked),
            mark("a/b", "push", Verdict::Cleared),
        ]);
        assert_eq!(
            marks.get("a/b", ItemKind::Workaround, "pull"),
            Some(Verdict::Worked)
        );
        assert_eq!(marks.get("a/b", ItemKind::Workaround, "push"), None);
        assert_eq!(marks.get("a/b", ItemKind::DeadEnd, "pull"), None);
        assert_eq!(marks.all().len(), 1);
    }

    #[test]
    fn dates_are_civil_utc_dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(20_428), "2025-12-06");
        assert_eq!(civil_date(11_016), "2000-02-29");
    }

    #[test]
    fn a_corrupt_file_is_set_aside_and_its_good_lines_kept() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("outcomes.jsonl");
        append(&path, &mark("a/b", "pull", Verdict::Worked)).expect("append");
        let mut f = std::fs::OpenOptions::new()
            .append(true)
            .open(&path)
            .expect("open");
        f.write_all(b"{\"record_id\": broken\n").expect("write");
        append(&path, &mark("c/d", "push", Verdict::Failed)).expect("append");
        let loaded = load(&path).expect("load");
        let (aside, line, _) = loaded.set_aside.expect("set aside");
        assert_eq!(line, 2);
        assert!(
            std::fs::read_to_string(&aside)
                .expect("kept")
                .contains("broken")
        );
        assert_eq!(loaded.marks.all().len(), 2);
        // The file now holds the good lines only, and reads clean.
        let again = load(&path).expect("load");
        assert!(again.set_aside.is_none());
        assert_eq!(again.marks, loaded.marks);
    }

    #[test]
    fn a_missing_file_is_no_marks() {
        let dir = tempfile::tempdir().expect("dir");
        let loaded = load(&dir.path().join("none.jsonl")).expect("load");
        assert!(loaded.marks.all().is_empty() && loaded.set_aside.is_none());
    }
}

//! The persistent index: what loading a catalogue source gave, kept on disk, so the next command reads a
//! small memory-mapped file instead of parsing every catalogue file and every regex again.
//!
//! One index file per catalogue source (a `-c` path) in the cache directory (`$XDG_CACHE_HOME/errdex`, the
//! platform's cache directory elsewhere). For each file of the source it holds the file's path, size and
//! modification time, its diagnostics, and for each record its inline fields (`Record::inline`), where it
//! starts, where its text is in the file (its details are read from there when shown), and what its regex
//! requires. A file whose size or time changed is parsed again, alone; the others come from the index. It
//! also holds each directory's entries with the directory's time: an unchanged directory is not read again,
//! and what the index names is checked with one `stat` each, in parallel, before the walk needs it. Last, it
//! holds the source's lookup tables (`tables`): with every source's index current (`warm`, told from those
//! `stat`s alone when they can tell), a lookup builds only the records the message can reach
//! (`search::narrow`). The embedded catalogue has an index of its own
//! (`embedded_file`), named by a hash of the seeds.
//!
//! A file or directory changed within `RACY` of the index being written is left out of it: a change in the
//! same tick of the file system's clock would keep its time, so it is read again next time instead.
//!
//! The index is written as it is built (`index_write`): a file's entries in chunks of `ENTRIES`, straight to
//! the file. A large JSONL file met for the first time is parsed into the index a part at a time, and its
//! records are then read from there as on a warm run (`parse_source`): a first run at 1,000,000 records
//! holds about as much as the next ones. The layout is in `index_file`.
//!
//! The index is rkyv data behind a header (magic, format number, length, checksum): a truncated, damaged or
//! foreign file fails the header, its length or its checksum and is ignored (then rebuilt), never read; one
//! written by another errdex version is ignored too. It is written to a temporary file and renamed over the
//! old one, so a crash or a concurrent errdex never sees half an index, and a mapped index is never changed
//! in place.

use super::diagnostic::{Diagnostic, Position, Severity};
use super::environment::RecordEnvironment;
pub use super::index_file::{
    ArchivedFileEntry, ArchivedIndexData, ArchivedRecordEntry, DiagnosticEntry, DirEntry, ENTRIES,
    FORMAT, Index, RecordEntry, file_for, size_of, validate,
};
use super::index_write::{self, FileSource, Records};
use super::load::{self, Chunk, Chunked, Input, Options};
use super::load::{Listings, Modified, Visited};
use super::record::{Bytes, Format, Record, Source};
use super::regex_facts::RegexFacts;
use super::source::Layout;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How close to the index's writing a change can be and still be trusted to show in a file's time (file
/// systems keep times in ticks of up to 2 s).
const RACY: std::time::Duration = std::time::Duration::from_secs(2);

/// A file's size and modification time, what an entry is keyed by besides its path.
fn stamp(path: &Path) -> Option<(u64, Modified)> {
    load::stamp(&std::fs::metadata(path).ok()?)
}

/// An input the index keeps (a file, not a pipe): its path, and its size and time as the walk found them (or
/// now).
fn kept_file(input: &Input) -> Option<(&Path, Option<(u64, Modified)>)> {
    match input {
        Input::File {
            path,
            pipe: false,
            stamp: found,
            ..
        } => Some((path, found.or_else(|| stamp(path)))),
        _ => None,
    }
}

/// What the walk of `source` can know ahead from its index: each directory's entries as last read, and the
/// metadata of every directory and file the index names, fetched in parallel (on a warm run, that is the
/// walk's every `stat`).
pub fn listings(index: Option<&Index>) -> Listings {
    use rayon::prelude::*;
    let Some(index) = index else {
        return Listings::default();
    };
    let data = index.data();
    let known = data
        .dirs
        .iter()
        .map(|d| {
            let entries = d
                .entries
                .iter()
                .map(|e| (e.0.as_str().into(), e.1))
                .collect();
            (
                PathBuf::from(d.path.as_str()),
                (
                    (d.modified.0.to_native(), d.modified.1.to_native()),
                    entries,
                ),
            )
        })
        .collect();
    let paths: Vec<&str> = data
        .dirs
        .iter()
        .map(|d| d.path.as_str())
        .chain(data.files.iter().map(|f| f.path.as_str()))
        .collect();
    let meta = paths
        .par_iter()
        .with_min_len(64)
        .filter_map(|p| Some((PathBuf::from(p), std::fs::metadata(p).ok()?)))
        .collect();
    Listings {
        known,
        meta,
        ..Listings::default()
    }
}

/// Parses the inputs of one catalogue source (`source`, a `-c` path) through its index `index` (at
/// `index_path`): unchanged files from the index, the others parsed, and the index rewritten when anything
/// changed (`walked` says what the walk read). What each input gives, in order.
///
/// A JSONL file of `DEFER_FROM` bytes or more that the index does not hold yet is not parsed with the
/// others: the index is written at once, that file parsed into it a part at a time, and its records are then
/// read from the index as on a warm run. Its records are never all built (a first run at 1,000,000 records
/// held them all, their entries and the encoded index: 3.5 GB).
pub fn parse_source(
    index_path: &Path,
    index: Option<Index>,
    walked: Listings,
    inputs: &[Input],
    options: &Options,
) -> Vec<Sourced> {
    // Shared with the records of its large files, which stay its entries until read.
    let index = index.map(Arc::new);
    let known: HashMap<&str, (usize, &ArchivedFileEntry), foldhash::fast::RandomState> = index
        .as_ref()
        .map(|i| {
            (i.data().files.iter().enumerate())
                .map(|(k, f)| (f.path.as_str(), (k, f)))
                .collect()
        })
        .unwrap_or_default();
    // What changed just before now may change again within the same tick of the file system's clock.
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let settled = |modified: (i64, u32)| {
        modified.0 < 0 || std::time::Duration::new(modified.0 as u64, modified.1) + RACY < now
    };
    use rayon::prelude::*;
    /// Where an input's records came from.
    enum From {
        /// File `k` of the index.
        Index(usize),
        Parsed(Option<FileSource>),
        /// A large JSONL file, to be parsed into the index and read from there.
        Deferred(FileSource),
        /// Not a file the index keeps (a pipe).
        Elsewhere,
    }
    let mut results: Vec<(Option<Sourced>, From)> = inputs
        .par_iter()
        .map(|input| {
            let Some((path, stamp)) = kept_file(input) else {
                return (
                    Some((load::parse_one(input, options), None)),
                    From::Elsewhere,
                );
            };
            let name = path.display().to_string();
            if let Some(&(k, entry)) = known.get(name.as_str())
                && entry.is_current(stamp)
            {
                let at = index.as_ref().map(|i| (i, k));
                return (Some(from_entry(path, entry, at)), From::Index(k));
            }
            if let (Input::File { layout, .. }, Some((size, modified))) = (input, stamp)
                && *layout == Layout::JsonLines
                && size >= DEFER_FROM
                && settled(modified)
            {
                let records = Records::Parsed {
                    path: path.to_path_buf(),
                    options: *options,
                };
                return (
                    None,
                    From::Deferred(file_source(name, size, modified, records)),
                );
            }
            let mut parsed = load::parse_one(input, options);
            let entry = stamp.map(|(size, modified)| {
                let entries = index_write::record_entries(&parsed);
                // The regexes were just analysed for the index: lookup need not parse them again.
                parsed.facts = entries.iter().map(facts_of).collect();
                let diagnostics = index_write::diagnostic_entries(&parsed).collect();
                let records = Records::Built {
                    entries,
                    diagnostics,
                };
                file_source(name, size, modified, records)
            });
            (Some((parsed, None)), From::Parsed(entry))
        })
        .collect();
    let from_index = (results.iter())
        .filter(|r| matches!(r.1, From::Index(_)))
        .count();
    let parsed = (results.iter()).any(|r| matches!(r.1, From::Parsed(_) | From::Deferred(_)));
    let dirs_changed = walked.visited.iter().any(|v| v.read)
        || index
            .as_ref()
            .is_some_and(|i| i.data().dirs.len() != walked.visited.len());
    let rewrite = index.is_none() || parsed || dirs_changed || from_index != known.len();
    if !rewrite {
        // Nothing was deferred: that is a parse.
        return results.into_iter().filter_map(|r| r.0).collect();
    }
    // The index rebuilt from what is current: kept entries copied from the old index, new ones as built.
    let mut files = Vec::with_capacity(results.len());
    // Deferred inputs, and their file's place in the new index.
    let mut deferred = Vec::new();
    for (i, (_, from)) in results.iter_mut().enumerate() {
        match std::mem::replace(from, From::Elsewhere) {
            From::Parsed(Some(entry)) if settled(entry.modified) => files.push(entry),
            From::Deferred(entry) => {
                deferred.push((i, files.len()));
                files.push(entry);
            }
            From::Index(k) => {
                if let Some(index) = &index {
                    let old = &index.data().files[k];
                    let records = Records::Kept {
                        index: index.clone(),
                        file: k,
                    };
                    let modified = (old.modified.0.to_native(), old.modified.1.to_native());
                    files.push(file_source(
                        old.path.to_string(),
                        old.size.to_native(),
                        modified,
                        records,
                    ));
                }
            }
            _ => {}
        }
    }
    let dirs = walked
        .visited
        .into_iter()
        .filter(|v| settled(v.modified))
        .filter_map(
            |Visited {
                 path,
                 modified,
                 entries,
                 ..
             }| {
                let entries = entries
                    .into_iter()
                    .map(|(name, walk)| Some((name.into_string().ok()?, walk)))
                    .collect::<Option<Vec<_>>>()?;
                Some(DirEntry {
                    path: path.into_os_string().into_string().ok()?,
                    modified,
                    entries,
                })
            },
        )
        .collect();
    drop(known);
    let index_path = index_path.to_path_buf();
    if deferred.is_empty() {
        write_soon(move || {
            let _ = index_write::write(&index_path, files, dirs);
        });
        return results.into_iter().filter_map(|r| r.0).collect();
    }
    // The large files' records are read from the index written now; where it could not be written (or was
    // replaced by another errdex's meanwhile), they are parsed as any other.
    let written = index_write::write(&index_path, files, dirs);
    crate::allocator::give_back();
    let written = (written.ok())
        .and_then(|()| Index::open(&index_path))
        .map(Arc::new);
    let mut out = Vec::with_capacity(results.len());
    let mut deferred = deferred.into_iter().peekable();
    for (i, (sourced, _)) in results.into_iter().enumerate() {
        let sourced = sourced.unwrap_or_else(|| {
            let f = deferred.next_if(|d| d.0 == i).map_or(usize::MAX, |d| d.1);
            let input = &inputs[i];
            let (path, stamp) = kept_file(input).expect("only files are deferred");
            let name = path.display().to_string();
            let entry = (written.as_ref()).and_then(|w| Some((w, w.data().files.get(f)?)));
            match entry {
                Some((w, entry)) if entry.path.as_str() == name && entry.is_current(stamp) => {
                    from_entry(path, entry, Some((w, f)))
                }
                _ => (load::parse_one(input, options), None),
            }
        });
        out.push(sourced);
    }
    out
}

/// How large a JSONL file must be for its first load to go through the index (see `parse_source`): about
/// 5,000 short records, or a few hundred full ones.
pub const DEFER_FROM: u64 = 1 << 20;

fn file_source(path: String, size: u64, modified: (i64, u32), records: Records) -> FileSource {
    FileSource {
        path,
        size,
        modified,
        records,
    }
}

/// Whether `write_soon` writes on a thread of its own (`write_in_background`).
static BACKGROUND: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
/// The writes started in the background, each to say when it is done, for `wait_for_writes`.
static PENDING: std::sync::Mutex<Vec<std::sync::mpsc::Receiver<()>>> =
    std::sync::Mutex::new(Vec::new());

/// From now on, build and write indexes on threads of their own, beside what the command does with the
/// catalogue: a first lookup's lookup and printing overlap the index's tables and writing (a tenth of it on
/// the deadends corpus). Whoever calls this calls `wait_for_writes` before the process ends (`main` does), or
/// an index is lost (never half-written: see `write`).
pub fn write_in_background() {
    BACKGROUND.store(true, std::sync::atomic::Ordering::Relaxed);
}

/// Waits for the indexes being written in the background.
pub fn wait_for_writes() {
    let pending = std::mem::take(&mut *PENDING.lock().unwrap_or_else(|e| e.into_inner()));
    for done in pending {
        // An error is a write that panicked: nothing to wait for.
        let _ = done.recv();
    }
}

/// Runs `write` now, or in the background after `write_in_background`: on the thread pool that parsed the
/// files, whose allocator has memory at hand (a thread of its own faulted fresh pages in, which was half the
/// time it took to build the tables).
fn write_soon(write: impl FnOnce() + Send + 'static) {
    if !BACKGROUND.load(std::sync::atomic::Ordering::Relaxed) {
        return write();
    }
    let (done, wait) = std::sync::mpsc::sync_channel(1);
    PENDING.lock().unwrap_or_else(|e| e.into_inner()).push(wait);
    rayon::spawn(move || {
        write();
        let _ = done.send(());
    });
}

impl ArchivedFileEntry {
    /// Whether the file the entry was made from is still the same: same size and time (`load::stamp`).
    pub fn is_current(&self, stamp: Option<(u64, Modified)>) -> bool {
        stamp.is_some_and(|(size, modified)| {
            self.size == size
                && (self.modified.0.to_native(), self.modified.1.to_native()) == modified
        })
    }

    /// How many records it has.
    pub fn record_count(&self) -> usize {
        (self.records.last()).map_or(0, |last| (self.records.len() - 1) * ENTRIES + last.len())
    }

    /// Its record `i`'s entry (in file order).
    pub fn entry(&self, i: usize) -> &ArchivedRecordEntry {
        &self.records[i / ENTRIES][i % ENTRIES]
    }

    /// Its records' entries, in file order.
    pub fn entries(&self) -> impl Iterator<Item = &ArchivedRecordEntry> {
        self.records.iter().flat_map(|chunk| chunk.iter())
    }

    /// How many of the file's diagnostics are errors.
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.error).count()
    }

    /// Its record `i` (in file order), details left in the file at `path` until read.
    pub fn record(&self, path: &Path, i: usize) -> Option<Record> {
        let entry = self.records.get(i / ENTRIES)?.get(i % ENTRIES)?;
        Some(record_in(entry, &Bytes::File(Arc::from(path))))
    }

    /// Its record `i` as loading gives it: the record (details left in `file`, the file's bytes or the
    /// file itself), where it starts, and what is known of its regex.
    pub fn loaded(
        &self,
        file: &Bytes,
        name: &Arc<str>,
        i: usize,
    ) -> (Record, Position, Option<RegexFacts>) {
        let e = self.entry(i);
        (record_in(e, file), e.position(name), e.facts())
    }

    /// Its diagnostics, as loading the file gave them.
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        self.diagnostics
            .iter()
            .map(|d| Diagnostic {
                path: self.path.to_string(),
                line: d.line.to_native() as usize,
                column: d.column.to_native() as usize,
                severity: if d.error {
                    Severity::Error
                } else {
                    Severity::Warning
                },
                message: d.message.to_string(),
            })
            .collect()
    }
}

/// The indexes of catalogue sources that are wholly current: every file and directory as the index has them.
pub struct Warm {
    /// One a source, in order: the embedded catalogue's first when it is included.
    pub indexes: Vec<Index>,
    /// Whether the first index is the embedded catalogue's (its files are `embedded::SEEDS`).
    pub embedded: bool,
    /// What the walk met (unreadable paths and the like).
    pub diagnostics: Vec<Diagnostic>,
}

/// The indexes of `paths` (in the cache directory `cache`), if every one exists and is current: the walk
/// finds the files each one holds, in its order, each with the size and time it has there. `None` otherwise
/// (the catalogue is then loaded, which brings the indexes up to date).
pub fn warm(embedded: bool, paths: &[PathBuf], cache: &Path) -> Option<Warm> {
    let own = match embedded {
        true => Some(Index::open(&embedded_file(cache))?),
        false => None,
    };
    let indexes: Vec<Index> = paths
        .iter()
        .map(|p| Index::open(&file_for(cache, p)))
        .collect::<Option<_>>()?;
    match replay(paths, &indexes) {
        Replay::Current => {
            return Some(Warm {
                embedded: own.is_some(),
                indexes: own.into_iter().chain(indexes).collect(),
                diagnostics: Vec::new(),
            });
        }
        Replay::Changed => return None,
        Replay::Unsure => {}
    }
    let mut listings: Vec<Listings> = indexes.iter().map(|i| listings(Some(i))).collect();
    let mut diagnostics = Vec::new();
    let (found, ranges) = load::discover_each(paths, &mut listings, &mut diagnostics);
    for ((range, walked), index) in ranges.into_iter().zip(&listings).zip(&indexes) {
        let data = index.data();
        if walked.visited.iter().any(|v| v.read)
            || data.dirs.len() != walked.visited.len()
            || data.files.len() != range.len()
        {
            return None;
        }
        for (input, entry) in found[range].iter().zip(data.files.iter()) {
            let (path, stamp) = kept_file(input)?;
            if entry.path.as_str() != path.display().to_string() || !entry.is_current(stamp) {
                return None;
            }
        }
    }
    Some(Warm {
        embedded: own.is_some(),
        indexes: own.into_iter().chain(indexes).collect(),
        diagnostics,
    })
}

/// What the `stat`s of what the indexes name tell of a walk of their sources (`replay`).
#[derive(Debug, PartialEq)]
enum Replay {
    /// The walk would only replay the indexes: every directory and file an index names is there, as the
    /// index has it (a directory's change time, a file's size and time), each listed entry gave one of them,
    /// and nothing is reached twice. It would read no directory and find these files in this order, without
    /// a diagnostic.
    Current,
    /// Something an index names is gone or changed: the walk would find a directory to read again or a file
    /// not as indexed, so the indexes are not current.
    Changed,
    /// The `stat`s cannot tell (an entry gave nothing, sources overlap, a thing was left out of an index as
    /// it changed while written): the walk decides.
    Unsure,
}

/// Tells from `stat`s alone whether a walk of `paths` would only replay their indexes, so that it is spared
/// (its maps of paths cost more than the `stat`s: a quarter of a warm lookup on the deadends corpus), or
/// that the indexes are stale, so that it is not done twice (here, then by the load).
#[cfg(unix)]
fn replay(paths: &[PathBuf], indexes: &[Index]) -> Replay {
    use rayon::prelude::*;
    use std::os::unix::fs::MetadataExt;
    let mut seen = std::collections::HashSet::new();
    let mut unsure = false;
    for (root, index) in paths.iter().zip(indexes) {
        let data = index.data();
        // Each directory and file but the walk's start came from one listed entry: an entry that gave
        // nothing (a link to somewhere reached already, a dangling one) or a thing left out of the index
        // breaks the count.
        let listed: usize = data.dirs.iter().map(|d| d.entries.len()).sum();
        let start = (data.dirs.first().map(|d| d.path.as_str()))
            .or_else(|| data.files.first().map(|f| f.path.as_str()));
        if listed + 1 != data.dirs.len() + data.files.len()
            || start != Some(root.display().to_string().as_str())
        {
            unsure = true;
        }
        let dirs = data.dirs.par_iter().with_min_len(64).map(|d| {
            let meta = std::fs::metadata(d.path.as_str()).ok()?;
            let modified = (d.modified.0.to_native(), d.modified.1.to_native());
            (meta.is_dir() && load::changed(&meta) == Some(modified))
                .then(|| (meta.dev(), meta.ino()))
        });
        let files = data.files.par_iter().with_min_len(64).map(|f| {
            let meta = std::fs::metadata(f.path.as_str()).ok()?;
            (meta.is_file() && f.is_current(load::stamp(&meta))).then(|| (meta.dev(), meta.ino()))
        });
        let Some(found) = dirs.chain(files).collect::<Option<Vec<_>>>() else {
            return Replay::Changed;
        };
        if !found.into_iter().all(|id| seen.insert(id)) {
            unsure = true;
        }
    }
    match unsure {
        true => Replay::Unsure,
        false => Replay::Current,
    }
}

#[cfg(not(unix))]
fn replay(_: &[PathBuf], _: &[Index]) -> Replay {
    Replay::Unsure
}

/// The index file of the embedded catalogue, named by a hash of its seeds, the index format and the errdex
/// version: a binary built from other seeds, or another errdex installed beside this one, has its own (two
/// sharing one would each find the other's foreign and rebuild it at every run).
pub fn embedded_file(dir: &Path) -> PathBuf {
    let seeds = super::embedded::SEEDS_HASH;
    let version = env!("CARGO_PKG_VERSION");
    dir.join(format!("embedded-{seeds:016x}-{FORMAT}-{version}.idx"))
}

/// Writes the index of the embedded catalogue from what loading it gave (`parsed`, one an embedded input),
/// unless a good one is there: a damaged or foreign one is replaced, or every run would parse the seeds.
pub fn write_embedded(dir: &Path, parsed: &[Chunked]) {
    let file = embedded_file(dir);
    if Index::open(&file).is_some() {
        return;
    }
    let files = super::embedded::SEEDS
        .iter()
        .zip(parsed)
        .map(|((name, text, _), parsed)| {
            let records = Records::Built {
                entries: index_write::record_entries(parsed),
                diagnostics: index_write::diagnostic_entries(parsed).collect(),
            };
            file_source(name.to_string(), text.len() as u64, (0, 0), records)
        })
        .collect();
    let _ = index_write::write(&file, files, Vec::new());
}

/// The records of a file left in its index entry, to be built when read (see `catalog::shelf`).
pub struct Unbuilt {
    pub index: Arc<Index>,
    /// The file's place in the index.
    pub file: usize,
    pub len: usize,
    /// Where the records' details are.
    pub bytes: Bytes,
    /// The file's name in positions.
    pub name: Arc<str>,
}

/// How many records a file has at least for them to stay in the index until read: fewer are built at once
/// (the catalogue would copy them anyway, see `catalog::shelf`).
pub const UNBUILT_FROM: usize = 1_024;

/// What loading an input gives: its records parsed or built, or left in the index.
pub type Sourced = (Chunked, Option<Unbuilt>);

/// The records and diagnostics of a file as its index entry holds them (in `index`, at `file` there). A
/// large file's records stay entries of the index, built when first read.
fn from_entry(
    path: &Path,
    entry: &ArchivedFileEntry,
    index: Option<(&Arc<Index>, usize)>,
) -> Sourced {
    let name: Arc<str> = path.display().to_string().into();
    let bytes = Bytes::File(Arc::from(path));
    let diagnostics = entry.diagnostics();
    let n = entry.record_count();
    if let Some((index, file)) = index
        && n >= UNBUILT_FROM
    {
        let chunked = Chunked {
            chunks: Vec::new(),
            diagnostics,
            facts: Vec::new(),
        };
        let unbuilt = Unbuilt {
            index: index.clone(),
            file,
            len: n,
            bytes,
            name,
        };
        return (chunked, Some(unbuilt));
    }
    let mut facts = Vec::with_capacity(n);
    let chunks = (0..n)
        .step_by(load::CHUNK)
        .map(|from| {
            (from..(from + load::CHUNK).min(n))
                .map(|i| {
                    let (r, at, known) = entry.loaded(&bytes, &name, i);
                    facts.push(Some(known));
                    (r, at)
                })
                .collect::<Chunk>()
        })
        .collect();
    let chunked = Chunked {
        chunks,
        diagnostics,
        facts,
    };
    (chunked, None)
}

/// The record an entry holds, its details left in `file` until read.
impl ArchivedRecordEntry {
    /// The record the entry holds, details left in `file` until read.
    pub fn record(&self, file: &Bytes) -> Record {
        record_in(self, file)
    }

    /// What is known of the record's regex: `None` when it does not parse.
    pub fn facts(&self) -> Option<RegexFacts> {
        self.required.as_ref().map(|required| RegexFacts {
            required: required.as_ref().map(|r| {
                r.iter()
                    .map(|b| b.iter().map(|l| l.to_vec()).collect())
                    .collect()
            }),
            literalness: self.literalness.to_native(),
        })
    }

    /// Where the record starts in its file (named `name`).
    pub fn position(&self, name: &Arc<str>) -> Position {
        Position {
            path: name.clone(),
            line: self.line.to_native() as usize,
            column: self.column.to_native() as usize,
        }
    }
}

fn record_in(e: &ArchivedRecordEntry, file: &Bytes) -> Record {
    let mut r = record_of(e);
    if let Some(range) = e.text.as_ref() {
        r.details_from(Source {
            bytes: file.clone(),
            start: range.0.to_native() as usize,
            end: range.1.to_native() as usize,
            file_offset: 0,
            parse: load::reparse,
        });
    }
    r
}

/// The record an entry holds, without its details.
fn record_of(e: &ArchivedRecordEntry) -> Record {
    let text = |s: &rkyv::Archived<Option<String>>| s.as_ref().map(|s| s.to_string());
    let mut r = Record::new(e.id.as_str(), e.signature.as_str(), e.regex.as_str());
    r.signature_zh = text(&e.signature_zh);
    r.domain = text(&e.domain);
    r.category = text(&e.category);
    r.subcategory = text(&e.subcategory);
    r.verification_tier = text(&e.verification_tier);
    r.confidence = e.confidence.as_ref().map(|c| c.to_native());
    r.fix_success_rate = e.fix_success_rate.as_ref().map(|c| c.to_native());
    r.last_updated = text(&e.last_updated);
    r.aliases = e.aliases.iter().map(|a| a.to_string()).collect();
    r.environment = RecordEnvironment::from_text(e.environment.as_str()).unwrap_or_default();
    r.format = if e.canon { Format::Canon } else { Format::Seed };
    r
}

/// What an entry says of a record's regex, as `Chunked::facts` holds it.
fn facts_of(e: &RecordEntry) -> Option<Option<RegexFacts>> {
    Some(e.required.as_ref().map(|required| RegexFacts {
        required: required.clone(),
        literalness: e.literalness,
    }))
}

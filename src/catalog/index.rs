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
//! The index is rkyv data behind a header (magic, format number, length, checksum): a truncated, damaged or
//! foreign file fails the header, its length or its checksum and is ignored (then rebuilt), never read; one
//! written by another errdex version is ignored too. It is written to a temporary file and renamed over the
//! old one, so a crash or a concurrent errdex never sees half an index, and a mapped index is never changed
//! in place.

use super::diagnostic::{Diagnostic, Position, Severity};
use super::environment::RecordEnvironment;
use super::load::{self, Chunk, Chunked, Input, Options};
use super::load::{Listings, Modified, Visited};
use super::record::{Bytes, Format, Inline, Record, Source};
use super::regex_facts::{self, RegexFacts};
use super::tables::{self, LookupTables};
use rkyv::rancor;
use std::collections::HashMap;
use std::hash::BuildHasher;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// Changes whenever what the index holds, or how it is read, changes.
pub const FORMAT: u32 = 7;
const MAGIC: &[u8; 8] = b"ERRDEXIX";
/// Magic, format, reserved, payload length, checksum.
const HEADER: usize = 32;

#[derive(rkyv::Archive, rkyv::Serialize, rkyv::Deserialize, Debug, Clone, PartialEq)]
pub struct IndexData {
    /// The errdex version that wrote it.
    pub version: String,
    pub files: Vec<FileEntry>,
    pub dirs: Vec<DirEntry>,
    /// What a lookup reads of the whole source (`tables`).
    pub tables: LookupTables,
}

/// A directory as last read: its entries that the walk visits (name, whether to walk into it).
#[derive(rkyv::Archive, rkyv::Serialize, rkyv::Deserialize, Debug, Clone, PartialEq)]
pub struct DirEntry {
    pub path: String,
    pub modified: (i64, u32),
    pub entries: Vec<(String, bool)>,
}

/// How close to the index's writing a change can be and still be trusted to show in a file's time (file
/// systems keep times in ticks of up to 2 s).
const RACY: std::time::Duration = std::time::Duration::from_secs(2);

#[derive(rkyv::Archive, rkyv::Serialize, rkyv::Deserialize, Debug, Clone, PartialEq)]
pub struct FileEntry {
    pub path: String,
    pub size: u64,
    pub modified: (i64, u32),
    pub diagnostics: Vec<DiagnosticEntry>,
    pub records: Vec<RecordEntry>,
}

#[derive(rkyv::Archive, rkyv::Serialize, rkyv::Deserialize, Debug, Clone, PartialEq)]
pub struct DiagnosticEntry {
    pub line: u64,
    pub column: u64,
    pub error: bool,
    pub message: String,
}

/// A record: its inline fields (`Record::inline`), where it is, and what its regex requires.
#[derive(rkyv::Archive, rkyv::Serialize, rkyv::Deserialize, Debug, Clone, PartialEq)]
pub struct RecordEntry {
    pub id: String,
    pub signature: String,
    pub signature_zh: Option<String>,
    pub regex: String,
    pub domain: Option<String>,
    pub category: Option<String>,
    pub subcategory: Option<String>,
    pub verification_tier: Option<String>,
    pub confidence: Option<f64>,
    pub fix_success_rate: Option<f64>,
    pub last_updated: Option<String>,
    pub aliases: Vec<String>,
    /// As `RecordEnvironment::to_text` writes it.
    pub environment: String,
    pub canon: bool,
    pub line: u64,
    pub column: u64,
    /// Where the record's text is in its file, when it has details.
    pub text: Option<(u64, u64)>,
    /// `None` when the regex does not parse.
    pub required: Option<Option<Vec<Vec<Vec<u8>>>>>,
    pub literalness: f64,
}

/// The index file of a catalogue source, named by a hash of its absolute path.
pub fn file_for(dir: &Path, source: &Path) -> PathBuf {
    let absolute = std::path::absolute(source).unwrap_or_else(|_| source.to_path_buf());
    let hash = foldhash::quality::FixedState::with_seed(0x5eed).hash_one(absolute.as_os_str());
    dir.join(format!("{hash:016x}.idx"))
}

/// How many bytes the index files of `paths` in `cache` take (those that exist): what loading them costs
/// grows with it, and a `stat` each tells it.
pub fn size_of(paths: &[PathBuf], cache: &Path) -> u64 {
    (paths.iter())
        .filter_map(|p| std::fs::metadata(file_for(cache, p)).ok())
        .map(|m| m.len())
        .sum()
}

/// Lets go of a range of a mapped index's pages.
fn let_go(map: &memmap2::Mmap, range: std::ops::Range<usize>) {
    // SAFETY: the mapping is read-only and never written, so a page let go is read again from the file,
    // unchanged (index files are replaced by a rename, never written in place).
    let _ = unsafe {
        map.unchecked_advise_range(memmap2::UncheckedAdvice::DontNeed, range.start, range.len())
    };
}

/// An index file read and validated, mapped in memory.
pub struct Index {
    map: memmap2::Mmap,
}

impl Index {
    /// Opens and validates an index; `None` (to be rebuilt) for anything that is not a whole, intact index
    /// of this format and version.
    pub fn open(path: &Path) -> Option<Index> {
        let file = std::fs::File::open(path).ok()?;
        // SAFETY: index files are only ever replaced by a rename, never written in place, so the mapped
        // bytes do not change under us; everything read from them is validated first.
        let map = unsafe { memmap2::Mmap::map(&file) }.ok()?;
        // The checksum reads the whole file; what was read is let go as it goes (the pages stay in the page
        // cache), so a command holds only the pages it then uses: a lookup at 1,000,000 records reads a few
        // megabytes of a 530 MB index.
        validate_with(&map, |range| let_go(&map, range))?;
        Some(Index { map })
    }

    /// Lets go of the pages read so far (they stay in the page cache, and are read again if used): what was
    /// copied out of the index no longer counts as the process's memory. Reading a record's entry maps the
    /// page cache's large folio around it whole: up to 2 MB a record at 1,000,000 records.
    pub fn let_go(&self) {
        let_go(&self.map, 0..self.map.len());
    }

    /// Its files by path, for finding the entry of a file found on disk.
    pub fn files(&self) -> HashMap<&str, &ArchivedFileEntry, foldhash::fast::RandomState> {
        self.data()
            .files
            .iter()
            .map(|f| (f.path.as_str(), f))
            .collect()
    }

    pub fn data(&self) -> &ArchivedIndexData {
        // SAFETY: `open` validated these bytes, and a mapped index is never changed in place.
        unsafe { rkyv::access_unchecked::<ArchivedIndexData>(&self.map[HEADER..]) }
    }
}

/// The archived data of a whole index file, if its header, length, checksum and version are right.
pub fn validate(bytes: &[u8]) -> Option<&ArchivedIndexData> {
    validate_with(bytes, |_| {})
}

/// `validate`, told each range of `bytes` the checksum has read.
fn validate_with(
    bytes: &[u8],
    read: impl FnMut(std::ops::Range<usize>),
) -> Option<&ArchivedIndexData> {
    if bytes.len() < HEADER || &bytes[..8] != MAGIC {
        return None;
    }
    let word = |at: usize| u64::from_le_bytes(bytes[at..at + 8].try_into().expect("8 bytes"));
    let format = u32::from_le_bytes(bytes[8..12].try_into().expect("4 bytes"));
    let payload = &bytes[HEADER..];
    let reserved = u32::from_le_bytes(bytes[12..16].try_into().expect("4 bytes"));
    if format != FORMAT
        || reserved != 0
        || word(16) != payload.len() as u64
        || word(24) != checksum_with(payload, HEADER, read)
    {
        return None;
    }
    if !(payload.as_ptr() as usize).is_multiple_of(std::mem::align_of::<ArchivedIndexData>()) {
        return None;
    }
    // SAFETY: the payload is whole and unchanged since an errdex of this index format serialized it with
    // rkyv (its length and its checksum match), and it is aligned. rkyv's own validation checks every string
    // again, which took 40% of a search over 100,000 records (the issue allows "validated or checksummed").
    let data = unsafe { rkyv::access_unchecked::<ArchivedIndexData>(payload) };
    (data.version.as_str() == env!("CARGO_PKG_VERSION")).then_some(data)
}

fn checksum(payload: &[u8]) -> u64 {
    checksum_with(payload, 0, |_| {})
}

/// The checksum of `payload`, read in chunks; `read` is told each chunk's range once read, offset by `at`.
fn checksum_with(payload: &[u8], at: usize, mut read: impl FnMut(std::ops::Range<usize>)) -> u64 {
    use std::hash::Hasher;
    const CHUNK: usize = 16 << 20;
    let mut hasher = foldhash::quality::FixedState::with_seed(FORMAT as u64).build_hasher();
    for (i, chunk) in payload.chunks(CHUNK).enumerate() {
        hasher.write(chunk);
        read(at + i * CHUNK..at + i * CHUNK + chunk.len());
    }
    hasher.finish()
}

/// The bytes of an index file holding `data`.
pub fn encode(data: &IndexData) -> Vec<u8> {
    let payload = rkyv::to_bytes::<rancor::Error>(data).expect("serializing to memory");
    let mut out = Vec::with_capacity(HEADER + payload.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&FORMAT.to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(&(payload.len() as u64).to_le_bytes());
    out.extend_from_slice(&checksum(&payload).to_le_bytes());
    out.extend_from_slice(&payload);
    out
}

/// Writes an index through a temporary file renamed into place. Failing is harmless (the next run parses
/// again), so errors are only returned.
pub fn write(path: &Path, data: &IndexData) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    // Named for this process and moment: two errdex processes never write the same temporary file.
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let tmp = path.with_extension(format!("tmp.{}.{nanos}", std::process::id()));
    let written = std::fs::write(&tmp, encode(data)).and_then(|()| std::fs::rename(&tmp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

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
    use rayon::prelude::*;
    /// Where an input's records came from.
    enum From {
        Index(String),
        Parsed(Option<FileEntry>),
        /// Not a file the index keeps (a pipe).
        Elsewhere,
    }
    let results: Vec<(Sourced, From)> = inputs
        .par_iter()
        .map(|input| {
            let Some((path, stamp)) = kept_file(input) else {
                return ((load::parse_one(input, options), None), From::Elsewhere);
            };
            let name = path.display().to_string();
            if let Some(&(k, entry)) = known.get(name.as_str())
                && entry.is_current(stamp)
            {
                let at = index.as_ref().map(|i| (i, k));
                return (from_entry(path, entry, at), From::Index(name));
            }
            let mut parsed = load::parse_one(input, options);
            let entry = stamp.map(|(size, modified)| to_entry(name, size, modified, &parsed));
            // The regexes were just analysed for the index: lookup need not parse them again.
            if let Some(entry) = &entry {
                parsed.facts = entry.records.iter().map(facts_of).collect();
            }
            ((parsed, None), From::Parsed(entry))
        })
        .collect();
    let from_index = results
        .iter()
        .filter(|r| matches!(r.1, From::Index(_)))
        .count();
    let parsed = results.iter().any(|r| matches!(r.1, From::Parsed(_)));
    let dirs_changed = walked.visited.iter().any(|v| v.read)
        || index
            .as_ref()
            .is_some_and(|i| i.data().dirs.len() != walked.visited.len());
    let rewrite = index.is_none() || parsed || dirs_changed || from_index != known.len();
    let mut files = Vec::with_capacity(if rewrite { results.len() } else { 0 });
    let mut out = Vec::with_capacity(results.len());
    // What changed just before now may change again within the same tick of the file system's clock.
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let settled = |modified: (i64, u32)| {
        modified.0 < 0 || std::time::Duration::new(modified.0 as u64, modified.1) + RACY < now
    };
    for (chunked, from) in results {
        out.push(chunked);
        if !rewrite {
            continue;
        }
        // The index rebuilt from what is current: kept entries deserialized, new ones as built.
        match from {
            From::Parsed(Some(entry)) if settled(entry.modified) => files.push(entry),
            From::Index(name) => {
                if let Some((_, old)) = known.get(name.as_str())
                    && let Ok(old) = rkyv::deserialize::<FileEntry, rancor::Error>(*old)
                {
                    files.push(old);
                }
            }
            _ => {}
        }
    }
    if rewrite {
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
        drop(index);
        let index_path = index_path.to_path_buf();
        write_soon(move || {
            let data = IndexData {
                version: env!("CARGO_PKG_VERSION").to_string(),
                tables: tables_of(&files),
                files,
                dirs,
            };
            let _ = write(&index_path, &data);
        });
    }
    out
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

    /// How many of the file's diagnostics are errors.
    pub fn errors(&self) -> usize {
        self.diagnostics.iter().filter(|d| d.error).count()
    }

    /// Its record `i` (in file order), details left in the file at `path` until read.
    pub fn record(&self, path: &Path, i: usize) -> Option<Record> {
        Some(record_in(
            self.records.get(i)?,
            &Bytes::File(Arc::from(path)),
        ))
    }

    /// Its record `i` as loading gives it: the record (details left in `file`, the file's bytes or the
    /// file itself), where it starts, and what is known of its regex.
    pub fn loaded(
        &self,
        file: &Bytes,
        name: &Arc<str>,
        i: usize,
    ) -> (Record, Position, Option<RegexFacts>) {
        let e = &self.records[i];
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
    let files: Vec<FileEntry> = super::embedded::SEEDS
        .iter()
        .zip(parsed)
        .map(|((name, text, _), parsed)| {
            to_entry(name.to_string(), text.len() as u64, (0, 0), parsed)
        })
        .collect();
    let data = IndexData {
        version: env!("CARGO_PKG_VERSION").to_string(),
        tables: tables_of(&files),
        files,
        dirs: Vec::new(),
    };
    let _ = write(&file, &data);
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
    let n = entry.records.len();
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

/// The lookup tables of a source whose files are `files`.
fn tables_of(files: &[FileEntry]) -> LookupTables {
    LookupTables::build(files.iter().enumerate().flat_map(|(f, file)| {
        file.records
            .iter()
            .enumerate()
            .map(move |(i, r)| tables::Entry {
                at: (f as u32, i as u32),
                id: &r.id,
                required: r.required.as_ref().map(Option::as_ref),
                signature: &r.signature,
                aliases: &r.aliases,
                environment: &r.environment,
            })
    }))
}

/// The index entry of a freshly parsed file.
fn to_entry(path: String, size: u64, modified: (i64, u32), parsed: &Chunked) -> FileEntry {
    use rayon::prelude::*;
    let records = parsed
        .chunks
        .par_iter()
        .flat_map_iter(|chunk| chunk.iter().map(|(r, at)| record_entry(r, at)))
        .collect();
    FileEntry {
        path,
        size,
        modified,
        diagnostics: parsed
            .diagnostics
            .iter()
            .map(|d| DiagnosticEntry {
                line: d.line as u64,
                column: d.column as u64,
                error: d.severity == Severity::Error,
                message: d.message.clone(),
            })
            .collect(),
        records,
    }
}

fn record_entry(r: &Record, at: &Position) -> RecordEntry {
    let facts = regex_facts::facts(&r.regex);
    // Whole, so that a field added to `Inline` fails to compile until it is kept here.
    let Inline {
        id,
        signature,
        signature_zh,
        regex,
        domain,
        category,
        subcategory,
        verification_tier,
        confidence,
        fix_success_rate,
        last_updated,
        aliases,
        environment,
        format,
    } = r.inline();
    let own = |s: Option<&str>| s.map(str::to_string);
    RecordEntry {
        id: id.to_string(),
        signature: signature.to_string(),
        signature_zh: own(signature_zh),
        regex: regex.to_string(),
        domain: own(domain),
        category: own(category),
        subcategory: own(subcategory),
        verification_tier: own(verification_tier),
        confidence,
        fix_success_rate,
        last_updated: own(last_updated),
        aliases: aliases.to_vec(),
        environment: environment.to_text(),
        canon: format == Format::Canon,
        line: at.line as u64,
        column: at.column as u64,
        text: r.text_range(),
        literalness: facts.as_ref().map_or(0.0, |f| f.literalness),
        required: facts.map(|f| f.required),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn sample() -> Vec<u8> {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("c.jsonl");
        let mut text = Vec::new();
        crate::synth::write(&mut text, 40, 3, false).unwrap();
        std::fs::write(&path, text).unwrap();
        let input = Input::File {
            path: path.clone(),
            layout: super::super::source::Layout::JsonLines,
            pipe: false,
            stamp: None,
        };
        let parsed = load::parse_one(&input, &Options::default());
        let (size, modified) = stamp(&path).unwrap();
        let files = vec![to_entry(
            path.display().to_string(),
            size,
            modified,
            &parsed,
        )];
        encode(&IndexData {
            version: env!("CARGO_PKG_VERSION").into(),
            tables: tables_of(&files),
            files,
            dirs: Vec::new(),
        })
    }

    #[test]
    fn an_index_reads_back_what_was_written() {
        let bytes = sample();
        let data = validate(&bytes).expect("valid");
        assert_eq!(data.files.len(), 1);
        assert_eq!(data.files[0].records.len(), 40);
    }

    /// An index written by another errdex version is never read, even when intact.
    #[test]
    fn an_index_of_another_version_is_ignored() {
        let bytes = sample();
        let mut data = rkyv::deserialize::<IndexData, rancor::Error>(validate(&bytes).unwrap())
            .expect("deserialize");
        data.version = "0.0.0-another".into();
        assert!(validate(&encode(&data)).is_none());
        let mut other_format = bytes.clone();
        other_format[8] ^= 1;
        assert!(validate(&other_format).is_none());
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Random bytes never pass for an index, and never panic.
        #[test]
        fn random_bytes_are_never_accepted(bytes in proptest::collection::vec(any::<u8>(), 0..4096),
                                           magic in any::<bool>()) {
            let mut bytes = bytes;
            if magic && bytes.len() >= HEADER {
                // Even behind a right magic and format number.
                bytes[..8].copy_from_slice(MAGIC);
                bytes[8..12].copy_from_slice(&FORMAT.to_le_bytes());
            }
            prop_assert!(validate(&bytes).is_none());
        }

        /// A valid index cut anywhere, or with one byte changed, is never accepted, and never panics.
        #[test]
        fn damaged_indexes_are_never_accepted(cut in 0.0f64..1.0, flip in 0.0f64..1.0, bit in 0u8..8) {
            let bytes = sample();
            let at = ((bytes.len() as f64) * cut) as usize;
            prop_assert!(validate(&bytes[..at]).is_none());
            let mut changed = bytes.clone();
            let at = ((bytes.len() as f64) * flip) as usize;
            changed[at] ^= 1 << bit;
            prop_assert!(validate(&changed).is_none());
        }
    }
}

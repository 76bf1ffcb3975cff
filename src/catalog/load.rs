//! Finding catalogue files and reading them: directories recursively in name order, symlinks followed but
//! never in a loop, only regular files, none over the size cap. Files parse in parallel; results merge in
//! file order, so the outcome does not depend on timing.

use super::diagnostic::{Diagnostic, Position};
use super::embedded::Prebuilt;
use super::error::{ReadError, io_reason};
use super::lean::{self, Lean};
use super::parse;
use super::record::{Bytes, Record, Source};
use super::regex_facts::RegexFacts;
use super::source::{self, Layout, Pieces, Text};
use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::HashSet;
use std::fs;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// JSON documents larger than this are refused: one document is parsed whole, so memory must stay bounded.
/// JSONL files have no cap: they are read in parts of whole lines (`MAX_LINE_BYTES` a line).
pub const MAX_FILE_BYTES: u64 = 1024 * 1024 * 1024;

/// A JSONL line longer than this is skipped with an error naming it.
pub const MAX_LINE_BYTES: usize = 64 * 1024 * 1024;

/// How much of a JSONL file is read and parsed at a time (whole lines; more when one line is longer).
const JSONL_PART: usize = 64 * 1024 * 1024;

/// A catalogue file found on disk or compiled into the binary.
pub enum Input {
    Embedded {
        name: &'static str,
        text: &'static str,
        /// What the build read of it; `None` when it could not (the file is then read the usual way).
        prebuilt: Option<&'static Prebuilt>,
    },
    File {
        path: PathBuf,
        layout: Layout,
        /// Named on the command line and a pipe: read as a stream (see `is_pipe`).
        pipe: bool,
        /// Its size and modification time when found (what the persistent index is keyed by), so it is not
        /// asked for twice.
        stamp: Option<Stamp>,
    },
}

/// What one input gave: its records with their positions, and its problems.
pub struct Parsed {
    pub records: Vec<(Record, Position)>,
    pub diagnostics: Vec<Diagnostic>,
}

/// `Parsed`, its records in the chunks they were parsed in: a catalogue keeps a long chunk as it is and copies
/// a short one, so a large file's records are not held twice.
pub struct Chunked {
    pub chunks: Vec<Chunk>,
    pub diagnostics: Vec<Diagnostic>,
    /// What is known of each record's regex, record for record (all chunks in order), when the build knew it
    /// (`embedded::Facts::get`); empty otherwise.
    pub facts: Vec<Option<Option<RegexFacts>>>,
}

/// Records parsed together, and where each starts: two vectors, so that a catalogue can keep the records'
/// vector as it is (see `catalog::shelf`).
#[derive(Debug, Default)]
pub struct Chunk {
    pub records: Vec<Record>,
    pub at: Vec<Position>,
}

impl Chunk {
    pub fn with_capacity(n: usize) -> Chunk {
        Chunk {
            records: Vec::with_capacity(n),
            at: Vec::with_capacity(n),
        }
    }

    pub fn push(&mut self, (record, at): (Record, Position)) {
        self.records.push(record);
        self.at.push(at);
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&Record, &Position)> {
        self.records.iter().zip(&self.at)
    }
}

impl FromIterator<(Record, Position)> for Chunk {
    fn from_iter<I: IntoIterator<Item = (Record, Position)>>(iter: I) -> Chunk {
        let iter = iter.into_iter();
        let mut chunk = Chunk::with_capacity(iter.size_hint().0);
        iter.for_each(|pair| chunk.push(pair));
        chunk
    }
}

impl IntoIterator for Chunk {
    type Item = (Record, Position);
    type IntoIter = std::iter::Zip<std::vec::IntoIter<Record>, std::vec::IntoIter<Position>>;

    fn into_iter(self) -> Self::IntoIter {
        self.records.into_iter().zip(self.at)
    }
}

/// Records parsed in one piece of work, and so kept together until they move into a catalogue.
pub const CHUNK: usize = 8_192;

/// Expands command-line paths into the files to read, in a deterministic order. A file or directory named
/// twice, or reached again through a link, is read once.
pub fn discover(paths: &[PathBuf], diagnostics: &mut Vec<Diagnostic>) -> Vec<Input> {
    let mut listings: Vec<Listings> = paths.iter().map(|_| Listings::default()).collect();
    discover_each(paths, &mut listings, diagnostics).0
}

/// What a walk knows ahead and what it found, for one command-line path: the persistent index fills `known`
/// and `meta` (see `index`) and keeps `visited`.
#[derive(Default)]
pub struct Listings {
    /// Directories as last listed: when they last changed (`changed`) and their entries (name, whether to walk
    /// into it). A directory that has not changed since has the same entries, and is not read again.
    pub known: PathMap<(Modified, Vec<(std::ffi::OsString, bool)>)>,
    /// Metadata already fetched (in parallel) for paths the index names, or by `prefetch`.
    pub meta: PathMap<fs::Metadata>,
    /// Directories already read from disk (in parallel) by `prefetch`: their entries as `list` keeps them.
    pub read: PathMap<Vec<(std::ffi::OsString, bool)>>,
    /// Every directory the walk went through, with its time and entries.
    pub visited: Vec<Visited>,
}

/// Paths to what is known of them, hashed fast (std's SipHash over thousands of long paths took milliseconds).
pub type PathMap<T> = std::collections::HashMap<PathBuf, T, foldhash::fast::RandomState>;

/// A directory the walk went through.
pub struct Visited {
    pub path: PathBuf,
    pub modified: Modified,
    pub entries: Vec<(std::ffi::OsString, bool)>,
    /// Read from disk, not known from the index.
    pub read: bool,
}

/// A modification time: seconds and nanoseconds since the epoch (negative before it).
pub type Modified = (i64, u32);

/// `discover`, with the range of the files each path gave; `listings` holds one `Listings` a path.
pub fn discover_each(
    paths: &[PathBuf],
    listings: &mut [Listings],
    diagnostics: &mut Vec<Diagnostic>,
) -> (Vec<Input>, Vec<std::ops::Range<usize>>) {
    let mut found = Vec::new();
    let mut visited = HashSet::new();
    let mut ranges = Vec::with_capacity(paths.len());
    for (path, listing) in paths.iter().zip(listings) {
        let start = found.len();
        if listing.known.is_empty() && listing.meta.is_empty() {
            prefetch(path, listing, PREFETCH_MAX);
        }
        let mut walk = Walk {
            visited: &mut visited,
            listing,
            found: &mut found,
            diagnostics,
        };
        walk.visit(path, true);
        ranges.push(start..found.len());
    }
    (found, ranges)
}

/// What identifies a file or directory however it is reached: its device and inode. The walk costs one
/// `stat` an entry, where resolving every directory's real path read every ancestor's link again (time
/// cubic in the depth: 2,000 nested levels took over 30 s).
#[cfg(unix)]
fn identity(_: &Path, meta: &fs::Metadata) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.dev(), meta.ino()))
}

/// Elsewhere the real path stands in for the inode.
#[cfg(not(unix))]
fn identity(path: &Path, _: &fs::Metadata) -> Option<PathBuf> {
    fs::canonicalize(path).ok()
}

#[cfg(unix)]
type Identity = (u64, u64);
#[cfg(not(unix))]
type Identity = PathBuf;

/// One command-line path's walk.
struct Walk<'a> {
    /// Across paths: what was reached already.
    visited: &'a mut HashSet<Identity>,
    listing: &'a mut Listings,
    found: &'a mut Vec<Input>,
    diagnostics: &'a mut Vec<Diagnostic>,
}

impl Walk<'_> {
    fn visit(&mut self, path: &Path, named: bool) {
        // `metadata` follows symlinks; a loop or a dangling link fails here instead of recursing.
        let meta = match self
            .listing
            .meta
            .remove(path)
            .map_or_else(|| fs::metadata(path), Ok)
        {
            Ok(m) => m,
            Err(e) => {
                let why = if fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink()) {
                    format!("cannot follow symlink: {}", io_reason(&e))
                } else {
                    io_reason(&e)
                };
                let display: Arc<str> = path.display().to_string().into();
                self.diagnostics
                    .push(Diagnostic::error(&Position::file(&display), why));
                return;
            }
        };
        if meta.is_dir() {
            // A directory reached twice (through a symlink to an ancestor, say) is read once.
            if !identity(path, &meta).is_some_and(|id| self.visited.insert(id)) {
                return;
            }
            let Some(entries) = self.list(path, &meta) else {
                return;
            };
            for (name, _) in &entries {
                self.visit(&path.join(name), false);
            }
        } else if let Some(layout) = layout_of(path).or(named.then_some(Layout::Json)) {
            if meta.is_file() && !identity(path, &meta).is_some_and(|id| self.visited.insert(id)) {
                return;
            }
            self.found.push(Input::File {
                path: path.to_path_buf(),
                layout,
                pipe: named && is_pipe(&meta),
                stamp: stamp(&meta),
            });
        }
    }

    /// A directory's entries to visit, in name order: hidden ones and files that are not catalogues left
    /// out. From the index when the directory's time is what it was; otherwise read.
    fn list(
        &mut self,
        path: &Path,
        meta: &fs::Metadata,
    ) -> Option<Vec<(std::ffi::OsString, bool)>> {
        let modified = changed(meta);
        if let Some(modified) = modified
            && let Some((known, entries)) = self.listing.known.remove(path)
            && known == modified
        {
            self.listing.visited.push(Visited {
                path: path.to_path_buf(),
                modified,
                entries: entries.clone(),
                read: false,
            });
            return Some(entries);
        }
        let entries = match self
            .listing
            .read
            .remove(path)
            .map_or_else(|| entries(path), Ok)
        {
            Ok(entries) => entries,
            Err(e) => {
                let display: Arc<str> = path.display().to_string().into();
                self.diagnostics
                    .push(Diagnostic::error(&Position::file(&display), io_reason(&e)));
                return None;
            }
        };
        if let Some(modified) = modified {
            self.listing.visited.push(Visited {
                path: path.to_path_buf(),
                modified,
                entries: entries.clone(),
                read: true,
            });
        }
        Some(entries)
    }
}

/// A directory's entries to visit, in name order: hidden ones and files that are not catalogues left out.
fn entries(path: &Path) -> std::io::Result<Vec<(std::ffi::OsString, bool)>> {
    let mut entries: Vec<_> = fs::read_dir(path)?
        .filter_map(Result::ok)
        .filter_map(|e| {
            // A symlink's type is its target's, found by the `metadata` of `visit`.
            let walk = e.file_type().is_ok_and(|t| t.is_dir() || t.is_symlink());
            let name = e.file_name();
            let keep = !name.as_encoded_bytes().starts_with(b".")
                && (walk || layout_of(Path::new(&name)).is_some());
            keep.then_some((name, walk))
        })
        .collect();
    entries.sort();
    Ok(entries)
}

/// Reads the directories under `root` and `stat`s what they hold, in parallel, into `listing` (`meta` and
/// `read`): the walk's system calls, which took it 25 ms alone on the deadends corpus (1,661 directories).
/// The walk then goes as before, in order, taking what is here instead of asking the system again; so which
/// path a file reached twice is read by, and every diagnostic, stay as they were. What failed here is not
/// kept: the walk asks again and reports it. A directory is read once however it is reached, as in the walk.
/// Past `max` paths it stops, and the walk asks the system for the rest.
fn prefetch(root: &Path, listing: &mut Listings, max: usize) {
    use std::sync::Mutex;
    #[derive(Default)]
    struct Found {
        meta: PathMap<fs::Metadata>,
        read: PathMap<Vec<(std::ffi::OsString, bool)>>,
        seen: HashSet<Identity>,
    }
    fn visit<'s>(scope: &rayon::Scope<'s>, found: &'s Mutex<Found>, path: PathBuf, max: usize) {
        let Ok(meta) = fs::metadata(&path) else {
            return;
        };
        let id = meta.is_dir().then(|| identity(&path, &meta)).flatten();
        let lock = || found.lock().unwrap_or_else(|e| e.into_inner());
        {
            let mut found = lock();
            if found.meta.len() >= max {
                return;
            }
            let first = id.is_some_and(|id| found.seen.insert(id));
            found.meta.insert(path.clone(), meta);
            if !first {
                return;
            }
        }
        let Ok(entries) = entries(&path) else {
            return;
        };
        let mut files = Vec::new();
        for (name, walk) in &entries {
            let child = path.join(name);
            match walk {
                true => scope.spawn(move |scope| visit(scope, found, child, max)),
                false => files.push(child),
            }
        }
        // A directory of many shards is `stat`ed by both threads too.
        let files: Vec<_> = (files.into_par_iter().with_min_len(256))
            .filter_map(|file| Some((fs::metadata(&file).ok()?, file)))
            .collect();
        let mut found = lock();
        found
            .meta
            .extend(files.into_iter().map(|(meta, file)| (file, meta)));
        found.read.insert(path, entries);
    }
    let found = Mutex::new(Found::default());
    rayon::scope(|scope| visit(scope, &found, root.to_path_buf(), max));
    let found = found.into_inner().unwrap_or_else(|e| e.into_inner());
    listing.meta = found.meta;
    listing.read = found.read;
}

/// How many paths `prefetch` `stat`s at most: each is held until the walk takes it (about 300 bytes), so a
/// source of millions of files would hold hundreds of megabytes; past this, the walk asks the system itself.
const PREFETCH_MAX: usize = 100_000;

/// A file's size and modification time (seconds and nanoseconds since the epoch, negative before it).
pub type Stamp = (u64, (i64, u32));

pub fn stamp(meta: &fs::Metadata) -> Option<Stamp> {
    let modified = meta.modified().ok()?;
    let since = match modified.duration_since(std::time::UNIX_EPOCH) {
        Ok(d) => (d.as_secs() as i64, d.subsec_nanos()),
        Err(e) => (
            -(e.duration().as_secs() as i64),
            e.duration().subsec_nanos(),
        ),
    };
    Some((meta.len(), since))
}

/// When a directory last changed, for its listing in the index: on Unix its status change time, which moves
/// with its modification time (an entry added, removed or renamed) and also when it is made unreadable.
#[cfg(unix)]
pub fn changed(meta: &fs::Metadata) -> Option<Modified> {
    use std::os::unix::fs::MetadataExt;
    Some((meta.ctime(), u32::try_from(meta.ctime_nsec()).ok()?))
}

#[cfg(not(unix))]
pub fn changed(meta: &fs::Metadata) -> Option<Modified> {
    stamp(meta).map(|s| s.1)
}

/// A named pipe (`-c <(curl ...)`, or a FIFO) is read as a stream when it is named on the command line;
/// one met while walking a directory is refused, as nobody may ever write to it.
#[cfg(unix)]
fn is_pipe(meta: &fs::Metadata) -> bool {
    use std::os::unix::fs::FileTypeExt;
    meta.file_type().is_fifo()
}

#[cfg(not(unix))]
fn is_pipe(_: &fs::Metadata) -> bool {
    false
}

/// `.jsonl` (and `.ndjson`) hold one record a line, `.json` one record or an array; other files are not ours.
fn layout_of(path: &Path) -> Option<Layout> {
    let ext = path.extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "json" => Some(Layout::Json),
        "jsonl" | "ndjson" => Some(Layout::JsonLines),
        _ => None,
    }
}

/// Reads and parses every input, in parallel, keeping the inputs' order.
pub fn parse_all(inputs: &[Input], options: &Options) -> Vec<Chunked> {
    inputs.par_iter().map(|i| parse_input(i, options)).collect()
}

/// What loading checks beyond the JSON itself.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Parse every regex and warn about the ones that do not compile. About 5 µs a pattern, most of the load
    /// time of a large catalogue, and useless to a command that never runs a regex (`search`).
    pub check_regexes: bool,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            check_regexes: true,
        }
    }
}

/// Reads and parses one input.
pub fn parse_one(input: &Input, options: &Options) -> Chunked {
    parse_input(input, options)
}

fn parse_input(input: &Input, options: &Options) -> Chunked {
    match input {
        Input::Embedded {
            name,
            text,
            prebuilt: Some(prebuilt),
        } => return parse_prebuilt(&Arc::from(*name), text, prebuilt, options),
        Input::File {
            path,
            layout: Layout::JsonLines,
            pipe,
            ..
        } => return parse_jsonl(path, *pipe, options),
        _ => {}
    }
    match read(input) {
        Ok(Loaded {
            name,
            bytes: Cow::Borrowed(bytes),
            layout,
            ..
        }) => parse_pieces(&name, bytes, None, layout, options),
        Ok(Loaded {
            name,
            bytes: Cow::Owned(bytes),
            layout,
            ..
        }) => {
            let bytes = Arc::new(bytes);
            parse_pieces(&name, &bytes, Some(&bytes), layout, options)
        }
        Err(d) => Chunked {
            chunks: Vec::new(),
            diagnostics: vec![d],
            facts: Vec::new(),
        },
    }
}

/// A JSONL file (or a pipe named on the command line), of any size: read and parsed in parts of whole
/// lines, so only one part is in memory besides the records (and the parts whose records keep their
/// details there). A line over `MAX_LINE_BYTES` is skipped with an error at its number.
fn parse_jsonl(path: &Path, pipe: bool, options: &Options) -> Chunked {
    collected(|each| each_jsonl_part(path, pipe, JSONL_PART, options, each))
}

/// No records, one diagnostic.
fn only(d: Diagnostic) -> Chunked {
    Chunked {
        chunks: Vec::new(),
        diagnostics: vec![d],
        facts: Vec::new(),
    }
}

/// Every part a reading gives (`each_jsonl_part`, `each_part`), in one.
fn collected(read: impl FnOnce(&mut dyn FnMut(Chunked))) -> Chunked {
    let mut out = Chunked {
        chunks: Vec::new(),
        diagnostics: Vec::new(),
        facts: Vec::new(),
    };
    read(&mut |part| {
        out.chunks.extend(part.chunks);
        out.diagnostics.extend(part.diagnostics);
    });
    out
}

#[cfg(test)]
fn parse_jsonl_parts(name: &Arc<str>, parts: JsonlParts<impl Read>, options: &Options) -> Chunked {
    collected(|each| each_part(name, parts, options, each))
}

/// A JSONL file read and parsed `part` bytes of whole lines at a time (more when a line is longer), each
/// part's records and diagnostics given to `each` in order, as `parse_jsonl` would have them: what `each`
/// does not keep is dropped before the next part is read.
pub fn each_jsonl_part(
    path: &Path,
    pipe: bool,
    part: usize,
    options: &Options,
    mut each: impl FnMut(Chunked),
) {
    let name: Arc<str> = path.display().to_string().into();
    match open_jsonl(path, pipe) {
        Ok(file) => each_part(
            &name,
            JsonlParts::new(file, part, MAX_LINE_BYTES),
            options,
            each,
        ),
        Err(e) => each(only(Diagnostic::error(
            &Position::file(&name),
            e.to_string(),
        ))),
    }
}

/// `each_jsonl_part` of the file named `name` that `parts` reads.
fn each_part(
    name: &Arc<str>,
    mut parts: JsonlParts<impl Read>,
    options: &Options,
    mut each: impl FnMut(Chunked),
) {
    // Where the next part starts in the file.
    let mut offset = 0u64;
    loop {
        match parts.next_part() {
            Ok(Some(Part::Lines { bytes, first_line })) => {
                let shared = Arc::new(bytes);
                let parsed = parse_pieces_from(
                    name,
                    &shared,
                    Some(&shared),
                    Layout::JsonLines,
                    (first_line, offset),
                    options,
                );
                offset += shared.len() as u64;
                each(parsed);
            }
            Ok(Some(Part::TooLong { line, len })) => {
                offset += len as u64 + 1;
                let at = Position {
                    path: name.clone(),
                    line,
                    column: 1,
                };
                each(only(Diagnostic::error(
                    &at,
                    format!(
                        "line is over {} MiB ({} MiB read before giving up), the limit for one record; skipped",
                        parts.max_line.div_ceil(1024 * 1024),
                        len.div_ceil(1024 * 1024)
                    ),
                )));
            }
            Ok(None) => return,
            Err(e) => {
                return each(only(Diagnostic::error(
                    &Position::file(name),
                    io_reason(&e),
                )));
            }
        }
    }
}

/// A JSONL file to read as a stream: a regular file, or a pipe named on the command line. Devices and
/// sockets are refused before opening (a link to /dev/zero must not hang the loader).
fn open_jsonl(path: &Path, pipe: bool) -> Result<fs::File, ReadError> {
    if !pipe && !fs::metadata(path)?.is_file() {
        return Err(ReadError::NotAFile);
    }
    Ok(fs::File::open(path)?)
}

/// What `JsonlParts` read next.
enum Part {
    /// Whole lines, the first numbered `first_line`.
    Lines { bytes: Vec<u8>, first_line: usize },
    /// A line over `MAX_LINE_BYTES`, skipped to its end.
    TooLong { line: usize, len: usize },
}

/// A JSONL stream cut into parts of about `part` bytes (`JSONL_PART`), each ending at a line's end.
struct JsonlParts<R> {
    reader: R,
    part: usize,
    /// `MAX_LINE_BYTES`.
    max_line: usize,
    /// Bytes read past the last part's final newline.
    carry: Vec<u8>,
    /// The number of the first line in `carry`.
    line: usize,
    done: bool,
}

impl<R: Read> JsonlParts<R> {
    fn new(reader: R, part: usize, max_line: usize) -> Self {
        JsonlParts {
            reader,
            part,
            max_line,
            carry: Vec::new(),
            line: 1,
            done: false,
        }
    }

    fn next_part(&mut self) -> std::io::Result<Option<Part>> {
        loop {
            if self.done && self.carry.is_empty() {
                return Ok(None);
            }
            let mut bytes = std::mem::take(&mut self.carry);
            // `carry` holds no newline: only what is read now needs searching.
            let searched = bytes.len();
            if !self.done {
                let want = self
                    .part
                    .saturating_sub(bytes.len())
                    .max(self.part / 64)
                    .max(1);
                bytes.reserve(want);
                let n = (&mut self.reader)
                    .take(want as u64)
                    .read_to_end(&mut bytes)?;
                self.done = n == 0;
            }
            // The part ends after the last newline read (or at the end of the stream).
            let end = if self.done {
                Some(bytes.len())
            } else {
                memchr::memrchr(b'\n', &bytes[searched..]).map(|i| searched + i + 1)
            };
            match end {
                Some(end) if end > 0 => {
                    self.carry = bytes.split_off(end);
                    let first_line = self.line;
                    self.line += memchr::memchr_iter(b'\n', &bytes).count();
                    return Ok(Some(Part::Lines { bytes, first_line }));
                }
                _ if bytes.len() > self.max_line => {
                    // One line longer than any record may be: skip to its end.
                    let line = self.line;
                    let mut len = bytes.len();
                    drop(bytes);
                    let mut block = vec![0u8; self.part.clamp(1, 1024 * 1024)];
                    loop {
                        let n = self.reader.read(&mut block)?;
                        if n == 0 {
                            self.done = true;
                            break;
                        }
                        if let Some(i) = memchr::memchr(b'\n', &block[..n]) {
                            len += i;
                            self.carry = block[i + 1..n].to_vec();
                            break;
                        }
                        len += n;
                    }
                    self.line += 1;
                    return Ok(Some(Part::TooLong { line, len }));
                }
                // No newline yet: the line goes on; read more.
                _ => self.carry = bytes,
            }
        }
    }
}

/// A seed file from what the build read of it: each record from its list fields (one short JSON line),
/// its details left in the seed text until read. A record whose line gives any diagnostic is parsed from
/// its full text instead, so warnings say what they would say and where.
fn parse_prebuilt(
    name: &Arc<str>,
    text: &'static str,
    prebuilt: &Prebuilt,
    options: &Options,
) -> Chunked {
    let mut diagnostics = Vec::new();
    let mut records = Chunk::with_capacity(prebuilt.records.len());
    let mut facts = Vec::with_capacity(prebuilt.records.len());
    let mut whole: Option<Text> = None;
    for (seed, lean) in prebuilt.records.iter().zip(prebuilt.lean.lines()) {
        let line = Text::of_line(name, lean, seed.line);
        let mut found = Vec::new();
        let record = match parse::record(&line, lean, options.check_regexes, &mut found) {
            Ok((mut r, _)) if found.is_empty() => {
                r.details_from(Source {
                    bytes: Bytes::Static(text.as_bytes()),
                    start: seed.start,
                    end: seed.end,
                    file_offset: 0,
                    parse: reparse,
                });
                let at = Position {
                    path: name.clone(),
                    line: seed.line,
                    column: seed.column,
                };
                Ok((r, at))
            }
            _ => {
                let whole = whole.get_or_insert_with(|| Text::new(name.clone(), text, 1));
                parse::record(
                    whole,
                    &text[seed.start..seed.end],
                    options.check_regexes,
                    &mut diagnostics,
                )
            }
        };
        match record {
            Ok(r) => {
                records.push(r);
                facts.push(seed.facts.get());
            }
            Err(d) => diagnostics.push(d),
        }
    }
    Chunked {
        chunks: vec![records],
        diagnostics,
        facts,
    }
}

/// A record's text parsed again for its details (it parsed when loaded, so warnings are not repeated).
pub fn reparse(raw: &str) -> Option<Record> {
    let text = source::Text::new(Arc::from(""), raw, 1);
    parse::record(&text, raw, false, &mut Vec::new())
        .ok()
        .map(|(r, _)| r)
}

/// An input's bytes, with its name and layout.
pub struct Loaded {
    pub name: Arc<str>,
    /// Borrowed from the binary for the embedded catalogue.
    pub bytes: Cow<'static, [u8]>,
    pub layout: Layout,
    /// For a seed file the build read: `bytes` are its records' list fields, one a line, and this is the
    /// seed text with where each record is in it.
    pub seeds: Option<(&'static str, &'static Prebuilt)>,
}

/// Reads an input; a file that cannot be read is an error at its path.
pub fn read(input: &Input) -> Result<Loaded, Diagnostic> {
    match input {
        Input::Embedded {
            name,
            text,
            prebuilt: Some(prebuilt),
        } => Ok(Loaded {
            name: Arc::from(*name),
            bytes: Cow::Borrowed(prebuilt.lean.as_bytes()),
            layout: Layout::JsonLines,
            seeds: Some((text, prebuilt)),
        }),
        Input::Embedded { name, text, .. } => Ok(Loaded {
            name: Arc::from(*name),
            bytes: Cow::Borrowed(text.as_bytes()),
            layout: Layout::Json,
            seeds: None,
        }),
        Input::File {
            path, layout, pipe, ..
        } => {
            let name: Arc<str> = path.display().to_string().into();
            let bytes = if *pipe {
                read_pipe(path)
            } else {
                read_capped(path)
            };
            match bytes {
                Ok(bytes) => Ok(Loaded {
                    name,
                    bytes: Cow::Owned(bytes),
                    layout: *layout,
                    seeds: None,
                }),
                Err(e) => Err(Diagnostic::error(&Position::file(&name), e.to_string())),
            }
        }
    }
}

/// Reads a named pipe to its end, at most `MAX_FILE_BYTES` of it.
fn read_pipe(path: &Path) -> Result<Vec<u8>, ReadError> {
    let file = fs::File::open(path)?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_big(bytes.len() as u64));
    }
    Ok(bytes)
}

/// Reads a regular file of at most `MAX_FILE_BYTES`. Devices, FIFOs and sockets are refused before opening,
/// so a link to /dev/zero or a pipe cannot hang the loader.
fn read_capped(path: &Path) -> Result<Vec<u8>, ReadError> {
    let meta = fs::metadata(path)?;
    if !meta.is_file() {
        return Err(ReadError::NotAFile);
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(too_big(meta.len()));
    }
    let mut file = fs::File::open(path)?;
    if let Some(bytes) = read_in_parts(&file, meta.len()) {
        return Ok(bytes);
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    (&mut file)
        .take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(too_big(bytes.len() as u64));
    }
    Ok(bytes)
}

/// A large file read by every core at once, each its own part: the kernel's copy of a 20 MB file is a
/// sixth of `errdex search`'s time, and one core did it alone. `None` (read it the usual way) for small
/// files, or when the file is not `len` bytes long any more.
#[cfg(unix)]
fn read_in_parts(file: &fs::File, len: u64) -> Option<Vec<u8>> {
    use std::os::unix::fs::FileExt;
    const PART: usize = 4 * 1024 * 1024;
    let len = usize::try_from(len).ok()?;
    if len < 2 * PART {
        return None;
    }
    let mut bytes = vec![0u8; len];
    advise_huge_pages(&mut bytes);
    let read = bytes
        .par_chunks_mut(PART)
        .enumerate()
        .all(|(i, part)| file.read_exact_at(part, (i * PART) as u64).is_ok());
    // One more byte would mean the file grew while read: the usual way then says what it holds.
    let mut probe = [0u8; 1];
    (read && file.read_at(&mut probe, len as u64).ok() == Some(0)).then_some(bytes)
}

/// Asks the kernel to back a large buffer with huge pages where it lies on their boundaries: a 4 KiB page
/// at a time, filling 170 MB took 40,000 page faults, and a third of `errdex search`'s system time.
#[cfg(any(target_os = "linux", target_os = "android"))]
fn advise_huge_pages(bytes: &mut [u8]) {
    const HUGE: usize = 2 << 20;
    let at = bytes.as_mut_ptr() as usize;
    let (start, end) = (at.next_multiple_of(HUGE), (at + bytes.len()) / HUGE * HUGE);
    if end > start {
        // SAFETY: advice about memory this slice owns; it changes no contents, and a refusal is harmless.
        unsafe { libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE) };
    }
}

/// Huge-page advice is Linux's; elsewhere the kernel decides.
#[cfg(all(unix, not(any(target_os = "linux", target_os = "android"))))]
fn advise_huge_pages(_: &mut [u8]) {}

#[cfg(not(unix))]
fn read_in_parts(_: &fs::File, _: u64) -> Option<Vec<u8>> {
    None
}

fn too_big(len: u64) -> ReadError {
    ReadError::TooBig {
        len,
        limit: MAX_FILE_BYTES,
    }
}

/// `f` over every piece of a file (`bytes`, cut into `pieces`), in parallel, in chunks of at most `CHUNK` in
/// file order, with what `lean::parse` makes of the piece. A JSONL line that is not UTF-8 comes as its
/// diagnostic. The lines of a chunk are read by one reader (`lean::parse_lines`).
pub fn each_piece<R: Send>(
    name: &Arc<str>,
    bytes: &[u8],
    pieces: &Pieces,
    f: impl Fn(Result<(&Text, &str), Diagnostic>, Option<Lean>) -> R + Sync + Send,
) -> Vec<Vec<R>> {
    let n = pieces.len();
    // Enough chunks for every core to take several, even in a file of a few thousand objects.
    let size = CHUNK.min(n.div_ceil(4 * rayon::current_num_threads()).max(256));
    // A piece read alone, with what `lean::parse` makes of it.
    let alone = |piece: Result<(&Text, &str), Diagnostic>| {
        let lean = piece.as_ref().ok().and_then(|(_, raw)| lean::parse(raw));
        f(piece, lean)
    };
    let chunk = |c: usize| {
        let range = c * size..n.min((c + 1) * size);
        match pieces {
            Pieces::Lines(lines) => each_line(name, bytes, &lines[range], &f, alone),
            Pieces::Objects(..) => range.map(|k| with_piece(name, pieces, k, alone)).collect(),
        }
    };
    (0..n.div_ceil(size)).into_par_iter().map(chunk).collect()
}

/// `each_piece` for consecutive JSONL lines of `bytes`; `alone` reads one line by itself.
fn each_line<R>(
    name: &Arc<str>,
    bytes: &[u8],
    lines: &[(usize, &[u8])],
    f: impl Fn(Result<(&Text, &str), Diagnostic>, Option<Lean>) -> R,
    alone: impl Fn(Result<(&Text, &str), Diagnostic>) -> R,
) -> Vec<R> {
    let one_by_one = |&line: &(usize, &[u8])| with_line(name, line, &alone);
    let (Some(first), Some(last)) = (lines.first(), lines.last()) else {
        return Vec::new();
    };
    let offset = |line: &[u8]| line.as_ptr() as usize - bytes.as_ptr() as usize;
    let start = offset(first.1);
    let Ok(span) = std::str::from_utf8(&bytes[start..offset(last.1) + last.1.len()]) else {
        return lines.iter().map(one_by_one).collect();
    };
    let in_span = |line: &[u8]| offset(line) - start..offset(line) - start + line.len();
    let mut out = Vec::with_capacity(lines.len());
    lean::parse_lines(span, lines.iter().map(|(_, l)| in_span(l)), |lean| {
        let (n, line) = lines[out.len()];
        let text = Text::of_line(name, &span[in_span(line)], n);
        out.push(f(Ok((&text, text.text)), lean));
    });
    out
}

/// One piece of a file, as `each_piece` gives it, by its index there.
pub fn with_piece<R>(
    name: &Arc<str>,
    pieces: &Pieces,
    k: usize,
    f: impl FnOnce(Result<(&Text, &str), Diagnostic>) -> R,
) -> R {
    match pieces {
        Pieces::Objects(text, objects) => f(Ok((text, objects[k]))),
        Pieces::Lines(lines) => with_line(name, lines[k], f),
    }
}

/// A JSONL line (its number and bytes) as a piece: its text, or its diagnostic when it is not UTF-8.
fn with_line<R>(
    name: &Arc<str>,
    (n, line): (usize, &[u8]),
    f: impl FnOnce(Result<(&Text, &str), Diagnostic>) -> R,
) -> R {
    match Text::line(name, line, n) {
        Ok(text) => f(Ok((&text, text.text))),
        Err(d) => f(Err(d)),
    }
}

/// Parses a file's bytes into records; a broken object costs only itself. Objects are parsed in parallel
/// (a 100,000-line JSONL file is one input) and come back in file order.
pub fn parse_bytes(name: &Arc<str>, bytes: &[u8], layout: Layout) -> Parsed {
    parse_bytes_with(name, bytes, layout, &Options::default())
}

/// `parse_bytes` with explicit load options.
pub fn parse_bytes_with(
    name: &Arc<str>,
    bytes: &[u8],
    layout: Layout,
    options: &Options,
) -> Parsed {
    let parsed = parse_pieces(name, bytes, None, layout, options);
    Parsed {
        records: parsed.chunks.into_iter().flatten().collect(),
        diagnostics: parsed.diagnostics,
    }
}

/// Parses a file's bytes. With `shared` (the same bytes, shared), its records keep the file's bytes and
/// parse their details again from there when they are read, instead of holding them (see
/// `Record::defer_details`).
fn parse_pieces(
    name: &Arc<str>,
    bytes: &[u8],
    shared: Option<&Arc<Vec<u8>>>,
    layout: Layout,
    options: &Options,
) -> Chunked {
    parse_pieces_from(name, bytes, shared, layout, (1, 0), options)
}

/// `parse_pieces` for a part of a JSONL file whose first line is `first_line`, `file_offset` bytes into it.
fn parse_pieces_from(
    name: &Arc<str>,
    bytes: &[u8],
    shared: Option<&Arc<Vec<u8>>>,
    layout: Layout,
    (first_line, file_offset): (usize, u64),
    options: &Options,
) -> Chunked {
    let mut diagnostics = Vec::new();
    let parse_one = |text: &source::Text, raw: &str, lean: Option<Lean>| {
        let mut found = Vec::new();
        let record = match parse::read_record(text, raw, lean, options.check_regexes, &mut found) {
            Ok((mut r, at)) => {
                if let Some(shared) = shared {
                    let start = raw.as_ptr() as usize - bytes.as_ptr() as usize;
                    r.defer_details(Source {
                        bytes: Bytes::Shared(Arc::clone(shared)),
                        start,
                        end: start + raw.len(),
                        file_offset,
                        parse: reparse,
                    });
                }
                Some((r, at))
            }
            Err(d) => {
                found.push(d);
                None
            }
        };
        (record, found)
    };
    let pieces = source::split_from(name, bytes, layout, first_line, &mut diagnostics);
    let results = each_piece(name, bytes, &pieces, |piece, lean| match piece {
        Ok((text, raw)) => parse_one(text, raw, lean),
        Err(d) => (None, vec![d]),
    });
    let chunks = results
        .into_iter()
        .map(|mut chunk| {
            for (_, found) in &mut chunk {
                diagnostics.append(found);
            }
            chunk.into_iter().filter_map(|(r, _)| r).collect()
        })
        .collect();
    Chunked {
        chunks,
        diagnostics,
        facts: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a walk of `root` finds and its diagnostics, after `prefetch` with `max` (none without), and how
    /// many paths that fetched.
    fn walked(root: &Path, max: Option<usize>) -> (Vec<String>, Vec<String>, usize) {
        let mut listing = Listings::default();
        if let Some(max) = max {
            prefetch(root, &mut listing, max);
        }
        let prefetched = listing.meta.len();
        let (mut found, mut diagnostics, mut visited) = (Vec::new(), Vec::new(), HashSet::new());
        Walk {
            visited: &mut visited,
            listing: &mut listing,
            found: &mut found,
            diagnostics: &mut diagnostics,
        }
        .visit(root, true);
        let found = found
            .iter()
            .map(|i| match i {
                Input::File { path, stamp, .. } => format!("{} {stamp:?}", path.display()),
                Input::Embedded { name, .. } => name.to_string(),
            })
            .collect();
        let diagnostics = diagnostics.iter().map(|d| d.to_string()).collect();
        (found, diagnostics, prefetched)
    }

    /// However far `prefetch` gets before its cap, the walk finds the same files in the same order, with the
    /// same diagnostics: what was not fetched ahead, it asks the system for.
    #[cfg(unix)]
    #[test]
    fn a_capped_prefetch_walks_the_same() {
        let dir = tempfile::tempdir().expect("tempdir");
        let root = dir.path();
        for d in ["a", "a/b", "a/b/c", "d", "e"] {
            fs::create_dir(root.join(d)).unwrap();
        }
        for f in [
            "x.json",
            "a/y.json",
            "a/b/z.jsonl",
            "a/b/c/w.json",
            "d/v.json",
            "e/u.json",
        ] {
            fs::write(root.join(f), "{}").unwrap();
        }
        std::os::unix::fs::symlink(root.join("a/b"), root.join("d/link")).unwrap();
        std::os::unix::fs::symlink(root.join("gone"), root.join("e/dangling.json")).unwrap();
        let (alone, diagnostics, _) = walked(root, None);
        assert_eq!(alone.len(), 6, "{alone:?}");
        for max in [0, 1, 3, 6, usize::MAX] {
            let (found, with, prefetched) = walked(root, Some(max));
            assert_eq!((&found, &with), (&alone, &diagnostics), "max {max}");
            // One directory's files may come in past the cap.
            assert!(
                prefetched <= max.saturating_add(3),
                "max {max}: {prefetched}"
            );
        }
        assert!(
            walked(root, Some(usize::MAX)).2 >= 12,
            "uncapped, everything is fetched"
        );
    }

    /// A JSONL stream read in parts of whole lines gives what the whole file read at once gives, whatever
    /// the part size, line numbers included; a line over the line cap is one error at its number.
    #[test]
    fn jsonl_read_in_parts_equals_read_whole() {
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        crate::synth::write(&mut bytes, 300, 5, false).unwrap();
        bytes.extend_from_slice(b"\n  \n{\"id\":\"x/broken\",\n{\"id\":\"x/a\",\"signature\":\"s\",\"regex\":\"(\"}\r\n");
        crate::synth::write(&mut bytes, 200, 6, true).unwrap();
        bytes.extend_from_slice(b"{\"id\":\"x/last\",\"signature\":\"s\",\"regex\":\"r\"}");
        let name: Arc<str> = "t.jsonl".into();
        let options = Options::default();
        let whole = parse_bytes(&name, &bytes, Layout::JsonLines);
        for part in [1, 7, 100, 4096, 1 << 20] {
            let parts = JsonlParts::new(&bytes[..], part, usize::MAX);
            let got = parse_jsonl_parts(&name, parts, &options);
            let records: Vec<_> = got.chunks.into_iter().flatten().collect();
            assert_eq!(records.len(), whole.records.len(), "part {part}");
            assert!(records == whole.records, "part {part}");
            assert_eq!(got.diagnostics, whole.diagnostics, "part {part}");
        }
        // A cap of 500 bytes a line: some full synthetic records are longer.
        let long: Vec<usize> = std::str::from_utf8(&bytes)
            .unwrap()
            .split('\n')
            .enumerate()
            .filter(|(_, l)| l.len() > 500)
            .map(|(i, _)| i + 1)
            .collect();
        assert!(!long.is_empty());
        let got = parse_jsonl_parts(&name, JsonlParts::new(&bytes[..], 300, 500), &options);
        let too_long: Vec<usize> = got
            .diagnostics
            .iter()
            .filter(|d| d.message.contains("the limit for one record"))
            .map(|d| d.line)
            .collect();
        assert_eq!(too_long, long);
        let kept = got.chunks.iter().map(Chunk::len).sum::<usize>();
        assert_eq!(kept, whole.records.len() - long.len());
        let last = got.chunks.iter().flat_map(Chunk::iter).last().unwrap();
        assert_eq!(
            (last.0.id.as_str(), last.1.line),
            ("x/last", bytes.split(|&b| b == b'\n').count())
        );
    }

    /// What the build read of each seed file gives what reading its text gives: the same records (details
    /// included), positions and diagnostics, and the facts of every regex.
    #[test]
    fn prebuilt_seeds_load_as_their_text_does() {
        let options = Options::default();
        let mut records = 0;
        for (name, text, prebuilt) in super::super::embedded::SEEDS {
            assert!(prebuilt.is_some(), "{name}: the build could not read it");
            let fast = parse_input(
                &Input::Embedded {
                    name,
                    text,
                    prebuilt: prebuilt.as_ref(),
                },
                &options,
            );
            let slow = parse_input(
                &Input::Embedded {
                    name,
                    text,
                    prebuilt: None,
                },
                &options,
            );
            let fast_records: Vec<_> = fast.chunks.into_iter().flatten().collect();
            let slow_records: Vec<_> = slow.chunks.into_iter().flatten().collect();
            assert!(fast_records.iter().all(|(r, _)| r.details_deferred()));
            assert!(fast_records == slow_records, "{name}: records differ");
            assert_eq!(fast.diagnostics, slow.diagnostics, "{name}");
            assert_eq!(fast.facts.len(), fast_records.len());
            for ((r, _), facts) in fast_records.iter().zip(&fast.facts) {
                assert_eq!(
                    facts.clone(),
                    Some(super::super::regex_facts::facts(&r.regex))
                );
            }
            records += fast_records.len();
        }
        assert!(records > 500, "{records}");
    }

    /// Lines read in runs by one reader give what each line parsed alone gives: the same records, and the
    /// same diagnostics at the same positions, across chunks.
    #[test]
    fn jsonl_runs_read_as_lines_alone() {
        let mut good = Vec::new();
        crate::synth::write(&mut good, 20_000, 11, true).unwrap();
        let mut full = Vec::new();
        crate::synth::write(&mut full, 50, 12, false).unwrap();
        let odd: [&[u8]; 7] = [
            b"{\"id\":\"x/broken\",",
            b"\"signature\":\"s\",\"regex\":\"r\"}",
            b" \x0c ",
            b"{\"id\":\"x/two\",\"signature\":\"s\",\"regex\":\"r\"} {}",
            b"{\"id\":\"x/crlf\",\"signature\":\"s\",\"regex\":\"(\"}\r",
            b"",
            b"[1]",
        ];
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        let full: Vec<&[u8]> = full.split(|&b| b == b'\n').collect();
        for (k, line) in good.split(|&b| b == b'\n').enumerate() {
            bytes.extend_from_slice(line);
            bytes.push(b'\n');
            if k % 997 == 0 {
                for odd in odd {
                    bytes.extend_from_slice(odd);
                    bytes.push(b'\n');
                }
                bytes.extend_from_slice(full[k % full.len()]);
                bytes.push(b'\n');
            }
            if k == 9_000 {
                // Not UTF-8: its chunk is read line by line.
                bytes.extend_from_slice(
                    b"{\"id\":\"x/bytes\",\"signature\":\"\xff\",\"regex\":\"r\"}\n",
                );
            }
        }
        let name: Arc<str> = "t.jsonl".into();
        let parsed = parse_bytes(&name, &bytes, Layout::JsonLines);

        let mut diagnostics = Vec::new();
        let pieces = source::split(&name, &bytes, Layout::JsonLines, &mut diagnostics);
        assert!(pieces.len() > 2 * CHUNK);
        let mut records = Vec::new();
        for k in 0..pieces.len() {
            with_piece(&name, &pieces, k, |piece| match piece {
                Ok((text, raw)) => match parse::record(text, raw, true, &mut diagnostics) {
                    Ok(r) => records.push(r),
                    Err(d) => diagnostics.push(d),
                },
                Err(d) => diagnostics.push(d),
            });
        }
        assert_eq!(parsed.records.len(), records.len());
        assert!(parsed.records == records, "records differ");
        assert_eq!(parsed.diagnostics, diagnostics);
        assert!(diagnostics.len() > 100);
    }
}

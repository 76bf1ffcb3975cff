//! The index file's layout (rkyv data behind a header), and opening one: mapped, checked whole, never
//! trusted otherwise (see `index`). `index_write` writes them.

use super::load;
use super::tables::LookupTables;
use std::collections::HashMap;
use std::hash::BuildHasher;
use std::path::{Path, PathBuf};

/// Changes whenever what the index holds, or how it is read, changes.
pub const FORMAT: u32 = 9;
pub(super) const MAGIC: &[u8; 8] = b"ERRDEXIX";
/// Magic, format, reserved, payload length, checksum.
pub(super) const HEADER: usize = 32;
/// The checksum reads the payload in blocks of this size.
pub(super) const CHECKSUM_BLOCK: usize = 16 << 20;
/// A file's records are kept in chunks of this many (the last may be shorter), written one at a time
/// (`index_write`); record `i` is entry `i % ENTRIES` of chunk `i / ENTRIES`.
pub const ENTRIES: usize = load::CHUNK;

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

#[derive(rkyv::Archive, rkyv::Serialize, rkyv::Deserialize, Debug, Clone, PartialEq)]
pub struct FileEntry {
    pub path: String,
    pub size: u64,
    pub modified: (i64, u32),
    pub diagnostics: Vec<DiagnosticEntry>,
    /// In chunks of `ENTRIES`.
    pub records: Vec<Vec<RecordEntry>>,
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

#[cfg(test)]
pub(super) fn checksum(payload: &[u8]) -> u64 {
    checksum_with(payload, 0, |_| {})
}

/// What the checksum hashes with.
pub(super) fn checksum_hasher() -> foldhash::quality::FoldHasher<'static> {
    foldhash::quality::FixedState::with_seed(FORMAT as u64).build_hasher()
}

/// The checksum of `payload`, read in chunks; `read` is told each chunk's range once read, offset by `at`.
fn checksum_with(payload: &[u8], at: usize, mut read: impl FnMut(std::ops::Range<usize>)) -> u64 {
    use std::hash::Hasher;
    const CHUNK: usize = CHECKSUM_BLOCK;
    let mut hasher = checksum_hasher();
    for (i, chunk) in payload.chunks(CHUNK).enumerate() {
        hasher.write(chunk);
        read(at + i * CHUNK..at + i * CHUNK + chunk.len());
    }
    hasher.finish()
}

/// The header of an index whose payload has `len` bytes and `checksum`.
pub(super) fn header(len: u64, checksum: u64) -> [u8; HEADER] {
    let mut out = [0; HEADER];
    out[..8].copy_from_slice(MAGIC);
    out[8..12].copy_from_slice(&FORMAT.to_le_bytes());
    out[16..24].copy_from_slice(&len.to_le_bytes());
    out[24..32].copy_from_slice(&checksum.to_le_bytes());
    out
}

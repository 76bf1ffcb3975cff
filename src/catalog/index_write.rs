//! Writing an index file (`index`) as it is built: each file's entries a chunk at a time, straight to the
//! file through rkyv's writer, the lookup tables built beside them a record at a time, then the root that
//! points back at the chunks. Writing the index of 1,000,000 records holds one chunk of entries and the
//! tables, not the whole index: built whole and then encoded in memory, it took 3.5 GB.
//!
//! A large JSONL file met for the first time is parsed here, a part at a time (`Records::Parsed`): its
//! records are never all built, and loading then reads them from the index it wrote, as on a warm run.

use super::diagnostic::Severity;
use super::index_file::{
    ArchivedFileEntry, ArchivedIndexData, ArchivedRecordEntry, CHECKSUM_BLOCK, DiagnosticEntry,
    DirEntry, ENTRIES, HEADER, Index, RecordEntry, checksum_hasher, header,
};
use super::load::{self, Chunked, Options};
use super::record::{Format, Inline, Record};
use super::regex_facts;
use super::tables::{self, LookupTables};
use rkyv::rancor;
use rkyv::ser::{Positional, Serializer, allocator::Arena, sharing::Share, writer::IoWriter};
use std::hash::Hasher;
use std::io::{self, Seek, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// A file of the index being written: its path, size and time, and where its records come from.
pub struct FileSource {
    pub path: String,
    pub size: u64,
    pub modified: (i64, u32),
    pub records: Records,
}

/// Where the records of a file of the index being written come from.
pub enum Records {
    /// Built while the file was loaded, with its diagnostics.
    Built {
        entries: Vec<RecordEntry>,
        diagnostics: Vec<DiagnosticEntry>,
    },
    /// The file is unchanged: its entry in an earlier index (file `file` there), copied a chunk at a time.
    Kept { index: Arc<Index>, file: usize },
    /// A JSONL file parsed here a part at a time (`PART` bytes), its records dropped once written.
    Parsed { path: PathBuf, options: Options },
}

/// How much of a JSONL file parsed here is read at a time: a part's records are built whole (about three
/// times its size for short records) before they become entries.
const PART: usize = 2 << 20;

/// Past this, an index is not written (such a source is parsed at every run instead). rkyv is built with
/// 64-bit offsets (`pointer_width_64`): with 32-bit ones an index stopped at 2 GiB, about 4,000,000 short
/// records, since the root points back at the first chunk. The index is a quarter larger for it.
const MAX_BYTES: usize = 1 << 40;

/// Writes the index of `files` (in order) and `dirs` to `path`, through a temporary file renamed into place:
/// a failure leaves no index, never half of one. Failing is harmless (the next run parses again), so errors
/// are only returned.
pub fn write(path: &Path, files: Vec<FileSource>, dirs: Vec<DirEntry>) -> io::Result<()> {
    write_within(path, files, dirs, MAX_BYTES)
}

/// `write`, failing once the payload would pass `max` bytes.
fn write_within(
    path: &Path,
    files: Vec<FileSource>,
    dirs: Vec<DirEntry>,
    max: usize,
) -> io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    // Named for this process and moment: two errdex processes never write the same temporary file.
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let tmp = path.with_extension(format!("tmp.{}.{nanos}", std::process::id()));
    let written = write_to(&tmp, files, dirs, max).and_then(|()| std::fs::rename(&tmp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written
}

fn write_to(tmp: &Path, files: Vec<FileSource>, dirs: Vec<DirEntry>, max: usize) -> io::Result<()> {
    let mut file = std::fs::File::create(tmp)?;
    // The header, once the payload's length and checksum are known.
    file.write_all(&[0; HEADER])?;
    let mut arena = Arena::new();
    let mut out = Out {
        serializer: Serializer::new(
            IoWriter::new(Checksummed::new(file)),
            arena.acquire(),
            Share::new(),
        ),
        tables: tables::Builder::default(),
        chunk: Vec::with_capacity(ENTRIES),
        placed: Vec::new(),
        max,
    };
    let mut roots = Vec::with_capacity(files.len());
    for (f, source) in files.into_iter().enumerate() {
        let FileSource {
            path,
            size,
            modified,
            records,
        } = source;
        let diagnostics = out.records(f as u32, records)?;
        roots.push(FileRoot {
            path,
            size,
            modified,
            diagnostics,
            records: std::mem::take(&mut out.placed),
        });
    }
    let tables = std::mem::take(&mut out.tables).finish();
    let root = Root {
        version: env!("CARGO_PKG_VERSION"),
        files: roots,
        dirs,
        tables,
    };
    out.room(root.size_bound())?;
    rkyv::api::serialize_using::<_, rancor::Error>(&root, &mut out.serializer)
        .map_err(io::Error::other)?;
    let (mut file, len, checksum) = out.serializer.into_writer().into_inner().finish()?;
    file.seek(io::SeekFrom::Start(0))?;
    file.write_all(&header(len, checksum))
}

type Ser<'a> = Serializer<IoWriter<Checksummed>, rkyv::ser::allocator::ArenaHandle<'a>, Share>;

/// The index being written.
struct Out<'a> {
    serializer: Ser<'a>,
    tables: tables::Builder,
    /// Entries not written yet: a chunk is written once it has `ENTRIES`, or its file ends.
    chunk: Vec<RecordEntry>,
    /// The current file's chunks written so far.
    placed: Vec<Placed>,
    /// `MAX_BYTES`.
    max: usize,
}

impl Out<'_> {
    /// Writes the records of file `f`; its diagnostics.
    fn records(&mut self, f: u32, records: Records) -> io::Result<Vec<DiagnosticEntry>> {
        let mut n = 0u32;
        let diagnostics = match records {
            Records::Built {
                entries,
                diagnostics,
            } => {
                for entry in entries {
                    self.push(f, &mut n, entry)?;
                }
                diagnostics
            }
            Records::Kept { index, file } => {
                let old = &index.data().files[file];
                for chunk in old.records.iter() {
                    let entries = rkyv::deserialize::<Vec<RecordEntry>, rancor::Error>(chunk)
                        .map_err(io::Error::other)?;
                    for entry in entries {
                        self.push(f, &mut n, entry)?;
                    }
                    index.let_go();
                }
                rkyv::deserialize::<Vec<DiagnosticEntry>, rancor::Error>(&old.diagnostics)
                    .map_err(io::Error::other)?
            }
            Records::Parsed { path, options } => {
                let mut diagnostics = Vec::new();
                let mut failed = Ok(());
                load::each_jsonl_part(&path, false, PART, &options, |part| {
                    if failed.is_err() {
                        return;
                    }
                    diagnostics.extend(diagnostic_entries(&part));
                    for entry in record_entries(&part) {
                        if let Err(e) = self.push(f, &mut n, entry) {
                            failed = Err(e);
                            return;
                        }
                    }
                });
                failed?;
                diagnostics
            }
        };
        self.flush()?;
        Ok(diagnostics)
    }

    /// Adds the file's next entry (file `f`, `n` so far).
    fn push(&mut self, f: u32, n: &mut u32, entry: RecordEntry) -> io::Result<()> {
        self.tables.add(&tables::Entry {
            at: (f, *n),
            id: &entry.id,
            required: entry.required.as_ref().map(Option::as_ref),
            signature: &entry.signature,
            aliases: &entry.aliases,
            environment: &entry.environment,
        });
        *n += 1;
        self.chunk.push(entry);
        if self.chunk.len() == ENTRIES {
            self.flush()?;
        }
        Ok(())
    }

    /// Writes the entries not written yet as the current file's next chunk.
    fn flush(&mut self) -> io::Result<()> {
        if self.chunk.is_empty() {
            return Ok(());
        }
        self.room(self.chunk.iter().map(entry_size_bound).sum())?;
        let pos = rkyv::SerializeUnsized::serialize_unsized(
            self.chunk.as_slice(),
            rancor::Strategy::<_, rancor::Error>::wrap(&mut self.serializer),
        )
        .map_err(io::Error::other)?;
        self.placed.push(Placed {
            pos,
            len: self.chunk.len(),
        });
        self.chunk.clear();
        Ok(())
    }

    /// Fails unless `more` bytes fit in the index (`MAX_BYTES`).
    fn room(&self, more: usize) -> io::Result<()> {
        match self.serializer.pos().checked_add(more) {
            Some(end) if end <= self.max => Ok(()),
            _ => Err(io::Error::other("the index would be over its size limit")),
        }
    }
}

/// What an index's root holds, archived as `IndexData` is; each file's chunks were written before it.
#[derive(rkyv::Archive, rkyv::Serialize)]
#[rkyv(as = ArchivedIndexData)]
struct Root {
    #[rkyv(with = rkyv::with::AsString)]
    version: &'static str,
    files: Vec<FileRoot>,
    dirs: Vec<DirEntry>,
    tables: LookupTables,
}

/// A file of the root, archived as `FileEntry` is.
#[derive(rkyv::Archive, rkyv::Serialize)]
#[rkyv(as = ArchivedFileEntry)]
struct FileRoot {
    path: String,
    size: u64,
    modified: (i64, u32),
    diagnostics: Vec<DiagnosticEntry>,
    records: Vec<Placed>,
}

/// A chunk of entries already written at `pos`: archived as the vector it is, writing nothing more.
struct Placed {
    pos: usize,
    len: usize,
}

impl rkyv::Archive for Placed {
    type Archived = rkyv::vec::ArchivedVec<ArchivedRecordEntry>;
    type Resolver = rkyv::vec::VecResolver;

    fn resolve(&self, resolver: Self::Resolver, out: rkyv::Place<Self::Archived>) {
        rkyv::vec::ArchivedVec::resolve_from_len(self.len, resolver, out);
    }
}

impl<S: rancor::Fallible + ?Sized> rkyv::Serialize<S> for Placed {
    fn serialize(&self, _: &mut S) -> Result<Self::Resolver, S::Error> {
        Ok(rkyv::vec::VecResolver::from_pos(self.pos))
    }
}

/// At least the bytes `e` takes archived: the entry, and each string and vector it points to, aligned.
fn entry_size_bound(e: &RecordEntry) -> usize {
    let text = |s: &str| s.len() + 8;
    let some = |s: &Option<String>| s.as_deref().map_or(0, text);
    let required = e.required.iter().flatten().flatten();
    size_of::<ArchivedRecordEntry>()
        + [&e.id, &e.signature, &e.regex, &e.environment]
            .into_iter()
            .map(|s| text(s))
            .sum::<usize>()
        + [
            &e.signature_zh,
            &e.domain,
            &e.category,
            &e.subcategory,
            &e.verification_tier,
            &e.last_updated,
        ]
        .into_iter()
        .map(some)
        .sum::<usize>()
        + e.aliases.iter().map(|a| text(a) + 8).sum::<usize>()
        + 16
        + required
            .map(|branch| 16 + branch.iter().map(|l| l.len() + 16).sum::<usize>())
            .sum::<usize>()
}

impl Root {
    /// At least the bytes the root takes archived, with its tables and files (their chunks written).
    fn size_bound(&self) -> usize {
        let text = |s: &str| s.len() + 8;
        let list = |n: usize, each: usize| 16 + n * each;
        let t = &self.tables;
        let files: usize = (self.files.iter())
            .map(|f| {
                size_of::<ArchivedFileEntry>()
                    + text(&f.path)
                    + list(
                        f.records.len(),
                        size_of::<<Placed as rkyv::Archive>::Archived>(),
                    )
                    + (f.diagnostics.iter())
                        .map(|d| size_of::<rkyv::Archived<DiagnosticEntry>>() + text(&d.message))
                        .sum::<usize>()
            })
            .sum();
        let dirs: usize = (self.dirs.iter())
            .map(|d| {
                size_of::<rkyv::Archived<DirEntry>>()
                    + text(&d.path)
                    + (d.entries.iter()).map(|e| 16 + text(&e.0)).sum::<usize>()
            })
            .sum();
        let lists = |v: &[Vec<u32>]| v.iter().map(|l| list(l.len(), 4)).sum::<usize>();
        let texts = |v: &[String]| v.iter().map(|s| 8 + text(s)).sum::<usize>();
        let tables = list(t.at.len(), 8)
            + list(t.ids.len(), 16)
            + t.keys.iter().map(|k| 16 + k.len()).sum::<usize>()
            + lists(&t.key_records)
            + list(t.grams.len(), 8)
            + list(t.short.len(), 4)
            + list(t.always.len(), 4)
            + texts(&t.words)
            + lists(&t.postings)
            + list(t.record_words.len(), 4)
            + list(t.record_word_ends.len(), 4)
            + list(t.record_weight.len(), 8)
            + text(&t.environment)
            + list(t.environment_ends.len(), 4);
        4096 + files + dirs + tables
    }
}

/// The index entries of a freshly parsed file's records, in order (their regexes analysed in parallel).
pub fn record_entries(parsed: &Chunked) -> Vec<RecordEntry> {
    use rayon::prelude::*;
    parsed
        .chunks
        .par_iter()
        .flat_map_iter(|chunk| chunk.iter().map(|(r, at)| record_entry(r, at)))
        .collect()
}

/// A freshly parsed file's diagnostics, as its entry keeps them.
pub fn diagnostic_entries(parsed: &Chunked) -> impl Iterator<Item = DiagnosticEntry> + '_ {
    parsed.diagnostics.iter().map(|d| DiagnosticEntry {
        line: d.line as u64,
        column: d.column as u64,
        error: d.severity == Severity::Error,
        message: d.message.clone(),
    })
}

/// A record's entry: its inline fields, where it is, and what its regex requires.
fn record_entry(r: &Record, at: &super::diagnostic::Position) -> RecordEntry {
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

/// The payload written through it, checksummed as `index::checksum` reads it: in blocks of `CHECKSUM_BLOCK`
/// (the hash of a stream depends on how it was cut), each written to the file once whole.
struct Checksummed {
    file: std::fs::File,
    block: Vec<u8>,
    hasher: foldhash::quality::FoldHasher<'static>,
    len: u64,
}

impl Checksummed {
    fn new(file: std::fs::File) -> Checksummed {
        Checksummed {
            file,
            // Never grown (a block is written once full): pages not written to are never touched.
            block: Vec::with_capacity(CHECKSUM_BLOCK),
            hasher: checksum_hasher(),
            len: 0,
        }
    }

    fn write_block(&mut self) -> io::Result<()> {
        self.hasher.write(&self.block);
        self.file.write_all(&self.block)?;
        self.len += self.block.len() as u64;
        self.block.clear();
        Ok(())
    }

    /// The file, the payload's length and its checksum.
    fn finish(mut self) -> io::Result<(std::fs::File, u64, u64)> {
        if !self.block.is_empty() {
            self.write_block()?;
        }
        Ok((self.file, self.len, self.hasher.finish()))
    }
}

impl Write for Checksummed {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        let mut rest = bytes;
        while !rest.is_empty() {
            let take = (CHECKSUM_BLOCK - self.block.len()).min(rest.len());
            self.block.extend_from_slice(&rest[..take]);
            rest = &rest[take..];
            if self.block.len() == CHECKSUM_BLOCK {
                self.write_block()?;
            }
        }
        Ok(bytes.len())
    }

    /// Blocks are written once whole (`finish` writes the last).
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::index_file::{FORMAT, IndexData, MAGIC, checksum, validate};
    use crate::catalog::load::Input;
    use crate::catalog::source::Layout;
    use proptest::prelude::*;

    /// The sources of an index of a file of `n` synthetic records (in `dir`).
    fn sources(dir: &Path, n: usize) -> Vec<FileSource> {
        let path = dir.join("c.jsonl");
        let mut text = Vec::new();
        crate::synth::write(&mut text, n, 3, false).unwrap();
        std::fs::write(&path, text).unwrap();
        let input = Input::File {
            path: path.clone(),
            layout: Layout::JsonLines,
            pipe: false,
            stamp: None,
        };
        let parsed = load::parse_one(&input, &Options::default());
        let records = Records::Built {
            entries: record_entries(&parsed),
            diagnostics: diagnostic_entries(&parsed).collect(),
        };
        vec![FileSource {
            path: path.display().to_string(),
            size: 1,
            modified: (2, 3),
            records,
        }]
    }

    /// An index that would be too large is not written, and nothing is left of it: the bound on what each
    /// part takes is never below what it takes.
    #[test]
    fn an_index_too_large_is_not_written() {
        let dir = tempfile::tempdir().expect("tempdir");
        let index = dir.path().join("i/c.idx");
        write(&index, sources(dir.path(), 9_000), Vec::new()).expect("written");
        let size = std::fs::metadata(&index).unwrap().len() as usize - HEADER;
        std::fs::remove_file(&index).unwrap();
        // Fails before the first chunk, before the second, or before the root.
        for max in [1_000, size / 2, size - 100] {
            let written = write_within(&index, sources(dir.path(), 9_000), Vec::new(), max);
            assert!(written.is_err(), "{max} of {size}");
            assert_eq!(std::fs::read_dir(dir.path().join("i")).unwrap().count(), 0);
        }
        write_within(&index, sources(dir.path(), 9_000), Vec::new(), size * 2).expect("fits");
        // Each entry's bound is at least what it takes.
        let Records::Built { entries, .. } = sources(dir.path(), 2_000).remove(0).records else {
            unreachable!()
        };
        for entry in &entries {
            let alone = rkyv::to_bytes::<rancor::Error>(&vec![entry.clone()]).unwrap();
            // The vector's own header is not the entry's.
            let header = size_of::<rkyv::vec::ArchivedVec<ArchivedRecordEntry>>();
            assert!(alone.len() - header <= entry_size_bound(entry), "{entry:?}");
        }
    }

    fn sample() -> Vec<u8> {
        let dir = tempfile::tempdir().expect("tempdir");
        let index = dir.path().join("c.idx");
        write(&index, sources(dir.path(), 40), Vec::new()).expect("written");
        std::fs::read(&index).unwrap()
    }

    /// The bytes of an index file holding `data`, encoded whole.
    fn encode(data: &IndexData) -> Vec<u8> {
        let payload = rkyv::to_bytes::<rancor::Error>(data).expect("serializing to memory");
        let mut out = header(payload.len() as u64, checksum(&payload)).to_vec();
        out.extend_from_slice(&payload);
        out
    }

    #[test]
    fn an_index_reads_back_what_was_written() {
        let bytes = sample();
        let data = validate(&bytes).expect("valid");
        assert_eq!(data.files.len(), 1);
        assert_eq!(data.files[0].record_count(), 40);
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

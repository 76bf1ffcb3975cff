//! The catalogue's records, kept in the chunks loading gave them in.
//!
//! Loading parses a large source in chunks of thousands of records, in parallel. Copying them into one vector
//! held every record twice until the last chunk had moved (at 1,000,000 records, 0.4 GB more at the peak: a
//! block freed by another thread than the one that allocated it is not soon reused). A chunk is kept as it
//! is instead; record i is found through a table of which chunk each block of `BLOCK` records starts in.
//!
//! A run of a large file's records whose index entry is current is not even built: it stays the entries of
//! the mapped index (`Run`), read through `View`s by scans, and is built, a run at a time, the first time one
//! of its records is read whole. A browser on 1,000,000 records builds the few runs it shows.

use super::Record;
use super::index::{ArchivedRecordEntry, Index};
use super::record::Bytes;
use super::view::View;
use std::sync::{Arc, OnceLock};

const BLOCK_BITS: u32 = 10;
/// Records a block of the table covers; a chunk shorter than that is copied, so a block spans few chunks.
pub const BLOCK: usize = 1 << BLOCK_BITS;

/// Consecutive records of one file's entry in an index, built when first read.
pub struct Run {
    pub index: Arc<Index>,
    /// The file's place in the index, and the run's first record in the file.
    pub file: usize,
    pub from: usize,
    pub len: usize,
    /// Where the records' details are.
    pub bytes: Bytes,
    built: OnceLock<Vec<Record>>,
}

impl Run {
    pub fn new(index: Arc<Index>, file: usize, from: usize, len: usize, bytes: Bytes) -> Run {
        Run {
            index,
            file,
            from,
            len,
            bytes,
            built: OnceLock::new(),
        }
    }

    pub fn entry(&self, k: usize) -> &ArchivedRecordEntry {
        self.index.data().files[self.file].entry(self.from + k)
    }

    fn records(&self) -> &[Record] {
        self.built.get_or_init(|| {
            let built = (0..self.len)
                .map(|k| self.entry(k).record(&self.bytes))
                .collect();
            // What was copied out no longer counts as memory beside the copy.
            self.index.let_go();
            built
        })
    }
}

enum Kept {
    Built(Vec<Record>),
    Run(Run),
}

impl Kept {
    fn records(&self) -> &[Record] {
        match self {
            Kept::Built(v) => v,
            Kept::Run(run) => run.records(),
        }
    }
}

#[derive(Default)]
pub struct Shelf {
    chunks: Vec<Kept>,
    /// How many records come before chunk c.
    starts: Vec<usize>,
    /// For each block of `BLOCK` records, the chunk its first record is in.
    blocks: Vec<u32>,
    /// Whether the last chunk takes `push`es (it is not one kept as given).
    open: bool,
    len: usize,
}

impl std::fmt::Debug for Shelf {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "Shelf({} records in {} chunks)",
            self.len,
            self.chunks.len()
        )
    }
}

impl Shelf {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Whether some records are still index entries, not built.
    pub fn has_unbuilt(&self) -> bool {
        (self.chunks.iter()).any(|c| matches!(c, Kept::Run(run) if run.built.get().is_none()))
    }

    /// The chunk record i is in, and its place there.
    fn find(&self, i: usize) -> Option<(&Kept, usize)> {
        if i >= self.len {
            return None;
        }
        let mut c = self.blocks[i >> BLOCK_BITS] as usize;
        while self.starts.get(c + 1).is_some_and(|&s| s <= i) {
            c += 1;
        }
        Some((&self.chunks[c], i - self.starts[c]))
    }

    /// Record i, built if it was not.
    pub fn get(&self, i: usize) -> Option<&Record> {
        let (kept, k) = self.find(i)?;
        kept.records().get(k)
    }

    /// What scans read of record i, without building it.
    pub fn view(&self, i: usize) -> Option<View<'_>> {
        let (kept, k) = self.find(i)?;
        Some(match kept {
            Kept::Built(v) => View::Record(&v[k]),
            Kept::Run(run) => match run.built.get() {
                Some(built) => View::Record(&built[k]),
                None => View::Entry(run.entry(k)),
            },
        })
    }

    /// Record i's index entry, when it came from one.
    pub fn entry(&self, i: usize) -> Option<&ArchivedRecordEntry> {
        match self.find(i)? {
            (Kept::Run(run), k) => Some(run.entry(k)),
            _ => None,
        }
    }

    /// Lets go of the pages read of every index a run is in (see `Index::let_go`).
    pub fn let_go(&self) {
        let mut last: Option<&Arc<Index>> = None;
        for kept in &self.chunks {
            if let Kept::Run(run) = kept
                && !last.is_some_and(|l| Arc::ptr_eq(l, &run.index))
            {
                run.index.let_go();
                last = Some(&run.index);
            }
        }
    }

    /// Every record, built.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &Record> + Clone {
        self.chunks.iter().flat_map(Kept::records)
    }

    #[cfg(test)]
    pub fn get_mut(&mut self, i: usize) -> Option<&mut Record> {
        let (c, start) = (0..self.chunks.len())
            .rev()
            .map(|c| (c, self.starts[c]))
            .find(|&(_, s)| s <= i)?;
        match &mut self.chunks[c] {
            Kept::Built(v) => v.get_mut(i - start),
            Kept::Run(run) => {
                run.records();
                run.built.get_mut()?.get_mut(i - start)
            }
        }
    }

    /// Adds a record after the others.
    pub fn push(&mut self, record: Record) {
        if !self.open {
            self.start_chunk(Kept::Built(Vec::new()));
            self.open = true;
        }
        match self.chunks.last_mut() {
            Some(Kept::Built(v)) => v.push(record),
            _ => unreachable!("an open chunk is built"),
        }
        self.grew(1);
    }

    /// Adds records after the others: a chunk of at least `BLOCK` is kept as it is, not copied.
    pub fn append(&mut self, records: Vec<Record>) {
        if records.len() < BLOCK {
            records.into_iter().for_each(|r| self.push(r));
            return;
        }
        let n = records.len();
        self.start_chunk(Kept::Built(records));
        self.open = false;
        self.grew(n);
    }

    /// Adds a run of index entries after the others, unbuilt if it has at least `BLOCK` records.
    pub fn append_run(&mut self, run: Run) {
        if run.len < BLOCK {
            (0..run.len).for_each(|k| self.push(run.entry(k).record(&run.bytes)));
            return;
        }
        let n = run.len;
        self.start_chunk(Kept::Run(run));
        self.open = false;
        self.grew(n);
    }

    fn start_chunk(&mut self, kept: Kept) {
        self.starts.push(self.len);
        self.chunks.push(kept);
    }

    /// Counts `n` records added to the last chunk, and the blocks that start in it.
    fn grew(&mut self, n: usize) {
        self.len += n;
        let last = (self.chunks.len() - 1) as u32;
        while self.blocks.len() << BLOCK_BITS < self.len {
            self.blocks.push(last);
        }
    }
}

impl std::ops::Index<usize> for Shelf {
    type Output = Record;

    fn index(&self, i: usize) -> &Record {
        match self.get(i) {
            Some(r) => r,
            None => panic!("record {i} of {}", self.len),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(from: usize, n: usize) -> Vec<Record> {
        (from..from + n)
            .map(|i| Record::new(i.to_string(), "s", "r"))
            .collect()
    }

    #[test]
    fn every_record_is_found_where_it_was_added() {
        // Pushes, short chunks (copied), long ones (kept), in every order, across block boundaries.
        let mut shelf = Shelf::default();
        let mut n = 0;
        let mut add = |shelf: &mut Shelf, len: usize, push: bool| {
            match push {
                true => records(n, len).into_iter().for_each(|r| shelf.push(r)),
                false => shelf.append(records(n, len)),
            }
            n += len;
        };
        for (len, push) in [
            (3, true),
            (BLOCK, false),
            (1, true),
            (BLOCK - 1, false),
            (5 * BLOCK + 7, false),
            (0, false),
            (2 * BLOCK, true),
            (BLOCK + 1, false),
            (BLOCK, false),
            (2, false),
        ] {
            add(&mut shelf, len, push);
        }
        assert_eq!(shelf.len(), n);
        assert!(
            shelf.chunks.len() > 4,
            "long chunks are kept: {:?}",
            shelf.starts
        );
        for i in 0..n {
            assert_eq!(
                shelf.get(i).map(|r| r.id.as_str()),
                Some(i.to_string().as_str())
            );
        }
        assert!(shelf.get(n).is_none());
        let ids: Vec<usize> = shelf.iter().map(|r| r.id.parse().unwrap()).collect();
        assert_eq!(ids, (0..n).collect::<Vec<_>>());
    }

    #[test]
    fn a_long_chunk_is_kept_not_copied() {
        let mut shelf = Shelf::default();
        shelf.push(Record::new("first", "s", "r"));
        let chunk = records(1, 3 * BLOCK);
        let at = chunk.as_ptr();
        shelf.append(chunk);
        assert_eq!(shelf.get(1).map(|r| r as *const Record), Some(at));
        shelf.push(Record::new("last", "s", "r"));
        assert_eq!(shelf.get(3 * BLOCK + 1).unwrap().id, "last");
    }
}

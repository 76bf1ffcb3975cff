//! The catalogue's records, kept in the chunks loading gave them in.
//!
//! Loading parses a large source in chunks of thousands of records, in parallel. Copying them into one vector
//! held every record twice until the last chunk had moved (at 1,000,000 records, 0.4 GB more at the peak: a
//! block freed by another thread than the one that allocated it is not soon reused). A chunk is kept as it
//! is instead; record i is found through a table of which chunk each block of `BLOCK` records starts in.

use super::Record;

const BLOCK_BITS: u32 = 10;
/// Records a block of the table covers; a chunk shorter than that is copied, so a block spans few chunks.
const BLOCK: usize = 1 << BLOCK_BITS;

#[derive(Debug, Default)]
pub struct Shelf {
    chunks: Vec<Vec<Record>>,
    /// How many records come before chunk c.
    starts: Vec<usize>,
    /// For each block of `BLOCK` records, the chunk its first record is in.
    blocks: Vec<u32>,
    /// Whether the last chunk takes `push`es (it is not one kept as given).
    open: bool,
    len: usize,
}

impl Shelf {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn get(&self, i: usize) -> Option<&Record> {
        if i >= self.len {
            return None;
        }
        let mut c = self.blocks[i >> BLOCK_BITS] as usize;
        while self.starts.get(c + 1).is_some_and(|&s| s <= i) {
            c += 1;
        }
        self.chunks[c].get(i - self.starts[c])
    }

    #[cfg(test)]
    pub fn get_mut(&mut self, i: usize) -> Option<&mut Record> {
        let (c, start) = (0..self.chunks.len())
            .rev()
            .map(|c| (c, self.starts[c]))
            .find(|&(_, s)| s <= i)?;
        self.chunks[c].get_mut(i - start)
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &Record> + Clone {
        self.chunks.iter().flatten()
    }

    /// Adds a record after the others.
    pub fn push(&mut self, record: Record) {
        if !self.open {
            self.start_chunk(Vec::new());
            self.open = true;
        }
        self.chunks.last_mut().expect("just opened").push(record);
        self.grew(1);
    }

    /// Adds records after the others: a chunk of at least `BLOCK` is kept as it is, not copied.
    pub fn append(&mut self, records: Vec<Record>) {
        if records.len() < BLOCK {
            records.into_iter().for_each(|r| self.push(r));
            return;
        }
        let n = records.len();
        self.start_chunk(records);
        self.open = false;
        self.grew(n);
    }

    fn start_chunk(&mut self, records: Vec<Record>) {
        self.starts.push(self.len);
        self.chunks.push(records);
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

//! The data: record model, the two input formats, loading, diagnostics and validation.

pub mod canon;
pub mod diagnostic;
pub mod embedded;
pub mod environment;
pub mod error;
pub mod fields;
pub mod index;
pub mod index_file;
pub mod index_write;
pub mod lean;
pub mod load;
pub mod localized;
pub mod origins;
pub mod parse;
pub mod record;
pub mod regex_facts;
pub mod seed;
pub mod shelf;
pub mod source;
pub mod stats;
pub mod tables;
pub mod validate;
pub mod view;

pub use diagnostic::{Diagnostic, Position, Severity};
pub use load::Input;
pub use localized::{Lang, Localized};
pub use record::{
    DeadEnd, EdgeKind, Record, RecordDetails, Resolvability, Resolvable, Transition, Workaround,
    ZhItem,
};

use regex_facts::RegexFacts;
use std::hash::BuildHasher;
use std::path::PathBuf;

/// Every record loaded, where each came from, and every problem met on the way.
#[derive(Debug, Default)]
pub struct Catalog {
    /// Record i is `catalog[i]`.
    records: shelf::Shelf,
    /// Where record i starts in its file.
    pub origins: origins::Origins,
    pub diagnostics: Vec<Diagnostic>,
    /// How many files were read (broken ones included).
    pub files: usize,
    /// Whether loading checked the regexes (the browser checks them after its first frame instead).
    pub regexes_checked: bool,
    /// Indices into `records`, by id: the ids are not copied. foldhash, not SipHash: hashing a million ids
    /// was a tenth of loading them.
    by_id: hashbrown::HashTable<Slot>,
    hasher: foldhash::fast::RandomState,
    /// What is known of each record's regex without parsing it (from the build or an index); empty when
    /// nothing is, and `None` for a record whose regex must be parsed. Records past its end are not known
    /// of, or are still index entries, which know (`regex_facts`).
    facts: Vec<Option<Option<RegexFacts>>>,
    /// The word weights to rank with when the catalogue holds only some records of its sources (a lookup
    /// through the index, `tables`); otherwise its own.
    pub weights: tables::Weights,
}

impl Catalog {
    /// Loads the embedded catalogue (unless `embedded` is false) and then every path, in that order.
    pub fn load(embedded: bool, paths: &[PathBuf]) -> Catalog {
        Catalog::load_with(embedded, paths, &load::Options::default())
    }

    /// `load` with explicit options (`search` skips regex checks it has no use for).
    pub fn load_with(embedded: bool, paths: &[PathBuf], options: &load::Options) -> Catalog {
        Catalog::load_through(embedded, paths, options, None)
    }

    /// `load_with` through the persistent index in the cache directory `cache` (see `index`): unchanged
    /// files come from there, the others are parsed and the index updated. Regex checks are not kept in the
    /// index: with `check_regexes`, everything is parsed.
    pub fn load_cached(
        embedded: bool,
        paths: &[PathBuf],
        options: &load::Options,
        cache: &std::path::Path,
    ) -> Catalog {
        let cache = (!options.check_regexes).then_some(cache);
        Catalog::load_through(embedded, paths, options, cache)
    }

    fn load_through(
        embedded: bool,
        paths: &[PathBuf],
        options: &load::Options,
        cache: Option<&std::path::Path>,
    ) -> Catalog {
        let mut diagnostics = Vec::new();
        if !paths.is_empty() {
            // Walking and parsing files allocates in both threads, what mimalloc is faster at.
            crate::allocator::bulk();
        }
        let mut inputs = Catalog::embedded_inputs(embedded);
        let own = inputs.len();
        // Each path's index, opened before the walk: it knows the directories and what to `stat`.
        let indexes: Vec<Option<(PathBuf, Option<index::Index>)>> = paths
            .iter()
            .map(|path| {
                let file = index::file_for(cache?, path);
                let opened = index::Index::open(&file);
                Some((file, opened))
            })
            .collect();
        let mut listings: Vec<load::Listings> = indexes
            .iter()
            .map(|i| index::listings(i.as_ref().and_then(|(_, opened)| opened.as_ref())))
            .collect();
        let (found, ranges) = load::discover_each(paths, &mut listings, &mut diagnostics);
        inputs.extend(found);
        let mut catalog = Catalog {
            files: inputs.len(),
            diagnostics,
            regexes_checked: options.check_regexes,
            ..Catalog::default()
        };
        let parsed = |inputs: &[Input]| {
            load::parse_all(inputs, options)
                .into_iter()
                .map(|p| (p, None))
        };
        let parsed_all: Vec<index::Sourced> = match cache {
            None => parsed(&inputs).collect(),
            Some(dir) => {
                let embedded = load::parse_all(&inputs[..own], options);
                if own > 0 {
                    index::write_embedded(dir, &embedded);
                }
                let mut all: Vec<index::Sourced> =
                    embedded.into_iter().map(|p| (p, None)).collect();
                for ((range, walked), index) in ranges.into_iter().zip(listings).zip(indexes) {
                    let range = range.start + own..range.end + own;
                    let Some((file, opened)) = index else {
                        continue;
                    };
                    all.extend(index::parse_source(
                        &file,
                        opened,
                        walked,
                        &inputs[range],
                        options,
                    ));
                }
                all
            }
        };
        let total: usize = parsed_all
            .iter()
            .map(|(p, unbuilt)| {
                let unbuilt = unbuilt.as_ref().map_or(0, |u| u.len);
                p.chunks.iter().map(load::Chunk::len).sum::<usize>() + unbuilt
            })
            .sum();
        catalog.origins.reserve(total);
        // Empty yet, so nothing needs rehashing.
        catalog.by_id.reserve(total, Slot::hash);
        for (parsed, unbuilt) in parsed_all {
            catalog.diagnostics.extend(parsed.diagnostics);
            let mut facts = parsed.facts.into_iter();
            for chunk in parsed.chunks {
                let known: Vec<_> = facts.by_ref().take(chunk.len()).collect();
                catalog.append(chunk, known);
            }
            if let Some(unbuilt) = unbuilt {
                catalog.append_unbuilt(unbuilt);
            }
        }
        catalog
    }

    /// What `load` reads: the embedded catalogue (unless `embedded` is false), then the files of every path.
    pub fn inputs(
        embedded: bool,
        paths: &[PathBuf],
        diagnostics: &mut Vec<Diagnostic>,
    ) -> Vec<Input> {
        let mut inputs = Catalog::embedded_inputs(embedded);
        inputs.extend(load::discover(paths, diagnostics));
        inputs
    }

    /// The embedded catalogue's inputs (none unless `embedded`).
    pub fn embedded_inputs(embedded: bool) -> Vec<Input> {
        if !embedded {
            return Vec::new();
        }
        embedded::SEEDS
            .iter()
            .map(|(name, text, prebuilt)| Input::Embedded {
                name,
                text,
                prebuilt: prebuilt.as_ref(),
            })
            .collect()
    }

    /// Only the embedded catalogue.
    pub fn embedded() -> Catalog {
        Catalog::load(true, &[])
    }

    /// `add`, with what is known of the record's regex (`regex_facts::facts`).
    pub fn add_with_facts(&mut self, record: Record, at: Position, facts: Option<RegexFacts>) {
        if self.add(record, at) {
            self.facts.resize(self.records.len() - 1, None);
            self.facts.push(Some(facts));
        }
    }

    /// What is known of record i's regex without parsing it: `None` when nothing is, `Some(None)` when it
    /// does not parse.
    pub fn regex_facts(&self, i: usize) -> Option<Option<RegexFacts>> {
        if let Some(entry) = self.records.entry(i) {
            return Some(entry.facts());
        }
        self.facts.get(i)?.clone()
    }

    /// Adds a record; a duplicate id keeps the first and warns, naming both places. Whether it was added.
    pub fn add(&mut self, record: Record, at: Position) -> bool {
        if let Some(first) = self.index_of(&record.id) {
            self.diagnostics
                .push(duplicate(&record.id, &at, &self.origins.get(first)));
            return false;
        }
        let slot = Slot::new(self.records.len(), self.hasher.hash_one(&record.id));
        self.by_id.insert_unique(slot.hash(), slot, Slot::hash);
        self.records.push(record);
        self.origins.push(at);
        if !self.facts.is_empty() {
            self.facts.push(None);
        }
        true
    }

    /// `add` for each record of a chunk loading gave (with what is known of each one's regex, if anything), the
    /// chunk's memory kept: see `shelf`.
    fn append(&mut self, chunk: load::Chunk, facts: Vec<Option<Option<RegexFacts>>>) {
        if chunk.len() < shelf::BLOCK {
            // The shelf copies a short chunk anyway: record by record.
            let mut facts = facts.into_iter();
            for (record, at) in chunk {
                match facts.next() {
                    Some(Some(known)) => self.add_with_facts(record, at, known),
                    _ => {
                        self.add(record, at);
                    }
                }
            }
            return;
        }
        let load::Chunk {
            mut records,
            mut at,
        } = chunk;
        let from = self.records.len();
        let kept = self.keep_new_ids(
            records.len(),
            |k| records[k].id.as_str(),
            |k| at[k].clone(),
            || {},
        );
        let mut facts = facts;
        if kept.len() < records.len() {
            let keep = |v: usize| kept.binary_search(&(v as u32)).is_ok();
            let mut k = 0..;
            records.retain(|_| keep(k.next().unwrap_or(0)));
            let mut k = 0..;
            at.retain(|_| keep(k.next().unwrap_or(0)));
            if !facts.is_empty() {
                let mut k = 0..;
                facts.retain(|_| keep(k.next().unwrap_or(0)));
            }
        }
        if facts.is_empty() {
            if !self.facts.is_empty() {
                self.facts.resize(from + records.len(), None);
            }
        } else {
            self.facts.resize(from, None);
            self.facts.extend(facts);
        }
        self.records.append(records);
        self.origins.extend(at);
    }

    /// Which of `n` records to add after the others (their ids `id(k)`, places `at(k)`): not an id the
    /// catalogue has, nor one kept earlier among them; each kept id goes into `by_id` as it is met (as record
    /// `len()` + its place among those kept), each other one is warned about. `every` runs every
    /// `LET_GO_EVERY` records (to let go of an index's pages).
    fn keep_new_ids<'a>(
        &mut self,
        n: usize,
        id: impl Fn(usize) -> &'a str,
        at: impl Fn(usize) -> Position,
        every: impl Fn(),
    ) -> Vec<u32> {
        let from = self.records.len();
        let mut kept: Vec<u32> = Vec::with_capacity(n);
        for k in 0..n {
            if k % LET_GO_EVERY == LET_GO_EVERY - 1 {
                every();
            }
            let new = Slot::new(from + kept.len(), self.hasher.hash_one(id(k)));
            let shelf = &self.records;
            let id_of = |i: usize, kept: &[u32]| match i.checked_sub(from) {
                Some(n) => id(kept[n] as usize),
                None => id_at(shelf, i),
            };
            let same = |s: &Slot| s.tag == new.tag && id_of(s.record(), &kept) == id(k);
            match self.by_id.find(new.hash(), same).map(Slot::record) {
                Some(first) => {
                    let first = match first.checked_sub(from) {
                        Some(n) => at(kept[n] as usize),
                        None => self.origins.get(first),
                    };
                    self.diagnostics.push(duplicate(id(k), &at(k), &first));
                }
                None => {
                    kept.push(k as u32);
                    self.by_id.insert_unique(new.hash(), new, Slot::hash);
                }
            }
        }
        kept
    }

    /// `append` for a file's records left in its index: they are built only when read, a run at a time;
    /// repeated ids are read from the index.
    fn append_unbuilt(&mut self, unbuilt: index::Unbuilt) {
        let index::Unbuilt {
            index,
            file,
            len,
            bytes,
            name,
        } = unbuilt;
        let entries = &index.data().files[file];
        let id = |k: usize| entries.entry(k).id.as_str();
        // Each position read from the entry when needed, not gathered in a vector to be copied.
        let at = |k: usize| entries.entry(k).position(&name);
        let kept = self.keep_new_ids(len, id, at, || index.let_go());
        // No facts kept for these: `regex_facts` reads them from the entries (a million `None`s were 32 MB).
        self.origins.reserve_exact(kept.len());
        for (n, &k) in kept.iter().enumerate() {
            if n % LET_GO_EVERY == LET_GO_EVERY - 1 {
                index.let_go();
            }
            self.origins.push(at(k as usize));
        }
        // Consecutive entries kept, each a run of its own.
        let mut start = 0;
        while start < kept.len() {
            // Built a run at a time: a few thousand records, however large the file.
            let mut end = start + 1;
            while end < kept.len() && kept[end] == kept[end - 1] + 1 && end - start < load::CHUNK {
                end += 1;
            }
            self.records.append_run(shelf::Run::new(
                index.clone(),
                file,
                kept[start] as usize,
                end - start,
                bytes.clone(),
            ));
            start = end;
        }
        index.let_go();
    }

    pub fn index_of(&self, id: &str) -> Option<usize> {
        let slot = Slot::new(0, self.hasher.hash_one(id));
        let same = |s: &Slot| s.tag == slot.tag && id_at(&self.records, s.record()) == id;
        self.by_id.find(slot.hash(), same).map(Slot::record)
    }

    /// What scans read of record i, without building it (see `shelf`).
    pub fn view(&self, i: usize) -> view::View<'_> {
        match self.records.view(i) {
            Some(v) => v,
            None => panic!("record {i} of {}", self.len()),
        }
    }

    /// Lets go of the pages of the indexes that unbuilt records were read from (a scan over every record's
    /// view reads them all).
    pub fn let_go(&self) {
        self.records.let_go();
    }

    /// Every record's view, in order, letting go of the indexes' pages as it goes (see `let_go`).
    pub fn views(&self) -> impl Iterator<Item = view::View<'_>> {
        (0..self.len()).map(move |i| {
            if i % LET_GO_EVERY == LET_GO_EVERY - 1 {
                self.let_go();
            }
            self.view(i)
        })
    }

    pub fn get(&self, id: &str) -> Option<&Record> {
        self.index_of(id).map(|i| &self.records[i])
    }

    /// Every record, in catalogue order.
    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &Record> + Clone {
        self.records.iter()
    }

    /// Every record, in catalogue order, in parallel.
    pub fn par_iter(&self) -> impl rayon::iter::IndexedParallelIterator<Item = &Record> {
        use rayon::prelude::*;
        (0..self.len()).into_par_iter().map(|i| &self[i])
    }

    /// Whether some records are still entries of an index, built when read (a large file's, see `shelf`).
    pub fn has_unbuilt(&self) -> bool {
        self.records.has_unbuilt()
    }

    pub fn len(&self) -> usize {
        self.records.len()
    }

    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// The warnings for the regexes that do not compile, in catalogue order; what loading with regex checks
    /// adds to `diagnostics`. In parallel: about 3 µs a regex.
    pub fn regex_warnings(&self) -> Vec<Diagnostic> {
        use rayon::prelude::*;
        (0..self.records.len().div_ceil(LET_GO_EVERY))
            .into_par_iter()
            .flat_map_iter(|part| {
                let part = part * LET_GO_EVERY..self.len().min((part + 1) * LET_GO_EVERY);
                let found: Vec<Diagnostic> = part
                    .filter_map(|i| {
                        // An index entry knows whether its regex parses.
                        let v = self.view(i);
                        match v.regex_parses() {
                            Some(true) => None,
                            _ => parse::regex_warning(v.id(), v.regex(), &self.origins.get(i)),
                        }
                    })
                    .collect();
                self.let_go();
                found
            })
            .collect()
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .count()
    }
}

impl std::ops::Index<usize> for Catalog {
    type Output = Record;

    fn index(&self, i: usize) -> &Record {
        &self.records[i]
    }
}

/// For unit tests that change a record after loading; never its id, which `index_of` finds it by.
#[cfg(test)]
impl std::ops::IndexMut<usize> for Catalog {
    fn index_mut(&mut self, i: usize) -> &mut Record {
        self.records.get_mut(i).expect("a record of the catalogue")
    }
}

/// How many records a scan reads of an index between two lettings go of its pages (a few megabytes of them).
pub const LET_GO_EVERY: usize = 16_384;

/// Record i's id, read without building the record.
/// A record in `by_id`: its index, and half of its id's hash, which places it in the table and is compared
/// before its id is read. A record left in an index has its id read from there: comparing ids on each of the
/// table's 7-bit matches read index pages all over (and kept them: 300 MB at 1,000,000 records), and
/// growing the table read every id.
#[derive(Clone, Copy, Debug)]
struct Slot {
    record: u32,
    tag: u32,
}

impl Slot {
    fn new(record: usize, hash: u64) -> Slot {
        Slot {
            record: u32::try_from(record).expect("fewer than 2^32 records"),
            tag: tables::tag_of(hash),
        }
    }

    fn record(&self) -> usize {
        self.record as usize
    }

    /// Its place in the table, from `tag` alone.
    fn hash(&self) -> u64 {
        tables::place_of(self.tag)
    }
}

fn id_at(records: &shelf::Shelf, i: usize) -> &str {
    records.view(i).map_or("", view::View::id)
}

/// The warning for a record skipped for its id, `first` where the kept one is.
fn duplicate(id: &str, at: &Position, first: &Position) -> Diagnostic {
    Diagnostic::warning(
        at,
        format!("duplicate id `{id}`: already defined at {first}; this one is skipped"),
    )
}

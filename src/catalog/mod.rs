//! The data: record model, the two input formats, loading, diagnostics and validation.

pub mod canon;
pub mod diagnostic;
pub mod embedded;
pub mod environment;
pub mod error;
pub mod fields;
pub mod index;
pub mod lean;
pub mod load;
pub mod localized;
pub mod parse;
pub mod record;
pub mod regex_facts;
pub mod seed;
pub mod shelf;
pub mod source;
pub mod stats;
pub mod tables;
pub mod validate;

pub use diagnostic::{Diagnostic, Position, Severity};
pub use load::Input;
pub use localized::{Lang, Localized};
pub use record::{
    DeadEnd, EdgeKind, Record, RecordDetails, Resolvability, Resolvable, Transition, Workaround,
    ZhItem,
};

use regex_facts::RegexFacts;
use std::collections::HashMap;
use std::hash::BuildHasher;
use std::path::PathBuf;

/// Every record loaded, where each came from, and every problem met on the way.
#[derive(Debug, Default)]
pub struct Catalog {
    /// Record i is `catalog[i]`.
    records: shelf::Shelf,
    /// Where record i starts in its file.
    pub origins: Vec<Position>,
    pub diagnostics: Vec<Diagnostic>,
    /// How many files were read (broken ones included).
    pub files: usize,
    /// Whether loading checked the regexes (the browser checks them after its first frame instead).
    pub regexes_checked: bool,
    /// Indices into `records`, by id: the ids are not copied. foldhash, not SipHash: hashing a million ids
    /// was a tenth of loading them.
    by_id: hashbrown::HashTable<usize>,
    hasher: foldhash::fast::RandomState,
    /// What is known of each record's regex without parsing it (from the build); empty when nothing is, and
    /// `None` for a record whose regex must be parsed.
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
        let parsed_all = match cache {
            None => load::parse_all(&inputs, options),
            Some(dir) => {
                let mut all = load::parse_all(&inputs[..own], options);
                if own > 0 {
                    index::write_embedded(dir, &all);
                }
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
            .flat_map(|p| &p.chunks)
            .map(load::Chunk::len)
            .sum();
        catalog.origins.reserve(total);
        // Empty yet, so nothing needs rehashing.
        catalog.by_id.reserve(total, |_| 0);
        for parsed in parsed_all {
            catalog.diagnostics.extend(parsed.diagnostics);
            let mut facts = parsed.facts.into_iter();
            for chunk in parsed.chunks {
                let known: Vec<_> = facts.by_ref().take(chunk.len()).collect();
                catalog.append(chunk, known);
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
    pub fn regex_facts(&self, i: usize) -> Option<Option<&RegexFacts>> {
        self.facts.get(i)?.as_ref().map(Option::as_ref)
    }

    /// Adds a record; a duplicate id keeps the first and warns, naming both places. Whether it was added.
    pub fn add(&mut self, record: Record, at: Position) -> bool {
        if let Some(first) = self.index_of(&record.id) {
            self.diagnostics
                .push(duplicate(&record.id, &at, &self.origins[first]));
            return false;
        }
        let hash = self.hasher.hash_one(&record.id);
        let records = &self.records;
        let hasher = &self.hasher;
        self.by_id
            .insert_unique(hash, records.len(), |&i| hasher.hash_one(&records[i].id));
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
        let load::Chunk {
            mut records,
            mut at,
        } = chunk;
        // The records to skip: an id the catalogue has, or that came earlier in the chunk.
        let mut earlier: HashMap<&str, usize, foldhash::fast::RandomState> = HashMap::default();
        let skip: Vec<bool> = (records.iter().zip(&at).enumerate())
            .map(|(k, (r, here))| {
                let first = match self.index_of(&r.id) {
                    Some(i) => &self.origins[i],
                    None => match earlier.entry(&r.id) {
                        std::collections::hash_map::Entry::Occupied(e) => &at[*e.get()],
                        std::collections::hash_map::Entry::Vacant(e) => {
                            e.insert(k);
                            return false;
                        }
                    },
                };
                self.diagnostics.push(duplicate(&r.id, here, first));
                true
            })
            .collect();
        drop(earlier);
        let mut facts = facts;
        if skip.iter().any(|&s| s) {
            let mut keep = skip.iter().map(|s| !s);
            records.retain(|_| keep.next().unwrap_or(true));
            let mut keep = skip.iter().map(|s| !s);
            at.retain(|_| keep.next().unwrap_or(true));
            if !facts.is_empty() {
                let mut keep = skip.iter().map(|s| !s);
                facts.retain(|_| keep.next().unwrap_or(true));
            }
        }
        let from = self.records.len();
        for (k, r) in records.iter().enumerate() {
            let hash = self.hasher.hash_one(&r.id);
            let (shelf, hasher) = (&self.records, &self.hasher);
            let id_of = |i: usize| match i.checked_sub(from) {
                Some(k) => &records[k].id,
                None => &shelf[i].id,
            };
            self.by_id
                .insert_unique(hash, from + k, |&i| hasher.hash_one(id_of(i)));
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
        self.origins.append(&mut at);
    }

    pub fn index_of(&self, id: &str) -> Option<usize> {
        let hash = self.hasher.hash_one(id);
        self.by_id
            .find(hash, |&i| self.records[i].id == id)
            .copied()
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
        (0..self.records.len())
            .into_par_iter()
            .filter_map(|i| parse::regex_warning(&self.records[i], &self.origins[i]))
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

/// The warning for a record skipped for its id, `first` where the kept one is.
fn duplicate(id: &str, at: &Position, first: &Position) -> Diagnostic {
    Diagnostic::warning(
        at,
        format!("duplicate id `{id}`: already defined at {first}; this one is skipped"),
    )
}

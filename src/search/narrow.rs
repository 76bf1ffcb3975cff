//! A lookup through current indexes builds only the records the message can reach.
//!
//! Loading a large catalogue for one lookup built every record, and the lookup every regex literal and word
//! of it (five seconds at 1,000,000 records). With every source's index current (`index::warm`), the
//! index's tables (`catalog::tables`) give the records whose required literals occur in the message, those
//! that require none, and those sharing enough words with the message's key lines to be ranked by
//! similarity; a catalogue of those alone, with the whole catalogue's word weights, ranks as the whole one
//! does (tested against it), because a record outside it can neither match nor come close enough.

use super::keylines::key_lines;
use super::lookup::{APPROXIMATE_FLOOR, LookupEnv, LookupHit, approximate_hit, ranking};
use super::prefilter::ascii_twins;
use super::similarity::{UNKNOWN_WEIGHT, Weight, f1, weight};
use crate::catalog::environment::RecordEnvironment;
use crate::catalog::index::{ArchivedIndexData, Index, Warm};
use crate::catalog::record::Bytes;
use crate::catalog::tables::{Idf, Weights, idf};
use crate::catalog::{Catalog, Diagnostic, embedded};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// Word weights over every record of the sources.
struct Sources {
    indexes: Vec<Index>,
    /// Whether the first index is the embedded catalogue's.
    embedded: bool,
    records: usize,
}

impl Idf for Sources {
    fn idf(&self, word: &str) -> Option<f64> {
        let df: usize = self
            .indexes
            .iter()
            .filter_map(|i| {
                let t = &i.data().tables;
                Some(t.df(t.word(word)?))
            })
            .sum();
        (df > 0).then(|| idf(self.records, df))
    }
}

impl Sources {
    /// Whether two sources share a record id: loading keeps the first and the weights count it once, which
    /// the tables cannot know.
    fn share_an_id(&self) -> bool {
        let data: Vec<_> = self.indexes.iter().map(Index::data).collect();
        for (a, x) in data.iter().enumerate() {
            for y in &data[a + 1..] {
                let (small, large) = if x.tables.len() <= y.tables.len() {
                    (x, y)
                } else {
                    (y, x)
                };
                for k in 0..small.tables.len() as u32 {
                    let (f, i) = small.tables.at(k);
                    if find_id(large, small.files[f].entry(i).id.as_str()).is_some() {
                        return true;
                    }
                }
            }
        }
        false
    }
}

/// Lookups through current indexes.
pub struct Narrowing {
    sources: Arc<Sources>,
    /// What the walk met.
    diagnostics: Vec<Diagnostic>,
}

impl std::fmt::Debug for Narrowing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Narrowing({} records)", self.len())
    }
}

impl Narrowing {
    /// Lookups through the current indexes `warm`; `None` when the sources share a record id (the whole
    /// catalogue is then loaded).
    pub fn new(warm: Warm) -> Option<Narrowing> {
        let Warm {
            indexes,
            embedded,
            diagnostics,
        } = warm;
        let records = indexes.iter().map(|i| i.data().tables.len()).sum();
        let sources = Arc::new(Sources {
            indexes,
            embedded,
            records,
        });
        (!sources.share_an_id()).then_some(Narrowing {
            sources,
            diagnostics,
        })
    }

    /// A catalogue of the record with the id `id` alone (what `errdex show` needs), with the whole
    /// catalogue's diagnostics; `None` when no source has it.
    pub fn with_id(&self, id: &str) -> Option<Catalog> {
        let (s, k) = self
            .sources
            .indexes
            .iter()
            .enumerate()
            .find_map(|(s, index)| Some((s, find_id(index.data(), id)?)))?;
        Some(build(&self.sources, self.diagnostics.clone(), vec![(s, k)]))
    }

    /// A catalogue of the first `n` records, in catalogue order, whose id `keep` keeps (what `errdex show`
    /// suggests when no record has the id asked for), with the whole catalogue's diagnostics. Reads every id
    /// of the indexes, letting go of their pages as it goes.
    pub fn with_ids_where(&self, keep: impl Fn(&str) -> bool, n: usize) -> Catalog {
        let mut reached = Vec::new();
        let mut read = 0;
        'sources: for (s, index) in self.sources.indexes.iter().enumerate() {
            let data = index.data();
            for k in 0..data.tables.len() as u32 {
                if reached.len() == n {
                    break 'sources;
                }
                read += 1;
                if read % LET_GO_IDS_EVERY == 0 {
                    index.let_go();
                }
                let (f, i) = data.tables.at(k);
                if keep(data.files[f].entry(i).id.as_str()) {
                    reached.push((s, k));
                }
            }
        }
        build(&self.sources, self.diagnostics.clone(), reached)
    }

    /// How many records the whole catalogue has.
    pub fn len(&self) -> usize {
        self.sources.records
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// A catalogue of the whole catalogue's first `n` records, in its order (what the browser shows while the
    /// rest loads), with its diagnostics.
    pub fn first(&self, n: usize) -> Catalog {
        let reached = self
            .sources
            .indexes
            .iter()
            .enumerate()
            .flat_map(|(s, index)| (0..index.data().tables.len() as u32).map(move |k| (s, k)))
            .take(n)
            .collect();
        build(&self.sources, self.diagnostics.clone(), reached)
    }

    /// Lookups through the indexes in `cache` of a catalogue just loaded from them (`embedded`, `paths`), when
    /// it left records there (a large file's: see `index::parse_source`) and the indexes are current: over
    /// such a catalogue, a lookup index would build every record (a gigabyte at 1,000,000 records).
    pub fn after_load(
        loaded: &Catalog,
        embedded: bool,
        paths: &[std::path::PathBuf],
        cache: &Path,
    ) -> Option<Narrowing> {
        if !loaded.has_unbuilt() {
            return None;
        }
        // The indexes written in the background, if any, are whole first.
        crate::catalog::index::wait_for_writes();
        Narrowing::new(crate::catalog::index::warm(embedded, paths, cache)?)
    }

    /// The best `limit` hits for `message` in `env`, and the catalogue of the records reached they point
    /// into: what a lookup over the whole catalogue gives first (see `catalog`).
    pub fn lookup(
        &self,
        message: &str,
        limit: usize,
        env: &LookupEnv,
    ) -> (Catalog, Vec<LookupHit>) {
        let some = self.catalog(message, limit, env);
        let hits = super::lookup::LookupIndex::for_message(&some, message)
            .lookup_in(&some, message, limit, env);
        (some, hits)
    }

    /// The catalogue a lookup of `message` needs for its best `limit` hits in the environment `env`: every
    /// record whose regex may match, and the records the best `limit` hits by similarity alone can be
    /// (ranked here from the tables, as `LookupIndex` ranks them); in catalogue order, with the whole
    /// catalogue's word weights and diagnostics.
    pub fn catalog(&self, message: &str, limit: usize, env: &LookupEnv) -> Catalog {
        catalog_for(&self.sources, self.diagnostics.clone(), message, limit, env)
    }
}

fn catalog_for(
    sources: &Arc<Sources>,
    diagnostics: Vec<Diagnostic>,
    message: &str,
    limit: usize,
    env: &LookupEnv,
) -> Catalog {
    let mut reached: Vec<(usize, u32)> = Vec::new();
    let folded = ascii_twins(message).to_ascii_lowercase();
    for (s, index) in sources.indexes.iter().enumerate() {
        let mut found = Vec::new();
        index
            .data()
            .tables
            .regex_candidates(folded.as_bytes(), &mut found);
        reached.extend(found.into_iter().map(|k| (s, k)));
    }
    reached.sort_unstable();
    reached.dedup();
    // Of the others, only those that can be among the best `limit` by similarity: the order of hits found by
    // similarity alone does not depend on the other hits, so no record below the first `limit` of them can
    // be in the answer. (A regex candidate whose regex does not match is ranked by the lookup itself.)
    let env = env.for_message(message);
    let mut approximate: Vec<LookupHit> = similar(sources, message)
        .into_iter()
        .filter(|(r, _)| reached.binary_search(r).is_err())
        .map(|((s, k), similarity)| {
            let text = sources.indexes[s].data().tables.environment(k);
            let fit = env.fit(&RecordEnvironment::from_text(text).unwrap_or_default());
            approximate_hit(ordinal(s, k), similarity, fit)
        })
        .collect();
    if approximate.len() > limit {
        approximate.select_nth_unstable_by(limit, ranking);
        approximate.truncate(limit);
    }
    reached.extend(approximate.iter().map(|h| from_ordinal(h.index)));
    // What the selection read of the tables (posting lists, records' words) is not needed again.
    sources.indexes.iter().for_each(Index::let_go);
    reached.sort_unstable();
    build(sources, diagnostics, reached)
}

/// A catalogue of the records `reached` (in catalogue order) of `sources`, with the whole catalogue's word
/// weights and diagnostics (`diagnostics` the walk's, then every file's).
fn build(
    sources: &Arc<Sources>,
    diagnostics: Vec<Diagnostic>,
    reached: Vec<(usize, u32)>,
) -> Catalog {
    let mut catalog = Catalog::default();
    catalog.diagnostics = diagnostics;
    catalog.weights = Weights(Some(sources.clone()));
    for index in &sources.indexes {
        let files = &index.data().files;
        catalog.files += files.len();
        catalog
            .diagnostics
            .extend(files.iter().flat_map(|f| f.diagnostics()));
    }
    let mut names: HashMap<(usize, usize), (Bytes, Arc<str>)> = HashMap::new();
    for (n, (s, k)) in reached.into_iter().enumerate() {
        // The records copy what they hold: the pages they were read from are let go every so often, so a
        // lookup matching thousands of records does not hold hundreds of megabytes of the index.
        if n > 0 && n % LET_GO_EVERY == 0 {
            sources.indexes.iter().for_each(Index::let_go);
        }
        let data = sources.indexes[s].data();
        let (f, i) = data.tables.at(k);
        let entry = &data.files[f];
        let (file, name) = names.entry((s, f)).or_insert_with(|| {
            let path = entry.path.as_str();
            // The embedded catalogue's details are in the binary, its files in seed order.
            let bytes = match sources.embedded && s == 0 {
                true => Bytes::Static(embedded::SEEDS[f].1.as_bytes()),
                false => Bytes::File(Arc::from(Path::new(path))),
            };
            (bytes, Arc::from(path))
        });
        let (record, at, facts) = entry.loaded(file, name, i);
        catalog.add_with_facts(record, at, facts);
    }
    catalog
}

/// How many ids are read from the indexes between two lettings go of their pages: a page holds the entries
/// of a few records, so this many hold a few megabytes.
const LET_GO_IDS_EVERY: usize = 16_384;

/// How many records are built from the indexes between two lettings go of their pages.
const LET_GO_EVERY: usize = 16;

/// The record of a source with the id `id`.
fn find_id(data: &ArchivedIndexData, id: &str) -> Option<u32> {
    data.tables.find_id(id, |k| {
        let (f, i) = data.tables.at(k);
        data.files[f].entry(i).id.as_str()
    })
}

/// A record's place in catalogue order: its source, then its place there.
fn ordinal(s: usize, k: u32) -> usize {
    (s << 32) | k as usize
}

fn from_ordinal(o: usize) -> (usize, u32) {
    (o >> 32, o as u32)
}

/// The records whose signature and aliases come within `APPROXIMATE_FLOOR` of one of the message's weightiest
/// key lines, with their best similarity (what `LookupIndex::approximate` ranks), found along the posting
/// lists of the lines' words.
///
/// Similarity is the F1 of shared weight over the line's weight `T` and over the record's own `W`, which is
/// `2S / (T + W)`; as `W >= S`, it is at most `2S / (T + S)`, so a record sharing less than
/// `floor * T / (2 - floor)` cannot reach the floor. The line's commonest words, while together below
/// that, are not followed along their (long) posting lists: a record having only those cannot come close;
/// for the others they are looked up in the record's own words (MaxScore, in search engines' terms).
fn similar(sources: &Sources, message: &str) -> HashMap<(usize, u32), f64> {
    let lines = key_lines(message);
    let max = lines.iter().map(|l| l.weight).fold(0.0, f64::max);
    let one = sources.indexes.len() == 1;
    // With several sources, a record's weight is summed from its words' weights over all of them, each
    // word's asked once.
    let mut weight_of: HashMap<(usize, u32), Weight, foldhash::fast::RandomState> =
        HashMap::default();
    let mut own = |s: usize, k: u32| -> Weight {
        let t = &sources.indexes[s].data().tables;
        if one {
            return t.record_weight(k);
        }
        t.words_of(k)
            .map(|w| {
                *weight_of.entry((s, w)).or_insert_with(|| {
                    weight(
                        sources
                            .idf(t.words[w as usize].as_str())
                            .unwrap_or(UNKNOWN_WEIGHT),
                    )
                })
            })
            .sum()
    };
    let mut out: HashMap<(usize, u32), f64> = HashMap::new();
    for line in lines.iter().filter(|l| l.weight >= max) {
        let mut words = crate::text::words(line.text);
        words.sort_unstable();
        words.dedup();
        // The line's known words with their weights, commonest first, and the line's whole weight.
        let mut known: Vec<(Weight, &str)> = Vec::new();
        let mut text = 0;
        for word in &words {
            let global = sources.idf(word);
            text += weight(global.unwrap_or(UNKNOWN_WEIGHT));
            if let Some(g) = global {
                known.push((weight(g), word));
            }
        }
        known.sort_unstable();
        let needed = APPROXIMATE_FLOOR * text as f64 / (2.0 - APPROXIMATE_FLOOR);
        let mut common = 0;
        let mut below: Weight = 0;
        // A hair of margin: the bound is only a shortcut, and must never leave out a record that reaches.
        while common < known.len() && ((below + known[common].0) as f64) < needed * 0.999_999 {
            below += known[common].0;
            common += 1;
        }
        for (s, index) in sources.indexes.iter().enumerate() {
            let t = &index.data().tables;
            let ids = |words: &[(Weight, &str)]| -> Vec<(Weight, u32)> {
                words
                    .iter()
                    .filter_map(|&(g, w)| Some((g, t.word(w)?)))
                    .collect()
            };
            let (rare, commonest) = (ids(&known[common..]), ids(&known[..common]));
            let mut shared: Vec<Weight> = vec![0; t.len()];
            let mut reached: Vec<u32> = Vec::new();
            for &(g, w) in &rare {
                for k in t.posting(w) {
                    if shared[k as usize] == 0 {
                        reached.push(k);
                    }
                    shared[k as usize] += g;
                }
            }
            for k in reached {
                let mut sum = shared[k as usize];
                sum += commonest
                    .iter()
                    .filter(|&&(_, w)| t.has_word(k, w))
                    .map(|&(g, _)| g)
                    .sum::<Weight>();
                let similarity = f1(sum, text, own(s, k));
                if similarity >= APPROXIMATE_FLOOR {
                    let best = out.entry((s, k)).or_insert(0.0);
                    *best = best.max(similarity);
                }
            }
        }
    }
    out
}

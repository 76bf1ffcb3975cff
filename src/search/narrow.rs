//! A lookup through current indexes builds only the records the message can reach.
//!
//! Loading a large catalogue for one lookup built every record, and the lookup every regex literal and word
//! of it (five seconds at 1,000,000 records). With every source's index current (`index::warm`), the
//! index's tables (`catalog::tables`) give the records whose required literals occur in the message, those
//! that require none, and those sharing enough words with the message's key lines to be ranked by
//! similarity; a catalogue of those alone, with the whole catalogue's word weights, ranks as the whole one
//! does (tested against it), because a record outside it can neither match nor come close enough.

use super::keylines::key_lines;
use super::lookup::APPROXIMATE_FLOOR;
use super::prefilter::ascii_twins;
use super::similarity::{UNKNOWN_WEIGHT, Weight, f1, weight};
use crate::catalog::index::{Index, Warm};
use crate::catalog::tables::{Idf, Weights, idf};
use crate::catalog::Catalog;
use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;

/// Word weights over every record of the sources.
struct Sources {
    indexes: Vec<Index>,
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
                    let id_of = |k| {
                        let (f, i) = large.tables.at(k);
                        large.files[f].records[i].id.as_str()
                    };
                    if large
                        .tables
                        .has_id(small.files[f].records[i].id.as_str(), id_of)
                    {
                        return true;
                    }
                }
            }
        }
        false
    }
}

/// The catalogue a lookup of `message` needs from the current indexes `warm`: every record it can reach, in
/// catalogue order, with the whole catalogue's word weights and diagnostics. `None` when the sources share a
/// record id (the whole catalogue is then loaded).
pub fn catalog_for(warm: Warm, message: &str) -> Option<Catalog> {
    let Warm {
        indexes,
        diagnostics,
    } = warm;
    let records = indexes.iter().map(|i| i.data().tables.len()).sum();
    let sources = Arc::new(Sources { indexes, records });
    if sources.share_an_id() {
        return None;
    }
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
    reached.extend(similar(&sources, message));
    reached.sort_unstable();
    reached.dedup();

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
    let mut names: HashMap<(usize, usize), (Arc<Path>, Arc<str>)> = HashMap::new();
    for (s, k) in reached {
        let data = sources.indexes[s].data();
        let (f, i) = data.tables.at(k);
        let entry = &data.files[f];
        let (file, name) = names.entry((s, f)).or_insert_with(|| {
            let path = entry.path.as_str();
            (Arc::from(Path::new(path)), Arc::from(path))
        });
        let (record, at, facts) = entry.loaded(file, name, i);
        catalog.add_with_facts(record, at, facts);
    }
    Some(catalog)
}

/// The records whose signature and aliases come within `APPROXIMATE_FLOOR` of one of the message's weightiest
/// key lines (what `LookupIndex::approximate` ranks), found along the posting lists of the lines' words.
fn similar(sources: &Sources, message: &str) -> Vec<(usize, u32)> {
    let lines = key_lines(message);
    let max = lines.iter().map(|l| l.weight).fold(0.0, f64::max);
    // Each word's weight in the whole catalogue, asked once (a word of one source is looked up in the others).
    let mut weight_of: HashMap<(usize, u32), Weight> = HashMap::new();
    let mut word_weight = |s: usize, w: u32| {
        *weight_of.entry((s, w)).or_insert_with(|| {
            let word = sources.indexes[s].data().tables.words[w as usize].as_str();
            weight(sources.idf(word).unwrap_or(UNKNOWN_WEIGHT))
        })
    };
    let mut out = Vec::new();
    for line in lines.iter().filter(|l| l.weight >= max) {
        let mut words = crate::text::words(line.text);
        words.sort_unstable();
        words.dedup();
        let mut text_weight = 0;
        let mut shared: HashMap<(usize, u32), Weight> = HashMap::new();
        for word in &words {
            let global = sources.idf(word);
            text_weight += weight(global.unwrap_or(UNKNOWN_WEIGHT));
            let Some(g) = global.map(weight) else {
                continue;
            };
            for (s, index) in sources.indexes.iter().enumerate() {
                let t = &index.data().tables;
                if let Some(w) = t.word(word) {
                    for k in t.posting(w) {
                        *shared.entry((s, k)).or_insert(0) += g;
                    }
                }
            }
        }
        for ((s, k), shared) in shared {
            let own: Weight = sources.indexes[s]
                .data()
                .tables
                .words_of(k)
                .map(|w| word_weight(s, w))
                .sum();
            if f1(shared, text_weight, own) >= APPROXIMATE_FLOOR {
                out.push((s, k));
            }
        }
    }
    out
}

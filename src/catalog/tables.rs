//! What a lookup reads of a whole catalogue source, kept in the source's index (`index`), so a lookup in a
//! large catalogue builds only the records a message can reach instead of every record, regex literal and
//! word of the catalogue on every run (five seconds at 1,000,000 records).
//!
//! Two ways a record reaches a message, as in `search::lookup`: its regex's required literals occur in it
//! (each branch's longest literal is a key; keys are found from their first four bytes, so a message is
//! read once whatever the number of keys), or its signature and aliases share words with it (posting lists
//! by word, with each record's words to weigh it). Both give a superset: the lookup itself then runs over
//! those records with the catalogue's word weights (`Idf`), and ranks exactly as over the whole catalogue.

use super::regex_facts::Requirement;
use std::collections::HashMap;
use std::hash::BuildHasher;

/// Keys are found by their first `GRAM` bytes; shorter keys are searched for one by one.
const GRAM: usize = 4;

#[derive(rkyv::Archive, rkyv::Serialize, rkyv::Deserialize, Debug, Clone, PartialEq, Default)]
pub struct LookupTables {
    /// Each record as (file, record in that file) of the index; a record whose id came earlier in the source
    /// is left out, as loading skips it.
    pub at: Vec<(u32, u32)>,
    /// (hash of the id, record), sorted: ids shared with another source are found without reading them all.
    pub ids: Vec<(u64, u32)>,
    /// Distinct keys (lower-case), and the records requiring each.
    pub keys: Vec<Vec<u8>>,
    pub key_records: Vec<Vec<u32>>,
    /// (the first `GRAM` bytes of a key, little-endian, key), sorted; keys shorter than `GRAM` in `short`.
    pub grams: Vec<(u32, u32)>,
    pub short: Vec<u32>,
    /// Records whose regex parses and requires no literal: candidates for every message.
    pub always: Vec<u32>,
    /// Signature and alias words (`text::words`), sorted; each word's records; each record's words (sorted).
    pub words: Vec<String>,
    pub postings: Vec<Vec<u32>>,
    pub record_words: Vec<Vec<u32>>,
    /// Each record's words' total weight, weighed within this source (the catalogue's own when it is the
    /// only source).
    pub record_weight: Vec<Weight>,
    /// Each record's environment (`RecordEnvironment::to_text`), here so that ranking thousands of records by
    /// similarity does not read each one's entry (a page each).
    pub environment: Vec<String>,
}

/// What the tables read of one record.
pub struct Entry<'a> {
    /// (file, record in that file) of the index.
    pub at: (u32, u32),
    pub id: &'a str,
    /// `None` when the regex does not parse; then what it requires (`regex_facts`).
    pub required: Option<Option<&'a Requirement>>,
    pub signature: &'a str,
    pub aliases: &'a [String],
    pub environment: &'a str,
}

/// The hash of a record id in `ids`: fixed, as it is kept on disk.
pub fn id_hash(id: &str) -> u64 {
    foldhash::quality::FixedState::with_seed(0x1d5).hash_one(id)
}

fn gram(key: &[u8]) -> Option<u32> {
    Some(u32::from_le_bytes(key.get(..GRAM)?.try_into().ok()?))
}

impl LookupTables {
    /// The tables of a source whose records are `records`, in catalogue order.
    pub fn build<'a>(records: impl Iterator<Item = Entry<'a>>) -> LookupTables {
        let mut seen: std::collections::HashSet<&str, foldhash::fast::RandomState> =
            Default::default();
        let kept: Vec<Entry> = records.filter(|r| seen.insert(r.id)).collect();
        let at = kept.iter().map(|r| r.at).collect();
        let record = |k: usize| &kept[k];
        let mut ids: Vec<(u64, u32)> = (0..kept.len())
            .map(|k| (id_hash(record(k).id), k as u32))
            .collect();
        ids.sort_unstable();

        let mut keys: Vec<Vec<u8>> = Vec::new();
        let mut key_records: Vec<Vec<u32>> = Vec::new();
        let mut slot: HashMap<&[u8], u32, foldhash::fast::RandomState> = Default::default();
        let mut always = Vec::new();
        // Word ids in order of first sight, renumbered in word order at the end.
        let mut word_ids: HashMap<String, u32, foldhash::fast::RandomState> = Default::default();
        let mut record_words: Vec<Vec<u32>> = Vec::with_capacity(kept.len());
        let mut buf = String::new();
        for k in 0..kept.len() {
            let r = record(k);
            match r.required {
                None => {}
                Some(None) => always.push(k as u32),
                Some(Some(required)) => {
                    for branch in required {
                        let Some(key) = branch.iter().max_by_key(|l| l.len()) else {
                            continue;
                        };
                        let next = keys.len() as u32;
                        let id = *slot.entry(key.as_slice()).or_insert(next);
                        if id == next {
                            keys.push(key.clone());
                            key_records.push(Vec::new());
                        }
                        let owners = &mut key_records[id as usize];
                        if owners.last() != Some(&(k as u32)) {
                            owners.push(k as u32);
                        }
                    }
                }
            }
            let mut mine = Vec::new();
            for text in std::iter::once(r.signature).chain(r.aliases.iter().map(String::as_str)) {
                crate::text::each_word(text, &mut buf, |w| {
                    // Looked up before it is copied: most words were seen before.
                    let id = match word_ids.get(w) {
                        Some(&id) => id,
                        None => {
                            let id = word_ids.len() as u32;
                            word_ids.insert(w.to_string(), id);
                            id
                        }
                    };
                    mine.push(id);
                });
            }
            record_words.push(mine);
        }
        let mut words: Vec<(String, u32)> = word_ids.into_iter().collect();
        words.sort_unstable();
        let mut renumber = vec![0u32; words.len()];
        for (new, (_, old)) in words.iter().enumerate() {
            renumber[*old as usize] = new as u32;
        }
        let mut postings: Vec<Vec<u32>> = vec![Vec::new(); words.len()];
        for (k, mine) in record_words.iter_mut().enumerate() {
            for w in mine.iter_mut() {
                *w = renumber[*w as usize];
            }
            mine.sort_unstable();
            mine.dedup();
            for &w in mine.iter() {
                postings[w as usize].push(k as u32);
            }
        }
        let record_weight = record_words
            .iter()
            .map(|mine| {
                mine.iter()
                    .map(|&w| weight(idf(kept.len(), postings[w as usize].len())))
                    .sum()
            })
            .collect();
        let mut grams = Vec::new();
        let mut short = Vec::new();
        for (id, key) in keys.iter().enumerate() {
            match gram(key) {
                Some(g) => grams.push((g, id as u32)),
                None => short.push(id as u32),
            }
        }
        grams.sort_unstable();
        LookupTables {
            at,
            ids,
            keys,
            key_records,
            grams,
            short,
            always,
            words: words.into_iter().map(|(w, _)| w).collect(),
            postings,
            record_words,
            record_weight,
            environment: kept.iter().map(|r| r.environment.to_string()).collect(),
        }
    }
}

impl ArchivedLookupTables {
    /// How many records the source has (its duplicates left out).
    pub fn len(&self) -> usize {
        self.at.len()
    }

    pub fn is_empty(&self) -> bool {
        self.at.is_empty()
    }

    /// Record `k` as (file, record in that file) of the index.
    pub fn at(&self, k: u32) -> (usize, usize) {
        let t = &self.at[k as usize];
        (t.0.to_native() as usize, t.1.to_native() as usize)
    }

    /// The record of this source with the id `id`; `id_of` gives a record's id.
    pub fn find_id<'a>(&self, id: &str, id_of: impl Fn(u32) -> &'a str) -> Option<u32> {
        let hash = id_hash(id);
        let from = self.ids.partition_point(|t| t.0.to_native() < hash);
        self.ids[from..]
            .iter()
            .take_while(|t| t.0.to_native() == hash)
            .map(|t| t.1.to_native())
            .find(|&k| id_of(k) == id)
    }

    /// The records whose key occurs in `folded` (the message as `prefilter` folds it: ASCII lower-case),
    /// and those that require no literal; unsorted, possibly repeated.
    pub fn regex_candidates(&self, folded: &[u8], out: &mut Vec<u32>) {
        let mut found = vec![false; self.keys.len()];
        let mut take = |key: u32, out: &mut Vec<u32>| {
            if !std::mem::replace(&mut found[key as usize], true) {
                out.extend(self.key_records[key as usize].iter().map(|k| k.to_native()));
            }
        };
        if !self.grams.is_empty() {
            for at in 0..folded.len().saturating_sub(GRAM - 1) {
                let g = gram(&folded[at..]).expect("GRAM bytes");
                let from = self.grams.partition_point(|t| t.0.to_native() < g);
                for t in self.grams[from..]
                    .iter()
                    .take_while(|t| t.0.to_native() == g)
                {
                    let key = t.1.to_native();
                    if folded[at..].starts_with(&self.keys[key as usize]) {
                        take(key, out);
                    }
                }
            }
        }
        for key in self.short.iter().map(|k| k.to_native()) {
            if memchr::memmem::find(folded, &self.keys[key as usize]).is_some() {
                take(key, out);
            }
        }
        out.extend(self.always.iter().map(|k| k.to_native()));
    }

    /// A word's id in this source.
    pub fn word(&self, w: &str) -> Option<u32> {
        self.words
            .binary_search_by(|x| x.as_str().cmp(w))
            .ok()
            .map(|i| i as u32)
    }

    /// How many records have word `w`.
    pub fn df(&self, w: u32) -> usize {
        self.postings[w as usize].len()
    }

    pub fn posting(&self, w: u32) -> impl Iterator<Item = u32> + '_ {
        self.postings[w as usize].iter().map(|k| k.to_native())
    }

    pub fn words_of(&self, k: u32) -> impl Iterator<Item = u32> + '_ {
        self.record_words[k as usize].iter().map(|w| w.to_native())
    }

    /// Whether record `k` has word `w`.
    pub fn has_word(&self, k: u32, w: u32) -> bool {
        self.record_words[k as usize]
            .binary_search_by(|x| x.to_native().cmp(&w))
            .is_ok()
    }

    /// Record `k`'s environment (`RecordEnvironment::to_text`).
    pub fn environment(&self, k: u32) -> &str {
        self.environment[k as usize].as_str()
    }

    /// Record `k`'s words' total weight within this source.
    pub fn record_weight(&self, k: u32) -> Weight {
        self.record_weight[k as usize].to_native()
    }
}

/// A catalogue's word weights (inverse document frequency), for a lookup over some of its records only.
pub trait Idf: Send + Sync {
    /// The weight of `word` in the whole catalogue, `None` when no record has it.
    fn idf(&self, word: &str) -> Option<f64>;
}

/// A word weight in fixed point (2^-32): sums of weights are then the same in any order, so a catalogue
/// holding some records of a larger one (`search::narrow`) scores exactly as the larger one does.
pub type Weight = u64;

/// `w` in fixed point.
pub fn weight(w: f64) -> Weight {
    (w * (1u64 << 32) as f64).round() as Weight
}

/// A word's weight: `ln(records / records with the word) + 1` (`search::similarity`).
pub fn idf(records: usize, df: usize) -> f64 {
    (records.max(1) as f64 / df as f64).ln() + 1.0
}

/// The word weights a catalogue holding only some records of larger sources must rank with; none for a
/// catalogue that holds every record (its own words give the weights).
#[derive(Clone, Default)]
pub struct Weights(pub Option<std::sync::Arc<dyn Idf>>);

impl std::fmt::Debug for Weights {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "Weights(given)"
        } else {
            "Weights(own)"
        })
    }
}

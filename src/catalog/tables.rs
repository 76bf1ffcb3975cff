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
    /// Signature and alias words (`text::words`), sorted; each word's records; each record's words (sorted),
    /// all in one list, record k's ending at `record_word_ends[k]`.
    pub words: Vec<String>,
    pub postings: Vec<Vec<u32>>,
    pub record_words: Vec<u32>,
    pub record_word_ends: Vec<u32>,
    /// Each record's words' total weight, weighed within this source (the catalogue's own when it is the
    /// only source).
    pub record_weight: Vec<Weight>,
    /// Each record's environment (`RecordEnvironment::to_text`), all in one text, record k's ending at
    /// `environment_ends[k]`: here so that ranking thousands of records by similarity does not read each
    /// one's entry (a page each). One text, not one each: most are empty.
    pub environment: String,
    pub environment_ends: Vec<u32>,
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

/// The high half of a key's hash, kept beside an entry of a hash table and compared before the key (which may
/// cost reading a page of an index): the key is read only when the tags match.
pub fn tag_of(hash: u64) -> u32 {
    (hash >> 32) as u32
}

/// The place in a hash table of an entry tagged `tag` (`tag_of`): spread over 64 bits, as hashbrown reads the
/// low bits and the top seven, so the table grows from the tags alone, without reading a key.
pub fn place_of(tag: u32) -> u64 {
    (tag as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

fn gram(key: &[u8]) -> Option<u32> {
    Some(u32::from_le_bytes(key.get(..GRAM)?.try_into().ok()?))
}

impl LookupTables {
    /// The tables of a source whose records are `records`, in catalogue order.
    pub fn build<'a>(records: impl Iterator<Item = Entry<'a>>) -> LookupTables {
        let mut builder = Builder::default();
        records.for_each(|r| builder.add(&r));
        builder.finish()
    }
}

/// `LookupTables` built a record at a time: it keeps what it reads of each record, so the records need not
/// all be held while it is built (an index is written a chunk of entries at a time). What it keeps of each
/// record is in flat lists (a vector or a string each was 60% of its memory at 1,000,000 records).
#[derive(Default)]
pub struct Builder {
    /// The ids met so far: a record whose id came earlier in the source is left out, as loading skips it.
    seen: Ids,
    at: Vec<(u32, u32)>,
    ids: Vec<(u64, u32)>,
    /// Each distinct key's number, in order of first sight.
    slot: HashMap<Vec<u8>, u32, foldhash::fast::RandomState>,
    key_records: Vec<Vec<u32>>,
    always: Vec<u32>,
    /// Word numbers in order of first sight, renumbered in word order at the end.
    word_ids: HashMap<String, u32, foldhash::fast::RandomState>,
    record_words: Vec<u32>,
    record_word_ends: Vec<u32>,
    environment: String,
    environment_ends: Vec<u32>,
    buf: String,
}

impl Builder {
    /// Adds the source's next record.
    pub fn add(&mut self, r: &Entry) {
        let hash = id_hash(r.id);
        if !self.seen.insert(r.id, hash) {
            return;
        }
        let k = self.at.len() as u32;
        self.at.push(r.at);
        self.ids.push((hash, k));
        match r.required {
            None => {}
            Some(None) => self.always.push(k),
            Some(Some(required)) => {
                for branch in required {
                    let Some(key) = branch.iter().max_by_key(|l| l.len()) else {
                        continue;
                    };
                    let next = self.slot.len() as u32;
                    let id = match self.slot.get(key.as_slice()) {
                        Some(&id) => id,
                        None => {
                            self.slot.insert(key.clone(), next);
                            self.key_records.push(Vec::new());
                            next
                        }
                    };
                    let owners = &mut self.key_records[id as usize];
                    if owners.last() != Some(&k) {
                        owners.push(k);
                    }
                }
            }
        }
        let (word_ids, mine) = (&mut self.word_ids, &mut self.record_words);
        for text in std::iter::once(r.signature).chain(r.aliases.iter().map(String::as_str)) {
            crate::text::each_word(text, &mut self.buf, |w| {
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
        self.record_word_ends.push(end(mine.len()));
        self.environment.push_str(r.environment);
        self.environment_ends.push(end(self.environment.len()));
    }

    pub fn finish(self) -> LookupTables {
        let Builder {
            seen,
            at,
            mut ids,
            slot,
            key_records,
            always,
            word_ids,
            mut record_words,
            record_word_ends: found_ends,
            environment,
            environment_ends,
            ..
        } = self;
        drop(seen);
        ids.sort_unstable();
        let mut keys = vec![Vec::new(); slot.len()];
        for (key, id) in slot {
            keys[id as usize] = key;
        }
        let mut words: Vec<(String, u32)> = word_ids.into_iter().collect();
        words.sort_unstable();
        let mut renumber = vec![0u32; words.len()];
        for (new, (_, old)) in words.iter().enumerate() {
            renumber[*old as usize] = new as u32;
        }
        // Each record's words renumbered, sorted and without repeats, in place: a record's list only
        // shrinks, so it is moved down over what the earlier ones dropped.
        let mut record_word_ends = Vec::with_capacity(found_ends.len());
        let mut postings: Vec<Vec<u32>> = vec![Vec::new(); words.len()];
        let (mut start, mut kept) = (0, 0);
        for (k, &found_end) in found_ends.iter().enumerate() {
            let found = start..found_end as usize;
            start = found_end as usize;
            let mine = &mut record_words[found.clone()];
            mine.iter_mut().for_each(|w| *w = renumber[*w as usize]);
            mine.sort_unstable();
            let from = kept;
            for i in found {
                if kept == from || record_words[i] != record_words[kept - 1] {
                    record_words[kept] = record_words[i];
                    kept += 1;
                }
            }
            record_word_ends.push(end(kept));
            for &w in &record_words[from..kept] {
                postings[w as usize].push(k as u32);
            }
        }
        record_words.truncate(kept);
        drop(found_ends);
        let mut start = 0;
        let record_weight = (record_word_ends.iter())
            .map(|&e| {
                let mine = &record_words[start..e as usize];
                start = e as usize;
                mine.iter()
                    .map(|&w| weight(idf(at.len(), postings[w as usize].len())))
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
            record_word_ends,
            record_weight,
            environment,
            environment_ends,
        }
    }
}

/// Where a list ends in a flat one: `u32`, as records are numbered.
fn end(len: usize) -> u32 {
    u32::try_from(len).expect("lists of fewer than 2^32 items")
}

/// A set of ids, the ids in one text: a `String` each took twice the room.
#[derive(Default)]
struct Ids {
    text: String,
    ends: Vec<u32>,
    /// Each id's number, placed by its hash, with the hash's high half to compare before the id.
    table: hashbrown::HashTable<(u32, u32)>,
}

impl Ids {
    /// Adds `id` (whose `id_hash` is `hash`); false when it is in already.
    fn insert(&mut self, id: &str, hash: u64) -> bool {
        let tag = tag_of(hash);
        let place = |&(_, tag): &(u32, u32)| place_of(tag);
        let (text, ends) = (&self.text, &self.ends);
        let get = |n: u32| {
            let start = n.checked_sub(1).map_or(0, |p| ends[p as usize] as usize);
            &text[start..ends[n as usize] as usize]
        };
        let new = (self.ends.len() as u32, tag);
        if (self
            .table
            .find(place(&new), |&(n, t)| t == tag && get(n) == id))
        .is_some()
        {
            return false;
        }
        self.table.insert_unique(place(&new), new, place);
        self.text.push_str(id);
        self.ends.push(end(self.text.len()));
        true
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
        self.record_words_of(k).iter().map(|w| w.to_native())
    }

    /// Whether record `k` has word `w`.
    pub fn has_word(&self, k: u32, w: u32) -> bool {
        self.record_words_of(k)
            .binary_search_by(|x| x.to_native().cmp(&w))
            .is_ok()
    }

    /// Record `k`'s words (sorted).
    fn record_words_of(&self, k: u32) -> &[rkyv::Archived<u32>] {
        let (start, end) = span(&self.record_word_ends, k);
        &self.record_words[start..end]
    }

    /// Record `k`'s environment (`RecordEnvironment::to_text`).
    pub fn environment(&self, k: u32) -> &str {
        let (start, end) = span(&self.environment_ends, k);
        &self.environment[start..end]
    }

    /// Record `k`'s words' total weight within this source.
    pub fn record_weight(&self, k: u32) -> Weight {
        self.record_weight[k as usize].to_native()
    }
}

/// Where list `k` is in a flat list whose lists end at `ends`.
fn span(ends: &[rkyv::Archived<u32>], k: u32) -> (usize, usize) {
    let start = (k as usize)
        .checked_sub(1)
        .map_or(0, |p| ends[p].to_native() as usize);
    (start, ends[k as usize].to_native() as usize)
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Records whose ids repeat, whose words repeat, with and without an environment: the repeats are left
    /// out, each record's words are its own (sorted, once each), and each environment is its record's.
    #[test]
    fn tables_built_a_record_at_a_time_keep_each_records_own() {
        let aliases = [vec![], vec!["Pip pip".to_string()], vec![]];
        let records = [
            (
                "a/1",
                "connection refused connection",
                "os=linux",
                &aliases[0],
            ),
            ("a/2", "pip install failed", "", &aliases[1]),
            ("a/1", "a repeat, left out", "os=macos", &aliases[2]),
            ("a/3", "refused", "", &aliases[2]),
            ("a/4", "", "python=3.12", &aliases[2]),
        ];
        let tables = LookupTables::build(records.iter().enumerate().map(|(i, r)| Entry {
            at: (0, i as u32),
            id: r.0,
            required: Some(None),
            signature: r.1,
            aliases: r.3,
            environment: r.2,
        }));
        let bytes = rkyv::to_bytes::<rkyv::rancor::Error>(&tables).unwrap();
        let t = rkyv::access::<ArchivedLookupTables, rkyv::rancor::Error>(&bytes).unwrap();
        assert_eq!(t.len(), 4);
        let at: Vec<(u32, u32)> = (0..4).map(|k| (0, t.at(k).1 as u32)).collect();
        assert_eq!(at, [(0, 0), (0, 1), (0, 3), (0, 4)]);
        let words = |k: u32| -> Vec<String> {
            t.words_of(k)
                .map(|w| t.words[w as usize].to_string())
                .collect()
        };
        assert_eq!(words(0), ["connection", "refused"]);
        assert_eq!(words(1), ["failed", "install", "pip"]);
        assert_eq!(words(2), ["refused"]);
        assert!(words(3).is_empty());
        let refused = t.word("refused").unwrap();
        assert_eq!(t.posting(refused).collect::<Vec<_>>(), [0, 2]);
        assert!(t.has_word(2, refused) && !t.has_word(1, refused));
        let environments: Vec<&str> = (0..4).map(|k| t.environment(k)).collect();
        assert_eq!(environments, ["os=linux", "", "", "python=3.12"]);
        assert_eq!(t.always.len(), 4);
    }
}

//! How alike a record's signature and a line of text are: the F1 of IDF-weighted precision (how much of the
//! text the record accounts for) and recall (how much of the record the text shows), over words.
//!
//! Words are interned once per catalogue, and each record's total weight is kept, so one comparison is a merge
//! of two short sorted lists; finding every similar record adds up weights along the posting lists of the
//! text's words only (term at a time), never visiting a record that shares no word.

use hashbrown::HashTable;
use std::collections::HashMap;
use std::hash::BuildHasher;

/// Weight of a word the catalogue does not have: as common as a word can be, so a path or a name in the
/// message does not sink every record.
pub const UNKNOWN_WEIGHT: f64 = 1.0;

/// Words are short and not chosen by an attacker who sees the hashes: foldhash, not SipHash.
type Hasher = foldhash::fast::RandomState;

pub struct WordIndex {
    /// Every word, one after the other; word i is `arena[spans[i]]`.
    arena: String,
    spans: Vec<(u32, u32)>,
    /// Word ids by their word's hash.
    table: HashTable<u32>,
    hasher: Hasher,
    /// Word weights in fixed point (`Weight`).
    idf: Vec<Weight>,
    /// Each record's signature and alias words, sorted and unique: record r's are
    /// `record_words[record_start[r]..record_start[r + 1]]`.
    record_start: Vec<u32>,
    record_words: Vec<u32>,
    record_weight: Vec<Weight>,
    /// Word to the records that have it, in catalogue order, laid out as `record_words`.
    posting_start: Vec<u32>,
    postings: Vec<u32>,
    /// The whole catalogue's weights, when these records are only some of it.
    global: Weights,
}

/// The F1 of precision (`shared` of the text's `text` weight) and recall (of the record's `record`).
pub fn f1(shared: Weight, text: Weight, record: Weight) -> f64 {
    if shared == 0 {
        return 0.0;
    }
    let precision = shared as f64 / text as f64;
    let recall = shared as f64 / record as f64;
    2.0 * precision * recall / (precision + recall)
}

/// Moves the distinct values of a sorted slice to its front; how many there are.
fn dedup_sorted(v: &mut [u32]) -> usize {
    if v.is_empty() {
        return 0;
    }
    let mut kept = 1;
    for i in 1..v.len() {
        if v[i] != v[kept - 1] {
            v[kept] = v[i];
            kept += 1;
        }
    }
    kept
}

/// The words of a piece of text, ready to compare: known words by id (sorted, unique) and the total weight
/// of all its words, unknown ones included.
pub struct TextWords {
    known: Vec<u32>,
    weight: Weight,
}

pub use crate::catalog::tables::{Weight, weight};
use crate::catalog::tables::{Weights, idf};
use crate::text::each_word;
pub use crate::text::words;

impl WordIndex {
    /// `texts` yields, per record in catalogue order, the texts its words come from.
    pub fn new<'a, I, T>(texts: I) -> WordIndex
    where
        I: Iterator<Item = T>,
        T: Iterator<Item = &'a str>,
    {
        WordIndex::weighted(texts, Weights::default())
    }

    /// `new`, words weighed by `global` when it is given (these records are some of a larger catalogue,
    /// and must compare as they do in it).
    pub fn weighted<'a, I, T>(texts: I, global: Weights) -> WordIndex
    where
        I: Iterator<Item = T>,
        T: Iterator<Item = &'a str>,
    {
        let (records, _) = texts.size_hint();
        let hasher = Hasher::default();
        // Words in one arena, found by hash: an owned string a word was most of the building time.
        let mut arena = String::new();
        let mut spans: Vec<(u32, u32)> = Vec::with_capacity(records * 4);
        let mut table: HashTable<u32> = HashTable::with_capacity(records * 4);
        let mut record_start: Vec<u32> = Vec::with_capacity(records + 1);
        let mut record_words: Vec<u32> = Vec::with_capacity(records * 16);
        let mut buf = String::new();
        record_start.push(0);
        for parts in texts {
            let from = record_words.len();
            for part in parts {
                each_word(part, &mut buf, |w| {
                    let word = |id: &u32| {
                        let (s, e) = spans[*id as usize];
                        &arena[s as usize..e as usize]
                    };
                    let hash = hasher.hash_one(w);
                    let id = match table.find(hash, |id| word(id) == w) {
                        Some(&id) => id,
                        None => {
                            let id = spans.len() as u32;
                            spans.push((arena.len() as u32, (arena.len() + w.len()) as u32));
                            arena.push_str(w);
                            table.insert_unique(hash, id, |id| {
                                let (s, e) = spans[*id as usize];
                                hasher.hash_one(&arena[s as usize..e as usize])
                            });
                            id
                        }
                    };
                    record_words.push(id);
                });
            }
            let mine = &mut record_words[from..];
            mine.sort_unstable();
            let kept = dedup_sorted(mine);
            record_words.truncate(from + kept);
            record_start.push(record_words.len() as u32);
        }
        // Postings by counting: each word's records in catalogue order.
        let mut posting_start = vec![0u32; spans.len() + 1];
        for &w in &record_words {
            posting_start[w as usize + 1] += 1;
        }
        for i in 1..posting_start.len() {
            posting_start[i] += posting_start[i - 1];
        }
        let mut postings = vec![0u32; record_words.len()];
        let mut fill = posting_start.clone();
        for r in 0..record_start.len() - 1 {
            for &w in &record_words[record_start[r] as usize..record_start[r + 1] as usize] {
                postings[fill[w as usize] as usize] = r as u32;
                fill[w as usize] += 1;
            }
        }
        let n = record_start.len() - 1;
        let idf: Vec<Weight> = posting_start
            .windows(2)
            .zip(&spans)
            .map(|(p, &(s, e))| {
                let own = || idf(n, (p[1] - p[0]) as usize);
                weight(match &global.0 {
                    Some(g) => g.idf(&arena[s as usize..e as usize]).unwrap_or_else(own),
                    None => own(),
                })
            })
            .collect();
        let record_weight = record_start
            .windows(2)
            .map(|r| {
                record_words[r[0] as usize..r[1] as usize]
                    .iter()
                    .map(|&w| idf[w as usize])
                    .sum()
            })
            .collect();
        WordIndex {
            arena,
            spans,
            table,
            hasher,
            idf,
            record_start,
            record_words,
            record_weight,
            posting_start,
            postings,
            global,
        }
    }

    /// A word's id, if the catalogue has it.
    fn id(&self, w: &str) -> Option<u32> {
        self.table
            .find(self.hasher.hash_one(w), |&id| {
                let (s, e) = self.spans[id as usize];
                &self.arena[s as usize..e as usize] == w
            })
            .copied()
    }

    fn words_of(&self, record: usize) -> &[u32] {
        &self.record_words
            [self.record_start[record] as usize..self.record_start[record + 1] as usize]
    }

    fn posting(&self, w: u32) -> &[u32] {
        &self.postings
            [self.posting_start[w as usize] as usize..self.posting_start[w as usize + 1] as usize]
    }

    pub fn text(&self, text: &str) -> TextWords {
        let mut all = words(text);
        all.sort_unstable();
        all.dedup();
        let mut known = Vec::with_capacity(all.len());
        let mut total = 0;
        for w in &all {
            match self.id(w) {
                Some(id) => {
                    known.push(id);
                    total += self.idf[id as usize];
                }
                None => {
                    total += weight(match &self.global.0 {
                        Some(g) => g.idf(w).unwrap_or(UNKNOWN_WEIGHT),
                        None => UNKNOWN_WEIGHT,
                    })
                }
            }
        }
        known.sort_unstable();
        TextWords {
            known,
            weight: total,
        }
    }

    /// Similarity of one record and a text, in 0..=1.
    pub fn similarity(&self, record: usize, text: &TextWords) -> f64 {
        let mine = self.words_of(record);
        let shared: Weight = text
            .known
            .iter()
            .filter(|w| mine.binary_search(w).is_ok())
            .map(|&w| self.idf[w as usize])
            .sum();
        self.f1(record, shared, text)
    }

    /// Every record sharing a word with the text whose similarity reaches `floor`, in catalogue order.
    pub fn similar(&self, text: &TextWords, floor: f64) -> Vec<(usize, f64)> {
        let mut shared: HashMap<u32, Weight> = HashMap::new();
        for &w in &text.known {
            let weight = self.idf[w as usize];
            for &r in self.posting(w) {
                *shared.entry(r).or_insert(0) += weight;
            }
        }
        let mut out: Vec<(usize, f64)> = shared
            .into_iter()
            .map(|(r, s)| (r as usize, self.f1(r as usize, s, text)))
            .filter(|&(_, s)| s >= floor)
            .collect();
        out.sort_unstable_by_key(|&(r, _)| r);
        out
    }

    fn f1(&self, record: usize, shared: Weight, text: &TextWords) -> f64 {
        f1(shared, text.weight, self.record_weight[record])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index(records: &[&str]) -> WordIndex {
        WordIndex::new(records.iter().map(|r| std::iter::once(*r)))
    }

    #[test]
    fn words_split_latin_and_cjk() {
        assert_eq!(
            words("Error: ENOSPC, a 文件"),
            ["error", "enospc", "文", "件"]
        );
    }

    #[test]
    fn rare_shared_words_count_more_than_common_ones() {
        let idx = index(&[
            "error connection refused",
            "error disk full",
            "error permission denied",
        ]);
        let text = idx.text("Error: connection refused by peer");
        let sims: Vec<f64> = (0..3).map(|r| idx.similarity(r, &text)).collect();
        assert!(
            sims[0] > 0.5 && sims[1] < 0.3 && sims[1] == sims[2],
            "{sims:?}"
        );
        assert_eq!(idx.similarity(0, &idx.text("nothing alike")), 0.0);
        assert!((idx.similarity(1, &idx.text("error disk full")) - 1.0).abs() < 1e-12);
    }

    /// Term-at-a-time accumulation gives what comparing every record one by one gives.
    #[test]
    fn similar_equals_comparing_every_record() {
        let idx = index(&[
            "error connection refused",
            "connection reset by peer",
            "disk full",
            "error: permission denied (publickey)",
            "找不到模块 error",
        ]);
        for text in [
            "error connection",
            "peer reset",
            "模块 error denied",
            "zzz",
            "",
        ] {
            let t = idx.text(text);
            let want: Vec<(usize, f64)> = (0..5)
                .map(|r| (r, idx.similarity(r, &t)))
                .filter(|&(_, s)| s >= 0.1)
                .collect();
            let got = idx.similar(&t, 0.1);
            assert_eq!(got.len(), want.len(), "{text}");
            for ((a, x), (b, y)) in got.iter().zip(&want) {
                assert_eq!(a, b, "{text}");
                assert!((x - y).abs() < 1e-9, "{text}: {x} {y}");
            }
        }
    }
}

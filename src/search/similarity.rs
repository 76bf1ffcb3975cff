//! How alike a record's signature and a line of text are: the F1 of IDF-weighted precision (how much of the
//! text the record accounts for) and recall (how much of the record the text shows), over words.
//!
//! Words are interned once per catalogue, and each record's total weight is kept, so one comparison is a merge
//! of two short sorted lists; finding every similar record adds up weights along the posting lists of the
//! text's words only (term at a time), never visiting a record that shares no word.

use std::collections::HashMap;

/// Weight of a word the catalogue does not have: as common as a word can be, so a path or a name in the
/// message does not sink every record.
const UNKNOWN_WEIGHT: f64 = 1.0;

pub struct WordIndex {
    ids: HashMap<String, u32>,
    idf: Vec<f64>,
    /// Each record's signature and alias words, sorted and unique.
    record_words: Vec<Vec<u32>>,
    record_weight: Vec<f64>,
    /// Word to the records that have it, in catalogue order.
    postings: Vec<Vec<u32>>,
}

/// The words of a piece of text, ready to compare: known words by id (sorted, unique) and the total weight
/// of all its words, unknown ones included.
pub struct TextWords {
    known: Vec<u32>,
    weight: f64,
}

/// Lower-case words of two or more characters (CJK characters count one by one).
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in text.chars() {
        if c.is_alphanumeric() && !is_cjk(c) {
            cur.extend(c.to_lowercase());
        } else {
            if cur.chars().count() >= 2 {
                out.push(std::mem::take(&mut cur));
            }
            cur.clear();
            if is_cjk(c) {
                out.push(c.to_string());
            }
        }
    }
    if cur.chars().count() >= 2 {
        out.push(cur);
    }
    out
}

fn is_cjk(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c) || ('\u{3040}'..='\u{30ff}').contains(&c)
}

impl WordIndex {
    /// `texts` yields, per record in catalogue order, the texts its words come from.
    pub fn new<'a, I, T>(texts: I) -> WordIndex
    where
        I: Iterator<Item = T>,
        T: Iterator<Item = &'a str>,
    {
        let mut ids: HashMap<String, u32> = HashMap::new();
        let mut postings: Vec<Vec<u32>> = Vec::new();
        let mut record_words = Vec::new();
        for (record, parts) in texts.enumerate() {
            let mut mine: Vec<u32> = parts
                .flat_map(words)
                .map(|w| {
                    let next = ids.len() as u32;
                    *ids.entry(w).or_insert(next)
                })
                .collect();
            mine.sort_unstable();
            mine.dedup();
            for &w in &mine {
                if w as usize == postings.len() {
                    postings.push(Vec::new());
                }
                postings[w as usize].push(record as u32);
            }
            record_words.push(mine);
        }
        let n = record_words.len().max(1) as f64;
        let idf: Vec<f64> = postings
            .iter()
            .map(|p| (n / p.len() as f64).ln() + 1.0)
            .collect();
        let record_weight = record_words
            .iter()
            .map(|ws| ws.iter().map(|&w| idf[w as usize]).sum())
            .collect();
        WordIndex {
            ids,
            idf,
            record_words,
            record_weight,
            postings,
        }
    }

    pub fn text(&self, text: &str) -> TextWords {
        let mut all = words(text);
        all.sort_unstable();
        all.dedup();
        let mut known = Vec::with_capacity(all.len());
        let mut weight = 0.0;
        for w in &all {
            match self.ids.get(w) {
                Some(&id) => {
                    known.push(id);
                    weight += self.idf[id as usize];
                }
                None => weight += UNKNOWN_WEIGHT,
            }
        }
        known.sort_unstable();
        TextWords { known, weight }
    }

    /// Similarity of one record and a text, in 0..=1.
    pub fn similarity(&self, record: usize, text: &TextWords) -> f64 {
        let mine = &self.record_words[record];
        let shared: f64 = text
            .known
            .iter()
            .filter(|w| mine.binary_search(w).is_ok())
            .map(|&w| self.idf[w as usize])
            .sum();
        self.f1(record, shared, text)
    }

    /// Every record sharing a word with the text whose similarity reaches `floor`, in catalogue order.
    pub fn similar(&self, text: &TextWords, floor: f64) -> Vec<(usize, f64)> {
        let mut shared: HashMap<u32, f64> = HashMap::new();
        for &w in &text.known {
            let weight = self.idf[w as usize];
            for &r in &self.postings[w as usize] {
                *shared.entry(r).or_insert(0.0) += weight;
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

    fn f1(&self, record: usize, shared: f64, text: &TextWords) -> f64 {
        if shared <= 0.0 {
            return 0.0;
        }
        let precision = shared / text.weight;
        let recall = shared / self.record_weight[record];
        2.0 * precision * recall / (precision + recall)
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

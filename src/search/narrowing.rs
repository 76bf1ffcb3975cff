//! The filter's memory between keystrokes, for incremental narrowing.
//!
//! Invariant: `Last` holds, for its query and language, every record that query matches, in catalogue order,
//! split into the chunks of `CHUNK` records they lie in, each with the score of all its terms (`total`) and
//! of all but the last (`partial`). A query that narrows it (same filters, earlier terms unchanged, the last
//! one grown or more added: `Query::narrows`) can only match a subset, and a record's score is a sum over
//! terms, so rescoring the survivors on the terms not yet known gives exactly what scoring every record would.
//! Anything that breaks this (another language, a pass abandoned half way) must drop `Last`.

use super::fields::{Fields, Packed};
use super::query::Query;
use crate::catalog::Lang;

/// Records scored together from scratch, and kept together after: a unit of parallel work. Small in unit
/// tests, so their catalogues of a few thousand records span many chunks.
pub(crate) const CHUNK: usize = if cfg!(test) { 256 } else { 16_384 };

/// A chunk's survivors are few, and their fields copied together, from one in this many of its records.
const FEW: usize = 4;

/// A matching record and its score (the sum over terms of each term's best field score). Which characters
/// matched is asked separately (`positions`), only for the rows actually drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FuzzyHit {
    pub index: usize,
    pub score: i64,
}

/// A record the last filter matched, with the score of all its terms but the last (which a longer query
/// keeps unchanged) and of all of them.
#[derive(Clone, Copy)]
pub(crate) struct Survivor {
    pub index: usize,
    pub partial: i64,
    pub total: i64,
}

impl Survivor {
    pub(crate) fn hit(&self) -> FuzzyHit {
        FuzzyHit {
            index: self.index,
            score: self.total,
        }
    }
}

/// The last filter, for the next keystroke: its query and the records it matched, in catalogue order.
pub(crate) struct Last {
    pub query: Query,
    pub lang: Lang,
    pub survivors: Vec<Chunk>,
}

/// The survivors among one chunk of `CHUNK` records, in catalogue order. Once few are left, their fields
/// are copied out of the index: narrowing then reads them in order, where in the index each survivor was a
/// cache miss of its own (rescoring 62,689 survivors of a million records took 30 ms on one core, 4.5 ms
/// from a copy).
pub(crate) struct Chunk {
    pub survivors: Vec<Survivor>,
    /// How many records the chunk spans (`CHUNK`, or fewer at the catalogue's end).
    records: usize,
    /// The survivors' fields, survivor k's as record k, once they are few; `spare` takes the next ones.
    copy: Option<Packed>,
    spare: Packed,
}

impl Chunk {
    pub(crate) fn new(survivors: Vec<Survivor>, records: usize, index: &Packed) -> Chunk {
        let mut chunk = Chunk {
            survivors,
            records,
            copy: None,
            spare: Packed::default(),
        };
        chunk.copy_if_few(index);
        chunk
    }

    fn copy_if_few(&mut self, index: &Packed) {
        if self.copy.is_none() && self.survivors.len() * FEW <= self.records {
            let mut copy = Packed::default();
            self.survivors
                .iter()
                .for_each(|s| copy.push(index.get(s.index)));
            self.copy = Some(copy);
        }
    }

    /// Keeps the survivors `rescore` keeps, with their new scores.
    pub(crate) fn narrow(
        &mut self,
        index: &Packed,
        rescore: impl Fn(&Survivor, Fields) -> Option<Survivor>,
    ) {
        let Some(copy) = &mut self.copy else {
            self.survivors
                .retain_mut(|s| rescore(s, index.get(s.index)).map(|new| *s = new).is_some());
            return self.copy_if_few(index);
        };
        let mut next = std::mem::take(&mut self.spare);
        next.clear();
        let mut k = 0;
        self.survivors.retain_mut(|s| {
            let fields = copy.get(k);
            k += 1;
            let new = rescore(s, fields.clone());
            if let Some(new) = new {
                *s = new;
                next.push(fields);
            }
            new.is_some()
        });
        self.spare = std::mem::replace(copy, next);
    }
}

/// Which of a survivor's scores covers the new query's first terms, and how many terms that is.
#[derive(Clone, Copy)]
pub(crate) enum Known {
    /// Every term is the same: nothing to score.
    All,
    /// The old terms are all kept, and more follow: `total` covers them.
    Total(usize),
    /// The old last term grew: `partial` covers the ones before it.
    Partial(usize),
}

impl Known {
    /// For `new`, a query that narrows `old` (see `Query::narrows`).
    pub(crate) fn of(old: &Query, new: &Query) -> Known {
        let (old, new) = (old.terms(), new.terms());
        if old == new {
            Known::All
        } else if old.is_empty() || new.get(old.len() - 1) == old.last() {
            Known::Total(old.len())
        } else {
            Known::Partial(old.len() - 1)
        }
    }
}

/// Best score first, ties in catalogue order, from survivors in catalogue order: a counting sort by score
/// (scores span a few thousand values), which is stable, so it keeps that order among ties.
pub(crate) fn rank(chunks: &[Chunk]) -> Vec<FuzzyHit> {
    let all = || chunks.iter().flat_map(|c| &c.survivors);
    let (Some(lo), Some(hi)) = (all().map(|s| s.total).min(), all().map(|s| s.total).max()) else {
        return Vec::new();
    };
    let count = chunks.iter().map(|c| c.survivors.len()).sum::<usize>();
    let span = usize::try_from(hi - lo).unwrap_or(usize::MAX);
    if span > 4 * count + 1024 {
        let mut hits: Vec<FuzzyHit> = all().map(Survivor::hit).collect();
        hits.sort_by(|a, b| b.score.cmp(&a.score).then(a.index.cmp(&b.index)));
        return hits;
    }
    // Bucket k holds score hi - k; `starts` becomes each bucket's first slot.
    let bucket = |s: &Survivor| (hi - s.total) as usize;
    let mut starts = vec![0usize; span + 2];
    for s in all() {
        starts[bucket(s) + 1] += 1;
    }
    for k in 1..starts.len() {
        starts[k] += starts[k - 1];
    }
    let mut ranked = vec![FuzzyHit { index: 0, score: 0 }; count];
    for s in all() {
        let slot = &mut starts[bucket(s)];
        ranked[*slot] = s.hit();
        *slot += 1;
    }
    ranked
}

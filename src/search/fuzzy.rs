//! The list filter shared by the browser and `errdex search`: fuzzy text (SkimMatcherV2's score, one term
//! per word, every term must match) over signature (plus the Chinese signature in Chinese), aliases and id,
//! combined with field filters `domain:`, `cat:`/`category:` and `tier:`.
//!
//! Speed: each field is scored by `score::score` (SkimMatcherV2's score without allocation, rejecting a
//! field whose characters are not in order before any alignment); large catalogues are scored in parallel;
//! and a query that extends the previous one only re-scores the previous survivors (a longer query can only
//! match fewer records), and of each only the terms that changed (a record's score is a sum over terms),
//! reading the fields of few survivors from a copy of their own, in order (`Chunk`). The results are the
//! same as scoring every record with SkimMatcherV2 (tested).
//!
//! This file is the index and the scoring passes; the query's parsing is in `query`, the memory between
//! keystrokes and its invariant in `narrowing`.

use super::fields::{Fields, Packed};
pub use super::narrowing::FuzzyHit;
use super::narrowing::{CHUNK, Chunk, Known, Last, Survivor, rank};
use super::query::passes_filters;
pub use super::query::{Facets, Query};
use super::score::Term;
use crate::catalog::view::View;
use crate::catalog::{Catalog, Lang, Record};
use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use rayon::prelude::*;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};

/// Above this many candidates, scoring and sorting run on every core.
const PARALLEL_FROM: usize = 4_096;

/// Fields longer than this are scored on their first part only: scoring costs length × query.
const MAX_FIELD_CHARS: usize = 512;

/// The searchable fields of a record, in the order the index keeps them: signature, Chinese signature
/// (always second, empty when missing; searched in Chinese only), aliases, id.
pub fn searchable<'a>(
    signature: &'a str,
    signature_zh: Option<&'a str>,
    aliases: impl Iterator<Item = &'a str> + Clone,
    id: &'a str,
) -> impl Iterator<Item = &'a str> + Clone {
    [signature, signature_zh.unwrap_or("")]
        .into_iter()
        .chain(aliases)
        .chain(std::iter::once(id))
        .map(clip)
}

/// A record's fields as `searchable` lists them.
pub fn fields(r: &Record) -> impl Iterator<Item = &str> + Clone {
    searchable(
        &r.signature,
        r.signature_zh.as_deref(),
        r.aliases.iter().map(String::as_str),
        &r.id,
    )
}

/// `fields`, read through a record's view (without building it).
pub fn fields_of(v: View<'_>) -> impl Iterator<Item = &str> + Clone {
    searchable(v.signature(), v.signature_zh(), v.aliases(), v.id())
}

/// A query ready to score records: its terms prepared once.
pub struct Scorer<'q> {
    query: &'q Query,
    terms: Vec<Term>,
    lang: Lang,
}

impl<'q> Scorer<'q> {
    pub fn new(query: &'q Query, lang: Lang) -> Self {
        Scorer {
            query,
            terms: query.terms().into_iter().map(Term::new).collect(),
            lang,
        }
    }

    /// A record's score (the sum over terms of each term's best field score), or `None` when a filter or
    /// a term does not match. `fields` as `searchable` gives them.
    pub fn score<'a>(
        &self,
        facets: &Facets,
        fields: impl Iterator<Item = &'a str> + Clone,
    ) -> Option<i64> {
        if !passes_filters(facets, self.query) {
            return None;
        }
        self.sum(fields, 0..self.terms.len())
    }

    /// The sum of the scores of the terms in `terms` (each its best field), or `None` when one misses.
    fn sum<'a>(
        &self,
        fields: impl Iterator<Item = &'a str> + Clone,
        terms: std::ops::Range<usize>,
    ) -> Option<i64> {
        let mut total = 0;
        for term in &self.terms[terms] {
            let mut best = None;
            for (k, field) in fields.clone().enumerate() {
                // The Chinese signature (second) is searched in Chinese only.
                if k != 1 || self.lang == Lang::Zh {
                    best = best.max(term.score(field));
                }
            }
            total += best?;
        }
        Some(total)
    }
}

/// Every record's searchable fields, copied once into one string in catalogue order: scoring then reads
/// memory in order instead of chasing each record's separate strings (that alone halved the time per
/// keystroke at 100,000 records). Also the filter's memory between keystrokes.
#[derive(Default)]
pub struct FuzzyIndex {
    fields: Packed,
    /// The last query and the records it matched, for incremental narrowing.
    last: Mutex<Option<Last>>,
}

fn clip(s: &str) -> &str {
    if s.len() <= MAX_FIELD_CHARS {
        return s;
    }
    match s.char_indices().nth(MAX_FIELD_CHARS) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

impl FuzzyIndex {
    pub fn new(catalog: &Catalog) -> Self {
        // Measured first (in parallel), then copied into memory reserved once: built in parallel parts and
        // joined, a million records' fields were held twice, and more while the joined vectors grew.
        const PART: usize = 16_384;
        let parts = 0..catalog.len().div_ceil(PART);
        let range = |p: usize| p * PART..catalog.len().min((p + 1) * PART);
        let (fields, text) = parts
            .into_par_iter()
            .map(|p| {
                let size = range(p)
                    .flat_map(|i| fields_of(catalog.view(i)))
                    .fold((0, 0), |(n, len), f| (n + 1, len + f.len()));
                // The pages of records not built were read only for this.
                catalog.let_go();
                size
            })
            .reduce(|| (0, 0), |a, b| (a.0 + b.0, a.1 + b.1));
        let mut packed = Packed::with_capacity(catalog.len(), fields, text);
        for i in 0..catalog.len() {
            packed.push(fields_of(catalog.view(i)));
            if i % PART == PART - 1 {
                catalog.let_go();
            }
        }
        catalog.let_go();
        FuzzyIndex {
            fields: packed,
            ..FuzzyIndex::default()
        }
    }

    /// Every record matching the query, best first (ties in catalogue order); an empty text lists every
    /// record passing the filters in catalogue order.
    pub fn filter(&self, catalog: &Catalog, query: &Query, lang: Lang) -> Vec<FuzzyHit> {
        self.filter_until(catalog, query, lang, &|| false)
            .unwrap_or_default()
    }

    /// `filter`, abandoned (`None`) as soon as `superseded` says a newer query waits: it is asked between
    /// chunks, so a stale keystroke at a million records stops within one chunk instead of running to the
    /// end. An abandoned pass leaves no memory of its query (its chunks may be half narrowed).
    pub fn filter_until(
        &self,
        catalog: &Catalog,
        query: &Query,
        lang: Lang,
        superseded: &(dyn Fn() -> bool + Sync),
    ) -> Option<Vec<FuzzyHit>> {
        let previous = self.last.lock().ok().and_then(|mut last| {
            last.take()
                .filter(|l| l.lang == lang && query.narrows(&l.query))
        });
        let survivors = self.narrowed(catalog, query, lang, previous, superseded)?;
        if superseded() {
            return None;
        }
        let hits = if query.terms().is_empty() {
            survivors
                .iter()
                .flat_map(|c| &c.survivors)
                .map(Survivor::hit)
                .collect()
        } else {
            rank(&survivors)
        };
        // Kept in catalogue order, so the next keystroke reads memory in order.
        if let Ok(mut last) = self.last.lock() {
            *last = Some(Last {
                query: query.clone(),
                lang,
                survivors,
            });
        }
        Some(hits)
    }

    /// The records matching `query` with their scores, in catalogue order and in chunks: from the previous
    /// filter's survivors when `query` narrows it (each chunk filtered where it lies), scoring only the
    /// terms whose scores it does not know yet.
    fn narrowed(
        &self,
        catalog: &Catalog,
        query: &Query,
        lang: Lang,
        previous: Option<Last>,
        superseded: &(dyn Fn() -> bool + Sync),
    ) -> Option<Vec<Chunk>> {
        let scorer = Scorer::new(query, lang);
        let n = scorer.terms.len();
        // The score of the terms from `from` on, split into all but the last, and the last.
        let rest = |s: &Survivor, fields: Fields, known: i64, from: usize| {
            let partial =
                known + scorer.sum(fields.clone(), from..n.saturating_sub(1).max(from))?;
            let last = if n > from {
                scorer.sum(fields, n - 1..n)?
            } else {
                0
            };
            Some(Survivor {
                index: s.index,
                partial,
                total: partial + last,
            })
        };
        let Some(mut previous) = previous else {
            // Without filters, the records themselves are not read at all: only the index.
            let filtered = query.has_filters();
            let count = catalog.len();
            let chunk = |k: usize| {
                if superseded() {
                    return None;
                }
                let records = k * CHUNK..count.min((k + 1) * CHUNK);
                let span = records.len();
                let survivors = records
                    .filter(|&i| !filtered || passes_filters(&Facets::of(catalog.view(i)), query))
                    .filter_map(|index| {
                        let all = Survivor {
                            index,
                            partial: 0,
                            total: 0,
                        };
                        rest(&all, self.fields.get(index), 0, 0)
                    })
                    .collect();
                if filtered {
                    // Filters read records not built from their indexes' pages, for this chunk only.
                    catalog.let_go();
                }
                Some(Chunk::new(survivors, span, &self.fields))
            };
            let chunks = 0..count.div_ceil(CHUNK);
            let survivors = if count >= PARALLEL_FROM {
                chunks.into_par_iter().map(chunk).collect()
            } else {
                chunks.map(chunk).collect()
            };
            return survivors;
        };
        // The filters are the same (`narrows`), so every survivor passes them.
        let known = Known::of(&previous.query, query);
        let (known, from) = match known {
            Known::All => return Some(previous.survivors),
            Known::Total(j) => (true, j),
            Known::Partial(j) => (false, j),
        };
        let rescore = |s: &Survivor, fields: Fields| {
            rest(s, fields, if known { s.total } else { s.partial }, from)
        };
        let chunks = &mut previous.survivors;
        let abandoned = AtomicBool::new(false);
        let narrow = |c: &mut Chunk| {
            if abandoned.load(Ordering::Relaxed) || superseded() {
                abandoned.store(true, Ordering::Relaxed);
            } else {
                c.narrow(&self.fields, rescore);
            }
        };
        if chunks.iter().map(|c| c.survivors.len()).sum::<usize>() >= PARALLEL_FROM {
            chunks.par_iter_mut().for_each(narrow);
        } else {
            chunks.iter_mut().for_each(narrow);
        }
        (!abandoned.into_inner()).then_some(previous.survivors)
    }

    /// Drops the last query's survivors: the next `filter` scores every record (benchmarks start over).
    pub fn forget(&self) {
        if let Ok(mut last) = self.last.lock() {
            *last = None;
        }
    }

    /// The straightforward computation: every record scored, no cache. Tests compare `filter` against it.
    pub fn filter_uncached(&self, catalog: &Catalog, query: &Query, lang: Lang) -> Vec<FuzzyHit> {
        let scorer = Scorer::new(query, lang);
        let mut hits: Vec<FuzzyHit> = (0..catalog.len())
            .filter_map(|i| {
                let score = scorer.score(&Facets::of(catalog.view(i)), self.fields.get(i))?;
                Some(FuzzyHit { index: i, score })
            })
            .collect();
        if !query.terms().is_empty() {
            hits.sort_by(|a, b| b.score.cmp(&a.score).then(a.index.cmp(&b.index)));
        }
        hits
    }

    /// `positions` (kept here for the browser, which holds an index).
    pub fn positions(&self, r: &Record, query: &Query, lang: Lang) -> Vec<usize> {
        positions(r, query, lang)
    }
}

/// Character indices, in the signature as shown in `lang`, of the characters the query's terms matched
/// there (empty when only another field matched). For highlighting the rows on screen.
pub fn positions(r: &Record, query: &Query, lang: Lang) -> Vec<usize> {
    {
        let shown = match lang {
            Lang::Zh => r
                .signature_zh
                .as_deref()
                .filter(|s| !s.is_empty())
                .unwrap_or(&r.signature),
            Lang::En => &r.signature,
        };
        let mut positions: Vec<usize> = query
            .terms()
            .iter()
            // A new matcher each time: a reused one answers differently after other calls (see `score`).
            .filter_map(|t| {
                SkimMatcherV2::default()
                    .smart_case()
                    .fuzzy_indices(clip(shown), t)
            })
            .flat_map(|(_, p)| p)
            .collect();
        positions.sort_unstable();
        positions.dedup();
        positions
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::catalog::Position;

    fn catalog(records: &[(&str, &str, &str)]) -> Catalog {
        let mut c = Catalog::default();
        let path: std::sync::Arc<str> = "t.json".into();
        for (id, sig, domain) in records {
            let mut r = Record::new(*id, *sig, "x");
            r.domain = Some(domain.to_string());
            r.category = Some("network_error".into());
            c.add(r, Position::file(&path));
        }
        c
    }

    fn ids(c: &Catalog, hits: &[FuzzyHit]) -> Vec<String> {
        hits.iter().map(|h| c[h.index].id.clone()).collect()
    }

    #[test]
    fn query_parsing_takes_filters_out_of_the_text() {
        let q = Query::parse("domain:Docker exec  cat:net tier:ai format");
        assert_eq!(q.text, "exec format");
        assert_eq!(
            (
                q.domain.as_deref(),
                q.category.as_deref(),
                q.tier.as_deref()
            ),
            (Some("docker"), Some("net"), Some("ai"))
        );
        assert_eq!(Query::parse("http://x:80").text, "http://x:80");
    }

    #[test]
    fn ranks_by_score_and_highlights_the_shown_signature() {
        let c = catalog(&[
            ("a/one", "connection refused by peer", "net"),
            ("b/two", "exec format error", "docker"),
            (
                "c/three",
                "exec user process caused: exec format error",
                "docker",
            ),
        ]);
        let idx = FuzzyIndex::new(&c);
        let hits = idx.filter(&c, &Query::parse("exec format"), Lang::En);
        assert_eq!(ids(&c, &hits), ["b/two", "c/three"]);
        assert_eq!(
            idx.positions(&c[hits[0].index], &Query::parse("exec format"), Lang::En),
            [0, 1, 2, 3, 5, 6, 7, 8, 9, 10]
        );
        let docker = idx.filter(&c, &Query::parse("domain:dock"), Lang::En);
        assert_eq!(
            ids(&c, &docker),
            ["b/two", "c/three"],
            "filters alone keep catalogue order"
        );
        assert!(
            idx.filter(&c, &Query::parse("cat:storage"), Lang::En)
                .is_empty()
        );
    }

    #[test]
    fn matches_on_id_and_aliases_without_highlight() {
        let c = catalog(&[("git/push-rejected", "! [rejected] main -> main", "git")]);
        let idx = FuzzyIndex::new(&c);
        let hits = idx.filter(&c, &Query::parse("pushrej"), Lang::En);
        assert_eq!(hits.len(), 1);
        assert!(
            idx.positions(&c[0], &Query::parse("pushrej"), Lang::En)
                .is_empty()
        );
    }

    #[test]
    fn incremental_narrowing_gives_the_same_results_as_scoring_everything() {
        let c = crate::synth::catalog(3000, 3, false);
        let idx = FuzzyIndex::new(&c);
        for lang in [Lang::En, Lang::Zh] {
            let mut typed = String::new();
            for ch in "domain:python mod nam reqests".chars() {
                typed.push(ch);
                let q = Query::parse(&typed);
                assert_eq!(
                    idx.filter(&c, &q, lang),
                    idx.filter_uncached(&c, &q, lang),
                    "{typed:?}"
                );
            }
            // Repeats, whole words added at once (a paste), then typed on.
            for back in [
                "mod nam",
                "mod nam",
                "conn",
                "conn refused exit",
                "conn refused exit code",
                "conn refused exit coded",
                "Conn refused",
                "",
            ] {
                let q = Query::parse(back);
                assert_eq!(
                    idx.filter(&c, &q, lang),
                    idx.filter_uncached(&c, &q, lang),
                    "{back:?}"
                );
            }
        }
    }

    #[test]
    fn a_superseded_pass_stops_between_chunks_and_leaves_no_stale_memory() {
        let c = crate::synth::catalog(3000, 3, false);
        let idx = FuzzyIndex::new(&c);
        // Superseded once two chunks have been asked about: the pass must stop there, not run to the end.
        let asked = std::sync::atomic::AtomicUsize::new(0);
        let after_two = || asked.fetch_add(1, Ordering::Relaxed) >= 2;
        for typed in ["c", "co", "con"] {
            let q = Query::parse(typed);
            asked.store(0, Ordering::Relaxed);
            assert_eq!(
                idx.filter_until(&c, &q, Lang::En, &after_two),
                None,
                "{typed:?}"
            );
            assert!(
                asked.load(Ordering::Relaxed) <= 4,
                "{typed:?}: asked {} times, so it went on",
                asked.load(Ordering::Relaxed)
            );
            assert_eq!(
                idx.filter(&c, &q, Lang::En),
                idx.filter_uncached(&c, &q, Lang::En),
                "the next pass is right: {typed:?}"
            );
        }
    }
}

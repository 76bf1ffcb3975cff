//! The list filter shared by the browser and `errdex search`: fuzzy text (fuzzy-matcher's SkimMatcherV2, one
//! term per word, every term must match) over signature (plus the Chinese signature in Chinese), aliases and
//! id, combined with field filters `domain:`, `cat:`/`category:` and `tier:`.
//!
//! Speed: haystacks are lower-cased once; a cheap subsequence test over all of a record's text skips records
//! that cannot match before any scoring; large catalogues are scored in parallel; and a query that extends the
//! previous one only re-scores the previous survivors (a longer query can only match fewer records). The
//! results are the same as scoring every record (tested).

use crate::catalog::{Catalog, Lang, Record};
use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use rayon::prelude::*;
use std::sync::Mutex;

/// Above this many candidates, scoring runs on every core.
const PARALLEL_FROM: usize = 4_096;

/// Fields longer than this are scored on their first part only: SkimMatcherV2 costs length × query.
const MAX_FIELD_CHARS: usize = 512;

/// A parsed search: fuzzy terms and field filters. Filters match case-insensitively: `domain:` and `tier:`
/// by prefix (`domain:dock`), `cat:` by substring of category or subcategory.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Query {
    pub text: String,
    pub domain: Option<String>,
    pub category: Option<String>,
    pub tier: Option<String>,
}

impl Query {
    pub fn parse(input: &str) -> Query {
        let mut q = Query::default();
        let mut words = Vec::new();
        for word in input.split_whitespace() {
            let (key, value) = word.split_once(':').unwrap_or(("", word));
            let value = value.to_lowercase();
            match key.to_ascii_lowercase().as_str() {
                "domain" if !value.is_empty() => q.domain = Some(value),
                "cat" | "category" if !value.is_empty() => q.category = Some(value),
                "tier" if !value.is_empty() => q.tier = Some(value),
                _ => words.push(word),
            }
        }
        q.text = words.join(" ");
        q
    }

    fn terms(&self) -> Vec<&str> {
        self.text.split_whitespace().collect()
    }

    fn same_filters(&self, other: &Query) -> bool {
        (&self.domain, &self.category, &self.tier) == (&other.domain, &other.category, &other.tier)
    }

    /// Whether every record this query matches is sure to be matched by `previous` too.
    fn narrows(&self, previous: &Query) -> bool {
        if !self.same_filters(previous) {
            return false;
        }
        let (new, old) = (self.terms(), previous.terms());
        new.len() >= old.len()
            && old.iter().enumerate().all(|(i, t)| {
                // Earlier terms must be unchanged; the last old term may have grown.
                if i + 1 == old.len() {
                    new[i].starts_with(t)
                } else {
                    new[i] == *t
                }
            })
    }
}

/// A matching record and its score (the sum over terms of each term's best field score). Which characters
/// matched is asked separately (`positions`), only for the rows actually drawn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FuzzyHit {
    pub index: usize,
    pub score: i64,
}

/// Per-record text prepared once.
struct Entry {
    /// Everything searchable, ASCII lower-cased, for the subsequence pre-filter.
    all_lower: String,
    /// Each searchable field ASCII lower-cased, in `fields` order, so a field that cannot match is never scored.
    fields_lower: Vec<String>,
}

/// The searchable fields of a record: signature, Chinese signature (searched in Chinese only), aliases, id.
fn fields(r: &Record) -> impl Iterator<Item = (bool, &str)> {
    std::iter::once((false, r.signature.as_str()))
        .chain(r.signature_zh.as_deref().map(|z| (true, z)))
        .chain(r.aliases.iter().map(|a| (false, a.as_str())))
        .chain(std::iter::once((false, r.id.as_str())))
        .map(|(zh, f)| (zh, clip(f)))
}

pub struct FuzzyIndex {
    entries: Vec<Entry>,
    matcher: SkimMatcherV2,
    /// The last query and the records it matched, for incremental narrowing.
    last: Mutex<Option<(Query, Lang, Vec<usize>)>>,
}

fn clip(s: &str) -> &str {
    match s.char_indices().nth(MAX_FIELD_CHARS) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

impl FuzzyIndex {
    pub fn new(catalog: &Catalog) -> Self {
        let entries = catalog
            .records
            .par_iter()
            .map(|r| {
                let fields_lower: Vec<String> =
                    fields(r).map(|(_, f)| f.to_ascii_lowercase()).collect();
                Entry {
                    all_lower: fields_lower.join("\u{1}"),
                    fields_lower,
                }
            })
            .collect();
        FuzzyIndex {
            entries,
            matcher: SkimMatcherV2::default().smart_case(),
            last: Mutex::new(None),
        }
    }

    /// Every record matching the query, best first (ties in catalogue order); an empty text lists every
    /// record passing the filters in catalogue order.
    pub fn filter(&self, catalog: &Catalog, query: &Query, lang: Lang) -> Vec<FuzzyHit> {
        let previous = self.last.lock().ok().and_then(|last| {
            last.as_ref()
                .filter(|(q, l, _)| *l == lang && query.narrows(q))
                .map(|(_, _, survivors)| survivors.clone())
        });
        let candidates: Vec<usize> =
            previous.unwrap_or_else(|| (0..catalog.records.len()).collect());
        let hits = self.score(catalog, query, lang, &candidates);
        if let Ok(mut last) = self.last.lock() {
            *last = Some((query.clone(), lang, hits.iter().map(|h| h.index).collect()));
        }
        hits
    }

    /// The straightforward computation: every record scored, no cache. Tests compare `filter` against it.
    pub fn filter_uncached(&self, catalog: &Catalog, query: &Query, lang: Lang) -> Vec<FuzzyHit> {
        let all: Vec<usize> = (0..catalog.records.len()).collect();
        self.score(catalog, query, lang, &all)
    }

    fn score(
        &self,
        catalog: &Catalog,
        query: &Query,
        lang: Lang,
        candidates: &[usize],
    ) -> Vec<FuzzyHit> {
        let terms = query.terms();
        // ASCII case only, as SkimMatcherV2 compares: full Unicode lower-casing is context-dependent (a final
        // sigma), so it could hide a real match from the pre-filter.
        let folded: Vec<String> = terms.iter().map(|t| t.to_ascii_lowercase()).collect();
        let one = |&i: &usize| self.score_one(&catalog.records[i], i, query, &terms, &folded, lang);
        let mut hits: Vec<FuzzyHit> = if candidates.len() >= PARALLEL_FROM {
            candidates.par_iter().filter_map(one).collect()
        } else {
            candidates.iter().filter_map(one).collect()
        };
        if !terms.is_empty() {
            hits.sort_by(|a, b| b.score.cmp(&a.score).then(a.index.cmp(&b.index)));
        }
        hits
    }

    fn score_one(
        &self,
        r: &Record,
        index: usize,
        q: &Query,
        terms: &[&str],
        folded: &[String],
        lang: Lang,
    ) -> Option<FuzzyHit> {
        if !passes_filters(r, q) {
            return None;
        }
        if terms.is_empty() {
            return Some(FuzzyHit { index, score: 0 });
        }
        if !folded
            .iter()
            .all(|t| is_subsequence(t, &self.entries[index].all_lower))
        {
            return None;
        }
        let entry = &self.entries[index];
        let mut total = 0;
        for (term, folded) in terms.iter().zip(folded) {
            let best = fields(r)
                .zip(&entry.fields_lower)
                .filter(|((zh, _), lower)| {
                    (!zh || lang == Lang::Zh) && is_subsequence(folded, lower)
                })
                .filter_map(|((_, field), _)| self.matcher.fuzzy_match(field, term))
                .max();
            total += best?;
        }
        Some(FuzzyHit {
            index,
            score: total,
        })
    }

    /// Character indices, in the signature as shown in `lang`, of the characters the query's terms matched
    /// there (empty when only another field matched). For highlighting the rows on screen.
    pub fn positions(&self, r: &Record, query: &Query, lang: Lang) -> Vec<usize> {
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
            .filter_map(|t| self.matcher.fuzzy_indices(clip(shown), t))
            .flat_map(|(_, p)| p)
            .collect();
        positions.sort_unstable();
        positions.dedup();
        positions
    }
}

fn passes_filters(r: &Record, q: &Query) -> bool {
    let has = |field: Option<&str>, want: &Option<String>, prefix: bool| match want {
        None => true,
        Some(w) => field.is_some_and(|f| {
            let f = f.to_lowercase();
            if prefix {
                f.starts_with(w.as_str())
            } else {
                f.contains(w.as_str())
            }
        }),
    };
    has(r.domain.as_deref(), &q.domain, true)
        && (has(r.category.as_deref(), &q.category, false)
            || has(r.subcategory.as_deref(), &q.category, false))
        && has(r.verification_tier.as_deref(), &q.tier, true)
}

/// Whether the characters of `needle` (spaces aside) appear in order in `haystack`.
fn is_subsequence(needle: &str, haystack: &str) -> bool {
    let mut hay = haystack.chars();
    needle
        .chars()
        .filter(|c| !c.is_whitespace())
        .all(|n| hay.any(|h| h == n))
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
        hits.iter().map(|h| c.records[h.index].id.clone()).collect()
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
            idx.positions(
                &c.records[hits[0].index],
                &Query::parse("exec format"),
                Lang::En
            ),
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
            idx.positions(&c.records[0], &Query::parse("pushrej"), Lang::En)
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
            for back in ["mod nam", "conn", "Conn refused", ""] {
                let q = Query::parse(back);
                assert_eq!(
                    idx.filter(&c, &q, lang),
                    idx.filter_uncached(&c, &q, lang),
                    "{back:?}"
                );
            }
        }
    }
}

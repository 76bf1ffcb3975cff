//! STUB (replaced by the real engine at merge).
use crate::catalog::{Catalog, Lang};
use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
#[derive(Debug, Clone, Default)]
pub struct Query {
    pub text: String,
    pub domain: Option<String>,
    pub category: Option<String>,
    pub tier: Option<String>,
}
impl Query {
    pub fn parse(input: &str) -> Query {
        Query {
            text: input.trim().to_string(),
            ..Query::default()
        }
    }
}
#[derive(Debug, Clone)]
pub struct FuzzyHit {
    pub index: usize,
    pub score: i64,
    pub positions: Vec<usize>,
}
pub struct FuzzyIndex;
impl FuzzyIndex {
    pub fn new(_c: &Catalog) -> Self {
        FuzzyIndex
    }
    pub fn filter(&self, c: &Catalog, q: &Query, lang: Lang) -> Vec<FuzzyHit> {
        let m = SkimMatcherV2::default();
        let mut hits: Vec<FuzzyHit> = c
            .records
            .iter()
            .enumerate()
            .filter_map(|(i, r)| {
                if q.text.is_empty() {
                    return Some(FuzzyHit {
                        index: i,
                        score: 0,
                        positions: vec![],
                    });
                }
                let shown = if lang == Lang::Zh {
                    r.signature_zh
                        .as_deref()
                        .filter(|s| !s.is_empty())
                        .unwrap_or(&r.signature)
                } else {
                    &r.signature
                };
                m.fuzzy_indices(shown, &q.text)
                    .map(|(score, positions)| FuzzyHit {
                        index: i,
                        score,
                        positions,
                    })
            })
            .collect();
        hits.sort_by(|a, b| b.score.cmp(&a.score).then(a.index.cmp(&b.index)));
        hits
    }
}

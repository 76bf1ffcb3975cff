//! STUB (replaced by the real engine at merge).
use crate::catalog::Catalog;
#[derive(Clone, Copy, PartialEq, Eq, Debug, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum MatchKind {
    Regex,
    Approximate,
}
#[derive(Debug, Clone)]
pub struct LookupHit {
    pub index: usize,
    pub score: f64,
    pub kind: MatchKind,
    pub matched: Option<std::ops::Range<usize>>,
}
pub struct LookupIndex {
    regexes: Vec<Option<regex::Regex>>,
}
impl LookupIndex {
    pub fn new(c: &Catalog) -> Self {
        LookupIndex {
            regexes: c
                .records
                .iter()
                .map(|r| crate::catalog::validate::compile(&r.regex).ok())
                .collect(),
        }
    }
    pub fn skipped(&self) -> usize {
        self.regexes.iter().filter(|r| r.is_none()).count()
    }
    pub fn lookup(&self, _c: &Catalog, message: &str, limit: usize) -> Vec<LookupHit> {
        self.regexes
            .iter()
            .enumerate()
            .filter_map(|(i, r)| {
                r.as_ref()?.find(message).map(|m| LookupHit {
                    index: i,
                    score: m.len() as f64,
                    kind: MatchKind::Regex,
                    matched: Some(m.range()),
                })
            })
            .take(limit)
            .collect()
    }
}

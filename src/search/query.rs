//! A search as typed, taken apart: fuzzy terms and field filters (`domain:`, `cat:`, `tier:`), and whether
//! one query can only match fewer records than another (what lets the filter narrow instead of start over).

use crate::catalog::view::View;

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

    pub(crate) fn terms(&self) -> Vec<&str> {
        self.text.split_whitespace().collect()
    }

    pub(crate) fn has_filters(&self) -> bool {
        self.domain.is_some() || self.category.is_some() || self.tier.is_some()
    }

    pub(crate) fn same_filters(&self, other: &Query) -> bool {
        (&self.domain, &self.category, &self.tier) == (&other.domain, &other.category, &other.tier)
    }

    /// Whether every record this query matches is sure to be matched by `previous` too.
    pub(crate) fn narrows(&self, previous: &Query) -> bool {
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

/// What the field filters of a query look at.
pub struct Facets<'a> {
    pub domain: Option<&'a str>,
    pub category: Option<&'a str>,
    pub subcategory: Option<&'a str>,
    pub tier: Option<&'a str>,
}

impl<'a> Facets<'a> {
    pub fn of(r: View<'a>) -> Self {
        Facets {
            domain: r.domain(),
            category: r.category(),
            subcategory: r.subcategory(),
            tier: r.verification_tier(),
        }
    }
}

/// Whether a record's facets pass the query's field filters.
pub fn passes_filters(r: &Facets, q: &Query) -> bool {
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
    has(r.domain, &q.domain, true)
        && (has(r.category, &q.category, false) || has(r.subcategory, &q.category, false))
        && has(r.tier, &q.tier, true)
}

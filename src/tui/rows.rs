//! The list's rows for a search or a lookup: the one function each that the UI thread (small catalogues) and
//! the background thread (large ones) both call, so the two lists cannot differ.

use super::model::Row;
use crate::catalog::{Catalog, Lang};
use crate::search::fuzzy::{FuzzyIndex, Query};
use crate::search::lookup::{LookupEnv, LookupIndex, MatchKind};
use std::sync::OnceLock;

/// What the list asks for.
pub enum Job {
    Filter(Query, Lang),
    /// A message for lookup mode.
    Lookup(String),
}

/// The list for a search: the records matching `query`, best first.
pub fn filter_rows(fuzzy: &FuzzyIndex, catalog: &Catalog, query: &Query, lang: Lang) -> Vec<Row> {
    filter_rows_until(fuzzy, catalog, query, lang, &|| false).unwrap_or_default()
}

/// `filter_rows`, or `None` once `superseded` says a newer request waits (see `FuzzyIndex::filter_until`).
pub fn filter_rows_until(
    fuzzy: &FuzzyIndex,
    catalog: &Catalog,
    query: &Query,
    lang: Lang,
    superseded: &(dyn Fn() -> bool + Sync),
) -> Option<Vec<Row>> {
    let hits = fuzzy.filter_until(catalog, query, lang, superseded)?;
    let rows = hits.into_iter().map(|h| Row {
        index: h.index,
        approximate: false,
        nearest: false,
    });
    Some(rows.collect())
}

/// The list in lookup mode: the records explaining `message`, best first (regex matches, then approximate
/// ones; when none, the nearest few, marked), from the index in `cell`, built now if it was not yet (not for a blank message, which lists
/// nothing).
pub fn lookup_rows(
    cell: &OnceLock<LookupIndex>,
    catalog: &Catalog,
    message: &str,
    env: &LookupEnv,
) -> Vec<Row> {
    if message.trim().is_empty() {
        return Vec::new();
    }
    cell.get_or_init(|| LookupIndex::new(catalog))
        .lookup_in(catalog, message, catalog.len(), env)
        .into_iter()
        .map(|h| Row {
            index: h.index,
            approximate: h.kind == MatchKind::Approximate,
            nearest: h.kind == MatchKind::Nearest,
        })
        .collect()
}

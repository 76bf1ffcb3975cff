//! The list's rows for a search or a lookup: the one function each that the UI thread (small catalogues) and
//! the background thread (large ones) both call, so the two lists cannot differ.

use super::model::Row;
use crate::catalog::{Catalog, Lang};
use crate::search::fuzzy::{FuzzyIndex, Query};
use crate::search::lookup::{LookupEnv, LookupIndex, MatchKind};
use crate::search::narrow::Narrowing;
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
/// ones; when none, the nearest few, marked), from the index in `cell`, built now if it was not yet (not for a
/// blank message, which lists nothing).
///
/// With `narrowing` (the catalogue's records are left in its indexes), through the indexes instead, as
/// `errdex lookup` goes: only the records the message can reach are built, and the best `NARROWED_ROWS` are
/// listed (the same as the first of the whole list: the ranking is the whole catalogue's).
pub fn lookup_rows(
    cell: &OnceLock<LookupIndex>,
    narrowing: Option<&Narrowing>,
    catalog: &Catalog,
    message: &str,
    env: &LookupEnv,
) -> Vec<Row> {
    if message.trim().is_empty() {
        return Vec::new();
    }
    let row = |index: usize, kind: MatchKind| Row {
        index,
        approximate: kind == MatchKind::Approximate,
        nearest: kind == MatchKind::Nearest,
    };
    if let Some(narrowing) = narrowing {
        let (some, hits) = narrowing.lookup(message, NARROWED_ROWS, env);
        // A record the indexes have and the catalogue does not (a file changed since it loaded) is left out.
        // Each id found reads a page of the catalogue's index (a large folio: up to 2 MB): let go as it goes.
        let rows = (hits.into_iter().enumerate())
            .filter_map(|(n, h)| {
                if n % LET_GO_EVERY == LET_GO_EVERY - 1 {
                    catalog.let_go();
                }
                Some(row(catalog.index_of(&some[h.index].id)?, h.kind))
            })
            .collect();
        catalog.let_go();
        return rows;
    }
    cell.get_or_init(|| LookupIndex::new(catalog))
        .lookup_in(catalog, message, catalog.len(), env)
        .into_iter()
        .map(|h| row(h.index, h.kind))
        .collect()
}

/// How many ids a lookup through the indexes finds in the catalogue between two lettings go of its index's
/// pages.
const LET_GO_EVERY: usize = 64;

/// How many rows a lookup through the indexes lists at most.
pub const NARROWED_ROWS: usize = 1_000;

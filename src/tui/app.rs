//! The browser's state: plain data, changed only by `update` (in `update.rs`), read by the views.

use super::action::Tab;
use super::keymap::Context;
use super::layout::{Areas, Panes};
use super::rows::{filter_rows, lookup_rows};
use super::textbuf::TextBuf;
use super::theme::Theme;
use crate::catalog::{Catalog, Lang, Record};
use crate::search::fuzzy::{FuzzyIndex, Query};
use crate::search::lookup::{LookupEnv, LookupIndex};
use crate::search::narrow::Narrowing;
use crate::tester::{self, Evaluation};
// The data shared with `action` and `update` lives in `model`, which depends on neither.
pub use super::model::{
    Background, DetailCache, DetailScroll, DetailState, Effect, Focus, History, ListState, Overlay,
    Pick, Place, Row, Screen, SearchBox, Sort, TesterState,
};
use std::sync::{Arc, OnceLock};
use tui_input::Input;

pub struct App {
    /// Shared with the background filter thread.
    pub catalog: Arc<Catalog>,
    pub fuzzy: Arc<FuzzyIndex>,
    /// Built on first use: compiling every regex costs start-up time that browsing alone never needs.
    /// Shared with the background thread, which builds it for large catalogues.
    lookup: Arc<OnceLock<LookupIndex>>,
    /// Lookups through the indexes instead, for a catalogue whose records are left in them: the lookup index
    /// would build every record (a gigabyte at 1,000,000 records). See `rows::lookup_rows`.
    pub narrowing: Option<Arc<Narrowing>>,
    /// The environment lookups rank for.
    pub env: Arc<LookupEnv>,
    pub lang: Lang,
    pub theme: Theme,
    pub focus: Focus,
    pub overlay: Option<Overlay>,
    pub search: SearchBox,
    pub list: ListState,
    pub background: Background,
    pub detail: DetailState,
    pub tester: TesterState,
    /// Load problems found after start-up (the regex checks), shown after the catalogue's own.
    pub late_diagnostics: Vec<crate::catalog::Diagnostic>,
    /// A one-off note in the status bar (copied, no docs link...), cleared by the next action.
    pub message: Option<String>,
    pub effects: Vec<Effect>,
    pub screen: Screen,
    /// Which panes show, and the list's share.
    pub panes: Panes,
    /// The user's "worked for me" marks.
    pub marks: crate::outcomes::Marks,
    /// Where new marks are appended; none, and they last only as long as the browser.
    pub outcomes_path: Option<std::path::PathBuf>,
    /// The configuration file, if there is one: the chosen panes are remembered there.
    pub config_file: Option<std::path::PathBuf>,
    /// The catalogue's overview, counted the first time it is opened.
    pub stats: Option<crate::catalog::stats::Stats>,
    pub quit: bool,
    /// `--print`: what Enter hands back (see `Action::Accept`).
    pub pick: Option<Pick>,
    /// Set while the browser shows the first records of a large catalogue and the rest loads: how many the
    /// whole has. The list is then those records, unfiltered; a query or lookup waits for the whole
    /// (`Action::Loaded`).
    pub loading: Option<usize>,
}

/// How the browser starts.
#[derive(Debug, Clone)]
pub struct Options {
    pub lang: Lang,
    pub theme: Theme,
    pub panes: Panes,
    /// The user's marks, read at start, and the file new ones go to.
    pub marks: crate::outcomes::Marks,
    pub outcomes_path: Option<std::path::PathBuf>,
    /// The configuration file, if it exists (the layout is remembered there).
    pub config_file: Option<std::path::PathBuf>,
    /// A note for the status bar at start (a corrupt outcomes file set aside...).
    pub notice: Option<String>,
    /// A message to put in the tester, with the list showing its lookup results (`cmd 2>&1 | errdex`).
    pub message: Option<String>,
    /// Catalogues with at least this many records are filtered in the background while typing, so a keystroke
    /// never waits for a 100,000-record filter.
    pub background_from: usize,
    /// `--print`: Enter hands a choice back to the script instead of opening the detail.
    pub pick: Option<Pick>,
    /// The environment lookups rank for (none known by default: tests do not depend on the machine).
    pub env: LookupEnv,
    /// `App::narrowing`.
    pub narrowing: Option<Arc<Narrowing>>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            lang: Lang::default(),
            theme: Theme::default(),
            panes: Panes::default(),
            marks: Default::default(),
            outcomes_path: None,
            config_file: None,
            notice: None,
            message: None,
            background_from: 50_000,
            pick: None,
            env: LookupEnv::default(),
            narrowing: None,
        }
    }
}

impl App {
    pub fn new(catalog: Catalog, options: Options) -> App {
        App::build(catalog, options, None)
    }

    /// A browser on the first records of a catalogue of `total` while the rest loads: the whole comes with
    /// `Action::Loaded`, and must list these first, in this order (the state points at records by place).
    pub fn preview(first: Catalog, total: usize, options: Options) -> App {
        App::build(first, options, Some(total))
    }

    fn build(catalog: Catalog, options: Options, loading: Option<usize>) -> App {
        let fuzzy = Arc::new(FuzzyIndex::new(&catalog));
        let catalog = Arc::new(catalog);
        let mut app = App {
            catalog,
            fuzzy,
            lookup: Arc::default(),
            narrowing: options.narrowing,
            env: Arc::new(options.env),
            lang: options.lang,
            theme: options.theme,
            pick: options.pick,
            focus: Focus::List,
            overlay: None,
            search: SearchBox::default(),
            list: ListState {
                lookup_mode: options.message.is_some(),
                ..ListState::default()
            },
            background: Background {
                from: options.background_from,
                ..Background::default()
            },
            detail: DetailState::default(),
            tester: TesterState {
                text: TextBuf::new(options.message.as_deref().unwrap_or("")),
                regex: Input::default(),
                case_insensitive: true,
                error: None,
                evaluation: Evaluation::default(),
            },
            late_diagnostics: Vec::new(),
            message: options.notice,
            effects: Vec::new(),
            screen: Screen {
                width: 80,
                height: 24,
            },
            panes: options.panes,
            stats: None,
            marks: options.marks,
            outcomes_path: options.outcomes_path,
            config_file: options.config_file,
            quit: false,
            loading,
        };
        app.refresh_rows(None);
        app.record_changed();
        app
    }

    /// The lookup index's cell, for the background thread to build and use.
    pub fn shared_lookup(&self) -> Arc<OnceLock<LookupIndex>> {
        Arc::clone(&self.lookup)
    }

    /// Forgets the lookup index (the catalogue changed); the next lookup builds one.
    pub fn reset_lookup(&mut self) {
        self.lookup = Arc::default();
    }

    /// The lookup index if a lookup has built it (drawing never builds it: at a million records that takes
    /// seconds).
    pub fn built_lookup_index(&self) -> Option<&LookupIndex> {
        self.lookup.get()
    }

    /// Characters of a row's shown signature that the search matched (none in lookup mode).
    pub fn match_positions(&self, index: usize) -> Vec<usize> {
        self.highlight_query()
            .map(|q| self.match_positions_for(index, q))
            .unwrap_or_default()
    }

    /// The query whose matches the list highlights, if any (parsed when the search changed, not per frame).
    pub fn highlight_query(&self) -> Option<&Query> {
        (!self.list.lookup_mode && !self.search.value().trim().is_empty())
            .then(|| self.search.query())
    }

    /// `match_positions` for a query parsed already (`highlight_query`).
    pub fn match_positions_for(&self, index: usize, query: &Query) -> Vec<usize> {
        self.fuzzy.positions(&self.catalog[index], query, self.lang)
    }

    /// Every load problem: the catalogue's, then those found after start-up.
    pub fn diagnostics(&self) -> impl Iterator<Item = &crate::catalog::Diagnostic> {
        self.catalog
            .diagnostics
            .iter()
            .chain(&self.late_diagnostics)
    }

    /// The index of the record whose detail is shown.
    pub fn current(&self) -> Option<usize> {
        self.list.rows.get(self.list.selected).map(|r| r.index)
    }

    pub fn current_record(&self) -> Option<&Record> {
        self.current().map(|i| &self.catalog[i])
    }

    pub fn areas(&self) -> Option<Areas> {
        Areas::compute(self.screen.width, self.screen.height, &self.panes)
    }

    /// The keymap context for the current focus.
    pub fn context(&self) -> Context {
        if self.overlay.is_some() {
            return Context::Overlay;
        }
        match self.focus {
            Focus::List => Context::List,
            Focus::Detail => Context::Detail,
            Focus::Search => Context::Search,
            Focus::TesterText => Context::TesterText,
            Focus::TesterRegex => Context::TesterRegex,
        }
    }

    /// Recomputes the list from the query (or the tester text in lookup mode), keeping `keep` (or the current
    /// record) selected when it is still listed; on a large catalogue, by asking the background thread.
    pub fn refresh_rows(&mut self, keep: Option<usize>) {
        // This supersedes any background filter still running.
        self.background.pending = None;
        let keep = keep.or(self.current());
        if self.loading.is_some() && self.filters() {
            // A query or lookup over the first records alone would miss the rest: it waits for the whole.
            self.list.rows.clear();
            self.list.selected = 0;
            self.list.offset = 0;
            return;
        }
        if self.lists_in_background() {
            // Meanwhile `keep` is selected if listed.
            if let Some(at) = keep.and_then(|k| self.list.rows.iter().position(|r| r.index == k)) {
                self.list.selected = at;
                self.keep_selection_visible();
            }
            return self.request_rows(keep);
        }
        self.list.rows = if self.list.lookup_mode {
            lookup_rows(
                &self.lookup,
                self.narrowing.as_deref(),
                &self.catalog,
                self.tester.text.text(),
                &self.env,
            )
        } else {
            filter_rows(&self.fuzzy, &self.catalog, self.search.query(), self.lang)
        };
        self.sort_rows();
        self.list.selected = keep
            .and_then(|k| self.list.rows.iter().position(|r| r.index == k))
            .unwrap_or(0);
        self.list.offset = self.list.offset.min(self.list.selected);
        self.keep_selection_visible();
    }

    /// Whether the list is computed on the background thread: on a large catalogue, for a search or a lookup.
    /// A search there takes up to a third of a second (a million records), building the lookup index seconds.
    pub fn lists_in_background(&self) -> bool {
        self.catalog.len() >= self.background.from && self.filters()
    }

    /// Whether the list is chosen by a query or a lookup rather than all the records.
    fn filters(&self) -> bool {
        self.list.lookup_mode || !self.search.value().trim().is_empty()
    }

    /// How many records the catalogue has (the whole's count while the rest loads).
    pub fn total(&self) -> usize {
        self.loading.unwrap_or(self.catalog.len())
    }

    /// Asks the background thread for the list (the query filtered, or in lookup mode the tester's message
    /// looked up), then `keep` (if listed) or the best hit selected; the list keeps its rows until
    /// `apply_filtered` brings the result.
    pub fn request_rows(&mut self, keep: Option<usize>) {
        self.background.generation += 1;
        self.background.pending = Some(self.background.generation);
        self.background.keep = keep;
        let generation = self.background.generation;
        self.effects.push(if self.list.lookup_mode {
            Effect::Lookup {
                generation,
                message: self.tester.text.text().to_string(),
            }
        } else {
            Effect::Filter {
                generation,
                query: self.search.query().clone(),
                lang: self.lang,
            }
        });
    }

    /// Takes a background filter's or lookup's result if it is the one awaited (older ones are dropped);
    /// selects the record the request was asked to keep if listed, else the best hit. Returns whether it was
    /// taken.
    pub fn apply_filtered(&mut self, generation: u64, rows: Vec<Row>) -> bool {
        if self.background.pending != Some(generation) {
            return false;
        }
        self.background.pending = None;
        self.list.rows = rows;
        self.sort_rows();
        let keep = self.background.keep.take();
        self.list.selected = keep
            .and_then(|k| self.list.rows.iter().position(|r| r.index == k))
            .unwrap_or(0);
        self.list.offset = 0;
        self.keep_selection_visible();
        true
    }

    fn sort_rows(&mut self) {
        let catalog = Arc::clone(&self.catalog);
        let rate = |x: Option<f64>| x.unwrap_or(-1.0);
        // Each row's key read once (through views: records not built stay so), then stable sorts, best first,
        // so equal keys keep relevance (or catalogue) order.
        let rows = &mut self.list.rows;
        match self.list.sort {
            Sort::Default => {}
            Sort::FixRate => sort_by_key(
                rows,
                &catalog,
                |r| rate(r.fix_success_rate()),
                |a, b| b.total_cmp(a),
            ),
            Sort::Confidence => sort_by_key(
                rows,
                &catalog,
                |r| rate(r.confidence()),
                |a, b| b.total_cmp(a),
            ),
            // Copied: compared in place, the dates would read the indexes' pages again.
            Sort::LastUpdated => sort_by_key(
                rows,
                &catalog,
                |r| r.last_updated().map(str::to_owned),
                |a, b| b.cmp(a),
            ),
        }
    }

    pub fn keep_selection_visible(&mut self) {
        let rows = self.areas().map_or(10, |a| a.list_rows()).max(1);
        if self.list.selected < self.list.offset {
            self.list.offset = self.list.selected;
        } else if self.list.selected >= self.list.offset + rows {
            self.list.offset = self.list.selected + 1 - rows;
        }
    }

    /// After the shown record changes: reset the detail and point the tester at the record's regex.
    pub fn record_changed(&mut self) {
        self.detail.item = 0;
        self.detail.scroll.reset();
        let regex = self
            .current_record()
            .map(|r| r.regex.clone())
            .unwrap_or_default();
        self.tester.regex = Input::new(regex);
        self.evaluate_tester();
    }

    /// Recompiles the tester's pattern; a broken one keeps the previous good evaluation on screen.
    pub fn evaluate_tester(&mut self) {
        match tester::compile(self.tester.regex.value(), self.tester.case_insensitive) {
            Ok(re) => {
                self.tester.evaluation = tester::evaluate(&re, self.tester.text.text());
                self.tester.error = None;
            }
            Err(e) => self.tester.error = Some(e),
        }
    }

    /// How many selectable items the current tab has for the current record.
    pub fn item_count(&self) -> usize {
        let Some(r) = self.current_record() else {
            return 0;
        };
        match self.detail.tab {
            Tab::Overview => 0,
            Tab::DeadEnds => r.details().dead_ends.len(),
            Tab::Workarounds => r.details().workarounds.len(),
            Tab::Related => r.details().transition_graph.len(),
        }
    }

    pub fn here(&self) -> Option<Place> {
        self.current().map(|record| Place {
            record,
            tab: self.detail.tab,
            item: self.detail.item,
        })
    }
}

/// Sorts rows (stably) by a key of their record's, read once a row through its view (letting go of the
/// indexes' pages as it goes: see `Catalog::let_go`).
fn sort_by_key<K>(
    rows: &mut [Row],
    catalog: &Catalog,
    key: impl Fn(crate::catalog::view::View<'_>) -> K,
    order: impl Fn(&K, &K) -> std::cmp::Ordering,
) {
    use crate::catalog::LET_GO_EVERY;
    let keys = (rows.iter().enumerate())
        .map(|(n, r)| {
            if n % LET_GO_EVERY == LET_GO_EVERY - 1 {
                catalog.let_go();
            }
            key(catalog.view(r.index))
        })
        .collect();
    catalog.let_go();
    sort_keyed(rows, keys, order);
}

/// Sorts `rows` stably by `keys` (one a row): (key, place) pairs sorted unstably, then the rows moved in
/// place, cycle by cycle. A stable sort of (key, row) pairs held the rows twice and half of them again for
/// its buffer: 52 MB to sort 1,000,000 rows, now 32.
fn sort_keyed<K>(rows: &mut [Row], keys: Vec<K>, order: impl Fn(&K, &K) -> std::cmp::Ordering) {
    let place = |n: usize| u32::try_from(n).expect("fewer than 2^32 rows");
    let mut keyed: Vec<(K, u32)> = (keys.into_iter().enumerate())
        .map(|(n, k)| (k, place(n)))
        .collect();
    keyed.sort_unstable_by(|a, b| order(&a.0, &b.0).then(a.1.cmp(&b.1)));
    // Row i takes the one at `from[i]`.
    let mut from: Vec<u32> = keyed.into_iter().map(|(_, n)| n).collect();
    for start in 0..rows.len() {
        if from[start] as usize == start {
            continue;
        }
        let first = rows[start].clone();
        let mut i = start;
        loop {
            let j = from[i] as usize;
            from[i] = place(i);
            if j == start {
                rows[i] = first;
                break;
            }
            rows[i] = rows[j].clone();
            i = j;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The same order as a stable sort, ties (few distinct keys) in their first order.
        #[test]
        fn rows_sort_as_a_stable_sort_does(keys in proptest::collection::vec(0u8..6, 0..300)) {
            let mut rows: Vec<Row> = (0..keys.len())
                .map(|index| Row { index, approximate: index % 3 == 0, nearest: false })
                .collect();
            let mut expected = rows.clone();
            expected.sort_by(|a, b| keys[b.index].cmp(&keys[a.index]));
            sort_keyed(&mut rows, keys.clone(), |a: &u8, b: &u8| b.cmp(a));
            prop_assert_eq!(rows, expected);
        }
    }
}

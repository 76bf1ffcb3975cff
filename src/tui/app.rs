//! The browser's state: plain data, changed only by `update` (in `update.rs`), read by the views.

use super::action::Tab;
use super::keymap::Context;
use super::layout::Areas;
use super::rows::{filter_rows, lookup_rows};
use super::textbuf::TextBuf;
use crate::catalog::{Catalog, Lang, Record};
use crate::search::fuzzy::{FuzzyIndex, Query};
use crate::search::lookup::{LookupEnv, LookupIndex};
use crate::tester::{self, Evaluation};
// The data shared with `action` and `update` lives in `model`, which depends on neither.
pub use super::model::{
    DetailCache, DetailScroll, Effect, Focus, History, Overlay, Place, Row, Sort, TesterState,
};
use std::sync::{Arc, OnceLock};
use tui_input::Input;

pub struct App {
    /// Shared with the background filter thread.
    pub catalog: Arc<Catalog>,
    pub fuzzy: Arc<FuzzyIndex>,
    /// The generation of the background filter whose result the list waits for, if any.
    pub pending: Option<u64>,
    /// The record to keep selected when that result comes, if it is listed (else the best hit is).
    pending_keep: Option<usize>,
    generation: u64,
    /// Catalogues at least this large are filtered off the UI thread while typing.
    pub background_from: usize,
    /// Built on first use: compiling every regex costs start-up time that browsing alone never needs.
    /// Shared with the background thread, which builds it for large catalogues.
    lookup: Arc<OnceLock<LookupIndex>>,
    /// The environment lookups rank for.
    pub env: Arc<LookupEnv>,
    pub lang: Lang,
    pub focus: Focus,
    pub overlay: Option<Overlay>,
    pub search: Input,
    pub rows: Vec<Row>,
    pub selected: usize,
    pub list_offset: usize,
    pub sort: Sort,
    pub tab: Tab,
    /// The selected item in the Dead ends, Workarounds or Related tab.
    pub item: usize,
    pub detail_scroll: DetailScroll,
    pub detail_cache: DetailCache,
    pub history: History,
    pub tester: TesterState,
    /// The list shows the records whose regex matches the tester text instead of the search results.
    pub lookup_mode: bool,
    /// Load problems found after start-up (the regex checks), shown after the catalogue's own.
    pub late_diagnostics: Vec<crate::catalog::Diagnostic>,
    /// A one-off note in the status bar (copied, no docs link...), cleared by the next action.
    pub message: Option<String>,
    pub effects: Vec<Effect>,
    pub width: u16,
    pub height: u16,
    pub quit: bool,
}

/// How the browser starts.
#[derive(Debug, Clone)]
pub struct Options {
    pub lang: Lang,
    /// A message to put in the tester, with the list showing its lookup results (`cmd 2>&1 | errdex`).
    pub message: Option<String>,
    /// Catalogues with at least this many records are filtered in the background while typing, so a keystroke
    /// never waits for a 100,000-record filter.
    pub background_from: usize,
    /// The environment lookups rank for (none known by default: tests do not depend on the machine).
    pub env: LookupEnv,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            lang: Lang::default(),
            message: None,
            background_from: 50_000,
            env: LookupEnv::default(),
        }
    }
}

impl App {
    pub fn new(catalog: Catalog, options: Options) -> App {
        let fuzzy = Arc::new(FuzzyIndex::new(&catalog));
        let catalog = Arc::new(catalog);
        let mut app = App {
            catalog,
            fuzzy,
            pending: None,
            pending_keep: None,
            generation: 0,
            background_from: options.background_from,
            lookup: Arc::default(),
            env: Arc::new(options.env),
            lang: options.lang,
            focus: Focus::List,
            overlay: None,
            search: Input::default(),
            rows: Vec::new(),
            selected: 0,
            list_offset: 0,
            sort: Sort::Default,
            tab: Tab::Overview,
            item: 0,
            detail_scroll: DetailScroll::default(),
            detail_cache: DetailCache::default(),
            history: History::default(),
            tester: TesterState {
                text: TextBuf::new(options.message.as_deref().unwrap_or("")),
                regex: Input::default(),
                case_insensitive: true,
                error: None,
                evaluation: Evaluation::default(),
            },
            lookup_mode: options.message.is_some(),
            late_diagnostics: Vec::new(),
            message: None,
            effects: Vec::new(),
            width: 80,
            height: 24,
            quit: false,
        };
        app.refresh_rows(None);
        app.record_changed();
        app
    }

    /// The lookup index's cell, for the background thread to build and use.
    pub fn shared_lookup(&self) -> Arc<OnceLock<LookupIndex>> {
        Arc::clone(&self.lookup)
    }

    /// The lookup index if a lookup has built it (drawing never builds it: at a million records that takes
    /// seconds).
    pub fn built_lookup_index(&self) -> Option<&LookupIndex> {
        self.lookup.get()
    }

    /// Characters of a row's shown signature that the search matched (none in lookup mode).
    pub fn match_positions(&self, index: usize) -> Vec<usize> {
        self.highlight_query()
            .map(|q| self.match_positions_for(index, &q))
            .unwrap_or_default()
    }

    /// The query whose matches the list highlights, if any: parsed once for every visible row.
    pub fn highlight_query(&self) -> Option<Query> {
        let text = self.search.value();
        (!self.lookup_mode && !text.trim().is_empty()).then(|| Query::parse(text))
    }

    /// `match_positions` for a query parsed already (`highlight_query`).
    pub fn match_positions_for(&self, index: usize, query: &Query) -> Vec<usize> {
        self.fuzzy
            .positions(&self.catalog.records[index], query, self.lang)
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
        self.rows.get(self.selected).map(|r| r.index)
    }

    pub fn current_record(&self) -> Option<&Record> {
        self.current().map(|i| &self.catalog.records[i])
    }

    pub fn areas(&self) -> Option<Areas> {
        Areas::compute(self.width, self.height)
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
        self.pending = None;
        let keep = keep.or(self.current());
        if self.lists_in_background() {
            // Meanwhile `keep` is selected if listed.
            if let Some(at) = keep.and_then(|k| self.rows.iter().position(|r| r.index == k)) {
                self.selected = at;
                self.keep_selection_visible();
            }
            return self.request_rows(keep);
        }
        self.rows = if self.lookup_mode {
            lookup_rows(
                &self.lookup,
                &self.catalog,
                self.tester.text.text(),
                &self.env,
            )
        } else {
            let query = Query::parse(self.search.value());
            filter_rows(&self.fuzzy, &self.catalog, &query, self.lang)
        };
        self.sort_rows();
        self.selected = keep
            .and_then(|k| self.rows.iter().position(|r| r.index == k))
            .unwrap_or(0);
        self.list_offset = self.list_offset.min(self.selected);
        self.keep_selection_visible();
    }

    /// Whether the list is computed on the background thread: on a large catalogue, for a search or a lookup.
    /// A search there takes up to a third of a second (a million records), building the lookup index seconds.
    pub fn lists_in_background(&self) -> bool {
        self.catalog.len() >= self.background_from
            && (self.lookup_mode || !self.search.value().trim().is_empty())
    }

    /// Asks the background thread for the list (the query filtered, or in lookup mode the tester's message
    /// looked up), then `keep` (if listed) or the best hit selected; the list keeps its rows until
    /// `apply_filtered` brings the result.
    pub fn request_rows(&mut self, keep: Option<usize>) {
        self.generation += 1;
        self.pending = Some(self.generation);
        self.pending_keep = keep;
        let generation = self.generation;
        self.effects.push(if self.lookup_mode {
            Effect::Lookup {
                generation,
                message: self.tester.text.text().to_string(),
            }
        } else {
            Effect::Filter {
                generation,
                query: Query::parse(self.search.value()),
                lang: self.lang,
            }
        });
    }

    /// Takes a background filter's or lookup's result if it is the one awaited (older ones are dropped);
    /// selects the record the request was asked to keep if listed, else the best hit. Returns whether it was
    /// taken.
    pub fn apply_filtered(&mut self, generation: u64, rows: Vec<Row>) -> bool {
        if self.pending != Some(generation) {
            return false;
        }
        self.pending = None;
        self.rows = rows;
        self.sort_rows();
        let keep = self.pending_keep.take();
        self.selected = keep
            .and_then(|k| self.rows.iter().position(|r| r.index == k))
            .unwrap_or(0);
        self.list_offset = 0;
        self.keep_selection_visible();
        true
    }

    fn sort_rows(&mut self) {
        let records = &self.catalog.records;
        let rate = |x: Option<f64>| x.unwrap_or(-1.0);
        // Stable sorts, best first, so equal keys keep relevance (or catalogue) order.
        match self.sort {
            Sort::Default => {}
            Sort::FixRate => self.rows.sort_by(|a, b| {
                rate(records[b.index].fix_success_rate)
                    .total_cmp(&rate(records[a.index].fix_success_rate))
            }),
            Sort::Confidence => self.rows.sort_by(|a, b| {
                rate(records[b.index].confidence).total_cmp(&rate(records[a.index].confidence))
            }),
            Sort::LastUpdated => self.rows.sort_by(|a, b| {
                records[b.index]
                    .last_updated
                    .cmp(&records[a.index].last_updated)
            }),
        }
    }

    pub fn keep_selection_visible(&mut self) {
        let rows = self.areas().map_or(10, |a| a.list_rows()).max(1);
        if self.selected < self.list_offset {
            self.list_offset = self.selected;
        } else if self.selected >= self.list_offset + rows {
            self.list_offset = self.selected + 1 - rows;
        }
    }

    /// After the shown record changes: reset the detail and point the tester at the record's regex.
    pub fn record_changed(&mut self) {
        self.item = 0;
        self.detail_scroll.reset();
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
        match self.tab {
            Tab::Overview => 0,
            Tab::DeadEnds => r.details().dead_ends.len(),
            Tab::Workarounds => r.details().workarounds.len(),
            Tab::Related => r.details().transition_graph.len(),
        }
    }

    pub fn here(&self) -> Option<Place> {
        self.current().map(|record| Place {
            record,
            tab: self.tab,
            item: self.item,
        })
    }
}

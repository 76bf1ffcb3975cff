//! The browser's plain data that actions, effects and the app share: a leaf, so `action` can name a `Row`
//! without depending on `App`, and `App` can hold these without depending on `update`.

use super::textbuf::TextBuf;
use crate::catalog::Lang;
use crate::search::fuzzy::Query;
use crate::tester::{CompileError, Evaluation};
use ratatui::text::Line;
use std::cell::{Cell, RefCell};
use tui_input::Input;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Focus {
    List,
    Detail,
    Search,
    TesterText,
    TesterRegex,
}

/// What the browser hands back to a script on Enter (`errdex --print`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Pick {
    /// The chosen record's id.
    Id,
    /// The selected workaround's commands (the first workaround's, unless one is selected in the
    /// Workarounds tab).
    Commands,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    Help {
        scroll: usize,
    },
    Diagnostics {
        scroll: usize,
    },
    /// The catalogue overview; `selected` is a domain's line.
    Overview {
        selected: usize,
    },
}

/// List order. `Default` is relevance for a query, catalogue order without one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    #[default]
    Default,
    FixRate,
    Confidence,
    LastUpdated,
}

impl Sort {
    pub fn next(self) -> Sort {
        match self {
            Sort::Default => Sort::FixRate,
            Sort::FixRate => Sort::Confidence,
            Sort::Confidence => Sort::LastUpdated,
            Sort::LastUpdated => Sort::Default,
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Sort::Default => "sort.default",
            Sort::FixRate => "sort.fix_rate",
            Sort::Confidence => "sort.confidence",
            Sort::LastUpdated => "sort.updated",
        }
    }
}

/// A whole catalogue and its search index, loaded on a thread of their own while the browser showed the first
/// records. Compared by identity: it is data in flight, not state.
#[derive(Clone)]
pub struct Whole {
    pub catalog: std::sync::Arc<crate::catalog::Catalog>,
    pub fuzzy: std::sync::Arc<crate::search::fuzzy::FuzzyIndex>,
    /// Lookups through the indexes, for a catalogue whose records are left in them (see `rows::lookup_rows`).
    pub narrowing: Option<std::sync::Arc<crate::search::narrow::Narrowing>>,
}

impl Whole {
    pub fn new(catalog: crate::catalog::Catalog) -> Whole {
        Whole {
            fuzzy: std::sync::Arc::new(crate::search::fuzzy::FuzzyIndex::new(&catalog)),
            catalog: std::sync::Arc::new(catalog),
            narrowing: None,
        }
    }
}

impl PartialEq for Whole {
    fn eq(&self, other: &Whole) -> bool {
        std::sync::Arc::ptr_eq(&self.catalog, &other.catalog)
    }
}

impl Eq for Whole {}

impl std::fmt::Debug for Whole {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Whole({} records)", self.catalog.len())
    }
}

/// One row of the list: a record and how it was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub index: usize,
    pub approximate: bool,
    /// Not an answer: a lookup found nothing, and this record only shares words with the message.
    pub nearest: bool,
}

/// A place in the browser history.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    pub record: usize,
    pub tab: Tab,
    pub item: usize,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct History {
    pub back: Vec<Place>,
    pub forward: Vec<Place>,
}

/// Side effects `update` asks for; the event loop carries them out (I/O stays at the edge).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Put text on the clipboard (OSC 52, so it works over SSH).
    Copy(String),
    /// Open a URL in the browser.
    Open(String),
    /// Print this to standard output once the terminal is restored (`--print`: the choice, for a script).
    Print(String),
    /// Filter the catalogue in the background (large catalogues); the result comes back as
    /// `Action::Filtered` with the same generation.
    Filter {
        generation: u64,
        query: Query,
        lang: Lang,
    },
    /// Look the message up in the background (large catalogues; the first lookup builds the index); the
    /// result comes back as `Action::Filtered` too.
    Lookup { generation: u64, message: String },
    /// Append a "worked for me" mark to the outcomes file.
    SaveMark(crate::outcomes::Mark),
    /// Remember the panes in the configuration file (when there is one).
    SavePanes(super::layout::Panes),
}

#[derive(Debug, Clone)]
pub struct TesterState {
    pub text: TextBuf,
    pub regex: Input,
    pub case_insensitive: bool,
    /// The error of the pattern as it stands, if it does not compile.
    pub error: Option<CompileError>,
    /// The last good evaluation (kept while the pattern is broken).
    pub evaluation: Evaluation,
}

/// Detail tabs, in display order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tab {
    #[default]
    Overview,
    DeadEnds,
    Workarounds,
    Related,
}

impl Tab {
    pub const ALL: [Tab; 4] = [Tab::Overview, Tab::DeadEnds, Tab::Workarounds, Tab::Related];

    pub fn label_key(self) -> &'static str {
        match self {
            Tab::Overview => "tab.overview",
            Tab::DeadEnds => "tab.dead_ends",
            Tab::Workarounds => "tab.workarounds",
            Tab::Related => "tab.related",
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }

    pub fn offset(self, by: isize) -> Tab {
        let n = Tab::ALL.len() as isize;
        Tab::ALL[((self.index() as isize + by).rem_euclid(n)) as usize]
    }
}

/// The detail pane's scroll. The draw, which lays the text out, writes back what it learnt (as gitui's
/// `scroll_vertical.rs` keeps `max_top` in a `Cell`), so `update` never lays text out to learn a limit.
#[derive(Debug, Default)]
pub struct DetailScroll {
    /// The first line shown.
    pub top: Cell<usize>,
    /// The largest `top` the last frame allowed; `None` until a frame has shown the current record and tab.
    pub max_top: Cell<Option<usize>>,
    /// Bring the selected item into view at the next frame: only the layout knows where items start.
    pub reveal: Cell<bool>,
}

impl DetailScroll {
    /// Back to the top, with nothing known of the new text's length.
    pub fn reset(&self) {
        self.top.set(0);
        self.max_top.set(None);
        self.reveal.set(false);
    }

    /// Scrolls by `by` lines, within the last frame's limit (the next frame clamps if that is unknown).
    pub fn by(&self, by: isize) {
        let top = self.top.get();
        let max = self.max_top.get().unwrap_or(usize::MAX);
        self.top.set(if by < 0 {
            top.saturating_sub(by.unsigned_abs())
        } else {
            top.saturating_add(by as usize).min(max)
        });
    }
}

/// What the detail pane's text depends on; the marker of the selected item does not (the draw adds it), so
/// moving between items re-lays nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DetailKey {
    pub record: Option<usize>,
    pub tab: Tab,
    pub lang: Lang,
    pub width: u16,
    /// The user's marks shown beside the rates (`Marks::version`).
    pub marks: u64,
    /// Whether the whole catalogue is still loading (a related record may not be there yet).
    pub loading: bool,
}

/// The detail pane laid out once for a key: a 12 MB record takes a hundred milliseconds or more to wrap, too
/// slow to repeat every frame.
#[derive(Debug)]
pub struct DetailLayout {
    pub key: DetailKey,
    pub lines: Vec<Line<'static>>,
    /// The line each selectable item starts at.
    pub item_starts: Vec<usize>,
}

/// The last layout, kept by the draw.
#[derive(Debug, Default)]
pub struct DetailCache {
    pub layout: RefCell<Option<DetailLayout>>,
    /// How many layouts were made (tests check that a key press makes at most one).
    pub built: Cell<u64>,
}

/// The search box: what was typed, and its query parsed once per edit (the list highlights matches on every
/// visible row every frame, which must not parse it again each time).
#[derive(Debug, Clone, Default)]
pub struct SearchBox {
    input: Input,
    query: Query,
}

impl SearchBox {
    pub fn value(&self) -> &str {
        self.input.value()
    }

    /// The text and cursor, for drawing.
    pub fn input(&self) -> &Input {
        &self.input
    }

    pub fn query(&self) -> &Query {
        &self.query
    }

    /// Replaces the text (and cursor); the query follows.
    pub fn set(&mut self, input: Input) {
        self.query = Query::parse(input.value());
        self.input = input;
    }

    pub fn clear(&mut self) {
        self.set(Input::default());
    }

    /// Applies an edit; returns whether the text changed (a cursor move does not).
    pub fn handle(&mut self, request: tui_input::InputRequest) -> bool {
        let changed = self
            .input
            .handle(request)
            .is_some_and(|changed| changed.value);
        if changed {
            self.query = Query::parse(self.input.value());
        }
        changed
    }
}

/// The list: its rows, which is selected, where it is scrolled, how it is sorted, and what it lists.
#[derive(Debug, Default)]
pub struct ListState {
    pub rows: Vec<Row>,
    pub selected: usize,
    /// The first row shown.
    pub offset: usize,
    pub sort: Sort,
    /// The list shows the records whose regex matches the tester text instead of the search results.
    pub lookup_mode: bool,
}

/// The detail pane: the tab, its selected item, the scroll, the last layout, and back/forward history.
#[derive(Debug, Default)]
pub struct DetailState {
    pub tab: Tab,
    /// The selected item in the Dead ends, Workarounds or Related tab.
    pub item: usize,
    pub scroll: DetailScroll,
    pub cache: DetailCache,
    pub history: History,
}

/// The list being computed on the background thread, for large catalogues.
#[derive(Debug, Default)]
pub struct Background {
    /// The generation of the result the list waits for, if any.
    pub pending: Option<u64>,
    /// The record to keep selected when that result comes, if it is listed (else the best hit is).
    pub keep: Option<usize>,
    pub generation: u64,
    /// Catalogues at least this large are filtered off the UI thread while typing.
    pub from: usize,
}

/// The terminal's size at the last resize.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Screen {
    pub width: u16,
    pub height: u16,
}

//! Everything the user can ask of the browser, as data. Keys and mouse events become these through the keymap;
//! `App::update` is the only place they change state.

// Tabs and edits are named by the model too, which must not depend on actions.
pub use super::edit::Edit;
pub use super::model::Tab;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    Next,
    Prev,
    PageDown,
    PageUp,
    First,
    Last,
    NextTab,
    PrevTab,
    Tab(Tab),
    /// Move focus from the list into the detail pane (items become selectable).
    EnterDetail,
    /// Follow the selected related-error link.
    Follow,
    Back,
    Forward,
    FocusSearch,
    FocusTester,
    EditRegex,
    /// Esc: leave an input or overlay.
    Leave,
    ToggleLang,
    CycleSort,
    Copy,
    OpenDocs,
    ToggleHelp,
    ToggleDiagnostics,
    /// The catalogue overview: records and fix rates per domain.
    ToggleOverview,
    /// Mark the selected workaround or dead end as worked for me (again: take the mark back).
    MarkWorked,
    /// Mark it as did not work for me (again: take the mark back).
    MarkFailed,
    /// Saving a mark or the layout failed: why.
    NotSaved(String),
    ToggleCase,
    ResetRegex,
    ToggleLookup,
    /// Hide or show the regex tester.
    ToggleTester,
    /// Hide or show the detail pane (the list takes the whole width).
    ToggleDetail,
    /// The list's share of the width: 30, 40, 50 percent.
    CycleSplit,
    Edit(Edit),
    Paste(String),
    Click {
        column: u16,
        row: u16,
    },
    Wheel {
        column: u16,
        row: u16,
        down: bool,
    },
    Resize {
        width: u16,
        height: u16,
    },
    /// The regexes were checked after start-up (the catalogue was loaded without): the warnings.
    RegexesChecked(Vec<crate::catalog::Diagnostic>),
    /// The whole catalogue, after the browser opened on its first records (`App::preview`).
    Loaded(super::model::Whole),
    /// A background filter or lookup finished: the list's rows, best first.
    Filtered {
        generation: u64,
        rows: Vec<super::model::Row>,
    },
    Quit,
    /// `--print` only: hand the current record (or its workaround's commands) to the script and end.
    Accept,
    /// `--print` only: end without a choice (the process exits 130, as fzf does).
    Cancel,
}

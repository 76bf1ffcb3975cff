//! Everything the user can ask of the browser, as data. Keys and mouse events become these through the keymap;
//! `App::update` is the only place they change state.

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

/// An edit to whichever text input has focus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    Insert(char),
    Newline,
    Backspace,
    Delete,
    Left,
    Right,
    Up,
    Down,
    Home,
    End,
    DeleteWord,
    Clear,
}

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
    ToggleCase,
    ResetRegex,
    ToggleLookup,
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
    /// A background filter or lookup finished: the list's rows, best first.
    Filtered {
        generation: u64,
        rows: Vec<super::app::Row>,
    },
    Quit,
}

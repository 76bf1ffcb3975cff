//! The edits a text input takes, as data: a leaf, so the inputs (`textbuf`) and the state holding them
//! (`model`) depend on it and not on each other.

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

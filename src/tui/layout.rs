//! Where each pane goes for a terminal size. Pure, so the views and mouse hit-testing agree.

use ratatui::layout::{Constraint, Layout, Rect};

/// Below this the browser shows a "terminal too small" notice instead of a cramped layout.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;
/// Below this width the list goes above the detail instead of beside it: side by side, both would be too
/// narrow to read a signature.
pub const STACK_BELOW: u16 = 80;
/// Stacked, list and detail need this many rows between them (else they stay side by side).
const STACK_MIN_HEIGHT: u16 = 12;

/// What the user chose to see: the tester and the detail pane can be hidden, and the list's share of the width
/// (or, stacked, of the height) cycles.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Panes {
    pub tester: bool,
    pub detail: bool,
    pub split: Split,
}

impl Default for Panes {
    fn default() -> Panes {
        Panes {
            tester: true,
            detail: true,
            split: Split::Default,
        }
    }
}

/// The list's share of the space it shares with the detail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Split {
    Narrow,
    #[default]
    Default,
    Even,
}

impl Split {
    pub fn next(self) -> Split {
        match self {
            Split::Narrow => Split::Default,
            Split::Default => Split::Even,
            Split::Even => Split::Narrow,
        }
    }

    /// The list's share, in percent.
    pub fn percent(self) -> u16 {
        match self {
            Split::Narrow => 30,
            Split::Default => 40,
            Split::Even => 50,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Areas {
    pub search: Rect,
    pub list: Rect,
    pub detail: Rect,
    /// The tab bar, first row inside the detail border.
    pub tabs: Rect,
    /// The scrollable detail text under the tabs.
    pub body: Rect,
    pub tester: Rect,
    pub status: Rect,
}

impl Areas {
    /// The panes for a terminal size; a hidden pane gets an empty area. `None` when the terminal is too small.
    pub fn compute(width: u16, height: u16, panes: &Panes) -> Option<Areas> {
        if width < MIN_WIDTH || height < MIN_HEIGHT {
            return None;
        }
        let area = Rect::new(0, 0, width, height);
        let tester_height = if panes.tester {
            (height / 4).clamp(7, 12)
        } else {
            0
        };
        let [search, main, tester, status] = Layout::vertical([
            Constraint::Length(3),
            Constraint::Min(5),
            Constraint::Length(tester_height),
            Constraint::Length(1),
        ])
        .areas(area);
        let share = panes.split.percent();
        let [list, detail] = if !panes.detail {
            [main, Rect::default()]
        } else if width < STACK_BELOW && main.height >= STACK_MIN_HEIGHT {
            let list_height = (main.height * share / 100).max(5);
            Layout::vertical([Constraint::Length(list_height), Constraint::Min(5)]).areas(main)
        } else {
            let list_width = (width * share / 100).max(30);
            Layout::horizontal([Constraint::Length(list_width), Constraint::Min(20)]).areas(main)
        };
        let inner = Rect::new(
            detail.x + 1,
            detail.y + 1,
            detail.width.saturating_sub(2),
            detail.height.saturating_sub(2),
        );
        let tabs = Rect { height: 1, ..inner };
        let body = Rect::new(
            inner.x,
            inner.y + 2,
            inner.width,
            inner.height.saturating_sub(2),
        );
        Some(Areas {
            search,
            list,
            detail,
            tabs,
            body,
            tester,
            status,
        })
    }

    /// How many list rows fit inside the list's border.
    pub fn list_rows(&self) -> usize {
        usize::from(self.list.height.saturating_sub(2))
    }
}

pub fn contains(r: Rect, column: u16, row: u16) -> bool {
    column >= r.x && column < r.x + r.width && row >= r.y && row < r.y + r.height
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panes_tile_the_screen_without_overlap() {
        let mut every = Vec::new();
        for tester in [true, false] {
            for detail in [true, false] {
                for split in [Split::Narrow, Split::Default, Split::Even] {
                    every.push(Panes {
                        tester,
                        detail,
                        split,
                    });
                }
            }
        }
        for panes in &every {
            for (w, h) in [(80, 24), (120, 40), (60, 16), (79, 24), (300, 100)] {
                let a = Areas::compute(w, h, panes).expect("big enough");
                let stacked = panes.detail && a.detail.y > a.list.y;
                let main_rows = h - 4 - a.tester.height;
                let narrow = w < STACK_BELOW && main_rows >= STACK_MIN_HEIGHT;
                assert_eq!(stacked, panes.detail && narrow, "{w}x{h} {panes:?}");
                let main = if stacked {
                    a.list.height + a.detail.height
                } else {
                    a.list.height
                };
                assert_eq!(
                    a.search.height + main + a.tester.height + a.status.height,
                    h,
                    "{w}x{h} {panes:?}"
                );
                if stacked {
                    assert_eq!((a.list.width, a.detail.width), (w, w));
                    assert_eq!(a.detail.y, a.list.y + a.list.height);
                } else {
                    assert_eq!(a.list.width + a.detail.width, w, "{w}x{h} {panes:?}");
                }
                assert!(a.list_rows() >= 3, "{w}x{h} {panes:?}");
                if panes.detail {
                    assert!(a.body.height >= 1, "{w}x{h} {panes:?}");
                }
                assert_eq!(a.tester.height == 0, !panes.tester);
            }
        }
        assert_eq!(Areas::compute(59, 40, &Panes::default()), None);
        assert_eq!(Areas::compute(1, 1, &Panes::default()), None);
    }

    #[test]
    fn the_split_sets_the_lists_share() {
        let width = |split| {
            let panes = Panes {
                split,
                ..Panes::default()
            };
            Areas::compute(200, 50, &panes).expect("fits").list.width
        };
        assert_eq!(
            [
                width(Split::Narrow),
                width(Split::Default),
                width(Split::Even)
            ],
            [60, 80, 100]
        );
    }
}

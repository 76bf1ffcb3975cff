//! Where each pane goes for a terminal size. Pure, so the views and mouse hit-testing agree.

use ratatui::layout::{Constraint, Layout, Rect};

/// Below this the browser shows a "terminal too small" notice instead of a cramped layout.
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 16;

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
    pub fn compute(width: u16, height: u16) -> Option<Areas> {
        if width < MIN_WIDTH || height < MIN_HEIGHT {
            return None;
        }
        let area = Rect::new(0, 0, width, height);
        let tester_height = (height / 4).clamp(7, 12);
        let [search, main, tester, status] = Layout::vertical([
            Constraint::Length(3),
            Constraint::Min(5),
            Constraint::Length(tester_height),
            Constraint::Length(1),
        ])
        .areas(area);
        let list_width = (width * 2 / 5).max(30);
        let [list, detail] =
            Layout::horizontal([Constraint::Length(list_width), Constraint::Min(20)]).areas(main);
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
        for (w, h) in [(80, 24), (120, 40), (60, 16), (300, 100)] {
            let a = Areas::compute(w, h).expect("big enough");
            assert_eq!(
                a.search.height + a.list.height + a.tester.height + a.status.height,
                h
            );
            assert_eq!(a.list.width + a.detail.width, w);
            assert!(a.list_rows() >= 3, "{w}x{h}");
            assert!(a.body.height >= 1, "{w}x{h}");
        }
        assert_eq!(Areas::compute(59, 40), None);
        assert_eq!(Areas::compute(1, 1), None);
    }
}

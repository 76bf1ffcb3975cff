//! The loading screen: the search box where the browser's will be, already taking the query, and a spinner
//! with the time spent so the user sees errdex is alive.

use crate::i18n::t;
use crate::text::{sanitize_line, truncate, width};
use crate::tui::layout::Areas;
use crate::tui::loading::Loading;
use ratatui::Frame;
use ratatui::layout::{Alignment, Position, Rect};
use ratatui::text::Line;
use ratatui::widgets::{Block, Paragraph};
use std::time::Duration;

const SPINNER: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/// Draws the loading screen `elapsed` after loading began (passed in, so the screen is a pure function).
pub fn draw(state: &Loading, elapsed: Duration, frame: &mut Frame) {
    let area = frame.area();
    let lang = state.lang;
    // The box sits exactly where the browser's search box will, so the query does not jump when the list opens.
    let search = match Areas::compute(area.width, area.height, &Default::default()) {
        Some(areas) => {
            let block = Block::bordered()
                .title(format!(" {} ", t(lang, "ui.search_title")))
                .border_style(state.theme.accent);
            let inner = block.inner(areas.search);
            frame.render_widget(block, areas.search);
            inner
        }
        None => Rect { height: 1, ..area },
    };
    query_line(state, frame, search);
    let spin = SPINNER[(elapsed.as_millis() / 100) as usize % SPINNER.len()];
    let status = format!(
        "{spin} {} {:.1} s",
        t(lang, "ui.loading"),
        elapsed.as_secs_f64()
    );
    let middle = area.y + area.height / 2;
    for (row, text) in [
        (middle, status.as_str()),
        (middle + 1, t(lang, "ui.loading_hint")),
    ] {
        // Rows the search box took, or that are off a tiny screen, stay as they are.
        if row < search.y + search.height || row >= area.y + area.height {
            continue;
        }
        frame.render_widget(
            Paragraph::new(truncate(text, area.width as usize).into_owned())
                .alignment(Alignment::Center)
                .style(state.theme.dim),
            Rect::new(area.x, row, area.width, 1),
        );
    }
}

/// The query with the cursor, scrolled so the cursor stays in view.
fn query_line(state: &Loading, frame: &mut Frame, area: Rect) {
    if area.width == 0 || area.height == 0 {
        return;
    }
    let text = state.query.text();
    let before = sanitize_line(&text[..state.query.cursor()]).into_owned();
    let after = sanitize_line(&text[state.query.cursor()..]).into_owned();
    // Drop characters from the left until the cursor fits in the last column.
    let room = area.width as usize - 1;
    let mut shown_before = before.as_str();
    while width(shown_before) > room {
        let mut chars = shown_before.chars();
        chars.next();
        shown_before = chars.as_str();
    }
    let cursor_x = width(shown_before) as u16;
    frame.render_widget(
        Paragraph::new(Line::raw(format!("{shown_before}{after}"))),
        area,
    );
    frame.set_cursor_position(Position::new(area.x + cursor_x, area.y));
}

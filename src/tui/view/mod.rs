//! Drawing: every function here only reads `App`. One file per pane.

pub mod detail;
pub mod list;
pub mod loading;
pub mod overlay;
pub mod status;
pub mod tester;

use super::app::{App, Overlay};
use super::layout::{Areas, MIN_HEIGHT, MIN_WIDTH};
use crate::i18n::t;
use ratatui::Frame;
use ratatui::layout::Alignment;
use ratatui::style::{Color, Modifier, Style};
use ratatui::widgets::{Paragraph, Wrap};

pub const ACCENT: Color = Color::Cyan;
pub const MATCH: Color = Color::Yellow;
pub const GOOD: Color = Color::Green;
pub const BAD: Color = Color::Red;

pub fn dim() -> Style {
    Style::new().add_modifier(Modifier::DIM)
}

/// A pane's border: the accent colour when it has the keyboard focus.
pub fn border(focused: bool) -> Style {
    if focused {
        Style::new().fg(ACCENT)
    } else {
        dim()
    }
}

pub fn bold() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

pub fn draw(app: &App, frame: &mut Frame) {
    let area = frame.area();
    let Some(areas) = Areas::compute(area.width, area.height) else {
        too_small(app, frame);
        return;
    };
    list::draw_search(app, frame, areas.search);
    list::draw(app, frame, areas.list);
    detail::draw(app, frame, &areas);
    tester::draw(app, frame, areas.tester);
    status::draw(app, frame, areas.status);
    match app.overlay {
        Some(Overlay::Help { scroll }) => overlay::help(app, frame, scroll),
        Some(Overlay::Diagnostics { scroll }) => overlay::diagnostics(app, frame, scroll),
        None => {}
    }
}

fn too_small(app: &App, frame: &mut Frame) {
    let area = frame.area();
    let text = format!(
        "{} ({}×{} < {MIN_WIDTH}×{MIN_HEIGHT})",
        t(app.lang, "ui.too_small"),
        area.width,
        area.height
    );
    frame.render_widget(
        Paragraph::new(text)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        area,
    );
}

//! Drawing: every function here only reads `App`. One file per pane.

pub mod detail;
pub mod list;
pub mod loading;
pub mod overlay;
pub mod overview;
pub mod status;
pub mod tester;

use super::app::{App, Overlay};
use super::layout::{Areas, MIN_HEIGHT, MIN_WIDTH};
use super::theme::Theme;
use crate::i18n::t;
use ratatui::Frame;
use ratatui::layout::Alignment;
use ratatui::style::{Modifier, Style};
use ratatui::widgets::{Block, Paragraph, Wrap};

/// A pane's border in the theme: thick and accented when the pane has the keyboard focus.
pub fn framed<'a>(block: Block<'a>, theme: &Theme, focused: bool) -> Block<'a> {
    let (kind, style) = theme.border(focused);
    block.border_type(kind).border_style(style)
}

pub fn bold() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

pub fn draw(app: &App, frame: &mut Frame) {
    let area = frame.area();
    let Some(areas) = Areas::compute(area.width, area.height, &app.panes) else {
        too_small(app, frame);
        return;
    };
    list::draw_search(app, frame, areas.search);
    list::draw(app, frame, areas.list);
    if app.panes.detail {
        detail::draw(app, frame, &areas);
    }
    if app.panes.tester {
        tester::draw(app, frame, areas.tester);
    }
    status::draw(app, frame, areas.status);
    match app.overlay {
        Some(Overlay::Help { scroll }) => overlay::help(app, frame, scroll),
        Some(Overlay::Diagnostics { scroll }) => overlay::diagnostics(app, frame, scroll),
        Some(Overlay::Overview { selected }) => overview::draw(app, frame, selected),
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

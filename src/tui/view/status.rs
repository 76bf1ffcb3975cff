//! The status bar: language, catalogue size, diagnostics, mode, and the most useful keys (or a message).

use super::bold;
use crate::catalog::{Lang, Severity};
use crate::i18n::t;
use crate::text::{truncate, width};
use crate::tui::app::{App, Focus, Sort};
use crate::tui::keymap::Context;
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let lang = app.lang;
    let badge = match lang {
        Lang::En => " EN ",
        Lang::Zh => " 中文 ",
    };
    let errors = app.catalog.count(Severity::Error);
    let problems = app.diagnostics().count();
    let mut left = vec![
        Span::styled(badge, app.theme.badge),
        Span::raw(format!(" {} {} ", app.total(), t(lang, "ui.records_count"))),
    ];
    if problems > 0 {
        let style = if errors > 0 {
            app.theme.bad
        } else {
            app.theme.warn
        };
        left.push(Span::styled(format!("⚠ {problems} (d) "), style));
    }
    if app.list.sort != Sort::Default {
        left.push(Span::styled(
            format!("↕ {} ", t(lang, app.list.sort.label_key())),
            app.theme.dim,
        ));
    }
    let hints = match &app.message {
        Some(m) => Span::styled(crate::text::sanitize_line(m).into_owned(), bold()),
        None => Span::styled(hints(app), app.theme.dim),
    };
    let used: usize = left.iter().map(|s| width(&s.content)).sum();
    let room = (area.width as usize).saturating_sub(used);
    let hint_text = truncate(&hints.content, room).into_owned();
    let pad = room.saturating_sub(width(&hint_text));
    left.push(Span::raw(" ".repeat(pad)));
    left.push(Span::styled(hint_text, hints.style));
    frame.render_widget(Paragraph::new(Line::from(left)), area);
}

/// The hints for the focus, each `{action}` in them replaced by the first key bound to it there, so rebound
/// keys show as they are.
fn hints(app: &App) -> String {
    let key = match app.focus {
        Focus::List | Focus::Detail => "ui.hints_browse",
        Focus::Search => "ui.hints_search",
        Focus::TesterText | Focus::TesterRegex => "ui.hints_tester",
    };
    // The focus's keys, even under an overlay; the detail pane shows the list's (how to get into it).
    let context = match app.focus {
        Focus::List | Focus::Detail => Context::List,
        Focus::Search => Context::Search,
        Focus::TesterText => Context::TesterText,
        Focus::TesterRegex => Context::TesterRegex,
    };
    let mut text = t(app.lang, key).to_string();
    while let Some(start) = text.find('{') {
        let Some(len) = text[start..].find('}') else {
            break;
        };
        // `{a|b}`: the first of the actions bound here (Ctrl-E is "edit the regex" in the text, "edit the
        // text" in the regex).
        let label = text[start + 1..start + len]
            .split('|')
            .filter_map(crate::tui::remap::action_named)
            .find_map(|action| crate::tui::keymap::first_key(context, action))
            .map_or_else(|| "—".to_string(), |k| k.label());
        text.replace_range(start..=start + len, &label);
    }
    text
}

//! Overlays: the help (generated from the keymap table) and the load diagnostics.

use super::bold;
use crate::i18n::t;
use crate::text::{sanitize_line, width, wrap};
use crate::tui::app::App;
use crate::tui::keymap::{Context, bindings};
use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Paragraph};

fn centered(area: Rect) -> Rect {
    let w = (area.width * 4 / 5).max(area.width.min(40));
    let h = (area.height * 4 / 5).max(area.height.min(10));
    Rect::new(
        area.x + (area.width - w) / 2,
        area.y + (area.height - h) / 2,
        w,
        h,
    )
}

fn frame_box(app: &App, frame: &mut Frame, title: &str, lines: Vec<Line<'static>>, scroll: usize) {
    let area = centered(frame.area());
    frame.render_widget(Clear, area);
    let block = Block::bordered()
        .title(format!(" {title} "))
        .border_type(ratatui::widgets::BorderType::Thick)
        .border_style(app.theme.accent);
    let inner = block.inner(area);
    let max = lines.len().saturating_sub(inner.height as usize);
    let visible: Vec<Line> = lines.into_iter().skip(scroll.min(max)).collect();
    frame.render_widget(Paragraph::new(visible).block(block), area);
}

/// The help lines: for each context, its keys and what they do, in the current language.
pub fn help_lines(app: &App) -> Vec<Line<'static>> {
    let lang = app.lang;
    let order = [
        Context::Browse,
        Context::List,
        Context::Detail,
        Context::Search,
        Context::TesterText,
        Context::TesterRegex,
        Context::Overlay,
        Context::Loading,
        Context::Pick,
        Context::Global,
    ];
    let mut lines = Vec::new();
    // The `--print` keys only where they apply.
    for ctx in order
        .into_iter()
        .filter(|c| *c != Context::Pick || app.pick.is_some())
    {
        lines.push(Line::styled(
            t(lang, ctx.help_key()).to_string(),
            app.theme.title,
        ));
        for b in bindings().iter().filter(|b| b.context == ctx) {
            let keys = b
                .keys
                .iter()
                .map(|k| k.label())
                .collect::<Vec<_>>()
                .join(" / ");
            let pad = 22usize.saturating_sub(width(&keys));
            lines.push(Line::from(vec![
                Span::styled(format!("  {keys}{}", " ".repeat(pad)), bold()),
                Span::raw(t(lang, b.help).to_string()),
            ]));
        }
        if ctx.is_input() {
            lines.push(Line::from(vec![
                Span::styled(format!("  {:<22}", "←/→ Home/End Ctrl-W Ctrl-U"), bold()),
                Span::raw(t(lang, "help.editing").to_string()),
            ]));
        }
        lines.push(Line::default());
    }
    lines.push(Line::styled(
        t(lang, "help.mouse").to_string(),
        app.theme.dim,
    ));
    lines
}

pub fn help(app: &App, frame: &mut Frame, scroll: usize) {
    frame_box(
        app,
        frame,
        t(app.lang, "ui.help_title"),
        help_lines(app),
        scroll,
    );
}

pub fn diagnostics(app: &App, frame: &mut Frame, scroll: usize) {
    let lang = app.lang;
    let area = centered(frame.area());
    let width = area.width.saturating_sub(2) as usize;
    // Lines past the window are never drawn: formatting all 100,000 diagnostics of a broken catalogue took
    // 0.2 s a frame. The window's lines are the same as with all of them (`frame_box` only clamps `scroll`
    // when the lines run out before the window ends, and then they were all built).
    let enough = scroll.saturating_add(area.height.saturating_sub(2) as usize);
    let mut lines = Vec::new();
    if app.diagnostics().next().is_none() {
        lines.push(Line::styled(
            t(lang, "ui.no_diagnostics").to_string(),
            app.theme.dim,
        ));
    }
    for d in app.diagnostics() {
        let style = if d.is_error() {
            app.theme.bad
        } else {
            app.theme.warn
        };
        for (i, part) in wrap(&sanitize_line(&d.to_string()), width.max(1))
            .into_iter()
            .enumerate()
        {
            lines.push(Line::styled(
                if i == 0 { part } else { format!("  {part}") },
                style,
            ));
        }
        if lines.len() > enough {
            return frame_box(app, frame, t(lang, "ui.diagnostics_title"), lines, scroll);
        }
    }
    let skipped = app.built_lookup_index().map_or(0, |l| l.skipped());
    if skipped > 0 {
        lines.push(Line::default());
        lines.push(Line::styled(
            format!("{skipped} {}", t(lang, "ui.regex_skipped")),
            app.theme.dim,
        ));
    }
    frame_box(app, frame, t(lang, "ui.diagnostics_title"), lines, scroll);
}

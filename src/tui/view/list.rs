//! The search box and the record list (only the visible rows are built).

use super::bold;
use crate::catalog::Lang;
use crate::catalog::localized::Field;
use crate::i18n::t;
use crate::text::{percent, sanitize_line, truncate, width};
use crate::tui::app::{App, Focus};
use crate::tui::theme::Theme;
use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};
use std::borrow::Cow;

pub fn draw_search(app: &App, frame: &mut Frame, area: Rect) {
    let focused = app.focus == Focus::Search;
    let title = if app.list.lookup_mode {
        t(app.lang, "ui.lookup_title")
    } else {
        t(app.lang, "ui.search_title")
    };
    let block = super::framed(
        Block::bordered().title(format!(" {title} ")),
        &app.theme,
        focused,
    );
    let inner = block.inner(area);
    let value = app.search.value();
    let line = if value.is_empty() && !focused {
        Line::styled(t(app.lang, "ui.search_placeholder"), app.theme.dim)
    } else {
        let scroll = app
            .search
            .input()
            .visual_scroll(inner.width.saturating_sub(1) as usize);
        let shown: String = sanitize_line(value).chars().skip(scroll).collect();
        Line::raw(shown)
    };
    frame.render_widget(Paragraph::new(line).block(block), area);
    if focused {
        let scroll = app
            .search
            .input()
            .visual_scroll(inner.width.saturating_sub(1) as usize);
        let x = (app.search.input().visual_cursor().saturating_sub(scroll)) as u16;
        frame.set_cursor_position(Position::new(
            inner.x + x.min(inner.width.saturating_sub(1)),
            inner.y,
        ));
    }
}

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let focused = app.focus == Focus::List;
    // A background filter is still running for the latest keystroke: the rows shown are the previous ones.
    let busy = if app.background.pending.is_some() {
        "⋯ "
    } else {
        ""
    };
    // While the rest of a large catalogue loads, the list is its first records: the count says so.
    let count = match app.loading {
        Some(total) => format!(
            " ⋯ {}/{total} {} ",
            app.list.rows.len(),
            t(app.lang, "ui.list_loading")
        ),
        None => format!(" {busy}{}/{} ", app.list.rows.len(), app.catalog.len()),
    };
    let block = super::framed(
        Block::bordered()
            .title(format!(" {} ", t(app.lang, "ui.records")))
            .title_top(Line::from(count).right_aligned()),
        &app.theme,
        focused,
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let mut rows = inner.height as usize;
    let query = app.highlight_query();
    // A lookup that found nothing lists the nearest records under a heading saying they are no answer.
    let nearest = app.list.lookup_mode && app.list.rows.first().is_some_and(|r| r.nearest);
    let mut heading = Vec::new();
    if nearest && rows > 1 {
        heading.push(Line::styled(
            truncate(t(app.lang, "ui.nearest_unrelated"), inner.width as usize).into_owned(),
            app.theme.title,
        ));
        rows -= 1;
    }
    let lines: Vec<Line> = app
        .list
        .rows
        .iter()
        .enumerate()
        .skip(app.list.offset)
        .take(rows)
        .map(|(i, row)| {
            let r = &app.catalog[row.index];
            let mut line = row_line(
                r,
                &(query.as_ref())
                    .map(|q| app.match_positions_for(row.index, q))
                    .unwrap_or_default(),
                if row.nearest {
                    "? "
                } else if row.approximate {
                    "≈ "
                } else {
                    ""
                },
                app.lang,
                &app.theme,
                inner.width as usize,
            );
            if i == app.list.selected {
                line = line.patch_style(Style::new().add_modifier(Modifier::REVERSED));
            }
            line
        })
        .collect();
    if lines.is_empty() {
        frame.render_widget(
            Paragraph::new(Line::styled(
                match app.loading {
                    // Not "no match": the search waits for the whole catalogue.
                    Some(_) => t(app.lang, "ui.list_waits"),
                    None => t(app.lang, "ui.no_results"),
                },
                app.theme.dim,
            )),
            inner,
        );
    } else {
        heading.extend(lines);
        frame.render_widget(Paragraph::new(heading), inner);
    }
}

/// `signature … domain 92%`, the signature cut to fit, matched characters highlighted, after `marker` (`≈ ` for
/// an approximate lookup hit, `? ` for a nearest one).
fn row_line(
    r: &crate::catalog::Record,
    positions: &[usize],
    marker: &str,
    lang: Lang,
    theme: &Theme,
    width_available: usize,
) -> Line<'static> {
    let shown = r.text(Field::Signature, lang).map_or("", |l| l.text);
    // A row shows at most a line's worth; never sanitize a 10 MB signature every frame.
    let shown = crate::text::clip(shown, 1_000);
    let clean = sanitize_line(&shown);
    // Match positions index the raw text; when sanitizing changed it, highlighting would be off, so skip it.
    let positions = if matches!(clean, Cow::Borrowed(_)) {
        positions
    } else {
        &[]
    };
    let rate = r.fix_success_rate.map(percent).unwrap_or_default();
    let domain = truncate(&sanitize_line(r.domain()), 12).into_owned();
    let suffix_width = width(&domain) + width(&rate) + 2;
    let room = width_available.saturating_sub(suffix_width + width(marker) + 1);
    let sig = truncate(&clean, room).into_owned();
    let mut spans = vec![Span::styled(marker.to_string(), theme.dim)];
    spans.extend(highlighted(&sig, positions, theme.hit));
    let pad = width_available.saturating_sub(width(marker) + width(&sig) + suffix_width);
    spans.push(Span::raw(" ".repeat(pad)));
    spans.push(Span::styled(format!(" {domain}"), theme.accent));
    spans.push(Span::styled(format!(" {rate}"), bold()));
    Line::from(spans)
}

/// Splits text into spans, the characters at `positions` in `hit_style`.
pub fn highlighted(text: &str, positions: &[usize], hit_style: Style) -> Vec<Span<'static>> {
    let mut spans = Vec::new();
    let mut run = String::new();
    let mut run_hit = false;
    for (i, c) in text.chars().enumerate() {
        let hit = positions.contains(&i);
        if hit != run_hit && !run.is_empty() {
            let style = if run_hit { hit_style } else { Style::new() };
            spans.push(Span::styled(std::mem::take(&mut run), style));
        }
        run_hit = hit;
        run.push(c);
    }
    if !run.is_empty() {
        spans.push(Span::styled(
            run,
            if run_hit { hit_style } else { Style::new() },
        ));
    }
    spans
}

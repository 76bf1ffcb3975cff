//! The regex tester strip: the pattern (editable), the verdict, the test text with matches highlighted, and the
//! capture groups of the first match.

use super::bold;
use crate::i18n::t;
use crate::tester::CompileError;
use crate::text::{sanitize_line, truncate, width};
use crate::tui::app::{App, Focus};
use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Position, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Paragraph};

pub fn draw(app: &App, frame: &mut Frame, area: Rect) {
    let focused = matches!(app.focus, Focus::TesterText | Focus::TesterRegex);
    let lang = app.lang;
    let mode = if app.list.lookup_mode {
        t(lang, "ui.lookup_on")
    } else {
        ""
    };
    let block = super::framed(
        Block::bordered().title(format!(" {} {mode}", t(lang, "ui.tester"))),
        &app.theme,
        focused,
    );
    let inner = block.inner(area);
    frame.render_widget(block, area);
    if inner.height == 0 {
        return;
    }
    let [top, rest] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(inner);
    draw_pattern(app, frame, top);
    let [text_area, groups_area] =
        Layout::horizontal([Constraint::Percentage(62), Constraint::Percentage(38)]).areas(rest);
    draw_text(app, frame, text_area);
    draw_groups(app, frame, groups_area);
}

fn draw_pattern(app: &App, frame: &mut Frame, area: Rect) {
    let lang = app.lang;
    let ev = &app.tester.evaluation;
    let verdict = match &app.tester.error {
        Some(CompileError::Syntax { column, message }) => Span::styled(
            format!(
                " ✗ {}: {}",
                t(lang, "ui.error_at").replace("{}", &column.to_string()),
                sanitize_line(message)
            ),
            app.theme.bad,
        ),
        Some(CompileError::TooLarge { limit }) => Span::styled(
            format!(" ✗ {} ({limit} B)", t(lang, "ui.too_large")),
            app.theme.bad,
        ),
        None if app.tester.text.text().is_empty() => {
            Span::styled(format!(" {}", t(lang, "ui.no_text")), app.theme.dim)
        }
        None if ev.matches.is_empty() => {
            Span::styled(format!(" ✗ {}", t(lang, "ui.no_match")), app.theme.bad)
        }
        None => {
            let more = if ev.truncated { "+" } else { "" };
            Span::styled(
                format!(" ✓ {}{more} {}", ev.matches.len(), t(lang, "ui.matches")),
                app.theme.good,
            )
        }
    };
    let case = if app.tester.case_insensitive {
        " [i]"
    } else {
        " [ ]"
    };
    let label = format!("{}: ", t(lang, "field.regex"));
    let tail_width = width(&verdict.content) + width(case);
    let room = (area.width as usize)
        .saturating_sub(width(&label) + tail_width)
        .max(1);
    let editing = app.focus == Focus::TesterRegex;
    let scroll = if editing {
        app.tester.regex.visual_scroll(room.saturating_sub(1))
    } else {
        0
    };
    let pattern: String = sanitize_line(app.tester.regex.value())
        .chars()
        .skip(scroll)
        .collect();
    let pattern = truncate(&pattern, room).into_owned();
    let pad = room.saturating_sub(width(&pattern));
    let line = Line::from(vec![
        Span::styled(label.clone(), app.theme.dim),
        Span::styled(
            pattern,
            if editing {
                app.theme.accent
            } else {
                Style::new()
            },
        ),
        Span::raw(" ".repeat(pad)),
        Span::styled(case, app.theme.dim),
        verdict,
    ]);
    frame.render_widget(Paragraph::new(line), area);
    if editing {
        let x = area.x
            + width(&label) as u16
            + (app.tester.regex.visual_cursor().saturating_sub(scroll)) as u16;
        frame.set_cursor_position(Position::new(x.min(area.right().saturating_sub(1)), area.y));
    }
}

/// The test text, one screen line per text line (cut, not wrapped), scrolled to keep the cursor in view.
fn draw_text(app: &App, frame: &mut Frame, area: Rect) {
    let text = app.tester.text.text();
    let lang = app.lang;
    if text.is_empty() && app.focus != Focus::TesterText {
        frame.render_widget(
            Paragraph::new(Line::styled(
                t(lang, "ui.tester_placeholder"),
                app.theme.dim,
            )),
            area,
        );
        return;
    }
    let (cursor_line, cursor_col) = app.tester.text.cursor_line_col();
    let height = area.height as usize;
    let first = (cursor_line + 1).saturating_sub(height.max(1));
    let spans: Vec<std::ops::Range<usize>> = app
        .tester
        .evaluation
        .matches
        .iter()
        .map(|m| m.span())
        .collect();
    let mut offset = 0;
    let mut lines = Vec::new();
    for (n, line) in text.split('\n').enumerate() {
        let start = offset;
        offset += line.len() + 1;
        if n < first || n >= first + height {
            continue;
        }
        lines.push(highlight_line(
            line,
            start,
            &spans,
            area.width as usize,
            app.theme.tester_hit,
        ));
    }
    frame.render_widget(Paragraph::new(lines), area);
    if app.focus == Focus::TesterText {
        let line_text = text.split('\n').nth(cursor_line).unwrap_or("");
        let before: String = line_text.chars().take(cursor_col).collect();
        let x = width(&sanitize_line(&before)) as u16;
        let y = (cursor_line - first) as u16;
        frame.set_cursor_position(Position::new(
            (area.x + x).min(area.right().saturating_sub(1)),
            area.y + y,
        ));
    }
}

/// One line of test text, split at match boundaries; each piece sanitized on its own.
fn highlight_line(
    line: &str,
    start: usize,
    spans: &[std::ops::Range<usize>],
    max: usize,
    hit: Style,
) -> Line<'static> {
    let mut cuts = vec![0, line.len()];
    for s in spans {
        for edge in [s.start, s.end] {
            if edge > start && edge < start + line.len() && line.is_char_boundary(edge - start) {
                cuts.push(edge - start);
            }
        }
    }
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = Vec::new();
    let mut used = 0;
    for pair in cuts.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let piece = sanitize_line(&line[a..b]);
        let inside = spans
            .iter()
            .any(|s| s.start <= start + a && start + b <= s.end && s.start < s.end);
        let piece = truncate(&piece, max.saturating_sub(used)).into_owned();
        used += width(&piece);
        out.push(Span::styled(piece, if inside { hit } else { Style::new() }));
        if used >= max {
            break;
        }
    }
    Line::from(out)
}

fn draw_groups(app: &App, frame: &mut Frame, area: Rect) {
    let ev = &app.tester.evaluation;
    let text = app.tester.text.text();
    let mut lines = vec![Line::styled(t(app.lang, "ui.groups").to_string(), bold())];
    // A broken pattern has no groups: the last good pattern's would read as this one's.
    if let Some(m) = ev.matches.first().filter(|_| app.tester.error.is_none()) {
        for (i, g) in m.groups.iter().enumerate() {
            let name = ev.group_names.get(i).cloned().flatten().unwrap_or_default();
            let value = g
                .as_ref()
                .and_then(|r| text.get(r.clone()))
                .map_or_else(|| "—".to_string(), |s| sanitize_line(s).into_owned());
            let head = format!("{i:>2} {name:<8} ");
            let room = (area.width as usize).saturating_sub(width(&head));
            lines.push(Line::from(vec![
                Span::styled(head, app.theme.dim),
                Span::styled(truncate(&value, room).into_owned(), app.theme.hit),
            ]));
        }
    } else {
        lines.push(Line::styled("—".to_string(), app.theme.dim));
    }
    frame.render_widget(Paragraph::new(lines), area);
}
